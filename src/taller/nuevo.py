"""`taller nuevo NN "Tema"`: todas las piezas de un módulo nuevo, con lo que falta marcado.

Escribe el manifiesto (soluciones/NN/modulo.toml), una solución con su bloque SOLUCION, las
pruebas con su cabecera de paso, el enunciado, las pistas y el cuaderno (su texto,
cuadernos/NN_tema.py, y el .ipynb que sale de él), y genera el esqueleto. Cada cosa por escribir lleva `TODO(taller nuevo)`: las comprobaciones de cada
módulo (tests/test_modulos.py, en `make test`) fallan y listan, fichero a fichero y línea a
línea, lo que queda. Todo lo demás ya cumple las reglas del taller (la solución pasa sus
pruebas, el esqueleto las falla, cada prueba bajo un paso que nombra su sección del cuaderno),
así que cuando no queda ningún TODO el módulo pasa las comprobaciones.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from taller import cuadernos_de_texto, generador, readme
from taller.modulos import POR_HACER, ErrorDelTaller, Modulo, modulos


def nombre_de_fichero(tema: str) -> str:
    """«Proyecto final» → «proyecto_final»: ASCII, minúsculas y guiones bajos."""
    sin_tildes = unicodedata.normalize("NFKD", tema.lower())
    ascii_ = "".join(c for c in sin_tildes if not unicodedata.combining(c))
    limpio = re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")
    if not limpio:
        raise ErrorDelTaller(f"«{tema}» no sirve de tema: escribe unas palabras, p. ej. «Juguete».")
    return limpio if limpio[0].isalpha() else f"modulo_{limpio}"


def _texto_toml(texto: str) -> str:
    return json.dumps(texto, ensure_ascii=False)


def _manifiesto(modulo: Modulo, tema: str) -> str:
    return f"""\
# Manifiesto del módulo {modulo.numero}: lo que el taller sabe de él, en un solo sitio (taller.modulos.Modulo).
# El generador no lo copia a ejercicios/: el alumno no lo ve.
formato = 1
titulo = {_texto_toml(tema)}
construyes = "{POR_HACER}: qué construye el alumno, en una frase"
minutos = 60  # {POR_HACER}: el tiempo estimado, en minutos
# Los pasos del enunciado ({modulo.ruta_ejercicio}/README.md), en orden: cada prueba va bajo «# --- Paso N».
pasos = [
    "{POR_HACER}: el primer paso",
]
# Paquetes de Python que usan su solución o sus pruebas, además de la biblioteca estándar y taller.
dependencias = []
# Qué necesita de la máquina: «motor de contenedores» (docker o podman), «podman».
necesita = []

# --- Errores típicos («casi bien») -----------------------------------------------------------
# Cambios de texto sobre la solución que las pruebas de `debe_fallar` deben rechazar (formato:
# el de soluciones/01/modulo.toml). Los casos nuevos, al final.
"""


def _solucion(modulo: Modulo, tema: str) -> str:
    return f'''\
"""Módulo {modulo.numero} — {tema}: {POR_HACER}: qué hace este fichero."""


def primer_paso(valor):
    """{POR_HACER}: el primer paso del ejercicio (aquí, devolver el valor tal cual)."""
    # >>> SOLUCION: devuelve el valor tal cual
    return valor
    # <<< SOLUCION
'''


def _pruebas(modulo: Modulo, fichero: str) -> str:
    return f'''\
"""Pruebas del módulo {modulo.numero}.

Ejecútalas con:  pytest {modulo.ruta_ejercicio}
"""

from taller.pruebas import cargar

{fichero} = cargar("{fichero}")


# --- Paso 1: {POR_HACER} el primer paso (cuaderno: 1) ---


def test_el_primer_paso_devuelve_el_valor():
    # {POR_HACER}: las pruebas de verdad del primer paso.
    obtenido = {fichero}.primer_paso(3)
    assert obtenido == 3, f"primer_paso(3) debería devolver 3; devolvió {{obtenido!r}}"
'''


def _enunciado(modulo: Modulo, tema: str, fichero: str) -> str:
    return f"""\
# Módulo {modulo.numero} — {tema}

{POR_HACER}: qué vas a construir y por qué (lee antes el cuaderno {modulo.patron_del_cuaderno}).

## Lo que tienes que escribir

En `{fichero}.py`:

1. **`primer_paso(valor)`**: {POR_HACER}: qué debe hacer.

Comprueba con `pytest {modulo.ruta_ejercicio}` o `taller comprobar {modulo.numero}`.
"""


def _pistas() -> str:
    return "# Pistas\n\n" + "".join(
        f"## Pista {i}\n\n{POR_HACER}: la pista {i} (de la más suave a la más concreta).\n\n"
        for i in (1, 2, 3)
    )


def _cuaderno(modulo: Modulo, tema: str) -> str:
    def markdown(texto: str) -> dict:
        return {"cell_type": "markdown", "metadata": {}, "source": texto}

    def codigo(texto: str) -> dict:
        return {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": texto,
        }

    celdas = [
        markdown(f"# Módulo {modulo.numero} — {tema}\n\n{POR_HACER}: la introducción."),
        markdown(f"## 1. {POR_HACER}: lo que enseña el primer paso\n\n{POR_HACER}: la lección."),
        markdown(f"## 2. El ejercicio\n\nCompleta `{modulo.ruta_ejercicio}`."),
        codigo(
            "from taller.ejecucion import comprobar_en_cuaderno\n\n"
            f'comprobar_en_cuaderno("{modulo.numero}")'
        ),
    ]
    cuaderno = {
        "cells": celdas,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(cuaderno, ensure_ascii=False, indent=1) + "\n"


def crear(raiz: Path, numero: str, tema: str) -> tuple[Modulo, list[Path]]:
    """Crea el módulo `numero`; devuelve el módulo y lo escrito. No pisa un módulo que exista."""
    modulo = Modulo(Modulo.normalizar(numero), raiz)
    if any(m.numero == modulo.numero for m in modulos(raiz)) or modulo.cuaderno is not None:
        raise ErrorDelTaller(
            f"El módulo {modulo.numero} ya existe: `taller nuevo` no pisa nada. Elige otro número."
        )
    tema = tema.strip()
    fichero = nombre_de_fichero(tema)
    piezas = {
        modulo.fichero_manifiesto: _manifiesto(modulo, tema),
        modulo.solucion / f"{fichero}.py": _solucion(modulo, tema),
        modulo.ejercicio / f"test_{fichero}.py": _pruebas(modulo, fichero),
        modulo.enunciado: _enunciado(modulo, tema, fichero),
        modulo.fichero_pistas: _pistas(),
        modulo.cuaderno_nuevo(fichero): _cuaderno(modulo, tema),
    }
    for ruta, texto in piezas.items():
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_text(texto, encoding="utf-8")
    # El cuaderno se escribe como .ipynb y se pasa a su texto, cuadernos/NN_tema.py (la fuente).
    escritos = [*piezas, *cuadernos_de_texto.importar(modulo), *generador.generar(modulo)]
    if readme.escribir_readme(raiz):
        escritos.append(raiz / "README.md")
    return modulo, escritos
