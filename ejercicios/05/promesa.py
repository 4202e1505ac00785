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
        # TODO: crea el Event que dice si está resuelta, el cerrojo, el valor, el error y la lista de callbacks
        raise NotImplementedError("Promesa.__init__: lo que falta lo dice su # TODO")

    def resuelta(self) -> bool:
        """¿Está resuelta ya (con un valor o con un error)? Nunca espera."""
        # TODO: pregúntaselo al Event
        raise NotImplementedError("Promesa.resuelta: pregúntaselo al Event")

    def valor(self, timeout: float | None = None) -> Any:
        """El valor del trabajo; espera a que se resuelva (como mucho `timeout` segundos).

        Si el trabajo falló, relanza su excepción aquí. Si se acaba el tiempo, TimeoutError.
        """
        # TODO: espera con el Event (con timeout); relanza el error si lo hay; si no, devuelve el valor
        raise NotImplementedError("Promesa.valor: lo que falta lo dice su # TODO")

    def error(self, timeout: float | None = None) -> BaseException | None:
        """La excepción del trabajo (sin lanzarla), o None si salió bien. Espera como valor()."""
        # TODO: espera igual que valor() y devuelve el error guardado (o None)
        raise NotImplementedError("Promesa.error: lo que falta lo dice su # TODO")

    def _esperar(self, timeout: float | None) -> None:
        # TODO: espera al Event; si no llega a tiempo, lanza TimeoutError con un mensaje claro
        raise NotImplementedError("Promesa._esperar: lo que falta lo dice su # TODO")

    def resolver(self, valor: Any) -> None:
        """La resuelve con un valor (lo llama quien hizo el trabajo). Solo una vez."""
        self._fijar(valor, None)

    def rechazar(self, error: BaseException) -> None:
        """La resuelve con un error (lo llama quien hizo el trabajo). Solo una vez."""
        # TODO: comprueba que `error` es una excepción (si no, TypeError) y fíjalo
        raise NotImplementedError("Promesa.rechazar: lo que falta lo dice su # TODO")

    def _fijar(self, valor: Any, error: BaseException | None) -> None:
        """Guarda el resultado, despierta a quien espera y llama a los callbacks apuntados."""
        # TODO: con el cerrojo: rechaza una segunda resolución, guarda, avisa al Event y saca los callbacks; luego llámalos SIN el cerrojo
        raise NotImplementedError("Promesa._fijar: lo que falta lo dice su # TODO")

    def al_resolverse(self, funcion: Callable[[Promesa], object]) -> None:
        """Llama a funcion(promesa) una vez, cuando se resuelva.

        Si ya está resuelta, la llama ahora mismo, en este hilo. Si no, la llamará el hilo
        que la resuelva.
        """
        # TODO: con el cerrojo: si aún no está resuelta, apúntala y vuelve; si ya lo está, llámala (fuera del cerrojo)
        raise NotImplementedError("Promesa.al_resolverse: lo que falta lo dice su # TODO")

    def _llamar(self, funcion: Callable[[Promesa], object]) -> None:
        """Llama a un callback; si falla, lo registra en el log y sigue (no rompe a los demás)."""
        # TODO: llama a funcion(self); si lanza, regístralo con registro.exception(...) en lugar de propagarlo
        raise NotImplementedError("Promesa._llamar: lo que falta lo dice su # TODO")

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
