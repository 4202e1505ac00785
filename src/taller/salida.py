"""Salida de las órdenes: con color en un terminal, texto plano en una tubería o en CI.

Se sigue la convención de https://no-color.org: si la variable NO_COLOR tiene un valor,
nunca hay color. FORCE_COLOR fuerza el color aunque la salida no sea un terminal (útil para
ver los colores a través de `less -R`, y para probarlos).
"""

from __future__ import annotations

import os
from typing import TextIO

_CODIGOS = {
    "negrita": "1",
    "tenue": "2",
    "rojo": "31",
    "verde": "32",
    "amarillo": "33",
    "azul": "34",
}
BORRAR_PANTALLA = "\033[2J\033[H"


def admite_color(flujo: TextIO) -> bool:
    """¿Merece la pena escribir códigos de color en `flujo`?"""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    es_terminal = getattr(flujo, "isatty", None)
    return bool(es_terminal and es_terminal()) and os.environ.get("TERM") != "dumb"


def _pintor(*estilos: str):
    """El método de `Estilo` que pinta su texto con `estilos` (un nombre de _CODIGOS o más)."""

    def pintar(self: Estilo, texto: str) -> str:
        return self._pintar(texto, *estilos)

    pintar.__doc__ = f"El texto en {' y '.join(estilos)} (tal cual, si no hay color)."
    return pintar


class Estilo:
    """Pinta textos con códigos ANSI, o los deja tal cual si no hay color."""

    def __init__(self, color: bool = False) -> None:
        self.color = color

    @classmethod
    def para(cls, flujo: TextIO) -> Estilo:
        return cls(admite_color(flujo))

    def _pintar(self, texto: str, *estilos: str) -> str:
        if not self.color or not texto:
            return texto
        codigos = ";".join(_CODIGOS[estilo] for estilo in estilos)
        return f"\033[{codigos}m{texto}\033[0m"

    # Un método por estilo, todos iguales salvo los códigos: `estilo.rojo("falla")`.
    negrita = _pintor("negrita")
    tenue = _pintor("tenue")
    rojo = _pintor("rojo")
    verde = _pintor("verde")
    amarillo = _pintor("amarillo")
    azul = _pintor("azul")
    titulo = _pintor("negrita", "azul")

    def barra(self, hechos: int, total: int, ancho: int = 30) -> str:
        """`[██████░░░░] 2 de 9 módulos superados`; con `#` y `-` si no hay color."""
        llenos = round(ancho * hechos / total) if total else 0
        lleno, vacio = ("█", "░") if self.color else ("#", "-")
        dibujo = self.verde(lleno * llenos) + self.tenue(vacio * (ancho - llenos))
        modulos = "módulo superado" if total == 1 else "módulos superados"
        return f"[{dibujo}] {hechos} de {total} {modulos}"


def segundos(valor: float) -> str:
    """1.234 -> «1,2 s», con coma decimal como se escribe en español."""
    return f"{valor:.1f} s".replace(".", ",")
