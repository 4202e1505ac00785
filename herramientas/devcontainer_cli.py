"""El devcontainer del taller con el CLI oficial de Dev Containers, como lo usa un alumno en Linux.

El CLI (`@devcontainers/cli`, de npm) es el motor que hay debajo de VS Code: lee
.devcontainer/devcontainer.json, construye la imagen, le añade la capa de
`updateRemoteUserUID` (alumno pasa a tener el UID de tu usuario y su home se le devuelve con
chown), arranca el contenedor, ejecuta postCreateCommand y deja ejecutar órdenes dentro.

Para probarlo como en la máquina de un alumno hace falta un usuario normal cuyo UID no sea el
1000 de alumno (si fuera el mismo, `updateRemoteUserUID` no cambiaría nada y no se vería
ningún fallo de permisos). Este módulo, ejecutado como root (CI), prepara:

- ese usuario (`taller-dc`, UID 1001 si está libre), con sus UID subordinados para podman sin
  root, en el grupo docker, y el CLI instalado con npm en su ~/.cache/taller/devcontainers-cli;
- un dockerd propio (socket, datos y estado en rutas propias, /run/taller-docker y
  /var/lib/taller-docker), arrancado en segundo plano y parado al acabar;
- una copia del repositorio en su home, que es lo que abre (su «carpeta del proyecto»).
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from pasos import Fallo, avisar, ejecutar

VERSION_DEL_CLI = "0.89.0"
PAQUETE_DEL_CLI = f"@devcontainers/cli@{VERSION_DEL_CLI}"
NOMBRE_DEL_USUARIO = "taller-dc"
UID_PREFERIDO = 1001
UID_DE_ALUMNO = 1000
# Lo que el usuario de prueba hereda del entorno: certificados y proxy (si la máquina sale a
# internet por un proxy con su propia CA, npm y pip los necesitan).
HEREDADAS = re.compile(r"^(SSL_CERT_\w+|\w+_CA_(CERTS|BUNDLE)|(https?|no)_proxy|LANG)$", re.I)
IGNORAR_AL_COPIAR = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", ".taller", ".pytest_cache", ".ruff_cache",
    ".ipynb_checkpoints", "build", "dist",
)  # fmt: skip

DOCKER = "/usr/bin/docker"  # el cliente del paquete docker.io de Debian
CARPETA_DOCKERD = Path("/run/taller-docker")
SOCKET_DOCKER = CARPETA_DOCKERD / "docker.sock"
DATOS_DOCKERD = Path("/var/lib/taller-docker")
SEGUNDOS_PARA_DOCKERD = 60
TUN = Path("/dev/net/tun")


# --- el usuario de prueba ------------------------------------------------------------------------


@dataclass(frozen=True)
class Usuario:
    nombre: str
    uid: int
    gid: int
    home: Path

    @property
    def runtime(self) -> Path:
        """Su XDG_RUNTIME_DIR (podman sin root guarda ahí su estado; sin systemd nadie lo crea)."""
        return Path(f"/tmp/{self.nombre}-run")

    @property
    def carpeta_del_cli(self) -> Path:
        return self.home / ".cache" / "taller" / "devcontainers-cli"

    @property
    def cli(self) -> Path:
        return self.carpeta_del_cli / "node_modules" / ".bin" / "devcontainer"

    @property
    def espacio(self) -> Path:
        """Su copia del taller: la carpeta que abre en VS Code."""
        return self.home / "taller"

    def entorno(self, **extra: str) -> dict[str, str]:
        entorno = {clave: valor for clave, valor in os.environ.items() if HEREDADAS.match(clave)}
        entorno.update(
            HOME=str(self.home),
            USER=self.nombre,
            LOGNAME=self.nombre,
            SHELL="/bin/bash",
            PATH="/usr/local/bin:/usr/bin:/bin",
            XDG_RUNTIME_DIR=str(self.runtime),
            DOCKER_HOST=f"unix://{SOCKET_DOCKER}",
            LANG=os.environ.get("LANG", "C.UTF-8"),
            **extra,
        )
        return entorno

    def como_el(self) -> dict:
        """Opciones de subprocess para ejecutar como él: sus grupos (docker), su home, su entorno."""
        return {
            "user": self.uid,
            "group": self.gid,
            "extra_groups": os.getgrouplist(self.nombre, self.gid),
            "cwd": self.home,
            "env": self.entorno(),
        }

    def ejecutar(self, orden: list[str], que: str, registro: Path | None = None, **opciones) -> str:
        """Ejecuta como este usuario (ver como_el); `opciones` va a pasos.ejecutar."""
        return ejecutar(orden, que, registro, **{**self.como_el(), **opciones})

    def chown(self, ruta: Path) -> None:
        subprocess.run(["chown", "-R", f"{self.uid}:{self.gid}", str(ruta)], check=True)


def _uid_libre(preferido: int) -> int:
    usados = {entrada.pw_uid for entrada in pwd.getpwall()}
    uid = preferido
    while uid in usados or uid == UID_DE_ALUMNO:
        uid += 1
    return uid


def asegurar_usuario() -> Usuario:
    """El usuario de prueba: lo crea si no existe (UID 1001 o el siguiente libre, nunca el 1000)."""
    try:
        entrada = pwd.getpwnam(NOMBRE_DEL_USUARIO)
        avisar(f"el usuario {NOMBRE_DEL_USUARIO} ya existe (UID {entrada.pw_uid}).")
    except KeyError:
        uid = _uid_libre(UID_PREFERIDO)
        ejecutar(
            [
                "useradd", "--create-home", "--uid", str(uid), "--user-group",
                "--groups", "docker", "--shell", "/bin/bash", NOMBRE_DEL_USUARIO,
            ],
            f"Crear el usuario {NOMBRE_DEL_USUARIO}",
        )  # fmt: skip
        entrada = pwd.getpwnam(NOMBRE_DEL_USUARIO)
        avisar(f"creado el usuario {NOMBRE_DEL_USUARIO} (UID {entrada.pw_uid}).")
    if entrada.pw_uid in (0, UID_DE_ALUMNO):
        raise Fallo(
            f"{NOMBRE_DEL_USUARIO} tiene UID {entrada.pw_uid}: la prueba necesita uno que no sea "
            f"root ni el {UID_DE_ALUMNO} de alumno. Bórralo (userdel -r {NOMBRE_DEL_USUARIO})."
        )
    usuario = Usuario(entrada.pw_name, entrada.pw_uid, entrada.pw_gid, Path(entrada.pw_dir))
    ejecutar(["usermod", "--append", "--groups", "docker", usuario.nombre], "usermod -aG docker")
    _asegurar_subordinados(usuario)
    usuario.runtime.mkdir(mode=0o700, exist_ok=True)
    os.chown(usuario.runtime, usuario.uid, usuario.gid)
    return usuario


def _asegurar_subordinados(usuario: Usuario) -> None:
    """Rangos de /etc/subuid y /etc/subgid (useradd los da si existen los ficheros; si no, aquí)."""
    for fichero, opcion in (("/etc/subuid", "--add-subuids"), ("/etc/subgid", "--add-subgids")):
        ruta = Path(fichero)
        lineas = ruta.read_text(encoding="utf-8").splitlines() if ruta.is_file() else []
        if any(linea.split(":")[0] in (usuario.nombre, str(usuario.uid)) for linea in lineas):
            continue
        fin = max((int(x.split(":")[1]) + int(x.split(":")[2]) for x in lineas if x), default=0)
        inicio = max(100000, fin)
        ejecutar(
            ["usermod", opcion, f"{inicio}-{inicio + 65535}", usuario.nombre], f"usermod {opcion}"
        )


def preparar_podman_sin_root(usuario: Usuario) -> None:
    """Su configuración de podman (solo la suya: ~/.config/containers) y acceso a /dev/net/tun.

    - almacenamiento overlay (el nativo del núcleo; sin decirlo, podman 4 elige vfs, que copia
      la imagen entera por cada capa);
    - cgroupfs y registro de eventos en fichero: no hay systemd que los gestione;
    - slirp4netns (la red de podman sin root) abre /dev/net/tun. En una Debian normal es 0666;
      si aquí solo lo abre root, se le da permiso a este usuario (y solo a él) con una ACL.
    """
    carpeta = usuario.home / ".config" / "containers"
    carpeta.mkdir(parents=True, exist_ok=True)
    (carpeta / "storage.conf").write_text('[storage]\ndriver = "overlay"\n', encoding="utf-8")
    (carpeta / "containers.conf").write_text(
        '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n', encoding="utf-8"
    )
    usuario.chown(usuario.home / ".config")
    if TUN.exists() and not _puede_abrir(usuario, TUN):
        ejecutar(["setfacl", "-m", f"u:{usuario.nombre}:rw", str(TUN)], f"setfacl en {TUN}")
        avisar(f"{TUN} solo lo abría root: ACL para {usuario.nombre} (la red de podman sin root).")


def _puede_abrir(usuario: Usuario, ruta: Path) -> bool:
    proceso = subprocess.run(
        ["sh", "-c", f"exec 3<>{ruta}"],
        user=usuario.uid,
        group=usuario.gid,
        capture_output=True,
        check=False,
    )
    return proceso.returncode == 0


def instalar_cli(usuario: Usuario) -> str:
    """El CLI con npm en ~/.cache/taller/devcontainers-cli del usuario; devuelve su versión."""
    if usuario.cli.exists():
        version = usuario.ejecutar([str(usuario.cli), "--version"], "devcontainer --version")
        if version.strip() == VERSION_DEL_CLI:
            avisar(
                f"el CLI de Dev Containers {VERSION_DEL_CLI} ya está en {usuario.carpeta_del_cli}"
            )
            return VERSION_DEL_CLI
    usuario.carpeta_del_cli.mkdir(parents=True, exist_ok=True)
    usuario.chown(usuario.home / ".cache")
    usuario.ejecutar(
        [
            "npm", "install", "--prefix", str(usuario.carpeta_del_cli), "--no-audit", "--no-fund",
            "--no-update-notifier", PAQUETE_DEL_CLI,
        ],
        f"npm install {PAQUETE_DEL_CLI}",
        intentos=2,
    )  # fmt: skip
    version = usuario.ejecutar([str(usuario.cli), "--version"], "devcontainer --version").strip()
    avisar(f"npm install {PAQUETE_DEL_CLI} en {usuario.carpeta_del_cli} (versión {version})")
    return version


def copiar_espacio(raiz: Path, usuario: Usuario, version_de_python: str | None) -> Path:
    """Una copia limpia del taller en el home del usuario, suya (como su clon del repositorio).

    Si la imagen base que hay es de otra versión de Python que la de devcontainer.json, la
    copia construye con esa (build.args.PYTHON_VERSION), y se avisa.
    """
    if usuario.espacio.exists():
        shutil.rmtree(usuario.espacio)
    shutil.copytree(raiz, usuario.espacio, ignore=IGNORAR_AL_COPIAR, symlinks=True)
    config = usuario.espacio / ".devcontainer" / "devcontainer.json"
    datos = json.loads(config.read_text(encoding="utf-8"))
    pedida = datos.get("build", {}).get("args", {}).get("PYTHON_VERSION")
    if version_de_python and pedida and pedida != version_de_python:
        datos["build"]["args"]["PYTHON_VERSION"] = version_de_python
        config.write_text(json.dumps(datos, indent=2, ensure_ascii=False), encoding="utf-8")
        avisar(
            f"la imagen base es de Python {version_de_python}, no {pedida}: la copia construye "
            f"con PYTHON_VERSION={version_de_python}."
        )
    usuario.chown(usuario.espacio)
    return usuario.espacio


# --- dockerd -------------------------------------------------------------------------------------


class Dockerd:
    """Un dockerd propio en segundo plano: `arrancar()` y `parar()` (solo si lo arrancó él)."""

    def __init__(self, registro: Path) -> None:
        self.registro = registro
        self.proceso: subprocess.Popen | None = None

    @staticmethod
    def entorno() -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": f"unix://{SOCKET_DOCKER}"}

    def responde(self) -> bool:
        proceso = subprocess.run(
            [DOCKER, "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            env=self.entorno(),
            check=False,
        )
        return proceso.returncode == 0

    def arrancar(self) -> str:
        """Arranca dockerd (si no responde ya en su socket) y devuelve su versión y almacenamiento."""
        if self.responde():
            avisar(f"dockerd ya responde en {SOCKET_DOCKER}: lo uso (y no lo paro al acabar).")
        else:
            CARPETA_DOCKERD.mkdir(mode=0o755, parents=True, exist_ok=True)
            self.registro.parent.mkdir(parents=True, exist_ok=True)
            salida = self.registro.open("w", encoding="utf-8")
            self.proceso = subprocess.Popen(
                [
                    "dockerd", "--data-root", str(DATOS_DOCKERD),
                    "--exec-root", str(CARPETA_DOCKERD / "exec"),
                    "--pidfile", str(CARPETA_DOCKERD / "dockerd.pid"),
                    "--host", f"unix://{SOCKET_DOCKER}", "--group", "docker",
                ],
                stdout=salida,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
            salida.close()
            limite = time.monotonic() + SEGUNDOS_PARA_DOCKERD
            while not self.responde():
                if self.proceso.poll() is not None or time.monotonic() > limite:
                    que = (
                        f"terminó con código {self.proceso.returncode}"
                        if self.proceso.poll() is not None
                        else f"no respondió en {SEGUNDOS_PARA_DOCKERD} s"
                    )
                    self.parar()
                    registro = self.registro.read_text(encoding="utf-8", errors="replace")
                    raise Fallo(
                        f"dockerd {que}. Últimas líneas de {self.registro}:\n{registro[-3000:]}"
                    )
                time.sleep(0.5)
        return ejecutar(
            [DOCKER, "info", "--format", "{{.ServerVersion}}, almacenamiento {{.Driver}}"],
            "docker info",
            env=self.entorno(),
        ).strip()

    def parar(self) -> None:
        if self.proceso is None or self.proceso.poll() is not None:
            return
        self.proceso.terminate()
        try:
            self.proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proceso.kill()
            self.proceso.wait(timeout=30)
        avisar("dockerd parado.")


# --- la imagen base en otros almacenes -----------------------------------------------------------


def _id_de_imagen(orden: list[str], imagen: str, **opciones) -> str:
    proceso = subprocess.run(
        [*orden, "image", "inspect", "--format", "{{.Id}}", imagen],
        capture_output=True,
        text=True,
        check=False,
        **opciones,
    )
    return proceso.stdout.strip().removeprefix("sha256:") if proceso.returncode == 0 else ""


def copiar_imagen(imagen: str, destino: str, orden_destino: list[str], **opciones) -> None:
    """`podman save imagen | <destino> load`, si el destino no tiene ya esa misma imagen."""
    origen = _id_de_imagen(["podman"], imagen)
    if origen and _id_de_imagen(orden_destino, imagen, **opciones) == origen:
        avisar(f"{destino} ya tiene {imagen} ({origen[:12]}).")
        return
    guardar = subprocess.Popen(["podman", "save", imagen], stdout=subprocess.PIPE)
    try:
        cargar = subprocess.run(
            [*orden_destino, "load"],
            stdin=guardar.stdout,
            capture_output=True,
            text=True,
            check=False,
            **opciones,
        )
    finally:
        guardar.stdout.close()
        guardar.wait()
    if guardar.returncode != 0 or cargar.returncode != 0:
        raise Fallo(
            f"podman save {imagen} | {destino} load falló:\n{(cargar.stdout + cargar.stderr)[-2000:]}"
        )
    avisar(f"podman save {imagen} | {destino} load: {cargar.stdout.strip().splitlines()[-1]}")


# --- el CLI --------------------------------------------------------------------------------------


class Devcontainer:
    """`devcontainer up` / `exec` del CLI oficial, como el usuario, con un motor (--docker-path)."""

    def __init__(self, usuario: Usuario, motor: str, registros: Path) -> None:
        self.usuario = usuario
        self.motor = motor
        self.registros = registros
        self.nombre_motor = Path(motor).name
        self.contenedor = ""

    def _cli(self, suborden: str, *argumentos: str) -> list[str]:
        """Las opciones van antes que lo demás: en `exec`, lo que sigue es la orden a ejecutar."""
        return [
            str(self.usuario.cli),
            suborden,
            "--workspace-folder",
            str(self.usuario.espacio),
            "--docker-path",
            self.motor,
            *argumentos,
        ]

    def up(self) -> dict:
        """Construye, crea y arranca (con postCreateCommand); devuelve el JSON final del CLI."""
        registro = self.registros / f"devcontainer-up-{self.nombre_motor}.log"
        avisar(
            f"devcontainer up --docker-path {self.motor}, como {self.usuario.nombre} "
            f"(UID {self.usuario.uid}); registro en {registro}"
        )
        try:
            salida = self.usuario.ejecutar(
                self._cli("up", "--remove-existing-container", "--log-format", "text"),
                f"devcontainer up con {self.nombre_motor}",
                registro,
            )
        finally:
            self.contenedor = self._buscar_contenedor()
        resultado = _ultimo_json(salida)
        if resultado.get("outcome") != "success":
            raise Fallo(f"devcontainer up no dijo «success»: {resultado}\n{salida[-3000:]}")
        self.contenedor = resultado.get("containerId", self.contenedor)
        return resultado

    def _buscar_contenedor(self) -> str:
        """El contenedor que el CLI etiqueta con la carpeta (para borrarlo aunque `up` falle)."""
        proceso = subprocess.run(
            [
                self.motor, "ps", "--all", "--quiet", "--filter",
                f"label=devcontainer.local_folder={self.usuario.espacio}",
            ],
            capture_output=True,
            text=True,
            check=False,
            **self.usuario.como_el(),
        )  # fmt: skip
        return proceso.stdout.split()[0] if proceso.stdout.split() else ""

    def ejecutar(self, orden: list[str], que: str) -> str:
        """`devcontainer exec`: como remoteUser, en workspaceFolder, con el entorno de su shell."""
        return self.usuario.ejecutar(self._cli("exec", *orden), que)

    def borrar(self) -> None:
        if not self.contenedor:
            return
        rapido = ["--time", "0"] if self.nombre_motor == "podman" else []
        subprocess.run(
            [self.motor, "rm", "--force", *rapido, self.contenedor],
            capture_output=True,
            check=False,
            **self.usuario.como_el(),
        )
        self.contenedor = ""

    def limpiar_imagenes(self) -> None:
        """Las imágenes sin nombre que dejan las reconstrucciones (en almacenes solo de la prueba)."""
        subprocess.run(
            [self.motor, "image", "prune", "--force"],
            capture_output=True,
            check=False,
            **self.usuario.como_el(),
        )


def _ultimo_json(salida: str) -> dict:
    for linea in reversed(salida.strip().splitlines()):
        linea = linea.strip()
        if linea.startswith("{") and linea.endswith("}"):
            try:
                return json.loads(linea)
            except ValueError:
                continue
    return {}
