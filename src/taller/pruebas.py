"""Ayudas para las pruebas de los ejercicios: cargar el código del alumno y vigilar hilos.

`cargar("servidor")` devuelve el módulo `servidor.py` de la carpeta del ejercicio que
llama (o de `soluciones/NN` con `pytest --soluciones`). La carga es perezosa: ocurre al
usar el primer atributo, dentro de una prueba, así que un fichero con errores hace fallar
cada prueba con un mensaje claro en lugar de romper la recogida de pruebas.

Cada carpeta tiene su propio espacio de nombres: `pool.py` de 03 y `pool.py` de 04 pueden
cargarse en la misma ejecución, y un fichero del ejercicio puede importar a su vecino
(`from promesa import Promesa`) con un `import` normal.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

_estado: dict[str, Any] = {"soluciones": False, "codigo": None}
_cargados: dict[Path, dict[str, ModuleType]] = {}


def usar_soluciones(activar: bool) -> None:
    """Lo llama el plugin de pytest según la opción --soluciones."""
    _estado["soluciones"] = bool(activar)


def usar_codigo_de(carpeta: str | None) -> None:
    """Opción de mantenimiento --codigo: el código sale de CARPETA/NN (p. ej. un mutante)."""
    _estado["codigo"] = Path(carpeta).resolve() if carpeta else None


def usando_soluciones() -> bool:
    return _estado["soluciones"]


def carpeta_de_codigo(carpeta_de_pruebas: Path) -> Path:
    """ejercicios/NN, o soluciones/NN si se pidió --soluciones."""
    carpeta_de_pruebas = carpeta_de_pruebas.resolve()
    if _estado["codigo"] is not None:
        return _estado["codigo"] / carpeta_de_pruebas.name
    if not usando_soluciones():
        return carpeta_de_pruebas
    return carpeta_de_pruebas.parent.parent / "soluciones" / carpeta_de_pruebas.name


def _relativa(ruta: Path) -> str:
    try:
        return str(ruta.relative_to(Path.cwd()))
    except ValueError:
        partes = ruta.parts
        return str(Path(*partes[-3:])) if len(partes) >= 3 else str(ruta)


def _nombres_locales(carpeta: Path) -> set[str]:
    return {f.stem for f in carpeta.glob("*.py") if not f.name.startswith("test_")}


@contextlib.contextmanager
def _espacio_de_nombres(carpeta: Path) -> Iterator[dict[str, ModuleType]]:
    """Pone la carpeta y sus módulos ya cargados en sys.path / sys.modules, y los retira.

    Así dos carpetas con un `pool.py` no se pisan, y los vecinos se importan entre sí.
    """
    propios = _cargados.setdefault(carpeta, {})
    nombres = _nombres_locales(carpeta) | set(propios)
    apartados = {n: sys.modules.pop(n) for n in list(sys.modules) if n in nombres}
    sys.modules.update(propios)
    sys.path.insert(0, str(carpeta))
    try:
        yield propios
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(carpeta))
        for nombre in nombres:
            modulo = sys.modules.pop(nombre, None)
            if modulo is not None and Path(getattr(modulo, "__file__", "") or "").parent == carpeta:
                propios[nombre] = modulo
        sys.modules.update(apartados)


def _cargar_ya(carpeta: Path, nombre: str) -> ModuleType:
    ruta = carpeta / f"{nombre}.py"
    if not ruta.is_file():
        pytest.fail(
            f"No encuentro el fichero {_relativa(ruta)}. Las pruebas esperan que exista: "
            f"¿lo has borrado o renombrado? `taller reiniciar {carpeta.name}` lo devuelve "
            "a su estado inicial.",
            pytrace=False,
        )
    if nombre in _cargados.get(carpeta, {}):
        return _cargados[carpeta][nombre]
    with _espacio_de_nombres(carpeta) as propios:
        try:
            modulo = importlib.import_module(nombre)
        except SyntaxError as error:
            pytest.fail(
                f"{_relativa(ruta)} tiene un error de sintaxis en la línea {error.lineno}: "
                f"{error.msg}.\n    {(error.text or '').rstrip()}",
                pytrace=False,
            )
        except Exception as error:  # noqa: BLE001 - se explica al alumno, no se oculta
            detalle = "".join(traceback.format_exception_only(type(error), error)).strip()
            pytest.fail(
                f"Al importar {_relativa(ruta)} salta un error antes de llegar a las pruebas:"
                f"\n    {detalle}\nRevisa el código que está fuera de las funciones.",
                pytrace=False,
            )
        propios[nombre] = modulo
    return modulo


class ModuloDelEjercicio:
    """Representa un fichero del ejercicio; lo carga al usarlo por primera vez."""

    def __init__(self, nombre: str, carpeta_de_pruebas: Path) -> None:
        self._nombre = nombre
        self._carpeta_de_pruebas = carpeta_de_pruebas

    @property
    def modulo(self) -> ModuleType:
        return _cargar_ya(carpeta_de_codigo(self._carpeta_de_pruebas), self._nombre)

    def __getattr__(self, atributo: str) -> Any:
        if atributo.startswith("__"):
            raise AttributeError(atributo)
        modulo = self.modulo
        try:
            return getattr(modulo, atributo)
        except AttributeError:
            pytest.fail(
                f"No encuentro `{atributo}` en {_relativa(Path(modulo.__file__))}. "
                "Las pruebas lo usan con ese nombre exacto: ¿lo has borrado, renombrado o "
                "escrito con otra mayúscula?",
                pytrace=False,
            )

    def __repr__(self) -> str:
        return f"<fichero del ejercicio {self._nombre}.py>"


def cargar(nombre: str) -> ModuloDelEjercicio:
    """El fichero `nombre`.py del ejercicio de quien llama (ver el docstring del módulo)."""
    llamador = Path(sys._getframe(1).f_globals["__file__"]).resolve()
    return ModuloDelEjercicio(nombre, llamador.parent)


# ---------------------------------------------------------------------------
# Hilos: límites de tiempo que fallan con un mensaje, y hilos que no se escapan.
# ---------------------------------------------------------------------------


PISTA_DE_BLOQUEO = (
    "Algo se ha quedado esperando para siempre: ¿un semáforo o un cerrojo que nunca se "
    "libera, un join() de un hilo que no para, o un bucle que no comprueba si debe detenerse?"
)


def con_limite(
    segundos: float,
    funcion: Callable[..., Any],
    *args: Any,
    que: str,
    pista: str | None = None,
    **kwargs: Any,
) -> Any:
    """Ejecuta `funcion` en un hilo daemon y falla con un mensaje claro si no acaba a tiempo.

    El hilo es daemon para que un bloqueo del alumno (un semáforo que nunca se libera)
    no impida que el proceso de pytest termine. `pista` cambia la explicación genérica
    (pensada para hilos y cerrojos) por una propia de la prueba.
    """
    __tracebackhide__ = True  # en las trazas de pytest, del test se salta al código del alumno
    resultado: dict[str, Any] = {}

    def envoltorio() -> None:
        __tracebackhide__ = True
        try:
            resultado["valor"] = funcion(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - se vuelve a lanzar en el hilo de la prueba
            resultado["error"] = error

    hilo = threading.Thread(target=envoltorio, name=f"limite: {que}", daemon=True)
    hilo.start()
    hilo.join(segundos)
    if hilo.is_alive():
        pytest.fail(
            f"{que} no terminó en {segundos:g} s. {pista or PISTA_DE_BLOQUEO}", pytrace=False
        )
    if "error" in resultado:
        error = resultado["error"]
        explicacion = _explicacion_de(error)
        if explicacion:
            pytest.fail(
                f"{que}: {explicacion} (El error, en inglés: {type(error).__name__}: «{error}»)",
                pytrace=False,
            )
        raise error
    return resultado.get("valor")


def _explicacion_de(error: BaseException) -> str | None:
    """La explicación en español de un error típico de hilos, si lo es."""
    for (tipo, principio), explicacion in _ERRORES_DE_HILOS.items():
        if type(error).__name__ == tipo and str(error).startswith(principio):
            return explicacion
    return None


# Los errores de hilos más típicos de quien empieza, en inglés: se traducen y se explican
# (con_limite los ve todos, porque las pruebas con hilos pasan por él). La clave es el tipo
# y el principio del mensaje.
_ERRORES_DE_HILOS = {
    ("ProgrammingError", "SQLite objects created in a thread can only be used"): (
        "una conexión de SQLite se creó en un hilo y se usó en otro. Una conexión no se "
        "comparte entre hilos: abre una en cada llamada (o en cada hilo) y ciérrala al acabar."
    ),
    ("RuntimeError", "cannot join thread before it is started"): (
        "join() de un hilo que no se ha arrancado. Cada hilo necesita su start() antes de "
        "esperarlo con join(): ¿falta algún start(), o arrancar() está sin hacer?"
    ),
    ("RuntimeError", "threads can only be started once"): (
        "start() dos veces en el mismo hilo. Un Thread solo se arranca una vez: si necesitas "
        "otro, crea un Thread nuevo."
    ),
    ("RuntimeError", "cannot join current thread"): (
        "un hilo hizo join() de sí mismo, y se esperaría para siempre. ¿Llamas a detener() "
        "desde dentro de un trabajo o de un ejecutor?"
    ),
}


def _texto_corto(error: BaseException, largo: int = 160) -> str:
    texto = str(error)
    return texto if len(texto) <= largo else texto[: largo - 1] + "…"


def _explicar(por_que: str | Callable[[], str]) -> str:
    return por_que() if callable(por_que) else por_que


def lanza(
    tipo: type[BaseException],
    que: str,
    llamada: Callable[[], Any],
    por_que: str | Callable[[], str] = "",
) -> BaseException:
    """Comprueba que `llamada()` lanza `tipo` y devuelve la excepción, para mirar su mensaje.

    Con `pytest.raises` a secas, si no lanza nada el alumno lee «DID NOT RAISE» (en inglés),
    y si lanza otra cosa (un `CalledProcessError`, un `OSError` de una biblioteca) ve una
    traza cruda. Aquí los dos casos fallan con un mensaje en español que dice qué pasó;
    `que` es la llamada como la escribiría el alumno («validar_puerto(True)») y `por_que`
    la explicación: un texto, o una función que la calcula solo si hace falta. Un
    NotImplementedError (el esqueleto sin hacer) sale tal cual: su mensaje dice qué falta.
    """
    __tracebackhide__ = True
    try:
        llamada()
    except NotImplementedError:
        raise
    except tipo as error:
        return error
    except Exception as error:  # noqa: BLE001 - se explica en el mensaje de la prueba
        pytest.fail(
            f"{que} lanzó {type(error).__name__} («{_texto_corto(error)}») y debía lanzar "
            f"{tipo.__name__}. {_explicar(por_que)}".rstrip(),
            pytrace=False,
        )
    pytest.fail(f"{que} no lanzó {tipo.__name__}. {_explicar(por_que)}".rstrip(), pytrace=False)


@contextlib.contextmanager
def lanzando(
    tipo: type[BaseException], que: str, por_que: str | Callable[[], str] = ""
) -> Iterator[pytest.ExceptionInfo[BaseException]]:
    """`lanza` para un bloque `with`, cuando la llamada son varias líneas.

    Como `pytest.raises(tipo)`; si se escapa otra excepción, falla diciendo cuál. Si el
    bloque no lanza nada, falla como pytest.raises: el bloque debe acabar en un
    `pytest.fail("...")` con el mensaje en español.
    """
    __tracebackhide__ = True
    try:
        with pytest.raises(tipo) as info:
            yield info
    except NotImplementedError:
        raise
    except Exception as otra:  # noqa: BLE001 - pytest.fail (BaseException) pasa de largo
        pytest.fail(
            f"{que} lanzó {type(otra).__name__} («{_texto_corto(otra)}») y debía lanzar "
            f"{tipo.__name__}. {_explicar(por_que)}".rstrip(),
            pytrace=False,
        )


def hilos_vivos() -> set[threading.Thread]:
    return {h for h in threading.enumerate() if h.is_alive()}


def comprobar_que_no_quedan_hilos(
    antes: set[threading.Thread], segundos: float = 2.0, que: str = ""
) -> None:
    """Falla si siguen vivos hilos creados después de `antes` (espera un poco a que acaben)."""
    nuevos = [h for h in hilos_vivos() - antes if not h.name.startswith("limite: ")]
    for hilo in nuevos:
        hilo.join(segundos / max(1, len(nuevos)))
    vivos = [h.name for h in nuevos if h.is_alive()]
    if vivos:
        pytest.fail(
            f"{que or 'Al terminar'} siguen vivos {len(vivos)} hilos: {', '.join(sorted(vivos))}. "
            "Detener el pool debe parar y esperar (join) a todos sus hilos.",
            pytrace=False,
        )


def _reloj_de_cpu_del_hilo(tid: int) -> int:
    """El reloj de CPU de un hilo a partir de su id del sistema (Linux: MAKE_THREAD_CPUCLOCK)."""
    return (~tid << 3) | 6


def segundos_de_cpu(hilos: Iterable[threading.Thread]) -> float:
    """Segundos de CPU (no de reloj de pared) que han gastado estos hilos, sumados. Solo Linux.

    Es el reloj que ve cada hilo con `time.thread_time()`, leído desde fuera. Sirve para
    comprobar que un pool ocioso duerme de verdad sin depender de lo cargada que esté la
    máquina: un hilo que espera en un semáforo no gasta CPU por mucho que pase el tiempo.
    Un hilo que ya terminó no suma (su reloj ya no existe).
    """
    total = 0.0
    for hilo in hilos:
        if hilo.native_id is None:
            continue
        with contextlib.suppress(OSError):
            total += time.clock_gettime(_reloj_de_cpu_del_hilo(hilo.native_id))
    return total


def a_la_vez(
    tareas: dict[str, Callable[[], Any]], segundos: float
) -> dict[str, tuple[Any, BaseException | None]]:
    """Ejecuta cada tarea en su hilo (daemon), todas a la vez, y espera a que acaben.

    Para las pruebas que esperan de verdad (un servidor colgado hasta su timeout, pip): en un
    fixture, lo lento se espera junto, y después cada prueba mira lo suyo con `lo_que_dio`.
    Devuelve {clave: (valor, error)}. Cada tarea lleva su propio límite (con_limite);
    `segundos` es solo la red por si acaso.
    """
    hechas: dict[str, tuple[Any, BaseException | None]] = {}

    def una(clave: str, tarea: Callable[[], Any]) -> None:
        try:
            hechas[clave] = (tarea(), None)
        except BaseException as error:  # noqa: BLE001 - la prueba de esa clave lo relanza
            hechas[clave] = (None, error)

    hilos = [
        threading.Thread(target=una, args=(clave, tarea), name=f"a la vez: {clave}", daemon=True)
        for clave, tarea in tareas.items()
    ]
    for hilo in hilos:
        hilo.start()
    limite = time.monotonic() + segundos
    for hilo in hilos:
        hilo.join(max(0.0, limite - time.monotonic()))
    return hechas


def lo_que_dio(hechas: dict[str, tuple[Any, BaseException | None]], clave: str, que: str) -> Any:
    """El valor de la tarea `clave` de `a_la_vez`, o su error, relanzado en la prueba que lo mira."""
    __tracebackhide__ = True
    if clave not in hechas:
        pytest.fail(f"{que} no terminó a tiempo.", pytrace=False)
    valor, error = hechas[clave]
    if error is not None:
        raise error
    return valor
