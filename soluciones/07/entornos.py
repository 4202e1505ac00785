"""Módulo 07 — pip y entornos virtuales: crear un venv, llenarlo y preguntarle.

Cinco programas que necesitan cinco versiones de la misma biblioteca no caben en un solo
site-packages. Un entorno virtual (venv) es una carpeta con su propio site-packages y un
`python` que lo usa; aquí lo manejamos desde Python:

    crear_entorno(ruta)                  la carpeta, sin pip dentro (milisegundos)
    interprete_de(entorno)               su bin/python, o un error si no es un venv
    ejecutar_en(entorno, codigo)         ejecuta código con ESE python y devuelve lo que imprime
    instalar(entorno, requisito, origen) pip instala desde una carpeta de ruedas, sin red
    version_instalada(entorno, paquete)  qué versión tiene ese entorno, preguntándole a él

Todo error se explica en español y nombra el valor que está mal (ErrorDeEntorno).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path


class ErrorDeEntorno(Exception):
    """Algo salió mal al crear, llenar o usar un entorno virtual (el mensaje dice qué)."""


def crear_entorno(ruta: str | Path) -> Path:
    """Crea un entorno virtual vacío en `ruta` y devuelve su ruta absoluta.

    Sin pip dentro: `ensurepip` tarda segundos por entorno, y para instalar basta el pip
    de fuera apuntado a este entorno (`pip --python`, lo usa `instalar`). Se niega a
    crearlo encima de algo que ya existe: un venv mal apuntado no debe mezclarse con
    los ficheros de otro.
    """
    # >>> SOLUCION: rechaza una ruta que ya existe (salvo carpeta vacía); crea el venv con venv.create(..., with_pip=False); un OSError se convierte en ErrorDeEntorno
    ruta = Path(ruta).absolute()
    if ruta.exists() and (not ruta.is_dir() or any(ruta.iterdir())):
        raise ErrorDeEntorno(
            f"No creo el entorno en «{ruta}»: ya existe y no es una carpeta vacía. "
            "Elige una ruta nueva (o borra antes lo que hay)."
        )
    try:
        venv.create(ruta, with_pip=False, symlinks=os.name != "nt")
    except OSError as error:
        raise ErrorDeEntorno(
            f"No puedo crear el entorno en «{ruta}»: {error.strerror or error}"
        ) from None
    return ruta
    # <<< SOLUCION


def interprete_de(entorno: str | Path) -> Path:
    """El python del entorno (bin/python; Scripts/python.exe en Windows).

    Un venv se reconoce por su pyvenv.cfg: sin él, «/usr» también tiene un bin/python,
    y tomarlo por un entorno sería instalar en el Python del sistema.
    """
    # >>> SOLUCION: comprueba que existen entorno/pyvenv.cfg y entorno/bin/python; si no, ErrorDeEntorno que nombre el entorno
    entorno = Path(entorno).absolute()
    python = entorno / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not (entorno / "pyvenv.cfg").is_file() or not python.is_file():
        raise ErrorDeEntorno(
            f"«{entorno}» no es un entorno virtual: le falta pyvenv.cfg o "
            f"{python.relative_to(entorno)}. Créalo antes con crear_entorno."
        )
    return python
    # <<< SOLUCION


def ejecutar_en(entorno: str | Path, codigo: str, *argumentos: str) -> str:
    """Ejecuta `codigo` con el python del entorno y devuelve lo que escribe por su salida.

    Los `argumentos` le llegan al código en sys.argv[1:]: así los datos viajan como datos,
    sin pegarlos dentro del código. Si el código termina con un error, ErrorDeEntorno con
    la última línea de la traza (por ejemplo, «TypeError: ...»).
    """
    # >>> SOLUCION: subprocess.run([python del entorno, '-c', codigo, *argumentos]) capturando la salida; si el código de salida no es 0, ErrorDeEntorno con el error
    python = interprete_de(entorno)
    proceso = subprocess.run(
        [str(python), "-c", codigo, *argumentos],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if proceso.returncode != 0:
        lineas = proceso.stderr.strip().splitlines() or ["(no escribió ningún error)"]
        raise ErrorDeEntorno(
            f"El código falló en el entorno «{entorno}» (código de salida "
            f"{proceso.returncode}): {lineas[-1]}"
        )
    return proceso.stdout
    # <<< SOLUCION


def instalar(entorno: str | Path, requisito: str, origen: str | Path) -> None:
    """Instala `requisito` (p. ej. "saludos==1.0") en el entorno, solo desde la carpeta `origen`.

    Sin red: `--no-index` prohíbe preguntar a PyPI y `--find-links` dice dónde están las
    ruedas. El pip es el del intérprete actual, apuntado al entorno con `--python`
    (pip >= 22.3): el entorno no necesita su propio pip.
    """
    # >>> SOLUCION: comprueba entorno y origen; ejecuta sys.executable -m pip --python ... install --no-index --find-links ORIGEN REQUISITO; si pip falla, ErrorDeEntorno que nombre el requisito
    python = interprete_de(entorno)
    origen = Path(origen).absolute()
    if not origen.is_dir():
        raise ErrorDeEntorno(f"La carpeta de ruedas «{origen}» no existe o no es una carpeta.")
    orden = [
        sys.executable, "-m", "pip", "--python", str(python), "install",
        "--no-index", "--find-links", str(origen), "--quiet", requisito,
    ]  # fmt: skip
    proceso = subprocess.run(
        orden, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
    if proceso.returncode != 0:
        ruedas = ", ".join(sorted(r.name for r in origen.glob("*.whl"))) or "ninguna"
        de_pip = [linea for linea in proceso.stderr.splitlines() if linea.startswith("ERROR")]
        raise ErrorDeEntorno(
            f"pip no pudo instalar «{requisito}» en «{entorno}» desde «{origen}». "
            f"Ruedas que hay allí: {ruedas}.\nLo que dijo pip: {' '.join(de_pip)}"
        )
    # <<< SOLUCION


def version_instalada(entorno: str | Path, paquete: str) -> str:
    """La versión de `paquete` que tiene el entorno, preguntada a su propio python.

    No vale `importlib.metadata` aquí mismo: contestaría el intérprete actual, que es
    otro entorno con otras versiones (o sin el paquete). Los metadatos (la carpeta
    NOMBRE-VERSION.dist-info) mandan; `paquete.__version__` no siempre existe.
    """
    # >>> SOLUCION: con ejecutar_en, imprime importlib.metadata.version(sys.argv[1]) (o nada si no está) y convierte «nada» en ErrorDeEntorno que nombre el paquete
    pregunta = (
        "import importlib.metadata, sys\n"
        "try:\n"
        "    print(importlib.metadata.version(sys.argv[1]))\n"
        "except importlib.metadata.PackageNotFoundError:\n"
        "    pass\n"
    )
    version = ejecutar_en(entorno, pregunta, paquete).strip()
    if not version:
        raise ErrorDeEntorno(f"El paquete «{paquete}» no está instalado en el entorno «{entorno}».")
    return version
    # <<< SOLUCION
