"""Un proceso que tiene pytest ya importado y, para cada ejecución que se le pide, se bifurca.

Arrancar `python -m pytest` cuesta casi un segundo de CPU antes de la primera prueba (importar
pytest, sus plugins, Hypothesis...), y tests/test_casi_bien.py lanza cientos de ejecuciones de
pocas pruebas. Este proceso importa todo eso una vez; cada ejecución es un hijo suyo hecho con
fork(): un proceso nuevo, con su propio grupo de procesos, su carpeta, su entorno y su salida
en un fichero, que ejecuta `pytest.main(argumentos)` y sale con su código. Nada del hijo vuelve
al padre: cada ejecución está tan aislada como un `python -m pytest` aparte.

Protocolo, una línea JSON por mensaje. Por la entrada: {"id", "argumentos", "carpeta",
"entorno", "salida"}. Por la salida: {"id", "pid"} al arrancar el hijo y {"id", "codigo"} cuando
termina (el código de salida, o -N si lo mató la señal N). Se acaba cuando se cierra su entrada.
"""

import importlib
import json
import os
import select
import signal
import sys

# Lo que cuesta importar y no cambia de una ejecución a otra. Nada de lo que pytest reescribe
# (el plugin del taller, las pruebas): eso lo importa cada hijo, como `python -m pytest`.
import _pytest.config
import pytest  # noqa: F401

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
    "requests",
    "sqlite3",
    "asyncio",
    "concurrent.futures",
    "multiprocessing",
    "xml.etree.ElementTree",
):
    try:
        importlib.import_module(_nombre)
    except ImportError:
        pass

# Pytest avisa de que no puede reescribir los assert de lo que ya está importado (Hypothesis,
# pytest-timeout): el plugin del taller tampoco los deja reescribir, así que no cambia nada.
SIN_AVISO = ["-W", "ignore:Module already imported:pytest.PytestAssertRewriteWarning"]


def _hijo(peticion: dict, despertador: tuple[int, int]) -> None:
    os.setsid()
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in despertador:
        os.close(fd)
    os.chdir(peticion["carpeta"])
    os.environ.clear()
    os.environ.update(peticion["entorno"])
    entrada = os.open(os.devnull, os.O_RDONLY)
    salida = os.open(peticion["salida"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(entrada, 0)
    os.dup2(salida, 1)
    os.dup2(salida, 2)
    os.close(entrada)
    os.close(salida)
    # Como `python -m pytest`: la carpeta de trabajo, la primera del camino de importación.
    sys.path.insert(0, peticion["carpeta"])
    sys.argv = [sys.argv[0], *peticion["argumentos"]]
    # Con PYTHONDONTWRITEBYTECODE, cada hijo volvería a reescribir los assert de los mismos
    # ficheros de pruebas (un tercio de lo que cuesta un caso): que el primero deje el .pyc en
    # __pycache__ (git lo ignora) y los demás lo lean. pytest lo escribe de forma atómica.
    sys.dont_write_bytecode = False
    codigo = 1
    try:
        codigo = int(pytest.main([*peticion["argumentos"], *SIN_AVISO]))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(codigo)


def _escribir(mensaje: dict) -> None:
    sys.stdout.write(json.dumps(mensaje) + "\n")
    sys.stdout.flush()


def main() -> None:
    despertador_r, despertador_w = os.pipe()
    os.set_blocking(despertador_w, False)
    signal.set_wakeup_fd(despertador_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    entrada = sys.stdin.buffer
    ids: dict[int, object] = {}
    pendiente = b""
    abierta = True
    while abierta or ids:
        listos, _, _ = select.select(
            [entrada, despertador_r] if abierta else [despertador_r], [], []
        )
        if despertador_r in listos:
            os.read(despertador_r, 4096)
        if entrada in listos:
            trozo = os.read(entrada.fileno(), 65536)
            if not trozo:
                abierta = False
            pendiente += trozo
            while b"\n" in pendiente:
                linea, pendiente = pendiente.split(b"\n", 1)
                peticion = json.loads(linea)
                pid = os.fork()
                if pid == 0:
                    _hijo(peticion, (despertador_r, despertador_w))
                ids[pid] = peticion["id"]
                _escribir({"id": peticion["id"], "pid": pid})
        while ids:
            try:
                pid, estado = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in ids:
                _escribir({"id": ids.pop(pid), "codigo": os.waitstatus_to_exitcode(estado)})


if __name__ == "__main__":
    main()
