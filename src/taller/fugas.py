"""La guardia de recursos: lo que el código del alumno deja abierto al acabar una prueba.

El plugin de pytest envuelve con `guardia()` la llamada a cada prueba de ejercicios/NN (la
fase «call»: las fixtures ya están preparadas y aún no se han recogido). Antes de la prueba
hace una foto de lo que hay abierto; al acabar, si la prueba pasó, otra, y la prueba falla
con un mensaje en español si queda algo nuevo:

- hilos vivos (los `limite: ...` de con_limite y el de pytest-timeout no cuentan);
- procesos hijos, nietos y huérfanos (todos heredan la marca MARCA en su entorno), vivos o
  zombis (muertos sin que nadie los espere);
- descriptores de fichero (/proc/self/fd): ficheros, bases de datos SQLite, tuberías (las de
  un Popen, con su pid), sockets: los que escuchan (el puerto) y las conexiones (adónde);
- avisos ResourceWarning: Python los da al recoger un fichero, un socket o un Popen que
  nadie cerró; y las conexiones de sqlite3 (Python 3.13 lo hace solo; aquí, `conectar`).

Lo que abren el taller y la propia prueba no cuenta: lo de las fixtures (de cualquier
alcance) se abre antes de la primera foto y se cierra después de la segunda; las conexiones
que aceptan los servidores de la flota o el SMTP del taller (extremo servidor de un puerto que
escucha este proceso) se cierran a su ritmo y tampoco cuentan. Lo que ya está acabando (un
hilo que sale de su bucle, un proceso que muere) tiene un margen corto: se le espera con
join() o pidfd, hasta `MARGEN` segundos en total, y solo si hace falta.

Solo Linux (lee /proc); en otro sistema vigila hilos y avisos.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import select
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Todo proceso lanzado desde este pytest la hereda en su entorno (también los nietos y los
# huérfanos que adopta el proceso 1): así se reconocen sin depender de quién es su padre.
MARCA = "TALLER_GUARDIA"
# Segundos, en total por prueba, que se espera a lo que ya está acabando.
MARGEN = 1.0
# Hilos que no son del alumno: los de con_limite (daemon, acaban con su función) y el
# temporizador de pytest-timeout.
HILOS_DEL_TALLER = ("limite: ", "pytest_timeout ")
# Procesos que no son del alumno: el proceso de pausa que deja podman sin root.
PROCESOS_DEL_TALLER = ("catatonit",)
_SUFIJOS_DE_SQLITE = ("-journal", "-wal", "-shm")
_CABECERA_DE_SQLITE = b"SQLite format 3\0"
_PROC = Path("/proc")


def instalar() -> None:
    """Pone la marca en el entorno y vigila sqlite3.connect (lo llama pytest_configure)."""
    os.environ[MARCA] = str(os.getpid())
    if getattr(sqlite3.connect, "_taller_vigilada", False):
        return
    original = sqlite3.connect

    def connect(database, *args, **kwargs):
        if "factory" not in kwargs and len(args) < 5:  # factory es el 6.º argumento
            kwargs["factory"] = ConexionVigilada
        conexion = original(database, *args, **kwargs)
        if isinstance(conexion, ConexionVigilada):
            conexion._taller_donde = _quien_llama(sys._getframe(1))
        return conexion

    connect._taller_vigilada = True  # type: ignore[attr-defined]
    connect.__doc__ = original.__doc__
    sqlite3.connect = connect


def _quien_llama(marco) -> str:
    """fichero:línea de quien abre la conexión, saltando las envolturas de las pruebas."""
    primero = marco
    while marco is not None and Path(marco.f_code.co_filename).name.startswith("test_"):
        marco = marco.f_back
    marco = marco or primero
    return f"{Path(marco.f_code.co_filename).name}:{marco.f_lineno}"


class BaseDeDatosSinCerrar(ResourceWarning):
    """Una conexión de sqlite3 recogida sin close() (Python 3.13 da un aviso parecido)."""

    def __init__(self, ruta: str, donde: str) -> None:
        super().__init__(f"unclosed database {ruta!r} (opened at {donde})")
        self.ruta = ruta
        self.donde = donde


class ConexionVigilada(sqlite3.Connection):
    """Una sqlite3.Connection que avisa si se recoge sin que nadie la cierre."""

    def __init__(self, database, *args, **kwargs) -> None:
        super().__init__(database, *args, **kwargs)
        self._taller_ruta = os.fspath(database)
        self._taller_donde = "?"
        self._taller_cerrada = False
        _conexiones.add(self)

    def close(self) -> None:
        super().close()
        self._taller_cerrada = True

    def __del__(self) -> None:
        if getattr(self, "_taller_cerrada", True):  # cerrada, o su __init__ falló
            return
        warnings.warn(BaseDeDatosSinCerrar(self._taller_ruta, self._taller_donde), stacklevel=1)
        # Que Python 3.13 no avise otra vez (si el hilo es otro, no se puede: avisará él).
        with contextlib.suppress(Exception):
            super().close()


_conexiones: weakref.WeakSet[ConexionVigilada] = weakref.WeakSet()


# --- La foto ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Foto:
    hilos: frozenset[threading.Thread]
    # fd -> (dispositivo, inodo) de lo que tiene abierto: distingue un fd reutilizado.
    descriptores: dict[int, tuple[int, int]]
    procesos: frozenset[int]


def _descriptores() -> dict[int, tuple[int, int]]:
    if not _PROC.is_dir():
        return {}
    abiertos = {}
    for nombre in os.listdir("/proc/self/fd"):
        fd = int(nombre)
        if fd <= 2:  # la captura de pytest cambia adónde apuntan 0, 1 y 2
            continue
        try:
            estado = os.stat(f"/proc/self/fd/{fd}")
        except OSError:  # el del propio listdir, ya cerrado
            continue
        abiertos[fd] = (estado.st_dev, estado.st_ino)
    return abiertos


def _pids() -> frozenset[int]:
    if not _PROC.is_dir():
        return frozenset()
    return frozenset(int(n) for n in os.listdir(_PROC) if n.isdigit())


def foto() -> Foto:
    return Foto(
        hilos=frozenset(threading.enumerate()),
        descriptores=_descriptores(),
        procesos=_pids(),
    )


# --- Hilos ------------------------------------------------------------------------------------


def _es_del_taller(hilo: threading.Thread) -> bool:
    return hilo.name.startswith(HILOS_DEL_TALLER) or isinstance(hilo, threading._DummyThread)


def _donde_esta(hilo: threading.Thread, carpeta: Path | None) -> str:
    """La línea del código del alumno (o la más interna) en la que está el hilo."""
    marco = sys._current_frames().get(hilo.ident or -1)
    lineas = []
    while marco is not None:
        lineas.append(marco)
        marco = marco.f_back
    if not lineas:
        return ""
    elegido = lineas[0]
    if carpeta is not None:
        for marco in lineas:  # del más interno al más externo
            if Path(marco.f_code.co_filename).parent == carpeta:
                elegido = marco
                break
    return (
        f"{Path(elegido.f_code.co_filename).name}:{elegido.f_lineno}, en {elegido.f_code.co_name}()"
    )


def _hilos_que_quedan(antes: Foto, limite: float, carpeta: Path | None) -> list[str]:
    nuevos = [h for h in threading.enumerate() if h not in antes.hilos and not _es_del_taller(h)]
    for hilo in nuevos:
        if hilo is not threading.current_thread():
            try:
                hilo.join(max(0.0, limite - time.monotonic()))
            except RuntimeError:
                # Nunca arrancó (un Ctrl+C a media Thread.start() del pool lo deja así, en
                # threading.enumerate()): no corre, no es un hilo vivo.
                pass
    # Los que están en la misma línea van juntos: un pool de 10 no son 10 frases iguales.
    por_sitio: dict[str, list[str]] = {}
    for hilo in nuevos:
        if hilo.is_alive():
            por_sitio.setdefault(_donde_esta(hilo, carpeta), []).append(hilo.name)
    quedan = []
    for donde, nombres in sorted(por_sitio.items(), key=lambda par: min(map(_natural, par[1]))):
        nombres.sort(key=_natural)
        if len(nombres) == 1:
            frase = f"el hilo {nombres[0]} sigue vivo"
        else:
            frase = f"los hilos {', '.join(nombres[:-1])} y {nombres[-1]} siguen vivos"
        if donde:
            frase += f" ({'está' if len(nombres) == 1 else 'están'} en {donde})"
        quedan.append(frase)
    return quedan


def _natural(nombre: str) -> list:
    """ejecutor2 antes que ejecutor10."""
    return [int(trozo) if trozo.isdigit() else trozo for trozo in re.split(r"(\d+)", nombre)]


# --- Procesos ---------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(padre, estado, nombre) de un proceso, o None si ya no existe."""
    try:
        texto = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    nombre, resto = texto[texto.index("(") + 1 : texto.rindex(")")], texto.rsplit(")", 1)[1]
    campos = resto.split()
    return int(campos[1]), campos[0], nombre


def _lleva_la_marca(pid: int) -> bool:
    try:
        entorno = (_PROC / str(pid) / "environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return f"{MARCA}={os.getpid()}".encode() in entorno


def _orden(pid: int) -> str:
    try:
        argumentos = (_PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    partes = [a.decode(errors="replace") for a in argumentos if a]
    if partes:
        partes[0] = Path(partes[0]).name
        if len(partes) > 1 and partes[0].startswith("python"):
            partes[1] = Path(partes[1]).name if "/" in partes[1] else partes[1]
    texto = " ".join(partes)
    return texto if len(texto) <= 70 else texto[:69] + "…"


def _procesos_nuevos(antes: Foto) -> dict[int, tuple[int, str, str]]:
    """Los procesos nuevos que son de este pytest: descendientes, o con la marca."""
    yo = os.getpid()
    datos = {pid: _stat(pid) for pid in _pids() - antes.procesos if pid != yo}
    datos = {pid: d for pid, d in datos.items() if d is not None}
    propios: set[int] = set()
    cambia = True
    while cambia:  # hijos, nietos, bisnietos... (el padre puede ser nuevo también)
        cambia = False
        for pid, (padre, _, _) in datos.items():
            if pid not in propios and (padre == yo or padre in propios):
                propios.add(pid)
                cambia = True
    propios |= {pid for pid in datos if pid not in propios and _lleva_la_marca(pid)}
    return {pid: datos[pid] for pid in sorted(propios) if datos[pid][2] not in PROCESOS_DEL_TALLER}


def _esperar_proceso(pid: int, limite: float) -> None:
    """Espera (sin recogerlo) a que muera, hasta `limite`: pidfd si se puede."""
    segundos = max(0.0, limite - time.monotonic())
    if segundos == 0:
        return
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return
    try:
        select.select([pidfd], [], [], segundos)
    finally:
        os.close(pidfd)


def _procesos_que_quedan(antes: Foto, limite: float) -> list[str]:
    nuevos = _procesos_nuevos(antes)
    for pid, (_, estado, _) in nuevos.items():
        if estado != "Z":
            _esperar_proceso(pid, limite)
    quedan = []
    yo = os.getpid()
    for pid in nuevos:
        ahora = _stat(pid)
        if ahora is None:
            continue
        padre, estado, nombre = ahora
        orden = _orden(pid) or nombre
        if estado == "Z":
            if padre == yo:
                quedan.append(
                    f"el proceso hijo {pid} ({nombre}) es un zombi: ya acabó, pero nadie lo ha "
                    "esperado (falta su wait() o communicate())"
                )
        elif padre == yo:
            quedan.append(f"el proceso hijo {pid} ({orden}) sigue vivo")
        else:
            quedan.append(
                f"el proceso {pid} ({orden}) sigue vivo: no es hijo directo (lo lanzó otro "
                "proceso, ¿un shell?) y nadie lo ha parado"
            )
    return quedan


# --- Descriptores de fichero ------------------------------------------------------------------


def _red() -> dict[int, tuple[str, tuple[str, int], tuple[str, int]]]:
    """inodo -> (estado, local, remoto) de los sockets TCP de /proc/net/tcp y tcp6."""
    sockets = {}
    for tabla in ("tcp", "tcp6"):
        try:
            lineas = (_PROC / "net" / tabla).read_text().splitlines()[1:]
        except OSError:
            continue
        for linea in lineas:
            campos = linea.split()
            if len(campos) < 10:
                continue
            sockets[int(campos[9])] = (campos[3], _direccion(campos[1]), _direccion(campos[2]))
    return sockets


def _direccion(texto: str) -> tuple[str, int]:
    ip, puerto = texto.split(":")
    if len(ip) == 8:
        crudo = bytes.fromhex(ip)[::-1]
        host = ".".join(str(b) for b in crudo)
    else:  # IPv6: cuatro palabras de 32 bits, cada una al revés
        crudo = b"".join(bytes.fromhex(ip[i : i + 8])[::-1] for i in range(0, 32, 8))
        host = _ipv6(crudo)
    return host, int(puerto, 16)


def _ipv6(crudo: bytes) -> str:
    import ipaddress

    direccion = ipaddress.IPv6Address(crudo)
    return str(direccion.ipv4_mapped or direccion)


_ESCUCHA = "0A"


def _es_sqlite(ruta: str) -> str | None:
    """La ruta de la base si `ruta` es una base SQLite (o su diario), o None."""
    for sufijo in _SUFIJOS_DE_SQLITE:
        if ruta.endswith(sufijo):
            return ruta[: -len(sufijo)]
    if ruta in {c._taller_ruta for c in list(_conexiones)}:
        return ruta
    if ruta.endswith((".db", ".sqlite", ".sqlite3")):
        return ruta
    try:
        with open(ruta, "rb") as fichero:
            if fichero.read(16) == _CABECERA_DE_SQLITE:
                return ruta
    except OSError:
        pass
    return None


def _tuberias_de_popen() -> dict[int, int]:
    """fd -> pid de las tuberías (stdin, stdout, stderr) de los Popen que siguen vivos."""
    suyas = {}
    for objeto in gc.get_objects():
        if isinstance(objeto, subprocess.Popen):
            for tubo in (objeto.stdin, objeto.stdout, objeto.stderr):
                if tubo is not None and not tubo.closed:
                    with contextlib.suppress(ValueError, OSError):
                        suyas[tubo.fileno()] = objeto.pid
    return suyas


def _descriptores_que_quedan(antes: Foto) -> list[str]:
    ahora = _descriptores()
    nuevos = {fd: destino for fd, destino in ahora.items() if antes.descriptores.get(fd) != destino}
    if not nuevos:
        return []
    destinos = {}
    for fd in nuevos:
        with contextlib.suppress(OSError):
            destinos[fd] = os.readlink(f"/proc/self/fd/{fd}")
    red = _red() if any(d.startswith("socket:") for d in destinos.values()) else {}
    mis_sockets = set()
    for fd in ahora:
        destino = destinos.get(fd) or _leer_enlace(fd)
        if destino.startswith("socket:["):
            mis_sockets.add(int(destino[8:-1]))
    # Los puertos que escucha este proceso (los del taller y los que queden del alumno):
    # una conexión aceptada por uno de ellos es el extremo servidor, que cierra quien sirve.
    escuchando = {red[i][1][1] for i in mis_sockets if i in red and red[i][0] == _ESCUCHA}
    popen = None
    quedan: dict[str, None] = {}  # ordenado y sin repetidos
    tubos: dict[int, list[int]] = {}
    for fd, destino in sorted(destinos.items()):
        if destino.startswith("socket:["):
            datos = red.get(int(destino[8:-1]))
            if datos is None and (_leer_enlace(fd) != destino or _puerto_local(fd) in escuchando):
                # Se cerró mientras se leían las tablas de red, o es el extremo servidor de una
                # conexión ya cerrada (estado CLOSE: no sale en /proc/net/tcp) que el hilo que
                # sirve (el SMTP del taller) cierra a su ritmo.
                continue
            if datos is None:
                quedan[f"un socket sigue abierto (descriptor {fd})"] = None
            elif datos[0] == _ESCUCHA:
                quedan[f"el puerto {datos[1][1]} sigue escuchando"] = None
            elif datos[1][1] in escuchando:
                continue
            else:
                host, puerto = datos[2]
                quedan[f"una conexión de red con {host}:{puerto} sigue abierta"] = None
        elif destino.startswith("pipe:["):
            if popen is None:
                popen = _tuberias_de_popen()
            if fd in popen:
                tubos.setdefault(popen[fd], []).append(fd)
            else:
                quedan["una tubería (pipe) sigue abierta"] = None
        elif destino.startswith("/"):
            ruta = destino.removesuffix(" (deleted)")
            base = _es_sqlite(ruta)
            if base is not None:
                quedan[f"la base de datos {base} sigue abierta"] = None
            else:
                quedan[f"el fichero {ruta} sigue abierto"] = None
        else:
            quedan[f"el descriptor de fichero {fd} ({destino}) sigue abierto"] = None
    for pid in sorted(tubos):
        quedan[f"las tuberías de un Popen (pid {pid}) siguen abiertas"] = None
    return list(quedan)


def _puerto_local(fd: int) -> int | None:
    """El puerto local de un socket TCP/UDP abierto en `fd` (sin tocar el original: un dup)."""
    try:
        with socket.socket(fileno=os.dup(fd)) as copia:
            direccion = copia.getsockname()
    except OSError:
        return None
    return direccion[1] if isinstance(direccion, tuple) and len(direccion) >= 2 else None


def _leer_enlace(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


# --- Avisos (ResourceWarning) -----------------------------------------------------------------

_DESCRIPTOR = re.compile(r"unclosed file <.*? name=(\d+)[ >]")
_FICHERO = re.compile(r"unclosed file <.*?name='([^']*)'")
_SOCKET = re.compile(
    r"unclosed <socket\.socket .*?laddr=\('([^']*)', (\d+)\)(?:, raddr=\('([^']*)', (\d+)\))?"
)
_POPEN = re.compile(r"subprocess (\d+) is still running")


def _traducir(aviso: warnings.WarningMessage) -> str:
    mensaje = aviso.message
    if isinstance(mensaje, BaseDeDatosSinCerrar):
        return (
            f"la base de datos {mensaje.ruta} (abierta en {mensaje.donde}) no se cerró: su "
            "conexión se perdió sin close()"
        )
    texto = str(mensaje)
    if encontrado := _FICHERO.search(texto):
        return f"el fichero {encontrado.group(1)} se perdió sin cerrarlo (falta su close())"
    if encontrado := _SOCKET.search(texto):
        if encontrado.group(3):
            que = f"la conexión de red con {encontrado.group(3)}:{encontrado.group(4)}"
        else:
            que = f"el socket del puerto {encontrado.group(2)}"
        return f"{que} se perdió sin cerrarla (falta su close())"
    if encontrado := _POPEN.search(texto):
        return (
            f"el Popen del proceso {encontrado.group(1)} se perdió mientras el proceso seguía "
            "corriendo, sin que nadie lo esperara (wait() o communicate())"
        )
    if texto.startswith("unclosed database"):  # el aviso propio de Python 3.13
        return "una conexión de sqlite3 se perdió sin close()"
    return f"Python avisa de algo sin cerrar («{texto}»)"


# --- El informe -------------------------------------------------------------------------------

_EXPLICACIONES = (
    (
        "base de datos",
        "`with sqlite3.connect(...) as conexion:` confirma o deshace la transacción, pero NO "
        "cierra la conexión: ciérrala tú, con conexion.close() en un finally o con "
        "`with contextlib.closing(sqlite3.connect(...)) as conexion:`.",
    ),
    (
        "hilo",
        "Un hilo que arranca tu código debe terminar antes de que vuelva quien lo arrancó: "
        "detener() avisa a cada hilo de que pare y luego lo espera con join(). (daemon=True no "
        "lo arregla: el programa ya no se queda colgado al salir, pero el hilo sigue ahí.)",
    ),
    (
        "Popen",
        "Un Popen deja abiertas sus tuberías (stdout=PIPE...) hasta que alguien lee hasta el "
        "final y espera al proceso: communicate() hace las dos cosas (o `with Popen(...)`).",
    ),
    (
        "proceso",
        "Cada proceso que lanzas hay que esperarlo (wait(), communicate() o subprocess.run) y, "
        "si se pasa de tiempo, matarlo (kill()) y esperarlo también.",
    ),
    (
        "conexión de red",
        "Una conexión se cierra al acabar con ella: `with requests.Session() as sesion:`, "
        "`with smtplib.SMTP(...) as cliente:`, o su close() en un finally.",
    ),
    (
        "escuchando",
        "Un servidor que arranca tu código debe cerrarse (server_close() o close()) al acabar.",
    ),
    (
        "el fichero ",
        "Abre los ficheros con `with open(...) as f:`: se cierran al salir del bloque, "
        "también si salta un error.",
    ),
)


def informe(quedan: list[str], maximo: int = 4) -> str:
    """El mensaje de la prueba: lo que queda, en la primera línea (la que enseña `taller
    comprobar`), y debajo cómo se cierra cada clase de cosa."""
    nombradas = "; ".join(quedan[:maximo])
    if len(quedan) > maximo:
        nombradas += f"; y {len(quedan) - maximo} cosas más"
    explicaciones = [texto for clave, texto in _EXPLICACIONES if any(clave in q for q in quedan)]
    return "\n".join([f"La prueba pasa, pero al terminar {nombradas}.", *explicaciones])


def que_queda(
    antes: Foto, avisos: list[warnings.WarningMessage], carpeta: Path | None
) -> list[str]:
    """Lo que queda abierto desde `antes`, en frases; vacía si no queda nada."""
    limite = time.monotonic() + MARGEN
    quedan = _hilos_que_quedan(antes, limite, carpeta)
    if _PROC.is_dir():
        quedan += _procesos_que_quedan(antes, limite)
        quedan += _descriptores_que_quedan(antes)
    descriptores = []
    for aviso in avisos:
        if encontrado := _DESCRIPTOR.search(str(aviso.message)):
            descriptores.append(encontrado.group(1))
            continue
        traducido = _traducir(aviso)
        if traducido not in quedan:
            quedan.append(traducido)
    if len(descriptores) == 1:
        quedan.append(
            f"una tubería (o un fichero abierto por su número, el {descriptores[0]}) se perdió "
            "sin cerrarla: ¿la de un Popen?"
        )
    elif descriptores:
        quedan.append(
            f"{len(descriptores)} tuberías (o ficheros abiertos por su número: "
            f"{', '.join(descriptores)}) se perdieron sin cerrarlas: ¿las de un Popen?"
        )
    return quedan


@contextlib.contextmanager
def guardia(carpeta: Path | None = None) -> Iterator[None]:
    """Falla la prueba si, al acabar bien, deja algo abierto (ver el docstring del módulo).

    `carpeta` es la del código del alumno: sirve para decir en qué línea está un hilo vivo.
    """
    __tracebackhide__ = True
    soltar_lo_de_la_prueba_anterior()
    antes = foto()
    capturador = warnings.catch_warnings(record=True)
    capturados = capturador.__enter__()
    warnings.simplefilter("always", ResourceWarning)
    try:
        yield  # si la prueba falla, su error sale de aquí y no se mira nada más
        gc.collect()  # lo que se perdió en un ciclo se recoge ahora, y avisa ahora
    finally:
        capturador.__exit__(None, None, None)
        avisos = _repartir(capturados)
    quedan = que_queda(antes, avisos, carpeta)
    # Lo que sigue vivo se congela, como tras la recogida (congelar_lo_de_antes): así el
    # gc.collect() de la prueba siguiente solo recorre lo que cree ella, no lo de todas las
    # anteriores (con Hypothesis, decenas de miles de objetos: unos 3 ms por prueba, y las
    # recogidas automáticas igual). Después de que_queda: gc.get_objects(), con el que se
    # buscan los Popen, no ve lo congelado. Lo congelado que tenga algo abierto lo siguen
    # viendo las fotos de /proc.
    gc.freeze()
    if quedan:
        pytest.fail(informe(quedan), pytrace=False)


def soltar_lo_de_la_prueba_anterior() -> None:
    """Suelta aquí lo que una prueba anterior que falló dejó sin cerrar, para no culpar a esta.

    pytest guarda la traza de la prueba que falla, con sus variables (un Popen, un fichero), en
    sys.last_traceback, y no la suelta hasta la prueba siguiente; subprocess guarda los Popen
    perdidos sin esperar y los suelta al crear el siguiente Popen. Si se soltaran dentro de esta
    prueba, sus ResourceWarning caerían en ella, que no tiene la culpa. Aquellas ya fallaron por
    su cuenta: sus avisos se descartan.
    """
    for nombre in ("last_type", "last_value", "last_traceback", "last_exc"):
        sys.__dict__.pop(nombre, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        limpiar = getattr(subprocess, "_cleanup", None)  # privada: si un día falta, no pasa nada
        if limpiar is not None:
            limpiar()
        gc.collect()
    # Y lo que sigue vivo se congela: la guardia solo congela tras una prueba que pasa, así que
    # tras una que falla (con el esqueleto, todas) lo suyo (su informe, las trazas, los árboles
    # que guarda el plugin) seguía en las generaciones del gc, y cada gc.collect() recorría lo de
    # todas las pruebas fallidas anteriores: con el esqueleto del 07, 3 s de CPU en 85 recogidas.
    gc.freeze()


def _repartir(capturados: list[warnings.WarningMessage]) -> list[warnings.WarningMessage]:
    """Se queda los ResourceWarning; los demás avisos vuelven a pytest, como si nada."""
    avisos = []
    for aviso in capturados:
        if issubclass(aviso.category, ResourceWarning):
            avisos.append(aviso)
        else:
            warnings.warn_explicit(
                aviso.message, aviso.category, aviso.filename, aviso.lineno, source=aviso.source
            )
    if any(isinstance(a.message, BaseDeDatosSinCerrar) for a in avisos):
        avisos = [a for a in avisos if not str(a.message).startswith("unclosed database in")]
    return avisos


def congelar_lo_de_antes() -> None:
    """Tras la recogida: lo que ya existe no se vuelve a recorrer en cada gc.collect().

    Así el gc.collect() de cada prueba cuesta un milisegundo y no cien: solo mira los objetos
    creados desde entonces (gc.freeze, pensado para esto).
    """
    gc.collect()
    gc.freeze()
