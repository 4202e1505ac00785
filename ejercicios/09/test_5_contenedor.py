"""Pruebas del módulo 09, paso 6: la imagen del monitor (Dockerfile).

Primero se lee el Dockerfile (dockerfile-parse) y se pasa por hadolint; después, donde hay
docker o podman (`taller.contenedores`, como en el módulo 08), se construye la imagen y hace
una ronda de verdad contra una flota en 127.0.0.1, con el inventario y la base en un volumen.
Sin motor de contenedores, esa última se omite y dice por qué.

Ejecútalas con:  pytest ejercicios/09/test_5_contenedor.py
"""

import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from taller.contenedores import ImagenDelEjercicio, problemas_de_hadolint, prueba_con_contenedores
from taller.flota import flota
from taller.pruebas import cargar, carpeta_de_codigo


def dockerfile():
    """El Dockerfile del código que se prueba: se busca al usarlo, no al importar (ver
    taller.pruebas.carpeta_de_codigo)."""
    return carpeta_de_codigo(Path(__file__).parent) / "Dockerfile"


# La imagen oficial de Python, «slim», con la versión fijada; con su registro delante
# (docker.io/library/...) o fijada además por su resumen (@sha256:...) también vale.
IMAGEN_SLIM = re.compile(
    r"^(docker\.io/)?(library/)?python:3\.\d+(\.\d+)?-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?$"
)
monitor = cargar("monitor")
CODIGO = ("inventario.py", "ronda.py", "historial.py", "alertas.py", "monitor.py")


def instrucciones():
    """(analizador, instrucciones sin comentarios); falla si el Dockerfile no tiene FROM."""
    if not dockerfile().is_file():
        pytest.fail(f"No encuentro {dockerfile()}", pytrace=False)
    analizador = DockerfileParser(fileobj=io.BytesIO(dockerfile().read_bytes()))
    todas = [i for i in analizador.structure if i["instruction"] != "COMMENT"]
    if not any(i["instruction"] == "FROM" for i in todas):
        pytest.fail("El Dockerfile aún no tiene FROM: empieza por el primer TODO.", pytrace=False)
    return analizador, todas


def exec_de(instruccion):
    """La lista de una instrucción en forma exec (["python", ...]), o None si no lo es."""
    try:
        valor = json.loads(instruccion["value"])
    except ValueError:
        return None
    return valor if isinstance(valor, list) else None


# --- Paso 6: el Dockerfile, leído (cuaderno: 8) -----------------------------------------------


def test_el_dockerfile_cumple_las_reglas_del_modulo_08():
    analizador, todas = instrucciones()
    problemas = []  # como el inventario: todos a la vez
    if not IMAGEN_SLIM.match(analizador.baseimage or ""):
        problemas.append(f"FROM {analizador.baseimage}: usa python:3.X-slim con la versión fijada")
    tipos = [i["instruction"] for i in todas]
    copias = [n for n, i in enumerate(todas) if i["instruction"] in ("COPY", "ADD")]
    de_requirements = [n for n in copias if "requirements.txt" in todas[n]["value"]]
    de_codigo = [n for n in copias if n not in de_requirements]
    pips = [
        n for n, i in enumerate(todas) if i["instruction"] == "RUN" and "pip install" in i["value"]
    ]
    if not de_requirements or not pips or not de_codigo:
        problemas.append(
            "faltan COPY requirements.txt, RUN pip install -r requirements.txt o el COPY del código"
        )
    elif not de_requirements[0] < pips[0] < de_codigo[0]:
        problemas.append(
            "el orden es COPY requirements.txt, RUN pip install y DESPUÉS el código (la caché de capas)"
        )
    if any("--no-cache-dir" not in todas[n]["value"] for n in pips):
        problemas.append("pip install sin --no-cache-dir: la caché de pip se queda en la imagen")
    usuarios = [i["value"].strip() for i in todas if i["instruction"] == "USER"]
    if not usuarios or not usuarios[-1].isdigit() or usuarios[-1] == "0":
        problemas.append(
            f"el último USER debe ser un número distinto de 0 (USER 10001); es {usuarios}"
        )
    entrada = [exec_de(i) for i in todas if i["instruction"] == "ENTRYPOINT"]
    if not entrada or entrada[-1] is None or entrada[-1][-2:] != ["-m", "monitor"]:
        problemas.append(f'ENTRYPOINT en forma exec: ["python", "-m", "monitor"]; hay {entrada}')
    cmd = [exec_de(i) for i in todas if i["instruction"] == "CMD"]
    if not cmd or cmd[-1] is None or not any(p.startswith("/datos/") for p in cmd[-1]):
        problemas.append(f"CMD en forma exec con el inventario y la base en /datos; hay {cmd}")
    assert not problemas, (
        f"El Dockerfile tiene {len(problemas)} problema(s) (instrucciones: {tipos}):\n- "
        + "\n- ".join(problemas)
    )


def test_hadolint_no_da_ningun_aviso():
    instrucciones()
    problemas = problemas_de_hadolint(dockerfile())
    assert problemas is None, problemas


def test_el_cmd_son_argumentos_que_el_monitor_entiende_y_se_copia_todo_su_codigo(capsys):
    _, todas = instrucciones()
    problemas = []
    cmd = [exec_de(i) for i in todas if i["instruction"] == "CMD"]
    if cmd and cmd[-1] is not None:
        try:
            opciones = monitor.analizar(cmd[-1])
        except SystemExit:
            problemas.append(
                f"CMD {cmd[-1]}: son solo los ARGUMENTOS de `python -m monitor` (el programa ya "
                "lo pone el ENTRYPOINT) y tu analizar() los rechaza: "
                + capsys.readouterr().err.strip().splitlines()[-1]
            )
        else:
            rutas = {"el inventario": opciones.inventario, "la base (--bd)": opciones.bd}
            problemas += [
                f"CMD {cmd[-1]}: {que} debe estar en /datos (el volumen), no en {ruta!r}"
                for que, ruta in rutas.items()
                if not str(ruta).startswith("/datos/")
            ]
    copiados = set()
    for instruccion in todas:
        if instruccion["instruction"] in ("COPY", "ADD"):
            partes = exec_de(instruccion) or instruccion["value"].split()
            copiados.update(p for p in partes[:-1] if not p.startswith("--"))
    if not copiados & {".", "./", "*.py"}:
        problemas += [
            f"falta copiar {fichero} a la imagen: monitor.py lo importa (ModuleNotFoundError)"
            for fichero in CODIGO
            if fichero not in copiados
        ]
    assert not problemas, "\n".join(problemas)


# --- Paso 6, de verdad: una ronda dentro de un contenedor (cuaderno: 8) ------------------------


IMAGEN = ImagenDelEjercicio(Path(__file__).parent, "taller-09-monitor")


@pytest.fixture(scope="module", autouse=True)
def _borrar_la_imagen_al_acabar():
    yield
    IMAGEN.borrar()


def imagen():
    """(motor, etiqueta) de la imagen del Dockerfile, construida una vez (o se omite, con motivo)."""
    analizador, _ = instrucciones()  # antes de buscar el motor: sin Dockerfile, fallar ya
    return IMAGEN.construir(analizador.baseimage or "")


@prueba_con_contenedores(600, red_local=True)
def test_la_imagen_hace_una_ronda_contra_la_flota_con_el_inventario_en_un_volumen(tmp_path):
    motor, etiqueta = imagen()
    datos = tmp_path / "datos"
    datos.mkdir()
    datos.chmod(0o777)  # el usuario 10001 del contenedor escribe aquí la base
    with flota(servidores=5, latencia=0.01, semilla=3, averias={"error_500": 0.2}) as f:
        lineas = []
        for s in f.servidores:
            lineas += ["[[servidores]]", f'nombre = "{s.nombre}"', 'ips = ["127.0.0.1"]']
            lineas += [
                "[[servidores.comprobaciones]]",
                'tipo = "http"',
                f"puerto = {s.puerto}",
                "timeout = 2",
            ]
        (datos / "inventario.toml").write_text("\n".join(lineas) + "\n", encoding="utf-8")
        proceso = motor.orden(
            "run", "--rm", "--network", "host", "-v", f"{datos}:/datos", etiqueta,
            "/datos/inventario.toml", "--una-vez", "--json", "--bd", "/datos/monitor.db",
        )  # fmt: skip
        caidos = {s.nombre for s in f.servidores if s.averia}
    salida = proceso.stdout + proceso.stderr
    try:
        ronda = json.loads(proceso.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        pytest.fail(
            f"El monitor del contenedor no escribió su ronda en JSON; salida:\n{salida[-2000:]}",
            pytrace=False,
        )
    mal = {r["servidor"] for r in ronda["resultados"] if not r["ok"]}
    assert (proceso.returncode, mal) == (1, caidos), (
        f"Dentro del contenedor, la ronda debe dar caído {sorted(caidos)} y salir con 1; dio "
        f"{sorted(mal)} y salió con {proceso.returncode}:\n{salida[-2000:]}"
    )
    conexion = sqlite3.connect(datos / "monitor.db")
    try:
        filas = conexion.execute("SELECT COUNT(*) FROM resultados").fetchone()[0]
    finally:
        conexion.close()
    assert filas == 5, f"La base del volumen (datos/monitor.db) debe tener 5 filas; tiene {filas}"


@prueba_con_contenedores(600)
def test_en_la_imagen_la_carpeta_datos_es_del_usuario_del_monitor():
    motor, etiqueta = imagen()
    programa = (
        "import os; print(os.getuid(), os.stat('/datos').st_uid, os.access('/datos', os.W_OK))"
    )
    proceso = motor.orden(
        "run", "--rm", "--network", "none", "--entrypoint", "python", etiqueta, "-c", programa
    )
    visto = proceso.stdout.strip()
    assert visto == "10001 10001 True", (
        "Dentro de la imagen, el monitor corre como 10001 y /datos es suya (RUN ... mkdir /datos "
        "&& chown 10001 /datos): un volumen con nombre nuevo (docker run -v datos:/datos) copia "
        "ese dueño, y sin él el monitor no puede crear su base. Se esperaba «10001 10001 True» "
        f"(uid, dueño de /datos, ¿puede escribir?); salió {visto!r} {proceso.stderr[-500:]}"
    )
