"""Ayudas para las pruebas de los ejercicios: cargar el código del alumno y vigilar hilos.

`cargar("servidor")` devuelve el módulo `servidor.py` de la carpeta del ejercicio que
llama (o de `soluciones/NN` con `pytest --soluciones`). La carga es perezosa: ocurre al
usar el primer atributo, dentro de una prueba, así que un fichero con errores hace fallar
cada prueba con un mensaje claro en lugar de romper la recogida de pruebas. Con el plugin
del taller, fuera de una prueba (en la recogida, cuando pytest pregunta al objeto por
`_mock_name` y otros atributos) no se carga nunca: el código del alumno solo se ejecuta
dentro de una prueba, con límite de tiempo. Una importación que se queda parada (una demo
al final del fichero que no acaba) hace fallar esa prueba en LIMITE_DE_IMPORTACION s con
la línea en la que está parada, y las demás pruebas de la carpeta al instante.

Cada carpeta tiene su propio espacio de nombres: `pool.py` de 03 y `pool.py` de 04 pueden
cargarse en la misma ejecución, y un fichero del ejercicio puede importar a su vecino
(`from promesa import Promesa`) con un `import` normal.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import importlib
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from taller import cuelgues
from taller.modulos import (
    PREFIJO_DE_APOYO,
    Modulo,
    es_de_apoyo,
    funciones_sin_hacer,
    ruta_del_ejercicio,
)

_estado: dict[str, Any] = {"soluciones": False, "codigo": None, "plugin": False, "prueba": None}
_cargados: dict[Path, dict[str, ModuleType]] = {}

# Lo que tarda como mucho en importarse un fichero del ejercicio. Importar es definir
# funciones y clases: milisegundos. Si tarda más, es que hace algo que no acaba.
LIMITE_DE_IMPORTACION = 3.0

# Carpeta de código → mensaje, de los ficheros cuya importación se quedó parada: las demás
# pruebas de esa carpeta fallan al instante con él (reintentarlo volvería a esperar).
_importacion_parada: dict[Path, str] = {}
# Carpetas de pruebas (las de los ficheros test_*.py que llaman a cargar()).
_carpetas_de_pruebas: set[Path] = set()


@dataclass
class Prueba:
    """La prueba en marcha, según el plugin (ver empieza_prueba)."""

    nombre: str
    carpeta: Path
    restos: list[str] = field(default_factory=list)
    # Los hilos vivos al empezar (sin mirar sus pilas: eso solo si la prueba falla).
    hilos_al_empezar: list[threading.Thread] = field(default_factory=list)
    sin_nota: bool = False
    # Lo que dice el mensaje del límite de la prueba si vence (ver si_vence_el_limite).
    pista_si_vence: str | None = None


def si_vence_el_limite(pista: str) -> None:
    """Lo que debe añadir el mensaje si esta prueba agota su límite (pytest-timeout).

    Para la prueba que sabe por qué se colgaría (un Ctrl+C tragado deja la ronda en marcha
    para siempre): el mensaje de siempre dice dónde está cada hilo; esto dice la causa.
    """
    prueba = prueba_en_marcha()
    if prueba is not None:
        prueba.pista_si_vence = pista


def empieza_prueba(nombre: str, ruta: Path) -> None:
    """La llama el plugin al empezar cada prueba: a partir de aquí se puede cargar código."""
    _estado["plugin"] = True
    carpeta = _resueltas.get(ruta)
    if carpeta is None:
        carpeta = _resueltas[ruta] = Path(ruta).resolve().parent
    prueba = Prueba(nombre, carpeta)
    _estado["prueba"] = prueba
    if _cargados:  # si aún no se ha cargado código del alumno, no puede haber restos suyos
        prueba.hilos_al_empezar = threading.enumerate()
        prueba.restos = _atributos_de_clase_cambiados()


_resueltas: dict[Any, Path] = {}


def acaba_prueba() -> None:
    """La llama el plugin al acabar cada prueba (también su teardown)."""
    prueba = _estado["prueba"]
    _estado["prueba"] = None
    if prueba is not None:
        _apuntar_restos(prueba)


def usar_plugin() -> None:
    """Lo llama el plugin al configurarse: desde ahora, fuera de una prueba no se carga nada."""
    _estado["plugin"] = True


def prueba_en_marcha() -> Prueba | None:
    return _estado["prueba"]


def usar_soluciones(activar: bool) -> None:
    """Lo llama el plugin de pytest según la opción --soluciones."""
    _estado["soluciones"] = bool(activar)


def usar_codigo_de(carpeta: str | None) -> None:
    """Opción de mantenimiento --codigo: el código sale de CARPETA/NN (p. ej. un mutante)."""
    _estado["codigo"] = Path(carpeta).resolve() if carpeta else None


def usando_soluciones() -> bool:
    return _estado["soluciones"]


def carpeta_de_codigo(carpeta_de_pruebas: Path) -> Path:
    """ejercicios/NN, o soluciones/NN si se pidió --soluciones (o CARPETA/NN con --codigo).

    Se pregunta al usarla, no al importar el fichero de pruebas: los casos casi bien del taller
    recogen las pruebas una vez y las ejecutan contra otra carpeta (tests/servidor_de_casos.py)."""
    carpeta_de_pruebas = carpeta_de_pruebas.resolve()
    modulo = Modulo.de_carpeta_de_pruebas(carpeta_de_pruebas)
    if modulo is None or not (usando_soluciones() or _estado["codigo"] is not None):
        return carpeta_de_pruebas
    if _estado["codigo"] is not None:
        return modulo.codigo_en(_estado["codigo"])
    return modulo.solucion


def _relativa(ruta: Path) -> str:
    try:
        return str(ruta.relative_to(Path.cwd()))
    except ValueError:
        partes = ruta.parts
        return str(Path(*partes[-3:])) if len(partes) >= 3 else str(ruta)


def _nombres_locales(carpeta: Path) -> set[str]:
    """Los módulos del código de la carpeta (sin las pruebas ni los ficheros de apoyo)."""
    return {
        f.stem
        for f in carpeta.glob("*.py")
        if not f.name.startswith("test_") and not es_de_apoyo(f)
    }


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
        # Tras una importación parada (_importar_con_limite), nada de lo que haya acabado de
        # importarse se guarda: al terminar el límite los procesos que lanzó, la importación
        # puede seguir y acabar antes de llegar aquí (con la máquina cargada, pasó), y la prueba
        # siguiente usaría ese módulo a medio probar en vez de fallar como la primera.
        parada = carpeta in _importacion_parada
        for nombre in nombres:
            modulo = sys.modules.pop(nombre, None)
            a_medias = getattr(getattr(modulo, "__spec__", None), "_initializing", False)
            if (
                modulo is not None
                and not parada
                and not a_medias
                and Path(getattr(modulo, "__file__", "") or "").parent == carpeta
            ):
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
    # Dos hilos de una prueba (taller.pruebas.a_la_vez) pueden tocar a la vez un fichero aún sin
    # cargar: sin el cerrojo, el espacio de nombres de uno saca de sys.modules el módulo que el
    # otro está importando (KeyError en importlib). Con él, el segundo espera y lo encuentra.
    with _cerrojo_de_carga:
        if nombre in _cargados.get(carpeta, {}):
            return _cargados[carpeta][nombre]
        return _cargar_con_cerrojo(carpeta, nombre, ruta)


_cerrojo_de_carga = threading.RLock()


def _cargar_con_cerrojo(
    carpeta: Path, nombre: str, ruta: Path, importar: Callable[..., ModuleType] | None = None
) -> ModuleType:
    if carpeta in _importacion_parada:
        _sin_nota_de_restos()  # el mensaje ya dice de dónde viene
        pytest.fail(_importacion_parada[carpeta], pytrace=False)
    with _espacio_de_nombres(carpeta) as propios:
        try:
            modulo = (importar or _importar_con_limite)(carpeta, nombre)
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
        _apuntar_atributos_de_clase(modulo)
    return modulo


class _ImportacionParada(Exception):
    pass


# Los hilos de _importar_con_limite mientras importan: si el código que importan carga a su vez
# el de otro módulo (del_modulo), lo carga en ese mismo hilo, bajo el mismo límite, y sin el
# cerrojo de carga, que tiene cogido por él el hilo de la prueba que le espera.
_hilos_que_importan: set[int] = set()


def _importar_con_limite(carpeta: Path, nombre: str) -> ModuleType:
    """importlib.import_module en un hilo aparte, con LIMITE_DE_IMPORTACION segundos.

    Si no acaba, falla con el fichero y la línea en la que está parado, termina los procesos
    que haya lanzado y deja apuntado el fallo para las demás pruebas de la carpeta.
    """
    resultado: dict[str, Any] = {}

    def importar() -> None:
        _hilos_que_importan.add(threading.get_ident())
        try:
            resultado["modulo"] = importlib.import_module(nombre)
        except BaseException as error:  # noqa: BLE001 - se relanza en el hilo de la prueba
            resultado["error"] = error
        finally:
            _hilos_que_importan.discard(threading.get_ident())

    procesos_antes = cuelgues.descendientes()
    hilos_antes = hilos_vivos()
    hilo = threading.Thread(target=importar, name=f"importar {nombre}.py", daemon=True)
    hilo.start()
    hilo.join(LIMITE_DE_IMPORTACION)
    if not hilo.is_alive():
        if "error" in resultado:
            raise resultado["error"]
        return resultado["modulo"]
    mensaje = _mensaje_de_importacion_parada(carpeta, nombre, hilo, hilos_antes, procesos_antes)
    prueba = prueba_en_marcha()
    quien = f"«{prueba.nombre}»" if prueba else "una prueba anterior"
    _importacion_parada[carpeta] = (
        f"No se puede probar {_relativa(carpeta)}: al importar {nombre}.py, el código que está "
        f"fuera de las funciones se quedó parado. El fallo de {quien} (la primera "
        f"prueba que lo importó) dice en qué línea y cómo arreglarlo."
    )
    pytest.fail(mensaje, pytrace=False)


_PISTA_DE_IMPORTACION = (
    "Las pruebas importan tu fichero, y al importarlo se ejecuta todo lo que está fuera de las "
    "funciones. ¿Una demo o unas pruebas tuyas al final del fichero? Ponlas dentro de "
    '`if __name__ == "__main__":`, y así solo corren cuando ejecutas el fichero tú.'
)


def _mensaje_de_importacion_parada(carpeta, nombre, hilo, hilos_antes, procesos_antes) -> str:
    frames = sys._current_frames()
    una = cuelgues.parada(frames.get(hilo.ident), [carpeta], hilo)
    ruta = _relativa(carpeta / f"{nombre}.py")
    # La primera línea dice dónde: es la que enseña `taller comprobar` (y el informe JUnit).
    primera = (
        f"Al importar {ruta}, el código que está fuera de las funciones no terminó en "
        f"{LIMITE_DE_IMPORTACION:g} s"
    )
    if una.ultima:
        primera += f": está parado en {una.donde(_relativa)}"
        if una.que_espera():
            primera += f" ({una.que_espera()})"
        anteriores = [f"{f.name}, línea {n}" for f, n, _ in una.lineas[:-1]]
        if anteriores:
            primera += f", adonde llegó desde {' → '.join(anteriores)}"
    partes = [primera + "."]
    terminados = cuelgues.terminar(cuelgues.descendientes() - procesos_antes)
    if terminados:
        partes.append(cuelgues.describir_terminados(terminados))
    partes.append(_PISTA_DE_IMPORTACION)
    otros = cuelgues.describir_hilos(
        [carpeta], excluir=[hilo, *hilos_antes], relativa=_relativa, medir_cpu=0
    )
    if otros:
        partes.append(otros.replace("Los hilos que siguen", "Además, los hilos que arrancó"))
    return "\n".join(partes)


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
        if _estado["plugin"] and prueba_en_marcha() is None:
            # La recogida de pruebas pregunta a cada objeto del módulo por atributos como
            # `_mock_name`: contestar cargando ejecutaría el código del alumno sin límite.
            raise AttributeError(
                f"{atributo}: {self!r} solo se carga dentro de una prueba, no al recoger las "
                "pruebas ni al importar el fichero de pruebas"
            )
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
    _carpetas_de_pruebas.add(llamador.parent)
    return ModuloDelEjercicio(nombre, llamador.parent)


# Carpeta del código de otro módulo (ejercicios/04) → quién la usa («05»): del_modulo.
_de_otros_modulos: dict[Path, tuple[str, str]] = {}


def del_modulo(numero: str, nombre: str, exigir_terminado: bool = True) -> ModuleType:
    """El fichero NOMBRE.py del módulo `numero`, para el código de otro módulo que parte de él.

    El pool del 05 es el del 04 con promesas: `ejercicios/05/pool.py` hace
    `del_modulo("04", "pool")` y recibe el `ejercicios/04/pool.py` del alumno (y
    `soluciones/05/pool.py`, el de `soluciones/04`: ver `Modulo.carpeta_de_otro`). Dentro de
    una prueba, como `cargar` (cada carpeta con sus vecinos, errores explicados) y además, si ese
    fichero aún tiene partes sin hacer, la prueba falla diciendo que se termine antes ese módulo.
    Con `exigir_terminado=False` no lo mira al importar: el 10 parte del 09, pero sus pasos 1 y 2
    no lo usan; lo miran las pruebas que sí lo usan (`cargar_del_modulo`).
    Fuera de las pruebas (un cuaderno, bench/), un import normal en su espacio de nombres.
    """
    llamador = Path(sys._getframe(1).f_globals["__file__"]).resolve()
    carpeta = Modulo.carpeta_de_otro(llamador.parent, numero)
    _de_otros_modulos[carpeta] = (Modulo.normalizar(numero), llamador.parent.name)
    ruta = carpeta / f"{nombre}.py"
    if nombre in _cargados.get(carpeta, {}):
        modulo = _cargados[carpeta][nombre]
    elif prueba_en_marcha() is None:
        with _cerrojo_de_carga, _espacio_de_nombres(carpeta) as propios:
            modulo = propios[nombre] = importlib.import_module(nombre)
    elif threading.get_ident() in _hilos_que_importan:
        modulo = _cargar_con_cerrojo(carpeta, nombre, ruta, lambda _, n: importlib.import_module(n))
    else:
        modulo = _cargar_ya(carpeta, nombre)
    if exigir_terminado and prueba_en_marcha() is not None:
        _sin_terminar(modulo, ruta, numero, llamador.parent.name)
    return modulo


class ModuloDeOtro(ModuloDelEjercicio):
    """NOMBRE.py del módulo del que parte el de las pruebas (el 09 del 10); se carga al usarlo.

    Como `cargar`, pero de la carpeta de ese otro módulo: la del alumno (ejercicios/09) y, con
    `--soluciones`, la de referencia (ver `Modulo.carpeta_de_otro`). Al usarlo en una prueba, si
    aún tiene partes sin hacer (o le falta lo que dice `falta`), la prueba falla diciendo que se
    termine antes ese módulo y qué le falta.
    """

    def __init__(
        self,
        numero: str,
        nombre: str,
        carpeta_de_pruebas: Path,
        falta: Callable[[ModuleType], str | None] | None = None,
    ) -> None:
        super().__init__(nombre, carpeta_de_pruebas)
        self._numero = Modulo.normalizar(numero)
        self._falta = falta

    @property
    def carpeta(self) -> Path:
        """Su carpeta (ejercicios/09, o soluciones/09 con --soluciones), sin cargar nada."""
        return Modulo.carpeta_de_otro(carpeta_de_codigo(self._carpeta_de_pruebas), self._numero)

    def _cargado(self) -> tuple[ModuleType, Path]:
        carpeta = self.carpeta
        _de_otros_modulos[carpeta] = (self._numero, self._carpeta_de_pruebas.name)
        return _cargar_ya(carpeta, self._nombre), carpeta / f"{self._nombre}.py"

    def lo_que_falta(self) -> str | None:
        """Por qué aún no se puede usar (el mensaje con el que fallaría), o None si se puede."""
        modulo, ruta = self._cargado()
        return _lo_que_falta(modulo, ruta, self._numero, self._carpeta_de_pruebas.name, self._falta)

    @property
    def modulo(self) -> ModuleType:
        modulo, ruta = self._cargado()
        _sin_terminar(modulo, ruta, self._numero, self._carpeta_de_pruebas.name, self._falta)
        return modulo

    def __repr__(self) -> str:
        return f"<fichero {self._nombre}.py del módulo {self._numero}>"


def cargar_del_modulo(
    numero: str, nombre: str, falta: Callable[[ModuleType], str | None] | None = None
) -> ModuloDeOtro:
    """NOMBRE.py del módulo `numero`, para las pruebas de un módulo que parte de él.

    `ronda = cargar_del_modulo("09", "ronda")` en ejercicios/10/test_*.py da el ronda.py del 09
    del alumno (o el de soluciones/09 con --soluciones). `falta(modulo)`, si se da, dice qué le
    falta además de lo que lanza NotImplementedError (o None): «no tiene el parámetro ejecutor=».
    """
    llamador = Path(sys._getframe(1).f_globals["__file__"]).resolve()
    _carpetas_de_pruebas.add(llamador.parent)
    return ModuloDeOtro(numero, nombre, llamador.parent, falta)


def _lo_que_falta(
    modulo: ModuleType,
    ruta: Path,
    numero: str,
    quien: str,
    falta: Callable[[ModuleType], str | None] | None = None,
) -> str | None:
    """El mensaje de _sin_terminar, o None si al fichero de otro módulo no le falta nada."""
    sin_hacer = funciones_sin_hacer(ruta)
    problemas = []
    if sin_hacer:
        problemas.append(
            f"{', '.join(sin_hacer)} todavía {'lanza' if len(sin_hacer) == 1 else 'lanzan'} "
            "NotImplementedError (sin hacer)"
        )
    otro = falta(modulo) if falta is not None else None
    if otro:
        problemas.append(otro)
    if not problemas:
        return None
    return (
        f"Tu código del módulo {numero} no pasa sus pruebas: en {_relativa(ruta)}, "
        f"{'; y '.join(problemas)}. "
        f"El módulo {quien} parte de ese código, tal como lo dejaste: termina antes el "
        f"{numero} (`pytest {ruta_del_ejercicio(numero)}` debe pasar entero) y vuelve aquí."
    )


def _sin_terminar(
    modulo: ModuleType,
    ruta: Path,
    numero: str,
    quien: str,
    falta: Callable[[ModuleType], str | None] | None = None,
) -> None:
    """Falla si el fichero de otro módulo aún tiene funciones del esqueleto (NotImplementedError)
    o le falta lo que dice `falta`."""
    __tracebackhide__ = True
    mensaje = _lo_que_falta(modulo, ruta, Modulo.normalizar(numero), quien, falta)
    if mensaje:
        _sin_nota_de_restos()
        pytest.fail(mensaje, pytrace=False)


def nota_de_otro_modulo(fallo: Callable[[], str]) -> str | None:
    """Para el plugin: si el fallo de una prueba pasa por el código de otro módulo (del_modulo).

    `fallo` da el texto del fallo (solo se pide si algún código usa el de otro módulo)."""
    prueba = prueba_en_marcha()
    de_quien = {
        c: d for c, d in _de_otros_modulos.items() if prueba and d[1] == prueba.carpeta.name
    }
    if not de_quien:
        return None
    texto = fallo()
    if "termina antes el" in texto:  # ya lo dice (_sin_terminar)
        return None
    for carpeta, (numero, quien) in de_quien.items():
        if str(carpeta) in texto or f"{carpeta.parent.name}/{carpeta.name}/" in texto:
            return (
                f"Este fallo pasa por tu código del módulo {numero} ({_relativa(carpeta)}), "
                f"del que parte el {quien}. Comprueba `pytest {ruta_del_ejercicio(numero)}`: "
                f"si tu código del {numero} no pasa sus pruebas, termina antes el {numero}."
            )
    return None


_apoyos: dict[Path, ModuleType] = {}


def cargar_apoyo(carpeta: Path, nombre: str) -> ModuleType:
    """carpeta/apoyo_NOMBRE.py, importado ya (no es código del alumno) y una sola vez."""
    ruta = (carpeta / f"{PREFIJO_DE_APOYO}{nombre}.py").resolve()
    if ruta not in _apoyos:
        if not ruta.is_file():
            raise FileNotFoundError(
                f"No encuentro el fichero de apoyo {_relativa(ruta)}: viene de soluciones/ "
                "(ejecuta `taller generar`)."
            )
        clave = f"taller_apoyo_{len(_apoyos)}_{nombre}"
        especificacion = importlib.util.spec_from_file_location(clave, ruta)
        modulo = importlib.util.module_from_spec(especificacion)
        sys.modules[clave] = modulo  # dataclasses y pickle buscan aquí el módulo
        especificacion.loader.exec_module(modulo)
        _apoyos[ruta] = modulo
    return _apoyos[ruta]


def apoyo(nombre: str) -> ModuleType:
    """El fichero de apoyo apoyo_NOMBRE.py de la carpeta de las pruebas que llaman.

    Los ficheros de apoyo (fixtures, servidores, datos de las pruebas de un módulo) están en
    soluciones/NN y el generador los copia tal cual a ejercicios/NN: el alumno no los edita,
    y se cargan siempre de la carpeta de las pruebas, también con --soluciones.
    """
    llamador = Path(sys._getframe(1).f_globals["__file__"]).resolve()
    return cargar_apoyo(llamador.parent, nombre)


def apoyo_del_modulo(numero: str, nombre: str) -> ModuleType:
    """apoyo_NOMBRE.py de ejercicios/NN, desde fuera de sus pruebas (un cuaderno, tests/)."""
    from taller.modulos import buscar_modulo

    return cargar_apoyo(buscar_modulo(numero).ejercicio, nombre)


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
    _si_ya_se_colgo(que, segundos)
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
        pytest.fail(_se_colgo(que, segundos, hilo, pista or PISTA_DE_BLOQUEO), pytrace=False)
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


# Carpeta de pruebas → (prueba, hilo de con_limite que no acabó). Mientras ese hilo siga
# vivo, el código de esa carpeta está colgado: las demás pruebas con hilos fallan al instante
# en lugar de esperar cada una su límite (16 pruebas × 5 s para decir lo mismo).
_colgados: dict[Path, tuple[str, threading.Thread]] = {}


def _carpeta_de_la_prueba() -> Path | None:
    prueba = prueba_en_marcha()
    if prueba is None or prueba.carpeta not in _carpetas_de_pruebas:
        return None
    return prueba.carpeta


def _si_ya_se_colgo(que: str, segundos: float | None) -> None:
    __tracebackhide__ = True
    carpeta = _carpeta_de_la_prueba()
    if carpeta not in _colgados:
        return
    primera, hilo = _colgados[carpeta]
    if not hilo.is_alive():  # solo iba lento: ya acabó, así que no estaba colgado
        del _colgados[carpeta]
        return
    _sin_nota_de_restos()  # el mensaje ya dice de dónde viene
    if segundos is None:  # explorar: no espera un límite, pero cada plan giraría en balde
        despues = (
            "cada prueba que explora todos los órdenes volvería a colgarse en cada plan, "
            "y diría lo mismo."
        )
    else:
        despues = f"cada prueba con hilos esperaría otros {segundos:g} s para nada."
    pytest.fail(
        f"{que}: no lo pruebo, porque en «{primera}» tu código ya se quedó colgado y sigue "
        "así (ese fallo dice dónde está parado cada hilo). Arregla eso primero: hasta "
        f"entonces, {despues}",
        pytrace=False,
    )


def si_ya_se_colgo(que: str) -> None:
    """Falla al instante si el código de la carpeta de esta prueba ya se quedó colgado.

    Lo usa `taller.planificador.explorar` antes de empezar: con el código colgado (hilos que
    siguen girando, o un bucle que ya agotó el límite de otra prueba), explorar solo
    repetiría el cuelgue en cada plan.
    """
    __tracebackhide__ = True
    _si_ya_se_colgo(que, None)


def _nombre_del_hilo(hilo: threading.Thread) -> str:
    if hilo.name.startswith("limite: "):
        return f"el hilo que hace «{hilo.name.removeprefix('limite: ')}»"
    return hilo.name


def _se_colgo(que: str, segundos: float, hilo: threading.Thread, pista: str) -> str:
    """El mensaje de con_limite cuando vence, y apunta la carpeta como colgada."""
    carpetas = list(_cargados)
    una = cuelgues.parada(sys._current_frames().get(hilo.ident), carpetas, hilo)
    donde = ""
    if una.ultima:
        donde = f": está parado en {una.donde(_relativa)}"
        if una.que_espera():
            donde += f" → {una.que_espera()}"
        donde += "."
    else:
        donde = "."
    nombres = {h: _nombre_del_hilo(h) for h in threading.enumerate()}
    listado = cuelgues.describir_hilos(carpetas, nombres=nombres, relativa=_relativa)
    carpeta = _carpeta_de_la_prueba()
    prueba = prueba_en_marcha()
    if carpeta is not None and prueba is not None:
        _colgados[carpeta] = (prueba.nombre, hilo)
    return f"{que} no terminó en {segundos:g} s{donde} {pista}" + (
        f"\n{listado}" if listado else ""
    )


def mensaje_de_limite_de_prueba(segundos: float) -> str:
    """Cuando vence el límite de la prueba entera (pytest-timeout): dónde está cada hilo.

    Se llama desde el hilo del temporizador; el hilo de la prueba es el principal.
    """
    carpetas = list(_cargados)
    principal = threading.main_thread()
    frame = sys._current_frames().get(principal.ident)
    una = cuelgues.parada(frame, carpetas, principal)
    prueba = prueba_en_marcha()
    donde = ""
    if una.ultima:
        donde = f": la prueba está parada en {una.donde(_relativa)}"
        if una.que_espera():
            donde += f" → {una.que_espera()}"
    elif prueba is not None:
        while frame is not None and Path(frame.f_code.co_filename).parent != prueba.carpeta:
            frame = frame.f_back
        if frame is not None:
            donde = (
                f": la prueba está parada en {Path(frame.f_code.co_filename).name}, línea "
                f"{frame.f_lineno}"
            )
    nombres = {h: _nombre_del_hilo(h) for h in threading.enumerate()}
    nombres[principal] = "el hilo de la prueba"
    listado = cuelgues.describir_hilos(carpetas, nombres=nombres, relativa=_relativa)
    carpeta = _carpeta_de_la_prueba()
    if carpeta is not None and prueba is not None:
        # La carpeta queda marcada como colgada: las pruebas siguientes con hilos (con_limite,
        # explorar) fallan al instante. Si sigue vivo un hilo del alumno, mientras siga vivo;
        # si el que está parado en su código es el hilo de la prueba (un bucle que no acaba
        # dentro de __init__, p. ej.), para el resto de la sesión: la interrupción lo saca de
        # ahí, pero la prueba siguiente volvería a entrar.
        otras = cuelgues.paradas(carpetas, excluir=[principal])
        if otras:
            _colgados[carpeta] = (prueba.nombre, otras[0].hilo)
        elif una.ultima:
            _colgados[carpeta] = (prueba.nombre, principal)
    pista = (prueba.pista_si_vence if prueba is not None else None) or PISTA_DE_BLOQUEO
    return f"Esta prueba no terminó en {segundos:g} s, el límite de cada prueba{donde}. {pista}" + (
        f"\n{listado}" if listado else ""
    )


# --- Restos de otras pruebas: hilos que siguen vivos, atributos de clase cambiados ----------

# Hilo del alumno → la prueba al final de la cual seguía vivo.
_origen_de_hilo: weakref.WeakKeyDictionary[threading.Thread, str] = weakref.WeakKeyDictionary()
# (fichero, clase, atributo) → [clase, copia del valor al importar, prueba que lo cambió]
_atributos_de_clase: dict[tuple[Path, str, str], list[Any]] = {}
_MUTABLES = (list, dict, set, collections.deque)


def _apuntar_atributos_de_clase(modulo: ModuleType) -> None:
    """Guarda una copia de las listas, dicts y sets que son atributos de clase."""
    fichero = Path(getattr(modulo, "__file__", "") or "")
    for clase in list(vars(modulo).values()):
        if not isinstance(clase, type) or clase.__module__ != modulo.__name__:
            continue
        for atributo, valor in list(vars(clase).items()):
            # Los de Python (__dataclass_fields__, __slots__...) no los escribe el alumno: una
            # copia por pickle (la de un worker de Dask) cambia sus objetos y no es un resto.
            if atributo.startswith("__") and atributo.endswith("__"):
                continue
            if isinstance(valor, _MUTABLES):
                with contextlib.suppress(Exception):
                    copia = type(valor)(valor)
                    _atributos_de_clase[(fichero, clase.__name__, atributo)] = [clase, copia, None]


def _atributos_cambiados() -> list[tuple[tuple[Path, str, str], list[Any]]]:
    cambiados = []
    for clave, apunte in _atributos_de_clase.items():
        clase, copia, _ = apunte
        try:
            distinto = vars(clase).get(clave[2]) != copia
        except Exception:  # noqa: BLE001 - un __eq__ raro: no se puede saber
            distinto = False
        if distinto:
            cambiados.append((clave, apunte))
    return cambiados


def _apuntar_restos(prueba: Prueba) -> None:
    if not _cargados:
        return
    for hilo in threading.enumerate():
        if hilo not in _origen_de_hilo:
            _origen_de_hilo[hilo] = prueba.nombre
    for _, apunte in _atributos_cambiados():
        if apunte[2] is None:
            apunte[2] = prueba.nombre


def _corto(valor: Any, largo: int = 60) -> str:
    texto = repr(valor)
    return texto if len(texto) <= largo else texto[: largo - 1] + "…"


def _hilos_de_otras_pruebas(prueba: Prueba) -> list[str]:
    """Los hilos del alumno que ya estaban vivos al empezar la prueba (y lo siguen)."""
    restos = []
    for una in cuelgues.paradas(list(_cargados)):
        if una.hilo not in prueba.hilos_al_empezar:
            continue
        origen = _origen_de_hilo.get(una.hilo)
        de = f" (de «{origen}»)" if origen else ""
        restos.append(
            f"el hilo {_nombre_del_hilo(una.hilo)}{de} ya estaba vivo, en {una.donde(_relativa)}"
        )
    return restos


def _atributos_de_clase_cambiados() -> list[str]:
    """Los atributos de clase (listas, dicts...) que otra prueba dejó cambiados."""
    restos = []
    for (fichero, clase, atributo), (objeto, copia, origen) in _atributos_cambiados():
        de = f" desde «{origen}»" if origen else ""
        ahora = vars(objeto).get(atributo)
        restos.append(
            f"el atributo de clase {clase}.{atributo} ya no es el de {fichero.name} "
            f"({_corto(copia)}): vale {_corto(ahora)}{de}. Un atributo de clase lo comparten "
            f"todos los objetos; ¿querías `self.{atributo} = ...` en __init__?"
        )
    return restos


def _sin_nota_de_restos() -> None:
    prueba = prueba_en_marcha()
    if prueba is not None:
        prueba.sin_nota = True


def nota_de_restos() -> str | None:
    """Para el plugin: si la prueba en marcha (que ha fallado) empezó con restos de otras."""
    prueba = prueba_en_marcha()
    if prueba is None or prueba.sin_nota or not _cargados:
        return None
    restos = _hilos_de_otras_pruebas(prueba) + prueba.restos
    if not restos:
        return None
    return (
        "Ojo: esta prueba empezó con restos de otras, y su fallo puede venir de ahí y no de lo "
        "que prueba: " + "; ".join(restos) + "."
    )


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
        _falla_sin_encadenar(
            f"{que} lanzó {type(error).__name__} («{_texto_corto(error)}») y debía lanzar "
            f"{tipo.__name__}. {_explicar(por_que)}".rstrip()
        )
    pytest.fail(f"{que} no lanzó {tipo.__name__}. {_explicar(por_que)}".rstrip(), pytrace=False)


def _falla_sin_encadenar(mensaje: str) -> None:
    """pytest.fail(mensaje, pytrace=False) desde un `except`, sin la excepción que se atrapó.

    Dentro de un except, pytest enseña también la excepción atrapada, encadenada («During
    handling of the above exception, another exception occurred»): la del alumno, en inglés,
    delante del mensaje, que ya la nombra. `from None` la quita.
    """
    __tracebackhide__ = True
    raise pytest.fail.Exception(mensaje, pytrace=False) from None


def sin_lanzar(
    llamada: Callable[[], Any],
    explicar: Callable[[Exception], str],
    tipo: type[Exception] = Exception,
) -> Any:
    """El resultado de `llamada()`, que no debe lanzar `tipo`: si lo lanza, la prueba falla con
    `explicar(error)`, en español y sin la traza (lo que el alumno debe leer es por qué no
    debía lanzar, no dónde). El NotImplementedError del esqueleto sale tal cual: su mensaje
    dice qué falta."""
    __tracebackhide__ = True
    try:
        return llamada()
    except NotImplementedError:
        raise
    except tipo as error:  # noqa: BLE001 - se explica en el mensaje de la prueba
        _falla_sin_encadenar(explicar(error))


def segun_lanza(
    llamada: Callable[[], Any],
    tipo: type[BaseException],
    si_lanza: str,
    si_no: str,
) -> Callable[[], str]:
    """Un `por_que` para `lanza` que mira otra llamada para decir dónde está el fallo.

    Si `llamada()` lanza `tipo`, la explicación es `si_lanza`; si no lanza, o lanza otra cosa,
    `si_no`. Así, cuando Servicio('web', [80, True]) no rechaza True, el alumno lee si es que
    validar_puerto(True) ya lo rechaza (falta llamarla) o si es validar_puerto lo que falla.
    La llamada se hace solo si hace falta explicar un fallo.
    """

    def explicar() -> str:
        try:
            llamada()
        except tipo:
            return si_lanza
        except Exception:  # noqa: BLE001 - solo se busca la explicación
            pass
        return si_no

    return explicar


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
        _falla_sin_encadenar(
            f"{que} lanzó {type(otra).__name__} («{_texto_corto(otra)}») y debía lanzar "
            f"{tipo.__name__}. {_explicar(por_que)}".rstrip()
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


# ---------------------------------------------------------------------------
# Pools de hilos: lo que comparten las pruebas de los pools de los módulos 03 y 04.
# ---------------------------------------------------------------------------


def trabajos_que_apuntan(cuantos: int, apuntados: list, desde: int = 0) -> list[Callable]:
    """Trabajos que apuntan su número en `apuntados` (list.append es seguro entre hilos)."""
    return [lambda n=n: apuntados.append(n) for n in range(desde, desde + cuantos)]


class TrabajoEnBarrera:
    """Un trabajo, para enviarlo muchas veces, que espera a los demás en una Barrier(n): solo
    terminan si corren n a la vez. Apunta cuántos llegaron a correr a la vez (`maximo`),
    cuántos se juntaron en la barrera (`juntos`), cuántos se cansaron de esperar (`rotos`) y
    en qué hilos corrieron (`hilos`)."""

    def __init__(self, n: int, espera: float) -> None:
        self._barrera = threading.Barrier(n, timeout=espera)
        self._cerrojo = threading.Lock()
        self._a_la_vez = 0
        self.maximo = self.juntos = self.rotos = 0
        self.hilos: set[threading.Thread] = set()

    def __call__(self) -> None:
        with self._cerrojo:
            self.hilos.add(threading.current_thread())
            self._a_la_vez += 1
            self.maximo = max(self.maximo, self._a_la_vez)
        try:
            self._barrera.wait()
            juntos, rotos = 1, 0
        except threading.BrokenBarrierError:
            juntos, rotos = 0, 1
        with self._cerrojo:
            self.juntos += juntos
            self.rotos += rotos
            self._a_la_vez -= 1


def faltan_y_repetidos(apuntados: list[int], cuantos: int) -> tuple[list[int], list[int]]:
    """De los trabajos 0…cuantos-1 (trabajos_que_apuntan): los que no apuntó nadie y los que
    se apuntaron más de una vez, en orden."""
    veces = collections.Counter(apuntados)
    faltan = sorted(set(range(cuantos)) - set(veces))
    repetidos = sorted(n for n, v in veces.items() if v > 1)
    return faltan, repetidos


def usar_pool(
    clase: Callable[[int], Any],
    ejecutores: int,
    trabajos: list[Callable],
    *,
    pista: str,
    segundos: float = 5,
    enviar_antes_de_arrancar: bool = False,
    quien_envia: list | None = None,
) -> tuple[Any, set[threading.Thread]]:
    """Crea clase(ejecutores), le envía los trabajos y lo detiene, todo con límite (con_limite:
    `segundos`, 5 por defecto, como las demás pruebas con hilos del 03 y del 04).

    Los envía después de arrancarlo (el 03) o antes (el 04, `enviar_antes_de_arrancar`): el
    mensaje del límite lo cuenta en ese orden. Si se pasa una lista `quien_envia`, apunta en
    ella el hilo que llama a enviar. Devuelve el pool y los hilos que arrancó (los que no
    existían antes de arrancar()): lo que mira cada módulo después (lo que quedó en la lista,
    los hilos que siguen vivos) lo mira él.
    """
    __tracebackhide__ = True
    cuantos = "1 trabajo" if len(trabajos) == 1 else f"{len(trabajos)} trabajos"
    que = (
        f"Enviar {cuantos} a un Pool({ejecutores}), arrancarlo y detenerlo"
        if enviar_antes_de_arrancar
        else f"Arrancar un Pool({ejecutores}), enviarle {cuantos} y detenerlo"
    )

    def todo() -> tuple[Any, set[threading.Thread]]:
        if quien_envia is not None:
            quien_envia.append(threading.current_thread())
        un_pool = clase(ejecutores)
        for trabajo in trabajos if enviar_antes_de_arrancar else ():
            un_pool.enviar(trabajo)
        antes = hilos_vivos()
        un_pool.arrancar()
        del_pool = hilos_vivos() - antes
        for trabajo in () if enviar_antes_de_arrancar else trabajos:
            un_pool.enviar(trabajo)
        un_pool.detener()
        return un_pool, del_pool

    return con_limite(segundos, todo, que=que, pista=pista)


def cada_trabajo_se_ejecuta_una_vez(usar: Callable[[int, list], Any], pista: str = "") -> None:
    """La prueba de 300 trabajos con 4 ejecutores: cada uno, exactamente una vez."""
    __tracebackhide__ = True
    apuntados: list[int] = []
    usar(4, trabajos_que_apuntan(300, apuntados))
    faltan, repetidos = faltan_y_repetidos(apuntados, 300)
    assert not faltan and not repetidos, (
        f"Con 300 trabajos y 4 ejecutores, cada trabajo debe ejecutarse una vez. "
        f"No se ejecutaron {len(faltan)} (p. ej. {faltan[:5]}); se repitieron {repetidos[:5]}."
        + (f" {pista}" if pista else "")
    )


def el_pool_se_usa_con_with(clase: Callable[[int], Any], segundos: float, pista: str) -> None:
    """La prueba de `with clase(2)` con 10 trabajos: al salir del bloque, ejecutados todos."""
    __tracebackhide__ = True
    apuntados: list[int] = []

    def todo() -> list[int]:
        with clase(2) as un_pool:
            for trabajo in trabajos_que_apuntan(10, apuntados):
                un_pool.enviar(trabajo)
        return sorted(apuntados)

    hechos = con_limite(segundos, todo, que="with Pool(2)")
    assert hechos == list(range(10)), (
        "Al salir de «with Pool(2) as un_pool:» (__exit__ llama a detener()) deben haberse "
        f"ejecutado los 10 trabajos enviados dentro; se habían ejecutado {len(hechos)}: "
        f"{hechos}. {pista}"
    )


def con_un_ejecutor_es_fifo(usar: Callable[[int, list], Any], fifo: str = "FIFO") -> None:
    """La prueba de 50 trabajos con un ejecutor: salen en el orden en que llegaron."""
    __tracebackhide__ = True
    apuntados: list[int] = []
    usar(1, trabajos_que_apuntan(50, apuntados))
    assert apuntados == list(range(50)), (
        "Con un solo ejecutor, los trabajos deben ejecutarse en el orden en que llegaron "
        f"({fifo}). Orden obtenido: {apuntados[:10]}..."
    )


def detener_sin_arrancar_vuelve(un_pool: Any, como_se_sabe: str) -> None:
    """detener() de un pool que nunca se arrancó: vuelve sin error (no hay nada que parar).

    Para los escenarios de `explorar` del 03 y del 04 (que además ven si se cuelga): el
    RuntimeError de join() sobre un hilo sin arrancar sale explicado. `como_se_sabe` dice en qué
    se ve en ese pool que no se arrancó.
    """
    __tracebackhide__ = True
    try:
        un_pool.detener()
    except RuntimeError as error:
        de_join = "cannot join thread" in str(error)
        raise AssertionError(
            "detener() de un pool que nunca se arrancó debe volver enseguida y sin error: "
            f"no hay nada que parar. Lanzó RuntimeError («{error}»)"
            + (
                ": join() de un hilo que nunca se arrancó lanza ese error. Antes de los join(), "
                f"mira si el pool se arrancó ({como_se_sabe}) y, si no, vuelve."
                if de_join
                else f". No es un error: si el pool no se arrancó ({como_se_sabe}), vuelve sin "
                "lanzar nada."
            )
        ) from None


def cita_el_valor(error: BaseException, valor: Any) -> bool:
    """¿Cita el mensaje de `error` el valor rechazado? Vale tal cual o con comillas (repr):
    f"El puerto {puerto} ..." y f"... no {puerto!r}" citan igual."""
    return str(valor) in str(error) or repr(valor) in str(error)


def rechaza_citando(
    validar: Callable[[Any], Any],
    valor: Any,
    por_que: str,
    que_es: str,
    cita: Callable[[BaseException, Any], bool] = cita_el_valor,
) -> BaseException:
    """`validar(valor)` debe lanzar ValueError (`por_que`: por qué no vale `valor`), con un
    mensaje que cite el valor (`que_es`: «el puerto»; `cita` dice si lo cita). Devuelve el
    error. Lo usan los validadores del 01 y las órdenes del 08."""
    __tracebackhide__ = True
    error = lanza(ValueError, f"{validar.__name__}({valor!r})", lambda: validar(valor), por_que)
    assert cita(error, valor), f"El mensaje debería citar {que_es} {valor!r}; dice: «{error}»"
    return error


def rechaza_todos_citando(
    validar: Callable[[Any], Any],
    casos: Iterable[tuple[Any, str]],
    no_vale: Callable[[Any, str], str],
    que_es: str,
    cita: Callable[[BaseException, Any], bool] = cita_el_valor,
) -> None:
    """`rechaza_citando` con cada (valor, por qué no vale) de `casos` (los de `varios`);
    `no_vale(valor, por_que)` escribe la explicación que lee el alumno si lo acepta."""
    __tracebackhide__ = True
    for valor, por_que in casos:
        rechaza_citando(validar, valor, no_vale(valor, por_que), que_es, cita)


def aceptar_en_un_hilo(
    escucha: Any, atender: Callable[[Any], None], nombre: str
) -> threading.Thread:
    """Un hilo daemon (`nombre`) que acepta las conexiones del socket `escucha` y da cada una a
    `atender(conexion)`, hasta que se cierra `escucha` (entonces accept() lanza OSError). Para
    los servidores de mentira de las pruebas (un correo atascado en el 09, la puerta del 10)."""

    def aceptar() -> None:
        while True:
            try:
                conexion, _ = escucha.accept()
            except OSError:
                return
            atender(conexion)

    hilo = threading.Thread(target=aceptar, name=nombre, daemon=True)
    hilo.start()
    return hilo


def lanza_citando(
    tipo: type[BaseException],
    que: str,
    llamada: Callable[[], Any],
    por_que: str | Callable[[], str],
    citado: str,
    que_es: str = "el valor rechazado",
) -> BaseException:
    """`lanza`, y además el mensaje del error debe citar `citado` (el valor rechazado, escrito
    como se espera verlo: str(...) o repr(...)); `que_es` lo nombra («el número rechazado»).
    Devuelve el error. Lo usan los pools del 03, del 04 y del 05."""
    __tracebackhide__ = True
    error = lanza(tipo, que, llamada, por_que)
    assert citado in str(error), f"El mensaje debería citar {que_es} ({citado}); dice: «{error}»"
    return error


def en_todos_los_ordenes(
    que: str,
    *,
    planes: int,
    pista: str | None = None,
    antes: Callable[[], object] | None = None,
    **opciones: Any,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """La prueba entera es el escenario de `taller.planificador.explorar`, con `planes` órdenes
    de ejecución distintos: lo mismo que escribir dentro `def escenario(): ...` y después
    `explorar(escenario, que=que, planes=planes, pista=pista, **opciones)` (`pasos_max`...).
    El código que se vigila es el de la carpeta de la prueba (como en explorar). `antes()`, si
    se da, se llama antes de explorar, fuera del planificador (`lambda: pool.Pool`: importar ya
    el código del alumno).
    Lo usan las pruebas «con todos los órdenes» de los pools del 03 y del 04."""

    def decorar(escenario: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(escenario)
        def prueba(*args: Any, **kwargs: Any) -> None:
            __tracebackhide__ = True
            from taller.planificador import explorar

            if antes is not None:
                antes()
            carpeta = carpeta_de_codigo(Path(escenario.__globals__["__file__"]).parent)
            explorar(
                lambda: escenario(*args, **kwargs),
                que=que,
                planes=planes,
                pista=pista,
                ficheros=[carpeta],
                **opciones,
            )

        return prueba

    return decorar


def ya_compilado(programa: str | Path) -> str:
    """La ruta de `programa` (un .py que las pruebas lanzan muchas veces con `python`) ya
    compilado: un .pyc en una carpeta temporal, que se borra al acabar. Python ejecuta el .pyc
    igual que el .py (las trazas siguen nombrando el .py), pero sin compilarlo cada vez: con
    PYTHONDONTWRITEBYTECODE (como en la imagen del taller) no guarda nunca el bytecode, y la
    sonda del 06 pasaba un tercio de su arranque compilándose. Si no se puede compilar (un
    error de sintaxis), el .py: que el error salga al ejecutarlo, donde se ve."""
    return _ya_compilado(str(Path(programa).resolve()))


@functools.cache
def _ya_compilado(programa: str) -> str:
    import atexit
    import py_compile
    import shutil
    import tempfile

    carpeta = tempfile.mkdtemp(prefix="taller-compilado-")
    atexit.register(shutil.rmtree, carpeta, ignore_errors=True)
    try:
        return py_compile.compile(
            programa, cfile=str(Path(carpeta) / (Path(programa).stem + ".pyc")), doraise=True
        )
    except (py_compile.PyCompileError, OSError):
        return programa
