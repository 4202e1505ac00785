"""Módulo 08 — Contenedores: las órdenes de docker (y de podman) como listas de argumentos.

Los apuntes escriben las órdenes así:

    docker [TIPO_OBJETO] [VERBO] <args>
    docker image pull python:3.6.4          (forma corta: docker pull python:3.6.4)

Aquí cada función devuelve la orden como una lista, lista para `subprocess.run(orden)`: sin
shell de por medio, cada argumento llega tal cual aunque tenga espacios, y nada de lo que
escribe el usuario se interpreta como otra orden. podman acepta exactamente las mismas, así
que todas reciben `motor="docker"` o `motor="podman"`.
"""

from __future__ import annotations

import posixpath
import re

MOTORES = ("docker", "podman")
# Nombres de contenedor que aceptan docker y podman: letras, dígitos y _ . -, sin empezar por . ni -.
# Úsalo con fullmatch (el nombre entero): con match y un `$` al final, "web\n" pasaría.
NOMBRE_DE_CONTENEDOR = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
# Una imagen: [registro[:puerto]/]ruta[:etiqueta], como python:3.11-slim, monitor:1.0 o
# registro.ejemplo.es:5000/equipo/monitor. La ruta, en minúsculas; la etiqueta, hasta 128
# letras, dígitos y _ . - (sin empezar por . ni -). Úsalo también con fullmatch.
_COMPONENTE = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REGISTRO = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
IMAGEN = re.compile(
    rf"(?:{_REGISTRO}/)?{_COMPONENTE}(?:/{_COMPONENTE})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?"
)
# [TIPO, VERBO] de la forma larga -> la forma corta que enseñan los apuntes.
FORMAS_CORTAS = {
    ("image", "pull"): ["pull"],
    ("image", "list"): ["images"],
    ("image", "build"): ["build"],
    ("container", "list"): ["ps"],
    ("container", "create"): ["create"],
    ("container", "start"): ["start"],
    ("container", "attach"): ["attach"],
    ("container", "stop"): ["stop"],
    ("container", "rm"): ["rm"],
    ("container", "run"): ["run"],
    ("container", "exec"): ["exec"],
}


# --- Paso 1: piezas que se validan -----------------------------------------------------------


def comprobar_motor(motor: str) -> str:
    """Devuelve el motor si es "docker" o "podman"; si no, ValueError que lo nombra."""
    # TODO: acepta solo los nombres de MOTORES
    raise NotImplementedError("comprobar_motor: acepta solo los nombres de MOTORES")


def comprobar_nombre(nombre: str) -> str:
    """Devuelve el nombre del contenedor si es válido (mipython, web-01, monitor_2...)."""
    # TODO: usa NOMBRE_DE_CONTENEDOR; un nombre que empieza por - parecería una opción
    raise NotImplementedError("comprobar_nombre: lo que falta lo dice su # TODO")


def comprobar_imagen(imagen: str) -> str:
    """Devuelve la imagen (python:3.11-slim, monitor:1.0...) si es válida; si no, ValueError.

    Como con los nombres: una «imagen» como "--privileged" o "-v=/:/host" sería una opción.
    """
    # TODO: usa IMAGEN.fullmatch; si no es un str o no casa entera, ValueError que la cite
    raise NotImplementedError("comprobar_imagen: lo que falta lo dice su # TODO")


def volumen(carpeta_local: str, carpeta_contenedor: str) -> str:
    """El valor de -v: "/home/ubuntu/environment/curso:/curso". Las dos rutas, absolutas.

    Con una ruta relativa ("curso:/curso"), docker no monta tu carpeta: crea un volumen con
    nombre llamado «curso», vacío, y el programa no aparece dentro del contenedor.
    """
    # TODO: exige rutas absolutas y sin ':' (separa las dos mitades) y únelas con ':'
    raise NotImplementedError("volumen: lo que falta lo dice su # TODO")


def ruta_en_contenedor(programa: str, carpeta_local: str, carpeta_contenedor: str) -> str:
    """Dónde ve el contenedor un fichero de la carpeta montada.

    ruta_en_contenedor("/home/ubuntu/environment/curso/ejercicios/programa.py",
                       "/home/ubuntu/environment/curso", "/curso")
    -> "/curso/ejercicios/programa.py"
    """
    # TODO: normaliza las rutas; si el programa no cuelga de carpeta_local (o es ella), ValueError
    raise NotImplementedError("ruta_en_contenedor: lo que falta lo dice su # TODO")


# --- Paso 2: la vida de un contenedor --------------------------------------------------------


def descargar(imagen: str, motor: str = "docker") -> list[str]:
    """docker image pull IMAGEN."""
    # TODO: [motor, 'image', 'pull', imagen]
    raise NotImplementedError("descargar: [motor, 'image', 'pull', imagen]")


def listar_imagenes(motor: str = "docker") -> list[str]:
    """docker image list."""
    # TODO: [motor, 'image', 'list']
    raise NotImplementedError("listar_imagenes: [motor, 'image', 'list']")


def crear(
    nombre: str,
    imagen: str,
    orden: list[str] | None = None,
    volumenes: dict[str, str] | None = None,
    motor: str = "docker",
) -> list[str]:
    """docker container create --name NOMBRE [-v LOCAL:INTERNA ...] IMAGEN [ORDEN...].

    Las opciones van antes de la imagen: todo lo que va detrás es la orden del contenedor.
    """
    # TODO: --name, luego un -v por volumen, la imagen y al final la orden
    raise NotImplementedError("crear: lo que falta lo dice su # TODO")


def arrancar(nombre: str, motor: str = "docker") -> list[str]:
    """docker container start NOMBRE."""
    # TODO: [motor, 'container', 'start', nombre]
    raise NotImplementedError("arrancar: [motor, 'container', 'start', nombre]")


def vincular(nombre: str, motor: str = "docker") -> list[str]:
    """docker container attach NOMBRE: la salida del proceso principal, en tu terminal."""
    # TODO: [motor, 'container', 'attach', nombre]
    raise NotImplementedError("vincular: [motor, 'container', 'attach', nombre]")


def parar(nombre: str, motor: str = "docker") -> list[str]:
    """docker container stop NOMBRE."""
    # TODO: [motor, 'container', 'stop', nombre]
    raise NotImplementedError("parar: [motor, 'container', 'stop', nombre]")


def borrar(nombre: str, forzar: bool = False, motor: str = "docker") -> list[str]:
    """docker container rm [-f] NOMBRE (-f lo para antes si está en marcha)."""
    # TODO: [motor, 'container', 'rm', nombre], con '-f' antes del nombre si forzar
    raise NotImplementedError("borrar: lo que falta lo dice su # TODO")


def listar_contenedores(todos: bool = False, motor: str = "docker") -> list[str]:
    """docker container list [--all]: sin --all, solo los que están en marcha."""
    # TODO: [motor, 'container', 'list'] y '--all' al final si todos
    raise NotImplementedError("listar_contenedores: lo que falta lo dice su # TODO")


def forma_corta(orden: list[str]) -> list[str]:
    """La misma orden en su forma corta: docker image list -> docker images.

    forma_corta(["docker", "container", "list", "--all"]) -> ["docker", "ps", "--all"]
    """
    # TODO: busca (TIPO, VERBO) en FORMAS_CORTAS; valida el motor y conserva el resto
    raise NotImplementedError("forma_corta: lo que falta lo dice su # TODO")


# --- Paso 3: las tres formas de ejecutar tu código en un contenedor ---------------------------


def opcion1_preparar(
    nombre: str,
    imagen: str,
    carpeta_local: str,
    carpeta_contenedor: str,
    segundos: int = 3600,
    motor: str = "docker",
) -> list[list[str]]:
    """Opción 1, primera parte: un contenedor que dura, con tu carpeta montada.

    Dos órdenes: crearlo (su proceso principal es `sh -c "sleep 3600"`, que lo mantiene vivo)
    y arrancarlo. Después, cada ejecución es un `exec` (opcion1_ejecutar).
    """
    # TODO: valida segundos (un int >= 1: va DENTRO del código de sh -c), y luego crear(...) con la orden ['sh', '-c', 'sleep N'] y el volumen, y arrancar(...)
    raise NotImplementedError("opcion1_preparar: lo que falta lo dice su # TODO")


def opcion1_ejecutar(
    nombre: str, programa: str, carpeta_local: str, carpeta_contenedor: str, motor: str = "docker"
) -> list[str]:
    """Opción 1, cada vez: docker container exec NOMBRE python3 RUTA_DENTRO."""
    # TODO: exec en el contenedor con nombre, con la ruta del programa vista desde dentro
    raise NotImplementedError("opcion1_ejecutar: lo que falta lo dice su # TODO")


def opcion2_ejecutar(
    imagen: str, programa: str, carpeta_local: str, carpeta_contenedor: str, motor: str = "docker"
) -> list[str]:
    """Opción 2: un contenedor nuevo para cada ejecución, que se borra al acabar.

    docker container run --rm -v LOCAL:INTERNA IMAGEN python3 RUTA_DENTRO
    """
    # TODO: run con --rm y -v ANTES de la imagen; detrás, python3 y la ruta de dentro
    raise NotImplementedError("opcion2_ejecutar: lo que falta lo dice su # TODO")


def opcion3_construir(etiqueta: str, contexto: str = ".", motor: str = "docker") -> list[str]:
    """Opción 3, una vez: docker image build -t ETIQUETA CONTEXTO (la carpeta del Dockerfile)."""
    # TODO: valida la etiqueta (comprobar_imagen) y el contexto (que no empiece por -), y [motor, 'image', 'build', '-t', etiqueta, contexto]
    raise NotImplementedError("opcion3_construir: lo que falta lo dice su # TODO")


def opcion3_ejecutar(
    etiqueta: str, argumentos: list[str] | None = None, motor: str = "docker"
) -> list[str]:
    """Opción 3, cada vez: docker container run --rm ETIQUETA [ARGUMENTOS...].

    El código ya va dentro de la imagen: no hace falta -v. Los argumentos, detrás de la imagen,
    le llegan al programa (al ENTRYPOINT de la imagen).
    """
    # TODO: run --rm con la etiqueta y, detrás, los argumentos para el programa
    raise NotImplementedError("opcion3_ejecutar: lo que falta lo dice su # TODO")
