"""¿Cuánto tardan las pruebas de cada módulo? El proceso `pytest ejercicios/NN` entero.

La regla del taller: las pruebas de un módulo, con la solución y con el esqueleto, en menos de
3 s (proceso entero: arrancar pytest también cuenta). Para cada módulo mide

  soluciones   pytest ejercicios/NN --soluciones   (lo que ejecuta quien mantiene el taller)
  esqueleto    pytest ejercicios/NN                (lo que ve el alumno al empezar: todo falla)

en rondas intercaladas (bench/progreso.py: una de cada en cada ronda) y da la mediana de
reloj y de CPU. En una máquina compartida el reloj depende de la carga; la CPU mucho menos.

Con `--contra REF` (p. ej. `--contra main`; se puede repetir) mide también el código de ese
commit, en las mismas rondas: el cociente REF ÷ ahora es la mejora, medida con la misma carga.
El commit se saca con `git archive` a una carpeta temporal, y pytest importa `taller` de esa
copia.

Nada se escribe dentro del repositorio: ni cachés de pytest o de Hypothesis (van a una carpeta
temporal que se borra) ni bytecode (PYTHONDONTWRITEBYTECODE, como en la imagen del taller). Sin
PYTHONPYCACHEPREFIX: con él, Python busca el bytecode solo en esa carpeta (vacía), no en los
__pycache__ de la biblioteca estándar y de site-packages, y cada proceso (pytest, cada pip,
cada sonda) recompilaba todo lo que importa: el 07 con la solución daba 29 s de CPU en vez de 9.
Uso:

  .venv/bin/python bench/tiempos_por_modulo.py [--rondas 5] [--modulos 02 07] [--contra main]
                                               [--readme] [--con-motor]

Sin `--con-motor`, con `TALLER_MOTOR=ninguno`: las pruebas que construyen una imagen de verdad
(08, 09, 10) se omiten, porque quedan fuera de la regla. Con `--readme` (o `make figuras`)
escribe además su tabla en el README, entre `<!-- bench:tiempos_por_modulo -->` y su cierre.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from progreso import RAIZ, intercaladas  # noqa: E402

from taller.modulos import Modulo, modulos, ruta_del_ejercicio  # noqa: E402

VARIANTES = {"soluciones": ["--soluciones"], "esqueleto": []}


def modulos_de(raiz: Path) -> list[str]:
    return [m.numero for m in modulos(raiz) if m.ejercicio.is_dir()]


def copia_de(ref: str, destino: Path) -> Path:
    """El árbol del commit `ref`, sin tocar el repositorio (git archive, no un worktree)."""
    tar = subprocess.run(
        ["git", "-C", str(RAIZ), "archive", "--format=tar", ref],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as archivo:
        archivo.extractall(destino, filter="data")
    return destino


def una_ejecucion(raiz: Path, modulo: str, variante: str, temporal: Path, motor: bool = False):
    """La forma de medir: un proceso pytest entero, en `raiz`, con su propio `taller`."""
    orden = [sys.executable, "-m", "pytest", "-q", ruta_del_ejercicio(modulo), *VARIANTES[variante]]
    entorno = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(raiz / "src"), os.environ.get("PYTHONPATH", "")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HYPOTHESIS_STORAGE_DIRECTORY": str(temporal / "hypothesis"),
        "TALLER_ESTADO": str(temporal / "estado.json"),
    }
    if not motor:
        entorno["TALLER_MOTOR"] = "ninguno"

    def correr() -> None:
        subprocess.run(
            orden,
            cwd=raiz,
            env=entorno,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=600,
            check=False,
        )

    return correr


def carga() -> str:
    uno, cinco, _ = os.getloadavg()
    return f"{uno:.1f} (1 min), {cinco:.1f} (5 min)"


def tabla(medidas, modulos: list[str], arboles: list[str]) -> str:
    def mediana(arbol, modulo, variante, cual):
        return statistics.median(v[cual] for v in medidas[(arbol, modulo, variante)])

    cabecera = ["módulo", "pruebas"]
    for arbol in arboles:
        cabecera += [f"{arbol} (s)", f"CPU {arbol} (s)"]
    cabecera += [f"{arbol} ÷ {arboles[0]}" for arbol in arboles[1:]]
    filas = ["| " + " | ".join(cabecera) + " |", "|" + "---|" * 2 + "---:|" * (len(cabecera) - 2)]
    for modulo in modulos:
        for variante in VARIANTES:
            celdas = [modulo, variante]
            for arbol in arboles:
                celdas += [
                    f"{mediana(arbol, modulo, variante, 0):.2f}",
                    f"{mediana(arbol, modulo, variante, 1):.2f}",
                ]
            ahora = mediana(arboles[0], modulo, variante, 0)
            celdas += [f"{mediana(a, modulo, variante, 0) / ahora:.2f}x" for a in arboles[1:]]
            filas.append("| " + " | ".join(celdas) + " |")
    return "\n".join(filas)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rondas", type=int, default=5)
    parser.add_argument("--modulos", nargs="*", default=None, help="por defecto, todos")
    parser.add_argument(
        "--contra", metavar="REF", action="append", default=[], help="compara con este commit"
    )
    parser.add_argument(
        "--readme", action="store_true", help="escribe la tabla en el README (make figuras)"
    )
    parser.add_argument(
        "--con-motor", action="store_true", help="también las pruebas que construyen imágenes"
    )
    args = parser.parse_args(argv)
    modulos = args.modulos or modulos_de(RAIZ)
    with tempfile.TemporaryDirectory(prefix="bench-tiempos-") as temporal:
        temporal = Path(temporal)
        raices = {"ahora": RAIZ}
        for numero, ref in enumerate(args.contra):
            raices[ref] = copia_de(ref, temporal / f"contra{numero}")
        formas = {
            (arbol, modulo, variante): una_ejecucion(
                raiz, modulo, variante, temporal, args.con_motor
            )
            for modulo in modulos
            for variante in VARIANTES
            for arbol, raiz in raices.items()
            if Modulo(modulo, raiz).ejercicio.is_dir()
        }
        carga_antes, inicio = carga(), time.strftime("%Y-%m-%d %H:%M")
        medidas = intercaladas(formas, args.rondas)
        carga_despues = carga()
    print(
        f"# pytest ejercicios/NN, proceso entero: mediana de {args.rondas} rondas intercaladas, "
        f"{os.cpu_count()} núcleos, {inicio}.\n"
        f"# Carga media al empezar {carga_antes}; al acabar {carga_despues}."
    )
    arboles = list(raices)
    presentes = [m for m in modulos if all((a, m, "soluciones") in medidas for a in arboles)]
    print(tabla(medidas, presentes, arboles))
    if args.readme:
        import readme  # bench/readme.py: bench/ ya está en sys.path

        cabecera = (
            f"`pytest ejercicios/NN` entero, mediana de {args.rondas} rondas intercaladas"
            f"{'' if args.con_motor else ', sin motor de contenedores (TALLER_MOTOR=ninguno)'}. "
        )
        tabla_md = tabla(medidas, presentes, arboles).replace(".", ",")
        if len(arboles) == 1:  # sin --contra, no hay «ahora» frente a nada
            tabla_md = tabla_md.replace("| ahora (s) | CPU ahora (s) |", "| reloj (s) | CPU (s) |")
        readme.escribir_en_el_readme(
            "tiempos_por_modulo", f"{cabecera}{readme.la_maquina()}\n\n{tabla_md}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
