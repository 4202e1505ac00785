# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="celda-01"
# # Módulo 06 — Procesos
#
# **Al acabar este cuaderno sabrás:**
#
# - en qué se diferencia un **proceso** de un hilo: memoria propia, intérprete propio, código de
#   salida y sus tres canales (stdin, stdout, stderr);
# - ejecutar otro programa y **esperarlo** (síncrono) con `subprocess.run`: código de salida,
#   salida capturada como texto (con tildes y eñes), `check` y `timeout`;
# - lanzarlo y **seguir a lo tuyo** (asíncrono) con `subprocess.Popen`: `poll`, `wait`,
#   `communicate`, `kill`, y por qué a un hijo hay que esperarlo **siempre**;
# - juntar hilos y procesos: un pool de hilos en el que cada hilo espera a un proceso, N a la vez;
# - por qué **nunca** hay que construir una orden de shell con datos (la inyección de órdenes);
# - cuándo los procesos ganan a los hilos: el trabajo de CPU y el GIL.
#
# Los apuntes del curso lo resumen así:
#
# ```
# # Procesos
#
# ## En ocasiones quiero que se ejecuten de forma sincrona
# Porque el proceso sea de diferente naturaleza (que sea otro programa diferente)
#
# ## En ocasiones quiero que se ejecuten de forma asincrona
#
# # Podemos juntar hilos y procesos
#
# -------main------------------------------------
#             \-----Proceso sincrono--/
#             \-----Proceso sincrono--/
#             \-----Proceso sincrono--/
#             \-----Proceso sincrono--/
# ```
#
# La historia sigue siendo la misma: **vigilar 200 servidores web**. Hasta ahora lo hacía nuestro
# propio código, en hilos. Pero en la vida real muchas comprobaciones las hace **otro programa**:
# un `ping`, un `curl`, un plugin de Nagios, un `pg_isready`... Aquí ese otro programa será la
# **sonda** del módulo (`ejercicios/06/sonda.py`), para no depender de lo que haya instalado.

# %% [markdown] id="celda-02"
# ## 1. Un proceso no es un hilo
#
# Un **hilo** vive dentro de un programa: comparte con los demás hilos la memoria (las mismas
# variables) y el mismo intérprete de Python. Un **proceso** es un programa en marcha, con todo lo
# suyo:
#
# | | hilo | proceso |
# |---|---|---|
# | memoria | compartida con los demás hilos | **propia**: no ve tus variables ni tú las suyas |
# | intérprete | el mismo (y el mismo GIL) | el suyo (puede ser otro lenguaje: `ping` está en C) |
# | identificador | un nombre, dentro de tu programa | un **PID** que da el sistema operativo |
# | cómo acaba | la función vuelve (o lanza) | con un **código de salida**: 0 es «todo bien» |
# | cómo habla | variables compartidas, colas | **stdin**, **stdout**, **stderr**, ficheros, red |
# | cuánto cuesta arrancarlo | microsegundos | milisegundos |
#
# Cada proceso tiene un PID y sabe quién es su padre (el PPID). Lanzamos un Python hijo y se lo
# preguntamos:

# %% id="celda-03"
import os
import subprocess
import sys

hijo = subprocess.run(
    [sys.executable, "-c", "import os; print(os.getpid(), os.getppid())"],
    capture_output=True,
    text=True,
)
pid_del_hijo, padre_del_hijo = map(int, hijo.stdout.split())
print("¿El hijo tiene otro PID que yo?", pid_del_hijo != os.getpid())
print("¿Su padre soy yo?", padre_del_hijo == os.getpid())

# %% [markdown] id="celda-04"
# `sys.executable` es la ruta del Python que ejecuta este cuaderno: así el hijo usa el mismo
# Python (y el mismo entorno) que nosotros.
#
# **Memoria propia.** Un hilo que apunta algo en una lista lo apunta en *nuestra* lista. Un
# proceso hijo trabaja sobre **su copia**: lo que cambie allí no llega aquí. (Usamos
# `multiprocessing`, que lanza una función de Python en otro proceso; con `"fork"`, el hijo nace
# como una copia exacta de este programa en ese momento. `fork` solo existe en Linux y macOS.)

# %% id="celda-05"
import multiprocessing
import threading

vistos = []


def apuntar(nombre):
    vistos.append(nombre)


hilo = threading.Thread(target=apuntar, args=("web-001",))
hilo.start()
hilo.join()
print("tras el hilo:   ", vistos)

proceso = multiprocessing.get_context("fork").Process(target=apuntar, args=("web-002",))
proceso.start()
proceso.join()
print("tras el proceso:", vistos, "← web-002 se apuntó en la copia del hijo")
print("código de salida del proceso:", proceso.exitcode)

# %% [markdown] id="celda-06"
# ## 2. Síncrono: ejecutar y esperar con `subprocess.run`
#
# `subprocess.run(argumentos)` lanza el programa, **espera a que acabe** y devuelve un
# `CompletedProcess` con el `returncode` (el código de salida). Los argumentos van en una
# **lista**: el programa primero y después cada argumento por separado, tal cual.
#
# Por defecto la salida del hijo va a la misma pantalla que la nuestra. Para quedárnosla,
# `capture_output=True` (recoge stdout y stderr **por separado**) y `encoding="utf-8"` (nos la da
# como texto y no como bytes).
#
# Nuestro «otro programa» es la sonda. Además de comprobar URLs, tiene un modo de prueba: hace lo
# que le pidas, en orden (escribir, dormir, salir con un código...).

# %% id="celda-07"
from taller.modulos import raiz_del_taller

SONDA = str(raiz_del_taller() / "ejercicios" / "06" / "sonda.py")

terminado = subprocess.run(
    [
        sys.executable,
        SONDA,
        "--escribir",
        "¡Hola, señor ñandú!",
        "--escribir-error",
        "aviso: señal débil",
        "--salir",
        "3",
    ],
    capture_output=True,
    encoding="utf-8",
)
print("código de salida:", terminado.returncode)
print("stdout:", repr(terminado.stdout))
print("stderr:", repr(terminado.stderr))

# %% [markdown] id="celda-08"
# Un código de salida distinto de 0 **no** es una excepción: es un dato. Para muchos programas
# significa «algo ha ido mal», pero no para todos: `grep` sale con 1 cuando no encuentra nada, y
# la sonda sale con 1 o 2 para decir cómo está el servidor.
#
# **Texto y bytes.** Lo que viaja por la tubería entre procesos son **bytes**. Sin `encoding`,
# eso es lo que recibimos; con `encoding="utf-8"`, Python los decodifica por nosotros. ¿Y si el
# otro programa no escribe UTF-8 (un programa antiguo que escribe en latin-1)? Con
# `errors="replace"`, lo que no se entiende se cambia por `�` en vez de lanzar un
# `UnicodeDecodeError`:

# %% id="celda-09"
en_bytes = subprocess.run([sys.executable, SONDA, "--escribir", "camión"], capture_output=True)
print("sin encoding:", en_bytes.stdout, "→", en_bytes.stdout.decode("utf-8"))

raros = [sys.executable, SONDA, "--escribir-bytes-raros"]  # escribe 'año: caña' en latin-1
try:
    subprocess.run(raros, capture_output=True, encoding="utf-8")
except UnicodeDecodeError as error:
    print("UTF-8 estricto:", type(error).__name__)
print(
    "con errors='replace':",
    repr(subprocess.run(raros, capture_output=True, encoding="utf-8", errors="replace").stdout),
)

# %% [markdown] id="celda-10"
# **`check=True`** convierte un código distinto de 0 en una excepción `CalledProcessError`. Es
# cómodo cuando el programa *tiene* que salir bien (un `git clone` en un script de despliegue);
# no lo es cuando el código es la respuesta que buscamos, como con la sonda.

# %% id="celda-11"
try:
    subprocess.run(
        [sys.executable, SONDA, "--escribir-error", "disco lleno", "--salir", "1"],
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
except subprocess.CalledProcessError as error:
    print("CalledProcessError: código", error.returncode, "· stderr:", repr(error.stderr))

# %% [markdown] id="celda-12"
# **`timeout`**: un programa puede colgarse (un servidor que no contesta, un disco que no
# responde). Con `timeout=segundos`, `run` deja de esperar, **mata al hijo, lo espera** y lanza
# `TimeoutExpired`. Lo que el hijo llegó a escribir viene en la excepción... **en bytes**, aunque
# hayamos pedido texto.

# %% id="celda-13"
import time

inicio = time.perf_counter()
try:
    subprocess.run(
        [sys.executable, SONDA, "--escribir", "empiezo...", "--dormir", "10"],
        capture_output=True,
        encoding="utf-8",
        timeout=0.3,
    )
except subprocess.TimeoutExpired as agotado:
    print("TimeoutExpired. Lo que llegó a escribir:", agotado.stdout)
print("¿Esperamos menos de los 10 s que quería dormir?", time.perf_counter() - inicio < 10)

# %% [markdown] id="celda-14"
# ¿Y si el programa no existe? `run` lanza un `FileNotFoundError`... con un mensaje en inglés
# que no dice mucho a quien lo lea en un informe de monitorización. En el ejercicio lo cambiarás
# por un error propio, en español, que nombre el programa.

# %% id="celda-15"
try:
    subprocess.run(["programa-que-no-existe", "--version"])
except FileNotFoundError as error:
    print(type(error).__name__, "→", error)

# %% [markdown] id="celda-16"
# ### La sonda contra una flota de verdad
#
# En su uso normal, `python sonda.py URL` hace una petición a la URL y lo dice con su **código de
# salida**, como los plugins de Nagios e Icinga (la convención de muchas herramientas de
# monitorización):
#
# | código | Nagios | significado |
# |---|---|---|
# | 0 | OK | responde 200 con un JSON que dice `"estado": "ok"` |
# | 1 | WARNING | responde, pero algo incoherente (un 500, HTML, JSON roto, estado no ok) |
# | 2 | CRITICAL | no responde (conexión rechazada, tiempo agotado) |
# | 3 | UNKNOWN | no ha podido comprobar nada (se ha usado mal) |
#
# Arrancamos una flota pequeña de servidores en `127.0.0.1` (la de los módulos anteriores), con
# algunas averías, y le pasamos la sonda a cada uno:

# %% id="celda-17"
from taller.flota import flota

averias = {"puerto_cerrado": 0.2, "error_500": 0.2, "html": 0.2}
with flota(servidores=5, latencia=0.01, semilla=6, averias=averias) as f:
    for servidor in f.servidores:
        sonda = subprocess.run(
            [sys.executable, SONDA, servidor.url, "--timeout", "2"],
            capture_output=True,
            encoding="utf-8",
        )
        print(f"{servidor.nombre}  avería: {str(servidor.averia):15} → código {sonda.returncode}")

# %% [markdown] id="celda-18"
# ## 3. Asíncrono: lanzar ahora, esperar después, con `Popen`
#
# `subprocess.Popen(argumentos, ...)` lanza el programa y **vuelve enseguida**: el hijo corre
# mientras nosotros seguimos. Con el objeto que devuelve:
#
# | método | qué hace | ¿espera? |
# |---|---|---|
# | `poll()` | `None` si sigue en marcha; si no, su código de salida | no |
# | `wait(timeout=None)` | espera a que acabe y devuelve el código | sí |
# | `communicate(timeout=None)` | lee **toda** su salida mientras espera; devuelve `(stdout, stderr)` | sí |
# | `kill()` / `terminate()` | lo mata (SIGKILL) / le pide que acabe (SIGTERM) | no |
#
# `run` no es más que `Popen` + `communicate` + todo lo necesario para no dejar nada suelto.

# %% id="celda-19"
proceso = subprocess.Popen(
    [sys.executable, SONDA, "--dormir", "0.3", "--escribir", "terminé"],
    stdout=subprocess.PIPE,
    stderr=subprocess.PIPE,
    encoding="utf-8",
)
print("recién lanzado, poll():", proceso.poll())

vueltas = 0
while proceso.poll() is None:
    vueltas += 1  # aquí haríamos otras cosas mientras tanto
    time.sleep(0.05)

salida, errores = proceso.communicate()
print(
    "código:",
    proceso.returncode,
    "· salida:",
    repr(salida),
    "· ¿hicimos otras cosas mientras?",
    vueltas > 1,
)


# %% [markdown] id="celda-20"
# ### A un hijo hay que esperarlo siempre
#
# Cuando un proceso acaba, el sistema guarda su código de salida hasta que el padre lo recoge
# (con `wait`, `communicate` o `poll`). Mientras nadie lo recoja, el proceso muerto sigue en la
# tabla de procesos: es un **zombi** (estado `Z` en `/proc/PID/stat` o en `ps`). Un programa que
# lanza miles de procesos y no los espera acaba llenando esa tabla.

# %% id="celda-21"
def estado_en_proc(pid):
    # /proc/PID/stat: "PID (nombre) ESTADO ..."; el nombre puede tener espacios.
    with open(f"/proc/{pid}/stat") as fichero:
        return fichero.read().rsplit(")", 1)[1].split()[0]


dormilon = subprocess.Popen([sys.executable, SONDA, "--dormir", "30"])
print("en marcha, ¿vivo?  ", estado_en_proc(dormilon.pid) in "RS")
dormilon.kill()
while estado_en_proc(dormilon.pid) != "Z":
    time.sleep(0.01)
print("tras kill(), sin esperar:", estado_en_proc(dormilon.pid), "← un zombi")
dormilon.wait()
print("tras wait(), ¿sigue en /proc?", os.path.exists(f"/proc/{dormilon.pid}"))

# %% [markdown] id="celda-22"
# ### `wait()` con tuberías puede quedarse atascado
#
# Con `stdout=subprocess.PIPE`, lo que escribe el hijo va a una tubería que el sistema guarda en
# un búfer pequeño (64 KB en Linux). Si el hijo escribe más y nadie lee, se queda **parado**
# esperando a que haya sitio... y si nosotros, mientras tanto, estamos en `wait()`, esperamos a un
# hijo que nos espera a nosotros. `communicate()` lee mientras espera:

# %% id="celda-23"
hablador = subprocess.Popen(
    [sys.executable, SONDA, "--escribir-mucho", "1000000"], stdout=subprocess.PIPE, encoding="utf-8"
)
try:
    hablador.wait(timeout=0.3)
except subprocess.TimeoutExpired:
    print("wait(): atascado; el hijo sigue vivo:", hablador.poll() is None)
salida, _ = hablador.communicate(timeout=10)
print("communicate(): leídos", len(salida), "caracteres; código", hablador.returncode)

# %% [markdown] id="celda-24"
# La receta completa para esperar con límite (es la de la documentación de Python):
#
# ```python
# try:
#     salida, errores = proceso.communicate(timeout=5)
# except subprocess.TimeoutExpired:
#     proceso.kill()                                # se acabó la paciencia
#     salida, errores = proceso.communicate()       # recoge lo que escribió y lo espera: ni zombi ni perdido
# ```
#
# `Popen` también sirve con `with`: al salir, cierra las tuberías y **espera** al hijo (pero no
# lo mata: si no acaba, el `with` no acaba). En el ejercicio harás un `with` que, además, mata al
# que siga en marcha.
#
# ## 4. Hilos y procesos juntos
#
# El dibujo de los apuntes: el hilo principal lanza varias líneas, y cada una espera a un proceso
# **síncrono**. Es el pool de hilos de los módulos 03-05, con `run` como trabajo. Los hilos casi
# no gastan CPU: se pasan el tiempo dormidos, esperando a su proceso.
#
# Cuatro sondas que duermen 0,2 s cada una, con 1 hilo y con 4:

# %% id="celda-25"
from concurrent.futures import ThreadPoolExecutor

ORDEN = [sys.executable, SONDA, "--dormir", "0.2"]
cronologia = []  # (max_procesos, hilo, inicio, fin) de cada proceso


def ejecutar_y_apuntar(max_procesos, origen):
    inicio = time.perf_counter() - origen
    subprocess.run(ORDEN, capture_output=True)
    cronologia.append(
        (max_procesos, threading.current_thread().name, inicio, time.perf_counter() - origen)
    )


tiempos = {}
for max_procesos in (1, 4):
    origen = time.perf_counter()
    with ThreadPoolExecutor(
        max_workers=max_procesos, thread_name_prefix=f"hilo{max_procesos}"
    ) as pool:
        list(pool.map(lambda _: ejecutar_y_apuntar(max_procesos, origen), range(4)))
    tiempos[max_procesos] = time.perf_counter() - origen

print(f"max_procesos=4: unas {tiempos[1] / tiempos[4]:.0f} veces más rápido que de uno en uno")

# %% id="celda-26"
import matplotlib.pyplot as plt

fig, ejes = plt.subplots(1, 2, figsize=(11, 2.8), sharex=True)
for eje, max_procesos in zip(ejes, (1, 4)):
    suyos = [c for c in cronologia if c[0] == max_procesos]
    hilos = sorted({hilo for _, hilo, _, _ in suyos})
    for _, hilo, inicio, fin in suyos:
        eje.broken_barh(
            [(inicio, fin - inicio)],
            (hilos.index(hilo) - 0.35, 0.7),
            color="#6baed6",
            edgecolor="white",
        )
    eje.set_yticks(range(len(hilos)), [f"hilo {i + 1}" for i in range(len(hilos))])
    eje.set_title(f"max_procesos={max_procesos}: {tiempos[max_procesos]:.1f} s")
    eje.set_xlabel("segundos")
fig.suptitle("Cada barra es un proceso sonda de 0,2 s; cada fila, el hilo que lo espera")
plt.tight_layout()
plt.show()

# %% [markdown] id="celda-27"
# Con 4 hilos, las cuatro sondas corren a la vez y todo tarda poco más que una sola: el tiempo
# que sobra es lo que cuesta **arrancar** cada proceso. Ese coste no es despreciable: comparemos
# arrancar un hilo con arrancar un proceso que no hace nada.

# %% id="celda-28"
import math


def cronometrar(funcion, veces):
    inicio = time.perf_counter()
    for _ in range(veces):
        funcion()
    return (time.perf_counter() - inicio) / veces


def un_hilo():
    hilo = threading.Thread(target=lambda: None)
    hilo.start()
    hilo.join()


por_hilo = cronometrar(un_hilo, 200)
por_proceso = cronometrar(lambda: subprocess.run([sys.executable, "-c", "pass"]), 5)
orden_de_magnitud = 10 ** round(math.log10(por_proceso / por_hilo))
print(
    f"Arrancar un proceso de Python cuesta del orden de {orden_de_magnitud} veces más que un hilo"
)

# %% [markdown] id="celda-29"
# Por eso, para hacer peticiones HTTP desde Python, los hilos de los módulos 03-05 bastan y
# sobran. Los procesos tienen sentido cuando el trabajo **es otro programa** (los apuntes: *«de
# diferente naturaleza»*) o cuando el trabajo es de CPU (lo veremos en la sección 6).
#
# Así se vigila una flota con sondas, cuatro a la vez:

# %% id="celda-30"
from collections import Counter

SIGNIFICADO = {0: "ok", 1: "respuesta incoherente", 2: "sin respuesta"}


def comprobar_con_sonda(url):
    sonda = subprocess.run(
        [sys.executable, SONDA, url, "--timeout", "2"], capture_output=True, timeout=10
    )
    return SIGNIFICADO.get(sonda.returncode, "fallo de la sonda")


averias = {"puerto_cerrado": 0.125, "error_503": 0.125, "json_roto": 0.125}
with flota(servidores=8, latencia=0.05, semilla=1, averias=averias) as f:
    with ThreadPoolExecutor(max_workers=4) as pool:
        estados = dict(zip(f.urls, pool.map(comprobar_con_sonda, f.urls)))
    print("peticiones a la vez, como mucho:", f.estadisticas.en_curso_max)
print(Counter(estados.values()))

# %% [markdown] id="celda-31"
# ## 5. Nunca un shell construido con datos
#
# Con `shell=True`, `run` no ejecuta el programa: le pasa **un texto** a `/bin/sh`, y el shell lo
# interpreta: parte por espacios, expande `$VARIABLES` y `*`, y ejecuta **varias órdenes** si hay
# un `;`, `&&` o `|`. Es tentador para escribir la orden «como en la terminal»:
#
# ```python
# subprocess.run(f"ping -c 1 {servidor}", shell=True)     # ¡NO!
# ```
#
# Ahora imagina que `servidor` viene de un fichero de inventario, de una base de datos o de un
# formulario web, y alguien ha escrito `x; echo HACKED` como nombre. Lo probamos con `echo`
# (inofensivo) en lugar de `ping`:

# %% id="celda-32"
servidor = "x; echo HACKED"  # un «nombre de servidor» que llega de fuera

con_shell = subprocess.run(
    f"echo comprobando {servidor}", shell=True, capture_output=True, text=True
)
print("con shell=True:")
print(con_shell.stdout)

# %% [markdown] id="celda-33"
# El shell ha ejecutado **dos** órdenes: `echo comprobando x` y `echo HACKED`. En lugar de `echo
# HACKED` podría haber sido `rm -rf ~` o `curl ... | sh`. Es la **inyección de órdenes**, uno de
# los fallos de seguridad más antiguos y más comunes.
#
# La solución: una **lista** de argumentos y sin shell. Cada elemento llega al programa tal cual,
# con sus espacios, sus `;` y sus `$`:

# %% id="celda-34"
sin_shell = subprocess.run(["echo", "comprobando", servidor], capture_output=True, text=True)
print("con una lista:", sin_shell.stdout)

# %% [markdown] id="celda-35"
# ¿Y si **no queda otra** que un texto? Pasa, por ejemplo, con `ssh máquina "orden"` o
# `docker exec contenedor sh -c "orden"`: el texto lo interpreta un shell al otro lado. Entonces,
# `shlex` de la biblioteca estándar:
#
# - `shlex.quote(dato)` lo entrecomilla para que el shell lo vea como **un solo** argumento;
# - `shlex.split(texto)` parte una línea de órdenes como lo haría el shell, pero en una lista y sin ejecutar nada;
# - `shlex.join(lista)` hace lo contrario: una línea segura a partir de una lista.

# %% id="celda-36"
import shlex

print(shlex.quote(servidor))
seguro = subprocess.run(
    f"echo comprobando {shlex.quote(servidor)}", shell=True, capture_output=True, text=True
)
print("con shlex.quote:", seguro.stdout)
print(shlex.split("ping -c 1 'servidor con espacios.es'"))

# ssh pasa la orden remota, como texto, al shell de la otra máquina: se construye con shlex.join
remota = shlex.join(["ping", "-c", "1", servidor])
print(["ssh", "web-001", remota])  # y esta lista es la que se daría a subprocess.run

# %% [markdown] id="celda-37"
# ## 6. Procesos contra hilos en trabajo de CPU: el GIL
#
# En Python (CPython), un **cerrojo global del intérprete** (el GIL) deja que solo un hilo ejecute
# código Python a la vez. No molesta cuando los hilos **esperan** (una respuesta de red, un
# proceso hijo, un disco): mientras esperan, sueltan el GIL. Pero si el trabajo es **calcular**,
# los hilos se turnan y no ganamos nada. Cada proceso tiene su propio intérprete y su propio GIL:
# varios procesos sí usan varios núcleos a la vez.
#
# `concurrent.futures` tiene los dos pools con la misma forma: `ThreadPoolExecutor` y
# `ProcessPoolExecutor`. Un trabajo de CPU puro, contar primos a lo bruto, cuatro veces:

# %% id="celda-38"
from concurrent.futures import ProcessPoolExecutor


def contar_primos(hasta):
    return sum(1 for n in range(2, hasta) if all(n % d for d in range(2, int(n**0.5) + 1)))


NUCLEOS = os.cpu_count()
TRABAJOS = [40_000] * 4


def medir(funcion):
    inicio = time.perf_counter()
    funcion()
    return time.perf_counter() - inicio


# "fork": los procesos hijos nacen como copia de este cuaderno y conocen contar_primos.
with (
    ThreadPoolExecutor(max_workers=NUCLEOS) as hilos,
    ProcessPoolExecutor(
        max_workers=NUCLEOS, mp_context=multiprocessing.get_context("fork")
    ) as procesos,
):
    formas = {
        "uno a uno": lambda: [contar_primos(n) for n in TRABAJOS],
        f"{NUCLEOS} hilos": lambda: list(hilos.map(contar_primos, TRABAJOS)),
        f"{NUCLEOS} procesos": lambda: list(procesos.map(contar_primos, TRABAJOS)),
    }
    # Dos rondas, alternando las formas, y nos quedamos con la mejor de cada una: la máquina
    # puede estar ocupada con otras cosas, y así el ruido molesta menos.
    cpu = {nombre: float("inf") for nombre in formas}
    for ronda in range(2):
        for nombre, forma in formas.items():
            cpu[nombre] = min(cpu[nombre], medir(forma))

for nombre, segundos in cpu.items():
    print(f"{nombre:>12}: x{cpu['uno a uno'] / segundos:.1f} frente a uno a uno")

# %% id="celda-39"
fig, eje = plt.subplots(figsize=(7, 3))
eje.barh(list(cpu), list(cpu.values()), color=["#bdbdbd", "#6baed6", "#fd8d3c"])
eje.invert_yaxis()
eje.set_xlabel("segundos (menos es mejor)")
eje.set_title(f"Contar primos 4 veces en una máquina de {NUCLEOS} núcleos")
plt.tight_layout()
plt.show()

# %% [markdown] id="celda-40"
# Los hilos no ganan nada frente a uno a uno (a veces pierden: turnarse también cuesta). Los
# procesos se acercan a dividir el tiempo por el número de núcleos, aunque no siempre llegan: la
# máquina puede estar ocupada con otras cosas (`bench/filas_06.py` lo mide con más calma). A
# cambio, cada proceso cuesta arrancarlo, y los datos que van y vienen se copian (se
# *serializan* con `pickle`).
#
# | el trabajo... | mejor con |
# |---|---|
# | espera (red, disco, otro programa) | **hilos**: ligeros, y el GIL no estorba |
# | calcula en Python | **procesos**: uno por núcleo |
# | **es** otro programa | `subprocess` (y, si son muchos, un pool de hilos que los espera) |
#
# ## 7. El ejercicio
#
# Abre `ejercicios/06/README.md` (el enunciado) y `ejercicios/06/procesos.py`. Vas a escribir:
#
# 1. `validar_argumentos`: una lista de textos, nunca un texto suelto que tenga que partir un shell;
# 2. `ejecutar`: síncrono, con `subprocess.run`: código, salida y errores como texto, segundos, y
#    un `timeout` que no deja procesos sueltos; un programa que no existe da un error en español;
# 3. `lanzar`, `esperar` y el `with` de `Proceso`: asíncrono, con `Popen`, `poll` y `communicate`;
# 4. `ejecutar_en_paralelo`: el dibujo de los apuntes, un pool de hilos que espera a
#    `max_procesos` procesos a la vez, con los resultados en orden;
# 5. `estado` y `vigilar`: la flota, comprobada con sondas.
#
# Las pruebas lanzan procesos de verdad. Las de concurrencia no miden tiempos: las sondas llevan
# la cuenta de cuántas corren a la vez en un fichero con cerrojo, y se esperan entre sí.
#
# ```
# pytest ejercicios/06
# ```
#
# o ejecuta la celda de abajo. Si te atascas: `taller pista 06`.

# %% id="celda-41"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("06")

# %% [markdown] id="celda-42"
# ## Resumen
#
# - Un **proceso** es un programa en marcha con su memoria, su intérprete y su PID; acaba con un
#   **código de salida** (0: bien) y habla por **stdin, stdout y stderr**.
# - **Síncrono**: `subprocess.run(lista, capture_output=True, encoding="utf-8", timeout=...)`.
#   Un código distinto de 0 es un dato (salvo con `check=True`); con `timeout`, `run` mata y
#   espera al hijo.
# - **Asíncrono**: `Popen` vuelve enseguida; `poll()` pregunta sin esperar; `communicate()` lee y
#   espera (no `wait()` con tuberías); si se acaba la paciencia, `kill()` y otro `communicate()`.
#   A un hijo se le espera **siempre**, o queda un zombi.
# - **Hilos y procesos juntos**: un pool de hilos en el que cada hilo espera a un proceso; los
#   hilos duermen, así que el GIL no estorba.
# - **Nunca** `shell=True` con datos de fuera: una lista de argumentos; `shlex.quote` si no
#   queda más remedio que un texto.
# - Para **calcular**, procesos (`ProcessPoolExecutor`); para **esperar**, hilos.
#
# **Lo siguiente:** en el módulo 07 (`notebooks/07_*.ipynb`) el problema de las versiones: cinco
# programas que quieren cinco versiones distintas de una misma biblioteca. Lo resolverás con
# **entornos virtuales**... creándolos y preguntándoles su versión con los procesos de este módulo
# (`python -m venv`, `pip install`).
