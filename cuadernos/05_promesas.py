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
# # Módulo 05 — Promesas
#
# **Al acabar este cuaderno sabrás:**
#
# - qué es una **promesa** (en inglés, *future*) y por qué `enviar()` debería devolver una;
# - qué le cambia al pool del módulo 04 (el tuyo) para devolverla, y por qué: casi nada;
# - construir una sobre un `threading.Event`: ¿resuelta ya?, el valor (esperando, con *timeout*),
#   el error del trabajo relanzado donde se pide el valor y algo que ejecutar al resolverse;
# - encadenar dos pools con promesas contra piezas de verdad: una base de datos **SQLite** y un
#   servidor de correo **SMTP**, y por qué importa el orden en que se detienen;
# - hacer lo mismo con `concurrent.futures`, la biblioteca estándar: `ThreadPoolExecutor`,
#   `Future`, `as_completed`, `map`... y su trampa al encadenar;
# - comprobar los 200 servidores de 10 en 10 viendo los resultados según llegan.
#
# Así lo resumen los apuntes:
#
# ```
# Trabajo gordo: 10 trabajos pequeños HILOS
#     Cada uno es meter algo en una BBDD
# Cuando termine cada trabajo... lo mando por correo
#     Tengo otro pool:
#
# Promesas<
# A la promesa le puedo preguntar si está resuelta ya. Pido el valor.
# ```

# %% [markdown] id="celda-02"
# ## 1. Lo que le falta al pool del módulo 04
#
# El pool del módulo 04 reparte trabajos entre sus ejecutores, sobrevive a los errores y se
# detiene limpio. Pero fíjate en lo que devuelve `enviar()`: **nada**. Quien envía el trabajo no
# sabe cuándo acaba, qué devolvió ni si falló. Es como dejar un paquete en correos sin pedir
# resguardo.
#
# Sin promesas, la única forma de recoger un resultado es inventarse un sitio compartido donde
# el hilo lo deje, y esperar con `join()` a que el hilo acabe:

# %% id="celda-03"
import threading

resultados = {}  # un sitio compartido donde dejar lo que devuelve cada trabajo


def comprobar_a_mano(nombre):
    resultados[nombre] = f"{nombre}: ok"


hilo = threading.Thread(target=comprobar_a_mano, args=("web-001",))
hilo.start()
hilo.join()  # esperar a que acabe TODO el hilo, no solo a que tengamos el dato
print(resultados["web-001"])

# %% [markdown] id="celda-04"
# Funciona para un hilo, pero no sirve con un pool: los ejecutores no acaban nunca (hacen un
# trabajo tras otro), así que no hay `join()` que esperar; y si el trabajo lanza una excepción,
# se queda en el hilo del ejecutor, lejos de quien la necesita.
#
# Una **promesa** es el resguardo: un objeto que `enviar()` devuelve **al momento**, antes de
# que el trabajo empiece, y que más tarde tendrá el resultado. Con ella:
#
# | quiero... | con la promesa |
# |---|---|
# | saber si ya acabó, sin esperar | `promesa.resuelta()` |
# | el resultado (esperando si hace falta) | `promesa.valor()` |
# | no esperar para siempre | `promesa.valor(timeout=2)` → `TimeoutError` |
# | saber si falló | `promesa.valor()` relanza el error del trabajo aquí |
# | que pase algo cuando acabe | `promesa.al_resolverse(funcion)` |
#
# Y del otro lado, el ejecutor que hizo el trabajo la **resuelve** una sola vez: con el valor
# (`resolver(valor)`) o con el error (`rechazar(error)`). Así se ve en el tiempo:

# %% id="celda-05"
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(10, 2.6))
ax.broken_barh([(0, 10)], (2.6, 0.8), color="#9ecae1")
ax.broken_barh([(1, 5.5)], (0.6, 0.8), color="#fdae6b")
ax.annotate("enviar(trabajo)\n→ promesa", xy=(1, 1.4), xytext=(0.2, 2.0), fontsize=9,
            arrowprops=dict(arrowstyle="->"))
ax.text(2.8, 3.0, "sigue con lo suyo", ha="center", va="center", fontsize=9)
ax.text(3.8, 1.0, "hace el trabajo", ha="center", va="center", fontsize=9)
ax.annotate("resolver(valor)", xy=(6.5, 1.4), xytext=(6.9, 2.05), fontsize=9,
            arrowprops=dict(arrowstyle="->"))
ax.axvspan(5.0, 6.5, ymin=0.62, ymax=0.88, color="#d9d9d9", hatch="//", alpha=0.8)
ax.text(5.75, 3.55, "valor(): espera", ha="center", fontsize=9)
ax.text(8.3, 3.0, "tiene el valor", ha="center", va="center", fontsize=9)
ax.set_yticks([1, 3], ["ejecutor del pool", "hilo principal"])
ax.set_xticks([])
ax.set_xlabel("tiempo →")
ax.set_ylim(0, 4)
ax.set_xlim(0, 10)
ax.set_title("Una promesa: el resultado llega después; quien lo pide solo espera si aún no está")
plt.tight_layout()
plt.show()

# %% [markdown] id="celda-06"
# ## 2. Construir una promesa, pieza a pieza
#
# ### 2.1 La pieza base: `threading.Event`
#
# Un `Event` es una bandera compartida entre hilos, con tres operaciones:
#
# - `evento.set()`: levanta la bandera (y despierta a **todos** los que esperaban);
# - `evento.is_set()`: ¿está levantada? (no espera nunca);
# - `evento.wait(timeout=None)`: duerme hasta que se levante. Devuelve `True`, o `False` si se
#   acabó el `timeout` antes. Mientras duerme, el hilo no gasta CPU.

# %% id="celda-07"
evento = threading.Event()
print("¿levantada?", evento.is_set())
print("wait(0.1) devuelve:", evento.wait(timeout=0.1))  # nadie la levanta: False tras 0,1 s

despertados = []


def dormir_hasta_la_bandera(nombre):
    evento.wait()
    despertados.append(nombre)


hilos = [threading.Thread(target=dormir_hasta_la_bandera, args=(f"hilo{i}",)) for i in (1, 2, 3)]
for h in hilos:
    h.start()
evento.set()  # un solo set() despierta a los tres
for h in hilos:
    h.join()
print("despertados:", sorted(despertados))


# %% [markdown] id="celda-08"
# Un `Semaphore` no sirve para esto: cada `release()` deja pasar a **un** hilo de los que esperan
# en `acquire()`. Si tres hilos esperan el valor de la misma promesa, los tres tienen que
# despertarse: eso es un `Event` (o una `Condition` con `notify_all()`).
#
# ### 2.2 Primera versión: resuelta, valor y resolver

# %% id="celda-09"
class PromesaMinima:
    def __init__(self):
        self._resuelta = threading.Event()
        self._valor = None

    def resuelta(self):
        return self._resuelta.is_set()

    def resolver(self, valor):
        self._valor = valor       # primero el valor...
        self._resuelta.set()      # ...después la bandera: quien despierte ya lo encuentra

    def valor(self):
        self._resuelta.wait()
        return self._valor


promesa = PromesaMinima()
trabajo = threading.Thread(target=lambda: promesa.resolver(sum(range(1_000_000))))
print("¿resuelta recién creada?", promesa.resuelta())
trabajo.start()
print("valor:", promesa.valor())  # espera lo que haga falta, y nada más
print("¿resuelta ahora?", promesa.resuelta())
trabajo.join()


# %% [markdown] id="celda-10"
# Fíjate en dos detalles:
#
# - `resuelta()` pregunta a la bandera, **no** mira si `_valor` es `None`: un trabajo puede
#   devolver `None` de verdad (por ejemplo, `print(...)`), y esa promesa también está resuelta.
# - el orden en `resolver()`: si levantáramos la bandera antes de guardar el valor, un hilo
#   despertado podría leer el `None` de antes.
#
# ### 2.3 Los errores viajan en la promesa
#
# Una excepción en un hilo **no** llega al hilo principal: el hilo muere, Python imprime la traza
# y el programa sigue como si nada. Mira (la traza sale en rojo, pero la celda no falla):

# %% id="celda-11"
def trabajo_que_falla():
    raise ConnectionError("web-042 no responde")


hilo = threading.Thread(target=trabajo_que_falla, name="ejecutor-1")
hilo.start()
hilo.join()
print("El hilo principal sigue tan tranquilo: ¿falló algo? No lo sabe.")


# %% [markdown] id="celda-12"
# Con una promesa, el ejecutor **captura** el error (la opción de los apuntes: *capturar el
# error*) y lo guarda en la promesa con `rechazar(error)`. Cuando alguien pide el valor, la
# promesa **relanza** ese error allí, en quien lo pide, que es quien puede hacer algo con él.
# Y ya que estamos, `valor()` acepta un `timeout`: mejor un `TimeoutError` claro que un programa
# colgado para siempre.

# %% id="celda-13"
class PromesaConErrores(PromesaMinima):
    def __init__(self):
        super().__init__()
        self._error = None

    def rechazar(self, error):
        self._error = error
        self._resuelta.set()

    def valor(self, timeout=None):
        if not self._resuelta.wait(timeout):
            raise TimeoutError(f"La promesa no se resolvió en {timeout} s")
        if self._error is not None:
            raise self._error          # el error del trabajo, relanzado aquí
        return self._valor


def ejecutar(promesa, funcion):
    # Lo que hará cada ejecutor del pool: capturar el error y guardarlo en la promesa.
    try:
        valor = funcion()
    except BaseException as error:
        promesa.rechazar(error)
    else:
        promesa.resolver(valor)


promesa = PromesaConErrores()
hilo = threading.Thread(target=ejecutar, args=(promesa, trabajo_que_falla))
hilo.start()
try:
    promesa.valor(timeout=5)
except ConnectionError as error:
    print("El error llegó a quien pidió el valor:", repr(error))
hilo.join()

try:
    PromesaConErrores().valor(timeout=0.1)
except TimeoutError as error:
    print("Y sin resolver:", error)

# %% [markdown] id="celda-14"
# ¿Por qué `except BaseException` y no `except Exception`? Porque `sys.exit()` lanza
# `SystemExit`, que **no** es una `Exception`. En un hilo, `SystemExit` no para el programa:
# mata al ejecutor en silencio, y su promesa se quedaría pendiente para siempre.
#
# ### 2.4 Algo que ejecutar al resolverse (y una carrera)
#
# `al_resolverse(funcion)` apunta una función (un *callback*) para que se llame con la promesa
# cuando se resuelva. Si ya está resuelta, se llama en el momento. Parece fácil:
#
# ```python
# def al_resolverse(self, funcion):
#     if self.resuelta():
#         funcion(self)
#     else:
#         self._callbacks.append(funcion)
# ```
#
# Pero es la misma carrera del módulo 03, la de `if len(...) > 0: pop(0)`, dibujada como en los apuntes:
#
# ```
# al_resolverse (hilo principal)          resolver (ejecutor)
# if self.resuelta():   -> False
#                                         self._resuelta.set()
#                                         for f in self._callbacks: f(self)   <- lista vacía
# self._callbacks.append(funcion)         <- nadie la llamará nunca
# ```
#
# El arreglo es el de siempre, **evitar** la carrera: un cerrojo (`threading.Lock`, un testigo
# con dueño) que cogen los dos para mirar y cambiar el estado. Y una regla más: los callbacks se
# llaman **con el cerrojo ya soltado**, porque un callback puede querer usar su promesa (pedir el
# valor, añadir otro callback) y se quedaría esperando a un cerrojo que tiene él mismo.

# %% id="celda-15"
import logging
import sys

registro = logging.getLogger("promesa")


class LogEnOrden(logging.StreamHandler):
    """El log va en rojo (stderr), pero antes vacía lo que ya se imprimió con print (stdout).

    En Jupyter cada una llega por su camino: sin esto, el error podría salir ENCIMA de lo que
    pasó antes que él, y la historia se leería al revés.
    """

    def emit(self, entrada):
        sys.stdout.flush()
        super().emit(entrada)
        self.flush()


registro.addHandler(LogEnOrden(sys.stderr))
registro.propagate = False


class Promesa(PromesaConErrores):
    def __init__(self):
        super().__init__()
        self._cerrojo = threading.Lock()
        self._callbacks = []

    def resolver(self, valor):
        self._fijar(valor, None)

    def rechazar(self, error):
        self._fijar(None, error)

    def _fijar(self, valor, error):
        with self._cerrojo:
            self._valor, self._error = valor, error
            self._resuelta.set()
            pendientes, self._callbacks = self._callbacks, []
        for funcion in pendientes:  # ya sin el cerrojo
            self._llamar(funcion)

    def al_resolverse(self, funcion):
        with self._cerrojo:
            if not self._resuelta.is_set():
                self._callbacks.append(funcion)
                return
        self._llamar(funcion)  # ya estaba resuelta: ahora mismo

    def _llamar(self, funcion):
        try:
            funcion(self)
        except Exception:
            # Que un callback roto no rompa a los demás... ni desaparezca sin dejar rastro.
            registro.exception("Falló un callback de %r", self)

    def __repr__(self):  # cómo se ve en el log: sin la dirección de memoria, que cambia cada vez
        return "<Promesa resuelta>" if self.resuelta() else "<Promesa pendiente>"


promesa = Promesa()
promesa.al_resolverse(lambda p: print("callback 1: el valor es", p.valor()))
promesa.al_resolverse(lambda p: 1 / 0)  # un callback roto
promesa.resolver(42)
promesa.al_resolverse(lambda p: print("callback 2, añadido tarde: se llama en el momento"))

# %% [markdown] id="celda-16"
# El `ZeroDivisionError` del callback roto sale en el **log** (en rojo, con su traza), no se
# pierde, y los demás callbacks se llaman igual. Es lo mismo que hace `concurrent.futures`,
# como veremos.
#
# A esta `Promesa` aún le faltan cosas que pedirá el ejercicio: resolverla dos veces debería ser
# un error (quien ya vio el valor no puede verlo cambiar a sus espaldas), `error()` para pedir
# el error sin que se lance, y comprobar que `rechazar()` recibe una excepción.
#
# ### 2.5 El pool del módulo 04, con promesas
#
# El pool no se vuelve a escribir: es **el tuyo del módulo 04**. En `ejercicios/05/pool.py`, el
# `Pool` del 05 **hereda** del que escribiste en `ejercicios/04/pool.py`, así que es la misma
# clase: se crea igual (`Pool("3")` sigue dando `TypeError`), se usa igual (`arrancar()`,
# `detener()`, `with`), reparte igual (el repartidor, la bandeja, los ejecutores que duermen) y
# sigue apuntando en `pool.errores`, y escribiendo en rojo, el error de cada trabajo que falla.
# Lo que escribes en el 05 es solo lo nuevo, dos métodos:
#
# ```python
# from taller.pruebas import del_modulo
#
# pool_del_04 = del_modulo("04", "pool")   # tu ejercicios/04/pool.py
#
#
# @dataclass
# class Trabajo:                           # la función, sus argumentos y su promesa, juntos
#     funcion: ...
#     args: tuple
#     kwargs: dict
#     promesa: Promesa
#
#     def __call__(self):                  # se llama sin argumentos, como un trabajo del 04
#         return self.funcion(*self.args, **self.kwargs)
#
#
# class Pool(pool_del_04.Pool):            # el tuyo del 04, más:
#     def enviar(self, trabajo, *args, **kwargs):
#         ...                              # el TypeError, como en el 04
#         promesa = Promesa()
#         super().enviar(Trabajo(trabajo, args, kwargs, promesa))   # el enviar() del 04
#         return promesa
#
#     def _ejecutar(self, trabajo):        # el 04 lo llama para cada trabajo que saca
#         try:
#             valor = trabajo()
#         except BaseException as error:
#             self._informar(trabajo.funcion, error)   # como en el 04...
#             trabajo.promesa.rechazar(error)          # ...y el error, a la promesa
#         else:
#             trabajo.promesa.resolver(valor)
# ```
#
# Antes, el 05 traía otra copia del pool del 04 ya resuelta, y había dos pools que mantener (y el
# tuyo del 04 no servía para nada aquí). Ahora hay uno: si tu 04 tiene un error, también lo tiene
# el 05, y las pruebas del 05 te lo dicen («termina antes el 04»). Con `pytest --soluciones`, el
# 05 de referencia hereda del 04 de referencia.
#
# Y el porqué de cada cambio:
#
# - **la promesa viaja con el trabajo**: lo que se apunta en la cola ya no es la función sola,
#   sino un `Trabajo` con la función y su promesa. Así el ejecutor que lo saque, sea cual sea,
#   sabe qué promesa resolver; y como un `Trabajo` se puede llamar, el `enviar()` y el
#   repartidor del 04 lo tratan como a cualquier trabajo, sin cambiar ni una línea. Nada de guardar el resultado en el pool (`self.valor`): lo
#   comparten todos los ejecutores, y dos trabajos a la vez se lo pisarían;
# - **argumentos**: `enviar(pow, 2, 10)`, como `submit(pow, 2, 10)` en `concurrent.futures`. Con
#   una función sin argumentos habría que escribir `lambda: pow(2, n)` dentro de un bucle, y esa
#   `lambda` vería la `n` del final del bucle (lo veremos en 3.4);
# - **`BaseException`**: en el 04, un `sys.exit()` en un trabajo mataba a su ejecutor; ahora,
#   además, dejaría su promesa pendiente para siempre (2.3);
# - **el error se sigue informando**, y antes de rechazar la promesa: la promesa le da el error
#   a quien pide el valor, pero si nadie lo pide, el informe del 04 es lo único que queda; y
#   quien ve la promesa rechazada ya lo encuentra en `pool.errores`;
# - **un nombre**: en la sección 3 habrá dos pools a la vez, «bd» y «correo»; el nombre va en
#   sus hilos (`bd-ejecutor1`) y en el `RuntimeError` de un pool detenido (el `__init__` del 05
#   ya lo pone; `enviar` vuelve a lanzar el error del 04 con él).
#
# Aquí, para que quepa en una celda sin depender de tu 04, uno entero más corto que se usa igual
# que el del 04 pero sin repartidor ni bandeja: cada ejecutor saca él mismo el siguiente trabajo
# de la cola. Lo nuevo lleva `# nuevo`; en el ejercicio, lo que no es nuevo lo pone tu 04.
#

# %% id="celda-17"
import functools
from dataclasses import dataclass


@dataclass
class Trabajo:  # nuevo: la función, sus argumentos y su promesa, juntos en la cola
    funcion: object
    args: tuple
    kwargs: dict
    promesa: Promesa


FIN = object()


class Pool:
    def __init__(self, ejecutores=10, nombre="pool"):
        if isinstance(ejecutores, bool) or not isinstance(ejecutores, int):
            raise TypeError(f"El número de ejecutores debe ser un entero, no {ejecutores!r}")
        if ejecutores < 1:
            raise ValueError(f"Un pool necesita al menos 1 ejecutor; me pides {ejecutores}")
        self.nombre = nombre  # nuevo
        self.testigo = threading.Semaphore()
        self.errores = []
        self._detenido = False
        self.trabajos_pendientes = []
        self._apuntados = threading.Semaphore(0)  # cuántos trabajos esperan
        self.ejecutores = [
            threading.Thread(target=self._trabajar, name=f"{nombre}-ejecutor{n}")
            for n in range(1, ejecutores + 1)
        ]

    def arrancar(self):
        for hilo in self.ejecutores:
            hilo.start()
        return self

    def enviar(self, trabajo, *args, **kwargs):
        if not callable(trabajo):
            raise TypeError(f"Un trabajo es una función; {trabajo!r} no se puede llamar")
        promesa = Promesa()  # nuevo
        with self.testigo:
            if self._detenido:
                raise RuntimeError(f"El pool «{self.nombre}» ya está detenido")
            self.trabajos_pendientes.append(Trabajo(trabajo, args, kwargs, promesa))  # nuevo
        self._apuntados.release()
        return promesa  # nuevo

    def detener(self):
        with self.testigo:
            if self._detenido:
                return
            self._detenido = True
            self.trabajos_pendientes += [FIN] * len(self.ejecutores)  # un FIN por ejecutor
        for _ in self.ejecutores:
            self._apuntados.release()
        for hilo in self.ejecutores:
            hilo.join()

    def __enter__(self):
        return self.arrancar()

    def __exit__(self, *excepcion):
        self.detener()

    def _trabajar(self):
        while True:
            self._apuntados.acquire()  # duerme hasta que haya trabajo
            with self.testigo:
                trabajo = self.trabajos_pendientes.pop(0)
            if trabajo is FIN:
                return
            self._ejecutar(trabajo)

    def _ejecutar(self, trabajo):
        try:
            valor = trabajo.funcion(*trabajo.args, **trabajo.kwargs)
        except BaseException as error:  # nuevo: BaseException
            self._informar(trabajo.funcion, error)  # como en el 04...
            trabajo.promesa.rechazar(error)  # nuevo: ...y el error, a la promesa
        else:
            trabajo.promesa.resolver(valor)  # nuevo

    def _informar(self, trabajo, error):  # como en el 04: se apunta y se escribe en rojo
        nombre = getattr(trabajo, "__name__", repr(trabajo))
        with self.testigo:
            self.errores.append((threading.current_thread().name, nombre, error))
        sys.stdout.flush()  # que lo de antes salga antes (ver LogEnOrden)
        print(f"{threading.current_thread().name}: {nombre} falló: {error!r}", file=sys.stderr, flush=True)


with Pool(3, nombre="prueba") as pool:
    promesas = [pool.enviar(pow, 2, n) for n in range(8)]
    print("recién enviadas:", [p.resuelta() for p in promesas])
    print("valores:", [p.valor(timeout=5) for p in promesas])
    fallida = pool.enviar(int, "no es un número")
    try:
        fallida.valor(timeout=5)
    except ValueError as error:
        print("el error vuelve al pedir el valor:", repr(error))
print("y el pool lo apuntó, como en el 04:", pool.errores)
try:
    Pool("3")
except TypeError as error:
    print("y se crea como en el 04:", error)

# %% [markdown] id="celda-18"
# ## 3. El trabajo gordo, con piezas de verdad
#
# El trabajo gordo: guardar en una base de datos el resultado de comprobar los 200 servidores.
# Lo partimos en **10 trabajos pequeños** (lotes de 20 filas) para el pool de la base; cuando
# cada uno acaba, su promesa lanza un trabajo en **otro pool**, el de correo, que manda el
# informe del lote:
#
# ```
# pool_bd (10 ejecutores):   [guardar lote 1] [guardar lote 2] ... [guardar lote 10]
#                                   |  al_resolverse
#                                   v
# pool_correo (2 ejecutores):   [correo lote 1] [correo lote 2] ...
# ```
#
# Primero, las piezas. Todo lo que creemos irá a una carpeta temporal que se borra al final.
#
# ### 3.1 SQLite: una base de datos en un fichero
#
# `sqlite3` viene con Python: una base de datos SQL completa dentro de un fichero, sin servidor.
# Los datos de las comprobaciones (inventados aquí: uno de cada siete servidores falla):

# %% id="celda-19"
import sqlite3
import tempfile
from pathlib import Path

carpeta = tempfile.TemporaryDirectory(prefix="taller-05-")
ruta_bd = Path(carpeta.name) / "monitor.db"

TABLA = '''
CREATE TABLE IF NOT EXISTS comprobaciones (
    lote     INTEGER NOT NULL,
    servidor TEXT    NOT NULL,
    estado   TEXT    NOT NULL CHECK (estado IN ('ok', 'falla'))
)'''

comprobaciones = [(f"web-{i:03d}", "falla" if i % 7 == 0 else "ok") for i in range(1, 201)]
lotes = [(n + 1, comprobaciones[n * 20 : (n + 1) * 20]) for n in range(10)]  # 10 lotes de 20

conexion = sqlite3.connect(ruta_bd)
try:
    with conexion:  # una transacción: commit al salir bien, rollback si algo falla
        conexion.execute(TABLA)
        conexion.execute("INSERT INTO comprobaciones VALUES (0, 'web-000', 'ok')")
    print(conexion.execute("SELECT * FROM comprobaciones").fetchall())
    with conexion:
        conexion.execute("DELETE FROM comprobaciones")
finally:
    conexion.close()  # ¡`with conexion:` no la cierra!
print(comprobaciones[:3], "...", len(lotes), "lotes")

# %% [markdown] id="celda-20"
# Dos cosas de `sqlite3` que sorprenden:
#
# - `with conexion:` **no** cierra la conexión: abre y cierra una **transacción** (hace `commit`
#   si el bloque acaba bien y `rollback` si lanza). Cerrarla es cosa nuestra: `try/finally`.
# - La restricción `CHECK` hace que la base rechace un estado que no sea `'ok'` o `'falla'`:
#   así veremos qué pasa cuando una inserción falla.
#
# ### 3.2 ¿Y si los hilos comparten una conexión?
#
# Abrir una conexión por trabajo parece un desperdicio. ¿Por qué no una para todos? `sqlite3`
# lo impide por defecto:

# %% id="celda-21"
compartida = sqlite3.connect(ruta_bd)  # creada en el hilo principal
errores = []


def usar_la_compartida():
    try:
        compartida.execute("SELECT count(*) FROM comprobaciones")
    except sqlite3.ProgrammingError as error:
        errores.append(error)


hilo = threading.Thread(target=usar_la_compartida)
hilo.start()
hilo.join()
compartida.close()
print(errores[0])

# %% [markdown] id="celda-22"
# Se puede desactivar con `check_same_thread=False`... y entonces aparece el problema de fondo:
# **una conexión es una sola transacción**. Si dos hilos la comparten, el `rollback` de uno
# deshace también el trabajo del otro. Lo forzamos con dos `Event`, sin esperanza ni `sleep`:
# el hilo 1 inserta el lote 1 y, antes de su `commit`, el hilo 2 falla con el lote 2 y hace
# `rollback`.

# %% id="celda-23"
compartida = sqlite3.connect(ruta_bd, check_same_thread=False)
insertado_1, rollback_2 = threading.Event(), threading.Event()


def hilo1():
    compartida.executemany("INSERT INTO comprobaciones VALUES (1, ?, ?)", lotes[0][1])
    insertado_1.set()
    rollback_2.wait()
    compartida.commit()  # «confirmo mis 20 filas»... que ya no están


def hilo2():
    insertado_1.wait()
    try:
        compartida.execute("INSERT INTO comprobaciones VALUES (2, 'web-021', 'roto')")
    except sqlite3.IntegrityError as error:
        print("hilo2 falla:", error, "→ rollback")
        compartida.rollback()  # deshace SU inserción... y las 20 del hilo 1
    rollback_2.set()


hilos = [threading.Thread(target=hilo1), threading.Thread(target=hilo2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print("filas del lote 1 en la base:", compartida.execute("SELECT count(*) FROM comprobaciones").fetchone()[0])
compartida.close()


# %% [markdown] id="celda-24"
# El hilo 1 hizo su `commit` y sus 20 filas no están. Por eso: **una conexión por hilo** (o por
# trabajo), cada una con su transacción. Así es `guardar_lote`: abre, inserta todo el lote en una
# transacción, cierra.

# %% id="celda-25"
def guardar_lote(numero, filas):
    conexion = sqlite3.connect(ruta_bd)  # la suya, en el hilo que hace el trabajo
    try:
        with conexion:
            conexion.executemany(
                "INSERT INTO comprobaciones (lote, servidor, estado) VALUES (?, ?, ?)",
                [(numero, servidor, estado) for servidor, estado in filas],
            )
    finally:
        conexion.close()
    return len(filas)


# %% [markdown] id="celda-26"
# ### 3.3 Un servidor de correo en tu máquina
#
# Para mandar correos hace falta un servidor SMTP. El taller trae uno de verdad
# (`taller.correo`, hecho con `aiosmtpd`) que escucha solo en `127.0.0.1`, en un puerto libre, y
# en lugar de entregar los correos los guarda para que podamos mirarlos. Del lado del cliente,
# la biblioteca estándar: `email.message.EmailMessage` para escribir el correo y `smtplib` para
# mandarlo.

# %% id="celda-27"
import smtplib
from email.message import EmailMessage

from taller.correo import ServidorSMTP

smtp = ServidorSMTP().arrancar()
print("servidor SMTP escuchando en", smtp.direccion)


def mandar_correo(asunto, cuerpo):
    mensaje = EmailMessage()
    mensaje["From"] = "monitor@taller.local"
    mensaje["To"] = "operaciones@taller.local"
    mensaje["Subject"] = asunto
    mensaje.set_content(cuerpo)
    with smtplib.SMTP(*smtp.direccion, timeout=10) as cliente:  # una conexión por correo
        cliente.send_message(mensaje)


mandar_correo("Prueba", "¡Hola desde el taller!")
recibido = smtp.correos[-1]
print(recibido["From"], "→", recibido["To"], "|", recibido["Subject"], "|", recibido.get_content().strip())

# %% [markdown] id="celda-28"
# ### 3.4 Los dos pools, encadenados con promesas
#
# Ya está todo: cada lote es un trabajo de `pool_bd`; su promesa, al resolverse, envía el correo
# a `pool_correo`. Apuntamos cuándo empieza y acaba cada trabajo para dibujarlo después. Un lote
# lleva a propósito un estado que la base rechaza: su error tiene que llegar por correo, no
# perderse.

# %% id="celda-29"
import time

cronologia = []  # (pool, hilo, inicio, fin)
inicio_total = time.perf_counter()


def cronometrado(pool, funcion):
    @functools.wraps(funcion)  # que el envoltorio se llame como la función (en pool.errores)
    def envoltorio(*args):
        inicio = time.perf_counter() - inicio_total
        try:
            return funcion(*args)
        finally:
            fin = time.perf_counter() - inicio_total
            cronologia.append((pool, threading.current_thread().name, inicio, fin))
    return envoltorio


def informe(numero, promesa):
    try:
        guardadas = promesa.valor()  # si el lote falló, su error sale aquí
    except sqlite3.Error as error:
        return f"Lote {numero}: ERROR al guardar", f"{type(error).__name__}: {error}"
    return f"Lote {numero}: {guardadas} comprobaciones guardadas", f"Lote {numero} guardado."


lotes_con_uno_malo = list(lotes)
lotes_con_uno_malo[6] = (7, lotes[6][1][:-1] + [("web-140", "roto")])

pool_bd = Pool(10, nombre="bd").arrancar()
pool_correo = Pool(2, nombre="correo").arrancar()
promesas = []
for numero, filas in lotes_con_uno_malo:
    promesa = pool_bd.enviar(cronometrado("bd", guardar_lote), numero, filas)

    def al_guardar(p, numero=numero):  # numero=numero: ver la nota de abajo
        asunto, cuerpo = informe(numero, p)
        pool_correo.enviar(cronometrado("correo", mandar_correo), asunto, cuerpo)

    promesa.al_resolverse(al_guardar)
    promesas.append(promesa)

pool_bd.detener()      # primero la base: sus callbacks todavía envían correos...
pool_correo.detener()  # ...y después el correo, cuando ya no llegará ninguno más

conexion = sqlite3.connect(ruta_bd)
print("filas en la base:", conexion.execute("SELECT count(*) FROM comprobaciones").fetchone()[0])
conexion.close()
print("correos recibidos (asunto | cuerpo):")
for correo in smtp.correos[1:]:
    print("  ", correo["Subject"], "|", correo.get_content().strip())

# %% [markdown] id="celda-30"
# 180 filas (el lote 7 no se guardó: una transacción es todo o nada) y 10 correos, uno de ellos
# con el error del lote 7 (que el pool, como en el 04, también escribió en rojo y apuntó en
# `pool_bd.errores`). Dos detalles del código:
#
# - `def al_guardar(p, numero=numero)`: una función definida dentro de un bucle ve
#   las variables del bucle **cuando se ejecuta**, no cuando se define. Sin los `=numero`, todos
#   los callbacks, que se ejecutan más tarde, verían el último lote.
# - **El orden de parada.** `al_guardar` se ejecuta en un ejecutor de `pool_bd`, al acabar cada
#   lote, y envía un trabajo a `pool_correo`. Si detuviéramos antes `pool_correo`, los lotes que
#   aún se estuvieran guardando no podrían mandar su correo. `pool_bd.detener()` espera a que
#   acaben todos sus trabajos (y con ellos, sus callbacks): después ya no llegará nada al correo.
#
# Así se repartió el trabajo en el tiempo:

# %% id="celda-31"
fig, ax = plt.subplots(figsize=(10, 4))
nombres = sorted({hilo for _, hilo, _, _ in cronologia}, key=lambda h: (h.split("-")[0], int(h.rsplit("ejecutor", 1)[1])))
colores = {"bd": "#6baed6", "correo": "#fd8d3c"}
for pool_de, hilo, inicio, fin in cronologia:
    ax.broken_barh([(inicio * 1000, max((fin - inicio) * 1000, 0.3))], (nombres.index(hilo) - 0.4, 0.8),
                   color=colores[pool_de])
ax.set_yticks(range(len(nombres)), nombres)
ax.set_xlabel("milisegundos desde el primer envío")
ax.set_title("Azul: guardar un lote (pool_bd, 10 a la vez)   ·   Naranja: su correo (pool_correo)")
plt.tight_layout()
plt.show()

# %% [markdown] id="celda-32"
# Los lotes se guardan a la vez en los 10 ejecutores de la base (SQLite deja escribir a uno cada
# vez, así que se esperan un poco entre ellos); los correos empiezan en cuanto acaba cada lote,
# sin esperar a los demás, y los dos ejecutores de correo se los van repartiendo.
#
# ## 4. Lo mismo con `concurrent.futures`
#
# Todo esto viene hecho en la biblioteca estándar. `concurrent.futures.ThreadPoolExecutor` es un
# pool de hilos, y su `submit()` devuelve un `Future`: una promesa. Las equivalencias:
#
# | nuestro | `concurrent.futures` |
# |---|---|
# | `Pool(10)` | `ThreadPoolExecutor(max_workers=10)` |
# | `pool.enviar(f, x)` | `pool.submit(f, x)` → `Future` |
# | `promesa.resuelta()` | `future.done()` |
# | `promesa.valor(timeout=2)` | `future.result(timeout=2)` (relanza el error del trabajo) |
# | el error, sin lanzarlo | `future.exception()` |
# | `promesa.al_resolverse(f)` | `future.add_done_callback(f)` |
# | `pool.detener()` | `pool.shutdown(wait=True)`, o salir del `with` |

# %% id="celda-33"
from concurrent.futures import ThreadPoolExecutor, as_completed

with ThreadPoolExecutor(max_workers=3) as pool:
    puerta = threading.Event()
    future = pool.submit(lambda: puerta.wait(5) and "hecho")
    print("¿done() recién enviado?", future.done())
    future.add_done_callback(lambda f: print("callback: acabó con", f.result()))
    puerta.set()
    print("result():", future.result(timeout=5))

    fallido = pool.submit(int, "no es un número")
    print("exception():", repr(fallido.exception(timeout=5)))
    try:
        fallido.result()
    except ValueError as error:
        print("result() relanza:", error)


# %% [markdown] id="celda-34"
# Dos formas de recoger muchos resultados:
#
# - `as_completed(futures)` da cada `Future` **según acaba**, en el orden en que llegan;
# - `pool.map(funcion, datos)` da los resultados **en el orden de los datos**, esperando a cada
#   uno (y si uno falló, lanza su error al llegar a él).
#
# Con tres trabajos que tardan distinto se ve la diferencia:

# %% id="celda-35"
def tarda(segundos):
    time.sleep(segundos)
    return f"{segundos} s"


with ThreadPoolExecutor(max_workers=3) as pool:
    futures = [pool.submit(tarda, s) for s in (0.15, 0.05, 0.1)]
    print("as_completed:", [f.result() for f in as_completed(futures)])
    print("map:         ", list(pool.map(tarda, (0.15, 0.05, 0.1))))


# %% [markdown] id="celda-36"
# ### 4.1 La trampa al encadenar
#
# El trabajo gordo con `ThreadPoolExecutor` se escribe igual: cada lote al pool de la base y,
# con `add_done_callback`, su correo al pool de correo. Pero si el pool de correo se cierra
# antes de que acaben los lotes, `submit()` lanza `RuntimeError` **dentro del callback**... y
# `concurrent.futures` solo lo apunta en el log (`exception calling callback for <Future...>`).
# El programa sigue, sin correos y sin error.
#
# Es fácil de provocar sin querer: `with A() as bd, B() as correo:` cierra primero **correo**
# (el último que se abrió). Aquí lo forzamos con una puerta que retiene los lotes hasta que el
# pool de correo ya está cerrado, y recogemos el log para verlo:

# %% id="celda-37"
class Apuntador(logging.Handler):
    def __init__(self):
        super().__init__()
        self.mensajes = []

    def emit(self, registro_del_log):
        self.mensajes.append(f"{registro_del_log.getMessage()} → {registro_del_log.exc_info[1]!r}")


apuntador = Apuntador()
log_futures = logging.getLogger("concurrent.futures")
log_futures.addHandler(apuntador)
log_futures.propagate = False  # solo para esta demostración: que no salga también en rojo

puerta = threading.Event()
antes = len(smtp.correos)
pool_bd = ThreadPoolExecutor(max_workers=10)
pool_correo = ThreadPoolExecutor(max_workers=2)
for numero, filas in lotes[:3]:
    future = pool_bd.submit(lambda: puerta.wait(5) and "guardado")
    future.add_done_callback(
        lambda f, n=numero: pool_correo.submit(mandar_correo, f"Lote {n}", f.result())
    )

pool_correo.shutdown(wait=True)  # MAL: el correo se cierra primero...
puerta.set()                     # ...y los lotes acaban después
pool_bd.shutdown(wait=True)

log_futures.removeHandler(apuntador)
log_futures.propagate = True
print("correos que llegaron:", len(smtp.correos) - antes)
print("lo único que queda, en el log:")
for mensaje in apuntador.mensajes:
    print("  ", mensaje)

# %% [markdown] id="celda-38"
# La forma segura es la de nuestra tubería: cerrar el pool que **envía** (la base) antes que el
# que **recibe** (el correo). Con `with`, el de correo va **fuera**:
#
# ```python
# with ThreadPoolExecutor(2) as pool_correo:        # se cierra el último
#     with ThreadPoolExecutor(10) as pool_bd:       # se cierra primero, esperando a sus lotes
#         for numero, filas in lotes:
#             pool_bd.submit(guardar_lote, numero, filas).add_done_callback(...)
# ```
#
# ## 5. Los 200 servidores, con promesas, según llegan
#
# Volvemos a la historia: comprobar los 200 servidores de la flota de 10 en 10. Con promesas ya
# no hace falta esperar a que acabe todo para ver algo: cada resultado se cuenta en cuanto
# llega, y una barra de progreso lo enseña. La flota (`taller.flota`) son 200 servidores HTTP de
# verdad en `127.0.0.1`, con 50 ms de latencia; algunos, averiados a propósito.

# %% id="celda-39"
import requests

from taller.flota import Flota


def comprobar(url):
    # ¿Contesta? ¿Contesta algo coherente? Devuelve "ok" o el motivo del fallo.
    try:
        respuesta = requests.get(url, timeout=2)
        if respuesta.status_code != 200:
            return f"HTTP {respuesta.status_code}"
        estado = respuesta.json().get("estado")
        return "ok" if estado == "ok" else f"estado {estado!r}"
    except requests.exceptions.JSONDecodeError:
        return "no contesta JSON"
    except requests.RequestException as error:
        return type(error).__name__


def barra(hechos, total, fallan, ancho=40):
    llenos = ancho * hechos // total
    return f"[{'█' * llenos}{'·' * (ancho - llenos)}] {hechos:3d}/{total}  fallan: {fallan}"


averias = {"error_500": 0.03, "error_503": 0.02, "html": 0.02, "estado_no_ok": 0.02, "puerto_cerrado": 0.02}
f = Flota(servidores=200, latencia=0.05, semilla=1, averias=averias).arrancar()  # se detiene al final
print(len(f.urls), "servidores, por ejemplo", f.urls[0])

# %% [markdown] id="celda-40"
# Primero con nuestro `Pool` y nuestra `Promesa`: el callback de cada promesa actualiza la cuenta
# (con un cerrojo: los callbacks se ejecutan en los 10 ejecutores a la vez) y dibuja la barra.
# `\r` vuelve al principio de la línea, así que la barra se redibuja en su sitio.

# %% id="celda-41"
cuenta = {"hechos": 0, "fallan": []}
cerrojo = threading.Lock()


def anotar(promesa, servidor):
    resultado = promesa.valor()
    with cerrojo:
        cuenta["hechos"] += 1
        if resultado != "ok":
            cuenta["fallan"].append((servidor.nombre, resultado))
        if cuenta["hechos"] % 10 == 0:
            print("\r" + barra(cuenta["hechos"], 200, len(cuenta["fallan"])), end="", flush=True)


inicio = time.perf_counter()
with Pool(10, nombre="monitor") as pool:  # arrancar() al entrar, detener() al salir
    for servidor in f.servidores:
        pool.enviar(comprobar, servidor.url).al_resolverse(lambda p, s=servidor: anotar(p, s))
segundos_promesas = time.perf_counter() - inicio
print(f"\n{segundos_promesas:.2f} s con 10 ejecutores (uno a uno serían unos {200 * 0.05:.0f} s)")

# %% [markdown] id="celda-42"
# Y con `ThreadPoolExecutor` y `as_completed`, que entrega los `Future` según acaban en el hilo
# que los recorre: aquí no hace falta cerrojo, porque la cuenta solo la toca este hilo.

# %% id="celda-43"
inicio = time.perf_counter()
fallan = []
with ThreadPoolExecutor(max_workers=10) as pool:
    futures = {pool.submit(comprobar, s.url): s for s in f.servidores}
    for hechos, future in enumerate(as_completed(futures), start=1):
        if future.result() != "ok":
            fallan.append((futures[future].nombre, future.result()))
        if hechos % 10 == 0:
            print("\r" + barra(hechos, 200, len(fallan)), end="", flush=True)
segundos_executor = time.perf_counter() - inicio
print(f"\n{segundos_executor:.2f} s con ThreadPoolExecutor + as_completed")
print("Los que fallan:")
for nombre, motivo in sorted(fallan):
    print(f"  {nombre}: {motivo}")

# %% [markdown] id="celda-44"
# Las dos formas tardan parecido (el benchmark del taller, `make bench`, las mide lado a lado) y
# encuentran los mismos servidores averiados. Recogemos: la flota, el servidor de correo y la
# carpeta temporal con la base de datos.

# %% id="celda-45"
f.detener()
smtp.detener()
carpeta.cleanup()
print("flota detenida, servidor SMTP detenido, carpeta temporal borrada")

# %% [markdown] id="celda-46"
# ## 6. El ejercicio
#
# Abre `ejercicios/05/README.md` (el enunciado). Vas a completar:
#
# 1. `promesa.py`: la `Promesa` entera: `resuelta()`, `valor(timeout)`, `error(timeout)`,
#    `rechazar()`, una sola resolución (`PromesaYaResuelta`) y `al_resolverse()` con callbacks
#    que se llaman exactamente una vez y cuyos errores se registran;
# 2. `pool.py`: un `Pool` que hereda del tuyo del módulo 04 (`ejercicios/04/pool.py`: con
#    `arrancar`, `detener`, `with` y `pool.errores`); tú haces que `enviar()` devuelva la promesa
#    y que `_ejecutar` la resuelva, o la rechace después de informar el error, como en 2.5. Si tu
#    04 aún no pasa sus pruebas, las del 05 te dirán que lo termines antes;
# 3. `tuberia.py`: `guardar_lote` (SQLite, una conexión por llamada), `mandar_correo` (SMTP),
#    la `Tuberia` que encadena los dos pools y se detiene en orden, y `trabajo_gordo`.
#
# Las pruebas usan una base SQLite real y un servidor SMTP real en `127.0.0.1`, como este
# cuaderno. Van en el orden de los pasos: arregla la primera que falle y sigue.
#
# ```
# pytest ejercicios/05
# ```
#
# o ejecuta la celda de abajo. Si te atascas: `taller pista 05`.

# %% id="celda-47"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("05")

# %% [markdown] id="celda-48"
# ## Resumen
#
# - Una **promesa** es el resguardo de un trabajo: `enviar()` la devuelve al momento, y con ella
#   se pregunta si ya está resuelta, se pide el valor (esperando, con `timeout`) y se apunta algo
#   que hacer al resolverse.
# - Se construye sobre un `threading.Event` (despierta a todos los que esperan) y un `Lock` para
#   que mirar y apuntar un callback no compita con resolver; los callbacks, sin el cerrojo cogido.
# - El ejecutor **captura** el error del trabajo (`BaseException`) y lo guarda en la promesa;
#   `valor()` lo relanza en quien lo pide. Un callback que falla se registra en el log.
# - El pool es el del módulo 04: solo cambian `enviar()` (apunta el trabajo **con** su promesa y
#   la devuelve) y `_ejecutar()` (la resuelve, o informa y la rechaza).
# - SQLite: una conexión por hilo, `with conexion:` para la transacción y `close()` aparte.
# - Al encadenar pools, se detiene primero el que **envía** y después el que **recibe**.
# - `concurrent.futures` lo trae hecho: `ThreadPoolExecutor`, `Future` (`done`, `result`,
#   `exception`, `add_done_callback`), `as_completed` y `map`. Su trampa: el error de un callback
#   solo va al log.
#
# **Lo siguiente:** hasta ahora todo el trabajo lo hacían hilos de nuestro propio programa. En el
# módulo 06 (`notebooks/06_*.ipynb`) lanzaremos **otros programas**: procesos, esperándolos (de
# forma síncrona) o no (asíncrona), y juntaremos las dos cosas: un pool de hilos que espera a
# procesos.
