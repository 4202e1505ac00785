# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="m03-01"
# # Módulo 03 — Cola de trabajos y pool de hilos
#
# **Al acabar este cuaderno sabrás:**
#
# - qué es un hilo, cómo se arranca (`start`), cómo se le espera (`join`) y qué es un hilo *daemon*;
# - por qué vigilar 200 servidores de uno en uno es lento, y los 200 a la vez, una mala idea: de 10 en 10;
# - montar una **cola de trabajos** con una lista (FIFO: `append` y `pop(0)`) y un **pool de ejecutores** que la vacían;
# - ver la **carrera** que esconde ese pool, provocarla siempre que quieras y entender por qué una prueba no puede esperar a que ocurra sola.
#
# En el módulo 02 comprobamos los servidores uno detrás de otro. Con 200 servidores, cada uno tardando
# un poco en contestar, el tiempo total es 200 veces ese poco. Aquí vamos a hacer muchas cosas a la vez.

# %% [markdown] id="m03-02"
# ## 1. Hilos: varias cosas a la vez
#
# Los apuntes lo plantean así: un programa que está *monitorizando unos servicios*, *unas carpetas de un
# servidor*, *unas bases de datos o servidores web*... Cada vigilancia pasa casi todo el tiempo
# **esperando** (a que conteste la red, a que pase un minuto). Mientras una espera, otra podría trabajar.
#
# Primero, dos vigilancias una detrás de otra:

# %% id="m03-03"
import threading
import time


def vigilar(que, veces):
    for vuelta in range(1, veces + 1):
        print(f"[{threading.current_thread().name}] vigilo {que} ({vuelta}/{veces})")
        time.sleep(0.05)  # esperar: a la red, al disco, al reloj...


inicio = time.perf_counter()
vigilar("los servicios", 3)
vigilar("las carpetas", 3)
print(f"Una detrás de otra: {time.perf_counter() - inicio:.2f} s")

# %% [markdown] id="m03-04"
# Todo pasa en el hilo `MainThread`, el hilo principal con el que arranca cualquier programa. Un
# **hilo** (`threading.Thread`) es otra línea de ejecución dentro del mismo programa: comparte las
# variables con los demás, pero avanza por su cuenta.
#
# - `threading.Thread(target=funcion, args=(...), name="...")` lo prepara (todavía no hace nada);
# - `hilo.start()` lo arranca y **vuelve enseguida**: el hilo principal sigue a lo suyo;
# - `hilo.join()` espera a que ese hilo termine.

# %% id="m03-05"
inicio = time.perf_counter()
hilos = [
    threading.Thread(target=vigilar, args=("los servicios", 3), name="servicios"),
    threading.Thread(target=vigilar, args=("las carpetas", 3), name="carpetas"),
    threading.Thread(target=vigilar, args=("las bases de datos", 3), name="bbdd"),
]
for hilo in hilos:
    hilo.start()
print("[MainThread] he arrancado los tres hilos y sigo a lo mío")
for hilo in hilos:
    hilo.join()
print(f"A la vez: {time.perf_counter() - inicio:.2f} s")


# %% [markdown] id="m03-06"
# Tres vigilancias en el tiempo de una. Fíjate también en que el orden de los mensajes puede cambiar de
# una ejecución a otra: quién va primero lo decide el sistema, no nosotros.
#
# Es el dibujo de los apuntes: el hilo principal (`main`) arranca hilos (cada `O`), cada uno hace su
# trabajo por debajo, y los `join` los recogen al final:
#
# ```
# -O--OO-O-O-OO---------------------------main
# \--------------/ /   /  /
# \---------------/   /  /
# \------------------/  /
# \--------------------/
# ```
#
# **Hilos *daemon*.** Un programa de Python no termina mientras quede algún hilo normal vivo. Un hilo
# *daemon* («de fondo») no cuenta: cuando acaba el último hilo normal, los daemon mueren con el programa,
# estén donde estén. Sirven para tareas de fondo que no importa cortar; para trabajo que debe acabar bien
# (como el de un pool), hilos normales y un `join` al final.

# %% id="m03-07"
def latido():
    while True:
        time.sleep(1)


de_fondo = threading.Thread(target=latido, name="latido", daemon=True)
de_fondo.start()
print(f"{de_fondo.name}: vivo={de_fondo.is_alive()}, daemon={de_fondo.daemon}")
print("Hilos vivos en este momento:", [hilo.name for hilo in threading.enumerate()])

# %% [markdown] id="m03-08"
# (Los hilos con nombres raros son de Jupyter: también él hace varias cosas a la vez.)
#
# ## 2. 200 servidores: ¿uno a uno, o los 200 a la vez?
#
# El taller trae una **flota** de servidores web de verdad, en tu máquina (`127.0.0.1`), cada uno en su
# puerto: `GET /salud` responde `{"servidor": "web-001", "estado": "ok"}` tras una pequeña espera, la
# latencia. Arrancamos 200, con 100 ms de latencia cada uno (algo normal al otro lado de internet):

# %% id="m03-09"
import requests

from taller.flota import Flota

flota = Flota(servidores=200, latencia=0.1).arrancar()
print(len(flota.urls), "servidores; el primero:", flota.urls[0])
print(requests.get(flota.urls[0], timeout=2).json())


# %% [markdown] id="m03-10"
# Uno a uno, los 200 tardarían más de 20 segundos: medimos los 10 primeros y multiplicamos.

# %% id="m03-11"
def comprobar(url):
    # ¿Responde con un 200? (En el módulo 02 lo comprobamos con mucho más cuidado.)
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


tiempos, a_la_vez = {}, {}

flota.reiniciar_estadisticas()
inicio = time.perf_counter()
respuestas = [comprobar(url) for url in flota.urls[:10]]
diez = time.perf_counter() - inicio
tiempos["uno a uno"] = diez * 20
a_la_vez["uno a uno"] = flota.estadisticas.en_curso_max
print(f"Uno a uno: 10 servidores en {diez:.2f} s; los 200 serían unos {tiempos['uno a uno']:.0f} s")

# %% [markdown] id="m03-12"
# Por lo menos 200 × 100 ms = 20 s, y algo más: cada petición también gasta un poco de CPU.
#
# La otra punta: un hilo por servidor, los 200 a la vez. Para que salgan todos de golpe, cada hilo espera
# a una señal de salida (un `threading.Event`) antes de lanzar su petición:

# %% id="m03-13"
flota.reiniciar_estadisticas()
salida = threading.Event()
respuestas = []


def a_la_salida(url):
    salida.wait()
    respuestas.append(comprobar(url))


hilos = [threading.Thread(target=a_la_salida, args=(url,)) for url in flota.urls]
for hilo in hilos:
    hilo.start()
inicio = time.perf_counter()
salida.set()  # ¡ya!
for hilo in hilos:
    hilo.join()
tiempos["los 200 a la vez"] = time.perf_counter() - inicio
a_la_vez["los 200 a la vez"] = flota.estadisticas.en_curso_max
print(f"Los 200 a la vez: responden {sum(respuestas)}, en {tiempos['los 200 a la vez']:.2f} s")
print("Peticiones que llegó a atender la flota a la vez:", a_la_vez["los 200 a la vez"])
# No llegan a 200: cada petición gasta unos milisegundos de CPU, así que las primeras ya han
# acabado cuando salen las últimas. Aun así, son muchas más de las que queremos: ver abajo.

# %% [markdown] id="m03-14"
# Mucho más rápido... y peligroso, como dicen los apuntes: *saturamos la máquina y la red*. Cada hilo
# reserva memoria, cada petición abre una conexión, y los 200 servidores (o el único balanceador que hay
# delante de todos) reciben la ráfaga de golpe. Con 200 quizá aguante; con 20.000, no. Y desde fuera,
# una ráfaga así se parece mucho a un ataque.
#
# Lo que queremos, en palabras de los apuntes: **lanzar las peticiones de 10 en 10**. Para eso hacen
# falta dos piezas:
#
# ```
# Cola de trabajos          <   pool de threads
# -------------------------------------------------
#                               monitorizador 1
#                               monitorizador 2
# Servidor 3                    monitorizador 3
# ...                           ...
# Servidor 200                  monitorizador 10
# Servidor 1
# Servidor 2
# ```
#
# - una **cola de trabajos**: la lista de lo que queda por hacer (¿qué guardo? trabajos: funciones);
# - un **pool de ejecutores**: 10 hilos que van sacando trabajos de la cola y haciéndolos.
#
# ## 3. La cola de trabajos: una lista FIFO
#
# Lo que necesitamos de una lista, según los apuntes:

# %% id="m03-15"
cola = []
cola.append("servidor 1")  # meter cosas al final
cola.append("servidor 2")
cola.append("servidor 3")
print(cola, "-> el primero es", repr(cola[0]))  # mirar el primero
primero = cola.pop(0)  # sacarlo: me lo da y lo borra
print("pop(0) me da", repr(primero), "y la lista queda", cola)


# %% [markdown] id="m03-16"
# ```
# 1 < 2 < 3 < 4
# pop         append
# ```
#
# Se mete por un extremo (`append`) y se saca por el otro (`pop(0)`): el primero en llegar es el primero
# en salir, **FIFO** (*first in, first out*), como la cola de una ventanilla.
#
# ¿Y qué guardamos en la cola? **Trabajos: funciones**. En Python una función es un valor más: se puede
# guardar en una lista y llamar después. Fíjate en los dos pares de paréntesis de `pop(0)()`: el primero
# saca la función de la lista; el segundo la llama.

# %% id="m03-17"
def saludar():
    print("¡Hola desde un trabajo!")


trabajos_pendientes = [saludar, saludar]
trabajos_pendientes.pop(0)()
print("Trabajos que quedan en la lista:", len(trabajos_pendientes))

# ¿Se puede llamar? callable() lo dice sin llamarlo: así sabe enviar() si le dan un trabajo.
print(callable(saludar), callable(42))

# %% [markdown] id="m03-18"
# Un trabajo es una función **sin argumentos**: quien lo ejecuta solo sabe llamarlo. Para «comprobar
# este servidor» hay que envolver `comprobar(url)` en una función que ya lleve su `url` dentro. Cuidado
# con la trampa clásica al crearlas en un bucle:

# %% id="m03-19"
import functools

urls = ["http://a", "http://b", "http://c"]

trampa = [lambda: print("compruebo", url) for url in urls]
for trabajo in trampa:
    trabajo()  # ¡las tres ven la última url!

print("---")
bien = [lambda url=url: print("compruebo", url) for url in urls]  # url=url la fija al crearla
for trabajo in bien:
    trabajo()

print("---")
tambien_bien = [functools.partial(print, "compruebo", url) for url in urls]  # o partial
for trabajo in tambien_bien:
    trabajo()

# %% [markdown] id="m03-20"
# La `lambda` de la trampa no guarda el valor de `url`, sino la variable: cuando por fin se llama, el
# bucle ya terminó y `url` vale la última. Con `url=url` (o con `functools.partial`) el valor se copia en
# el momento de crear el trabajo.
#
# ## 4. El pool de ejecutores
#
# Cada ejecutor es un hilo que repite, una y otra vez, el código de los apuntes:
#
# ```python
# if len(self.trabajos_pendientes) > 0:
#     self.trabajos_pendientes.pop(0)()
# ```
#
# Aquí lo escribimos con funciones y variables sueltas; en el ejercicio lo ordenarás dentro de una clase
# `Pool`. Tres detalles:
#
# - el bucle necesita una forma de **parar** (una variable que el hilo principal pone a `True`);
# - cuando no hay trabajo, el ejecutor duerme una **pausa** corta antes de volver a mirar;
# - para **esperar a que todo termine**: primero a que la lista se vacíe, luego pedir que paren y, por
#   último, `join` de cada ejecutor (así también acaba el último trabajo que cada uno tenía entre manos).

# %% id="m03-21"
PAUSA = 0.005
trabajos_pendientes = []
parar = False


def ejecutor():
    while not parar:
        if len(trabajos_pendientes) > 0:
            trabajos_pendientes.pop(0)()
        else:
            time.sleep(PAUSA)  # nada que hacer: una siesta corta antes de volver a mirar


ejecutores = [threading.Thread(target=ejecutor, name=f"ejecutor{n}") for n in range(1, 11)]
for hilo in ejecutores:
    hilo.start()

flota.reiniciar_estadisticas()
respuestas = []
inicio = time.perf_counter()
for url in flota.urls:
    trabajos_pendientes.append(lambda url=url: respuestas.append(comprobar(url)))

# 1. espera a que se vacíe la cola (mientras quede algún ejecutor vivo que la vacíe)
while len(trabajos_pendientes) > 0 and any(hilo.is_alive() for hilo in ejecutores):
    time.sleep(PAUSA)
parar = True  # 2. pide a los ejecutores que paren
for hilo in ejecutores:
    hilo.join()  # 3. espera a cada uno (y a su último trabajo)

tiempos["de 10 en 10"] = time.perf_counter() - inicio
a_la_vez["de 10 en 10"] = flota.estadisticas.en_curso_max
print(f"De 10 en 10: responden {sum(respuestas)} de {len(respuestas)}, en {tiempos['de 10 en 10']:.2f} s")
print("Peticiones a la vez en la flota, como mucho:", a_la_vez["de 10 en 10"])

# %% id="m03-22"
import matplotlib.pyplot as plt

figura, ejes = plt.subplots(figsize=(7, 3))
nombres = list(tiempos)
barras = ejes.barh(nombres, [tiempos[n] for n in nombres], color=["#999999", "#d62728", "#2ca02c"])
for barra, nombre in zip(barras, nombres):
    estimado = " (estimado)" if nombre == "uno a uno" else ""
    ejes.text(
        barra.get_width(), barra.get_y() + barra.get_height() / 2,
        f"  {tiempos[nombre]:.2f} s{estimado}, hasta {a_la_vez[nombre]} a la vez", va="center",
    )
ejes.invert_yaxis()
ejes.set_xlabel("segundos para comprobar 200 servidores (100 ms de latencia)")
ejes.set_xlim(0, max(tiempos.values()) * 1.6)
figura.tight_layout()
plt.show()


# %% [markdown] id="m03-23"
# De 10 en 10 tarda diez veces menos que uno a uno, sin la ráfaga: nunca hay más de 10 peticiones en
# curso. El ideal sería 200 × 100 ms / 10 = 2 s. (La barra de «uno a uno» es la estimación de antes.)
#
# **¿Y la pausa?** Sin ella, un ejecutor sin trabajo pregunta «¿hay algo?» millones de veces por segundo
# y gasta un núcleo entero en no hacer nada. `time.thread_time()` mide la CPU que ha gastado el hilo que
# la llama (no el tiempo de reloj):

# %% id="m03-24"
def cpu_de_un_ejecutor_sin_trabajo(pausa, segundos=0.3):
    gastado = []

    def sin_trabajo():
        vacia = []
        fin = time.perf_counter() + segundos
        while time.perf_counter() < fin:
            if len(vacia) > 0:  # nunca hay nada...
                vacia.pop(0)()
            elif pausa:
                time.sleep(pausa)
        gastado.append(time.thread_time())

    hilo = threading.Thread(target=sin_trabajo)
    hilo.start()
    hilo.join()
    return gastado[0]


print(f"Sin pausa:         {cpu_de_un_ejecutor_sin_trabajo(0):.3f} s de CPU en 0.3 s de espera")
print(f"Con pausa de 5 ms: {cpu_de_un_ejecutor_sin_trabajo(0.005):.3f} s de CPU en 0.3 s de espera")


# %% [markdown] id="m03-25"
# La pausa lo arregla a medias: sigue despertándose 200 veces por segundo para nada, y un trabajo nuevo
# puede esperar hasta 5 ms a que alguien lo vea. En el módulo 04 los ejecutores dormirán de verdad hasta
# que llegue trabajo.
#
# ## 5. La carrera
#
# El pool funciona... casi siempre. Los apuntes señalan el problema, en las dos líneas del bucle:
#
# ```
# if len(self.trabajos_pendientes)>0:         hilo1: True     hilo2: True
#                                             hilo1
#     self.trabajos_pendientes.pop(0)()       hilo1: TRABAJO1 hilo2: ERROR
# ```
#
# Queda **un** trabajo. `hilo1` comprueba: hay uno (`True`). Antes de que lo saque, `hilo2` comprueba
# también: sigue habiendo uno (`True`). `hilo1` lo saca y lo ejecuta. `hilo2` va a sacarlo... y la lista ya
# está vacía: `IndexError: pop from empty list`. La excepción mata a `hilo2`: Python escribe el error en
# la salida de errores, pero el pool no se entera y sigue con un ejecutor menos.
#
# Es una **carrera** (*race condition*): el resultado depende de quién llega antes, y entre «comprobar»
# y «sacar» otro hilo puede cambiar lo que comprobamos.
#
# ### Provocarla siempre
#
# Para verla, metemos entre la comprobación y el `pop(0)` una **barrera** para dos hilos
# (`threading.Barrier(2)`): el primero que llega a `barrera.wait()` se queda esperando hasta que llega el
# segundo, y entonces siguen los dos. Apuntamos en un diario qué hace cada uno:

# %% id="m03-26"
def una_vuelta(trabajos_pendientes, gancho, diario):
    # Una vuelta del bucle de un ejecutor, apuntando en el diario lo que pasa.
    nombre = threading.current_thread().name
    if len(trabajos_pendientes) > 0:
        diario.append((nombre, "comprueba: True"))
        gancho()  # entre comprobar y sacar
        try:
            trabajo = trabajos_pendientes.pop(0)
        except IndexError as error:
            diario.append((nombre, f"pop(0): IndexError\n({error})"))
            return
        diario.append((nombre, f"pop(0): {trabajo.__name__}"))
        trabajo()


def TRABAJO1():
    pass


def carrera(gancho):
    trabajos_pendientes, diario = [TRABAJO1], []
    hilos = [
        threading.Thread(target=una_vuelta, args=(trabajos_pendientes, gancho, diario), name=f"hilo{n}")
        for n in (1, 2)
    ]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return diario


barrera = threading.Barrier(2)
diario = carrera(barrera.wait)
for hilo, que in diario:
    print(f"{hilo}: {que}".replace("\n", " "))


# %% [markdown] id="m03-27"
# Siempre pasa lo mismo: los dos comprueban `True`, uno se lleva `TRABAJO1` y al otro le salta el
# `IndexError` (cuál de los dos se lo lleva puede cambiar). Dibujado en el tiempo:

# %% id="m03-28"
def dibujar_diario(diario):
    carriles = {"hilo1": 1, "hilo2": 0}
    colores = {"comprueba": "#1f77b4", "pop(0): TRABAJO1": "#2ca02c", "pop(0): IndexError": "#d62728"}
    figura, ejes = plt.subplots(figsize=(8, 2.4))
    for paso, (hilo, que) in enumerate(diario):
        color = next(c for clave, c in colores.items() if que.startswith(clave))
        ejes.barh(carriles[hilo], 0.9, left=paso, color=color, alpha=0.85)
        ejes.text(paso + 0.45, carriles[hilo], que, ha="center", va="center", color="white", fontsize=8)
    ejes.axvline(1.95, color="black", linestyle=":")
    ejes.text(1.95, 1.55, "barrera: los dos ya han comprobado", ha="center", fontsize=8)
    ejes.set_yticks(list(carriles.values()), list(carriles))
    ejes.set_xticks([])
    ejes.set_xlabel("orden de los pasos")
    ejes.set_ylim(-0.6, 1.8)
    figura.tight_layout()
    plt.show()


dibujar_diario(diario)

# %% [markdown] id="m03-29"
# ### Sin la barrera, casi nunca
#
# Quitemos la barrera y repitamos la carrera 2.000 veces:

# %% id="m03-30"
errores = 0
for _ in range(2000):
    diario = carrera(lambda: None)
    errores += any("IndexError" in que for _, que in diario)
print(f"IndexError en {errores} de 2000 carreras sin barrera")

# %% [markdown] id="m03-31"
# Lo normal es que salga 0. Y con el pool de verdad, 10 ejecutores y 20.000 trabajos vacíos, contando los
# ejecutores que mueren por un `IndexError`:

# %% id="m03-32"
import sys

trabajos_pendientes = [lambda: None for _ in range(20_000)]
parar = False
muertos = []
gancho_original = threading.excepthook
threading.excepthook = lambda args: muertos.append((args.thread.name, args.exc_type.__name__))
try:
    ejecutores = [threading.Thread(target=ejecutor, name=f"ejecutor{n}") for n in range(1, 11)]
    for hilo in ejecutores:
        hilo.start()
    while len(trabajos_pendientes) > 0 and any(hilo.is_alive() for hilo in ejecutores):
        time.sleep(PAUSA)
    parar = True
    for hilo in ejecutores:
        hilo.join()
finally:
    threading.excepthook = gancho_original
print("Ejecutores muertos por la carrera:", muertos or "ninguno")
print(f"Python cambia de hilo, como mucho, cada {sys.getswitchinterval() * 1000:.0f} ms")

# %% [markdown] id="m03-33"
# Casi siempre, ninguno. Python (con su GIL) solo deja correr un hilo de Python a la vez y cambia de
# hilo cuando el que corre espera (la red, un `sleep`) o, si no, cada 5 ms. El hueco entre `len(...) > 0`
# y `pop(0)` dura una fracción de microsegundo: que el cambio caiga justo ahí es rarísimo... pero no
# imposible. Con más ejecutores, más trabajos, otra versión de Python (la 3.13 ya puede funcionar sin
# GIL) o una máquina más cargada, un día saltará en producción.
#
# Por eso **una prueba no puede esperar a que la carrera ocurra sola**: pasaría 999 de cada 1.000 veces
# con el fallo dentro. Las pruebas de este taller la **fuerzan**: un gancho entre comprobar y sacar, y una
# barrera en el gancho. Así la carrera ocurre 100 de cada 100 veces, y en el módulo 04 podremos comprobar
# de verdad que los arreglos la evitan.
#
# Ya no necesitamos la flota:

# %% id="m03-34"
flota.detener()

# %% [markdown] id="m03-35"
# ## 6. El ejercicio
#
# Abre `ejercicios/03/README.md` (el enunciado) y completa los `# TODO` de dos ficheros:
#
# 1. `pool.py`, la clase `Pool`:
#    - `Pool(ejecutores)` crea la lista `trabajos_pendientes` y los hilos ejecutores (sin arrancarlos);
#    - `arrancar()` los pone en marcha; `enviar(trabajo)` apunta un trabajo al final de la lista;
#    - `_una_vuelta()` es el código de los apuntes, con una llamada al gancho
#      `_entre_comprobar_y_sacar()` entre la comprobación y el `pop(0)`;
#    - `_trabajar()` es el bucle de cada ejecutor, con su pausa;
#    - `detener()` espera a que se vacíe la lista, pide parar y hace `join` de cada ejecutor.
# 2. `carrera.py`, `provocar_carrera()`: la carrera de la sección 5, pero con tu `Pool`, que devuelve el
#    `IndexError` del hilo que llega tarde.
#
# Las pruebas van en ese orden. En un terminal, `pytest ejercicios/03`, o ejecuta la celda de abajo. Si te
# atascas: `taller pista 03`.

# %% id="m03-36"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("03")

# %% [markdown] id="m03-37"
# ## Resumen
#
# - Un **hilo** es otra línea de ejecución del mismo programa: `Thread(target=...)`, `start()` para
#   arrancarlo, `join()` para esperarlo. Los *daemon* mueren con el programa sin que nadie los espere.
# - Uno a uno es lento; todos a la vez satura. **De 10 en 10**: una cola de trabajos y un pool de
#   10 ejecutores.
# - La cola es una lista **FIFO** (`append` al final, `pop(0)` del principio) de **trabajos**: funciones
#   sin argumentos (ojo con las `lambda` en un bucle: `url=url`).
# - «Comprobar y luego sacar» con varios hilos es una **carrera**: dos ven el mismo último trabajo y al
#   segundo le salta un `IndexError` que mata al ejecutor. Casi nunca se ve, así que se prueba
#   **forzándola** con un gancho y una barrera.
#
# **Lo siguiente:** en el módulo 04 (`notebooks/04_pool_con_semaforo.ipynb`) arreglamos la carrera de las
# dos formas que proponen los apuntes (evitar el error con un semáforo, o capturarlo), hacemos que un
# trabajo que falla no tumbe a su ejecutor y que los ejecutores sin trabajo duerman de verdad.
