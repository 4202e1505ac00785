"""Detectar que se ha guardado un fichero de una carpeta, por sondeo.

Se compara cada cierto tiempo una «instantánea» de la carpeta: fecha de modificación (en
nanosegundos), tamaño e inodo de cada fichero. Es más lento que inotify, pero funciona en
todas partes: dentro de un contenedor, en una carpeta montada desde el anfitrión (donde los
eventos de inotify no llegan) o en WSL. Para una carpeta de ejercicio (una decena de
ficheros) el coste es despreciable.

El inodo cuenta porque muchos editores guardan escribiendo un fichero nuevo y
renombrándolo encima del viejo.
"""

from __future__ import annotations

import os
from pathlib import Path

CARPETAS_IGNORADAS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".taller", ".git"}
SUFIJOS_IGNORADOS = (".pyc", ".swp", ".swx", ".swo", ".tmp", "~")

Instantanea = dict[str, tuple[int, int, int]]


def _ignorado(nombre: str) -> bool:
    return nombre.startswith((".", "#")) or nombre.endswith(SUFIJOS_IGNORADOS)


def instantanea(carpeta: Path) -> Instantanea:
    """Fecha, tamaño e inodo de cada fichero de la carpeta (sin cachés ni temporales de editor)."""
    resultado: Instantanea = {}
    for actual, carpetas, ficheros in os.walk(carpeta):
        carpetas[:] = [c for c in carpetas if c not in CARPETAS_IGNORADAS and not _ignorado(c)]
        for nombre in ficheros:
            if _ignorado(nombre):
                continue
            ruta = os.path.join(actual, nombre)
            try:
                datos = os.stat(ruta)
            except OSError:  # se borró entre el listado y el stat
                continue
            resultado[os.path.relpath(ruta, carpeta)] = (
                datos.st_mtime_ns,
                datos.st_size,
                datos.st_ino,
            )
    return resultado


class Vigia:
    """Recuerda cómo estaba una carpeta y dice si ha cambiado desde la última vez."""

    def __init__(self, carpeta: Path) -> None:
        self.carpeta = carpeta
        self._ultima = instantanea(carpeta)

    def hay_cambios(self) -> bool:
        """¿Ha cambiado algo desde la última llamada (o desde que se creó)?"""
        nueva = instantanea(self.carpeta)
        cambio = nueva != self._ultima
        self._ultima = nueva
        return cambio
