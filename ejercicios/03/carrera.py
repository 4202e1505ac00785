"""La carrera de los apuntes, provocada a propósito y siempre igual.

    if len(self.trabajos_pendientes) > 0:     hilo1: True       hilo2: True
        self.trabajos_pendientes.pop(0)()     hilo1: TRABAJO1   hilo2: ERROR

Sola, casi nunca se ve: entre la comprobación y el `pop(0)` pasan unos nanosegundos y rara
vez cambia de hilo justo ahí. Para verla siempre, cambiamos el gancho
`_entre_comprobar_y_sacar` del pool por una barrera de dos hilos (`threading.Barrier(2)`):
el primer hilo que ha visto «hay trabajo» se queda esperando en la barrera hasta que llega
el segundo, que también lo ha visto. Solo entonces sacan los dos... y para uno ya no queda.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from pool import Pool

# Si el otro hilo no llega a la barrera en este tiempo, algo va mal: mejor un error que colgarse.
# (Menos que el límite de las pruebas, 5 s: así la barrera rota se ve antes que el límite.)
ESPERA_MAXIMA = 2.0


def trabajo1() -> None:
    """El TRABAJO1 de los apuntes: no hace nada, solo está ahí para que alguien lo saque."""


def provocar_carrera(trabajo: Callable[[], object] = trabajo1) -> IndexError | None:
    """Dos hilos, un trabajo y una barrera entre comprobar y sacar: la carrera, siempre.

    Usa un Pool sin arrancar: los dos hilos de los apuntes (hilo1 e hilo2) los pone esta
    función, y cada uno da una sola vuelta del bucle de un ejecutor (`_una_vuelta`).
    Devuelve el IndexError que le salta al hilo que llega tarde al pop (None si no saltó).
    """
    # TODO: cambia el gancho del pool por la espera de una Barrier(2), envía el trabajo, lanza hilo1 e hilo2 con una vuelta cada uno (capturando el IndexError) y espera a los dos
    raise NotImplementedError("provocar_carrera: lo que falta lo dice su # TODO")
