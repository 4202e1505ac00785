# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="f1dc4086"
# # Módulo 02 — Monitorización 1 a 1
#
# **Al acabar este cuaderno sabrás:**
#
# - qué es una petición HTTP y qué trae su respuesta (en un párrafo, y viéndola en crudo);
# - hacer una petición con `requests.get` **con timeout**, y leer su código de estado;
# - decidir si un servidor «contesta algo coherente», que no es lo mismo que «contesta 200»;
# - qué excepciones lanza `requests` cuando un servidor no contesta, y en qué orden atraparlas;
# - cuánto se tarda en vigilar 200 servidores uno a uno, y por qué eso no basta.
#
# En el módulo 01 describimos los servidores. Ahora toca hablar con ellos. Los apuntes:
#
# ```
# 200 servidores web que monitorizar:
# - Petición http
# - Si contesta, mirar que conteste algo coherente
# ```
#
# No vamos a salir a Internet: el taller trae una **flota** de servidores web de verdad que
# viven en tu máquina (en `127.0.0.1`, cada uno en su puerto). Cada uno contesta en `/salud`
# con un JSON que dice quién es y cómo está. Y algunos, a propósito, están averiados.

# %% id="6488e208"
from taller.flota import Flota

# 10 servidores: uno sano y uno con cada avería posible (la misma semilla da siempre la misma flota).
averias = {
    "lento": 0.1, "colgado": 0.1, "error_500": 0.1, "error_503": 0.1, "html": 0.1,
    "otro_nombre": 0.1, "estado_no_ok": 0.1, "json_roto": 0.1, "puerto_cerrado": 0.1,
}
mini = Flota(servidores=10, latencia=0.05, semilla=3, averias=averias, latencia_lenta=1.0)
mini.arrancar()

for servidor in mini.servidores:
    print(f"{servidor.nombre}  {servidor.url:32}  {servidor.averia or 'sano'}")


# %% id="1326f18c"
def con_averia(averia):
    # El primer servidor de la mini flota con esa avería (None: el sano).
    return mini.con_averia(averia)[0]


sano = con_averia(None)
sano.nombre, sano.url

# %% [markdown] id="d58a39dd"
# ## 1. HTTP en un párrafo
#
# HTTP es una conversación **de texto** sobre una conexión TCP. El cliente se conecta a una
# máquina y un puerto (`127.0.0.1:40123`) y escribe una **petición**: un método (`GET`: «dame»),
# una ruta (`/salud`) y unas cabeceras, cada cosa en su línea y una línea vacía al final. El
# servidor contesta con una **respuesta**: una línea de estado con un **código** de tres cifras
# (`200 OK`, `404 Not Found`, `503 Service Unavailable`), sus cabeceras (qué tipo de contenido
# manda, cuánto ocupa), una línea vacía y el **cuerpo**: una página HTML, un JSON, lo que sea.
# Nada más. Para verlo, hablemos HTTP a mano con un `socket`:

# %% id="74f1dbc2"
import socket
from urllib.parse import urlsplit

partes = urlsplit(sano.url)  # http://127.0.0.1:PUERTO/salud → máquina, puerto, ruta
with socket.create_connection((partes.hostname, partes.port), timeout=2) as conexion:
    conexion.sendall(b"GET /salud HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    crudo = b""
    while trozo := conexion.recv(4096):  # el servidor cierra al terminar: recv devuelve b""
        crudo += trozo

print(crudo.decode())

# %% [markdown] id="a734be5c"
# La primera línea es el estado (`HTTP/1.1 200 OK`), luego las cabeceras y, tras la línea en
# blanco, el cuerpo: `{"servidor": "...", "estado": "ok"}`.
#
# ## 2. `requests.get`, siempre con timeout
#
# Escribir HTTP a mano es incómodo. La biblioteca `requests` lo hace por nosotros y nos da un
# objeto `Response` con todo ya separado:

# %% id="524e0219"
import requests

respuesta = requests.get(sano.url, timeout=2)

print("código:   ", respuesta.status_code, respuesta.reason)
print("tipo:     ", respuesta.headers["Content-Type"])
print("texto:    ", respuesta.text)
print("como JSON:", respuesta.json())

# %% [markdown] id="95a17ca0"
# Fíjate en `timeout=2`. **Sin timeout, `requests` espera para siempre**: si un servidor acepta
# la conexión y nunca contesta (y pasa: un proceso bloqueado, una máquina sin memoria), tu
# monitor se queda colgado con él, y ya no vigila nada. Un monitor sin timeout es un monitor
# que se puede colgar. Dos detalles:
#
# - el timeout es en segundos, y se aplica **a cada espera** (a conectar, y a cada vez que se
#   espera a que lleguen datos), no al total de la petición;
# - `timeout=None` es lo mismo que no ponerlo: esperar lo que haga falta.
#
# ## 3. Códigos de estado
#
# | familia | significa | ejemplos |
# |---|---|---|
# | 2xx | bien | `200 OK` |
# | 3xx | está en otro sitio (redirección) | `301 Moved Permanently` |
# | 4xx | el cliente pidió algo mal | `404 Not Found`, `403 Forbidden` |
# | 5xx | el servidor falló | `500 Internal Server Error`, `503 Service Unavailable` |
#
# Un `503` quiere decir «estoy, pero no puedo atenderte»: contesta, pero no está sano.

# %% id="741ba1db"
for averia in ("error_500", "error_503"):
    r = requests.get(con_averia(averia).url, timeout=2)
    print(f"{averia:10} → {r.status_code} {r.reason:22} cuerpo: {r.text!r}")

# Una ruta que no existe en un servidor sano:
r = requests.get(sano.url.replace("/salud", "/no-existe"), timeout=2)
print(f"{'/no-existe':10} → {r.status_code} {r.reason}")

# %% [markdown] id="393bf831"
# ## 4. ¿Contesta algo **coherente**?
#
# Un `200` no basta. Mira lo que contestan otros cuatro servidores de la mini flota:

# %% id="b912875d"
for averia in (None, "html", "otro_nombre", "estado_no_ok", "json_roto"):
    servidor = con_averia(averia)
    r = requests.get(servidor.url, timeout=2)
    print(f"{servidor.nombre} ({averia or 'sano'}) → {r.status_code}  {r.text.strip()[:60]!r}")

# %% [markdown] id="e1722031"
# Todos dicen `200`, pero solo uno está bien:
#
# - `html`: una página de error en HTML (el típico proxy que contesta por el servidor caído);
# - `otro_nombre`: un JSON perfecto... de **otro** servidor (una IP o un puerto mal apuntados);
# - `estado_no_ok`: es él, pero dice que está `"degradado"`;
# - `json_roto`: un JSON cortado a la mitad.
#
# Así que, para este taller, un servidor está sano si contesta algo **coherente**:
#
# 1. el código es **200**;
# 2. el cuerpo es un **objeto JSON** (un `{...}`, no una lista ni un texto);
# 3. su `"servidor"` es **su propio nombre**;
# 4. su `"estado"` es exactamente `"ok"`.
#
# Ojo con el paso 2: `respuesta.json()` **lanza una excepción** si el cuerpo no es JSON.

# %% id="12f93c0b"
r = requests.get(con_averia("html").url, timeout=2)
try:
    r.json()
except ValueError as error:  # requests.JSONDecodeError es un ValueError (y json.JSONDecodeError también)
    print(type(error).__name__, "→", error)

# %% [markdown] id="75a55b49"
# `respuesta.json()` no es más que `json.loads(respuesta.text)`, y `json.loads` lanza
# `json.JSONDecodeError`, que también es un `ValueError`. Y un JSON válido puede no ser un
# objeto: `json.loads("[1, 2]")` es una lista, y una lista no tiene `.get(...)`.

# %% id="c1019d86"
import json

for texto in ('{"servidor": "web-001", "estado": "ok"}', "[1, 2]", '"ok"', "<html>"):
    try:
        datos = json.loads(texto)
        print(f"{texto!r:45} → {type(datos).__name__}: {datos!r}")
    except ValueError as error:
        print(f"{texto!r:45} → no es JSON ({type(error).__name__})")

# %% [markdown] id="d4dd5a21"
# ## 5. Cuando no contesta: las excepciones de `requests`
#
# Hasta ahora todos contestaban algo. Quedan tres servidores que no:

# %% id="dc58480e"
import time

for averia, timeout in (("puerto_cerrado", 2), ("colgado", 0.5), ("lento", 0.3)):
    inicio = time.perf_counter()
    try:
        requests.get(con_averia(averia).url, timeout=timeout)
        print(f"{averia:15} contestó")
    except requests.RequestException as error:
        segundos = time.perf_counter() - inicio
        print(f"{averia:15} timeout={timeout:<4} → {type(error).__name__} tras {segundos:.2f} s")

# %% [markdown] id="00073cbf"
# - `puerto_cerrado`: nadie escucha en ese puerto y el sistema **rechaza la conexión** al
#   instante → `requests.ConnectionError`.
# - `colgado`: acepta la conexión y no contesta nunca; a los 0,5 s se rinde → `requests.ReadTimeout`.
# - `lento`: contestaría, pero tarda 1 s más de lo normal; con un timeout de 0,3 s, para
#   nosotros es como si no contestara → `requests.ReadTimeout`.
#
# Todas heredan de `requests.RequestException`. El árbol que nos importa:
#
# ```
# requests.RequestException
# ├── requests.ConnectionError        no se pudo conectar (puerto cerrado, máquina que no existe...)
# │   └── requests.ConnectTimeout     ┐ no contestó a tiempo al CONECTAR:
# ├── requests.Timeout                ┘ ¡es a la vez ConnectionError y Timeout!
# │   └── requests.ReadTimeout          conectó, pero no llegó la respuesta a tiempo
# └── ... (JSONDecodeError, TooManyRedirects, ChunkedEncodingError...)
# ```
#
# `ConnectTimeout` (una máquina apagada, o un cortafuegos que tira los paquetes: nadie dice
# que no, simplemente no contesta nadie) tiene **dos padres**:

# %% id="d9edfcbc"
print(issubclass(requests.ConnectTimeout, requests.Timeout))
print(issubclass(requests.ConnectTimeout, requests.ConnectionError))
print([clase.__name__ for clase in requests.ConnectTimeout.__mro__])


# %% [markdown] id="3074295a"
# Y eso importa por cómo funciona `try/except`: Python prueba los `except` **en orden** y usa
# el primero que encaja. Si `except requests.ConnectionError` va antes que
# `except requests.Timeout`, un `ConnectTimeout` cae en el primero: dirías «conexión rechazada»
# de una máquina que simplemente no contestó. Lo comprobamos sin red, lanzando la excepción
# nosotros:

# %% id="298a8101"
def clasifica_mal():
    try:
        raise requests.ConnectTimeout("nadie contesta")
    except requests.ConnectionError:
        return "conexión rechazada"
    except requests.Timeout:
        return "sin respuesta"


def clasifica_bien():
    try:
        raise requests.ConnectTimeout("nadie contesta")
    except requests.Timeout:  # el más concreto primero
        return "sin respuesta"
    except requests.ConnectionError:
        return "conexión rechazada"


print("mal: ", clasifica_mal())
print("bien:", clasifica_bien())

# %% [markdown] id="dd966170"
# Una última idea, la más importante del módulo: **un fallo del servidor no es un error de tu
# programa**. Es justo lo que el monitor quiere averiguar. Así que la comprobación de un
# servidor no debe lanzar una excepción cuando el servidor falla: debe **devolver** qué ha
# pasado. En el ejercicio lo resumirás en cinco motivos: `ok`, `sin respuesta`,
# `conexión rechazada`, `error HTTP` y `respuesta incoherente`.
#
# Y un `except Exception:` que lo atrapa todo tampoco es la solución: mezcla «el servidor no
# contesta» con «me he equivocado al escribir el código», y esconde lo segundo.

# %% id="ba0c82bd"
mini.detener()

# %% [markdown] id="43481158"
# ## 6. Los 200 servidores, uno a uno
#
# Ahora, la historia de los apuntes: 200 servidores. Arrancamos una flota de 200 servidores
# sanos y los comprobamos **uno tras otro**, con una barra de progreso.
#
# En los apuntes cada servidor tarda unos 50 ms en contestar; aquí usamos **20 ms** para que el
# cuaderno no tarde demasiado (con 50 ms serían 10 s en lugar de 4). Para esta medida basta con
# una comprobación sencilla (¿contesta 200?); la completa es tu ejercicio.

# %% id="0ec61b15"
N, LATENCIA = 200, 0.02

flota200 = Flota(servidores=N, latencia=LATENCIA)
flota200.arrancar()
requests.get(flota200.urls[0], timeout=2)  # calentamiento: la primera petición siempre cuesta más


def contesta_200(url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def barra(hechos, total, ancho=40):
    llenos = ancho * hechos // total
    return f"[{'#' * llenos}{'.' * (ancho - llenos)}] {hechos}/{total}"


inicio = time.perf_counter()
acumulado = []  # segundos transcurridos tras cada servidor: para el dibujo de después
sanos = 0
for i, url in enumerate(flota200.urls, start=1):
    sanos += contesta_200(url)
    acumulado.append(time.perf_counter() - inicio)
    print("\r" + barra(i, N), end="", flush=True)
print()

medido = acumulado[-1]
ideal = N * LATENCIA
print(f"{sanos} de {N} servidores contestan 200")
print(f"medido: {medido:.2f} s   ideal, N x latencia: {N} x {LATENCIA} s = {ideal:.2f} s   "
      f"cociente: {medido / ideal:.2f}")

# %% [markdown] id="4ae5c095"
# Uno a uno, los tiempos **se suman**: el total no puede bajar de N x latencia. Lo que pasa de
# ahí es lo que cuesta nuestro propio lado: `requests` gasta unos pocos milisegundos de CPU en
# cada petición (preparar la conexión, leer cabeceras, decodificar). Dibujado, el tiempo
# acumulado tras cada servidor es una línea recta: cada servidor más, una latencia más.

# %% id="0e05ad2b"
import matplotlib.pyplot as plt

servidores = range(1, N + 1)
fig, eje = plt.subplots(figsize=(7, 4))
eje.plot(servidores, acumulado, label="medido, uno a uno")
eje.plot(servidores, [n * LATENCIA for n in servidores], "--", label="ideal: n x latencia")
eje.set_xlabel("servidores comprobados")
eje.set_ylabel("segundos")
eje.set_title(f"Uno a uno, el tiempo crece con N (latencia {LATENCIA * 1000:.0f} ms)")
eje.legend()
eje.grid(alpha=0.3)
plt.show()

# %% [markdown] id="b56eb149"
# Haz la cuenta con servidores de verdad. Si cada uno tarda 200 ms (una red lejana) y diez de
# ellos están colgados con un timeout de 2 s:

# %% id="20a61db6"
lejanos = 200 * 0.2
colgados = 10 * 2
print(f"200 x 0,2 s = {lejanos:.0f} s, más 10 colgados x 2 s = {colgados} s: {lejanos + colgados:.0f} s por vuelta")

# %% id="64f0bb67"
flota200.detener()

# %% [markdown] id="ccb6d0e8"
# ## 7. ¿Entonces?
#
# Un minuto por vuelta para saber si algo se ha caído. Y casi todo ese tiempo nuestro programa
# no hace **nada**: espera a que conteste el servidor de turno. Los apuntes se hacen la pregunta:
#
# ```
# Cómo nos enfrentamos a esto?
# Lanzamos peticiones 1 a 1?                  Poco optimo
# Lanzamos las 200 peticiones a la vez?       Saturamos la maquina/red
# ```
#
# - **Uno a uno** es sencillo y ordenado, pero lento: el tiempo es la **suma** de todos.
# - **Las 200 a la vez** tardaría lo que el más lento... si la máquina aguantara: 200 conexiones
#   abiertas, 200 hilos con su memoria, una ráfaga de 200 peticiones por la red a la vez, y la
#   CPU repartida entre todos (cada petición de `requests` cuesta unos milisegundos de CPU).
#   Y lo que vale para 200 no vale para 2.000.
#
# La respuesta de los apuntes: *«Quizás... a mí me interesa lanzar peticiones de 10 en 10»*.
# Con 10 a la vez, idealmente, una vuelta tarda una décima parte, y la máquina solo tiene 10
# peticiones en marcha. Para eso hace falta una **cola de trabajos** y un **pool de hilos**:
# es el módulo 03.
#
# ## 8. El ejercicio
#
# Abre `ejercicios/02/monitor.py` y lee `ejercicios/02/README.md` (el enunciado). Vas a completar:
#
# 1. `validar_url` y `validar_timeout`: la entrada mala, fuera, con un error que diga qué valor está mal;
# 2. `es_coherente(cuerpo, nombre)`: las cuatro condiciones de la sección 4, sin lanzar nunca;
# 3. `comprobar(url, timeout, nombre)`: una petición y un `Resultado` con uno de los cinco motivos;
# 4. `comprobar_todos(urls, timeout, nombres)`: todas, una a una, en el orden de entrada.
#
# Las pruebas van en ese orden; las últimas usan una flota como la de este cuaderno, con un
# servidor de cada avería. En un terminal:
#
# ```
# pytest ejercicios/02
# ```
#
# o ejecuta la celda de abajo. Si te atascas: `taller pista 02`.

# %% id="b60b97fb"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("02")

# %% [markdown] id="0b8d5014"
# ## Resumen
#
# - HTTP es texto: una petición (método, ruta, cabeceras) y una respuesta (código, cabeceras, cuerpo).
# - `requests.get(url, timeout=...)`, **siempre con timeout**: sin él, un servidor colgado te cuelga.
# - Un servidor sano contesta **200** con un **objeto JSON** coherente: su propio nombre y `"estado": "ok"`.
#   `respuesta.json()` lanza `ValueError` si el cuerpo no es JSON.
# - Las excepciones de `requests` heredan de `RequestException`; `ConnectTimeout` es a la vez
#   `Timeout` y `ConnectionError`: atrapa `Timeout` primero.
# - Un fallo del servidor es un **resultado**, no una excepción de tu programa.
# - Uno a uno, el tiempo es la suma: nunca menos de N x latencia.
#
# **Lo siguiente:** ni uno a uno ni los 200 a la vez: de 10 en 10. En el módulo 03
# (`notebooks/03_*.ipynb`) construirás una cola de trabajos y un pool de hilos que la vacía.
