"""La foto del dashboard de Dask (módulo 10): la cola del scheduler y los hilos de los workers.

    python bench/dashboard.py [--actualizar] [--servidores 400] [--latencia 0.05]

Arranca un `LocalCluster` de 2 workers x 5 hilos con su dashboard (necesita `bokeh`) en un
puerto libre, pone a dar rondas del 09 contra una flota local (así el *task stream* tiene algo
que enseñar) y, con la ronda en marcha, saca una captura de la página /status con chromium sin
cabeza. Por defecto la deja en bench/resultados/dashboard.png (git lo ignora: medir no ensucia
el árbol); solo con --actualizar (`make figuras`) reescribe la que enseña el cuaderno 10,
notebooks/img/dashboard.png. Sin chromium o sin bokeh lo dice y acaba con 0 sin tocar nada:
la captura comprometida se queda como está.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
VENTANA = (1280, 800)


def destino(actualizar: bool) -> Path:
    """Dónde va la captura: la del cuaderno solo si se pide (`make figuras`)."""
    if actualizar:
        return RAIZ / "notebooks" / "img" / "dashboard.png"
    return RAIZ / "bench" / "resultados" / "dashboard.png"


def buscar_chromium() -> str | None:
    for nombre in CHROMIUM:
        ruta = shutil.which(nombre)
        if ruta:
            return ruta
    return None


async def _capturar(chromium: str, url: str, salida: Path, segundos: float) -> None:
    """Abre `url` en chromium sin cabeza, espera `segundos` de verdad y guarda la pantalla.

    Por el protocolo de DevTools (un websocket, con el cliente de tornado que ya trae Dask):
    `--screenshot` a secas no sirve, porque el dashboard pinta lo que le llega por su propio
    websocket y chromium hace la foto antes (y `--virtual-time-budget` congela ese websocket).
    """
    from tornado.websocket import websocket_connect

    with tempfile.TemporaryDirectory(prefix="taller-chromium-") as perfil:
        navegador = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={perfil}",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--window-size={VENTANA[0]},{VENTANA[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # chromium escribe ahí su puerto (--remote-debugging-port=0: uno libre).
            fichero = Path(perfil) / "DevToolsActivePort"
            limite = time.monotonic() + 60
            while not (fichero.is_file() and len(fichero.read_text().splitlines()) >= 2):
                if navegador.poll() is not None or time.monotonic() > limite:
                    raise RuntimeError(f"chromium no abrió su puerto de DevTools ({chromium})")
                await asyncio.sleep(0.1)
            puerto = fichero.read_text().splitlines()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{puerto}/json/list", timeout=30) as r:
                paginas = [p for p in json.load(r) if p["type"] == "page"]
            conexion = await websocket_connect(
                paginas[0]["webSocketDebuggerUrl"], max_message_size=64 * 2**20
            )
            numero = 0

            async def orden(metodo: str, **parametros) -> dict:
                nonlocal numero
                numero += 1
                mensaje = {"id": numero, "method": metodo, "params": parametros}
                await conexion.write_message(json.dumps(mensaje))
                while True:  # los eventos que llegan entre medias no interesan
                    respuesta = await asyncio.wait_for(conexion.read_message(), 60)
                    if respuesta is None:
                        raise RuntimeError("chromium cerró la conexión de DevTools")
                    datos = json.loads(respuesta)
                    if datos.get("id") == numero:
                        return datos

            await orden(
                "Emulation.setDeviceMetricsOverride",
                width=VENTANA[0],
                height=VENTANA[1],
                deviceScaleFactor=1,
                mobile=False,
            )
            await orden("Page.navigate", url=url)
            await asyncio.sleep(segundos)
            foto = await orden("Page.captureScreenshot", format="png")
            salida.write_bytes(base64.b64decode(foto["result"]["data"]))
            conexion.close()
        finally:
            navegador.terminate()
            try:
                navegador.wait(30)
            except subprocess.TimeoutExpired:
                navegador.kill()
                navegador.wait(30)


def capturar(chromium: str, url: str, salida: Path, segundos: float) -> None:
    asyncio.run(_capturar(chromium, url, salida, segundos))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Captura del dashboard de Dask con una ronda.")
    parser.add_argument("--actualizar", action="store_true", help="reescribe notebooks/img/")
    parser.add_argument("--servidores", type=int, default=400)
    parser.add_argument("--latencia", type=float, default=0.05)
    parser.add_argument(
        "--segundos", type=float, default=8.0, help="cuánto mira chromium antes de la foto"
    )
    args = parser.parse_args(argv)

    chromium = buscar_chromium()
    if chromium is None:
        print("No hay chromium en el PATH: la captura del dashboard se queda como está.")
        return 0
    try:
        import bokeh  # noqa: F401 - el dashboard de Dask lo necesita
    except ImportError:
        print("Falta bokeh (pip install bokeh): sin él no hay dashboard que capturar.")
        return 0

    sys.path.insert(0, str(Path(__file__).parent))
    from cluster import codigo_del_10  # noqa: E402 - bench/ no es un paquete
    from distributed import Client, LocalCluster

    from taller.flota import flota

    inventario, ronda = codigo_del_10()
    salida = destino(args.actualizar)
    salida.parent.mkdir(parents=True, exist_ok=True)
    parar, una_hecha = threading.Event(), threading.Event()
    with (
        flota(servidores=args.servidores, latencia=args.latencia) as f,
        LocalCluster(
            n_workers=2,
            threads_per_worker=5,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",  # un puerto libre: el 8787 puede ser de otro cluster
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster, set_as_default=False) as cliente,
    ):
        cliente.wait_for_workers(2, timeout=120)
        lista = [
            inventario.Servidor(
                s.nombre, ("127.0.0.1",), (), (inventario.Comprobacion("http", s.puerto),)
            )
            for s in f.servidores
        ]
        ejecutor = cliente.get_executor(pure=False)

        def rondas() -> None:
            while not parar.is_set():
                ronda.ronda(lista, ejecutor=ejecutor)
                una_hecha.set()

        hilo = threading.Thread(target=rondas, name="rondas", daemon=True)
        hilo.start()
        try:
            # Que el task stream tenga al menos una ronda entera que enseñar.
            if not una_hecha.wait(180):
                raise RuntimeError("la primera ronda no acabó en 180 s")
            url = cliente.dashboard_link
            print("dashboard en", url)
            capturar(chromium, url, salida, args.segundos)
        finally:
            parar.set()
            hilo.join(120)
    print(f"Captura en {salida.relative_to(RAIZ)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
