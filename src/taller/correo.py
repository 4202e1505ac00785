"""Un servidor de correo (SMTP) real en 127.0.0.1, para programas que mandan correos.

Es un servidor SMTP de verdad (aiosmtpd): se le habla con `smtplib` como a cualquier otro,
pero en lugar de entregar los correos los guarda en una lista para poder mirarlos.

    with servidor_smtp() as smtp:
        with smtplib.SMTP(smtp.host, smtp.puerto) as cliente:
            cliente.send_message(mensaje)
        smtp.correos[0]["Subject"], smtp.correos[0].get_content()

Escucha en un puerto libre que elige el sistema (nunca fuera de 127.0.0.1) y, al salir del
`with`, se detiene, cierra el puerto y espera a su hilo.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


class _Buzon:
    """El manejador de aiosmtpd: cada correo aceptado se guarda como EmailMessage."""

    def __init__(self) -> None:
        self.correos: list[EmailMessage] = []
        self.condicion = threading.Condition()

    async def handle_DATA(self, servidor, sesion, sobre) -> str:  # noqa: N802 - API de aiosmtpd
        # SMTP viaja con finales de línea \r\n; se guardan con \n, como en Python.
        contenido = sobre.content.replace(b"\r\n", b"\n")
        correo = email.message_from_bytes(contenido, policy=email.policy.default)
        with self.condicion:
            self.correos.append(correo)
            self.condicion.notify_all()
        return "250 Mensaje aceptado"


class _Controlador(Controller):
    """Un Controller que escucha en un socket ya abierto (así el puerto 0 funciona)."""

    def __init__(self, manejador: _Buzon, enchufe: socket.socket) -> None:
        self._enchufe = enchufe
        # Sin Nagle: aiosmtpd escribe cada línea de la respuesta a EHLO por separado, y con
        # Nagle la segunda espera al ACK retardado del cliente (40 ms por correo, en Linux).
        # Las conexiones aceptadas heredan la opción del socket que escucha.
        enchufe.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        puerto = enchufe.getsockname()[1]
        super().__init__(manejador, hostname=HOST, port=puerto, server_hostname="taller.local")

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._enchufe)


class ServidorSMTP:
    """Un servidor SMTP en 127.0.0.1 que guarda lo que recibe (ver el docstring del módulo)."""

    def __init__(self) -> None:
        self._buzon = _Buzon()
        self._controlador: _Controlador | None = None
        self.host = HOST
        self.puerto = 0

    @property
    def direccion(self) -> tuple[str, int]:
        """(host, puerto), lo que necesita `smtplib.SMTP(host, puerto)`."""
        return (self.host, self.puerto)

    @property
    def correos(self) -> list[EmailMessage]:
        """Una copia de los correos recibidos hasta ahora, en orden de llegada."""
        with self._buzon.condicion:
            return list(self._buzon.correos)

    def esperar_correos(self, cuantos: int, segundos: float = 10.0) -> list[EmailMessage]:
        """Espera a que hayan llegado `cuantos` correos (o pasen `segundos`) y los devuelve."""
        with self._buzon.condicion:
            self._buzon.condicion.wait_for(lambda: len(self._buzon.correos) >= cuantos, segundos)
            return list(self._buzon.correos)

    def arrancar(self) -> ServidorSMTP:
        enchufe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        enchufe.bind((HOST, 0))
        self.puerto = enchufe.getsockname()[1]
        self._controlador = _Controlador(self._buzon, enchufe)
        try:
            self._controlador.start()
        except BaseException:
            self._controlador = None
            enchufe.close()
            raise
        return self

    def detener(self) -> None:
        """Para el servidor y espera a su hilo. Se puede llamar varias veces."""
        controlador, self._controlador = self._controlador, None
        if controlador is not None:
            controlador.stop()

    def __enter__(self) -> ServidorSMTP:
        return self.arrancar()

    def __exit__(self, *excepcion: object) -> None:
        self.detener()


@contextlib.contextmanager
def servidor_smtp() -> Iterator[ServidorSMTP]:
    """Arranca un servidor SMTP en 127.0.0.1, lo entrega y lo detiene al salir del `with`."""
    servidor = ServidorSMTP().arrancar()
    try:
        yield servidor
    finally:
        servidor.detener()
