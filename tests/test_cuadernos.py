"""Cada cuaderno se ejecuta de principio a fin en menos de 30 s, y lo que enseña sale en orden.

Se ejecuta con nbclient, como lo haría JupyterLab, en un proceso aparte
(tests/ejecutar_cuaderno.py), y después se mira lo que salió en algunas celdas.
"""

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

LIMITE_SEGUNDOS = 30
EJECUTOR = Path(__file__).parent / "ejecutar_cuaderno.py"

# En estas celdas (reconocidas por un texto de su código), las salidas deben llegar en este
# orden: (stdout o stderr, principio del texto). En Jupyter, print y el log van por caminos
# distintos, y un error puede salir encima de lo que pasó antes que él.
ORDEN_DE_LAS_SALIDAS = {
    "05": {
        "un callback roto": [
            ("stdout", "callback 1: el valor es 42"),
            ("stderr", "Falló un callback"),
            ("stdout", "callback 2, añadido tarde"),
        ],
    },
}


def salidas_de_texto(celda):
    """Las salidas de texto de una celda, juntando los trozos seguidos del mismo flujo."""
    juntas = []
    for salida in celda.get("outputs", []):
        if salida.get("output_type") != "stream":
            continue
        texto = "".join(salida["text"]) if isinstance(salida["text"], list) else salida["text"]
        if juntas and juntas[-1][0] == salida["name"]:
            juntas[-1] = (salida["name"], juntas[-1][1] + texto)
        else:
            juntas.append((salida["name"], texto))
    return juntas


@pytest.mark.lento
@pytest.mark.timeout(180)
def test_el_cuaderno_se_ejecuta_entero_y_rapido(modulo, raiz, tmp_path):
    ejecutado = tmp_path / modulo.cuaderno.name
    orden = [sys.executable, str(EJECUTOR), str(modulo.cuaderno), str(ejecutado)]
    inicio = time.perf_counter()
    proceso = subprocess.run(orden, cwd=raiz, capture_output=True, text=True, check=False)
    segundos = time.perf_counter() - inicio
    assert proceso.returncode == 0, f"{modulo.cuaderno.name} falla:\n{proceso.stderr[-5000:]}"
    assert segundos < LIMITE_SEGUNDOS, (
        f"{modulo.cuaderno.name} tarda {segundos:.1f} s; el límite es {LIMITE_SEGUNDOS} s"
    )
    celdas = json.loads(ejecutado.read_text(encoding="utf-8"))["cells"]
    comprobaciones = [
        c
        for c in celdas
        if c["cell_type"] == "code" and "comprobar_en_cuaderno(" in "".join(c["source"])
    ]
    assert len(comprobaciones) == 1, (
        f"{modulo.cuaderno.name} debe tener una celda que compruebe el ejercicio "
        f"(comprobar_en_cuaderno); tiene {len(comprobaciones)}"
    )
    html = [
        "".join(s["data"].get("text/html", "")) for s in comprobaciones[0]["outputs"] if "data" in s
    ]
    assert any("taller-comprobacion" in h for h in html), (
        f"{modulo.cuaderno.name}: la celda de comprobar debe mostrar la tabla HTML (¿acaba en `;`?)"
    )
    for marca, esperado in ORDEN_DE_LAS_SALIDAS.get(modulo.numero, {}).items():
        celda = next(
            c for c in celdas if c["cell_type"] == "code" and marca in "".join(c["source"])
        )
        salidas = salidas_de_texto(celda)
        vistas = [
            (flujo, texto[: len(principio)])
            for (flujo, texto), (_, principio) in zip(salidas, esperado, strict=False)
        ]
        assert vistas == esperado, (
            f"{modulo.cuaderno.name}, celda «{marca}»: las salidas deben llegar en orden "
            f"{esperado}, y llegaron {salidas}"
        )


def bloques_dockerfile(cuaderno):
    """Los Dockerfile que enseña el cuaderno (bloques ```dockerfile del texto), sin las notas
    que llevan a la derecha de cada línea (`  # ...`), que son para leer y no de Docker."""
    celdas = json.loads(cuaderno.read_text(encoding="utf-8"))["cells"]
    texto = "\n".join("".join(c["source"]) for c in celdas if c["cell_type"] == "markdown")
    for bloque in re.findall(r"```dockerfile\n(.*?)```", texto, re.S):
        yield "\n".join(re.sub(r"\s{2,}#.*$", "", linea) for linea in bloque.splitlines()) + "\n"


def test_los_dockerfile_del_cuaderno_pasan_hadolint_sin_avisos(modulo):
    # Lo que enseña el cuaderno debe cumplir lo que el enunciado pide al alumno: que
    # `hadolint Dockerfile` no diga nada (ni avisos de nivel «info»).
    hadolint = Path(sys.executable).parent / "hadolint"
    for dockerfile in bloques_dockerfile(modulo.cuaderno):
        proceso = subprocess.run(
            [str(hadolint), "--no-color", "-"], input=dockerfile, capture_output=True, text=True
        )
        assert proceso.returncode == 0 and not proceso.stdout.strip(), (
            f"{modulo.cuaderno.name} enseña un Dockerfile con avisos de hadolint:\n"
            f"{proceso.stdout}{proceso.stderr}\n{dockerfile}"
        )
