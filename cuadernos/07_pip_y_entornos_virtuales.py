# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="m07-00"
# # Módulo 07 — pip y entornos virtuales
#
# **Al acabar este cuaderno sabrás:**
#
# - qué hace `pip`, dónde deja lo que instala y por qué conviene escribir `python -m pip`;
# - por qué chocan las versiones: cinco programas, cinco versiones de una misma biblioteca;
# - qué cambió de Python 2 a Python 3 (`print "HOLA"` → `print("HOLA")`) y cómo encontrar, con
#   la biblioteca estándar, las líneas de un programa viejo que hay que tocar;
# - qué es una rueda (*wheel*) por dentro;
# - crear un entorno virtual, activarlo y desactivarlo, y saber qué hay dentro (`pyvenv.cfg`,
#   `bin/`, `site-packages`) y qué `python` y qué `pip` estás usando;
# - instalar **sin red** desde una carpeta, congelar versiones (`pip freeze`,
#   `requirements.txt`) y declarar dependencias en un `pyproject.toml`.
#
# La historia sigue: el monitor de los **200 servidores web** usa bibliotecas hechas por otros
# (`requests`, desde el módulo 02). Los apuntes del curso lo resumen así:
#
# ```
# # pip
# Instalar librerias creadas por otros
# Problema al usar pip e instalar librerias creadas por otros:
# - Versiones
# Si tengo 5 programas y cada uno requiere de una versión de la libreria
# ```
#
# Todo lo de este cuaderno funciona **sin red**: fabricaremos nuestro propio paquete, en dos
# versiones, y lo instalaremos desde una carpeta. Lo que creemos irá a una carpeta temporal que
# borramos al final.

# %% id="m07-01"
import io
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

TALLER07 = Path(tempfile.mkdtemp(prefix="taller07-"))  # todo lo de este cuaderno va aquí
print(TALLER07)

# %% [markdown] id="m07-02"
# ## 1. pip: bibliotecas hechas por otros
#
# `pip install requests` hace, en esencia, tres cosas: busca `requests` en un **índice** de
# paquetes (PyPI, <https://pypi.org>), descarga el fichero que le conviene (una **rueda**, `.whl`)
# y lo descomprime en la carpeta **`site-packages`** del intérprete de Python que está
# ejecutando pip. Esa última parte es la importante: pip instala *para un Python concreto*.
#
# ¿Qué Python está ejecutando este cuaderno, y dónde guarda sus bibliotecas?

# %% id="m07-03"
import site

print("este python:    ", sys.executable)
print("sys.prefix:     ", sys.prefix)
print("sys.base_prefix:", sys.base_prefix)
print("site-packages:  ", site.getsitepackages())

# %% [markdown] id="m07-04"
# `sys.prefix` es la carpeta del entorno en el que estás; `sys.base_prefix`, la del Python
# instalado de verdad. Si son distintas, **estás dentro de un entorno virtual** (si abriste el
# taller con `make lab`, estás en uno: `.venv`). Dentro de un momento veremos qué es eso.
#
# ¿Y qué pip es el nuestro? En un terminal se pregunta con `python -m pip --version`: así el
# pip es *el de ese python*. La orden `pip` a secas es el primer `pip` que aparezca en el
# `PATH`, que puede pertenecer a otro Python distinto del que crees. Desde aquí, el pip de este
# cuaderno es un paquete más de su `site-packages`:

# %% id="m07-05"
import pip as paquete_pip

print("pip", paquete_pip.__version__, "está en", Path(paquete_pip.__file__).parent)

# %% id="m07-06"
import importlib.metadata

import requests

print("requests", importlib.metadata.version("requests"), "está en", Path(requests.__file__).parent)

# %% [markdown] id="m07-07"
# `importlib.metadata.version("requests")` no importa nada: lee los **metadatos** que pip dejó
# al instalar (una carpeta `requests-X.Y.Z.dist-info` al lado del paquete). Es la forma fiable
# de saber qué versión hay; `requests.__version__` existe en este caso, pero no todos los
# paquetes lo tienen.
#
# ## 2. El problema: versiones
#
# En un `site-packages` solo cabe **una** versión de cada biblioteca. Si cinco programas
# comparten el mismo Python y cada uno necesita una versión distinta de la misma biblioteca,
# alguno se queda sin la suya:

# %% id="m07-08"
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch


def caja(ax, x, y, texto, color, ancho=1.7, alto=0.75):
    ax.add_patch(FancyBboxPatch((x - ancho / 2, y - alto / 2), ancho, alto,
                                boxstyle="round,pad=0.05", fc=color, ec="#333"))
    ax.text(x, y, texto, ha="center", va="center", fontsize=9)


def flecha(ax, desde, hasta, color):
    ax.annotate("", xy=hasta, xytext=desde, arrowprops=dict(arrowstyle="->", color=color, lw=1.5))


necesitan = ["1.0", "2.0", "1.0", "1.0", "2.0"]
figura, (compartido, separados) = plt.subplots(1, 2, figsize=(13, 4.2))
for ax, titulo in ((compartido, "Un solo site-packages: una sola versión"),
                   (separados, "Un entorno virtual por programa")):
    ax.set_xlim(-0.3, 10.3)
    ax.set_ylim(-0.7, 3.2)
    ax.axis("off")
    ax.set_title(titulo)
caja(compartido, 5, -0.1, "site-packages\nsaludos 2.0", "#f6d5d5", ancho=3)
for i, version in enumerate(necesitan):
    x = 1 + 2 * i
    for ax in (compartido, separados):
        caja(ax, x, 2.6, f"programa {i + 1}\nnecesita {version}", "#dde3f5")
    le_vale = version == "2.0"
    flecha(compartido, (x, 2.2), (5, 0.3), "green" if le_vale else "red")
    if not le_vale:
        compartido.text(x + (5 - x) * 0.45, 1.45, "×", color="red", fontsize=18, ha="center")
    caja(separados, x, 0.3, f"venv {i + 1}\nsaludos {version}", "#d5f0d5")
    flecha(separados, (x, 2.2), (x, 0.7), "green")
plt.tight_layout()
plt.show()

# %% [markdown] id="m07-09"
# Los apuntes ponen el ejemplo más famoso de versiones incompatibles: el propio Python.
#
# ## 3. Python 2 → 3: el cambio incompatible más famoso
#
# > Algunas funciones no se invocaban mediante el signo de paréntesis:
# > `print "HOLA"` → `print("HOLA")`
#
# Python 3 (2008) rompió **a propósito** parte de la sintaxis de Python 2 para arreglarla.
# Un programa de Python 2 no arranca en Python 3; durante años convivieron los dos, y cada
# programa necesitaba *su* Python. Estas son las sintaxis solo de Python 2 que vas a detectar:
#
# | Python 2 | Python 3 | |
# |---|---|---|
# | `print "HOLA"`, `print`, `print >>f, x` | `print("HOLA")`, `print()`, `print(x, file=f)` | `print` pasó a ser una función |
# | `exec "x = 1"` | `exec("x = 1")` | también `exec` |
# | `if a <> b:` | `if a != b:` | `<>` desapareció |
# | `except IOError, e:` | `except IOError as e:` | la coma era ambigua con `except (A, B):` |
# | `os.chmod(f, 0777)` | `os.chmod(f, 0o777)` | un octal necesita el prefijo `0o` |
# | `` `x` `` | `repr(x)` | las comillas invertidas desaparecieron |
#
# ¿Qué dice Python 3 de un programa viejo? `compile()` lo comprueba sin ejecutarlo:

# %% id="m07-10"
programa_viejo = """\
print "Comprobando servidores..."
caidos = 0
if caidos <> 0:
    print "Hay", caidos, "caídos"
"""

try:
    compile(programa_viejo, "viejo.py", "exec")
except SyntaxError as error:
    print(f"viejo.py, línea {error.lineno}: {error.msg}")
    print("   ", error.text.strip())

# %% [markdown] id="m07-11"
# Un `SyntaxError` nos da la línea... pero **solo la primera**: el compilador se para ahí. Con
# un programa de 2.000 líneas, arreglar y volver a compilar una vez por error es eterno.
#
# Para verlas todas de una pasada usamos el **lector** que usa el propio Python antes de
# compilar: el módulo `tokenize`, que trocea el código en *tokens* (palabras, números, textos,
# operadores...). Sabe qué es un comentario y qué es un texto entre comillas, y no se detiene
# ante una sintaxis que el compilador rechazaría:

# %% id="m07-12"
import tokenize


def ver_tokens(codigo):
    for token in tokenize.generate_tokens(io.StringIO(codigo).readline):
        print(f"línea {token.start[0]}  {tokenize.tok_name[token.type]:<10} {token.string!r}")


ver_tokens('print "HOLA"  # print "ADIOS"\ntotal = (1 +\n         2)\n')

# %% [markdown] id="m07-13"
# Fíjate en tres cosas:
#
# - el `print "ADIOS"` del comentario es un único token `COMMENT`: no hay peligro de confundirlo;
# - `NEWLINE` cierra una **línea lógica** (una sentencia); `NL` es un salto de línea que no
#   cierra nada, como el que hay dentro de los paréntesis de `total = (1 + 2)`;
# - cada token sabe en qué línea empieza (`token.start[0]`).
#
# Así que «un `print` de Python 2» es: una sentencia cuyo primer token es `print` y cuyo
# segundo token **no** es `(`. Las demás sintaxis también se reconocen mirando tokens:

# %% id="m07-14"
ver_tokens("if caidos <> 0: permisos = 0777\n")
print("Python", sys.version.split()[0])

# %% [markdown] id="m07-15"
# Un detalle de versiones: hasta Python 3.11, `tokenize` trocea `<>` en `<` y `>`, y `0777` en
# `0` y `777`; desde Python 3.12 los ve de una pieza. En el ejercicio tienes ya escrita una
# función, `unir_partidos`, que junta esos trozos para que tu detector funcione igual en todas
# las versiones.
#
# (Para portar programas de verdad existió la herramienta `2to3`, que reescribía el código; ya
# no viene con Python 3.13. Aquí solo queremos *encontrar* las líneas.)
#
# ## 4. Dos salidas
#
# Los apuntes lo dicen: el problema de tener versiones distintas de las bibliotecas en
# distintos programas tiene dos soluciones:
#
# - **Contenedores** (módulo 08): un entorno aislado dentro de Linux, con su propio sistema de
#   archivos, su red y sus variables de entorno. Aísla *todo*, incluso la versión de Python.
# - **Entornos virtuales** (este módulo): *«una carpeta donde tengo unas librerías asociadas a
#   ese entorno»*. Aísla las bibliotecas de Python, y es muy ligero: una carpeta.
#
# Para probarlo sin red necesitamos algo que instalar.
#
# ## 5. Un paquete inventado, en dos versiones
#
# `saludos` es nuestro paquete. En la 1.0, `saludar()` no lleva argumentos; en la 2.0 exige
# un nombre. Un programa escrito para la 1.0 se rompe con la 2.0: un cambio incompatible en
# pequeño, como `print` en Python 3.

# %% id="m07-16"
from taller.pruebas import apoyo_del_modulo

ruedas = apoyo_del_modulo("07", "ruedas")  # ejercicios/07/apoyo_ruedas.py

for version, codigo in ruedas.SALUDOS.items():
    print(f"----- saludos {version}: saludos/__init__.py -----")
    print(codigo)

# %% [markdown] id="m07-17"
# Un paquete se distribuye como una **rueda** (*wheel*, PEP 427): un fichero zip con un nombre
# muy concreto, `NOMBRE-VERSIÓN-PYTHON-ABI-PLATAFORMA.whl`. La nuestra es `py3-none-any`: vale
# para cualquier Python 3, no tiene código compilado, sirve en cualquier sistema.
#
# Normalmente la fabrica una herramienta (`python -m build`, o `pip wheel`), que descarga de PyPI
# lo que necesita para construir. Como trabajamos sin red, escribimos el zip a mano con
# `zipfile`: son unas decenas de líneas en `ejercicios/07/apoyo_ruedas.py` (un fichero de apoyo de las pruebas), por si te pica la curiosidad.

# %% id="m07-18"
RUEDAS = TALLER07 / "ruedas"
for version, codigo in ruedas.SALUDOS.items():
    ruedas.construir_rueda(RUEDAS, "saludos", version, {"saludos/__init__.py": codigo})

print(sorted(rueda.name for rueda in RUEDAS.iterdir()))

# %% id="m07-19"
with zipfile.ZipFile(RUEDAS / "saludos-1.0-py3-none-any.whl") as rueda:
    for nombre in rueda.namelist():
        print(nombre)
    print()
    print(rueda.read("saludos-1.0.dist-info/METADATA").decode())

# %% [markdown] id="m07-20"
# Dentro no hay magia: el código del paquete, tal cual irá a `site-packages`, y una carpeta
# `.dist-info` con los metadatos (`METADATA`: nombre y versión), el formato (`WHEEL`) y la lista
# de ficheros con su huella sha256 (`RECORD`, que pip usará para desinstalar).
#
# ## 6. Un entorno virtual
#
# En un terminal, un entorno se crea, se activa y se desactiva así:
#
# ```
# python3 -m venv entornos/app1          # crear (la carpeta entornos/app1)
# source entornos/app1/bin/activate      # activar: el prompt cambia a (app1)
# python -m pip install requests         # ahora «python» y «pip» son los del entorno
# deactivate                             # desactivar
# ```
#
# Desde Python, el mismo módulo `venv` tiene una función. Creamos dos entornos, uno para cada
# programa:

# %% id="m07-21"
ENTORNOS = TALLER07 / "entornos"

inicio = time.perf_counter()
# symlinks=True: bin/python es un enlace al Python de verdad, como hace `python -m venv` en Linux
venv.create(ENTORNOS / "app1", with_pip=False, symlinks=True)
venv.create(ENTORNOS / "app2", with_pip=False, symlinks=True)
print(f"dos entornos en {time.perf_counter() - inicio:.3f} s")


# %% [markdown] id="m07-22"
# `with_pip=False` crea el entorno **sin pip dentro**, y por eso tarda milisegundos: meter pip
# (`ensurepip`, lo que hace `python -m venv` por defecto) cuesta segundos por entorno. No lo
# necesitamos: dentro de un momento instalaremos con el pip de *este* Python apuntado al entorno.
# (`python bench/entornos_virtuales.py` lo mide: en la máquina donde se escribió este cuaderno,
# un entorno vacío tardó unos 3 ms y uno con pip, unos 6 s; instalar un paquete costó lo mismo
# con el pip de fuera que con el de dentro, así que crear y llenar un entorno con pip dentro
# salió unas 10 veces más lento.)
#
# ¿Qué hay dentro?

# %% id="m07-23"
def arbol(carpeta, niveles=3, sangria=""):
    for hijo in sorted(carpeta.iterdir()):
        if hijo.name == "__pycache__":
            continue
        if hijo.is_symlink():
            print(f"{sangria}{hijo.name} -> {hijo.readlink()}")
        elif hijo.is_dir():
            print(f"{sangria}{hijo.name}/")
            if niveles > 1:
                arbol(hijo, niveles - 1, sangria + "    ")
        else:
            print(f"{sangria}{hijo.name}")


arbol(ENTORNOS / "app1")

# %% id="m07-24"
print((ENTORNOS / "app1" / "pyvenv.cfg").read_text())

# %% [markdown] id="m07-25"
# Eso es todo un entorno virtual:
#
# - **`pyvenv.cfg`**: su carné. `home` dice qué Python instalado de verdad hay detrás. Al
#   arrancar, Python busca este fichero junto a su ejecutable: si lo encuentra, sabe que está en
#   un entorno y usa *su* `site-packages`;
# - **`bin/`**: `python` (un enlace al Python de verdad) y los scripts `activate`;
# - **`lib/python3.X/site-packages/`**: vacío. Aquí irá lo que instalemos en este entorno.
#
# (`include/` y el enlace `lib64` son detalles de Linux que puedes ignorar.)
#
# Para usar un entorno no hace falta activarlo: basta con ejecutar **su** `python`.

# %% id="m07-26"
PY1 = ENTORNOS / "app1" / "bin" / "python"
PY2 = ENTORNOS / "app2" / "bin" / "python"


def en(python, codigo):
    """Ejecuta código con OTRO python y devuelve lo que imprime (o la última línea del error)."""
    proceso = subprocess.run([str(python), "-c", codigo], capture_output=True, text=True)
    if proceso.returncode != 0:
        return "ERROR → " + proceso.stderr.strip().splitlines()[-1]
    return proceso.stdout.strip()


print(en(PY1, "import sys; print('sys.prefix:     ', sys.prefix); print('sys.base_prefix:', sys.base_prefix)"))

# %% [markdown] id="m07-27"
# Activar es una comodidad para el terminal: `activate` antepone `bin/` del entorno al `PATH`
# (así `python` y `pip` son los suyos), define `VIRTUAL_ENV` y cambia el prompt. Solo afecta a
# *esa* shell. Compruébalo (la ruta del `activate` viaja como argumento, `"$1"`, no pegada
# dentro de la orden):

# %% id="m07-28"
orden = """
echo "antes:     $(command -v python3)"
source "$1"
echo "activado:  $(command -v python3)"
echo "VIRTUAL_ENV=$VIRTUAL_ENV"
deactivate
echo "después:   $(command -v python3)"
"""
activar = ENTORNOS / "app1" / "bin" / "activate"
print(subprocess.run(["bash", "-c", orden, "bash", str(activar)], capture_output=True, text=True).stdout)


# %% [markdown] id="m07-29"
# Un servicio de systemd, una tarea de cron o un contenedor no activan nada: llaman
# directamente a `ENTORNO/bin/python programa.py`. Es lo que harás en el ejercicio.
#
# ## 7. Instalar sin red: `--python`, `--no-index`, `--find-links`
#
# ```
# python -m pip --python ENTORNO/bin/python install --no-index --find-links CARPETA saludos==1.0
# ```
#
# - `--python ENTORNO/bin/python` (pip 22.3 o más nuevo): el pip de este Python instala **en
#   otro**. Por eso el entorno no necesita su propio pip;
# - `--no-index`: prohibido preguntar a PyPI (ni a ningún otro índice);
# - `--find-links CARPETA`: busca las ruedas en esta carpeta;
# - `saludos==1.0`: el **requisito**, el paquete y qué versiones valen.

# %% [markdown] id="m07-30"
# Para ejecutar pip desde el cuaderno usaremos esta función: `sys.executable -m pip ...` es lo
# mismo que `python -m pip ...` en un terminal, con el python de este cuaderno.

# %% id="m07-31"
def pip(*argumentos, python=None):
    """Ejecuta el pip de ESTE intérprete; con python=..., apuntado a otro Python (--python)."""
    orden = [sys.executable, "-m", "pip"]
    if python is not None:
        orden += ["--python", str(python)]
    proceso = subprocess.run(orden + list(argumentos), capture_output=True, text=True)
    salida = (proceso.stdout + proceso.stderr).strip()
    if salida:
        print(salida)
    return proceso.returncode


# %% id="m07-32"
pip("install", "--no-index", "--find-links", str(RUEDAS), "--quiet", "saludos==1.0", python=PY1)
pip("install", "--no-index", "--find-links", str(RUEDAS), "--quiet", "saludos==2.0", python=PY2)

pregunta = "import importlib.metadata; print(importlib.metadata.version('saludos'))"
print("app1 tiene saludos", en(PY1, pregunta))
print("app2 tiene saludos", en(PY2, pregunta))

# %% [markdown] id="m07-33"
# La pregunta de la versión la hace **el python de cada entorno**. Si la hiciéramos aquí, con
# `importlib.metadata.version("saludos")`, contestaría el Python de este cuaderno, que no
# tiene `saludos`:

# %% id="m07-34"
import importlib.util

print("¿Ve saludos el python de este cuaderno?", importlib.util.find_spec("saludos"))

# %% [markdown] id="m07-35"
# Y ahora el mismo programa, escrito para la 1.0, en los dos entornos:

# %% id="m07-36"
programa = "import saludos; print(saludos.saludar())"
print("app1:", en(PY1, programa))
print("app2:", en(PY2, programa))

# %% [markdown] id="m07-37"
# Las dos versiones conviven en la misma máquina, cada una en su entorno, y cada programa usa
# la suya. Esto es lo que resuelve un entorno virtual.
#
# ¿Qué dejó pip en `site-packages`? El paquete, y su `.dist-info` con dos ficheros más:
# `INSTALLER` (quién lo instaló) y `REQUESTED` (se pidió a propósito, no como dependencia de otro).

# %% id="m07-38"
site_packages_1 = next((ENTORNOS / "app1" / "lib").glob("python3*/site-packages"))
arbol(site_packages_1)
print("INSTALLER:", (site_packages_1 / "saludos-1.0.dist-info" / "INSTALLER").read_text().strip())

# %% [markdown] id="m07-39"
# ¿Y si pedimos una versión que no está en la carpeta, `saludos==3.0`? pip termina con un
# código de salida distinto de 0 y escribe (en inglés, por la salida de errores) qué versiones
# encontró:
#
# ```
# ERROR: Could not find a version that satisfies the requirement saludos==3.0 (from versions: 1.0, 2.0)
# ERROR: No matching distribution found for saludos==3.0
# ```
#
# En el ejercicio lo convertirás en un error claro en español.

# %% [markdown] id="m07-40"
# ## 8. `pip freeze`, `requirements.txt` y fijar versiones
#
# `pip freeze` lista lo instalado en un entorno, con la versión exacta, en el formato que pip
# sabe leer. Guardado en un fichero (por costumbre, `requirements.txt`), sirve para reproducir
# el entorno en otra máquina:

# %% id="m07-41"
proceso = subprocess.run(
    [sys.executable, "-m", "pip", "--python", str(PY1), "freeze"], capture_output=True, text=True
)
REQUISITOS = TALLER07 / "requirements.txt"
REQUISITOS.write_text(proceso.stdout)
print(REQUISITOS.read_text())

# %% [markdown] id="m07-42"
# En la otra máquina, dentro de un entorno nuevo:
#
# ```
# python -m pip install -r requirements.txt       # (aquí, con --no-index --find-links CARPETA)
# ```
#
# Un requisito puede **fijar** una versión exacta, como hace `pip freeze`, o dar un rango:
#
# | requisito | significa |
# |---|---|
# | `saludos==1.0` | exactamente la 1.0 |
# | `saludos>=1.0,<2` | cualquier 1.x (la más nueva que haya) |
# | `saludos~=1.4` | compatible con la 1.4: `>=1.4,<2` |
# | `saludos` | cualquiera: la más nueva |
#
# Con nuestra carpeta, `saludos>=1.0,<2` instalaría la 1.0 (la 2.0 queda fuera de `<2`) y
# `saludos` a secas, la 2.0. El rango es lo que un programa *admite*; el freeze, lo que *hay*.
# La costumbre: para una **aplicación** que se despliega (el monitor), fija versiones exactas
# (lo que da `pip freeze`), para que mañana se instale lo mismo que hoy; para una
# **biblioteca** que usan otros, declara rangos, o obligarás a sus usuarios a chocar.

# %% [markdown] id="m07-43"
# ## 9. Dónde se declaran hoy las dependencias: `pyproject.toml`
#
# Un proyecto moderno describe en `pyproject.toml` qué es y qué necesita. `pip install .` (o
# `pip install -e .`, que enlaza en vez de copiar, para seguir editando) lo lee e instala las
# dependencias. Así sería el del monitor:

# %% id="m07-44"
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

pyproject_del_monitor = """
[project]
name = "monitor"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [
    "requests>=2.28",
    "saludos>=1.0,<2",
]

[project.optional-dependencies]
dev = ["pytest>=7.4"]
"""
proyecto = tomllib.loads(pyproject_del_monitor)["project"]
print("dependencias:", proyecto["dependencies"])
print("para desarrollar:", proyecto["optional-dependencies"]["dev"])

# %% [markdown] id="m07-45"
# El propio taller es uno de esos proyectos: `make lab` creó `.venv` e hizo
# `pip install -e '.[dev]'`, que leyó esto:

# %% id="m07-46"
from taller.modulos import raiz_del_taller

del_taller = tomllib.loads((raiz_del_taller() / "pyproject.toml").read_text(encoding="utf-8"))["project"]
print("dependencias:", del_taller["dependencies"])
print("para desarrollar:", del_taller["optional-dependencies"]["dev"][:5], "...")

# %% [markdown] id="m07-47"
# Un entorno virtual aísla las **bibliotecas** de Python, pero no el Python en sí: `app1` usa
# el mismo intérprete que aparece en `home` de su `pyvenv.cfg`. Para otra versión de Python,
# otras bibliotecas del sistema o una red propia hace falta aislar más: eso es un contenedor,
# el módulo 08.
#
# Borramos lo que ha creado este cuaderno:

# %% id="m07-48"
shutil.rmtree(TALLER07)
print("borrado:", not TALLER07.exists())

# %% [markdown] id="m07-49"
# ## 10. El ejercicio
#
# Abre `ejercicios/07/` y lee `ejercicios/07/README.md` (el enunciado). Son dos partes:
#
# 1. **`detector_python2.py`**: `lineas_logicas` (los tokens de cada línea lógica, con
#    `tokenize`), `motivos` (qué sintaxis de Python 2 hay en ellos) y `detectar_python2`
#    (`[(línea, motivo), ...]` de un programa entero);
# 2. **`entornos.py`**: `crear_entorno`, `interprete_de`, `ejecutar_en`, `instalar` y
#    `version_instalada`: lo que acabas de hacer a mano, con errores claros en español.
#
# Cada trozo que te toca escribir está marcado con `# TODO` y lanza `NotImplementedError` hasta
# que lo escribas. Las pruebas van en ese mismo orden. En un terminal:
#
# ```
# pytest ejercicios/07
# ```
#
# o ejecuta la celda de abajo. Las pruebas de los entornos crean entornos y llaman a pip de
# verdad (sin red), así que tardan unos segundos. Si te atascas: `taller pista 07`.

# %% id="m07-50"
from taller.ejecucion import comprobar_en_cuaderno

comprobar_en_cuaderno("07")

# %% [markdown] id="m07-51"
# ## Resumen
#
# - pip instala en el `site-packages` del Python que lo ejecuta: usa `python -m pip` y sabrás
#   cuál es. La versión instalada está en los metadatos (`importlib.metadata.version`).
# - En un `site-packages` cabe una versión de cada biblioteca: programas que necesitan versiones
#   distintas necesitan entornos distintos.
# - Python 2 → 3 rompió sintaxis (`print "HOLA"`). `compile()` da el primer error;
#   `tokenize` recorre todo el código y distingue código, textos y comentarios.
# - Una rueda es un zip: el código más un `.dist-info` con `METADATA`, `WHEEL` y `RECORD`.
# - Un entorno virtual es una carpeta: `pyvenv.cfg`, `bin/python` y su `site-packages`.
#   `venv.create(ruta, with_pip=False)` lo crea en milisegundos; activarlo solo cambia el `PATH`
#   de una shell; para usarlo basta con su `bin/python`.
# - `pip --python ENTORNO/bin/python install --no-index --find-links CARPETA requisito`
#   instala en otro entorno, sin red.
# - `pip freeze` → `requirements.txt` con versiones exactas; en `pyproject.toml`, las
#   dependencias del proyecto con rangos.
#
# **Lo siguiente:** un entorno virtual no aísla la versión de Python, ni el sistema, ni la red.
# En el módulo 08 (`notebooks/08_*.ipynb`) meteremos el monitor en un **contenedor**: máquinas
# virtuales frente a contenedores, imágenes y registros, y las tres formas de los apuntes de
# ejecutar código en un contenedor.
