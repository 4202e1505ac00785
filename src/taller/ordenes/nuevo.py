"""`taller nuevo NN "Tema"`: crea un módulo con todas sus piezas (herramienta de mantenimiento).

No sale en la ayuda del alumno (`taller --help`): es para quien escribe el taller.
"""

from __future__ import annotations

import argparse

from taller import nuevo
from taller.modulos import POR_HACER, raiz_del_taller

# Sin AYUDA: así no aparece en la lista de órdenes de `taller --help`.
AYUDA = None
DESCRIPCION = (
    "(mantenimiento) Crea el módulo NN con todas sus piezas: manifiesto, solución, "
    "pruebas, enunciado, pistas y cuaderno, y genera su esqueleto. Lo que falta por "
    f"escribir va marcado con {POR_HACER}: `make test` (tests/test_modulos.py -k NN) "
    "lo lista."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("modulo", metavar="NN", help="el número del módulo nuevo: 09, 10…")
    parser.add_argument("tema", help="el tema, entre comillas: «Proyecto final»")


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    modulo, escritos = nuevo.crear(raiz, args.modulo, args.tema)
    for ruta in escritos:
        print(f"escrito {ruta.relative_to(raiz)}")
    print(
        f"Ahora busca {POR_HACER} en esos ficheros; `pytest tests/test_modulos.py -k "
        f"{modulo.numero}` te dice cuántos quedan y dónde."
    )
    return 0
