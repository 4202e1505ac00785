"""`make lab` como lo usa el alumno: arranca también como root, y sus terminales ven el taller.

Se arranca JupyterLab de verdad en 127.0.0.1 y se le abre un terminal por su API (como al
pulsar «Terminal» en el navegador), por el que se pregunta dónde están `taller` y `pytest`.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from tornado.websocket import websocket_connect

from taller.modulos import raiz_del_taller

TOKEN = "prueba-del-taller"
LIMITE = 90


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pedir(url: str, metodo: str = "GET") -> dict:
    peticion = urllib.request.Request(url, method=metodo, data=b"" if metodo == "POST" else None)
    peticion.add_header("Authorization", f"token {TOKEN}")
    with urllib.request.urlopen(peticion, timeout=5) as respuesta:
        return json.loads(respuesta.read() or b"{}")


@pytest.fixture
def laboratorio():
    """`make lab` en un puerto libre; devuelve su URL base y su salida. Lo cierra al acabar."""
    raiz = raiz_del_taller()
    puerto = puerto_libre()
    opciones = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={puerto} "
        f"--IdentityProvider.token={TOKEN} --ServerApp.port_retries=0"
    )
    salida = raiz / ".taller" / "lab-de-prueba.log"
    salida.parent.mkdir(exist_ok=True)
    with open(salida, "w") as registro:
        proceso = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"LAB_OPCIONES={opciones}"],
            cwd=raiz,
            stdout=registro,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{puerto}"
    try:
        limite = time.monotonic() + LIMITE
        while True:
            if proceso.poll() is not None:
                pytest.fail(
                    f"`make lab` terminó (código {proceso.returncode}) sin llegar a responder:\n"
                    + salida.read_text(errors="replace")[-2000:]
                )
            try:
                pedir(f"{base}/api/status")
                break
            except OSError:
                if time.monotonic() > limite:
                    pytest.fail(f"JupyterLab no respondió en {LIMITE} s en {base}")
                time.sleep(0.3)
        yield base, salida
    finally:
        os.killpg(proceso.pid, signal.SIGTERM)
        try:
            proceso.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proceso.pid, signal.SIGKILL)
            proceso.wait()


async def en_el_terminal(base: str, orden: str, hasta: str) -> str:
    """Abre un terminal de JupyterLab, escribe `orden` y devuelve lo que sale hasta `hasta`."""
    nombre = pedir(f"{base}/api/terminals", "POST")["name"]
    ws_url = f"{base.replace('http', 'ws')}/terminals/websocket/{nombre}?token={TOKEN}"
    conexion = await websocket_connect(ws_url)
    try:
        conexion.write_message(json.dumps(["stdin", orden + "\r"]))
        visto, limite = "", time.monotonic() + 30
        while hasta not in visto.split(orden)[-1] and time.monotonic() < limite:
            mensaje = await conexion.read_message()
            if mensaje is None:
                break
            tipo, *datos = json.loads(mensaje)
            if tipo == "stdout":
                visto += datos[0]
        return visto
    finally:
        conexion.close()


@pytest.mark.lento
@pytest.mark.timeout(180)
def test_make_lab_arranca_y_sus_terminales_encuentran_taller_y_pytest(laboratorio):
    base, salida = laboratorio
    orden = "echo TALLER=$(command -v taller) PYTEST=$(command -v pytest) FIN"
    visto = asyncio.run(asyncio.wait_for(en_el_terminal(base, orden, "FIN"), timeout=60))
    venv = str(raiz_del_taller() / ".venv" / "bin")
    assert f"TALLER={venv}/taller" in visto, (
        f"En el terminal de JupyterLab, `taller` debe ser el del taller ({venv}); salió:\n{visto}"
    )
    assert f"PYTEST={venv}/pytest" in visto, f"Y `pytest` también; salió:\n{visto}"
    registro = salida.read_text(errors="replace")
    assert "Running as root is not recommended" not in registro, registro[-2000:]
