"""`taller informe`: para profesores, la nota de cada módulo (pruebas que pasan y puntos).

Ejecuta las pruebas de todos los módulos en un solo pytest, como `taller progreso`, y
escribe una tabla; con --json y --junit, además, un fichero para otros programas (una hoja
de notas, un sistema que lea JUnit). Los puntos salen de `taller.calificacion`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from taller import calificacion
from taller.ejecucion import ejecutar_varios
from taller.estado import motivo
from taller.modulos import ErrorDelTaller, con_ejercicio, raiz_del_taller
from taller.ordenes import interruptor
from taller.salida import Estilo

AYUDA = "(profesores) la nota de cada módulo: pruebas que pasan y puntos"
DESCRIPCION = (
    "Ejecuta las pruebas de todos los módulos (sin tocar el código) y muestra, por "
    f"módulo, cuántas pasan y sus puntos (cada módulo vale "
    f"{calificacion.PUNTOS_POR_MODULO}, en proporción a las pruebas que pasan)."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="FICHERO", type=Path, help="escribe también un JSON")
    parser.add_argument(
        "--junit", metavar="FICHERO", type=Path, help="escribe también un JUnit XML"
    )
    interruptor(
        parser, "--soluciones", "califica la solución de referencia (para comprobar el material)"
    )


def tabla(notas: list[calificacion.Nota], estilo: Estilo) -> list[str]:
    ancho = min(45, max(len(n.modulo.titulo) for n in notas))
    lineas = [f"  NN  {'módulo'.ljust(ancho)}  {'pruebas':>12}  {'puntos':>11}"]
    for nota in notas:
        r = nota.resultado
        titulo = nota.modulo.titulo
        titulo = titulo if len(titulo) <= ancho else titulo[: ancho - 1] + "…"
        puntos = f"{nota.puntos:g} / {calificacion.PUNTOS_POR_MODULO}"
        pintar = estilo.verde if r.superado else (estilo.amarillo if r.pasadas else estilo.tenue)
        lineas.append(
            f"  {nota.modulo.numero}  {titulo.ljust(ancho)}  "
            f"{f'{r.pasadas} de {r.total}':>12}  {pintar(puntos.rjust(11))}"
        )
    puntos, maximo = calificacion.total(notas)
    lineas.append(f"  {'Total'.ljust(ancho + 4)}  {'':>12}  {f'{puntos:g} / {maximo}':>11}")
    return lineas


def _escribir(ruta: Path, texto: str) -> None:
    try:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_text(texto, encoding="utf-8")
    except OSError as error:
        raise ErrorDelTaller(f"no puedo escribir {ruta} ({motivo(error)}).") from None
    print(f"Escrito {ruta}.")


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    estilo = Estilo.para(sys.stdout)
    lista = con_ejercicio(raiz)
    print(estilo.tenue("Ejecutando las pruebas de todos los módulos…"), flush=True)
    resultados = ejecutar_varios(lista, soluciones=args.soluciones)
    notas = [calificacion.Nota(m, resultados[m.numero]) for m in lista]
    print()
    print("\n".join(tabla(notas, estilo)))
    print()
    if args.json:
        _escribir(args.json, calificacion.como_json(notas))
    if args.junit:
        _escribir(args.junit, calificacion.como_junit(notas))
    return 0
