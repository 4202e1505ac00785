"""`taller progreso`: estado de cada módulo, pruebas que pasan y módulo siguiente."""

import pytest

from taller.modulos import modulos, raiz_del_taller

# La raíz, una vez al importar: el trabajo de fondo corre mientras otras pruebas cambian de
# carpeta (ver tests/test_casi_bien.py).
RAIZ = raiz_del_taller()

# Cada prueba lanza `taller` y pytest en subprocesos: en una máquina cargada, varios segundos.
pytestmark = [pytest.mark.lento, pytest.mark.timeout(240)]


def fila(salida: str, numero: str) -> str:
    """La fila de la tabla de `taller progreso` del módulo `numero`."""
    return next(linea for linea in salida.splitlines() if linea.strip().startswith(numero))


def test_al_empezar_todos_los_modulos_estan_sin_empezar(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "progreso")
    assert proceso.returncode == 0, proceso.stderr
    uno, dos = fila(proceso.stdout, "01"), fila(proceso.stdout, "02")
    assert "Sumas de juguete" in uno and "sin empezar" in uno and "0 de 2 pruebas" in uno
    assert "Restas de juguete" in dos and "sin empezar" in dos
    assert "0 de 2 módulos superados" in proceso.stdout
    assert "Siguiente: módulo 01 — Sumas de juguete" in proceso.stdout
    assert "taller comprobar 01" in proceso.stdout


def progreso_tras_resolver(juguete, taller_cli, resueltos=(), a_medias=()) -> str:
    """La salida de `taller progreso` con los módulos `resueltos` (y `a_medias`) del juguete."""
    for numero in resueltos:
        juguete.resolver(numero)
    for numero in a_medias:
        juguete.resolver_a_medias(numero)
    return taller_cli(juguete.raiz, "progreso").stdout


def test_distingue_superado_en_curso_y_propone_el_siguiente(juguete, taller_cli):
    salida = progreso_tras_resolver(juguete, taller_cli, resueltos=["01"], a_medias=["02"])
    uno, dos = fila(salida, "01"), fila(salida, "02")
    assert "superado" in uno and "2 de 2 pruebas" in uno, salida
    assert "en curso" in dos and "1 de 2 pruebas" in dos, salida
    assert "1 de 2 módulos superados" in salida
    assert "Siguiente: módulo 02" in salida


def test_con_todo_superado_lo_celebra(juguete, taller_cli):
    salida = progreso_tras_resolver(juguete, taller_cli, resueltos=["01", "02"])
    assert "2 de 2 módulos superados" in salida
    assert "¡Has superado todos los módulos!" in salida
    assert "Siguiente" not in salida


def test_ejecuta_todos_los_modulos_en_un_solo_pytest_y_guarda_el_estado(juguete, taller_cli):
    juguete.resolver_a_medias("01")
    antes = juguete.foto()
    taller_cli(juguete.raiz, "progreso")
    assert juguete.sesiones_de_pytest() == 1, "progreso debe lanzar un solo proceso pytest"
    assert juguete.foto() == antes, "progreso no debe tocar el código del alumno"
    guardado = juguete.estado()["modulos"]
    assert guardado["01"]["estado"] == "en curso" and guardado["01"]["pasadas"] == 1
    assert guardado["02"]["estado"] == "sin empezar" and guardado["02"]["total"] == 2


def test_con_soluciones_mide_la_referencia_sin_apuntarla_como_progreso(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "progreso", "--soluciones")
    assert "2 de 2 módulos superados" in proceso.stdout, proceso.stdout
    assert not (juguete.raiz / ".taller" / "estado.json").exists()


def test_un_modulo_que_tumba_pytest_no_deja_sin_resultado_a_los_demas(juguete, taller_cli):
    # Una prueba que mata su proceso (como hace pytest-timeout con una prueba bloqueada):
    # la ejecución conjunta no deja informe y cada módulo se repite en su propio proceso.
    (juguete.raiz / "ejercicios" / "02" / "test_cuentas.py").write_text(
        "import os\n\ndef test_mata_el_proceso():\n    os._exit(1)\n", encoding="utf-8"
    )
    juguete.resolver("01")
    proceso = taller_cli(juguete.raiz, "progreso")
    uno = next(linea for linea in proceso.stdout.splitlines() if linea.strip().startswith("01"))
    dos = next(linea for linea in proceso.stdout.splitlines() if linea.strip().startswith("02"))
    assert "superado" in uno, proceso.stdout
    assert "no se pudo probar" in dos, proceso.stdout
    assert juguete.sesiones_de_pytest() == 3  # la conjunta y una por módulo


def progreso_del_taller_real(fondo):
    """`taller progreso` en el taller real: todos los esqueletos en un pytest (varios segundos).

    Se hace de fondo mientras corren las demás pruebas (ver Fondo en conftest.py)."""
    estado = fondo.carpeta() / "e.json"
    return fondo.taller(RAIZ, "progreso", timeout=540, TALLER_ESTADO=str(estado))


A_LA_VEZ_PRIMERO = True  # una sola ejecución larga: mejor al principio que sola al final
A_LA_VEZ = {
    "test_en_el_taller_real_lista_todos_los_modulos_de_ejercicios": lambda _, fondo: (
        progreso_del_taller_real(fondo)
    )
}


@pytest.mark.lento
@pytest.mark.timeout(600)
def test_en_el_taller_real_lista_todos_los_modulos_de_ejercicios(raiz, de_fondo):
    proceso = de_fondo()
    assert proceso.returncode == 0, proceso.stderr
    listados = {linea.split()[0] for linea in proceso.stdout.splitlines() if linea.startswith("  ")}
    esperados = {m.numero for m in modulos(raiz) if m.ejercicio.is_dir()}
    assert esperados <= listados, f"Faltan módulos en `taller progreso`:\n{proceso.stdout}"
    # Sobre los esqueletos, ningún módulo está superado.
    assert f"0 de {len(esperados)} módulo" in proceso.stdout, proceso.stdout


def test_un_modulo_con_pruebas_saltadas_es_superado_sin_motor(juguete, taller_cli):
    juguete.resolver("01")
    juguete.resolver("02")
    pruebas = juguete.raiz / "ejercicios" / "02" / "test_cuentas.py"
    with open(pruebas, "a", encoding="utf-8") as fichero:
        fichero.write(
            "\n\ndef test_con_motor():\n"
            "    import pytest\n\n"
            "    pytest.skip('Se omite la construcción real: no hay motor de contenedores')\n"
        )
    proceso = taller_cli(juguete.raiz, "progreso")
    assert "superado (sin motor)" in proceso.stdout, proceso.stdout
    assert "se saltaron 1 prueba" in proceso.stdout, proceso.stdout
    assert "no hay motor de contenedores" in proceso.stdout, proceso.stdout
    assert "sudo apt install podman" in proceso.stdout, proceso.stdout
    comprobar = taller_cli(juguete.raiz, "comprobar", "02")
    assert "Módulo superado a medias" in comprobar.stdout, comprobar.stdout
    assert "¡Todo en verde! Módulo superado." not in comprobar.stdout
