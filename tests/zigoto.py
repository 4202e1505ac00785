"""Un proceso que tiene pytest ya importado y, para cada ejecución que se le pide, se bifurca.

Arrancar `python -m pytest` cuesta casi un segundo de CPU antes de la primera prueba (importar
pytest, sus plugins, Hypothesis...), y tests/test_casi_bien.py lanza cientos de ejecuciones de
pocas pruebas. Este proceso importa todo eso una vez; cada ejecución es un hijo suyo hecho con
fork(): un proceso nuevo, con su propio grupo de procesos, su carpeta, su entorno y su salida
en un fichero, que ejecuta `pytest.main(argumentos)` y sale con su código. Nada del hijo vuelve
al padre: cada ejecución está tan aislada como un `python -m pytest` aparte.

También hace de `python -m taller` (la orden del alumno, para tests/test_cli_*.py): un hijo
con su entrada, su salida y su salida de errores en ficheros, que ejecuta taller/__main__.py y
sale con su código. Y lo que esa orden lanza con `python -m pytest` (taller.ejecucion) es a su
vez un hijo suyo hecho con fork(), con su propia sesión como el de verdad: cada orden son dos
procesos, como la de verdad, sin pagar dos veces el arranque de Python, pytest y el taller.

Protocolo, una línea JSON por mensaje. Por la entrada: {"id", "argumentos", "carpeta",
"entorno", "salida"} y, si la salida de errores va aparte, "errores" (otro fichero); para la
orden `taller`, además {"taller": true, "entrada", "errores"} (el fichero de la entrada); y
"nice", si el hijo debe nacer con menos prioridad (la del hilo que lo pide). Por la salida:
{"id", "pid"} al arrancar el hijo y {"id", "codigo"} cuando termina (el código de salida, o -N si lo mató la
señal N). Se acaba cuando se cierra su entrada.
"""

import contextlib
import gc
import importlib
import json
import os
import runpy
import select
import signal
import subprocess
import sys
import threading
import traceback
import warnings
from collections.abc import Callable

# Lo que cuesta importar y no cambia de una ejecución a otra. Nada de lo que pytest reescribe
# (el plugin del taller, las pruebas): eso lo importa cada hijo, como `python -m pytest`.
import _pytest.config
import pytest  # noqa: F401

# tests/servidor_de_casos.py usa este módulo como `zigoto`: el mismo, no otra copia.
sys.modules.setdefault("zigoto", sys.modules[__name__])

# jsonschema (lo importa nbformat) carga rfc3987_syntax si está instalado (lo trae JupyterLab),
# que compila su gramática al importarse: 3 s de CPU en cada proceso, para comprobar el formato
# «iri», que ningún esquema de nbformat usa. Así jsonschema no lo carga (lo trata como ausente).
sys.modules.setdefault("rfc3987_syntax", None)

for _plugin in _pytest.config.default_plugins:
    importlib.import_module(f"_pytest.{_plugin}")
for _nombre in (
    "_pytest.junitxml",
    "pytest_timeout",
    "hypothesis",
    "_hypothesis_pytestplugin",
    "taller.pruebas",
    "taller.fugas",
    "taller.cuelgues",
    "taller.propiedades",
    "taller.cli",
    "taller.ejecucion",
    "requests",
    "sqlite3",
    "asyncio",
    "concurrent.futures",
    "multiprocessing",
    "xml.etree.ElementTree",
    # El módulo 10 (su cluster.py y sus pruebas) importa Dask: ~1 s de CPU en cada hijo.
    # Importarlo no arranca hilos ni abre nada; su configuración se lee aquí, del entorno del
    # cigoto (las pruebas pasan la suya a los procesos de Dask que lanzan, no a pytest).
    "distributed",
    "distributed.cli.dask_worker",
):
    try:
        importlib.import_module(_nombre)
    except ImportError:
        pass

# La orden `taller` con todos sus verbos, como la deja construir_parser().
for _orden in importlib.import_module("taller.cli").ORDENES:
    importlib.import_module(f"taller.ordenes.{_orden}")

# Hypothesis, al recoger pruebas que la usan, busca constantes en cada módulo cargado que no sea
# de la biblioteca estándar ni de site-packages, resolviendo la ruta de cada uno. Lleva la cuenta
# de los módulos ya vistos: hecho aquí una vez, cada hijo solo mira los que carga él (sus
# pruebas, el código probado), y sale lo mismo que si los mirara todos. (Avisa de que es lento
# hacerlo al cargar un plugin: aquí es justo lo que se quiere, una vez y no en cada hijo.)
try:
    from hypothesis.internal.conjecture.providers import _get_local_constants
except ImportError:  # otra versión de Hypothesis: cada hijo lo hace entero, como antes
    pass
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _get_local_constants()

# Lo importado hasta aquí, fuera del recolector de basura (gc.freeze, pensado para esto: un
# proceso que se bifurca). Sin esto, la primera recogida de cada hijo recorre todos estos objetos
# y, al tocarlos, copia cada página de memoria que comparte con el zigoto: con esto, y con lo de
# Hypothesis, un caso casi bien pasa de unos 0,4 a 0,26 s de CPU. Lo que crea cada hijo sí se
# recoge, como siempre.
gc.collect()
gc.freeze()

# Pytest avisa de que no puede reescribir los assert de lo que ya está importado (Hypothesis,
# pytest-timeout): el plugin del taller tampoco los deja reescribir, así que no cambia nada.
SIN_AVISO = ["-W", "ignore:Module already imported:pytest.PytestAssertRewriteWarning"]


def _abrir_como(ruta: str, fd: int, escribir: bool) -> None:
    modo = os.O_WRONLY | os.O_CREAT | os.O_TRUNC if escribir else os.O_RDONLY
    abierto = os.open(ruta, modo, 0o644)
    os.dup2(abierto, fd)
    os.close(abierto)


def preparar(carpeta: str, entorno: dict) -> None:
    """Lo común a todo hijo: sin las señales del zigoto, en su carpeta y con su entorno."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.chdir(carpeta)
    os.environ.clear()
    os.environ.update(entorno)


def _pytest(carpeta: str, argumentos: list[str], plugins: list | None = None) -> None:
    """`python -m pytest ARGUMENTOS` en este proceso (un hijo recién bifurcado); no vuelve."""
    # Como `python -m pytest`: la carpeta de trabajo, la primera del camino de importación.
    sys.path.insert(0, carpeta)
    sys.argv = [sys.argv[0], *argumentos]
    # Con PYTHONDONTWRITEBYTECODE, cada hijo volvería a reescribir los assert de los mismos
    # ficheros de pruebas (un tercio de lo que cuesta un caso): que el primero deje el .pyc en
    # __pycache__ (git lo ignora) y los demás lo lean. pytest lo escribe de forma atómica.
    sys.dont_write_bytecode = False
    codigo = 1
    try:
        codigo = int(pytest.main([*argumentos, *SIN_AVISO], plugins=plugins))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(codigo)


def ceder(peticion: dict) -> None:
    """El nice del hilo que pidió este hijo (el trabajo de fondo cede la CPU), si lo trae."""
    if peticion.get("nice"):
        try:
            os.setpriority(
                os.PRIO_PROCESS, 0, max(peticion["nice"], os.getpriority(os.PRIO_PROCESS, 0))
            )
        except OSError:
            pass


def redirigir(peticion: dict) -> None:
    """La entrada, de /dev/null; la salida, a su fichero; la de errores, al suyo o a la salida."""
    _abrir_como(os.devnull, 0, escribir=False)
    _abrir_como(peticion["salida"], 1, escribir=True)
    if peticion.get("errores"):
        _abrir_como(peticion["errores"], 2, escribir=True)
    else:
        os.dup2(1, 2)


def _hijo(peticion: dict, despertador: tuple[int, int]) -> None:
    for fd in despertador:
        os.close(fd)
    ceder(peticion)
    if peticion.get("taller"):
        _orden_taller(peticion)
    os.setsid()
    preparar(peticion["carpeta"], peticion["entorno"])
    redirigir(peticion)
    plugins = None
    if peticion.get("servidor_de_casos"):  # un pytest que recoge y atiende casos casi bien
        import servidor_de_casos

        plugins = [servidor_de_casos.ServidorDeCasos(peticion["servidor_de_casos"])]
    _pytest(peticion["carpeta"], peticion["argumentos"], plugins)


class _PytestBifurcado:
    """Lo que taller.ejecucion usa de un Popen, para un `python -m pytest` hecho con fork()."""

    def __init__(self, orden, cwd, stdout, env, start_new_session=False, **_) -> None:
        self.args = orden
        self.returncode: int | None = None
        sys.stdout.flush()  # lo que la orden tenga sin escribir no debe salir también en el hijo
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                if start_new_session:
                    os.setsid()
                preparar(str(cwd), env)
                _abrir_como(os.devnull, 0, escribir=False)
                os.dup2(stdout.fileno(), 1)
                os.dup2(1, 2)
            except BaseException:
                os._exit(1)
            _pytest(str(cwd), orden[3:])
        self._pidfd = os.pidfd_open(self.pid)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, estado = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(estado)
                os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            listos, _, _ = select.select([self._pidfd], [], [], timeout)
            if not listos:
                raise subprocess.TimeoutExpired(self.args, timeout)
            while self.poll() is None:  # el pidfd ya dice que acabó: waitpid no espera
                pass
        return self.returncode


class _SubprocessDelZigoto:
    """El módulo subprocess para taller.ejecucion: `python -m pytest` se bifurca de este proceso
    (pytest ya importado) en lugar de arrancar un Python nuevo; lo demás, el subprocess de
    siempre. Si la orden tiene otros hilos (varios módulos a la vez), Popen de verdad: un fork
    con otros hilos trabajando podría llevarse un cerrojo cogido."""

    def __getattr__(self, nombre):
        return getattr(subprocess, nombre)

    @staticmethod
    def Popen(orden, *argumentos, **opciones):  # noqa: N802 - el nombre de subprocess
        otros = [h for h in threading.enumerate() if h is not threading.current_thread()]
        solo = all(isinstance(h, threading.Timer) for h in otros)  # el aviso «sigue»: espera
        como_ejecucion = (
            opciones.get("stdin") == subprocess.DEVNULL
            and opciones.get("stderr") == subprocess.STDOUT
            and hasattr(opciones.get("stdout"), "fileno")
        )
        pytest_ = list(orden[:3]) == [sys.executable, "-m", "pytest"]
        if solo and pytest_ and como_ejecucion and not argumentos:
            return _PytestBifurcado(orden, **opciones)
        return subprocess.Popen(orden, *argumentos, **opciones)


def _orden_taller(peticion: dict) -> None:
    """`python -m taller ARGUMENTOS` en este proceso (un hijo recién bifurcado); no vuelve."""
    preparar(peticion["carpeta"], peticion["entorno"])
    _abrir_como(peticion["entrada"], 0, escribir=False)
    _abrir_como(peticion["salida"], 1, escribir=True)
    _abrir_como(peticion["errores"], 2, escribir=True)
    if os.environ.get("PYTHONUNBUFFERED"):
        sys.stdout.reconfigure(write_through=True)
        sys.stderr.reconfigure(write_through=True)
    import taller.ejecucion

    taller.ejecucion.subprocess = _SubprocessDelZigoto()
    sys.path.insert(0, peticion["carpeta"])
    sys.argv = ["-m", *peticion["argumentos"]]
    codigo = 1
    try:
        runpy.run_module("taller", run_name="__main__", alter_sys=True)
        codigo = 0
    except SystemExit as salida:  # lo que hace Python con sys.exit(x) al acabar
        if salida.code is None or isinstance(salida.code, int):
            codigo = salida.code or 0
        else:
            print(salida.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(codigo)


def linea(mensaje: dict) -> bytes:
    """Un mensaje del protocolo: una línea JSON."""
    return (json.dumps(mensaje) + "\n").encode()


def atender(entrada: int, escribir: Callable[[dict], None], hijo: Callable) -> None:
    """Lee peticiones (líneas JSON) de `entrada` y, por cada una, se bifurca: el hijo ejecuta
    `hijo(peticion, despertador)`, que no vuelve, y aquí se escribe {"id", "pid"} y, cuando el
    hijo termina, {"id", "codigo"}. Vuelve cuando se cierra la entrada y han acabado todos."""
    despertador_r, despertador_w = os.pipe()
    os.set_blocking(despertador_w, False)
    signal.set_wakeup_fd(despertador_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    ids: dict[int, object] = {}
    pendiente = b""
    abierta = True
    try:
        while abierta or ids:
            listos, _, _ = select.select(
                [entrada, despertador_r] if abierta else [despertador_r], [], []
            )
            if despertador_r in listos:
                os.read(despertador_r, 4096)
            if entrada in listos:
                trozo = os.read(entrada, 65536)
                if not trozo:
                    abierta = False
                pendiente += trozo
                while b"\n" in pendiente:
                    texto, pendiente = pendiente.split(b"\n", 1)
                    peticion = json.loads(texto)
                    sys.stdout.flush()  # lo que quede sin escribir no debe salir también en el hijo
                    sys.stderr.flush()
                    pid = os.fork()
                    if pid == 0:
                        hijo(peticion, (despertador_r, despertador_w))
                    ids[pid] = peticion["id"]
                    escribir({"id": peticion["id"], "pid": pid})
            while ids:
                try:
                    pid, estado = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                if pid in ids:
                    escribir({"id": ids.pop(pid), "codigo": os.waitstatus_to_exitcode(estado)})
    finally:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in (despertador_r, despertador_w):
            with contextlib.suppress(OSError):
                os.close(fd)


def main() -> None:
    def escribir(mensaje: dict) -> None:
        sys.stdout.buffer.write(linea(mensaje))
        sys.stdout.buffer.flush()

    atender(sys.stdin.fileno(), escribir, _hijo)


if __name__ == "__main__":
    main()
