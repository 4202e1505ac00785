"""Ruedas (wheels) de juguete para las pruebas del módulo 07, construidas en el momento y sin red.

Es un fichero de apoyo: no lo editas tú (el generador lo copia tal cual de soluciones/07).

Una rueda es un fichero zip con un nombre y un contenido fijados por el PEP 427:

    saludos-1.0-py3-none-any.whl          NOMBRE-VERSIÓN-PYTHON-ABI-PLATAFORMA.whl
    ├── saludos/__init__.py               el código, tal cual se copiará a site-packages
    └── saludos-1.0.dist-info/
        ├── METADATA                      nombre y versión (los «metadatos del núcleo»)
        ├── WHEEL                         versión del formato y etiquetas
        └── RECORD                        cada fichero con su sha256 y su tamaño

Construirla con setuptools pediría `pip wheel`, cuyo entorno aislado de construcción
buscaría setuptools en PyPI; escribir el zip a mano es más rápido, no toca la red y
enseña que dentro de una rueda no hay magia.

`ruedas_de_saludos(carpeta)` escribe las dos versiones del paquete inventado del módulo:
en la 1.0 `saludar()` no lleva argumentos; en la 2.0 exige un nombre. Un programa
escrito para la 1.0 se rompe con la 2.0, como `print "HOLA"` con Python 3.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sysconfig
import zipfile
from pathlib import Path

NOMBRE_VALIDO = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
VERSION_VALIDA = re.compile(r"^\d+(\.\d+)*$")
# Fecha fija dentro del zip: la misma rueda da siempre los mismos bytes.
FECHA_FIJA = (2024, 1, 1, 0, 0, 0)

PAQUETE = "saludos"
SALUDOS = {
    "1.0": '''"""saludos 1.0: un saludo para el monitor."""


def saludar():
    return "HOLA"
''',
    "2.0": '''"""saludos 2.0: saludar() ahora exige un nombre. Un cambio incompatible."""


def saludar(nombre):
    return f"HOLA, {nombre}"
''',
}


def _huella(contenido: bytes) -> str:
    """sha256 en base64 «urlsafe» sin el relleno «=»: el formato que pide RECORD."""
    resumen = hashlib.sha256(contenido).digest()
    return "sha256=" + base64.urlsafe_b64encode(resumen).rstrip(b"=").decode("ascii")


def construir_rueda(
    carpeta: str | Path, nombre: str, version: str, ficheros: dict[str, str]
) -> Path:
    """Escribe en `carpeta` la rueda pura (py3-none-any) de `nombre` `version`.

    `ficheros` va de ruta dentro de la rueda a su texto: {"saludos/__init__.py": "..."}.
    Devuelve la ruta del .whl.
    """
    if not NOMBRE_VALIDO.match(nombre):
        raise ValueError(f"«{nombre}» no vale como nombre de paquete: letras, dígitos y _")
    if not VERSION_VALIDA.match(version):
        raise ValueError(f"«{version}» no vale como versión: números separados por puntos")
    info = f"{nombre}-{version}.dist-info"
    contenido = {ruta: texto.encode("utf-8") for ruta, texto in ficheros.items()}
    contenido[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {nombre}\nVersion: {version}\n".encode()
    )
    contenido[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: taller apoyo_ruedas\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = "".join(f"{ruta},{_huella(datos)},{len(datos)}\n" for ruta, datos in contenido.items())
    contenido[f"{info}/RECORD"] = f"{record}{info}/RECORD,,\n".encode()

    destino = Path(carpeta) / f"{nombre}-{version}-py3-none-any.whl"
    destino.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destino, "w") as rueda:
        for ruta, datos in contenido.items():
            entrada = zipfile.ZipInfo(ruta, date_time=FECHA_FIJA)
            entrada.external_attr = 0o644 << 16
            rueda.writestr(entrada, datos, compress_type=zipfile.ZIP_DEFLATED)
    return destino


def ruedas_de_saludos(carpeta: str | Path) -> dict[str, Path]:
    """Escribe saludos 1.0 y 2.0 en `carpeta`: {"1.0": ruta del .whl, "2.0": ...}."""
    return {
        version: construir_rueda(carpeta, PAQUETE, version, {f"{PAQUETE}/__init__.py": codigo})
        for version, codigo in SALUDOS.items()
    }


def site_packages_de(entorno: str | Path) -> Path:
    """La carpeta site-packages de un entorno hecho con este mismo Python.

    Se pide el esquema de los venvs por su nombre: el esquema por defecto de un Python
    del sistema (Debian: posix_local) daría otra carpeta.
    """
    base = str(Path(entorno).absolute())
    esquemas = sysconfig.get_scheme_names()
    esquema = "venv" if "venv" in esquemas else ("nt" if os.name == "nt" else "posix_prefix")
    return Path(
        sysconfig.get_path("purelib", scheme=esquema, vars={"base": base, "platbase": base})
    )


def instalar_a_mano(rueda: str | Path, entorno: str | Path) -> Path:
    """Instala una rueda pura descomprimiéndola en el site-packages del entorno.

    Es lo esencial de lo que hace pip con una rueda pura (pip además resuelve
    dependencias, comprueba las huellas, compila a .pyc y apunta INSTALLER). Sirve para
    preparar entornos de referencia en milisegundos. Devuelve la carpeta site-packages.
    """
    destino = site_packages_de(entorno)
    if not destino.is_dir():
        raise ValueError(f"«{entorno}» no parece un entorno virtual: no existe {destino}")
    with zipfile.ZipFile(rueda) as zip_de_la_rueda:
        zip_de_la_rueda.extractall(destino)
    return destino
