"""`taller comprobar NN`: ejecuta las pruebas de un módulo y resume, en español, qué falla.

Sale con el mismo código que pytest (0 si todo pasa, 1 si falla alguna prueba...), así que
sirve también en scripts y en CI.
"""

from __future__ import annotations

import argparse
import sys

from taller import progreso
from taller.ejecucion import SIGUE_COMPROBANDO, ejecutar_pruebas, resumen
from taller.modulos import raiz_del_taller
from taller.ordenes import argumento_modulo, elegir_modulo
from taller.salida import Estilo, segundos

AYUDA = "ejecuta las pruebas de un módulo y resume qué falla"
DESCRIPCION = (
    "Ejecuta las pruebas de ejercicios/NN y resume qué pruebas fallan (con la primera "
    "línea de cada mensaje) y qué leer para arreglarlas. Sale con el código de pytest."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    argumento_modulo(
        parser, soluciones="prueba la solución de referencia (soluciones/NN) en lugar de tu código"
    )


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    estilo = Estilo.para(sys.stdout)
    modulo = elegir_modulo(args.modulo, raiz, estilo)
    que = modulo.ruta_solucion if args.soluciones else modulo.ruta_ejercicio
    print(estilo.tenue(f"Ejecutando las pruebas del módulo {modulo.numero} sobre {que}…"))
    sys.stdout.flush()
    resultado = ejecutar_pruebas(
        modulo,
        soluciones=args.soluciones,
        extra=["--tb=line"],
        si_tarda=lambda: print(estilo.tenue(SIGUE_COMPROBANDO), flush=True),
    )
    if not args.soluciones:
        progreso.apuntar(raiz, [progreso.Situacion(modulo, resultado)])
    print(resumen(resultado, modulo.numero, modulo=modulo, estilo=estilo))
    print(estilo.tenue(f"({segundos(resultado.segundos)})"))
    return resultado.codigo_salida
