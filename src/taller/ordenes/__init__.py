"""Un módulo por verbo de la orden `taller` (ver taller.cli), y lo que varios comparten."""

from __future__ import annotations

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
