"""Las pruebas de los ejercicios rechazan las soluciones «casi bien» de cada módulo.

Los casos [[casi_bien]] están en el manifiesto de cada módulo, soluciones/NN/modulo.toml (el
formato, explicado allí); los lee taller.modulos.casos_casi_bien(). Cada caso ejecuta solo las pruebas de
`debe_fallar` (`pytest -k`). Y puede añadir `mensajes = [["test_...", "fragmento"], ...]`: el
mensaje de esa prueba debe contener el fragmento (sin distinguir mayúsculas), para saber que
señala el error y no otra cosa.

Cada caso es una ejecución de pytest aparte, en su propio proceso (hijo de tests/zigoto.py,
que ya tiene pytest importado: ver `Lanzador` en conftest.py), hecha de fondo mientras corren
otras pruebas (ver `Fondo` en conftest.py); cada prueba espera la suya y comprueba el resultado.
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


def probar(caso: dict, carpeta: Path, lanzador):
    modulo = preparar(caso, carpeta)
    # Solo las pruebas que deben fallar (-k) y solo los ficheros que las tienen, sin trazas
    # (--tb=line) y sin las que necesitan un motor de contenedores (CI ejecuta `make test` antes
    # de instalar podman): así cada caso tarda menos y da lo mismo con motor y sin él.
    solo = " or ".join(caso["debe_fallar"])
    extra = ["--tb=line", "-k", solo, "-m", "not contenedor"]
    ficheros = ficheros_que_definen(modulo, caso["debe_fallar"])
    return lanzador.ejecutar(modulo, codigo=carpeta, extra=extra, timeout=120, ficheros=ficheros)


# El trabajo de cada caso se hace de fondo (ver Fondo en conftest.py); la prueba lo comprueba.
A_LA_VEZ = {
    PRUEBA: lambda parametros, fondo: probar(parametros["caso"], fondo.carpeta(), fondo.lanzador)
}


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
