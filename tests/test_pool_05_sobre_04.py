"""El pool del módulo 05 es el del módulo 04, con promesas (issue 16).

El alumno no construye dos pools sin relación: el Pool del 05 hereda del que escribió en el
04 (`taller.pruebas.del_modulo("04", "pool")`: ejercicios/04/pool.py, o soluciones/04 con
--soluciones). Estas pruebas comparan las dos soluciones para que no se separen (la misma
clase, las mismas reglas al crearlo, con los mismos mensajes, y la misma forma de usarlo), y
ejecutan las pruebas del 05 con un 04 sin terminar (dicen «termina antes el 04») y con el
esqueleto del 05 sobre un 04 terminado (fallan todas: lo del 05 no viene hecho del 04).
"""

import functools
import importlib
import shutil

import pytest

from taller.modulos import buscar_modulo, raiz_del_taller
from taller.propiedades import example, given, st
from taller.pruebas import _espacio_de_nombres

RAIZ = raiz_del_taller()


def _pool_de(numero):
    """soluciones/NN/pool.py con sus vecinos (arreglos.py, promesa.py), cada carpeta en su
    espacio de nombres, como cargar(): los dos se llaman `pool`."""
    with _espacio_de_nombres(RAIZ / "soluciones" / numero):
        return importlib.import_module("pool")


POOL_04 = _pool_de("04")
POOL_05 = _pool_de("05")


def _al_crear(clase, valor):
    """Lo que pasa al crear clase(valor): "acepta", o el tipo y el mensaje del error."""
    try:
        clase(valor)
    except Exception as error:  # noqa: BLE001 - se compara qué lanzó cada uno
        return type(error).__name__, str(error)
    return "acepta"


NUMEROS_DE_EJECUTORES = st.one_of(
    st.integers(min_value=-3, max_value=40),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
)


@given(NUMEROS_DE_EJECUTORES)
@example("3")
@example(3.0)
@example(True)
@example(0)
def test_el_pool_del_05_valida_el_numero_de_ejecutores_como_el_del_04(valor):
    en_el_04, en_el_05 = _al_crear(POOL_04.Pool, valor), _al_crear(POOL_05.Pool, valor)
    assert en_el_05 == en_el_04, (
        f"Pool({valor!r}): en el módulo 04 da {en_el_04} y en el 05 {en_el_05}; el pool del "
        "05 es el del 04 con promesas, y valida igual"
    )


def test_el_pool_del_05_se_usa_como_el_del_04():
    publico = {
        nombre
        for nombre in dir(POOL_04.Pool)
        if not nombre.startswith("_") or nombre in ("__enter__", "__exit__")
    }
    faltan = sorted(n for n in publico if not hasattr(POOL_05.Pool, n))
    assert not faltan, f"Al Pool del 05 le falta lo que tenía el del 04: {faltan}"
    p4, p5 = POOL_04.Pool(2), POOL_05.Pool(2)
    atributos = sorted(n for n in vars(p4) if not n.startswith("_"))
    faltan = [n for n in atributos if not hasattr(p5, n)]
    assert not faltan, f"A un Pool del 05 le faltan atributos del 04: {faltan}"
    assert len(p5.ejecutores) == 2 and not any(h.is_alive() for h in p5.ejecutores), (
        "Como en el 04, Pool(2) crea 2 ejecutores y no los arranca hasta arrancar()"
    )


@pytest.mark.timeout(30)
def test_el_pool_del_05_arranca_y_se_detiene_como_el_del_04():
    for modulo in (POOL_04, POOL_05):
        hechos = []
        with modulo.Pool(2) as p:
            assert all(h.is_alive() for h in p.ejecutores), "with Pool(2) arranca el pool"
            p.enviar(functools.partial(hechos.append, 1))  # el 04 no pasa argumentos
        assert hechos == [1], f"{modulo.__file__}: el trabajo no se hizo antes de salir del with"
        with pytest.raises(RuntimeError):
            p.enviar(print)
            pytest.fail(f"{modulo.__file__}: un pool detenido no acepta trabajos")
        assert not any(h.is_alive() for h in p.ejecutores), "detener() espera a los ejecutores"


def test_el_pool_del_05_hereda_del_pool_del_04():
    assert POOL_05.pool_del_04 is POOL_04 or POOL_05.pool_del_04.__file__ == POOL_04.__file__, (
        f"El pool del 05 debe partir de soluciones/04/pool.py; usa {POOL_05.pool_del_04.__file__}"
    )
    assert issubclass(POOL_05.Pool, POOL_05.pool_del_04.Pool), (
        "El Pool del 05 hereda del Pool del 04 (class Pool(pool_del_04.Pool))"
    )


# --- Las pruebas del pool del 05 con otro 04 (de fondo: ver Fondo en tests/conftest.py) ---------

MODULO_04, MODULO_05 = buscar_modulo("04", RAIZ), buscar_modulo("05", RAIZ)
SOLO_EL_POOL = ["--tb=line", "-k", "test_2_pool"]


def _con(carpeta, pool_05, codigo_04):
    """carpeta/05: la solución del 05 con `pool_05` como pool.py; carpeta/04: `codigo_04`."""
    shutil.copytree(MODULO_05.solucion, MODULO_05.codigo_en(carpeta))
    shutil.copy(pool_05, MODULO_05.codigo_en(carpeta) / "pool.py")
    shutil.copytree(codigo_04, MODULO_04.codigo_en(carpeta))
    return carpeta


A_LA_VEZ = {
    "test_con_el_04_sin_terminar_las_pruebas_del_05_dicen_que_se_termine_antes": lambda _, f: (
        f.lanzador.ejecutar(
            MODULO_05,
            codigo=_con(f.carpeta(), MODULO_05.solucion / "pool.py", MODULO_04.ejercicio),
            extra=SOLO_EL_POOL,
        )
    ),
    "test_el_esqueleto_del_05_sobre_el_04_terminado_falla_todas_las_del_pool": lambda _, f: (
        f.lanzador.ejecutar(
            MODULO_05,
            codigo=_con(f.carpeta(), MODULO_05.ejercicio / "pool.py", MODULO_04.solucion),
            extra=SOLO_EL_POOL,
        )
    ),
}


@pytest.mark.lento
@pytest.mark.timeout(120)
def test_con_el_04_sin_terminar_las_pruebas_del_05_dicen_que_se_termine_antes(de_fondo):
    resultado = de_fondo()
    assert resultado.total > 0 and resultado.pasadas == 0, (
        f"Con el esqueleto del 04, ninguna prueba del pool del 05 debería pasar: pasan "
        f"{resultado.pasadas} de {resultado.total}\n{resultado.salida[-3000:]}"
    )
    sin_aviso = [f.prueba for f in resultado.fallidas if "termina antes el 04" not in f.mensaje]
    assert not sin_aviso and not resultado.con_error, (
        f"Cada prueba del pool del 05 debería decir «termina antes el 04»; no lo dicen "
        f"{sin_aviso or [f.prueba for f in resultado.con_error]}\n{resultado.salida[-3000:]}"
    )


@pytest.mark.lento
@pytest.mark.timeout(120)
def test_el_esqueleto_del_05_sobre_el_04_terminado_falla_todas_las_del_pool(de_fondo):
    resultado = de_fondo()
    assert resultado.total > 0 and resultado.pasadas == 0 and not resultado.con_error, (
        f"Con el 04 terminado y el pool.py del esqueleto del 05, todas las pruebas del pool "
        f"del 05 deben fallar (lo del 05 no viene hecho): pasan {resultado.pasadas} de "
        f"{resultado.total}, {len(resultado.con_error)} con error\n{resultado.salida[-3000:]}"
    )
    del_04 = [f.prueba for f in resultado.fallidas if "termina antes el 04" in f.mensaje]
    assert not del_04, f"Con el 04 terminado, estas culpan al 04: {del_04}"
