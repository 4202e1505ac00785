"""El mensaje de cada fallo llega entero a `taller comprobar`, aunque sea largo.

pytest (9.x) recorta el atributo `message` del informe JUnit a unos 500 caracteres; las
explicaciones del taller son más largas y el arreglo suele ir al final. taller.ejecucion lo
saca entero del texto del elemento (ver `mensaje_entero`).
"""

import json
import xml.etree.ElementTree as ET

import pytest

from taller.ejecucion import ejecutar_pruebas, mensaje_entero
from taller.modulos import Modulo

RELLENO = "\n".join(
    f"Línea {i} de la explicación, con «comillas» y ñ. " + "x" * 60 for i in range(9)
)

PRUEBAS_CON_MENSAJES_LARGOS = f"""\
import pytest

RELLENO = {RELLENO!r}


def test_fail_sin_traza():
    pytest.fail("Qué falla.\\n" + RELLENO + "\\n\\nEl arreglo: FIN-1.", pytrace=False)


def test_fail_con_traza():
    pytest.fail("Qué falla.\\n" + RELLENO + "\\nEl arreglo: FIN-2.")


def test_assert_con_mensaje():
    assert 1 == 2, "Se esperaba 2.\\n" + RELLENO + "\\n\\nEl arreglo: FIN-3."


def test_una_sola_linea_larga():
    assert False, "Una línea sola " + "y" * 700 + " FIN-4"


def hace_falta():
    raise NotImplementedError("hace_falta: " + "z" * 700 + " FIN-5")


def test_error_del_codigo():
    hace_falta()


@pytest.fixture
def preparacion_rota():
    raise RuntimeError("La preparación falla. " + "w" * 700 + " FIN-6")


def test_error_al_preparar(preparacion_rota):
    pass
"""

# Apunta el mensaje que pytest tiene de cada fallo (el que recorta al escribir el JUnit).
CONFTEST_QUE_APUNTA = """\
import json
import os

_mensajes = {}


def pytest_runtest_logreport(report):
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        mensaje = crash.message if crash is not None else str(report.longrepr)
        if report.when != "call":
            mensaje = f'failed on {report.when} with "{mensaje}"'
        _mensajes[report.nodeid.split("::")[-1]] = mensaje


def pytest_sessionfinish(session):
    with open(os.environ["MENSAJES"], "w", encoding="utf-8") as fichero:
        json.dump(_mensajes, fichero)
"""


@pytest.mark.lento
@pytest.mark.timeout(180)
def test_cada_mensaje_del_junit_sale_entero_con_los_estilos_de_traza_del_taller(
    tmp_path, otro_pytest
):
    (tmp_path / "test_largos.py").write_text(PRUEBAS_CON_MENSAJES_LARGOS, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST_QUE_APUNTA, encoding="utf-8")
    # auto: `pytest ejercicios/NN` y `taller comprobar`; line: el cuaderno y tests/casi_bien.
    for estilo in ("auto", "line"):
        informe, apuntados = tmp_path / f"{estilo}.xml", tmp_path / f"{estilo}.json"
        otro_pytest(
            tmp_path,
            *["-q", "-p", "no:cacheprovider", f"--tb={estilo}", "-p", "no:randomly"],
            # sin los plugins de Jupyter, como el pyproject.toml del taller (nbval: 3 s de CPU)
            *["-p", "no:nbval", "-p", "no:anyio", "-p", "no:platformdirs"],
            *[f"--junitxml={informe}", "test_largos.py"],
            timeout=120,
            MENSAJES=str(apuntados),
        )
        esperados = json.loads(apuntados.read_text(encoding="utf-8"))
        assert len(esperados) == 6, f"Deberían fallar las 6 pruebas de juguete; fallan {esperados}"
        leidos = {
            caso.get("name"): mensaje_entero(elemento)
            for caso in ET.parse(informe).getroot().iter("testcase")
            for elemento in caso
            if elemento.tag in ("failure", "error")
        }
        for prueba, esperado in esperados.items():
            assert leidos.get(prueba) == esperado, (
                f"Con --tb={estilo}, el mensaje de {prueba} leído del JUnit no es el de pytest.\n"
                f"Se esperaba ({len(esperado)} caracteres):\n{esperado}\n"
                f"Llegó ({len(leidos.get(prueba) or '')} caracteres):\n{leidos.get(prueba)}"
            )


def test_un_mensaje_corto_se_lee_del_atributo_tal_cual():
    elemento = ET.fromstring('<failure message="Failed: corto">otra cosa</failure>')
    assert mensaje_entero(elemento) == "Failed: corto", "Un mensaje sin recortar va tal cual"


def test_la_nota_de_restos_del_taller_no_se_pierde_al_completar_el_mensaje():
    # plugin_cuelgues añade la nota tras la primera línea del mensaje, y la traza no la trae.
    nota = "Ojo: esta prueba empezó con restos de otras: " + "r" * 300
    completo = ["Qué falla.", nota, *RELLENO.split("\n"), "El arreglo: FIN."]
    atributo = (
        "Failed: " + "\n".join(completo[:3]) + "\n[+9 more lines; full report in element text]"
    )
    texto = "\n".join(line for line in completo if line != nota)
    elemento = ET.Element("failure", message=atributo)
    elemento.text = texto
    assert mensaje_entero(elemento) == "Failed: " + "\n".join(completo), (
        f"Se esperaban la nota y el mensaje entero; llegó:\n{mensaje_entero(elemento)}"
    )


@pytest.mark.lento
@pytest.mark.timeout(120)
def test_taller_comprobar_ve_el_mensaje_entero_de_una_prueba_del_ejercicio(juguete):
    pruebas = juguete.raiz / "ejercicios" / "01" / "test_cuentas.py"
    pruebas.write_text(
        pruebas.read_text(encoding="utf-8")
        + "\n\ndef test_explicacion_larga():\n"
        + f"    pytest.fail({('Qué falla.' + chr(10) + RELLENO + chr(10) + 'El arreglo: FIN.')!r}"
        + ", pytrace=False)\n",
        encoding="utf-8",
    )
    pruebas.write_text("import pytest\n" + pruebas.read_text(encoding="utf-8"), encoding="utf-8")
    resultado = ejecutar_pruebas(Modulo("01", juguete.raiz))
    mensajes = {f.prueba: f.mensaje for f in resultado.fallidas}
    mensaje = mensajes.get("test_explicacion_larga", "")
    assert mensaje.endswith("El arreglo: FIN.") and len(mensaje) > 600, (
        f"El mensaje debería llegar entero (más de 600 caracteres, acabando en «El arreglo: "
        f"FIN.»); llegó ({len(mensaje)} caracteres): {mensaje!r}. Fallan: {sorted(mensajes)}"
    )
