"""Lo que el taller recuerda del alumno: pistas vistas y último resultado de cada módulo.

Vive en `.taller/estado.json`, en la raíz del repositorio (git lo ignora: `.taller/` está en
.gitignore), nunca junto al código del alumno. La variable TALLER_ESTADO cambia la ruta (las
pruebas del taller la usan para no tocar el estado de nadie).

Cada cambio relee el fichero, lo modifica y lo reescribe de golpe (fichero temporal +
rename) bajo un cerrojo: `taller vigilar` en un terminal y `taller pista` en otro pueden
escribirlo a la vez sin pisarse.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

VERSION = 1


def ruta_del_estado(raiz: Path) -> Path:
    propia = os.environ.get("TALLER_ESTADO")
    return Path(propia) if propia else raiz / ".taller" / "estado.json"


def _vacio() -> dict[str, Any]:
    return {"version": VERSION, "pistas_vistas": {}, "modulos": {}}


def leer(raiz: Path, avisar: bool = True) -> dict[str, Any]:
    """El estado guardado; uno vacío si no hay fichero o si está dañado (y lo dice)."""
    ruta = ruta_del_estado(raiz)
    try:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _vacio()
    except (OSError, ValueError) as error:
        if not avisar:
            return _vacio()
        print(
            f"taller: no puedo leer {ruta} ({motivo(error)}); sigo como si estuviera vacío.",
            file=sys.stderr,
        )
        return _vacio()
    if not isinstance(datos, dict):
        return _vacio()
    estado = _vacio()
    for clave in ("pistas_vistas", "modulos"):
        if isinstance(datos.get(clave), dict):
            estado[clave] = datos[clave]
    return estado


def motivo(error: BaseException) -> str:
    """Por qué falló leer o escribir un fichero, en español (los del sistema vienen en inglés)."""
    if isinstance(error, PermissionError):
        return "no tengo permiso"
    if isinstance(error, NotADirectoryError):
        return "una parte de la ruta es un fichero, no una carpeta"
    if isinstance(error, IsADirectoryError):
        return "es una carpeta, no un fichero"
    if isinstance(error, UnicodeDecodeError):
        return "no es texto UTF-8: el fichero está dañado"
    if isinstance(error, json.JSONDecodeError):
        return f"no es JSON válido (línea {error.lineno}): el fichero está dañado"
    if isinstance(error, OSError) and error.errno == errno.EROFS:
        return "el disco es de solo lectura"
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return "no queda sitio en el disco"
    return f"error del sistema {type(error).__name__}"


@contextlib.contextmanager
def _cerrojo(ruta: Path) -> Iterator[None]:
    with open(ruta.with_name(ruta.name + ".cerrojo"), "a") as fichero:
        fcntl.flock(fichero, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichero, fcntl.LOCK_UN)


def actualizar(raiz: Path, cambio: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Relee el estado, le aplica `cambio` y lo guarda entero de una vez, bajo el cerrojo.

    Leer, cambiar y escribir van juntos bajo el cerrojo: si se leyera fuera, dos órdenes a la
    vez partirían del mismo estado y la segunda borraría lo que apuntó la primera. Si no se
    puede guardar (una carpeta de solo lectura), lo dice en una línea y sigue: el estado solo
    es una ayuda, y perderlo no debe costarle al alumno lo que la orden ya hizo.
    """
    ruta = ruta_del_estado(raiz)
    try:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        with _cerrojo(ruta):
            estado = leer(raiz)
            cambio(estado)
            _escribir(ruta, estado)
    except OSError as error:
        print(
            f"taller: no puedo guardar lo que recuerdo de ti en {ruta} ({motivo(error)}); "
            f"esta vez no se guarda. ¿Tiene permiso de escritura la carpeta {ruta.parent}?",
            file=sys.stderr,
        )
        estado = leer(raiz, avisar=False)  # ya se ha dicho lo que pasa: una línea basta
        cambio(estado)
    return estado


def _escribir(ruta: Path, estado: dict[str, Any]) -> None:
    """Escribe en un temporal y lo renombra: quien lea a la vez ve el viejo o el nuevo, entero."""
    descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=".estado-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as fichero:
            json.dump(estado, fichero, ensure_ascii=False, indent=2, sort_keys=True)
            fichero.write("\n")
        os.replace(temporal, ruta)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporal)
        raise


def pistas_vistas(raiz: Path, numero: str) -> int:
    valor = leer(raiz)["pistas_vistas"].get(numero, 0)
    return valor if isinstance(valor, int) and valor >= 0 else 0


def cambiar_pistas_vistas(raiz: Path, numero: str, nuevo: Callable[[int], int]) -> int:
    """Cambia cuántas pistas de `numero` se han visto con `nuevo(vistas)`; devuelve las de antes.

    El cálculo va dentro de `actualizar`, bajo el cerrojo: seis `taller pista` a la vez dan
    seis pistas seguidas, y la cuenta nunca va hacia atrás.
    """
    antes = {}

    def cambio(estado: dict[str, Any]) -> None:
        valor = estado["pistas_vistas"].get(numero, 0)
        antes["vistas"] = valor if isinstance(valor, int) and valor >= 0 else 0
        estado["pistas_vistas"][numero] = nuevo(antes["vistas"])

    actualizar(raiz, cambio)
    return antes["vistas"]


def guardar_resultados(raiz: Path, resultados: dict[str, dict[str, Any]]) -> None:
    """Apunta el último resultado de cada módulo: {"01": {"estado": ..., "pasadas": ...}}."""
    fecha = time.strftime("%Y-%m-%dT%H:%M:%S")

    def cambio(estado: dict[str, Any]) -> None:
        for numero, datos in resultados.items():
            estado["modulos"][numero] = {**datos, "fecha": fecha}

    actualizar(raiz, cambio)
