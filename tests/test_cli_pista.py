"""`taller pista NN`: de una en una, recordando las vistas; `--todas` las muestra todas."""

import subprocess

import pytest


def test_da_las_pistas_de_una_en_una_y_las_recuerda(juguete, taller_cli):
    antes = juguete.foto()
    primera = taller_cli(juguete.raiz, "pista", "01")
    assert primera.returncode == 0, primera.stderr
    assert "Pista 1 de 3 · Módulo 01 — Sumas de juguete" in primera.stdout
    assert "Pista número 1 del 01." in primera.stdout
    assert "Pista número 2" not in primera.stdout
    assert "Quedan 2 pistas más: taller pista 01 te da la siguiente." in primera.stdout
    assert juguete.estado()["pistas_vistas"] == {"01": 1}

    segunda = taller_cli(juguete.raiz, "pista", "1")
    assert "Pista 2 de 3" in segunda.stdout and "Pista número 2 del 01." in segunda.stdout
    assert "Queda 1 pista más" in segunda.stdout
    tercera = taller_cli(juguete.raiz, "pista", "01")
    assert "Pista 3 de 3" in tercera.stdout and "Era la última pista" in tercera.stdout
    assert juguete.foto() == antes, "pedir pistas no debe tocar el código del alumno"


def test_cuando_no_quedan_repite_la_ultima(juguete, taller_cli):
    for _ in range(3):
        taller_cli(juguete.raiz, "pista", "02")
    otra = taller_cli(juguete.raiz, "pista", "02")
    assert "Ya has visto las 3 pistas del módulo 02" in otra.stdout
    assert "Pista número 3 del 02." in otra.stdout
    assert juguete.estado()["pistas_vistas"]["02"] == 3


def test_cada_modulo_lleva_su_cuenta(juguete, taller_cli):
    taller_cli(juguete.raiz, "pista", "01")
    segunda_del_01 = taller_cli(juguete.raiz, "pista", "01")
    primera_del_02 = taller_cli(juguete.raiz, "pista", "02")
    assert "Pista 2 de 3" in segunda_del_01.stdout
    assert "Pista 1 de 3 · Módulo 02" in primera_del_02.stdout


def test_todas_las_muestra_en_orden(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "pista", "01", "--todas")
    salida = proceso.stdout
    posiciones = [salida.index(f"Pista número {i} del 01.") for i in (1, 2, 3)]
    assert posiciones == sorted(posiciones)
    assert juguete.estado()["pistas_vistas"]["01"] == 3


def test_numero_salta_a_una_pista_y_las_anteriores_cuentan_como_vistas(juguete, taller_cli):
    tercera = taller_cli(juguete.raiz, "pista", "01", "--numero", "3")
    assert tercera.returncode == 0, tercera.stderr
    assert "Pista 3 de 3" in tercera.stdout and "Pista número 3 del 01." in tercera.stdout
    assert juguete.estado()["pistas_vistas"]["01"] == 3
    otra = taller_cli(juguete.raiz, "pista", "01", "-n", "1")
    assert "Pista número 1 del 01." in otra.stdout
    assert juguete.estado()["pistas_vistas"]["01"] == 3, "volver atrás no resta vistas"


def test_un_numero_de_pista_que_no_existe_se_dice_en_espanol(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "pista", "01", "--numero", "7")
    assert proceso.returncode == 2
    assert "no hay pista 7" in proceso.stderr and "Traceback" not in proceso.stderr


def test_un_modulo_sin_pistas_lo_explica(juguete, taller_cli):
    (juguete.raiz / "ejercicios" / "02" / "pistas.md").unlink()
    proceso = taller_cli(juguete.raiz, "pista", "02")
    assert proceso.returncode == 2
    assert "El módulo 02 no tiene pistas" in proceso.stderr
    assert "Traceback" not in proceso.stderr


def test_un_estado_danado_no_rompe_nada(juguete, taller_cli):
    (juguete.raiz / ".taller").mkdir()
    (juguete.raiz / ".taller" / "estado.json").write_text("{esto no es json", encoding="utf-8")
    proceso = taller_cli(juguete.raiz, "pista", "01")
    assert proceso.returncode == 0
    assert "Pista 1 de 3" in proceso.stdout
    assert "no puedo leer" in proceso.stderr
    assert juguete.estado()["pistas_vistas"] == {"01": 1}


@pytest.mark.parametrize("ruta", [".taller/estado.json", ".taller/copias/01-x/cuentas.py"])
def test_git_ignora_el_estado_del_alumno(raiz, ruta):
    proceso = subprocess.run(
        ["git", "check-ignore", "-q", ruta], cwd=raiz, capture_output=True, check=False
    )
    assert proceso.returncode == 0, f"{ruta} debería estar en .gitignore"


def test_sin_numero_da_la_pista_del_primer_modulo_sin_superar(juguete, taller_cli):
    sin_nada = taller_cli(juguete.raiz, "pista")
    assert sin_nada.returncode == 0, sin_nada.stderr
    assert "Pista 1 de 3 · Módulo 01" in sin_nada.stdout
    juguete.resolver("01")
    assert taller_cli(juguete.raiz, "comprobar", "01").returncode == 0  # apunta el 01 superado
    siguiente = taller_cli(juguete.raiz, "pista")
    assert "Módulo 02: el primero que no has superado" in siguiente.stdout
    assert "Pista 1 de 3 · Módulo 02" in siguiente.stdout
