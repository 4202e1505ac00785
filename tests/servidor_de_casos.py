"""Las pruebas de un módulo, recogidas una vez, para muchos casos «casi bien» (tests/test_casi_bien.py).

Cada caso casi bien es el código de la solución con un error metido, y pide ejecutar unas pocas
pruebas del módulo contra él. Pagar para cada uno un pytest entero (configurarlo, registrar sus
plugins, recoger e importar los ficheros de pruebas) era lo más caro de `make test`: casi todo,
lo mismo cada vez, porque las pruebas no dependen del código que prueban hasta que se ejecutan
(`taller.pruebas.cargar` carga el código del alumno dentro de cada prueba).

Este plugin hace de servidor: un `pytest ejercicios/NN --soluciones` que recoge las pruebas y,
en lugar de ejecutarlas, atiende peticiones por un socket (el protocolo de tests/zigoto.py). Para
cada caso se bifurca: el hijo es ese mismo pytest recién recogido, con su grupo de procesos, su
carpeta, su entorno, su salida y su informe JUnit; cambia el código que se prueba por el del caso
(`--codigo`), se queda con las pruebas pedidas (los ficheros y el `-k` del caso) y sigue como
cualquier pytest: las ejecuta, escribe el informe y sale con su código. Nada del hijo vuelve al
servidor, y el servidor no ha ejecutado ninguna prueba: cada caso empieza donde empezaría un
pytest nuevo tras la recogida.

Lo único que no puede ser igual es lo que un fichero de pruebas haga al importarse a partir del
proceso o de la carpeta del código: una ruta (la del `--soluciones` del servidor), el pid (la
marca de sus procesos), una variable de entorno, un hilo arrancado. Eso lo vería el caso con la
carpeta o el proceso equivocados (y un hilo no pasa al hijo). El servidor lo busca tras la
recogida y, si lo encuentra, se niega a atender y dice qué es y de qué fichero.
"""

from __future__ import annotations

import os
import socket
import threading
import types
from pathlib import Path

import pytest
import zigoto  # el protocolo, el bucle que atiende y la preparación de cada hijo
from _pytest.junitxml import xml_key
from _pytest.mark import deselect_by_keyword

from taller import fugas, pruebas


class _SoyElCaso(Exception):
    """Sale del bucle del servidor en el hijo recién bifurcado, con la petición de su caso."""

    def __init__(self, peticion: dict) -> None:
        super().__init__(peticion.get("id"))
        self.peticion = peticion


class ServidorDeCasos:
    """Plugin de pytest: tras recoger, atiende casos en `direccion` (un socket Unix que escucha
    el Lanzador de tests/conftest.py) en lugar de ejecutar las pruebas."""

    def __init__(self, direccion: str) -> None:
        self.direccion = direccion
        self._entorno = dict(os.environ)  # el de antes de configurar y recoger

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session):
        problemas = _lo_que_guardan_al_importar(session) + self._entorno_puesto_al_importar()
        problemas += _hilos_arrancados_al_importar()
        if problemas:
            raise pytest.UsageError(
                "tests/servidor_de_casos.py no puede atender casos de este módulo: "
                + "; ".join(problemas)
                + ". Cada caso casi bien se ejecuta en otro proceso y prueba otra carpeta: "
                "búscalo al usarlo (dentro de una función o de un fixture), no al importar."
            )
        conexion = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conexion.connect(self.direccion)
        todas = list(session.items)
        try:
            zigoto.atender(conexion.fileno(), _escritor(conexion), _hijo(conexion))
        except _SoyElCaso as caso:
            _preparar_el_caso(session, todas, caso.peticion)
            return None  # el hijo sigue como cualquier pytest: _pytest.main ejecuta sus pruebas
        conexion.close()
        return True  # el servidor: sin pruebas que ejecutar

    def _entorno_puesto_al_importar(self) -> list[str]:
        """Las variables de entorno que la recogida (importar los ficheros de pruebas) puso o
        cambió: un hijo empieza con el entorno de su caso, y no las tendría. La marca de
        taller.fugas no cuenta: cada hijo pone la suya (fugas.instalar)."""
        return [
            f"al importar se pone la variable de entorno {nombre}={valor}"
            for nombre, valor in sorted(os.environ.items())
            if self._entorno.get(nombre) != valor
            and nombre != fugas.MARCA
            and not nombre.startswith("PYTEST_")
        ]


def _hilos_arrancados_al_importar() -> list[str]:
    """Los hilos vivos tras la recogida, además del principal: el hijo bifurcado no los
    tendría (fork solo copia el hilo que lo llama), y si uno tenía un cerrojo cogido, el hijo
    se quedaría esperándolo para siempre."""
    return [
        f"al importar se arranca el hilo {hilo.name}"
        for hilo in threading.enumerate()
        if hilo is not threading.main_thread()
    ]


def _escritor(conexion: socket.socket):
    def escribir(mensaje: dict) -> None:
        conexion.sendall(zigoto.linea(mensaje))

    return escribir


def _hijo(conexion: socket.socket):
    def hijo(peticion: dict, despertador: tuple[int, int]) -> None:
        for fd in despertador:
            os.close(fd)
        conexion.close()
        raise _SoyElCaso(peticion)

    return hijo


def _preparar_el_caso(session: pytest.Session, todas: list[pytest.Item], peticion: dict) -> None:
    """En el hijo: su grupo, su carpeta, su entorno, su salida, su informe, su código, sus pruebas."""
    from taller import plugin_pytest  # ya importado por pytest (-p): así, con sus assert reescritos

    config = session.config
    zigoto.ceder(peticion)
    os.setsid()
    # La captura global de pytest guarda una copia de la salida del servidor y la vuelve a
    # poner al acabar cada prueba: se para, se cambia la salida y se arranca otra vez, ya
    # sobre la salida del caso (y con sus propios ficheros de captura, no los del servidor).
    captura = config.pluginmanager.getplugin("capturemanager")
    captura.stop_global_capturing()
    zigoto.preparar(peticion["carpeta"], peticion["entorno"])
    zigoto.redirigir(peticion)
    captura.start_global_capturing()
    captura.suspend_global_capture()
    fugas.instalar()  # la marca de los procesos de esta ejecución: el pid del hijo, no el del servidor
    pruebas.usar_soluciones(False)
    pruebas.usar_codigo_de(peticion["codigo"])
    config.option.soluciones = False
    config.option.codigo = peticion["codigo"]
    config.stash[xml_key].logfile = os.path.abspath(peticion["informe"])
    ficheros = {Path(peticion["carpeta"], f).resolve() for f in peticion.get("ficheros") or []}
    elegidas = [i for i in todas if not ficheros or i.path.resolve() in ficheros]
    if len(elegidas) < len(todas):
        config.hook.pytest_deselected(items=[i for i in todas if i not in elegidas])
    config.option.keyword = peticion.get("k", "")
    deselect_by_keyword(elegidas, config)
    session.items[:] = elegidas
    session.testscollected = len(elegidas)
    for nodeid in set(plugin_pytest._de_ejercicios) - {i.nodeid for i in elegidas}:
        del plugin_pytest._de_ejercicios[nodeid]  # «Pasan X de N»: N, las de este caso


def _lo_que_guardan_al_importar(session: pytest.Session) -> list[str]:
    """Lo que guardan al importarse los ficheros de pruebas y no valdría en un hijo: una ruta
    del código que se prueba (la carpeta de --soluciones del servidor), directamente o en un
    atributo, o el pid del servidor (la marca de sus procesos, que cada hijo necesita suya)."""
    carpetas = {pruebas.carpeta_de_codigo(item.path.parent) for item in session.items} - {
        item.path.parent.resolve() for item in session.items
    }
    pid = os.getpid()
    modulos = {item.module for item in session.items if getattr(item, "module", None)}
    problemas = []
    for modulo in sorted(modulos, key=lambda m: m.__name__):
        fichero = Path(modulo.__file__).relative_to(Path.cwd())
        for nombre, valor in vars(modulo).items():
            if isinstance(valor, (types.ModuleType, type, types.FunctionType)):
                continue
            valores = [valor, *vars(valor).values()] if hasattr(valor, "__dict__") else [valor]
            for uno in valores:
                ruta = isinstance(uno, Path) and any(uno.is_relative_to(c) for c in carpetas)
                del_proceso = uno == pid or (isinstance(uno, str) and str(pid) in uno.split("="))
                if ruta or del_proceso:
                    problemas.append(f"{fichero} guarda {nombre} = {uno!r}")
                    break
    return problemas
