"""Cada cuaderno se ejecuta de principio a fin (nbval, modo lax) en menos de 30 s."""

import subprocess
import sys
import time

import pytest

LIMITE_SEGUNDOS = 30


@pytest.mark.lento
@pytest.mark.timeout(180)
def test_el_cuaderno_se_ejecuta_entero_y_rapido(modulo, raiz):
    orden = [
        sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
        "--nbval-lax", "--nbval-current-env", "-q", str(modulo.cuaderno),
    ]  # fmt: skip
    inicio = time.perf_counter()
    proceso = subprocess.run(orden, cwd=raiz, capture_output=True, text=True, check=False)
    segundos = time.perf_counter() - inicio
    assert proceso.returncode == 0, f"{modulo.cuaderno.name} falla:\n{proceso.stdout[-5000:]}"
    assert segundos < LIMITE_SEGUNDOS, (
        f"{modulo.cuaderno.name} tarda {segundos:.1f} s; el límite es {LIMITE_SEGUNDOS} s"
    )
