# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="de4172ac"
# # Módulo 08 — Contenedores y Docker
#
# **Al acabar este cuaderno sabrás:**
#
# - qué es un contenedor y en qué se diferencia de una máquina virtual (los tres dibujos de los apuntes);
# - qué aísla un contenedor y por qué los contenedores son cosa de Linux;
# - qué son docker, podman, cri-o, containerd y el estándar OCI;
# - qué es una imagen, un registro (Docker Hub, quay.io) y por qué Alpine no trae `bash`;
# - la forma `docker TIPO VERBO` de las órdenes y sus formas cortas;
# - la vida de un contenedor: `pull`, `create`, `start`, `attach`, `stop`, `rm`... y qué hace `run`;
# - las **tres formas de ejecutar tu código** en un contenedor de los apuntes, y cuándo usar cada una.
#
# En el módulo 07 vimos el problema: cinco programas que quieren cinco versiones distintas de la
# misma biblioteca. Los apuntes dan dos soluciones: los **entornos virtuales** (ya los conoces) y
# los **contenedores**, que aíslan mucho más que las bibliotecas de Python.
#
# Este cuaderno funciona sin docker. Si en tu máquina hay docker o podman (y una imagen
# `python:X.Y-slim`), además ejecuta de verdad las órdenes que enseña.

# %% [markdown] id="0339cd87"
# ## 1. Tres formas de repartir una máquina
#
# Los apuntes lo dibujan en tres pisos. Primero, lo de siempre: varias aplicaciones sobre un
# único sistema operativo.

# %% id="448ad7d3"
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

COLORES = {"app": "#8ecae6", "so": "#ffb703", "mv": "#cdb4db", "cont": "#90be6d",
           "capa": "#e9ecef", "maquina": "#adb5bd"}


def caja(ax, x, y, ancho, alto, texto, color):
    ax.add_patch(FancyBboxPatch((x + 0.03, y + 0.03), ancho - 0.06, alto - 0.06,
                                boxstyle="round,pad=0.01,rounding_size=0.06",
                                facecolor=COLORES[color], edgecolor="#343a40"))
    ax.text(x + ancho / 2, y + alto / 2, texto, ha="center", va="center", fontsize=9)


def pila(ax, titulo, pisos):
    # pisos: de abajo arriba; cada piso es una lista de (texto, color) que se reparten el ancho
    for altura, piso in enumerate(pisos):
        ancho = 3 / len(piso)
        for i, (texto, color) in enumerate(piso):
            caja(ax, i * ancho, altura, ancho, 1, texto, color)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 6)
    ax.set_title(titulo, fontsize=11)
    ax.axis("off")


figura, (a, b, c) = plt.subplots(1, 3, figsize=(12, 4.2))
pila(a, "Aplicaciones sobre un SO", [
    [("Máquina", "maquina")], [("SO", "so")],
    [("App1", "app"), ("App2", "app"), ("App3", "app")],
])
pila(b, "Máquinas virtuales", [
    [("Máquina", "maquina")], [("SO", "so")], [("hipervisor", "capa")],
    [("MV1", "mv"), ("MV2", "mv")], [("SO1", "so"), ("SO2", "so")],
    [("App1", "app"), ("App2 + App3", "app")],
])
pila(c, "Contenedores", [
    [("Máquina", "maquina")], [("SO Linux", "so")],
    [("gestor de contenedores", "capa")],
    [("C1", "cont"), ("C2", "cont")],
    [("App1", "app"), ("App2 + App3", "app")],
])
figura.tight_layout()
plt.show()

# %% [markdown] id="c04a4ede"
# | | problemas |
# |---|---|
# | **Apps sobre un SO** | dependencias incompatibles; si una se vuelve loca (100 % de CPU, RAM o disco) arrastra a las demás; seguridad: todas ven todo |
# | **Máquinas virtuales** | cada app tiene su propio SO completo: ineficiencia y desperdicio (cada MV arranca su kernel, reserva su RAM), pérdida de rendimiento y mucha complejidad |
# | **Contenedores** | el aislamiento de una MV, pero **sin un SO por app**: todos comparten el kernel Linux del anfitrión |
#
# ## 2. Qué aísla un contenedor
#
# Un contenedor es, según los apuntes, un **entorno aislado donde ejecutar procesos dentro de un
# SO Linux**. Cada contenedor tiene:
#
# - **su propia configuración de red** (sus interfaces, su IP, sus puertos);
# - **su propio sistema de archivos** (ve su `/`, no el tuyo);
# - **su propia configuración**: sus variables de entorno;
# - **limitación en el acceso al hardware** del anfitrión (CPU, memoria, dispositivos).
#
# Lo mismo que una MV... pero el proceso de dentro es un proceso normal del anfitrión, al que el
# kernel le enseña otra red, otro disco y otras variables. Si hay un motor aquí, compruébalo:

# %% id="cf701702"
import os
import platform
import shlex
import socket
import subprocess
import sys

from taller.contenedores import motor_o_motivo

resultado = motor_o_motivo()
HAY_MOTOR = not isinstance(resultado, str)
MOTOR = resultado.nombre if HAY_MOTOR else "docker"
IMAGEN = resultado.imagen_python if HAY_MOTOR else "python:3.11-slim"
print(f"Motor: {MOTOR} con la imagen {IMAGEN}" if HAY_MOTOR else f"Sin motor: {resultado}")


def ejecutar(orden, ejecutar_de_verdad=True):
    # Muestra la orden como la escribirías en la terminal y, si hay motor, la ejecuta.
    print("$", shlex.join(orden))
    if not (HAY_MOTOR and ejecutar_de_verdad):
        print("  (no se ejecuta: sin motor de contenedores, o es una orden lenta)")
        return ""
    proceso = subprocess.run(orden, capture_output=True, text=True, timeout=120)
    salida = (proceso.stdout + proceso.stderr).rstrip()
    if salida:
        print("  " + salida.replace("\n", "\n  "))
    return proceso.stdout


# %% id="3576b46d"
print("Fuera:  máquina", socket.gethostname(), "| carpeta", os.getcwd(),
      "|", len(os.environ), "variables de entorno | kernel", platform.release())
mirar = ('import os, platform, socket; print("Dentro: máquina", socket.gethostname(), '
         '"| carpeta", os.getcwd(), "|", len(os.environ), "variables de entorno | kernel", '
         'platform.release())')
ejecutar([MOTOR, "container", "run", "--rm", IMAGEN, "python3", "-c", mirar]);

# %% [markdown] id="ea0bfe66"
# Otro nombre de máquina, otra carpeta, otras variables... y **el mismo kernel**. Ahí está la
# diferencia con una MV: no hay un segundo sistema operativo, solo otro «punto de vista» del mismo.
#
# ## 3. ¿Por qué Linux?
#
# Porque lo que hace posible un contenedor son piezas del **kernel Linux** (los *namespaces*, que
# le dan su propia red, sus procesos y su disco, y los *cgroups*, que le limitan la CPU y la
# memoria). Un contenedor Linux necesita un kernel Linux debajo. Por eso:
#
# ```
# Docker for Windows:  |  una MV Linux        (Hyper-V, o WSL2)
# Docker for Mac:      |  una MV Linux
# ```
#
# En Windows y Mac, «Docker» arranca una máquina virtual Linux escondida y los contenedores
# viven dentro de ella.
#
# ## 4. Gestores de contenedores y el estándar OCI
#
# | gestor | qué es |
# |---|---|
# | **docker** | el que popularizó los contenedores: un demonio (`dockerd`) y el cliente `docker` |
# | **podman** | de Red Hat: las mismas órdenes que docker, sin demonio y sin necesidad de ser root |
# | **containerd** | el motor que usa docker por debajo; también lo usa Kubernetes |
# | **cri-o** | un motor hecho solo para Kubernetes |
#
# Todos se entienden porque las imágenes y la forma de ejecutarlas están **estandarizadas** por
# la **OCI** (*Open Container Initiative*), que nació de Docker. Una imagen construida con docker
# la ejecuta podman, y al revés. Por eso en este módulo cada orden vale igual con `docker` que con
# `podman`.

# %% id="2908b2b5"
import shutil

for nombre in ("docker", "podman", "containerd", "crio"):
    print(f"{nombre:11}", shutil.which(nombre) or "no está instalado")


# %% [markdown] id="c7fd8e1d"
# ## 5. Imágenes y registros
#
# Un contenedor se crea **desde una imagen**: la plantilla con el sistema de archivos (una
# Debian mínima con Python, por ejemplo) y la orden que se ejecuta al arrancar. Las imágenes se
# descargan de un **registro**:
#
# - **Docker Hub** (`docker.io`), el registro por defecto;
# - **quay.io**, el de Red Hat.
#
# El nombre completo de una imagen dice de qué registro viene, de quién es, cómo se llama y qué
# versión (la **etiqueta**). Lo que no escribes, lo pone docker:

# %% id="c6498e75"
def partes_de_la_imagen(nombre):
    # (registro, repositorio, etiqueta) de un nombre de imagen, con lo que docker supone.
    primero = nombre.split("/")[0]
    if "/" in nombre and ("." in primero or ":" in primero or primero == "localhost"):
        registro, resto = nombre.split("/", 1)
    else:
        registro, resto = "docker.io", nombre
    if registro == "docker.io" and "/" not in resto:
        resto = "library/" + resto  # las imágenes oficiales de Docker Hub
    repositorio, _, etiqueta = resto.partition(":")
    return registro, repositorio, etiqueta or "latest"


for nombre in ["python:3.6.4", "python", "python:3.11-slim", "quay.io/podman/stable:v5",
               "localhost/monitor:1.0"]:
    print(f"{nombre:28} ->", partes_de_la_imagen(nombre))

# %% [markdown] id="51e272a8"
# Fíjate en `python` a secas: es `python:latest`, «la última», que hoy es una versión y mañana
# otra. En un Dockerfile **fija siempre la versión** (`python:3.11-slim`).
#
# ### ¿Por qué Alpine no trae `bash`?
#
# Todas las distribuciones comparten el kernel Linux, pero cada una trae sus propios programas.
# Los apuntes lo comparan:
#
# | Ubuntu | Fedora | Alpine |
# |---|---|---|
# | bash, sh, cd, cat, tail, touch | bash, sh, cd, cat, tail, touch | sh, cd, cat, tail, touch |
# | apt, apt-get | rpm, yum, dnf | |
#
# Alpine está hecha para ser **mínima**: sus órdenes básicas son un único programa (BusyBox), su
# shell es `sh` y no trae `bash` (ni la biblioteca C habitual, glibc, sino musl). Por eso pesa
# pocos MB... y por eso `docker exec -it mi-alpine bash` falla: hay que usar `sh`. Las imágenes
# `python:X.Y-slim` son un término medio: una Debian recortada, con `bash`, `apt` y glibc.

# %% [markdown] id="b4bcce15"
# ## 6. `docker TIPO VERBO`
#
# Los apuntes dan la forma general de las órdenes:
#
# ```
# docker [TIPO_OBJETO] [VERBO] <args>
# ```
#
# El tipo es `image` o `container` (hay más: `volume`, `network`...), y el verbo, lo que quieres
# hacer. Muchas tienen además una **forma corta**, más antigua, que verás por todas partes:
#
# | forma larga | forma corta | qué hace |
# |---|---|---|
# | `docker image pull python:3.6.4` | `docker pull python:3.6.4` | descarga una imagen |
# | `docker image list` | `docker images` | lista las imágenes descargadas |
# | `docker container create --name mipython python:3.6.4` | `docker create ...` | crea un contenedor (sin arrancarlo) |
# | `docker container list --all` | `docker ps --all` | lista los contenedores, también los parados |
# | `docker container start mipython` | `docker start mipython` | arranca un contenedor creado |
# | `docker container stop mipython` | `docker stop mipython` | lo para |
# | `docker container rm -f mipython` | `docker rm -f mipython` | lo borra (`-f`: aunque esté en marcha) |
# | `docker container exec mipython python3 ...` | `docker exec ...` | ejecuta otro proceso dentro |
# | `docker container run ...` | `docker run ...` | todo en uno (ver abajo) |
#
# Con podman es igual: `podman image list`, `podman ps --all`... En el ejercicio escribirás
# funciones que construyen la forma larga y una que la traduce a la corta.
#
# ### Órdenes como listas
#
# Desde Python, una orden se pasa a `subprocess.run` como **lista de argumentos**, nunca como un
# texto que interpreta un shell (ya lo viste en el módulo 06). Con un texto, un nombre con mala
# idea se convierte en otra orden:

# %% id="f9ef442c"
nombre = "prueba; echo ¡y esto también se ejecuta!"
como_texto = f"echo creando {nombre}"
print("Con un shell:   ", subprocess.run(como_texto, shell=True, capture_output=True,
                                          text=True).stdout.splitlines())
print("Con una lista:  ", subprocess.run(["echo", "creando", nombre], capture_output=True,
                                          text=True).stdout.splitlines())

# %% [markdown] id="62476fe0"
# Con la lista, el nombre llega entero como **un** argumento (y luego docker lo rechazará por no
# ser un nombre válido). Pero la lista no te salva de todo: un dato que **empieza por `-`** sigue
# siendo una opción para docker. Una «imagen» llamada `--privileged` o `-v=/:/host` le daría al
# contenedor poderes que nadie pidió. Por eso en el ejercicio cada dato que acaba en la orden se
# comprueba antes (`comprobar_nombre`, `comprobar_imagen`): si no tiene la forma de un nombre,
# `ValueError`. Y los datos nunca van dentro del texto de un `sh -c "..."`: ese texto es código
# para el shell. Además, un argumento con espacios, como el `"sleep 3600"` de
# `sh -c "sleep 3600"`, es un solo elemento de la lista: `["sh", "-c", "sleep 3600"]`.
#
# ## 7. La vida de un contenedor
#
# ```
#    pull            create           start              stop             rm
# imagen ──> (imagen local) ──> creado ──> en marcha ──> parado ──> (borrado)
#                                             │  ▲
#                                      attach │  │ start
#                                             ▼  │
#                                   ves su salida en tu terminal
# ```
#
# - `pull` descarga la imagen del registro;
# - `create` crea el contenedor: su sistema de archivos y su configuración, sin ejecutar nada;
# - `start` arranca su proceso principal;
# - `attach` vincula la salida estándar de ese proceso a tu terminal («me deja ver la salida del
#   comando de python», dicen los apuntes);
# - `stop` lo para (le manda SIGTERM y, si en 10 segundos no ha acabado, SIGKILL: `sleep`, como
#   proceso principal de un contenedor, no atiende SIGTERM, así que verás que hay que matarlo);
# - `rm` lo borra.
#
# Y **`docker run` hace todo eso seguido**: `pull` (si no tienes la imagen), `create`, `start`,
# `attach`... y con `--rm`, además, `rm` cuando el proceso termina.
#
# Si hay motor, míralo paso a paso (con `exec` en vez de `attach`: `attach` se queda esperando):

# %% id="6f975b6d"
nombre = f"taller-cuaderno-{os.getpid()}"
try:
    ejecutar([MOTOR, "container", "create", "--name", nombre, IMAGEN, "sh", "-c", "sleep 3600"])
    ejecutar([MOTOR, "container", "list", "--all", "--filter", f"name={nombre}",
              "--format", "{{.Names}}  {{.Status}}"])
    ejecutar([MOTOR, "container", "start", nombre])
    ejecutar([MOTOR, "container", "exec", nombre, "python3", "-c", 'print("hola desde dentro")'])
    ejecutar([MOTOR, "container", "stop", "-t", "1", nombre])  # 1 s de cortesía en vez de 10
    ejecutar([MOTOR, "container", "list", "--all", "--filter", f"name={nombre}",
              "--format", "{{.Names}}  {{.Status}}"])
finally:
    ejecutar([MOTOR, "container", "rm", "-f", nombre])

# %% [markdown] id="7437c569"
# ## 8. Tres formas de ejecutar tu código en un contenedor
#
# Tienes `programa.py` en tu carpeta `/home/ubuntu/environment/curso` y quieres ejecutarlo con el
# Python de una imagen, no con el tuyo. Los apuntes dan tres opciones.
#
# ### Opción 1: un contenedor que dura, y `exec`
#
# Creas **una vez** un contenedor con Python, le haces llegar tu código (montando tu carpeta con
# `-v`, o copiándolo con `docker cp`) y lo dejas arrancado con un proceso que no hace nada
# (`sh -c "sleep 3600"`). Después, cada vez que quieras ejecutar:
#
# ```
# docker container create --name mipython -v /home/ubuntu/environment/curso:/curso python:3.6.4 sh -c "sleep 3600"
# docker container start mipython
# docker container exec mipython python3 /curso/ejercicios/ejecutores/programa.py     (cada vez)
# ```
#
# Un **entorno precreado que se mantiene entre ejecuciones**: lo que instales dentro sigue ahí.
#
# `-v LOCAL:INTERNA` monta tu carpeta dentro del contenedor: `/home/ubuntu/environment/curso/x.py`
# se ve dentro como `/curso/x.py`. LOCAL tiene que ser una ruta absoluta: con `-v curso:/curso`
# docker no monta tu carpeta, crea un *volumen* vacío que se llama «curso».
#
# ### Opción 2: un contenedor nuevo cada vez, `run --rm -v`
#
# ```
# docker container run --rm -v /home/ubuntu/environment/curso:/curso python:3.6.4 python3 /curso/ejercicios/ejecutores/programa.py
# ```
#
# Un **entorno creado dinámicamente que se tira al acabar**. Sin `--rm`, cada ejecución dejaría
# un contenedor parado más en `docker ps --all`. Si hay motor, con tu propio programa:

# %% id="28331a5c"
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as carpeta:
    programa = Path(carpeta) / "programa.py"
    programa.write_text("import sys\nprint('Soy', sys.version.split()[0], 'en', sys.platform)\n")
    print("Con tu Python:", subprocess.run([sys.executable, str(programa)],
                                           capture_output=True, text=True).stdout.strip())
    ejecutar([MOTOR, "container", "run", "--rm", "-v", f"{carpeta}:/curso", IMAGEN,
              "python3", "/curso/programa.py"]);

# %% [markdown] id="42c71454"
# ### Opción 3: una imagen con tu código dentro
#
# Escribes un **Dockerfile**, la receta de una imagen que parte de la de Python y le añade tus
# dependencias y tu código. La construyes **una vez** (puede llevar algo más de tiempo) y cada
# ejecución es un contenedor nuevo de esa imagen, que se tira al acabar:
#
# ```dockerfile
# FROM python:3.11-slim                                # la base, con la versión fijada
# RUN useradd --create-home --uid 10001 monitor        # un usuario sin privilegios, uid fijo
# WORKDIR /app
# COPY requirements.txt .                              # primero SOLO las dependencias...
# RUN pip install --no-cache-dir -r requirements.txt   # ...en su propia capa, sin caché de pip
# COPY monitor.py .                                    # después el código, que cambia más
# USER 10001                                           # por número: quien lo ejecute ve que no es root
# ENTRYPOINT ["python", "monitor.py"]                  # forma exec: una lista JSON
# ```
#
# ```
# docker image build -t monitor .
# docker container run --rm monitor http://servidor1/ http://servidor2/
# ```
#
# Cada instrucción es una **capa**, y docker reutiliza las capas que no han cambiado. Si copias
# todo el código antes del `pip install`, cualquier cambio en `monitor.py` invalida esa capa y
# cada construcción reinstala todas las dependencias: por eso van primero.
#
# `ENTRYPOINT` frente a `CMD`: lo que escribes tras la imagen en `docker run` **sustituye** al
# `CMD`, pero se **añade** al `ENTRYPOINT`. Con `ENTRYPOINT ["python", "monitor.py"]`, las URLs
# llegan al monitor como argumentos. Y la forma exec (la lista) hace que tu programa sea el
# proceso principal; en forma shell (`ENTRYPOINT python monitor.py`) lo sería `/bin/sh`, y las
# señales de `docker stop` no le llegarían.
#
# Construir descarga las dependencias de PyPI, así que aquí solo se muestra. Cuando hayas escrito
# tu `ejercicios/08/Dockerfile`, pon la variable de entorno `TALLER_CONSTRUIR=1` antes de abrir
# JupyterLab y esta celda lo construirá y ejecutará de verdad.

# %% id="46e59f35"
from taller.modulos import raiz_del_taller

carpeta_del_monitor = raiz_del_taller() / "ejercicios" / "08"  # tu Dockerfile, cuando esté
construir = os.environ.get("TALLER_CONSTRUIR") == "1"
etiqueta = f"localhost/monitor-cuaderno:{os.getpid()}"
ejecutar([MOTOR, "image", "build", "-t", etiqueta, str(carpeta_del_monitor)],
         ejecutar_de_verdad=construir)
ejecutar([MOTOR, "container", "run", "--rm", "--network", "host", etiqueta,
          "--timeout", "2", "http://127.0.0.1:9/"], ejecutar_de_verdad=construir)
if construir:
    ejecutar([MOTOR, "image", "rm", etiqueta])

# %% [markdown] id="70ef1d0c"
# ### ¿Cuál uso?
#
# | | entorno | cuándo |
# |---|---|---|
# | **Opción 1** | precreado, dura entre ejecuciones | **desarrollando**: ejecutas muchas veces y rápido |
# | **Opción 2** | nuevo cada vez, se tira al acabar | **desarrollando**: siempre limpio, sin nada que mantener |
# | **Opción 3** | la imagen lleva tu código dentro | **distribuyendo**: quien la reciba no necesita ni tu código ni tu Python, solo el motor |
#
# Los apuntes lo resumen: *si estoy desarrollando, habitualmente la opción 1 o la 2; cuando
# distribuyo, la opción 3 es la guay.* Este mismo taller se distribuye así: el `Dockerfile` de
# la raíz del repositorio es una imagen con JupyterLab y todo el taller dentro, y
# `.devcontainer/devcontainer.json` la usa para abrir el taller en VS Code.

# %% [markdown] id="62140771"
# ## 9. El ejercicio
#
# Abre `ejercicios/08/README.md` (el enunciado). Vas a escribir:
#
# 1. en `ejercicios/08/ordenes.py`, las funciones que construyen las órdenes como listas: las
#    piezas que se validan (`comprobar_motor`, `comprobar_nombre`, `comprobar_imagen`, `volumen`,
#    `ruta_en_contenedor`), la vida de un contenedor (`descargar`, `crear`, `arrancar`...),
#    `forma_corta` y las tres opciones;
# 2. el `ejercicios/08/Dockerfile` del monitor (`monitor.py` ya está hecho).
#
# Cada trozo está marcado con `# TODO`. Las pruebas van en ese orden; si hay motor de
# contenedores, las últimas ejecutan tus órdenes y construyen tu imagen de verdad. En un terminal:
#
# ```
# pytest ejercicios/08
# ```
#
# o ejecuta la celda de abajo. Si te atascas: `taller pista 08`.

# %% id="fc826264"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("08")

# %% [markdown] id="00614a9c"
# ## Resumen
#
# - Un **contenedor** es un entorno aislado (red, sistema de archivos, variables, límites de
#   hardware) para procesos de un SO Linux; a diferencia de una MV, **comparte el kernel** del
#   anfitrión. En Windows y Mac, Docker trae una MV Linux.
# - docker, podman, containerd y cri-o son gestores; la **OCI** estandariza imágenes y ejecución.
# - Los contenedores nacen de **imágenes** que vienen de **registros** (Docker Hub, quay.io).
#   Fija la etiqueta: `python:3.11-slim`, nunca `latest`. Alpine es mínima: `sh`, no `bash`.
# - `docker TIPO VERBO`: `image pull`, `container create/start/attach/stop/rm/list/exec/run`, y
#   sus formas cortas (`pull`, `images`, `ps`, `rm`...). `run` = `pull` + `create` + `start` +
#   `attach` (+ `rm` con `--rm`).
# - Tres formas de ejecutar tu código: un contenedor que dura + `exec`, `run --rm -v` cada vez
#   (las dos para desarrollar) y una **imagen con tu código** (para distribuir), con las
#   dependencias en su propia capa, sin caché de pip, sin root y con `ENTRYPOINT` en forma exec.
#
# **Lo siguiente:** en el módulo 09, el proyecto final, juntarás todo: un monitor para una flota
# descrita en un fichero de inventario, con clases, un pool de hilos, promesas y procesos... y
# una imagen para distribuirlo.
