"""Módulo 04 — Pool con semáforo: el pool del módulo 03, sin carrera y sin gastar CPU ocioso.

Como en los apuntes:

    HILO PRINCIPAL va poniendo trabajo ->
        Pool apunta trabajo y tiene su propio hilo que lo reparte (bucle)
            ejecutor1: TRABAJO1
            ejecutor2: TRABAJO2 PUF!   <- el error se apunta y se informa; ejecutor2 sigue

    enviar ──> trabajos_pendientes ──[repartidor]──> bandeja ──> ejecutor1, ejecutor2...

- `enviar` (desde cualquier hilo) solo apunta el trabajo en `trabajos_pendientes`, con el
  testigo en la mano, y vuelve enseguida.
- El hilo `repartidor` duerme hasta que hay algo apuntado y sitio en la bandeja; entonces lo
  pasa de una lista a la otra. En la bandeja caben tantos trabajos como ejecutores: uno
  preparado para cada uno, que no tiene que esperar al repartidor cuando acaba.
- Cada ejecutor duerme hasta que hay algo en la bandeja, lo saca, lo ejecuta capturando sus
  errores y vuelve a dormir. Nadie pregunta «¿hay algo?» en un bucle: todos esperan en un
  semáforo, y cada lista compartida se toca con el testigo en la mano (`sacar_con_testigo`).
- `detener` apunta el centinela FIN detrás de los trabajos pendientes: cuando el repartidor
  llega a él, pone un FIN en la bandeja para cada ejecutor, y detener espera (join) a todos.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from arreglos import sacar_con_testigo

# El centinela: no es un trabajo, es la orden de terminar. Va a la cola como uno más, así
# que llega después de todos los que se enviaron antes (como None en concurrent.futures).
FIN = object()


@dataclass
class ErrorDeTrabajo:
    """Un trabajo que lanzó una excepción: quién lo ejecutaba, qué trabajo y qué error."""

    ejecutor: str
    trabajo: Callable[[], object]
    error: Exception

    def __str__(self) -> str:
        nombre = getattr(self.trabajo, "__name__", repr(self.trabajo))
        return f"{self.ejecutor}: {nombre} falló: {type(self.error).__name__}: {self.error}"


class Pool:
    """N ejecutores que duermen hasta que su repartidor les deja trabajo en la bandeja."""

    def __init__(self, ejecutores: int = 10) -> None:
        if isinstance(ejecutores, bool) or not isinstance(ejecutores, int):
            raise TypeError(f"El número de ejecutores debe ser un entero, no {ejecutores!r}")
        if ejecutores < 1:
            raise ValueError(f"Un pool necesita al menos 1 ejecutor; me pides {ejecutores}")
        self.testigo = threading.Semaphore()  # quien lo tiene, y solo él, toca las listas
        self.errores: list[ErrorDeTrabajo] = []
        self._detenido = False
        # Lo que apunta enviar, y cuántos trabajos apuntados esperan al repartidor.
        self.trabajos_pendientes: list[Callable[[], object]] = []
        self._apuntados = threading.Semaphore(0)
        # La bandeja: lo ya repartido, cuántos trabajos hay en ella (los ejecutores ociosos
        # duermen ahí) y cuántos huecos libres le quedan (el repartidor espera ahí si está llena).
        self._bandeja: list[object] = []
        self._en_la_bandeja = threading.Semaphore(0)
        self._huecos = threading.Semaphore(ejecutores)
        self._repartidor = threading.Thread(target=self._repartir, name="repartidor")
        self.ejecutores = [
            threading.Thread(target=self._trabajar, name=f"ejecutor{numero}")
            for numero in range(1, ejecutores + 1)
        ]

    def arrancar(self) -> Pool:
        """Pone en marcha el repartidor y los ejecutores. Devuelve el propio pool."""
        for hilo in (self._repartidor, *self.ejecutores):
            hilo.start()
        return self

    # --- lo que hace el hilo que envía (el principal, o varios a la vez) ----------------

    def enviar(self, trabajo: Callable[[], object]) -> None:
        """Apunta el trabajo y vuelve enseguida: repartirlo es cosa del hilo repartidor."""
        # TODO: rechaza lo que no se pueda llamar (TypeError); con el testigo: si el pool está detenido, RuntimeError, y si no, apunta el trabajo. Después, avisa al repartidor (_apuntados)
        raise NotImplementedError("Pool.enviar: lo que falta lo dice su # TODO")

    def detener(self) -> None:
        """Deja terminar lo pendiente, para todos los hilos y espera (join) a cada uno.

        Con un pool que nunca se arrancó, vuelve enseguida y sin error: no hay nada que parar.
        """
        # TODO: con el testigo, marca el pool como detenido y apunta FIN (si ya lo estaba, no apuntes otro, pero espera igual); avisa al repartidor y, si el pool se arrancó, haz join del repartidor y de cada ejecutor (un hilo que nunca se arrancó no se puede esperar: join() lanza RuntimeError)
        raise NotImplementedError("Pool.detener: lo que falta lo dice su # TODO")

    def __enter__(self) -> Pool:
        return self.arrancar()

    def __exit__(self, *excepcion: object) -> None:
        self.detener()

    # --- el hilo repartidor ---------------------------------------------------------------

    def _repartir(self) -> None:
        """El bucle del repartidor: pasa cada trabajo apuntado a la bandeja; FIN lo acaba."""
        # TODO: en bucle: duerme en _apuntados y saca el primero con sacar_con_testigo; si es FIN, pon un FIN en la bandeja por cada ejecutor y termina; si no, ponlo en la bandeja
        raise NotImplementedError("Pool._repartir: lo que falta lo dice su # TODO")

    def _poner_en_la_bandeja(self, trabajo: object) -> None:
        """Espera a que haya un hueco, deja el trabajo y avisa a los ejecutores."""
        # TODO: coge un hueco (_huecos), añade el trabajo a la bandeja con el testigo y avisa con _en_la_bandeja
        raise NotImplementedError("Pool._poner_en_la_bandeja: lo que falta lo dice su # TODO")

    # --- cada ejecutor ----------------------------------------------------------------------

    def _trabajar(self) -> None:
        """El bucle de cada ejecutor: saca un trabajo, lo ejecuta y repite, hasta sacar FIN."""
        # TODO: en bucle: saca de la bandeja; si es FIN, termina; si no, ejecútalo con _ejecutar
        raise NotImplementedError("Pool._trabajar: lo que falta lo dice su # TODO")

    def _sacar_de_la_bandeja(self) -> object:
        """Duerme (sin gastar CPU) hasta que haya algo en la bandeja; lo saca y deja un hueco."""
        # TODO: espera en _en_la_bandeja, saca el primero con sacar_con_testigo y devuelve un hueco (_huecos)
        raise NotImplementedError("Pool._sacar_de_la_bandeja: lo que falta lo dice su # TODO")

    def _ejecutar(self, trabajo: Callable[[], object]) -> None:
        """Ejecuta un trabajo. Si lanza, se apunta y se informa: el ejecutor sigue vivo."""
        # TODO: llama al trabajo dentro de un try; si lanza una Exception, pásasela a _informar
        raise NotImplementedError("Pool._ejecutar: lo que falta lo dice su # TODO")

    def _informar(self, trabajo: Callable[[], object], error: Exception) -> None:
        """Apunta el error en self.errores y lo escribe en la salida de errores."""
        fallo = ErrorDeTrabajo(threading.current_thread().name, trabajo, error)
        with self.testigo:
            self.errores.append(fallo)
        print(fallo, file=sys.stderr)
