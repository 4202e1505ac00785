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
    # >>> SOLUCION: acepta solo los nombres de MOTORES
    if motor not in MOTORES:
        raise ValueError(f"Motor de contenedores desconocido: {motor!r}; usa 'docker' o 'podman'")
    return motor
    # <<< SOLUCION


def comprobar_nombre(nombre: str) -> str:
    """Devuelve el nombre del contenedor si es válido (mipython, web-01, monitor_2...)."""
    # >>> SOLUCION: usa NOMBRE_DE_CONTENEDOR; un nombre que empieza por - parecería una opción
    if not isinstance(nombre, str) or not NOMBRE_DE_CONTENEDOR.fullmatch(nombre):
        raise ValueError(
            f"«{nombre}» no es un nombre de contenedor válido: usa letras, dígitos y _ . -, "
            "empezando por una letra o un dígito"
        )
    return nombre
    # <<< SOLUCION


def comprobar_imagen(imagen: str) -> str:
    """Devuelve la imagen (python:3.11-slim, monitor:1.0...) si es válida; si no, ValueError.

    Como con los nombres: una «imagen» como "--privileged" o "-v=/:/host" sería una opción.
    """
    # >>> SOLUCION: usa IMAGEN.fullmatch; si no es un str o no casa entera, ValueError que la cite
    if not isinstance(imagen, str) or not IMAGEN.fullmatch(imagen):
        raise ValueError(
            f"«{imagen}» no es un nombre de imagen válido: algo como python:3.11-slim o "
            "registro.es/equipo/monitor:1.0 (en minúsculas, sin espacios y sin empezar por -)"
        )
    return imagen
    # <<< SOLUCION


def volumen(carpeta_local: str, carpeta_contenedor: str) -> str:
    """El valor de -v: "/home/ubuntu/environment/curso:/curso". Las dos rutas, absolutas.

    Con una ruta relativa ("curso:/curso"), docker no monta tu carpeta: crea un volumen con
    nombre llamado «curso», vacío, y el programa no aparece dentro del contenedor.
    """
    # >>> SOLUCION: exige rutas absolutas y sin ':' (separa las dos mitades) y únelas con ':'
    for ruta in (carpeta_local, carpeta_contenedor):
        if not str(ruta).startswith("/"):
            raise ValueError(
                f"«{ruta}» no es una ruta absoluta: con -v, docker tomaría «{ruta}» por el "
                "nombre de un volumen en vez de montar la carpeta"
            )
        if ":" in str(ruta):
            raise ValueError(f"«{ruta}» contiene ':', que en -v separa la ruta local de la interna")
    return f"{carpeta_local}:{carpeta_contenedor}"
    # <<< SOLUCION


def ruta_en_contenedor(programa: str, carpeta_local: str, carpeta_contenedor: str) -> str:
    """Dónde ve el contenedor un fichero de la carpeta montada.

    ruta_en_contenedor("/home/ubuntu/environment/curso/ejercicios/programa.py",
                       "/home/ubuntu/environment/curso", "/curso")
    -> "/curso/ejercicios/programa.py"
    """
    # >>> SOLUCION: normaliza las rutas; si el programa no cuelga de carpeta_local (o es ella), ValueError
    for ruta in (programa, carpeta_local, carpeta_contenedor):
        if not str(ruta).startswith("/"):
            raise ValueError(f"«{ruta}» no es una ruta absoluta: no sé de qué carpeta cuelga")
    programa_normal = posixpath.normpath(str(programa))
    local_normal = posixpath.normpath(str(carpeta_local))
    if programa_normal == local_normal:
        raise ValueError(
            f"«{programa}» es la propia carpeta que se monta, «{carpeta_local}», no un fichero "
            "dentro de ella: no hay programa que ejecutar"
        )
    if posixpath.commonpath([programa_normal, local_normal]) != local_normal:
        raise ValueError(
            f"«{programa}» no está dentro de «{carpeta_local}», la carpeta que se monta: "
            "el contenedor no lo vería"
        )
    relativa = posixpath.relpath(programa_normal, local_normal)
    return posixpath.join(str(carpeta_contenedor), relativa)
    # <<< SOLUCION


# --- Paso 2: la vida de un contenedor --------------------------------------------------------


def descargar(imagen: str, motor: str = "docker") -> list[str]:
    """docker image pull IMAGEN."""
    # >>> SOLUCION: [motor, 'image', 'pull', imagen]
    return [comprobar_motor(motor), "image", "pull", comprobar_imagen(imagen)]
    # <<< SOLUCION


def listar_imagenes(motor: str = "docker") -> list[str]:
    """docker image list."""
    # >>> SOLUCION: [motor, 'image', 'list']
    return [comprobar_motor(motor), "image", "list"]
    # <<< SOLUCION


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
    # >>> SOLUCION: --name, luego un -v por volumen, la imagen y al final la orden
    resultado = [comprobar_motor(motor), "container", "create", "--name", comprobar_nombre(nombre)]
    for local, interna in (volumenes or {}).items():
        resultado += ["-v", volumen(local, interna)]
    return [*resultado, comprobar_imagen(imagen), *(orden or [])]
    # <<< SOLUCION


def arrancar(nombre: str, motor: str = "docker") -> list[str]:
    """docker container start NOMBRE."""
    # >>> SOLUCION: [motor, 'container', 'start', nombre]
    return [comprobar_motor(motor), "container", "start", comprobar_nombre(nombre)]
    # <<< SOLUCION


def vincular(nombre: str, motor: str = "docker") -> list[str]:
    """docker container attach NOMBRE: la salida del proceso principal, en tu terminal."""
    # >>> SOLUCION: [motor, 'container', 'attach', nombre]
    return [comprobar_motor(motor), "container", "attach", comprobar_nombre(nombre)]
    # <<< SOLUCION


def parar(nombre: str, motor: str = "docker") -> list[str]:
    """docker container stop NOMBRE."""
    # >>> SOLUCION: [motor, 'container', 'stop', nombre]
    return [comprobar_motor(motor), "container", "stop", comprobar_nombre(nombre)]
    # <<< SOLUCION


def borrar(nombre: str, forzar: bool = False, motor: str = "docker") -> list[str]:
    """docker container rm [-f] NOMBRE (-f lo para antes si está en marcha)."""
    # >>> SOLUCION: [motor, 'container', 'rm', nombre], con '-f' antes del nombre si forzar
    resultado = [comprobar_motor(motor), "container", "rm"]
    if forzar:
        resultado.append("-f")
    return [*resultado, comprobar_nombre(nombre)]
    # <<< SOLUCION


def listar_contenedores(todos: bool = False, motor: str = "docker") -> list[str]:
    """docker container list [--all]: sin --all, solo los que están en marcha."""
    # >>> SOLUCION: [motor, 'container', 'list'] y '--all' al final si todos
    resultado = [comprobar_motor(motor), "container", "list"]
    return [*resultado, "--all"] if todos else resultado
    # <<< SOLUCION


def forma_corta(orden: list[str]) -> list[str]:
    """La misma orden en su forma corta: docker image list -> docker images.

    forma_corta(["docker", "container", "list", "--all"]) -> ["docker", "ps", "--all"]
    """
    # >>> SOLUCION: busca (TIPO, VERBO) en FORMAS_CORTAS; valida el motor y conserva el resto
    if len(orden) < 3 or (orden[1], orden[2]) not in FORMAS_CORTAS:
        raise ValueError(f"No conozco la forma corta de {' '.join(map(str, orden))!r}")
    return [comprobar_motor(orden[0]), *FORMAS_CORTAS[(orden[1], orden[2])], *orden[3:]]
    # <<< SOLUCION


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
    # >>> SOLUCION: valida segundos (un int >= 1: va DENTRO del código de sh -c), y luego crear(...) con la orden ['sh', '-c', 'sleep N'] y el volumen, y arrancar(...)
    if isinstance(segundos, bool) or not isinstance(segundos, int):
        raise TypeError(
            f"segundos debe ser un número entero, no {segundos!r}: va dentro del código de "
            "sh -c, y un texto ahí se ejecutaría como una orden"
        )
    if segundos < 1:
        raise ValueError(f"segundos debe ser 1 o más, no {segundos}")
    return [
        crear(
            nombre,
            imagen,
            orden=["sh", "-c", f"sleep {segundos}"],
            volumenes={carpeta_local: carpeta_contenedor},
            motor=motor,
        ),
        arrancar(nombre, motor=motor),
    ]
    # <<< SOLUCION


def opcion1_ejecutar(
    nombre: str, programa: str, carpeta_local: str, carpeta_contenedor: str, motor: str = "docker"
) -> list[str]:
    """Opción 1, cada vez: docker container exec NOMBRE python3 RUTA_DENTRO."""
    # >>> SOLUCION: exec en el contenedor con nombre, con la ruta del programa vista desde dentro
    return [
        comprobar_motor(motor),
        "container",
        "exec",
        comprobar_nombre(nombre),
        "python3",
        ruta_en_contenedor(programa, carpeta_local, carpeta_contenedor),
    ]
    # <<< SOLUCION


def opcion2_ejecutar(
    imagen: str, programa: str, carpeta_local: str, carpeta_contenedor: str, motor: str = "docker"
) -> list[str]:
    """Opción 2: un contenedor nuevo para cada ejecución, que se borra al acabar.

    docker container run --rm -v LOCAL:INTERNA IMAGEN python3 RUTA_DENTRO
    """
    # >>> SOLUCION: run con --rm y -v ANTES de la imagen; detrás, python3 y la ruta de dentro
    return [
        comprobar_motor(motor),
        "container",
        "run",
        "--rm",
        "-v",
        volumen(carpeta_local, carpeta_contenedor),
        comprobar_imagen(imagen),
        "python3",
        ruta_en_contenedor(programa, carpeta_local, carpeta_contenedor),
    ]
    # <<< SOLUCION


def opcion3_construir(etiqueta: str, contexto: str = ".", motor: str = "docker") -> list[str]:
    """Opción 3, una vez: docker image build -t ETIQUETA CONTEXTO (la carpeta del Dockerfile)."""
    # >>> SOLUCION: valida la etiqueta (comprobar_imagen) y el contexto (que no empiece por -), y [motor, 'image', 'build', '-t', etiqueta, contexto]
    contexto = str(contexto)
    if not contexto or contexto.startswith("-"):
        raise ValueError(
            f"«{contexto}» no vale como carpeta de contexto: docker tomaría lo que empieza por - "
            f"por una opción (escribe ./{contexto})"
        )
    return [comprobar_motor(motor), "image", "build", "-t", comprobar_imagen(etiqueta), contexto]
    # <<< SOLUCION


def opcion3_ejecutar(
    etiqueta: str, argumentos: list[str] | None = None, motor: str = "docker"
) -> list[str]:
    """Opción 3, cada vez: docker container run --rm ETIQUETA [ARGUMENTOS...].

    El código ya va dentro de la imagen: no hace falta -v. Los argumentos, detrás de la imagen,
    le llegan al programa (al ENTRYPOINT de la imagen).
    """
    # >>> SOLUCION: run --rm con la etiqueta y, detrás, los argumentos para el programa
    return [
        comprobar_motor(motor),
        "container",
        "run",
        "--rm",
        comprobar_imagen(etiqueta),
        *(argumentos or []),
    ]
    # <<< SOLUCION
