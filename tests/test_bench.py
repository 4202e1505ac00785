"""El benchmark no se pudre: corre en pequeño y da su JSON en la última línea."""

import json
import subprocess
import sys

import pytest


@pytest.mark.lento
@pytest.mark.timeout(120)
def test_el_benchmark_corre_en_pequeno_y_da_json(raiz):
    proceso = subprocess.run(
        [
            sys.executable,
            "bench/monitorizacion.py",
            "--servidores",
            "20",
            "--latencia",
            "0.01",
            "--json",
        ],
        cwd=raiz,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    resultados = json.loads(proceso.stdout.strip().splitlines()[-1])
    assert {"secuencial_s", "ideal_secuencial_s"} <= set(resultados)
    assert resultados["ideal_secuencial_s"] == pytest.approx(0.2)
    assert resultados["secuencial_s"] >= 0.2, "uno a uno no puede bajar de N x latencia"


def _lo_que_git_ve(raiz):
    orden = ["git", "-C", str(raiz), "status", "--porcelain", "--ignored"]
    return subprocess.run(orden, capture_output=True, text=True, check=True).stdout


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_tiempos_por_modulo_da_su_tabla_sin_escribir_en_el_repositorio(raiz):
    antes = _lo_que_git_ve(raiz)
    proceso = subprocess.run(
        [sys.executable, "bench/tiempos_por_modulo.py", "--rondas", "1", "--modulos", "01"],
        cwd=raiz,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    filas = [linea for linea in proceso.stdout.splitlines() if linea.startswith("| 01 |")]
    assert len(filas) == 2, f"una fila con la solución y otra con el esqueleto:\n{proceso.stdout}"
    assert _lo_que_git_ve(raiz) == antes, "el bench no debe escribir nada dentro del repositorio"
