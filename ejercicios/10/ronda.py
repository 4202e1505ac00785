# Viene hecho de la solución del módulo 09 (soluciones/09/ronda.py): no hace falta tocarlo.
"""Paso 2 — Una ronda: todas las comprobaciones del inventario, como mucho N a la vez.

Es el pool de los módulos 03-05, ya hecho: `concurrent.futures.ThreadPoolExecutor`. Cada
comprobación lleva su propio timeout (así ninguna espera para siempre) y nunca lanza: un
fallo del servidor es un resultado. Y si aun así una lanzara (un error nuestro), la ronda no
se acaba: esa comprobación sale como «error inesperado» y las demás siguen.

    duración de una ronda ≈ comprobaciones × latencia / N
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass

import requests
from inventario import Comprobacion, Servidor

# Los motivos de un Resultado (los del módulo 02, y dos más).
OK = "ok"
SIN_RESPUESTA = "sin respuesta"
CONEXION_RECHAZADA = "conexión rechazada"
ERROR_HTTP = "error HTTP"
RESPUESTA_INCOHERENTE = "respuesta incoherente"
ERROR_INESPERADO = "error inesperado"  # la comprobación lanzó: un fallo nuestro, no del servidor
CONCURRENCIA_POR_DEFECTO = 10


@dataclass(frozen=True)
class Resultado:
    """Lo que dio una comprobación de un servidor en una ronda."""

    servidor: str
    comprobacion: str  # Comprobacion.describir(): «http :8001/salud»
    ok: bool
    motivo: str
    segundos: float


def es_coherente(cuerpo: str, nombre: str) -> bool:
    """¿Es el JSON de un servidor sano que se llama `nombre`? (la regla del módulo 02)"""
    try:
        datos = json.loads(cuerpo)
    except ValueError:
        return False
    return (
        isinstance(datos, dict) and datos.get("estado") == "ok" and datos.get("servidor") == nombre
    )


def _motivo_http(servidor: Servidor, comprobacion: Comprobacion) -> str:
    url = f"http://{servidor.ips[0]}:{comprobacion.puerto}{comprobacion.ruta}"
    try:
        respuesta = requests.get(url, timeout=comprobacion.timeout)
    except requests.Timeout:
        return SIN_RESPUESTA
    except requests.ConnectionError:
        return CONEXION_RECHAZADA
    except requests.RequestException:
        return SIN_RESPUESTA
    if respuesta.status_code != 200:
        return ERROR_HTTP
    return OK if es_coherente(respuesta.text, servidor.nombre) else RESPUESTA_INCOHERENTE


def _motivo_tcp(servidor: Servidor, comprobacion: Comprobacion) -> str:
    try:
        conexion = socket.create_connection(
            (servidor.ips[0], comprobacion.puerto), timeout=comprobacion.timeout
        )
    except TimeoutError:  # socket.timeout en 3.10 es el mismo TimeoutError
        return SIN_RESPUESTA
    except OSError:
        return CONEXION_RECHAZADA
    conexion.close()
    return OK


def comprobar(servidor: Servidor, comprobacion: Comprobacion) -> Resultado:
    """Hace UNA comprobación de un servidor, con su timeout. Nunca lanza por un fallo de red."""
    inicio = time.perf_counter()
    if comprobacion.tipo == "http":
        motivo = _motivo_http(servidor, comprobacion)
    else:
        motivo = _motivo_tcp(servidor, comprobacion)
    segundos = time.perf_counter() - inicio
    return Resultado(servidor.nombre, comprobacion.describir(), motivo == OK, motivo, segundos)


def ronda(
    servidores: list[Servidor],
    concurrencia: int = CONCURRENCIA_POR_DEFECTO,
    comprobar: Callable[[Servidor, Comprobacion], Resultado] = comprobar,
    ejecutor: Executor | None = None,
) -> list[Resultado]:
    """Todas las comprobaciones de todos los servidores, `concurrencia` a la vez.

    Devuelve los resultados en el orden del inventario. Una comprobación que lanza da un
    Resultado con motivo ERROR_INESPERADO (y el error), y no detiene a las demás.

    Con `ejecutor` (cualquier `concurrent.futures.Executor`: en el módulo 10, el de un cluster
    de Dask) la ronda lo usa en vez de crear su pool, y no lo cierra: es de quien lo pasa.
    """
    if isinstance(concurrencia, bool) or not isinstance(concurrencia, int) or concurrencia < 1:
        raise ValueError(f"La concurrencia debe ser un entero mayor que 0, no {concurrencia!r}")
    trabajos = [
        (servidor, comprobacion)
        for servidor in servidores
        for comprobacion in servidor.comprobaciones
    ]
    propio = ejecutor is None
    with (
        ThreadPoolExecutor(max_workers=concurrencia, thread_name_prefix="ronda")
        if propio
        else contextlib.nullcontext(ejecutor)
    ) as pool:
        futuros = []
        try:
            for servidor, c in trabajos:
                futuros.append(pool.submit(comprobar, servidor, c))
            resultados = []
            for (servidor, c), futuro in zip(trabajos, futuros, strict=True):
                try:
                    resultados.append(futuro.result())
                except Exception as error:  # noqa: BLE001 - un error nuestro no para la ronda
                    motivo = f"{ERROR_INESPERADO}: {type(error).__name__}: {error}"
                    resultados.append(Resultado(servidor.nombre, c.describir(), False, motivo, 0.0))
        except BaseException:  # Ctrl+C a media ronda: lo que no ha empezado, ya no empieza
            if propio:
                pool.shutdown(wait=False, cancel_futures=True)
            else:  # un ejecutor ajeno no se cierra: se cancela lo de esta ronda
                for futuro in futuros:
                    futuro.cancel()
            raise
    return resultados
