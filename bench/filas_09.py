"""Filas del módulo 09 para bench/monitorizacion.py: la ronda del proyecto final, 10 a la vez.

- `ronda09_10_s`: `ronda()` de soluciones/09 (ThreadPoolExecutor(10), una comprobación http
  por servidor, con la regla del 02), frente a `executor_10_s` (03_04) e `ideal_10_s`;
- `ronda09_historial_10_s`: la misma ronda y después `Historial.guardar_ronda` en un SQLite de
  verdad (una transacción; sin cambios de estado, así que sin correos);
- `ronda09_todo_cambia_10_s`: lo peor para las alertas: la ronda anterior estaba toda caída,
  así que cada servidor es un cambio y un correo, mandados por el pool del correo (2 hilos) a
  un servidor SMTP local, esperando a que salgan todos;
- `historial_x` y `alertas_x`: esas dos, divididas por la ronda sola.

Las tres se miden REPETICIONES veces, intercaladas (sola, con historial, todo cambia, sola...),
y cada fila es la mediana: en una máquina cargada la carga cambia durante el bench, y así le
toca por igual a las tres.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from taller.correo import servidor_smtp
from taller.modulos import Modulo

SOLUCION = Modulo("09", Path(__file__).resolve().parents[1]).solucion
PROPIOS = ("inventario", "ronda", "historial", "alertas")
EJECUTORES = 10
REPETICIONES = 3
DESCRIPCIONES = {
    "ronda09_10_s": "proyecto final: ronda() del 09, 10 a la vez",
    "ronda09_historial_10_s": "ronda del 09 + guardarla en el historial SQLite",
    "ronda09_todo_cambia_10_s": "ronda del 09 + historial + un correo por servidor (todo cambia)",
    "historial_x": "ronda con historial / ronda sola",
    "alertas_x": "ronda con historial y N correos / ronda sola",
}


def solucion_09() -> dict:
    """Los módulos de soluciones/09 (se importan entre sí por su nombre), sin dejar rastro."""
    apartados = {nombre: sys.modules.pop(nombre) for nombre in PROPIOS if nombre in sys.modules}
    sys.path.insert(0, str(SOLUCION))
    try:
        return {nombre: __import__(nombre) for nombre in PROPIOS}
    finally:
        sys.path.remove(str(SOLUCION))
        for nombre in PROPIOS:
            sys.modules.pop(nombre, None)
        sys.modules.update(apartados)


def filas(urls: list[str], latencia: float, comprobar) -> dict[str, float]:
    m = solucion_09()
    inv, ronda, historial, alertas = (m[n] for n in PROPIOS)
    servidores = []
    for numero, url in enumerate(urls, 1):
        partes = urlsplit(url)
        c = inv.Comprobacion("http", partes.port, partes.path, 2.0)
        servidores.append(inv.Servidor(f"web-{numero:03d}", (partes.hostname,), (), (c,)))

    def medir(funcion) -> float:
        inicio = time.perf_counter()
        funcion()
        return time.perf_counter() - inicio

    ronda.ronda(servidores[:EJECUTORES], EJECUTORES)  # calentamiento: hilos y conexiones
    caidos = [
        ronda.Resultado(s.nombre, s.comprobaciones[0].describir(), False, "x", 0.0)
        for s in servidores
    ]
    tiempos: dict[str, list[float]] = {
        "ronda09_10_s": [],
        "ronda09_historial_10_s": [],
        "ronda09_todo_cambia_10_s": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-09-") as carpeta, servidor_smtp() as smtp:
        for vez in range(REPETICIONES):
            tiempos["ronda09_10_s"].append(medir(lambda: ronda.ronda(servidores, EJECUTORES)))
            with historial.Historial(Path(carpeta) / f"uno-{vez}.db") as h:
                tiempos["ronda09_historial_10_s"].append(
                    medir(lambda: h.guardar_ronda(ronda.ronda(servidores, EJECUTORES)))
                )
            with historial.Historial(Path(carpeta) / f"dos-{vez}.db") as h:
                h.guardar_ronda(caidos)  # la ronda anterior, toda caída: ahora todo cambia

                def todo_cambia() -> None:
                    with alertas.Alertas(smtp.direccion) as correo:
                        for cambio in h.guardar_ronda(ronda.ronda(servidores, EJECUTORES)):
                            correo.avisar(cambio)

                tiempos["ronda09_todo_cambia_10_s"].append(medir(todo_cambia))
        if len(smtp.correos) != REPETICIONES * len(servidores):
            raise RuntimeError(
                f"llegaron {len(smtp.correos)} correos de {REPETICIONES * len(servidores)}"
            )
    resultados = {clave: statistics.median(valores) for clave, valores in tiempos.items()}
    resultados["historial_x"] = resultados["ronda09_historial_10_s"] / resultados["ronda09_10_s"]
    resultados["alertas_x"] = resultados["ronda09_todo_cambia_10_s"] / resultados["ronda09_10_s"]
    return resultados
