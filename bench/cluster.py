"""Benchmark del módulo 10: la ronda del 09 en un pool de hilos y en un cluster de Dask.

    python bench/cluster.py [--servidores 200] [--latencia 0.05] [--tareas 10000]
                            [--clusters 1x10,2x5,4x3] [--flota-grande 200,2000,20000]
                            [--latencia-grande 0.005] [--puertos 20] [--por-tarea-hasta 2000]
                            [--resultados bench/resultados] [--json] [--readme]

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

La flota grande (`--flota-grande`, con el cluster de 2 workers x 5 hilos): cómo crece la ronda
con el número de servidores, 200, 2.000 y 20.000 servidores virtuales detrás de `--puertos`
servidores de verdad de otra flota (el servidor virtual i es el servidor i % puertos, con su
nombre: la regla del 02 dice «ok»), con una latencia pequeña (`--latencia-grande`: si no, solo
el ideal de 20.000 serían 100 s). La comprobación es `comprobar_ligera`: la misma regla del 02
con `http.client` en vez de `requests` (aquí `requests` cuesta unos ms de CPU por llamada, y
20.000 serían un minuto solo de nuestro lado; el bench mide las dos, `cpu_requests_us` y
`cpu_ligera_us`). Para cada tamaño N:

- `pool`: la ronda del 09 con su `ThreadPoolExecutor(10)`;
- `tarea`: la misma ronda con el `Executor` del cluster, una tarea por comprobación (solo hasta
  `--por-tarea-hasta` servidores: cada tarea cuesta milisegundos de scheduler, y 20.000 se
  irían a minutos; el bench dice cuánto, con lo medido);
- `lotes`: el cluster con 40 tareas (4 por hilo), cada una un lote de N / 40 servidores
  comprobados uno a uno en su worker (10 a la vez en total, como el pool);
- `ideal`: N x latencia / 10.

La máquina es compartida y ruidosa: valen los cocientes lado a lado, no los segundos sueltos.
Imprime las tablas; con --json, además, un objeto JSON en la última línea. Dibuja la ronda frente
al número de workers (`ronda_frente_a_workers.png`) y la flota grande (`flota_grande.png`) en
`--resultados` (bench/resultados/, que git ignora: medir no ensucia el árbol). Solo con --readme
(`make figuras`) escribe las tablas en el README, entre sus marcas <!-- bench:cluster -->, y las
figuras en notebooks/img/, las que enseña el cuaderno 10.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import math
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from distributed import Client, LocalCluster

from taller.flota import flota
from taller.medir import medir, medir_con_resultado
from taller.modulos import Modulo
from taller.ordenes import interruptor

RAIZ = Path(__file__).resolve().parents[1]
CLUSTERS = ((1, 10), (2, 5), (4, 3))
FLOTA_GRANDE = (200, 2000, 20_000)
LOTES = 40  # tareas de la ronda por lotes: 4 por cada uno de los 10 hilos del cluster 2 x 5
LLAMADAS_DE_CPU = 300  # comprobaciones seguidas para medir la CPU de cada una
IMG = RAIZ / "notebooks" / "img"
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
    "cpu_requests_us": "CPU de nuestro lado por comprobación con requests (la del 09), µs",
    "cpu_ligera_us": "CPU de nuestro lado por comprobación con http.client (la ligera), µs",
}
COLUMNAS_GRANDES = {
    "pool": "pool (ThreadPoolExecutor(10))",
    "tarea": "cluster, una tarea por comprobación",
    "lotes": f"cluster, {LOTES} tareas por lotes",
    "ideal": "ideal (N x latencia / 10)",
}


def vacia(_: int) -> None:
    return None


def comprobar_ligera(servidor, comprobacion):
    """La comprobación HTTP del 09 (la regla del 02) con `http.client`, sin `requests`.

    Para la flota grande: lo que se mide es cómo crece la ronda con los servidores, no la CPU
    de `requests`. Devuelve el mismo `Resultado` de la ronda del 09.
    """
    import ronda  # en los workers, por PYTHONPATH (codigo_del_10)

    inicio = time.perf_counter()
    conexion = http.client.HTTPConnection(
        servidor.ips[0], comprobacion.puerto, timeout=comprobacion.timeout
    )
    try:
        conexion.request("GET", comprobacion.ruta)
        respuesta = conexion.getresponse()
        cuerpo = respuesta.read().decode("utf-8", "replace")
        if respuesta.status != 200:
            motivo = ronda.ERROR_HTTP
        elif ronda.es_coherente(cuerpo, servidor.nombre):
            motivo = ronda.OK
        else:
            motivo = ronda.RESPUESTA_INCOHERENTE
    except ConnectionRefusedError:
        motivo = ronda.CONEXION_RECHAZADA
    except (OSError, http.client.HTTPException):
        motivo = ronda.SIN_RESPUESTA
    finally:
        conexion.close()
    return ronda.Resultado(
        servidor.nombre,
        comprobacion.describir(),
        motivo == ronda.OK,
        motivo,
        time.perf_counter() - inicio,
    )


def comprobar_lote(lote):
    """Un lote de servidores, uno a uno: una sola tarea del cluster para muchos servidores."""
    return [comprobar_ligera(s, c) for s in lote for c in s.comprobaciones]


def cpu_por_llamada(funcion, llamadas: int = LLAMADAS_DE_CPU) -> float:
    """Microsegundos de CPU de este hilo (no de la flota, que es otro proceso) por llamada."""
    funcion()
    inicio = time.thread_time()
    for _ in range(llamadas):
        funcion()
    return (time.thread_time() - inicio) / llamadas * 1e6


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


def servidores_de(inventario, una_flota, cuantos: int | None = None) -> list:
    """`cuantos` servidores del inventario del 09, repartidos por los puertos de la flota."""
    reales = una_flota.servidores
    cuantos = len(reales) if cuantos is None else cuantos
    return [
        inventario.Servidor(
            reales[i % len(reales)].nombre,
            ("127.0.0.1",),
            (),
            (inventario.Comprobacion("http", reales[i % len(reales)].puerto),),
        )
        for i in range(cuantos)
    ]


def sin_fallos(resultados: list, que: str) -> None:
    """La flota está sana: si algo falla, lo medido no es una ronda de verdad (y se dice)."""
    malos = [r for r in resultados if not r.ok]
    if malos:
        raise RuntimeError(
            f"{que}: {len(malos)} de {len(resultados)} comprobaciones fallaron "
            f"(la primera: {malos[0].motivo}); ¿la máquina está tan cargada que vencen los "
            "timeouts?"
        )


def flota_grande(
    ronda, inventario, una_flota, cliente, tamanos, latencia: float, por_tarea_hasta: int
) -> dict[int, dict[str, float]]:
    """Para cada tamaño: la ronda en el pool, en el cluster tarea a tarea y por lotes."""
    ejecutor = cliente.get_executor(pure=False)
    filas_grandes: dict[int, dict[str, float]] = {}
    for cuantos in tamanos:
        lista = servidores_de(inventario, una_flota, cuantos)
        fila: dict[str, float] = {"ideal": cuantos * latencia / 10}
        segundos, resultados = medir_con_resultado(
            lambda lista=lista: ronda.ronda(lista, 10, comprobar=comprobar_ligera)
        )
        sin_fallos(resultados, f"{cuantos} servidores en el pool")
        fila["pool"] = segundos
        if cuantos <= por_tarea_hasta:
            segundos, resultados = medir_con_resultado(
                lambda lista=lista: ronda.ronda(
                    lista, ejecutor=ejecutor, comprobar=comprobar_ligera
                )
            )
            sin_fallos(resultados, f"{cuantos} servidores en el cluster, tarea a tarea")
            fila["tarea"] = segundos
        tamano = math.ceil(cuantos / LOTES)
        lotes = [lista[i : i + tamano] for i in range(0, cuantos, tamano)]
        segundos, resultados = medir_con_resultado(
            lambda lotes=lotes: [
                r
                for lote in cliente.gather(cliente.map(comprobar_lote, lotes, pure=False))
                for r in lote
            ]
        )
        sin_fallos(resultados, f"{cuantos} servidores en el cluster, por lotes")
        fila["lotes"] = segundos
        filas_grandes[cuantos] = fila
        print(f"  flota grande, {cuantos} servidores: {fila}", file=sys.stderr, flush=True)
    return filas_grandes


def filas(
    servidores: int,
    latencia: float,
    tareas: int,
    clusters=CLUSTERS,
    tamanos=FLOTA_GRANDE,
    latencia_grande: float = 0.005,
    puertos: int = 20,
    por_tarea_hasta: int = 2000,
) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    inventario, ronda = codigo_del_10()
    resultados: dict[str, float] = {}
    grandes: dict[int, dict[str, float]] = {}
    # El cluster de la flota grande y de las tareas vacías: el de 2 workers si se mide.
    el_de_dos = next((c for c in clusters if c[0] == 2), clusters[-1])
    with contextlib.ExitStack() as pila:
        f = pila.enter_context(flota(servidores=servidores, latencia=latencia))
        g = (
            pila.enter_context(flota(servidores=puertos, latencia=latencia_grande))
            if tamanos
            else None
        )
        lista = servidores_de(inventario, f)
        ronda.ronda(lista[:10], 10)  # calentamiento: importaciones y primeras conexiones
        resultados["executor_10_s"] = medir(lambda: ronda.ronda(lista, 10))
        if g is not None:
            un_servidor = servidores_de(inventario, g, 1)[0]
            comprobacion = un_servidor.comprobaciones[0]
            resultados["cpu_requests_us"] = cpu_por_llamada(
                lambda: ronda.comprobar(un_servidor, comprobacion)
            )
            resultados["cpu_ligera_us"] = cpu_por_llamada(
                lambda: comprobar_ligera(un_servidor, comprobacion)
            )
        for workers, hilos in clusters:
            nombre = f"cluster_{workers}x{hilos}"
            inicio = time.perf_counter()
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=hilos,
                    processes=True,
                    host="127.0.0.1",
                    # Sin dashboard: con bokeh, sus gráficas en vivo cuestan CPU al scheduler en
                    # cada tarea (y arrancarlo, ~1 s). Su servidor HTTP, en un puerto libre:
                    # con dashboard_address=None iría al 8787, que puede ser de otro cluster.
                    dashboard_address=":0",
                    scheduler_kwargs={"dashboard": False},
                    silence_logs=logging.CRITICAL,
                ) as cluster,
                Client(cluster, set_as_default=False) as cliente,
            ):
                cliente.wait_for_workers(workers)
                resultados[f"arranque_{nombre}_s"] = time.perf_counter() - inicio
                ejecutor = cliente.get_executor(pure=False)
                ronda.ronda(lista[: workers * hilos], ejecutor=ejecutor)  # calentamiento
                resultados[f"{nombre}_s"] = medir(lambda e=ejecutor: ronda.ronda(lista, ejecutor=e))
                if (workers, hilos) == el_de_dos:
                    cliente.gather(cliente.map(vacia, range(100), pure=False))
                    segundos = medir(
                        lambda: cliente.gather(cliente.map(vacia, range(tareas), pure=False))
                    )
                    resultados["tarea_cluster_us"] = segundos / tareas * 1e6
                    if g is not None:
                        grandes = flota_grande(
                            ronda,
                            inventario,
                            g,
                            cliente,
                            tamanos,
                            latencia_grande,
                            por_tarea_hasta,
                        )
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
    return {clave: resultados[clave] for clave in orden}, grandes


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


def tabla_grande(grandes: dict[int, dict[str, float]], markdown: bool = False) -> str:
    """Una fila por tamaño de flota; «—» donde no se midió (tarea a tarea, las grandes)."""

    def celda(fila: dict[str, float], columna: str) -> str:
        if columna not in fila:
            return "—"
        return f"{coma(fila[columna])} s" if markdown else f"{fila[columna]:.2f}s"

    columnas = list(COLUMNAS_GRANDES)
    if markdown:
        lineas = [
            "| servidores | " + " | ".join(COLUMNAS_GRANDES.values()) + " | lotes ÷ pool |",
            "|---:|" + "---:|" * (len(columnas) + 1),
        ]
        for cuantos, fila in grandes.items():
            celdas = " | ".join(celda(fila, c) for c in columnas)
            miles = f"{cuantos:,}".replace(",", ".")
            lineas.append(f"| {miles} | {celdas} | {coma(fila['lotes'] / fila['pool'])}x |")
        return "\n".join(lineas)
    lineas = [f"{'servidores':>10} " + " ".join(f"{c:>10}" for c in columnas)]
    for cuantos, fila in grandes.items():
        lineas.append(f"{cuantos:>10} " + " ".join(f"{celda(fila, c):>10}" for c in columnas))
    return "\n".join(lineas)


def carpeta_de_figuras(actualizar: bool, resultados: Path) -> Path:
    """Dónde se dibujan las figuras: medir no ensucia el árbol.

    En `resultados` (por defecto bench/resultados/, que git ignora), salvo que se pida
    actualizar las que enseña el cuaderno 10 (--readme, `make figuras`): notebooks/img/.
    """
    return IMG if actualizar else resultados


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def guardar(plt, figura, destino: Path) -> None:
    figura.tight_layout()
    destino.parent.mkdir(parents=True, exist_ok=True)
    figura.savefig(destino, dpi=100, bbox_inches="tight")
    plt.close(figura)


def dibujar_workers(resultados: dict[str, float], clusters, servidores, latencia, destino: Path):
    """La ronda frente al número de workers, con el pool de hilos y el ideal de referencia."""
    plt = _pyplot()
    medidos = [(w, h) for w, h in clusters if f"cluster_{w}x{h}_s" in resultados]
    workers = [w for w, _ in medidos]
    figura, ejes = plt.subplots(figsize=(6.4, 4))
    ejes.plot(
        workers,
        [resultados[f"cluster_{w}x{h}_s"] for w, h in medidos],
        "o-",
        label="LocalCluster (workers × hilos)",
    )
    for w, h in medidos:
        ejes.annotate(
            f"{w} × {h}",
            (w, resultados[f"cluster_{w}x{h}_s"]),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
        )
    ejes.axhline(
        resultados["executor_10_s"], color="tab:green", label="ThreadPoolExecutor(10), un proceso"
    )
    ejes.plot(
        workers,
        [servidores * latencia / (w * h) for w, h in medidos],
        "--",
        color="gray",
        label="ideal: N x latencia / (workers × hilos)",
    )
    ejes.set_xticks(workers, [str(w) for w in workers])
    mas_alto = max(
        [resultados["executor_10_s"], *(resultados[f"cluster_{w}x{h}_s"] for w, h in medidos)]
    )
    ejes.set_ylim(0, mas_alto * 1.15)
    ejes.set_xlabel("workers (procesos) del cluster")
    ejes.set_ylabel("segundos de la ronda")
    ejes.set_title(
        f"{servidores} servidores con {latencia * 1000:.0f} ms, {os.cpu_count()} núcleos, "
        f"carga {os.getloadavg()[0]:.0f}"
    )
    ejes.grid(True, alpha=0.3)
    # Debajo de los ejes: los puntos pueden caer en cualquier esquina según la carga.
    ejes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize="small")
    guardar(plt, figura, destino)


def dibujar_flota_grande(grandes: dict[int, dict[str, float]], latencia, puertos, destino: Path):
    """Cómo crece la ronda con los servidores: pool, cluster tarea a tarea y por lotes."""
    plt = _pyplot()
    from matplotlib.ticker import NullFormatter

    figura, ejes = plt.subplots(figsize=(6.4, 4))
    estilos = {"pool": "o-", "tarea": "s-", "lotes": "^-", "ideal": "--"}
    for columna, texto in COLUMNAS_GRANDES.items():
        puntos = [(n, fila[columna]) for n, fila in grandes.items() if columna in fila]
        if puntos:
            ejes.plot(
                [n for n, _ in puntos],
                [s for _, s in puntos],
                estilos[columna],
                label=texto,
                **({"color": "gray"} if columna == "ideal" else {}),
            )
    ejes.set_xscale("log")
    ejes.set_yscale("log")
    tamanos = list(grandes)
    ejes.set_xticks(tamanos, [f"{n:,}".replace(",", ".") for n in tamanos])
    ejes.xaxis.set_minor_formatter(NullFormatter())
    ejes.yaxis.set_minor_formatter(NullFormatter())
    ejes.set_xlabel(f"servidores (virtuales, detrás de {puertos} puertos)")
    ejes.set_ylabel("segundos de la ronda (escala logarítmica)")
    ejes.set_title(
        f"La flota grande, {latencia * 1000:g} ms, 10 a la vez, {os.cpu_count()} núcleos, "
        f"carga {os.getloadavg()[0]:.0f}"
    )
    ejes.grid(True, which="both", alpha=0.3)
    ejes.legend()
    guardar(plt, figura, destino)


def lista_de_enteros(texto: str) -> tuple[int, ...]:
    """«200,2000,20000» -> (200, 2000, 20000); «» -> () (no medir la flota grande)."""
    try:
        return tuple(int(parte) for parte in texto.replace("_", "").split(",") if parte.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"se esperaban enteros separados por comas, no {texto!r}"
        ) from None


def lista_de_clusters(texto: str) -> tuple[tuple[int, int], ...]:
    """«1x10,2x5» -> ((1, 10), (2, 5)): workers x hilos de cada cluster."""
    try:
        clusters = tuple(
            (int(w), int(h)) for w, h in (parte.split("x") for parte in texto.split(","))
        )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"se esperaban clusters como 1x10,2x5 (workers x hilos), no {texto!r}"
        ) from None
    if not clusters or any(w < 1 or h < 1 for w, h in clusters):
        raise argparse.ArgumentTypeError(f"cada cluster necesita workers e hilos, no {texto!r}")
    return clusters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark: la ronda en hilos y en Dask.")
    parser.add_argument("--servidores", type=int, default=200)
    parser.add_argument("--latencia", type=float, default=0.05)
    parser.add_argument("--tareas", type=int, default=10_000)
    parser.add_argument(
        "--clusters",
        type=lista_de_clusters,
        default=CLUSTERS,
        help="workers x hilos de cada LocalCluster (por defecto 1x10,2x5,4x3)",
    )
    parser.add_argument(
        "--flota-grande",
        type=lista_de_enteros,
        default=FLOTA_GRANDE,
        help="tamaños de la flota grande (por defecto 200,2000,20000; «» para no medirla)",
    )
    parser.add_argument("--latencia-grande", type=float, default=0.005)
    parser.add_argument("--puertos", type=int, default=20, help="servidores reales detrás")
    parser.add_argument(
        "--por-tarea-hasta",
        type=int,
        default=2000,
        help="hasta cuántos servidores se mide el cluster con una tarea por comprobación",
    )
    parser.add_argument(
        "--resultados",
        type=Path,
        default=RAIZ / "bench" / "resultados",
        help="carpeta de las figuras (sin --readme)",
    )
    interruptor(parser, "--json", "añade una línea JSON al final")
    interruptor(
        parser,
        "--readme",
        "escribe las tablas en el README y las figuras en notebooks/img/ (make figuras)",
    )
    args = parser.parse_args(argv)
    resultados, grandes = filas(
        args.servidores,
        args.latencia,
        args.tareas,
        clusters=args.clusters,
        tamanos=args.flota_grande,
        latencia_grande=args.latencia_grande,
        puertos=args.puertos,
        por_tarea_hasta=args.por_tarea_hasta,
    )
    print(f"{args.servidores} servidores, latencia {args.latencia * 1000:.0f} ms\n")
    print(tabla(resultados))
    if grandes:
        print(
            f"\nLa flota grande: {args.puertos} puertos, latencia "
            f"{args.latencia_grande * 1000:g} ms, comprobar_ligera\n"
        )
        print(tabla_grande(grandes))
    carpeta = carpeta_de_figuras(args.readme, args.resultados)
    dibujar_workers(
        resultados,
        args.clusters,
        args.servidores,
        args.latencia,
        carpeta / "ronda_frente_a_workers.png",
    )
    figuras = [carpeta / "ronda_frente_a_workers.png"]
    if grandes:
        dibujar_flota_grande(
            grandes, args.latencia_grande, args.puertos, carpeta / "flota_grande.png"
        )
        figuras.append(carpeta / "flota_grande.png")
    print("\nFiguras:", ", ".join(str(f) for f in figuras))
    if args.json:
        todo = {clave: round(valor, 4) for clave, valor in resultados.items()}
        for cuantos, fila in grandes.items():
            todo.update({f"flota_{cuantos}_{c}_s": round(v, 4) for c, v in fila.items()})
        print(json.dumps(todo))
    if args.readme:
        sys.path.insert(0, str(Path(__file__).parent))
        import readme

        cabecera = (
            f"{args.servidores} servidores, {args.latencia * 1000:.0f} ms de latencia, "
            f"{args.tareas} tareas vacías. "
        )
        texto = f"{cabecera}{readme.la_maquina()}\n\n{tabla_para_el_readme(resultados)}"
        if grandes:
            texto += (
                f"\n\nLa flota grande: servidores virtuales detrás de {args.puertos} puertos, "
                f"{args.latencia_grande * 1000:g} ms de latencia, `comprobar_ligera` "
                "(http.client), cluster de 2 workers x 5 hilos; «—»: no medido (una tarea por "
                f"comprobación, solo hasta {args.por_tarea_hasta} servidores).\n\n"
                f"{tabla_grande(grandes, markdown=True)}"
            )
        readme.escribir_en_el_readme("cluster", texto)
        print("Tablas escritas en el README.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
