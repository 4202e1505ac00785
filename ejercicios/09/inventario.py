"""Paso 1 — El inventario: la flota descrita en un fichero TOML, leída a clases.

    [[servidores]]
    nombre = "web-001"
    ips = ["127.0.0.1"]

    [[servidores.servicios]]          # lo que corre en él, como en el módulo 01
    nombre = "web"
    puertos = [8001]
    protocolo = "tcp"

    [[servidores.comprobaciones]]     # qué hay que mirar (al menos una)
    tipo = "http"                     # GET http://IP:PUERTO/RUTA con la regla del módulo 02
    puerto = 8001
    ruta = "/salud"
    timeout = 1.0                     # segundos; si no se dice, TIMEOUT_POR_DEFECTO

    [[servidores.comprobaciones]]
    tipo = "tcp"                      # basta con que el puerto acepte la conexión
    puerto = 8001

    [[servidores.comprobaciones]]
    tipo = "sonda"                    # otro programa, como en el módulo 06: lo dice su código
    orden = ["python3", "sonda.py", "http://127.0.0.1:8001/salud"]   # de salida (0 = bien)
    timeout = 5.0                     # si no acaba a tiempo, se mata: «sin respuesta»

Un inventario mal escrito no es un error del programa: es un dato que hay que corregir. Por
eso `validar` no para en el primer problema: los junta TODOS en un ErrorDeInventario, cada
uno nombrando el servidor, el campo y el valor, para que se arreglen de una vez.
"""

from __future__ import annotations

import ipaddress
import math
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: el mismo módulo, instalado aparte (pip install tomli)
    import tomli as tomllib

PROTOCOLOS = ("tcp", "udp")
TIPOS = ("http", "tcp", "sonda")
TIMEOUT_POR_DEFECTO = 2.0
CAMPOS_SERVIDOR = ("nombre", "ips", "servicios", "comprobaciones")
CAMPOS_SERVICIO = ("nombre", "puertos", "protocolo")
CAMPOS_COMPROBACION = ("tipo", "puerto", "ruta", "timeout", "orden")


@dataclass(frozen=True)
class Servicio:
    """Lo que corre en un servidor (como en el módulo 01): nombre, puertos y protocolo."""

    nombre: str
    puertos: tuple[int, ...]
    protocolo: str


@dataclass(frozen=True)
class Comprobacion:
    """Qué se mira de un servidor: un GET HTTP a una ruta, que un puerto TCP acepte, o lo que
    diga un programa sonda (como en el módulo 06) con su código de salida."""

    tipo: str  # "http", "tcp" o "sonda"
    puerto: int | None  # None en una sonda: el programa sabe a dónde mirar
    ruta: str = "/salud"  # solo para "http"
    timeout: float = TIMEOUT_POR_DEFECTO
    orden: tuple[str, ...] = ()  # solo para "sonda": el programa y cada argumento, por separado

    def describir(self) -> str:
        """«http :8001/salud», «tcp :8001» o «sonda python3 sonda.py URL»: así se llama la
        comprobación en el historial (la orden, con las comillas que le pondría un shell)."""
        if self.tipo == "http":
            return f"http :{self.puerto}{self.ruta}"
        if self.tipo == "sonda":
            return f"sonda {shlex.join(self.orden)}"
        return f"tcp :{self.puerto}"


@dataclass(frozen=True)
class Servidor:
    """Un servidor del inventario (el Servidor de los apuntes) y lo que hay que comprobar."""

    nombre: str
    ips: tuple[str, ...]
    servicios: tuple[Servicio, ...]
    comprobaciones: tuple[Comprobacion, ...]


class ErrorDeInventario(ValueError):
    """Un inventario con problemas; `problemas` los tiene todos, uno por línea del mensaje."""

    def __init__(self, problemas: list[str], origen: str = "el inventario") -> None:
        self.problemas = list(problemas)
        cuantos = len(self.problemas)
        cabecera = f"{origen} tiene {cuantos} problema{'s' if cuantos != 1 else ''}:"
        super().__init__("\n".join([cabecera, *(f"  - {p}" for p in self.problemas)]))


def _es_entero(valor: object) -> bool:
    return isinstance(valor, int) and not isinstance(valor, bool)


def _campos_desconocidos(datos: dict, conocidos: tuple[str, ...], donde: str) -> list[str]:
    return [
        f"{donde}: el campo «{campo}» no existe (los que hay: {', '.join(conocidos)})"
        for campo in datos
        if campo not in conocidos
    ]


def _puertos(valor: object, donde: str) -> list[str]:
    """Los problemas de una lista de puertos (vacía si está bien)."""
    if not isinstance(valor, list) or not valor:
        return [f"{donde}, campo «puertos»: debe ser una lista de puertos, no {valor!r}"]
    return [
        f"{donde}, campo «puertos»: {puerto!r} no es un puerto válido (un entero de 1 a 65535)"
        for puerto in valor
        if not (_es_entero(puerto) and 1 <= puerto <= 65535)
    ]


def _servicio(datos: object, donde: str) -> tuple[Servicio | None, list[str]]:
    if not isinstance(datos, dict):
        return None, [f"{donde}: debe ser una tabla con nombre, puertos y protocolo, no {datos!r}"]
    problemas = _campos_desconocidos(datos, CAMPOS_SERVICIO, donde)
    nombre = datos.get("nombre")
    if not isinstance(nombre, str) or not nombre.strip():
        problemas.append(f"{donde}, campo «nombre»: debe ser un texto no vacío, no {nombre!r}")
    problemas += _puertos(datos.get("puertos"), donde)
    protocolo = datos.get("protocolo")
    if protocolo not in PROTOCOLOS:
        problemas.append(
            f"{donde}, campo «protocolo»: {protocolo!r} no es un protocolo conocido "
            f"({', '.join(PROTOCOLOS)})"
        )
    if problemas:
        return None, problemas
    return Servicio(nombre, tuple(datos["puertos"]), protocolo), []


def _orden(valor: object, donde: str) -> list[str]:
    """Los problemas de la orden de una sonda (vacía si está bien): una lista de textos."""
    if isinstance(valor, str):
        return [
            f"{donde}, campo «orden»: debe ser una lista con el programa y cada argumento por "
            f"separado (como en el módulo 06), no un texto que tendría que partir un shell: "
            f"{valor!r}"
        ]
    if not isinstance(valor, list) or not valor:
        return [
            f"{donde}, campo «orden»: debe ser una lista con el programa y sus argumentos, "
            f"no {valor!r}"
        ]
    problemas = [
        f"{donde}, campo «orden»: el argumento nº {numero} es {argumento!r}, y cada argumento "
        "debe ser un texto"
        for numero, argumento in enumerate(valor)
        if not isinstance(argumento, str)
    ]
    problemas += [
        f"{donde}, campo «orden»: el argumento nº {numero}, {argumento!r}, lleva el carácter "
        "nulo (\\u0000), que no cabe en un argumento"
        for numero, argumento in enumerate(valor)
        if isinstance(argumento, str) and "\0" in argumento
    ]
    if isinstance(valor[0], str) and not valor[0].strip():
        problemas.append(f"{donde}, campo «orden»: falta el programa: el primero es {valor[0]!r}")
    return problemas


def _comprobacion(datos: object, donde: str) -> tuple[Comprobacion | None, list[str]]:
    if not isinstance(datos, dict):
        return None, [f"{donde}: debe ser una tabla con tipo y puerto (u orden), no {datos!r}"]
    problemas = _campos_desconocidos(datos, CAMPOS_COMPROBACION, donde)
    tipo = datos.get("tipo")
    if tipo not in TIPOS:
        problemas.append(
            f"{donde}, campo «tipo»: {tipo!r} no es un tipo de comprobación conocido "
            f"({', '.join(TIPOS)})"
        )
    # Cada tipo tiene sus campos: http y tcp, un puerto; una sonda, su orden. Con un tipo
    # desconocido se mira lo que haya (el tipo ya es un problema).
    de_sonda = tipo == "sonda" or (tipo not in TIPOS and "orden" in datos)
    for campo in ("puerto", "ruta") if de_sonda else ("orden",):
        if campo in datos and tipo in TIPOS:
            problemas.append(
                f"{donde}, campo «{campo}»: {datos[campo]!r} sobra: una comprobación "
                f"{tipo} no lo usa"
                + (" (la sonda sabe a dónde mirar por su orden)" if de_sonda else "")
            )
    puerto = datos.get("puerto")
    if not de_sonda and not (_es_entero(puerto) and 1 <= puerto <= 65535):
        problemas.append(
            f"{donde}, campo «puerto»: {puerto!r} no es un puerto válido (un entero de 1 a 65535)"
        )
    orden = datos.get("orden")
    if de_sonda:
        problemas += _orden(orden, donde)
    ruta = datos.get("ruta", "/salud")
    if (
        not isinstance(ruta, str)
        or not ruta.startswith("/")
        or not ruta.isprintable()
        or " " in ruta
    ):
        problemas.append(
            f"{donde}, campo «ruta»: {ruta!r} no es una ruta válida (empieza por / y sin espacios)"
        )
    timeout = datos.get("timeout", TIMEOUT_POR_DEFECTO)
    if (
        not isinstance(timeout, (int, float))
        or isinstance(timeout, bool)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        problemas.append(
            f"{donde}, campo «timeout»: {timeout!r} no vale: debe ser un número de segundos "
            "mayor que 0"
        )
    if problemas:
        return None, problemas
    if de_sonda:
        return Comprobacion(tipo, None, timeout=float(timeout), orden=tuple(orden)), []
    return Comprobacion(tipo, puerto, ruta, float(timeout)), []


def _servidor(datos: dict, donde: str) -> tuple[Servidor | None, list[str]]:
    problemas = _campos_desconocidos(datos, CAMPOS_SERVIDOR, donde)
    ips = datos.get("ips")
    if not isinstance(ips, list) or not ips:
        problemas.append(
            f"{donde}, campo «ips»: debe ser una lista con al menos una IP, no {ips!r}"
        )
        ips = []
    for ip in ips:
        try:
            if not isinstance(ip, str):  # ip_address(1) es 0.0.0.1: una IP es un texto
                raise ValueError(ip)
            ipaddress.ip_address(ip)
        except ValueError:
            problemas.append(f"{donde}, campo «ips»: {ip!r} no es una IP válida")
    servicios = []
    lista = datos.get("servicios", [])
    if not isinstance(lista, list):
        problemas.append(f"{donde}, campo «servicios»: debe ser una lista, no {lista!r}")
        lista = []
    for numero, servicio in enumerate(lista, 1):
        nombre = servicio.get("nombre") if isinstance(servicio, dict) else None
        etiqueta = f"«{nombre}»" if isinstance(nombre, str) and nombre else f"nº {numero}"
        hecho, suyos = _servicio(servicio, f"{donde}, servicio {etiqueta}")
        servicios.append(hecho)
        problemas += suyos
    comprobaciones = []
    lista = datos.get("comprobaciones")
    if lista is None:
        problemas.append(
            f"{donde}: falta el campo «comprobaciones» (¿qué hay que mirar de este servidor?)"
        )
        lista = []
    elif not isinstance(lista, list) or not lista:
        problemas.append(
            f"{donde}, campo «comprobaciones»: debe ser una lista con al menos una, no {lista!r}"
        )
        lista = []
    for numero, comprobacion in enumerate(lista, 1):
        hecha, suyos = _comprobacion(comprobacion, f"{donde}, comprobación nº {numero}")
        comprobaciones.append(hecha)
        problemas += suyos
    if problemas:
        return None, problemas
    nombre = datos.get("nombre")  # si falta, el problema lo apunta validar
    return Servidor(nombre, tuple(ips), tuple(servicios), tuple(comprobaciones)), []


def validar(datos: object) -> list[Servidor]:
    """Convierte lo leído del TOML en una lista de Servidor, o lanza ErrorDeInventario con
    TODOS los problemas (cada uno nombra el servidor, el campo y el valor)."""
    # TODO: recorre TODOS los [[servidores]] apuntando cada problema (nombre que falta o repetido, ips, servicios, comprobaciones) y lanza ErrorDeInventario(problemas) al final si hay alguno
    raise NotImplementedError("validar: lo que falta lo dice su # TODO")


def leer_texto(texto: str) -> list[Servidor]:
    """El inventario de un texto TOML (un TOML mal escrito también es un ErrorDeInventario)."""
    # TODO: tomllib.loads; su TOMLDecodeError se convierte en un ErrorDeInventario en español; después, validar
    raise NotImplementedError("leer_texto: lo que falta lo dice su # TODO")


def leer(ruta: str | Path) -> list[Servidor]:
    """El inventario del fichero `ruta`; los problemas del mensaje empiezan por su nombre."""
    # TODO: lee el fichero (un OSError o un UnicodeDecodeError son también un ErrorDeInventario) y pasa el texto a leer_texto; en los problemas, el nombre del fichero como origen
    raise NotImplementedError("leer: lo que falta lo dice su # TODO")
