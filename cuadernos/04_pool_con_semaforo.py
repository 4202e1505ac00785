# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="m04-01"
# # Módulo 04 — Pool con semáforo
#
# **Al acabar este cuaderno sabrás:**
#
# - las dos formas de arreglar la carrera del módulo 03 que dan los apuntes: **evitar el error** con un
#   semáforo (el `testigo`) y **capturar el error** con `try/except`;
# - por qué el testigo se coge con `with` (o `try/finally`) y nunca se ejecuta el trabajo con él en la mano;
# - que un trabajo que falla («ejecutor1: TRABAJO1 PUF!») no debe tumbar a su ejecutor: el error se
#   apunta y se informa;
# - cómo es un pool con **su propio hilo repartidor**, y cómo un **semáforo contador** deja dormir a los
#   ejecutores que no tienen trabajo;
# - cuántos ejecutores conviene tener, midiéndolo.
#
# En el módulo 03 el pool tenía dos problemas: la carrera entre `len(...) > 0` y `pop(0)`, y unos
# ejecutores que, sin trabajo, se despertaban 200 veces por segundo para nada. Aquí arreglamos los dos.

# %% [markdown] id="m04-02"
# ## 1. La carrera, otra vez
#
# Un recordatorio, con una función que **saca** el primer trabajo (y lo devuelve, en vez de ejecutarlo:
# enseguida veremos por qué). Dos hilos intentan sacar del mismo `[TRABAJO1]`, y entre comprobar y sacar
# cada uno se entretiene 0,1 s (el `gancho`), como si el sistema le hubiera quitado la CPU justo ahí:

# %% id="m04-03"
import sys
import threading
import time


def TRABAJO1():
    pass


def sin_arreglo(trabajos_pendientes, gancho):
    if len(trabajos_pendientes) > 0:
        gancho()
        return trabajos_pendientes.pop(0)
    return None


def carrera(sacar, gancho):
    # hilo1 e hilo2 sacan a la vez de [TRABAJO1]; devuelve lo que obtuvo cada uno.
    trabajos_pendientes, obtenido = [TRABAJO1], {}

    def hilo():
        nombre = threading.current_thread().name
        try:
            trabajo = sacar(trabajos_pendientes, gancho)
            obtenido[nombre] = trabajo.__name__ if trabajo else "nada (None)"
        except IndexError as error:
            obtenido[nombre] = f"IndexError: {error}"

    hilos = [threading.Thread(target=hilo, name=f"hilo{n}") for n in (1, 2)]
    for un_hilo in hilos:
        un_hilo.start()
    for un_hilo in hilos:
        un_hilo.join()
    return dict(sorted(obtenido.items()))


def entretenerse():
    time.sleep(0.1)


print(carrera(sin_arreglo, entretenerse))

# %% [markdown] id="m04-04"
# Los apuntes proponen **dos opciones**:
#
# ```
# 2 opciones: Evitar el error
#             Capturar el error
# ```
#
# ## 2. Opción 1: evitar el error con un testigo
#
# Como en una carrera de relevos: solo corre quien lleva el **testigo**. Si «comprobar y sacar» solo se
# puede hacer con el testigo en la mano, y solo hay uno, es imposible que dos hilos estén a la vez entre
# la comprobación y el `pop`.
#
# El testigo es un **semáforo** (`threading.Semaphore`): un contador de permisos.
#
# - `acquire()` coge un permiso: si el contador es mayor que 0, lo baja y sigue; si es 0, **espera**
#   (dormido, sin gastar CPU) hasta que alguien devuelva uno;
# - `release()` devuelve un permiso: sube el contador y, si alguien esperaba, lo despierta.
#
# `threading.Semaphore()` empieza con 1 permiso: un único testigo.

# %% id="m04-05"
testigo = threading.Semaphore()
print("acquire():", testigo.acquire())  # True: el testigo es mío
print("acquire(blocking=False):", testigo.acquire(blocking=False))  # False: no queda (sin blocking=False, esperaría para siempre)
testigo.release()  # lo devuelvo
print("acquire(blocking=False):", testigo.acquire(blocking=False))  # True: vuelve a estar libre
testigo.release()

# %% [markdown] id="m04-06"
# El código de los apuntes:
#
# ```python
# testigo = threading.Semaphore()
#
# testigo.acquire()
# # Código
# testigo.release()
# ```
#
# Con «comprobar y sacar» como código:

# %% id="m04-07"
testigo = threading.Semaphore()


def con_testigo_a_mano(trabajos_pendientes, gancho):
    testigo.acquire()
    trabajo = None
    if len(trabajos_pendientes) > 0:
        gancho()
        trabajo = trabajos_pendientes.pop(0)
    testigo.release()
    return trabajo


print(carrera(con_testigo_a_mano, entretenerse))


# %% [markdown] id="m04-08"
# Uno saca `TRABAJO1`; el otro esperó en la puerta y, cuando entró, vio la lista vacía: nada que sacar,
# ningún error.
#
# ## 3. ¿Por qué `with` (o `try/finally`)?
#
# Esa versión a mano tiene una trampa. ¿Qué pasa si algo lanza una excepción entre el `acquire` y el
# `release`?

# %% id="m04-09"
def gancho_que_falla():
    raise RuntimeError("algo falla entre comprobar y sacar")


try:
    con_testigo_a_mano([TRABAJO1], gancho_que_falla)
except RuntimeError as error:
    print("Error:", error)

print("¿Puedo coger el testigo? (espero 0,3 s)", testigo.acquire(timeout=0.3))

# %% [markdown] id="m04-10"
# `False`: el `release()` no llegó a ejecutarse y **nadie devolverá nunca el testigo**. Todos los hilos
# que lleguen después se quedarán esperando en el `acquire()` para siempre, sin ningún mensaje de error:
# el programa, simplemente, se cuelga. (Aquí hemos esperado con `timeout=0.3` para no colgar el cuaderno.)
# Lo mismo pasa con un `return` que sale antes del `release()`.
#
# La solución: `try/finally`, cuyo `finally` se ejecuta siempre (al acabar, con un `return` o con una
# excepción)...

# %% id="m04-11"
testigo = threading.Semaphore()


def con_testigo(trabajos_pendientes, gancho):
    testigo.acquire()
    try:
        if len(trabajos_pendientes) > 0:
            gancho()
            return trabajos_pendientes.pop(0)
        return None
    finally:
        testigo.release()


try:
    con_testigo([TRABAJO1], gancho_que_falla)
except RuntimeError as error:
    print("Error:", error)
print("¿Puedo coger el testigo?", testigo.acquire(timeout=0.3))
testigo.release()


# %% [markdown] id="m04-12"
# ...o, mejor aún, su forma corta: **`with testigo:`** hace `acquire()` al entrar en el bloque y
# `release()` al salir, salga como salga. Es lo que usarás en el ejercicio.
#
# **Y una regla más: saca dentro, ejecuta fuera.** Si el trabajo se ejecutara con el testigo en la mano,
# mientras dure ningún otro ejecutor podría sacar el suyo: el pool entero iría de uno en uno. Por eso
# nuestras funciones *devuelven* el trabajo en lugar de ejecutarlo. Cinco trabajos de 0,1 s con cinco
# hilos:

# %% id="m04-13"
def medir_cinco_hilos(ejecutar_dentro):
    trabajos = [entretenerse] * 5

    def ejecutor():
        with testigo:
            trabajo = trabajos.pop(0)
            if ejecutar_dentro:
                trabajo()
        if not ejecutar_dentro:
            trabajo()

    hilos = [threading.Thread(target=ejecutor) for _ in range(5)]
    inicio = time.perf_counter()
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return time.perf_counter() - inicio


print(f"Ejecutando con el testigo en la mano: {medir_cinco_hilos(True):.2f} s")
print(f"Sacando dentro y ejecutando fuera:    {medir_cinco_hilos(False):.2f} s")

# %% [markdown] id="m04-13a"
# ### ¿Y sin gancho? Todos los órdenes, uno a uno
#
# El `gancho` de 0,1 s pone la carrera a la vista, pero sin él la carrera sigue ahí: solo hace falta que
# el sistema cambie de hilo justo entre `len(...) > 0` y `pop(0)`, y eso pasa una vez entre muchas. Las
# pruebas del taller no esperan a tener suerte. `explorar` (de `taller.planificador`) ejecuta el mismo
# código cientos de veces, cada vez con un **orden** distinto de los hilos: solo corre uno a la vez, y
# puede cambiar de hilo en cada línea del código que le digamos (`ficheros`: aquí, el de estas celdas;
# en las pruebas, tus ficheros del ejercicio). Del primer orden que falla enseña la línea de tiempo.
#
# `describir` hace lo mismo que `explorar`, pero devuelve el informe en vez de hacer fallar una prueba.
# Primero, `sin_arreglo` **sin gancho ni barrera**:
#

# %% id="m04-13b"
from taller.planificador import describir


def sin_gancho():
    pass


def dos_hilos_sacan(sacar):
    # El escenario: la carrera de la sección 1, sin gancho. Falla si a algún hilo le salta el IndexError.
    def escenario():
        global testigo
        testigo = threading.Semaphore()  # uno nuevo en cada orden (y creado dentro: así lo controla)
        obtenido = carrera(sacar, sin_gancho)
        errores = [quien for quien, que in obtenido.items() if que.startswith("IndexError")]
        assert not errores, f"a {errores} le saltó el IndexError: {obtenido}"

    return escenario


celdas = [sin_arreglo.__code__.co_filename, con_testigo.__code__.co_filename]
print(describir(dos_hilos_sacan(sin_arreglo), que="Sin arreglo", planes=100, ficheros=celdas))

# %% [markdown] id="m04-13c"
# Léelo de arriba abajo (lo último, al final): `hilo1` y `hilo2` comprueban `len(trabajos_pendientes) > 0` **los dos** antes
# de que ninguno saque; el primero saca `TRABAJO1` y al segundo el `pop(0)` le encuentra la lista vacía.
# Es la carrera de los apuntes, encontrada sin ayuda. Con el mismo código sale siempre en el mismo
# orden: no depende de la suerte ni de lo cargada que esté la máquina.
#
# Y con el testigo (`con_testigo`, el de `try/finally`):
#

# %% id="m04-13d"
print(describir(dos_hilos_sacan(con_testigo), que="Con testigo", planes=200, ficheros=celdas))

# %% [markdown] id="m04-13e"
# Ningún orden la rompe: con el testigo en la mano, comprobar y sacar es una sola cosa. Así prueban
# tu pool las pruebas de este módulo: cada trabajo una vez, ninguno perdido aunque se envíe a la vez que
# `detener()`... con todos los órdenes que da tiempo a probar.
#

# %% [markdown] id="m04-14"
# ## 4. Opción 2: capturar el error
#
# La otra opción de los apuntes. Una **excepción** es, en sus palabras, algo *impredecible: sé que puede
# ocurrir, pero no sé cuándo*. Sabemos que el `pop(0)` puede encontrarse la lista vacía si otro hilo se
# adelantó; no sabemos cuándo pasará. Así que lo intentamos y, si salta el `IndexError`, lo tratamos como
# «no había trabajo»:

# %% id="m04-15"
vacia = []
try:
    vacia.pop(0)
except IndexError as error:
    print("Capturado:", repr(error), "-> para mí no había trabajo")


# %% [markdown] id="m04-16"
# En el ejercicio escribirás `sacar_capturando`, la versión de «comprobar y sacar» con el `pop(0)` dentro
# de un `try`. Nadie espera en ninguna puerta: el que llega tarde se lleva la excepción, la captura y
# sigue.
#
# ¿Cuál elegir?
#
# | | evitar (testigo) | capturar (`try/except`) |
# |---|---|---|
# | quién espera | todos pasan por la puerta de uno en uno | nadie; el que llega tarde se lleva la excepción |
# | sirve para | cualquier «comprobar y luego actuar» | solo si el error es claro y se puede ignorar |
# | el peligro | un testigo que nunca se devuelve lo cuelga todo | capturar de más y esconder errores de verdad |
#
# En nuestro pool usaremos **las dos**, cada una donde encaja: el testigo para las listas compartidas (la
# carrera es culpa nuestra y la podemos evitar) y la captura para los errores de los trabajos, que no
# controlamos.
#
# ## 5. «ejecutor1: TRABAJO1 PUF!»
#
# Los apuntes lo dibujan así:
#
# ```
# pool ejecutores
#     cola_trabajos_pendientes
#     ejecutores
#         ejecutor1: TRABAJO1 PUF !
# ```
#
# Un trabajo que lanza una excepción, en un ejecutor como el del módulo 03, **mata al ejecutor**: la
# excepción sube hasta el bucle del hilo y lo termina. Los trabajos que vinieran detrás, en ese hilo, ya
# no se ejecutan:

# %% id="m04-17"
def PUF():
    raise RuntimeError("PUF!")


hechos = []


def TRABAJO2():
    hechos.append("TRABAJO2")


def ejecutor_fragil(trabajos):
    while len(trabajos) > 0:
        trabajos.pop(0)()


ejecutor1 = threading.Thread(target=ejecutor_fragil, args=([PUF, TRABAJO2],), name="ejecutor1")
ejecutor1.start()
ejecutor1.join()
print("¿ejecutor1 vivo?", ejecutor1.is_alive(), "| trabajos hechos:", hechos)

# %% [markdown] id="m04-18"
# (El texto rojo es Python informando de la excepción que mató al hilo.) En un pool con 10 ejecutores,
# diez trabajos defectuosos lo dejan sin ninguno... y sin avisar: los trabajos se van quedando en la cola.
#
# El ejecutor tiene que **capturar** los errores de cada trabajo y seguir. Pero sin tragárselos: un error
# que nadie ve es un fallo que nadie arregla. Se **apunta** (para consultarlo después) y se **informa**
# (en la salida de errores, `sys.stderr`):

# %% id="m04-19"
errores = []


def ejecutor_robusto(trabajos):
    nombre = threading.current_thread().name
    while len(trabajos) > 0:
        trabajo = trabajos.pop(0)
        try:
            trabajo()
        except Exception as error:
            errores.append((nombre, trabajo.__name__, error))
            print(f"{nombre}: {trabajo.__name__} falló: {error!r}", file=sys.stderr)


hechos = []
ejecutor1 = threading.Thread(target=ejecutor_robusto, args=([PUF, TRABAJO2],), name="ejecutor1")
ejecutor1.start()
ejecutor1.join()
print("Trabajos hechos:", hechos, "| errores apuntados:", errores)

# %% [markdown] id="m04-20"
# `except Exception` y no un `except:` a secas: así no capturamos `KeyboardInterrupt` (Ctrl+C) ni
# `SystemExit`, que no son errores del trabajo sino órdenes de parar.
#
# ## 6. El repartidor: el pool con su propio hilo
#
# Los apuntes describen cómo se reparte el trabajo:
#
# ```
# HILO PRINCIPAL va poniendo trabajo ->
#         Pool apunta trabajo y tiene su propio hilo que lo reparte (bucle)
#             Pool reparte trabajo (HILO)
# ```
#
# El hilo principal solo **apunta** trabajo (`enviar`) y sigue a lo suyo. El pool tiene su propio hilo,
# el **repartidor**, que en bucle lo va pasando a los ejecutores. En el pool del ejercicio el reparto
# pasa por una **bandeja** con sitio para un trabajo por ejecutor: así, cuando un ejecutor acaba, ya tiene
# el siguiente preparado y no espera al repartidor.
#
# ```
# hilo principal                          el pool
# --------------        -----------------------------------------------------------
# enviar(T1) ──┐
# enviar(T2) ──┼──> trabajos_pendientes ──[repartidor]──> bandeja ──> ejecutor1
# enviar(T3) ──┘                                                  ──> ejecutor2
#                                                                 ──> ...
# ```
#
# Las dos listas se tocan siempre con el testigo en la mano. Falta una pieza: cómo sabe un hilo que hay
# algo que hacer **sin preguntarlo en un bucle**.
#
# ## 7. Dormir en vez de girar: el semáforo contador
#
# Un semáforo no tiene por qué empezar en 1. Si empieza en **0** y hacemos un `release()` por cada cosa
# que dejamos en una lista, su contador dice **cuántas cosas hay**: quien hace `acquire()` duerme
# mientras no haya ninguna y se despierta justo cuando llega una. Sin pausas ni preguntas:

# %% id="m04-21"
buzon = []
cartas = threading.Semaphore(0)  # cuántas cartas hay en el buzón


def cartero():
    for _ in range(3):
        cartas.acquire()  # duerme hasta que haya una carta
        with testigo:
            carta = buzon.pop(0)  # sabemos que hay una: el semáforo la ha contado
        print(f"{time.perf_counter() - inicio:.2f} s  cartero: recibo {carta}")


inicio = time.perf_counter()
hilo = threading.Thread(target=cartero, name="cartero")
hilo.start()
for carta in ("carta 1", "carta 2", "carta 3"):
    time.sleep(0.1)
    with testigo:
        buzon.append(carta)
    cartas.release()  # una carta más
hilo.join()


# %% [markdown] id="m04-22"
# Es exactamente lo que necesitan el repartidor (dormir hasta que haya algo en `trabajos_pendientes`) y
# los ejecutores (dormir hasta que haya algo en la bandeja). Y al revés también sirve: un semáforo que
# empieza en N cuenta los **huecos** libres de la bandeja; el repartidor coge un hueco antes de dejar un
# trabajo (si está llena, duerme) y cada ejecutor devuelve uno al sacar.
#
# ¿Cuánta CPU gasta un hilo que espera 0,2 s de las tres formas? (`time.thread_time()` mide la CPU del
# hilo que la llama, no el tiempo de reloj.)

# %% id="m04-23"
def cpu_esperando(forma, segundos=0.2):
    gastado = []

    def esperar():
        fin = time.perf_counter() + segundos
        if forma == "semáforo":
            threading.Semaphore(0).acquire(timeout=segundos)  # nadie hará release: duerme hasta el timeout
        else:
            while time.perf_counter() < fin:
                if forma == "pausa de 5 ms":
                    time.sleep(0.005)
        gastado.append(time.thread_time())

    hilo = threading.Thread(target=esperar)
    hilo.start()
    hilo.join()
    return gastado[0]


for forma in ("girando sin pausa", "pausa de 5 ms", "semáforo"):
    print(f"{forma:>18}: {cpu_esperando(forma) * 1000:7.2f} ms de CPU en 200 ms de espera")

# %% [markdown] id="m04-24"
# Con el semáforo, prácticamente cero: el hilo está dormido y el sistema no le da CPU hasta que hay algo
# para él. Las pruebas del ejercicio miden así la CPU de tu pool sin trabajo.
#
# Para parar el pool no hace falta ninguna variable que los hilos consulten: basta un **centinela**, un
# «trabajo» especial `FIN` que se apunta detrás de todos los demás. Cuando el repartidor llega a él, deja
# un `FIN` en la bandeja para cada ejecutor, y cada ejecutor que saca un `FIN` termina. Como va al final
# de la cola, todo lo enviado antes se ejecuta. Es lo mismo que hace el `ThreadPoolExecutor` de la
# biblioteca estándar (con `None` como centinela).
#
# ## 8. ¿Cuántos ejecutores?
#
# Con N servidores de latencia L y k ejecutores, lo mejor posible es N × L / k (con k que divida a N).
# ¿Se cumple? Lo medimos con 30 servidores de 20 ms. Para no adelantarte el ejercicio, aquí usamos el pool
# que ya trae Python, `concurrent.futures.ThreadPoolExecutor` (lo veremos a fondo en el módulo 05):

# %% id="m04-25"
import math
from concurrent.futures import ThreadPoolExecutor

import matplotlib.pyplot as plt
import requests

from taller.flota import Flota
from taller.graficas import barrido_de_ejecutores


def comprobar(url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def segundos_de_una_ronda(urls, k):
    inicio = time.perf_counter()
    with ThreadPoolExecutor(k) as pool:
        list(pool.map(comprobar, urls))
    return time.perf_counter() - inicio


SERVIDORES, LATENCIA, INTENTOS = 20, 0.02, 3
ejecutores = [1, 2, 5, 10, 20]
with Flota(servidores=SERVIDORES, latencia=LATENCIA) as flota:
    # El mejor de 3 intentos: si otro programa ocupa la CPU justo en uno, ese sale lento
    # por su culpa y no por la del pool. El mínimo es lo que el pool puede hacer.
    medido = [min(segundos_de_una_ronda(flota.urls, k) for _ in range(INTENTOS)) for k in ejecutores]
ideal = [math.ceil(SERVIDORES / k) * LATENCIA for k in ejecutores]

# La figura (los dos ejes en escala logarítmica) la dibuja taller.graficas, la misma que el
# benchmark del taller.
barrido_de_ejecutores(
    ejecutores,
    medido,
    ideal,
    etiqueta=f"medido (ThreadPoolExecutor, el mejor de {INTENTOS})",
    servidores=SERVIDORES,
    latencia=LATENCIA,
)
plt.show()

# %% [markdown] id="m04-26"
# Cada punto es el mejor de tres intentos: en una máquina compartida, un intento suelto puede salir
# lento porque otro programa ocupó la CPU justo entonces, y el dibujo contaría algo que el pool no
# hace. Con pocos ejecutores, la curva medida va pegada a la ideal: cada ejecutor más divide el tiempo. Con
# muchos se separa: ya no manda la espera de la red sino la **CPU** del propio cliente (cada petición
# con `requests` cuesta unos milisegundos, y los hilos de Python no ejecutan código Python a la vez).
# Por eso más ejecutores no siempre es mejor: a partir de cierto punto solo añaden ráfaga.
#
# El mismo barrido, con la flota completa (200 servidores, 50 ms) y el pool de la solución de este módulo,
# lo hace el benchmark del taller (`make bench`, en `bench/filas_03_04.py`), que además lo compara con
# `ThreadPoolExecutor`:
#
# ![Tiempo frente a número de ejecutores: pool del módulo 04 contra la curva ideal](img/barrido_ejecutores.png)
#
# ## 9. El ejercicio
#
# Abre `ejercicios/04/README.md` (el enunciado) y completa los `# TODO` de dos ficheros:
#
# 1. `arreglos.py`: `sacar_con_testigo` (evitar el error, con `with testigo:`) y `sacar_capturando`
#    (capturar el error). Los dos sacan y **devuelven** el primer trabajo, o `None`.
# 2. `pool.py`, la clase `Pool` (el constructor ya está escrito: lee sus comentarios, explican cada
#    semáforo):
#    - `enviar` apunta con el testigo y avisa al repartidor;
#    - `detener`, con el centinela `FIN` y los `join`;
#    - `_repartir`, el bucle del hilo repartidor, y `_poner_en_la_bandeja`;
#    - `_trabajar`, el bucle de cada ejecutor, `_sacar_de_la_bandeja` y `_ejecutar` (que captura, apunta
#      e informa los errores de los trabajos).
#
# Las pruebas van en ese orden (desde `detener`, necesitan el pool entero). En un terminal,
# `pytest ejercicios/04`, o ejecuta la celda de abajo. Si te atascas: `taller pista 04`.

# %% id="m04-27"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("04")

# %% [markdown] id="m04-28"
# ## Resumen
#
# - La carrera de «comprobar y sacar» se arregla de dos formas: **evitándola** (un `threading.Semaphore`
#   como testigo: solo quien lo tiene comprueba y saca) o **capturándola** (`try/except IndexError`).
# - El testigo se coge con **`with testigo:`** (o `try/finally`): un testigo que no se devuelve cuelga el
#   programa en silencio. Y se **saca dentro y se ejecuta fuera**, o el pool va de uno en uno.
# - Un trabajo que lanza no debe matar a su ejecutor: `except Exception`, y el error se **apunta y se
#   informa**, nunca se traga.
# - El pool tiene su propio **hilo repartidor**: el hilo principal solo apunta trabajo.
# - Un **semáforo contador** deja dormir a quien espera (0 CPU) hasta que hay algo para él; con N permisos,
#   cuenta huecos libres. Un **centinela** (`FIN`) al final de la cola para el pool sin perder trabajo.
# - Más ejecutores no siempre es mejor: a partir de un punto manda la CPU, no la red.
#
# **Lo siguiente:** nuestro pool ejecuta trabajos, pero ¿cómo sabe quien los envió qué devolvieron?
# En el módulo 05 (`notebooks/05_*.ipynb`), `enviar()` devolverá una **promesa**: se le puede preguntar
# si ya está resuelta y pedirle el valor.
