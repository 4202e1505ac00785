"""`taller vigilar`: vuelve a comprobar al guardar, pasa al siguiente módulo al superarlo.

Se prueba de verdad: `taller vigilar` corre en un subproceso con un intervalo de sondeo
corto, la prueba cambia ficheros como lo haría el alumno y espera (con límite, nunca con
pausas a ciegas) a que aparezca la salida esperada.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from taller.vigia import Vigia

pytestmark = [pytest.mark.lento, pytest.mark.timeout(300)]
LIMITE = 120  # segundos para cada salida esperada: holgado, la máquina puede ir cargada


class Vigilante:
    """`taller vigilar ...` en un subproceso, con su salida recogida línea a línea."""

    def __init__(self, raiz, entorno, *argumentos, **variables):
        self.proceso = subprocess.Popen(
            [sys.executable, "-m", "taller", "vigilar", *argumentos],
            cwd=raiz,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=entorno(**variables),
        )
        self.lineas: list[str] = []
        self.terminado = False
        self.aviso = threading.Condition()
        threading.Thread(target=self._leer, daemon=True).start()

    def _leer(self):
        for linea in self.proceso.stdout:
            with self.aviso:
                self.lineas.append(linea)
                self.aviso.notify_all()
        with self.aviso:
            self.terminado = True
            self.aviso.notify_all()

    @property
    def salida(self) -> str:
        with self.aviso:
            return "".join(self.lineas)

    def esperar(self, texto: str, veces: int = 1) -> None:
        """Espera a que `texto` haya salido `veces` veces; falla con la salida si no llega."""
        fin = time.monotonic() + LIMITE
        with self.aviso:
            while "".join(self.lineas).count(texto) < veces:
                restante = fin - time.monotonic()
                if self.terminado or restante <= 0:
                    motivo = "terminó" if self.terminado else f"no lo dijo en {LIMITE} s"
                    pytest.fail(
                        f"`taller vigilar` {motivo} sin decir {veces} vez/veces «{texto}». "
                        f"Salida:\n{''.join(self.lineas)}",
                        pytrace=False,
                    )
                self.aviso.wait(restante)

    def teclear(self, texto: str) -> None:
        self.proceso.stdin.write(texto)
        self.proceso.stdin.flush()

    def codigo_de_salida(self) -> int:
        return self.proceso.wait(timeout=LIMITE)

    def cerrar(self) -> None:
        if self.proceso.poll() is None:
            self.proceso.kill()
            self.proceso.wait(timeout=LIMITE)
        self.proceso.stdout.close()
        if not self.proceso.stdin.closed:
            self.proceso.stdin.close()


@pytest.fixture
def vigilar(juguete, entorno_taller):
    lanzados = []

    def lanzar(*argumentos, **variables):
        vigilante = Vigilante(juguete.raiz, entorno_taller, *argumentos, **variables)
        lanzados.append(vigilante)
        return vigilante

    yield lanzar
    for vigilante in lanzados:
        vigilante.cerrar()


def test_al_guardar_vuelve_a_comprobar_y_al_superar_pasa_al_siguiente(juguete, vigilar):
    antes = juguete.foto()
    vigilante = vigilar("--intervalo", "0.05", "--max-ejecuciones", "4")
    vigilante.proceso.stdin.close()  # sin teclado (como en CI): vigila igual
    vigilante.esperar("Vigilando ejercicios/01")
    assert "Módulo 01 — Sumas de juguete: pasan 0 de 2 pruebas." in vigilante.salida
    assert "0 de 2 módulos superados" in vigilante.salida
    assert juguete.foto() == antes, "vigilar no debe tocar el código del alumno"

    juguete.resolver_a_medias("01")
    vigilante.esperar("Módulo 01 — Sumas de juguete: pasan 1 de 2 pruebas.")
    vigilante.esperar("Vigilando ejercicios/01", veces=2)

    juguete.resolver("01")
    vigilante.esperar("¡Módulo 01 superado! Pasamos al módulo 02 — Restas de juguete.")
    vigilante.esperar("Módulo 02 — Restas de juguete: pasan 0 de 2 pruebas.")
    assert vigilante.codigo_de_salida() == 1  # tras 4 comprobaciones, el código de pytest
    assert "Hecho: 4 comprobaciones" in vigilante.salida
    ultima_pantalla = vigilante.salida.split("=" * 72)[-1]
    assert "1 de 2 módulos superados" in ultima_pantalla
    assert "\033[" not in vigilante.salida, "sin terminal, sin códigos de color"


def test_lo_guardado_mientras_corren_las_pruebas_no_se_pierde(juguete, vigilar, tmp_path):
    semaforo = tmp_path / "sigue"
    vigilante = vigilar("01", "--intervalo", "0.05", TALLER_JUGUETE_SEMAFORO=str(semaforo))
    vigilante.proceso.stdin.close()
    esperar_a(lambda: juguete.sesiones_de_pytest() >= 1, "que empiece la primera comprobación")
    juguete.resolver_a_medias("01")  # el alumno guarda mientras las pruebas corren
    semaforo.touch()
    vigilante.esperar("Guardaste algo mientras se comprobaba: vuelvo a comprobar.")
    vigilante.esperar("Módulo 01 — Sumas de juguete: pasan 1 de 2 pruebas.")


def esperar_a(condicion, que: str) -> None:
    fin = time.monotonic() + LIMITE
    while not condicion():
        if time.monotonic() > fin:
            pytest.fail(f"No ha pasado en {LIMITE} s: {que}.", pytrace=False)
        time.sleep(0.01)


def test_en_modo_manual_comprueba_con_enter_da_pistas_y_sale_con_q(juguete, vigilar):
    vigilante = vigilar("01", "--manual")
    vigilante.esperar("Modo manual, módulo 01")
    juguete.resolver_a_medias("01")
    vigilante.teclear("\n")
    vigilante.esperar("pasan 1 de 2 pruebas")
    vigilante.teclear("p\n")
    vigilante.esperar("Pista 1 de 3 · Módulo 01")
    vigilante.teclear("q\n")
    assert vigilante.codigo_de_salida() == 0
    assert "Hasta luego" in vigilante.salida
    assert juguete.estado()["pistas_vistas"] == {"01": 1}


def test_empieza_por_el_primer_modulo_sin_superar_y_sale_con_ctrl_c(juguete, vigilar):
    juguete.resolver("01")
    vigilante = vigilar("--intervalo", "0.05")
    vigilante.esperar("Vigilando ejercicios/02")
    assert "Módulo 02 — Restas de juguete: pasan 0 de 2 pruebas." in vigilante.salida
    assert "1 de 2 módulos superados" in vigilante.salida
    vigilante.proceso.send_signal(signal.SIGINT)
    assert vigilante.codigo_de_salida() == 0
    assert "Hasta luego" in vigilante.salida


def test_con_todo_superado_felicita_y_termina(juguete, vigilar):
    juguete.resolver("01")
    juguete.resolver("02")
    vigilante = vigilar()
    assert vigilante.codigo_de_salida() == 0
    assert "¡Has superado todos los módulos del taller!" in vigilante.salida


# --- La detección de cambios por sondeo ----------------------------------------------------


def test_el_vigia_ve_ficheros_cambiados_nuevos_borrados_y_reemplazados(tmp_path):
    fichero = tmp_path / "pool.py"
    fichero.write_text("x = 1\n")
    vigia = Vigia(tmp_path)
    assert not vigia.hay_cambios()

    fichero.write_text("x = 22\n")
    assert vigia.hay_cambios()
    assert not vigia.hay_cambios(), "cada cambio se avisa una sola vez"

    (tmp_path / "nuevo.py").write_text("")
    assert vigia.hay_cambios()
    (tmp_path / "nuevo.py").unlink()
    assert vigia.hay_cambios()

    # Muchos editores guardan en un fichero nuevo y lo renombran encima: mismo tamaño,
    # misma fecha incluso, pero otro inodo.
    temporal = tmp_path / "pool.py.nuevo"
    temporal.write_text("x = 33\n")
    os.utime(temporal, ns=(fichero.stat().st_atime_ns, fichero.stat().st_mtime_ns))
    os.replace(temporal, fichero)
    assert vigia.hay_cambios()


def test_el_vigia_no_se_despierta_por_cachés_ni_temporales_de_editor(tmp_path):
    (tmp_path / "pool.py").write_text("x = 1\n")
    vigia = Vigia(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "pool.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / ".pool.py.swp").write_text("")
    (tmp_path / "pool.py~").write_text("")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "pool-checkpoint.py").write_text("")
    assert not vigia.hay_cambios()


def test_con_una_sola_comprobacion_lo_dice_en_singular(juguete, vigilar):
    vigilante = vigilar("--intervalo", "0.05", "--max-ejecuciones", "1")
    vigilante.proceso.stdin.close()
    assert vigilante.codigo_de_salida() == 1
    assert "Hecho: 1 comprobación, como pediste" in vigilante.salida, vigilante.salida
