"""Pruebas del propio taller: cada módulo se descubre por su carpeta."""

import contextlib
import json
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import pytest

from taller import cuelgues
from taller.ejecucion import (
    FICHERO_EN_MARCHA,
    MARCA_DE_EJECUCION,
    Resultado,
    _leer_junit,
    _mensaje_de_corte,
    orden_de_las_pruebas,
)
from taller.generador import esperado
from taller.modulos import Modulo, carpeta_de_ejercicios, modulos, raiz_del_taller

# jsonschema (lo importa nbformat) carga rfc3987_syntax si está instalado (lo trae JupyterLab),
# que compila su gramática al importarse: 3 s de CPU en cada proceso, para comprobar el formato
# «iri», que ningún esquema de nbformat usa. Así jsonschema no lo carga (lo trata como ausente).
sys.modules.setdefault("rfc3987_syntax", None)

RAIZ = raiz_del_taller()
MODULOS = modulos(RAIZ)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "modulo" in metafunc.fixturenames:
        metafunc.parametrize("modulo", MODULOS, ids=[m.numero for m in MODULOS])


@pytest.fixture
def raiz():
    return RAIZ


# --- Las pruebas de un módulo, sin pagar cada vez el arranque de pytest (tests/zigoto.py) ----


class _Canal:
    """La conexión con un proceso que bifurca (tests/zigoto.py, o un servidor de casos de
    tests/servidor_de_casos.py): por un lado van las peticiones, una línea JSON cada una; por el
    otro vuelven {"id", "pid"} al arrancar cada hijo y {"id", "codigo"} al acabar. Se puede
    usar desde varios hilos a la vez."""

    def __init__(self, lectura, escribir: Callable[[bytes], None], nombre: str) -> None:
        self._escribir = escribir
        self._nombre = nombre
        self._cerrojo = threading.Lock()
        self._pids: dict[str, Future] = {}
        self._codigos: dict[str, Future] = {}
        self._lector = threading.Thread(target=self._leer, args=(lectura,), name=nombre)
        self._lector.daemon = True
        self._lector.start()

    def _leer(self, lectura) -> None:
        for linea in lectura:
            mensaje = json.loads(linea)
            with self._cerrojo:
                if "pid" in mensaje:
                    self._pids.pop(mensaje["id"]).set_result(mensaje["pid"])
                else:
                    self._codigos.pop(mensaje["id"]).set_result(mensaje["codigo"])
        with self._cerrojo:  # el proceso murió: nadie se queda esperando
            for futuro in [*self._pids.values(), *self._codigos.values()]:
                futuro.set_exception(RuntimeError(f"{self._nombre} terminó antes de tiempo"))
            self._pids.clear()
            self._codigos.clear()

    def pedir(self, peticion: dict) -> tuple[Future, Future]:
        """Manda la petición; devuelve (pid del hijo, su código de salida), como futuros."""
        id_ = uuid.uuid4().hex
        pid, codigo = Future(), Future()
        with self._cerrojo:
            self._pids[id_], self._codigos[id_] = pid, codigo
            self._escribir((json.dumps({"id": id_, **peticion}) + "\n").encode())
        return pid, codigo


class Lanzador:
    """Ejecuta `pytest ejercicios/NN ...` como taller.ejecucion.ejecutar_pruebas, pero cada
    ejecución es un hijo de tests/zigoto.py (pytest ya importado) en lugar de un `python -m
    pytest` nuevo: el mismo aislamiento (un proceso y un grupo de procesos por ejecución, que
    al acabar se terminan con todo lo que dejen, también los procesos con su marca) y un
    segundo de CPU menos por ejecución. Para los casos casi bien (`ejecutar_caso`), cada
    ejecución es un hijo de un pytest que ya recogió las pruebas del módulo
    (tests/servidor_de_casos.py): otro cuarto de segundo menos. Se puede usar desde varios
    hilos a la vez.
    """

    def __init__(self) -> None:
        # El entorno se copia aquí, en el hilo de pytest: desde otro hilo, la copia podría
        # cruzarse con pytest quitando PYTEST_CURRENT_TEST (KeyError).
        self._entorno = {c: v for c, v in os.environ.items() if c != "PYTEST_CURRENT_TEST"}
        self._proceso = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "zigoto.py")],
            cwd=RAIZ,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._zigoto = _Canal(self._proceso.stdout, self._mandar_al_zigoto, "tests/zigoto.py")
        self._cerrojo = threading.Lock()
        self._servidores: dict[tuple, Future] = {}
        self._conexiones: list[socket.socket] = []
        self._temporal = Path(tempfile.mkdtemp(prefix="taller-casos-"))

    def _mandar_al_zigoto(self, datos: bytes) -> None:
        self._proceso.stdin.write(datos)
        self._proceso.stdin.flush()

    def ejecutar(
        self,
        modulo: Modulo,
        soluciones: bool = False,
        codigo: Path | None = None,
        extra: list[str] | None = None,
        timeout: float = 600,
        ficheros: list[str] | None = None,
    ) -> Resultado:
        """Como taller.ejecucion.ejecutar_pruebas, en un hijo del zigoto. Con `ficheros` (rutas
        desde la raíz), pytest recoge solo esos ficheros de pruebas del módulo, no la carpeta."""
        ruta, *opciones = orden_de_las_pruebas(modulo)[3:]
        argumentos = [*(ficheros or [ruta]), *opciones]
        if soluciones:
            argumentos.append("--soluciones")
        if codigo is not None:
            argumentos.append(f"--codigo={codigo}")
        argumentos += extra or []

        def pedir(peticion: dict, informe: Path) -> tuple[Future, Future]:
            return self._pedir({**peticion, "argumentos": [*argumentos, f"--junitxml={informe}"]})

        return self._correr(modulo, codigo, timeout, pedir)

    def ejecutar_caso(
        self,
        modulo: Modulo,
        codigo: Path,
        opciones: list[str],
        seleccion: str,
        ficheros: list[str],
        timeout: float,
    ) -> Resultado:
        """Como `ejecutar(modulo, codigo=codigo, extra=[*opciones, "-k", seleccion])` recogiendo
        solo `ficheros` (rutas desde la raíz; todos, si está vacía), pero en un hijo del servidor
        de casos del módulo con esas opciones (tests/servidor_de_casos.py): las pruebas ya
        están recogidas, y el hijo solo ejecuta las suyas."""
        servidor = self._servidor(modulo, tuple(opciones))

        def pedir(peticion: dict, informe: Path) -> tuple[Future, Future]:
            caso = {"codigo": str(codigo), "k": seleccion, "ficheros": ficheros}
            return self._pedir({**peticion, **caso, "informe": str(informe)}, servidor)

        return self._correr(modulo, codigo, timeout, pedir)

    def _correr(
        self,
        modulo: Modulo,
        codigo: Path | None,
        timeout: float,
        pedir: Callable[[dict, Path], tuple[Future, Future]],
    ) -> Resultado:
        """Una ejecución de pytest (la lanza `pedir(peticion, informe)`), con su límite; al
        acabar o al vencer, se termina su grupo de procesos y todo lo que lleve su marca."""
        with tempfile.TemporaryDirectory(prefix="taller-junit-") as temporal:
            informe = Path(temporal) / "informe.xml"
            marca = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
            en_marcha = Path(temporal) / "en_marcha.txt"
            entorno = {
                **self._entorno,
                MARCA_DE_EJECUCION: marca,
                FICHERO_EN_MARCHA: str(en_marcha),
            }
            salida = Path(temporal) / "salida.txt"
            peticion = {"carpeta": str(modulo.raiz), "entorno": entorno, "salida": str(salida)}
            pid, codigo_salida = pedir(peticion, informe)
            grupo = pid.result(timeout=60)
            try:
                terminado: int | None = codigo_salida.result(timeout=timeout)
            except TimeoutError:
                terminado = None
            finally:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(grupo, signal.SIGKILL)
                cuelgues.terminar(cuelgues.con_marca(f"{MARCA_DE_EJECUCION}={marca}"))
            if terminado is None:
                with contextlib.suppress(TimeoutError):
                    codigo_salida.result(timeout=5)
            resultado = Resultado(
                codigo_salida=1 if terminado is None else terminado,
                salida=salida.read_text(encoding="utf-8", errors="replace"),
            )
            if terminado is None:
                prueba = ""
                with contextlib.suppress(OSError):
                    prueba = en_marcha.read_text(encoding="utf-8").strip()
                resultado.cortado = _mensaje_de_corte(timeout, prueba, modulo)
            _leer_junit(informe, resultado, modulo, codigo)
        return resultado

    def _servidor(self, modulo: Modulo, opciones: tuple[str, ...]) -> _Canal:
        """El servidor de casos del módulo con esas opciones; se arranca la primera vez."""
        clave = (str(modulo.raiz), modulo.numero, opciones)
        with self._cerrojo:
            futuro = self._servidores.get(clave)
            nuevo = futuro is None
            if nuevo:
                futuro = self._servidores[clave] = Future()
        if nuevo:
            try:
                futuro.set_result(self._arrancar_servidor(modulo, list(opciones)))
            except BaseException as error:
                futuro.set_exception(error)
        return futuro.result()

    def _arrancar_servidor(self, modulo: Modulo, opciones: list[str]) -> _Canal:
        """`pytest ejercicios/NN OPCIONES --soluciones` con el plugin de tests/servidor_de_casos.py:
        recoge las pruebas y se conecta a un socket que escucha aquí; por él le llegan los casos."""
        carpeta = Path(tempfile.mkdtemp(dir=self._temporal))
        direccion, salida = carpeta / "casos.sock", carpeta / "servidor.txt"
        ruta, *base = orden_de_las_pruebas(modulo)[3:]
        argumentos = [ruta, *base, *opciones, "--soluciones", f"--junitxml={carpeta / 'x.xml'}"]
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as escucha:
            escucha.bind(str(direccion))
            escucha.listen(1)
            _, codigo = self._pedir(
                {
                    "argumentos": argumentos,
                    "carpeta": str(modulo.raiz),
                    "entorno": self._entorno,
                    "salida": str(salida),
                    "servidor_de_casos": str(direccion),
                }
            )
            limite = time.monotonic() + 120
            while not select.select([escucha], [], [], 0.2)[0]:
                if codigo.done() or time.monotonic() > limite:
                    dijo = salida.read_text(encoding="utf-8", errors="replace")[-3000:]
                    raise RuntimeError(
                        f"El servidor de casos del módulo {modulo.numero} no llegó a atender "
                        f"({'salió' if codigo.done() else 'no conectó en 120 s'}). Dijo:\n{dijo}"
                    )
            conexion, _ = escucha.accept()
        self._conexiones.append(conexion)
        return _Canal(conexion.makefile("rb"), conexion.sendall, f"casos del {modulo.numero}")

    def taller(
        self, carpeta: Path, argumentos: list[str], entrada: str, entorno: dict, timeout: float
    ) -> subprocess.CompletedProcess:
        """`python -m taller ARGUMENTOS` en `carpeta`, como subprocess.run(..., input=entrada,
        capture_output=True, text=True), pero como hijo del zigoto: un proceso aparte, con su
        entrada, su salida, su salida de errores y su código de salida, sin pagar el arranque.
        Lo que la orden lance con `python -m pytest` es otro hijo bifurcado (tests/zigoto.py)."""
        peticion = {"taller": True, "argumentos": argumentos, "carpeta": str(carpeta)}
        orden = [sys.executable, "-m", "taller", *argumentos]
        return self._aparte(orden, {**peticion, "entorno": entorno}, entrada, timeout)

    def pytest(
        self, carpeta: Path, argumentos: list[str], entorno: dict, timeout: float
    ) -> subprocess.CompletedProcess:
        """`python -m pytest ARGUMENTOS` en `carpeta`, como subprocess.run(..., capture_output=True,
        text=True): un hijo del zigoto, con su salida y su salida de errores. A diferencia de
        `ejecutar`, no termina lo que quede de él: eso es lo que miran las pruebas de cuelgues."""
        peticion = {"argumentos": argumentos, "carpeta": str(carpeta), "entorno": entorno}
        return self._aparte([sys.executable, "-m", "pytest", *argumentos], peticion, None, timeout)

    def _aparte(
        self, orden: list[str], peticion: dict, entrada: str | None, timeout: float
    ) -> subprocess.CompletedProcess:
        """Como subprocess.run(orden, input=entrada, capture_output=True, text=True, timeout=...)."""
        with tempfile.TemporaryDirectory(prefix="taller-aparte-") as temporal:
            nombres = ("salida", "errores") if entrada is None else ("entrada", "salida", "errores")
            ficheros = {nombre: Path(temporal) / f"{nombre}.txt" for nombre in nombres}
            if entrada is not None:
                ficheros["entrada"].write_text(entrada, encoding="utf-8")
            pid, codigo = self._pedir({**peticion, **{n: str(r) for n, r in ficheros.items()}})
            hijo = pid.result(timeout=60)
            try:
                terminado = codigo.result(timeout=timeout)
            except TimeoutError:
                # como subprocess.run: se mata el hijo (y su grupo, si tiene uno propio)
                for matar in (os.kill, os.killpg):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        matar(hijo, signal.SIGKILL)
                codigo.result(timeout=30)
                raise subprocess.TimeoutExpired(orden, timeout) from None
            salida, errores = (ficheros[n].read_text(encoding="utf-8") for n in nombres[-2:])
        return subprocess.CompletedProcess(orden, terminado, salida, errores)

    def _pedir(self, peticion: dict, canal: _Canal | None = None) -> tuple[Future, Future]:
        """Manda la petición al zigoto (o al servidor de casos `canal`). El hijo nace con el nice
        del hilo que la pide, como un proceso lanzado desde ese hilo (el trabajo de fondo cede la
        CPU: _ceder_la_cpu)."""
        nice = nice_de_este_hilo()
        if nice > 0:
            peticion = {**peticion, "nice": nice}
        return (canal or self._zigoto).pedir(peticion)

    def cerrar(self) -> None:
        """Cierra los servidores de casos (acaban cuando acaban sus hijos) y después el zigoto."""
        for conexion in self._conexiones:
            with contextlib.suppress(OSError):
                conexion.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            self._proceso.stdin.close()
        try:
            self._proceso.wait(30)
        except subprocess.TimeoutExpired:
            self._proceso.kill()
            self._proceso.wait()
        for conexion in self._conexiones:
            conexion.close()
        shutil.rmtree(self._temporal, ignore_errors=True)


class Fondo:
    """El trabajo lento de algunas pruebas, en hilos de fondo mientras corren las demás.

    Un fichero de pruebas declara `A_LA_VEZ = {"test_nombre": trabajo}`: `trabajo(parametros,
    fondo)` hace lo lento (ejecutar pytest sobre algo) con los parámetros de esa prueba y
    devuelve lo que la prueba comprobará; la prueba lo recoge con el fixture `de_fondo`. Esas
    pruebas van al final (pytest_collection_modifyitems) y su trabajo se lanza, en su orden, en
    cuanto empieza la primera prueba que no va sola, en tantos hilos como núcleos (el triple
    cuando ya solo queda esperarlo: _sumar_hilos_al_final). Esos hilos, y los procesos que lanzan,
    ceden la CPU (nice 10, ver _ceder_la_cpu): el trabajo de fondo
    llena los huecos que dejan las demás pruebas (las que esperan a un subproceso, a un
    servidor o a un cuaderno) sin quitarles tiempo, y cuando solo queda esperar, trabajan todos
    los núcleos. Las pruebas de SIN_TRABAJO_DE_FONDO corren antes, solas; después, las de PRONTO.
    Los trabajos de un fichero con `A_LA_VEZ_PRIMERO = True` (pocos y largos) se lanzan antes
    que los demás: así no queda uno largo solo al final. Los de un fichero con
    `A_LA_VEZ_APARTE = True` (los que pasan casi todo el rato esperando: un cuaderno con sus
    pausas y su núcleo, un límite de reloj que vence) van en un hilo propio, de uno en uno y
    desde el principio: no le quitan el sitio al trabajo de CPU. Al acabar, el resumen dice cuáles
    fueron los diez trabajos de fondo más lentos (lo que tardó cada uno, no lo que esperó su
    prueba, que es lo que mide --durations).
    """

    def __init__(self, items: list[pytest.Item]) -> None:
        self._tareas = [item for item in items if _trabajo_de(item) is not None]
        self.segundos: dict[str, float] = {}
        self._futuros: dict[str, Future] = {item.nodeid: Future() for item in self._tareas}
        self._cola: queue.Queue = queue.Queue()
        self._cola_aparte: queue.Queue = queue.Queue()
        self._hilos: list[tuple[threading.Thread, queue.Queue]] = []
        self._temporal = Path(tempfile.mkdtemp(prefix="taller-fondo-"))
        self.lanzador: Lanzador | None = None
        self._nucleos = max(1, os.cpu_count() or 2)
        self._sumados = False

    def arrancar(self) -> None:
        if self._hilos or not self._tareas:
            return
        self.lanzador = lanzador()
        for item in self._tareas:
            futuro, trabajo = self._futuros[item.nodeid], _trabajo_de(item)
            parametros = item.callspec.params if hasattr(item, "callspec") else {}
            cola = self._cola_aparte if _va_aparte(item) else self._cola
            cola.put((item.nodeid, futuro, trabajo, parametros))
        hilos = [(f"fondo-{n}", self._cola, True) for n in range(self._nucleos)]
        # Lo que espera un límite de reloj no cede la CPU: que el reloj no corra por esperarla.
        hilos.append(("fondo-aparte", self._cola_aparte, False))
        self._lanzar(hilos)

    def _lanzar(self, hilos: list[tuple[str, queue.Queue, bool]]) -> None:
        for nombre, cola, cede in hilos:
            hilo = threading.Thread(target=self._trabajar, args=(cola, cede), name=nombre)
            hilo.daemon = True
            hilo.start()
            self._hilos.append((hilo, cola))

    def _sumar_hilos_al_final(self) -> None:
        """Más hilos de fondo, cuando el de pytest ya solo espera su trabajo (una vez): hasta
        HILOS_AL_FINAL por núcleo.

        Muchos trabajos pasan casi todo el rato esperando (un límite que vence, un servidor
        colgado, un cluster que arranca): al final, con un hilo por núcleo, la CPU se quedaba
        parada en un 60 %. Antes no: mientras corren las demás pruebas, más trabajo de fondo a
        la vez solo les quitaría CPU (y los cuadernos tienen 30 s de reloj)."""
        if self._sumados or not self._hilos:
            return
        self._sumados = True
        nuevos = range(self._nucleos, HILOS_AL_FINAL * self._nucleos)
        self._lanzar([(f"fondo-{n}", self._cola, True) for n in nuevos])

    def carpeta(self) -> Path:
        """Una carpeta temporal nueva (se borran todas al acabar la sesión)."""
        return Path(tempfile.mkdtemp(dir=self._temporal))

    def taller(self, carpeta: Path, *argumentos: str, **opciones):
        """La orden `taller ARGUMENTOS` en `carpeta` (orden_taller, el fixture `taller_cli`)."""
        return orden_taller(carpeta, *argumentos, **opciones)

    def juguete(self) -> "TallerDeJuguete":
        """Un taller de juguete nuevo (el del fixture `juguete`) en una carpeta temporal."""
        return TallerDeJuguete(self.carpeta() / "taller")

    def _trabajar(self, cola: queue.Queue, cede: bool) -> None:
        if cede:
            _ceder_la_cpu()
        while True:
            tarea = cola.get()
            if tarea is None:
                return
            nodeid, futuro, trabajo, parametros = tarea
            if not futuro.set_running_or_notify_cancel():
                continue
            inicio = time.perf_counter()
            try:
                resultado = _sin_cruzarse(trabajo, parametros, self)
            except BaseException as error:  # noqa: BLE001 - lo recibe la prueba
                futuro.set_exception(error)
            else:
                futuro.set_result(resultado)
            finally:
                self.segundos[nodeid] = time.perf_counter() - inicio

    def esperar(self, nodeid: str) -> object:
        self.arrancar()
        if not self._futuros[nodeid].done():
            self._sumar_hilos_al_final()
        return self._futuros[nodeid].result()

    def parar(self) -> None:
        for futuro in self._futuros.values():
            futuro.cancel()
        for _, cola in self._hilos:
            cola.put(None)
        for hilo, _ in self._hilos:
            hilo.join()
        shutil.rmtree(self._temporal, ignore_errors=True)


# Hilos de fondo por núcleo cuando el hilo de pytest ya solo espera (ver _sumar_hilos_al_final).
# Con 2, la CPU seguía medio parada al final; cada trabajo lleva su límite, holgado.
HILOS_AL_FINAL = 3

# El nice del trabajo de fondo. En Linux el nice es de cada hilo, y un proceso lanzado desde un
# hilo nace con el suyo; Lanzador._pedir se lo pasa a los hijos del zigoto. Así el planificador
# del sistema da la CPU primero a las demás pruebas y a sus procesos (en un núcleo compartido,
# uno con nice 0 contra uno con nice 10 se queda con ~90 % del tiempo), y el trabajo de fondo se
# hace con lo que sobra. No 19 (~1,5 %): en una máquina cargada, el trabajo de fondo se quedaría
# casi sin CPU, y sus pruebas (con límites de reloj, como todas) fallarían por eso.
NICE_DE_FONDO = 10


def _ceder_la_cpu() -> None:
    """Este hilo, y lo que lance desde ahora, con NICE_DE_FONDO (si el sistema lo permite)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE_DE_FONDO)


def nice_de_este_hilo() -> int:
    """El nice del hilo que llama (0 si no se sabe): el que heredaría un proceso lanzado desde él."""
    try:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    except (AttributeError, OSError):
        return 0


def _va_aparte(item: pytest.Item) -> bool:
    return getattr(getattr(item, "module", None), "A_LA_VEZ_APARTE", False)


def _trabajo_de(item: pytest.Item) -> Callable | None:
    trabajos = getattr(getattr(item, "module", None), "A_LA_VEZ", {})
    return trabajos.get(getattr(item, "originalname", None))


# Pruebas que miden el proceso entero (los descriptores abiertos, los hilos, la CPU de sus
# hilos) o el reloj dentro de él: van primero, antes de que empiece el trabajo de fondo, que
# abre ficheros y lanza procesos desde hilos de este mismo proceso.
SIN_TRABAJO_DE_FONDO = {
    "test_flota.py",  # cuenta los descriptores del proceso; 200 servidores en menos de 1 s
    "test_segundos_de_cpu.py",
}


# Las que miden el reloj de otro proceso que usa menos de los dos núcleos: van justo después,
# ya con el trabajo de fondo en marcha, que cede la CPU (NICE_DE_FONDO) y llena el núcleo que
# dejan libre. Cada cuaderno tiene 30 s de reloj: sin nada al lado tardan ~12 s, con un núcleo
# de media. En un hilo de fondo, a la vez que las demás pruebas (probado: 5 ejecuciones enteras),
# el cuaderno 10 llegaba a 28 s, y make test no bajaba: más procesos a la vez, más CPU en total.
PRONTO = {"test_cuadernos.py"}


def _va_sola(item: pytest.Item) -> bool:
    return item.path.name in SIN_TRABAJO_DE_FONDO


_lanzadores: list[Lanzador] = []


def lanzador() -> Lanzador:
    """El Lanzador de la sesión (su zigoto), creado la primera vez que hace falta.

    Se crea desde el hilo de pytest (Fondo.arrancar, orden_taller); al acabar la sesión se
    cierra (pytest_sessionfinish)."""
    if not _lanzadores:
        _lanzadores.append(Lanzador())
    return _lanzadores[0]


def _sin_cruzarse(trabajo: Callable, parametros: dict, fondo: Fondo) -> object:
    """trabajo(parametros, fondo), repetido si al copiar os.environ se cruza con pytest.

    taller.ejecucion copia os.environ antes de lanzar el proceso; mientras, el hilo principal
    de pytest pone y quita PYTEST_CURRENT_TEST en cada fase de cada prueba, y si la quita en
    medio de la copia, esta lanza KeyError. Entonces no se ha lanzado nada: se repite igual.
    """
    while True:
        try:
            return trabajo(parametros, fondo)
        except KeyError as error:
            if error.args != ("PYTEST_CURRENT_TEST",):
                raise


_fondo: dict[str, Fondo] = {}


def pytest_collection_modifyitems(session: pytest.Session, config, items) -> None:
    """Primero las que van solas (SIN_TRABAJO_DE_FONDO), luego las de PRONTO, después las demás
    y al final las que esperan su trabajo de fondo."""
    items.sort(key=_turno)


def _turno(item: pytest.Item) -> int:
    if _va_sola(item):
        return 0
    if item.path.name in PRONTO:
        return 1
    if _trabajo_de(item) is None:
        return 2
    # En el mismo orden en que se lanza su trabajo: cada prueba espera solo el suyo.
    primero = getattr(item.module, "A_LA_VEZ_PRIMERO", False) or _va_aparte(item)
    return 3 if primero else 4


def pytest_collection_finish(session: pytest.Session) -> None:
    _fondo["fondo"] = Fondo(session.items)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if "fondo" in _fondo and not _va_sola(item):
        _fondo["fondo"].arrancar()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if "fondo" in _fondo:
        _fondo["fondo"].parar()
    while _lanzadores:
        _lanzadores.pop().cerrar()


def pytest_terminal_summary(terminalreporter) -> None:
    fondo = _fondo.pop("fondo", None)
    if fondo is None or not fondo.segundos:
        return
    terminalreporter.write_sep(
        "=", "los 10 trabajos de fondo más lentos (ver Fondo en tests/conftest.py)"
    )
    lentos = sorted(fondo.segundos.items(), key=lambda par: par[1], reverse=True)[:10]
    for nodeid, tardado in lentos:
        terminalreporter.write_line(f"{tardado:.2f}s fondo    {nodeid}")


@pytest.fixture
def de_fondo(request):
    """Una función que espera el trabajo de fondo de esta prueba y lo devuelve (ver Fondo)."""
    return lambda: _fondo["fondo"].esperar(request.node.nodeid)


# --- Un taller de juguete para probar la orden `taller` (tests/test_cli_*.py) ---------------


# Las opciones del pyproject.toml del taller, también sin los plugins de Jupyter: nbval importa
# nbformat y jsonschema (rfc3987_syntax compila su gramática al importarse), 3 s de CPU en cada
# ejecución de pytest que ninguna prueba de juguete usa.
_PYPROJECT_DE_JUGUETE = """\
[tool.pytest.ini_options]
addopts = "-p taller.plugin_pytest --import-mode=importlib -p no:cacheprovider -p no:nbval -p no:anyio -p no:platformdirs"
"""
# Cada sesión de pytest del taller de juguete deja una línea aquí: así se cuenta cuántos
# procesos pytest lanza una orden.
_CONFTEST_DE_JUGUETE = """\
import os

import time


def pytest_sessionstart(session):
    with open(os.path.join(os.path.dirname(__file__), "sesiones.txt"), "a") as f:
        f.write("sesión\\n")
    # Si una prueba lo pide, la sesión espera aquí (antes de importar el código del alumno) a
    # que exista el fichero TALLER_JUGUETE_SEMAFORO: así la prueba guarda un cambio justo
    # mientras corren las pruebas, sin depender de relojes.
    semaforo = os.environ.get("TALLER_JUGUETE_SEMAFORO")
    fin = time.monotonic() + 60
    while semaforo and not os.path.exists(semaforo) and time.monotonic() < fin:
        time.sleep(0.01)
"""
_SOLUCION = """\
def suma(a, b):
    \"\"\"Suma dos números.\"\"\"
    # >>> SOLUCION: devuelve a + b
    return a + b
    # <<< SOLUCION


def resta(a, b):
    \"\"\"Resta dos números.\"\"\"
    # >>> SOLUCION: devuelve a - b
    return a - b
    # <<< SOLUCION
"""
_PRUEBAS = """\
from taller.pruebas import cargar

cuentas = cargar("cuentas")


def test_suma_dos_numeros():
    assert cuentas.suma(2, 3) == 5, "suma(2, 3) debería dar 5"


def test_resta_dos_numeros():
    assert cuentas.resta(5, 3) == 2, "resta(5, 3) debería dar 2"
"""
_TITULOS = {"01": "Sumas de juguete", "02": "Restas de juguete"}


def _manifiesto(titulo: str) -> str:
    return (
        f'formato = 1\ntitulo = "{titulo}"\nconstruyes = "cuentas"\nminutos = 5\n'
        'pasos = ["la suma", "la resta"]\ndependencias = []\nnecesita = []\n'
    )


def _cuaderno(numero: str) -> str:
    def markdown(texto):
        return {"cell_type": "markdown", "metadata": {}, "source": texto}

    def codigo(texto):
        return {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": texto,
        }

    celdas = [
        markdown(f"# Módulo {numero} — {_TITULOS[numero]}\n\nIntroducción."),
        markdown("## 1. Sumar con el operador +\n\nPara sumar dos números se usa `+`."),
        codigo("print(2 + 3)"),
        markdown("## 2. Restar con el operador -\n\nPara restar dos números se usa `-`: la resta."),
        markdown("## 3. El ejercicio\n\nCompleta las cuentas."),
        codigo(
            f'from taller.ejecucion import comprobar_en_cuaderno\n\ncomprobar_en_cuaderno("{numero}")'
        ),
        markdown("## Resumen\n\nSumas y restas."),
    ]
    return json.dumps({"cells": celdas, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


class TallerDeJuguete:
    """Dos módulos (01 y 02) con dos pruebas cada uno: test_suma_... y test_resta_..."""

    def __init__(self, raiz: Path) -> None:
        self.raiz = raiz
        raiz.mkdir(parents=True, exist_ok=True)
        (raiz / "pyproject.toml").write_text(_PYPROJECT_DE_JUGUETE, encoding="utf-8")
        (raiz / "conftest.py").write_text(_CONFTEST_DE_JUGUETE, encoding="utf-8")
        (raiz / "notebooks").mkdir()
        for numero, titulo in _TITULOS.items():
            modulo = Modulo(numero, raiz)
            solucion, ejercicio = modulo.solucion, modulo.ejercicio
            solucion.mkdir(parents=True)
            ejercicio.mkdir(parents=True)
            (solucion / "cuentas.py").write_text(_SOLUCION, encoding="utf-8")
            modulo.fichero_manifiesto.write_text(_manifiesto(titulo), encoding="utf-8")
            (ejercicio / "test_cuentas.py").write_text(_PRUEBAS, encoding="utf-8")
            (ejercicio / "README.md").write_text(f"# Módulo {numero} — {titulo}\n", "utf-8")
            pistas = "".join(
                f"## Pista {i}\n\nPista número {i} del {numero}.\n\n" for i in (1, 2, 3)
            )
            (ejercicio / "pistas.md").write_text(f"# Pistas\n\n{pistas}", encoding="utf-8")
            modulo.cuaderno_nuevo("juguete").write_text(_cuaderno(numero), "utf-8")
            for ruta, texto in esperado(modulo).items():
                ruta.write_text(texto, encoding="utf-8")

    def fichero(self, numero: str) -> Path:
        return Modulo(numero, self.raiz).ejercicio / "cuentas.py"

    def resolver(self, numero: str) -> None:
        """Escribe la solución completa en ejercicios/NN (como lo haría el alumno)."""
        self.fichero(numero).write_text(_SOLUCION, encoding="utf-8")

    def resolver_a_medias(self, numero: str) -> None:
        """Solo la suma: una prueba pasa y la otra no."""
        texto = self.fichero(numero).read_text(encoding="utf-8")
        inicio = texto.index("    # TODO: devuelve a + b")
        fin = texto.index("\n\n", inicio)
        self.fichero(numero).write_text(texto[:inicio] + "    return a + b" + texto[fin:], "utf-8")

    def pytest(self, *argumentos: str, timeout: float = 60, **entorno: str):
        """`python -m pytest ARGUMENTOS` en el taller de juguete (ver correr_pytest)."""
        return correr_pytest(self.raiz, *argumentos, timeout=timeout, **entorno)

    def sesiones_de_pytest(self) -> int:
        ruta = self.raiz / "sesiones.txt"
        return len(ruta.read_text().splitlines()) if ruta.exists() else 0

    def foto(self) -> dict[str, bytes]:
        """El contenido de ejercicios/ (sin cachés), para comprobar que nadie lo tocó."""
        return {
            str(ruta.relative_to(self.raiz)): ruta.read_bytes()
            for ruta in sorted(carpeta_de_ejercicios(self.raiz).rglob("*"))
            if ruta.is_file() and "__pycache__" not in ruta.parts
        }

    def estado(self) -> dict:
        return json.loads((self.raiz / ".taller" / "estado.json").read_text(encoding="utf-8"))


def correr_pytest(carpeta: Path, *argumentos: str, timeout: float = 60, **entorno: str):
    """`python -m pytest ARGUMENTOS` en `carpeta`, como subprocess.run con capture_output y
    text, pero bifurcado del zigoto (Lanzador.pytest): sin pagar el arranque de pytest. No
    sirve para mirar cómo acaba el intérprete (los hilos que no son daemon, atexit): el hijo
    sale con os._exit en cuanto pytest termina. Sin PYTEST_ADDOPTS: las opciones de fuera no
    son las del taller de juguete."""
    entorno = {**os.environ, **entorno}
    for variable in ("PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS"):
        entorno.pop(variable, None)
    return lanzador().pytest(carpeta, list(argumentos), entorno, timeout)


@pytest.fixture
def lanzador_de_pruebas() -> Lanzador:
    """El Lanzador de la sesión: pytest en hijos del zigoto y casos en servidores de casos."""
    return lanzador()


@pytest.fixture
def otro_pytest():
    """correr_pytest: `python -m pytest` en otra carpeta, en un proceso aparte sin pagar el arranque."""
    return correr_pytest


def entorno_de_la_orden(**extra: str) -> dict[str, str]:
    """El entorno para lanzar `taller`: sin variables de color ni de estado heredadas."""
    entorno = {
        clave: valor
        for clave, valor in os.environ.items()
        if clave not in {"NO_COLOR", "FORCE_COLOR", "TALLER_ESTADO", "PYTEST_ADDOPTS"}
    }
    entorno["PYTHONUNBUFFERED"] = "1"
    entorno.update(extra)
    return entorno


def orden_taller(
    carpeta: Path, *argumentos: str, entrada: str = "", timeout: float = 200, **entorno
):
    """Ejecuta `python -m taller ARGUMENTOS` en `carpeta`, como lo haría el alumno.

    Es un proceso aparte, con su entrada, su salida y su código de salida, pero bifurcado del
    zigoto (Lanzador.taller): sin pagar cada vez el arranque de Python y del taller, ni el de
    pytest en las órdenes que ejecutan pruebas. Las pruebas que miran el arranque mismo de un
    proceso nuevo usan `orden_taller_nueva`."""
    return lanzador().taller(
        carpeta, list(argumentos), entrada, entorno_de_la_orden(**entorno), timeout
    )


def orden_taller_nueva(
    carpeta: Path, *argumentos: str, entrada: str = "", timeout: float = 200, **entorno
):
    """`python -m taller ARGUMENTOS` en un Python recién arrancado (subprocess.run)."""
    return subprocess.run(
        [sys.executable, "-m", "taller", *argumentos],
        cwd=carpeta,
        input=entrada,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=entorno_de_la_orden(**entorno),
        check=False,
    )


@pytest.fixture
def juguete(tmp_path) -> TallerDeJuguete:
    return TallerDeJuguete(tmp_path / "taller")


@pytest.fixture
def taller_cli():
    return orden_taller


@pytest.fixture
def taller_cli_nueva():
    """Como taller_cli, en un Python recién arrancado: para lo que mira procesos que quedan."""
    return orden_taller_nueva


@pytest.fixture
def entorno_taller():
    return entorno_de_la_orden
