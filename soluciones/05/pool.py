"""Módulo 05 — El pool de ejecutores del módulo 04, ahora con promesas.

Como en los apuntes:

    HILO PRINCIPAL va poniendo trabajo ->
        el pool apunta el trabajo y tiene su propio hilo que lo reparte (el repartidor)
            el repartidor da cada trabajo a un ejecutor libre (un hilo)

- `trabajos_pendientes` es la cola FIFO: `append` al final, `pop(0)` del principio, y
  solo quien tiene el `testigo` (un Semaphore) toca la lista.
- Nadie da vueltas en vacío: el repartidor duerme en un semáforo contador que cuenta los
  trabajos apuntados, y cada ejecutor libre duerme en el suyo hasta que le llega trabajo.
- Un trabajo que falla no mata a su ejecutor: su error viaja en su promesa.
- `detener()` deja terminar lo ya apuntado, para a todos los hilos y espera (join) a cada uno.

Lo nuevo del módulo 05: `enviar()` devuelve una Promesa del resultado del trabajo.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from promesa import Promesa


@dataclass
class Trabajo:
    """Una llamada pendiente, funcion(*args, **kwargs), y la promesa de su resultado."""

    funcion: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    promesa: Promesa | None = None


# Lo que el repartidor da a un ejecutor para que termine (no es un trabajo).
PARAR = None


class Ejecutor:
    """Un hilo que duerme hasta que el repartidor le da un trabajo, lo hace y vuelve a dormir."""

    def __init__(self, pool: PoolDeEjecutores, nombre: str) -> None:
        self._pool = pool
        self._trabajo: Trabajo | None = PARAR
        self._despertar = threading.Semaphore(0)
        self.hilo = threading.Thread(target=self._bucle, name=nombre)

    def dar(self, trabajo: Trabajo | None) -> None:
        """Lo llama el repartidor: deja el trabajo (o PARAR) y despierta al ejecutor."""
        self._trabajo = trabajo
        self._despertar.release()

    def _bucle(self) -> None:
        while True:
            self._despertar.acquire()  # duerme hasta que le den algo
            trabajo, self._trabajo = self._trabajo, PARAR
            if trabajo is PARAR:
                return
            self._pool._ejecutar(trabajo)
            self._pool._queda_libre(self)


class PoolDeEjecutores:
    """N ejecutores (hilos) que hacen los trabajos que se les envían, de N en N."""

    def __init__(self, ejecutores: int = 10, nombre: str = "pool") -> None:
        if isinstance(ejecutores, bool) or not isinstance(ejecutores, int) or ejecutores < 1:
            raise ValueError(f"Un pool necesita 1 ejecutor o más (un entero), no {ejecutores!r}")
        self.nombre = nombre
        self.trabajos_pendientes: list[Trabajo | None] = []
        self.testigo = threading.Semaphore()  # quien lo tiene, toca las listas del pool
        self._apuntados = threading.Semaphore(0)  # cuenta los trabajos de la lista
        self._libres = threading.Semaphore(0)  # cuenta los ejecutores libres
        self._ejecutores_libres: list[Ejecutor] = []
        self._detenido = False
        self._ejecutores = [
            Ejecutor(self, f"{nombre}-ejecutor-{i}") for i in range(1, ejecutores + 1)
        ]
        self._repartidor = threading.Thread(target=self._repartir, name=f"{nombre}-repartidor")
        for ejecutor in self._ejecutores:
            ejecutor.hilo.start()
            self._queda_libre(ejecutor)
        self._repartidor.start()

    def enviar(self, funcion: Callable[..., Any], *args: Any, **kwargs: Any) -> Promesa:
        """Apunta funcion(*args, **kwargs) y devuelve al momento la promesa de su resultado."""
        # >>> SOLUCION: crea la Promesa; con el testigo, rechaza si el pool está detenido y apunta el Trabajo; avisa al repartidor; devuelve la promesa
        promesa = Promesa()
        with self.testigo:
            if self._detenido:
                raise RuntimeError(f"El pool «{self.nombre}» está detenido: no admite trabajos")
            self.trabajos_pendientes.append(Trabajo(funcion, args, kwargs, promesa))
        self._apuntados.release()
        return promesa
        # <<< SOLUCION

    def _ejecutar(self, trabajo: Trabajo) -> None:
        """Hace un trabajo en el hilo de un ejecutor y resuelve su promesa."""
        # >>> SOLUCION: llama a la función; si lanza, rechaza la promesa con el error; si no, resuélvela con el valor
        try:
            valor = trabajo.funcion(*trabajo.args, **trabajo.kwargs)
        # BaseException: también SystemExit, o el ejecutor moriría y la promesa nunca se resolvería.
        except BaseException as error:
            trabajo.promesa.rechazar(error)
        else:
            trabajo.promesa.resolver(valor)
        # <<< SOLUCION

    def detener(self) -> None:
        """Deja terminar lo ya enviado, para todos los hilos y espera a que acaben."""
        with self.testigo:
            if self._detenido:
                return
            self._detenido = True
            self.trabajos_pendientes.append(PARAR)  # detrás de todo lo ya apuntado
        self._apuntados.release()
        self._repartidor.join()
        for ejecutor in self._ejecutores:
            ejecutor.hilo.join()

    def __enter__(self) -> PoolDeEjecutores:
        return self

    def __exit__(self, *excepcion: object) -> None:
        self.detener()

    # --- Lo que hacen los hilos del pool ---------------------------------------------

    def _repartir(self) -> None:
        """El bucle del repartidor: saca trabajos por orden y los da a ejecutores libres."""
        while True:
            self._apuntados.acquire()  # duerme hasta que haya algo apuntado
            with self.testigo:
                trabajo = self.trabajos_pendientes.pop(0)
            if trabajo is PARAR:
                break
            self._siguiente_libre().dar(trabajo)
        for _ in self._ejecutores:  # a cada ejecutor, cuando acabe lo suyo, su PARAR
            self._siguiente_libre().dar(PARAR)

    def _siguiente_libre(self) -> Ejecutor:
        self._libres.acquire()  # duerme hasta que algún ejecutor esté libre
        with self.testigo:
            return self._ejecutores_libres.pop(0)

    def _queda_libre(self, ejecutor: Ejecutor) -> None:
        with self.testigo:
            self._ejecutores_libres.append(ejecutor)
        self._libres.release()
