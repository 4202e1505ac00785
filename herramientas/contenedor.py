"""`make contenedor`: la imagen y el devcontainer del taller, construidos y probados de verdad.

Como root (CI), prepara la máquina y prueba lo que hace un alumno en Linux: un usuario normal
cuyo UID no es el 1000 de alumno (`taller-dc`) abre su copia del taller con el CLI oficial de
Dev Containers (`@devcontainers/cli`, el motor de VS Code), con podman sin root y con Docker.

Pasos (cada uno dice qué hace y cuánto tarda; si uno falla, se para con un mensaje claro):

1. prepara la máquina: podman, runc, debootstrap, docker.io, uidmap, slirp4netns, acl y npm
   (con apt si faltan) y los límites que podman (como root) pone a los contenedores;
2. la imagen base del FROM (python:X.Y-slim): la del motor si ya está; si no, un sustituto
   local hecho con debootstrap (ver herramientas/imagen_base.py), porque desde CI no se
   llega a ningún registro de imágenes;
3. el usuario de prueba, su podman sin root y el CLI, instalado con npm en su
   ~/.cache/taller/devcontainers-cli (herramientas/devcontainer_cli.py);
4. `devcontainer build` construye el Dockerfile de la raíz con podman sin root;
5. en esa imagen, con `podman run` a secas: el usuario no es root, `pytest ejercicios
   --soluciones` pasa y JupyterLab responde en el puerto 8888;
6. `devcontainer up` con podman sin root: postCreateCommand, y dentro (`devcontainer exec`)
   `pytest ejercicios/01 --soluciones`, las órdenes de `taller` y una escritura en
   ejercicios/01 que se ve en la carpeta del usuario;
7. lo mismo con Docker: un dockerd propio en segundo plano (parado al acabar), al que llega
   la imagen base con `podman save | docker load`;
8. las pruebas del módulo 08, que ejecutan contenedores de verdad, con podman y con Docker.

Los registros de cada paso van a .taller/contenedor/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devcontainer_cli  # noqa: E402
import imagen_base  # noqa: E402
from pasos import Fallo, avisar, ejecutar, resumen_de_pytest  # noqa: E402

RAIZ = Path(__file__).resolve().parent.parent
REGISTROS = RAIZ / ".taller" / "contenedor"
MOTOR = "podman"
IMAGEN_TALLER = "localhost/taller:prueba"
# Programa que hace falta -> paquete de Debian que lo trae.
PAQUETES = {
    "podman": "podman", "runc": "runc", "debootstrap": "debootstrap", "dockerd": "docker.io",
    "newuidmap": "uidmap", "slirp4netns": "slirp4netns", "setfacl": "acl", "npm": "npm",
}  # fmt: skip
CONFIGURACION_PODMAN = Path("/etc/containers/containers.conf.d/50-taller.conf")
NPROC_MAXIMO = 32768
SEGUNDOS_PARA_JUPYTER = 120
# Las peticiones a 127.0.0.1 nunca pasan por un proxy, lo diga o no el entorno.
SIN_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PRUEBAS = ["python", "-m", "pytest", "ejercicios", "--soluciones", "-q", "-p", "no:cacheprovider"]
PRUEBAS_01 = [*PRUEBAS[:3], "ejercicios/01", *PRUEBAS[4:]]


# --- 1. la máquina ---------------------------------------------------------------------------


def instalar_lo_que_falta() -> None:
    faltan = [paquete for programa, paquete in PAQUETES.items() if shutil.which(programa) is None]
    if not faltan:
        avisar(f"ya está instalado: {', '.join(PAQUETES.values())}.")
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise Fallo(
            f"Faltan {', '.join(faltan)} y no puedo instalarlos (hace falta ser root en una "
            f"Debian o Ubuntu): sudo apt-get install {' '.join(faltan)}"
        )
    avisar(f"instalo con apt: {', '.join(faltan)}")
    entorno = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    ejecutar(["apt-get", "update", "-qq"], "apt-get update", intentos=2, env=entorno)
    ejecutar(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *faltan],
        "apt-get install",
        registro=REGISTROS / "apt.log",
        intentos=2,
        env=entorno,
    )


# --- 1b. podman como root (la imagen base y el módulo 08) ------------------------------


def configurar_podman() -> None:
    """Límites de los contenedores no mayores que los del shell, y runc como runtime.

    podman (como root) pide para cada contenedor nofile=1048576; si el límite duro de este
    proceso es menor, runc no puede ponerlo y el contenedor no arranca («error setting
    rlimits»). Se escribe un fichero aparte en containers.conf.d, sin tocar la
    configuración que ya hubiera.
    """
    if os.geteuid() != 0:
        avisar("no soy root: dejo la configuración de podman como está.")
        return
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nproc = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    nofile = 1048576 if nofile == resource.RLIM_INFINITY else nofile
    nproc = NPROC_MAXIMO if nproc == resource.RLIM_INFINITY else min(nproc, NPROC_MAXIMO)
    texto = (
        "# Escrito por `make contenedor` (taller): podman no puede dar a un contenedor más\n"
        "# límites que los del proceso que lo lanza, y runc es el runtime que se instala.\n"
        "[containers]\n"
        f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc={nproc}:{nproc}"]\n\n'
        '[engine]\nruntime = "runc"\n'
    )
    actual = (
        CONFIGURACION_PODMAN.read_text(encoding="utf-8") if CONFIGURACION_PODMAN.is_file() else ""
    )
    if actual != texto:
        CONFIGURACION_PODMAN.parent.mkdir(parents=True, exist_ok=True)
        CONFIGURACION_PODMAN.write_text(texto, encoding="utf-8")
        avisar(f"escrito {CONFIGURACION_PODMAN} (nofile={nofile}, nproc={nproc}, runtime runc)")
    else:
        avisar(f"{CONFIGURACION_PODMAN} ya estaba al día.")
    ejecutar([MOTOR, "info", "--format", "{{.Host.OCIRuntime.Name}}"], "podman info")


def comprobar_keep_id_como_root(imagen: str) -> None:
    """Lo que dice el README: el CLI añade --userns=keep-id con podman, y como root no vale.

    Si un podman más nuevo lo aceptara, se avisa (el README debería decirlo) sin fallar.
    """
    proceso = subprocess.run(
        [MOTOR, "run", "--rm", "--userns=keep-id", "--entrypoint", "true", imagen],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proceso.returncode != 0 and "keep-id" in proceso.stderr:
        avisar(
            "podman como root rechaza --userns=keep-id, como dice el README: "
            f"«{proceso.stderr.strip().splitlines()[-1]}»"
        )
    else:
        avisar(
            "AVISO: este podman como root acepta --userns=keep-id (código "
            f"{proceso.returncode}); el README dice que no: revísalo."
        )


# --- 2. la imagen base -------------------------------------------------------------------------


def version_por_defecto(dockerfile: Path) -> str:
    coincidencia = re.search(
        r"^ARG\s+PYTHON_VERSION=(\S+)", dockerfile.read_text(encoding="utf-8"), re.MULTILINE
    )
    if not coincidencia:
        raise Fallo(f"{dockerfile} no declara ARG PYTHON_VERSION=X.Y antes del FROM")
    return coincidencia[1]


def etiqueta_de(imagen: str, clave: str) -> str:
    proceso = subprocess.run(
        [MOTOR, "image", "inspect", "--format", "{{json .Labels}}", imagen],
        capture_output=True,
        text=True,
        check=False,
    )
    if proceso.returncode != 0:
        return ""
    return (json.loads(proceso.stdout or "null") or {}).get(clave, "")


def existe(imagen: str) -> bool:
    return (
        subprocess.run(
            [MOTOR, "image", "exists", imagen], capture_output=True, check=False
        ).returncode
        == 0
    )


def preparar_imagen_base() -> str:
    """La versión de Python con la que construir: la de una imagen oficial o la del sustituto."""
    version = version_por_defecto(RAIZ / "Dockerfile")
    oficial = imagen_base.etiqueta_oficial(version)
    if existe(oficial) and etiqueta_de(oficial, "taller.base") != "sustituto-local":
        avisar(f"uso {oficial}, que ya está en {MOTOR}.")
        return version
    if not existe(oficial):
        avisar(
            f"{oficial} no está en {MOTOR} (y desde CI no se llega a ningún registro): "
            "uso un sustituto local."
        )
    try:
        _, version_sustituto = imagen_base.asegurar_sustituto(MOTOR, avisar)
    except imagen_base.ErrorImagenBase as error:
        raise Fallo(str(error)) from None
    if version_sustituto != version:
        avisar(
            f"el sustituto trae Python {version_sustituto} (el de esta Debian), no {version}: "
            f"construyo con --build-arg PYTHON_VERSION={version_sustituto}."
        )
    return version_sustituto


# --- 3. el usuario de prueba y el CLI ---------------------------------------------------------


def preparar_usuario(estado: dict) -> None:
    if os.geteuid() != 0:
        raise Fallo(
            "make contenedor crea un usuario de prueba (UID distinto del 1000 de alumno) y "
            "arranca dockerd: hace falta ser root (CI lo es)."
        )
    usuario = devcontainer_cli.asegurar_usuario()
    devcontainer_cli.preparar_podman_sin_root(usuario)
    devcontainer_cli.copiar_imagen(
        imagen_base.etiqueta_oficial(estado["version"]),
        f"el podman sin root de {usuario.nombre}",
        ["podman"],
        **usuario.como_el(),
    )
    devcontainer_cli.instalar_cli(usuario)
    devcontainer_cli.copiar_espacio(RAIZ, usuario, estado["version"])
    estado["usuario"] = usuario


# --- 4 y 5. la imagen del taller ------------------------------------------------------------


def construir(usuario: devcontainer_cli.Usuario) -> None:
    registro = REGISTROS / "construir-taller.log"
    avisar(
        f"devcontainer build --docker-path podman --image-name {IMAGEN_TALLER}, como "
        f"{usuario.nombre}; registro en {registro.relative_to(RAIZ)}"
    )
    salida = usuario.ejecutar(
        [
            str(usuario.cli), "build", "--workspace-folder", str(usuario.espacio),
            "--docker-path", "podman", "--image-name", IMAGEN_TALLER, "--log-format", "text",
        ],
        "Construir la imagen del taller (devcontainer build)",
        registro=registro,
        intentos=2,
    )  # fmt: skip
    if '"outcome":"success"' not in salida.replace(" ", ""):
        raise Fallo(f"devcontainer build no dijo «success»:\n{salida[-3000:]}")


def en_la_imagen(usuario: devcontainer_cli.Usuario, *orden: str, que: str, **opciones) -> str:
    """`podman run --rm` de la imagen del taller, como el usuario de prueba (podman sin root)."""
    return usuario.ejecutar(["podman", "run", "--rm", *orden], que, **opciones)


def comprobar_usuario(usuario: devcontainer_cli.Usuario) -> None:
    salida = en_la_imagen(usuario, "--entrypoint", "id", IMAGEN_TALLER, que="id dentro")
    avisar(f"id: {salida.strip()}")
    if re.search(r"\buid=0\b", salida):
        raise Fallo(
            "En la imagen del taller el usuario es root: el Dockerfile debe terminar con USER alumno"
        )


def comprobar_pruebas(usuario: devcontainer_cli.Usuario) -> None:
    salida = en_la_imagen(
        usuario,
        IMAGEN_TALLER,
        *PRUEBAS,
        que="pytest ejercicios --soluciones dentro de la imagen",
        registro=REGISTROS / "pruebas-en-la-imagen.log",
    )
    avisar("pytest: " + resumen_de_pytest(salida))


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def comprobar_jupyter(usuario: devcontainer_cli.Usuario) -> None:
    nombre = f"taller-jupyter-{os.getpid()}"
    puerto = puerto_libre()
    en_la_imagen(
        usuario, "-d", "--name", nombre, "-p", f"127.0.0.1:{puerto}:8888", IMAGEN_TALLER,
        que="Arrancar JupyterLab",
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{puerto}/api"
        limite = time.monotonic() + SEGUNDOS_PARA_JUPYTER
        ultimo_error = ""
        while time.monotonic() < limite:
            try:
                with SIN_PROXY.open(url, timeout=5) as respuesta:
                    datos = json.loads(respuesta.read())
                avisar(
                    f"JupyterLab responde en el 8888 del contenedor ({url}): "
                    f"jupyter-server {datos.get('version')}"
                )
                break
            except (urllib.error.URLError, OSError, ValueError) as error:
                ultimo_error = str(error)
                time.sleep(1)
        else:
            registro = subprocess.run(
                ["podman", "logs", nombre], capture_output=True, text=True, **usuario.como_el()
            )
            raise Fallo(
                f"JupyterLab no respondió en {SEGUNDOS_PARA_JUPYTER} s en {url} "
                f"(último error: {ultimo_error}). Registro del contenedor:\n"
                f"{(registro.stdout + registro.stderr)[-3000:]}"
            )
        lab = SIN_PROXY.open(f"http://127.0.0.1:{puerto}/lab", timeout=10)
        if lab.status != 200:
            raise Fallo(f"/lab respondió {lab.status}")
    finally:
        subprocess.run(
            ["podman", "rm", "--force", "--time", "0", nombre],
            capture_output=True,
            check=False,
            **usuario.como_el(),
        )


# --- 6 y 7. el devcontainer, con el CLI ------------------------------------------------------


def comprobar_devcontainer(usuario: devcontainer_cli.Usuario, motor: str, version: str) -> None:
    """`devcontainer up` y las órdenes del alumno dentro, con el motor dado (--docker-path)."""
    devcontainer_cli.copiar_espacio(RAIZ, usuario, version)
    contenedor = devcontainer_cli.Devcontainer(usuario, motor, REGISTROS)
    try:
        resultado = contenedor.up()
        avisar(
            f"up: contenedor {contenedor.contenedor[:12]}, remoteUser {resultado.get('remoteUser')}, "
            f"carpeta {resultado.get('remoteWorkspaceFolder')}; postCreateCommand hecho"
        )
        # updateRemoteUserUID: alumno tiene el UID del usuario, y su venv (en su home) es suyo.
        salida = contenedor.ejecutar(
            [
                "sh",
                "-c",
                'id; echo "venv: $VIRTUAL_ENV"; '
                'find "$VIRTUAL_ENV" ! -user "$(id -u)" -printf "ajeno: %p\\n" | head -3',
            ],
            que="id y el venv en el devcontainer",
        )
        avisar(" | ".join(linea for linea in salida.strip().splitlines()))
        if f"uid={usuario.uid}(alumno)" not in salida:
            raise Fallo(
                f"En el devcontainer, alumno debería tener el UID {usuario.uid} de "
                f"{usuario.nombre} (updateRemoteUserUID); id dice: {salida.strip()}"
            )
        ajenos = [linea for linea in salida.splitlines() if linea.startswith("ajeno: ")]
        if ajenos:
            raise Fallo(f"Hay ficheros del venv que no son de alumno ({usuario.uid}): {ajenos}")
        salida = contenedor.ejecutar(
            PRUEBAS_01, que="pytest ejercicios/01 --soluciones en el devcontainer"
        )
        avisar("pytest ejercicios/01 --soluciones: " + resumen_de_pytest(salida))
        comprobar_ordenes_del_alumno(contenedor)
        comprobar_escritura(contenedor, usuario)
    finally:
        contenedor.borrar()
        contenedor.limpiar_imagenes()


# Las órdenes del alumno en la terminal del devcontainer: (orden de sh, código de salida que
# debe dar, texto que debe aparecer). Van en orden: `vigilar` cambia ejercicios/01 y
# `reiniciar` lo deja como estaba.
VIGILAR_Y_GUARDAR = """
taller vigilar 01 --intervalo 0.2 --max-ejecuciones 2 < /dev/null > /tmp/vigilar.txt 2>&1 &
for _ in $(seq 600); do grep -q 'Vigilando ejercicios/01' /tmp/vigilar.txt && break; sleep 0.1; done
cp soluciones/01/servidor.py ejercicios/01/servidor.py
wait $!; codigo=$?; cat /tmp/vigilar.txt; (exit $codigo)
"""
ORDENES_DEL_ALUMNO = [
    ("taller progreso", 0, "Siguiente: módulo 01"),
    ("taller comprobar 01", 1, "Módulo 01 — Orientación a objetos: pasan 0 de"),
    ("taller comprobar 01 --soluciones", 0, "¡Todo en verde!"),
    ("taller pista 01", 0, "Pista 1 de"),
    ("taller vigilar 01 --manual < /dev/null", 0, "No hay teclado del que leer"),
    (VIGILAR_Y_GUARDAR, 0, "¡Módulo 01 superado!"),
    ("taller reiniciar 01 --si", 0, "Ejercicio 01 reiniciado."),
    ("taller comprobar 01", 1, "pasan 0 de"),
]


def comprobar_ordenes_del_alumno(contenedor: devcontainer_cli.Devcontainer) -> None:
    """Cada orden de `taller` funciona dentro, sobre la carpeta montada (vigilar por sondeo).

    Van todas en un solo `devcontainer exec` (cada uno arranca el CLI y el shell de login del
    usuario: segundos), separadas por una marca; cada una se comprueba por su cuenta.
    """
    guion = "".join(
        f'echo "{MARCA}{numero}"\n{orden}\necho "código de salida: $?"\n'
        for numero, (orden, _, _) in enumerate(ORDENES_DEL_ALUMNO)
    )
    salida = contenedor.ejecutar(["sh", "-c", guion], que="las órdenes de taller dentro")
    trozos = salida.split(MARCA)
    for numero, (orden, codigo, texto) in enumerate(ORDENES_DEL_ALUMNO):
        nombre = orden.strip().splitlines()[0].split(" <")[0]
        propio = next((trozo for trozo in trozos if trozo.startswith(f"{numero}\n")), "")
        if f"código de salida: {codigo}" not in propio or texto not in propio:
            raise Fallo(
                f"En el devcontainer, «{nombre}» no salió con {codigo} diciendo «{texto}»:\n"
                f"{(propio or salida)[-3000:]}"
            )
        avisar(f"{nombre}: bien")


MARCA = "### orden del alumno número "
ESCRITO = "ejercicios/01/escrito_en_el_devcontainer.txt"


def comprobar_escritura(contenedor: devcontainer_cli.Devcontainer, usuario) -> None:
    """Lo que el alumno guarda en ejercicios/01 dentro está en su carpeta, y es suyo."""
    contenedor.ejecutar(
        ["sh", "-c", f'echo "escrito por $(id -un) ($(id -u)) en el devcontainer" > {ESCRITO}'],
        que="escribir en ejercicios/01 desde dentro",
    )
    fichero = usuario.espacio / ESCRITO
    if not fichero.is_file():
        raise Fallo(f"Se escribió {ESCRITO} dentro del devcontainer y no está en {fichero}")
    texto = fichero.read_text(encoding="utf-8").strip()
    dueno = fichero.stat().st_uid
    if dueno != usuario.uid or f"({usuario.uid})" not in texto:
        raise Fallo(
            f"{fichero} debería ser de {usuario.nombre} ({usuario.uid}); es de {dueno} y dice «{texto}»"
        )
    avisar(f"en la carpeta de {usuario.nombre}: {fichero} (de UID {dueno}): «{texto}»")
    fichero.unlink()


def arrancar_docker(estado: dict) -> None:
    dockerd = devcontainer_cli.Dockerd(REGISTROS / "dockerd.log")
    estado["dockerd"] = dockerd
    avisar(f"dockerd {dockerd.arrancar()}, en {devcontainer_cli.SOCKET_DOCKER}")
    devcontainer_cli.copiar_imagen(
        imagen_base.etiqueta_oficial(estado["version"]),
        "docker",
        [devcontainer_cli.DOCKER],
        env=dockerd.entorno(),
    )


# --- 8. el módulo 08 con los dos motores ------------------------------------------------------


def comprobar_modulo_08(motores: list[str]) -> None:
    """Sus pruebas de verdad (construyen y ejecutan contenedores), con cada motor."""
    python = RAIZ / ".venv" / "bin" / "python"
    if not python.exists():
        raise Fallo(f"No está {python}: make entorno (make contenedor lo crea si falta)")
    for motor in motores:
        entorno = {**devcontainer_cli.Dockerd.entorno(), "TALLER_MOTOR": motor}
        salida = ejecutar(
            [
                str(python),
                "-m",
                "pytest",
                "ejercicios/08",
                "--soluciones",
                "-q",
                "-p",
                "no:cacheprovider",
                "-rs",
            ],
            f"pytest ejercicios/08 --soluciones con TALLER_MOTOR={motor}",
            registro=REGISTROS / f"modulo-08-{motor}.log",
            env=entorno,
            cwd=RAIZ,
        )
        resumen = resumen_de_pytest(salida)
        if "skipped" in resumen:
            raise Fallo(
                f"Con TALLER_MOTOR={motor} se omitieron pruebas del módulo 08:\n{salida[-2000:]}"
            )
        avisar(f"TALLER_MOTOR={motor}: {resumen}")


# --- todo junto --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    # Si a make contenedor lo paran (CI, Ctrl+C), los finally paran dockerd y borran contenedores.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sin-docker",
        action="store_true",
        help="sáltate el devcontainer con Docker y el 08 con Docker",
    )
    args = parser.parse_args(argv)

    estado: dict = {}
    pasos = [
        ("Preparar la máquina (paquetes de Debian)", instalar_lo_que_falta),
        ("Configurar podman", configurar_podman),
        ("Imagen base python:X.Y-slim", lambda: estado.update(version=preparar_imagen_base())),
        ("Podman como root y --userns=keep-id (lo que dice el README)",
         lambda: comprobar_keep_id_como_root(imagen_base.etiqueta_oficial(estado["version"]))),
        ("Usuario de prueba (UID distinto de 1000), podman sin root y CLI de Dev Containers",
         lambda: preparar_usuario(estado)),
        ("Construir la imagen del taller (devcontainer build, podman sin root)",
         lambda: construir(estado["usuario"])),
        ("En la imagen (podman run): usuario no root", lambda: comprobar_usuario(estado["usuario"])),
        ("En la imagen: pytest ejercicios --soluciones", lambda: comprobar_pruebas(estado["usuario"])),
        ("En la imagen: JupyterLab responde en el 8888", lambda: comprobar_jupyter(estado["usuario"])),
        ("Devcontainer con podman sin root (devcontainer up y exec)",
         lambda: comprobar_devcontainer(estado["usuario"], "podman", estado["version"])),
        ("Docker: dockerd propio y la imagen base", lambda: arrancar_docker(estado)),
        ("Devcontainer con Docker (devcontainer up y exec)",
         lambda: comprobar_devcontainer(estado["usuario"], devcontainer_cli.DOCKER, estado["version"])),
        ("Módulo 08 con los dos motores (TALLER_MOTOR=podman y docker)",
         lambda: comprobar_modulo_08(["podman"] if args.sin_docker else ["podman", "docker"])),
    ]  # fmt: skip
    con_docker = {"Docker", "Devcontainer con Docker"}
    inicio_total = time.monotonic()
    tiempos: list[str] = []
    try:
        for numero, (titulo, accion) in enumerate(pasos, start=1):
            if args.sin_docker and any(titulo.startswith(p) for p in con_docker):
                print(f"[{numero}/{len(pasos)}] {titulo}: omitido (--sin-docker)")
                continue
            print(f"[{numero}/{len(pasos)}] {titulo}", flush=True)
            inicio = time.monotonic()
            try:
                accion()
            except Fallo as error:
                tiempos.append(f"{time.monotonic() - inicio:6.0f} s  {titulo} (falló)")
                print(f"\n✘ make contenedor: falló el paso «{titulo}».\n{error}", file=sys.stderr)
                return 1
            tiempos.append(f"{time.monotonic() - inicio:6.0f} s  {titulo}")
            print(f"    ✔ {time.monotonic() - inicio:.0f} s", flush=True)
    finally:
        if "dockerd" in estado:
            estado["dockerd"].parar()
        total = time.monotonic() - inicio_total
        REGISTROS.mkdir(parents=True, exist_ok=True)
        (REGISTROS / "tiempos.txt").write_text(
            "\n".join([*tiempos, f"{total:6.0f} s  total", ""]), encoding="utf-8"
        )
    print(
        f"\n✔ make contenedor: la imagen y el devcontainer del taller funcionan, con podman sin "
        f"root{'' if args.sin_docker else ' y con Docker'} ({total:.0f} s; lo que tardó cada paso, en "
        f"{(REGISTROS / 'tiempos.txt').relative_to(RAIZ)})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
