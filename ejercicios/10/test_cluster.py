"""Pruebas del módulo 10. Van en el orden en que conviene escribir el código:
conectar → arrancar_cluster → ronda_en_el_cluster / resultado_de / ronda_con_map → ronda_distribuida →
ComprobarYApuntar → un worker en un contenedor.

Ejecútalas con:  pytest ejercicios/10

Son piezas de verdad en 127.0.0.1: un scheduler (`dask scheduler`) y dos workers (`dask
worker`, 5 hilos cada uno), procesos aparte como si fueran otras máquinas, y la flota del
taller. Arrancarlos cuesta unos segundos (cada proceso importa Dask): se arrancan una vez para
todo el fichero. Las pruebas de los pasos 3 a 6 usan tu inventario.py y tu ronda.py del módulo
09 (ejercicios/09): si aún no lo has terminado, te dicen «termina antes el 09» y qué le falta.
Ninguna prueba mide tiempos: se compara con lo que da la ronda del 09 con su
ThreadPoolExecutor sobre la misma flota, se cuentan las peticiones que recibe cada servidor y,
para matar un worker a mitad de ronda o dejar una tarea colgada, las tareas esperan en una
«puerta» (un socket de esta prueba) que la prueba abre cuando toca.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cloudpickle
import distributed  # ver abajo
import pytest
import requests

from taller import contenedores, cuelgues
from taller.flota import flota
from taller.pruebas import (
    aceptar_en_un_hilo,
    cargar,
    cargar_del_modulo,
    carpeta_de_codigo,
    con_limite,
    lanza,
)

# Dask tarda en importarse (más de 3 s con la máquina cargada) y tu cluster.py tiene 3 s para
# cargarse: se importa aquí antes, para que ese límite mida tu código y no el de Dask.
cluster = cargar("cluster")


def sin_ejecutor(ronda_del_09):
    """Lo que le falta a la ronda del 09 para el 10: el parámetro `ejecutor=` (o None)."""
    funcion = getattr(ronda_del_09, "ronda", None)
    if funcion is None:
        return "no hay ninguna función ronda(servidores, concurrencia, comprobar, ejecutor)"
    try:
        parametros = inspect.signature(funcion).parameters
    except (TypeError, ValueError):
        return None
    if "ejecutor" in parametros:
        return None
    return (
        f"ronda({', '.join(parametros)}) no tiene el parámetro `ejecutor=` (con él, la ronda usa "
        "el Executor que le dan en vez de crear su ThreadPoolExecutor: el paso 2 del 09)"
    )


# Tu monitor del módulo 09 (ejercicios/09; con --soluciones, soluciones/09): el mismo que usa tu
# cluster.py. Se carga en la primera prueba que lo usa; si no está terminado, esa prueba lo dice.
inventario = cargar_del_modulo("09", "inventario")
ronda = cargar_del_modulo("09", "ronda", falta=sin_ejecutor)

# Arrancar procesos de Dask en una máquina cargada tarda (visto: 27 s para scheduler y dos
# workers con carga 11 en 2 núcleos); el límite de 20 s por prueba no basta para el primero.
pytestmark = pytest.mark.timeout(180)

DASK = str(Path(sys.executable).with_name("dask"))
ARRANQUE = 120  # segundos como mucho para que el scheduler y los workers estén listos
LIMITE = 90  # segundos como mucho para una ronda (la máquina puede estar muy cargada)
TIMEOUT = 2.0  # por comprobación: un servidor sano de la flota contesta en 0,05 s
AVERIAS = {"error_500": 0.1, "html": 0.1, "otro_nombre": 0.1, "puerto_cerrado": 0.1}

# Las clases de este fichero (las puertas) viajan a los workers por valor: los workers no
# pueden importar este fichero de pruebas.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def direccion_nueva():
    """Dónde arrancar un scheduler nuevo (o dónde no hay ninguno): 127.0.0.1, un puerto libre."""
    return f"tcp://127.0.0.1:{puerto_libre()}"


def parar(proceso, segundos=30):
    # Los procesos de Dask de las pruebas no guardan nada: se matan sin más (SIGKILL) y se
    # esperan. Con terminate() cada worker se despide del scheduler y tarda segundos.
    if proceso.poll() is None:
        proceso.kill()
    proceso.wait(segundos)


# Por omisión, cada proceso de Dask mira su bucle de eventos cada 20 ms, se perfila cada 10 ms y
# mide la máquina y su memoria varias veces por segundo: en los de las pruebas, que pasan casi todo
# el tiempo esperando, eso era la mitad de su CPU (medido: 1 scheduler y 2 workers, 30 s
# quietos). Nada de lo que comprueban las pruebas depende de esas medidas.
SIN_MEDIDAS = {
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "5s",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__GIL__ENABLED": "False",
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "1s",
}


def arrancar_scheduler():
    """Un `dask scheduler` y su dirección. El puerto lo elige él (--port 0) y lo escribe en su
    --scheduler-file: elegir antes un puerto libre y pasárselo deja un hueco en el que otro
    proceso de la máquina puede ocuparlo (pasó: el Client de las pruebas acabó hablando con otro)."""
    with tempfile.TemporaryDirectory(prefix="taller-10-pruebas-") as carpeta:
        fichero = Path(carpeta) / "scheduler.json"
        proceso = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0"]
            + ["--scheduler-file", str(fichero), "--no-dashboard", "--no-show"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, **SIN_MEDIDAS),
        )
        try:
            return proceso, con_limite(
                ARRANQUE, direccion_en, fichero, proceso, que="el scheduler de las pruebas"
            )
        except BaseException:
            parar(proceso)
            raise


def direccion_en(fichero, scheduler):
    """La dirección que escribe el scheduler en su fichero (lo crea vacío y lo escribe después)."""
    while scheduler.poll() is None:
        with contextlib.suppress(OSError, ValueError, KeyError):
            return json.loads(fichero.read_text())["address"]
        time.sleep(0.05)
    pytest.fail(f"El scheduler de las pruebas acabó con código {scheduler.returncode} al arrancar")


def carpetas_del_codigo():
    """La carpeta de tu cluster.py y la de tu 09 (sin cargar el 09: los pasos 1 y 2 no lo usan)."""
    return [carpeta_de_codigo(Path(__file__).parent), inventario.carpeta]


def arrancar_worker(direccion, nombre):
    # PYTHONPATH: el worker puede importar cluster.py del ejercicio y inventario.py y ronda.py
    # de tu 09, como haría una máquina de verdad con el código instalado.
    entorno = dict(
        os.environ, **SIN_MEDIDAS, PYTHONPATH=os.pathsep.join(map(str, carpetas_del_codigo()))
    )
    return subprocess.Popen(
        [DASK, "worker", direccion, "--nthreads", "5", "--no-nanny", "--no-dashboard"]
        + ["--host", "127.0.0.1", "--name", nombre, "--death-timeout", "60"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=entorno,
    )


def calentar(direccion, workers):
    """Un Client de las pruebas que espera a los workers y hace que cada uno ejecute algo.

    Lo que Dask arranca una sola vez por proceso (hilos de ayuda) se arranca aquí, antes de
    las pruebas: si no, la guardia de recursos se lo achacaría a la primera prueba.
    """
    from distributed import Client

    observador = Client(direccion, timeout=ARRANQUE, set_as_default=False)
    try:
        observador.wait_for_workers(workers, timeout=ARRANQUE)
        observador.submit(sum, [1, 2], pure=False).result(ARRANQUE)
        otro = Client(direccion, timeout=ARRANQUE, set_as_default=False)
        otro.get_executor(pure=False).submit(sum, [1]).result(ARRANQUE)
        otro.map(sum, [[1], [2]], pure=False)[0].result(ARRANQUE)
        otro.close()
    except BaseException:
        observador.close()
        raise
    return observador


@dataclass
class Cluster:
    direccion: str
    observador: object  # un Client de las pruebas, para mirar qué hace el scheduler
    workers: list


def sin_empezar(direccion):
    """¿Está conectar sin hacer? Entonces no se arranca nada: las pruebas llaman a tu código
    igual y fallan con su TODO, en un segundo y no en veinte."""
    try:
        cluster.conectar(direccion, 0.2)
    except NotImplementedError:
        return True
    except Exception:  # noqa: BLE001 - lo que haga conectar mal lo dicen sus pruebas
        pass
    return False


@pytest.fixture(scope="module")
def un_cluster():
    direccion = direccion_nueva()
    if sin_empezar(direccion):
        yield Cluster(direccion, None, [])
        return
    scheduler, direccion = arrancar_scheduler()
    workers = [arrancar_worker(direccion, f"worker-{i}") for i in (1, 2)]
    observador = None
    try:
        observador = con_limite(
            ARRANQUE + 10, calentar, direccion, 2, que="arrancar el scheduler y dos workers"
        )
        yield Cluster(direccion, observador, workers)
    finally:
        if observador is not None:
            observador.close()
        for proceso in [*workers, scheduler]:
            parar(proceso)


@pytest.fixture(scope="module")
def la_flota():
    with flota(servidores=30, latencia=0.05, semilla=10, averias=AVERIAS) as f:
        yield f


def servidores_de(una_flota):
    """El inventario de la flota, ya en clases (las del 09): una comprobación por servidor."""
    return [
        inventario.Servidor(
            s.nombre,
            ("127.0.0.1",),
            (),
            (inventario.Comprobacion("http", s.puerto, "/salud", TIMEOUT),),
        )
        for s in una_flota.servidores
    ]


def lo_esencial(resultados):
    """Lo que se compara de cada resultado: todo menos los segundos (cambian cada vez)."""
    return [(r.servidor, r.comprobacion, r.ok, r.motivo) for r in resultados or []]


@pytest.fixture(scope="module")
def referencia(la_flota):
    """referencia(): lo que da la ronda del 09, con su ThreadPoolExecutor(10), sobre la misma
    flota. Se calcula en la primera prueba que la pide (con el 09 sin terminar, esa prueba lo
    dice, en vez de un error al preparar la prueba) y se guarda para las demás."""
    guardada = []

    def calcular():
        if not guardada:
            guardada.append(lo_esencial(ronda.ronda(servidores_de(la_flota), 10)))
        return guardada[0]

    return calcular


def comparar(obtenido, referencia, que):
    obtenido = lo_esencial(obtenido)
    faltan = sorted({r[0] for r in referencia} - {r[0] for r in obtenido})
    assert not faltan, f"{que}: faltan los resultados de {faltan[:5]} (de {len(referencia)})"
    distintos = [f"{o} en vez de {r}" for o, r in zip(obtenido, referencia, strict=False) if o != r]
    assert obtenido == referencia, (
        f"{que}: no da lo mismo que la ronda del 09 con un ThreadPoolExecutor sobre la misma "
        f"flota (un resultado por comprobación, en el orden del inventario): "
        f"{distintos[:3] or obtenido[:3]}"
    )


def peticiones_una_vez(la_flota, que):
    por_servidor = la_flota.estadisticas.por_servidor
    escuchan = [s.nombre for s in la_flota.servidores if s.averia != "puerto_cerrado"]
    mal = {n: por_servidor.get(n, 0) for n in escuchan if por_servidor.get(n, 0) != 1}
    assert not mal, (
        f"{que}: cada servidor debe recibir exactamente una petición; peticiones recibidas "
        f"por los que no: {dict(list(mal.items())[:5])}"
    )


@contextlib.contextmanager
def abierto(un_cluster):
    """Un Client de la prueba, que se cierra dentro de la prueba: sus conexiones al scheduler
    son de la prueba, no de tu código. Sin cluster (el ejercicio sin empezar), None."""
    from distributed import Client

    if un_cluster.observador is None:
        yield None
        return
    uno = Client(un_cluster.direccion, timeout=ARRANQUE, set_as_default=False)
    try:
        yield uno
    finally:
        uno.close()


def en_el_cluster(un_cluster, funcion, servidores, que, **opciones):
    """`funcion(cliente, servidores, **opciones)` de tu código (una ronda) con un Client de la
    prueba (ver abierto), con su límite; `que` la nombra si no acaba."""
    __tracebackhide__ = True
    with abierto(un_cluster) as cliente:
        return con_limite(LIMITE, funcion, cliente, servidores, que=que, **opciones)


@contextlib.contextmanager
def a_la_vez(puerta, hacer, nombre):
    """Con `hacer` en marcha en otro hilo (`nombre`): al salir, pase lo que pase, abre la puerta
    (nada se queda esperando en ella) y espera a ese hilo."""
    hilo = threading.Thread(target=hacer, name=nombre)
    hilo.start()
    try:
        yield
    finally:
        puerta.abrir()
        hilo.join(ARRANQUE)


# Las comprobaciones de las pruebas: se pasan como `comprobar=` y viajan a los workers.


@dataclass(frozen=True)
class LanzaEn:
    """Comprueba con `comprobar`, salvo en `roto`, donde lanza un ValueError (un fallo nuestro)."""

    comprobar: object
    roto: str

    def __call__(self, servidor, comprobacion):
        if servidor.nombre == self.roto:
            raise ValueError(f"fallo de prueba en {self.roto}")
        return self.comprobar(servidor, comprobacion)


class Puerta:
    """Un socket en 127.0.0.1. Una tarea dice «espera PID NOMBRE» y espera a que se abra, o
    «hecho PID NOMBRE» (y sigue). La prueba mira quién llegó y abre cuando le toca."""

    def __init__(self):
        self.servidor = socket.create_server(("127.0.0.1", 0))
        self.puerto = self.servidor.getsockname()[1]
        self.abierta = False
        self.cambio = threading.Condition()
        self.esperan = []  # (pid, nombre) de las que han llegado a esperar
        self.hechos = []  # nombres de las que avisaron de que acabaron
        self.en_espera = []
        self.hilo = aceptar_en_un_hilo(self.servidor, self._atender, "puerta")

    def _atender(self, conexion):
        with conexion.makefile("r") as lectura:
            que, pid, nombre = lectura.readline().split()
        with self.cambio:
            if que == "hecho":
                self.hechos.append(nombre)
            else:
                self.esperan.append((int(pid), nombre))
            self.cambio.notify_all()
            if que == "hecho" or self.abierta:
                conexion.sendall(b"1")
                conexion.close()
            else:
                self.en_espera.append(conexion)

    def esperar(self, condicion, segundos):
        with self.cambio:
            return self.cambio.wait_for(lambda: condicion(self), segundos)

    def abrir(self):
        with self.cambio:
            self.abierta = True
            self.cambio.notify_all()
            for conexion in self.en_espera:
                with contextlib.suppress(OSError):
                    conexion.sendall(b"1")
                conexion.close()
            self.en_espera.clear()

    def cerrar(self):
        self.abrir()
        # close() a secas no despierta al accept() de otro hilo; shutdown() sí (en Linux).
        with contextlib.suppress(OSError):
            self.servidor.shutdown(socket.SHUT_RDWR)
        self.servidor.close()
        self.hilo.join(10)
        assert not self.hilo.is_alive(), "La puerta de la prueba no se cerró en 10 s"


def avisar(puerto, que, nombre):
    with socket.create_connection(("127.0.0.1", puerto), timeout=300) as s:
        s.sendall(f"{que} {os.getpid()} {nombre}\n".encode())
        s.recv(1)


@dataclass(frozen=True)
class EsperaEn:
    """Comprueba con `comprobar`; la de `quien` (o todas, si es None) espera antes en la puerta.
    Las demás avisan al acabar («hecho»). Con `despues`, esperan después de comprobar."""

    comprobar: object
    puerto: int
    quien: str | None = None
    despues: bool = False

    def __call__(self, servidor, comprobacion):
        espera = self.quien is None or servidor.nombre == self.quien
        if espera and not self.despues:
            avisar(self.puerto, "espera", servidor.nombre)
        resultado = self.comprobar(servidor, comprobacion)
        if espera and self.despues:
            avisar(self.puerto, "espera", servidor.nombre)
        elif not espera:
            avisar(self.puerto, "hecho", servidor.nombre)
        return resultado


@pytest.fixture
def puerta():
    una = Puerta()
    yield una
    una.cerrar()


# --- Paso 1: conectar con el scheduler (cuaderno: 1) -----------------------------------------


def test_conectar_da_un_cliente_que_ve_los_dos_workers(un_cluster):
    uno = con_limite(60, cluster.conectar, un_cluster.direccion, 30, que="conectar(direccion)")
    try:
        workers = uno.scheduler_info()["workers"]
        assert len(workers) == 2, (
            f"conectar({un_cluster.direccion!r}) debía dar un Client de ese scheduler, que tiene "
            f"2 workers; el cliente ve {len(workers)}"
        )
    finally:
        uno.close()


def test_conectar_sin_scheduler_da_un_error_en_espanol_con_la_direccion():
    direccion = direccion_nueva()
    error = lanza(
        cluster.SchedulerInalcanzable,
        f"conectar({direccion!r}, timeout=0.5)",
        lambda: con_limite(30, cluster.conectar, direccion, 0.5, que="conectar sin scheduler"),
        "Dask lanza OSError («Timed out trying to connect...»): tradúcelo a SchedulerInalcanzable.",
    )
    assert direccion in str(error), (
        f"El mensaje de SchedulerInalcanzable debe decir la dirección ({direccion}); dice: «{error}»"
    )


# --- Paso 2: arrancar el scheduler y los workers con subprocess (cuaderno: 2) ----------------


class Espia:
    """Apunta cada subprocess.Popen que lanza tu código (la orden y si pidió shell) y lo lanza."""

    def __init__(self, original):
        self.original = original
        self.llamadas = []

    def __call__(self, orden, *args, **kwargs):
        self.llamadas.append((orden, kwargs.get("shell", False)))
        return self.original(orden, *args, **kwargs)


def pedir(puerto):
    """Una comprobación de las pruebas, sin nada del 09 (el paso 2 no lo necesita): el código
    HTTP de un servidor de la flota, o el tipo de error."""
    try:
        return requests.get(f"http://127.0.0.1:{puerto}/salud", timeout=TIMEOUT).status_code
    except requests.RequestException as error:
        return type(error).__name__


PUERTO_DE_DASK = 8786  # el del scheduler si no se le da --port


@contextlib.contextmanager
def puerto_de_dask_ocupado():
    """Escucha en 127.0.0.1:8786 mientras dura el with (si ya escucha otro, ya está ocupado)."""
    ocupante = socket.socket()
    try:
        ocupante.bind(("127.0.0.1", PUERTO_DE_DASK))
        ocupante.listen()
    except OSError:
        pass  # otro programa de esta máquina ya lo tiene: ocupado igual
    try:
        yield
    finally:
        ocupante.close()


def test_arrancar_cluster_lanza_procesos_que_sirven_para_una_ronda_y_parar_no_deja_nada(
    un_cluster, la_flota, monkeypatch
):
    # un_cluster: el de las pruebas, ya calentado; así lo que Dask arranca una sola vez en este
    # proceso (sus hilos de ayuda) no se le achaca a esta prueba.
    espia = Espia(subprocess.Popen)
    monkeypatch.setattr(subprocess, "Popen", espia)
    # Mientras arranca, el puerto por omisión de Dask (8786) lo tiene otro programa, como en una
    # máquina con otro cluster: con --port 0 da igual; con un puerto fijo, no arranca.
    with puerto_de_dask_ocupado():
        try:
            arrancado, no_arranca = (
                con_limite(
                    ARRANQUE + 10,
                    cluster.arrancar_cluster,
                    2,
                    5,
                    ARRANQUE,
                    que="arrancar_cluster(workers=2, hilos=5)",
                ),
                None,
            )
        except cluster.ClusterNoArranca as error:
            arrancado, no_arranca = None, error  # el fallo, fuera del except: sin la traza
    monkeypatch.undo()
    if no_arranca is not None:
        pytest.fail(
            f"arrancar_cluster(workers=2, hilos=5) no arrancó con el puerto {PUERTO_DE_DASK} (el "
            f"de Dask por omisión) ocupado por otro programa: «{no_arranca}». ¿Un puerto fijo (o "
            "sin --port, que es el 8786)? Con --port 0 el sistema elige uno libre y el scheduler "
            "lo escribe en su --scheduler-file.",
            pytrace=False,
        )
    procesos = list(getattr(arrancado, "procesos", []))
    direccion = getattr(arrancado, "direccion", None)
    try:
        # Si otro programa tenía ya el 8786 (otra prueba a la vez), el de arriba no lo ocupa y el
        # scheduler pudo quedárselo al soltarlo el otro: la dirección lo dice igual. Con --port 0
        # nunca sale el 8786 (el sistema da puertos libres de su rango, desde el 32768 en Linux).
        assert not str(direccion).endswith(f":{PUERTO_DE_DASK}"), (
            f"arrancar_cluster dejó el scheduler en {direccion}, el puerto {PUERTO_DE_DASK} de "
            "Dask por omisión: un puerto fijo (o sin --port) no arranca si otro programa lo "
            "tiene. Con --port 0 el sistema elige uno libre y el scheduler lo escribe en su "
            "--scheduler-file."
        )
        con_shell = [orden for orden, shell in espia.llamadas if shell or isinstance(orden, str)]
        assert not con_shell, (
            "Cada orden se lanza como en el módulo 06: una lista, sin shell "
            f"(subprocess.Popen([python, '-m', ...])); llegó {con_shell[:1]}"
        )
        assert len(procesos) == 3 and os.getpid() not in {p.pid for p in procesos}, (
            "arrancar_cluster(workers=2) debe dar en .procesos los Popen del scheduler y de los "
            f"2 workers (3 procesos aparte); da {procesos}"
        )
        uno = con_limite(60, cluster.conectar, direccion, 30, que=f"conectar({direccion!r})")
        try:
            workers = uno.scheduler_info()["workers"]
            assert len(workers) == 2, (
                f"Nada más volver arrancar_cluster(workers=2), el scheduler de {direccion} debe "
                f"tener los 2 workers apuntados; tiene {len(workers)}: ¿esperas a que se "
                "apunten (wait_for_workers) antes de devolver?"
            )
            hilos = sum(uno.nthreads().values())
            assert hilos == 10, f"2 workers de 5 hilos son 10 hilos; el scheduler cuenta {hilos}"
            puertos = [s.puerto for s in la_flota.servidores]
            with ThreadPoolExecutor(10) as en_hilos:
                esperado = list(en_hilos.map(pedir, puertos))
            la_flota.reiniciar_estadisticas()
            obtenido = con_limite(
                LIMITE,
                lambda: list(uno.get_executor(pure=False).map(pedir, puertos)),
                que="una ronda de las pruebas en tu cluster",
            )
        finally:
            uno.close()
        assert obtenido == esperado, (
            "Una ronda de las pruebas (una petición a cada servidor de la flota) en el cluster de "
            f"arrancar_cluster debía dar lo mismo que en hilos, {esperado[:4]}...; dio "
            f"{obtenido[:4]}..."
        )
        peticiones_una_vez(la_flota, "una ronda de las pruebas en el cluster de arrancar_cluster")
    finally:
        con_limite(60, arrancado.parar, que="parar() el cluster de arrancar_cluster")
    sin_esperar = [p.pid for p in procesos if p.returncode is None]
    assert not sin_esperar, (
        f"Tras parar(), los procesos {sin_esperar} no se han esperado (wait()): un proceso "
        "terminado que nadie espera queda zombi"
    )
    _, _, puerto = direccion.rpartition(":")
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", int(puerto)), 5):
        pytest.fail(f"Tras parar(), el scheduler sigue escuchando en {direccion}: ¿no lo terminas?")


@pytest.mark.parametrize(
    ("argumentos", "tipo", "nombrado"),
    [
        ({"workers": 0}, ValueError, "0"),
        ({"hilos": "5"}, ValueError, "'5'"),
        ({"python": "/no/existe/python3"}, "ClusterNoArranca", "/no/existe/python3"),
    ],
    ids=["cero_workers", "hilos_en_texto", "un_python_que_no_existe"],
)
def test_arrancar_cluster_con_un_valor_malo_da_un_error_en_espanol(argumentos, tipo, nombrado):
    tipo = getattr(cluster, tipo) if isinstance(tipo, str) else tipo
    llamada = f"arrancar_cluster({', '.join(f'{k}={v!r}' for k, v in argumentos.items())})"
    error = lanza(
        tipo,
        llamada,
        lambda: con_limite(
            ARRANQUE, cluster.arrancar_cluster, timeout=30, **argumentos, que=llamada
        ),
        "Comprueba los valores antes de lanzar nada; lo que no arranca, con el error del taller.",
    )
    assert nombrado in str(error), (
        f"El mensaje de {llamada} debe nombrar el valor que falla ({nombrado}); dice: «{error}»"
    )


def python_con_otros_workers(ruta: Path, worker: str) -> Path:
    """Un «python» para arrancar_cluster: el scheduler arranca de verdad (el Python de las
    pruebas), y cada worker, en su lugar, hace la orden de shell `worker`."""
    ruta.write_text(
        f'#!/bin/sh\ncase "$*" in *dask_worker*) {worker};; esac\nexec {sys.executable} "$@"\n'
    )
    ruta.chmod(0o755)
    return ruta


def no_arranca(llamada, con_que, argumentos, limite, por_que, si_no_acaba=None):
    """`arrancar_cluster(*argumentos)` (`llamada`, escrita como la escribiría el alumno, `con_que`
    lo que tiene de raro) debe lanzar ClusterNoArranca antes de `limite` s; `por_que`: qué hacer si
    no lo lanza, `si_no_acaba`: si no vuelve. Devuelve el error."""
    __tracebackhide__ = True
    return lanza(
        cluster.ClusterNoArranca,
        f"{llamada} {con_que}",
        lambda: con_limite(
            limite, cluster.arrancar_cluster, *argumentos, que=llamada, pista=si_no_acaba
        ),
        por_que,
    )


def test_un_worker_que_no_arranca_da_un_error_en_espanol_y_no_deja_nada(un_cluster, tmp_path):
    # Un «python» que arranca el scheduler de verdad, pero con el que cada worker acaba nada más
    # empezar (código 3): como una máquina sin Dask instalado.
    python = python_con_otros_workers(tmp_path / "python-sin-workers", "exit 3")
    error = no_arranca(
        f"arrancar_cluster(workers=2, python={str(python)!r})",
        "con unos workers que acaban nada más empezar",
        (2, 5, ARRANQUE, str(python)),
        ARRANQUE + 10,
        "Mientras esperas a los workers, mira si alguno ya acabó (poll()): no van a llegar.",
    )
    assert "worker" in str(error) and "3" in str(error), (
        "El mensaje debe decir qué faltó: qué worker acabó antes de apuntarse y con qué código "
        f"(3); dice: «{error}»"
    )


def test_arrancar_cluster_se_rinde_a_su_timeout_si_los_workers_no_se_apuntan(tmp_path):
    # Un «python» con el que el scheduler arranca de verdad, pero cada worker se queda parado
    # sin llegar a apuntarse (ni acaba ni habla con el scheduler): arrancar_cluster tiene que
    # rendirse a los `timeout` segundos que le dan, con ClusterNoArranca, y no dejar nada.
    python = python_con_otros_workers(tmp_path / "python-con-workers-mudos", "exec sleep 120")
    # 2 s: lo que haga falta para que el scheduler arranque da igual (si no llega a escribir su
    # dirección a tiempo, también es ClusterNoArranca); cada segundo más es espera de reloj.
    timeout = 2
    error = no_arranca(
        f"arrancar_cluster(workers=1, timeout={timeout}, python={str(python)!r})",
        "con un worker que nunca se apunta",
        (1, 5, timeout, str(python)),
        timeout + 10,  # holgado: parar lo lanzado cuesta ~1 s; uno fijo de 60 s cae aquí
        "Si los workers no se apuntan a tiempo, termina lo lanzado y lanza ClusterNoArranca.",
        si_no_acaba=(
            f"Le dieron timeout={timeout}: a los {timeout} s (y lo que tarde en parar lo "
            "lanzado) tiene que rendirse con ClusterNoArranca. ¿Cuentas el límite desde que "
            "empiezas, con el timeout que te pasan (no uno fijo), y esperas a los workers en "
            "tramos cortos (wait_for_workers(..., timeout=...))? Sin timeout espera para siempre."
        ),
    )
    assert "worker" in str(error).lower() or "scheduler" in str(error).lower(), (
        f"El mensaje debe decir qué faltó (los workers que no se apuntaron); dice: «{error}»"
    )


# --- Paso 3: la ronda del 09 en el cluster (cuaderno: 3) -------------------------------------


def ronda_contra_la_flota(nombre, un_cluster, la_flota, referencia):
    """Una ronda tuya contra la flota: lo mismo que la del 09, una petición por servidor."""
    esperado = referencia()  # antes de contar peticiones: la del 09 también pregunta
    la_flota.reiniciar_estadisticas()
    obtenido = en_el_cluster(
        un_cluster,
        getattr(cluster, nombre),
        servidores_de(la_flota),
        f"{nombre}(cliente, servidores)",
    )
    comparar(obtenido, esperado, nombre)
    peticiones_una_vez(la_flota, nombre)


@pytest.mark.parametrize("nombre", ["ronda_en_el_cluster", "ronda_con_map"])
def test_la_ronda_en_el_cluster_da_lo_mismo_que_la_del_09(nombre, un_cluster, la_flota, referencia):
    ronda_contra_la_flota(nombre, un_cluster, la_flota, referencia)


def una_comprobacion_que_lanza(nombre, un_cluster, la_flota):
    servidores = servidores_de(la_flota)[:4]
    roto = servidores[1].nombre
    obtenido = en_el_cluster(
        un_cluster,
        getattr(cluster, nombre),
        servidores,
        f"{nombre} con una comprobación que lanza ValueError en su worker",
        comprobar=LanzaEn(ronda.comprobar, roto),
    )
    nombres = [r.servidor for r in obtenido or []]
    assert nombres == [s.nombre for s in servidores], (
        f"{nombre}: una comprobación que lanza en su worker no se pierde ni para la ronda: debe "
        f"haber un resultado por servidor, en orden; llegó {nombres} (¿te tragas la excepción?)"
    )
    rota = obtenido[1]
    esperado = f"{ronda.ERROR_INESPERADO}: ValueError: fallo de prueba en {roto}"
    assert not rota.ok and rota.motivo == esperado, (
        f"{nombre}: la comprobación que lanzó en su worker sale como en el 09, ok=False y motivo "
        f"«{esperado}» (el tipo y el mensaje del error, que no se pierde); llegó {rota!r}"
    )


@pytest.mark.parametrize("nombre", ["ronda_en_el_cluster", "ronda_con_map"])
def test_una_excepcion_en_el_worker_sale_como_error_inesperado(nombre, un_cluster, la_flota):
    una_comprobacion_que_lanza(nombre, un_cluster, la_flota)


# --- Paso 4: submit, as_completed, un límite y nombres (cuaderno: 4) -------------------------


def test_ronda_distribuida_da_lo_mismo_que_la_del_09(un_cluster, la_flota, referencia):
    ronda_contra_la_flota("ronda_distribuida", un_cluster, la_flota, referencia)


def test_ronda_distribuida_no_pierde_la_excepcion_de_un_worker(un_cluster, la_flota):
    una_comprobacion_que_lanza("ronda_distribuida", un_cluster, la_flota)


def test_ronda_distribuida_entrega_los_resultados_segun_acaban(un_cluster, la_flota, puerta):
    servidores = servidores_de(la_flota)[:5]
    primero = servidores[0].nombre
    otros = {s.nombre for s in servidores[1:]}
    llegados = []
    cambio = threading.Condition()
    estado = {}

    def al_acabar(resultado):
        with cambio:
            llegados.append(resultado.servidor)
            cambio.notify_all()

    def portero():
        # La primera espera en la puerta hasta que las demás han acabado en sus workers y
        # han llegado a al_acabar. Si no llegan, se abre igual (y la prueba falla).
        estado["acabaron"] = puerta.esperar(lambda p: otros <= set(p.hechos), ARRANQUE)
        with cambio:
            estado["llegaron"] = cambio.wait_for(lambda: otros <= set(llegados), 10)
        estado["antes"] = list(llegados)
        puerta.abrir()

    if un_cluster.observador is None:  # sin cluster: tu código falla con su TODO
        cluster.ronda_distribuida(None, servidores)
    with a_la_vez(puerta, portero, "portero"):
        obtenido = en_el_cluster(
            un_cluster,
            cluster.ronda_distribuida,
            servidores,
            "ronda_distribuida con la primera comprobación esperando",
            comprobar=EsperaEn(ronda.comprobar, puerta.puerto, quien=primero),
            timeout=LIMITE,
            al_acabar=al_acabar,
        )
    assert estado.get("acabaron"), (
        f"Las comprobaciones de {sorted(otros)} no llegaron a ejecutarse en los workers mientras "
        f"la de {primero} esperaba: ¿se envían todas (cliente.submit) antes de esperar a ninguna?"
    )
    assert estado.get("llegaron"), (
        f"Con la comprobación de {primero} aún en marcha (la primera que se envió), las demás ya "
        f"habían acabado en sus workers, pero al_acabar solo recibió {estado.get('antes')}: "
        "ronda_distribuida debe recoger los resultados según acaban (as_completed), no uno a uno "
        "en el orden en que se enviaron"
    )
    nombres = [r.servidor for r in obtenido or []]
    assert nombres == [s.nombre for s in servidores], (
        "ronda_distribuida devuelve la lista en el orden del inventario (aunque los recoja según "
        f"acaban); llegó {nombres}"
    )
    assert sorted(llegados) == sorted(nombres), (
        f"al_acabar se llama una vez con cada resultado; se llamó con {llegados}"
    )


# Las esperas de Dask, y lo que tiene cada una para no esperar para siempre. Para cada función
# de distributed/client.py: qué futuros espera sin límite (None si tiene límite), mirando sus
# variables; qué es, dicho al alumno; y cómo se hace con límite.
def _futuros_en(valor):
    """Los futuros de una lista, tupla, conjunto o diccionario (un generador no se toca: se
    gastaría el del alumno)."""
    if isinstance(valor, distributed.Future):
        return [valor]
    if isinstance(valor, dict):
        valor = list(valor.values())
    if isinstance(valor, (list, tuple, set, frozenset)):
        return [f for f in list(valor) if isinstance(f, distributed.Future)]
    return []


def _sin_limite_as_completed(variables):
    uno = variables.get("self")
    plazo = getattr(uno, "_deadline", None)
    if plazo is None or plazo.expires:
        return None
    return list(getattr(uno, "futures", {}))


def _sin_limite_si_timeout_none(de_quien):
    def sin_limite(variables):
        return (
            None if variables.get("timeout") is not None else _futuros_en(variables.get(de_quien))
        )

    return sin_limite


def _siempre_sin_limite(variables):
    return _futuros_en(variables.get("futures"))


CON_LIMITE = "`for futuro in as_completed(futuros, timeout=timeout)`"
ESPERAS_DE_DASK = {
    "as_completed.__next__": (
        _sin_limite_as_completed,
        "un as_completed(...) sin timeout",
        CON_LIMITE,
    ),
    "wait": (
        _sin_limite_si_timeout_none("fs"),
        "un wait(futuros) sin timeout",
        f"`wait(futuros, timeout=timeout)` o, mejor, {CON_LIMITE}",
    ),
    "Client.gather": (
        _siempre_sin_limite,
        "un cliente.gather(...), que no tiene timeout: espera a que acaben todos",
        CON_LIMITE,
    ),
    "Future.result": (
        _sin_limite_si_timeout_none("self"),
        "un futuro.result() sin timeout, de un futuro que no ha acabado",
        f"{CON_LIMITE} (y result() solo de los que ya acabaron)",
    ),
}


def nombre_calificado(frame):
    """«as_completed.__next__»: co_qualname (Python 3.11); en 3.10, la clase de su self."""
    codigo = frame.f_code
    if hasattr(codigo, "co_qualname"):
        return codigo.co_qualname
    if codigo.co_varnames[:1] == ("self",) and "self" in frame.f_locals:
        return f"{type(frame.f_locals['self']).__name__}.{codigo.co_name}"
    return codigo.co_name


def espera_sin_limite(hilo):
    """Si `hilo` está parado en una espera de Dask sin límite (as_completed, wait, gather o
    result sin timeout) de algún futuro que no ha acabado: dónde (la línea de tu código) y qué
    espera. Si no, None. Se mira su pila (sys._current_frames), no el reloj: una espera así,
    con una tarea colgada, no acaba nunca, vaya la máquina lo rápida que vaya."""
    frame = sys._current_frames().get(hilo.ident)
    pila = []
    while frame is not None:
        pila.append(frame)
        frame = frame.f_back
    for frame in reversed(pila):  # de fuera a dentro: la primera espera de Dask que llamó tu código
        codigo = frame.f_code
        if Path(codigo.co_filename).parts[-2:] != ("distributed", "client.py"):
            continue
        espera = ESPERAS_DE_DASK.get(nombre_calificado(frame))
        if espera is None:
            continue
        sin_limite, que_es, como = espera
        try:
            futuros = sin_limite(frame.f_locals)
            pendientes = [f for f in futuros or () if not f.done()]
        except Exception:  # noqa: BLE001 - una pila a medio cambiar: se mira en la vuelta siguiente
            return None
        if not pendientes:
            return None
        una = cuelgues.parada(pila[0], [Path(cluster.modulo.__file__).parent], hilo)
        return f"la ronda está parada en {una.donde()}: {que_es}", como
    return None


class VigiaDeEsperas:
    """Llama a una ronda con `con_limite` y, mientras espera, mira dónde está parado su hilo.

    Si la tarea `colgado` ya espera en la puerta (no acabará mientras la puerta esté cerrada),
    ya pasó el `timeout` de la ronda y su hilo sigue en una espera de Dask sin límite
    (espera_sin_limite), esa ronda no acabaría nunca: apunta dónde está, abre la puerta (la
    ronda acaba y su hilo no queda colgado) y la prueba falla con eso, en vez de esperar el
    límite entero y decir «algo se ha quedado esperando».
    """

    def __init__(self, puerta, colgado, timeout):
        self.puerta, self.colgado, self.timeout = puerta, colgado, timeout
        self.hilo_de_la_ronda = None
        self.empezo = None
        self.acabo = threading.Event()
        self.encontrado = None

    def _ronda(self, funcion, *args, **kwargs):
        self.hilo_de_la_ronda = threading.current_thread()
        self.empezo = time.monotonic()
        try:
            return funcion(*args, **kwargs)
        finally:
            self.acabo.set()

    def _vigilar(self):
        while not self.acabo.wait(0.05):
            if self.empezo is None or time.monotonic() - self.empezo < self.timeout:
                continue
            if self.colgado not in {nombre for _, nombre in self.puerta.esperan}:
                continue
            encontrado = espera_sin_limite(self.hilo_de_la_ronda)
            if encontrado is not None:
                self.encontrado = encontrado
                self.puerta.abrir()
                return

    def llamar(self, segundos, funcion, *args, que, **kwargs):
        vigia = threading.Thread(target=self._vigilar, name="vigía de las esperas", daemon=True)
        vigia.start()
        try:
            resultado, error = (
                con_limite(segundos, self._ronda, funcion, *args, que=que, **kwargs),
                None,
            )
        except Exception as lanzado:  # noqa: BLE001 - se relanza abajo, fuera del except
            resultado, error = None, lanzado
        finally:
            self.acabo.set()
            vigia.join(segundos)
        if self.encontrado is not None:
            donde, como = self.encontrado
            pytest.fail(
                f"{que}: la espera de los resultados no tiene límite. Pasado su timeout "
                f"({self.timeout:g} s), con la tarea de {self.colgado} sin acabar, seguía "
                f"esperando, y habría esperado para siempre: {donde}. El límite lo pone quien "
                f"espera: {como}, que "
                "lanza TimeoutError cuando se acaba el tiempo; entonces cancela las que faltan "
                "y lanza TareaColgada con sus nombres. (La prueba abrió la puerta de la tarea "
                "colgada para no esperar más.)",
                pytrace=False,
            )
        if error is not None:
            raise error
        return resultado


def test_una_tarea_colgada_se_nombra_y_la_ronda_no_espera_para_siempre(
    un_cluster, la_flota, puerta
):
    # El colgado es uno de puerto cerrado: cuando la puerta se abra (al acabar la prueba), su
    # comprobación seguirá y no llegará a ningún servidor (no cuenta en otras pruebas).
    cerrado = la_flota.con_averia("puerto_cerrado")[0].nombre
    servidores = [s for s in servidores_de(la_flota) if s.nombre != cerrado][:3]
    servidores.insert(2, next(s for s in servidores_de(la_flota) if s.nombre == cerrado))
    colgado = cerrado
    # La comprobación de `colgado` espera en una puerta que no se abre hasta el final.
    comprobar = EsperaEn(ronda.comprobar, puerta.puerto, quien=colgado)
    with abierto(un_cluster) as cliente:
        error = lanza(
            cluster.TareaColgada,
            "ronda_distribuida(cliente, servidores, timeout=1.5) con una tarea que no acaba",
            lambda: VigiaDeEsperas(puerta, colgado, 1.5).llamar(
                LIMITE,
                cluster.ronda_distribuida,
                cliente,
                servidores,
                comprobar=comprobar,
                timeout=1.5,
                que="ronda_distribuida con una tarea colgada",
            ),
            "as_completed(futuros, timeout=...) lanza TimeoutError cuando se acaba el tiempo.",
        )
    pendientes = getattr(error, "pendientes", None) or []
    assert any(colgado in p for p in pendientes), (
        f"TareaColgada.pendientes debía nombrar a {colgado!r} (su comprobación no acabó); "
        f"llegó {getattr(error, 'pendientes', None)!r}"
    )
    assert colgado in str(error), f"El mensaje debe nombrar a {colgado}; dice: «{error}»"


@dataclass(frozen=True)
class ConCerrojo:
    """Un `comprobar` que lleva un threading.Lock: pickle no puede con él."""

    cerrojo: object

    def __call__(self, servidor, comprobacion):  # pragma: no cover - nunca llega a un worker
        return None


def test_lo_que_no_se_puede_serializar_da_un_error_en_espanol(un_cluster, la_flota):
    servidores = servidores_de(la_flota)[:1]
    error = lanza(
        cluster.NoSeSerializa,
        "ronda_distribuida con un comprobar que lleva un threading.Lock",
        lambda: en_el_cluster(
            un_cluster,
            cluster.ronda_distribuida,
            servidores,
            "ronda_distribuida",
            comprobar=ConCerrojo(threading.Lock()),
        ),
        "cliente.submit lanza TypeError («Could not serialize...») si pickle no puede.",
    )
    assert servidores[0].nombre in str(error), (
        f"El mensaje debe nombrar la comprobación ({servidores[0].nombre}); dice: «{error}»"
    )


# --- Paso 5: repetir sin estropear, y un worker que muere (cuaderno: 5) ----------------------


def filas(ruta_bd):
    conexion = sqlite3.connect(ruta_bd)
    try:
        return conexion.execute(
            "SELECT ronda, servidor, comprobacion, ok, motivo FROM historial "
            "ORDER BY ronda, servidor"
        ).fetchall()
    finally:
        conexion.close()


def test_apuntar_dos_veces_deja_una_sola_fila(tmp_path, la_flota):
    ruta = str(tmp_path / "historial.db")
    servidor = next(
        s for s in servidores_de(la_flota) if s.nombre == la_flota.con_averia(None)[0].nombre
    )
    comprobacion = servidor.comprobaciones[0]
    apuntar = cluster.ComprobarYApuntar(ruta, "r1")
    primero = apuntar(servidor, comprobacion)
    # Entre una vez y otra el servidor se estropea: la fila debe quedar con el último resultado.
    la_flota.cambiar_averia(servidor.nombre, "error_500")
    try:
        segundo = apuntar(servidor, comprobacion)
    except sqlite3.IntegrityError as error:
        pytest.fail(
            "La misma comprobación, ejecutada dos veces (lo que hace el scheduler si un worker "
            f"muere), lanzó IntegrityError («{error}») la segunda vez: debe dejar una fila por "
            "(ronda, servidor, comprobación) con el último resultado (INSERT ... ON CONFLICT ... "
            "DO UPDATE).",
            pytrace=False,
        )
    finally:
        la_flota.cambiar_averia(servidor.nombre, None)
    assert primero.ok and not segundo.ok, (
        f"El servidor sano y después con error 500 deben dar ok=True y luego ok=False: "
        f"{primero} y {segundo}"
    )
    esperado = [("r1", servidor.nombre, comprobacion.describir(), 0, segundo.motivo)]
    hay = filas(ruta)
    assert hay != [("r1", servidor.nombre, comprobacion.describir(), 1, primero.motivo)], (
        "Ejecutar dos veces la misma comprobación (lo que hace el scheduler si un worker muere) "
        "dejó la fila con el PRIMER resultado (el servidor sano), no con el último (error 500): "
        "¿INSERT OR IGNORE? La fila de (ronda, servidor, comprobación) debe quedar con el último "
        "(INSERT ... ON CONFLICT ... DO UPDATE)."
    )
    assert hay == esperado, (
        "Ejecutar dos veces la misma comprobación (lo que hace el scheduler si un worker muere) "
        f"debe dejar una fila por (ronda, servidor, comprobación), con el último resultado, "
        f"{esperado}; hay {hay}"
    )


@pytest.fixture
def tercer_worker(un_cluster):
    if un_cluster.observador is None or inventario.lo_que_falta() or ronda.lo_que_falta():
        # El ejercicio sin empezar (no hay cluster: ver un_cluster) o el 09 sin terminar (la
        # prueba lo dice): no se arranca nada.
        yield None
        return
    worker = arrancar_worker(un_cluster.direccion, f"worker-3-{uuid.uuid4().hex[:6]}")
    try:
        un_cluster.observador.wait_for_workers(3, timeout=ARRANQUE)
        # Su primera tarea arranca sus hilos de ayuda, como en el arranque del cluster.
        un_cluster.observador.run(os.getpid, workers=None)
        yield worker
    finally:
        parar(worker)


def test_un_worker_muerto_a_mitad_de_ronda_no_deja_la_ronda_incompleta(
    un_cluster, la_flota, referencia, tercer_worker, puerta, tmp_path
):
    ruta = str(tmp_path / "historial.db")
    esperado_del_09 = referencia()
    # Cada comprobación comprueba, apunta en el historial y DESPUÉS espera en la puerta: las
    # que el worker muerto tenía a medias ya habían apuntado, y el scheduler las repite.
    comprobar = EsperaEn(cluster.ComprobarYApuntar(ruta, "r1"), puerta.puerto, despues=True)
    estado = {}
    if tercer_worker is None:  # sin cluster: tu código falla con su TODO
        cluster.ronda_distribuida(None, servidores_de(la_flota), comprobar=comprobar)

    def matar_al_tercero():
        # Espera a que el tercer worker tenga una tarea a medias, lo mata y abre la puerta.
        estado["llego"] = puerta.esperar(
            lambda p: tercer_worker.pid in {pid for pid, _ in p.esperan}, ARRANQUE
        )
        if estado["llego"]:
            os.kill(tercer_worker.pid, signal.SIGKILL)
            tercer_worker.wait(30)
        puerta.abrir()

    with a_la_vez(puerta, matar_al_tercero, "verdugo"):
        obtenido = en_el_cluster(
            un_cluster,
            cluster.ronda_distribuida,
            servidores_de(la_flota),
            "ronda_distribuida con un worker que muere a mitad",
            comprobar=comprobar,
            timeout=LIMITE,
        )
    assert estado.get("llego"), (
        "El tercer worker no llegó a recibir ninguna tarea de la ronda (ninguna pasó por la "
        "puerta con su pid): ¿se envían las comprobaciones al cluster (cliente.submit)?"
    )
    comparar(obtenido, esperado_del_09, "ronda_distribuida con un worker muerto a mitad de ronda")
    apuntadas = filas(ruta)
    esperado = [("r1", *r) for r in esperado_del_09]
    faltan_o_sobran = len(apuntadas) - len(esperado)
    assert sorted(apuntadas) == sorted(esperado), (
        "El historial debe tener una fila por (ronda, servidor), con su resultado, aunque un "
        f"worker muriera y sus tareas se repitieran; tiene {len(apuntadas)} filas para "
        f"{len({f[1] for f in apuntadas})} servidores (de {len(esperado)}; "
        f"{'sobran' if faltan_o_sobran > 0 else 'faltan'} {abs(faltan_o_sobran)})"
    )


# --- Paso 6: un worker en un contenedor (cuaderno: 6) ----------------------------------------


def imagen_para_worker():
    """El motor y su imagen python:X.Y-slim de la versión de este Python, o el motivo."""
    motor = contenedores.motor_o_motivo()
    if isinstance(motor, str):
        return None, f"no se prueba un worker en un contenedor: {motor}"
    imagen = f"python:{sys.version_info.major}.{sys.version_info.minor}-slim"
    if not motor.tiene_imagen(imagen):
        return None, (
            f"no se prueba un worker en un contenedor: {motor.nombre} no tiene la imagen "
            f"{imagen} (la de la versión de este Python, para montar en ella sus paquetes)"
        )
    return (motor, imagen), None


@pytest.fixture(scope="module")
def cluster_con_un_contenedor():
    """Un scheduler nuevo y UN worker, dentro de un contenedor (red del anfitrión, 127.0.0.1).

    El contenedor usa la imagen python:X.Y-slim de este Python con los paquetes del entorno del
    taller montados (sin instalar nada ni descargar nada), el código del ejercicio en /codigo y
    el de tu 09 en /codigo_09.
    """
    direccion = direccion_nueva()
    if sin_empezar(direccion):
        yield Cluster(direccion, None, [])
        return
    elegido, motivo = imagen_para_worker()
    if elegido is None:
        pytest.skip(motivo)
    motor, imagen = elegido
    nombre = f"taller-10-worker-{uuid.uuid4().hex[:8]}"
    paquetes = sysconfig.get_paths()["purelib"]
    codigo, codigo_09 = carpetas_del_codigo()
    scheduler, direccion = arrancar_scheduler()
    worker = subprocess.Popen(
        [motor.nombre, "run", "--rm", "--name", nombre, "--network", "host"]
        + ["-v", f"{paquetes}:/paquetes:ro", "-v", f"{codigo}:/codigo:ro"]
        + ["-v", f"{codigo_09}:/codigo_09:ro", "-e", "PYTHONPATH=/paquetes:/codigo:/codigo_09"]
        + [f"--env={variable}={valor}" for variable, valor in SIN_MEDIDAS.items()]
        + [imagen]
        + ["python", "-m", "distributed.cli.dask_worker", direccion, "--nthreads", "5"]
        + ["--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--death-timeout", "60"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    observador = None
    try:
        observador = con_limite(
            ARRANQUE + 10, calentar, direccion, 1, que="arrancar un worker en un contenedor"
        )
        yield Cluster(direccion, observador, [worker])
    finally:
        if observador is not None:
            observador.close()
        motor.orden("kill", nombre)
        parar(worker)
        parar(scheduler)


@pytest.mark.contenedor
# La imagen python:X.Y-slim puede traer otro Python X.Y.Z que este: Dask avisa, y no importa.
@pytest.mark.filterwarnings("ignore::distributed.versions.VersionMismatchWarning")
def test_la_ronda_corre_igual_con_un_worker_en_un_contenedor(
    cluster_con_un_contenedor, la_flota, referencia
):
    if cluster_con_un_contenedor.observador is not None:
        dentro = cluster_con_un_contenedor.observador.run(lambda: os.path.exists("/codigo"))
        assert list(dentro.values()) == [True], (
            f"El único worker de este cluster debía estar en un contenedor; dice {dentro}"
        )
    ronda_contra_la_flota("ronda_distribuida", cluster_con_un_contenedor, la_flota, referencia)
