"""Paso 3 — El historial: cada resultado, en un fichero SQLite de verdad.

Una tabla, creada si no existe, y una versión de esquema (`PRAGMA user_version`) para saber
qué forma tiene la base que abrimos: un monitor de mañana con otra tabla no debe escribir a
ciegas en la de hoy, ni al revés.

Una conexión de SQLite es de UN hilo (el que la abrió): los hilos de la ronda no la tocan.
Ellos comprueban; el hilo dueño del Historial guarda la ronda entera en una transacción (o
toda o nada: un Ctrl+C no deja filas a medias) y, comparando con el último resultado de
cada comprobación, dice qué ha cambiado de estado.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ronda import Resultado

VERSION_DEL_ESQUEMA = 1
ESQUEMA = """
CREATE TABLE IF NOT EXISTS resultados (
    id           INTEGER PRIMARY KEY,
    ronda        INTEGER NOT NULL,
    instante     REAL    NOT NULL,
    servidor     TEXT    NOT NULL,
    comprobacion TEXT    NOT NULL,
    ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
    motivo       TEXT    NOT NULL,
    segundos     REAL    NOT NULL
);
CREATE INDEX IF NOT EXISTS por_comprobacion ON resultados (servidor, comprobacion, id);
"""


class ErrorDeHistorial(RuntimeError):
    """La base no es de este monitor (otra versión de esquema) o se usa desde otro hilo."""


@dataclass(frozen=True)
class Cambio:
    """Una comprobación que ha cambiado de estado: antes (None si es la primera vez) y ahora."""

    servidor: str
    comprobacion: str
    antes: bool | None
    ahora: bool
    motivo: str  # el de ahora
    ronda: int


class Historial:
    """El fichero SQLite del monitor. Se usa SOLO desde el hilo que lo abrió."""

    def __init__(self, ruta: str | Path) -> None:
        self.ruta = Path(ruta)
        # TODO: apunta el hilo dueño (threading.get_ident()), abre la conexión y crea el esquema (ciérrala si falla)
        raise NotImplementedError("Historial.__init__: lo que falta lo dice su # TODO")

    def _crear_esquema(self) -> None:
        """Crea la tabla si la base es nueva; si es de otra versión, ErrorDeHistorial."""
        # TODO: lee PRAGMA user_version: 0 es una base nueva (crea el ESQUEMA y pon VERSION_DEL_ESQUEMA, en una transacción); otra distinta de la nuestra, ErrorDeHistorial que diga las dos
        raise NotImplementedError("Historial._crear_esquema: lo que falta lo dice su # TODO")

    def _solo_el_dueno(self) -> None:
        # TODO: si el hilo que llama no es el dueño, ErrorDeHistorial (en español, que diga por qué)
        raise NotImplementedError("Historial._solo_el_dueno: lo que falta lo dice su # TODO")

    def ultima_ronda(self) -> int:
        """El número de la última ronda guardada (0 si no hay ninguna)."""
        self._solo_el_dueno()
        return self._conexion.execute("SELECT COALESCE(MAX(ronda), 0) FROM resultados").fetchone()[
            0
        ]

    def ultimo_estado(self, servidor: str, comprobacion: str) -> bool | None:
        """¿Estaba bien la última vez? None si nunca se ha comprobado."""
        self._solo_el_dueno()
        fila = self._conexion.execute(
            "SELECT ok FROM resultados WHERE servidor = ? AND comprobacion = ? "
            "ORDER BY id DESC LIMIT 1",
            (servidor, comprobacion),
        ).fetchone()
        return None if fila is None else bool(fila[0])

    def guardar_ronda(
        self, resultados: list[Resultado], instante: float | None = None
    ) -> list[Cambio]:
        """Guarda la ronda entera en UNA transacción y devuelve los cambios de estado.

        Un cambio es ok → caído o caído → ok respecto al último resultado de esa comprobación;
        la primera vez que se ve una comprobación, solo es cambio si está caída.
        """
        self._solo_el_dueno()
        instante = time.time() if instante is None else instante
        # TODO: dentro de `with self._conexion:` calcula el número de ronda, compara cada resultado con ultimo_estado ANTES de insertarlo y apunta los Cambio; inserta todas las filas
        raise NotImplementedError("Historial.guardar_ronda: lo que falta lo dice su # TODO")

    def cerrar(self) -> None:
        """Cierra la conexión (lo que no se confirmó, se deshace). Se puede llamar varias veces."""
        self._solo_el_dueno()
        self._conexion.close()

    def __enter__(self) -> Historial:
        return self

    def __exit__(self, *excepcion: object) -> None:
        self.cerrar()
