"""Cada módulo está completo, su solución pasa sus pruebas y su esqueleto las falla todas.

Un módulo nuevo queda cubierto con solo añadir sus carpetas: `conftest.py` lo descubre.
"""

import ast
import json
import re

import pytest

from taller.cuaderno import paso_de_la_prueba, secciones, secciones_numeradas
from taller.ejecucion import ejecutar_pruebas


def test_tiene_todas_sus_piezas(modulo):
    faltan = []
    if not modulo.solucion.is_dir() or not list(modulo.solucion.glob("*")):
        faltan.append(f"soluciones/{modulo.numero}/")
    if not modulo.pruebas():
        faltan.append(f"ejercicios/{modulo.numero}/test_*.py")
    if not modulo.enunciado.is_file():
        faltan.append(f"ejercicios/{modulo.numero}/README.md (el enunciado)")
    if len(modulo.pistas()) < 3:
        faltan.append(f"ejercicios/{modulo.numero}/pistas.md con al menos 3 «## Pista N»")
    if modulo.cuaderno is None:
        faltan.append(f"notebooks/{modulo.numero}_*.ipynb")
    assert not faltan, f"Al módulo {modulo.numero} le faltan: {', '.join(faltan)}"


def test_cada_prueba_esta_en_un_paso_que_nombra_sus_secciones_del_cuaderno(modulo):
    # `taller comprobar` y `vigilar` mandan a leer esas secciones cuando la prueba falla.
    todas = secciones(modulo.cuaderno)
    problemas = []
    for fichero in modulo.pruebas():
        for prueba in re.findall(r"^def (test_\w+)\(", fichero.read_text("utf-8"), re.M):
            paso = paso_de_la_prueba(modulo.ejercicio, prueba)
            if paso is None:
                problemas.append(
                    f"{fichero.name}::{prueba} no está bajo ninguna cabecera "
                    "«# --- Paso N: ... (cuaderno: N) ---»"
                )
            elif len(secciones_numeradas(todas, paso.secciones)) != len(paso.secciones):
                problemas.append(
                    f"«{paso.nombre}» nombra secciones {paso.secciones} y el "
                    f"cuaderno {modulo.cuaderno.name} no las tiene todas"
                )
    assert not problemas, "\n".join(sorted(set(problemas)))


def _numeros_del_paso(nombre):
    """«Paso 4, a fondo: detener» → {4}; «Pasos 4 a 7: ...» → {4, 5, 6, 7}; «Pasos 1 y 2» → {1, 2}."""
    antes = nombre.split(":")[0]
    rango = re.search(r"(\d+) a (\d+)", antes)
    if rango:
        return set(range(int(rango[1]), int(rango[2]) + 1))
    return {int(n) for n in re.findall(r"\d+", antes)}


def test_los_pasos_de_sus_pruebas_son_los_del_enunciado(modulo):
    # «Qué leer» manda al «paso N» del enunciado: tiene que ser el mismo paso N.
    enunciado = modulo.enunciado.read_text("utf-8")
    pasos = {
        int(n)
        for n in re.findall(r"^(?:(\d+)\. \*\*|### (\d+)\.)", enunciado, re.M)
        for n in n
        if n
    }
    problemas = []
    for fichero in modulo.pruebas():
        for linea in fichero.read_text("utf-8").splitlines():
            if linea.startswith("# --- Paso"):
                nombre = linea[len("# --- ") :].split(" (cuaderno")[0]
                if not _numeros_del_paso(nombre) <= pasos:
                    problemas.append(f"{fichero.name}: «{nombre}»")
    assert not problemas, (
        f"Pasos que no están en ejercicios/{modulo.numero}/README.md (que tiene {sorted(pasos)}): "
        + "; ".join(problemas)
    )


def test_cada_assert_de_sus_pruebas_lleva_un_mensaje(modulo):
    # Un `assert a == b` sin mensaje le enseña al alumno la comparación cruda de pytest, en
    # inglés y sin pista: cada assert dice en español qué se esperaba y qué llegó.
    sin_mensaje = [
        f"{fichero.name}:{nodo.lineno}: {ast.unparse(nodo)[:80]}"
        for fichero in modulo.pruebas()
        for nodo in ast.walk(ast.parse(fichero.read_text("utf-8")))
        if isinstance(nodo, ast.Assert) and nodo.msg is None
    ]
    assert not sin_mensaje, "Asserts sin mensaje:\n" + "\n".join(sin_mensaje)


def test_el_cuaderno_se_guarda_sin_salidas(modulo):
    cuaderno = json.loads(modulo.cuaderno.read_text(encoding="utf-8"))
    con_salida = [
        i
        for i, celda in enumerate(cuaderno["cells"])
        if celda["cell_type"] == "code" and (celda.get("outputs") or celda.get("execution_count"))
    ]
    assert not con_salida, (
        f"{modulo.cuaderno.name} tiene salidas guardadas en las celdas {con_salida}: "
        "bórralas antes de guardarlo (Edit > Clear Outputs of All Cells)"
    )


# Las dos pruebas lentas ejecutan `pytest ejercicios/NN` de verdad (la orden de `taller
# comprobar` y de cada paso de GitHub Classroom), con la solución y con el esqueleto: de fondo,
# mientras corren otras pruebas (ver Fondo en conftest.py); cada prueba comprueba la suya.
A_LA_VEZ_PRIMERO = True  # 16 ejecuciones de varios segundos: mejor al principio que al final
A_LA_VEZ = {
    "test_la_solucion_pasa_sus_pruebas": lambda p, _: ejecutar_pruebas(
        p["modulo"], soluciones=True
    ),
    "test_el_esqueleto_falla_todas_sus_pruebas_sin_errores": lambda p, _: ejecutar_pruebas(
        p["modulo"]
    ),
}


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_la_solucion_pasa_sus_pruebas(modulo, de_fondo):
    resultado = de_fondo()
    assert resultado.superado, (
        f"soluciones/{modulo.numero} no pasa sus pruebas:\n{resultado.salida[-4000:]}"
    )


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_el_esqueleto_falla_todas_sus_pruebas_sin_errores(modulo, de_fondo):
    resultado = de_fondo()
    assert resultado.total > 0, f"No se recogió ninguna prueba:\n{resultado.salida[-3000:]}"
    assert resultado.codigo_salida == 1, (
        f"pytest debería salir con 1 sobre el esqueleto; salió con {resultado.codigo_salida}"
    )
    assert not resultado.con_error, (
        "Sobre el esqueleto, estas pruebas dan ERROR en vez de fallar (¿se usa el código del "
        "alumno fuera de una prueba, o en un fixture?): "
        + ", ".join(f.prueba for f in resultado.con_error)
    )
    assert resultado.pasadas == 0, (
        f"Sobre el esqueleto pasan {resultado.pasadas} de {resultado.total} pruebas: "
        "una prueba que pasa sin código no comprueba nada"
    )
