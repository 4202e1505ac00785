"""con_limite: devuelve el valor, relanza el error y, si no acaba a tiempo, falla explicando."""

import threading

import pytest

from taller.pruebas import con_limite


def test_devuelve_el_valor_y_pasa_los_argumentos():
    assert con_limite(5, divmod, 7, 2, que="divmod") == (3, 1)


def test_relanza_el_error_de_la_funcion():
    with pytest.raises(ZeroDivisionError):
        con_limite(5, divmod, 1, 0, que="dividir por cero")


@pytest.mark.parametrize(
    ("pista", "se_lee"), [(None, "semáforo"), ("¿pasas el timeout?", "¿pasas el timeout?")]
)
def test_si_no_acaba_a_tiempo_falla_con_que_y_la_pista(pista, se_lee):
    suelta = threading.Event()
    try:
        with pytest.raises(pytest.fail.Exception) as fallo:
            con_limite(0.05, suelta.wait, que="Esperar un evento", pista=pista)
    finally:
        suelta.set()
    assert "Esperar un evento no terminó en 0.05 s" in str(fallo.value)
    assert se_lee in str(fallo.value)


def test_un_join_sin_start_se_explica_en_espanol():
    with pytest.raises(pytest.fail.Exception) as fallo:
        con_limite(5, threading.Thread(target=print).join, que="detener()")
    assert str(fallo.value).startswith("detener(): join() de un hilo")
    assert "RuntimeError" in str(fallo.value)
    assert "join() de un hilo que no se ha arrancado" in str(fallo.value)


def test_otro_runtimeerror_se_relanza_tal_cual():
    def falla():
        raise RuntimeError("El pool ya está detenido")

    with pytest.raises(RuntimeError, match="El pool ya está detenido"):
        con_limite(5, falla, que="enviar()")
