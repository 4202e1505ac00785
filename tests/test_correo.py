"""El servidor SMTP del taller: recibe correos de verdad en 127.0.0.1 y se detiene sin dejar nada."""

import smtplib
import socket
import threading
from email.message import EmailMessage

import pytest

from taller.correo import ServidorSMTP, servidor_smtp


def correo(asunto, cuerpo="Hola.\nSegunda línea."):
    mensaje = EmailMessage()
    mensaje["From"] = "monitor@taller.local"
    mensaje["To"] = "guardia@taller.local"
    mensaje["Subject"] = asunto
    mensaje.set_content(cuerpo)
    return mensaje


@pytest.mark.red_local
def test_recibe_correos_por_smtp_y_los_guarda_en_orden():
    with servidor_smtp() as smtp:
        assert smtp.host == "127.0.0.1" and smtp.puerto > 0
        with smtplib.SMTP(*smtp.direccion, timeout=10) as cliente:
            cliente.send_message(correo("Lote 1: ñandú"))
            cliente.send_message(correo("Lote 2"))
        recibidos = smtp.correos
    assert [c["Subject"] for c in recibidos] == ["Lote 1: ñandú", "Lote 2"]
    assert recibidos[0]["To"] == "guardia@taller.local"
    assert recibidos[0].get_content() == "Hola.\nSegunda línea.\n"


@pytest.mark.red_local
def test_esperar_correos_espera_a_los_que_llegan_desde_otro_hilo():
    with servidor_smtp() as smtp:

        def mandar():
            with smtplib.SMTP(*smtp.direccion, timeout=10) as cliente:
                cliente.send_message(correo("desde otro hilo"))

        hilo = threading.Thread(target=mandar)
        hilo.start()
        recibidos = smtp.esperar_correos(1, segundos=10)
        hilo.join()
    assert [c["Subject"] for c in recibidos] == ["desde otro hilo"]


@pytest.mark.red_local
def test_al_detenerse_cierra_el_puerto_y_no_deja_hilos():
    antes = set(threading.enumerate())
    smtp = ServidorSMTP().arrancar()
    puerto = smtp.puerto
    smtp.detener()
    smtp.detener()  # dos veces no es un error
    assert set(threading.enumerate()) - antes == set()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", puerto), timeout=5).close()
