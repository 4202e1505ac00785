"""Filas del módulo 05 para bench/monitorizacion.py: los N servidores con promesas, de 10 en 10.

- `promesas_10_s`: el pool de soluciones/05 (el del módulo 04 con promesas, 10 ejecutores);
  cada resultado se recoge con `al_resolverse` en cuanto llega;
- `executor_as_completed_10_s`: `ThreadPoolExecutor(max_workers=10)` y `as_completed`.

Las dos recogen los resultados según llegan, como el cuaderno 05.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from types import ModuleType

from taller.medir import medir_con_resultado
from taller.modulos import Modulo

MODULO = Modulo("05", Path(__file__).resolve().parents[1])
EJECUTORES = 10
DESCRIPCIONES = {
    "promesas_10_s": "promesas: pool del módulo 05, 10 ejecutores",
    "executor_as_completed_10_s": "ThreadPoolExecutor(10) + as_completed",
}


def pool_de_la_solucion() -> ModuleType:
    """soluciones/05/pool.py, que hace `from promesa import Promesa`: su vecino viene con él."""
    return MODULO.importar("pool")


def filas(urls: list[str], latencia: float, comprobar: Callable[[str], object]) -> dict:
    pool = pool_de_la_solucion()

    def con_promesas() -> list:
        llegados: list = []
        cerrojo = threading.Lock()

        def anotar(promesa) -> None:
            with cerrojo:
                llegados.append(promesa.valor())

        # Al salir del with, detener() espera a todos los trabajos (y a sus callbacks).
        with pool.Pool(EJECUTORES, nombre="bench") as ejecutores:
            for url in urls:
                ejecutores.enviar(comprobar, url).al_resolverse(anotar)
        return llegados

    def con_executor() -> list:
        with ThreadPoolExecutor(max_workers=EJECUTORES) as ejecutores:
            futures = [ejecutores.submit(comprobar, url) for url in urls]
            return [future.result() for future in as_completed(futures)]

    resultados = {}
    for clave, funcion in (
        ("promesas_10_s", con_promesas),
        ("executor_as_completed_10_s", con_executor),
    ):
        segundos, llegados = medir_con_resultado(funcion)
        cuantos = len(llegados)
        if cuantos != len(urls):
            raise RuntimeError(f"{clave}: llegaron {cuantos} resultados de {len(urls)}")
        resultados[clave] = segundos
    return resultados
