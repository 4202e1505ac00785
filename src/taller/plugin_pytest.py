"""Plugin de pytest del taller (se carga con `-p taller.plugin_pytest` desde pyproject.toml).

- `--soluciones`: las mismas pruebas de ejercicios/NN, contra soluciones/NN.
- Una cabecera que dice qué código se está probando.
- La guardia de recursos (taller.fugas): una prueba de ejercicios/NN que deja algo abierto
  (un hilo, un proceso, un fichero, una base, un socket) falla diciendo qué.
- Al acabar, si quedan hilos no daemon vivos (un pool que nadie detuvo), lo dice en español
  y termina el proceso en lugar de quedarse colgado para siempre.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from taller import fugas, plugin_cuelgues, pruebas
from taller.modulos import Modulo

_resultado = {"estado": 0}


def pytest_addoption(parser: pytest.Parser) -> None:
    grupo = parser.getgroup("taller", "Taller de Python para sistemas")
    grupo.addoption(
        "--soluciones",
        action="store_true",
        default=False,
        help="ejecuta las pruebas de ejercicios/NN contra la solución de referencia soluciones/NN",
    )
    grupo.addoption(
        "--codigo",
        metavar="CARPETA",
        default=None,
        help="(mantenimiento) prueba el código de CARPETA/NN en lugar de ejercicios/NN",
    )


def pytest_configure(config: pytest.Config) -> None:
    pruebas.usar_soluciones(config.getoption("soluciones"))
    pruebas.usar_codigo_de(config.getoption("codigo"))
    pruebas.usar_plugin()
    # Cuelgues: la prueba en marcha, los restos de otras y el límite de cada prueba.
    config.pluginmanager.register(plugin_cuelgues, "taller-cuelgues")
    fugas.instalar()
    _sin_reescribir_bibliotecas(config)
    _cada_fichero_analizado_una_vez()


_arboles: dict[str, object] = {}


def _cada_fichero_analizado_una_vez() -> None:
    """Que pytest analice (ast.parse) cada fichero una vez por sesión, no una por fallo.

    Para enseñar la línea de cada paso de una traza, pytest analiza el fichero entero y
    recorre todo su árbol; guarda el árbol, pero solo mientras formatea ESE fallo. Con el
    esqueleto fallan cien pruebas con trazas por los mismos dos ficheros (el de pruebas, de
    mil líneas, y el del alumno): era la mayor parte del tiempo de CPU. El árbol se guarda
    por contenido (un fichero cambiado es otro texto); pytest ya memoriza en cada árbol los
    números de línea de sus sentencias. La salida es la misma, byte a byte (salvo si un fichero
    cambia a mitad de sesión: se enseña el que se ejecutó, el primero que se leyó).
    """
    try:
        from _pytest._code import code, source
    except ImportError:  # otra versión de pytest: se queda como está
        return
    original = getattr(source, "getstatementrange_ast", None)
    if original is None or getattr(code, "getstatementrange_ast", None) is not original:
        return

    def getstatementrange_ast(lineno, fuente, assertion=False, astnode=None):
        if astnode is None:
            contenido = str(fuente)
            astnode = _arboles.get(contenido)
            if astnode is None:
                astnode, inicio, fin = original(lineno, fuente, assertion)
                _arboles[contenido] = astnode
                return astnode, inicio, fin
        return original(lineno, fuente, assertion, astnode)

    code.getstatementrange_ast = getstatementrange_ast

    # Y el fichero entero (la fuente de cada paso de la traza) se lee una vez por sesión: pytest
    # lo relee y lo desindenta entero (mil líneas) por cada paso de cada traza.
    lectura = getattr(code.Code, "fullsource", None)
    if isinstance(lectura, property) and lectura.fget is not None:
        leer = lectura.fget

        def fullsource(self):
            fichero = getattr(self.raw, "co_filename", "")
            if not fichero or fichero.startswith("<"):  # <string>, <frozen ...>: sin caché
                return leer(self)
            if fichero not in _fuentes:
                _fuentes[fichero] = leer(self)
            return _fuentes[fichero]

        code.Code.fullsource = property(fullsource, doc=lectura.__doc__)


_fuentes: dict[str, object] = {}


def _sin_reescribir_bibliotecas(config: pytest.Config) -> None:
    """Que pytest no reescriba los assert de las bibliotecas que traen plugin (Hypothesis).

    pytest marca para reescribir todos los módulos de cada paquete con plugin, y los reescribe
    al importarlos; sin caché (PYTHONDONTWRITEBYTECODE) son ~120 módulos de Hypothesis
    compilados en cada ejecución: un segundo de CPU. Sus assert no son los de las pruebas.
    """
    gancho = getattr(config.pluginmanager, "rewrite_hook", None)
    marcados = getattr(gancho, "_must_rewrite", None)
    if isinstance(marcados, set):
        marcados.difference_update({n for n in marcados if not n.startswith("taller")})
        getattr(gancho, "_marked_for_rewrite_cache", {}).clear()


def pytest_report_header(config: pytest.Config) -> str:
    if config.getoption("codigo"):
        return f"taller: se prueba el código de {config.getoption('codigo')}/, no el de ejercicios/"
    if config.getoption("soluciones"):
        return "taller: se prueba la solución de referencia (soluciones/), no tu código"
    return "taller: se prueba tu código (ejercicios/)"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _resultado["estado"] = int(exitstatus)
    # El resumen final del plugin de Hypothesis la importa siempre (un segundo), aunque
    # ninguna prueba la haya usado; si nadie la importó, no tiene nada que decir.
    if "hypothesis" not in sys.modules:
        hypothesis = session.config.pluginmanager.get_plugin("hypothesispytest")
        if hypothesis is not None:
            session.config.pluginmanager.unregister(hypothesis)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items) -> None:
    """Apunta qué pruebas son de ejercicios/NN y de qué módulo, para el resumen final.

    Va la última: así ya se han quitado las que descartan -k y -m, y «de N» cuenta solo las
    que se ejecutan.
    """
    for item in items:
        modulo = Modulo.de_carpeta_de_pruebas(item.path.parent)
        if modulo is not None:
            _de_ejercicios[item.nodeid] = modulo.numero
            _modulos[modulo.numero] = modulo


_de_ejercicios: dict[str, str] = {}
_modulos: dict[str, Modulo] = {}


def pytest_collection_finish(session: pytest.Session) -> None:
    if _de_ejercicios:
        fugas.congelar_lo_de_antes()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """La guardia de recursos, alrededor de cada prueba de ejercicios/NN (taller.fugas)."""
    if item.nodeid not in _de_ejercicios:
        return (yield)
    with fugas.guardia(pruebas.carpeta_de_codigo(item.path.parent)):
        return (yield)


def _informes(terminalreporter, clase: str) -> list:
    return [
        informe
        for informe in terminalreporter.stats.get(clase, [])
        if getattr(informe, "nodeid", None) in _de_ejercicios
    ]


def _de_que(de_ejercicios: dict[str, str]) -> str:
    """«del módulo 01», «de los módulos 01 y 03», «de los módulos 01 a 08»."""
    numeros = sorted(set(de_ejercicios.values()))
    if len(numeros) == 1:
        return f"del módulo {numeros[0]}"
    seguidos = [int(n) for n in numeros] == list(range(int(numeros[0]), int(numeros[-1]) + 1))
    if seguidos and len(numeros) > 2:
        return f"de los módulos {numeros[0]} a {numeros[-1]}"
    return f"de los módulos {', '.join(numeros[:-1])} y {numeros[-1]}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Una línea en español con el recuento y, si algo falla, dónde buscar ayuda."""
    pasadas = {i.nodeid for i in _informes(terminalreporter, "passed") if i.when == "call"}
    fallidas = {i.nodeid for i in _informes(terminalreporter, "failed")}
    errores = {i.nodeid for i in _informes(terminalreporter, "error")}
    if not (pasadas | fallidas | errores):
        return
    total = len(_de_ejercicios)
    terminalreporter.write_sep("-", "taller")
    linea = (
        f"Pasan {len(pasadas - fallidas - errores)} de {total} pruebas {_de_que(_de_ejercicios)}"
    )
    if errores:
        linea += f"; {len(errores)} dan ERROR (¿tu fichero se importa bien?)"
    terminalreporter.write_line(linea + ".")
    if config.getoption("soluciones") or config.getoption("codigo"):
        return
    for numero in sorted({_de_ejercicios[n] for n in fallidas | errores}):
        terminalreporter.write_line(
            f"¿Atascado en el módulo {numero}? `taller pista {numero}` te da una pista "
            f"y el cuaderno {_modulos[numero].patron_del_cuaderno} explica lo que hace falta."
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """Si un pool dejó hilos no daemon vivos, avisa y sale: sin esto pytest no terminaría."""
    principal = threading.main_thread()
    limite = time.monotonic() + 2.0
    colgados = []
    for hilo in threading.enumerate():
        if hilo is principal or hilo.daemon or not hilo.is_alive():
            continue
        hilo.join(max(0.0, limite - time.monotonic()))
        if hilo.is_alive():
            colgados.append(hilo.name)
    if colgados:
        sys.stdout.flush()
        cuantos = (
            "sigue vivo 1 hilo no daemon"
            if len(colgados) == 1
            else (f"siguen vivos {len(colgados)} hilos no daemon")
        )
        sys.stderr.write(
            f"\nTaller: al terminar las pruebas {cuantos} "
            f"({', '.join(sorted(colgados)[:10])}), y dejarían el programa colgado para "
            "siempre. ¿Un pool que no se detiene? Revisa que detener() pare y espere a todos "
            "sus hilos, y que ningún hilo del pool haya muerto con un error (míralo más arriba): "
            "un trabajo que nadie recoge deja esperando a los demás.\n"
        )
        sys.stderr.flush()
        os._exit(_resultado["estado"] or 1)
