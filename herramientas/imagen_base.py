"""Una imagen `python:X.Y-slim` hecha aquí, para máquinas que no llegan a ningún registro.

`make contenedor` necesita la imagen del `FROM` de los Dockerfile del taller. Si el motor ya
la tiene (porque alguien hizo `podman pull python:3.11-slim`), se usa esa. Si no, y desde
aquí no se llega a Docker Hub (el caso de CI), se fabrica un sustituto local:

1. una Debian mínima con debootstrap, desde el mismo espejo que ya usa apt en la máquina,
   con el python3 de Debian, venv, pip y los certificados;
2. retocada para parecerse a la imagen oficial: `python` y `pip` en el PATH, pip instala
   fuera de un venv (sin EXTERNALLY-MANAGED) y el paquete de CAs del anfitrión (si la máquina
   sale a internet por un proxy con su propia CA, sin ella pip no llega a PyPI);
3. importada en el motor con la etiqueta de la imagen oficial (docker.io/library/python:X.Y-slim),
   donde X.Y es la versión de Python que trae esa Debian.

La Debian de debootstrap se guarda en ~/.cache/taller/ como un .tar: la segunda vez no se
descarga nada. La imagen lleva la etiqueta `taller.receta`; si cambia la receta, se rehace.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PAQUETES = ["python3", "python3-venv", "python3-pip", "ca-certificates"]
CAS_DEL_ANFITRION = Path("/etc/ssl/certs/ca-certificates.crt")
ESPEJO_POR_DEFECTO = "http://deb.debian.org/debian"
# Se borran para que la imagen pese menos (la oficial tampoco los trae).
SOBRAN = ["usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"]
VERSION_DE_LA_RECETA = "1"


class ErrorImagenBase(Exception):
    """Algo impide fabricar la imagen base; el mensaje dice qué y qué hacer."""


@dataclass(frozen=True)
class Origen:
    espejo: str
    suite: str


def _os_release() -> dict[str, str]:
    datos: dict[str, str] = {}
    ruta = Path("/etc/os-release")
    if ruta.is_file():
        for linea in ruta.read_text(encoding="utf-8").splitlines():
            clave, _, valor = linea.partition("=")
            datos[clave] = valor.strip().strip('"')
    return datos


def _entradas_apt() -> list[tuple[str, list[str]]]:
    """(URI, suites) de cada fuente `deb` que apt tiene configurada (formato deb822 y clásico)."""
    entradas: list[tuple[str, list[str]]] = []
    carpeta = Path("/etc/apt/sources.list.d")
    for fichero in sorted(carpeta.glob("*.sources")) if carpeta.is_dir() else []:
        for bloque in re.split(r"\n\s*\n", fichero.read_text(encoding="utf-8")):
            campos = {}
            for linea in bloque.splitlines():
                if ":" in linea and not linea.lstrip().startswith("#"):
                    clave, _, valor = linea.partition(":")
                    campos[clave.strip().lower()] = valor.split()
            if "deb" in campos.get("types", []) and campos.get("enabled", ["yes"]) != ["no"]:
                for uri in campos.get("uris", []):
                    entradas.append((uri, campos.get("suites", [])))
    clasicos = [Path("/etc/apt/sources.list")]
    if carpeta.is_dir():
        clasicos += sorted(carpeta.glob("*.list"))
    for fichero in clasicos:
        if not fichero.is_file():
            continue
        for linea in fichero.read_text(encoding="utf-8").splitlines():
            partes = re.sub(r"\[[^]]*\]", "", linea).split()
            if len(partes) >= 3 and partes[0] == "deb":
                entradas.append((partes[1], [partes[2]]))
    return entradas


def origen_de_apt() -> Origen:
    """El espejo de Debian que ya usa apt y la suite de esta máquina (bookworm, trixie...)."""
    suite = _os_release().get("VERSION_CODENAME", "")
    if not suite:
        raise ErrorImagenBase(
            "No sé qué versión de Debian es esta máquina (falta VERSION_CODENAME en "
            "/etc/os-release): el sustituto de la imagen base solo se fabrica en Debian."
        )
    for uri, suites in _entradas_apt():
        if suite in suites and "security" not in uri:
            return Origen(uri.rstrip("/"), suite)
    return Origen(ESPEJO_POR_DEFECTO, suite)


def receta(origen: Origen) -> str:
    """Huella de todo lo que decide el contenido de la imagen: si cambia, se rehace."""
    cas = CAS_DEL_ANFITRION.read_bytes() if CAS_DEL_ANFITRION.is_file() else b""
    texto = json.dumps([VERSION_DE_LA_RECETA, origen.espejo, origen.suite, PAQUETES])
    return hashlib.sha256(texto.encode() + cas).hexdigest()[:16]


def carpeta_de_cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "taller" / "imagen-base"


def _ejecutar(orden: list[str], que: str, **opciones) -> subprocess.CompletedProcess:
    proceso = subprocess.run(orden, capture_output=True, text=True, check=False, **opciones)
    if proceso.returncode != 0:
        salida = (proceso.stdout + proceso.stderr).strip()[-3000:]
        raise ErrorImagenBase(f"{que} falló (código {proceso.returncode}):\n{salida}")
    return proceso


def _retocar(raiz: Path) -> str:
    """Deja la Debian como la imagen oficial y devuelve su versión de Python (X.Y)."""
    for relativa in SOBRAN:
        carpeta = raiz / relativa
        if carpeta.is_dir():
            shutil.rmtree(carpeta)
            carpeta.mkdir()
    for carpeta in (raiz / "var/cache/apt/archives", raiz / "var/lib/apt/lists"):
        for fichero in carpeta.glob("*"):
            if fichero.is_file():
                fichero.unlink()
    versiones = sorted(
        (ruta.name[len("python") :] for ruta in (raiz / "usr/lib").glob("python3.*")),
        key=lambda v: tuple(int(n) for n in v.split(".")),
    )
    if not versiones:
        raise ErrorImagenBase("debootstrap terminó pero no hay python3 en la Debian fabricada")
    for marca in (raiz / "usr/lib").glob("python3.*/EXTERNALLY-MANAGED"):
        marca.unlink()
    local = raiz / "usr/local/bin"
    local.mkdir(parents=True, exist_ok=True)
    for nombre, destino in (("python", "/usr/bin/python3"), ("pip", "/usr/bin/pip3")):
        enlace = local / nombre
        if not enlace.exists():
            enlace.symlink_to(destino)
    if CAS_DEL_ANFITRION.is_file():
        shutil.copyfile(CAS_DEL_ANFITRION, raiz / "etc/ssl/certs/ca-certificates.crt")
    (raiz / "etc/pip.conf").write_text(
        "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n", encoding="utf-8"
    )
    return versiones[-1]


def fabricar_tar(origen: Origen, destino: Path, avisar) -> str:
    """debootstrap + retoques, empaquetado en `destino` (.tar). Devuelve la versión de Python."""
    if shutil.which("debootstrap") is None:
        raise ErrorImagenBase("Falta debootstrap: apt-get install debootstrap")
    if os.geteuid() != 0:
        raise ErrorImagenBase(
            "Fabricar la imagen base con debootstrap necesita ser root. Si tu máquina llega a "
            "Docker Hub, descarga la oficial y no hará falta: podman pull python:3.11-slim"
        )
    destino.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="taller-debootstrap-", dir="/var/tmp") as temporal:
        raiz = Path(temporal) / "raiz"
        avisar(
            f"debootstrap {origen.suite} desde {origen.espejo} con {', '.join(PAQUETES)} "
            "(solo la primera vez; unos minutos)..."
        )
        orden = [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(PAQUETES)}",
            origen.suite,
            str(raiz),
            origen.espejo,
        ]
        try:
            _ejecutar(orden, "debootstrap")
        except ErrorImagenBase as error:
            # Un corte de red a medio descargar no debe tumbar CI: un segundo intento, desde cero.
            avisar(f"debootstrap falló; lo intento otra vez desde cero. {str(error)[-300:]}")
            shutil.rmtree(raiz, ignore_errors=True)
            _ejecutar(orden, "debootstrap (segundo intento)")
        version = _retocar(raiz)
        parcial = destino.with_suffix(".parcial")
        _ejecutar(
            ["tar", "-C", str(raiz), "--numeric-owner", "-cf", str(parcial), "."], "Empaquetar"
        )
        parcial.replace(destino)
    destino.with_suffix(".json").write_text(
        json.dumps({"python": version, "suite": origen.suite, "espejo": origen.espejo}),
        encoding="utf-8",
    )
    return version


def etiqueta_oficial(version: str) -> str:
    return f"docker.io/library/python:{version}-slim"


def importar(motor: str, tar: Path, version: str, huella: str) -> str:
    """Mete el .tar en el motor con la etiqueta de la imagen oficial y la configuración de esta."""
    etiqueta = etiqueta_oficial(version)
    cambios = [
        "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
        "ENV LANG=C.UTF-8",
        f"ENV PYTHON_VERSION={version}",
        "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        "ENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt",
        "LABEL taller.base=sustituto-local",
        f"LABEL taller.receta={huella}",
        'CMD ["python3"]',
    ]
    orden = [motor, "import"]
    for cambio in cambios:
        orden += ["--change", cambio]
    _ejecutar([*orden, str(tar), etiqueta], f"{motor} import")
    return etiqueta


def sustituto_existente(motor: str, huella: str) -> str | None:
    """La etiqueta python:X.Y-slim de un sustituto ya importado con esta misma receta."""
    proceso = subprocess.run(
        [
            motor,
            "images",
            "--filter",
            f"label=taller.receta={huella}",
            "--format",
            "{{.Repository}}:{{.Tag}}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for linea in proceso.stdout.split():
        if re.fullmatch(r"(docker\.io/library/)?python:\d+\.\d+-slim", linea):
            return linea
    return None


def asegurar_sustituto(motor: str, avisar) -> tuple[str, str]:
    """Devuelve (etiqueta, versión X.Y) del sustituto, fabricándolo o importándolo si falta."""
    origen = origen_de_apt()
    huella = receta(origen)
    existente = sustituto_existente(motor, huella)
    if existente:
        version = existente.rsplit(":", 1)[1].removesuffix("-slim")
        avisar(f"Imagen base: el sustituto local {existente} ya está en {motor}.")
        return existente, version
    tar = carpeta_de_cache() / f"{origen.suite}-{huella}.tar"
    datos = tar.with_suffix(".json")
    if tar.is_file() and datos.is_file():
        version = json.loads(datos.read_text(encoding="utf-8"))["python"]
        avisar(f"Imagen base: uso la Debian guardada en {tar}.")
    else:
        version = fabricar_tar(origen, tar, avisar)
    etiqueta = importar(motor, tar, version, huella)
    avisar(f"Imagen base: sustituto local importado como {etiqueta} (Python {version}).")
    return etiqueta, version
