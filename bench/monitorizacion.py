"""Benchmark de la historia del taller: vigilar N servidores de una flota local.

    python bench/monitorizacion.py [--servidores 200] [--latencia 0.05] [--json]

Mide, en una misma ejecución y contra la misma flota (la máquina es compartida y ruidosa:
solo los cocientes lado a lado significan algo):

- `secuencial_s`: comprobar los N servidores uno a uno (el `comprobar` de soluciones/02);
- `ideal_secuencial_s`: N x latencia, lo mínimo posible uno a uno;
- y las filas de cada `bench/filas_*.py` (módulos posteriores), que definen
  `filas(urls, latencia, comprobar) -> dict[str, float]` y, si quieren,
  `DESCRIPCIONES = {clave: texto}`.

Imprime una tabla; con --json, además, un objeto JSON con todas las claves en la última línea.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path

import requests

from taller.flota import flota
from taller.medir import medir
from taller.modulos import Modulo
from taller.ordenes import interruptor

RAIZ = Path(__file__).resolve().parents[1]
DESCRIPCIONES = {
    "secuencial_s": "uno a uno (módulo 02)",
    "ideal_secuencial_s": "ideal uno a uno: N x latencia",
}


def cargar_fichero(ruta: Path, nombre: str):
    """Importa un fichero suelto (soluciones/NN/x.py, bench/filas_x.py) sin tocar sys.path."""
    especificacion = importlib.util.spec_from_file_location(nombre, ruta)
    modulo = importlib.util.module_from_spec(especificacion)
    sys.modules[nombre] = modulo
    especificacion.loader.exec_module(modulo)
    return modulo


def comprobar_de_referencia() -> Callable[[str], object]:
    """El `comprobar(url)` de la solución del módulo 02, o uno mínimo si aún no existe."""
    modulo = Modulo("02", RAIZ)
    if (modulo.solucion / "monitor.py").is_file():
        return modulo.importar("monitor").comprobar

    def comprobar(url: str, timeout: float = 2.0) -> bool:
        try:
            return requests.get(url, timeout=timeout).status_code == 200
        except requests.RequestException:
            return False

    return comprobar


def filas_secuenciales(urls, latencia, comprobar) -> dict[str, float]:
    return {
        "secuencial_s": medir(lambda: [comprobar(url) for url in urls]),
        "ideal_secuencial_s": len(urls) * latencia,
    }


def ficheros_de_filas() -> list[Path]:
    return sorted(Path(__file__).parent.glob("filas_*.py"))


def tabla(resultados: dict[str, float], descripciones: dict[str, str]) -> str:
    secuencial = resultados.get("secuencial_s")
    lineas = [f"{'clave':<28} {'valor':>10} {'x secuencial':>13}  qué es", "-" * 90]
    for clave, valor in resultados.items():
        if clave.endswith("_s"):
            mejora = f"{secuencial / valor:>12.2f}x" if secuencial and valor else f"{'':>13}"
            lineas.append(f"{clave:<28} {valor:>9.3f}s {mejora}  {descripciones.get(clave, '')}")
        else:
            lineas.append(f"{clave:<28} {valor:>10.3f} {'':>13}  {descripciones.get(clave, '')}")
    return "\n".join(lineas)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark: vigilar N servidores locales.")
    parser.add_argument("--servidores", type=int, default=200)
    parser.add_argument("--latencia", type=float, default=0.05)
    interruptor(parser, "--json", "añade una línea JSON al final")
    interruptor(
        parser, "--readme", "escribe la tabla en el README, entre sus marcas (make figuras)"
    )
    args = parser.parse_args(argv)

    comprobar = comprobar_de_referencia()
    descripciones = dict(DESCRIPCIONES)
    resultados: dict[str, float] = {}
    with flota(servidores=args.servidores, latencia=args.latencia) as f:
        comprobar(f.urls[0])  # calentamiento: importaciones y primera conexión
        resultados.update(filas_secuenciales(f.urls, args.latencia, comprobar))
        for ruta in ficheros_de_filas():
            modulo = cargar_fichero(ruta, f"bench_{ruta.stem}")
            descripciones.update(getattr(modulo, "DESCRIPCIONES", {}))
            resultados.update(modulo.filas(f.urls, args.latencia, comprobar))

    print(f"{args.servidores} servidores, latencia {args.latencia * 1000:.0f} ms\n")
    print(tabla(resultados, descripciones))
    if args.json:
        print(json.dumps({clave: round(valor, 4) for clave, valor in resultados.items()}))
    if args.readme:
        readme = cargar_fichero(Path(__file__).parent / "readme.py", "bench_readme")
        cabecera = f"{args.servidores} servidores, {args.latencia * 1000:.0f} ms de latencia. "
        tabla_md = tabla_para_el_readme(resultados, descripciones)
        readme.escribir_en_el_readme(
            "monitorizacion", f"{cabecera}{readme.la_maquina()}\n\n{tabla_md}"
        )
        print("Tabla escrita en el README.")
    return 0


def tabla_para_el_readme(resultados: dict[str, float], descripciones: dict[str, str]) -> str:
    """La misma tabla, en Markdown y con coma decimal: la que lee el alumno en el README."""

    def coma(numero: float) -> str:
        return f"{numero:.2f}".replace(".", ",")

    secuencial = resultados.get("secuencial_s")
    lineas = ["| fila | valor | secuencial ÷ fila | qué es |", "|---|---:|---:|---|"]
    for clave, valor in resultados.items():
        segundos = clave.endswith("_s")
        cociente = f"{coma(secuencial / valor)}x" if segundos and secuencial and valor else ""
        texto = f"{coma(valor)} s" if segundos else coma(valor)
        lineas.append(f"| `{clave}` | {texto} | {cociente} | {descripciones.get(clave, '')} |")
    return "\n".join(lineas)


if __name__ == "__main__":
    sys.exit(main())
