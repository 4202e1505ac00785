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
    # TODO: rechaza una ruta que ya existe (salvo carpeta vacía); crea el venv con venv.create(..., with_pip=False); un OSError se convierte en ErrorDeEntorno
    raise NotImplementedError("crear_entorno: lo que falta lo dice su # TODO")


def interprete_de(entorno: str | Path) -> Path:
    """El python del entorno (bin/python; Scripts/python.exe en Windows).

    Un venv se reconoce por su pyvenv.cfg: sin él, «/usr» también tiene un bin/python,
    y tomarlo por un entorno sería instalar en el Python del sistema.
    """
    # TODO: comprueba que existen entorno/pyvenv.cfg y entorno/bin/python; si no, ErrorDeEntorno que nombre el entorno
    raise NotImplementedError("interprete_de: lo que falta lo dice su # TODO")


def ejecutar_en(entorno: str | Path, codigo: str, *argumentos: str) -> str:
    """Ejecuta `codigo` con el python del entorno y devuelve lo que escribe por su salida.

    Los `argumentos` le llegan al código en sys.argv[1:]: así los datos viajan como datos,
    sin pegarlos dentro del código. Si el código termina con un error, ErrorDeEntorno con
    la última línea de la traza (por ejemplo, «TypeError: ...»).
    """
    # TODO: subprocess.run([python del entorno, '-c', codigo, *argumentos]) capturando la salida; si el código de salida no es 0, ErrorDeEntorno con el error
    raise NotImplementedError("ejecutar_en: lo que falta lo dice su # TODO")


def instalar(entorno: str | Path, requisito: str, origen: str | Path) -> None:
    """Instala `requisito` (p. ej. "saludos==1.0") en el entorno, solo desde la carpeta `origen`.

    Sin red: `--no-index` prohíbe preguntar a PyPI y `--find-links` dice dónde están las
    ruedas. El pip es el del intérprete actual, apuntado al entorno con `--python`
    (pip >= 22.3): el entorno no necesita su propio pip.
    """
    # TODO: comprueba entorno y origen; ejecuta sys.executable -m pip --python ... install --no-index --find-links ORIGEN REQUISITO; si pip falla, ErrorDeEntorno que nombre el requisito
    raise NotImplementedError("instalar: lo que falta lo dice su # TODO")


def version_instalada(entorno: str | Path, paquete: str) -> str:
    """La versión de `paquete` que tiene el entorno, preguntada a su propio python.

    No vale `importlib.metadata` aquí mismo: contestaría el intérprete actual, que es
    otro entorno con otras versiones (o sin el paquete). Los metadatos (la carpeta
    NOMBRE-VERSION.dist-info) mandan; `paquete.__version__` no siempre existe.
    """
    # TODO: con ejecutar_en, imprime importlib.metadata.version(sys.argv[1]) (o nada si no está) y convierte «nada» en ErrorDeEntorno que nombre el paquete
    raise NotImplementedError("version_instalada: lo que falta lo dice su # TODO")
