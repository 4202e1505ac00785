"""¿Cuánto tarda `taller progreso` comparado con ejecutar las pruebas a mano?

Se mide sobre una copia del taller con nueve módulos (el módulo 01 repetido como 01..09, con
sus esqueletos: lo que ve un alumno al empezar), cuatro formas de obtener el estado de todos
los módulos, intercaladas y repetidas, y se da la mediana de cada una como cociente frente a
`pytest ejercicios` (lo que tardan las pruebas mismas):

  pytest ejercicios          un proceso pytest con todas las carpetas (la referencia)
  taller progreso            lo que hace la orden: un proceso pytest y un informe JUnit
  un pytest por módulo       uno detrás de otro
  un pytest por módulo ∥     en paralelo, tantos a la vez como núcleos

Uso: .venv/bin/python bench/progreso.py [REPETICIONES]   (resultado en bench/resultados/)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
MODULOS = [f"{n:02d}" for n in range(1, 10)]


def preparar(destino: Path) -> None:
    shutil.copy(RAIZ / "pyproject.toml", destino / "pyproject.toml")
    for numero in MODULOS:
        for carpeta in ("ejercicios", "soluciones"):
            shutil.copytree(
                RAIZ / carpeta / "01",
                destino / carpeta / numero,
                ignore=shutil.ignore_patterns("__pycache__"),
            )


def correr(orden: list[str], carpeta: Path) -> None:
    entorno = {**os.environ, "TALLER_ESTADO": str(carpeta / "estado.json")}
    subprocess.run(orden, cwd=carpeta, capture_output=True, env=entorno, check=False)


def formas(carpeta: Path) -> dict[str, callable]:
    pytest = [sys.executable, "-m", "pytest", "-q"]

    def uno(numero: str) -> None:
        correr([*pytest, f"ejercicios/{numero}"], carpeta)

    def en_paralelo() -> None:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(uno, MODULOS))

    return {
        "pytest ejercicios": lambda: correr([*pytest, "ejercicios"], carpeta),
        "taller progreso": lambda: correr([sys.executable, "-m", "taller", "progreso"], carpeta),
        "un pytest por módulo": lambda: [uno(numero) for numero in MODULOS],
        "un pytest por módulo ∥": en_paralelo,
    }


def main() -> None:
    repeticiones = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="bench-progreso-") as temporal:
        carpeta = Path(temporal)
        preparar(carpeta)
        medidas: dict[str, list[float]] = {}
        todas = formas(carpeta)
        for _ in range(repeticiones):
            for nombre, forma in todas.items():  # intercaladas: el ruido toca a todas por igual
                inicio = time.perf_counter()
                forma()
                medidas.setdefault(nombre, []).append(time.perf_counter() - inicio)
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
