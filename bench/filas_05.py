"""Filas del módulo 05 para bench/monitorizacion.py: los N servidores con promesas, de 10 en 10.

- `promesas_10_s`: el pool de soluciones/05 (10 ejecutores); cada resultado se recoge con
  `al_resolverse` en cuanto llega;
- `executor_as_completed_10_s`: `ThreadPoolExecutor(max_workers=10)` y `as_completed`.

Las dos recogen los resultados según llegan, como el cuaderno 05.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from types import ModuleType

from taller.modulos import Modulo

SOLUCION = Modulo("05", Path(__file__).resolve().parents[1]).solucion
EJECUTORES = 10
DESCRIPCIONES = {
    "promesas_10_s": "promesas: pool del módulo 05, 10 ejecutores",
    "executor_as_completed_10_s": "ThreadPoolExecutor(10) + as_completed",
}


def _importar(nombre: str, ruta: Path) -> ModuleType:
    especificacion = importlib.util.spec_from_file_location(nombre, ruta)
    modulo = importlib.util.module_from_spec(especificacion)
    sys.modules[nombre] = modulo  # dataclasses lo busca ahí
    especificacion.loader.exec_module(modulo)
    return modulo


def pool_de_la_solucion() -> ModuleType:
    """soluciones/05/pool.py, que hace `from promesa import Promesa`: se le presta su vecino."""
    apartado = sys.modules.pop("promesa", None)
    try:
        sys.modules["promesa"] = _importar("bench_05_promesa", SOLUCION / "promesa.py")
        return _importar("bench_05_pool", SOLUCION / "pool.py")
    finally:
        sys.modules.pop("promesa", None)
        if apartado is not None:
            sys.modules["promesa"] = apartado


def medir(funcion: Callable[[], list]) -> tuple[float, int]:
    inicio = time.perf_counter()
    resultados = funcion()
    return time.perf_counter() - inicio, len(resultados)


def filas(urls: list[str], latencia: float, comprobar: Callable[[str], object]) -> dict:
    pool = pool_de_la_solucion()

    def con_promesas() -> list:
        llegados: list = []
        cerrojo = threading.Lock()

        def anotar(promesa) -> None:
            with cerrojo:
                llegados.append(promesa.valor())

        ejecutores = pool.PoolDeEjecutores(EJECUTORES, nombre="bench")
        try:
            for url in urls:
                ejecutores.enviar(comprobar, url).al_resolverse(anotar)
        finally:
            ejecutores.detener()  # espera a todos los trabajos (y a sus callbacks)
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
        segundos, cuantos = medir(funcion)
        if cuantos != len(urls):
            raise RuntimeError(f"{clave}: llegaron {cuantos} resultados de {len(urls)}")
        resultados[clave] = segundos
    return resultados
