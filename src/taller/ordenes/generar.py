"""`taller generar`: escribe ejercicios/ desde soluciones/ y notebooks/ desde cuadernos/
(herramienta de mantenimiento).

El alumno no debe usarla: sobrescribiría su trabajo con los esqueletos.
"""

from __future__ import annotations

import argparse
import sys

from taller import calificacion, cuadernos_de_texto, generador, readme
from taller.modulos import buscar_modulo, modulos, raiz_del_taller
from taller.ordenes import interruptor

AYUDA = "(mantenimiento) escribe ejercicios/ y notebooks/ a partir de soluciones/ y cuadernos/"
DESCRIPCION = (
    "Escribe los esqueletos de ejercicios/NN a partir de soluciones/NN, cambiando el "
    "código cercado por # >>> SOLUCION por un TODO, y cada notebooks/NN_tema.ipynb a "
    "partir de su texto, cuadernos/NN_tema.py. Es una herramienta para quien "
    "mantiene el taller: sobrescribe los ficheros de ejercicios/ y notebooks/. También "
    "escribe la tabla de módulos del README desde los manifiestos (soluciones/NN/modulo.toml) "
    "y el flujo de GitHub Classroom (.github/workflows/classroom.yml)."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("modulos", nargs="*", metavar="NN", help="módulos (por defecto, todos)")
    que_hace = parser.add_mutually_exclusive_group()
    interruptor(
        que_hace,
        "--comprobar",
        "no escribe nada: falla si ejercicios/ o notebooks/ no es lo que se generaría",
    )
    interruptor(
        que_hace,
        "--desde-cuadernos",
        "al revés, para un .ipynb editado en JupyterLab o llegado de otra rama: lo pasa "
        "a su texto, cuadernos/NN_tema.py (y lo reescribe desde él)",
    )
    interruptor(
        parser,
        "--forzar",
        "reescribe los .ipynb desde su texto aunque tengan cambios que no están en él",
    )


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    elegidos = [buscar_modulo(m, raiz) for m in args.modulos] if args.modulos else modulos(raiz)
    if args.desde_cuadernos:
        for modulo in elegidos:
            for ruta in cuadernos_de_texto.importar(modulo):
                print(f"escrito {ruta.relative_to(raiz)}")
        return 0
    if args.comprobar:
        diferencias = [
            d
            for modulo in elegidos
            for d in (*generador.comprobar(modulo), *cuadernos_de_texto.comprobar(modulo))
        ]
        for diferencia in diferencias:
            print(f"{diferencia.ruta.relative_to(raiz)}: {diferencia.motivo}", file=sys.stderr)
        tabla_vieja = not readme.readme_esta_al_dia(raiz)
        if tabla_vieja:
            print(
                "README.md: la tabla de módulos no es la de los manifiestos "
                "(soluciones/NN/modulo.toml): ejecuta `taller generar`.",
                file=sys.stderr,
            )
        if diferencias:
            print(
                f"ejercicios/, notebooks/ o cuadernos/ no están al día en {len(diferencias)} ficheros: "
                "ejecuta `taller generar` (o lo que dice cada uno).",
                file=sys.stderr,
            )
        flujo_viejo = not calificacion.flujo_al_dia(raiz)
        if flujo_viejo:
            print(
                f"{calificacion.RUTA_DEL_FLUJO}: el flujo de GitHub Classroom no es el de los "
                "módulos de hoy: ejecuta `taller generar`.",
                file=sys.stderr,
            )
        if diferencias or tabla_vieja or flujo_viejo:
            return 1
        print(
            f"ejercicios/ y notebooks/ están al día ({len(elegidos)} módulos), y la tabla del "
            "README y el flujo de Classroom también."
        )
        return 0
    retenidos = []
    for modulo in elegidos:
        for ruta in generador.generar(modulo):
            print(f"escrito {ruta.relative_to(raiz)}")
        escritos, no_escritos = cuadernos_de_texto.generar(modulo, forzar=args.forzar)
        for ruta in escritos:
            print(f"escrito {ruta.relative_to(raiz)}")
        # Lo que sigue sin estar al día (un .ipynb sin su texto) también se dice, y falla.
        ya_dichos = {d.ruta for d in no_escritos}
        pendientes = [d for d in cuadernos_de_texto.comprobar(modulo) if d.ruta not in ya_dichos]
        retenidos += [*no_escritos, *pendientes]
    if readme.escribir_readme(raiz):
        print("escrita la tabla de módulos de README.md")
    if calificacion.escribir_flujo(raiz):
        print(f"escrito {calificacion.RUTA_DEL_FLUJO}")
    for diferencia in retenidos:
        print(f"{diferencia.ruta.relative_to(raiz)}: {diferencia.motivo}", file=sys.stderr)
    return 1 if retenidos else 0
