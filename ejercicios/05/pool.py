"""Módulo 05 — El pool del módulo 04, ahora con promesas.

Es el mismo pool que escribiste en el módulo 04, ya resuelto: la misma clase `Pool`, las
mismas reglas al crearlo, `arrancar()` / `detener()` / `with`, el repartidor, la bandeja y los
ejecutores que duermen en un semáforo, y los errores de los trabajos apuntados en
`pool.errores` y escritos en la salida de errores:

    enviar ──> trabajos_pendientes ──[repartidor]──> bandeja ──> ejecutor1, ejecutor2...

Lo nuevo del módulo 05 son dos métodos (y dos detalles para usar dos pools a la vez):

- `enviar(trabajo, *args, **kwargs)` devuelve al momento una Promesa del resultado: quien
  envía ya puede preguntar si está resuelta y pedir el valor (o el error);
- `_ejecutar` resuelve esa promesa con lo que devuelve el trabajo, o la rechaza con su error
  (además de informarlo como en el 04). Captura `BaseException`: un `sys.exit()` en un
  trabajo ya no puede matar a su ejecutor y dejar la promesa pendiente para siempre;
- el pool tiene un `nombre` (p. ej. «bd» y «correo»), que llevan sus hilos y sus mensajes;
- un trabajo puede llevar argumentos, como `pool.submit(f, x)` en concurrent.futures.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from promesa import Promesa

# El centinela: no es un trabajo, es la orden de terminar. Va a la cola como uno más, así
# que llega después de todos los que se enviaron antes.
FIN = object()


def sacar_con_testigo(lista: list, testigo: threading.Semaphore) -> Any:
    """El arreglo del módulo 04 (arreglos.py): comprobar y sacar con el testigo en la mano."""
    with testigo:
        return lista.pop(0) if len(lista) > 0 else None


@dataclass
class Trabajo:
    """Lo que apunta enviar(): la llamada pendiente, funcion(*args, **kwargs), y su promesa."""

    funcion: Callable[..., Any]
    args: tuple
    kwargs: dict
    promesa: Promesa


@dataclass
class ErrorDeTrabajo:
    """Un trabajo que lanzó una excepción: quién lo ejecutaba, qué trabajo y qué error."""

    ejecutor: str
    trabajo: Callable[..., Any]
    error: BaseException

    def __str__(self) -> str:
        nombre = getattr(self.trabajo, "__name__", repr(self.trabajo))
        return f"{self.ejecutor}: {nombre} falló: {type(self.error).__name__}: {self.error}"


class Pool:
    """El pool del módulo 04: N ejecutores que duermen hasta que el repartidor les da trabajo."""

    def __init__(self, ejecutores: int = 10, nombre: str = "pool") -> None:
        if isinstance(ejecutores, bool) or not isinstance(ejecutores, int):
            raise TypeError(f"El número de ejecutores debe ser un entero, no {ejecutores!r}")
        if ejecutores < 1:
            raise ValueError(f"Un pool necesita al menos 1 ejecutor; me pides {ejecutores}")
        self.nombre = nombre
        self.testigo = threading.Semaphore()  # quien lo tiene, y solo él, toca las listas
        self.errores: list[ErrorDeTrabajo] = []
        self._detenido = False
        # Lo que apunta enviar, y cuántos trabajos apuntados esperan al repartidor.
        self.trabajos_pendientes: list[object] = []
        self._apuntados = threading.Semaphore(0)
        # La bandeja: lo ya repartido, cuántos trabajos hay en ella (los ejecutores ociosos
        # duermen ahí) y cuántos huecos libres le quedan (el repartidor espera ahí si está llena).
        self._bandeja: list[object] = []
        self._en_la_bandeja = threading.Semaphore(0)
        self._huecos = threading.Semaphore(ejecutores)
        self._repartidor = threading.Thread(target=self._repartir, name=f"{nombre}-repartidor")
        self.ejecutores = [
            threading.Thread(target=self._trabajar, name=f"{nombre}-ejecutor{numero}")
            for numero in range(1, ejecutores + 1)
        ]

    def arrancar(self) -> Pool:
        """Pone en marcha el repartidor y los ejecutores. Devuelve el propio pool."""
        for hilo in (self._repartidor, *self.ejecutores):
            hilo.start()
        return self

    # --- lo que hace el hilo que envía (el principal, o varios a la vez) ----------------

    def enviar(self, trabajo: Callable[..., Any], *args: Any, **kwargs: Any) -> Promesa:
        """Apunta trabajo(*args, **kwargs) y devuelve al momento la Promesa de su resultado."""
        # TODO: tu enviar() del 04 (TypeError, testigo, RuntimeError que nombre el pool, _apuntados), pero apuntando un Trabajo con su Promesa, que devuelves al final
        raise NotImplementedError(
            "Pool.enviar: tu enviar() del 04 (TypeError, testigo, RuntimeError que nombre el pool, _apuntados), pero apuntando un Trabajo con su Promesa, que devuelves al final"
        )

    def detener(self) -> None:
        """Deja terminar lo pendiente, para todos los hilos y espera (join) a cada uno."""
        with self.testigo:
            if self._detenido:
                return
            self._detenido = True
            self.trabajos_pendientes.append(FIN)
        self._apuntados.release()
        self._repartidor.join()
        for ejecutor in self.ejecutores:
            ejecutor.join()

    def __enter__(self) -> Pool:
        return self.arrancar()

    def __exit__(self, *excepcion: object) -> None:
        self.detener()

    # --- el hilo repartidor ---------------------------------------------------------------

    def _repartir(self) -> None:
        """El bucle del repartidor: pasa cada trabajo apuntado a la bandeja; FIN lo acaba."""
        while True:
            self._apuntados.acquire()  # duerme hasta que haya algo apuntado
            trabajo = sacar_con_testigo(self.trabajos_pendientes, self.testigo)
            if trabajo is FIN:
                break
            self._poner_en_la_bandeja(trabajo)
        for _ in self.ejecutores:
            self._poner_en_la_bandeja(FIN)

    def _poner_en_la_bandeja(self, trabajo: object) -> None:
        """Espera a que haya un hueco, deja el trabajo y avisa a los ejecutores."""
        self._huecos.acquire()  # si la bandeja está llena, duerme hasta que un ejecutor saque
        with self.testigo:
            self._bandeja.append(trabajo)
        self._en_la_bandeja.release()

    # --- cada ejecutor ----------------------------------------------------------------------

    def _trabajar(self) -> None:
        """El bucle de cada ejecutor: saca un trabajo, lo ejecuta y repite, hasta sacar FIN."""
        while True:
            trabajo = self._sacar_de_la_bandeja()
            if trabajo is FIN:
                return
            self._ejecutar(trabajo)

    def _sacar_de_la_bandeja(self) -> object:
        """Duerme (sin gastar CPU) hasta que haya algo en la bandeja; lo saca y deja un hueco."""
        self._en_la_bandeja.acquire()
        trabajo = sacar_con_testigo(self._bandeja, self.testigo)
        self._huecos.release()
        return trabajo

    def _ejecutar(self, trabajo: Trabajo) -> None:
        """Ejecuta un trabajo y resuelve su promesa (o la rechaza con su error, e informa)."""
        # TODO: como en el 04, dentro de un try, pero con BaseException (también sys.exit()): primero _informar(trabajo.funcion, error) y después rechaza la promesa con el error; si sale bien, resuélvela con el valor
        raise NotImplementedError(
            "Pool._ejecutar: como en el 04, dentro de un try, pero con BaseException (también sys.exit()): primero _informar(trabajo.funcion, error) y después rechaza la promesa con el error; si sale bien, resuélvela con el valor"
        )

    def _informar(self, trabajo: Callable[..., Any], error: BaseException) -> None:
        """Apunta el error en self.errores y lo escribe en la salida de errores."""
        fallo = ErrorDeTrabajo(threading.current_thread().name, trabajo, error)
        with self.testigo:
            self.errores.append(fallo)
        print(fallo, file=sys.stderr)
