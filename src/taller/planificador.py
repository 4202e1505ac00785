"""Un planificador determinista para probar el código con hilos del alumno.

    explorar(escenario, que="Dos remitentes y detener() a la vez", planes=200)

ejecuta `escenario()` muchas veces («planes»), cada vez con un orden de ejecución distinto
de sus hilos, y falla con la línea de tiempo del primer plan que rompe algo. Las carreras
dejan de depender de la suerte: con el mismo código y la misma semilla salen los mismos
planes en cualquier máquina, cargada o no.

Cómo funciona (las razones, en los docstrings de cada pieza):

- Los hilos son hilos de verdad del sistema, pero solo uno «tiene el turno». Cada hilo
  gestionado espera en su propia compuerta (un cerrojo REAL, de los de antes de parchear) y
  el hilo que tiene el turno decide, en cada punto de planificación, a quién se lo pasa:
  le abre su compuerta y se queda esperando en la suya. No hay un hilo planificador aparte:
  el turno pasa de mano en mano, como un testigo.
- Puntos de planificación: cada línea que se ejecuta de los ficheros del alumno
  (`sys.settrace` en cada hilo gestionado, filtrado por fichero) y cada `acquire` de un
  cerrojo. Los `release` no ceden el turno: nunca bloquean.
- Durante la exploración, `threading.Lock` es un `CerrojoCooperativo`: en vez de bloquear
  al hilo del sistema (que tiene el turno: se bloquearía todo), le dice al planificador
  «espero a que este cerrojo quede libre» y cede el turno. Como Semaphore, Event,
  Condition, Barrier y queue.Queue están escritos en Python sobre `threading.Lock` y
  `threading._allocate_lock`, todos se vuelven cooperativos sin reescribirlos.
- `time.sleep`, `time.monotonic` y los timeouts van con un reloj virtual: solo avanza cuando
  ningún hilo puede correr, y salta directamente al plazo más cercano. Un `sleep(1000)` no
  cuesta nada.
- Cuando ningún hilo puede correr y nadie tiene un plazo pendiente, es un bloqueo: el
  planificador sabe quién espera qué, y en qué línea del alumno.
- Para acabar un plan, cada hilo que queda recibe `_PlanAbortado` (hereda de
  BaseException, para que un `except Exception` del alumno no se la trague) desde la
  primitiva en la que espera.

Los hilos se identifican por orden de creación (nunca por `ident`, que da el sistema) y
cada plan saca sus decisiones de un `random.Random` propio, derivado de (semilla, plan).

Lo que NO ve (a propósito, o porque no se puede desde Python):
- lo que pasa dentro de una línea: `self.n += 1`, en una sola línea, nunca se parte entre
  dos hilos. Los fallos que encuentra son los que necesitan un cambio de hilo entre líneas;
- las primitivas creadas ANTES de explorar (un Lock a nivel de módulo, un pool creado fuera
  del escenario) son de verdad: un hilo que espera en una de ellas bloquea el turno, y al
  cabo de ESPERA_REAL segundos se informa como «sin volver al planificador»;
- la E/S real (sockets, procesos): el hilo la hace con el turno en la mano, y los demás
  esperan. Funciona si es corta.
"""

from __future__ import annotations

import _thread
import collections
import concurrent.futures.thread
import contextlib
import gc
import hashlib
import linecache
import logging
import operator
import os
import queue
import random
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taller.modulos import es_de_apoyo

# Las piezas reales, guardadas antes de que nadie parchee nada: las compuertas y el propio
# planificador necesitan cerrojos y relojes que bloqueen y midan de verdad.
_cerrojo_real = _thread.allocate_lock
_obtener_ident = _thread.get_ident
_monotonic_real = time.monotonic
_sleep_real = time.sleep
_inicio_real = threading.Thread.start
_join_real = threading.Thread.join
_is_alive_real = threading.Thread.is_alive

# Un hilo que lleva este tiempo real sin volver a un punto de planificación está bloqueado
# fuera del planificador (E/S real, un cerrojo creado antes de explorar...).
ESPERA_REAL = 3.0
# Lo que marca el reloj virtual al empezar cada plan (time.time() y time.monotonic()).
_EPOCA_VIRTUAL = 1_750_000_000.0
# Cuántos eventos guarda la línea de tiempo, y cuántos enseña un fallo.
_EVENTOS_GUARDADOS = 400
_EVENTOS_MOSTRADOS = 30

LISTO, BLOQUEADO, TERMINADO = "listo", "bloqueado", "terminado"
_NOMBRE_POR_DEFECTO = re.compile(r"(?:Thread-\d+|ThreadPoolExecutor-\d+_\d+)(.*)")

# Las funciones de estos ficheros son «la primitiva» en la que espera un hilo.
_FICHEROS_DE_PRIMITIVAS = {
    threading.__file__,
    queue.__file__,
    concurrent.futures.thread.__file__,
    concurrent.futures._base.__file__,
}


class _PlanAbortado(BaseException):
    """Termina un hilo gestionado cuando su plan acaba. No la atrapa `except Exception`."""


def _nunca() -> bool:
    return False


def _nombre_de_funcion(codigo: Any) -> str:
    return getattr(codigo, "co_qualname", codigo.co_name)


@dataclass(eq=False)
class _Hilo:
    """Lo que el planificador sabe de un hilo gestionado."""

    numero: int  # orden de creación en el plan: 0 es el escenario
    nombre: str
    hilo: threading.Thread
    compuerta: Any = field(default_factory=_cerrojo_real)
    estado: str = LISTO
    puede: Callable[[], bool] = _nunca  # si está BLOQUEADO: ¿ya puede seguir?
    hasta: float | None = None  # si está BLOQUEADO: plazo en el reloj virtual
    espera: str = ""  # qué primitiva espera («Semaphore.acquire»)
    donde: tuple[str, int] | None = None  # la última línea del alumno en su pila
    ultima: tuple[str, int] | None = None  # la última línea del alumno que ejecutó
    prioridad: float = 0.0
    ident: int | None = None
    pendiente: tuple[str, int] | None = None  # la línea empezada, aún sin apuntar
    operacion: Any = None  # el marco de la última operación de primitiva que fue un punto

    def __post_init__(self) -> None:
        self.compuerta.acquire()  # cerrada: el hilo no corre hasta que le den el turno


@dataclass
class _Fallo:
    texto: str
    cuelga: bool = True  # bloqueo, no termina o atasco: ahí va la pista de explorar()


@dataclass
class Exploracion:
    """Lo que devuelve `explorar`: cuántos planes, cuántos distintos y el más largo."""

    planes: int = 0
    distintos: int = 0
    pasos_max: int = 0
    segundos: float = 0.0
    huella: str = ""  # resume las decisiones de todos los planes: misma semilla, misma huella

    def __str__(self) -> str:
        return (
            f"{self.planes} planes ({self.distintos} distintos), el más largo de "
            f"{self.pasos_max} pasos, en {self.segundos:.2f} s"
        )


_prioridad = operator.attrgetter("prioridad")


class _Estrategia:
    """Quién sigue en cada punto de planificación, sacado del `random.Random` del plan.

    Los planes pares usan PCT (Burckhardt et al., 2010): cada hilo recibe una prioridad
    aleatoria al nacer, corre siempre el de más prioridad que puede, y en d-1 pasos al azar
    el que corre pasa a tener menos prioridad que todos. Encuentra con buena probabilidad
    los fallos que necesitan pocos cambios de hilo «en el sitio justo». Los impares son un
    paseo aleatorio: en cada punto se cambia de hilo con probabilidad p (distinta en cada
    plan), que mezcla mucho más y encuentra lo que necesita muchos cambios.
    """

    def __init__(self, rng: random.Random, numero: int, pasos_estimados: int) -> None:
        self.rng = rng
        self.pct = numero % 2 == 0
        self.d = 1 + (numero // 2) % 3
        limite = max(2, pasos_estimados)
        self.cambios = sorted(rng.randrange(1, limite) for _ in range(self.d - 1))
        self.p = rng.choice((0.02, 0.1, 0.3, 0.6))

    def prioridad_al_nacer(self) -> float:
        return self.d + self.rng.random()

    def sigue(self, actual: _Hilo, plan: _Plan) -> bool:
        """¿Sigue el que corre (que puede seguir)? Sin mirar a todos si no hace falta."""
        if self.pct:
            if self.cambios and plan.pasos >= self.cambios[0]:
                return False
            prioridad = actual.prioridad
            return not any(h.prioridad > prioridad and plan.puede_correr(h) for h in plan.vivos)
        return self.rng.random() >= self.p

    def elegir(self, actual: _Hilo, candidatos: list[_Hilo], paso: int) -> _Hilo:
        """Entre los que pueden correr, cuando `sigue` ha dicho que no (o el actual espera)."""
        if self.pct:
            while self.cambios and paso >= self.cambios[0]:
                self.cambios.pop(0)
                actual.prioridad = len(self.cambios)  # por debajo de todas las iniciales
            return max(candidatos, key=_prioridad)
        otros = [h for h in candidatos if h is not actual]
        return self.rng.choice(otros) if otros else actual


_activo: _Plan | None = None  # el plan en marcha; None entre planes


def _actual() -> tuple[_Plan | None, _Hilo | None]:
    """El plan en marcha y el hilo gestionado que llama (None si no lo es)."""
    plan = _activo
    if plan is None:
        return None, None
    return plan, plan.por_ident.get(_obtener_ident())


class _Arrancado:
    """Sustituye a `Thread._started` en los hilos gestionados: un aviso con un cerrojo real.

    El Event que creó `Thread.__init__` sería cooperativo, pero lo pone el hilo nuevo antes
    de estar gestionado y lo espera `Thread.start` del que lo arranca: tiene que ser real.
    """

    def __init__(self) -> None:
        self._cerrojo = _cerrojo_real()
        self._cerrojo.acquire()
        self._puesto = False

    def set(self) -> None:
        self._puesto = True
        self._cerrojo.release()

    def is_set(self) -> bool:
        return self._puesto

    def wait(self, timeout: float | None = None) -> bool:
        if not self._puesto:
            self._cerrojo.acquire()
            self._cerrojo.release()
        return True


class _Plan:
    """Una ejecución del escenario con un orden de ejecución concreto."""

    def __init__(
        self,
        numero: int,
        semilla: int,
        ficheros: frozenset[str],
        pasos_max: int,
        pasos_estimados: int,
    ) -> None:
        self.numero = numero
        self.rng = random.Random(f"{semilla}:{numero}")  # igual en cualquier máquina
        self.estrategia = _Estrategia(self.rng, numero, pasos_estimados)
        self.ficheros = ficheros
        self.pasos_max = pasos_max
        self.hilos: list[_Hilo] = []
        self.vivos: list[_Hilo] = []  # los que no han terminado, en orden de creación
        self.por_ident: dict[int, _Hilo] = {}
        self.por_hilo: dict[threading.Thread, _Hilo] = {}
        self.turno: _Hilo | None = None
        self.reloj = 0.0
        self.pasos = 0
        self.cambios: list[tuple[int, int]] = []  # (paso, hilo que recibe el turno)
        self.eventos: collections.deque[tuple[int, str | None, Any]] = collections.deque(
            maxlen=_EVENTOS_GUARDADOS
        )
        self.muertes: list[tuple[_Hilo, BaseException, tuple[str, int] | None]] = []
        self.fallo: _Fallo | None = None
        self.error_del_escenario: BaseException | None = None
        self.abortando = False
        self._acabado = False
        self._fin = _cerrojo_real()
        self._fin.acquire()
        self._cerrojo = _cerrojo_real()  # para _acabar: lo llaman hilos y el vigilante

    # --- hilos --------------------------------------------------------------------------

    def registrar(self, hilo: threading.Thread, nombre: str | None = None) -> _Hilo:
        numero = len(self.hilos)
        if nombre is None:
            # Los nombres por defecto («Thread-7 (trabajar)», «ThreadPoolExecutor-3_0») llevan
            # un contador global que cambia de un plan a otro: se enseña el orden de creación.
            por_defecto = _NOMBRE_POR_DEFECTO.match(hilo.name)
            nombre = f"hilo{numero}{por_defecto[1]}" if por_defecto else hilo.name
        gestionado = _Hilo(numero, nombre, hilo, prioridad=self.estrategia.prioridad_al_nacer())
        self.hilos.append(gestionado)
        self.vivos.append(gestionado)
        self.por_hilo[hilo] = gestionado
        return gestionado

    def lanzar(self, hilo: threading.Thread, gestionado: _Hilo) -> None:
        """Arranca el hilo del sistema; su `run` espera el turno antes de empezar."""
        run = hilo.run
        hilo._daemonic = True  # nada de lo que quede de un plan impide salir al proceso
        hilo._started = _Arrancado()
        hilo.run = lambda: self._correr(gestionado, run)
        _inicio_real(hilo)

    def _correr(self, hilo: _Hilo, run: Callable[[], object]) -> None:
        """El cuerpo de cada hilo gestionado, dentro de su hilo del sistema."""
        hilo.ident = _obtener_ident()
        self.por_ident[hilo.ident] = hilo
        error: BaseException | None = None
        try:
            self._esperar_turno(hilo)
            sys.settrace(self._trazador(hilo))
            run()
        except _PlanAbortado:
            pass
        except BaseException as excepcion:  # noqa: BLE001 - se apunta y se enseña
            if not self.abortando:
                error = excepcion
                donde = _linea_del_alumno(excepcion.__traceback__, self.ficheros)
                if hilo.numero == 0:
                    self.evento(hilo, f"lanza {_resumen(excepcion)}", donde)
                else:
                    self.muertes.append((hilo, excepcion, donde))
                    self.evento(hilo, f"muere con {_resumen(excepcion)}", donde)
        finally:
            sys.settrace(None)
            self._terminar(hilo, error)

    def _terminar(self, hilo: _Hilo, error: BaseException | None) -> None:
        hilo.estado = TERMINADO
        self.por_ident.pop(hilo.ident or -1, None)
        with contextlib.suppress(ValueError):
            self.vivos.remove(hilo)
        if self.abortando:
            return
        if hilo.numero == 0:  # el escenario ha acabado: el plan también
            self.error_del_escenario = error
            self._acabar(None if error is None else _Fallo(_texto_del_error(error, self), False))
            return
        self.evento(hilo, "termina")
        siguiente = self._elegir(hilo)
        if siguiente is not None:
            self._dar_turno(siguiente)

    # --- el turno -----------------------------------------------------------------------

    def _trazador(self, hilo: _Hilo) -> Callable[..., Any]:
        """`sys.settrace` del hilo: cada línea de un fichero del alumno es un punto."""
        ficheros = self.ficheros

        def en_cada_linea(marco: Any, evento: str, _arg: Any) -> Any:
            if evento == "line":
                if self.abortando:  # lo que se ejecuta al deshacer la pila no es del plan
                    raise _PlanAbortado
                # La línea anterior de este hilo ya se ha ejecutado entera: a la línea de
                # tiempo. La nueva aún no (el punto de planificación va antes de ejecutarla).
                if hilo.pendiente is not None:
                    self.eventos.append((hilo.numero, *hilo.pendiente))
                hilo.ultima = hilo.pendiente = (marco.f_code.co_filename, marco.f_lineno)
                self.ceder(hilo)
            return en_cada_linea

        def en_cada_llamada(marco: Any, _evento: str, _arg: Any) -> Any:
            return en_cada_linea if marco.f_code.co_filename in ficheros else None

        return en_cada_llamada

    def ceder(self, hilo: _Hilo) -> None:
        """Un punto de planificación: la estrategia decide quién sigue (quizá el mismo)."""
        if self.abortando:
            raise _PlanAbortado
        self.pasos += 1
        if self.pasos > self.pasos_max:
            self._acabar(_Fallo(self._texto_de_no_termina()))
            self._esperar_turno(hilo)
        self._pasar(hilo)

    def bloquear(
        self, hilo: _Hilo, puede: Callable[[], bool], hasta: float | None, que: str
    ) -> None:
        """El hilo espera (a que `puede()` o al plazo `hasta`) y cede el turno."""
        if self.abortando:
            raise _PlanAbortado
        hilo.estado, hilo.puede, hilo.hasta = BLOQUEADO, puede, hasta
        hilo.espera, hilo.donde = que, _donde_espera(self.ficheros)
        if que == "time.sleep" and hasta is not None:
            self.evento(hilo, f"duerme {hasta - self.reloj:g} s")
        else:
            self.evento(hilo, f"espera en {que}")
        self.pasos += 1
        self._pasar(hilo)

    def _pasar(self, hilo: _Hilo) -> None:
        siguiente = self._elegir(hilo)
        if siguiente is None:  # bloqueo: el plan ya se ha acabado
            self._esperar_turno(hilo)
        elif siguiente is not hilo:
            self._dar_turno(siguiente)
            self._esperar_turno(hilo)

    def _dar_turno(self, siguiente: _Hilo) -> None:
        self.cambios.append((self.pasos, siguiente.numero))
        self.turno = siguiente
        siguiente.compuerta.release()

    def _esperar_turno(self, hilo: _Hilo) -> None:
        hilo.compuerta.acquire()
        if self.abortando:
            raise _PlanAbortado

    def puede_correr(self, hilo: _Hilo) -> bool:
        return (
            hilo.estado is LISTO
            or hilo.puede()
            or (hilo.hasta is not None and hilo.hasta <= self.reloj)
        )

    def _elegir(self, actual: _Hilo) -> _Hilo | None:
        """El siguiente hilo. Si nadie puede correr, avanza el reloj o declara un bloqueo."""
        # Lo más frecuente, y lo más barato: la estrategia deja seguir al que corre.
        if actual.estado is LISTO and self.estrategia.sigue(actual, self):
            return actual
        while True:
            candidatos = [h for h in self.vivos if self.puede_correr(h)]
            if candidatos:
                break
            plazos = [h.hasta for h in self.vivos if h.hasta is not None]
            if not plazos:
                self._acabar(_Fallo(self._texto_de_bloqueo()))
                return None
            self.reloj = min(plazos)
        elegido = self.estrategia.elegir(actual, candidatos, self.pasos)
        if elegido.estado is BLOQUEADO:
            elegido.estado, elegido.puede, elegido.hasta = LISTO, _nunca, None
        return elegido

    # --- el final del plan --------------------------------------------------------------

    def _acabar(self, fallo: _Fallo | None) -> None:
        with self._cerrojo:
            if self._acabado:
                return
            self._acabado = True
            self.fallo = fallo
            self._fin.release()

    def ejecutar(self, escenario: Callable[[], object]) -> None:
        """Ejecuta el escenario en el hilo «principal» y vigila que el plan avance."""
        global _activo
        principal = threading.Thread(target=escenario, name="principal")
        hilo = self.registrar(principal, "principal")
        self.turno = hilo
        _activo = self
        try:
            self.lanzar(principal, hilo)
            hilo.compuerta.release()
            ultimo, desde = -1, _monotonic_real()
            while not self._fin.acquire(timeout=0.05):
                ahora = _monotonic_real()
                if self.pasos != ultimo:
                    ultimo, desde = self.pasos, ahora
                elif ahora - desde > ESPERA_REAL:
                    self._acabar(_Fallo(self._texto_de_no_vuelve(ahora - desde)))
        finally:
            self._abortar()  # también si algo interrumpe al propio planificador (Ctrl-C)
            _activo = None
            for gestionado in self.hilos:  # sin ciclos hilo -> plan: se libera enseguida
                gestionado.hilo.__dict__.pop("run", None)

    def _abortar(self) -> None:
        """Termina los hilos que quedan: cada uno recibe _PlanAbortado donde espera."""
        self.abortando = True
        for hilo in self.hilos:
            if hilo.estado != TERMINADO:
                with contextlib.suppress(RuntimeError):
                    hilo.compuerta.release()
        limite = _monotonic_real() + ESPERA_REAL
        for hilo in self.hilos:
            if hilo.hilo.ident is not None:
                _join_real(hilo.hilo, max(0.0, limite - _monotonic_real()))
        atascados = [h for h in self.hilos if _is_alive_real(h.hilo)]
        if atascados and self.fallo is None:
            self.fallo = _Fallo(self._texto_de_atascados(atascados))

    # --- la línea de tiempo y los mensajes ----------------------------------------------

    def _apuntar_linea(self, hilo: _Hilo) -> None:
        if hilo.pendiente is not None:
            self.eventos.append((hilo.numero, *hilo.pendiente))
            hilo.pendiente = None

    def evento(self, hilo: _Hilo, texto: str, donde: tuple[str, int] | None = None) -> None:
        """Un evento de primitiva o de hilo (arranca, espera, muere) en la línea de tiempo.

        Va detrás de la línea en la que ocurre, que se apunta primero aunque no haya acabado
        (el hilo espera o muere en ella).
        """
        self._apuntar_linea(hilo)
        if donde is not None:
            texto += f" ({_corto(donde[0])}:{donde[1]})"
        self.eventos.append((hilo.numero, None, texto))

    def huella(self) -> str:
        return hashlib.sha256(repr(self.cambios).encode()).hexdigest()[:16]

    def linea_de_tiempo(self) -> str:
        """Los últimos eventos, uno por fila; el nombre del hilo solo cuando cambia.

        Un bucle que da vueltas (un ejecutor ocioso, un hilo que gira) se enseña una vez,
        con cuántas veces se repitió: si no, llenaría las 30 filas y taparía lo demás.
        """
        filas = _sin_repeticiones(list(self.eventos))[-_EVENTOS_MOSTRADOS:]
        ancho = max((len(h.nombre) for h in self.hilos), default=6)
        lineas, anterior = [], None
        for fila in filas:
            if isinstance(fila, str):
                lineas.append(f"    {'':<{ancho}} | {fila}")
                continue
            numero, fichero, dato = fila
            nombre = self.hilos[numero].nombre if numero != anterior else ""
            anterior = numero
            if fichero is None:
                texto = f"· {dato}"
            else:
                codigo = linecache.getline(fichero, dato).strip()
                texto = f"{_corto(fichero)}:{dato}  {codigo}"
            lineas.append(f"    {nombre:<{ancho}} | {texto}")
        return "\n".join(lineas)

    def _texto_de_bloqueo(self) -> str:
        filas = [
            f"    {h.nombre} espera en {h.espera}{_en(h.donde)}"
            for h in self.hilos
            if h.estado == BLOQUEADO
        ]
        return (
            "se queda bloqueado: todos los hilos esperan algo que nadie va a dar, y ninguno "
            "tiene un plazo (timeout) pendiente.\nQuién espera qué:\n" + "\n".join(filas)
        )

    def _texto_de_no_termina(self) -> str:
        filas = [f"    {h.nombre}{_en(h.ultima)}" for h in self.hilos if h.estado != TERMINADO]
        if self.reloj > 1:  # duerme y vuelve a mirar: espera algo que no llega
            causa = (
                f"y {self.reloj:.0f} s de reloj virtual sigue en marcha: un bucle espera algo "
                "que no va a llegar nunca (mira qué comprueba cada vuelta)."
            )
        else:
            causa = (
                "sigue en marcha sin esperar a nadie: ¿un bucle que no para, o que pregunta "
                "«¿ya?» sin dormir ni esperar en un semáforo?"
            )
        return (
            f"no termina: tras {self.pasos_max} pasos {causa}\nPor dónde iba cada hilo:\n"
            + "\n".join(filas)
        )

    def _texto_de_no_vuelve(self, segundos: float) -> str:
        hilo = self.turno
        donde = None
        if hilo is not None and hilo.ident is not None:
            marco = sys._current_frames().get(hilo.ident)
            donde = _linea_en_marco(marco, self.ficheros)
        nombre = hilo.nombre if hilo is not None else "?"
        return (
            f"el hilo {nombre} lleva {segundos:.0f} s (de verdad) parado{_en(donde)} sin "
            "volver al planificador: espera algo de fuera (E/S real, un sleep importado con "
            "`from time import sleep` antes de explorar...). ¿Un Lock o un Semaphore creado "
            "antes de explorar? Esos son de verdad: créalos dentro del escenario."
        )

    def _texto_de_atascados(self, atascados: list[_Hilo]) -> str:
        frames = sys._current_frames()
        filas = [
            f"    {h.nombre}{_en(_linea_en_marco(frames.get(h.hilo.ident or -1), self.ficheros))}"
            for h in atascados
        ]
        return (
            "al acabar el plan quedan hilos que no se pueden parar: esperan fuera del "
            "planificador (E/S real, o un cerrojo creado antes de explorar).\n" + "\n".join(filas)
        )


def _sin_repeticiones(eventos: list[Any], largo_max: int = 8) -> list[Any]:
    """Cambia cada bloque que se repite seguido («A B A B A B») por «A B» y una nota."""
    salida: list[Any] = []
    i = 0
    while i < len(eventos):
        for largo in range(1, largo_max + 1):
            bloque = eventos[i : i + largo]
            veces = 1
            while eventos[i + veces * largo : i + (veces + 1) * largo] == bloque:
                veces += 1
            if veces >= 3:
                salida.extend(bloque)
                salida.append(f"… (lo de arriba se repite {veces - 1} veces más)")
                i += veces * largo
                break
        else:
            salida.append(eventos[i])
            i += 1
    return salida


def _corto(fichero: str) -> str:
    if "ipykernel_" in fichero:  # el código de una celda de un cuaderno
        return "celda"
    return os.path.basename(fichero)


def _en(donde: tuple[str, int] | None) -> str:
    if donde is None:
        return ""
    codigo = linecache.getline(donde[0], donde[1]).strip()
    return f" ({_corto(donde[0])}:{donde[1]}  {codigo})"


def _resumen(error: BaseException) -> str:
    texto = str(error)
    return f"{type(error).__name__}: {texto}" if texto else type(error).__name__


def _linea_del_alumno(traza: Any, ficheros: frozenset[str]) -> tuple[str, int] | None:
    """La última línea de los ficheros del alumno en una traza (o la última, sin más)."""
    encontrada, ultima = None, None
    while traza is not None:
        codigo = traza.tb_frame.f_code
        ultima = (codigo.co_filename, traza.tb_lineno)
        if codigo.co_filename in ficheros:
            encontrada = ultima
        traza = traza.tb_next
    return encontrada or ultima


def _linea_en_marco(marco: Any, ficheros: frozenset[str]) -> tuple[str, int] | None:
    """La línea del alumno más cercana a la cima de la pila de un marco."""
    while marco is not None:
        if marco.f_code.co_filename in ficheros:
            return (marco.f_code.co_filename, marco.f_lineno)
        marco = marco.f_back
    return None


def _donde_espera(ficheros: frozenset[str]) -> tuple[str, int] | None:
    return _linea_en_marco(sys._getframe(2), ficheros)


def _operacion(marco: Any) -> Any:
    """El marco de la función de threading/queue más externa por la que pasa quien llama.

    Es «la operación» que hace el alumno: un `Semaphore.acquire` acaba en el `acquire` de
    un cerrojo pasando por `Condition.wait`, y al alumno le dice más «Semaphore.acquire»
    que «Lock.acquire». None si el cerrojo lo coge directamente el alumno (o la prueba).
    """
    operacion = None
    while marco is not None:
        fichero = marco.f_code.co_filename
        if fichero in _FICHEROS_DE_PRIMITIVAS:
            operacion = marco
        elif fichero != __file__:
            break
        marco = marco.f_back
    return operacion


def _texto_del_error(error: BaseException, plan: _Plan) -> str:
    if isinstance(error, AssertionError):
        texto = str(error).split("\nassert ")[0].strip()
        return texto or "un assert del escenario no se cumple"
    if isinstance(error, pytest_fallo()):
        return str(getattr(error, "msg", error))
    donde = _linea_del_alumno(error.__traceback__, plan.ficheros)
    return f"el escenario lanzó {_resumen(error)}{_en(donde)}"


def pytest_fallo() -> type[BaseException]:
    try:
        import pytest
    except ImportError:  # pragma: no cover - el taller siempre tiene pytest
        return AssertionError
    return pytest.fail.Exception


# --- las primitivas cooperativas ------------------------------------------------------------


class CerrojoCooperativo:
    """Un `threading.Lock` que, en un hilo gestionado, espera cediendo el turno.

    Envuelve un cerrojo real: intenta cogerlo sin bloquear y, si está cogido, le dice al
    planificador «sigo cuando quede libre». Para un hilo no gestionado (pytest, el propio
    planificador) es el cerrojo real de siempre.
    """

    __slots__ = ("_real",)

    def __init__(self) -> None:
        self._real = _cerrojo_real()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        plan, hilo = _actual()
        if plan is None or hilo is None:
            return self._real.acquire(blocking, timeout)
        # Un punto de planificación por operación: los cerrojos que coge por dentro un
        # Semaphore o una Queue no añaden nada que el alumno pueda ver, y multiplicarían
        # los planes posibles sin encontrar nada nuevo.
        operacion = _operacion(sys._getframe(1))
        if operacion is None or operacion is not hilo.operacion:
            hilo.operacion = operacion
            plan.ceder(hilo)
        real = self._real
        if real.acquire(False):
            return True
        if not blocking:
            return False
        hasta = None if timeout is None or timeout < 0 else plan.reloj + timeout
        que = "Lock.acquire" if operacion is None else _nombre_de_funcion(operacion.f_code)
        while True:
            plan.bloquear(hilo, lambda: not real.locked(), hasta, que)
            if real.acquire(False):
                return True
            if hasta is not None and plan.reloj >= hasta:
                return False

    __enter__ = acquire

    def __exit__(self, *_excepcion: object) -> None:
        self._real.release()

    def release(self) -> None:
        self._real.release()

    def locked(self) -> bool:
        return self._real.locked()

    def _at_fork_reinit(self) -> None:
        self._real = _cerrojo_real()

    def __repr__(self) -> str:
        estado = "cogido" if self._real.locked() else "libre"
        return f"<CerrojoCooperativo {estado}>"


def _iniciar(hilo: threading.Thread) -> None:
    """`Thread.start`: desde un hilo gestionado, el hilo nuevo también lo es."""
    plan, llamante = _actual()
    if plan is None or llamante is None:
        return _inicio_real(hilo)
    if not hilo._initialized:  # los mismos errores que el start de verdad
        raise RuntimeError("thread.__init__() not called")
    if hilo._started.is_set():
        raise RuntimeError("threads can only be started once")
    plan.ceder(llamante)
    gestionado = plan.registrar(hilo)
    plan.evento(llamante, f"arranca {gestionado.nombre}")
    plan.lanzar(hilo, gestionado)
    return None


def _esperar_hilo(hilo: threading.Thread, timeout: float | None = None) -> None:
    """`Thread.join` de un hilo gestionado: espera a que el planificador lo dé por terminado."""
    plan, llamante = _actual()
    objetivo = plan.por_hilo.get(hilo) if plan is not None else None
    if plan is None or llamante is None or objetivo is None:
        return _join_real(hilo, timeout)
    if objetivo is llamante:
        raise RuntimeError("cannot join current thread")
    plan.ceder(llamante)
    hasta = None if timeout is None else plan.reloj + max(0.0, timeout)
    while objetivo.estado != TERMINADO:
        if hasta is not None and plan.reloj >= hasta:
            return None
        plan.bloquear(llamante, lambda: objetivo.estado == TERMINADO, hasta, "Thread.join")
    return None


def _esta_vivo(hilo: threading.Thread) -> bool:
    """`Thread.is_alive` de un hilo gestionado: lo que diga el planificador (determinista)."""
    plan = _activo
    objetivo = plan.por_hilo.get(hilo) if plan is not None else None
    if objetivo is None:
        return _is_alive_real(hilo)
    return objetivo.estado != TERMINADO


def _dormir(segundos: float) -> None:
    plan, hilo = _actual()
    if plan is None or hilo is None:
        return _sleep_real(segundos)
    if segundos < 0:
        raise ValueError("sleep length must be non-negative")
    plan.bloquear(hilo, _nunca, plan.reloj + segundos, "time.sleep")
    return None


def _reloj_monotono() -> float:
    plan, hilo = _actual()
    if plan is None or hilo is None:
        return _monotonic_real()
    return _EPOCA_VIRTUAL + plan.reloj


def _reloj_de_pared(real: Callable[[], float]) -> Callable[[], float]:
    def ahora() -> float:
        plan, hilo = _actual()
        if plan is None or hilo is None:
            return real()
        return _EPOCA_VIRTUAL + plan.reloj

    return ahora


class _SinAbortos(logging.Filter):
    """ThreadPoolExecutor escribe «Exception in worker» si su hilo acaba con BaseException."""

    def filter(self, registro: logging.LogRecord) -> bool:
        info = registro.exc_info
        return not (info and isinstance(info[1], _PlanAbortado))


@contextlib.contextmanager
def _parches() -> Iterator[None]:
    """Vuelve cooperativas las primitivas de threading y virtual el reloj; lo deshace todo."""
    parches = [
        (threading, "Lock", CerrojoCooperativo),
        (threading, "_allocate_lock", CerrojoCooperativo),
        (threading, "RLock", threading._PyRLock),
        (threading.Thread, "start", _iniciar),
        (threading.Thread, "join", _esperar_hilo),
        (threading.Thread, "is_alive", _esta_vivo),
        (queue, "SimpleQueue", queue._PySimpleQueue),  # la de C bloquea fuera del planificador
        (concurrent.futures.thread, "_global_shutdown_lock", CerrojoCooperativo()),
        (threading, "_time", _reloj_monotono),  # Condition.wait_for lo usa
        (queue, "time", _reloj_monotono),
        (time, "monotonic", _reloj_monotono),
        (time, "perf_counter", _reloj_de_pared(time.perf_counter)),
        (time, "time", _reloj_de_pared(time.time)),
        (time, "sleep", _dormir),
    ]
    originales = [(objeto, nombre, objeto.__dict__[nombre]) for objeto, nombre, _ in parches]
    filtro = _SinAbortos()
    registro = logging.getLogger("concurrent.futures")
    # El recolector de ciclos ejecuta finalizadores en el hilo que le toca: con él en
    # marcha, un plan podría tener puntos de planificación de más según la memoria.
    recolector = gc.isenabled()
    gc.disable()
    registro.addFilter(filtro)
    try:
        for objeto, nombre, nuevo in parches:
            setattr(objeto, nombre, nuevo)
        yield
    finally:
        for objeto, nombre, original in originales:
            setattr(objeto, nombre, original)
        registro.removeFilter(filtro)
        if recolector:
            gc.enable()


# --- explorar -------------------------------------------------------------------------------


def _ficheros_por_defecto(marco: Any) -> list[Path]:
    from taller.pruebas import carpeta_de_codigo

    if "__file__" not in marco.f_globals:  # un cuaderno, la consola...
        raise ValueError(
            "Fuera de una prueba, dile a explorar() qué código vigilar: ficheros=[...]"
        )
    return [Path(carpeta_de_codigo(Path(marco.f_globals["__file__"]).parent))]


def _normalizar(ficheros: Iterable[str | Path]) -> frozenset[str]:
    """Rutas tal cual y resueltas; una carpeta son sus .py (sin pruebas ni ficheros de apoyo)."""
    nombres: set[str] = set()
    for entrada in ficheros:
        ruta = Path(entrada)
        lista = sorted(ruta.glob("*.py")) if ruta.is_dir() else [ruta]
        for fichero in lista:
            if fichero.name.startswith("test_") or es_de_apoyo(fichero):
                continue
            nombres.update({str(fichero), os.path.abspath(fichero), str(fichero.resolve())})
    return frozenset(nombres)


def hilos_muertos() -> list[tuple[str, BaseException]]:
    """Desde un escenario: los hilos del plan que han muerto con una excepción, hasta ahora."""
    plan = _activo
    if plan is None:
        return []
    return [(hilo.nombre, error) for hilo, error, _ in plan.muertes]


_explorando = _cerrojo_real()


def explorar(
    escenario: Callable[[], object],
    *,
    que: str,
    planes: int = 200,
    semilla: int = 0,
    ficheros: Iterable[str | Path] | None = None,
    pista: str | None = None,
    pasos_max: int = 10_000,
) -> Exploracion:
    """Ejecuta `escenario()` con `planes` órdenes de ejecución distintos; falla en el primero
    que lanza, se bloquea, no termina o tiene un hilo atascado fuera del planificador.

    `ficheros`: los ficheros (o carpetas) cuyas líneas son puntos de planificación; por
    defecto, la carpeta de código de la prueba que llama (`taller.pruebas.carpeta_de_codigo`).
    `pista`: la explicación que se añade si el plan se cuelga (bloqueo, no termina o un hilo
    atascado); un assert del escenario ya lleva la suya. `pasos_max`: los puntos de
    planificación que puede tener un plan antes de darlo por «no termina».

    Si el código de la carpeta de la prueba ya se quedó colgado en otra prueba (un límite de
    con_limite o de la prueba entera que venció), falla al instante sin explorar: cada plan
    volvería a colgarse (ver `taller.pruebas.si_ya_se_colgo`).
    """
    __tracebackhide__ = True
    from taller.pruebas import si_ya_se_colgo

    si_ya_se_colgo(que)  # con el código ya colgado en otra prueba, cada plan se colgaría
    if ficheros is None:
        ficheros = _ficheros_por_defecto(sys._getframe(1))
    nombres = _normalizar(ficheros)
    if not _explorando.acquire(False):
        raise RuntimeError("explorar() no se puede anidar ni usar desde dos hilos a la vez")
    resultado = Exploracion()
    distintas: set[str] = set()
    todas = hashlib.sha256()
    fallido: _Plan | None = None
    inicio = _monotonic_real()
    pasos_estimados = 50
    try:
        with _parches():
            for numero in range(planes):
                plan = _Plan(numero, semilla, nombres, pasos_max, pasos_estimados)
                plan.ejecutar(escenario)
                resultado.planes += 1
                resultado.pasos_max = max(resultado.pasos_max, plan.pasos)
                pasos_estimados = max(pasos_estimados, plan.pasos)
                distintas.add(plan.huella())
                todas.update(plan.huella().encode())
                if plan.fallo is not None:
                    fallido = plan
                    break
                gc.collect(0)  # entre planes, en el hilo de la prueba: siempre en el mismo sitio
    finally:
        _explorando.release()
        # Solo la generación joven: una recolección completa del montón de pytest cuesta
        # 0,1-0,3 s por llamada a explorar (y un módulo llama ~12 veces). Lo que quede de los
        # planes lo recoge la guardia de recursos al acabar la prueba (taller.fugas).
        gc.collect(0)
    resultado.distintos = len(distintas)
    resultado.huella = todas.hexdigest()[:16]
    resultado.segundos = _monotonic_real() - inicio
    if fallido is not None and isinstance(fallido.error_del_escenario, NotImplementedError):
        raise fallido.error_del_escenario  # el esqueleto sin hacer: su mensaje dice qué falta
    if fallido is not None:
        _fallar(fallido, que=que, planes=planes, semilla=semilla, pista=pista)
    return resultado


def describir(escenario: Callable[[], object], **opciones: Any) -> str:
    """Como `explorar`, pero devuelve el informe en vez de fallar: para los cuadernos.

    El mensaje del primer plan que falla o, si ninguno falla, cuántos planes se probaron.
    """
    import pytest

    opciones.setdefault("que", "El escenario")
    if "ficheros" not in opciones:
        opciones["ficheros"] = _ficheros_por_defecto(sys._getframe(1))
    try:
        resultado = explorar(escenario, **opciones)
    except pytest.fail.Exception as fallo:
        return str(fallo)
    return (
        f"{opciones['que']}: ningún fallo en {resultado.planes} planes "
        f"({resultado.distintos} órdenes distintos)."
    )


def _fallar(plan: _Plan, *, que: str, planes: int, semilla: int, pista: str | None) -> None:
    __tracebackhide__ = True
    import pytest

    assert plan.fallo is not None
    # La pista (como la de con_limite) explica un cuelgue; un assert ya trae la suya.
    # `taller comprobar` enseña solo la primera línea: lo que falló y la pista van en ella.
    primera, _, detalle = plan.fallo.texto.partition("\n")
    if pista and plan.fallo.cuelga:
        primera = f"{primera} {pista}"
    partes = [f"{que}: {primera}"] + ([detalle] if detalle else [])
    partes += [
        f"Lo encontré en el plan {plan.numero + 1} de {planes} (semilla {semilla}); con el "
        "mismo código sale siempre igual.",
        "Lo último que pasó (los más recientes, abajo):",
        plan.linea_de_tiempo(),
    ]
    if plan.muertes:
        partes.append("Hilos que murieron con una excepción:")
        partes.extend(
            f"    {hilo.nombre}: {_resumen(error)}{_en(donde)}"
            for hilo, error, donde in plan.muertes
        )
    pytest.fail("\n".join(partes), pytrace=False)
