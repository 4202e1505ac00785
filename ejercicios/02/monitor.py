"""Módulo 02 — Monitorización 1 a 1: ¿responde? ¿responde algo coherente?

Los apuntes lo dicen en dos líneas:

    200 servidores web que monitorizar:
    - Petición http
    - Si contesta, mirar que conteste algo coherente

`comprobar(url)` hace la petición a UN servidor y clasifica lo que pasa en uno de cinco
motivos (las constantes de abajo). Un fallo de red no es un error de nuestro programa: es
justo lo que queremos averiguar, así que `comprobar` nunca lanza por él; lo apunta en el
resultado. `comprobar_todos(urls)` repite eso servidor tras servidor, uno a uno.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

# Los cinco motivos posibles de un Resultado. Úsalos por su nombre, no escribas el texto.
OK = "ok"  # 200 y un JSON coherente: {"servidor": <su nombre>, "estado": "ok"}
SIN_RESPUESTA = (
    "sin respuesta"  # no contestó a tiempo (requests.Timeout, y otros fallos de requests)
)
CONEXION_RECHAZADA = "conexión rechazada"  # no se pudo conectar (requests.ConnectionError)
ERROR_HTTP = "error HTTP"  # contestó con un código distinto de 200 (500, 503, 404...)
RESPUESTA_INCOHERENTE = "respuesta incoherente"  # un 200 cuyo cuerpo no es el esperado
MOTIVOS = (OK, SIN_RESPUESTA, CONEXION_RECHAZADA, ERROR_HTTP, RESPUESTA_INCOHERENTE)

TIMEOUT_POR_DEFECTO = 2.0  # segundos: más que eso esperando a un servidor es «sin respuesta»
ESQUEMAS = ("http", "https")


@dataclass(frozen=True)
class Resultado:
    """Lo que se sabe de un servidor tras comprobarlo una vez."""

    url: str
    ok: bool  # True solo si motivo == OK
    estado_http: int | None  # el código HTTP (200, 503...), o None si no llegó respuesta
    motivo: str  # uno de MOTIVOS
    segundos: float  # lo que tardó la comprobación, también si falló


def validar_url(url: object) -> str:
    """Devuelve la URL si es http:// o https:// con un nombre de máquina; si no, un error claro.

    Ni espacios ni caracteres de control: urlsplit quita en silencio los del principio y
    los saltos de línea de dentro, así que «http://web\n-001» pasaría por «http://web-001».
    """
    # TODO: TypeError si no es un str; ValueError (que cite la URL) si lleva espacios, el esquema no es http/https, falta la máquina o el puerto no es un número válido
    raise NotImplementedError("validar_url: lo que falta lo dice su # TODO")


def validar_timeout(timeout: object) -> float:
    """Devuelve el timeout si es un número de segundos finito y mayor que 0.

    Sin timeout, un servidor colgado dejaría colgada la comprobación para siempre: por eso
    None (que en requests significa «espera lo que haga falta») no se acepta.
    """
    # TODO: TypeError si no es int o float (¡ni bool ni None!); ValueError (que cite el valor) si no es finito y > 0
    raise NotImplementedError("validar_timeout: lo que falta lo dice su # TODO")


def es_coherente(cuerpo: str, nombre: str | None = None) -> bool:
    """¿Es `cuerpo` el JSON de un servidor sano? {"servidor": <nombre>, "estado": "ok"}.

    Si se da `nombre`, el servidor debe llamarse así: un servidor que responde con el nombre
    de otro es una máquina mal configurada (o la que no es), aunque diga "ok".
    """
    # TODO: json.loads sin dejar escapar su error; un dict con "estado" == "ok" y "servidor" (igual a nombre, si se da)
    raise NotImplementedError("es_coherente: lo que falta lo dice su # TODO")


def comprobar(
    url: str, timeout: float = TIMEOUT_POR_DEFECTO, nombre: str | None = None
) -> Resultado:
    """Pide la URL una vez y devuelve un Resultado. Nunca lanza por un fallo de red.

    Solo lanza si la entrada está mal (validar_url, validar_timeout): eso es un error de
    quien llama, no del servidor.
    """
    # TODO: valida la entrada, mide el tiempo, haz requests.get con timeout y convierte cada excepción y cada respuesta en su motivo
    raise NotImplementedError("comprobar: lo que falta lo dice su # TODO")


def comprobar_todos(
    urls: list[str],
    timeout: float = TIMEOUT_POR_DEFECTO,
    nombres: dict[str, str] | None = None,
) -> list[Resultado]:
    """Comprueba las URLs una a una, en orden; devuelve un Resultado por URL, en el mismo orden.

    `nombres` ({url: nombre esperado}) es opcional: con él también se detecta un servidor que
    responde con el nombre de otro. Toda la entrada se valida ANTES de la primera petición:
    mejor un error al empezar que a mitad de 200 servidores.
    """
    # TODO: valida toda la entrada antes de la primera petición; luego comprueba una a una, en orden
    raise NotImplementedError("comprobar_todos: lo que falta lo dice su # TODO")
