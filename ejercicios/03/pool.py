"""Módulo 03 — Cola de trabajos y pool de hilos: el pool de los apuntes, tal cual.

    Cola de trabajos           Pool de ejecutores
    trabajos_pendientes = []   ejecutor1, ejecutor2, ... (un hilo cada uno)

`enviar` apunta un trabajo (una función sin argumentos) al final de la lista, y cada
ejecutor repite, en su propio hilo, el bucle de los apuntes:

    if len(self.trabajos_pendientes) > 0:
        self.trabajos_pendientes.pop(0)()

`append` al final y `pop(0)` del principio: el primero en llegar es el primero en salir (FIFO).

Este pool funciona casi siempre... y esconde una carrera: dos ejecutores pueden ver a la vez
que queda un trabajo, y al segundo que llega al `pop(0)` la lista ya está vacía
(IndexError). `carrera.py` la provoca siempre; el módulo 04 la arregla.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Un ejecutor que no encuentra trabajo duerme esta pausa antes de volver a mirar: sin ella,
# cada ejecutor ocioso gastaría un núcleo entero preguntando «¿hay algo?» sin parar.
# (En el módulo 04 los ejecutores ociosos duermen de verdad, hasta que llega trabajo.)
PAUSA_SIN_TRABAJO = 0.005


class Pool:
    """N ejecutores (hilos) que sacan trabajos de una lista compartida, en orden de llegada."""

    def __init__(self, ejecutores: int = 10) -> None:
        # TODO: valida el número de ejecutores, crea la lista trabajos_pendientes y N hilos (sin arrancarlos) que ejecuten self._trabajar, llamados ejecutor1, ejecutor2...
        raise NotImplementedError("Pool.__init__: lo que falta lo dice su # TODO")
        self._parar = False

    def arrancar(self) -> Pool:
        """Pone en marcha los hilos ejecutores. Devuelve el propio pool."""
        # TODO: arranca (start) cada hilo de self.ejecutores
        raise NotImplementedError("Pool.arrancar: arranca (start) cada hilo de self.ejecutores")
        return self

    def enviar(self, trabajo: Callable[[], object]) -> None:
        """Apunta un trabajo al final de la cola. Vuelve enseguida: no lo ejecuta quien llama."""
        # TODO: rechaza lo que no se pueda llamar (TypeError) y lo que llegue con el pool parado (RuntimeError); luego, append a la lista
        raise NotImplementedError("Pool.enviar: lo que falta lo dice su # TODO")

    def _una_vuelta(self) -> bool:
        """Una vuelta del bucle de un ejecutor: el código de los apuntes, con su carrera.

        Devuelve True si ha ejecutado un trabajo y False si la lista estaba vacía.
        """
        # TODO: si la lista no está vacía, llama al gancho y luego saca el primer trabajo (pop(0)) y ejecútalo
        raise NotImplementedError("Pool._una_vuelta: lo que falta lo dice su # TODO")

    def _entre_comprobar_y_sacar(self) -> None:
        """Gancho vacío entre la comprobación y el pop.

        No hace nada... salvo cuando queremos ver la carrera: `carrera.py` lo cambia por una
        barrera en la que el primer hilo espera al segundo.
        """

    def _trabajar(self) -> None:
        """El bucle de cada ejecutor: trabaja mientras no le pidan parar; sin trabajo, una pausa."""
        # TODO: mientras no haya que parar, da una vuelta; si no había trabajo, duerme PAUSA_SIN_TRABAJO
        raise NotImplementedError("Pool._trabajar: lo que falta lo dice su # TODO")

    def detener(self) -> None:
        """Espera a que se vacíe la cola, pide parar a los ejecutores y espera (join) a cada uno.

        Los trabajos ya enviados se ejecutan todos: detener es «acabad y marchaos». Con un pool
        que nunca se arrancó, vuelve enseguida y sin error: no hay nada que parar.
        """
        # TODO: espera (con pausas) a que la lista se vacíe mientras quede algún ejecutor vivo; luego self._parar = True y, si el pool se arrancó, join de cada ejecutor (uno que nunca se arrancó no se puede esperar: join() lanza RuntimeError)
        raise NotImplementedError("Pool.detener: lo que falta lo dice su # TODO")

    def __enter__(self) -> Pool:
        return self.arrancar()

    def __exit__(self, *excepcion: object) -> None:
        self.detener()
