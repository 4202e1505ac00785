"""El generador: transforma bien las marcas, rechaza las mal puestas y está al día."""

import subprocess
import sys
import textwrap

import pytest

from taller.generador import ErrorDeMarcas, transformar

SOLUCION = textwrap.dedent(
    '''\
    class Pool:
        def enviar(self, trabajo):
            """Apunta un trabajo."""
            # >>> SOLUCION: añade el trabajo al final de la lista
            self.trabajos.append(trabajo)
            # <<< SOLUCION

        def arrancar(self):
            # >>> SOLUCION: crea la lista
            self.trabajos = []
            # === EJERCICIO
            # self.trabajos = None
            # <<< SOLUCION
    '''
)


def test_cambia_el_codigo_cercado_por_un_todo_y_notimplementederror():
    esqueleto = transformar(SOLUCION, es_python=True)
    assert "self.trabajos.append" not in esqueleto
    assert "        # TODO: añade el trabajo al final de la lista\n" in esqueleto
    assert (
        '        raise NotImplementedError("Pool.enviar: añade el trabajo al final de la lista")\n'
        in esqueleto
    )
    assert "SOLUCION" not in esqueleto
    compile(esqueleto, "esqueleto.py", "exec")


def test_usa_el_codigo_alternativo_del_ejercicio():
    esqueleto = transformar(SOLUCION, es_python=True)
    assert "        self.trabajos = None\n" in esqueleto
    assert "self.trabajos = []" not in esqueleto


def test_en_ficheros_que_no_son_python_solo_deja_el_todo():
    dockerfile = (
        "FROM python:3.12-slim\n# >>> SOLUCION: crea un usuario\nRUN useradd app\n# <<< SOLUCION\n"
    )
    assert (
        transformar(dockerfile, es_python=False)
        == "FROM python:3.12-slim\n# TODO: crea un usuario\n"
    )


def test_si_la_pista_no_cabe_en_la_linea_el_mensaje_remite_al_todo():
    largo = "x" * 120
    esqueleto = transformar(
        f"def f():\n    # >>> SOLUCION: {largo}\n    pass\n    # <<< SOLUCION\n", True
    )
    # Una sola línea de código por bloque: dos esqueletos seguidos no repiten cuatro líneas.
    assert esqueleto == (
        f"def f():\n    # TODO: {largo}\n"
        '    raise NotImplementedError("f: lo que falta lo dice su # TODO")\n'
    )


def test_parte_como_ruff_format_y_con_la_pista_si_ni_el_aviso_cabe():
    nombre = "f" * 80
    largo = "x" * 120
    esqueleto = transformar(
        f"def {nombre}():\n    # >>> SOLUCION: {largo}\n    pass\n    # <<< SOLUCION\n", True
    )
    assert esqueleto.endswith(
        f'    raise NotImplementedError(\n        "{nombre}: {largo}"\n    )\n'
    )


@pytest.mark.parametrize(
    ("que", "literal"),
    [
        ('devuelve "ok"', "'f: devuelve \"ok\"'"),
        ("la lista 'a'", "\"f: la lista 'a'\""),
        ("mezcla \"a\" y 'b'", '"f: mezcla \\"a\\" y \'b\'"'),
    ],
)
def test_elige_las_comillas_como_ruff_format(que, literal):
    esqueleto = transformar(
        f"def f():\n    # >>> SOLUCION: {que}\n    pass\n    # <<< SOLUCION\n", True
    )
    assert f"    raise NotImplementedError({literal})\n" in esqueleto
    compile(esqueleto, "esqueleto.py", "exec")


@pytest.mark.parametrize(
    ("texto", "motivo"),
    [
        ("# >>> SOLUCION: sin cierre\nx = 1\n", "falta"),
        ("x = 1\n# <<< SOLUCION\n", "sin su"),
        ("# >>> SOLUCION: a\n# >>> SOLUCION: b\n# <<< SOLUCION\n", "dentro de otro"),
        ("# >>> SOLUCION: a\n# === EJERCICIO\nx = 1\n# <<< SOLUCION\n", "comentado"),
    ],
)
def test_rechaza_marcas_mal_puestas_diciendo_donde(texto, motivo):
    with pytest.raises(ErrorDeMarcas, match=motivo):
        transformar(texto, es_python=True, nombre="soluciones/99/malo.py")


# Importa jupytext, nbformat y jsonschema (~3 s de CPU): con la máquina cargada pasa de 20 s.
@pytest.mark.timeout(90)
def test_ejercicios_esta_al_dia_con_soluciones(raiz):
    proceso = subprocess.run(
        [sys.executable, "-m", "taller", "generar", "--comprobar"],
        cwd=raiz,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proceso.returncode == 0, (
        f"ejercicios/ no es lo que escribe el generador:\n{proceso.stderr}\n"
        "Ejecuta `taller generar` y revisa el diff."
    )


def test_comprobar_nombra_los_ficheros_desfasados(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "soluciones" / "01").mkdir(parents=True)
    (tmp_path / "ejercicios" / "01").mkdir(parents=True)
    (tmp_path / "soluciones" / "01" / "a.py").write_text(
        "def f():\n    # >>> SOLUCION: haz algo\n    return 1\n    # <<< SOLUCION\n"
    )
    (tmp_path / "ejercicios" / "01" / "a.py").write_text("def f():\n    return 1\n")
    (tmp_path / "ejercicios" / "01" / "sobra.py").write_text("")
    orden = [sys.executable, "-m", "taller", "generar", "--comprobar"]
    proceso = subprocess.run(orden, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proceso.returncode == 1
    assert "ejercicios/01/a.py" in proceso.stderr and "ejercicios/01/sobra.py" in proceso.stderr
    generar = subprocess.run(orden[:-1], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert generar.returncode == 0, generar.stderr
    assert "raise NotImplementedError" in (tmp_path / "ejercicios" / "01" / "a.py").read_text()


def test_un_enlace_a_la_solucion_de_otro_modulo_se_rechaza(tmp_path):
    # Un enlace llevaría la solución de otro módulo, ya resuelta, a ejercicios/ (el 10 traía así
    # la del 09): un módulo que parte de otro lo importa con taller.pruebas.del_modulo.
    (tmp_path / "pyproject.toml").write_text("")
    for numero in ("01", "02"):
        (tmp_path / "soluciones" / numero).mkdir(parents=True)
        (tmp_path / "ejercicios" / numero).mkdir(parents=True)
    (tmp_path / "soluciones" / "01" / "a.py").write_text(
        "def f():\n    # >>> SOLUCION: haz algo\n    return 1\n    # <<< SOLUCION\n"
    )
    (tmp_path / "soluciones" / "02" / "a.py").symlink_to("../01/a.py")
    orden = [sys.executable, "-m", "taller", "generar"]
    proceso = subprocess.run(orden, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proceso.returncode != 0, (
        "Un enlace simbólico en soluciones/02 debería rechazarse (llevaría a ejercicios/02 la "
        f"solución del 01); salió con 0:\n{proceso.stdout}"
    )
    assert "soluciones/02/a.py" in proceso.stderr and "del_modulo" in proceso.stderr, (
        f"El error debe nombrar el enlace y decir cómo partir de otro módulo:\n{proceso.stderr}"
    )
    assert not (tmp_path / "ejercicios" / "02" / "a.py").exists(), (
        "El fichero enlazado no debe llegar a ejercicios/02"
    )
