"""Filas del módulo 06 para bench/monitorizacion.py: procesos, con los mismos N servidores.

- `sondas_10_s`: `vigilar` de soluciones/06: una sonda (un proceso de Python aparte) por
  servidor, 10 a la vez desde un pool de hilos. Frente a los hilos de los módulos 03-05, cada
  comprobación paga además el arranque de un intérprete;
- `arranque_proceso_x_hilo`: cuántas veces cuesta más arrancar (y esperar) un proceso de Python
  vacío que un hilo vacío;
- `cpu_hilos_x` y `cpu_procesos_x`: un trabajo de CPU en Python (contar primos, 4 veces), con
  un pool de hilos y con uno de procesos del tamaño de los núcleos, como cociente frente a
  hacerlo uno a uno (más es mejor). Con el GIL, los hilos se quedan en ~1.

Las afirmaciones del cuaderno 06 salen de aquí. Los cocientes se miden lado a lado, alternando
y con la mejor de tres rondas (la máquina es compartida y ruidosa).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

from taller.medir import medir
from taller.modulos import Modulo

RAIZ = Path(__file__).resolve().parents[1]
PROCESOS_A_LA_VEZ = 10
RONDAS = 3
DESCRIPCIONES = {
    "sondas_10_s": "una sonda (un proceso) por servidor, 10 a la vez (módulo 06)",
    "arranque_proceso_x_hilo": "arrancar un proceso de Python / arrancar un hilo (veces)",
    "cpu_hilos_x": "CPU: contar primos con hilos, x frente a uno a uno",
    "cpu_procesos_x": "CPU: contar primos con procesos, x frente a uno a uno",
}


def procesos_de_la_solucion() -> ModuleType:
    return Modulo("06", RAIZ).importar("procesos")


def mejores(formas: dict[str, Callable[[], object]]) -> dict[str, float]:
    """La mejor de RONDAS mediciones de cada forma, alternándolas en cada ronda."""
    tiempos = {nombre: float("inf") for nombre in formas}
    for _ in range(RONDAS):
        for nombre, forma in formas.items():
            tiempos[nombre] = min(tiempos[nombre], medir(forma))
    return tiempos


def contar_primos(hasta: int) -> int:
    return sum(1 for n in range(2, hasta) if all(n % d for d in range(2, int(n**0.5) + 1)))


def filas_cpu() -> dict[str, float]:
    trabajos = [40_000] * 4
    nucleos = os.cpu_count() or 1
    contexto = multiprocessing.get_context("fork")
    with (
        ThreadPoolExecutor(max_workers=nucleos) as hilos,
        ProcessPoolExecutor(max_workers=nucleos, mp_context=contexto) as procesos,
    ):
        tiempos = mejores(
            {
                "uno": lambda: [contar_primos(n) for n in trabajos],
                "hilos": lambda: list(hilos.map(contar_primos, trabajos)),
                "procesos": lambda: list(procesos.map(contar_primos, trabajos)),
            }
        )
    return {
        "cpu_hilos_x": tiempos["uno"] / tiempos["hilos"],
        "cpu_procesos_x": tiempos["uno"] / tiempos["procesos"],
    }


def fila_arranque() -> dict[str, float]:
    def un_hilo() -> None:
        hilo = threading.Thread(target=lambda: None)
        hilo.start()
        hilo.join()

    def diez_hilos() -> None:
        for _ in range(10):
            un_hilo()

    tiempos = mejores(
        {
            "hilo": diez_hilos,
            "proceso": lambda: subprocess.run([sys.executable, "-c", "pass"], check=True),
        }
    )
    return {"arranque_proceso_x_hilo": tiempos["proceso"] / (tiempos["hilo"] / 10)}


def filas(urls: list[str], latencia: float, comprobar: Callable[[str], object]) -> dict:
    procesos = procesos_de_la_solucion()
    resultados: dict[str, float] = {}
    inicio = time.perf_counter()
    estados = procesos.vigilar(urls, max_procesos=PROCESOS_A_LA_VEZ, timeout=2)
    resultados["sondas_10_s"] = time.perf_counter() - inicio
    if len(estados) != len(set(urls)):
        raise RuntimeError(f"sondas_10_s: llegaron {len(estados)} estados de {len(urls)}")
    resultados.update(fila_arranque())
    resultados.update(filas_cpu())
    return resultados
