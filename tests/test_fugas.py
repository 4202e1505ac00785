"""La guardia de recursos (taller.fugas), en un taller de juguete.

Un módulo 01 de juguete cuya «solución» deja abierta una cosa distinta en cada prueba; se
ejecuta una vez con pytest en un proceso aparte y se mira el mensaje de cada prueba en el
informe JUnit: cada cosa que queda se nombra, y lo que abren las fixtures, lo que se cierra
bien y lo que ya está acabando no cuenta.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

# Sin los plugins de Jupyter, como el pyproject.toml del taller (nbval: 3 s de CPU al cargarse).
PYPROJECT = """\
[tool.pytest.ini_options]
addopts = "-p taller.plugin_pytest --import-mode=importlib -p no:cacheprovider -p no:randomly -p no:nbval -p no:anyio -p no:platformdirs"
timeout = 60
timeout_method = "thread"
"""

RECURSOS = '''\
import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading

GUARDADOS = []  # lo que «el alumno» deja abierto y referenciado


def abrir_fichero(ruta):
    GUARDADOS.append(open(ruta))


def perder_fichero(ruta):
    open(ruta).read()  # sin close(): Python lo recoge y avisa (ResourceWarning)


def leer_bien(ruta):
    with open(ruta) as fichero:
        return fichero.read()


def escuchar():
    servidor = socket.create_server(("127.0.0.1", 0))
    GUARDADOS.append(servidor)
    return servidor.getsockname()[1]


def conectar(puerto):
    GUARDADOS.append(socket.create_connection(("127.0.0.1", puerto)))


def conectar_bien(puerto):
    with socket.create_connection(("127.0.0.1", puerto)):
        pass


def hilo_que_no_para():
    nunca = threading.Event()
    hilo = threading.Thread(target=nunca.wait, name="ejecutor3", daemon=True)
    hilo.start()


def hilo_que_ya_acaba():
    """Un hilo al que se avisa de que pare, sin join(): acaba enseguida."""
    sigue = threading.Event()
    listo = threading.Event()

    def trabajar():
        listo.set()
        sigue.wait()

    hilo = threading.Thread(target=trabajar, name="acabando")
    hilo.start()
    listo.wait()
    sigue.set()


def hilos_bien():
    hilos = [threading.Thread(target=sum, args=([1, 2],)) for _ in range(3)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()


def hijo_que_no_acaba():
    """Un hijo que espera a que se cierre su entrada (así muere con el pytest de juguete)."""
    popen = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    GUARDADOS.append(popen)
    return popen.pid


def hijo_sin_esperar():
    popen = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, popen.pid, os.WEXITED | os.WNOWAIT)  # ya ha muerto: queda zombi
    GUARDADOS.append(popen)
    return popen.pid


def huerfano():
    """Un shell que lanza un sleep en segundo plano y sale: el sleep queda huérfano."""
    salida = subprocess.run(
        ["sh", "-c", "sleep 30 </dev/null >/dev/null 2>&1 & echo $!"],
        capture_output=True, text=True, check=True,
    )
    return int(salida.stdout)


def procesos_bien():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    with subprocess.Popen([sys.executable, "-c", "print(1)"], stdout=subprocess.PIPE) as popen:
        popen.communicate()


def base_con_with(ruta):
    with sqlite3.connect(ruta) as conexion:  # confirma, pero no cierra
        conexion.execute("CREATE TABLE IF NOT EXISTS t (x)")


def base_abierta(ruta):
    conexion = sqlite3.connect(ruta)
    conexion.execute("CREATE TABLE IF NOT EXISTS t (x)")
    GUARDADOS.append(conexion)


def base_bien(ruta):
    with contextlib.closing(sqlite3.connect(ruta)) as conexion, conexion:
        conexion.execute("CREATE TABLE IF NOT EXISTS t (x)")
'''

PRUEBAS = '''\
import os
import socket
import threading
from pathlib import Path

import pytest

from taller.pruebas import cargar, con_limite

recursos = cargar("recursos")
APUNTES = Path(os.environ["APUNTES"])


def apuntar(que, valor):
    (APUNTES / que).write_text(str(valor))


@pytest.fixture(scope="module")
def servidor_del_taller():
    """Como la flota: un servidor con su hilo, de alcance de módulo, que acepta conexiones."""
    servidor = socket.create_server(("127.0.0.1", 0))
    aceptadas = []

    def servir():
        while True:
            try:
                conexion, _ = servidor.accept()
            except OSError:
                return
            aceptadas.append(conexion)  # el extremo servidor: lo cierra el taller al final

    hilo = threading.Thread(target=servir, name="servidor-del-taller", daemon=True)
    hilo.start()
    yield servidor.getsockname()[1]
    servidor.close()
    for conexion in aceptadas:
        conexion.close()


@pytest.fixture
def fichero(tmp_path):
    ruta = tmp_path / "datos.txt"
    ruta.write_text("hola")
    with open(ruta) as abierto_por_la_fixture:
        yield ruta, abierto_por_la_fixture


def test_fichero_abierto(fichero):
    recursos.abrir_fichero(fichero[0])


def test_fichero_perdido(fichero):
    recursos.perder_fichero(fichero[0])


def test_puerto_que_escucha():
    apuntar("puerto", recursos.escuchar())


def test_conexion_abierta(servidor_del_taller):
    apuntar("puerto_del_taller", servidor_del_taller)
    recursos.conectar(servidor_del_taller)


def test_hilo_vivo():
    recursos.hilo_que_no_para()


def test_hijo_vivo():
    apuntar("hijo", recursos.hijo_que_no_acaba())


def test_zombi():
    apuntar("zombi", recursos.hijo_sin_esperar())


def test_huerfano():
    apuntar("huerfano", recursos.huerfano())


def test_base_con_with(tmp_path):
    recursos.base_con_with(tmp_path / "historial.db")


def test_base_abierta(tmp_path):
    recursos.base_abierta(tmp_path / "historial.db")


def test_todo_bien(fichero, servidor_del_taller, tmp_path):
    assert recursos.leer_bien(fichero[0]) == "hola"
    recursos.conectar_bien(servidor_del_taller)
    recursos.hilo_que_ya_acaba()
    recursos.hilos_bien()
    recursos.procesos_bien()
    recursos.base_bien(tmp_path / "bien.db")
    con_limite(5, recursos.hilos_bien, que="hilos_bien()")


def test_una_prueba_que_falla_no_se_lleva_ademas_la_guardia():
    recursos.hilo_que_no_para()
    assert False, "falla por su cuenta"


def test_la_siguiente_no_carga_con_lo_de_la_anterior():
    pass


def test_una_que_falla_con_un_popen_sin_esperar_en_sus_variables():
    import subprocess
    import sys

    proceso = subprocess.Popen([sys.executable, "-c", "pass"], stdout=subprocess.PIPE)
    assert proceso is None, "falla con un Popen sin esperar"


def test_la_siguiente_no_carga_con_el_popen_de_la_anterior():
    pass
'''

NO_EJERCICIO = """\
import threading


def test_fuera_de_ejercicios_no_hay_guardia():
    threading.Thread(target=threading.Event().wait, daemon=True).start()
"""


@pytest.fixture(scope="module")
def ejecucion(tmp_path_factory):
    """Ejecuta el pytest de juguete una vez; devuelve ({prueba: mensaje o None}, apuntes)."""
    raiz = tmp_path_factory.mktemp("taller")
    apuntes = tmp_path_factory.mktemp("apuntes")
    (raiz / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for ruta, texto in (
        ("soluciones/01/recursos.py", RECURSOS),
        ("ejercicios/01/recursos.py", "# el esqueleto, que aquí no se usa\n"),
        ("ejercicios/01/test_recursos.py", PRUEBAS),
        ("tests/test_otro.py", NO_EJERCICIO),
    ):
        (raiz / ruta).parent.mkdir(parents=True, exist_ok=True)
        (raiz / ruta).write_text(textwrap.dedent(texto), encoding="utf-8")
    informe = raiz / "informe.xml"
    proceso = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "ejercicios/01",
            "tests",
            "--soluciones",
            f"--junitxml={informe}",
        ],
        cwd=raiz,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "APUNTES": str(apuntes)},
        check=False,
    )
    mensajes = {}
    for caso in ET.parse(informe).getroot().iter("testcase"):
        fallo = caso.find("failure")
        mensajes[caso.get("name")] = (
            None if fallo is None else fallo.get("message", "").removeprefix("Failed: ")
        )
    yield mensajes, apuntes, proceso.stdout
    huerfano = apuntes / "huerfano"
    if huerfano.exists():  # la guardia lo nombra, pero no lo mata: que no quede corriendo
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(huerfano.read_text()), signal.SIGKILL)


def mensaje(ejecucion, prueba):
    mensajes, _, salida = ejecucion
    assert mensajes.get(prueba) is not None, f"{prueba} debería fallar, y no falla:\n{salida}"
    assert mensajes[prueba].startswith("La prueba pasa, pero al terminar "), mensajes[prueba]
    return mensajes[prueba]


def apunte(ejecucion, que):
    return (ejecucion[1] / que).read_text()


def test_un_fichero_abierto_se_nombra(ejecucion):
    texto = mensaje(ejecucion, "test_fichero_abierto")
    assert re.search(r"el fichero /\S*/datos\.txt sigue abierto", texto), texto
    assert "with open(" in texto, texto
    assert texto.count("datos.txt") == 1, f"el de la fixture no cuenta: {texto}"


def test_un_fichero_que_se_pierde_sin_cerrar_avisa(ejecucion):
    texto = mensaje(ejecucion, "test_fichero_perdido")
    assert re.search(r"el fichero /\S*/datos\.txt se perdió sin cerrarlo", texto), texto


def test_un_puerto_que_escucha_se_nombra(ejecucion):
    texto = mensaje(ejecucion, "test_puerto_que_escucha")
    assert f"el puerto {apunte(ejecucion, 'puerto')} sigue escuchando" in texto, texto


def test_una_conexion_abierta_se_nombra_y_el_servidor_del_taller_no(ejecucion):
    texto = mensaje(ejecucion, "test_conexion_abierta")
    puerto = apunte(ejecucion, "puerto_del_taller")
    assert f"una conexión de red con 127.0.0.1:{puerto} sigue abierta" in texto, texto
    assert texto.count(puerto) == 1, f"ni su puerto ni el extremo servidor cuentan: {texto}"
    assert "servidor-del-taller" not in texto, texto


def test_un_hilo_vivo_se_nombra_con_su_linea(ejecucion):
    texto = mensaje(ejecucion, "test_hilo_vivo")
    assert "el hilo ejecutor3 sigue vivo" in texto, texto
    assert "join()" in texto, texto


def test_un_hijo_vivo_y_sus_tuberias_se_nombran(ejecucion):
    texto = mensaje(ejecucion, "test_hijo_vivo")
    pid = apunte(ejecucion, "hijo")
    assert f"el proceso hijo {pid} (python -c import sys; sys.stdin.read()) sigue vivo" in texto
    assert f"las tuberías de un Popen (pid {pid}) siguen abiertas" in texto, texto


def test_un_hijo_sin_esperar_es_un_zombi(ejecucion):
    texto = mensaje(ejecucion, "test_zombi")
    assert f"el proceso hijo {apunte(ejecucion, 'zombi')} (python" in texto, texto
    assert "zombi" in texto, texto


def test_un_huerfano_se_encuentra_por_la_marca(ejecucion):
    texto = mensaje(ejecucion, "test_huerfano")
    assert f"el proceso {apunte(ejecucion, 'huerfano')} (sleep 30) sigue vivo" in texto, texto
    assert "no es hijo directo" in texto, texto


def test_una_base_con_with_sin_close_se_nombra(ejecucion):
    texto = mensaje(ejecucion, "test_base_con_with")
    assert re.search(r"la base de datos /\S*/historial\.db \(abierta en recursos\.py:\d+\)", texto)
    assert "NO cierra la conexión" in texto, texto


def test_una_base_abierta_se_nombra(ejecucion):
    texto = mensaje(ejecucion, "test_base_abierta")
    assert re.search(r"la base de datos /\S*/historial\.db sigue abierta", texto), texto


def test_lo_que_se_cierra_bien_o_ya_acaba_no_cuenta(ejecucion):
    mensajes, _, salida = ejecucion
    assert mensajes["test_todo_bien"] is None, mensajes["test_todo_bien"]


def test_una_prueba_que_ya_falla_no_suma_la_guardia_ni_culpa_a_la_siguiente(ejecucion):
    mensajes, _, _ = ejecucion
    propio = mensajes["test_una_prueba_que_falla_no_se_lleva_ademas_la_guardia"]
    assert propio is not None and "falla por su cuenta" in propio, propio
    assert "sigue vivo" not in propio, propio
    assert mensajes["test_la_siguiente_no_carga_con_lo_de_la_anterior"] is None
    # La traza de la que falla (sys.last_traceback) guarda su Popen hasta la prueba siguiente:
    # sus tuberías perdidas no son cosa de esa.
    assert mensajes["test_la_siguiente_no_carga_con_el_popen_de_la_anterior"] is None, mensajes[
        "test_la_siguiente_no_carga_con_el_popen_de_la_anterior"
    ]


def test_las_pruebas_que_no_son_de_ejercicios_no_tienen_guardia(ejecucion):
    mensajes, _, _ = ejecucion
    assert mensajes["test_fuera_de_ejercicios_no_hay_guardia"] is None
