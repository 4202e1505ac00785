"""La imagen y el devcontainer del propio taller, y el monitor del módulo 08, sin motor.

Lo que se puede comprobar leyendo los ficheros: que el Dockerfile de la raíz y
.devcontainer/devcontainer.json dicen lo que prometen y concuerdan entre sí. Construirlos y
ejecutarlos de verdad es cosa de `make contenedor` (herramientas/contenedor.py), que CI
ejecuta después de `make test`.
"""

import io
import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from taller.modulos import Modulo, raiz_del_taller

RAIZ = raiz_del_taller()
sys.path.insert(0, str(RAIZ / "herramientas"))
import contenedor  # noqa: E402
import devcontainer_cli  # noqa: E402

HADOLINT = Path(sys.executable).parent / "hadolint"


def _dockerfile():
    return DockerfileParser(fileobj=io.BytesIO((RAIZ / "Dockerfile").read_bytes()))


def _instrucciones(tipo):
    return [i["value"] for i in _dockerfile().structure if i["instruction"] == tipo]


def _config():
    # JSON a secas (sin los comentarios que admite el formato): así lo leen también las pruebas.
    return json.loads((RAIZ / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))


def _entorno_de_la_imagen():
    """Las variables de los ENV del Dockerfile (forma CLAVE=valor)."""
    variables = {}
    for valor in _instrucciones("ENV"):
        for clave, dato in re.findall(r"(\w+)=(\S+)", valor):
            variables[clave] = dato
    return variables


# --- El Dockerfile de la raíz ------------------------------------------------------------------


def test_la_version_de_python_es_un_arg_del_from():
    estructura = _dockerfile().structure
    primera = estructura[[i["instruction"] for i in estructura].index("FROM")]
    args = [
        i["value"] for i in estructura[: estructura.index(primera)] if i["instruction"] == "ARG"
    ]
    assert any(re.fullmatch(r"PYTHON_VERSION=3\.\d+", a) for a in args), args
    assert primera["value"] == "python:${PYTHON_VERSION}-slim", primera["value"]


def test_jupyterlab_en_el_8888_como_usuario_normal():
    assert "8888" in _instrucciones("EXPOSE")
    usuario = _instrucciones("USER")[-1]
    assert usuario not in ("root", "0"), usuario
    orden = json.loads(_instrucciones("CMD")[-1])
    assert orden[:2] == ["jupyter", "lab"] and "--port=8888" in orden and "--ip=0.0.0.0" in orden


def test_el_proyecto_se_instala_con_sus_dependencias_antes_de_copiar_el_resto():
    estructura = _dockerfile().structure
    instalar = next(
        n for n, i in enumerate(estructura) if i["instruction"] == "RUN" and ".[dev]" in i["value"]
    )
    copiar_todo = next(
        n
        for n, i in enumerate(estructura)
        if i["instruction"] == "COPY" and i["value"].endswith(". .")
    )
    assert instalar < copiar_todo


def test_dockerignore_deja_fuera_el_venv_y_git():
    lineas = (RAIZ / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in lineas and ".git" in lineas


@pytest.mark.parametrize("ruta", ["Dockerfile", f"{Modulo('08', RAIZ).ruta_solucion}/Dockerfile"])
def test_hadolint_no_da_avisos(ruta):
    proceso = subprocess.run(
        [str(HADOLINT), "--no-color", "--failure-threshold", "warning", str(RAIZ / ruta)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proceso.returncode == 0, proceso.stdout + proceso.stderr


# --- .devcontainer/devcontainer.json -----------------------------------------------------------


def test_el_devcontainer_se_construye_con_el_dockerfile_de_la_raiz():
    config = _config()
    carpeta = RAIZ / ".devcontainer"
    assert (carpeta / config["build"]["dockerfile"]).resolve() == RAIZ / "Dockerfile"
    assert (carpeta / config["build"]["context"]).resolve() == RAIZ
    por_defecto = re.search(r"ARG PYTHON_VERSION=(\S+)", (RAIZ / "Dockerfile").read_text())[1]
    assert config["build"]["args"]["PYTHON_VERSION"] == por_defecto


def test_el_devcontainer_usa_el_usuario_y_la_carpeta_de_la_imagen():
    config = _config()
    assert config["remoteUser"] == _instrucciones("USER")[-1]
    assert config["workspaceFolder"] == _instrucciones("WORKDIR")[-1]
    assert f"target={config['workspaceFolder']}," in config["workspaceMount"]


def test_el_devcontainer_instala_el_proyecto_y_abre_el_8888():
    config = _config()
    assert "pip install" in config["postCreateCommand"] and ".[dev]" in config["postCreateCommand"]
    assert 8888 in config["forwardPorts"]
    extensiones = config["customizations"]["vscode"]["extensions"]
    assert {"ms-python.python", "ms-toolsai.jupyter"} <= set(extensiones)


def test_el_venv_esta_en_el_home_de_alumno_para_que_updateremoteuseruid_lo_devuelva():
    # En Linux, el CLI de Dev Containers (y VS Code) da a alumno el UID de tu usuario y solo
    # hace chown de su home: un venv fuera (en /opt) seguiría siendo del UID 1000 y
    # postCreateCommand fallaría con «Permission denied».
    config = _config()
    venv = _entorno_de_la_imagen().get("VIRTUAL_ENV", "")
    home = f"/home/{config['remoteUser']}/"
    assert venv.startswith(home), (
        f"VIRTUAL_ENV debe estar dentro de {home} (lo único que updateRemoteUserUID devuelve a "
        f"alumno); el Dockerfile dice «{venv}»"
    )
    assert not f"{venv}/".startswith(config["workspaceFolder"] + "/"), (
        f"El venv ({venv}) no puede ir dentro de workspaceFolder ({config['workspaceFolder']}): "
        "la carpeta del alumno se monta encima y lo taparía"
    )
    assert _entorno_de_la_imagen()["PATH"].startswith(f"{venv}/bin:"), (
        f"El PATH de la imagen debe empezar por {venv}/bin; dice {_entorno_de_la_imagen()['PATH']}"
    )
    interprete = config["customizations"]["vscode"]["settings"]["python.defaultInterpreterPath"]
    assert interprete == f"{venv}/bin/python", (
        f"VS Code debe usar el Python del venv ({venv}/bin/python), no «{interprete}»"
    )
    assert config.get("updateRemoteUserUID", True) is not False, (
        "Sin updateRemoteUserUID los ficheros que el alumno guarda en su carpeta serían del UID 1000"
    )
    assert "/opt/venv" not in (RAIZ / "Dockerfile").read_text(encoding="utf-8")


def test_el_devcontainer_no_pide_opciones_de_un_solo_motor():
    # Vale igual para Docker y para podman sin root: nada de --userns ni --uidmap en runArgs.
    config = _config()
    propias = [a for a in config.get("runArgs", []) if re.match(r"--(userns|[ug]idmap)", a)]
    assert not propias, f"runArgs con opciones que solo entiende un motor: {propias}"


def test_el_readme_dice_que_configura_quien_usa_podman():
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    for texto in ("dev.containers.dockerPath", "--userns=keep-id", "sin root"):
        assert texto in readme, (
            f"El README debe explicar el devcontainer con podman: falta «{texto}»"
        )


def test_make_contenedor_usa_el_cli_oficial_con_una_version_fijada():
    assert re.fullmatch(r"@devcontainers/cli@\d+\.\d+\.\d+", devcontainer_cli.PAQUETE_DEL_CLI)
    assert not (RAIZ / "herramientas" / "devcontainer.py").exists(), (
        "herramientas/devcontainer.py (el lector casero de devcontainer.json) sobra: "
        "make contenedor usa el CLI de verdad"
    )


def test_make_contenedor_instala_lo_que_usa():
    programas = set(contenedor.PAQUETES)
    for programa in ("podman", "dockerd", "newuidmap", "slirp4netns", "setfacl", "npm"):
        assert programa in programas, f"make contenedor usa {programa} y no lo instala si falta"


def test_el_usuario_de_prueba_nunca_tiene_el_uid_de_alumno(monkeypatch):
    class Entrada:
        def __init__(self, uid):
            self.pw_uid = uid

    monkeypatch.setattr(devcontainer_cli.pwd, "getpwall", lambda: [Entrada(0), Entrada(1001)])
    assert devcontainer_cli._uid_libre(1000) == 1002
    assert devcontainer_cli._uid_libre(1001) == 1002
    assert devcontainer_cli._uid_libre(1500) == 1500


def test_el_usuario_de_prueba_hereda_solo_certificados_y_proxy(monkeypatch, tmp_path):
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca.crt")
    monkeypatch.setenv("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/ca.crt")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("VIRTUAL_ENV", "/root/.venv")
    monkeypatch.setenv("SECRETO", "x")
    usuario = devcontainer_cli.Usuario("taller-dc", 1001, 1001, tmp_path)
    entorno = usuario.entorno()
    assert entorno["HOME"] == str(tmp_path) and entorno["USER"] == "taller-dc"
    assert entorno["SSL_CERT_FILE"] == "/etc/ssl/certs/ca.crt"
    assert entorno["NODE_EXTRA_CA_CERTS"] == "/etc/ssl/certs/ca.crt"
    assert entorno["HTTPS_PROXY"] == "http://127.0.0.1:3128"
    assert "VIRTUAL_ENV" not in entorno and "SECRETO" not in entorno
    assert entorno["DOCKER_HOST"] == f"unix://{devcontainer_cli.SOCKET_DOCKER}"


def test_la_salida_del_cli_se_lee_por_su_ultima_linea_json():
    salida = '[2026] Start: Run\n{"a": 1}\nmás texto\n{"outcome":"success","containerId":"abc"}\n'
    assert devcontainer_cli._ultimo_json(salida) == {"outcome": "success", "containerId": "abc"}
    assert devcontainer_cli._ultimo_json("sin json\n{roto}\n") == {}


def test_ci_ejecuta_make_contenedor_despues_de_make_test():
    lineas = [
        linea.strip()
        for linea in (RAIZ / ".ci" / "run").read_text().splitlines()
        if linea.strip().startswith("make ")
    ]
    assert lineas[-2:] == ["make test", "make contenedor"], lineas


# --- El monitor del módulo 08 (lo que empaqueta la imagen del ejercicio) -----------------------


class _Manejador(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - nombre que exige http.server
        self.send_response(503 if self.path == "/caido" else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def servidor():
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _Manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_address[1]}"
    servidor.shutdown()
    servidor.server_close()
    hilo.join(5)


def _monitor(*argumentos):
    return subprocess.run(
        [sys.executable, str(Modulo("08", RAIZ).solucion / "monitor.py"), *argumentos],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.red_local
def test_el_monitor_clasifica_cada_url_y_resume(servidor):
    proceso = _monitor("--timeout", "5", f"{servidor}/", f"{servidor}/caido", "http://127.0.0.1:9/")
    lineas = proceso.stdout.splitlines()
    assert lineas[0].startswith("BIEN") and "HTTP 200" in lineas[0], lineas
    assert lineas[1].startswith("MAL") and "HTTP 503" in lineas[1], lineas
    assert lineas[2].startswith("MAL") and "no conecta" in lineas[2], lineas
    assert lineas[3] == "Resumen: 3 URLs, 1 bien, 2 mal"
    assert proceso.returncode == 1


@pytest.mark.red_local
def test_el_monitor_sale_con_cero_si_todo_va_bien(servidor):
    proceso = _monitor(f"{servidor}/")
    assert proceso.returncode == 0 and "Resumen: 1 URL, 1 bien, 0 mal" in proceso.stdout


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [([], "ninguna URL"), (["--timeout", "x", "http://a"], "«x»"), (["--timeout"], "falta")],
)
def test_el_monitor_explica_en_espanol_una_orden_mal_escrita(argumentos, mensaje):
    proceso = _monitor(*argumentos)
    assert proceso.returncode == 2 and mensaje in proceso.stderr, proceso.stderr
    assert "Traceback" not in proceso.stderr
