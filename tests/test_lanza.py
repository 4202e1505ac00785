"""lanza, lanzando y sin_lanzar: cuando el código del alumno lanza otra excepción, el informe
dice solo el mensaje en español (que la nombra), sin la excepción del alumno encadenada.

pytest enseña un fallo con pytrace=False con el estilo «value» (solo los mensajes), pero con
la cadena: un pytest.fail dentro de un `except` salía detrás de la excepción atrapada y de
«During handling of the above exception, another exception occurred».
"""

import pytest

from taller.pruebas import lanza, lanzando, sin_lanzar


def del_alumno():
    raise KeyError("la clave que no estaba")


def con_lanza():
    lanza(ValueError, "validar('x')", del_alumno, "Un valor malo es un ValueError.")


def con_lanzando():
    with lanzando(ValueError, "validar('x')", "Un valor malo es un ValueError."):
        del_alumno()


def con_sin_lanzar():
    sin_lanzar(del_alumno, lambda error: f"validar('x') no debía lanzar nada; lanzó {error!r}")


@pytest.mark.parametrize("probar", [con_lanza, con_lanzando, con_sin_lanzar])
def test_el_informe_dice_solo_el_mensaje_sin_la_excepcion_encadenada(probar):
    with pytest.raises(pytest.fail.Exception) as fallo:
        probar()
    # Como lo enseña pytest (nodes.Node._repr_failure_py, con pytrace=False).
    informe = str(fallo.getrepr(style="value", chain=True))
    assert "During handling" not in informe, informe
    assert informe.startswith("validar('x')"), informe
    assert "KeyError" in informe and "la clave que no estaba" in informe, informe
    assert fallo.value.__suppress_context__, "la excepción del alumno sigue encadenada"


def test_lanza_devuelve_la_excepcion_esperada_y_dice_si_no_lanza_nada():
    assert isinstance(lanza(KeyError, "del_alumno()", del_alumno), KeyError)
    with pytest.raises(pytest.fail.Exception) as fallo:
        lanza(ValueError, "int('1')", lambda: int("1"), "Debía rechazarlo.")
    assert str(fallo.value) == "int('1') no lanzó ValueError. Debía rechazarlo."
