"""Parte del plugin de pytest del taller: los cuelgues (lo registra taller.plugin_pytest).

- Le dice a taller.pruebas qué prueba está en marcha: fuera de una prueba (en la recogida)
  no se carga el código del alumno, y al empezar cada prueba se miran los restos de las
  anteriores (hilos del alumno aún vivos, atributos de clase cambiados).
- Si una prueba falla y empezó con restos de otra, su mensaje lo dice primero.
- El límite de cada prueba (pytest-timeout, `timeout = 20` en pyproject.toml): al vencer,
  en lugar de volcar las pilas en inglés y terminar pytest, la prueba falla con un mensaje en
  español que dice dónde está parado cada hilo, y las demás siguen. Si el hilo de la prueba
  no se deja interrumpir, se termina como pytest-timeout, pero con ese mensaje y sin dejar
  procesos.
- Al terminar, los procesos que siguen colgando de pytest (los que dejó el código del
  alumno) se terminan.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

import pytest

from taller import cuelgues, pruebas

# Lo que se espera a que la prueba interrumpida acabe antes de terminar el proceso entero.
ESPERA_TRAS_INTERRUMPIR = 3.0


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    pruebas.empieza_prueba(item.name, item.path)
    en_marcha = os.environ.get("TALLER_EN_MARCHA")  # lo pone taller.ejecucion
    if en_marcha:
        with contextlib.suppress(OSError), open(en_marcha, "w", encoding="utf-8") as fichero:
            fichero.write(item.nodeid)
    try:
        yield
    finally:
        pruebas.acaba_prueba()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    resultado = yield
    informe = resultado.get_result()
    if not informe.failed:
        return
    nota = pruebas.nota_de_restos()
    if nota:
        informe.sections.append(("Restos de otras pruebas", nota))
        _nota_primero(informe, nota)
    nota = pruebas.nota_de_otro_modulo(lambda: str(informe.longrepr))
    if nota:
        informe.sections.append(("El código de otro módulo", nota))
        _nota_primero(informe, nota)


def _nota_primero(informe: pytest.TestReport, nota: str) -> None:
    crash = getattr(informe.longrepr, "reprcrash", None)
    if crash is not None:  # el mensaje del informe JUnit (el que resume `taller comprobar`)
        # Primero lo que vio la prueba (la primera línea es la que enseña `taller comprobar`),
        # después la nota y el resto: la nota avisa, pero no tapa la causa cuando es la misma.
        primera, _, resto = crash.message.partition("\n")
        crash.message = "\n".join(parte for parte in (primera, nota, resto) if parte)


def _escribir_y_salir(item: pytest.Item, mensaje: str) -> None:
    try:
        capman = item.config.pluginmanager.getplugin("capturemanager")
        if capman:
            capman.suspend_global_capture(item)
        sys.stderr.write(f"\n{'+' * 30} Tiempo agotado {'+' * 30}\n{item.nodeid}\n{mensaje}\n")
        terminados = cuelgues.terminar(cuelgues.descendientes())
        if terminados:
            sys.stderr.write(cuelgues.describir_terminados(terminados) + "\n")
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item: pytest.Item, settings):
    """El método «thread» de pytest-timeout, en español y sin matar la sesión si se puede."""
    if settings.method != "thread":
        return None
    en_principal = threading.current_thread() is threading.main_thread()
    acabada = threading.Event()
    estado: dict[str, str] = {}

    def vencer() -> None:
        if acabada.is_set():
            return
        # `interrumpir` se lleva el mensaje de `estado` (para no fallar dos veces); aquí se guarda
        # aparte por si el código del alumno se traga ese fallo (un `except BaseException`).
        mensaje = estado["mensaje"] = pruebas.mensaje_de_limite_de_prueba(settings.timeout)
        if en_principal and not acabada.is_set():
            signal.pthread_kill(threading.main_thread().ident, signal.SIGALRM)
            if acabada.wait(ESPERA_TRAS_INTERRUMPIR):
                return
        if not acabada.is_set():
            _escribir_y_salir(item, mensaje)

    def interrumpir(signum, frame) -> None:
        if "mensaje" in estado and not acabada.is_set():
            pytest.fail(estado.pop("mensaje"), pytrace=False)

    anterior = signal.signal(signal.SIGALRM, interrumpir) if en_principal else None
    temporizador = threading.Timer(settings.timeout, vencer)
    temporizador.name = f"límite de la prueba {item.nodeid}"
    temporizador.daemon = True

    def cancelar() -> None:
        acabada.set()
        temporizador.cancel()
        # Que acabe ya: si no, la prueba siguiente lo vería vivo al empezar y, muerto al acabar,
        # como un hilo que ella dejó (o al revés: lo que falló en test_flota en la CI).
        if threading.current_thread() is not temporizador:
            temporizador.join(ESPERA_TRAS_INTERRUMPIR + 1)
        if en_principal:
            signal.signal(signal.SIGALRM, anterior or signal.SIG_DFL)

    item.cancel_timeout = cancelar
    temporizador.start()
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Los procesos que siguen colgando de pytest al acabar: nadie los va a esperar ya."""
    terminados = cuelgues.terminar(cuelgues.descendientes())
    if terminados:
        sys.stderr.write(f"\nTaller: {cuelgues.describir_terminados(terminados)}\n")
