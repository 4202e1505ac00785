"""Color donde el terminal lo admite, texto plano en una tubería o en CI; ayuda en español."""

import io

import pytest

from taller.cli import ORDENES, construir_parser
from taller.salida import Estilo, admite_color


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def sin_variables(monkeypatch):
    for variable in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_hay_color_en_un_terminal_y_no_en_una_tuberia(sin_variables):
    assert admite_color(Terminal())
    assert not admite_color(io.StringIO())


def test_no_color_lo_apaga_siempre_y_force_color_lo_fuerza(sin_variables):
    sin_variables.setenv("NO_COLOR", "1")
    assert not admite_color(Terminal())
    sin_variables.setenv("FORCE_COLOR", "1")
    assert not admite_color(Terminal()), "NO_COLOR manda sobre FORCE_COLOR"
    sin_variables.delenv("NO_COLOR")
    assert admite_color(io.StringIO())


def test_un_terminal_tonto_no_recibe_color(sin_variables):
    sin_variables.setenv("TERM", "dumb")
    assert not admite_color(Terminal())


def test_sin_color_el_texto_sale_tal_cual_y_la_barra_es_ascii():
    plano = Estilo(color=False)
    assert plano.verde("hola") == "hola"
    assert plano.barra(1, 4, ancho=8) == "[##------] 1 de 4 módulos superados"
    assert "\033[32m" in Estilo(color=True).verde("hola")


def test_la_salida_real_de_una_orden_respeta_el_terminal(juguete, taller_cli):
    # `pista` no ejecuta pruebas: es la orden más barata para mirar la salida de verdad.
    assert "\033[" not in taller_cli(juguete.raiz, "pista", "01").stdout
    assert "\033[" in taller_cli(juguete.raiz, "pista", "01", FORCE_COLOR="1").stdout


@pytest.mark.parametrize("orden", ORDENES)
def test_la_ayuda_de_cada_orden_esta_en_espanol(orden, capsys):
    with pytest.raises(SystemExit) as salida:
        construir_parser().parse_args([orden, "--help"])
    assert salida.value.code == 0
    ayuda = capsys.readouterr().out
    assert ayuda.startswith("uso: taller "), ayuda
    assert "muestra esta ayuda y termina" in ayuda
    for ingles in ("usage", "show this help", "positional arguments", "options:"):
        assert ingles not in ayuda, f"`taller {orden} --help` tiene texto en inglés: {ingles}"


def test_un_argumento_malo_se_explica_en_espanol(capsys):
    with pytest.raises(SystemExit):
        construir_parser().parse_args(["vigilar", "--intervalo", "pronto"])
    error = capsys.readouterr().err
    assert "argumento --intervalo: «pronto» no es un número de segundos" in error


def test_el_readme_documenta_el_bucle_del_alumno_con_cada_orden(raiz):
    readme = (raiz / "README.md").read_text(encoding="utf-8")
    seccion = readme.split("## Cómo se trabaja", 1)[1].split("\n## ", 1)[0]
    for orden in ("progreso", "vigilar", "comprobar", "pista", "reiniciar"):
        assert f"`taller {orden}" in seccion, f"«Cómo se trabaja» no explica `taller {orden}`"
