"""La CLI en malas condiciones: sin poder guardar su estado, sin teclado, varias a la vez.

En cada caso, una línea en español (nunca una traza de Python), el trabajo hecho se conserva
y el código del alumno no se toca.
"""

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(120)


def sin_escritura(carpeta):
    """Deja `carpeta` sin poder escribirse dentro.

    Con chmod basta para un usuario normal; root se salta los permisos (y CI es root), así que
    entonces la carpeta se cambia por un fichero: crear algo dentro falla igual, con otro
    OSError, y el taller debe tratarlo del mismo modo.
    """
    if os.geteuid() != 0:
        carpeta.mkdir(parents=True, exist_ok=True)
        carpeta.chmod(0o500)
        return
    if carpeta.is_dir():
        shutil.rmtree(carpeta)
    carpeta.parent.mkdir(parents=True, exist_ok=True)
    carpeta.write_text("no soy una carpeta\n", encoding="utf-8")


def sin_traza(proceso):
    texto = proceso.stdout + proceso.stderr
    assert "Traceback" not in texto, f"La orden no debe enseñar una traza de Python:\n{texto}"


@pytest.fixture
def taller_sin_estado(juguete):
    """Un taller de juguete cuya carpeta .taller/ no se puede escribir."""
    sin_escritura(juguete.raiz / ".taller")
    yield juguete
    ruta = juguete.raiz / ".taller"
    if ruta.is_dir():
        ruta.chmod(0o700)


def test_pista_sin_poder_guardar_el_estado_da_la_pista_y_avisa_en_una_linea(
    taller_sin_estado, taller_cli
):
    proceso = taller_cli(taller_sin_estado.raiz, "pista", "01")
    sin_traza(proceso)
    assert proceso.returncode == 0, proceso.stderr
    assert "Pista número 1 del 01." in proceso.stdout
    avisos = [linea for linea in proceso.stderr.splitlines() if linea.strip()]
    assert len(avisos) == 1 and avisos[0].startswith("taller: no puedo guardar"), avisos


def test_progreso_sin_poder_guardar_el_estado_muestra_el_resumen(taller_sin_estado, taller_cli):
    proceso = taller_cli(taller_sin_estado.raiz, "progreso")
    sin_traza(proceso)
    assert "Sumas de juguete" in proceso.stdout, proceso.stdout
    assert "taller: no puedo guardar" in proceso.stderr


def test_comprobar_sin_poder_guardar_el_estado_no_pierde_el_resumen(taller_sin_estado, taller_cli):
    taller_sin_estado.resolver("01")
    proceso = taller_cli(taller_sin_estado.raiz, "comprobar", "01")
    sin_traza(proceso)
    assert proceso.returncode == 0, proceso.stdout + proceso.stderr
    assert "2 de 2" in proceso.stdout, proceso.stdout
    assert "taller: no puedo guardar" in proceso.stderr


def test_reiniciar_sin_poder_guardar_la_copia_no_toca_el_codigo(juguete, taller_cli):
    juguete.resolver("01")
    sin_escritura(juguete.raiz / ".taller" / "copias")
    antes = juguete.foto()
    proceso = taller_cli(juguete.raiz, "reiniciar", "01", "--si")
    sin_traza(proceso)
    assert proceso.returncode == 1, proceso.stdout
    assert "No se ha cambiado nada" in proceso.stderr, proceso.stderr
    assert juguete.foto() == antes, "sin copia de seguridad, reiniciar no debe tocar el código"


def test_reiniciar_con_la_entrada_cerrada_no_pregunta_al_vacio(juguete, entorno_taller):
    juguete.resolver("01")
    antes = juguete.foto()

    # `0<&-` cierra la entrada estándar: en Python, sys.stdin es None.
    proceso = subprocess.run(
        ["sh", "-c", 'exec "$0" -m taller reiniciar 01 0<&-', sys.executable],
        cwd=juguete.raiz,
        capture_output=True,
        text=True,
        timeout=60,
        env=entorno_taller(),
        check=False,
    )
    sin_traza(proceso)
    assert proceso.returncode == 1, proceso.stdout + proceso.stderr
    assert "No se ha cambiado nada" in proceso.stdout
    assert juguete.foto() == antes


def test_seis_pistas_a_la_vez_dan_cada_pista_una_vez_y_la_cuenta_no_retrocede(
    juguete, entorno_taller
):
    procesos = [
        subprocess.Popen(
            [sys.executable, "-m", "taller", "pista", "01"],
            cwd=juguete.raiz,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=entorno_taller(),
        )
        for _ in range(6)
    ]
    salidas = [proceso.communicate(timeout=60)[0] for proceso in procesos]
    nuevas = [s for s in salidas if "Ya has visto" not in s]
    numeros = sorted(int(s.split("Pista número ")[1].split()[0]) for s in nuevas)
    assert numeros == [1, 2, 3], f"Cada pista debe salir una sola vez: salieron {numeros}"
    assert juguete.estado()["pistas_vistas"]["01"] == 3


def test_numero_que_no_es_un_numero_se_dice_en_espanol(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "pista", "01", "--numero", "abc")
    assert proceso.returncode == 2
    assert "«abc» no es un número de pista" in proceso.stderr, proceso.stderr
    assert " int " not in proceso.stderr


def test_estado_danado_se_explica_en_espanol(juguete, taller_cli):
    (juguete.raiz / ".taller").mkdir()
    (juguete.raiz / ".taller" / "estado.json").write_bytes(b"\xff\xfe{")
    proceso = taller_cli(juguete.raiz, "pista", "01")
    assert "no es texto UTF-8" in proceso.stderr, proceso.stderr
    assert "codec" not in proceso.stderr, proceso.stderr
