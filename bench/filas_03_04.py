"""Filas del benchmark para los módulos 03 y 04: los pools caseros contra la flota.

Las llama bench/monitorizacion.py con la misma flota que el resto (la máquina es compartida y
ruidosa: solo valen los cocientes medidos lado a lado en la misma ejecución):

- `pool03_10_s`, `pool04_10_s`: comprobar los N servidores con el pool de soluciones/03 y el
  de soluciones/04, con 10 ejecutores;
- `executor_10_s`: lo mismo con `concurrent.futures.ThreadPoolExecutor(10)`;
- `ideal_10_s`: lo mínimo posible con 10 a la vez: N x latencia / 10;
- `overhead_ratio`: 10.000 trabajos vacíos por el pool de 04 entre lo mismo por
  ThreadPoolExecutor (cuánto más cuesta repartir cada trabajo con nuestro pool).

Además escribe el barrido de 1, 2, 5, 10, 20 y 50 ejecutores (pool de 04) contra la curva
ideal como PNG, en bench/resultados/ (git lo ignora: medir no ensucia el árbol). La imagen
que enseña el cuaderno 04, notebooks/img/, solo se reescribe cuando se pide: `make figuras`
(flota completa, 200 servidores o más).

Con una flota pequeña (la prueba de humo de tests/test_bench.py) todo se mide una sola vez y
con 1.000 trabajos vacíos: solo se comprueba que el benchmark funciona, y no pisa la imagen
del cuaderno.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from taller.medir import medir
from taller.modulos import Modulo

RAIZ = Path(__file__).resolve().parents[1]
BARRIDO = (1, 2, 5, 10, 20, 50)
REPETICIONES = 5  # cada medida principal, la mejor de 5 (intercaladas: el ruido afecta a todas)
TRABAJOS_VACIOS = 10_000
SERVIDORES_PARA_EL_CUADERNO = 200

DESCRIPCIONES = {
    "pool03_10_s": "pool del módulo 03, 10 ejecutores",
    "pool04_10_s": "pool del módulo 04, 10 ejecutores",
    "executor_10_s": "ThreadPoolExecutor(10)",
    "ideal_10_s": "ideal con 10 a la vez: N x latencia / 10",
    "overhead_ratio": "10.000 trabajos vacíos: pool 04 / ThreadPoolExecutor",
}


def cargar_pool(numero: str) -> type:
    """La clase Pool de soluciones/NN/pool.py (con sus vecinos)."""
    return Modulo(numero, RAIZ).importar("pool").Pool


def con_pool(pool: type, ejecutores: int, trabajos: list[Callable[[], object]]) -> None:
    with pool(ejecutores) as un_pool:
        for trabajo in trabajos:
            un_pool.enviar(trabajo)


def con_executor(ejecutores: int, trabajos: list[Callable[[], object]]) -> None:
    with ThreadPoolExecutor(ejecutores) as executor:
        for trabajo in trabajos:
            executor.submit(trabajo)


def ideal(servidores: int, latencia: float, ejecutores: int) -> float:
    """Con k a la vez, N comprobaciones de `latencia` segundos tardan ceil(N / k) x latencia."""
    return math.ceil(servidores / ejecutores) * latencia


def dibujar_barrido(tiempos: dict[int, float], servidores: int, latencia: float, destino: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from taller.graficas import barrido_de_ejecutores

    ejecutores = list(tiempos)
    figura = barrido_de_ejecutores(
        ejecutores,
        list(tiempos.values()),
        [ideal(servidores, latencia, k) for k in ejecutores],
        etiqueta="pool del módulo 04 (medido)",
        servidores=servidores,
        latencia=latencia,
    )
    destino.parent.mkdir(parents=True, exist_ok=True)
    figura.savefig(destino, dpi=100)
    plt.close(figura)


def destino_de_la_figura(completa: bool) -> Path:
    """Dónde se dibuja el barrido: medir no ensucia el árbol.

    Siempre en bench/resultados/ (git lo ignora), salvo que se pida actualizar la figura del
    cuaderno 04 (`make figuras`, que pone TALLER_ACTUALIZAR_FIGURAS=1) con la flota completa.
    """
    if completa and os.environ.get("TALLER_ACTUALIZAR_FIGURAS") == "1":
        return RAIZ / "notebooks" / "img" / "barrido_ejecutores.png"
    return RAIZ / "bench" / "resultados" / "barrido_ejecutores.png"


def filas(urls: list[str], latencia: float, comprobar: Callable[[str], object]) -> dict:
    pool03, pool04 = cargar_pool("03"), cargar_pool("04")
    comprobaciones = [functools.partial(comprobar, url) for url in urls]
    completa = len(urls) >= SERVIDORES_PARA_EL_CUADERNO
    repeticiones = REPETICIONES if completa else 1

    mejores = {"pool03_10_s": math.inf, "pool04_10_s": math.inf, "executor_10_s": math.inf}
    for _ in range(repeticiones):
        for clave, medida in (
            ("pool03_10_s", lambda: con_pool(pool03, 10, comprobaciones)),
            ("pool04_10_s", lambda: con_pool(pool04, 10, comprobaciones)),
            ("executor_10_s", lambda: con_executor(10, comprobaciones)),
        ):
            mejores[clave] = min(mejores[clave], medir(medida))

    vacios = [lambda: None] * (TRABAJOS_VACIOS if completa else TRABAJOS_VACIOS // 10)
    con_pool04, con_executor10 = math.inf, math.inf
    for _ in range(repeticiones):
        con_pool04 = min(con_pool04, medir(lambda: con_pool(pool04, 10, vacios)))
        con_executor10 = min(con_executor10, medir(lambda: con_executor(10, vacios)))

    barrido = {}
    for k in BARRIDO:
        # Con pocos ejecutores cada medida dura segundos y el ruido pesa poco: basta una.
        veces = 1 if k <= 2 else repeticiones
        barrido[k] = min(
            medir(lambda k=k: con_pool(pool04, k, comprobaciones)) for _ in range(veces)
        )
    dibujar_barrido(barrido, len(urls), latencia, destino_de_la_figura(completa))

    return {
        **mejores,
        "ideal_10_s": ideal(len(urls), latencia, 10),
        "overhead_ratio": con_pool04 / con_executor10,
    }
