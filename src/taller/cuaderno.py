"""Qué sección del cuaderno conviene releer cuando falla una prueba.

Lo primero es lo que dicen las propias pruebas: cada paso de un fichero de pruebas empieza
con una cabecera como `# --- Paso 4: comprobar (cuaderno: 3, 5) ---`, que nombra las
secciones del cuaderno que lo explican (ver `paso_de_la_prueba`). Si una prueba no está bajo
ninguna cabecera así, se adivina:

Las secciones son los títulos `## ...` del cuaderno (fuera de los bloques de código). Se comparan las palabras del nombre de
la prueba y de su mensaje (por ejemplo «validar_ip: usa ipaddress.ip_address...») con las de
cada sección, dando más peso a las palabras raras (las que salen en pocas secciones) y a las
del título. Solo compiten las secciones que enseñan: las que van antes de la que presenta el
ejercicio (la que llama a `comprobar_en_cuaderno`). Si ninguna se parece lo bastante, se
propone esa sección del ejercicio.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_PALABRA = re.compile(r"[a-z0-9]+")
_VACIAS = set(
    "con los las del que una uno unos unas por para sin son como debe deberia test este esta "
    "esto ese esa eso hay pero mas otro otra otros otras cada cuando donde tambien solo muy "
    "sus nos les lo la el de en es se su al y o a no si ya le".split()
)


@dataclass(frozen=True)
class Seccion:
    titulo: str
    raices: frozenset[str]
    raices_del_titulo: frozenset[str]
    del_ejercicio: bool


def _sin_tildes(texto: str) -> str:
    descompuesto = unicodedata.normalize("NFKD", texto.lower())
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def raices(texto: str) -> set[str]:
    """Las palabras de `texto`, simplificadas: sin tildes, sin plural y cortadas a 6 letras.

    Así «puertos» y «puerto», «restar» y «resta», o «compartida» y «comparten», se
    reconocen como la misma.
    """
    resultado = set()
    for palabra in _PALABRA.findall(_sin_tildes(texto).replace("_", " ")):
        if len(palabra) < 3 or palabra in _VACIAS or palabra.isdigit():
            continue
        if len(palabra) > 4 and palabra.endswith("s"):
            palabra = palabra[:-1]  # plural: puertos -> puerto
        if len(palabra) > 4 and palabra.endswith(("ar", "er", "ir")):
            palabra = palabra[:-1]  # infinitivo: restar -> resta
        resultado.add(palabra[:6])
    return resultado


def secciones(ruta: Path) -> list[Seccion]:
    """Las secciones `## ...` del cuaderno, en orden, con las palabras de sus celdas."""
    celdas = json.loads(ruta.read_text(encoding="utf-8")).get("cells", [])
    trozos: list[tuple[str, list[str]]] = []
    for celda in celdas:
        fuente = celda.get("source", "")
        texto = "".join(fuente) if isinstance(fuente, list) else str(fuente)
        en_bloque = False  # dentro de ``` ... ```, un «## » es texto citado, no una sección
        for linea in texto.splitlines():
            if linea.lstrip().startswith("```"):
                en_bloque = not en_bloque
            if celda.get("cell_type") == "markdown" and not en_bloque and linea.startswith("## "):
                trozos.append((linea[3:].strip(), []))
            elif trozos:
                trozos[-1][1].append(linea)
    resultado = []
    for titulo, textos in trozos:
        cuerpo = "\n".join([titulo, *textos])
        resultado.append(
            Seccion(
                titulo=re.sub(r"[*`]", "", titulo),
                raices=frozenset(raices(cuerpo)),
                raices_del_titulo=frozenset(raices(titulo)),
                del_ejercicio="comprobar_en_cuaderno" in cuerpo,
            )
        )
    return resultado


def seccion_para(prueba: str, mensaje: str, todas: list[Seccion]) -> Seccion | None:
    """La sección que mejor explica una prueba fallida, o la que presenta el ejercicio.

    Manda el nombre de la prueba (dice qué se comprueba); el mensaje solo desempata cuando
    el nombre no se parece a ninguna sección.
    """
    ejercicio = next((s for s in todas if s.del_ejercicio), None)
    candidatas = todas[: todas.index(ejercicio)] if ejercicio else todas
    for texto in (re.sub(r"\[.*\]$", "", prueba), mensaje):
        elegida = _la_mas_parecida(raices(texto), candidatas)
        if elegida is not None:
            return elegida
    return ejercicio


def _la_mas_parecida(buscadas: set[str], candidatas: list[Seccion]) -> Seccion | None:
    mejor, mejor_puntos = None, 0.0
    for seccion in candidatas:
        puntos = 0.0
        for raiz in buscadas & seccion.raices:
            en_cuantas = sum(1 for otra in candidatas if raiz in otra.raices)
            rareza = math.log((len(candidatas) + 1) / en_cuantas)
            puntos += rareza * (2 if raiz in seccion.raices_del_titulo else 1)
        if puntos > mejor_puntos:
            mejor, mejor_puntos = seccion, puntos
    return mejor if mejor_puntos >= 1.0 else None


_CABECERA_DE_PASO = re.compile(r"^# --- (Pasos? .*?)\s*\(cuaderno: ([\d, ]+)\)\s*-*\s*$")


@dataclass(frozen=True)
class Paso:
    nombre: str  # «Paso 4: comprobar (con responses: sin red)»
    secciones: tuple[int, ...]  # los números de las secciones del cuaderno que lo explican


def paso_de_la_prueba(carpeta: Path, prueba: str) -> Paso | None:
    """El paso (la cabecera `# --- Paso N: ... (cuaderno: N) ---`) bajo el que está la prueba."""
    funcion = re.sub(r"\[.*\]$", "", prueba)
    for fichero in sorted(carpeta.glob("test_*.py")):
        paso = None
        for linea in fichero.read_text(encoding="utf-8", errors="replace").splitlines():
            cabecera = _CABECERA_DE_PASO.match(linea)
            if cabecera:
                numeros = tuple(int(n) for n in re.findall(r"\d+", cabecera[2]))
                paso = Paso(cabecera[1], numeros)
            elif linea.startswith(f"def {funcion}("):
                return paso
    return None


def secciones_numeradas(todas: list[Seccion], numeros: tuple[int, ...]) -> list[Seccion]:
    """Las secciones cuyo título empieza por «N.», en el orden de `numeros`."""
    por_numero = {}
    for seccion in todas:
        numero = re.match(r"(\d+)\.", seccion.titulo)
        if numero:
            por_numero[int(numero[1])] = seccion
    return [por_numero[n] for n in numeros if n in por_numero]
