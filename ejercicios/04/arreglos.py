"""Las dos formas de arreglar la carrera del módulo 03, según los apuntes:

    2 opciones: Evitar el error
                Capturar el error

El código roto era «comprobar y luego sacar» con dos hilos a la vez:

    if len(trabajos_pendientes) > 0:          hilo1: True      hilo2: True
        trabajos_pendientes.pop(0)            hilo1: TRABAJO1  hilo2: ERROR

Las dos funciones SACAN el trabajo y lo devuelven (None si no había): quien llama lo ejecuta
después, fuera del testigo. Si el trabajo se ejecutara dentro, mientras dura nadie más podría
sacar el suyo y el pool entero iría de uno en uno.

`gancho` es el mismo hueco del módulo 03 entre la comprobación y el pop: vacío en el uso
normal; las pruebas lo usan para forzar el entrelazado de la carrera.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _sin_gancho() -> None:
    """El gancho de siempre: no hace nada."""


def sacar_con_testigo(
    trabajos_pendientes: list[T],
    testigo: threading.Semaphore,
    gancho: Callable[[], object] = _sin_gancho,
) -> T | None:
    """Evitar el error: comprobar y sacar con el testigo en la mano.

    Solo un hilo a la vez tiene el testigo. Mientras un hilo comprueba y saca, los demás
    esperan en la puerta; cuando entran, ya ven la lista como ha quedado. `with testigo:`
    hace acquire() al entrar y release() al salir pase lo que pase (return o excepción):
    un testigo que no se devuelve deja esperando para siempre a todos los demás.
    """
    # TODO: con el testigo cogido (with testigo:), comprueba, llama al gancho y saca el primero; si no hay, devuelve None
    raise NotImplementedError("sacar_con_testigo: lo que falta lo dice su # TODO")


def sacar_capturando(
    trabajos_pendientes: list[T],
    gancho: Callable[[], object] = _sin_gancho,
) -> T | None:
    """Capturar el error: sabemos que el pop puede fallar, aunque no cuándo.

    Si otro hilo se ha llevado el último trabajo entre nuestra comprobación y nuestro pop,
    el pop lanza IndexError: lo capturamos y lo tratamos como «no había trabajo».
    """
    # TODO: comprueba, llama al gancho y saca el primero dentro de un try; si salta IndexError, devuelve None
    raise NotImplementedError("sacar_capturando: lo que falta lo dice su # TODO")
