"""Las pruebas de los ejercicios rechazan las soluciones «casi bien» de cada módulo.

Los casos [[casi_bien]] están en el manifiesto de cada módulo, soluciones/NN/modulo.toml (el
formato, explicado allí); los lee taller.modulos.casos_casi_bien(). Cada caso ejecuta solo las pruebas de
`debe_fallar` (`pytest -k`). Y puede añadir `mensajes = [["test_...", "fragmento"], ...]`: el
mensaje de esa prueba debe contener el fragmento (sin distinguir mayúsculas), para saber que
señala el error y no otra cosa.

Cada caso es una ejecución de pytest aparte, en su propio proceso: un hijo del pytest que ya
recogió las pruebas de su módulo (tests/servidor_de_casos.py, hijo a su vez de tests/zigoto.py:
ver `Lanzador` en conftest.py), hecha de fondo mientras corren otras pruebas (ver `Fondo` en
conftest.py); cada prueba espera la suya y comprueba el resultado.
"""

import functools
import re
import shutil
from pathlib import Path

import pytest

from taller.modulos import buscar_modulo, casos_casi_bien, raiz_del_taller

# La raíz se busca una vez, al importar: los casos se preparan en hilos de fondo (Fondo, en
# conftest.py) mientras otras pruebas cambian de carpeta (monkeypatch.chdir a un taller de
# juguete), y raiz_del_taller() desde la carpeta actual encontraría el de juguete.
RAIZ = raiz_del_taller()


# Los casos «casi bien» de todos los módulos, cada uno con su `modulo` (del manifiesto). Del
# último módulo al primero: los de los últimos son los más largos (el 10 arranca un cluster de
# Dask en cada caso, unos 10 s), y su trabajo de fondo se lanza en este orden: los largos al
# principio, y al final solo quedan casos cortos, sin un núcleo esperando a uno largo.
CASOS = sorted(casos_casi_bien(RAIZ), key=lambda caso: caso["modulo"], reverse=True)
PRUEBA = "test_las_pruebas_rechazan_la_solucion_casi_bien"


def _nombre(caso: dict) -> str:
    return f"{caso['modulo']}-{caso['que']}"


def preparar(caso: dict, carpeta: Path):
    """Copia soluciones/NN en carpeta/NN y le aplica los cambios del caso.

    Un caso del 05 puede cambiar el código del 04, del que parte (`fichero = "../04/pool.py"`):
    entonces se copia también soluciones/04 en carpeta/04, y el 05 lo usa (Modulo.carpeta_de_otro).
    """
    modulo = buscar_modulo(caso["modulo"], RAIZ)
    copia = modulo.codigo_en(carpeta)
    shutil.copytree(modulo.solucion, copia, ignore=shutil.ignore_patterns("__pycache__"))
    partes = Path(caso["fichero"]).parts
    if partes[0] == "..":
        otro = buscar_modulo(partes[1], RAIZ)
        shutil.copytree(
            otro.solucion, otro.codigo_en(carpeta), ignore=shutil.ignore_patterns("__pycache__")
        )
    fichero = copia / caso["fichero"]
    texto = fichero.read_text(encoding="utf-8")
    for antes, despues in caso["cambios"]:
        assert texto.count(antes) == 1, (
            f"{modulo.ruta_solucion}/modulo.toml ({caso['que']}): el texto a cambiar debe aparecer "
            f"una vez en {modulo.ruta_solucion}/{caso['fichero']} y aparece {texto.count(antes)}:\n{antes}"
        )
        texto = texto.replace(antes, despues)
    fichero.write_text(texto, encoding="utf-8")
    return modulo


@functools.cache
def _pruebas_de(fichero: Path) -> frozenset[str]:
    """Los nombres de las pruebas que define un fichero (se lee una vez para todos los casos)."""
    return frozenset(re.findall(r"^def (test_\w+)\(", fichero.read_text(encoding="utf-8"), re.M))


def ficheros_que_definen(modulo, pruebas: list[str]) -> list[str]:
    """Los ficheros de pruebas del módulo que definen alguna de `pruebas` (rutas desde la raíz).

    Recoger un fichero es importarlo (y lo que importa: el código del alumno, Hypothesis...): en
    el 09, con cinco ficheros, recoger solo el de la prueba ahorra ~0,4 s de CPU por caso. Si
    ninguno la define (un nombre mal escrito), todos: el caso dirá que esa prueba no falla."""
    definen = [
        fichero
        for fichero in sorted(modulo.ejercicio.glob("test_*.py"))
        if _pruebas_de(fichero) & set(pruebas)
    ]
    return [str(fichero.relative_to(modulo.raiz)) for fichero in definen]


# Sin trazas (--tb=line) y sin las pruebas que necesitan un motor de contenedores (CI ejecuta
# `make test` antes de instalar podman): así cada caso tarda menos y da lo mismo con motor y sin él.
OPCIONES = ["--tb=line", "-m", "not contenedor"]


def seleccion(caso: dict, modulo) -> tuple[str, list[str]]:
    """(-k, ficheros): las pruebas que deben fallar, y solo los ficheros que las tienen."""
    return " or ".join(caso["debe_fallar"]), ficheros_que_definen(modulo, caso["debe_fallar"])


def probar(caso: dict, carpeta: Path, lanzador):
    """Las pruebas del caso contra su código, en un hijo del pytest que ya recogió las pruebas
    del módulo (Lanzador.ejecutar_caso)."""
    modulo = preparar(caso, carpeta)
    return lanzador.ejecutar_caso(modulo, carpeta, OPCIONES, *seleccion(caso, modulo), timeout=120)


def en_los_dos(caso: dict, carpeta: Path, lanzador):
    """El caso en el servidor de casos (como `probar`) y en un pytest aparte, recién arrancado
    (Lanzador.ejecutar, como se hacía antes del servidor), con las mismas opciones."""
    servidor = probar(caso, carpeta, lanzador)
    modulo = buscar_modulo(caso["modulo"], RAIZ)
    solo, ficheros = seleccion(caso, modulo)
    extra = [*OPCIONES, "-k", solo]
    aparte = lanzador.ejecutar(modulo, codigo=carpeta, extra=extra, timeout=120, ficheros=ficheros)
    return servidor, aparte


# De cada módulo, el primer caso que dice qué mensajes espera. Ni el 07 ni el 10, los caros
# (cada caso crea entornos con pip o arranca clusters de Dask, 10 s o más), que no tienen nada
# que no tengan los demás: el código del alumno que lanza procesos (el 06), ni el que parte de
# otro módulo (el 05), ni pruebas que buscan ficheros en su carpeta (el 08 y el 09).


def _de_muestra(numero: str) -> dict:
    """El primero con `mensajes`; en el 05, el primero que cambia el código del 04."""
    con_mensajes = [c for c in CASOS if c["modulo"] == numero and c.get("mensajes")]
    return next((c for c in con_mensajes if c["fichero"].startswith("..")), con_mensajes[0])


MUESTRA = [_de_muestra(numero) for numero in sorted({c["modulo"] for c in CASOS} - {"07", "10"})]

# El trabajo de cada caso se hace de fondo (ver Fondo en conftest.py); la prueba lo comprueba.
A_LA_VEZ = {
    PRUEBA: lambda parametros, fondo: probar(parametros["caso"], fondo.carpeta(), fondo.lanzador),
    "test_el_servidor_de_casos_da_lo_mismo_que_un_pytest_aparte": lambda parametros, fondo: (
        en_los_dos(parametros["caso"], fondo.carpeta(), fondo.lanzador)
    ),
}


@pytest.mark.lento
@pytest.mark.timeout(300)
@pytest.mark.parametrize("caso", MUESTRA, ids=[_nombre(c) for c in MUESTRA])
def test_el_servidor_de_casos_da_lo_mismo_que_un_pytest_aparte(caso, de_fondo):
    """Cada prueba, con el mismo resultado y en el mismo orden; el mismo código de salida; y
    los mensajes que espera el caso, en los dos."""
    servidor, aparte = de_fondo()
    assert servidor.casos, f"Con «{caso['que']}», el servidor no ejecutó ninguna prueba"
    assert (servidor.casos, servidor.codigo_salida) == (aparte.casos, aparte.codigo_salida), (
        f"Con «{caso['que']}», el servidor de casos da {servidor.casos} (sale con "
        f"{servidor.codigo_salida}) y un pytest aparte {aparte.casos} (sale con "
        f"{aparte.codigo_salida})"
    )
    for prueba, fragmento in caso["mensajes"]:
        for donde, resultado in (("el servidor", servidor), ("el pytest aparte", aparte)):
            dicen = [f.mensaje for f in resultado.fallidas if f.prueba.split("[")[0] == prueba]
            assert any(fragmento.casefold() in dice.casefold() for dice in dicen), (
                f"Con «{caso['que']}», en {donde} el mensaje de {prueba} no contiene "
                f"«{fragmento}»: {dicen}"
            )


@pytest.mark.lento
@pytest.mark.timeout(300)
@pytest.mark.parametrize("caso", CASOS, ids=[_nombre(c) for c in CASOS])
def test_las_pruebas_rechazan_la_solucion_casi_bien(caso, de_fondo):
    resultado = de_fondo()
    assert not resultado.cortado, f"Con «{caso['que']}»: {resultado.cortado}"
    mensajes = {}
    for fallo in resultado.fallidas + resultado.con_error:
        mensajes.setdefault(fallo.prueba.split("[")[0], []).append(fallo.mensaje)
    no_fallan = [nombre for nombre in caso["debe_fallar"] if nombre not in mensajes]
    assert not no_fallan, (
        f"Con «{caso['que']}» deberían fallar {no_fallan}, y no fallan. Fallan: {sorted(mensajes)}"
    )
    for prueba, fragmento in caso.get("mensajes", []):
        dicen = mensajes.get(prueba, [])
        assert any(fragmento.casefold() in dice.casefold() for dice in dicen), (
            f"Con «{caso['que']}», el mensaje de {prueba} debería señalar el error "
            f"(contener «{fragmento}»), y dice: {dicen or '(no falla)'}"
        )
