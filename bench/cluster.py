"""Benchmark del módulo 10: la ronda del 09 en un pool de hilos y en un cluster de Dask.

    python bench/cluster.py [--servidores 200] [--latencia 0.05] [--tareas 10000] [--json]

En una misma ejecución y contra la misma flota local (`taller.flota`), con la ronda de
soluciones/09 (la que usa el 10: `ronda(servidores, concurrencia, ejecutor=...)`):

- `executor_10_s`: la ronda del 09 con su `ThreadPoolExecutor(10)`;
- `cluster_1x10_s`, `cluster_2x5_s`, `cluster_4x3_s`: la misma ronda con
  `cliente.get_executor()` de un `LocalCluster` de 1, 2 y 4 workers (procesos) con 10, 5 y 3
  hilos cada uno (10, 10 y 12 a la vez), medida tras una ronda de calentamiento;
- `ideal_10_s` (e `ideal_12_s`): N x latencia / concurrencia;
- `arranque_cluster_*_s`: lo que tardó en arrancar cada cluster (scheduler y workers);
- `tarea_pool_us`, `tarea_cluster_us`: lo que cuesta una tarea vacía (`--tareas` de ellas) en
  un `ThreadPoolExecutor(10)` y en el cluster de 2 workers (`cliente.map`), y
  `tarea_cluster_x_pool`, su cociente.

La máquina es compartida y ruidosa: valen los cocientes lado a lado, no los segundos sueltos.
Imprime la tabla; con --json, además, un objeto JSON en la última línea. Solo con --readme
(`make figuras`) escribe la tabla en el README, entre sus marcas <!-- bench:cluster -->.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from distributed import Client, LocalCluster

from taller.flota import flota
from taller.modulos import Modulo

RAIZ = Path(__file__).resolve().parents[1]
CLUSTERS = ((1, 10), (2, 5), (4, 3))
DESCRIPCIONES = {
    "executor_10_s": "ronda del 09, ThreadPoolExecutor(10)",
    "cluster_1x10_s": "la misma ronda, LocalCluster de 1 worker x 10 hilos",
    "cluster_2x5_s": "la misma ronda, LocalCluster de 2 workers x 5 hilos",
    "cluster_4x3_s": "la misma ronda, LocalCluster de 4 workers x 3 hilos (12 a la vez)",
    "ideal_10_s": "ideal con 10 a la vez: N x latencia / 10",
    "ideal_12_s": "ideal con 12 a la vez: N x latencia / 12",
    "arranque_cluster_1x10_s": "arrancar el LocalCluster de 1 worker",
    "arranque_cluster_2x5_s": "arrancar el LocalCluster de 2 workers",
    "arranque_cluster_4x3_s": "arrancar el LocalCluster de 4 workers",
    "tarea_pool_us": "una tarea vacía en ThreadPoolExecutor(10), microsegundos",
    "tarea_cluster_us": "una tarea vacía en el cluster de 2 workers (map), microsegundos",
    "tarea_cluster_x_pool": "tarea vacía: cluster / pool (veces)",
}


def vacia(_: int) -> None:
    return None


def medir(funcion) -> float:
    inicio = time.perf_counter()
    funcion()
    return time.perf_counter() - inicio


def codigo_del_10():
    """inventario y ronda del 09 (soluciones/09: el 10 parte de ellos, no los copia), con sus
    nombres de siempre: los workers (otros procesos) los importan igual, por PYTHONPATH."""
    carpeta = str(Modulo("09", RAIZ).solucion)
    sys.path.insert(0, carpeta)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [carpeta, *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    import inventario
    import ronda

    return inventario, ronda


def filas(servidores: int, latencia: float, tareas: int) -> dict[str, float]:
    inventario, ronda = codigo_del_10()
    resultados: dict[str, float] = {}
    with flota(servidores=servidores, latencia=latencia) as f:
        lista = [
            inventario.Servidor(
                s.nombre, ("127.0.0.1",), (), (inventario.Comprobacion("http", s.puerto),)
            )
            for s in f.servidores
        ]
        ronda.ronda(lista[:10], 10)  # calentamiento: importaciones y primeras conexiones
        resultados["executor_10_s"] = medir(lambda: ronda.ronda(lista, 10))
        for workers, hilos in CLUSTERS:
            nombre = f"cluster_{workers}x{hilos}"
            inicio = time.perf_counter()
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=hilos,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=":0",
                    silence_logs=logging.CRITICAL,
                ) as cluster,
                Client(cluster, set_as_default=False) as cliente,
            ):
                cliente.wait_for_workers(workers)
                resultados[f"arranque_{nombre}_s"] = time.perf_counter() - inicio
                ejecutor = cliente.get_executor(pure=False)
                ronda.ronda(lista[: workers * hilos], ejecutor=ejecutor)  # calentamiento
                resultados[f"{nombre}_s"] = medir(lambda e=ejecutor: ronda.ronda(lista, ejecutor=e))
                if workers == 2:
                    cliente.gather(cliente.map(vacia, range(100), pure=False))
                    segundos = medir(
                        lambda: cliente.gather(cliente.map(vacia, range(tareas), pure=False))
                    )
                    resultados["tarea_cluster_us"] = segundos / tareas * 1e6
    resultados["ideal_10_s"] = servidores * latencia / 10
    resultados["ideal_12_s"] = servidores * latencia / 12
    with ThreadPoolExecutor(10) as pool:
        wait([pool.submit(vacia, i) for i in range(100)])
        segundos = medir(lambda: wait([pool.submit(vacia, i) for i in range(tareas)]))
    resultados["tarea_pool_us"] = segundos / tareas * 1e6
    resultados["tarea_cluster_x_pool"] = (
        resultados["tarea_cluster_us"] / resultados["tarea_pool_us"]
    )
    orden = [*(c for c in DESCRIPCIONES if c in resultados)]
    return {clave: resultados[clave] for clave in orden}


def coma(numero: float) -> str:
    return f"{numero:.2f}".replace(".", ",")


def tabla(resultados: dict[str, float]) -> str:
    base = resultados["executor_10_s"]
    lineas = [f"{'clave':<26} {'valor':>10} {'÷ executor':>11}  qué es", "-" * 90]
    for clave, valor in resultados.items():
        if clave.endswith("_s") and not clave.startswith("arranque"):
            lineas.append(
                f"{clave:<26} {valor:>9.3f}s {valor / base:>10.2f}x  {DESCRIPCIONES[clave]}"
            )
        else:
            lineas.append(f"{clave:<26} {valor:>10.3f} {'':>11}  {DESCRIPCIONES[clave]}")
    return "\n".join(lineas)


def tabla_para_el_readme(resultados: dict[str, float]) -> str:
    base = resultados["executor_10_s"]
    lineas = ["| fila | valor | fila ÷ executor | qué es |", "|---|---:|---:|---|"]
    for clave, valor in resultados.items():
        if clave.endswith("_s"):
            texto = f"{coma(valor)} s"
            cociente = "" if clave.startswith("arranque") else f"{coma(valor / base)}x"
        else:
            texto, cociente = coma(valor), ""
        lineas.append(f"| `{clave}` | {texto} | {cociente} | {DESCRIPCIONES[clave]} |")
    return "\n".join(lineas)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark: la ronda en hilos y en Dask.")
    parser.add_argument("--servidores", type=int, default=200)
    parser.add_argument("--latencia", type=float, default=0.05)
    parser.add_argument("--tareas", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="añade una línea JSON al final")
    parser.add_argument(
        "--readme", action="store_true", help="escribe la tabla en el README (make figuras)"
    )
    args = parser.parse_args(argv)
    resultados = filas(args.servidores, args.latencia, args.tareas)
    print(f"{args.servidores} servidores, latencia {args.latencia * 1000:.0f} ms\n")
    print(tabla(resultados))
    if args.json:
        print(json.dumps({clave: round(valor, 4) for clave, valor in resultados.items()}))
    if args.readme:
        sys.path.insert(0, str(Path(__file__).parent))
        import readme

        cabecera = (
            f"{args.servidores} servidores, {args.latencia * 1000:.0f} ms de latencia, "
            f"{args.tareas} tareas vacías. "
        )
        readme.escribir_en_el_readme(
            "cluster", f"{cabecera}{readme.la_maquina()}\n\n{tabla_para_el_readme(resultados)}"
        )
        print("Tabla escrita en el README.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
