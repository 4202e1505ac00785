"""Módulo 04 — Pool con semáforo: el pool del módulo 03, sin carrera y sin gastar CPU ocioso.

Como en los apuntes:

    HILO PRINCIPAL va poniendo trabajo ->
        Pool apunta trabajo y tiene su propio hilo que lo reparte (bucle)
            ejecutor1: TRABAJO1
            ejecutor2: TRABAJO2 PUF!   <- el error se apunta y se informa; ejecutor2 sigue

- `enviar` (desde cualquier hilo) solo apunta el trabajo en `trabajos_pendientes`, con el
  testigo en la mano, y vuelve enseguida.
- El hilo `repartidor` duerme hasta que hay algo apuntado, lo saca (`sacar_con_testigo`) y se
  lo da en mano a un ejecutor libre.
- Cada ejecutor duerme hasta que le dan un trabajo, lo ejecuta capturando sus errores y
  vuelve a dormir. Nadie pregunta «¿hay algo?» en un bucle: todos esperan en un semáforo.
- `detener` apunta el centinela FIN detrás de los trabajos pendientes: cuando el repartidor
  llega a él, le da un FIN a cada ejecutor, y detener espera (join) a todos los hilos.
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
    """N ejecutores que duermen hasta que su repartidor les da trabajo."""

    def __init__(self, ejecutores: int = 10) -> None:
        if isinstance(ejecutores, bool) or not isinstance(ejecutores, int):
            raise TypeError(f"El número de ejecutores debe ser un entero, no {ejecutores!r}")
        if ejecutores < 1:
            raise ValueError(f"Un pool necesita al menos 1 ejecutor; me pides {ejecutores}")
        self.trabajos_pendientes: list[Callable[[], object]] = []
        self.testigo = threading.Semaphore()  # quien lo tiene, y solo él, toca la lista
        self.errores: list[ErrorDeTrabajo] = []
        self._detenido = False
        # Cuántos trabajos apuntados quedan por repartir: el repartidor duerme en él.
        self._apuntados = threading.Semaphore(0)
        # La entrega en mano: el repartidor deja un trabajo en _entrega y avisa con
        # _hay_entrega (los ejecutores libres duermen ahí); el que lo coge avisa con _recogida.
        self._entrega: object = None
        self._hay_entrega = threading.Semaphore(0)
        self._recogida = threading.Semaphore(0)
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
        raise NotImplementedError(
            "Pool.enviar: rechaza lo que no se pueda llamar (TypeError); con el testigo: si el pool está detenido, RuntimeError, y si no, apunta el trabajo. Después, avisa al repartidor (_apuntados)"
        )

    def detener(self) -> None:
        """Deja terminar lo pendiente, para todos los hilos y espera (join) a cada uno."""
        # TODO: con el testigo, marca el pool como detenido y apunta FIN (si ya lo estaba, no hagas nada); avisa al repartidor y haz join del repartidor y de cada ejecutor
        raise NotImplementedError(
            "Pool.detener: con el testigo, marca el pool como detenido y apunta FIN (si ya lo estaba, no hagas nada); avisa al repartidor y haz join del repartidor y de cada ejecutor"
        )

    def __enter__(self) -> Pool:
        return self.arrancar()

    def __exit__(self, *excepcion: object) -> None:
        self.detener()

    # --- el hilo repartidor ---------------------------------------------------------------

    def _repartir(self) -> None:
        """El bucle del repartidor: espera algo apuntado, lo saca y lo entrega; FIN lo acaba."""
        # TODO: en bucle: duerme en _apuntados, saca el primero con sacar_con_testigo y entrégalo; al sacar FIN, entrega un FIN a cada ejecutor y termina
        raise NotImplementedError(
            "Pool._repartir: en bucle: duerme en _apuntados, saca el primero con sacar_con_testigo y entrégalo; al sacar FIN, entrega un FIN a cada ejecutor y termina"
        )

    def _entregar(self, trabajo: object) -> None:
        """Le da el trabajo en mano a un ejecutor libre y espera a que lo coja."""
        # TODO: deja el trabajo en _entrega, avisa con _hay_entrega y espera en _recogida
        raise NotImplementedError(
            "Pool._entregar: deja el trabajo en _entrega, avisa con _hay_entrega y espera en _recogida"
        )

    # --- cada ejecutor ----------------------------------------------------------------------

    def _trabajar(self) -> None:
        """El bucle de cada ejecutor: recoge un trabajo, lo ejecuta y repite, hasta recibir FIN."""
        # TODO: en bucle: recoge; si es FIN, termina; si no, ejecútalo con _ejecutar
        raise NotImplementedError(
            "Pool._trabajar: en bucle: recoge; si es FIN, termina; si no, ejecútalo con _ejecutar"
        )

    def _recoger(self) -> object:
        """Duerme (sin gastar CPU) hasta que haya una entrega; la coge y avisa al repartidor."""
        # TODO: espera en _hay_entrega, copia self._entrega y avisa con _recogida antes de devolverla
        raise NotImplementedError(
            "Pool._recoger: espera en _hay_entrega, copia self._entrega y avisa con _recogida antes de devolverla"
        )

    def _ejecutar(self, trabajo: Callable[[], object]) -> None:
        """Ejecuta un trabajo. Si lanza, se apunta y se informa: el ejecutor sigue vivo."""
        # TODO: llama al trabajo dentro de un try; si lanza una Exception, pásasela a _informar
        raise NotImplementedError(
            "Pool._ejecutar: llama al trabajo dentro de un try; si lanza una Exception, pásasela a _informar"
        )

    def _informar(self, trabajo: Callable[[], object], error: Exception) -> None:
        """Apunta el error en self.errores y lo escribe en la salida de errores."""
        fallo = ErrorDeTrabajo(threading.current_thread().name, trabajo, error)
        with self.testigo:
            self.errores.append(fallo)
        print(fallo, file=sys.stderr)
