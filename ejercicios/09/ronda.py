"""Paso 2 — Una ronda: todas las comprobaciones del inventario, como mucho N a la vez.

Es el pool de los módulos 03-05, ya hecho: `concurrent.futures.ThreadPoolExecutor`. Cada
comprobación lleva su propio timeout (así ninguna espera para siempre) y nunca lanza: un
fallo del servidor es un resultado. Y si aun así una lanzara (un error nuestro), la ronda no
se acaba: esa comprobación sale como «error inesperado» y las demás siguen.

    duración de una ronda ≈ comprobaciones × latencia / N

Una comprobación «sonda» ejecuta otro programa, como en el módulo 06: su orden es una lista
(el programa y cada argumento, tal cual vienen del inventario), sin shell, y lo que cuenta es
su código de salida (el de los plugins de Nagios: 0 bien, 1 incoherente, 2 sin respuesta).
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor, wait
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
FALLO_DE_LA_SONDA = "fallo de la sonda"  # no se pudo ejecutar, o salió con un código que no es 0-2
# El motivo de cada código de salida de una sonda (los de Nagios, como en el módulo 06).
MOTIVOS_DE_LA_SONDA = {0: OK, 1: RESPUESTA_INCOHERENTE, 2: SIN_RESPUESTA}
CONCURRENCIA_POR_DEFECTO = 10
# Cada cuánto despierta el hilo principal mientras espera un resultado. CPython atiende Ctrl+C
# (SIGINT) cuando ese hilo despierta: si llega justo cuando se pone a esperar, no lo despierta,
# y con un wait() sin límite esperaría a que acabara la comprobación (su timeout entero).
DESPERTAR = 0.2


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


def _primera_linea(*textos: str) -> str:
    """La primera línea no vacía de unos textos (lo que explica una sonda), o ""."""
    for texto in textos:
        for linea in texto.splitlines():
            if linea.strip():
                return linea.strip()
    return ""


def _motivo_sonda(comprobacion: Comprobacion) -> str:
    """Ejecuta la orden de la sonda, sin shell y con el timeout; el motivo sale de su código."""
    # TODO: subprocess.run(list(comprobacion.orden), ...) SIN shell (cada texto del inventario, un argumento), con capture_output, encoding='utf-8', errors='replace' y timeout; TimeoutExpired es SIN_RESPUESTA, un OSError (no existe, no se puede ejecutar) es FALLO_DE_LA_SONDA; si no es OK, añade al motivo la primera línea que escribió
    raise NotImplementedError("_motivo_sonda: lo que falta lo dice su # TODO")


def comprobar(servidor: Servidor, comprobacion: Comprobacion) -> Resultado:
    """Hace UNA comprobación de un servidor, con su timeout. Nunca lanza por un fallo de red."""
    # TODO: mide el tiempo y elige _motivo_http, _motivo_tcp o _motivo_sonda según comprobacion.tipo; devuelve el Resultado (ok solo si el motivo es OK)
    raise NotImplementedError("comprobar: lo que falta lo dice su # TODO")


def _resultado_de(futuro, servidor: Servidor, comprobacion: Comprobacion) -> Resultado:
    """El resultado de un futuro (esperado a ratos) o, si la comprobación lanzó, ERROR_INESPERADO."""
    # TODO: espera el futuro a ratos (wait con timeout=DESPERTAR) y devuelve su resultado; su excepción, a un Resultado ERROR_INESPERADO con el tipo y el mensaje
    raise NotImplementedError("_resultado_de: lo que falta lo dice su # TODO")


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
    # TODO: con ejecutor=, úsalo sin cerrarlo (cada resultado con _resultado_de); si no, un ThreadPoolExecutor(concurrencia), sin with (su salida espera a los hilos, también con Ctrl+C); un submit por comprobación; recoge cada futuro en orden con _resultado_de (como con ejecutor=); si algo interrumpe, shutdown(wait=False, cancel_futures=True) y deja salir la excepción
    raise NotImplementedError("ronda: lo que falta lo dice su # TODO")
