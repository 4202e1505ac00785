"""La orden `taller`: un verbo en español por tarea (generar, flota, pista, comprobar...).

Cada verbo vive en su propio módulo de `taller.ordenes`, que dice `AYUDA` (su línea en
`taller --help`; None, si no debe salir), `DESCRIPCION` (la de `taller VERBO --help`),
`argumentos(parser)` y `ejecutar(args) -> int`. Añadir un verbo es añadir su módulo a
ORDENES; el subparser lo crea `construir_parser`, igual para todos.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from taller import argparse_es
from taller.modulos import ErrorDelTaller

ORDENES = [
    "progreso",
    "vigilar",
    "comprobar",
    "pista",
    "reiniciar",
    "informe",
    "generar",
    "flota",
    "nuevo",
]


def construir_parser() -> argparse.ArgumentParser:
    argparse_es.traducir()
    parser = argparse.ArgumentParser(
        prog="taller",
        description="Taller de Python para sistemas: tu compañero de línea de órdenes.",
    )
    subparsers = parser.add_subparsers(dest="orden", metavar="ORDEN", title="órdenes")
    subparsers.required = True
    for nombre in ORDENES:
        orden = importlib.import_module(f"taller.ordenes.{nombre}")
        # Con help=, aunque sea None, argparse lo pone en la lista de órdenes: sin AYUDA, ni se pasa.
        en_la_lista = {"help": orden.AYUDA} if orden.AYUDA else {}
        sub = subparsers.add_parser(nombre, description=orden.DESCRIPCION, **en_la_lista)
        orden.argumentos(sub)
        sub.set_defaults(_ejecutar=orden.ejecutar)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = construir_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._ejecutar(args) or 0)
    except ErrorDelTaller as error:
        print(f"taller: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ntaller: interrumpido.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Quien leía la salida la cerró antes de tiempo (`taller progreso | head`): no es un
        # error. Se apunta stdout a /dev/null para que Python no se queje al cerrarlo.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
