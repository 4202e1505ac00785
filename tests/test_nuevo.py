"""`taller nuevo NN "Tema"`: un módulo nuevo es su carpeta en soluciones/, su cuaderno y
`taller generar`. En una copia temporal del taller se crea el 99, las comprobaciones de cada
módulo (tests/test_modulos.py) dicen qué falta, se rellena y pasan."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from taller.modulos import POR_HACER, Modulo, raiz_del_taller

RAIZ = raiz_del_taller()


def _orden(carpeta: Path, *argumentos: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *argumentos],
        cwd=carpeta,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def copia(tmp_path):
    return _copiar(tmp_path)


def _copiar(carpeta: Path) -> Path:
    """Lo justo del taller para sus comprobaciones por módulo: pyproject, README y tests/ (con
    el zigoto, que ejecuta los esqueletos, y su servidor de casos)."""
    copia = carpeta / "taller"
    for carpeta in ("tests", "soluciones", "ejercicios", "notebooks", "cuadernos"):
        (copia / carpeta).mkdir(parents=True)
    for nombre in (
        "pyproject.toml",
        "README.md",
        "tests/conftest.py",
        "tests/test_modulos.py",
        "tests/zigoto.py",
        "tests/servidor_de_casos.py",
    ):
        shutil.copy(RAIZ / nombre, copia / nombre)
    return copia


COMPROBAR = ["-m", "pytest", "tests/test_modulos.py", "-k", "99", "-p", "no:randomly"]


def crear_y_rellenar(copia: Path) -> dict:
    """`taller nuevo 99`, sus comprobaciones, los TODO rellenados, `taller generar` y otra vez
    las comprobaciones: lo que salió en cada paso. Son media docena de procesos (uno de ellos,
    un pytest entero con su propio trabajo de fondo): va de fondo mientras corren las demás."""
    pasos = {"creado": _orden(copia, "-m", "taller", "nuevo", "99", "Juguete")}
    if pasos["creado"].returncode != 0:
        return pasos
    pasos["titulo"] = Modulo("99", copia).titulo
    pasos["readme"] = (copia / "README.md").read_text("utf-8")
    pasos["antes"] = _orden(copia, *COMPROBAR)
    for ruta in [*copia.rglob("*")]:  # las fuentes: el .ipynb y el esqueleto se generan
        if ruta.suffix == ".ipynb" or Modulo("99", copia).ejercicio / "juguete.py" == ruta:
            continue
        if "__pycache__" in ruta.parts:  # lo que compiló el zigoto al ejecutar los esqueletos
            continue
        if ruta.is_file() and POR_HACER in ruta.read_text("utf-8", errors="replace"):
            texto = ruta.read_text("utf-8").replace(f"{POR_HACER}: ", "").replace(POR_HACER, "")
            ruta.write_text(texto, "utf-8")
    pasos["generado"] = _orden(copia, "-m", "taller", "generar")
    pasos["despues"] = _orden(copia, *COMPROBAR)
    pasos["al_dia"] = _orden(copia, "-m", "taller", "generar", "--comprobar")
    return pasos


A_LA_VEZ = {
    "test_un_modulo_nuevo_dice_lo_que_falta_y_pasa_cuando_se_rellena": lambda _, fondo: (
        crear_y_rellenar(_copiar(fondo.carpeta()))
    )
}


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_un_modulo_nuevo_dice_lo_que_falta_y_pasa_cuando_se_rellena(de_fondo):
    pasos = de_fondo()
    creado = pasos["creado"]
    assert creado.returncode == 0, f"taller nuevo falló:\n{creado.stdout}{creado.stderr}"
    assert pasos["titulo"] == "Juguete", f"el manifiesto dice el tema; dice {pasos['titulo']!r}"
    assert "| 99 | Juguete |" in pasos["readme"], (
        "taller nuevo también pone el módulo en la tabla del README"
    )

    antes = pasos["antes"]
    assert antes.returncode == 1, f"con los TODO, las comprobaciones deben fallar:\n{antes.stdout}"
    fallan = [linea for linea in antes.stdout.splitlines() if linea.startswith("FAILED")]
    assert len(fallan) == 1 and "nada_por_hacer" in fallan[0], (
        "solo debe fallar la comprobación de lo que queda por hacer (lo demás ya cumple las "
        "reglas); fallan:\n" + "\n".join(fallan)
    )
    for pieza in ("modulo.toml", "README.md", "pistas.md", "test_juguete.py", "99_juguete.py"):
        assert f"{pieza}:" in antes.stdout, f"la lista de lo que falta debería nombrar {pieza}"

    generado = pasos["generado"]
    assert generado.returncode == 0, f"taller generar falló:\n{generado.stderr}"
    despues = pasos["despues"]
    assert despues.returncode == 0, f"rellenado, el módulo debe pasar:\n{despues.stdout[-3000:]}"
    al_dia = pasos["al_dia"]
    assert al_dia.returncode == 0, f"ejercicios/ y el README, al día:\n{al_dia.stderr}"


def test_taller_nuevo_no_pisa_un_modulo_que_existe(copia):
    Modulo("01", copia).solucion.mkdir()
    proceso = _orden(copia, "-m", "taller", "nuevo", "1", "Otra cosa")
    assert proceso.returncode == 2 and "ya existe" in proceso.stderr, (
        f"taller nuevo 1 con el 01 ya creado debe negarse; salió {proceso.returncode}: "
        f"{proceso.stderr}"
    )


def test_taller_nuevo_no_sale_en_la_ayuda_del_alumno():
    ayuda = _orden(RAIZ, "-m", "taller", "--help").stdout
    assert "nuevo" not in ayuda and "progreso" in ayuda, (
        f"`taller nuevo` es una orden de mantenimiento: no va en la ayuda. Ayuda:\n{ayuda}"
    )
