"""Módulo 05 — El trabajo gordo de los apuntes: una base de datos y un correo por trabajo.

    Trabajo gordo: 10 trabajos pequeños (hilos)
        Cada uno es meter algo en una BBDD
    Cuando termine cada trabajo... lo mando por correo
        Tengo otro pool

El trabajo gordo es guardar las comprobaciones de los 200 servidores en una base SQLite.
Se parte en lotes; cada lote es un trabajo del pool de la base (`pool_bd`), y cuando su
promesa se resuelve, un trabajo del pool de correo (`pool_correo`) manda el informe del
lote a un servidor SMTP:

    pool_bd:     [guardar lote 1] [guardar lote 2] ...  (10 a la vez)
                        |  al resolverse
                        v
    pool_correo:  [mandar correo 1] [mandar correo 2] ...
"""

from __future__ import annotations

import smtplib
import sqlite3
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from pool import Pool
from promesa import Promesa

REMITENTE = "monitor@taller.local"
DESTINATARIO = "operaciones@taller.local"
ESTADOS = ("ok", "falla")
TABLA = """
CREATE TABLE IF NOT EXISTS comprobaciones (
    lote     INTEGER NOT NULL,
    servidor TEXT    NOT NULL,
    estado   TEXT    NOT NULL CHECK (estado IN ('ok', 'falla'))
)
"""


@dataclass(frozen=True)
class Lote:
    """Un trabajo pequeño: su número y sus filas (servidor, estado)."""

    numero: int
    filas: tuple[tuple[str, str], ...]


def partir(comprobaciones: list[tuple[str, str]], trozos: int = 10) -> list[Lote]:
    """Parte el trabajo gordo en `trozos` lotes de tamaño parecido, numerados desde 1."""
    if isinstance(trozos, bool) or not isinstance(trozos, int) or trozos < 1:
        raise ValueError(f"El trabajo se parte en 1 trozo o más (un entero), no en {trozos!r}")
    filas = [tuple(fila) for fila in comprobaciones]
    tamano, sobran = divmod(len(filas), trozos)
    lotes, inicio = [], 0
    for numero in range(1, trozos + 1):
        fin = inicio + tamano + (1 if numero <= sobran else 0)
        if fin > inicio:
            lotes.append(Lote(numero, tuple(filas[inicio:fin])))
        inicio = fin
    return lotes


def crear_tabla(ruta_bd: str | Path) -> None:
    """Crea la tabla `comprobaciones` si no existe."""
    conexion = sqlite3.connect(ruta_bd)
    try:
        with conexion:
            conexion.execute(TABLA)
    finally:
        conexion.close()


def guardar_lote(ruta_bd: str | Path, lote: Lote) -> int:
    """Inserta las filas del lote en una transacción y devuelve cuántas guardó.

    Abre su propia conexión: se llama desde los hilos del pool, y una conexión de SQLite
    no se comparte entre hilos. Si una fila falla, no se guarda ninguna del lote.
    """
    # TODO: abre una conexión propia, inserta todas las filas en una transacción (with conexion:), ciérrala y devuelve cuántas filas guardó
    raise NotImplementedError("guardar_lote: lo que falta lo dice su # TODO")


def redactar(lote: Lote, promesa: Promesa) -> tuple[str, str]:
    """El asunto y el cuerpo del correo de un lote, según cómo se resolvió su promesa."""
    error = promesa.error(timeout=0)
    if error is not None:
        return (
            f"Lote {lote.numero}: ERROR al guardar",
            f"No se guardó el lote {lote.numero} ({len(lote.filas)} filas): "
            f"{type(error).__name__}: {error}",
        )
    guardadas = promesa.valor(timeout=0)
    ok = sum(1 for _, estado in lote.filas if estado == "ok")
    return (
        f"Lote {lote.numero}: {guardadas} comprobaciones guardadas",
        f"Guardadas {guardadas} comprobaciones del lote {lote.numero}: "
        f"{ok} ok, {guardadas - ok} falla.",
    )


def mandar_correo(
    servidor_smtp: tuple[str, int], destinatario: str, asunto: str, cuerpo: str
) -> None:
    """Manda un correo de REMITENTE a `destinatario` por el servidor SMTP (host, puerto)."""
    # TODO: construye un EmailMessage (From, To, Subject y set_content) y mándalo con smtplib.SMTP(host, puerto)
    raise NotImplementedError("mandar_correo: lo que falta lo dice su # TODO")


class Tuberia:
    """Dos pools encadenados: guardar cada lote en la base y luego mandar su informe."""

    def __init__(
        self,
        ruta_bd: str | Path,
        servidor_smtp: tuple[str, int],
        destinatario: str = DESTINATARIO,
        ejecutores_bd: int = 10,
        ejecutores_correo: int = 2,
    ) -> None:
        self.ruta_bd = Path(ruta_bd)
        self.servidor_smtp = servidor_smtp
        self.destinatario = destinatario
        crear_tabla(self.ruta_bd)
        # Los pools del módulo 04 (con promesas), ya en marcha: Tuberia.detener() los para.
        self.pool_bd = Pool(ejecutores_bd, nombre="bd").arrancar()
        self.pool_correo = Pool(ejecutores_correo, nombre="correo").arrancar()

    def enviar(self, lote: Lote) -> Promesa:
        """Manda guardar el lote y, cuando acabe (bien o mal), mandar su correo.

        Devuelve la promesa de la inserción: su valor es el número de filas guardadas.
        """
        # TODO: envía guardar_lote al pool_bd; en su al_resolverse, redacta el correo y envía mandar_correo al pool_correo
        raise NotImplementedError("Tuberia.enviar: lo que falta lo dice su # TODO")

    def detener(self) -> None:
        """Para los dos pools sin perder ningún correo."""
        # TODO: detén los dos pools en un orden que no pierda ningún correo: ¿quién envía trabajos a quién?
        raise NotImplementedError("Tuberia.detener: lo que falta lo dice su # TODO")


def trabajo_gordo(
    comprobaciones: list[tuple[str, str]],
    ruta_bd: str | Path,
    servidor_smtp: tuple[str, int],
    destinatario: str = DESTINATARIO,
    trozos: int = 10,
) -> list[Promesa]:
    """Guarda las comprobaciones en `trozos` lotes a la vez, con un correo por lote.

    Vuelve cuando todo ha terminado (filas guardadas y correos enviados) y devuelve las
    promesas de las inserciones, en el orden de los lotes.
    """
    # TODO: crea la Tuberia, envía cada lote de partir(...) y, pase lo que pase, detenla; devuelve las promesas
    raise NotImplementedError("trabajo_gordo: lo que falta lo dice su # TODO")
