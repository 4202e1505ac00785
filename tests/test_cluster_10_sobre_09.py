"""El módulo 10 parte del 09 del alumno, sin copiarlo (issue 16: un módulo, un sitio).

El 10 no trae un inventario.py ni un ronda.py propios (antes eran enlaces a la solución del 09,
y ejercicios/10 los recibía ya resueltos: la solución del proyecto final a la vista del alumno,
y dos veces el mismo código). Su cluster.py importa los del 09 con
`taller.pruebas.del_modulo("09", ...)`: ejercicios/09 del alumno, o soluciones/09 con
--soluciones. Estas pruebas miran que así sea y ejecutan las pruebas del 10 con un 09 sin
terminar (las de los pasos 1 y 2 pasan; las demás dicen «termina antes el 09») y con una ronda
del 09 sin el parámetro `ejecutor=` (lo dicen también).
"""

import shutil

import pytest

from taller.modulos import buscar_modulo, raiz_del_taller

RAIZ = raiz_del_taller()
MODULO_09, MODULO_10 = buscar_modulo("09", RAIZ), buscar_modulo("10", RAIZ)
DEL_09 = ("inventario.py", "ronda.py")
# Las pruebas de los pasos 1 y 2 (conectar, arrancar_cluster): no usan el 09.
SIN_EL_09 = ("test_conectar_", "test_arrancar_cluster_", "test_un_worker_que_no_arranca_")


def test_el_10_no_trae_copia_del_09():
    copias = [
        str(ruta.relative_to(RAIZ))
        for carpeta in (MODULO_10.solucion, MODULO_10.ejercicio)
        for ruta in carpeta.iterdir()
        if ruta.name in DEL_09 or ruta.is_symlink()
    ]
    assert not copias, (
        f"El 10 importa el inventario y la ronda del 09 (del_modulo): sobran {copias}, copias "
        "o enlaces del 09 (en ejercicios/10, la solución del 09 a la vista del alumno)"
    )


def test_el_cluster_de_soluciones_usa_el_09_de_soluciones():
    cluster = MODULO_10.importar("cluster")
    for nombre, modulo in (("inventario", cluster.inventario), ("ronda", cluster.ronda_del_09)):
        esperado = MODULO_09.solucion / f"{nombre}.py"
        assert modulo.__file__ == str(esperado), (
            f"soluciones/10/cluster.py debe usar {esperado.relative_to(RAIZ)}; usa {modulo.__file__}"
        )
    assert cluster.ronda is cluster.ronda_del_09.ronda, "ronda() es la del 09, no otra"


# --- Las pruebas del 10 con otro 09 (de fondo: ver Fondo en tests/conftest.py) ----------------


def _con(carpeta, codigo_09, cambios=()):
    """carpeta/10: la solución del 10; carpeta/09: `codigo_09`, con los cambios de ronda.py."""
    sin_cache = shutil.ignore_patterns("__pycache__")
    shutil.copytree(MODULO_10.solucion, MODULO_10.codigo_en(carpeta), ignore=sin_cache)
    shutil.copytree(codigo_09, MODULO_09.codigo_en(carpeta), ignore=sin_cache)
    ronda = MODULO_09.codigo_en(carpeta) / "ronda.py"
    texto = ronda.read_text(encoding="utf-8")
    for antes, despues in cambios:
        assert texto.count(antes) == 1, f"{antes!r} debe aparecer una vez en {ronda}"
        texto = texto.replace(antes, despues)
    ronda.write_text(texto, encoding="utf-8")
    return carpeta


# Una ronda del 09 de antes de `ejecutor=` (el resto, terminado).
SIN_EJECUTOR = [
    ("    ejecutor: Executor | None = None,\n) -> list[Resultado]:", ") -> list[Resultado]:"),
    ("    if ejecutor is not None:", "    ejecutor = None\n    if ejecutor is not None:"),
]
SIN_CONTENEDOR = ["--tb=line", "-m", "not contenedor"]

# Dos ejecuciones del 10 de ~10 s (cada una arranca sus clusters): al principio, no solas al final.
A_LA_VEZ_PRIMERO = True
A_LA_VEZ = {
    "test_con_el_09_sin_terminar_solo_pasan_los_pasos_1_y_2": lambda _, f: f.lanzador.ejecutar(
        MODULO_10,
        codigo=_con(f.carpeta(), MODULO_09.ejercicio),
        extra=SIN_CONTENEDOR,
        timeout=300,
    ),
    "test_con_una_ronda_del_09_sin_ejecutor_las_pruebas_del_10_lo_dicen": lambda _, f: (
        f.lanzador.ejecutar(
            MODULO_10,
            codigo=_con(f.carpeta(), MODULO_09.solucion, SIN_EJECUTOR),
            extra=[*SIN_CONTENEDOR, "-k", "test_la_ronda_en_el_cluster or conectar_da"],
            timeout=300,
        )
    ),
}


@pytest.mark.lento
@pytest.mark.timeout(320)
def test_con_el_09_sin_terminar_solo_pasan_los_pasos_1_y_2(de_fondo):
    resultado = de_fondo()
    pasan = {nombre.split("[")[0] for nombre, estado in resultado.casos if estado == "pasa"}
    fallan = {f.prueba.split("[")[0] for f in resultado.fallidas}
    de_1_y_2 = {n for n, _ in resultado.casos if n.startswith(SIN_EL_09)}
    assert de_1_y_2 and {n.split("[")[0] for n in de_1_y_2} == pasan, (
        f"Con el 10 terminado y el 09 en esqueleto, deben pasar las pruebas de los pasos 1 y 2 "
        f"(no usan el 09), y solo ellas; pasan {sorted(pasan)}\n{resultado.salida[-3000:]}"
    )
    sin_aviso = [f.prueba for f in resultado.fallidas if "termina antes el 09" not in f.mensaje]
    assert fallan and not sin_aviso and not resultado.con_error, (
        "Cada prueba del 10 que usa el 09 debe decir «termina antes el 09» (y qué le falta); no lo "
        f"dicen {sin_aviso or [f.prueba for f in resultado.con_error]}\n{resultado.salida[-3000:]}"
    )
    sin_que = [f.prueba for f in resultado.fallidas if "NotImplementedError" not in f.mensaje]
    assert not sin_que, f"El aviso debe decir qué falta del 09 (NotImplementedError): {sin_que}"


@pytest.mark.lento
@pytest.mark.timeout(320)
def test_con_una_ronda_del_09_sin_ejecutor_las_pruebas_del_10_lo_dicen(de_fondo):
    resultado = de_fondo()
    fallan = [f for f in resultado.fallidas if f.prueba.startswith("test_la_ronda_en_el_cluster")]
    sin_aviso = [
        f.prueba
        for f in fallan
        if "termina antes el 09" not in f.mensaje or "ejecutor=" not in f.mensaje
    ]
    assert len(fallan) == 2 and not sin_aviso and not resultado.con_error, (
        "Con una ronda del 09 sin el parámetro ejecutor=, las pruebas de la ronda en el cluster "
        f"deben fallar diciendo que le falta ejecutor= y «termina antes el 09»; fallan "
        f"{[f.prueba for f in fallan]}, sin ese aviso {sin_aviso}\n{resultado.salida[-3000:]}"
    )
    assert resultado.pasadas == 1, (
        "conectar no usa el 09: con una ronda del 09 sin ejecutor=, su prueba pasa; pasan "
        f"{resultado.pasadas}\n{resultado.salida[-3000:]}"
    )
