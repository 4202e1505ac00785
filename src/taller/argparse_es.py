"""Traduce al español los textos fijos de argparse (uso, ayuda, errores).

argparse pide sus textos a gettext en cada llamada (`argparse._`), así que basta con
sustituir esa función por una que consulte este diccionario.
"""

from __future__ import annotations

import argparse

TEXTOS = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos",
    "options": "opciones",
    "optional arguments": "opciones",
    "show this help message and exit": "muestra esta ayuda y termina",
    "the following arguments are required: %s": "faltan estos argumentos: %s",
    "unrecognized arguments: %s": "argumentos desconocidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elige entre %(choices)s)",
    "invalid %(type)s value: %(value)r": "valor %(type)s no válido: %(value)r",
    "expected one argument": "falta un valor",
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "not allowed with argument %s": "no se puede usar junto con %s",
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "expected at most one argument": "como mucho un valor",
    "expected at least one argument": "falta al menos un valor",
    "one of the arguments %s is required": "hace falta uno de estos argumentos: %s",
    "ignored explicit argument %r": "esta opción no lleva valor: %r",
}


def _traducir(texto: str) -> str:
    return TEXTOS.get(texto, texto)


def traducir() -> None:
    argparse._ = _traducir  # type: ignore[attr-defined]
