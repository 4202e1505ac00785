# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="35dfc7d5"
# # Módulo 01 — Orientación a objetos
#
# **Al acabar este cuaderno sabrás:**
#
# - definir tus propios tipos de datos con `class`, con su constructor (`__init__`) y sus métodos;
# - proteger los datos de un objeto con `@property` (la forma Python de los *getters* y *setters* de Java);
# - validar lo que entra y dar errores claros que dicen qué valor está mal;
# - hacer que tus objetos se muestren bien (`__repr__`) y se comparen por su contenido (`__eq__`);
# - esquivar la trampa más famosa de Python: la lista por defecto compartida.
#
# La historia del taller: tenemos **200 servidores web que monitorizar**. Antes de vigilarlos hay
# que describirlos. Los apuntes del curso lo dibujan así:
#
# ```
# Servidor:
# - nombre
# - ips
# - servicios:
#     - nombre
#       puertos
#       protocolo
# ```

# %% [markdown] id="e666a9d4"
# ## 1. Un tipo de dato propio
#
# Con un diccionario podemos describir un servidor... pero nada impide escribir mal una clave
# o guardar una IP que no existe:

# %% id="3867e859"
servidor_dict = {"nombre": "web-01.produccion.es", "ips": ["10.0.0.1"], "servicios": []}
servidor_dict["nombres"] = "otro"  # ¡una clave mal escrita y nadie se queja!
servidor_dict


# %% [markdown] id="a9f8859a"
# Una **clase** es un molde para crear objetos de un tipo nuevo. Cada objeto (una *instancia*)
# tiene sus propios datos (*atributos*) y sabe hacer cosas (*métodos*). El método especial
# `__init__` es el **constructor**: se ejecuta al crear el objeto. Su primer parámetro, `self`,
# es el propio objeto que se está creando.

# %% id="60132c45"
class Servicio:
    def __init__(self, nombre, puertos, protocolo="tcp"):
        self.nombre = nombre
        self.puertos = puertos
        self.protocolo = protocolo

    def describir(self):
        return f"{self.nombre}: {self.protocolo}/{self.puertos}"


http = Servicio("http", [80, 443])
dns = Servicio("dns", [53], "udp")
print(http.describir())
print(dns.describir())


# %% [markdown] id="549d2962"
# `http` y `dns` son dos objetos distintos hechos con el mismo molde: cada uno guarda sus datos.
# Cuando escribimos `http.describir()`, Python llama a `Servicio.describir(http)`: por eso el
# método recibe `self`.

# %% [markdown] id="7963a678"
# ## 2. Java y Python, lado a lado
#
# Los apuntes escriben el `Servidor` en Java, con el nombre **privado** y un *getter* y un *setter*:
#
# ```java
# class Servidor {
#     private String nombre;
#     public Array<String> ips;
#
#     public Servidor(String nombre, Array<String> ips) {
#         this.nombre = nombre;
#         this.ips = ips;
#     }
#     public void setNombre(String nuevoNombre) { this.nombre = nuevoNombre; }
#     public String getNombre() { return this.nombre; }
# }
#
# Servidor servidor_web = new Servidor("servidor.produccion.es", ...);
# servidor_web.setNombre("servidor.desarrollo.es");
# ```
#
# En Python la versión directa es más corta: no hay `private` ni `new`, y `this` se llama `self`.

# %% id="19dc9546"
class Servidor:
    def __init__(self, nombre, ips):
        self.nombre = nombre
        self.ips = ips


servidor_web = Servidor("servidor.produccion.es", ["10.0.0.1"])
servidor_web.nombre = "servidor.desarrollo.es"  # lo que en Java era setNombre(...)
servidor_web.nombre


# %% [markdown] id="0c83d509"
# ## 3. Encapsulación: Python no tiene `private`
#
# Los apuntes lo dicen: *en Python no se implementa como en otros lenguajes*. Hay dos convenciones:
#
# | forma | qué significa |
# |---|---|
# | `self._nombre` | «esto es interno, no lo toques desde fuera». Es solo un acuerdo: se puede tocar. |
# | `self.__nombre` | Python le cambia el nombre (*name mangling*) a `_Clase__nombre` para evitar choques con subclases. Tampoco es privado de verdad. |

# %% id="eadc5904"
class Caja:
    def __init__(self):
        self._interno = "se ve"
        self.__escondido = "también se ve"


caja = Caja()
print(caja._interno)
print(caja._Caja__escondido)  # el nombre real tras el name mangling
print([nombre for nombre in vars(caja)])


# %% [markdown] id="7ffe793a"
# ## 4. `@property`: un *getter* y un *setter* que parecen un atributo
#
# El problema del `Servidor` de arriba: `servidor_web.nombre = "esto no es un nombre"` se acepta
# sin más. En Java pondríamos la validación en `setNombre`. En Python usamos `@property`: desde
# fuera se sigue escribiendo `servidor.nombre = ...`, pero por dentro se ejecuta nuestro código.
#
# El truco importante: en `__init__` asignamos **a través de la property** (`self.nombre = nombre`),
# así la validación vive en un solo sitio y no hay forma de saltársela.

# %% id="022ee841"
class Servidor:
    def __init__(self, nombre, ips):
        self.nombre = nombre          # pasa por el setter: se valida
        self._ips = list(ips)

    @property
    def nombre(self):                 # el getter: servidor.nombre
        return self._nombre

    @nombre.setter
    def nombre(self, nuevo):          # el setter: servidor.nombre = ...
        if not isinstance(nuevo, str) or " " in nuevo or not nuevo:
            raise ValueError(f"«{nuevo}» no es un nombre de máquina válido")
        self._nombre = nuevo


servidor_web = Servidor("servidor.produccion.es", ["10.0.0.1"])
servidor_web.nombre = "servidor.desarrollo.es"   # el setNombre de los apuntes
print(servidor_web.nombre)

try:
    servidor_web.nombre = "esto no es un nombre"
except ValueError as error:
    print("Error:", error)
print("El nombre sigue siendo:", servidor_web.nombre)

# %% [markdown] id="b3097e07"
# Fíjate en el mensaje de error: dice **qué valor** está mal. Quien lo lea (tú dentro de tres meses,
# o alguien que lo pegue en un buscador) sabrá qué corregir.
#
# Para validar IPs no hace falta inventar nada: la biblioteca estándar trae `ipaddress`, que entiende
# IPv4 e IPv6 y además las **normaliza** (dos formas de escribir la misma IPv6 dan el mismo texto):

# %% id="a940c224"
import ipaddress

print(ipaddress.ip_address("10.0.0.1"))
print(ipaddress.ip_address("2001:0DB8:0:0:0:0:0:1"))  # se normaliza a 2001:db8::1
try:
    ipaddress.ip_address("999.1.1.1")
except ValueError as error:
    print("Error:", error)

# %% [markdown] id="8f853613"
# Y una sorpresa que conviene conocer antes del ejercicio: en Python `True` **es** un entero.

# %% id="e76468a0"
print(isinstance(True, int), True == 1, True + True)


# %% [markdown] id="e5ec575b"
# Así que si validas un puerto solo con `isinstance(puerto, int)`, `True` pasaría como el puerto 1.
#
# ## 5. `__repr__` y `__eq__`
#
# Sin ayuda, un objeto se muestra como `<__main__.Servidor object at 0x7f...>` y dos objetos con los
# mismos datos **no** son iguales, porque `==` compara la identidad (¿es el mismo objeto?).

# %% id="8463ca67"
class Punto:
    def __init__(self, x, y):
        self.x, self.y = x, y


print(Punto(1, 2))
print(Punto(1, 2) == Punto(1, 2))


# %% id="3467b90a"
class Punto:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Punto({self.x!r}, {self.y!r})"

    def __eq__(self, otro):
        if not isinstance(otro, Punto):
            return NotImplemented     # «no sé compararme con eso»: Python probará otra cosa
        return (self.x, self.y) == (otro.x, otro.y)


print(Punto(1, 2))
print(Punto(1, 2) == Punto(1, 2), Punto(1, 2) == "Punto(1, 2)")


# %% [markdown] id="8f775ee0"
# ## 6. La trampa: una lista por defecto compartida
#
# Los valores por defecto de una función se crean **una sola vez**, cuando se define la función.
# Si el valor es una lista, todas las llamadas comparten la misma lista:

# %% id="7fe33412"
class ServidorConTrampa:
    def __init__(self, nombre, servicios=[]):   # ¡la lista se crea una vez para todos!
        self.nombre = nombre
        self.servicios = servicios


uno = ServidorConTrampa("uno.es")
otro = ServidorConTrampa("otro.es")
uno.servicios.append("ssh")
print("servicios de otro:", otro.servicios)     # ¿¿ssh?? Nunca se lo añadimos a «otro»
print("¿la misma lista?", uno.servicios is otro.servicios)


# %% [markdown] id="96e268ef"
# La solución es usar `None` como valor por defecto y crear la lista dentro. Y ya que estamos,
# **copiar** las listas que nos pasan: si guardamos la lista del que llama tal cual, cuando él la
# cambie, cambiará nuestro objeto sin que nos enteremos (*aliasing*).

# %% id="1897df39"
class ServidorSinTrampa:
    def __init__(self, nombre, ips, servicios=None):
        self.nombre = nombre
        self._ips = list(ips)                      # una copia, no la lista del que llama
        self._servicios = list(servicios or [])    # una lista nueva para cada servidor

    @property
    def ips(self):
        return list(self._ips)                     # y hacia fuera, otra copia


mis_ips = ["10.0.0.1"]
web = ServidorSinTrampa("web.es", mis_ips)
mis_ips.append("10.0.0.99")
web.ips.append("10.0.0.42")
print(web.ips)

# %% [markdown] id="2d19e944"
# ## 7. El ejercicio
#
# Abre `ejercicios/01/servidor.py` y lee `ejercicios/01/README.md` (el enunciado). Vas a completar:
#
# 1. `validar_puerto`, `validar_nombre_de_maquina` y `validar_ip`: las tres piezas de validación;
# 2. la clase `Servicio` (nombre, puertos, protocolo);
# 3. la clase `Servidor` (nombre con `@property`, IPs, servicios, `puertos_por_protocolo`, `__repr__`, `__eq__`).
#
# Cada trozo que te toca escribir está marcado con `# TODO` y lanza `NotImplementedError` hasta
# que lo escribas. Las pruebas van en ese mismo orden: arregla la primera que falle, vuelve a
# ejecutar, y sigue. En un terminal:
#
# ```
# pytest ejercicios/01
# ```
#
# o ejecuta la celda de abajo (lanza las pruebas en un proceso aparte, así siempre ve tu última
# versión del fichero). Si te atascas: `taller pista 01`.

# %% id="bd820cb9"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("01")

# %% [markdown] id="f0b2b8f4"
# ## Resumen
#
# - Una **clase** define un tipo propio; `__init__` lo construye y `self` es el propio objeto.
# - Python no tiene `private`: `_x` es una convención y `__x` solo cambia el nombre.
# - `@property` da *getters* y *setters* con la sintaxis de un atributo; valida en el setter y
#   asigna a través de él también en `__init__`.
# - `__repr__` para verse bien, `__eq__` para compararse por contenido.
# - Nunca una lista como valor por defecto; copia las listas que recibes y las que entregas.
#
# **Lo siguiente:** ya sabemos describir un servidor. En el módulo 02 (`notebooks/02_*.ipynb`)
# hablaremos con ellos de verdad: una petición HTTP a cada uno de los 200 servidores, uno tras
# otro... y mediremos cuánto tarda.
