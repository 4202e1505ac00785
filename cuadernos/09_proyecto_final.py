# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="c09-00"
# # Módulo 09 — Proyecto final
#
# **Al acabar este cuaderno sabrás:**
#
# - describir una flota en un fichero **TOML** y leerla con `tomllib` a tus propias clases;
# - validar un fichero de entrada **juntando todos los problemas**, cada uno con el servidor, el
#   campo y el valor, en vez de parar en el primero;
# - hacer una **ronda** de comprobaciones N a la vez con `concurrent.futures`, cada una con su
#   timeout, sin que una que falla pare a las demás;
# - guardar un **historial** en SQLite con una versión de esquema y una conexión por hilo, y
#   detectar los **cambios de estado**;
# - mandar **un correo por cambio** (no uno por ronda) desde un segundo pool;
# - escribir un programa de verdad: `python -m monitor inventario.toml` con `argparse`, código de
#   salida y un **Ctrl+C** que lo deja todo en orden;
# - empaquetarlo en una imagen de contenedor.
#
# Es el monitor que los apuntes van construyendo desde el primer día:
#
# ```
# 200 servidores web que monitorizar:
# - Petición http
# - Si contesta, mirar que conteste algo coherente
#
# Quizás... a mi me interesa lanzar peticiones de 10 en 10
# ```
#
# Cada pieza ya la has escrito en un módulo: las clases (01), la comprobación (02), el pool
# (03-04), las promesas, la base y el correo (05), los procesos (06), el entorno (07) y la imagen
# (08). Aquí se juntan.

# %% [markdown] id="c09-01"
# ## 1. El inventario: la flota en un fichero TOML
#
# Hasta ahora, la lista de servidores estaba escrita en el código. En un programa de verdad está
# en un fichero que edita quien opera la flota, sin tocar Python. **TOML** es el formato de
# `pyproject.toml`: legible, con tipos (textos, números, listas) y tablas repetidas con `[[...]]`,
# que encajan con los `Servidor` de los apuntes y sus servicios:
#
# ```toml
# [[servidores]]
# nombre = "web-001"
# ips = ["127.0.0.1"]
#
# [[servidores.servicios]]        # como en el módulo 01: nombre, puertos, protocolo
# nombre = "web"
# puertos = [8001]
# protocolo = "tcp"
#
# [[servidores.comprobaciones]]   # lo que hay que mirar: un GET (regla del 02), un puerto tcp...
# tipo = "http"
# puerto = 8001
# ruta = "/salud"
# timeout = 0.5
#
# [[servidores.comprobaciones]]   # ...o un programa sonda, como en el 06: lo dice su código
# tipo = "sonda"
# orden = ["python3", "sonda.py", "http://127.0.0.1:8001/salud"]
# timeout = 5
# ```
#
# `tomllib` está en la biblioteca estándar desde Python 3.11; en 3.10 es el paquete `tomli`, con
# la misma interfaz. Por eso el import va así:

# %% id="c09-02"
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from taller.flota import flota

# Una flota de 200 servidores reales en 127.0.0.1 (otro proceso), 50 ms cada uno, con averías.
AVERIAS = {"error_500": 0.03, "html": 0.02, "puerto_cerrado": 0.02, "lento": 0.02}
la_flota = flota(servidores=200, latencia=0.05, semilla=9, averias=AVERIAS, latencia_lenta=0.3)
f = la_flota.__enter__()  # se detiene en la última sección del cuaderno


def inventario_de(servidores, timeout=0.2):
    lineas = []
    for s in servidores:
        lineas += ["[[servidores]]", f'nombre = "{s.nombre}"', 'ips = ["127.0.0.1"]',
                   "[[servidores.servicios]]", 'nombre = "web"', f"puertos = [{s.puerto}]",
                   'protocolo = "tcp"', "[[servidores.comprobaciones]]", 'tipo = "http"',
                   f"puerto = {s.puerto}", f"timeout = {timeout}"]
    return "\n".join(lineas) + "\n"


texto = inventario_de(f.servidores)
print(texto[:420])
datos = tomllib.loads(texto)
print("servidores leídos:", len(datos["servidores"]), "| el primero:", datos["servidores"][0])


# %% [markdown] id="c09-03"
# `tomllib.loads` da diccionarios y listas. El ejercicio los convierte en clases (`Servidor`,
# `Servicio`, `Comprobacion`): aquí son *dataclasses* congeladas (`frozen=True`), porque el
# inventario solo se lee; el `Servidor` del módulo 01, con sus setters que validan, es para
# objetos que cambian.
#
# ## 2. Validar: todos los problemas a la vez
#
# Un inventario de 200 servidores escrito a mano tendrá erratas. Si el programa se para en la
# primera, quien lo opera arregla una, vuelve a ejecutar, ve la siguiente... Mejor **juntarlas
# todas** en una lista y lanzar una sola excepción al final, con cada problema diciendo **dónde**
# (el servidor y el campo) y **qué** (el valor):

# %% id="c09-04"
class ErrorDeDatos(ValueError):
    def __init__(self, problemas):
        self.problemas = problemas
        super().__init__(f"{len(problemas)} problemas:\n" + "\n".join(f"  - {p}" for p in problemas))


def validar_puertos(servidores):
    problemas = []  # se apuntan; no se lanza nada hasta el final
    for s in servidores:
        for puerto in s["puertos"]:
            if not (isinstance(puerto, int) and 1 <= puerto <= 65535):
                problemas.append(f"servidor «{s['nombre']}», campo «puertos»: {puerto!r} no es un puerto válido")
    if problemas:
        raise ErrorDeDatos(problemas)


try:
    validar_puertos([{"nombre": "web-001", "puertos": [80, 70000]},
                     {"nombre": "web-002", "puertos": ["443"]}])
except ErrorDeDatos as error:
    print(error)

# %% [markdown] id="c09-05"
# Fíjate en `{puerto!r}`: con `repr`, `'443'` (un texto) se distingue de `443` (un número), que
# es justo la errata. Un TOML mal escrito (unas comillas sin cerrar) también es un problema del
# inventario: `tomllib.TOMLDecodeError` se convierte en el mismo error, en español, en vez de
# salir como una traza en inglés.
#
# Las pruebas del ejercicio lo comprueban **con propiedades** (Hypothesis, como en los módulos
# 01 y 06): generan inventarios, siembran problemas en algunos servidores y miran que el error
# traiga exactamente esos, cada uno con su servidor, su campo y su valor.
#
# ## 3. Una ronda, N a la vez
#
# El pool de los módulos 03-05 ya viene hecho en la biblioteca estándar:
# `concurrent.futures.ThreadPoolExecutor`. `submit` devuelve un `Future` (una promesa) al momento;
# `result()` espera su valor o relanza su error. Para una ronda: **todos** los `submit` primero y
# luego los `result()`, en el orden del inventario. Apuntamos cuándo empieza y acaba cada
# comprobación y en qué hilo (carril), para dibujarla:

# %% id="c09-06"
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

inicio = time.perf_counter()
tramos = []  # (carril, empieza, dura, ok)


def comprobar(s):
    empieza = time.perf_counter()
    try:
        r = requests.get(s.url, timeout=1)
        ok = r.status_code == 200 and json.loads(r.text) == {"servidor": s.nombre, "estado": "ok"}
    except (requests.RequestException, ValueError):
        ok = False
    carril = int(threading.current_thread().name.rsplit("_", 1)[1])
    tramos.append((carril, empieza - inicio, time.perf_counter() - empieza, ok))
    return ok


with ThreadPoolExecutor(max_workers=10, thread_name_prefix="ronda") as pool:
    futuros = [pool.submit(comprobar, s) for s in f.servidores]
    resultados = [futuro.result() for futuro in futuros]
duracion = time.perf_counter() - inicio
print(f"200 comprobaciones, 10 a la vez: {duracion:.2f} s (ideal: 200 × 0,05 / 10 = 1 s); "
      f"{resultados.count(False)} caídos")

# %% id="c09-07"
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(10, 3.6))
for carril, empieza, dura, ok in tramos:
    ax.broken_barh([(empieza, dura)], (carril - 0.4, 0.8), color="#90be6d" if ok else "#e76f51",
                   edgecolor="white", linewidth=0.4)
ax.set_yticks(range(10), [f"hilo {n}" for n in range(10)])
ax.set_xlabel("segundos desde el principio de la ronda")
ax.set_title("Una ronda: 200 comprobaciones en 10 carriles (verde: bien; rojo: caído; largo: lento)")
ax.invert_yaxis()
plt.tight_layout()
plt.show()

# %% [markdown] id="c09-08"
# Cada carril es un hilo del pool: en cuanto acaba una comprobación, empieza la siguiente. La
# ronda dura unas `200 × latencia / 10`; un servidor lento ocupa su carril más tiempo, pero no
# para a los demás. Dos reglas más del ejercicio:
#
# - cada comprobación lleva **su timeout** (sin él, un servidor colgado ocuparía un carril para
#   siempre) y **nunca lanza** por un fallo de red: es un resultado;
# - si aun así una lanzara (un error nuestro), `result()` relanza su excepción: va en un `try`,
#   y ese resultado sale como «error inesperado» sin acabar la ronda.
#
# Las pruebas lo comprueban **sin relojes**: una `threading.Barrier(N)` solo se abre cuando hay N
# comprobaciones esperando a la vez (si la ronda va de una en una, no se abre nunca), y un
# contador mira que nunca haya más de N.
#
# ### Una comprobación que es otro programa: la sonda
#
# No todo se mira con un `GET`: a veces ya hay un programa que sabe comprobar algo (un plugin de
# Nagios, un `pg_isready`, la sonda del módulo 06) y lo dice con su **código de salida**: 0 bien,
# 1 algo incoherente, 2 sin respuesta. En el inventario, su `orden` es una **lista**: el programa
# y cada argumento por separado, que llegan tal cual, sin shell, como en el 06. Es el `ejecutar`
# de aquel módulo dentro de una comprobación, con su timeout:

# %% id="c8f09b24"
import shlex
import subprocess

from taller.modulos import raiz_del_taller

SONDA = raiz_del_taller() / "ejercicios" / "06" / "sonda.py"
for s in (f.con_averia(None)[0], f.con_averia("error_500")[0], f.con_averia("puerto_cerrado")[0]):
    orden = [sys.executable, str(SONDA), s.url, "--timeout", "1"]
    terminado = subprocess.run(orden, capture_output=True, encoding="utf-8", errors="replace", timeout=5)
    print(f"{s.nombre}: código {terminado.returncode}: {(terminado.stdout or terminado.stderr).strip()}")

# Un texto del inventario con un «;» es UN argumento; en un shell serían dos órdenes.
hostil = ["python3", "sonda.py", "http://x/; rm -rf ~"]
print("lo que recibe la sonda:", hostil[1:], "| escrito para un shell:", shlex.join(hostil))

# %% [markdown] id="4f97ee0d"
# `errors="replace"`: una sonda que escribe en latin-1 (o basura) no es una excepción, es un
# resultado. Y `timeout`: una sonda colgada se mata (`run` la mata y la espera) y sale como «sin
# respuesta». Nunca `shell=True` ni la orden pegada en una cadena: el inventario lo escribe una
# persona, y un espacio o un `;` en un texto cambiarían lo que se ejecuta.
#
# ## 4. El historial en SQLite
#
# Cada resultado va a un fichero SQLite, como en el módulo 05. Tres ideas nuevas:
#
# - **versión de esquema**: `PRAGMA user_version` es un número que SQLite guarda en el fichero
#   para nosotros. Una base nueva tiene 0: creamos la tabla y ponemos 1. Si mañana la tabla cambia,
#   el monitor nuevo sabrá qué tiene delante (y el viejo no escribirá a ciegas en una base nueva);
# - **una conexión es de un hilo**: `sqlite3` lo vigila (`check_same_thread`). Los hilos de la
#   ronda no tocan la base: devuelven resultados, y el hilo que abrió el historial los guarda;
# - **toda la ronda en una transacción**: `with conexion:` confirma al final o deshace si algo
#   falla. Un Ctrl+C a media escritura no deja media ronda.

# %% id="c09-09"
import sqlite3

conexion = sqlite3.connect(":memory:")
print("versión de una base nueva:", conexion.execute("PRAGMA user_version").fetchone()[0])
conexion.executescript("BEGIN; CREATE TABLE resultados (servidor TEXT, ok INTEGER); "
                       "PRAGMA user_version = 1; COMMIT;")
print("versión después:", conexion.execute("PRAGMA user_version").fetchone()[0])

desde_otro_hilo = []


def _usar_desde_otro():
    try:
        conexion.execute("SELECT 1")
    except sqlite3.ProgrammingError as error:
        desde_otro_hilo.append(str(error))


hilo = threading.Thread(target=_usar_desde_otro)
hilo.start()
hilo.join()
print("desde otro hilo:", desde_otro_hilo[0])
conexion.close()

# %% [markdown] id="c09-10"
# (El error de `sqlite3` sale en inglés: en el ejercicio, el `Historial` lo comprueba él mismo y
# lanza un `ErrorDeHistorial` en español.)
#
# Con el historial, un **cambio de estado** se ve comparando cada resultado con el último de esa
# misma comprobación: ok → caído, o caído → ok. Ojo al orden: primero se mira el último y después
# se inserta el nuevo (si no, cada resultado se compara consigo mismo).
#
# ## 5. Alertas: un correo por cambio
#
# Si web-007 se cae a las 3:00 y lo arreglan a las 9:00, con una ronda por minuto, ¿cuántos
# correos quieres? Dos: «se ha caído» y «ha vuelto». No 360. Por eso los correos salen de los
# **cambios** que devuelve el historial, no de los resultados que fallan.
#
# Y salen por **otro pool**, como en el módulo 05: si el servidor de correo tarda, que tarde él;
# las rondas siguen a su ritmo. `submit` vuelve al momento con un futuro:

# %% id="c09-11"
import smtplib
from email.message import EmailMessage

from taller.correo import servidor_smtp


def mandar(direccion, asunto):
    mensaje = EmailMessage()
    mensaje["From"], mensaje["To"], mensaje["Subject"] = "monitor@taller.local", "guardia@taller.local", asunto
    mensaje.set_content(asunto)
    with smtplib.SMTP(*direccion, timeout=10) as cliente:
        cliente.send_message(mensaje)


cambios = [("web-007", "CAÍDO: error HTTP"), ("web-007", "vuelve a estar bien")]
with servidor_smtp() as smtp, ThreadPoolExecutor(max_workers=2, thread_name_prefix="correo") as correo:
    futuros = [correo.submit(mandar, smtp.direccion, f"[monitor] {s} {que}") for s, que in cambios]
    print("submit ha vuelto ya; ¿enviados?", [fu.done() for fu in futuros])
    for fu in futuros:
        fu.result(timeout=10)
    print("recibidos:", [c["Subject"] for c in smtp.correos])

# %% [markdown] id="c09-12"
# Con dos hilos de correo, dos correos enviados a la vez pueden llegar en cualquier orden (aquí,
# quizá, «vuelve» antes que «CAÍDO»). En el monitor no importa: la caída y la vuelta de un mismo
# servidor salen en rondas distintas.
#
# ## 6. El programa: `argparse`, Ctrl+C y el código de salida
#
# Un programa de sistemas se usa desde el terminal, desde `cron`, desde un contenedor o desde
# otro programa (como la sonda del módulo 06). Lo que necesita:
#
# - **argumentos** con `argparse`: el inventario, `--una-vez`, `--intervalo 60`, `--json`...
#   `argparse` escribe la ayuda (`--help`) y rechaza lo mal escrito saliendo con 2;
# - un **código de salida** que diga cómo fue: 0 todo bien, 1 algo caído, 2 la orden o el
#   inventario mal, 130 interrumpido (128 + 2, el número de SIGINT: lo que usan los shells);
# - **`python -m monitor`**: ejecuta `monitor.py` como programa (`if __name__ == "__main__":`);
# - **Ctrl+C** limpio. Ctrl+C manda la señal SIGINT; Python la convierte en un
#   `KeyboardInterrupt` en el hilo principal, esté donde esté: esperando un `result()`, durmiendo
#   entre rondas o escribiendo en la base. Con `try/finally` se cierra todo (pools, conexión) y
#   con `shutdown(wait=False, cancel_futures=True)` las comprobaciones que no han empezado ya no
#   empiezan... y las que están en vuelo **no se esperan**.
#
# Eso último tiene dos trampas. El `with ThreadPoolExecutor(...)` llama al salir a
# `shutdown(wait=True)`, también cuando sale por una excepción: esperaría a cada comprobación en
# vuelo hasta su timeout. Y Python, al acabar el programa, espera a los hilos de todo
# `ThreadPoolExecutor` (no son daemon: así no corta un trabajo a medias). Por eso la ronda cierra
# el pool a mano, y el monitor, cuando ya lo ha cerrado todo lo suyo, sale con `os._exit(130)`.
#
# Lo probamos con un proceso hijo de verdad, con dos tareas de 30 s en vuelo, al que mandamos
# SIGINT como lo haría Ctrl+C:

# %% id="c09-13"
import signal
import subprocess

programa = """
import os, sys, time
from concurrent.futures import ThreadPoolExecutor, wait
pool = ThreadPoolExecutor(2)
try:
    futuros = [pool.submit(time.sleep, 30) for _ in range(100)]
    print("empiezo: 100 tareas de 30 s, 2 a la vez", flush=True)
    for futuro in futuros:
        while not futuro.done():
            wait([futuro], timeout=0.2)
except KeyboardInterrupt:
    pool.shutdown(wait=False, cancel_futures=True)   # sin esperar a las 2 que están en vuelo
    print("interrumpido: todo cerrado", file=sys.stderr, flush=True)
    os._exit(130)                                     # sys.exit esperaría a sus hilos: 30 s
"""
hijo = subprocess.Popen([sys.executable, "-c", programa], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
print(hijo.stdout.readline().strip())
hijo.send_signal(signal.SIGINT)
antes = time.perf_counter()
salida, errores = hijo.communicate(timeout=10)
print(f"código de salida {hijo.returncode}, en {time.perf_counter() - antes:.2f} s: {errores.strip()}")

# %% [markdown] id="c09-14"
# Con un `with` (o con `sys.exit`), el hijo esperaría a las dos tareas en vuelo: 30 s. Y sin
# `cancel_futures`, el `with` esperaría además a las 98 que faltaban. (Las pruebas del ejercicio
# lo miran así: SIGINT con dos comprobaciones en vuelo contra un servidor que no contesta hasta
# que el monitor ha salido.)
#
# ## 7. Un día de historial
#
# ¿Qué cuenta el historial al cabo de un día? Lo simulamos, con tiempo simulado (sin esperar un
# día ni usar la red): 12 servidores, una ronda cada 5 minutos (288 rondas), y averías que van y
# vienen según una semilla. Todo va a una base SQLite de verdad, en memoria, y de ella sale la
# figura y la cuenta de correos, uno por cambio:

# %% id="c09-15"
import random

azar = random.Random(9)
nombres = [f"web-{n:03d}" for n in range(1, 13)]
base = sqlite3.connect(":memory:")
base.execute("CREATE TABLE resultados (ronda INTEGER, minuto INTEGER, servidor TEXT, ok INTEGER)")
caido = {n: False for n in nombres}
fragil = {n: azar.choice([0.002, 0.01, 0.03]) for n in nombres}  # cuánto se cae cada uno
with base:
    for ronda in range(288):
        for n in nombres:
            if caido[n]:
                caido[n] = azar.random() > 0.15  # tarda ~7 rondas en volver
            else:
                caido[n] = azar.random() < fragil[n]
            base.execute("INSERT INTO resultados VALUES (?, ?, ?, ?)", (ronda, ronda * 5, n, int(not caido[n])))

# Los cambios, con SQL: cada resultado frente al anterior de su servidor (LAG).
cambios = base.execute("""
    SELECT servidor, minuto, ok FROM (
        SELECT servidor, minuto, ok, LAG(ok, 1, 1) OVER (PARTITION BY servidor ORDER BY ronda) AS antes
        FROM resultados)
    WHERE ok != antes
""").fetchall()
malos = base.execute("SELECT COUNT(*) FROM resultados WHERE ok = 0").fetchone()[0]
print(f"{288 * len(nombres)} resultados, {malos} caídos; correos, uno por cambio: {len(cambios)} "
      f"(uno por ronda y servidor caído serían {malos})")

fig, ax = plt.subplots(figsize=(10, 3.8))
for fila, n in enumerate(nombres):
    minutos = [m for (m,) in base.execute(
        "SELECT minuto FROM resultados WHERE servidor = ? AND ok = 0", (n,))]
    ax.broken_barh([(m / 60, 5 / 60) for m in minutos], (fila - 0.4, 0.8), color="#e76f51")
    ax.plot([m / 60 for s, m, ok in cambios if s == n], [fila] * sum(1 for s, _, _ in cambios if s == n),
            "k|", markersize=12)
ax.set_yticks(range(len(nombres)), nombres)
ax.set_xlim(0, 24)
ax.set_xlabel("hora del día (simulado)")
ax.set_title("Un día de historial: en rojo, caído; cada raya, un cambio de estado (un correo)")
ax.invert_yaxis()
plt.tight_layout()
plt.show()
base.close()

# %% [markdown] id="c09-16"
# ## 8. En un contenedor
#
# El último paso es el del módulo 08: una imagen con el monitor dentro, con sus reglas (una
# versión fijada de Python, las dependencias antes que el código, sin caché de pip, un usuario
# sin privilegios y `ENTRYPOINT` en forma exec). El inventario y la base van en **volúmenes**:
# cambian sin reconstruir la imagen, y la base sobrevive al contenedor.
#
# ```dockerfile
# FROM python:3.11-slim
# RUN useradd --create-home --uid 10001 monitor && mkdir /datos && chown 10001 /datos
# WORKDIR /app
# COPY requirements.txt .
# RUN pip install --no-cache-dir -r requirements.txt
# COPY inventario.py ronda.py historial.py alertas.py monitor.py ./
# USER 10001
# ENTRYPOINT ["python", "-m", "monitor"]
# CMD ["/datos/inventario.toml", "--bd", "/datos/monitor.db", "--intervalo", "60"]
# ```
#
# `ENTRYPOINT` es el programa y `CMD` sus argumentos por defecto, que se cambian al ejecutar:
#
# ```
# docker build -t monitor ejercicios/09
# docker run --rm --network host -v "$PWD/datos:/datos" monitor /datos/inventario.toml --una-vez --bd /datos/monitor.db
# ```
#
# (`--network host`, para que el contenedor vea la flota en 127.0.0.1.) Un reto para después:
# `docker stop` no manda SIGINT sino **SIGTERM**, que Python no convierte en `KeyboardInterrupt`.
# Para que tu monitor acabe igual de limpio dentro de un contenedor, en el
# `if __name__ == "__main__":` instala con `signal.signal(signal.SIGTERM, ...)` una función que
# lance `KeyboardInterrupt`.
#
# ## 9. El ejercicio
#
# Abre `ejercicios/09/README.md` (el enunciado). Vas a escribir, en seis pasos:
#
# 1. `inventario.py`: `validar`, `leer_texto` y `leer`, que juntan todos los problemas;
# 2. `ronda.py`: `comprobar` y `ronda`, N a la vez, en orden y sin que una que lanza pare la ronda;
# 3. `historial.py`: el `Historial`, con su versión de esquema, su hilo dueño y los cambios;
# 4. `alertas.py`: el pool del correo;
# 5. `monitor.py`: `analizar`, `vigilar` y `main`, con Ctrl+C limpio;
# 6. el `Dockerfile`: la prueba lo construye y hace una ronda dentro, si hay docker o podman.
#
# Las pruebas van contra una flota real cuyas averías cambian entre rondas, un SQLite real y un
# servidor de correo real; y mandan Ctrl+C de verdad a un proceso que ejecuta tu monitor. Cuando
# estén en verde, prueba tu monitor a mano:

# %% id="c09-17"
from pathlib import Path

from taller.modulos import raiz_del_taller

carpeta = raiz_del_taller() / "ejercicios" / "09"
import tempfile

temporal = Path(tempfile.mkdtemp(prefix="monitor-"))
(temporal / "inventario.toml").write_text(inventario_de(f.servidores[:20]), encoding="utf-8")
print("Un inventario de 20 servidores de la flota de este cuaderno:", temporal / "inventario.toml")
print(f"Mientras la flota siga en marcha (la última celda de código la detiene), en un terminal, desde {carpeta}:")
print(f"    python -m monitor {temporal / 'inventario.toml'} --una-vez --bd {temporal / 'monitor.db'}")

# %% id="c09-18"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("09")

# %% id="c09-19"
la_flota.__exit__(None, None, None)  # detiene la flota del cuaderno

# %% [markdown] id="c09-20"
# ## Resumen: el taller entero
#
# | módulo | lo que aprendiste | dónde está en tu monitor |
# |---|---|---|
# | 01 | clases, validación, `@property`, `__eq__`, nada de listas compartidas | `Servidor`, `Servicio`, `Comprobacion` del inventario |
# | 02 | una petición HTTP con timeout que nunca lanza y clasifica cada fallo | `comprobar` y sus motivos |
# | 03 | hilos, una cola FIFO y un pool... y su carrera | lo que hace por dentro `ThreadPoolExecutor` |
# | 04 | semáforos, ejecutores que no mueren con un trabajo que falla | una comprobación que lanza no para la ronda |
# | 05 | promesas, dos pools encadenados, SQLite y SMTP | `submit` → `Future`; el historial; el pool del correo |
# | 06 | procesos: códigos de salida, señales, nunca un shell con datos | las comprobaciones sonda; `python -m monitor`, su código de salida, Ctrl+C |
# | 07 | entornos virtuales y versiones fijadas | `requirements.txt` (y `tomli` en 3.10) |
# | 08 | contenedores e imágenes | el Dockerfile del monitor, con volúmenes |
# | 09 | juntarlo todo en un programa | `python -m monitor inventario.toml` |
#
# Las ideas que se repiten en todos: **un fallo del servidor es un dato, no una excepción**; **todo
# lo que espera tiene un límite**; **lo que se abre se cierra** (pools, conexiones, procesos),
# también cuando algo sale mal; y **los datos nunca se convierten en código** (ni en un shell, ni
# en SQL: siempre `?`).
#
# **Lo siguiente:** tu monitor vive en **una** máquina. Con 20.000 servidores en vez de 200, o si
# esa máquina se cae, no basta. En el módulo 10, *Más allá de una máquina*, la misma cola y el
# mismo pool se reparten entre varias máquinas con Dask: los futuros son los del módulo 05, la
# interfaz `Executor` es la misma (tu `ronda` funciona sin cambiar), el planificador y los
# trabajadores son procesos (y contenedores) aparte, y verás qué pasa cuando un trabajador muere a
# media ronda... y cuándo compensa de verdad un clúster.
