"""Pruebas de propiedades (Hypothesis) con la configuración del taller.

Las pruebas de los ejercicios importan de aquí (`from taller.propiedades import given, st`)
en lugar de `hypothesis`, para que todas usen el mismo perfil:

- deterministas: `derandomize=True` genera los mismos ejemplos en cada máquina y en cada
  ejecución, así que una prueba que pasa hoy pasa mañana (y en CI) con el mismo código;
- sin base de datos de ejemplos (`database=None`): nada se escribe en el repositorio;
- pocos ejemplos y sin plazo por ejemplo: las pruebas de un módulo deben tardar menos de 3 s
  en una máquina cargada, y un ejemplo lento no es un fallo del alumno.

El perfil se registra al importar este módulo; así, quien no usa Hypothesis no paga su
importación al arrancar pytest.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

PERFIL = "taller"

settings.register_profile(
    PERFIL,
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    print_blob=False,
    # Un fallo por prueba: con varios, Hypothesis los junta en un ExceptionGroup y el mensaje
    # en español de la propiedad rota deja de ser lo primero que se lee.
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(PERFIL)

# Textos que un shell, docker o un intérprete entenderían de otra forma si se pegaran en una
# orden: ;, $(...), `...`, |, &&, saltos de línea, espacios, comillas, comodines, vacío y letras
# no ASCII (sin el byte nulo: no cabe en un argumento). Cada módulo añade los suyos (opciones
# como -c o --privileged). Deben llegar intactos, como UN argumento.
TEXTOS_HOSTILES = [
    "x; echo INYECTADO",
    "$(echo INYECTADO)",
    "`echo INYECTADO`",
    "a | echo INYECTADO",
    "a && echo INYECTADO",
    "a\necho INYECTADO",
    "dos palabras",
    "  espacios  alrededor  ",
    "comillas 'simples' y \"dobles\" y una ' suelta",
    "",
    "$HOME *.py ~",
    "año ñandú 中文 🐍",
]


def varios(estrategia, *fijos, ejemplos=8, maximo=6):
    """@given con listas de valores: cada ejemplo de Hypothesis prueba hasta `maximo` valores.

    Así se prueban muchos valores con pocos ejemplos (lo que cuesta es cada ejemplo, no cada
    valor: un proceso, una construcción). `fijos` son valores que se prueban siempre, además de
    los generados: los casos frontera.
    """

    def decorar(prueba):
        prueba = given(st.lists(estrategia, min_size=1, max_size=maximo))(prueba)
        if fijos:
            prueba = example(list(fijos))(prueba)
        return settings(max_examples=ejemplos, report_multiple_bugs=False)(prueba)

    return decorar


__all__ = [
    "PERFIL",
    "TEXTOS_HOSTILES",
    "assume",
    "example",
    "given",
    "settings",
    "st",
    "varios",
]


def un_argumento(nombre, estrategia, *fijos, ejemplos):
    """@given de un solo argumento, `nombre`, con `fijos` que se prueban siempre (un @example
    cada uno, en ese orden) y `ejemplos` ejemplos como mucho (@settings(max_examples=...)).

    Es lo mismo que escribir @settings, @given y un @example por cada fijo, en una línea.
    """

    def decorar(prueba):
        for fijo in reversed(fijos):
            prueba = example(**{nombre: fijo})(prueba)
        prueba = given(**{nombre: estrategia})(prueba)
        return settings(max_examples=ejemplos)(prueba)

    return decorar


__all__.append("un_argumento")
