# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="55777795"
# # Módulo 10 — Más allá de una máquina
#
# **Al acabar este cuaderno sabrás:**
#
# - qué es un **scheduler distribuido** y por qué es el mismo dibujo de los apuntes: la cola en
#   un proceso (el scheduler), los ejecutores en otros (los hilos de los workers);
# - usar los **futuros** de Dask, que son las promesas del módulo 05 (`done()`, `result()`,
#   `add_done_callback`, `as_completed`), y su **`Executor`**, con el que la ronda del 09 corre
#   en un cluster cambiando una línea;
# - qué añade la red: lo que viaja tiene que poder **serializarse**, una tarea puede
#   **colgarse**, un worker puede **morir** (y su trabajo se repite en otro), y una excepción
#   ocurre en **otro proceso**;
# - cuándo **no** merece la pena un cluster.
#
# El dibujo de los apuntes, una cola de trabajos a un lado y un pool de monitorizadores al otro,
# es también el dibujo de un scheduler distribuido:
#
# ```
# cola de trabajos  <  pool de ejecutores
# ---------------------------------------------
#                         worker 1: hilos 1..5
# servidor 3              worker 2: hilos 1..5
# ...
# servidor 200
#    ^ vive en el scheduler       ^ procesos, quizá en otras máquinas
# ```
#
# Aquí usamos uno de verdad: el de Dask (`dask[distributed]`, solo con pip). En este cuaderno todo
# corre en esta máquina (un `LocalCluster`), pero cada worker es **otro proceso**: lo que viaja
# entre ellos viaja como viajaría por la red.

# %% [markdown] id="3c6652d2"
# ## 1. El scheduler, los workers y un Client
#
# `LocalCluster(n_workers=2, threads_per_worker=5)` arranca un scheduler y dos workers de 5 hilos:
# 10 ejecutores, como el pool del módulo 04. `Client(cluster)` (o `Client("tcp://…:8786")` si el
# scheduler está en otra máquina: es lo que hace tu `conectar`) es nuestro lado: envía trabajos y
# recoge resultados.
#
# Los workers necesitan el código que van a ejecutar: como una máquina de verdad con el monitor
# instalado, aquí lo encuentran por `PYTHONPATH`: la carpeta `ejercicios/09`, con **tu**
# `inventario.py` y **tu** `ronda.py` del 09 (no hay copia en el 10; si aún no has terminado
# el 09, el cuaderno usa el de referencia y te lo dice). En un script, lo que crea el cluster va dentro de
# `if __name__ == "__main__":`: cada worker es un Python nuevo que importa tu fichero y, sin esa
# guardia, volvería a crear un cluster. En un cuaderno no hace falta.
#
# El *dashboard* (necesita `bokeh`, que viene con el taller) es la foto en vivo de la cola y los
# monitores de los apuntes: la cola del scheduler y lo que hace cada hilo de cada worker. Su
# puerto de siempre es el 8787, pero aquí va en uno libre cualquiera (`dashboard_address=":0"`:
# el 8787 puede ser de otro cluster, y `dashboard_address=None` **no** lo evita, vuelve al 8787).
# Para abrirlo, pide su dirección, `print(cliente.dashboard_link)`, y ábrela en el navegador
# mientras corre una ronda (la de la sección 3, o una de 400 servidores para que dure más).

# %% id="a1f0c3d2"
import os
import sys

from taller.modulos import buscar_modulo

del_09 = buscar_modulo("09")
carpeta = str(del_09.codigo_terminado("inventario", "ronda"))  # tu ejercicios/09, si está hecho
print("el 09:", "el tuyo" if carpeta == str(del_09.ejercicio) else "el de referencia (aún no has terminado el tuyo)")
sys.path.insert(0, carpeta)
os.environ["PYTHONPATH"] = carpeta  # lo heredan los workers

import logging

from distributed import Client, LocalCluster

cluster = LocalCluster(
    n_workers=2, threads_per_worker=5, processes=True, host="127.0.0.1", dashboard_address=":0",
    silence_logs=logging.CRITICAL,  # los avisos de los workers no se mezclan con lo que imprimimos
)
cliente = Client(cluster)
print("workers:", len(cliente.scheduler_info()["workers"]))
print("hilos en total:", sum(cliente.nthreads().values()))
print("¿cada worker es otro proceso?", all(pid != os.getpid() for pid in cliente.run(os.getpid).values()))

# %% [markdown] id="7d1e2f3a"
# Así se ve, con una ronda del 09 de 400 servidores en marcha en este mismo cluster de 2 workers
# × 5 hilos (la captura la saca `bench/dashboard.py`):
#
# ![El dashboard de Dask con una ronda en marcha: el task stream con una fila por hilo y el progreso de las comprobaciones](img/dashboard.png)
#
# - **Task Stream**: una fila por hilo (aquí 10, los 10 ejecutores) y un rectángulo por tarea,
#   una comprobación, de lo que tardó; los huecos son tiempo en que ese hilo no tenía trabajo
#   (o la máquina, de dos núcleos compartidos, no le daba CPU);
# - **Progress**: la cola, `queued` las que esperan en el scheduler, `processing` las que
#   están en un hilo, `in-memory` las que ya han acabado y esperan a que las recojas;
# - **Tasks Processing**: cuántas tiene a la vez cada worker (5, sus hilos).

# %% [markdown] id="e2b7c4a1"
# ## 2. Las mismas piezas, cada una su programa (`subprocess`)
#
# En varias máquinas no hay `LocalCluster`: en una corre `dask scheduler` y en cada una de las
# otras un `dask worker tcp://…` que se apunta a él. Aquí las lanzamos desde Python como en el
# módulo 06: cada orden **en una lista, sin shell**, con `sys.executable -m
# distributed.cli.dask_scheduler` (el `dask scheduler` de este entorno). Con `--port 0` el
# sistema elige un puerto libre y el scheduler escribe su dirección en `--scheduler-file`.
#
# Un worker tarda en apuntarse (tiene que arrancar Python e importar Dask): hasta que el
# scheduler no lo cuenta, no hay a quién mandar trabajo. `wait_for_workers(n, timeout)` espera
# con un límite. Y al acabar, cada proceso se termina **y se espera** (`wait()`): uno que ha
# muerto y nadie ha esperado queda zombi. Tu `arrancar_cluster` (paso 2) es esto, con los
# errores bien dichos.

# %% id="f3c8d5b2"
import json
import subprocess
import tempfile
from pathlib import Path

carpeta_del_scheduler = tempfile.TemporaryDirectory()
fichero = Path(carpeta_del_scheduler.name) / "scheduler.json"
silencio = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
scheduler = subprocess.Popen(
    [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
     "--scheduler-file", str(fichero), "--no-dashboard"],
    **silencio,
)
observador = Client(scheduler_file=str(fichero), timeout=60, set_as_default=False)  # espera al fichero
direccion = observador.scheduler.address
worker = subprocess.Popen(
    [sys.executable, "-m", "distributed.cli.dask_worker", direccion, "--nthreads", "2",
     "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
    **silencio,
)
print("scheduler en", direccion, "· workers nada más lanzarlo:", len(observador.scheduler_info()["workers"]))
observador.wait_for_workers(1, timeout=60)
print("workers tras esperar:", len(observador.scheduler_info()["workers"]))
print("pid del worker:", list(observador.run(os.getpid).values()), "=", worker.pid)
observador.close()
for proceso in (worker, scheduler):  # primero el worker, después el scheduler
    proceso.terminate()
    proceso.wait(30)
carpeta_del_scheduler.cleanup()
print("códigos de salida:", worker.returncode, scheduler.returncode)

# %% [markdown] id="b2e1d4f3"
# ## 3. La ronda del 09, con otro ejecutor
#
# `ronda(servidores, concurrencia, comprobar=..., ejecutor=...)` (tu `ejercicios/09/ronda.py`:
# no hay otra) usa solo `ejecutor.submit` y `futuro.result()`. `cliente.get_executor()` es un
# `concurrent.futures.Executor`: la misma ronda corre en el cluster cambiando una línea.
# `pure=False` dice que dos llamadas iguales son dos trabajos (si no, Dask las junta en una).

# %% id="c3f2e5a4"
from inventario import Comprobacion, Servidor
from ronda import ronda

from taller.flota import flota

AVERIAS = {"error_500": 0.1, "html": 0.1, "puerto_cerrado": 0.1}
with flota(servidores=20, latencia=0.05, semilla=1, averias=AVERIAS) as f:
    servidores = [
        Servidor(s.nombre, ("127.0.0.1",), (), (Comprobacion("http", s.puerto, "/salud", 2.0),))
        for s in f.servidores
    ]
    en_hilos = ronda(servidores, 10)  # la del 09: su ThreadPoolExecutor(10)
    en_el_cluster = ronda(servidores, ejecutor=cliente.get_executor(pure=False))


def esencial(resultados):
    return [(r.servidor, r.ok, r.motivo) for r in resultados]


print("¿lo mismo en hilos que en el cluster?", esencial(en_hilos) == esencial(en_el_cluster))
print("caídos:", [(r.servidor, r.motivo) for r in en_el_cluster if not r.ok])

# %% [markdown] id="d4a3f6b5"
# ## 4. Futuros con nombre, `as_completed`, límites y errores
#
# `cliente.submit(funcion, *argumentos, key=...)` devuelve un `Future` con la cara de la promesa
# del módulo 05: `done()`, `result(timeout)`, `add_done_callback`. `distributed.as_completed` los
# da **según acaban**, no en el orden en que se enviaron: así un servidor lento no retrasa lo que
# ya sabemos de los demás. La `key` es el nombre de la tarea: lo que verás en el dashboard y en
# los mensajes de error.
#
# Lo que se envía viaja con pickle: una función de un módulo, una dataclass, números y textos,
# sí; un `threading.Lock`, un fichero o una conexión abiertos, no (`cliente.submit` lanza
# `TypeError: Could not serialize ...`). Una tarea puede colgarse: el límite lo pone quien espera
# (`as_completed(..., timeout=...)`), y los futuros que no acabaron se cancelan. Y una excepción
# en un worker no se pierde: `futuro.result()` la **relanza aquí**, con su tipo y su mensaje.

# %% id="e5b4a7c6"
import uuid

from distributed import as_completed


def doble(i):
    if i == 3:
        raise ValueError(f"no me gusta el {i}")
    return 2 * i


futuros = [cliente.submit(doble, i, key=f"doble-{i}-{uuid.uuid4().hex[:6]}", pure=False) for i in range(5)]
for futuro in as_completed(futuros, timeout=30):
    nombre = futuro.key.rsplit("-", 1)[0]
    try:
        print(nombre, "→", futuro.result())
    except ValueError as error:
        print(nombre, "→ lanzó en su worker:", type(error).__name__, error)

# %% [markdown] id="f6c5b8d7"
# ## 5. Cuando un worker muere: repetir sin estropear
#
# Si un worker muere a mitad de ronda (se apaga la máquina, lo mata el sistema), el scheduler se
# da cuenta (se cierra su conexión) y vuelve a ejecutar en otro worker las tareas que tenía a
# medias. La ronda acaba completa, pero **alguna comprobación se ha ejecutado dos veces**. Por eso
# una comprobación que apunta en un historial debe poder repetirse: `INSERT ... ON CONFLICT DO
# UPDATE` sobre una clave (ronda, servidor, comprobación) deja una fila; un `INSERT` a secas
# dejaría dos (o un `IntegrityError`).
#
# Y lo que vuelve de un worker, también viaja: devuelve resúmenes (un `Resultado`), no la
# respuesta entera de cada servidor, y escribe el historial en un solo lado.

# %% id="a7d6c9e8"
import sqlite3
import tempfile

con = sqlite3.connect(os.path.join(tempfile.mkdtemp(), "historial.db"))
con.execute("CREATE TABLE historial (ronda TEXT, servidor TEXT, motivo TEXT, PRIMARY KEY (ronda, servidor))")
for _ in range(2):  # la misma comprobación, dos veces
    con.execute(
        "INSERT INTO historial VALUES ('r1', 'web-001', 'ok') "
        "ON CONFLICT (ronda, servidor) DO UPDATE SET motivo = excluded.motivo"
    )
print("filas:", con.execute("SELECT COUNT(*) FROM historial").fetchone()[0])
con.close()

# %% [markdown] id="b8e7d0f9"
# ## 6. Workers aparte, y en contenedores
#
# Un `LocalCluster` arranca todo desde tu programa. En varias máquinas, cada pieza es un programa
# que se arranca aparte (módulo 06), y los workers se apuntan al scheduler por su dirección:
#
# ```
# dask scheduler --host 127.0.0.1 --port 8786          # en la máquina de la cola
# dask worker tcp://127.0.0.1:8786 --nthreads 5        # en cada máquina que comprueba
# podman run --rm --network host -v ...:/codigo -e PYTHONPATH=/codigo imagen \
#     python -m distributed.cli.dask_worker tcp://127.0.0.1:8786   # o un worker en un contenedor
# ```
#
# Así lo hace tu `arrancar_cluster` (sección 2), y así las pruebas de este módulo: un scheduler y
# dos workers como procesos aparte, un tercero que matan por su PID a mitad de ronda y, si hay
# docker o podman, un worker dentro de un contenedor.

# %% [markdown] id="c9f8e1a0"
# ## 7. Cuándo no merece la pena
#
# Cada tarea en un cluster paga el viaje al scheduler, al worker y de vuelta (serializar,
# mandar, apuntar su estado), que en un pool de hilos no existe. `bench/cluster.py` lo mide en
# esta máquina, lado a lado (tabla en el README del taller): la ronda de 200 servidores con el
# `ThreadPoolExecutor(10)` del 09 frente a un `LocalCluster` de 1, 2 y 4 workers con la misma
# concurrencia total, y cuántas veces cuesta más una tarea vacía en el cluster que en el pool.
# Para 200 servidores desde una máquina, un cluster es sobrecoste; para 20.000 desde tres sitios,
# es el diseño.
#
# ![La ronda de 200 servidores frente al número de workers del cluster, con el pool de hilos y el ideal](img/ronda_frente_a_workers.png)
#
# Lo que dos núcleos compartidos pueden enseñar y lo que no: aquí los workers son procesos de
# **esta** máquina, así que más workers no traen más núcleos ni más red; la espera de cada
# servidor es la misma y cada tarea paga además su viaje. El cluster no puede ganar al pool de
# hilos, y la figura enseña justo eso: su sobrecoste, y que repartirlo en 1, 2 o 4 procesos no
# lo quita. Lo que no puede enseñar es lo que un cluster da de verdad: workers en otras
# máquinas, cada una con sus núcleos y su red, mirando desde otros sitios.
#
# ¿Y si la flota crece? El mismo bench simula 200, 2.000 y 20.000 servidores virtuales detrás de
# 20 puertos de `taller.flota`, con 5 ms de latencia y una comprobación más ligera que
# `requests` (que aquí cuesta unos ms de CPU por llamada: 20.000 serían un minuto solo de
# nuestro lado):
#
# ![La ronda frente al número de servidores: pool de hilos, cluster con una tarea por comprobación, cluster por lotes e ideal](img/flota_grande.png)
#
# Con una tarea por comprobación, el cluster paga milisegundos de scheduler por cada una: con 200
# servidores ya tarda más que el pool, con 2.000 unas seis veces más, y 20.000 serían minutos (el
# bench no lo mide).
# Con pocas tareas grandes (40 lotes de muchos servidores cada uno), ese sobrecoste se paga 40
# veces y no 20.000, y lo que queda es la CPU de las comprobaciones. Aquí, en dos núcleos que
# comparten los workers, la flota y todo lo demás, los lotes ganan al pool con 200 servidores
# (los 10 hilos del pool se pelean por un GIL; los lotes, en dos procesos, no), pero con 2.000 y
# 20.000 ya no; en varias
# máquinas, cada lote en la suya, así es como se reparte de verdad una flota grande.

# %% id="d0a9f2b1"
cliente.close()
cluster.close()

# %% [markdown] id="b6bc2489"
# ## 8. Comprueba tu ejercicio
#
# Completa `ejercicios/10/cluster.py` y ejecuta la celda (o `pytest ejercicios/10` en un terminal).

# %% id="13742bbb"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("10")
