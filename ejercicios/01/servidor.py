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
    # TODO: rechaza lo que no sea int (¡ojo, True es un int!) y lo que esté fuera de 1..65535
    raise NotImplementedError("validar_puerto: lo que falta lo dice su # TODO")


def validar_nombre_de_maquina(nombre: object) -> str:
    """Devuelve el nombre si es un nombre de máquina válido (p. ej. servidor.produccion.es)."""
    # TODO: comprueba que es un str, que no pasa de 253 caracteres y cada etiqueta entre puntos
    raise NotImplementedError("validar_nombre_de_maquina: lo que falta lo dice su # TODO")


def validar_ip(ip: object) -> str:
    """Devuelve la IP (IPv4 o IPv6) en su forma normalizada, o lanza un error claro."""
    # TODO: usa ipaddress.ip_address y devuelve str(...) para normalizarla
    raise NotImplementedError("validar_ip: lo que falta lo dice su # TODO")


class Servicio:
    """Un servicio de red: nombre, uno o varios puertos y el protocolo (tcp o udp)."""

    def __init__(
        self, nombre: str, puertos: int | list[int] | tuple[int, ...], protocolo: str = "tcp"
    ):
        # TODO: valida y guarda nombre (no vacío), puertos (tupla; repetidos → ValueError) y protocolo en minúsculas
        raise NotImplementedError("Servicio.__init__: lo que falta lo dice su # TODO")

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
        # TODO: devuelve algo como Servicio('http', (80, 443), 'tcp')
        raise NotImplementedError("Servicio.__repr__: lo que falta lo dice su # TODO")

    def __eq__(self, otro: object) -> bool:
        # TODO: dos servicios son iguales si tienen el mismo nombre, puertos y protocolo
        raise NotImplementedError("Servicio.__eq__: lo que falta lo dice su # TODO")

    def __hash__(self) -> int:
        # Un Servicio no cambia después de crearse: puede ir en un set o ser clave de un dict.
        return hash((self._nombre, self._puertos, self._protocolo))


class Servidor:
    """Un servidor del inventario: nombre de máquina, sus IPs y sus servicios."""

    def __init__(self, nombre: str, ips: list[str], servicios: list[Servicio] | None = None):
        # TODO: guarda el nombre a través de la property y copia ips y servicios (¡nunca una lista por defecto compartida!)
        raise NotImplementedError("Servidor.__init__: lo que falta lo dice su # TODO")

    @property
    def nombre(self) -> str:
        # TODO: devuelve el nombre guardado
        raise NotImplementedError("Servidor.nombre: devuelve el nombre guardado")

    @nombre.setter
    def nombre(self, nuevo: str) -> None:
        # TODO: valida el nuevo nombre antes de guardarlo (así el setter no se salta la validación)
        raise NotImplementedError("Servidor.nombre: lo que falta lo dice su # TODO")

    @property
    def ips(self) -> list[str]:
        """Una copia: modificar la lista devuelta no cambia el servidor."""
        # TODO: devuelve una copia de la lista de IPs
        raise NotImplementedError("Servidor.ips: devuelve una copia de la lista de IPs")

    @property
    def servicios(self) -> list[Servicio]:
        """Una copia: para añadir uno, usa agregar_servicio."""
        # TODO: devuelve una copia de la lista de servicios
        raise NotImplementedError("Servidor.servicios: devuelve una copia de la lista de servicios")

    def agregar_ip(self, ip: str) -> None:
        """Añade una IP válida; una IP repetida (aunque se escriba distinto) es un error."""
        # TODO: normaliza con validar_ip y rechaza las repetidas
        raise NotImplementedError("Servidor.agregar_ip: lo que falta lo dice su # TODO")

    def agregar_servicio(self, servicio: Servicio) -> None:
        """Añade un Servicio (solo objetos Servicio)."""
        # TODO: comprueba que es un Servicio y añádelo
        raise NotImplementedError("Servidor.agregar_servicio: lo que falta lo dice su # TODO")

    def puertos_por_protocolo(self) -> dict[str, list[int]]:
        """{'tcp': [puertos ordenados], 'udp': [...]}, solo con los protocolos que haya."""
        # TODO: recorre los servicios y agrupa sus puertos por protocolo, sin repetir y ordenados
        raise NotImplementedError("Servidor.puertos_por_protocolo: lo que falta lo dice su # TODO")

    def __repr__(self) -> str:
        # TODO: devuelve algo como Servidor('web.produccion.es', ['10.0.0.1'], [...])
        raise NotImplementedError("Servidor.__repr__: lo que falta lo dice su # TODO")

    def __eq__(self, otro: object) -> bool:
        # TODO: iguales si coinciden nombre, IPs y servicios (no si son el mismo objeto)
        raise NotImplementedError("Servidor.__eq__: lo que falta lo dice su # TODO")

    # Un Servidor cambia (agregar_ip...), así que no puede ser hashable si __eq__ compara valores.
    __hash__ = None  # type: ignore[assignment]
