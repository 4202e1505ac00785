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
        # >>> SOLUCION: apunta el hilo dueño (threading.get_ident()), abre la conexión y crea el esquema (ciérrala si falla)
        self._dueno = threading.get_ident()
        self._conexion = sqlite3.connect(self.ruta)
        try:
            self._crear_esquema()
        except BaseException:
            self._conexion.close()
            raise
        # <<< SOLUCION

    def _crear_esquema(self) -> None:
        """Crea la tabla si la base es nueva; si es de otra versión, ErrorDeHistorial."""
        # >>> SOLUCION: lee PRAGMA user_version: 0 es una base nueva (crea el ESQUEMA y pon VERSION_DEL_ESQUEMA, en una transacción); otra distinta de la nuestra, ErrorDeHistorial que diga las dos
        version = self._conexion.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:  # todo o nada: la tabla y la versión, en la misma transacción
            self._conexion.executescript(
                f"BEGIN; {ESQUEMA} PRAGMA user_version = {VERSION_DEL_ESQUEMA}; COMMIT;"
            )
        elif version != VERSION_DEL_ESQUEMA:
            raise ErrorDeHistorial(
                f"{self.ruta} tiene la versión de esquema {version} y este monitor usa la "
                f"{VERSION_DEL_ESQUEMA}: no es una base de este monitor (o es de otra versión)"
            )
        # <<< SOLUCION

    def _solo_el_dueno(self) -> None:
        # >>> SOLUCION: si el hilo que llama no es el dueño, ErrorDeHistorial (en español, que diga por qué)
        if threading.get_ident() != self._dueno:
            raise ErrorDeHistorial(
                f"El historial {self.ruta} se abrió en otro hilo: una conexión de SQLite es "
                "del hilo que la abrió. Los hilos de la ronda devuelven resultados; guárdalos "
                "desde el hilo dueño."
            )
        # <<< SOLUCION

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
        # >>> SOLUCION: dentro de `with self._conexion:` calcula el número de ronda, compara cada resultado con ultimo_estado ANTES de insertarlo y apunta los Cambio; inserta todas las filas
        cambios = []
        with self._conexion:
            numero = self.ultima_ronda() + 1
            for r in resultados:
                antes = self.ultimo_estado(r.servidor, r.comprobacion)
                if (antes is None and not r.ok) or (antes is not None and antes != r.ok):
                    cambios.append(
                        Cambio(r.servidor, r.comprobacion, antes, r.ok, r.motivo, numero)
                    )
                self._conexion.execute(
                    "INSERT INTO resultados (ronda, instante, servidor, comprobacion, ok, motivo, "
                    "segundos) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (numero, instante, r.servidor, r.comprobacion, int(r.ok), r.motivo, r.segundos),
                )
        return cambios
        # <<< SOLUCION

    def cerrar(self) -> None:
        """Cierra la conexión (lo que no se confirmó, se deshace). Se puede llamar varias veces."""
        self._solo_el_dueno()
        self._conexion.close()

    def __enter__(self) -> Historial:
        return self

    def __exit__(self, *excepcion: object) -> None:
        self.cerrar()
