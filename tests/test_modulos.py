"""Cada módulo está completo, su solución pasa sus pruebas y su esqueleto las falla todas.

Un módulo nuevo queda cubierto con solo añadir sus carpetas: `conftest.py` lo descubre.
"""

import ast
import importlib.metadata
import json
import re
import sys

import pytest

from taller.cuaderno import paso_de_la_prueba, secciones, secciones_numeradas
from taller.ejecucion import ejecutar_pruebas
from taller.generador import esperado
from taller.modulos import POR_HACER, ErrorDelManifiesto

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_tiene_todas_sus_piezas(modulo):
    faltan = []
    if not modulo.solucion.is_dir() or not list(modulo.solucion.glob("*")):
        faltan.append(f"{modulo.ruta_solucion}/")
    try:
        assert modulo.manifiesto.titulo, "el manifiesto debe tener título"
    except ErrorDelManifiesto as error:
        faltan.append(f"un manifiesto válido ({error})")
    if not modulo.pruebas():
        faltan.append(f"{modulo.ruta_ejercicio}/test_*.py")
    if not modulo.enunciado.is_file():
        faltan.append(f"{modulo.ruta_ejercicio}/README.md (el enunciado)")
    if len(modulo.pistas()) < 3:
        faltan.append(f"{modulo.ruta_ejercicio}/pistas.md con al menos 3 «## Pista N»")
    if modulo.cuaderno is None:
        faltan.append(modulo.patron_del_cuaderno)
    assert not faltan, f"Al módulo {modulo.numero} le faltan: {', '.join(faltan)}"


def _por_hacer(ruta, raiz):
    if not ruta.is_file() or "__pycache__" in ruta.parts:
        return []
    return [
        f"{ruta.relative_to(raiz)}:{numero}: {linea.strip()[:100]}"
        for numero, linea in enumerate(ruta.read_text("utf-8", errors="replace").splitlines(), 1)
        if POR_HACER in linea
    ]


def test_no_le_queda_nada_por_hacer_de_taller_nuevo(modulo):
    # `taller nuevo NN "Tema"` deja cada pieza con un TODO(taller nuevo): esta es la lista.
    generados = set(
        esperado(modulo)
    )  # el esqueleto repite lo de la solución: no se cuenta dos veces
    rutas = [*sorted(modulo.solucion.rglob("*"))]
    rutas += [r for r in sorted(modulo.ejercicio.rglob("*")) if r not in generados]
    # Del cuaderno, su fuente: el texto (el .ipynb sale de él).
    fuente = modulo.texto_del_cuaderno or modulo.cuaderno
    if fuente is not None:
        rutas.append(fuente)
    pendientes = [linea for ruta in rutas for linea in _por_hacer(ruta, modulo.raiz)]
    assert not pendientes, (
        f"Al módulo {modulo.numero} le quedan {len(pendientes)} cosas por hacer "
        f"(«{POR_HACER}»):\n" + "\n".join(pendientes)
    )


def _declaradas_en_pyproject(raiz):
    proyecto = tomllib.loads((raiz / "pyproject.toml").read_text("utf-8"))["project"]
    todas = [*proyecto.get("dependencies", [])]
    for extra in proyecto.get("optional-dependencies", {}).values():
        todas += extra
    return {re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].strip().lower() for d in todas}


def test_sus_dependencias_estan_en_el_manifiesto_y_en_pyproject(modulo):
    declaradas = {d.lower() for d in modulo.manifiesto.dependencias}
    faltan_en_pyproject = sorted(declaradas - _declaradas_en_pyproject(modulo.raiz))
    locales = {r.stem for r in modulo.solucion.glob("*.py")}
    de_quien = importlib.metadata.packages_distributions()
    importadas = set()
    for fichero in [*modulo.solucion.glob("*.py"), *modulo.pruebas()]:
        for nodo in ast.walk(ast.parse(fichero.read_text("utf-8"))):
            if isinstance(nodo, ast.Import):
                importadas.update(a.name.split(".")[0] for a in nodo.names)
            elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
                importadas.add(nodo.module.split(".")[0])
    terceros = importadas - set(sys.stdlib_module_names) - locales - {"taller", "pytest"}
    sin_declarar = sorted(
        f"{nombre} (paquete {', '.join(de_quien.get(nombre, ['?']))})"
        for nombre in terceros
        if not {d.lower() for d in de_quien.get(nombre, [nombre])} & declaradas
    )
    assert not (faltan_en_pyproject or sin_declarar), (
        f"{modulo.fichero_manifiesto.relative_to(modulo.raiz)}: "
        + (
            f"sus dependencias {faltan_en_pyproject} no están en pyproject.toml. "
            if faltan_en_pyproject
            else ""
        )
        + (f"Usa {sin_declarar} y no están en «dependencias»." if sin_declarar else "")
    )


def test_dice_si_necesita_un_motor_de_contenedores(modulo):
    # Las pruebas marcadas `contenedor` (a mano o con taller.contenedores.prueba_con_contenedores)
    # se saltan sin motor: el manifiesto debe decirlo.
    con_marca = [
        f.name
        for f in modulo.pruebas()
        if re.search(r"pytest\.mark\.contenedor|@prueba_con_contenedores\(", f.read_text("utf-8"))
    ]
    assert bool(con_marca) == modulo.necesita_motor(), (
        f"{modulo.fichero_manifiesto.relative_to(modulo.raiz)}: «necesita» es "
        f"{list(modulo.manifiesto.necesita)} y las pruebas marcadas contenedor son {con_marca or 'ninguna'}: "
        "si hay alguna, «necesita» lleva «motor de contenedores»; si no, no."
    )


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


def test_los_pasos_del_enunciado_son_los_del_manifiesto(modulo):
    enunciado = modulo.enunciado.read_text("utf-8")
    en_el_enunciado = sorted(
        int(n)
        for n in re.findall(r"^(?:(\d+)\. \*\*|### (\d+)\.)", enunciado, re.M)
        for n in n
        if n
    )
    pasos = list(range(1, len(modulo.manifiesto.pasos) + 1))
    assert en_el_enunciado == pasos, (
        f"{modulo.fichero_manifiesto.relative_to(modulo.raiz)} tiene {len(pasos)} pasos y "
        f"{modulo.ruta_ejercicio}/README.md numera {en_el_enunciado} (cada paso, «N. **...**» "
        "o «### N. ...»)"
    )


def test_los_pasos_de_sus_pruebas_son_los_del_enunciado(modulo):
    # «Qué leer» manda al «paso N» del enunciado: tiene que ser el mismo paso N.
    pasos = set(range(1, len(modulo.manifiesto.pasos) + 1))
    problemas = []
    for fichero in modulo.pruebas():
        for linea in fichero.read_text("utf-8").splitlines():
            if linea.startswith("# --- Paso"):
                nombre = linea[len("# --- ") :].split(" (cuaderno")[0]
                if not _numeros_del_paso(nombre) <= pasos:
                    problemas.append(f"{fichero.name}: «{nombre}»")
    assert not problemas, (
        f"Pasos que no están en {modulo.ruta_ejercicio}/README.md (que tiene {sorted(pasos)}): "
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


# Las dos pruebas lentas ejecutan `pytest ejercicios/NN` (la orden de `taller comprobar` y de
# cada paso de GitHub Classroom), con la solución y con el esqueleto: de fondo, mientras corren
# otras pruebas (ver Fondo en conftest.py); cada prueba comprueba la suya. La solución, en un
# Python recién arrancado, como lo ejecuta el alumno: así nada que haya importado otro lo
# tapa. El esqueleto, bifurcado del zigoto (Lanzador.ejecutar: un segundo de CPU menos), porque
# lo que se mira es que todo falle, y un módulo importado de más no hace pasar nada.
A_LA_VEZ_PRIMERO = True  # 20 ejecuciones de varios segundos: mejor al principio que al final
A_LA_VEZ = {
    "test_la_solucion_pasa_sus_pruebas": lambda p, _: ejecutar_pruebas(
        p["modulo"], soluciones=True
    ),
    "test_el_esqueleto_falla_todas_sus_pruebas_sin_errores": lambda p, fondo: (
        fondo.lanzador.ejecutar(p["modulo"])
    ),
}


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_la_solucion_pasa_sus_pruebas(modulo, de_fondo):
    resultado = de_fondo()
    assert resultado.superado, (
        f"{modulo.ruta_solucion} no pasa sus pruebas:\n{resultado.salida[-4000:]}"
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
