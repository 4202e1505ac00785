"""Un módulo por verbo de la orden `taller` (ver taller.cli), y lo que varios comparten."""

from __future__ import annotations

import argparse
from pathlib import Path

from taller.modulos import Modulo, buscar_modulo
from taller.progreso import modulo_actual
from taller.salida import Estilo


def elegir_modulo(texto: str | None, raiz: Path, estilo: Estilo) -> Modulo:
    """El módulo que pide el alumno o, si no dice ninguno, el primero que no ha superado."""
    if texto:
        return buscar_modulo(texto, raiz)
    modulo = modulo_actual(raiz)
    print(
        estilo.tenue(
            f"(Módulo {modulo.numero}: el primero que no has superado. Para otro, di su número.)"
        )
    )
    return modulo


def argumento_modulo(
    parser: argparse.ArgumentParser,
    ayuda: str = "el número del módulo: 01, 1, ejercicios/01… "
    "(por defecto, el primero que no has superado)",
    soluciones: str | None = None,
) -> None:
    """El `NN` opcional de las órdenes que trabajan sobre un módulo; sin él, `elegir_modulo`
    toma el primero sin superar. Con `soluciones` (su ayuda), también `--soluciones`: la
    solución de referencia de ese módulo en vez del código del alumno."""
    parser.add_argument("modulo", metavar="NN", nargs="?", help=ayuda)
    if soluciones:
        interruptor(parser, "--soluciones", soluciones)


def interruptor(parser: argparse._ActionsContainer, nombre: str, ayuda: str) -> None:
    """Una opción sin valor (`--soluciones`, `--todas`...): False si no está, True si está.
    `parser` puede ser también un grupo (`add_mutually_exclusive_group()`)."""
    parser.add_argument(nombre, action="store_true", help=ayuda)
