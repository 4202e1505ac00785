"""Lo que comparten las pruebas del módulo 09: la flota, que cuesta arrancar.

No tienes que tocarlo. Una sola flota para test_2_ronda.py y test_4_programa.py: 20 servidores
reales en 127.0.0.1, con las averías sembradas siempre igual (la misma semilla).
"""

import pytest

from taller.flota import MotorDeFlota

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
    """20 servidores con averías (semilla 9). Quien cambia una avería, la deja como estaba.

    En un hilo de este proceso (MotorDeFlota: un bucle asyncio para los 20), no en un proceso
    suyo (taller.flota.flota): otro Python que importa asyncio costaba más CPU que todas las
    sondas del módulo, y aquí los servidores solo esperan (0,01 s) y contestan unos bytes."""
    with MotorDeFlota(servidores=20, latencia=0.01, semilla=9, averias=AVERIAS) as f:
        yield f
