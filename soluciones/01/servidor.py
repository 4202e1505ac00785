"""Módulo 01 — Orientación a objetos: el inventario de servidores.

Dos clases, como en los apuntes:

    Servidor:
    - nombre
    - ips
    - servicios:
        - nombre, puertos, protocolo

Cada valor se valida al entrar (en el constructor y, en Servidor, en el setter del nombre) y los errores dicen,
en español, qué valor es el que está mal.
"""

from __future__ import annotations

import ipaddress
import re

PROTOCOLOS = ("tcp", "udp")
PUERTO_MINIMO, PUERTO_MAXIMO = 1, 65535
# Una etiqueta de un nombre de máquina: letras, dígitos y guiones, sin guion en los extremos.
# Úsala con fullmatch, que exige que case la etiqueta entera. (Con match y un `$` al final, "es\n"
# pasaría: `$` casa también justo antes de un salto de línea final.)
ETIQUETA = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def validar_puerto(puerto: object) -> int:
    """Devuelve el puerto si es un entero entre 1 y 65535; si no, lanza un error claro."""
    # >>> SOLUCION: rechaza lo que no sea int (¡ojo, True es un int!) y lo que esté fuera de 1..65535
    if isinstance(puerto, bool) or not isinstance(puerto, int):
        raise TypeError(f"El puerto debe ser un número entero, no {puerto!r}")
    if not PUERTO_MINIMO <= puerto <= PUERTO_MAXIMO:
        raise ValueError(
            f"El puerto {puerto} está fuera de rango: debe estar entre "
            f"{PUERTO_MINIMO} y {PUERTO_MAXIMO}"
        )
    return puerto
    # <<< SOLUCION


def validar_nombre_de_maquina(nombre: object) -> str:
    """Devuelve el nombre si es un nombre de máquina válido (p. ej. servidor.produccion.es)."""
    # >>> SOLUCION: comprueba que es un str, que no pasa de 253 caracteres y cada etiqueta entre puntos
    if not isinstance(nombre, str):
        raise TypeError(f"El nombre del servidor debe ser un texto, no {nombre!r}")
    if not nombre or len(nombre) > 253 or not all(ETIQUETA.fullmatch(e) for e in nombre.split(".")):
        raise ValueError(
            f"«{nombre}» no es un nombre de máquina válido: usa letras, dígitos, guiones y "
            "puntos, sin espacios (por ejemplo, servidor.produccion.es)"
        )
    return nombre
    # <<< SOLUCION


def validar_ip(ip: object) -> str:
    """Devuelve la IP (IPv4 o IPv6) en su forma normalizada, o lanza un error claro."""
    # >>> SOLUCION: usa ipaddress.ip_address y devuelve str(...) para normalizarla
    if not isinstance(ip, str):
        raise TypeError(f"La IP debe ser un texto, no {ip!r}")
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        raise ValueError(f"«{ip}» no es una IP válida (ni IPv4 ni IPv6)") from None
    # <<< SOLUCION


class Servicio:
    """Un servicio de red: nombre, uno o varios puertos y el protocolo (tcp o udp)."""

    def __init__(
        self, nombre: str, puertos: int | list[int] | tuple[int, ...], protocolo: str = "tcp"
    ):
        # >>> SOLUCION: valida y guarda nombre (no vacío), puertos (tupla; repetidos → ValueError) y protocolo en minúsculas
        if not isinstance(nombre, str):
            raise TypeError(f"El nombre del servicio debe ser un texto, no {nombre!r}")
        if not nombre.strip():
            raise ValueError(f"El servicio necesita un nombre no vacío, no {nombre!r}")
        if isinstance(puertos, int):
            puertos = [puertos]
        if not isinstance(puertos, (list, tuple)):
            raise TypeError(
                f"Los puertos deben ser un entero o una lista de enteros, no {puertos!r}"
            )
        if not puertos:
            raise ValueError(f"El servicio «{nombre}» necesita al menos un puerto, no {puertos!r}")
        lista = [validar_puerto(p) for p in puertos]
        repetidos = sorted({p for p in lista if lista.count(p) > 1})
        if repetidos:
            raise ValueError(f"Puertos repetidos en el servicio «{nombre}»: {repetidos}")
        if not isinstance(protocolo, str):
            raise TypeError(f"El protocolo debe ser un texto ('tcp' o 'udp'), no {protocolo!r}")
        if protocolo.lower() not in PROTOCOLOS:
            raise ValueError(f"Protocolo {protocolo!r} desconocido: debe ser 'tcp' o 'udp'")
        self._nombre = nombre
        self._puertos = tuple(lista)
        self._protocolo = protocolo.lower()
        # <<< SOLUCION

    @property
    def nombre(self) -> str:
        return self._nombre

    @property
    def puertos(self) -> tuple[int, ...]:
        return self._puertos

    @property
    def protocolo(self) -> str:
        return self._protocolo

    def __repr__(self) -> str:
        # >>> SOLUCION: devuelve algo como Servicio('http', (80, 443), 'tcp')
        return f"Servicio({self._nombre!r}, {self._puertos!r}, {self._protocolo!r})"
        # <<< SOLUCION

    def __eq__(self, otro: object) -> bool:
        # >>> SOLUCION: dos servicios son iguales si tienen el mismo nombre, puertos y protocolo
        if not isinstance(otro, Servicio):
            return NotImplemented
        return (self._nombre, self._puertos, self._protocolo) == (
            otro._nombre,
            otro._puertos,
            otro._protocolo,
        )
        # <<< SOLUCION

    def __hash__(self) -> int:
        # Un Servicio no cambia después de crearse: puede ir en un set o ser clave de un dict.
        return hash((self._nombre, self._puertos, self._protocolo))


class Servidor:
    """Un servidor del inventario: nombre de máquina, sus IPs y sus servicios."""

    def __init__(self, nombre: str, ips: list[str], servicios: list[Servicio] | None = None):
        # >>> SOLUCION: guarda el nombre a través de la property y copia ips y servicios (¡nunca una lista por defecto compartida!)
        self.nombre = nombre
        self._ips: list[str] = []
        for ip in ips:
            self.agregar_ip(ip)
        self._servicios: list[Servicio] = []
        for servicio in servicios or []:
            self.agregar_servicio(servicio)
        # <<< SOLUCION

    @property
    def nombre(self) -> str:
        # >>> SOLUCION: devuelve el nombre guardado
        return self._nombre
        # <<< SOLUCION

    @nombre.setter
    def nombre(self, nuevo: str) -> None:
        # >>> SOLUCION: valida el nuevo nombre antes de guardarlo (así el setter no se salta la validación)
        self._nombre = validar_nombre_de_maquina(nuevo)
        # <<< SOLUCION

    @property
    def ips(self) -> list[str]:
        """Una copia: modificar la lista devuelta no cambia el servidor."""
        # >>> SOLUCION: devuelve una copia de la lista de IPs
        return list(self._ips)
        # <<< SOLUCION

    @property
    def servicios(self) -> list[Servicio]:
        """Una copia: para añadir uno, usa agregar_servicio."""
        # >>> SOLUCION: devuelve una copia de la lista de servicios
        return list(self._servicios)
        # <<< SOLUCION

    def agregar_ip(self, ip: str) -> None:
        """Añade una IP válida; una IP repetida (aunque se escriba distinto) es un error."""
        # >>> SOLUCION: normaliza con validar_ip y rechaza las repetidas
        normalizada = validar_ip(ip)
        if normalizada in self._ips:
            raise ValueError(f"La IP «{ip}» ya está en el servidor {self._nombre}")
        self._ips.append(normalizada)
        # <<< SOLUCION

    def agregar_servicio(self, servicio: Servicio) -> None:
        """Añade un Servicio (solo objetos Servicio)."""
        # >>> SOLUCION: comprueba que es un Servicio y añádelo
        if not isinstance(servicio, Servicio):
            raise TypeError(f"agregar_servicio espera un Servicio, no {servicio!r}")
        self._servicios.append(servicio)
        # <<< SOLUCION

    def puertos_por_protocolo(self) -> dict[str, list[int]]:
        """{'tcp': [puertos ordenados], 'udp': [...]}, solo con los protocolos que haya."""
        # >>> SOLUCION: recorre los servicios y agrupa sus puertos por protocolo, sin repetir y ordenados
        agrupados: dict[str, set[int]] = {}
        for servicio in self._servicios:
            agrupados.setdefault(servicio.protocolo, set()).update(servicio.puertos)
        return {protocolo: sorted(puertos) for protocolo, puertos in sorted(agrupados.items())}
        # <<< SOLUCION

    def __repr__(self) -> str:
        # >>> SOLUCION: devuelve algo como Servidor('web.produccion.es', ['10.0.0.1'], [...])
        return f"Servidor({self._nombre!r}, {self._ips!r}, {self._servicios!r})"
        # <<< SOLUCION

    def __eq__(self, otro: object) -> bool:
        # >>> SOLUCION: iguales si coinciden nombre, IPs y servicios (no si son el mismo objeto)
        if not isinstance(otro, Servidor):
            return NotImplemented
        return (self._nombre, self._ips, self._servicios) == (
            otro._nombre,
            otro._ips,
            otro._servicios,
        )
        # <<< SOLUCION

    # Un Servidor cambia (agregar_ip...), así que no puede ser hashable si __eq__ compara valores.
    __hash__ = None  # type: ignore[assignment]
