"""Paso 4 — Las alertas: un correo por cada cambio de estado, desde un segundo pool.

Como en el módulo 05: el correo va por otro pool, así un servidor de correo lento nunca
frena las comprobaciones. Y sin tormenta de correos: uno por CAMBIO (ok → caído, caído → ok),
no uno por ronda mientras algo siga caído.
"""

from __future__ import annotations

import smtplib
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage

from historial import Cambio

REMITENTE = "monitor@taller.local"
DESTINATARIO = "operaciones@taller.local"


def redactar(cambio: Cambio) -> tuple[str, str]:
    """El asunto y el cuerpo del correo de un cambio."""
    # TODO: «[monitor] SERVIDOR CAÍDO: MOTIVO» o «[monitor] SERVIDOR vuelve a estar bien»; el cuerpo nombra la comprobación y la ronda
    raise NotImplementedError("redactar: lo que falta lo dice su # TODO")


def mandar_correo(
    servidor_smtp: tuple[str, int], destinatario: str, asunto: str, cuerpo: str
) -> None:
    """Manda un correo de REMITENTE a `destinatario` por el servidor SMTP (host, puerto)."""
    # TODO: el mandar_correo del módulo 05 (escríbelo otra vez o trae el tuyo): un EmailMessage con From, To, Subject y set_content, y smtplib.SMTP(host, puerto, timeout=10) en un with
    raise NotImplementedError("mandar_correo: lo que falta lo dice su # TODO")


class Alertas:
    """El pool del correo: `avisar(cambio)` vuelve enseguida; `cerrar()` espera a los correos."""

    def __init__(
        self, servidor_smtp: tuple[str, int], destinatario: str = DESTINATARIO, ejecutores: int = 2
    ) -> None:
        self.servidor_smtp = servidor_smtp
        self.destinatario = destinatario
        # TODO: el segundo pool: un ThreadPoolExecutor(ejecutores) propio, solo para el correo
        raise NotImplementedError("Alertas.__init__: lo que falta lo dice su # TODO")

    def avisar(self, cambio: Cambio) -> Future:
        """Manda (en el pool del correo) el correo de un cambio; devuelve su futuro."""
        # TODO: redacta el correo y mándalo con un submit al pool del correo; devuelve el futuro
        raise NotImplementedError("Alertas.avisar: lo que falta lo dice su # TODO")

    def cerrar(self) -> None:
        """Espera a que salgan los correos pendientes y para el pool."""
        # TODO: shutdown del pool, esperando a sus hilos
        raise NotImplementedError("Alertas.cerrar: shutdown del pool, esperando a sus hilos")

    def __enter__(self) -> Alertas:
        return self

    def __exit__(self, *excepcion: object) -> None:
        self.cerrar()
