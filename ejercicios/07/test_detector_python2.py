"""Pruebas del módulo 07, el detector de Python 2. Van en el orden en que conviene escribir
el código: lineas_logicas → motivos y detectar_python2 (print, exec, <>, except con coma,
octales, comillas invertidas) → un programa viejo entero.

Ejecútalas con:  pytest ejercicios/07
"""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from taller.propiedades import st, un_argumento
from taller.pruebas import cargar, carpeta_de_codigo, lanzando

detector = cargar("detector_python2")


def codigo(texto):
    """Quita la sangría común de un trozo de código escrito dentro de una prueba."""
    return textwrap.dedent(texto).lstrip("\n")


def textos(lineas):
    """[(línea, [tokens])] → [(línea, [textos de los tokens])], para comparar fácil."""
    return [(numero, [token.string for token in tokens]) for numero, tokens in lineas]


def detectar(fuente):
    """Lo que encuentra tu detector, ordenado (el orden dentro de una línea no importa)."""
    return sorted(detector.detectar_python2(fuente))


def detecta(fuente, motivos, pista=""):
    """Tu detector encuentra en `fuente` justo `motivos`, pares (línea, nombre del motivo:
    "EXEC"...); `pista` va al final del mensaje si no."""
    __tracebackhide__ = True
    esperado = [(n, getattr(detector, nombre)) for n, nombre in motivos]
    obtenido = detectar(fuente)
    assert obtenido == esperado, f"Para {fuente!r} se esperaba {esperado}; llegó {obtenido}{pista}"


# --- Paso 1: lineas_logicas (cuaderno: 3) -----------------------------------------------------


def da_estas_lineas(fuente, esperado, pista=""):
    """lineas_logicas(fuente) da `esperado`: (número de línea, textos de sus tokens) de cada una."""
    __tracebackhide__ = True
    obtenido = textos(detector.lineas_logicas(fuente))
    assert obtenido == esperado, f"Se esperaba {esperado}; llegó {obtenido}" + (
        f". {pista}" if pista else ""
    )


def test_lineas_logicas_da_cada_sentencia_con_su_numero_de_linea():
    fuente = codigo(
        """
        import os

        # un comentario no es una sentencia
        permisos = 1
        """
    )
    da_estas_lineas(
        fuente,
        [(1, ["import", "os"]), (4, ["permisos", "=", "1"])],
        "Sin comentarios, líneas en blanco, sangrías ni saltos de línea (COMMENT, NL, INDENT, "
        "DEDENT, NEWLINE).",
    )


def test_lineas_logicas_junta_una_sentencia_partida_en_varias_lineas():
    fuente = 'total = (1 +\n         2)\nprint "a", \\\n      "b"\n'
    da_estas_lineas(
        fuente,
        [(1, ["total", "=", "(", "1", "+", "2", ")"]), (3, ["print", '"a"', ",", '"b"'])],
        "Una línea lógica acaba en el token NEWLINE (no en NL) y se numera con la línea de su "
        "primer token.",
    )


def test_lineas_logicas_deja_los_textos_enteros():
    fuente = 'ayuda = """\nprint "hola"\n"""  # print "adios"\n'
    da_estas_lineas(fuente, [(1, ["ayuda", "=", '"""\nprint "hola"\n"""'])])


def test_lineas_logicas_une_lo_que_trocean_algunas_versiones_de_python():
    da_estas_lineas(
        "if a <> b: n = 0777\n",
        [(1, ["if", "a", "<>", "b", ":", "n", "=", "0777"])],
        "Pasa los tokens de cada línea por unir_partidos: Python 3.10 y 3.11 ven «<>» como «<» "
        "y «>», y «0777» como «0» y «777».",
    )


@pytest.mark.parametrize(
    ("fuente", "linea"),
    [
        ('x = 1\ny = """sin cerrar\n', 2),
        ("if x:\n        a = 1\n    b = 2\n", 3),
    ],
    ids=["comillas sin cerrar", "sangría imposible"],
)
def test_lineas_logicas_con_codigo_ilegible_da_valueerror_con_la_linea(fuente, linea):
    with lanzando(
        ValueError,
        que="lineas_logicas(fuente)",
        por_que="Captura tokenize.TokenError y SyntaxError y lanza ValueError con la línea.",
    ) as error:
        detector.lineas_logicas(fuente)
        pytest.fail(
            "Con un código que ni se puede trocear, lineas_logicas debería lanzar ValueError "
            "(captura tokenize.TokenError y SyntaxError)"
        )
    assert re.search(rf"l[íi]nea\D{{0,3}}{linea}\b", str(error.value)), (
        f"El mensaje debería decir la línea del problema («línea {linea}»); dice: «{error.value}»"
    )


# --- Paso 2: motivos, el print (cuaderno: 3) --------------------------------------------------


@pytest.mark.parametrize(
    "linea", ['print "HOLA"', "print servidor", 'print "a", "b",', 'print >>sys.stderr, "mal"']
)
def test_detecta_print_sin_parentesis(linea):
    obtenido = detectar(linea + "\n")
    assert obtenido == [(1, detector.PRINT)], (
        f"En `{linea}` hay un print de Python 2: se esperaba [(1, PRINT)]; llegó {obtenido}"
    )


def test_un_print_solo_tambien_es_de_python_2():
    # En Python 2 imprime una línea en blanco; en Python 3 no hace nada.
    obtenido = detectar("print\n")
    assert obtenido == [(1, detector.PRINT)], f"Se esperaba [(1, PRINT)]; llegó {obtenido}"


@pytest.mark.parametrize(
    "linea",
    ['print("HOLA")', 'print ("HOLA")', 'print("a", file=sys.stderr)', "imprimir = print"],
)
def test_no_confunde_el_print_de_python_3(linea):
    obtenido = detectar(linea + "\n")
    assert obtenido == [], f"`{linea}` es Python 3 válido; tu detector encontró {obtenido}"


def test_da_el_numero_de_linea_de_cada_print():
    fuente = codigo(
        """
        import sys

        def avisar(servidor):
            if servidor.caido:
                print "CAIDO:", servidor.nombre
            print("ok")
        print "fin"
        """
    )
    obtenido = detectar(fuente)
    esperado = [(5, detector.PRINT), (7, detector.PRINT)]
    assert obtenido == esperado, f"Se esperaba {esperado}; llegó {obtenido}"


def test_ignora_print_en_comentarios_y_en_textos():
    fuente = codigo(
        """
        # print "esto es un comentario"
        ayuda = '''
        print "esto es un texto"
        '''
        mensaje = 'print "x"'
        """
    )
    obtenido = detectar(fuente)
    assert obtenido == [], (
        f"Ahí no hay ningún print de verdad (son comentarios y textos); llegó {obtenido}. "
        "Buscar con expresiones regulares línea a línea no distingue eso: tokenize sí."
    )


def test_una_sentencia_en_varias_lineas_se_cuenta_en_la_primera():
    fuente = (
        'x = 1\nprint "uno", \\\n      "dos"\nprint "suma: %d" % (1 +\n                     2)\n'
    )
    obtenido = detectar(fuente)
    esperado = [(2, detector.PRINT), (4, detector.PRINT)]
    assert obtenido == esperado, f"Se esperaba {esperado}; llegó {obtenido}"


def test_print_tras_dos_puntos_o_tras_punto_y_coma():
    fuente = 'if caido: print "mal"\nn = 0; print n\nfor s in lista: print s; n += 1\n'
    obtenido = detectar(fuente)
    esperado = [(1, detector.PRINT), (2, detector.PRINT), (3, detector.PRINT)]
    assert obtenido == esperado, (
        f"Se esperaba {esperado}; llegó {obtenido}. Un print puede empezar una sentencia "
        "sin empezar la línea: usa sentencias(tokens)."
    )


def test_dos_print_en_la_misma_linea_se_cuentan_una_vez():
    obtenido = detectar('print "a"; print "b"\n')
    assert obtenido == [(1, detector.PRINT)], (
        f"Un motivo se cuenta una vez por línea; llegó {obtenido}"
    )


# --- Paso 2: motivos, exec, <>, except con coma, octales y comillas invertidas (cuaderno: 3) ---


def con_y_sin_el_motivo(nombre, con, sin):
    """Parametriza la prueba con (fuente, esperado): cada fuente de `con` (Python 2) tiene el
    motivo `nombre` en su línea 1; las de `sin` (Python 3 que se le parece), ninguno."""
    return pytest.mark.parametrize(
        ("fuente", "esperado"),
        [(fuente, [(1, nombre)]) for fuente in con] + [(fuente, []) for fuente in sin],
    )


@con_y_sin_el_motivo(
    "EXEC",
    con=['exec "x = 1"\n', "exec codigo in espacio\n"],
    sin=['exec("x = 1")\n', "exec(codigo, espacio)\n", "exec\n"],
)
def test_exec(fuente, esperado):
    pista = (
        " Un exec solo, sin nada detrás, es el nombre de la función (Python 3 válido): EXEC "
        "es exec con ALGO detrás que no es «(» (print solo sí cuenta; exec solo, no)."
        if fuente == "exec\n"
        else ""
    )
    detecta(fuente, esperado, "." + pista)


@con_y_sin_el_motivo(
    "DISTINTO",
    con=["if a <> b:\n    pass\n", "while x<>0: x -= 1\n"],
    sin=["if a != b:\n    pass\n", "ordenados = a < b > c\n"],
)
def test_distinto(fuente, esperado):
    detecta(fuente, esperado)


@pytest.mark.parametrize(
    ("cabecera", "es_de_python2"),
    [
        ("except IOError, e:", True),
        ("except (IOError, OSError), e:", True),
        ("except (IOError, OSError):", False),
        ("except (IOError, OSError) as e:", False),
        ("except IOError: x = 1, 2", False),
    ],
)
def test_except_con_coma(cabecera, es_de_python2):
    fuente = f"try:\n    f()\n{cabecera}\n    pass\n"
    esperado = [(3, detector.EXCEPT_CON_COMA)] if es_de_python2 else []
    obtenido = detectar(fuente)
    assert obtenido == esperado, (
        f"Para `{cabecera}` se esperaba {esperado}; llegó {obtenido}. Solo cuenta una coma "
        "fuera de paréntesis (con_profundidad) y en la sentencia del except."
    )


@pytest.mark.parametrize("numero", ["0777", "0755", "00644"])
def test_detecta_octales_de_python_2(numero):
    obtenido = detectar(f"os.chmod(ruta, {numero})\n")
    assert obtenido == [(1, detector.OCTAL)], (
        f"{numero} es un octal de Python 2; se esperaba [(1, OCTAL)]; llegó {obtenido}"
    )


@pytest.mark.parametrize("numero", ["0o777", "0", "00", "0.5", "10", "0x1F", "1e10", "0j"])
def test_no_confunde_numeros_de_python_3_con_octales(numero):
    obtenido = detectar(f"n = {numero}\n")
    assert obtenido == [], f"{numero} es válido en Python 3; tu detector encontró {obtenido}"


# Textos hechos de lo que puede haber alrededor de un número: dígitos, punto, letras de base o
# de exponente, signos, espacios y saltos de línea. Es una función pura: muchos ejemplos cuestan
# milisegundos.
TROZOS_DE_NUMERO = st.text(alphabet="0123456789._oxXjeE+- \n\t", max_size=8)


@un_argumento(
    "numero",
    TROZOS_DE_NUMERO,
    "0777\n",
    "0777 ",
    " 0777",
    "0_777",
    "",
    ejemplos=150,
)
def test_propiedad_es_octal_de_python2_solo_con_digitos_de_principio_a_fin(numero):
    esperado = (
        numero != "" and all(c in "0123456789" for c in numero)
        and numero[0] == "0" and numero.strip("0") != ""
    )  # fmt: skip
    obtenido = detector.es_octal_de_python2(numero)
    assert bool(obtenido) == esperado, (
        f"Propiedad rota: es_octal_de_python2({numero!r}) debería ser {esperado} (solo dígitos "
        f"de principio a fin, el primero un 0 y no todos ceros); devolvió {obtenido!r}. "
        "¿Una expresión regular con re.match y «$»? El «$» también casa antes de un salto de "
        "línea final, así que «0777\\n» pasaría: usa re.fullmatch, o numero.isdigit()."
    )


def test_comillas_invertidas():
    obtenido = detectar("texto = `servidor`\n")
    assert obtenido == [(1, detector.COMILLAS_INVERTIDAS)], (
        f"Se esperaba [(1, COMILLAS_INVERTIDAS)]; llegó {obtenido}"
    )


def test_varias_cosas_en_la_misma_linea():
    obtenido = detectar("print `x`\n")
    esperado = sorted([(1, detector.PRINT), (1, detector.COMILLAS_INVERTIDAS)])
    assert obtenido == esperado, f"Se esperaba {esperado}; llegó {obtenido}"


def test_nada_de_eso_dentro_de_un_texto():
    fuente = 'aviso = f"`{x}` 0777 <> {y}"\nexec_ = "exec x"\n'
    obtenido = detectar(fuente)
    assert obtenido == [], (
        f"Todo eso está dentro de textos; llegó {obtenido}. Mira también el tipo del token "
        "(OP, NUMBER...), no solo su texto: desde Python 3.12 los f-strings se trocean."
    )


# Una línea lógica con las seis sintaxis de Python 2 a la vez.
LAS_SEIS = 'print `a` <> 0777; exec "b"; except E, e: pass\n'
EN_OTRO_PYTHON = (
    "import json, sys; sys.path.insert(0, sys.argv[1]); import detector_python2 as d; "
    "print(json.dumps(d.detectar_python2(sys.argv[2])))"
)


def test_motivos_salen_siempre_en_el_mismo_orden():
    # El orden de un set depende del hash de cada texto, que cambia de una ejecución de Python
    # a otra (PYTHONHASHSEED): con list(set(...)), el mismo código da otro orden cada vez.
    carpeta = str(carpeta_de_codigo(Path(__file__).parent))
    ordenes = {}
    for semilla in ("1", "2"):
        hecho = subprocess.run(
            [sys.executable, "-c", EN_OTRO_PYTHON, carpeta, LAS_SEIS],
            capture_output=True,
            text=True,
            timeout=20,
            env={**os.environ, "PYTHONHASHSEED": semilla},
        )
        if hecho.returncode != 0:
            detector.detectar_python2(LAS_SEIS)  # aquí, el mismo error (o NotImplementedError)
            pytest.fail(f"detectar_python2 falló en otro Python: {hecho.stderr[-500:]}")
        ordenes[semilla] = [motivo for _linea, motivo in json.loads(hecho.stdout)]
    ordenes["este"] = [motivo for _linea, motivo in detector.detectar_python2(LAS_SEIS)]
    assert len({tuple(orden) for orden in ordenes.values()}) == 1, (
        f"detectar_python2({LAS_SEIS!r}) da las mismas sintaxis en otro orden en cada ejecución "
        f"de Python: {ordenes['1']} con PYTHONHASHSEED=1 y {ordenes['2']} con =2. ¿Quitas los "
        "repetidos de motivos con list(set(...))? El orden de un set cambia de una ejecución a "
        "otra; para quitarlos sin perder el orden: list(dict.fromkeys(...))."
    )


# --- Paso 3: detectar_python2, un programa viejo entero (cuaderno: 3) -------------------------

PROGRAMA_VIEJO = '''\
# -*- coding: utf-8 -*-
"""Vigila los servidores web. Escrito en 2009, para Python 2."""
import os
import sys
import urllib2

SERVIDORES = ["web%03d.produccion.es" % n for n in range(1, 201)]


def comprobar(nombre):
    try:
        respuesta = urllib2.urlopen("http://%s/" % nombre, timeout=5)
    except urllib2.URLError, error:
        print "CAÍDO:", nombre, `error`
        return False
    if respuesta.getcode() <> 200:
        print >>sys.stderr, "raro:", nombre
        return False
    return True


caidos = [n for n in SERVIDORES if not comprobar(n)]
os.chmod("informe.txt", 0644)
exec "resumen = len(caidos)"
print "Caídos: %d de %d" % (resumen, len(SERVIDORES))
'''

PROGRAMA_NUEVO = '''\
"""Vigila los servidores web. La versión para Python 3."""
import os
import sys
import urllib.error
import urllib.request

SERVIDORES = ["web%03d.produccion.es" % n for n in range(1, 201)]


def comprobar(nombre):
    try:
        respuesta = urllib.request.urlopen("http://%s/" % nombre, timeout=5)
    except urllib.error.URLError as error:
        print("CAÍDO:", nombre, repr(error))
        return False
    if respuesta.getcode() != 200:
        print("raro:", nombre, file=sys.stderr)
        return False
    return True


caidos = [n for n in SERVIDORES if not comprobar(n)]
os.chmod("informe.txt", 0o644)
resumen = len(caidos)
print("Caídos: %d de %d" % (resumen, len(SERVIDORES)))
'''


def test_encuentra_todo_en_un_programa_viejo():
    d = detector
    esperado = [
        (13, d.EXCEPT_CON_COMA),
        (14, d.PRINT),
        (14, d.COMILLAS_INVERTIDAS),
        (16, d.DISTINTO),
        (17, d.PRINT),
        (23, d.OCTAL),
        (24, d.EXEC),
        (25, d.PRINT),
    ]
    obtenido = detector.detectar_python2(PROGRAMA_VIEJO)
    assert sorted(obtenido) == sorted(esperado), (
        f"Se esperaba {sorted(esperado)};\nllegó {sorted(obtenido)}.\n"
        "compile() solo ve el primer error; para verlos todos hay que recorrer los tokens."
    )
    lineas = [numero for numero, _ in obtenido]
    assert lineas == sorted(lineas), f"Los resultados deberían ir en orden de línea: {lineas}"


def test_el_mismo_programa_en_python_3_esta_limpio():
    compile(PROGRAMA_NUEVO, "nuevo.py", "exec")  # es Python 3 válido
    obtenido = detector.detectar_python2(PROGRAMA_NUEVO)
    assert obtenido == [], f"La versión para Python 3 no tiene nada de Python 2; llegó {obtenido}"
