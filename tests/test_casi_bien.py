"""Las pruebas de los ejercicios rechazan las soluciones «casi bien» de cada módulo.

Los casos [[casi_bien]] están en el manifiesto de cada módulo, soluciones/NN/modulo.toml (el
formato, explicado allí); los lee taller.modulos.casos_casi_bien(). De cada caso se ejecutan
solo las pruebas de `debe_fallar`, y con `mensajes = [["test_...", "fragmento"], ...]` el
mensaje de esa prueba debe contener el fragmento (sin distinguir mayúsculas), para saber que
señala el error y no otra cosa.
"""

import shutil

import pytest

from taller.ejecucion import ejecutar_pruebas
from taller.modulos import buscar_modulo, casos_casi_bien, raiz_del_taller

CASOS = casos_casi_bien(raiz_del_taller())


@pytest.mark.lento
@pytest.mark.timeout(120)
@pytest.mark.parametrize("caso", CASOS, ids=[f"{c['modulo']}-{c['que']}" for c in CASOS])
def test_las_pruebas_rechazan_la_solucion_casi_bien(caso, tmp_path):
    modulo = buscar_modulo(caso["modulo"], raiz_del_taller())
    copia = tmp_path / modulo.numero
    shutil.copytree(modulo.solucion, copia, ignore=shutil.ignore_patterns("__pycache__"))
    fichero = copia / caso["fichero"]
    texto = fichero.read_text(encoding="utf-8")
    for antes, despues in caso["cambios"]:
        assert texto.count(antes) == 1, (
            f"{modulo.ruta_solucion}/modulo.toml ({caso['que']}): el texto a cambiar debe aparecer una vez en "
            f"{modulo.ruta_solucion}/{caso['fichero']} y aparece {texto.count(antes)}:\n{antes}"
        )
        texto = texto.replace(antes, despues)
    fichero.write_text(texto, encoding="utf-8")

    # Solo las pruebas que deben fallar (-k), sin trazas (--tb=line) y sin las que necesitan un
    # motor de contenedores (CI ejecuta `make test` antes de instalar podman): así cada caso
    # tarda menos y da lo mismo en una máquina con motor y en una sin él.
    solo = " or ".join(caso["debe_fallar"])
    extra = ["--tb=line", "-k", solo, "-m", "not contenedor"]
    resultado = ejecutar_pruebas(modulo, codigo=tmp_path, extra=extra)
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
