"""`taller generar`: escribe ejercicios/ desde soluciones/ (herramienta de mantenimiento).

El alumno no debe usarla: sobrescribiría su trabajo con los esqueletos.
"""

from __future__ import annotations

import argparse
import sys

from taller import generador, readme
from taller.modulos import buscar_modulo, modulos, raiz_del_taller


def registrar(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "generar",
        help="(mantenimiento) escribe ejercicios/ a partir de soluciones/",
        description=(
            "Escribe los esqueletos de ejercicios/NN a partir de soluciones/NN, cambiando el "
            "código cercado por # >>> SOLUCION por un TODO. Es una herramienta para quien "
            "mantiene el taller: sobrescribe los ficheros de ejercicios/. También escribe la "
            "tabla de módulos del README desde los manifiestos (soluciones/NN/modulo.toml)."
        ),
    )
    parser.add_argument("modulos", nargs="*", metavar="NN", help="módulos (por defecto, todos)")
    parser.add_argument(
        "--comprobar",
        action="store_true",
        help="no escribe nada: falla si ejercicios/ no es lo que se generaría",
    )
    return parser


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    elegidos = [buscar_modulo(m, raiz) for m in args.modulos] if args.modulos else modulos(raiz)
    if args.comprobar:
        diferencias = [d for modulo in elegidos for d in generador.comprobar(modulo)]
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
                f"ejercicios/ no está al día en {len(diferencias)} ficheros: ejecuta `taller generar`.",
                file=sys.stderr,
            )
        if diferencias or tabla_vieja:
            return 1
        print(f"ejercicios/ está al día ({len(elegidos)} módulos), y la tabla del README también.")
        return 0
    for modulo in elegidos:
        for ruta in generador.generar(modulo):
            print(f"escrito {ruta.relative_to(raiz)}")
    if readme.escribir_readme(raiz):
        print("escrita la tabla de módulos de README.md")
    return 0
