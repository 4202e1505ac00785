"""El interruptor --soluciones, en un taller de juguete con dos módulos que comparten nombres.

Comprueba lo que promete el README: `pytest ejercicios/NN` prueba el código del alumno,
`--soluciones` el de referencia, desde la raíz o desde dentro de la carpeta, y varios
módulos con un `pool.py` y un `test_pool.py` en una sola ejecución.
"""

import subprocess
import sys
import textwrap

import pytest

PYPROJECT = textwrap.dedent(
    """\
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    addopts = "-p taller.plugin_pytest --import-mode=importlib -p no:cacheprovider -p no:nbval -p no:anyio -p no:platformdirs"
    """
)


def _escribir(ruta, texto):
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text(textwrap.dedent(texto), encoding="utf-8")


@pytest.fixture
def taller_de_juguete(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    for numero, valor in (("01", 1), ("02", 2)):
        _escribir(tmp_path / "soluciones" / numero / "ayuda.py", f"VALOR = {valor}\n")
        _escribir(
            tmp_path / "soluciones" / numero / "pool.py",
            "from ayuda import VALOR\n\ndef valor():\n    return VALOR\n",
        )
        _escribir(tmp_path / "ejercicios" / numero / "ayuda.py", f"VALOR = {valor}\n")
        _escribir(
            tmp_path / "ejercicios" / numero / "pool.py",
            "def valor():\n    raise NotImplementedError('valor: TODO')\n",
        )
        _escribir(
            tmp_path / "ejercicios" / numero / "test_pool.py",
            f"""\
            from taller.pruebas import cargar

            pool = cargar("pool")

            def test_valor():
                assert pool.valor() == {valor}

            def test_falta_un_nombre():
                pool.no_existe
            """,
        )
    return tmp_path


def test_varios_modulos_con_los_mismos_nombres_en_una_ejecucion(taller_de_juguete, otro_pytest):
    proceso = otro_pytest(taller_de_juguete, "-rA", "ejercicios", "--soluciones")
    salida = proceso.stdout
    assert "2 passed" in salida and "2 failed" in salida, salida
    assert "PASSED ejercicios/01/test_pool.py::test_valor" in salida
    assert "PASSED ejercicios/02/test_pool.py::test_valor" in salida


def test_sin_la_opcion_prueba_el_codigo_del_alumno(taller_de_juguete, otro_pytest):
    proceso = otro_pytest(taller_de_juguete, "-rA", "ejercicios/01")
    assert proceso.returncode == 1
    assert "NotImplementedError: valor: TODO" in proceso.stdout
    assert "se prueba tu código" in proceso.stdout


def test_funciona_desde_dentro_de_la_carpeta(taller_de_juguete, otro_pytest):
    carpeta = taller_de_juguete / "ejercicios" / "02"
    proceso = otro_pytest(carpeta, "-rA", "--soluciones")
    assert "PASSED test_pool.py::test_valor" in proceso.stdout, proceso.stdout


def test_un_nombre_que_falta_se_explica_en_espanol(taller_de_juguete, otro_pytest):
    proceso = otro_pytest(taller_de_juguete, "-rA", "ejercicios/01", "--soluciones")
    assert "No encuentro `no_existe` en" in proceso.stdout, proceso.stdout
    assert "ERROR" not in proceso.stdout


def test_un_error_de_sintaxis_hace_fallar_cada_prueba_con_la_linea(taller_de_juguete, otro_pytest):
    (taller_de_juguete / "ejercicios" / "01" / "pool.py").write_text("def valor(:\n    pass\n")
    proceso = otro_pytest(taller_de_juguete, "-rA", "ejercicios/01")
    assert "2 failed" in proceso.stdout, proceso.stdout
    assert "tiene un error de sintaxis en la línea 1" in proceso.stdout


def test_un_fichero_borrado_se_explica(taller_de_juguete, otro_pytest):
    (taller_de_juguete / "ejercicios" / "01" / "pool.py").unlink()
    proceso = otro_pytest(taller_de_juguete, "-rA", "ejercicios/01")
    assert "No encuentro el fichero" in proceso.stdout and "pool.py" in proceso.stdout


def test_un_hilo_no_daemon_olvidado_no_cuelga_pytest(taller_de_juguete, otro_pytest):
    _escribir(
        taller_de_juguete / "ejercicios" / "01" / "test_hilo.py",
        """\
        import threading

        def test_deja_un_hilo_vivo():
            threading.Thread(target=threading.Event().wait, name="ejecutor-olvidado").start()
        """,
    )
    proceso = subprocess.run(
        [sys.executable, "-m", "pytest", "ejercicios/01/test_hilo.py"],
        cwd=taller_de_juguete,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "ejecutor-olvidado" in proceso.stderr and "sigue vivo 1 hilo" in proceso.stderr
    assert proceso.returncode != 0


def test_el_resumen_dice_de_que_modulo_son_las_pruebas():
    from taller.plugin_pytest import _de_que

    assert _de_que({"a": "01", "b": "01"}) == "del módulo 01"
    assert _de_que({"a": "01", "b": "03"}) == "de los módulos 01 y 03"
    assert _de_que({"a": "01", "b": "02", "c": "03"}) == "de los módulos 01 a 03"
    assert _de_que({"a": "01", "b": "03", "c": "04"}) == "de los módulos 01, 03 y 04"
