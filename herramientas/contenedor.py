"""`make contenedor`: construye la imagen y el devcontainer del taller y los prueba de verdad.

Pasos (cada uno dice qué hace y cuánto tarda; si uno falla, se para con un mensaje claro):

1. prepara la máquina: podman, runc y debootstrap (con apt si faltan) y los límites que
   podman pone a los contenedores (no pueden pasar de los del propio shell);
2. la imagen base del FROM (python:X.Y-slim): la del motor si ya está; si no, un sustituto
   local hecho con debootstrap (ver herramientas/imagen_base.py), porque desde CI no se
   llega a ningún registro de imágenes;
3. construye el Dockerfile de la raíz;
4. dentro de la imagen: el usuario no es root y `pytest ejercicios --soluciones` pasa;
5. JupyterLab arranca y responde en el puerto 8888 (publicado en 127.0.0.1);
6. el devcontainer: lo crea como VS Code a partir de .devcontainer/devcontainer.json
   (herramientas/devcontainer.py), ejecuta su postCreateCommand y las mismas pruebas.

Solo se usa podman: es el que se instala con apt y funciona sin demonio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devcontainer  # noqa: E402
import imagen_base  # noqa: E402

RAIZ = Path(__file__).resolve().parent.parent
REGISTROS = RAIZ / ".taller" / "contenedor"
MOTOR = "podman"
IMAGEN_TALLER = "localhost/taller:prueba"
IMAGEN_DEVCONTAINER = "localhost/taller-devcontainer:prueba"
# Las imágenes que construye este script llevan esta etiqueta: al acabar se borran las
# versiones viejas que han quedado sin nombre (y solo esas).
ETIQUETA_PROPIA = "taller.make-contenedor=1"
PAQUETES = {"podman": "podman", "runc": "runc", "debootstrap": "debootstrap"}
CONFIGURACION_PODMAN = Path("/etc/containers/containers.conf.d/50-taller.conf")
NPROC_MAXIMO = 32768
SEGUNDOS_PARA_JUPYTER = 120
# Las peticiones a 127.0.0.1 nunca pasan por un proxy, lo diga o no el entorno.
SIN_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PRUEBAS = ["python", "-m", "pytest", "ejercicios", "--soluciones", "-q", "-p", "no:cacheprovider"]


class Fallo(Exception):
    """Un paso no se pudo completar; el mensaje dice cuál y por qué."""


def avisar(texto: str) -> None:
    print(f"    {texto}", flush=True)


def ejecutar(
    orden: list[str], que: str, registro: Path | None = None, intentos: int = 1, **opciones
) -> str:
    """Ejecuta y devuelve la salida; si falla, Fallo con las últimas líneas (y el registro).

    Con intentos=2, un fallo se repite una vez (para los pasos que descargan: apt, pip dentro
    de la construcción), avisando de ello.
    """
    for intento in range(1, intentos):
        try:
            return _ejecutar_una_vez(orden, que, registro, **opciones)
        except Fallo as error:
            avisar(f"{que} falló; lo intento otra vez ({intento + 1} de {intentos}). {error}"[:600])
    return _ejecutar_una_vez(orden, que, registro, **opciones)


def _ejecutar_una_vez(orden: list[str], que: str, registro: Path | None, **opciones) -> str:
    if registro is not None:
        registro.parent.mkdir(parents=True, exist_ok=True)
        with registro.open("w", encoding="utf-8") as fichero:
            proceso = subprocess.run(
                orden, stdout=fichero, stderr=subprocess.STDOUT, check=False, **opciones
            )
        salida = registro.read_text(encoding="utf-8", errors="replace")
    else:
        proceso = subprocess.run(orden, capture_output=True, text=True, check=False, **opciones)
        salida = proceso.stdout + proceso.stderr
    if proceso.returncode != 0:
        donde = f" (registro completo: {registro})" if registro else ""
        raise Fallo(
            f"{que} falló con código {proceso.returncode}{donde}.\n"
            f"Orden: {' '.join(orden)}\nÚltimas líneas:\n{salida[-4000:]}"
        )
    return salida


# --- 1. la máquina ---------------------------------------------------------------------------


def instalar_lo_que_falta() -> None:
    faltan = [paquete for programa, paquete in PAQUETES.items() if shutil.which(programa) is None]
    if not faltan:
        avisar("podman, runc y debootstrap ya están instalados.")
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
        ["apt-get", "install", "-y", "-qq", *faltan],
        "apt-get install",
        registro=REGISTROS / "apt.log",
        intentos=2,
        env=entorno,
    )


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


# --- 3 a 5. la imagen del taller ------------------------------------------------------------


def construir(version: str) -> None:
    registro = REGISTROS / "construir-taller.log"
    avisar(f"{MOTOR} build -t {IMAGEN_TALLER} --build-arg PYTHON_VERSION={version} .")
    avisar(f"(la salida completa va a {registro.relative_to(RAIZ)})")
    ejecutar(
        [
            MOTOR, "build", "--pull=never", "--build-arg", f"PYTHON_VERSION={version}",
            "--label", ETIQUETA_PROPIA, "-t", IMAGEN_TALLER, "-f", str(RAIZ / "Dockerfile"),
            str(RAIZ),
        ],
        "Construir la imagen del taller",
        registro=registro,
        intentos=2,
    )  # fmt: skip


def comprobar_usuario(imagen: str) -> None:
    salida = ejecutar([MOTOR, "run", "--rm", "--entrypoint", "id", imagen], "id dentro")
    avisar(f"id: {salida.strip()}")
    if re.search(r"\buid=0\b", salida):
        raise Fallo(f"En {imagen} el usuario es root: el Dockerfile debe terminar con USER alumno")


def comprobar_pruebas(imagen: str) -> None:
    registro = REGISTROS / "pruebas-en-la-imagen.log"
    salida = ejecutar(
        [MOTOR, "run", "--rm", imagen, *PRUEBAS],
        "pytest ejercicios --soluciones dentro de la imagen",
        registro=registro,
    )
    avisar("pytest: " + resumen_de_pytest(salida))


def resumen_de_pytest(salida: str) -> str:
    lineas = [linea for linea in salida.strip().splitlines() if linea.strip()]
    return lineas[-1] if lineas else "(sin salida)"


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def comprobar_jupyter(imagen: str) -> None:
    nombre = f"taller-jupyter-{os.getpid()}"
    puerto = puerto_libre()
    ejecutar(
        [MOTOR, "run", "-d", "--name", nombre, "-p", f"127.0.0.1:{puerto}:8888", imagen],
        "Arrancar JupyterLab",
    )
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
                [MOTOR, "logs", nombre], capture_output=True, text=True, check=False
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
            [MOTOR, "rm", "--force", "--time", "0", nombre], capture_output=True, check=False
        )


# --- 6. el devcontainer ------------------------------------------------------------------------


def comprobar_devcontainer(version: str) -> None:
    contenedor = devcontainer.Devcontainer(
        RAIZ,
        MOTOR,
        IMAGEN_DEVCONTAINER,
        avisar,
        REGISTROS / "construir-devcontainer.log",
        build_args={"PYTHON_VERSION": version},
        etiquetas=[ETIQUETA_PROPIA],
    )
    try:
        contenedor.construir()
        contenedor.crear()
        salida = contenedor.ejecutar(["id"], que="id en el devcontainer")
        avisar(f"id: {salida.strip()}")
        if re.search(r"\buid=0\b", salida):
            raise Fallo("En el devcontainer el usuario es root (remoteUser)")
        salida = contenedor.ejecutar(
            PRUEBAS, que="pytest ejercicios --soluciones en el devcontainer"
        )
        avisar("pytest: " + resumen_de_pytest(salida))
        # Lo que hará el alumno en la terminal de VS Code: pytest sobre SUS ejercicios (los
        # esqueletos fallan, claro; lo que se comprueba es que todo se recoge sin errores).
        salida = contenedor.ejecutar(
            ["pytest", "ejercicios", "--collect-only", "-q", "-p", "no:cacheprovider"],
            que="pytest ejercicios --collect-only (la orden del alumno) en el devcontainer",
        )
        avisar("pytest ejercicios (sin --soluciones) recoge: " + resumen_de_pytest(salida))
        comprobar_ordenes_del_alumno(contenedor)
    except devcontainer.ErrorDevcontainer as error:
        raise Fallo(str(error)) from None
    finally:
        contenedor.borrar()


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


def comprobar_ordenes_del_alumno(contenedor: devcontainer.Devcontainer) -> None:
    """Cada orden de `taller` funciona dentro, sobre la carpeta montada (vigilar por sondeo)."""
    for orden, codigo, texto in ORDENES_DEL_ALUMNO:
        nombre = orden.strip().splitlines()[0]
        salida = contenedor.ejecutar(
            ["sh", "-c", f'{orden}\necho "código de salida: $?"'], que=f"«{nombre}» dentro"
        )
        if f"código de salida: {codigo}" not in salida or texto not in salida:
            raise Fallo(
                f"En el devcontainer, «{nombre}» no salió con {codigo} diciendo «{texto}»:\n"
                f"{salida[-3000:]}"
            )
        avisar(f"{nombre}: bien")


# --- todo junto --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sin-devcontainer", action="store_true", help="sáltate el paso 6")
    args = parser.parse_args(argv)

    pasos = [
        ("Preparar la máquina (podman, runc, debootstrap)", instalar_lo_que_falta),
        ("Configurar podman", configurar_podman),
        ("Imagen base python:X.Y-slim", None),
        ("Construir la imagen del taller (Dockerfile)", None),
        ("Dentro de la imagen: usuario no root", None),
        ("Dentro de la imagen: pytest ejercicios --soluciones", None),
        ("JupyterLab responde en el 8888", None),
        ("Devcontainer: construir, postCreateCommand y pruebas", None),
    ]
    estado: dict[str, str] = {}
    acciones = {
        2: lambda: estado.update(version=preparar_imagen_base()),
        3: lambda: construir(estado["version"]),
        4: lambda: comprobar_usuario(IMAGEN_TALLER),
        5: lambda: comprobar_pruebas(IMAGEN_TALLER),
        6: lambda: comprobar_jupyter(IMAGEN_TALLER),
        7: lambda: comprobar_devcontainer(estado["version"]),
    }
    inicio_total = time.monotonic()
    for numero, (titulo, accion) in enumerate(pasos):
        if numero == 7 and args.sin_devcontainer:
            print(f"[{numero + 1}/{len(pasos)}] {titulo}: omitido (--sin-devcontainer)")
            continue
        print(f"[{numero + 1}/{len(pasos)}] {titulo}", flush=True)
        inicio = time.monotonic()
        try:
            (accion or acciones[numero])()
        except Fallo as error:
            print(f"\n✘ make contenedor: falló el paso «{titulo}».\n{error}", file=sys.stderr)
            return 1
        print(f"    ✔ {time.monotonic() - inicio:.0f} s", flush=True)
    subprocess.run(
        [MOTOR, "image", "prune", "--force", "--filter", f"label={ETIQUETA_PROPIA}"],
        capture_output=True,
        check=False,
    )
    total = time.monotonic() - inicio_total
    print(f"\n✔ make contenedor: la imagen y el devcontainer del taller funcionan ({total:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
