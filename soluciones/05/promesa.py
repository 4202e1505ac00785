"""Módulo 05 — Promesas: el resultado de un trabajo que todavía no ha terminado.

Los apuntes: «A la promesa le puedo preguntar si está resuelta ya. Pido el valor.»

Quien manda un trabajo al pool recibe al momento una Promesa y sigue con lo suyo. Más
tarde puede:

- preguntar si ya está resuelta:        promesa.resuelta()
- pedir el valor (esperando si hace falta, como mucho `timeout` segundos):
                                        promesa.valor(timeout=5)
  Si el trabajo lanzó una excepción, `valor()` la relanza aquí, en quien pide el valor;
- pedir que se ejecute algo al resolverse:
                                        promesa.al_resolverse(funcion)

Del otro lado, el ejecutor que hizo el trabajo la resuelve UNA vez: con `resolver(valor)`
o con `rechazar(error)`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

registro = logging.getLogger(__name__)


class PromesaYaResuelta(RuntimeError):
    """Se intentó resolver (o rechazar) una promesa que ya estaba resuelta."""


class Promesa:
    """El resultado futuro de un trabajo: se resuelve una sola vez, con un valor o un error."""

    def __init__(self) -> None:
        # >>> SOLUCION: crea el Event que dice si está resuelta, el cerrojo, el valor, el error y la lista de callbacks
        self._resuelta = threading.Event()
        self._cerrojo = threading.Lock()  # protege el estado y la lista de callbacks
        self._valor: Any = None
        self._error: BaseException | None = None
        self._callbacks: list[Callable[[Promesa], object]] = []
        # <<< SOLUCION

    def resuelta(self) -> bool:
        """¿Está resuelta ya (con un valor o con un error)? Nunca espera."""
        # >>> SOLUCION: pregúntaselo al Event
        return self._resuelta.is_set()
        # <<< SOLUCION

    def valor(self, timeout: float | None = None) -> Any:
        """El valor del trabajo; espera a que se resuelva (como mucho `timeout` segundos).

        Si el trabajo falló, relanza su excepción aquí. Si se acaba el tiempo, TimeoutError.
        """
        # >>> SOLUCION: espera con el Event (con timeout); relanza el error si lo hay; si no, devuelve el valor
        self._esperar(timeout)
        if self._error is not None:
            raise self._error
        return self._valor
        # <<< SOLUCION

    def error(self, timeout: float | None = None) -> BaseException | None:
        """La excepción del trabajo (sin lanzarla), o None si salió bien. Espera como valor()."""
        # >>> SOLUCION: espera igual que valor() y devuelve el error guardado (o None)
        self._esperar(timeout)
        return self._error
        # <<< SOLUCION

    def _esperar(self, timeout: float | None) -> None:
        # >>> SOLUCION: espera al Event; si no llega a tiempo, lanza TimeoutError con un mensaje claro
        if not self._resuelta.wait(timeout):
            raise TimeoutError(f"La promesa no se resolvió en {timeout} s")
        # <<< SOLUCION

    def resolver(self, valor: Any) -> None:
        """La resuelve con un valor (lo llama quien hizo el trabajo). Solo una vez."""
        self._fijar(valor, None)

    def rechazar(self, error: BaseException) -> None:
        """La resuelve con un error (lo llama quien hizo el trabajo). Solo una vez."""
        # >>> SOLUCION: comprueba que `error` es una excepción (si no, TypeError) y fíjalo
        if not isinstance(error, BaseException):
            raise TypeError(f"rechazar() espera una excepción, no {error!r}")
        self._fijar(None, error)
        # <<< SOLUCION

    def _fijar(self, valor: Any, error: BaseException | None) -> None:
        """Guarda el resultado, despierta a quien espera y llama a los callbacks apuntados."""
        # >>> SOLUCION: con el cerrojo: rechaza una segunda resolución, guarda, avisa al Event y saca los callbacks; luego llámalos SIN el cerrojo
        with self._cerrojo:
            if self._resuelta.is_set():
                raise PromesaYaResuelta(f"Esta promesa ya estaba resuelta: {self!r}")
            self._valor, self._error = valor, error
            self._resuelta.set()
            pendientes, self._callbacks = self._callbacks, []
        # Fuera del cerrojo: un callback puede volver a usar la promesa sin bloquearse.
        for funcion in pendientes:
            self._llamar(funcion)
        # <<< SOLUCION

    def al_resolverse(self, funcion: Callable[[Promesa], object]) -> None:
        """Llama a funcion(promesa) una vez, cuando se resuelva.

        Si ya está resuelta, la llama ahora mismo, en este hilo. Si no, la llamará el hilo
        que la resuelva.
        """
        # >>> SOLUCION: con el cerrojo: si aún no está resuelta, apúntala y vuelve; si ya lo está, llámala (fuera del cerrojo)
        with self._cerrojo:
            if not self._resuelta.is_set():
                self._callbacks.append(funcion)
                return
        self._llamar(funcion)
        # <<< SOLUCION

    def _llamar(self, funcion: Callable[[Promesa], object]) -> None:
        """Llama a un callback; si falla, lo registra en el log y sigue (no rompe a los demás)."""
        # >>> SOLUCION: llama a funcion(self); si lanza, regístralo con registro.exception(...) en lugar de propagarlo
        try:
            funcion(self)
        except Exception:
            registro.exception("Falló un callback de al_resolverse de %r", self)
        # <<< SOLUCION

    def __repr__(self) -> str:
        """Cómo se ve en los mensajes: <Promesa pendiente>, <Promesa resuelta: 42>..."""
        try:
            if not self.resuelta():
                return "<Promesa pendiente>"
            error = self.error(timeout=0)
        except Exception:  # repr() no debe fallar nunca, ni con la clase a medio escribir
            return "<Promesa a medio escribir>"
        if error is not None:
            return f"<Promesa rechazada: {error!r}>"
        return f"<Promesa resuelta: {self.valor(timeout=0)!r}>"
