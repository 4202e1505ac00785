"""El servidor de casos (tests/servidor_de_casos.py): un pytest que ya recogió las pruebas de un
módulo y ejecuta cada caso casi bien en un hijo bifurcado. Aquí, con el taller de juguete: dos
casos a la vez no se pisan, y el servidor se niega a atender si un fichero de pruebas guarda al
importarse algo que en el hijo no valdría. Que da lo mismo que un pytest aparte, con casos de
verdad de cada módulo, lo comprueba tests/test_casi_bien.py (test_el_servidor_de_casos_...)."""

import shutil
import threading

import pytest

from taller.modulos import Modulo

# Las pruebas de juguete esperan (hasta 30 s) a que las dos ejecuciones hayan empezado: así se
# ejecutan de verdad a la vez, sin depender de cómo las reparta el sistema.
_A_LA_VEZ = """\
import os
import time
from pathlib import Path

from taller.pruebas import cargar

cuentas = cargar("cuentas")


def test_suma_dos_numeros():
    cita = Path(cuentas.modulo.__file__).parents[2] / "cita"
    (cita / str(os.getpid())).touch()
    fin = time.monotonic() + 30
    while len(list(cita.iterdir())) < 2 and time.monotonic() < fin:
        time.sleep(0.005)
    assert len(list(cita.iterdir())) == 2, "la otra ejecución no empezó en 30 s"
    print(f"la salida del proceso {os.getpid()}")
    assert cuentas.suma(2, 3) == 5, f"suma(2, 3) debería dar 5, y da {cuentas.suma(2, 3)}"
"""


def _codigo(juguete, carpeta, suma: str):
    """Una carpeta --codigo con el 01 del juguete resuelto, con `suma` como cuerpo de suma()."""
    modulo = Modulo("01", juguete.raiz)
    shutil.copytree(modulo.solucion, modulo.codigo_en(carpeta))
    fichero = modulo.codigo_en(carpeta) / "cuentas.py"
    fichero.write_text(fichero.read_text().replace("return a + b", suma), encoding="utf-8")
    return modulo


def test_dos_casos_a_la_vez_tienen_cada_uno_su_resultado(juguete, tmp_path, lanzador_de_pruebas):
    modulo = Modulo("01", juguete.raiz)
    (modulo.ejercicio / "test_cuentas.py").write_text(_A_LA_VEZ, encoding="utf-8")
    (tmp_path / "cita").mkdir()
    bien, mal = tmp_path / "bien", tmp_path / "mal"
    _codigo(juguete, bien, "return a + b")
    _codigo(juguete, mal, "return a * b")
    resultados = {}

    def caso(nombre, carpeta):
        resultados[nombre] = lanzador_de_pruebas.ejecutar_caso(
            modulo, carpeta, ["--tb=line"], "test_suma", [], timeout=60
        )

    hilos = [threading.Thread(target=caso, args=par) for par in (("bien", bien), ("mal", mal))]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(90)
    assert not any(h.is_alive() for h in hilos), "un caso no volvió en 90 s"
    assert resultados["bien"].casos == [("test_suma_dos_numeros", "pasa")], resultados["bien"]
    assert resultados["mal"].casos == [("test_suma_dos_numeros", "falla")], resultados["mal"]
    assert "y da 6" in resultados["mal"].fallidas[0].mensaje, resultados["mal"].fallidas
    assert "y da 6" not in resultados["bien"].salida, resultados["bien"].salida


@pytest.mark.parametrize(
    ("al_importar", "dice"),
    [
        (
            "from taller.pruebas import carpeta_de_codigo\n"
            "CARPETA = carpeta_de_codigo(Path(__file__).parent)\n",
            "guarda CARPETA = ",
        ),
        ("import os\nMARCA = f'MIA={os.getpid()}'\n", "guarda MARCA = "),
        ("import os\nos.environ['DEL_JUGUETE'] = 'sí'\n", "DEL_JUGUETE=sí"),
        (
            "import threading\nimport time\n"
            "threading.Thread(target=time.sleep, args=(60,), name='vigia', daemon=True).start()\n",
            "se arranca el hilo vigia",
        ),
    ],
    ids=["la carpeta del código", "el pid", "una variable de entorno", "un hilo"],
)
def test_el_servidor_no_atiende_si_las_pruebas_guardan_al_importar_lo_de_su_proceso(
    juguete, tmp_path, lanzador_de_pruebas, al_importar, dice
):
    modulo = _codigo(juguete, tmp_path, "return a + b")
    pruebas = modulo.ejercicio / "test_cuentas.py"
    pruebas.write_text(
        "from pathlib import Path\n" + al_importar + pruebas.read_text(), encoding="utf-8"
    )
    with pytest.raises(RuntimeError) as error:
        lanzador_de_pruebas.ejecutar_caso(modulo, tmp_path, [], "test_suma", [], timeout=60)
    assert "no puede atender casos de este módulo" in str(error.value), error.value
    assert dice in str(error.value), error.value
