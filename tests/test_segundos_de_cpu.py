"""taller.pruebas.segundos_de_cpu lee, desde fuera, el reloj de CPU de otros hilos.

Lo usan las pruebas de los módulos 03 y 04 para comprobar que un pool ocioso no gasta CPU.
"""

import threading
import time

from taller.pruebas import segundos_de_cpu


def test_un_hilo_dormido_no_gasta_cpu_y_uno_que_calcula_si():
    listo, seguir = threading.Event(), threading.Event()
    visto_desde_dentro = {}

    def calcular():
        # Trabaja hasta haber gastado 50 ms de CPU propia (no de reloj: la máquina puede ir lenta).
        while time.thread_time() < 0.05:
            pass
        visto_desde_dentro["cpu"] = time.thread_time()
        listo.set()
        seguir.wait(10)

    def dormir():
        seguir.wait(10)

    calculador = threading.Thread(target=calcular, name="calculador")
    dormilon = threading.Thread(target=dormir, name="dormilón")
    calculador.start()
    dormilon.start()
    try:
        assert listo.wait(10)
        cpu_calculador = segundos_de_cpu([calculador])
        cpu_dormilon = segundos_de_cpu([dormilon])
    finally:
        seguir.set()
        calculador.join()
        dormilon.join()
    assert cpu_calculador >= visto_desde_dentro["cpu"] >= 0.05
    assert cpu_calculador < visto_desde_dentro["cpu"] + 0.05
    assert cpu_dormilon < 0.01


def test_un_hilo_sin_arrancar_no_suma():
    sin_arrancar = threading.Thread(target=lambda: None)
    assert segundos_de_cpu([sin_arrancar]) == 0.0
