"""Módulo 10 — Más allá de una máquina: la ronda del 09 en un cluster de Dask.

Los apuntes dibujan una cola de trabajos a un lado y un pool de monitorizadores al otro.
Un scheduler distribuido es ese mismo dibujo, con la red en medio:

    cola de trabajos       ->   el scheduler (un proceso; en otra máquina, si quieres)
    monitorizador 1..10    ->   los hilos de los workers (2 workers x 5 hilos = 10)
    enviar() -> promesa    ->   cliente.submit() -> Future (done(), result(), as_completed)

No se copia nada del 09: este fichero importa TU inventario.py y TU ronda.py del módulo 09
(ejercicios/09; con `pytest --soluciones`, los de soluciones/09), y la ronda del 09 corre en el
cluster cambiando una línea (`ejecutor=`). Si tu 09 aún no está terminado, las pruebas que lo
usan te lo dicen («termina antes el 09»); las de los pasos 1 y 2 no lo necesitan. Lo que añade
la red, y lo que este fichero tiene que tratar:

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

from taller.pruebas import del_modulo

# Tu monitor del módulo 09: ejercicios/09/inventario.py y ejercicios/09/ronda.py, tal como los
# dejaste (con `pytest --soluciones`, los de soluciones/09). Sin exigir que estén terminados al
# importar: los pasos 1 y 2 no los usan.
inventario = del_modulo("09", "inventario", exigir_terminado=False)
ronda_del_09 = del_modulo("09", "ronda", exigir_terminado=False)
Comprobacion, Servidor = inventario.Comprobacion, inventario.Servidor
Resultado, ERROR_INESPERADO = ronda_del_09.Resultado, ronda_del_09.ERROR_INESPERADO
comprobar, ronda = ronda_del_09.comprobar, ronda_del_09.ronda
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
    # TODO: primero un socket.create_connection al anfitrión y puerto (un Client que no llega deja vivo su hilo «IO loop»); después Client(direccion, timeout=timeout, set_as_default=False); un OSError, a SchedulerInalcanzable con la dirección
    raise NotImplementedError("conectar: lo que falta lo dice su # TODO")


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
        # TODO: primero los workers (terminate() a todos y wait(espera) a cada uno; el que no acaba, kill() y wait()); después, igual, el scheduler; borrar la carpeta
        raise NotImplementedError("ClusterDeProcesos.parar: lo que falta lo dice su # TODO")

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
    Los workers importan el código de `codigo` (por omisión, la carpeta de este fichero y la de
    tu 09) por PYTHONPATH, como una máquina con el monitor instalado.

    Si `workers` o `hilos` no son enteros positivos, ValueError (sin lanzar nada). Si algo no
    arranca en `timeout` segundos (o muere antes), ClusterNoArranca diciendo qué faltó, y lo
    que ya se lanzó se termina y se espera.
    """
    # TODO: validar workers e hilos; Popen del scheduler (--port 0, --scheduler-file en una carpeta temporal); esperar a leer su dirección en ese fichero (puede estar a medio escribir; o que muera) con un límite; Popen de cada worker con la dirección; un Client que espera a los workers (wait_for_workers en tramos cortos, mirando si alguno murió); cualquier error: parar() lo lanzado y ClusterNoArranca
    raise NotImplementedError("arrancar_cluster: lo que falta lo dice su # TODO")


# --- Paso 3: la ronda del 09 en el cluster, cambiando una línea ------------------------------


def ronda_en_el_cluster(
    cliente: Client, servidores: list[Servidor], comprobar: Comprobar = comprobar
) -> list[Resultado]:
    """La `ronda` del 09 (ronda.py), con el cluster como ejecutor: una sola línea cambia."""
    # TODO: ronda(...) con ejecutor=cliente.get_executor(pure=False) en lugar de su ThreadPoolExecutor
    raise NotImplementedError("ronda_en_el_cluster: lo que falta lo dice su # TODO")


def resultado_de(futuro: Future, servidor: Servidor, comprobacion: Comprobacion) -> Resultado:
    """El Resultado de un futuro ya acabado; si la comprobación lanzó en su worker, el del 09:
    ok=False y motivo «error inesperado: Tipo: mensaje» (el error no se pierde ni se disfraza)."""
    # TODO: futuro.result() en un try; la excepción (la del worker, relanzada aquí) a un Resultado con ERROR_INESPERADO, su tipo y su mensaje
    raise NotImplementedError("resultado_de: lo que falta lo dice su # TODO")


def ronda_con_map(
    cliente: Client, servidores: list[Servidor], comprobar: Comprobar = comprobar
) -> list[Resultado]:
    """La misma ronda con `cliente.map`: un resultado por comprobación, en el orden del inventario."""
    # TODO: la lista de (servidor, comprobacion); cliente.map(comprobar, servidores, comprobaciones, pure=False); un resultado_de por futuro, en el mismo orden
    raise NotImplementedError("ronda_con_map: lo que falta lo dice su # TODO")


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
    # TODO: submit con key=f"comprobar-{servidor.nombre}-{uuid}" y pure=False (TypeError: NoSeSerializa); as_completed(..., timeout=timeout) con resultado_de y al_acabar; TimeoutError: TareaColgada con los pendientes; cancelar lo que quede, en un finally
    raise NotImplementedError("ronda_distribuida: lo que falta lo dice su # TODO")


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
        # TODO: crear la tabla si no existe e INSERT ... ON CONFLICT (ronda, servidor, comprobacion) DO UPDATE; cerrar la conexión siempre
        raise NotImplementedError("ComprobarYApuntar.__call__: lo que falta lo dice su # TODO")
        return resultado
