"""Dos hilos de una prueba que tocan a la vez un fichero del alumno aún sin cargar.

Pasa con `taller.pruebas.a_la_vez` (el 07 instala de dos en dos): los dos llegan a la carga a
la vez. El fichero debe importarse una sola vez, y ninguno de los dos debe ver un KeyError de
importlib (el espacio de nombres de uno sacaba de sys.modules el módulo que el otro importaba).
"""

import textwrap

import pytest

pytestmark = pytest.mark.timeout(120)

CUENTAS_LENTO = """\
import time

with open("importaciones.txt", "a", encoding="utf-8") as fichero:
    fichero.write("x")
time.sleep(0.3)  # una importación lenta: el otro hilo llega mientras tanto


def suma(a, b):
    return a + b
"""

DOS_HILOS = """\
import threading

from taller.pruebas import cargar

cuentas = cargar("cuentas")


def test_dos_hilos_cargan_a_la_vez():
    barrera = threading.Barrier(2)
    errores = []

    def usar():
        barrera.wait()
        try:
            assert cuentas.suma(1, 2) == 3
        except BaseException as error:
            errores.append(repr(error))

    hilos = [threading.Thread(target=usar, name=f"usar{i}") for i in range(2)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(30)
    assert not errores, errores
"""


def test_un_fichero_que_cargan_dos_hilos_a_la_vez_se_importa_una_vez(juguete):
    carpeta = juguete.raiz / "ejercicios" / "01"
    (carpeta / "test_cuentas.py").unlink()
    (carpeta / "test_hilos.py").write_text(textwrap.dedent(DOS_HILOS), encoding="utf-8")
    juguete.fichero("01").write_text(CUENTAS_LENTO, encoding="utf-8")
    proceso = juguete.pytest("ejercicios/01", "-q", "-p", "no:randomly")
    salida = proceso.stdout + proceso.stderr
    assert proceso.returncode == 0, salida
    importaciones = (juguete.raiz / "importaciones.txt").read_text(encoding="utf-8")
    assert importaciones == "x", (
        f"cuentas.py se importó {len(importaciones)} veces: el segundo hilo lo importó otra vez "
        f"en vez de esperar al primero.\n{salida}"
    )
