"""`taller progreso`: cada módulo con su estado, cuántas pruebas pasan y cuál toca ahora.

Ejecuta las pruebas de todos los módulos en un solo proceso pytest (ver
`taller.ejecucion.ejecutar_varios`): tarda lo mismo que `pytest ejercicios`.
"""

from __future__ import annotations

import argparse
import sys
import time

from taller import progreso
from taller.ejecucion import sin_motor
from taller.modulos import ErrorDelTaller, carpeta_de_ejercicios, raiz_del_taller
from taller.ordenes import interruptor
from taller.salida import Estilo, segundos

SIMBOLOS = {
    progreso.SUPERADO: "✔",
    progreso.SUPERADO_SIN_MOTOR: "◑",
    progreso.EN_CURSO: "◐",
    progreso.SIN_EMPEZAR: "○",
    progreso.SIN_PROBAR: "✘",
}


AYUDA = "tu avance: el estado de cada módulo y cuál toca ahora"
DESCRIPCION = (
    "Ejecuta las pruebas de todos los módulos (sin tocar tu código) y muestra, para "
    "cada uno, si está sin empezar, en curso o superado, cuántas pruebas pasan y cuál "
    "es el siguiente módulo en el que trabajar."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    interruptor(
        parser, "--soluciones", "(profesores) mide la solución de referencia en lugar de tu código"
    )


def color_del_estado(estilo: Estilo, estado: str, texto: str) -> str:
    pintar = {
        progreso.SUPERADO: estilo.verde,
        progreso.SUPERADO_SIN_MOTOR: estilo.amarillo,
        progreso.EN_CURSO: estilo.amarillo,
        progreso.SIN_EMPEZAR: estilo.tenue,
        progreso.SIN_PROBAR: estilo.rojo,
    }[estado]
    return pintar(texto)


def tabla(situaciones: list[progreso.Situacion], estilo: Estilo) -> list[str]:
    ancho = min(45, max(len(s.modulo.titulo) for s in situaciones))
    ancho_estado = max(len(estado) for estado in SIMBOLOS)
    lineas = []
    for situacion in situaciones:
        estado = situacion.estado
        marca = f"{SIMBOLOS[estado]} {estado.ljust(ancho_estado)}"
        titulo = situacion.modulo.titulo
        titulo = titulo if len(titulo) <= ancho else titulo[: ancho - 1] + "…"
        cuentas = f"{situacion.resultado.pasadas} de {situacion.resultado.total}".rjust(9)
        lineas.append(
            f"  {estilo.negrita(situacion.modulo.numero)}  {titulo.ljust(ancho)}  "
            f"{color_del_estado(estilo, estado, marca)} {cuentas} pruebas"
        )
    return lineas


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    estilo = Estilo.para(sys.stdout)
    print(estilo.tenue("Ejecutando las pruebas de todos los módulos…"), flush=True)
    inicio = time.perf_counter()
    situaciones = progreso.comprobar_todos(raiz, soluciones=args.soluciones)
    tardado = time.perf_counter() - inicio
    if not situaciones:
        raise ErrorDelTaller(f"No hay ningún módulo en {carpeta_de_ejercicios(raiz)}.")
    cabecera = "La solución de referencia" if args.soluciones else "Tu progreso en el taller"
    print()
    print(estilo.titulo(cabecera))
    print()
    print("\n".join(tabla(situaciones, estilo)))
    print()
    superados = sum(s.superado for s in situaciones)
    print(estilo.barra(superados, len(situaciones)))
    a_medias = [s for s in situaciones if s.estado == progreso.SUPERADO_SIN_MOTOR]
    for situacion in a_medias:
        print(estilo.amarillo(f"Módulo {situacion.modulo.numero}, {progreso.SUPERADO_SIN_MOTOR}."))
        print(sin_motor(situacion.resultado))
    toca = progreso.siguiente(situaciones)
    if toca is None and a_medias:
        numeros = ", ".join(s.modulo.numero for s in a_medias)
        print(estilo.verde(f"¡Has superado todos los módulos! (Sin motor, el {numeros} a medias.)"))
    elif toca is None:
        print(estilo.verde("¡Has superado todos los módulos! Enhorabuena."))
    else:
        numero = toca.modulo.numero
        print(f"Siguiente: {estilo.negrita(f'módulo {numero} — {toca.modulo.titulo}')}")
        if toca.modulo.cuaderno is not None:
            print(
                f"  Lee {toca.modulo.cuaderno.relative_to(raiz)} y completa {toca.modulo.ruta_ejercicio}."
            )
        print(
            f"  Comprueba con {estilo.amarillo(f'taller comprobar {numero}')}, "
            f"o déjalo vigilando con {estilo.amarillo('taller vigilar')}."
        )
    cuantos = "1 módulo" if len(situaciones) == 1 else f"{len(situaciones)} módulos"
    print(estilo.tenue(f"(pruebas de {cuantos} en {segundos(tardado)})"))
    return 0
