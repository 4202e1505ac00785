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


def leer(raiz: Path) -> dict[str, Any]:
    """El estado guardado; uno vacío si no hay fichero o si está dañado (y lo dice)."""
    ruta = ruta_del_estado(raiz)
    try:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _vacio()
    except (OSError, ValueError) as error:
        print(
            f"taller: no puedo leer {ruta} ({error}); sigo como si estuviera vacío.",
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


@contextlib.contextmanager
def _cerrojo(ruta: Path) -> Iterator[None]:
    with open(ruta.with_name(ruta.name + ".cerrojo"), "a") as fichero:
        fcntl.flock(fichero, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichero, fcntl.LOCK_UN)


def actualizar(raiz: Path, cambio: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Relee el estado, le aplica `cambio` y lo guarda entero de una vez."""
    ruta = ruta_del_estado(raiz)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with _cerrojo(ruta):
        estado = leer(raiz)
        cambio(estado)
        descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=".estado-", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as fichero:
            json.dump(estado, fichero, ensure_ascii=False, indent=2, sort_keys=True)
            fichero.write("\n")
        os.replace(temporal, ruta)
    return estado


def pistas_vistas(raiz: Path, numero: str) -> int:
    valor = leer(raiz)["pistas_vistas"].get(numero, 0)
    return valor if isinstance(valor, int) and valor >= 0 else 0


def marcar_pistas_vistas(raiz: Path, numero: str, cuantas: int) -> None:
    def cambio(estado: dict[str, Any]) -> None:
        estado["pistas_vistas"][numero] = cuantas

    actualizar(raiz, cambio)


def guardar_resultados(raiz: Path, resultados: dict[str, dict[str, Any]]) -> None:
    """Apunta el último resultado de cada módulo: {"01": {"estado": ..., "pasadas": ...}}."""
    fecha = time.strftime("%Y-%m-%dT%H:%M:%S")

    def cambio(estado: dict[str, Any]) -> None:
        for numero, datos in resultados.items():
            estado["modulos"][numero] = {**datos, "fecha": fecha}

    actualizar(raiz, cambio)
