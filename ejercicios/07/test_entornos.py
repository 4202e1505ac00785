"""Pruebas del módulo 07, entornos virtuales. Van en el orden en que conviene escribir el
código: crear_entorno → interprete_de → ejecutar_en → instalar → version_instalada.

Ejecútalas con:  pytest ejercicios/07

Nada sale a la red. Al empezar se construyen dos ruedas del paquete inventado `saludos`
(1.0 y 2.0) en una carpeta temporal, y pip solo puede instalar desde ahí. Por si acaso,
mientras corren estas pruebas PyPI es un servidor falso en 127.0.0.1 que apunta cada
pregunta (si tu código le pregunta, una prueba te lo dirá) y cualquier otra conexión va a
un puerto cerrado. Todos los entornos se crean en carpetas temporales.

(Para quien mantiene el taller: en Linux se comprueba también con la red cortada de verdad,
`unshare -rn sh -c 'ip link set lo up && pytest ejercicios/07 --soluciones'`.)
"""

import ast
import functools
import http.server
import importlib
import importlib.metadata
import os
import socket
import subprocess
import sys
import tempfile
import threading
import venv
from pathlib import Path

import pytest

from taller.propiedades import st, un_argumento
from taller.pruebas import a_la_vez, apoyo, cargar, con_limite, lanzando, lo_que_dio, sin_lanzar

entornos = cargar("entornos")
ruedas = apoyo("ruedas")

# Una llamada que crea procesos (pip, python) tiene este límite: en una máquina cargada pip
# puede tardar varios segundos, pero nunca tanto.
LIMITE = 45
PISTA = (
    "Un proceso hijo se ha quedado esperando: ¿lanzas python sin «-c» (y espera leer el "
    "programa por la entrada estándar) o pip está intentando salir a la red?"
)
pytestmark = pytest.mark.timeout(4 * LIMITE)

PROGRAMA_PARA_LA_1_0 = "import saludos\nprint(saludos.saludar())"


def llamar(funcion, *args, que):
    """Llama a tu función con un límite de tiempo que falla con un mensaje claro."""
    __tracebackhide__ = True
    return con_limite(LIMITE, funcion, *args, que=que, pista=PISTA)


def sin_error_de_entorno(llamada, explicar):
    """El resultado de `llamada()`, que no debe lanzar ErrorDeEntorno: si lo lanza, la prueba
    falla con `explicar(error)`, que dice por qué ese caso es correcto."""
    __tracebackhide__ = True
    return sin_lanzar(llamada, explicar, tipo=entornos.ErrorDeEntorno)


@pytest.fixture
def entorno(tmp_path):
    """Un entorno virtual recién creado en tmp_path / "entorno" (sin pip: no le hace falta)."""
    venv.create(tmp_path / "entorno", with_pip=False)
    return tmp_path / "entorno"


def ejecutar_en_el_entorno(entorno, codigo, *argumentos):
    """Tu `ejecutar_en(entorno, codigo, *argumentos)`, con su límite."""
    __tracebackhide__ = True
    return llamar(entornos.ejecutar_en, entorno, codigo, *argumentos, que="ejecutar_en")


def salida_de_un_codigo_correcto(entorno, codigo, cual, por_que):
    """Tu `ejecutar_en(entorno, codigo)`, con un código correcto (`cual`: «un código que...»):
    si lanza ErrorDeEntorno, la prueba falla diciéndolo, con `por_que` (qué se hizo mal)."""
    __tracebackhide__ = True
    return sin_error_de_entorno(
        lambda: ejecutar_en_el_entorno(entorno, codigo),
        lambda error: (
            f"ejecutar_en lanzó ErrorDeEntorno («{error}») con {cual}, que es correcto. {por_que}"
        ),
    )


def lanza_error_de_entorno_con(entorno, codigo, por_que):
    """Tu `ejecutar_en(entorno, codigo)`, con un código que falla, debe lanzar ErrorDeEntorno
    (lo devuelve); si no lo lanza, la prueba falla diciéndolo, con `por_que`."""
    __tracebackhide__ = True
    with error_de_entorno() as error:
        ejecutar_en_el_entorno(entorno, codigo)
        pytest.fail(f"ejecutar_en(entorno, {codigo!r}) no lanzó ErrorDeEntorno: {por_que}")
    return error


# Lo que suele estar mal cuando ejecutar_en no devuelve lo que imprime un código con comillas.
UN_SOLO_ARGUMENTO = (
    "¿Lo pegas en una orden de shell? Las comillas la rompen: pásalo como un solo argumento, "
    '[python, "-c", codigo], sin shell.'
)
# Lo que suele estar mal cuando ejecutar_en confunde un aviso con un error, o al revés.
EL_CODIGO_DE_SALIDA = (
    "Lo que dice si falló es el código de salida (proceso.returncode != 0), no que stderr "
    "tenga algo (o esté vacío): hay programas que escriben avisos ahí y acaban bien, y otros "
    "que fallan sin escribir nada."
)


def preguntar(python, codigo):
    """Ejecuta código con un python dado. Es de las pruebas: no usa tu código."""
    return subprocess.run(
        [str(python), "-c", codigo],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=LIMITE,
        check=False,
    )


def saludos_segun(python):
    """La versión de saludos que ve ese python, o None si no lo tiene."""
    proceso = preguntar(
        python,
        "import importlib.metadata as m\n"
        "try:\n    print(m.version('saludos'))\n"
        "except m.PackageNotFoundError:\n    print('ninguna')",
    )
    version = proceso.stdout.strip()
    return None if version == "ninguna" else version


def python_de(entorno):
    return Path(entorno) / "bin" / "python"


# --- Lo que preparan las pruebas (sin usar tu código) ------------------------------------


class IndiceEspia(http.server.BaseHTTPRequestHandler):
    """Un PyPI falso: contesta 404 a todo y apunta qué le preguntaron."""

    def do_GET(self):
        self.server.peticiones.append(self.path)
        self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def indice_espia():
    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), IndiceEspia)
    servidor.peticiones = []
    # poll_interval corto: shutdown() espera a que el bucle lo vea (por defecto, hasta 0,5 s).
    hilo = threading.Thread(
        target=servidor.serve_forever, args=(0.05,), name="índice espía", daemon=True
    )
    hilo.start()
    # Un puerto reservado pero que no escucha: conectarse a él falla al momento.
    cerrado = socket.socket()
    cerrado.bind(("127.0.0.1", 0))
    yield servidor, f"http://127.0.0.1:{cerrado.getsockname()[1]}"
    servidor.shutdown()
    servidor.server_close()
    hilo.join()
    cerrado.close()


@pytest.fixture(scope="module", autouse=True)
def sin_red(indice_espia):
    """pip (y cualquier hijo) solo puede hablar con el índice espía; lo demás, cerrado.

    De módulo, y antes que nada: las instalaciones (de módulo también) ya tienen que verlo.
    """
    servidor, proxy_cerrado = indice_espia
    with pytest.MonkeyPatch.context() as monkeypatch:
        for nombre in list(os.environ):
            if nombre.upper().startswith("PIP_") or nombre.upper().endswith("_PROXY"):
                monkeypatch.delenv(nombre)
        monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # ni los pip.conf de esta máquina
        monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{servidor.server_port}/simple/")
        monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        monkeypatch.setenv("PIP_RETRIES", "0")
        monkeypatch.setenv("PIP_TIMEOUT", "5")
        for nombre in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            monkeypatch.setenv(nombre, proxy_cerrado)
            monkeypatch.setenv(nombre.lower(), proxy_cerrado)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        yield


@pytest.fixture(scope="session")
def carpeta_de_ruedas(tmp_path_factory):
    """saludos-1.0 y saludos-2.0, construidas una vez por sesión (apoyo_ruedas.py)."""
    carpeta = tmp_path_factory.mktemp("ruedas")
    ruedas.ruedas_de_saludos(carpeta)
    return carpeta


@pytest.fixture(scope="session")
def de_referencia(tmp_path_factory, carpeta_de_ruedas):
    """Entornos hechos por las pruebas: «vacio», «1.0» y «2.0» (saludos descomprimido a mano)."""
    base = tmp_path_factory.mktemp("referencia")
    hechos = {}
    for nombre in ("vacio", "1.0", "2.0"):
        entorno = base / f"entorno_{nombre}"
        venv.create(entorno, with_pip=False, symlinks=True)
        if nombre != "vacio":
            rueda = carpeta_de_ruedas / f"saludos-{nombre}-py3-none-any.whl"
            ruedas.instalar_a_mano(rueda, entorno)
        hechos[nombre] = entorno
    return hechos


# La sonda: en este entorno, `importlib.metadata` es de mentira. Contesta 7.7.7 a cualquier
# paquete y apunta en ENTORNO/preguntas.txt, tal cual, cada nombre por el que le preguntan.
# Así las pruebas saben qué le llegó al otro lado, sin mirar tu código.
SONDA = """
import os, sys, types

def _apuntar(nombre):
    with open(os.path.join(sys.prefix, "preguntas.txt"), "a", encoding="utf-8") as f:
        f.write(repr(nombre) + "\\n")

class PackageNotFoundError(ModuleNotFoundError):
    pass

class _Distribucion:
    def __init__(self, nombre):
        self.name, self.version = nombre, "7.7.7"
        self.metadata = {"Name": nombre, "Version": "7.7.7"}

def version(nombre):
    _apuntar(nombre)
    return "7.7.7"

def distribution(nombre):
    _apuntar(nombre)
    return _Distribucion(nombre)

def metadata(nombre):
    return distribution(nombre).metadata

_sonda = types.ModuleType("importlib.metadata", "importlib.metadata de la sonda del taller")
for _nombre in ("PackageNotFoundError", "version", "distribution", "metadata"):
    setattr(_sonda, _nombre, globals()[_nombre])
import importlib
sys.modules["importlib.metadata"] = importlib.metadata = _sonda
"""


@pytest.fixture(scope="module")
def entorno_sonda(tmp_path_factory):
    """Un venv (hecho por las pruebas) cuyo importlib.metadata es la sonda de arriba."""
    entorno = tmp_path_factory.mktemp("sonda") / "entorno"
    venv.create(entorno, with_pip=False, symlinks=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    paquetes = entorno / "lib" / version / "site-packages"
    (paquetes / "_sonda_del_taller.py").write_text(SONDA, encoding="utf-8")
    (paquetes / "_sonda_del_taller.pth").write_text("import _sonda_del_taller\n", encoding="utf-8")
    return entorno


def preguntas_a_la_sonda(entorno):
    """Los nombres que recibió la sonda, en orden (y la borra, para la siguiente vez)."""
    fichero = Path(entorno) / "preguntas.txt"
    if not fichero.exists():
        return []
    lineas = fichero.read_text(encoding="utf-8").splitlines()
    fichero.unlink()
    return [ast.literal_eval(linea) for linea in lineas]


def saludos_aqui():
    """¿Tiene saludos el Python que ejecuta las pruebas? (Se mira aquí mismo: es rápido.)"""
    importlib.invalidate_caches()
    try:
        importlib.metadata.distribution("saludos")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.fixture(scope="module", autouse=True)
def interprete_actual_intacto():
    """Red de seguridad: si un `instalar` equivocado metió saludos en el Python que ejecuta
    las pruebas (el del taller), se desinstala al acabar."""
    yield
    if saludos_aqui():
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", "saludos"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=LIMITE,
            check=False,
        )


# Las cuatro llamadas a TU instalar (pip tarda casi un segundo cada vez) se hacen de dos en
# dos, a la vez, la primera vez que una prueba las necesita; cada prueba mira después lo suyo
# (su entorno, o el error que dio). Nunca van a la vez dos que sí instalan: si a instalar le
# falta --python, las dos irían al mismo Python (el de las pruebas) y se pisarían.
INSTALACIONES = {  # clave → lo que se le pide a instalar
    "1.0": "saludos==1.0",
    # No hay rueda >= 3.0. Y el «>» delata un shell: lo tomaría por una redirección (crearía
    # el fichero «=3.0» en la carpeta actual) y pip recibiría solo «saludos» (instalaría la 2.0).
    "3.0": "saludos>=3.0",
    "2.0": "saludos==2.0",
    "no_existe": "paquete_que_no_existe",
}
TANDAS = (("1.0", "3.0"), ("2.0", "no_existe"))


def instalar_en_uno_nuevo(clave, base, carpeta_de_ruedas):
    """Un entorno nuevo con lo de INSTALACIONES[clave] instalado por tu código."""
    requisito = INSTALACIONES[clave]
    # Una carpeta nueva en cada intento: si uno falló a medias, no estorba al siguiente.
    ruta = Path(tempfile.mkdtemp(prefix=f"instalar_{clave}_", dir=base)) / "entorno"
    if clave in ("1.0", "2.0"):
        entorno = llamar(entornos.crear_entorno, ruta, que=f"crear_entorno({ruta})")
        if clave == "2.0":  # cambiar de versión: este entorno ya tenía la 1.0
            ruedas.instalar_a_mano(carpeta_de_ruedas / "saludos-1.0-py3-none-any.whl", ruta)
    else:  # el entorno lo hace la prueba: aquí solo se mira el error de instalar
        venv.create(ruta, with_pip=False, symlinks=True)
        entorno = ruta
    llamar(
        entornos.instalar,
        entorno,
        requisito,
        carpeta_de_ruedas,
        que=f"instalar(entorno, {requisito!r}, carpeta_de_ruedas)",
    )
    return Path(entorno)


# Un pip (y un python) de mentira, los primeros del PATH mientras corren las instalaciones:
# apuntan que alguien los llamó y fallan. El pip bueno es el del intérprete actual
# (sys.executable -m pip), que no se busca en el PATH.
PIP_DEL_PATH = """#!/bin/sh
echo "$0 $*" >> "{marca}"
echo "pip del PATH: este no es el pip del intérprete actual" >&2
exit 1
"""


@pytest.fixture(scope="module")
def pip_del_path(base_mia):
    carpeta = base_mia / "pip_del_path"
    carpeta.mkdir()
    marca = carpeta / "llamadas.txt"
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for nombre in ("pip", "pip3", f"pip{version}", "python", "python3", f"python{version}"):
        falso = carpeta / nombre
        falso.write_text(PIP_DEL_PATH.format(marca=marca), encoding="utf-8")
        falso.chmod(0o755)
    return carpeta, marca


@pytest.fixture(scope="module")
def instalaciones(sin_red, base_mia, carpeta_de_ruedas, pip_del_path):
    hechas = {}
    carpeta, _ = pip_del_path
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PATH", f"{carpeta}{os.pathsep}{os.environ.get('PATH', '')}")
        monkeypatch.chdir(base_mia)  # si un shell redirige algo a un fichero, que caiga aquí
        for tanda in TANDAS:
            tareas = {
                clave: functools.partial(instalar_en_uno_nuevo, clave, base_mia, carpeta_de_ruedas)
                for clave in tanda
            }
            hechas |= a_la_vez(tareas, 3 * LIMITE)  # cada una va con su límite (llamar)
    return hechas


def instalado(instalaciones, clave, pip_del_path):
    """El entorno que llenó tu código para `clave`, o el error que dio, relanzado aquí."""
    __tracebackhide__ = True
    _, marca = pip_del_path
    if marca.exists():
        llamadas = marca.read_text(encoding="utf-8").strip().splitlines()
        pytest.fail(
            f"instalar ejecutó un pip (o un python) buscado en el PATH: «{llamadas[0]}». Ese "
            "es el primero que encuentra el sistema, de cualquier Python (o ninguno). Usa el "
            "pip del intérprete actual: [sys.executable, '-m', 'pip', '--python', ...].",
            pytrace=False,
        )
    return lo_que_dio(instalaciones, clave, f"instalar {INSTALACIONES[clave]!r}")


@pytest.fixture(scope="session")
def base_mia(tmp_path_factory):
    return tmp_path_factory.mktemp("mios")


def error_de_entorno():
    """Como pytest.raises(ErrorDeEntorno), pero si se escapa otra excepción lo dice en español."""
    return lanzando(
        entornos.ErrorDeEntorno,
        que="Tu función",
        por_que=(
            "Captura el error de la biblioteca (OSError, subprocess.CalledProcessError...) y "
            "lanza en su lugar ErrorDeEntorno con un mensaje en español que nombre el valor."
        ),
    )


def afirmar_error_que_nombra(error, valor):
    assert str(valor) in str(error.value), (
        f"El mensaje de error debería nombrar {str(valor)!r} para que se sepa qué está mal; "
        f"dice: «{error.value}»"
    )


# --- Paso 4: crear_entorno (cuaderno: 6) ------------------------------------------------------


def test_crear_entorno_crea_un_venv_con_su_python(tmp_path):
    ruta = tmp_path / "entorno"
    devuelto = llamar(entornos.crear_entorno, str(ruta), que="crear_entorno(ruta)")
    assert isinstance(devuelto, Path) and devuelto == ruta, (
        f"crear_entorno debería devolver la ruta del entorno como un Path ({ruta!r}); devolvió "
        f"{devuelto!r}"
    )
    assert (ruta / "pyvenv.cfg").is_file(), "Un venv tiene un pyvenv.cfg en su carpeta"
    assert python_de(ruta).exists(), "Un venv tiene su propio bin/python"
    prefijo = preguntar(python_de(ruta), "import sys; print(sys.prefix)").stdout.strip()
    assert Path(prefijo) == ruta, (
        f"El python del entorno debería tener sys.prefix == {ruta}; tiene {prefijo!r}"
    )


def test_crear_entorno_con_una_ruta_relativa_devuelve_la_absoluta(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    devuelto = llamar(entornos.crear_entorno, "relativo", que="crear_entorno('relativo')")
    monkeypatch.chdir(tmp_path.parent)  # quien la use después puede estar en otra carpeta
    assert isinstance(devuelto, Path) and devuelto.is_absolute(), (
        "crear_entorno('relativo') debería devolver la ruta absoluta del entorno (Path(ruta)"
        f".absolute()): una relativa deja de valer en cuanto se cambia de carpeta; devolvió "
        f"{devuelto!r}"
    )
    assert devuelto == tmp_path / "relativo", (
        f"crear_entorno('relativo') en {tmp_path} debería devolver {tmp_path / 'relativo'}; "
        f"devolvió {devuelto}"
    )


def test_crear_entorno_no_mete_pip_dentro(tmp_path):
    ruta = tmp_path / "entorno"
    llamar(entornos.crear_entorno, ruta, que="crear_entorno(ruta)")
    pip = preguntar(
        python_de(ruta), "import importlib.util; print(importlib.util.find_spec('pip'))"
    )
    assert pip.stdout.strip() == "None", (
        "El entorno tiene pip dentro: venv.create(..., with_pip=True) tarda segundos por "
        "entorno. Créalo con with_pip=False; para instalar usaremos el pip de fuera "
        "apuntado al entorno (pip --python)."
    )


def test_crear_entorno_acepta_una_carpeta_vacia_que_ya_existe(tmp_path):
    ruta = tmp_path / "vacia"
    ruta.mkdir()
    sin_error_de_entorno(
        lambda: llamar(entornos.crear_entorno, ruta, que="crear_entorno(carpeta vacía)"),
        lambda error: (
            f"crear_entorno({ruta}) lanzó ErrorDeEntorno («{error}»), y esa carpeta existe pero "
            "está VACÍA: ahí sí se puede crear (no pisa nada). Rechaza solo una ruta que existe "
            "y no es una carpeta vacía: not ruta.is_dir() or any(ruta.iterdir())."
        ),
    )
    assert (ruta / "pyvenv.cfg").is_file(), "En una carpeta vacía sí se puede crear el entorno"


def test_crear_entorno_no_pisa_una_carpeta_con_cosas(tmp_path):
    ruta = tmp_path / "proyecto"
    ruta.mkdir()
    (ruta / "importante.txt").write_text("no me borres")
    with error_de_entorno() as error:
        llamar(entornos.crear_entorno, ruta, que="crear_entorno(carpeta con cosas)")
        pytest.fail(
            f"crear_entorno({ruta}) no lanzó ErrorDeEntorno, y esa carpeta ya tenía ficheros: "
            "un entorno no debe crearse encima de otra cosa"
        )
    afirmar_error_que_nombra(error, ruta)
    assert not (ruta / "pyvenv.cfg").exists(), "Tras el error no debería quedar un venv a medias"
    assert (ruta / "importante.txt").exists(), (
        "crear_entorno borró importante.txt, un fichero que ya estaba en la carpeta: ante una "
        "carpeta con cosas, lanza el error sin tocar nada"
    )


def test_crear_entorno_no_pisa_un_fichero_que_ya_existe(tmp_path):
    fichero = tmp_path / "notas.txt"
    fichero.write_text("no me borres")
    with lanzando(
        entornos.ErrorDeEntorno,
        que=f"crear_entorno({fichero})",
        por_que=(
            "Esa ruta ya existe y es un FICHERO: ruta.iterdir() sobre un fichero lanza "
            "NotADirectoryError. Antes de mirar qué hay dentro, comprueba si es una carpeta: "
            "si existe y (not ruta.is_dir() or any(ruta.iterdir())), ErrorDeEntorno."
        ),
    ) as error:
        llamar(entornos.crear_entorno, fichero, que="crear_entorno(un fichero)")
        pytest.fail(
            f"crear_entorno({fichero}) no lanzó ErrorDeEntorno, y esa ruta ya es un fichero: "
            "un entorno no debe crearse encima de otra cosa"
        )
    afirmar_error_que_nombra(error, fichero)
    assert fichero.read_text() == "no me borres", f"crear_entorno cambió {fichero}"


def test_crear_entorno_en_una_ruta_imposible_da_un_error_claro(tmp_path):
    fichero = tmp_path / "un_fichero"
    fichero.write_text("")
    ruta = fichero / "entorno"  # dentro de un fichero: imposible
    with error_de_entorno() as error:
        llamar(entornos.crear_entorno, ruta, que="crear_entorno(ruta imposible)")
        pytest.fail(f"crear_entorno({ruta}) debería lanzar ErrorDeEntorno")
    afirmar_error_que_nombra(error, ruta)


# --- Paso 5: interprete_de (cuaderno: 6) ------------------------------------------------------


def test_interprete_de_devuelve_el_python_del_entorno(entorno):
    python = entornos.interprete_de(entorno)
    assert Path(python) == python_de(entorno), f"Se esperaba {python_de(entorno)}; llegó {python!r}"


def test_interprete_de_rechaza_una_carpeta_que_no_es_un_venv(tmp_path):
    # Tiene bin/python, como /usr... pero no pyvenv.cfg: no es un entorno virtual.
    impostor = tmp_path / "usr"
    (impostor / "bin").mkdir(parents=True)
    (impostor / "bin" / "python").symlink_to(sys.executable)
    with error_de_entorno() as error:
        entornos.interprete_de(impostor)
        pytest.fail(
            f"interprete_de({impostor}) aceptó una carpeta sin pyvenv.cfg: así se acaba "
            "instalando en el Python del sistema (/usr también tiene bin/python)"
        )
    afirmar_error_que_nombra(error, impostor)


def test_interprete_de_rechaza_una_ruta_que_no_existe(tmp_path):
    with error_de_entorno() as error:
        entornos.interprete_de(tmp_path / "no_existe")
        pytest.fail(f"interprete_de({tmp_path / 'no_existe'}) no lanzó ErrorDeEntorno: no existe")
    afirmar_error_que_nombra(error, tmp_path / "no_existe")


# --- Paso 6: ejecutar_en (cuaderno: 6) --------------------------------------------------------


def test_ejecutar_en_usa_el_python_del_entorno(entorno):
    salida = llamar(
        entornos.ejecutar_en,
        entorno,
        "import sys; print(sys.prefix)",
        que="ejecutar_en(entorno, codigo)",
    )
    if not str(salida or "").strip():
        causa = (
            "No imprimió nada: ¿le pasas el código con -c? Sin él, python lo toma por el "
            'nombre de un programa o espera el código por la entrada: [python, "-c", codigo].'
        )
    else:
        causa = "¿Usas sys.executable, que es el python que ejecuta las pruebas?"
    assert Path(str(salida).strip()) == entorno, (
        f"El código debería ejecutarse con el python del entorno (sys.prefix == "
        f"{entorno}); contestó {salida!r}. {causa}"
    )


def test_ejecutar_en_devuelve_todo_lo_que_imprime_el_codigo_tal_cual(entorno):
    codigo = 'print("it\'s")\nprint(\'dos "comillas"\')\nprint(6 * 7)'
    salida = salida_de_un_codigo_correcto(
        entorno, codigo, "un código de tres líneas con comillas", UN_SOLO_ARGUMENTO
    )
    esperado = 'it\'s\ndos "comillas"\n42\n'
    if isinstance(salida, str) and salida != esperado and salida.strip() == esperado.strip():
        causa = (
            "Solo cambian los espacios o saltos de línea de los extremos: devuelve la salida "
            "TAL CUAL (sin strip()); quien la use ya decidirá qué hacer con ellos."
        )
    else:
        causa = UN_SOLO_ARGUMENTO
    assert salida == esperado, f"Se esperaba la salida {esperado!r}; llegó {salida!r}. {causa}"


def test_ejecutar_en_pasa_los_argumentos_en_sys_argv(entorno):
    codigo = "import sys; print(ascii(sys.argv[1:]))"
    argumentos = ["a b", "c;d", "it's", 'dos "comillas"', "$(whoami)", "línea\nnueva", "-x", ""]
    salida = ejecutar_en_el_entorno(entorno, codigo, *argumentos)
    assert str(salida).strip() == ascii(argumentos), (
        f"Los argumentos deberían llegar tal cual, uno a uno, en sys.argv[1:]: "
        f"{ascii(argumentos)}; llegó {salida!r}"
    )


def test_ejecutar_en_convierte_un_error_del_codigo_en_errordeentorno(entorno):
    error = lanza_error_de_entorno_con(
        entorno,
        "1 / 0",
        "mira el código de salida del proceso (returncode), un error no debe pasar en silencio",
    )
    assert "ZeroDivisionError" in str(error.value), (
        f"El mensaje debería contar qué falló (ZeroDivisionError); dice: «{error.value}»"
    )


def test_ejecutar_en_mira_el_codigo_de_salida_y_no_si_hay_algo_en_stderr(entorno):
    aviso = "import sys; sys.stderr.write('aviso: esto no es un error\\n'); print('hecho')"
    salida = salida_de_un_codigo_correcto(
        entorno,
        aviso,
        "un código que escribe un aviso en stderr y acaba bien (código de salida 0)",
        EL_CODIGO_DE_SALIDA,
    )
    assert salida == "hecho\n", f"Se esperaba la salida 'hecho\\n'; llegó {salida!r}"
    lanza_error_de_entorno_con(
        entorno,
        "raise SystemExit(3)",
        f"el código acabó con código de salida 3 sin escribir nada en stderr. {EL_CODIGO_DE_SALIDA}",
    )


def test_ejecutar_en_rechaza_lo_que_no_es_un_entorno(tmp_path):
    with error_de_entorno() as error:
        llamar(entornos.ejecutar_en, tmp_path, "print(1)", que="ejecutar_en")
        pytest.fail(
            f"ejecutar_en({tmp_path}, ...) no lanzó ErrorDeEntorno, y esa carpeta no es un "
            "entorno (no tiene pyvenv.cfg ni bin/python): usa interprete_de"
        )
    afirmar_error_que_nombra(error, tmp_path)


def test_el_mismo_programa_funciona_con_saludos_1_0_y_se_rompe_con_2_0(de_referencia):
    salida = llamar(
        entornos.ejecutar_en, de_referencia["1.0"], PROGRAMA_PARA_LA_1_0, que="ejecutar_en"
    )
    assert str(salida).strip() == "HOLA", f"Con saludos 1.0 debería imprimir HOLA; dio {salida!r}"
    with error_de_entorno() as error:
        llamar(entornos.ejecutar_en, de_referencia["2.0"], PROGRAMA_PARA_LA_1_0, que="ejecutar_en")
        pytest.fail("Con saludos 2.0, saludar() sin nombre debería fallar (ErrorDeEntorno)")
    assert "TypeError" in str(error.value), (
        f"El error debería contar el TypeError de saludar(); dice: «{error.value}»"
    )


# --- Paso 7: instalar (cuaderno: 7) -----------------------------------------------------------


def test_instalar_pone_la_version_pedida_en_el_entorno(instalaciones, pip_del_path):
    entorno = instalado(instalaciones, "1.0", pip_del_path)
    version = saludos_segun(python_de(entorno))
    assert version == "1.0", (
        f"Tras instalar saludos==1.0, el python del entorno debería ver saludos 1.0; ve "
        f"{version!r}. ¿Instalas con el pip de fuera pero sin «--python» apuntando al entorno?"
    )


def test_instalar_no_toca_el_python_que_ejecuta_las_pruebas(instalaciones, pip_del_path):
    instalado(instalaciones, "1.0", pip_del_path)
    assert not saludos_aqui(), (
        f"saludos ha acabado instalado en {sys.executable}, el Python que ejecuta las pruebas "
        "(se desinstalará al acabar). `sys.executable -m pip install` instala en el intérprete "
        "actual: añade --python con el python del entorno."
    )


def test_instalar_no_pregunta_a_ningun_indice(instalaciones, pip_del_path, indice_espia):
    instalado(instalaciones, "1.0", pip_del_path)
    servidor, _ = indice_espia
    assert servidor.peticiones == [], (
        f"pip le preguntó a un índice de paquetes (PyPI): {servidor.peticiones}. Sin red, "
        "instala solo desde la carpeta: --no-index --find-links CARPETA"
    )


def test_dos_entornos_tienen_dos_versiones_a_la_vez(instalaciones, pip_del_path):
    uno = instalado(instalaciones, "1.0", pip_del_path)
    dos = instalado(instalaciones, "2.0", pip_del_path)
    versiones = (saludos_segun(python_de(uno)), saludos_segun(python_de(dos)))
    assert versiones == ("1.0", "2.0"), (
        f"Cada entorno debería tener su versión, ('1.0', '2.0'); tienen {versiones}. El "
        "segundo ya tenía saludos 1.0 (lo puso la prueba) y se le pidió saludos==2.0: pip "
        "--python ENTORNO/bin/python la sustituye. ¿Instalas con --target en una carpeta "
        "site-packages escrita a mano? --target no mira lo que ya hay (ni quita la versión "
        "vieja) y la ruta solo vale para una versión de Python."
    )
    saludos = [preguntar(python_de(e), PROGRAMA_PARA_LA_1_0) for e in (uno, dos)]
    assert saludos[0].stdout.strip() == "HOLA" and "TypeError" in saludos[1].stderr, (
        "El programa escrito para la 1.0 debería funcionar en el primero y romperse en el segundo"
    )


def test_instalar_una_version_que_no_esta_en_la_carpeta_da_error_claro(
    instalaciones, pip_del_path, base_mia
):
    with error_de_entorno() as error:
        instalado(instalaciones, "3.0", pip_del_path)
        if (base_mia / "=3.0").exists():
            pytest.fail(
                "instalar(entorno, 'saludos>=3.0', ...) pasó por un shell: el «>» se tomó por "
                "una redirección (apareció un fichero «=3.0» en la carpeta actual) y pip recibió "
                "solo «saludos». Un requisito (o una ruta con espacios) no se pega en un texto "
                "para el shell: pasa la orden como una lista, sin shell=True.",
                pytrace=False,
            )
        pytest.fail(
            "instalar de saludos>=3.0 (no hay esa rueda) no lanzó ErrorDeEntorno: mira el "
            "código de salida de pip"
        )
    afirmar_error_que_nombra(error, "saludos>=3.0")


def test_instalar_un_paquete_que_no_esta_en_la_carpeta_da_error_claro(instalaciones, pip_del_path):
    with error_de_entorno() as error:
        instalado(instalaciones, "no_existe", pip_del_path)
        pytest.fail(
            "instalar de paquete_que_no_existe (no hay ninguna rueda suya) no lanzó "
            "ErrorDeEntorno: mira el código de salida de pip"
        )
    afirmar_error_que_nombra(error, "paquete_que_no_existe")


def test_instalar_desde_una_carpeta_que_no_existe_lo_dice(tmp_path, entorno):
    origen = tmp_path / "no_hay_ruedas_aqui"
    with error_de_entorno() as error:
        llamar(entornos.instalar, entorno, "saludos", origen, que="instalar(...)")
        pytest.fail(f"instalar desde {origen}, que no existe, no lanzó ErrorDeEntorno")
    afirmar_error_que_nombra(error, origen)


def test_instalar_en_algo_que_no_es_un_entorno_no_instala_nada(tmp_path, carpeta_de_ruedas):
    # Como /usr: tiene bin/python, pero no pyvenv.cfg. `pip --python CARPETA` buscaría ese
    # bin/python y, con uno de verdad, instalaría en el Python del sistema. Este, de mentira,
    # apunta si alguien lo llamó y falla.
    carpeta = tmp_path / "no_es_un_venv"
    (carpeta / "bin").mkdir(parents=True)
    marca = tmp_path / "llamadas.txt"
    python_falso = carpeta / "bin" / "python"
    python_falso.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marca}"\nexit 1\n', encoding="utf-8")
    python_falso.chmod(0o755)
    with error_de_entorno() as error:
        llamar(entornos.instalar, carpeta, "saludos", carpeta_de_ruedas, que="instalar(...)")
        pytest.fail(
            f"instalar en {carpeta} no lanzó ErrorDeEntorno, y esa carpeta no es un entorno: "
            "comprueba el entorno con interprete_de antes de llamar a pip"
        )
    afirmar_error_que_nombra(error, carpeta)
    assert not marca.exists(), (
        f"instalar llamó a pip con {carpeta}, que no es un entorno (tiene bin/python pero no "
        "pyvenv.cfg, como /usr): pip ejecutó su bin/python. Comprueba antes el entorno con "
        "interprete_de y pasa a pip --python el python que devuelve."
    )
    assert not saludos_aqui(), (
        f"saludos está instalado en {sys.executable}, el Python que ejecuta las pruebas: algún "
        "instalar lo puso ahí (¿falta --python?). Se desinstalará al acabar."
    )


# --- Paso 8: version_instalada (cuaderno: 7, 6) -----------------------------------------------


def si_pregunto_aqui(error):
    """Si version_instalada preguntó a importlib.metadata de este proceso, lo dice y falla."""
    if type(error).__name__ == "PackageNotFoundError":
        pytest.fail(
            "version_instalada lanzó PackageNotFoundError: preguntaste a importlib.metadata "
            "del Python que ejecuta las pruebas, no al del entorno. Pregúntale al python del "
            "entorno (ejecutar_en) y, si no tiene el paquete, lanza ErrorDeEntorno.",
            pytrace=False,
        )


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_version_instalada_pregunta_al_python_del_entorno(de_referencia, version):
    try:
        obtenida = llamar(
            entornos.version_instalada,
            de_referencia[version],
            "saludos",
            que="version_instalada(entorno, 'saludos')",
        )
    except Exception as error:
        si_pregunto_aqui(error)
        if isinstance(error, entornos.ErrorDeEntorno):
            pytest.fail(
                f"version_instalada(entorno, 'saludos') lanzó ErrorDeEntorno («{error}»), y "
                f"saludos {version} SÍ está instalado en ese entorno (lo instaló la prueba). "
                "¿Preguntas al Python que ejecuta las pruebas en vez de al del entorno, o lees "
                "saludos.__version__ (que no todos los paquetes tienen)? Pregúntale al python "
                "del entorno con importlib.metadata.version (ejecutar_en).",
                pytrace=False,
            )
        raise
    assert obtenida == version, (
        f"El entorno tiene saludos {version}; version_instalada devolvió {obtenida!r}"
    )


def test_version_instalada_de_un_paquete_que_no_esta_da_error_claro(de_referencia):
    try:
        llamar(entornos.version_instalada, de_referencia["vacio"], "saludos", que="version")
    except Exception as error:  # noqa: BLE001 - solo se busca PackageNotFoundError
        si_pregunto_aqui(error)
    with error_de_entorno() as error:
        llamar(entornos.version_instalada, de_referencia["vacio"], "saludos", que="version")
        pytest.fail("El entorno vacío no tiene saludos: debería lanzar ErrorDeEntorno")
    afirmar_error_que_nombra(error, "saludos")


def test_version_instalada_no_mira_los_paquetes_de_fuera(de_referencia):
    # pip y pytest están en el Python que ejecuta las pruebas, pero no en el entorno vacío.
    for paquete in ("pip", "pytest"):
        with error_de_entorno():
            llamar(entornos.version_instalada, de_referencia["vacio"], paquete, que="version")
            pytest.fail(
                f"version_instalada(entorno vacío, {paquete!r}) encontró {paquete}: está "
                "mirando el Python de fuera, no el del entorno"
            )


def test_version_instalada_rechaza_lo_que_no_es_un_entorno(tmp_path):
    with error_de_entorno() as error:
        llamar(entornos.version_instalada, tmp_path, "saludos", que="version_instalada")
        pytest.fail(
            f"version_instalada({tmp_path}, 'saludos') no lanzó ErrorDeEntorno: no es un entorno"
        )
    afirmar_error_que_nombra(error, tmp_path)


# Cualquier texto, sin el carácter nulo (que no puede ir en un argumento de un programa).
NOMBRES = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20)


# Cada ejemplo arranca un python: pocos al azar, y los casos que importan, siempre.
@un_argumento(
    "nombre",
    NOMBRES,
    "saludos')); print(('7.7.7",
    'dos "comillas"',
    "saludos; import os",
    "__import__('os').system('echo ¡esto se ejecuta!')",
    "una línea\nprint('otra')",
    "ñandú-€",
    "-c",
    "$(whoami) `id`",
    ejemplos=6,
)
def test_propiedad_version_instalada_pasa_el_nombre_como_dato(entorno_sonda, nombre):
    preguntas_a_la_sonda(entorno_sonda)  # por si quedó algo de otra vez
    try:
        version = llamar(
            entornos.version_instalada,
            entorno_sonda,
            nombre,
            que=f"version_instalada(entorno, {nombre!r})",
        )
        paso = f"devolvió {version!r}"
    except entornos.ErrorDeEntorno as error:
        version, paso = None, f"lanzó ErrorDeEntorno: «{error}»"
    recibidos = preguntas_a_la_sonda(entorno_sonda)
    assert recibidos == [nombre] and version == "7.7.7", (
        f"Propiedad rota: el nombre del paquete viaja como DATO, en un argumento (sys.argv[1]), "
        f"sea cual sea. Se pidió la "
        f"versión de {nombre!r}; el python del entorno (una sonda que contesta 7.7.7 a todo) "
        f"recibió {recibidos!r} y version_instalada {paso}. ¿Pegas el nombre dentro del "
        "código (-c)? Unas comillas, un «;» o un salto de línea lo convierten en código, que "
        "se rompe o, peor, se ejecuta. Pásalo aparte, como argumento: "
        "ejecutar_en(entorno, codigo, paquete), y en el código, sys.argv[1]."
    )
