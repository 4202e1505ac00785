"""¿Cuánto tarda `taller progreso` comparado con ejecutar las pruebas a mano?

Sobre los módulos del taller tal como los recibe el alumno (los esqueletos de ejercicios/),
cuatro formas de obtener el estado de todos los módulos, intercaladas y repetidas; se da la
mediana de cada una como cociente frente a `pytest ejercicios` (lo que tardan las pruebas
mismas):

  pytest ejercicios          un proceso pytest con todas las carpetas (la referencia)
  taller progreso            lo que hace la orden: un proceso pytest y un informe JUnit
  un pytest por módulo       uno detrás de otro
  un pytest por módulo ∥     en paralelo, tantos a la vez como núcleos

El estado de `taller progreso` va a un fichero temporal (TALLER_ESTADO): no toca el tuyo.

Uso: .venv/bin/python bench/progreso.py [REPETICIONES]   (resultado en bench/resultados/)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from taller.modulos import EJERCICIOS, Modulo, con_ejercicio

RAIZ = Path(__file__).resolve().parents[1]
MODULOS = con_ejercicio(RAIZ)


def correr(orden: list[str], estado: Path) -> None:
    entorno = {**os.environ, "TALLER_ESTADO": str(estado)}
    subprocess.run(orden, cwd=RAIZ, capture_output=True, env=entorno, check=False)


def formas(estado: Path) -> dict[str, callable]:
    pytest = [sys.executable, "-m", "pytest", "-q"]

    def uno(modulo: Modulo) -> None:
        correr([*pytest, modulo.ruta_ejercicio], estado)

    def en_paralelo() -> None:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(uno, MODULOS))

    return {
        "pytest ejercicios": lambda: correr([*pytest, EJERCICIOS], estado),
        "taller progreso": lambda: correr([sys.executable, "-m", "taller", "progreso"], estado),
        "un pytest por módulo": lambda: [uno(modulo) for modulo in MODULOS],
        "un pytest por módulo ∥": en_paralelo,
    }


def intercaladas(
    todas: dict[str, Callable[[], object]], repeticiones: int
) -> dict[str, list[tuple[float, float]]]:
    """Cada forma, `repeticiones` veces, por rondas (una de cada en cada ronda): el ruido de
    una máquina compartida toca a todas por igual. Da, por forma, (segundos de reloj,
    segundos de CPU de los procesos hijos) de cada vez."""
    medidas: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeticiones):
        for nombre, forma in todas.items():
            cpu_antes = _cpu_de_los_hijos()
            inicio = time.perf_counter()
            forma()
            segundos = time.perf_counter() - inicio
            medidas.setdefault(nombre, []).append((segundos, _cpu_de_los_hijos() - cpu_antes))
    return medidas


def _cpu_de_los_hijos() -> float:
    uso = resource.getrusage(resource.RUSAGE_CHILDREN)
    return uso.ru_utime + uso.ru_stime


def main() -> None:
    repeticiones = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="bench-progreso-") as temporal:
        estado = Path(temporal) / "estado.json"
        medidas = {
            nombre: [reloj for reloj, _ in veces]
            for nombre, veces in intercaladas(formas(estado), repeticiones).items()
        }
    referencia = statistics.median(medidas["pytest ejercicios"])
    lineas = [
        f"# taller progreso frente a pytest, {len(MODULOS)} módulos, {repeticiones} repeticiones, "
        f"{os.cpu_count()} núcleos ({time.strftime('%Y-%m-%d %H:%M')})",
        f"{'forma':<26}{'mediana (s)':>12}{'cociente':>10}",
    ]
    for nombre, valores in medidas.items():
        mediana = statistics.median(valores)
        lineas.append(f"{nombre:<26}{mediana:>12.2f}{mediana / referencia:>9.2f}x")
    texto = "\n".join(lineas)
    print(texto)
    salida = RAIZ / "bench" / "resultados"
    salida.mkdir(parents=True, exist_ok=True)
    (salida / "progreso.txt").write_text(texto + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
