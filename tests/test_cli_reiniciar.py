"""`taller reiniciar NN`: devuelve el ejercicio a su estado inicial, después de preguntar."""

import subprocess

import pytest

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def con_cambios(juguete):
    """El alumno ha resuelto 01, ha añadido un fichero suyo y ha tocado las pistas."""
    inicial = juguete.fichero("01").read_text(encoding="utf-8")
    juguete.resolver("01")
    ejercicio = juguete.raiz / "ejercicios" / "01"
    (ejercicio / "mis_notas.py").write_text("# mis notas\n", encoding="utf-8")
    with open(ejercicio / "pistas.md", "a", encoding="utf-8") as pistas:
        pistas.write("\nUna nota del alumno.\n")
    return inicial


def test_pregunta_y_si_la_respuesta_es_no_no_toca_nada(juguete, taller_cli, con_cambios):
    antes = juguete.foto()
    proceso = taller_cli(juguete.raiz, "reiniciar", "01", entrada="n\n")
    assert proceso.returncode == 1
    assert "ejercicios/01/cuentas.py" in proceso.stdout
    assert "¿Seguro que quieres reiniciarlos? [s/N]" in proceso.stdout
    assert "No se ha cambiado nada" in proceso.stdout
    assert juguete.foto() == antes


def test_sin_respuesta_tampoco_toca_nada(juguete, taller_cli, con_cambios):
    antes = juguete.foto()
    proceso = taller_cli(juguete.raiz, "reiniciar", "01", entrada="")
    assert proceso.returncode == 1
    assert juguete.foto() == antes


def test_si_la_respuesta_es_si_devuelve_solo_los_ficheros_del_ejercicio(
    juguete, taller_cli, con_cambios
):
    antes = juguete.foto()
    proceso = taller_cli(juguete.raiz, "reiniciar", "01", entrada="sí\n")
    assert proceso.returncode == 0, proceso.stdout
    assert "Ejercicio 01 reiniciado." in proceso.stdout
    despues = juguete.foto()
    assert juguete.fichero("01").read_text(encoding="utf-8") == con_cambios
    # las pruebas, el enunciado, las pistas y los ficheros del alumno siguen igual
    for nombre in ("test_cuentas.py", "README.md", "pistas.md", "mis_notas.py"):
        ruta = f"ejercicios/01/{nombre}"
        assert despues[ruta] == antes[ruta], f"reiniciar no debe tocar {ruta}"
    # ni otro módulo
    assert {k: v for k, v in despues.items() if "/02/" in k} == {
        k: v for k, v in antes.items() if "/02/" in k
    }
    # y la versión del alumno queda guardada
    copias = list((juguete.raiz / ".taller" / "copias").glob("01-*/cuentas.py"))
    assert len(copias) == 1 and "return a + b" in copias[0].read_text(encoding="utf-8")
    # y la orden que dice para recuperarla funciona
    recuperar = proceso.stdout.split("Para recuperarla: ", 1)[1].splitlines()[0]
    subprocess.run(recuperar, shell=True, cwd=juguete.raiz, check=True)
    assert juguete.fichero("01").read_text(encoding="utf-8") != con_cambios
    assert "return a + b" in juguete.fichero("01").read_text(encoding="utf-8")


def test_con_si_no_pregunta_y_recupera_un_fichero_borrado(juguete, taller_cli):
    juguete.fichero("02").unlink()
    proceso = taller_cli(juguete.raiz, "reiniciar", "02", "--si")
    assert proceso.returncode == 0, proceso.stdout
    assert "¿Seguro" not in proceso.stdout
    assert "raise NotImplementedError" in juguete.fichero("02").read_text(encoding="utf-8")


def test_un_ejercicio_sin_tocar_no_necesita_reiniciarse(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "reiniciar", "01")
    assert proceso.returncode == 0
    assert "ya está como al principio" in proceso.stdout
    assert not (juguete.raiz / ".taller" / "copias").exists()
