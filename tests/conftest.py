"""Pruebas del propio taller: cada módulo se descubre por su carpeta."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from taller.generador import esperado
from taller.modulos import Modulo, carpeta_de_ejercicios, modulos, raiz_del_taller

RAIZ = raiz_del_taller()
MODULOS = modulos(RAIZ)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "modulo" in metafunc.fixturenames:
        metafunc.parametrize("modulo", MODULOS, ids=[m.numero for m in MODULOS])


@pytest.fixture
def raiz():
    return RAIZ


# --- Un taller de juguete para probar la orden `taller` (tests/test_cli_*.py) ---------------


_PYPROJECT_DE_JUGUETE = """\
[tool.pytest.ini_options]
addopts = "-p taller.plugin_pytest --import-mode=importlib -p no:cacheprovider"
"""
# Cada sesión de pytest del taller de juguete deja una línea aquí: así se cuenta cuántos
# procesos pytest lanza una orden.
_CONFTEST_DE_JUGUETE = """\
import os

import time


def pytest_sessionstart(session):
    with open(os.path.join(os.path.dirname(__file__), "sesiones.txt"), "a") as f:
        f.write("sesión\\n")
    # Si una prueba lo pide, la sesión espera aquí (antes de importar el código del alumno) a
    # que exista el fichero TALLER_JUGUETE_SEMAFORO: así la prueba guarda un cambio justo
    # mientras corren las pruebas, sin depender de relojes.
    semaforo = os.environ.get("TALLER_JUGUETE_SEMAFORO")
    fin = time.monotonic() + 60
    while semaforo and not os.path.exists(semaforo) and time.monotonic() < fin:
        time.sleep(0.01)
"""
_SOLUCION = """\
def suma(a, b):
    \"\"\"Suma dos números.\"\"\"
    # >>> SOLUCION: devuelve a + b
    return a + b
    # <<< SOLUCION


def resta(a, b):
    \"\"\"Resta dos números.\"\"\"
    # >>> SOLUCION: devuelve a - b
    return a - b
    # <<< SOLUCION
"""
_PRUEBAS = """\
from taller.pruebas import cargar

cuentas = cargar("cuentas")


def test_suma_dos_numeros():
    assert cuentas.suma(2, 3) == 5, "suma(2, 3) debería dar 5"


def test_resta_dos_numeros():
    assert cuentas.resta(5, 3) == 2, "resta(5, 3) debería dar 2"
"""
_TITULOS = {"01": "Sumas de juguete", "02": "Restas de juguete"}


def _manifiesto(titulo: str) -> str:
    return (
        f'formato = 1\ntitulo = "{titulo}"\nconstruyes = "cuentas"\nminutos = 5\n'
        'pasos = ["la suma", "la resta"]\ndependencias = []\nnecesita = []\n'
    )


def _cuaderno(numero: str) -> str:
    def markdown(texto):
        return {"cell_type": "markdown", "metadata": {}, "source": texto}

    def codigo(texto):
        return {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": texto,
        }

    celdas = [
        markdown(f"# Módulo {numero} — {_TITULOS[numero]}\n\nIntroducción."),
        markdown("## 1. Sumar con el operador +\n\nPara sumar dos números se usa `+`."),
        codigo("print(2 + 3)"),
        markdown("## 2. Restar con el operador -\n\nPara restar dos números se usa `-`: la resta."),
        markdown("## 3. El ejercicio\n\nCompleta las cuentas."),
        codigo(
            f'from taller.ejecucion import comprobar_en_cuaderno\n\ncomprobar_en_cuaderno("{numero}")'
        ),
        markdown("## Resumen\n\nSumas y restas."),
    ]
    return json.dumps({"cells": celdas, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


class TallerDeJuguete:
    """Dos módulos (01 y 02) con dos pruebas cada uno: test_suma_... y test_resta_..."""

    def __init__(self, raiz: Path) -> None:
        self.raiz = raiz
        raiz.mkdir(parents=True, exist_ok=True)
        (raiz / "pyproject.toml").write_text(_PYPROJECT_DE_JUGUETE, encoding="utf-8")
        (raiz / "conftest.py").write_text(_CONFTEST_DE_JUGUETE, encoding="utf-8")
        (raiz / "notebooks").mkdir()
        for numero, titulo in _TITULOS.items():
            modulo = Modulo(numero, raiz)
            solucion, ejercicio = modulo.solucion, modulo.ejercicio
            solucion.mkdir(parents=True)
            ejercicio.mkdir(parents=True)
            (solucion / "cuentas.py").write_text(_SOLUCION, encoding="utf-8")
            modulo.fichero_manifiesto.write_text(_manifiesto(titulo), encoding="utf-8")
            (ejercicio / "test_cuentas.py").write_text(_PRUEBAS, encoding="utf-8")
            (ejercicio / "README.md").write_text(f"# Módulo {numero} — {titulo}\n", "utf-8")
            pistas = "".join(
                f"## Pista {i}\n\nPista número {i} del {numero}.\n\n" for i in (1, 2, 3)
            )
            (ejercicio / "pistas.md").write_text(f"# Pistas\n\n{pistas}", encoding="utf-8")
            modulo.cuaderno_nuevo("juguete").write_text(_cuaderno(numero), "utf-8")
            for ruta, texto in esperado(modulo).items():
                ruta.write_text(texto, encoding="utf-8")

    def fichero(self, numero: str) -> Path:
        return Modulo(numero, self.raiz).ejercicio / "cuentas.py"

    def resolver(self, numero: str) -> None:
        """Escribe la solución completa en ejercicios/NN (como lo haría el alumno)."""
        self.fichero(numero).write_text(_SOLUCION, encoding="utf-8")

    def resolver_a_medias(self, numero: str) -> None:
        """Solo la suma: una prueba pasa y la otra no."""
        texto = self.fichero(numero).read_text(encoding="utf-8")
        inicio = texto.index("    # TODO: devuelve a + b")
        fin = texto.index("\n\n", inicio)
        self.fichero(numero).write_text(texto[:inicio] + "    return a + b" + texto[fin:], "utf-8")

    def sesiones_de_pytest(self) -> int:
        ruta = self.raiz / "sesiones.txt"
        return len(ruta.read_text().splitlines()) if ruta.exists() else 0

    def foto(self) -> dict[str, bytes]:
        """El contenido de ejercicios/ (sin cachés), para comprobar que nadie lo tocó."""
        return {
            str(ruta.relative_to(self.raiz)): ruta.read_bytes()
            for ruta in sorted(carpeta_de_ejercicios(self.raiz).rglob("*"))
            if ruta.is_file() and "__pycache__" not in ruta.parts
        }

    def estado(self) -> dict:
        return json.loads((self.raiz / ".taller" / "estado.json").read_text(encoding="utf-8"))


def entorno_de_la_orden(**extra: str) -> dict[str, str]:
    """El entorno para lanzar `taller`: sin variables de color ni de estado heredadas."""
    entorno = {
        clave: valor
        for clave, valor in os.environ.items()
        if clave not in {"NO_COLOR", "FORCE_COLOR", "TALLER_ESTADO", "PYTEST_ADDOPTS"}
    }
    entorno["PYTHONUNBUFFERED"] = "1"
    entorno.update(extra)
    return entorno


def orden_taller(
    carpeta: Path, *argumentos: str, entrada: str = "", timeout: float = 200, **entorno
):
    """Ejecuta `python -m taller ARGUMENTOS` en `carpeta`, como lo haría el alumno."""
    return subprocess.run(
        [sys.executable, "-m", "taller", *argumentos],
        cwd=carpeta,
        input=entrada,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=entorno_de_la_orden(**entorno),
        check=False,
    )


@pytest.fixture
def juguete(tmp_path) -> TallerDeJuguete:
    return TallerDeJuguete(tmp_path / "taller")


@pytest.fixture
def taller_cli():
    return orden_taller


@pytest.fixture
def entorno_taller():
    return entorno_de_la_orden
