"""Código del alumno que se cuelga: se informa pronto, dice dónde está parado y no deja procesos.

Cada prueba lanza pytest (o `taller comprobar`) sobre el taller de juguete de conftest.py, con
un cuentas.py que se bloquea. No se mide el reloj (la máquina puede estar cargada): que no se
espera más de una vez se ve en los mensajes (las demás pruebas señalan a la primera), y que
no se cuelga para siempre, en el límite del subproceso (sin los arreglos, no acaba nunca).
"""

import importlib
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from taller import cuelgues
from taller.ejecucion import ejecutar_pruebas, resumen
from taller.modulos import Modulo

pytestmark = [pytest.mark.lento, pytest.mark.timeout(120)]

# Sin los arreglos, una importación que se bloquea cuelga pytest para siempre. Con ellos,
# unos pocos segundos; esto es solo el límite para no esperar para siempre.
HOLGURA = 60

SOLUCION = """\
import threading


def suma(a, b):
    return a + b


def resta(a, b):
    return a - b
"""


def _escribir(ruta: Path, texto: str) -> None:
    ruta.write_text(textwrap.dedent(texto), encoding="utf-8")


def _pytest(juguete, *argumentos, **entorno):
    """pytest en el taller de juguete: un proceso aparte (bifurcado del zigoto, ver
    TallerDeJuguete.pytest), con su salida y su salida de errores por separado."""
    inicio = time.monotonic()
    proceso = juguete.pytest(*argumentos, timeout=HOLGURA, **entorno)
    return proceso, time.monotonic() - inicio


def _salida_con_limite_de_2_s(juguete) -> str:
    """La salida entera (stdout y stderr) de pytest sobre ejercicios/01, en el orden en que
    están escritas las pruebas y con un límite de 2 s por prueba (el de pytest-timeout, que
    vigila desde otro hilo): así una prueba que se cuelga vence su límite pronto."""
    proceso, _ = _pytest(
        juguete,
        "ejercicios/01",
        "-p",
        "no:randomly",
        "-o",
        "timeout=2",
        "-o",
        "timeout_method=thread",
    )
    return proceso.stdout + proceso.stderr


def _fallos(salida: str) -> str:
    """La sección FAILURES, sin el resumen corto del final.

    Con CI=true (GitHub, nuestra CI) pytest no recorta el resumen corto y repite en él cada
    mensaje entero: contar en toda la salida contaría cada mensaje dos veces.
    """
    return salida.split("short test summary info")[0]


def _vivos_con(marca: str) -> set[int]:
    return cuelgues.con_marca(marca)


def _linea(ruta: Path, texto: str) -> int:
    return ruta.read_text(encoding="utf-8").splitlines().index(texto) + 1


# --- Importar el fichero del alumno ---------------------------------------------------------


def test_la_recogida_de_pruebas_no_ejecuta_el_codigo_del_alumno(juguete):
    _escribir(juguete.fichero("01"), SOLUCION + "open('importado.txt', 'w').close()\n")
    proceso, _ = _pytest(juguete, "ejercicios/01", "--collect-only", "-q")
    assert proceso.returncode == 0, proceso.stdout + proceso.stderr
    assert not (juguete.raiz / "importado.txt").exists(), (
        "recoger las pruebas (pytest pregunta a cada objeto por _mock_name...) no debe "
        "importar cuentas.py"
    )


def test_una_importacion_que_se_bloquea_falla_pronto_con_la_linea(juguete):
    fichero = juguete.fichero("01")
    _escribir(fichero, SOLUCION + "threading.Event().wait()  # mi demo\n")
    proceso, _ = _pytest(juguete, "ejercicios/01", "-p", "no:randomly")
    salida = proceso.stdout + proceso.stderr
    assert "2 failed" in salida, salida
    linea = _linea(fichero, "threading.Event().wait()  # mi demo")
    assert f"cuentas.py, línea {linea}: `threading.Event().wait()  # mi demo`" in salida, salida
    assert "espera en Event.wait" in salida
    assert 'if __name__ == "__main__":' in salida
    # la segunda prueba no espera otra vez: señala a la primera
    assert "El fallo de «test_suma_dos_numeros» (la primera prueba que lo importó)" in salida
    assert "Traceback" not in salida


def test_un_programa_lanzado_al_importar_se_termina(juguete):
    marca = f"TALLER_PRUEBA_CUELGUES={uuid.uuid4().hex}"
    _escribir(
        juguete.fichero("01"), SOLUCION + "import subprocess\nsubprocess.run(['sleep', '1000'])\n"
    )
    clave, valor = marca.split("=")
    proceso, _ = _pytest(juguete, "ejercicios/01", **{clave: valor})
    salida = proceso.stdout + proceso.stderr
    assert "espera en subprocess.run" in salida, salida
    assert "He terminado el proceso que quedó corriendo: `sleep 1000`" in salida
    assert not _vivos_con(marca), "el sleep que lanzó la importación sigue vivo"


def test_comprobar_con_una_importacion_que_se_bloquea(juguete, taller_cli_nueva):
    # Un proceso nuevo de verdad (no bifurcado del zigoto): se mira qué procesos quedan.
    marca = f"TALLER_PRUEBA_CUELGUES={uuid.uuid4().hex}"
    fichero = juguete.fichero("01")
    _escribir(fichero, SOLUCION + "import subprocess\nsubprocess.run(['sleep', '1000'])\n")
    clave, valor = marca.split("=")
    proceso = taller_cli_nueva(juguete.raiz, "comprobar", "01", timeout=HOLGURA, **{clave: valor})
    salida = proceso.stdout + proceso.stderr
    assert proceso.returncode == 1, salida
    assert "pasan 0 de 2 pruebas" in salida
    linea = _linea(fichero, "subprocess.run(['sleep', '1000'])")
    assert f"cuentas.py, línea {linea}" in salida, salida
    assert "Traceback" not in salida
    assert not _vivos_con(marca), "el sleep que lanzó la importación sigue vivo"


def test_lo_que_acaba_de_importarse_tras_una_importacion_parada_no_se_usa(tmp_path):
    # Con la máquina cargada pasó: al vencer el límite de la primera prueba se terminó el `sleep`
    # que bloqueaba la importación, esta acabó antes de salir del espacio de nombres, el módulo
    # se guardó como cargado y la segunda prueba pasó con él («pasan 1 de 2»). Aquí ese orden
    # se fuerza: la importación acaba (el módulo entero en sys.modules) y después vence el límite.
    from taller import pruebas

    (tmp_path / "cuentas.py").write_text("def suma(a, b):\n    return a + b\n", encoding="utf-8")
    aviso = "No se puede probar: la importación se quedó parada (la primera prueba lo dice)."

    def importar_y_vencer(carpeta, nombre):
        importlib.import_module(nombre)  # acabó justo antes de que el límite mirara
        pruebas._importacion_parada[carpeta] = aviso
        pytest.fail("Al importar cuentas.py, el código no terminó en 3 s", pytrace=False)

    try:
        with pytest.raises(pytest.fail.Exception, match="no terminó en 3 s"):
            pruebas._cargar_con_cerrojo(
                tmp_path, "cuentas", tmp_path / "cuentas.py", importar=importar_y_vencer
            )
        assert "cuentas" not in pruebas._cargados.get(tmp_path, {}), (
            "tras una importación parada, el módulo que acabó de importarse se guardó como cargado"
        )
        with pytest.raises(pytest.fail.Exception, match="se quedó parada"):
            pruebas._cargar_ya(tmp_path, "cuentas")
    finally:
        pruebas._importacion_parada.pop(tmp_path, None)
        pruebas._cargados.pop(tmp_path, None)


# --- Un pool que se cuelga en muchas pruebas ----------------------------------------------

PRUEBAS_CON_HILOS = """\
import threading

import pytest

from taller.pruebas import con_limite, cargar

cuentas = cargar("cuentas")


@pytest.mark.parametrize("n", range(16))
def test_detener(n):
    con_limite(5, cuentas.detener, que="detener()")
"""

POOL_QUE_SE_CUELGA = """\
import threading

_hay_trabajo = threading.Semaphore(0)


def _trabajar():
    while True:
        _hay_trabajo.acquire()


def _girar():
    while True:
        pass


def detener():
    ejecutor = threading.Thread(target=_trabajar, name="ejecutor1", daemon=True)
    ejecutor.start()
    threading.Thread(target=_girar, name="ejecutor2", daemon=True).start()
    ejecutor.join()
"""


def test_un_pool_colgado_en_16_pruebas_se_informa_una_vez(juguete):
    carpeta = juguete.raiz / "ejercicios" / "01"
    (carpeta / "test_cuentas.py").unlink()
    _escribir(carpeta / "test_hilos.py", PRUEBAS_CON_HILOS)
    _escribir(juguete.fichero("01"), POOL_QUE_SE_CUELGA)
    proceso, _ = _pytest(juguete, "ejercicios/01", "-p", "no:randomly")
    salida = proceso.stdout
    assert "16 failed" in salida, salida
    # la primera dice dónde está parado cada hilo...
    assert "detener() no terminó en 5 s: está parado en" in salida, salida
    assert f"línea {_linea(juguete.fichero('01'), '    ejecutor.join()')} (en detener)" in salida
    assert "espera en Thread.join" in salida
    assert "ejecutor1: " in salida and "espera en Semaphore.acquire" in salida
    assert "ejecutor2: " in salida and "gastando CPU" in salida
    # ...y las otras 15 no esperan: señalan a la primera
    assert _fallos(salida).count("no lo pruebo, porque en «test_detener[0]»") == 15, salida


def test_restos_de_otra_prueba_se_nombran(juguete):
    carpeta = juguete.raiz / "ejercicios" / "01"
    (carpeta / "test_cuentas.py").unlink()
    _escribir(
        juguete.fichero("01"),
        """\
        import threading


        class Caja:
            cosas = []

            def meter(self, cosa):
                self.cosas.append(cosa)
                return self.cosas


        def arrancar():
            threading.Thread(target=threading.Event().wait, name="olvidado", daemon=True).start()
            threading.Thread(target=_esperar, name="ejecutor-olvidado", daemon=True).start()


        def _esperar():
            threading.Event().wait()
        """,
    )
    _escribir(
        carpeta / "test_restos.py",
        """\
        from taller.pruebas import cargar

        cuentas = cargar("cuentas")


        def test_a_deja_cosas():
            assert cuentas.Caja().meter(1) == [1]
            cuentas.arrancar()


        def test_b_sufre_los_restos():
            assert cuentas.Caja().meter(2) == [2], "una caja nueva solo tiene lo que se mete"
        """,
    )
    proceso, _ = _pytest(juguete, "ejercicios/01", "-p", "no:randomly")
    salida = proceso.stdout
    # test_a falla también, por la guardia de recursos (deja dos hilos vivos), y lo dice; test_b
    # falla por el atributo de clase, y su mensaje avisa de que empezó con restos de test_a.
    assert "2 failed" in salida, salida
    assert "los hilos olvidado y ejecutor-olvidado siguen vivos" in salida or (
        "ejecutor-olvidado" in salida and "sigue vivo" in salida
    ), salida
    assert "Ojo: esta prueba empezó con restos de otras" in salida
    assert "el hilo ejecutor-olvidado (de «test_a_deja_cosas») ya estaba vivo" in salida
    assert "el atributo de clase Caja.cosas" in salida and "desde «test_a_deja_cosas»" in salida


def test_el_limite_de_cada_prueba_dice_donde_esta_y_sigue(juguete):
    carpeta = juguete.raiz / "ejercicios" / "01"
    _escribir(
        juguete.fichero("01"), SOLUCION + "\n\ndef bloquea():\n    threading.Event().wait()\n"
    )
    _escribir(
        carpeta / "test_limite.py",
        """\
        from taller.pruebas import cargar

        cuentas = cargar("cuentas")


        def test_se_bloquea_en_el_hilo_principal():
            cuentas.bloquea()
        """,
    )
    salida = _salida_con_limite_de_2_s(juguete)
    assert "1 failed, 2 passed" in salida, salida  # las demás pruebas siguen
    assert "Esta prueba no terminó en 2 s, el límite de cada prueba" in salida
    assert "la prueba está parada en" in salida and "espera en Event.wait" in salida
    assert "Traceback" not in salida and "Timeout" not in salida


def test_el_limite_acaba_aunque_el_alumno_se_trague_la_interrupcion_y_da_la_pista_de_la_prueba(
    juguete,
):
    # Un `except BaseException` en un bucle se traga el fallo con el que el límite interrumpe
    # la prueba: entonces se termina el proceso, con el mensaje (antes el temporizador moría
    # con un KeyError y pytest se quedaba colgado para siempre).
    carpeta = juguete.raiz / "ejercicios" / "01"
    _escribir(
        juguete.fichero("01"),
        SOLUCION
        + "\n\ndef no_para():\n    while True:\n        try:\n"
        + "            threading.Event().wait(0.05)\n        except BaseException:\n"
        + "            pass\n",
    )
    _escribir(
        carpeta / "test_limite.py",
        """\
        from taller.pruebas import cargar, si_vence_el_limite

        cuentas = cargar("cuentas")


        def test_no_para_nunca():
            si_vence_el_limite("¿Un except BaseException que se traga la interrupción?")
            cuentas.no_para()
        """,
    )
    inicio = time.monotonic()
    proceso, _ = _pytest(
        juguete,
        "ejercicios/01/test_limite.py",
        *("-p", "no:randomly", "-o", "timeout=1", "-o", "timeout_method=thread"),
    )
    salida = proceso.stdout + proceso.stderr
    assert time.monotonic() - inicio < 30, f"El límite no terminó la prueba:\n{salida}"
    assert proceso.returncode != 0, salida
    assert "Esta prueba no terminó en 1 s, el límite de cada prueba" in salida, salida
    assert "¿Un except BaseException que se traga la interrupción?" in salida, salida
    assert "KeyError" not in salida, salida


def test_el_limite_de_cada_prueba_marca_el_codigo_como_colgado(juguete):
    # Un bucle que no acaba en el hilo de la prueba (p. ej. target=self._trabajar() en
    # __init__): vence el límite de la prueba, y las siguientes con hilos (con_limite) o con
    # todos los órdenes (explorar) fallan al instante en vez de volver a colgarse.
    carpeta = juguete.raiz / "ejercicios" / "01"
    (carpeta / "test_cuentas.py").unlink()
    _escribir(
        juguete.fichero("01"),
        SOLUCION
        + "\n\ndef gira():\n    import time\n\n    while True:\n        time.sleep(0.01)\n",
    )
    _escribir(
        carpeta / "test_colgado.py",
        """\
        from taller.planificador import explorar
        from taller.pruebas import cargar, con_limite

        cuentas = cargar("cuentas")


        def test_a_se_cuelga_en_el_hilo_de_la_prueba():
            cuentas.gira()


        def test_b_con_limite():
            con_limite(5, cuentas.suma, 1, 2, que="suma(1, 2)")


        def test_c_explorar():
            explorar(lambda: cuentas.suma(1, 2), que="suma con todos los órdenes", planes=2)
        """,
    )
    salida = _salida_con_limite_de_2_s(juguete)
    assert "3 failed" in salida, salida
    assert "Esta prueba no terminó en 2 s, el límite de cada prueba" in salida, salida
    assert "suma(1, 2): no lo pruebo, porque en «test_a_se_cuelga_en_el_hilo_de_la_prueba»" in (
        salida
    ), salida
    assert "suma con todos los órdenes: no lo pruebo, porque en «test_a_se_cuelga" in salida, salida
    # solo un límite vencido: las otras dos no esperaron el suyo
    assert _fallos(salida).count("el límite de cada prueba") == 1, salida


# --- taller comprobar: si las pruebas no acaban, se cortan --------------------------------


def cortar_las_pruebas_que_no_acaban(juguete) -> tuple[str, object]:
    """Unas pruebas que no acaban, con `ejecutar_pruebas` y un límite de 15 s de reloj.

    Casi todo es esperar a que venza el límite: se hace de fondo, en su propio hilo (ver
    A_LA_VEZ_APARTE), mientras corren las demás pruebas. La marca de la prueba va en el
    entorno de los `sleep` (no en os.environ: desde un hilo de fondo se cruzaría con el de
    pytest), y así se sabe si alguno sobrevive a la ejecución.
    """
    marca = uuid.uuid4().hex
    _escribir(
        juguete.raiz / "ejercicios" / "01" / "test_eterna.py",
        f"""\
        import os
        import subprocess

        ENTORNO = {{**os.environ, "TALLER_PRUEBA_CUELGUES": "{marca}"}}


        def test_eterna():
            subprocess.Popen(["sleep", "1000"], start_new_session=True, env=ENTORNO)  # otro grupo
            subprocess.run(["sleep", "1000"], env=ENTORNO)
        """,
    )
    # 15 s: que dé tiempo a arrancar pytest y empezar la prueba en una máquina cargada.
    return marca, ejecutar_pruebas(Modulo("01", juguete.raiz), timeout=15)


A_LA_VEZ_APARTE = True
A_LA_VEZ = {
    "test_comprobar_corta_las_pruebas_que_no_acaban_y_no_deja_procesos": lambda _, fondo: (
        cortar_las_pruebas_que_no_acaban(fondo.juguete())
    )
}


def test_comprobar_corta_las_pruebas_que_no_acaban_y_no_deja_procesos(de_fondo):
    marca, resultado = de_fondo()
    assert "no terminaron en 15,0 s" in resultado.cortado, resultado
    assert "test_eterna.py::test_eterna" in resultado.cortado
    assert "pytest ejercicios/01 -x -k test_eterna" in resultado.cortado
    assert not resultado.superado
    texto = resumen(resultado, "01")
    assert "las pruebas no terminaron" in texto and "Traceback" not in texto
    assert not _vivos_con(f"TALLER_PRUEBA_CUELGUES={marca}"), "quedan procesos de la ejecución"


# --- describir_hilos, en este mismo proceso -----------------------------------------------


def test_describir_hilos_dice_la_linea_y_que_espera(tmp_path):
    fichero = tmp_path / "mio.py"
    fichero.write_text(
        "import threading\n\n\ndef esperar(semaforo):\n    semaforo.acquire()\n", encoding="utf-8"
    )
    espacio: dict = {}
    exec(compile(fichero.read_text(), str(fichero), "exec"), espacio)  # noqa: S102
    semaforo = threading.Semaphore(0)
    hilo = threading.Thread(target=espacio["esperar"], args=(semaforo,), name="ejecutor7")
    hilo.start()
    try:
        limite = time.monotonic() + 5
        while "acquire" not in (texto := cuelgues.describir_hilos([tmp_path], medir_cpu=0)):
            assert time.monotonic() < limite, texto
            time.sleep(0.01)
    finally:
        semaforo.release()
        hilo.join(5)
    assert "ejecutor7: mio.py, línea 5 (en esperar): `semaforo.acquire()`" in texto, texto
    assert "espera en Semaphore.acquire: un semáforo que nadie libera" in texto


def test_un_proceso_que_muere_mientras_se_miran_los_de_proc_se_salta(monkeypatch):
    """Mirar /proc/PID/stat de un proceso que está muriendo da ProcessLookupError (ESRCH). Aquí
    se fuerza para uno concreto, al mirar si existe y al leerlo: se salta, como uno que ya no
    está. (Con Path.glob, el error salía de descendientes() y, en make test, un caso casi bien
    lo dio como «un error al importar» su código.)"""
    import subprocess
    from pathlib import Path

    from taller import cuelgues

    hijo = subprocess.Popen(["sleep", "30"])
    try:
        muriendo = str(hijo.pid)

        def como_si_muriera(original):
            def mirar(self, *argumentos, **opciones):
                if self.parent.name == muriendo:
                    raise ProcessLookupError(3, "No such process", str(self))
                return original(self, *argumentos, **opciones)

            return mirar

        for metodo in ("exists", "read_text", "read_bytes"):
            monkeypatch.setattr(Path, metodo, como_si_muriera(getattr(Path, metodo)))
        assert hijo.pid not in cuelgues.descendientes(), "el que muere no se cuenta"
        assert hijo.pid not in cuelgues.con_marca("NO_LA_LLEVA_NADIE=1")
    finally:
        hijo.kill()
        hijo.wait()
