"""Lo que mide el benchmark (bench/): una sola forma de cronometrar, para todas sus filas."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def medir_con_resultado(funcion: Callable[[], Any]) -> tuple[float, Any]:
    """Los segundos de reloj que tarda `funcion()` (time.perf_counter) y lo que devuelve."""
    inicio = time.perf_counter()
    resultado = funcion()
    return time.perf_counter() - inicio, resultado


def medir(funcion: Callable[[], object]) -> float:
    """Los segundos de reloj que tarda `funcion()`."""
    return medir_con_resultado(funcion)[0]
