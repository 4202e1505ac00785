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
    # >>> SOLUCION: «[monitor] SERVIDOR CAÍDO: MOTIVO» o «[monitor] SERVIDOR vuelve a estar bien»; el cuerpo nombra la comprobación y la ronda
    if cambio.ahora:
        asunto = f"[monitor] {cambio.servidor} vuelve a estar bien"
        cuerpo = f"{cambio.servidor} ({cambio.comprobacion}) vuelve a estar bien en la ronda {cambio.ronda}."
    else:
        asunto = f"[monitor] {cambio.servidor} CAÍDO: {cambio.motivo}"
        cuerpo = (
            f"{cambio.servidor} ({cambio.comprobacion}) ha fallado en la ronda {cambio.ronda}: "
            f"{cambio.motivo}."
        )
    return asunto, cuerpo
    # <<< SOLUCION


def mandar_correo(
    servidor_smtp: tuple[str, int], destinatario: str, asunto: str, cuerpo: str
) -> None:
    """Manda un correo de REMITENTE a `destinatario` por el servidor SMTP (host, puerto)."""
    # >>> SOLUCION: el mandar_correo del módulo 05 (escríbelo otra vez o trae el tuyo): un EmailMessage con From, To, Subject y set_content, y smtplib.SMTP(host, puerto, timeout=10) en un with
    mensaje = EmailMessage()
    mensaje["From"] = REMITENTE
    mensaje["To"] = destinatario
    mensaje["Subject"] = asunto
    mensaje.set_content(cuerpo)
    with smtplib.SMTP(*servidor_smtp, timeout=10) as cliente:
        cliente.send_message(mensaje)
    # <<< SOLUCION


class Alertas:
    """El pool del correo: `avisar(cambio)` vuelve enseguida; `cerrar()` espera a los correos."""

    def __init__(
        self, servidor_smtp: tuple[str, int], destinatario: str = DESTINATARIO, ejecutores: int = 2
    ) -> None:
        self.servidor_smtp = servidor_smtp
        self.destinatario = destinatario
        # >>> SOLUCION: el segundo pool: un ThreadPoolExecutor(ejecutores) propio, solo para el correo
        self._pool = ThreadPoolExecutor(max_workers=ejecutores, thread_name_prefix="correo")
        # <<< SOLUCION

    def avisar(self, cambio: Cambio) -> Future:
        """Manda (en el pool del correo) el correo de un cambio; devuelve su futuro."""
        # >>> SOLUCION: redacta el correo y mándalo con un submit al pool del correo; devuelve el futuro
        asunto, cuerpo = redactar(cambio)
        return self._pool.submit(
            mandar_correo, self.servidor_smtp, self.destinatario, asunto, cuerpo
        )
        # <<< SOLUCION

    def cerrar(self) -> None:
        """Espera a que salgan los correos pendientes y para el pool."""
        # >>> SOLUCION: shutdown del pool, esperando a sus hilos
        self._pool.shutdown(wait=True)
        # <<< SOLUCION

    def __enter__(self) -> Alertas:
        return self

    def __exit__(self, *excepcion: object) -> None:
        self.cerrar()
