"""Pruebas del módulo 06. Van en el orden en que conviene escribir el código:
validar_argumentos → ejecutar → lanzar / esperar → ejecutar_en_paralelo → vigilar.

Ejecútalas con:  pytest ejercicios/06

El «otro programa» que lanzan es siempre la sonda (sonda.py, en esta misma carpeta), con este
mismo Python: así no dependen de que ping o curl estén instalados. Las pruebas de concurrencia
no miden tiempos: las propias sondas comprueban cuántas corren a la vez (un contador en un
fichero con cerrojo) y se esperan entre sí (una barrera), así que solo terminan bien si de
verdad corren a la vez.
"""

import collections
import contextlib
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from taller.flota import MotorDeFlota
from taller.planificador import explorar
from taller.propiedades import TEXTOS_HOSTILES, example, given, settings, st
from taller.pruebas import (
    cargar,
    comprobar_que_no_quedan_hilos,
    con_limite,
    hilos_vivos,
    lanza,
    ya_compilado,
)

procesos = cargar("procesos")

PYTHON = sys.executable
SONDA = str(Path(__file__).with_name("sonda.py"))
# Cuántos órdenes de los hilos prueba la prueba «con todos los órdenes» (explorar).
PLANES = 30


SIN_TIMEOUT = (
    "¿Se pasa el timeout hasta subprocess.run o communicate()? Sin él, se espera al "
    "programa lo que tarde (aquí, 20 s)."
)

SHELL_QUE_NO_ENCUENTRA = (
    " ¿Usas shell=True? Con un shell, quien no encuentra el programa es el shell (y sale con "
    "el código 127), no subprocess. Sin shell, subprocess lanza FileNotFoundError, y ahí lo "
    "traduces a ProgramaNoEncontrado."
)


def sonda(*acciones):
    """La lista de argumentos para lanzar la sonda con unas acciones de prueba.

    Con -I -S (sin site ni variables PYTHON*): la sonda solo usa la biblioteca estándar, y así
    cada una arranca en 2/3 del tiempo (estas pruebas lanzan unas 30). Y ya compilada (un .pyc
    fuera del repositorio, taller.pruebas.ya_compilado): compilarla era un tercio de lo demás."""
    return [PYTHON, "-I", "-S", ya_compilado(SONDA), *acciones]


# --- Ayudas: los procesos que lanza este pytest, leídos de /proc -----------------------------

# Todo proceso que se lance desde estas pruebas hereda esta marca en su entorno, también los
# nietos (lo que lanza un shell) y los huérfanos (los que adopta el proceso 1 cuando su padre
# muere). Así se encuentran todos, no solo los hijos directos. Es el pid del proceso que ejecuta
# la prueba: se pone al empezar cada una (recoger_procesos_sueltos), no al importar el fichero,
# porque el proceso que recoge las pruebas no tiene por qué ser el que las ejecuta (los casos
# casi bien del taller se bifurcan de uno que ya las recogió: tests/servidor_de_casos.py).
VARIABLE_DE_LA_MARCA = "TALLER_PRUEBAS_06"


def marcar_los_procesos():
    """Pone la marca en el entorno de este proceso: la heredan los que lance."""
    os.environ[VARIABLE_DE_LA_MARCA] = str(os.getpid())


def _arranque(stat):
    """Cuándo arrancó un proceso (en tics desde que arrancó la máquina), de su /proc/PID/stat."""
    return int(stat.rsplit(b")", 1)[1].split()[19])


ARRANQUE = _arranque(Path("/proc/self/stat").read_bytes())


def todos_los_pids():
    return {int(nombre) for nombre in os.listdir("/proc") if nombre.isdigit()}


# Los procesos que ya se sabe que no son de estas pruebas, por (pid, inodo de /proc/PID): no
# se vuelven a leer. La máquina tiene cientos de procesos y hijos() se llama decenas de veces
# (también en un bucle, mientras espera a que muera uno): leer el stat de todos cada vez era
# casi medio segundo de CPU del módulo, y un os.stat de /proc/PID cuesta la décima parte. El
# inodo cambia si el pid se reutiliza (aquí pid_max puede ser 32768): entonces se lee de nuevo.
_AJENOS = set()


def hijos(salvo=frozenset()):
    """{pid: estado} de los procesos lanzados desde este pytest ('Z' es un zombi), sin mirar
    los pids de `salvo`."""
    yo, marca, propios = os.getpid(), f"{VARIABLE_DE_LA_MARCA}={os.getpid()}".encode(), {}
    for pid in todos_los_pids() - salvo - {yo}:
        try:
            clave = (pid, os.stat(f"/proc/{pid}").st_ino)
            if clave in _AJENOS:
                continue
            with open(f"/proc/{pid}/stat", "rb") as stat:
                campos = stat.read().rsplit(b")", 1)[1].split()
            # Un nieto o un huérfano: ¿lleva la marca? Solo puede llevarla si arrancó después
            # que este pytest (así no se lee el entorno de cada proceso de la máquina).
            if int(campos[1]) != yo:
                if int(campos[19]) < ARRANQUE:
                    _AJENOS.add(clave)
                    continue
                with open(f"/proc/{pid}/environ", "rb") as environ:
                    if marca not in environ.read().split(b"\0"):
                        _AJENOS.add(clave)
                        continue
        except (OSError, IndexError, ValueError):
            continue
        propios[pid] = campos[0].decode()
    return propios


def es_hijo_directo(pid):
    try:
        return (
            int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
            == os.getpid()
        )
    except (OSError, IndexError, ValueError):
        return False


def comprobar_que_no_quedan_procesos(antes, que):
    # Un proceso al que acaban de matar tarda un instante en morir: se le da hasta 1 s para
    # pasar a zombi (o desaparecer) antes de decidir si sigue vivo.
    limite = time.monotonic() + 1.0
    while True:
        sueltos = hijos(salvo=antes)
        if all(estado == "Z" for estado in sueltos.values()) or time.monotonic() > limite:
            break
        time.sleep(0.01)
    zombis = sorted(pid for pid, estado in sueltos.items() if estado == "Z")
    vivos = sorted(pid for pid, estado in sueltos.items() if estado != "Z")
    nietos = [pid for pid in vivos if not es_hijo_directo(pid)]
    if nietos:
        pytest.fail(
            f"{que}, sigue vivo un proceso que no es hijo directo de las pruebas ({nietos}): "
            "lo lanzó otro proceso, seguramente un shell (shell=True). Al agotarse el tiempo, "
            "kill() mata al shell, pero no al programa que el shell lanzó, que sigue corriendo "
            "huérfano. Sin shell no pasa: pasa la lista de argumentos tal cual.",
            pytrace=False,
        )
    procesos_vivos = "el proceso hijo" if len(vivos) == 1 else "los procesos hijos"
    sigue = "sigue vivo" if len(vivos) == 1 else "siguen vivos"
    assert not vivos, (
        f"{que}, {procesos_vivos} {vivos} {sigue}. Cuando se agota el tiempo hay que "
        "matarlo (kill()) y esperarlo: si no, se queda corriendo aunque nadie lo quiera."
    )
    assert not zombis, (
        f"{que}, el proceso hijo {zombis} quedó zombi: está muerto, pero nadie lo ha esperado "
        "(wait() o communicate()) y sigue ocupando un hueco en la tabla de procesos."
    )


@pytest.fixture(autouse=True)
def recoger_procesos_sueltos():
    """Tras cada prueba, mata y espera a los hijos que hayan quedado (aunque la prueba falle)."""
    marcar_los_procesos()
    antes = todos_los_pids()  # lo nuevo de después es lo que haya lanzado la prueba
    yield
    for pid in hijos(salvo=antes):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)  # un nieto o un huérfano no es hijo: lo recoge su padre (o el 1)
        except (ProcessLookupError, ChildProcessError):
            pass


def fallos_de(resultados):
    """Qué le pasó a cada sonda que no acabó bien, en una línea cada una."""
    return "; ".join(
        f"la sonda {numero} "
        + ("se quedó sin tiempo" if r.tiempo_agotado else f"salió con {r.codigo}")
        + f" ({r.errores.strip() or 'sin escribir nada'})"
        for numero, r in enumerate(resultados, start=1)
        if r.codigo != 0
    )


def esperar_fichero(ruta, que, segundos=10.0):
    limite = time.monotonic() + segundos
    while not ruta.exists():
        if time.monotonic() > limite:
            pytest.fail(f"{que}: {ruta.name} no apareció en {segundos:g} s", pytrace=False)
        time.sleep(0.005)


def leer_contador(carpeta):
    """Lo que apuntaron las sondas con --contar: {"llegadas": 4, "maximo": 4...}."""
    lineas = (carpeta / "contador").read_text().splitlines()
    return {clave: int(valor) for clave, valor in map(str.split, lineas)}


# --- Ayudas: textos que un shell entendería de otra forma, y un programa que dice qué recibe ---

# Las pruebas «con cualquier...» son pruebas de propiedades (Hypothesis): generan muchos textos
# (siempre los mismos, en cualquier máquina) y, si uno rompe la propiedad, lo reducen al más
# sencillo que la rompe y lo enseñan («Falsifying example»). Cada ejemplo lanza un proceso, así
# que son pocos ejemplos, cada uno con varios textos a la vez.

HOSTILES = [*TEXTOS_HOSTILES, "-c", "--version"]
# Los textos generados mezclan esto: lo que un shell trataría aparte (sin < ni >, que crearían
# ficheros si el código del alumno usara un shell) y letras que no forman ningún programa. El
# byte nulo no está: no puede ir dentro de un argumento de un programa (el sistema corta ahí).
RAROS = " \t\n;$()`'\"|&*?~{}#\\-xñé中🐍"
TEXTOS_HOSTILES = st.one_of(st.sampled_from(HOSTILES), st.text(RAROS, max_size=12))
VARIOS_TEXTOS = st.lists(TEXTOS_HOSTILES, max_size=8)

# Un programa que escribe los argumentos que recibe, tal cual, cada uno seguido de un byte nulo
# (que no puede ir dentro de un argumento: así se ve dónde acaba cada uno). Es un shell de la
# prueba, con los argumentos en "$@", no en el texto de la orden: arranca en 1 ms, y un Python
# (aun con -I -S) en 20; estas pruebas lanzan una veintena.
ECO = ["sh", "-c", 'for a; do printf "%s\\0" "$a"; done', "sh"]


def lo_que_recibio(resultado, textos, que):
    """Comprueba que el programa eco recibió exactamente `textos`, cada uno como UN argumento."""
    __tracebackhide__ = True
    trozos = resultado.salida.split("\0")
    recibidos = trozos[:-1] if resultado.codigo == 0 and trozos[-1] == "" else None
    inyectado = "INYECTADO" in resultado.salida.replace("echo INYECTADO", "")
    assert not inyectado, (
        f"{que}: ¡se ejecutó el «echo INYECTADO» que venía dentro de un argumento! Eso es una "
        "inyección de órdenes: un shell ha leído los datos como código. No uses shell=True; "
        f"pasa la lista tal cual. Salida: {resultado.salida!r}"
    )
    if recibidos != textos:
        roto = next(
            (t for i, t in enumerate(textos) if recibidos is None or recibidos[i : i + 1] != [t]),
            None,
        )
        pytest.fail(
            f"{que}: el argumento {roto!r} no llegó intacto como UN argumento. ¿Pasan por un "
            "shell (shell=True, los argumentos unidos en un texto)? Sin shell, cada elemento de "
            "la lista llega tal cual: sin partirse por los espacios, sin comillas que "
            f"desaparezcan, sin expandir $ ni *. El programa recibió {recibidos!r} (errores: "
            f"{resultado.errores.strip()!r}); se enviaron {textos!r}.",
            pytrace=False,
        )


# Un programa que escribe los bytes que le pidas, en stdout y en stderr: printf %b con cada
# byte como \0NNN (en octal). Es un shell de la prueba, con los datos en "$1", no en el texto.
ESCRIBE_BYTES = ["sh", "-c", 'printf %b "$1"; printf %b "$1" >&2', "sh"]
# Bytes cualesquiera, sin \r: en modo texto, Python cambia \r y \r\n por \n.
BYTES = st.binary(max_size=24).filter(lambda datos: b"\r" not in datos)


def escribe_bytes(datos):
    return [*ESCRIBE_BYTES, "".join(f"\\0{byte:03o}" for byte in datos)]


# --- Paso 1: validar_argumentos (cuaderno: 5) -------------------------------------------------


def test_validar_argumentos_devuelve_una_lista_nueva_de_textos():
    originales = ("python3", Path("/tmp/programa.py"), "--opcion")
    validados = procesos.validar_argumentos(originales)
    assert validados == ["python3", "/tmp/programa.py", "--opcion"], (
        "validar_argumentos debería devolver una lista de textos (una ruta Path se convierte "
        f"con os.fspath o str); devolvió {validados!r}"
    )
    lista = ["python3", "-V"]
    assert procesos.validar_argumentos(lista) is not lista, (
        "validar_argumentos debería devolver una lista nueva, no la misma que recibe"
    )


def test_validar_argumentos_rechaza_un_texto_suelto():
    with pytest.raises(TypeError) as error:
        procesos.validar_argumentos("ping -c 1 web.es")
        pytest.fail(
            "validar_argumentos('ping -c 1 web.es') no lanzó TypeError: un texto suelto "
            "necesitaría un shell para partirse; pide una lista (o shlex.split)"
        )
    assert "ping -c 1 web.es" in str(error.value), (
        f"El mensaje debería citar el texto rechazado; dice: «{error.value}»"
    )


@pytest.mark.parametrize("vacia", [[], ()], ids=["lista", "tupla"])
def test_validar_argumentos_rechaza_una_lista_vacia(vacia):
    # También la tupla vacía: `if argumentos == []` deja pasar `()` (y devuelve []).
    with pytest.raises(ValueError):
        procesos.validar_argumentos(vacia)
        pytest.fail(
            f"validar_argumentos({vacia!r}) no lanzó ValueError: falta el programa. Mira si está "
            "vacía con `if not argumentos` (vale para listas y tuplas), no comparando con []"
        )


def test_validar_argumentos_rechaza_lo_que_no_es_texto_nombrandolo():
    with pytest.raises(TypeError) as error:
        procesos.validar_argumentos(["sleep", 2.5])
        pytest.fail("validar_argumentos(['sleep', 2.5]) no lanzó TypeError")
    assert "2.5" in str(error.value), (
        f"El mensaje debería nombrar el argumento malo (2.5); dice: «{error.value}»"
    )


@settings(max_examples=8, report_multiple_bugs=False)
@given(st.lists(st.one_of(TEXTOS_HOSTILES, TEXTOS_HOSTILES.map(Path)), min_size=1, max_size=8))
@example(["python3", Path("/tmp/programa.py"), "x; echo INYECTADO", ""])
def test_validar_argumentos_acepta_cualquier_lista_de_textos_y_rutas(argumentos):
    copia = list(argumentos)
    validados = procesos.validar_argumentos(argumentos)
    esperados = [os.fspath(a) for a in copia]
    assert validados == esperados, (
        f"validar_argumentos({copia!r}) debería devolver {esperados!r} (cada texto tal cual, "
        f"cada Path con os.fspath); devolvió {validados!r}"
    )
    assert validados is not argumentos and argumentos == copia, (
        "validar_argumentos debería devolver una lista nueva y dejar la que recibe como estaba"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(
    st.lists(TEXTOS_HOSTILES, min_size=1, max_size=5),
    st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.binary(max_size=3)),
    st.integers(0, 10**6),
)
@example(["sleep"], 2.5, 1)
def test_validar_argumentos_rechaza_cualquier_lista_con_algo_que_no_es_texto(textos, malo, donde):
    donde %= len(textos) + 1
    argumentos = [*textos[:donde], malo, *textos[donde:]]
    with pytest.raises(TypeError) as error:
        procesos.validar_argumentos(argumentos)
        pytest.fail(
            f"validar_argumentos({argumentos!r}) no lanzó TypeError, y el argumento {donde} es "
            f"{malo!r} ({type(malo).__name__}): cada argumento debe ser un texto o una ruta"
        )
    assert repr(malo) in str(error.value) or str(malo) in str(error.value), (
        f"El mensaje debería nombrar el argumento malo ({malo!r}); dice: «{error.value}»"
    )


def test_validar_argumentos_rechaza_lo_que_no_es_una_lista_ni_una_tupla():
    # Un set no tiene orden (el programa podría no ir el primero), un dict da sus claves y un
    # iterador se gasta: los argumentos van en una lista (o una tupla), en su orden.
    for no_es_una_lista in ({"echo", "hola"}, {"echo": "hola"}, iter(["echo"]), b"echo hola"):
        lanza(
            TypeError,
            f"validar_argumentos({no_es_una_lista!r})",
            lambda no_es_una_lista=no_es_una_lista: procesos.validar_argumentos(no_es_una_lista),
            f"Los argumentos son una lista (o una tupla), en orden: un "
            f"{type(no_es_una_lista).__name__} no vale (un set no tiene orden y el programa "
            "podría no ir el primero). Compruébalo con isinstance(argumentos, (list, tuple)) en "
            "vez de convertir cualquier cosa con list().",
        )


# --- Paso 2: ejecutar (síncrono) (cuaderno: 2) ------------------------------------------------


@pytest.mark.parametrize("codigo", [0, 3])
def test_ejecutar_devuelve_el_codigo_de_salida_sin_lanzar_excepciones(codigo):
    argumentos = [PYTHON, "-I", "-S", Path(ya_compilado(SONDA)), "--salir", str(codigo)]  # una ruta
    try:
        resultado = con_limite(10, procesos.ejecutar, argumentos, que="ejecutar(...)")
    except subprocess.CalledProcessError as error:
        pytest.fail(
            f"La sonda salió con {error.returncode} y ejecutar lanzó CalledProcessError: un "
            "código distinto de 0 no es una excepción, es un dato más del Resultado. No "
            "pidas check=True a subprocess.run (check=False).",
            pytrace=False,
        )
    assert resultado.codigo == codigo, (
        f"La sonda salió con {codigo} y el Resultado dice codigo={resultado.codigo!r}"
    )
    assert resultado.tiempo_agotado is False, (
        "La sonda acabó ella sola: tiempo_agotado debería ser False; es "
        f"{resultado.tiempo_agotado!r}"
    )
    validados = sonda("--salir", str(codigo))
    assert resultado.argumentos == validados and resultado.argumentos is not argumentos, (
        f"El Resultado debería guardar los argumentos validados, una lista nueva de textos "
        f"{validados!r} (la ruta de la sonda, con os.fspath); tiene {resultado.argumentos!r}"
        + (
            ", la misma lista que se le pasó: ¿usas lo que devuelve validar_argumentos?"
            if resultado.argumentos is argumentos
            else ""
        )
    )


def test_ejecutar_captura_salida_y_errores_como_texto_con_tildes():
    resultado = con_limite(
        10,
        procesos.ejecutar,
        sonda("--escribir", "¡Hola, ñandú! Camión", "--escribir-error", "aviso: señal débil"),
        que="ejecutar(...)",
    )
    assert isinstance(resultado.salida, str), (
        f"salida debería ser texto (str), no {type(resultado.salida).__name__}: "
        "pide a subprocess el texto ya decodificado (encoding='utf-8')"
    )
    mezclados = (
        ". Lo de stderr se ha colado en salida: ¿stderr=subprocess.STDOUT? Cada tubería va "
        "aparte (capture_output=True, o stdout y stderr a subprocess.PIPE)"
        if "aviso: señal débil" in resultado.salida
        else ""
    )
    assert resultado.salida == "¡Hola, ñandú! Camión\n", (
        f"stdout debería ser '¡Hola, ñandú! Camión\\n'; llegó {resultado.salida!r}{mezclados}"
    )
    assert resultado.errores == "aviso: señal débil\n", (
        "stderr debería llegar aparte, en errores, como 'aviso: señal débil\\n'; "
        f"llegó {resultado.errores!r}"
    )


def test_ejecutar_no_se_rompe_con_bytes_que_no_son_utf8():
    try:
        resultado = con_limite(
            10, procesos.ejecutar, sonda("--escribir-bytes-raros"), que="ejecutar(...)"
        )
    except UnicodeDecodeError as error:
        pytest.fail(
            "La sonda escribió 'año: caña' en latin-1 (bytes que no son UTF-8) y ejecutar se "
            f"rompió al decodificarlos («{error}»). Con errors='replace' (junto a "
            "encoding='utf-8'), lo que no sea UTF-8 queda como '\\ufffd' en lugar de lanzar.",
            pytrace=False,
        )
    assert resultado.codigo == 0, (
        f"La sonda debería acabar con código 0; el Resultado dice {resultado.codigo!r}"
    )
    assert "o: ca" in resultado.salida and "\ufffd" in resultado.salida, (
        "La sonda escribió 'año: caña' en latin-1 (bytes que no son UTF-8): lo que no se "
        "pueda decodificar debería quedar como '\\ufffd' (errors='replace'), sin romperse. "
        f"Llegó {resultado.salida!r}"
    )


def test_ejecutar_mide_los_segundos():
    resultado = con_limite(10, procesos.ejecutar, sonda("--dormir", "0.1"), que="ejecutar(...)")
    assert 0.1 <= resultado.segundos < 10, (
        f"La sonda durmió 0,1 s: segundos debería ser al menos 0.1; es {resultado.segundos!r}"
    )


def test_los_argumentos_llegan_tal_cual_sin_pasar_por_un_shell():
    raros = ["x; echo HACKED", "dos palabras", "$HOME", "*.py", "comillas 'simples' y \"dobles\""]
    resultado = con_limite(10, procesos.ejecutar, sonda("--eco", *raros), que="ejecutar(...)")
    assert "HACKED" not in resultado.salida.replace("x; echo HACKED", ""), (
        "¡Se ejecutó el 'echo HACKED' que venía dentro de un argumento! Eso es una inyección "
        "de órdenes: no uses shell=True, pasa la lista de argumentos tal cual."
    )
    try:
        recibido = json.loads(resultado.salida)
    except ValueError:
        pytest.fail(
            f"La sonda no llegó a escribir los argumentos que recibió (salida "
            f"{resultado.salida!r}, código {resultado.codigo!r}): ¿shell=True con la lista? Así "
            "el shell ejecuta solo el primer elemento, y los demás no le llegan al programa. "
            "Pasa la lista tal cual, sin shell.",
            pytrace=False,
        )
    assert recibido == raros, (
        f"La sonda debería recibir exactamente {raros!r}; recibió {resultado.salida.strip()}. "
        "Sin shell, cada elemento de la lista llega como un argumento, sin partir ni expandir."
    )


def test_ejecutar_un_programa_que_no_existe_da_un_error_claro():
    with pytest.raises(FileNotFoundError) as error:
        resultado = procesos.ejecutar(["programa-que-no-existe-06", "--version"])
        codigo = getattr(resultado, "codigo", None)
        pytest.fail(
            "ejecutar(['programa-que-no-existe-06', '--version']) debería lanzar "
            "ProgramaNoEncontrado (un FileNotFoundError), y devolvió un resultado con "
            f"codigo={codigo!r}."
            + (SHELL_QUE_NO_ENCUENTRA if codigo == 127 else "")
            + f" Errores: {getattr(resultado, 'errores', None)!r}"
        )
    assert isinstance(error.value, procesos.ProgramaNoEncontrado), (
        "Se esperaba un ProgramaNoEncontrado (con un mensaje en español); llegó el "
        f"{type(error.value).__name__} de subprocess: «{error.value}»"
    )
    assert "programa-que-no-existe-06" in str(error.value), (
        f"El mensaje debería nombrar el programa que no se encuentra; dice: «{error.value}»"
    )


def deja_salir_el_permission_error(funcion, tmp_path, de_quien, como_en="", es_un_proceso=False):
    """`funcion` (ejecutar o lanzar) con un fichero que existe pero no tiene permiso de
    ejecución: `de_quien` (subprocess, Popen) lanza PermissionError y debe salir tal cual, no
    cambiado por ProgramaNoEncontrado. Si devuelve un proceso, lo cierra con su with."""
    __tracebackhide__ = True
    nombre = funcion.__name__
    sin_permiso = tmp_path / "programa.sh"
    sin_permiso.write_text("#!/bin/sh\necho hola\n")
    sin_permiso.chmod(0o644)
    try:
        devuelto = con_limite(5, funcion, [str(sin_permiso)], que=f"{nombre}(...)")
    except procesos.ProgramaNoEncontrado as error:
        pytest.fail(
            f"{sin_permiso.name} existe, pero no tiene permiso de ejecución, y {nombre} dijo "
            f"«{error}»: {de_quien} lanza PermissionError, y {nombre} lo cambió por "
            "ProgramaNoEncontrado. Cambia solo el FileNotFoundError (except FileNotFoundError:, "
            f"no except OSError:){como_en}; los demás errores, que salgan tal cual.",
            pytrace=False,
        )
    except PermissionError:
        return
    with devuelto if es_un_proceso else contextlib.nullcontext():
        pytest.fail(
            f"{sin_permiso.name} no tiene permiso de ejecución: {nombre} debería dejar salir el "
            f"PermissionError de {de_quien}, y devolvió {devuelto!r}",
            pytrace=False,
        )


def test_ejecutar_un_fichero_sin_permiso_de_ejecucion_no_es_un_programa_que_no_existe(tmp_path):
    # Existe, pero no se puede ejecutar: subprocess lanza PermissionError. Decir «no encuentro
    # el programa» mandaría a buscarlo a otro sitio.
    deja_salir_el_permission_error(procesos.ejecutar, tmp_path, "subprocess")


def test_ejecutar_con_tiempo_agotado_mata_al_hijo_y_no_deja_procesos(tmp_path):
    antes = set(hijos())
    # La sonda escribe «empiezo», «año: caña» en latin-1 (bytes que no son UTF-8), una línea en
    # stderr y detrás 256 KiB en stdout, más de lo que cabe en la tubería (64 KiB): esa
    # escritura solo acaba cuando este proceso ya ha leído el principio de las dos tuberías
    # (run() las lee a la vez). Entonces crea `listo` y duerme 20 s. Así, si `listo` existe, lo
    # de antes llegó a leerse antes de que se agotara el tiempo y tiene que estar en salida y
    # en errores. Si no existe (una máquina muy cargada tarda en arrancar Python, o este
    # proceso despertó tarde), no se sabe qué tenía que haber: se repite con el doble de tiempo.
    listo, timeout, relleno = tmp_path / "listo", 0.1, 256 * 1024
    while True:
        try:
            resultado = con_limite(
                5 + timeout,
                procesos.ejecutar,
                sonda(
                    "--escribir",
                    "empiezo",
                    "--escribir-bytes-raros",
                    "--escribir-error",
                    "¡me cortan!",
                    "--escribir-mucho",
                    str(relleno),
                    "--crear",
                    str(listo),
                    "--dormir",
                    "20",
                ),
                timeout=timeout,
                que=f"ejecutar(sonda que duerme 20 s, timeout={timeout:g})",
                pista=SIN_TIMEOUT,
            )
        except UnicodeDecodeError as error:
            comprobar_que_no_quedan_procesos(antes, "Tras agotarse el tiempo de ejecutar")
            pytest.fail(
                "Al agotarse el tiempo, ejecutar se rompió al convertir en texto lo que la sonda "
                f"llegó a escribir («{error}»): escribió 'año: caña' en latin-1, y el corte puede "
                "caer además a mitad de una letra. Lo que trae TimeoutExpired son bytes: "
                "texto(...) los convierte con errors='replace', sin romperse.",
                pytrace=False,
            )
        comprobar_que_no_quedan_procesos(antes, "Tras agotarse el tiempo de ejecutar")
        if listo.exists() or timeout > 3 or not getattr(resultado, "tiempo_agotado", False):
            break
        timeout *= 2
    assert resultado.tiempo_agotado is True, "Se agotó el tiempo: tiempo_agotado debería ser True"
    assert resultado.codigo is None, (
        f"Si se agota el tiempo, codigo debería ser None (no acabó él solo); es {resultado.codigo!r}"
    )
    assert resultado.segundos >= timeout, (
        f"segundos debería ser al menos {timeout:g}; es {resultado.segundos}"
    )
    tipos = (type(resultado.salida).__name__, type(resultado.errores).__name__)
    assert tipos == ("str", "str"), (
        "Aunque se agote el tiempo, salida y errores deberían ser texto (str); son "
        f"{tipos[0]} y {tipos[1]}. Lo que trae TimeoutExpired (stdout, stderr) llega en bytes "
        "aunque pidieras encoding, o None si no escribió nada: pásalo por texto(...)"
    )
    if listo.exists():
        assert resultado.salida.startswith("empiezo\na\ufffdo: ca\ufffda\n"), (
            "Lo que la sonda escribió antes de que se agotara el tiempo ('empiezo\\n', 'año: "
            "caña' en latin-1 y muchas «x») debería estar en salida, con '\\ufffd' donde los "
            f"bytes no son UTF-8; llegó {resultado.salida[:40]!r} ({len(resultado.salida)} "
            "caracteres). Viene en la excepción: TimeoutExpired.stdout (en bytes: texto(...))."
        )
        assert resultado.errores == "¡me cortan!\n", (
            "Lo que la sonda escribió en stderr antes de que se agotara el tiempo debería estar "
            f"en errores ('¡me cortan!\\n'); llegó {resultado.errores!r}. También viene en la "
            "excepción: TimeoutExpired.stderr (en bytes: texto(...))."
        )


def test_ejecutar_con_mucha_salida_no_agota_el_tiempo():
    # 1 MB no cabe en la tubería (unos 64 KB): la sonda solo acaba si alguien lee mientras
    # espera. Con 5 s de timeout le sobra; si se agota, es que nadie leía.
    resultado = con_limite(
        15,
        procesos.ejecutar,
        sonda("--escribir-mucho", "1000000"),
        timeout=5,
        que="ejecutar(sonda que escribe 1 MB, timeout=5)",
    )
    assert not resultado.tiempo_agotado and len(resultado.salida) == 1_000_000, (
        "La sonda escribe 1 MB en stdout y acaba: no se le debería agotar el tiempo. Si esperas "
        "(wait()) antes de leer las tuberías, el hijo se queda bloqueado escribiendo en una "
        "tubería llena (unos 64 KB) y tú esperándolo hasta el timeout. subprocess.run (o "
        "communicate()) lee mientras espera. "
        f"tiempo_agotado={resultado.tiempo_agotado}, caracteres leídos={len(resultado.salida)}"
    )


@settings(max_examples=12, report_multiple_bugs=False)
@given(VARIOS_TEXTOS)
@example(HOSTILES)
@example([])
def test_ejecutar_pasa_cualquier_texto_intacto_como_un_argumento(textos):
    resultado = con_limite(10, procesos.ejecutar, [*ECO, *textos], que="ejecutar(...)")
    lo_que_recibio(resultado, textos, "ejecutar")


# --- Paso 3: lanzar / esperar (asíncrono) (cuaderno: 3) ---------------------------------------


def test_lanzar_vuelve_enseguida_y_esperar_recoge_el_resultado(tmp_path):
    adelante = tmp_path / "adelante"
    proceso = con_limite(
        5,
        procesos.lanzar,
        sonda("--esperar", str(adelante), "--escribir", "hecho"),
        que="lanzar(...)",
        pista="lanzar debe crear el Popen y volver enseguida, sin esperar a que el programa "
        "acabe (ni wait(), ni communicate(), ni subprocess.run).",
    )
    terminado = con_limite(
        2, proceso.terminado, que="terminado()", pista="Debe preguntar sin esperar: poll()."
    )
    assert terminado is False, (
        "terminado() dice True, pero la sonda sigue esperando a que creemos un fichero"
    )
    adelante.touch()  # ahora sí puede acabar
    resultado = con_limite(10, procesos.esperar, proceso, timeout=8, que="esperar(...)")
    assert (resultado.codigo, resultado.salida) == (0, "hecho\n"), (
        f"Se esperaba codigo 0 y salida 'hecho\\n'; llegó {resultado.codigo!r} y {resultado.salida!r}"
    )
    assert proceso.terminado() is True, "Tras esperar, terminado() debería ser True"


def test_terminado_se_entera_sin_llamar_a_esperar():
    proceso = con_limite(5, procesos.lanzar, sonda("--salir", "0"), que="lanzar(...)")
    lanzado = time.perf_counter()
    limite = time.monotonic() + 5
    while not con_limite(2, proceso.terminado, que="terminado()"):
        if time.monotonic() > limite:
            pytest.fail(
                "La sonda acabó hace rato y terminado() sigue diciendo False: hay que "
                "preguntar al sistema con poll() (returncode solo se rellena al preguntar)",
                pytrace=False,
            )
        time.sleep(0.01)
    ya_habia_acabado = time.perf_counter() - lanzado
    resultado = procesos.esperar(proceso)
    # Lo que tardó el proceso va de lanzar() a su final: como poco, lo que ha pasado desde
    # que lanzar() volvió hasta que terminado() dijo True (esperar() llega después).
    assert resultado.segundos >= ya_habia_acabado, (
        f"El proceso tardó al menos {ya_habia_acabado:.3f} s desde lanzar() hasta acabar, y "
        f"esperar() dice segundos={resultado.segundos:.3f}: ¿cuenta desde que empieza "
        "esperar()? segundos va desde proceso.inicio (la hora que apuntó lanzar) hasta el final."
    )


def test_esperar_devuelve_codigo_salida_errores_y_segundos():
    argumentos = sonda("--escribir", "año", "--escribir-error", "¡ay!", "--salir", "5")
    proceso = con_limite(5, procesos.lanzar, argumentos, que="lanzar(...)")
    resultado = con_limite(10, procesos.esperar, proceso, que="esperar(...)")
    obtenido = (resultado.codigo, resultado.salida, resultado.errores, resultado.tiempo_agotado)
    assert obtenido == (5, "año\n", "¡ay!\n", False), (
        f"Se esperaba (5, 'año\\n', '¡ay!\\n', False); llegó {obtenido!r}"
    )
    assert resultado.argumentos == argumentos, (
        f"El Resultado debería guardar los argumentos {argumentos!r}; tiene {resultado.argumentos!r}"
    )
    assert resultado.segundos > 0, (
        f"segundos debería medir lo que tardó el proceso (más de 0); es {resultado.segundos!r}"
    )


def test_esperar_no_se_atasca_con_mucha_salida():
    proceso = con_limite(
        5, procesos.lanzar, sonda("--escribir-mucho", "1000000"), que="lanzar(...)"
    )
    resultado = con_limite(10, procesos.esperar, proceso, timeout=5, que="esperar(...)")
    assert not resultado.tiempo_agotado and len(resultado.salida) == 1_000_000, (
        "La sonda escribe 1 MB en stdout y eso no cabe en la tubería (unos 64 KB): si esperas "
        "con wait() antes de leer, el hijo se queda bloqueado escribiendo y tú esperándolo. "
        "communicate() lee mientras espera. "
        f"tiempo_agotado={resultado.tiempo_agotado}, caracteres leídos={len(resultado.salida)}"
    )


def test_esperar_con_tiempo_agotado_mata_guarda_lo_escrito_y_no_deja_procesos(tmp_path):
    listo = tmp_path / "listo"
    antes = set(hijos())
    proceso = con_limite(
        5,
        procesos.lanzar,
        sonda("--escribir", "empiezo", "--crear", str(listo), "--dormir", "20"),
        que="lanzar(...)",
    )
    esperar_fichero(listo, "La sonda no llegó a arrancar")
    resultado = con_limite(
        5,
        procesos.esperar,
        proceso,
        timeout=0.1,
        que="esperar(sonda de 20 s, timeout=0.1)",
        pista=SIN_TIMEOUT,
    )
    assert resultado.tiempo_agotado is True and resultado.codigo is None, (
        "Se agotó el tiempo: se esperaba tiempo_agotado=True y codigo=None; llegó "
        f"tiempo_agotado={resultado.tiempo_agotado!r}, codigo={resultado.codigo!r}"
    )
    assert resultado.salida == "empiezo\n", (
        "Lo que la sonda escribió antes de que se agotara el tiempo debería estar en salida "
        f"('empiezo\\n'); llegó {resultado.salida!r}. Tras kill(), un communicate() lo recoge."
    )
    comprobar_que_no_quedan_procesos(antes, "Tras agotarse el tiempo de esperar")


def test_lanzar_un_programa_que_no_existe_da_un_error_claro():
    with pytest.raises(FileNotFoundError) as error:
        proceso = procesos.lanzar(["programa-que-no-existe-06"])
        pytest.fail(
            "lanzar(['programa-que-no-existe-06']) debería lanzar ProgramaNoEncontrado (un "
            f"FileNotFoundError), y devolvió {proceso!r}.{SHELL_QUE_NO_ENCUENTRA}"
        )
    assert isinstance(error.value, procesos.ProgramaNoEncontrado), (
        f"Se esperaba un ProgramaNoEncontrado; llegó {type(error.value).__name__}: «{error.value}»"
    )
    assert "programa-que-no-existe-06" in str(error.value), (
        f"El mensaje debería nombrar el programa que no se encuentra; dice: «{error.value}»"
    )


def test_al_salir_del_with_el_proceso_se_mata_y_se_espera():
    antes = set(hijos())

    def usar_y_olvidar():
        with procesos.lanzar(sonda("--dormir", "20")) as proceso:
            return proceso.pid

    con_limite(
        5,
        usar_y_olvidar,
        que="Salir del with de un proceso que duerme 20 s",
        pista="Si al salir sigue en marcha, mátalo (kill()) antes de esperarlo.",
    )
    comprobar_que_no_quedan_procesos(antes, "Al salir del with")


def test_salir_del_with_tras_esperar_no_falla():
    def esperar_y_salir():
        with procesos.lanzar(sonda("--escribir", "hola")) as proceso:
            return procesos.esperar(proceso)

    resultado = con_limite(10, esperar_y_salir, que="esperar dentro de un with")
    assert resultado.salida == "hola\n", (
        f"esperar() dentro del with debería recoger la salida 'hola\\n'; llegó {resultado.salida!r}"
    )


@settings(max_examples=8, report_multiple_bugs=False)
@given(VARIOS_TEXTOS)
@example(HOSTILES)
def test_lanzar_pasa_cualquier_texto_intacto_como_un_argumento(textos):
    proceso = con_limite(5, procesos.lanzar, [*ECO, *textos], que="lanzar(...)")
    resultado = con_limite(10, procesos.esperar, proceso, que="esperar(...)")
    lo_que_recibio(resultado, textos, "lanzar y esperar")


@settings(max_examples=8, report_multiple_bugs=False)
@given(BYTES)
@example("año: caña".encode("latin-1"))
@example(b"\xff\xfe\x00 ok \xe4\xb8")
def test_lanzar_y_ejecutar_dan_texto_con_bytes_cualesquiera(datos):
    # Lo que escribe otro programa son bytes, UTF-8 o no: salida y errores son siempre texto,
    # con «\ufffd» en lo que no sea UTF-8, y nunca un UnicodeDecodeError.
    esperado = datos.decode("utf-8", errors="replace")
    for que, llamar in (
        ("ejecutar", lambda: procesos.ejecutar(escribe_bytes(datos))),
        ("lanzar y esperar", lambda: procesos.esperar(procesos.lanzar(escribe_bytes(datos)))),
    ):
        try:
            resultado = con_limite(10, llamar, que=f"{que}(...)")
        except UnicodeDecodeError as error:
            pytest.fail(
                f"Un programa escribió {datos!r} (no es UTF-8) y {que} se rompió al decodificarlo "
                f"(«{error}»). Con encoding='utf-8' y errors='replace' (en subprocess.run y en "
                "el Popen de lanzar), lo que no sea UTF-8 queda como '\\ufffd'.",
                pytrace=False,
            )
        obtenido = (resultado.salida, resultado.errores)
        assert obtenido == (esperado, esperado), (
            f"Un programa escribió {datos!r} en stdout y en stderr; con {que}, salida y errores "
            f"deberían ser {esperado!r} (texto UTF-8, errors='replace'); llegaron {obtenido!r}"
        )


def test_lanzar_un_fichero_sin_permiso_de_ejecucion_no_es_un_programa_que_no_existe(tmp_path):
    deja_salir_el_permission_error(
        procesos.lanzar, tmp_path, "Popen", como_en=", como en ejecutar", es_un_proceso=True
    )


class ErrorDentroDelWith(Exception):
    """Un error del código que usa el proceso, dentro del with."""


def test_salir_del_with_no_se_traga_las_excepciones():
    antes = set(hijos())

    def usar_y_fallar():
        try:
            with procesos.lanzar(sonda("--dormir", "20")):
                raise ErrorDentroDelWith("PUF!")
        except ErrorDentroDelWith:
            return True
        return False

    salio = con_limite(
        5, usar_y_fallar, que="Un error dentro del with de un proceso que duerme 20 s"
    )
    assert salio, (
        "Un error lanzado dentro de «with lanzar(...) as proceso:» no salió del with: __exit__ "
        "devolvió algo verdadero (return True), y eso le dice a Python que se trague la "
        "excepción. __exit__ mata (si hace falta) y espera al proceso, y no devuelve nada."
    )
    comprobar_que_no_quedan_procesos(antes, "Al salir del with por una excepción")


# Un programa que ignora SIGTERM (terminate()): solo SIGKILL (kill()) lo para. Escribe «listo»
# cuando ya lo ignora, para que la prueba no le mande nada antes.
IGNORA_SIGTERM = [
    PYTHON,
    "-I",
    "-S",
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('listo', flush=True); time.sleep(30)",
]
CON_KILL = (
    "¿Usas terminate() (SIGTERM), que un programa puede ignorar? kill() (SIGKILL) no se puede "
    "ignorar: mátalo con kill() y luego espéralo con communicate()."
)


def test_al_salir_del_with_se_mata_aunque_el_programa_ignore_sigterm():
    antes = set(hijos())

    def usar_y_olvidar():
        with procesos.lanzar(IGNORA_SIGTERM) as proceso:
            proceso.popen.stdout.readline()  # «listo»: ya ignora SIGTERM

    con_limite(
        3, usar_y_olvidar, que="Salir del with de un programa que ignora SIGTERM", pista=CON_KILL
    )
    comprobar_que_no_quedan_procesos(antes, "Al salir del with de un programa que ignora SIGTERM")


def test_esperar_con_tiempo_agotado_mata_aunque_el_programa_ignore_sigterm():
    antes = set(hijos())

    def lanzar_y_esperar():
        proceso = procesos.lanzar(IGNORA_SIGTERM)
        proceso.popen.stdout.readline()  # «listo»: ya ignora SIGTERM
        return procesos.esperar(proceso, timeout=0.1)  # nunca contesta: basta un timeout corto

    resultado = con_limite(
        3,
        lanzar_y_esperar,
        que="esperar(..., timeout=0.1) a un programa que ignora SIGTERM",
        pista=CON_KILL,
    )
    assert resultado.tiempo_agotado, (
        f"Se agotó el tiempo y el Resultado dice tiempo_agotado={resultado.tiempo_agotado!r}"
    )
    comprobar_que_no_quedan_procesos(antes, "Tras agotarse el tiempo de esperar")


def test_salir_del_with_de_un_proceso_que_ya_acabo_cierra_sus_tuberias():
    # El proceso acaba solo, dentro del with, y nadie llama a esperar(): al salir, __exit__
    # tiene que esperarlo igual (communicate()), que también cierra sus tuberías.
    def acabar_dentro():
        with procesos.lanzar(sonda("--escribir", "hola")) as proceso:
            proceso.popen.wait()  # la prueba espera a que acabe, sin leer sus tuberías
        return proceso

    proceso = con_limite(10, acabar_dentro, que="Salir del with de un proceso que ya acabó")
    abiertas = [
        nombre
        for nombre in ("stdout", "stderr")
        if getattr(proceso.popen, nombre) is not None and not getattr(proceso.popen, nombre).closed
    ]
    # Se cierran aquí: si no, la guardia de recursos las contaría además del mensaje de abajo.
    for nombre in abiertas:
        getattr(proceso.popen, nombre).close()
    assert not abiertas, (
        f"Tras salir del with de un proceso que ya había acabado, sus tuberías ({', '.join(abiertas)}) "
        "siguen abiertas: __exit__ solo esperó si seguía en marcha. Mátalo solo si sigue en "
        "marcha, pero espéralo SIEMPRE con communicate(), que lee lo que quede y cierra las "
        "tuberías (aunque el proceso ya haya acabado)."
    )


# --- Paso 4: ejecutar_en_paralelo (hilos y procesos juntos) (cuaderno: 4) ---------------------


def test_en_paralelo_corre_max_procesos_a_la_vez(tmp_path):
    # Barrera: cada sonda espera a que lleguen las 4; solo acaban bien si corren a la vez.
    ordenes = [sonda("--contar", str(tmp_path), "--barrera", "4") for _ in range(4)]
    resultados = con_limite(
        15, procesos.ejecutar_en_paralelo, ordenes, max_procesos=4, que="ejecutar_en_paralelo"
    )
    errores = [r.errores.strip() for r in resultados if r.codigo != 0]
    assert not errores, (
        "Con max_procesos=4, las 4 sondas deberían correr a la vez, pero se cansaron de "
        f"esperarse: {errores[0]}. ¿El pool lanza los procesos de uno en uno (por ejemplo, "
        "pidiendo cada resultado justo después de enviarlo)?"
    )
    maximo = leer_contador(tmp_path)["maximo"]
    assert maximo == 4, (
        f"Con max_procesos=4, las 4 sondas deberían coincidir en marcha; como mucho hubo {maximo}"
    )


def test_en_paralelo_nunca_pasa_de_max_procesos(tmp_path):
    # Las dos primeras se esperan entre sí (así corren juntas de verdad) y se quedan un momento
    # en marcha; la tercera no acaba hasta que hayan llegado las tres y acabado las otras dos.
    # Si el pool lanzara las tres a la vez, el contador lo vería, llegue primero la que llegue.
    # Si no, la tercera empieza cuando acaba una de la pareja y solo espera a la otra, que ya
    # está acabando (no duerme en vano).
    pareja = sonda("--contar", str(tmp_path), "--barrera", "2", "--dormir", "0.2")
    ordenes = [pareja, pareja, sonda("--contar", str(tmp_path), "--acabar-la-ultima", "3")]
    resultados = con_limite(
        15, procesos.ejecutar_en_paralelo, ordenes, max_procesos=2, que="ejecutar_en_paralelo"
    )
    maximo = leer_contador(tmp_path)["maximo"]
    assert maximo <= 2, (
        f"Con max_procesos=2 llegaron a correr {maximo} sondas a la vez: el pool no debe tener "
        "más de max_procesos procesos en marcha (¿un hilo por trabajo, sin límite?)"
    )
    assert all(r.codigo == 0 for r in resultados), (
        "Con max_procesos=2, las dos primeras sondas deberían correr juntas y la tercera "
        f"después, pero no todas terminaron bien: {fallos_de(resultados)}"
    )


def test_en_paralelo_devuelve_los_resultados_en_el_orden_de_entrada(tmp_path):
    # La primera sonda espera a que la última haya acabado: acaban en otro orden.
    fin = tmp_path / "fin"
    ordenes = [
        sonda("--esperar", str(fin), "--escribir", "0"),
        sonda("--escribir", "1"),
        sonda("--escribir", "2"),
        sonda("--escribir", "3", "--crear", str(fin)),
    ]
    antes = hilos_vivos()
    resultados = con_limite(
        15,
        procesos.ejecutar_en_paralelo,
        ordenes,
        max_procesos=4,
        timeout=3,
        que="ejecutar_en_paralelo",
    )
    assert all(r.codigo == 0 for r in resultados), (
        "La primera sonda espera a que acabe la cuarta, así que con max_procesos=4 tienen que "
        f"correr a la vez; no todas terminaron bien: {fallos_de(resultados)}. ¿El pool lanza "
        "los procesos de uno en uno (pidiendo cada resultado justo después de enviarlo)?"
    )
    salidas = [r.salida.strip() for r in resultados]
    assert salidas == ["0", "1", "2", "3"], (
        "Los resultados deberían venir en el orden de la lista de entrada (0, 1, 2, 3), "
        f"no en el orden en que acaban; llegaron las salidas {salidas}"
    )
    comprobar_que_no_quedan_hilos(antes, que="Al acabar ejecutar_en_paralelo")


def test_en_paralelo_aplica_el_timeout_a_cada_proceso():
    antes = set(hijos())
    resultados = con_limite(
        5,
        procesos.ejecutar_en_paralelo,
        [sonda("--dormir", "20"), sonda("--dormir", "20")],
        max_procesos=2,
        timeout=0.1,
        que="ejecutar_en_paralelo(..., timeout=0.1) con sondas que duermen 20 s",
        pista="¿Pasa ejecutar_en_paralelo el timeout a cada ejecutar(argumentos, timeout)? "
        "Sin él, cada ejecutar usa su timeout por omisión (10 s) y espera a la sonda. (Y "
        "ejecutar, a su vez, debe pasárselo a subprocess.run.)",
    )
    agotados = [r.tiempo_agotado for r in resultados]
    assert agotados == [True, True], (
        f"Las dos sondas duermen 20 s y el timeout es 0,1 s: tiempo_agotado debería ser "
        f"[True, True]; es {agotados}. ¿Se pasa el timeout a cada ejecutar?"
    )
    comprobar_que_no_quedan_procesos(antes, "Tras ejecutar_en_paralelo con tiempos agotados")


class EjecutarDeMentira:
    """Un `ejecutar` sin procesos, para las pruebas «con todos los órdenes»: apunta con qué se
    le llama y cuántos hay en marcha a la vez, tarda un poco (time.sleep, en el reloj virtual
    del planificador) y devuelve lo que diga `responder(argumentos, timeout)`.

    Se crea dentro del escenario: así su cerrojo es del planificador.
    """

    def __init__(self, responder):
        self.responder = responder
        self.cerrojo = threading.Lock()
        self.ahora = self.maximo = 0
        self.llamadas = []  # (argumentos, timeout)

    def __call__(self, argumentos, timeout=10.0):
        with self.cerrojo:
            self.ahora += 1
            self.maximo = max(self.maximo, self.ahora)
            self.llamadas.append((list(argumentos), timeout))
        time.sleep(0.01)  # «el proceso» tarda un poco (en el reloj virtual)
        with self.cerrojo:
            self.ahora -= 1
        return self.responder(argumentos, timeout)


def escribe_su_numero(argumentos, timeout):
    """La respuesta de un programa ["programa", "N"] de mentira: sale bien y escribe N."""
    return procesos.Resultado(list(argumentos), 0, argumentos[1], "", 0.01)


def test_con_todos_los_ordenes_en_paralelo_limita_ejecuta_cada_uno_y_conserva_el_orden(
    monkeypatch,
):
    # Sin procesos: un `ejecutar` de mentira (rápido) que cuenta cuántos hay en marcha a la
    # vez. El planificador del taller (taller.planificador.explorar) prueba muchos órdenes de
    # los hilos, siempre los mismos; time.sleep va con un reloj virtual, no espera de verdad.
    maximos = []

    def escenario():
        ejecutar = EjecutarDeMentira(escribe_su_numero)
        monkeypatch.setattr(procesos.modulo, "ejecutar", ejecutar)
        ordenes = [["programa", str(numero)] for numero in range(4)]
        resultados = procesos.ejecutar_en_paralelo(ordenes, max_procesos=2, timeout=1)
        maximos.append(ejecutar.maximo)
        ejecutados = [argumentos[1] for argumentos, _ in ejecutar.llamadas]
        assert ejecutar.maximo <= 2, (
            f"Con max_procesos=2 llegaron a estar {ejecutar.maximo} ejecutar() en marcha a "
            "la vez: el pool no debe tener más de max_procesos en marcha (¿un hilo por "
            "trabajo, sin límite?)"
        )
        veces = collections.Counter(ejecutados)
        mal = {orden: veces[orden] for orden in ("0", "1", "2", "3") if veces[orden] != 1}
        assert not mal, (
            "Cada programa de la lista debe ejecutarse exactamente una vez; veces que se "
            f"ejecutó cada uno que no: {mal}"
        )
        salidas = [getattr(r, "salida", r) for r in resultados]
        assert salidas == ["0", "1", "2", "3"], (
            "Los resultados deben venir en el orden de la lista de entrada (0, 1, 2, 3), no "
            f"en el orden en que acaban; llegaron {salidas}"
        )

    explorar(
        escenario,
        que="ejecutar_en_paralelo de 4 programas con max_procesos=2",
        planes=PLANES,
    )
    assert max(maximos) == 2, (
        f"Con max_procesos=2 y 4 programas, en ninguno de los {len(maximos)} órdenes probados "
        "llegaron a estar 2 en marcha a la vez: el pool los ejecuta de uno en uno (¿esperas "
        "a cada hilo, o a cada resultado, justo después de lanzarlo?)"
    )


def test_con_todos_los_ordenes_en_paralelo_no_se_pierde_el_error_de_un_programa(monkeypatch):
    # Un `ejecutar` de mentira en el que el programa «2» no existe. El error tiene que salir
    # de ejecutar_en_paralelo (como con el map de ThreadPoolExecutor), acabe antes quien acabe:
    # ni un None en su sitio de la lista, ni un hilo que muere en silencio.
    def el_2_no_existe(argumentos, timeout):
        if argumentos[1] == "2":
            raise procesos.no_encontrado(argumentos)
        return escribe_su_numero(argumentos, timeout)

    def escenario():
        monkeypatch.setattr(procesos.modulo, "ejecutar", EjecutarDeMentira(el_2_no_existe))
        ordenes = [["programa", str(numero)] for numero in range(4)]
        antes = hilos_vivos()
        try:
            resultados = procesos.ejecutar_en_paralelo(ordenes, max_procesos=2, timeout=1)
        except procesos.ProgramaNoEncontrado:
            resultados = None
        vivos = sorted(hilo.name for hilo in hilos_vivos() - antes)
        assert not vivos, (
            f"ejecutar_en_paralelo volvió con hilos aún vivos ({', '.join(vivos)}): espera a "
            "todos antes de volver, también si un programa falla (with ThreadPoolExecutor(...))"
        )
        assert resultados is None, (
            "El programa 2 de la lista no existe (ejecutar lanzó ProgramaNoEncontrado) y "
            f"ejecutar_en_paralelo devolvió {[getattr(r, 'salida', r) for r in resultados]}: "
            "el error se perdió. Deja que salga, como hace el map de ThreadPoolExecutor al "
            "pedir ese resultado; no lo captures en el hilo (ni dejes que un hilo a mano muera "
            "con él: su sitio en la lista se queda en None)."
        )

    explorar(
        escenario,
        que="ejecutar_en_paralelo de 4 programas, uno que no existe, con max_procesos=2",
        planes=PLANES // 10,
    )


def test_en_paralelo_con_lista_vacia_devuelve_lista_vacia():
    resultados = procesos.ejecutar_en_paralelo([], max_procesos=3)
    assert resultados == [], (
        f"Sin nada que ejecutar, ejecutar_en_paralelo debería devolver []; devolvió {resultados!r}"
    )


@pytest.mark.parametrize(
    ("valor", "error"), [(0, ValueError), (-2, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_en_paralelo_rechaza_un_max_procesos_invalido(valor, error):
    excepcion = lanza(
        error,
        f"ejecutar_en_paralelo(..., max_procesos={valor!r})",
        lambda: procesos.ejecutar_en_paralelo([sonda("--salir", "0")], max_procesos=valor),
        "max_procesos que no es un int (2.5, True) es TypeError; un int menor que 1, ValueError.",
    )
    mensaje = str(excepcion)
    de_otro = (
        ". Ese error es de ThreadPoolExecutor (max_workers), no tuyo: valida max_procesos tú, "
        "antes de crear el pool"
        if "max_workers" in mensaje
        else ""
    )
    assert "max_procesos" in mensaje and str(valor) in mensaje, (
        f"El mensaje debería nombrar max_procesos y el valor malo ({valor!r}); dice: "
        f"«{mensaje}»{de_otro}"
    )


def test_en_paralelo_valida_todo_antes_de_lanzar_nada(tmp_path):
    lanzada = tmp_path / "lanzada"
    ordenes = [sonda("--crear", str(lanzada)), "python3 -V"]
    with pytest.raises(TypeError):
        con_limite(
            10, procesos.ejecutar_en_paralelo, ordenes, max_procesos=2, que="ejecutar_en_paralelo"
        )
        pytest.fail(
            "La segunda orden es un texto ('python3 -V'), no una lista: ejecutar_en_paralelo "
            "debería lanzar el TypeError de validar_argumentos"
        )
    assert not lanzada.exists(), (
        "La segunda orden era un texto (no válido) y aun así se lanzó la primera: valida "
        "todas las listas de argumentos antes de lanzar ningún proceso"
    )


# --- Paso 5: vigilar los servidores con la sonda (cuaderno: 4) --------------------------------


def test_estado_traduce_el_resultado_de_la_sonda():
    def resultado(codigo, agotado=False):
        return procesos.Resultado(["sonda"], codigo, "", "", 0.1, tiempo_agotado=agotado)

    obtenido = [
        procesos.estado(resultado(0)),
        procesos.estado(resultado(1)),
        procesos.estado(resultado(2)),
        procesos.estado(resultado(3)),
        procesos.estado(resultado(None, agotado=True)),
    ]
    esperado = [
        "ok",
        "respuesta incoherente",
        "sin respuesta",
        "fallo de la sonda",
        "sin respuesta",
    ]
    agotado = (
        ". Un tiempo agotado (tiempo_agotado=True, codigo=None) es «sin respuesta»: el servidor "
        "no contestó a tiempo. Mira tiempo_agotado antes que el código"
        if obtenido[4] != esperado[4]
        else ""
    )
    assert obtenido == esperado, (
        f"Para los códigos 0, 1, 2, 3 y un tiempo agotado se esperaba {esperado}; llegó "
        f"{obtenido}{agotado}"
    )


ESPERADO_POR_AVERIA = {
    None: "ok",
    "puerto_cerrado": "sin respuesta",
    "error_500": "respuesta incoherente",
    "html": "respuesta incoherente",
    "estado_no_ok": "respuesta incoherente",
}


@pytest.mark.red_local
def test_vigilar_la_flota_con_sondas():
    # 6 servidores: 2 sanos y 4 con una avería distinta cada uno.
    # La flota en un hilo de este proceso (MotorDeFlota), no en un proceso suyo (flota): quien
    # la vigila son las sondas, otros procesos, así que no le quita el GIL a nadie, y así no se
    # paga otro Python que importa asyncio (más de lo que cuestan las seis sondas juntas).
    averias = {"puerto_cerrado": 1 / 6, "error_500": 1 / 6, "html": 1 / 6, "estado_no_ok": 1 / 6}
    with MotorDeFlota(servidores=6, latencia=0.01, semilla=1, averias=averias) as f:
        estados = con_limite(
            15, procesos.vigilar, f.urls, max_procesos=3, timeout=2, que="vigilar(6 URLs)"
        )
        en_curso_max = f.estadisticas.en_curso_max
        esperado = {s.url: ESPERADO_POR_AVERIA[s.averia] for s in f.servidores}
    assert estados == esperado, f"Se esperaba {esperado}; llegó {estados}"
    assert list(estados) == f.urls, "vigilar debería devolver las URLs en el orden de entrada"
    assert en_curso_max <= 3, (
        f"Con max_procesos=3, la flota recibió {en_curso_max} peticiones a la vez"
    )


def test_con_todos_los_ordenes_vigilar_comprueba_max_procesos_a_la_vez(monkeypatch):
    # Sin procesos: un `ejecutar` de mentira que contesta por la sonda (el último trozo de la
    # URL es su código de salida; «agotado», un tiempo agotado) y cuenta cuántas hay en marcha.
    maximos = []

    def contesta_la_sonda(argumentos, timeout):
        url = next(a for a in argumentos if a.startswith("http://"))
        final = url.rsplit("/", 1)[1]
        if final == "agotado":
            return procesos.Resultado(list(argumentos), None, "", "", timeout, True)
        return procesos.Resultado(list(argumentos), int(final), "", "", 0.01)

    def escenario():
        ejecutar = EjecutarDeMentira(contesta_la_sonda)
        monkeypatch.setattr(procesos.modulo, "ejecutar", ejecutar)
        urls = [f"http://127.0.0.1:9/{final}" for final in ("0", "1", "2", "agotado", "7")]
        estados = procesos.vigilar(urls, max_procesos=2, timeout=1.5)
        maximos.append(ejecutar.maximo)
        timeouts = [timeout for _, timeout in ejecutar.llamadas]
        assert timeouts, (
            "vigilar no llamó a ejecutar: compruébalas con ejecutar_en_paralelo (que usa "
            "ejecutar) y orden_de_sonda"
        )
        estados_esperados = ["ok", "respuesta incoherente", "sin respuesta", "sin respuesta"]
        esperado = dict(zip(urls, [*estados_esperados, "fallo de la sonda"], strict=True))
        assert estados == esperado and list(estados) == urls, (
            f"Las sondas de {urls} salieron con 0, 1, 2, tiempo agotado y 7: vigilar debería "
            f"dar {esperado}, en ese orden; dio {estados}"
        )
        assert ejecutar.maximo <= 2, (
            f"vigilar(..., max_procesos=2) tuvo {ejecutar.maximo} sondas en marcha a la "
            "vez: pasa max_procesos a ejecutar_en_paralelo"
        )
        assert min(timeouts) > 1.5, (
            f"Con timeout=1.5, la sonda tiene 1,5 s para contestar, y ejecutar recibió "
            f"timeout={min(timeouts)}: sin margen, ejecutar la mata justo cuando iba a decir "
            "«sin respuesta» (y arrancar Python también cuesta). Dale unos segundos más."
        )

    explorar(escenario, que="vigilar 5 URLs con max_procesos=2", planes=PLANES // 10)
    assert max(maximos) == 2, (
        f"vigilar(5 URLs, max_procesos=2): en ninguno de los {len(maximos)} órdenes probados "
        "hubo 2 sondas en marcha a la vez: las comprueba de una en una. Usa "
        "ejecutar_en_paralelo(ordenes, max_procesos, ...)."
    )


# Cada URL es una sonda (un Python entero): aquí no se generan textos, sería caro.
# Los textos generados ya pasan por ejecutar, que es lo que usa vigilar; esta prueba mira que
# vigilar tampoco mete la orden de la sonda en un shell.
URLS_HOSTILES = ["x;echo${IFS}INYECTADO", "$(echo)a", "'|&&*", "-a?b=`x`#~"]


def test_vigilar_pasa_cada_url_intacta_a_la_sonda():
    # Un puerto reservado en el que nadie escucha: conectar se rechaza al momento. Si la URL
    # llega entera a la sonda, la sonda dice «sin respuesta»; si un shell la parte o la
    # expande, la sonda recibe otra cosa (o nada) y dice otra.
    with socket.socket() as reservado:
        reservado.bind(("127.0.0.1", 0))
        puerto = reservado.getsockname()[1]
        urls = [f"http://127.0.0.1:{puerto}/{ruta}" for ruta in URLS_HOSTILES]
        estados = con_limite(
            20, procesos.vigilar, urls, max_procesos=4, timeout=2, que=f"vigilar({urls!r})"
        )
    esperado = dict.fromkeys(urls, "sin respuesta")
    assert estados == esperado, (
        f"vigilar({urls!r}) debería dar «sin respuesta» para cada URL (nadie escucha en el "
        f"puerto {puerto}), y dio {estados!r}. Si no es eso, la sonda no recibió la URL "
        "intacta como un argumento: ¿pasa por un shell la orden de la sonda?"
    )
