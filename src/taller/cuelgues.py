"""Cuando algo se cuelga: dónde está parado cada hilo, y qué procesos hay que terminar.

- `describir_hilos(carpetas)`: para cada hilo vivo que está ejecutando código del alumno
  (un fichero de `carpetas`), la línea en la que está parado y qué espera, en español
  («ejecutor1: pool.py, línea 57, en _trabajar: `self._hay.acquire()` → espera en
  Semaphore.acquire»). Sale de `sys._current_frames()`: la pila de cada hilo en este momento.
- `descendientes()` / `terminar(pids)`: los procesos que cuelgan de este (hijos, nietos), para
  terminar los que deja una importación o una prueba que no acaba.
"""

from __future__ import annotations

import contextlib
import functools
import linecache
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

# Lo que espera un hilo, dicho para quien empieza. La clave es el co_qualname de la función
# de threading.py (o de otro módulo de la biblioteca estándar) a la que llamó el código.
_ESPERAS = {
    "Semaphore.acquire": "un semáforo que nadie libera",
    "BoundedSemaphore.acquire": "un semáforo que nadie libera",
    "Event.wait": "un evento que nadie activa (set)",
    "Condition.wait": "una condición que nadie avisa (notify)",
    "Condition.wait_for": "una condición que nadie avisa (notify)",
    "Thread.join": "a que acabe otro hilo, que no acaba",
    "Barrier.wait": "en una barrera a la que no llegan los demás",
    "Queue.get": "a que alguien meta algo en la cola",
    "Queue.put": "a que haya sitio en la cola",
    "Queue.join": "a que se terminen las tareas de la cola (task_done)",
    "run": "a que acabe el proceso que lanzó",
    "Popen.wait": "a que acabe el proceso que lanzó",
    "Popen.communicate": "a que acabe el proceso que lanzó",
    "check_output": "a que acabe el proceso que lanzó",
    "check_call": "a que acabe el proceso que lanzó",
    "call": "a que acabe el proceso que lanzó",
}


@dataclass
class Parada:
    """Dónde está un hilo: sus líneas del alumno (de fuera a dentro) y a qué llamó."""

    hilo: threading.Thread | None
    lineas: list[tuple[Path, int, str]]  # (fichero, línea, función) del alumno
    llamada: str | None  # p. ej. "Semaphore.acquire" o "subprocess.run"

    @property
    def ultima(self) -> tuple[Path, int, str] | None:
        return self.lineas[-1] if self.lineas else None

    def donde(self, relativa=None) -> str:
        """«pool.py, línea 57 (en _trabajar): `self._hay.acquire()`»."""
        if not self.ultima:
            return "fuera de tu código"
        fichero, linea, funcion = self.ultima
        nombre = relativa(fichero) if relativa else fichero.name
        en = "" if funcion == "<module>" else f" (en {funcion})"
        texto = linecache.getline(str(fichero), linea).strip()
        return f"{nombre}, línea {linea}{en}" + (f": `{texto}`" if texto else "")

    def que_espera(self) -> str:
        if self.llamada is None:
            return ""
        corta = self.llamada.rsplit(".", 2)
        clave = ".".join(corta[-2:]) if len(corta) >= 2 else self.llamada
        explicacion = _ESPERAS.get(clave) or _ESPERAS.get(self.llamada.rsplit(".", 1)[-1])
        return f"espera en {self.llamada}" + (f": {explicacion}" if explicacion else "")


@functools.lru_cache(maxsize=4096)
def _en(fichero: str, carpetas: frozenset[str]) -> Path | None:
    """La ruta de `fichero` si es del alumno: está en una de `carpetas` y no es test_*.py."""
    if not fichero or fichero.startswith("<"):
        return None
    carpeta, _, nombre = fichero.rpartition(os.sep)
    if carpeta in carpetas and not nombre.startswith("test_"):
        return Path(fichero)
    return None


def _textos(carpetas: Iterable[Path]) -> frozenset[str]:
    return frozenset(str(c) for c in carpetas)


def _nombre_de_llamada(frame: FrameType) -> str:
    codigo = frame.f_code
    nombre = getattr(codigo, "co_qualname", codigo.co_name)
    modulo = Path(codigo.co_filename).stem
    return nombre if modulo == "threading" else f"{modulo}.{nombre}"


def parada(frame: FrameType | None, carpetas: Iterable[Path], hilo=None) -> Parada:
    """La Parada de una pila (el frame más interno), mirando solo el código de `carpetas`."""
    carpetas = carpetas if isinstance(carpetas, frozenset) else _textos(carpetas)
    pila: list[FrameType] = []
    while frame is not None:
        pila.append(frame)
        frame = frame.f_back
    pila.reverse()  # de fuera a dentro
    lineas, llamada = [], None
    for indice, actual in enumerate(pila):
        ruta = _en(actual.f_code.co_filename, carpetas)
        if ruta is None:
            continue
        lineas.append((ruta, actual.f_lineno, actual.f_code.co_name))
        siguiente = pila[indice + 1] if indice + 1 < len(pila) else None
        if siguiente is not None and _en(siguiente.f_code.co_filename, carpetas) is None:
            llamada = _nombre_de_llamada(siguiente)
            if llamada.startswith(("importlib.", "<frozen")):
                llamada = None
        else:
            llamada = None
    return Parada(hilo, lineas, llamada)


def paradas(carpetas: Iterable[Path], excluir: Iterable[threading.Thread] = ()) -> list[Parada]:
    """Las Paradas de los hilos vivos que están en código de `carpetas` (sin `excluir`)."""
    carpetas = _textos(carpetas)
    fuera = {h.ident for h in excluir} | {threading.get_ident()}
    frames = sys._current_frames()
    encontradas = []
    for hilo in threading.enumerate():
        if hilo.ident in fuera or hilo.ident not in frames:
            continue
        una = parada(frames[hilo.ident], carpetas, hilo)
        if una.lineas:
            encontradas.append(una)
    return encontradas


def _cpu(hilos: Iterable[threading.Thread]) -> dict[int, float]:
    tiempos = {}
    for hilo in hilos:
        if hilo.native_id is None:
            continue
        with contextlib.suppress(OSError):
            tiempos[hilo.native_id] = time.clock_gettime((~hilo.native_id << 3) | 6)
    return tiempos


def describir_hilos(
    carpetas: Iterable[Path],
    excluir: Iterable[threading.Thread] = (),
    nombres: dict[threading.Thread, str] | None = None,
    relativa=None,
    medir_cpu: float = 0.1,
) -> str:
    """Unas líneas en español: cada hilo del alumno, dónde está parado y qué espera.

    Con `medir_cpu` > 0 se mira durante esos segundos si cada hilo gasta CPU: un hilo que
    gira en un bucle no está «esperando», y eso cambia lo que hay que arreglar.
    """
    todas = paradas(carpetas, excluir)
    if not todas:
        return ""
    girando: set[int] = set()
    if medir_cpu > 0 and sys.platform.startswith("linux"):
        antes = _cpu(p.hilo for p in todas)
        time.sleep(medir_cpu)
        despues = _cpu(p.hilo for p in todas)
        girando = {n for n, t in despues.items() if t - antes.get(n, t) > medir_cpu / 50}
    lineas = ["Los hilos que siguen en tu código, y dónde está parado cada uno:"]
    for una in todas:
        nombre = (nombres or {}).get(una.hilo) or una.hilo.name
        texto = f"  · {nombre}: {una.donde(relativa)}"
        if una.hilo.native_id in girando:
            texto += " → no espera: sigue en marcha gastando CPU (¿un bucle que no para?)"
        elif una.que_espera():
            texto += f" → {una.que_espera()}"
        lineas.append(texto)
    return "\n".join(lineas)


# --- Procesos ------------------------------------------------------------------------------


def en_proc(nombre: str) -> list[Path]:
    """/proc/PID/NOMBRE de cada proceso (puede que alguno ya no exista al leerlo).

    Sin Path("/proc").glob("[0-9]*/NOMBRE"): glob mira si cada fichero existe, y el de un
    proceso que está muriendo da ProcessLookupError (ESRCH), que glob no espera y deja salir.
    Pasó en make test: salió como «un error al importar» el código de un caso casi bien."""
    return [Path("/proc", pid, nombre) for pid in os.listdir("/proc") if pid.isdigit()]


def _padres() -> dict[int, int]:
    padres = {}
    for stat in en_proc("stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            campos = stat.read_text().rsplit(")", 1)[1].split()
            if campos[0] != "Z":
                padres[int(stat.parent.name)] = int(campos[1])
    return padres


def descendientes(de: int | None = None) -> set[int]:
    """Los pids vivos que cuelgan de `de` (por defecto, de este proceso): hijos, nietos..."""
    raiz = os.getpid() if de is None else de
    padres = _padres()
    encontrados: set[int] = set()
    pendientes = [raiz]
    while pendientes:
        actual = pendientes.pop()
        for pid, padre in padres.items():
            if padre == actual and pid not in encontrados:
                encontrados.add(pid)
                pendientes.append(pid)
    return encontrados


def con_marca(marca: str) -> set[int]:
    """Los pids vivos con `marca` («CLAVE=valor») en su entorno (también huérfanos)."""
    buscada = marca.encode()
    encontrados = set()
    for entorno in en_proc("environ"):
        with contextlib.suppress(OSError, ValueError):
            if buscada in entorno.read_bytes().split(b"\0"):
                encontrados.add(int(entorno.parent.name))
    encontrados.discard(os.getpid())
    return encontrados


def orden_de(pid: int) -> str:
    """La orden de un proceso («sleep 1000»), o '' si ya no existe."""
    try:
        partes = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    return " ".join(p.decode(errors="replace") for p in partes if p)[:120]


def terminar(pids: Iterable[int]) -> list[tuple[int, str]]:
    """Mata (SIGKILL) estos procesos. Devuelve [(pid, orden)] de los que mató.

    No los recoge (wait): si alguien los lanzó con subprocess, su Popen los recoge al ver que
    han muerto, y así no se le quita el código de salida.
    """
    terminados = []
    for pid in sorted(set(pids)):
        orden = orden_de(pid)
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue
        terminados.append((pid, orden))
    return terminados


def describir_terminados(terminados: list[tuple[int, str]]) -> str:
    if not terminados:
        return ""
    lista = ", ".join(f"`{orden or '?'}` (pid {pid})" for pid, orden in terminados)
    if len(terminados) == 1:
        return f"He terminado el proceso que quedó corriendo: {lista}."
    return f"He terminado los {len(terminados)} procesos que quedaron corriendo: {lista}."
