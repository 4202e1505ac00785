"""Lo que comparten las pruebas del módulo 09: la flota, un proceso aparte que cuesta arrancar.

No tienes que tocarlo. Una sola flota para test_2_ronda.py y test_4_programa.py: 20 servidores
reales en 127.0.0.1, con las averías sembradas siempre igual (la misma semilla).
"""

import pytest

from taller.flota import flota

AVERIAS = {
    "error_500": 0.1,
    "html": 0.1,
    "otro_nombre": 0.05,
    "estado_no_ok": 0.05,
    "json_roto": 0.05,
    "puerto_cerrado": 0.1,
    "colgado": 0.05,
}


@pytest.fixture(scope="session")
def flota_del_09():
    """20 servidores con averías (semilla 9). Quien cambia una avería, la deja como estaba."""
    with flota(servidores=20, latencia=0.01, semilla=9, averias=AVERIAS) as f:
        yield f
