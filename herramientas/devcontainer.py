"""Crea el devcontainer del taller como lo haría VS Code, leyendo .devcontainer/devcontainer.json.

El CLI oficial de devcontainers es un paquete de npm; aquí no se instala nada global, así
que este script hace los mismos pasos con el motor (podman o docker), para la parte del
formato que usa el taller:

1. construye la imagen con `build.dockerfile`, `build.context`, `build.args` y `build.target`
   (o usa `image`);
2. arranca el contenedor con `workspaceMount` y `workspaceFolder`, `containerUser`,
   `containerEnv`, `mounts` y `runArgs`, y una orden que lo mantiene vivo (`overrideCommand`);
3. ejecuta, como `remoteUser` y en `workspaceFolder`, los comandos del ciclo de vida:
   `onCreateCommand`, `updateContentCommand`, `postCreateCommand` y `postStartCommand`;
4. y deja que quien llama ejecute sus pruebas dentro (`ejecutar`).

Una diferencia a propósito: el espacio de trabajo que se monta es una copia del repositorio
cuyos ficheros son del usuario del contenedor. Es lo que consigue `updateRemoteUserUID` de VS
Code en Linux (da al usuario del contenedor el UID del tuyo); aquí se trabaja como root, y el
usuario del contenedor (no root) no podría escribir en ficheros de root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

IGNORAR_AL_COPIAR = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", ".taller", ".pytest_cache", ".ruff_cache"
)
ORDENES_DEL_CICLO = ["onCreateCommand", "updateContentCommand", "postCreateCommand"]
MANTENER_VIVO = "trap 'exit 0' TERM; while sleep 1 & wait $!; do :; done"
# Claves del formato que este script entiende; otra clave que cambie cómo se crea el contenedor
# haría que la prueba no fuera fiel, así que se rechaza en vez de ignorarse en silencio.
CLAVES_CONOCIDAS = {
    "name", "build", "image", "dockerFile", "context", "workspaceMount", "workspaceFolder",
    "remoteUser", "containerUser", "containerEnv", "remoteEnv", "mounts", "runArgs",
    "forwardPorts", "portsAttributes", "overrideCommand", "updateRemoteUserUID",
    "customizations", "postStartCommand", "postAttachCommand", "features", *ORDENES_DEL_CICLO,
}  # fmt: skip


class ErrorDevcontainer(Exception):
    """devcontainer.json pide algo que no se puede hacer, o un paso falla."""


def quitar_comentarios(texto: str) -> str:
    """devcontainer.json es JSON con comentarios (// y /* */): los quita fuera de las cadenas."""
    salida, i, en_cadena = [], 0, False
    while i < len(texto):
        c = texto[i]
        if en_cadena:
            salida.append(c)
            if c == "\\":
                salida.append(texto[i + 1 : i + 2])
                i += 1
            elif c == '"':
                en_cadena = False
        elif c == '"':
            en_cadena = True
            salida.append(c)
        elif texto.startswith("//", i):
            fin = texto.find("\n", i)
            i = len(texto) if fin == -1 else fin
            continue
        elif texto.startswith("/*", i):
            fin = texto.find("*/", i + 2)
            i = len(texto) if fin == -1 else fin + 2
            continue
        else:
            salida.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(salida))


def leer(ruta: Path) -> dict:
    try:
        config = json.loads(quitar_comentarios(ruta.read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        raise ErrorDevcontainer(f"{ruta} no es JSON válido: {error}") from None
    desconocidas = sorted(set(config) - CLAVES_CONOCIDAS)
    if desconocidas:
        raise ErrorDevcontainer(
            f"{ruta} usa claves que este script no sabe reproducir: {', '.join(desconocidas)}. "
            "Añádelas a herramientas/devcontainer.py o usa el CLI oficial de devcontainers."
        )
    if config.get("features"):
        raise ErrorDevcontainer(
            "devcontainer.json pide «features», que se descargan de un registro de imágenes: "
            "aquí no se llega a ninguno, así que lo que haga falta va en el Dockerfile."
        )
    return config


def sustituir(valor, variables: dict[str, str]):
    """Cambia ${localWorkspaceFolder} y compañía en cadenas, listas y diccionarios."""
    if isinstance(valor, str):

        def cambiar(coincidencia: re.Match) -> str:
            nombre = coincidencia[1]
            if nombre.startswith("localEnv:"):
                variable, _, defecto = nombre[len("localEnv:") :].partition(":")
                return os.environ.get(variable, defecto)
            if nombre not in variables:
                raise ErrorDevcontainer(f"devcontainer.json usa ${{{nombre}}}, que no conozco")
            return variables[nombre]

        return re.sub(r"\$\{([^}]+)\}", cambiar, valor)
    if isinstance(valor, list):
        return [sustituir(v, variables) for v in valor]
    if isinstance(valor, dict):
        return {k: sustituir(v, variables) for k, v in valor.items()}
    return valor


def _montaje(texto: str) -> list[str]:
    """«source=...,target=...,type=bind» (formato de --mount) como argumentos del motor."""
    return ["--mount", texto]


def orden_como_lista(orden) -> list[list[str]]:
    """Un comando del ciclo de vida: cadena (va a un shell), lista (exec) o dict (varios)."""
    if isinstance(orden, str):
        return [["/bin/sh", "-c", orden]]
    if isinstance(orden, list):
        return [[str(parte) for parte in orden]]
    if isinstance(orden, dict):
        return [lista for valor in orden.values() for lista in orden_como_lista(valor)]
    raise ErrorDevcontainer(f"No sé ejecutar el comando del ciclo de vida {orden!r}")


class Devcontainer:
    """Un devcontainer creado con el motor: construir(), crear(), ejecutar(), borrar()."""

    def __init__(
        self,
        repositorio: Path,
        motor: str,
        etiqueta: str,
        avisar: Callable[[str], None],
        registro: Path,
        build_args: dict[str, str] | None = None,
        etiquetas: list[str] | None = None,
    ) -> None:
        self.repositorio = repositorio
        self.carpeta = repositorio / ".devcontainer"
        self.motor = motor
        self.etiqueta = etiqueta
        self.avisar = avisar
        self.registro = registro
        self.build_args_extra = build_args or {}
        self.etiquetas = etiquetas or []
        self.config = leer(self.carpeta / "devcontainer.json")
        self.nombre = f"taller-devcontainer-{os.getpid()}"
        self.copia: Path | None = None
        self.variables: dict[str, str] = {}

    # --- utilidades ------------------------------------------------------------------------

    def _motor(self, *argumentos: str, que: str, registro: Path | None = None) -> str:
        orden = [self.motor, *argumentos]
        if registro is not None:
            with registro.open("w", encoding="utf-8") as fichero:
                proceso = subprocess.run(
                    orden, stdout=fichero, stderr=subprocess.STDOUT, check=False
                )
            salida = registro.read_text(encoding="utf-8", errors="replace")
        else:
            proceso = subprocess.run(orden, capture_output=True, text=True, check=False)
            salida = proceso.stdout + proceso.stderr
        if proceso.returncode != 0:
            raise ErrorDevcontainer(
                f"{que} falló (código {proceso.returncode}). Últimas líneas:\n{salida[-3000:]}"
            )
        return salida

    # --- pasos -----------------------------------------------------------------------------

    def construir(self) -> None:
        config = self.config
        if "image" in config:
            self.etiqueta = config["image"]
            self.avisar(f"devcontainer.json usa la imagen {self.etiqueta}")
            return
        build = dict(config.get("build", {}))
        if "dockerFile" in config:
            build.setdefault("dockerfile", config["dockerFile"])
            build.setdefault("context", config.get("context", "."))
        if "dockerfile" not in build:
            raise ErrorDevcontainer("devcontainer.json no dice ni «image» ni «build.dockerfile»")
        dockerfile = (self.carpeta / build["dockerfile"]).resolve()
        contexto = (self.carpeta / build.get("context", ".")).resolve()
        argumentos = {**build.get("args", {}), **self.build_args_extra}
        orden = ["build", "--pull=never", "-f", str(dockerfile), "-t", self.etiqueta]
        for clave, valor in argumentos.items():
            orden += ["--build-arg", f"{clave}={valor}"]
        for etiqueta in self.etiquetas:
            orden += ["--label", etiqueta]
        if build.get("target"):
            orden += ["--target", build["target"]]
        self.avisar(
            f"construyo {self.etiqueta} desde {dockerfile.relative_to(self.repositorio)} "
            f"(contexto {contexto.relative_to(self.repositorio) or '.'}, "
            f"args {argumentos}); registro en {self.registro}"
        )
        self._motor(
            *orden,
            str(contexto),
            que="Construir la imagen del devcontainer",
            registro=self.registro,
        )

    def _uid_del_usuario(self, usuario: str) -> int:
        salida = self._motor(
            "run", "--rm", "--user", usuario, "--entrypoint", "id", self.etiqueta, "-u",
            que=f"Preguntar el UID de {usuario}",
        )  # fmt: skip
        return int(salida.strip().splitlines()[-1])

    def crear(self) -> None:
        config = self.config
        usuario = config.get("containerUser") or config.get("remoteUser")
        self.copia = Path(tempfile.mkdtemp(prefix="taller-espacio-")) / self.repositorio.name
        shutil.copytree(self.repositorio, self.copia, ignore=IGNORAR_AL_COPIAR, symlinks=True)
        if os.geteuid() == 0:
            uid = self._uid_del_usuario(usuario) if usuario else 0
            subprocess.run(["chown", "-R", f"{uid}:{uid}", str(self.copia.parent)], check=True)
        else:
            self.avisar("no soy root: la copia del espacio de trabajo sigue siendo tuya")
        carpeta_en_contenedor = config.get("workspaceFolder", f"/workspaces/{self.copia.name}")
        self.variables = {
            "localWorkspaceFolder": str(self.copia),
            "localWorkspaceFolderBasename": self.copia.name,
            "containerWorkspaceFolder": carpeta_en_contenedor,
            "containerWorkspaceFolderBasename": Path(carpeta_en_contenedor).name,
        }
        config = sustituir(config, self.variables)
        self.config = config
        montaje = config.get(
            "workspaceMount",
            f"source={self.copia},target={carpeta_en_contenedor},type=bind",
        )
        orden = ["run", "-d", "--name", self.nombre, *_montaje(montaje)]
        for montaje_extra in config.get("mounts", []):
            orden += _montaje(montaje_extra if isinstance(montaje_extra, str) else ",".join(
                f"{k}={v}" for k, v in montaje_extra.items()
            ))  # fmt: skip
        if usuario:
            orden += ["--user", usuario]
        for clave, valor in config.get("containerEnv", {}).items():
            orden += ["--env", f"{clave}={valor}"]
        orden += [str(a) for a in config.get("runArgs", [])]
        orden += ["--workdir", carpeta_en_contenedor]
        if config.get("overrideCommand", True):
            orden += ["--entrypoint", "/bin/sh", self.etiqueta, "-c", MANTENER_VIVO]
        else:
            orden.append(self.etiqueta)
        self.avisar(
            f"arranco el contenedor {self.nombre} con el espacio de trabajo en {carpeta_en_contenedor}"
        )
        self._motor(*orden, que="Arrancar el devcontainer")
        for clave in [*ORDENES_DEL_CICLO, "postStartCommand"]:
            if clave in config:
                for orden_del_ciclo in orden_como_lista(config[clave]):
                    self.avisar(f"{clave}: {' '.join(orden_del_ciclo)}")
                    self.ejecutar(orden_del_ciclo, que=clave)

    def ejecutar(self, orden: list[str], que: str) -> str:
        """Ejecuta dentro, como remoteUser, en workspaceFolder y con remoteEnv."""
        config = self.config
        argumentos = ["exec"]
        usuario = config.get("remoteUser") or config.get("containerUser")
        if usuario:
            argumentos += ["--user", usuario]
        argumentos += ["--workdir", self.variables["containerWorkspaceFolder"]]
        for clave, valor in config.get("remoteEnv", {}).items():
            argumentos += ["--env", f"{clave}={valor}"]
        return self._motor(*argumentos, self.nombre, *orden, que=que)

    def borrar(self) -> None:
        # podman espera 10 s a que el proceso acabe con SIGTERM; docker rm -f mata sin esperar.
        rapido = ["--time", "0"] if Path(self.motor).name == "podman" else []
        subprocess.run(
            [self.motor, "rm", "--force", *rapido, self.nombre], capture_output=True, check=False
        )
        if self.copia is not None:
            shutil.rmtree(self.copia.parent, ignore_errors=True)
