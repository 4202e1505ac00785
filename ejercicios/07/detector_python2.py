"""Módulo 07 — Un detector de Python 2: ¿qué líneas de este programa viejo hay que tocar?

Python 3 rompió a propósito sintaxis de Python 2 (`print "HOLA"` pasó a `print("HOLA")`).
`compile()` solo cuenta el PRIMER error de sintaxis; para encontrarlos todos leemos el
código con `tokenize`, el lector de la biblioteca estándar que trocea el código en
palabras (tokens) igual que Python: sabe qué es un comentario, qué es un texto entre
comillas y dónde acaba cada sentencia, aunque ocupe varias líneas.

    lineas_logicas(codigo)     [(línea donde empieza, [tokens]), ...]: una por línea lógica
    motivos(tokens)            qué sintaxis de Python 2 hay en los tokens de una línea lógica
    detectar_python2(codigo)   [(línea, motivo), ...] de todo el código

Ya vienen hechas tres ayudas: unir_partidos (iguala lo que trocean distintas versiones
de Python), con_profundidad (cuántos paréntesis hay abiertos) y sentencias (parte una
línea lógica como `if x: print "a"` en sus sentencias simples).
"""

from __future__ import annotations

import io
import tokenize
from tokenize import TokenInfo

PRINT = "print sin paréntesis: en Python 3 es print(...)"
EXEC = "exec sin paréntesis: en Python 3 es exec(...)"
DISTINTO = "<> para «distinto»: en Python 3 es !="
EXCEPT_CON_COMA = "except Error, e: en Python 3 es except Error as e:"
OCTAL = "octal con un 0 delante (0777): en Python 3 es 0o777"
COMILLAS_INVERTIDAS = "`x` entre comillas invertidas: en Python 3 es repr(x)"

# Tokens que no forman parte de ninguna sentencia: comentarios, saltos de línea dentro de
# paréntesis o en blanco (NL), y los cambios de sangría.
SIN_SIGNIFICADO = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}


def unir_partidos(tokens: list[TokenInfo]) -> list[TokenInfo]:
    """Une lo que Python 3.10 y 3.11 trocean y Python 3.12 no: `<>` y `0777`.

    Hasta 3.11, `tokenize` ve `<>` como «<» y «>» pegados, `0777` como «0» y «777», y
    mete un ERRORTOKEN por el espacio antes de una comilla invertida. Desde 3.12 ve «<>»
    y «0777» de una pieza. Tras esta función, todas las versiones dan los mismos tokens.
    """
    unidos: list[TokenInfo] = []
    for token in tokens:
        if token.type == tokenize.ERRORTOKEN and not token.string.strip():
            continue
        anterior = unidos[-1] if unidos else None
        pegado = anterior is not None and anterior.end == token.start
        if pegado and (
            (anterior.string, token.string) == ("<", ">")
            or (anterior.type == token.type == tokenize.NUMBER)
        ):
            unidos[-1] = anterior._replace(string=anterior.string + token.string, end=token.end)
        else:
            unidos.append(token)
    return unidos


ABREN, CIERRAN = ("(", "[", "{"), (")", "]", "}")
# Palabras que abren una sentencia compuesta: tras su «:» puede venir otra en la misma línea.
CABECERAS = set("if elif else for while try except finally with def class".split())


def con_profundidad(tokens: list[TokenInfo]) -> list[tuple[int, TokenInfo]]:
    """Cada token con cuántos paréntesis (o corchetes, o llaves) tiene abiertos alrededor.

    En `except (A, B), e:` la primera coma está a profundidad 1 y la segunda a 0.
    """
    resultado = []
    profundidad = 0
    for token in tokens:
        if token.type == tokenize.OP and token.string in CIERRAN:
            profundidad = max(0, profundidad - 1)
        resultado.append((profundidad, token))
        if token.type == tokenize.OP and token.string in ABREN:
            profundidad += 1
    return resultado


def sentencias(tokens: list[TokenInfo]) -> list[list[TokenInfo]]:
    """Parte una línea lógica en sentencias simples: por «;» y tras el «:» de una cabecera.

    `if caido: print "mal"; n += 1` son tres: `if caido :`, `print "mal"` y `n += 1`.
    """
    partes: list[list[TokenInfo]] = []
    actual: list[TokenInfo] = []
    for profundidad, token in con_profundidad(tokens):
        signo_suelto = token.type == tokenize.OP and profundidad == 0  # fuera de paréntesis
        if signo_suelto and token.string == ";":
            partes.append(actual)
            actual = []
            continue
        actual.append(token)
        if signo_suelto and token.string == ":" and actual[0].string in CABECERAS:
            partes.append(actual)
            actual = []
    partes.append(actual)
    return [parte for parte in partes if parte]


def lineas_logicas(codigo: str) -> list[tuple[int, list[TokenInfo]]]:
    """Cada línea lógica del código: (número de la línea donde empieza, sus tokens).

    Una línea lógica es lo que Python lee como una unidad: acaba en el token NEWLINE.
    Una sentencia partida en varias líneas (con paréntesis o con «\\») es una sola; los
    comentarios y las líneas en blanco no cuentan. Un código que ni siquiera se puede
    trocear (comillas sin cerrar, una sangría imposible) da ValueError con la línea.
    """
    # TODO: recorre tokenize.generate_tokens(io.StringIO(codigo).readline) juntando tokens hasta cada NEWLINE (salta SIN_SIGNIFICADO y ENDMARKER); pasa cada grupo por unir_partidos
    raise NotImplementedError("lineas_logicas: lo que falta lo dice su # TODO")


def motivos(tokens: list[TokenInfo]) -> list[str]:
    """Las sintaxis de Python 2 (PRINT, EXEC...) de una línea lógica, sin repetir."""
    # TODO: en cada sentencia, print/exec al principio sin «(» detrás y except con «,» a profundidad 0; en toda la línea, «<>», un NUMBER como 0777 y «`»
    raise NotImplementedError("motivos: lo que falta lo dice su # TODO")


def es_octal_de_python2(numero: str) -> bool:
    """0777 sí; 0, 00, 0o777, 10 y 0.5 no."""
    # TODO: solo dígitos, empieza por 0 y no son todo ceros
    raise NotImplementedError("es_octal_de_python2: lo que falta lo dice su # TODO")


def detectar_python2(codigo: str) -> list[tuple[int, str]]:
    """[(línea, motivo), ...] de cada sintaxis solo de Python 2, en el orden del código."""
    # TODO: para cada (línea, tokens) de lineas_logicas, un (línea, motivo) por cada motivo
    raise NotImplementedError("detectar_python2: lo que falta lo dice su # TODO")
