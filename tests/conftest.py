"""Pruebas del propio taller: cada módulo se descubre por su carpeta."""

import pytest

from taller.modulos import modulos, raiz_del_taller

RAIZ = raiz_del_taller()
MODULOS = modulos(RAIZ)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "modulo" in metafunc.fixturenames:
        metafunc.parametrize("modulo", MODULOS, ids=[m.numero for m in MODULOS])


@pytest.fixture
def raiz():
    return RAIZ
