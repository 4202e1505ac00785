"""Módulo 10 — Más allá de una máquina: la ronda del 09 en un cluster de Dask.

Los apuntes dibujan una cola de trabajos a un lado y un pool de monitorizadores al otro.
Un scheduler distribuido es ese mismo dibujo, con la red en medio:

    cola de trabajos       ->   el scheduler (un proceso; en otra máquina, si quieres)
    monitorizador 1..10    ->   los hilos de los workers (2 workers x 5 hilos = 10)
    enviar() -> promesa    ->   cliente.submit() -> Future (done(), result(), as_completed)

inventario.py y ronda.py vienen hechos: son los del módulo 09 (su solución). Lo que añade la
red, y lo que este fichero tiene que tratar:

- el scheduler puede no estar (dirección mal escrita, apagado): un error claro, en español;
- lo que se envía tiene que poder viajar (pickle): un cerrojo o un fichero abierto no viaja;
- una comprobación que lanza en su worker no se pierde: sale como en el 09, un Resultado
  «error inesperado: Tipo: mensaje», y la ronda sigue;
- un worker puede morir a mitad de ronda: el scheduler repite sus tareas en otro, así que
  una comprobación tiene que poder ejecutarse dos veces sin estropear nada;
- una tarea puede colgarse: la ronda tiene un límite y dice qué comprobaciones no acabaron.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from distributed import Client, Future, as_completed
from inventario import Comprobacion, Servidor
from ronda import ERROR_INESPERADO, Resultado, comprobar, ronda

Comprobar = Callable[[Servidor, Comprobacion], Resultado]


class ErrorDelCluster(Exception):
    """Un problema de la ronda distribuida, con un mensaje en español para quien la lanza."""


class SchedulerInalcanzable(ErrorDelCluster):
    """No se pudo conectar con el scheduler."""


class NoSeSerializa(ErrorDelCluster):
    """Una comprobación no se puede enviar a los workers (pickle no puede con ella)."""


class TareaColgada(ErrorDelCluster):
    """La ronda no acabó a tiempo; `pendientes` son las comprobaciones que no terminaron."""

    def __init__(self, mensaje: str, pendientes: list[str]) -> None:
        super().__init__(mensaje)
        self.pendientes = pendientes


def nombre_de(servidor: Servidor, comprobacion: Comprobacion) -> str:
    """Cómo se llama una comprobación en los mensajes: «web-003 (http :8003/salud)»."""
    return f"{servidor.nombre} ({comprobacion.describir()})"


# --- Paso 1: conectar con el scheduler -------------------------------------------------------


def conectar(direccion: str, timeout: float = 5.0) -> Client:
    """Un `Client` conectado al scheduler de `direccion` («tcp://127.0.0.1:8786»).

    Si en `timeout` segundos no hay scheduler, lanza SchedulerInalcanzable con la dirección
    (no el OSError en inglés de Dask). Ojo: un `Client` que no llega a conectar deja vivo su
    hilo «IO loop»; por eso se mira antes, con un socket, si alguien escucha en esa dirección.
    """
    # >>> SOLUCION: primero un socket.create_connection al anfitrión y puerto (un Client que no llega deja vivo su hilo «IO loop»); después Client(direccion, timeout=timeout, set_as_default=False); un OSError, a SchedulerInalcanzable con la dirección
    explicacion = (
        f"No hay ningún scheduler de Dask en {direccion} (esperé {timeout:g} s): ¿está "
        "arrancado (`dask scheduler`) y es esa la dirección que escribió al arrancar?"
    )
    anfitrion, _, puerto = direccion.removeprefix("tcp://").rpartition(":")
    try:
        socket.create_connection((anfitrion, int(puerto)), timeout=timeout).close()
    except (OSError, ValueError) as error:
        raise SchedulerInalcanzable(explicacion) from error
    try:
        return Client(direccion, timeout=timeout, set_as_default=False)
    except OSError as error:
        raise SchedulerInalcanzable(explicacion) from error
    # <<< SOLUCION


# --- Paso 2: arrancar el scheduler y los workers, cada uno su proceso ------------------------


class ClusterNoArranca(ErrorDelCluster):
    """El scheduler o algún worker no arrancó (o no se apuntó a tiempo); ya no queda nada vivo."""


@dataclass
class ClusterDeProcesos:
    """Un scheduler y sus workers, procesos aparte lanzados por `arrancar_cluster`.

    `direccion` es la del scheduler («tcp://127.0.0.1:40123»); `procesos`, los Popen (primero
    el scheduler, después los workers). Se para con `parar()` o al salir de un `with`.
    """

    direccion: str
    procesos: list[subprocess.Popen]
    carpeta: tempfile.TemporaryDirectory

    def parar(self, espera: float = 10.0) -> None:
        """Termina cada proceso y lo ESPERA (si no, queda zombi); el que no acaba, con kill."""
        # >>> SOLUCION: primero los workers (terminate() a todos y wait(espera) a cada uno; el que no acaba, kill() y wait()); después, igual, el scheduler; borrar la carpeta
        for grupo in (self.procesos[1:], self.procesos[:1]):
            for proceso in grupo:
                if proceso.poll() is None:
                    proceso.terminate()
            for proceso in grupo:
                try:
                    proceso.wait(espera)
                except subprocess.TimeoutExpired:
                    proceso.kill()
                    proceso.wait()
        self.carpeta.cleanup()
        # <<< SOLUCION

    def __enter__(self) -> ClusterDeProcesos:
        return self

    def __exit__(self, *excepcion: object) -> None:
        self.parar()


def arrancar_cluster(
    workers: int = 2,
    hilos: int = 5,
    timeout: float = 60.0,
    python: str = sys.executable,
    codigo: str | None = None,
) -> ClusterDeProcesos:
    """Lanza un `dask scheduler` y `workers` `dask worker` de `hilos` hilos en 127.0.0.1, cada
    uno su proceso (como si fueran otras máquinas), y espera a que el scheduler tenga los
    `workers` apuntados.

    Cada orden va en una lista, sin shell (módulo 06): `[python, "-m",
    "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", ...]`. Con el
    puerto 0 el sistema elige uno libre; el scheduler lo escribe en su `--scheduler-file`.
    Los workers importan el código de `codigo` (por omisión, la carpeta de este fichero) por
    PYTHONPATH, como una máquina con el monitor instalado.

    Si `workers` o `hilos` no son enteros positivos, ValueError (sin lanzar nada). Si algo no
    arranca en `timeout` segundos (o muere antes), ClusterNoArranca diciendo qué faltó, y lo
    que ya se lanzó se termina y se espera.
    """
    # >>> SOLUCION: validar workers e hilos; Popen del scheduler (--port 0, --scheduler-file en una carpeta temporal); esperar su fichero (o que muera) con un límite; Popen de cada worker con la dirección; un Client que espera a los workers (wait_for_workers en tramos cortos, mirando si alguno murió); cualquier error: parar() lo lanzado y ClusterNoArranca
    for nombre, valor in (("workers", workers), ("hilos", hilos)):
        if not isinstance(valor, int) or isinstance(valor, bool) or valor < 1:
            raise ValueError(f"{nombre} debe ser un entero mayor que 0; llegó {valor!r}")
    carpeta = tempfile.TemporaryDirectory(prefix="taller-10-")
    fichero = Path(carpeta.name) / "scheduler.json"
    lanzado = ClusterDeProcesos("", [], carpeta)
    silencio = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    limite = time.monotonic() + timeout
    try:
        try:
            scheduler = subprocess.Popen(
                [python, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1"]
                + ["--port", "0", "--scheduler-file", str(fichero)]
                + ["--no-dashboard", "--no-show"],
                **silencio,
            )
        except OSError as error:
            raise ClusterNoArranca(
                f"No se pudo lanzar el scheduler con el Python {python!r}: {error.strerror}"
            ) from None
        lanzado.procesos.append(scheduler)
        while True:
            # El fichero puede existir ya, pero a medio escribir (vacío o cortado): aún no.
            try:
                lanzado.direccion = json.loads(fichero.read_text())["address"]
                break
            except (OSError, ValueError, KeyError):
                pass
            if scheduler.poll() is not None:
                raise ClusterNoArranca(
                    f"El scheduler ({python} -m distributed.cli.dask_scheduler) acabó con "
                    f"código {scheduler.returncode} sin llegar a escuchar"
                )
            if time.monotonic() > limite:
                raise ClusterNoArranca(f"El scheduler no escribió su dirección en {timeout:g} s")
            time.sleep(0.05)
        entorno = dict(os.environ, PYTHONPATH=codigo or str(Path(__file__).resolve().parent))
        for numero in range(1, workers + 1):
            lanzado.procesos.append(
                subprocess.Popen(
                    [python, "-m", "distributed.cli.dask_worker", lanzado.direccion]
                    + ["--nthreads", str(hilos), "--name", f"worker-{numero}"]
                    + ["--host", "127.0.0.1", "--no-nanny", "--no-dashboard"]
                    + ["--death-timeout", str(max(timeout, 10))],
                    env=entorno,
                    **silencio,
                )
            )
        observador = Client(lanzado.direccion, timeout=timeout, set_as_default=False)
        try:
            while True:
                muertos = [
                    f"worker-{numero} (código {proceso.returncode})"
                    for numero, proceso in enumerate(lanzado.procesos[1:], 1)
                    if proceso.poll() is not None
                ]
                if muertos or scheduler.poll() is not None:
                    quienes = ", ".join(muertos) or "el scheduler"
                    raise ClusterNoArranca(f"Acabaron antes de apuntarse al scheduler: {quienes}")
                restante = limite - time.monotonic()
                if restante <= 0:
                    tiene = len(observador.scheduler_info()["workers"])
                    raise ClusterNoArranca(
                        f"En {timeout:g} s se apuntaron {tiene} de los {workers} workers al "
                        f"scheduler de {lanzado.direccion}"
                    )
                try:
                    observador.wait_for_workers(workers, timeout=min(0.5, restante))
                    break
                except TimeoutError:
                    continue
        finally:
            observador.close()
    except BaseException:
        lanzado.parar()
        raise
    return lanzado
    # <<< SOLUCION


# --- Paso 3: la ronda del 09 en el cluster, cambiando una línea ------------------------------


def ronda_en_el_cluster(
    cliente: Client, servidores: list[Servidor], comprobar: Comprobar = comprobar
) -> list[Resultado]:
    """La `ronda` del 09 (ronda.py), con el cluster como ejecutor: una sola línea cambia."""
    # >>> SOLUCION: ronda(...) con ejecutor=cliente.get_executor(pure=False) en lugar de su ThreadPoolExecutor
    return ronda(servidores, comprobar=comprobar, ejecutor=cliente.get_executor(pure=False))
    # <<< SOLUCION


def resultado_de(futuro: Future, servidor: Servidor, comprobacion: Comprobacion) -> Resultado:
    """El Resultado de un futuro ya acabado; si la comprobación lanzó en su worker, el del 09:
    ok=False y motivo «error inesperado: Tipo: mensaje» (el error no se pierde ni se disfraza)."""
    # >>> SOLUCION: futuro.result() en un try; la excepción (la del worker, relanzada aquí) a un Resultado con ERROR_INESPERADO, su tipo y su mensaje
    try:
        return futuro.result()
    except Exception as error:  # noqa: BLE001 - un error de una comprobación no para la ronda
        motivo = f"{ERROR_INESPERADO}: {type(error).__name__}: {error}"
        return Resultado(servidor.nombre, comprobacion.describir(), False, motivo, 0.0)
    # <<< SOLUCION


def ronda_con_map(
    cliente: Client, servidores: list[Servidor], comprobar: Comprobar = comprobar
) -> list[Resultado]:
    """La misma ronda con `cliente.map`: un resultado por comprobación, en el orden del inventario."""
    # >>> SOLUCION: la lista de (servidor, comprobacion); cliente.map(comprobar, servidores, comprobaciones, pure=False); un resultado_de por futuro, en el mismo orden
    trabajos = [(s, c) for s in servidores for c in s.comprobaciones]
    futuros = cliente.map(comprobar, [s for s, _ in trabajos], [c for _, c in trabajos], pure=False)
    try:
        return [resultado_de(f, s, c) for f, (s, c) in zip(futuros, trabajos, strict=True)]
    finally:
        cliente.cancel([f for f in futuros if not f.done()])
    # <<< SOLUCION


# --- Paso 4: submit y as_completed, con límite y con nombres ---------------------------------


def ronda_distribuida(
    cliente: Client,
    servidores: list[Servidor],
    comprobar: Comprobar = comprobar,
    timeout: float = 30.0,
    al_acabar: Callable[[Resultado], None] | None = None,
) -> list[Resultado]:
    """Cada comprobación, una tarea con nombre (`comprobar-web-003-...`), todas a la vez.

    Recoge los resultados según acaban (`as_completed`), no en el orden en que se enviaron, y
    llama a `al_acabar(resultado)` con cada uno en cuanto llega; devuelve la lista en el orden
    del inventario, como la ronda del 09 (y con su mismo trato de los errores: resultado_de).
    - Si algo no se puede enviar (pickle), NoSeSerializa con su nombre.
    - Si en `timeout` segundos no han acabado todas, cancela las que faltan y lanza
      TareaColgada con sus nombres.
    """
    # >>> SOLUCION: submit con key=f"comprobar-{servidor.nombre}-{uuid}" y pure=False (TypeError: NoSeSerializa); as_completed(..., timeout=timeout) con resultado_de y al_acabar; TimeoutError: TareaColgada con los pendientes; cancelar lo que quede, en un finally
    futuros: dict[Future, tuple[Servidor, Comprobacion]] = {}
    try:
        for servidor in servidores:
            for comprobacion in servidor.comprobaciones:
                clave = f"comprobar-{servidor.nombre}-{uuid.uuid4().hex[:8]}"
                try:
                    futuro = cliente.submit(
                        comprobar, servidor, comprobacion, key=clave, pure=False
                    )
                except TypeError as error:
                    causa = error.__cause__ or error
                    raise NoSeSerializa(
                        f"La comprobación {nombre_de(servidor, comprobacion)} no se puede "
                        f"enviar a los workers: pickle no puede con ella ({causa}). Lo que viaja "
                        "por la red tiene que poder copiarse: ni cerrojos, ni ficheros ni "
                        "conexiones abiertas."
                    ) from None
                futuros[futuro] = (servidor, comprobacion)
        acabados: dict[Future, Resultado] = {}
        try:
            for futuro in as_completed(list(futuros), loop=cliente.loop, timeout=timeout):
                resultado = resultado_de(futuro, *futuros[futuro])
                acabados[futuro] = resultado
                if al_acabar is not None:
                    al_acabar(resultado)
        except TimeoutError:
            pendientes = [
                nombre_de(*trabajo) for f, trabajo in futuros.items() if f not in acabados
            ]
            raise TareaColgada(
                f"La ronda no acabó en {timeout:g} s: no terminaron {', '.join(pendientes)} "
                "(¿un servidor que no contesta y una comprobación sin timeout?)",
                pendientes,
            ) from None
        return [acabados[futuro] for futuro in futuros]
    finally:
        quedan = [futuro for futuro in futuros if not futuro.done()]
        if quedan:
            cliente.cancel(quedan)
    # <<< SOLUCION


# --- Paso 5: una comprobación que se puede repetir -------------------------------------------

HISTORIAL = """
CREATE TABLE IF NOT EXISTS historial (
    ronda        TEXT    NOT NULL,
    servidor     TEXT    NOT NULL,
    comprobacion TEXT    NOT NULL,
    ok           INTEGER NOT NULL,
    motivo       TEXT    NOT NULL,
    PRIMARY KEY (ronda, servidor, comprobacion)
)
"""


@dataclass(frozen=True)
class ComprobarYApuntar:
    """Un `comprobar` para la ronda que además apunta el resultado en el historial SQLite
    `ruta_bd`, en la ronda `ronda`: `ComprobarYApuntar(ruta, "r1")(servidor, comprobacion)`.

    Si un worker muere a mitad de ronda, el scheduler la ejecuta otra vez en otro worker:
    ejecutarla dos veces tiene que dejar UNA fila por (ronda, servidor, comprobación), con el
    último resultado. Abre y cierra su propia conexión (corre en otro proceso). Se puede enviar
    por la red: solo lleva dos textos.
    """

    ruta_bd: str
    ronda: str

    def __call__(self, servidor: Servidor, comprobacion: Comprobacion) -> Resultado:
        resultado = comprobar(servidor, comprobacion)
        # >>> SOLUCION: crear la tabla si no existe e INSERT ... ON CONFLICT (ronda, servidor, comprobacion) DO UPDATE; cerrar la conexión siempre
        conexion = sqlite3.connect(self.ruta_bd, timeout=30)
        try:
            with conexion:
                conexion.execute(HISTORIAL)
                conexion.execute(
                    "INSERT INTO historial (ronda, servidor, comprobacion, ok, motivo) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ronda, servidor, comprobacion) DO "
                    "UPDATE SET ok = excluded.ok, motivo = excluded.motivo",
                    (
                        self.ronda,
                        resultado.servidor,
                        resultado.comprobacion,
                        int(resultado.ok),
                        resultado.motivo,
                    ),
                )
        finally:
            conexion.close()
        # <<< SOLUCION
        return resultado
