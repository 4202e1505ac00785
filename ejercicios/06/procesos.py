"""Módulo 06 — Procesos: otros programas, uno a uno, en segundo plano y en paralelo con hilos.

Los apuntes:

    En ocasiones quiero que se ejecuten de forma síncrona
        (porque el proceso es de diferente naturaleza: otro programa diferente)
    En ocasiones quiero que se ejecuten de forma asíncrona

    Podemos juntar hilos y procesos:

    -------main------------------------------------
                \\-----Proceso sincrono--/
                \\-----Proceso sincrono--/
                \\-----Proceso sincrono--/

- `ejecutar`: lanza un programa y espera a que acabe (síncrono, `subprocess.run`).
- `lanzar` / `esperar`: lo lanza y sigue; más tarde se espera (asíncrono, `subprocess.Popen`).
- `ejecutar_en_paralelo`: un pool de hilos; cada hilo espera a un proceso síncrono.
- `vigilar`: la historia del taller, con la sonda (`sonda.py`) como «el otro programa».

Los argumentos son siempre una **lista**: el programa y cada argumento por separado. Nunca un
texto que tenga que partir un shell (ver «inyección» en el cuaderno).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

RUTA_SONDA = Path(__file__).with_name("sonda.py")
# Lo que significa cada código de salida de la sonda (los de Nagios: ver sonda.py).
ESTADOS = {0: "ok", 1: "respuesta incoherente", 2: "sin respuesta"}
FALLO_DE_LA_SONDA = "fallo de la sonda"


class ProgramaNoEncontrado(FileNotFoundError):
    """El programa que se quería ejecutar no existe (o no está en el PATH).

    Es un FileNotFoundError, así que `except FileNotFoundError` también lo atrapa.
    """


@dataclass
class Resultado:
    """Lo que dejó un programa al terminar."""

    argumentos: list[str]
    codigo: int | None  # el código de salida; None si se agotó el tiempo y hubo que matarlo
    salida: str  # lo que escribió en stdout, como texto
    errores: str  # lo que escribió en stderr, como texto
    segundos: float  # cuánto tardó, de principio a fin
    tiempo_agotado: bool = False

    @property
    def ok(self) -> bool:
        """Acabó a tiempo y con código 0 (la forma habitual de decir «todo bien»)."""
        return self.codigo == 0 and not self.tiempo_agotado


def no_encontrado(argumentos: list[str]) -> ProgramaNoEncontrado:
    """El error en español que sustituye al FileNotFoundError de subprocess."""
    return ProgramaNoEncontrado(
        f"No encuentro el programa «{argumentos[0]}»: ¿está instalado y en el PATH? "
        "Si es un fichero, escribe su ruta (por ejemplo, ./programa o /usr/bin/programa)."
    )


def texto(datos: bytes | str | None) -> str:
    """Bytes de una tubería como texto UTF-8 (lo que no sea UTF-8 queda como «�»)."""
    if datos is None:
        return ""
    if isinstance(datos, bytes):
        return datos.decode("utf-8", errors="replace")
    return datos


# --- Paso 1: validar los argumentos ---------------------------------------------------------


def validar_argumentos(argumentos: object) -> list[str]:
    """Devuelve una copia de `argumentos` como lista de textos, o lanza un error claro.

    Un texto suelto ("ping -c 1 web.es") se rechaza: para partirlo haría falta un shell, y un
    shell que recibe datos es la puerta de la inyección de órdenes.
    """
    # TODO: rechaza un str (TypeError que sugiera shlex.split), una lista vacía (ValueError) y los elementos que no sean str ni rutas (TypeError que los nombre)
    raise NotImplementedError("validar_argumentos: lo que falta lo dice su # TODO")


# --- Paso 2: ejecutar un programa y esperar (síncrono) --------------------------------------


def ejecutar(argumentos: list[str], timeout: float = 10.0) -> Resultado:
    """Ejecuta el programa, espera a que acabe (como mucho `timeout` segundos) y lo cuenta.

    Un código de salida distinto de 0 no es una excepción: es un dato más del Resultado.
    Si se agota el tiempo, el programa se mata y se espera (no queda ningún proceso suelto).
    """
    # TODO: valida; mide con time.perf_counter(); subprocess.run con capture_output, encoding='utf-8', errors='replace' y timeout. Si salta FileNotFoundError, lanza no_encontrado(argumentos); si salta TimeoutExpired, un Resultado con codigo None, tiempo_agotado True y lo que llegó a escribir (viene en bytes: texto())
    raise NotImplementedError("ejecutar: lo que falta lo dice su # TODO")


# --- Paso 3: lanzar ahora y esperar después (asíncrono) -------------------------------------


class Proceso:
    """Un programa en marcha, devuelto por `lanzar`. Se recoge con `esperar`.

    También es un gestor de contexto: al salir del `with`, si sigue en marcha, se mata, y
    siempre se espera, para que no quede ni un proceso suelto ni un zombi.
    """

    def __init__(self, argumentos: list[str], popen: subprocess.Popen, inicio: float) -> None:
        self.argumentos = argumentos
        self.popen = popen
        self.inicio = inicio

    @property
    def pid(self) -> int:
        return self.popen.pid

    def terminado(self) -> bool:
        """¿Ha acabado ya? Pregunta sin esperar."""
        # TODO: pregunta con poll(), que no bloquea (None: sigue en marcha)
        raise NotImplementedError("Proceso.terminado: lo que falta lo dice su # TODO")

    def __enter__(self) -> Proceso:
        return self

    def __exit__(self, *excepcion: object) -> None:
        # TODO: si sigue en marcha, mátalo con kill(); después, espéralo siempre con communicate() (cierra las tuberías y recoge al hijo)
        raise NotImplementedError("Proceso.__exit__: lo que falta lo dice su # TODO")

    def __repr__(self) -> str:
        estado = "terminado" if self.popen.returncode is not None else "en marcha"
        return f"<Proceso {self.pid} {estado}: {' '.join(self.argumentos)}>"


def lanzar(argumentos: list[str]) -> Proceso:
    """Lanza el programa y vuelve enseguida, sin esperar a que acabe."""
    # TODO: valida, apunta la hora de inicio y crea un subprocess.Popen con stdout y stderr a PIPE, encoding='utf-8' y errors='replace'. Si salta FileNotFoundError, lanza no_encontrado(argumentos)
    raise NotImplementedError("lanzar: lo que falta lo dice su # TODO")


def esperar(proceso: Proceso, timeout: float = 10.0) -> Resultado:
    """Espera (como mucho `timeout` segundos) a que acabe un proceso lanzado y lo cuenta.

    Si se agota el tiempo, lo mata y lo espera: el Resultado trae lo que llegó a escribir.
    """
    # TODO: communicate(timeout=...) lee stdout y stderr mientras espera (¡wait() con tuberías puede bloquearse!); si salta TimeoutExpired, kill() y otro communicate() para recoger la salida y al hijo
    raise NotImplementedError("esperar: lo que falta lo dice su # TODO")


# --- Paso 4: hilos y procesos juntos --------------------------------------------------------


def ejecutar_en_paralelo(
    lista_de_argumentos: list[list[str]], max_procesos: int, timeout: float = 10.0
) -> list[Resultado]:
    """Ejecuta todos los programas, `max_procesos` a la vez como mucho.

    Un pool de hilos: cada hilo lanza un proceso con `ejecutar` y espera a que acabe. Los
    resultados vuelven en el mismo orden que `lista_de_argumentos`, acabe antes quien acabe.
    """
    # TODO: valida max_procesos (un int >= 1) y todos los argumentos antes de lanzar nada; después, un ThreadPoolExecutor(max_workers=max_procesos) y su map(), que conserva el orden
    raise NotImplementedError("ejecutar_en_paralelo: lo que falta lo dice su # TODO")


# --- Paso 5: vigilar los servidores con la sonda --------------------------------------------


def orden_de_sonda(url: str, timeout: float = 5.0) -> list[str]:
    """Los argumentos para comprobar `url` con la sonda, con este mismo Python.

    Con -I -S (sin site ni variables PYTHON*): la sonda solo usa la biblioteca estándar, y así
    arranca antes (vigilar lanza una por URL)."""
    return [sys.executable, "-I", "-S", str(RUTA_SONDA), url, "--timeout", str(timeout)]


def estado(resultado: Resultado) -> str:
    """Traduce el Resultado de una sonda: "ok", "respuesta incoherente", "sin respuesta"..."""
    # TODO: un tiempo agotado es 'sin respuesta'; si no, busca el código en ESTADOS y, si no está, FALLO_DE_LA_SONDA
    raise NotImplementedError("estado: lo que falta lo dice su # TODO")


def vigilar(urls: list[str], max_procesos: int = 10, timeout: float = 5.0) -> dict[str, str]:
    """Comprueba cada URL con una sonda (un proceso), `max_procesos` a la vez.

    Devuelve {url: estado}, en el orden de `urls`.
    """
    # TODO: una orden_de_sonda por URL, ejecutar_en_paralelo (con algo de margen sobre timeout: arrancar Python también cuesta) y estado() de cada resultado
    raise NotImplementedError("vigilar: lo que falta lo dice su # TODO")
