"""Pruebas del módulo 08 (2 de 2): el Dockerfile del monitor (opción 3 de los apuntes).

Primero se lee el Dockerfile (dockerfile-parse) y se pasa por hadolint, el linter de
Dockerfiles; después, donde hay docker o podman, se construye la imagen y se ejecuta el
monitor de verdad contra un servidor web en 127.0.0.1.

Ejecútalas con:  pytest ejercicios/08/test_2_dockerfile.py
"""

import io
import json
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from taller.contenedores import ImagenDelEjercicio, problemas_de_hadolint, prueba_con_contenedores
from taller.pruebas import carpeta_de_codigo


def dockerfile():
    """El Dockerfile del código que se prueba: se busca al usarlo, no al importar (ver
    taller.pruebas.carpeta_de_codigo)."""
    return carpeta_de_codigo(Path(__file__).parent) / "Dockerfile"


# La imagen oficial de Python, «slim», con la versión fijada; con su registro delante
# (docker.io/library/...) o fijada además por su resumen (@sha256:...) también vale.
IMAGEN_SLIM = re.compile(
    r"^(docker\.io/)?(library/)?python:3\.\d+(\.\d+)?-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?$"
)


def _instrucciones():
    """Las instrucciones del Dockerfile; falla (no da ERROR) si no hay ninguna."""
    if not dockerfile().is_file():
        pytest.fail(
            f"No encuentro {dockerfile()}: las pruebas esperan un fichero llamado Dockerfile"
        )
    analizador = DockerfileParser(fileobj=io.BytesIO(dockerfile().read_bytes()))
    instrucciones = [i for i in analizador.structure if i["instruction"] != "COMMENT"]
    if not instrucciones:
        pytest.fail(
            "El Dockerfile todavía no tiene instrucciones (solo comentarios): empieza por el "
            "primer TODO, el FROM.",
            pytrace=False,
        )
    return analizador, instrucciones


def _indices(instrucciones, tipo, patron=""):
    return [
        n
        for n, i in enumerate(instrucciones)
        if i["instruction"] == tipo and re.search(patron, i["value"])
    ]


def _fuentes(instruccion):
    """Lo que copia un COPY o un ADD (todo menos las opciones --x y el destino, el último)."""
    partes = [p for p in instruccion["value"].split() if not p.startswith("--")]
    if partes[:1] and partes[0].startswith("["):
        partes = json.loads(instruccion["value"])
    return partes[:-1]


def _donde(instrucciones, n):
    return f"línea {instrucciones[n]['startline'] + 1}: {instrucciones[n]['content'].strip()}"


# --- Paso 5: el Dockerfile, leído (cuaderno: 5, 8) --------------------------------------------


def test_parte_de_una_imagen_slim_de_python_con_la_version_fijada():
    analizador, instrucciones = _instrucciones()
    base = analizador.baseimage
    assert base, "El Dockerfile debe empezar (tras los comentarios) con FROM"
    assert ":" in base and not base.endswith(":latest"), (
        f"FROM {base}: sin etiqueta (o con latest) cada construcción puede traer otra versión "
        "de Python. Fíjala: python:3.11-slim"
    )
    assert IMAGEN_SLIM.match(base), (
        f"FROM {base}: usa una imagen oficial de Python «slim» con la versión fijada, como "
        "python:3.11-slim (la normal pesa casi 1 GB; alpine no trae bash ni la libc habitual)"
    )


def test_copia_requirements_txt_e_instala_las_dependencias_desde_el():
    _, instrucciones = _instrucciones()
    copias = _indices(instrucciones, "COPY", r"requirements\.txt")
    instalaciones = _indices(instrucciones, "RUN", r"pip3?\s+install")
    assert copias, "Falta COPY requirements.txt (solo ese fichero) antes de instalar"
    assert instalaciones, "Falta un RUN pip install -r requirements.txt"
    orden = instrucciones[instalaciones[0]]["value"]
    assert re.search(r"(-r|--requirement)[\s=]+\S*requirements\.txt", orden), (
        f"El pip install debe instalar desde el fichero: pip install -r requirements.txt "
        f"({_donde(instrucciones, instalaciones[0])})"
    )


def test_las_dependencias_van_en_una_capa_anterior_al_codigo():
    _, instrucciones = _instrucciones()
    instalaciones = _indices(instrucciones, "RUN", r"pip3?\s+install")
    copias_de_codigo = [
        n
        for n, instruccion in enumerate(instrucciones)
        if instruccion["instruction"] in ("COPY", "ADD")
        and any(f in (".", "./", "*", "*.py", "monitor.py") for f in _fuentes(instruccion))
    ]
    assert instalaciones, "Falta un RUN pip install -r requirements.txt"
    assert copias_de_codigo, "Falta copiar el código: COPY monitor.py ."
    primera_copia = min(copias_de_codigo)
    assert primera_copia > instalaciones[0], (
        "El código se copia antes de instalar las dependencias "
        f"({_donde(instrucciones, primera_copia)}). Cada cambio en monitor.py invalidaría la "
        "capa de pip y se reinstalaría todo en cada construcción: copia primero solo "
        "requirements.txt, instala, y después copia monitor.py."
    )


def test_copia_solo_lo_que_necesita_la_imagen():
    _, instrucciones = _instrucciones()
    for n, instruccion in enumerate(instrucciones):
        if instruccion["instruction"] not in ("COPY", "ADD"):
            continue
        todo = [f for f in _fuentes(instruccion) if f in (".", "./", "*", "./*")]
        assert not todo, (
            f"{_donde(instrucciones, n)}: copia TODA la carpeta a la imagen (el Dockerfile, "
            "los ficheros que tengas por ahí, un .env con claves...), aunque sea después de "
            "instalar. La imagen del monitor solo necesita requirements.txt y monitor.py: "
            "cópialos por su nombre (COPY monitor.py .)."
        )
    ignorar = dockerfile().parent / ".dockerignore"
    assert ignorar.is_file(), (
        f"Falta {ignorar.name} junto al Dockerfile (venía hecho): sin él, docker build manda "
        "toda la carpeta (pruebas, cachés...) como contexto de la construcción. Recupéralo con "
        "git checkout o taller reiniciar 08."
    )
    reglas = {linea.strip() for linea in ignorar.read_text(encoding="utf-8").splitlines()}
    faltan = [regla for regla in ("test_*.py", "*.md", "ordenes.py") if regla not in reglas]
    assert not faltan, (
        f"{ignorar.name} ya no deja fuera {faltan}: esos ficheros no pintan nada en la imagen "
        "del monitor. Vuelve a ponerlos (venía hecho)."
    )


# Palabras que delatan un secreto en el nombre de una variable, en español y en inglés.
SECRETOS = re.compile(
    r"CLAVE|CONTRASE(Ñ|N)A|SECRET|PASS(WORD|WD)?\b|TOKEN|API_?KEY|AUTH|CREDENCIAL|PRIVAD",
    re.IGNORECASE,
)


def test_no_mete_secretos_en_env_ni_en_arg():
    _, instrucciones = _instrucciones()
    for n, instruccion in enumerate(instrucciones):
        if instruccion["instruction"] not in ("ENV", "ARG"):
            continue
        nombres = re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)", instruccion["value"])
        malos = [nombre for nombre in nombres if SECRETOS.search(nombre)]
        assert not malos, (
            f"{_donde(instrucciones, n)}: {', '.join(malos)} "
            + ("parecen claves" if len(malos) > 1 else "parece una clave")
            + ". Lo que escribes "
            "en ENV o ARG queda guardado en la imagen para siempre (docker history, docker "
            "inspect) y lo ve cualquiera que la descargue. Pásalo al arrancar el contenedor: "
            f"docker run -e {malos[0]} ... (o con un secreto de docker/podman)."
        )


def test_las_dependencias_tienen_la_version_fijada():
    _, instrucciones = _instrucciones()
    requisitos = dockerfile().parent / "requirements.txt"
    lineas = [
        linea.split("#")[0].strip()
        for linea in requisitos.read_text(encoding="utf-8").splitlines()
        if linea.split("#")[0].strip()
    ]
    sueltos = [linea for linea in lineas if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==\S+", linea)]
    assert lineas and not sueltos, (
        f"requirements.txt tiene dependencias sin la versión fijada: {sueltos or '(ninguna línea)'}. "
        "Sin «==versión», cada construcción puede traer otra versión (y romperse un día sin "
        "que hayas tocado nada): requests==2.32.3."
    )
    for n in _indices(instrucciones, "RUN", r"pip3?\s+install"):
        palabras = instrucciones[n]["value"].split()
        detras = palabras[palabras.index("install") + 1 :] if "install" in palabras else []
        extra = [
            p for i, p in enumerate(detras)
            if not p.startswith("-") and not (i and detras[i - 1] in ("-r", "--requirement"))
            and "==" not in p and p not in ("&&", "\\")
        ]  # fmt: skip
        assert not extra, (
            f"{_donde(instrucciones, n)}: instala {extra} sin versión fijada, además de "
            "requirements.txt. Todas las dependencias van en requirements.txt, con ==versión."
        )


def test_no_deja_la_cache_de_pip_en_la_imagen():
    _, instrucciones = _instrucciones()
    instalaciones = _indices(instrucciones, "RUN", r"pip3?\s+install")
    assert instalaciones, "Falta un RUN pip install -r requirements.txt"
    sin_cache = _indices(instrucciones, "ENV", r"PIP_NO_CACHE_DIR")
    orden = instrucciones[instalaciones[0]]["value"]
    assert "--no-cache-dir" in orden or (sin_cache and sin_cache[0] < instalaciones[0]), (
        "pip guarda una copia de todo lo que descarga en ~/.cache/pip, y en una imagen eso es "
        f"peso muerto: pip install --no-cache-dir ... ({_donde(instrucciones, instalaciones[0])})"
    )


def test_el_monitor_no_corre_como_root():
    _, instrucciones = _instrucciones()
    usuarios = _indices(instrucciones, "USER")
    assert usuarios, (
        "Falta USER: sin él, el monitor corre como root dentro del contenedor. Crea un usuario "
        "(RUN useradd ...) y cambia a él con USER"
    )
    ultimo = instrucciones[usuarios[-1]]["value"].split(":")[0].strip()
    assert ultimo not in ("root", "0"), f"El último USER es {ultimo}: debe ser un usuario normal"
    if ultimo.isdigit():
        creaciones = _indices(instrucciones, "RUN", r"\b(useradd|adduser)\b")
        numeros = [
            numero
            for n in creaciones
            for numero in re.findall(r"(?:--uid[\s=]+|-u\s*)(\d+)", instrucciones[n]["value"])
        ]
        assert creaciones, (
            f"USER {ultimo}, pero el Dockerfile no crea ningún usuario (RUN useradd --create-home "
            f"--uid {ultimo} monitor)"
        )
        assert ultimo in numeros, (
            f"USER {ultimo}, pero el usuario que creas "
            + (f"tiene el número {', '.join(numeros)}" if numeros else "no tiene un número fijo")
            + f" ({_donde(instrucciones, creaciones[0])}). Fija el número al crearlo "
            "(useradd --uid 10001 ...) y pon ESE número en USER: si no coinciden, el monitor "
            "corre con un usuario que no existe en la imagen (sin nombre ni carpeta personal)."
        )
    else:
        creado = _indices(instrucciones, "RUN", rf"(useradd|adduser)\b.*\b{re.escape(ultimo)}\b")
        assert creado and creado[0] < usuarios[-1], (
            f"USER {ultimo}, pero ese usuario no se crea antes con RUN useradd {ultimo} "
            "(la imagen base no lo trae)"
        )


def test_arranca_el_monitor_en_forma_exec_con_entrypoint():
    analizador, instrucciones = _instrucciones()
    finales = _indices(instrucciones, "ENTRYPOINT") + _indices(instrucciones, "CMD")
    assert finales, 'Falta la orden de arranque: ENTRYPOINT ["python", "monitor.py"]'
    for n in finales:
        valor = instrucciones[n]["value"].strip()
        assert valor.startswith("["), (
            f"{_donde(instrucciones, n)} está en forma shell: así el proceso principal es "
            "/bin/sh y no tu programa (no le llegan las señales de docker stop). Usa la forma "
            'exec, una lista JSON: ENTRYPOINT ["python", "monitor.py"]'
        )
    entrypoints = _indices(instrucciones, "ENTRYPOINT")
    assert entrypoints, (
        "Con CMD, lo que escribes tras la imagen en `docker run imagen URL...` SUSTITUYE a la "
        "orden: docker intentaría ejecutar la URL. Con ENTRYPOINT, se le AÑADE como argumentos: "
        'ENTRYPOINT ["python", "monitor.py"]'
    )
    partes = json.loads(instrucciones[entrypoints[-1]]["value"])
    assert any(parte.endswith("monitor.py") for parte in partes), (
        f"El ENTRYPOINT {partes} no ejecuta monitor.py"
    )


def test_hadolint_no_da_ningun_aviso():
    _instrucciones()
    problemas = problemas_de_hadolint(dockerfile())
    assert problemas is None, problemas


# --- Paso 5, de verdad: la imagen construida (solo donde hay docker o podman) (cuaderno: 5, 8) ---

IMAGEN = ImagenDelEjercicio(Path(__file__).parent, "taller-08-monitor")


def _imagen():
    """(motor, etiqueta) de la imagen del Dockerfile, construida una vez (o se omite, con motivo)."""
    analizador, _ = _instrucciones()
    return IMAGEN.construir(analizador.baseimage or "")


@pytest.fixture(scope="module", autouse=True)
def _borrar_la_imagen_al_acabar():
    yield
    IMAGEN.borrar()


class _Manejador(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - nombre que exige http.server
        codigo = 500 if self.path.startswith("/error") else 200
        self.send_response(codigo)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"ok\n" if codigo == 200 else b"fallo\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def servidor_web():
    """Un servidor HTTP real en 127.0.0.1 (/ responde 200, /error responde 500)."""
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _Manejador)
    # poll_interval corto: shutdown() espera a que el bucle lo vea (por defecto, hasta 0,5 s).
    hilo = threading.Thread(
        target=servidor.serve_forever, args=(0.05,), name="servidor-web-08", daemon=True
    )
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_address[1]}"
    servidor.shutdown()
    servidor.server_close()
    hilo.join(5)


@prueba_con_contenedores(600)
def test_la_imagen_se_construye_y_corre_sin_root_ni_cache_de_pip():
    motor, etiqueta = _imagen()
    proceso = motor.orden("run", "--rm", "--entrypoint", "id", etiqueta, "-u")
    assert proceso.returncode == 0, f"No se pudo ejecutar id en la imagen: {proceso.stderr}"
    assert proceso.stdout.strip() != "0", "Dentro del contenedor el monitor corre como root (uid 0)"
    buscar = "find / -xdev -type d -path '*/.cache/pip' 2>/dev/null"
    proceso = motor.orden(
        "run", "--rm", "--user", "0", "--entrypoint", "sh", etiqueta, "-c", buscar
    )
    assert not proceso.stdout.strip(), (
        f"La imagen guarda la caché de pip en {proceso.stdout.split()}: usa pip install --no-cache-dir"
    )


@prueba_con_contenedores(600, red_local=True)
def test_el_monitor_de_la_imagen_comprueba_las_urls_que_le_pasas(servidor_web):
    motor, etiqueta = _imagen()
    cerrado = "http://127.0.0.1:9/"  # el puerto 9 (discard): aquí no escucha nadie
    urls = [f"{servidor_web}/", f"{servidor_web}/error", cerrado]
    # --network host: el contenedor comparte la red de la máquina y ve su 127.0.0.1.
    proceso = motor.orden("run", "--rm", "--network", "host", etiqueta, "--timeout", "5", *urls)
    salida = proceso.stdout + proceso.stderr
    assert "Resumen: 3 URLs, 1 bien, 2 mal" in salida, (
        f"`{motor.nombre} run --rm --network host IMAGEN --timeout 5 URL...` debería ejecutar el "
        f"monitor con esas URLs y terminar con «Resumen: 3 URLs, 1 bien, 2 mal». Salida:\n{salida}"
    )
    assert proceso.returncode == 1, (
        f"Con URLs que fallan, el monitor sale con código 1; salió con {proceso.returncode}"
    )
