"""`taller reiniciar NN`: devuelve los ficheros del ejercicio NN a su estado inicial.

Es la única orden que toca el código del alumno, y siempre pregunta antes (salvo con
`--si`). Solo reescribe los ficheros que escribe el generador (los esqueletos, ver
`taller.generador.esperado`): nunca las pruebas, el enunciado ni las pistas, ni ficheros que
el alumno haya añadido. Antes de sobrescribir, guarda una copia de cada fichero en
.taller/copias/, por si acaso.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from taller import estado, generador
from taller.modulos import Modulo, buscar_modulo, raiz_del_taller
from taller.ordenes import interruptor
from taller.salida import Estilo

RESPUESTAS_SI = {"s", "si", "sí", "y", "yes"}


AYUDA = "devuelve el ejercicio de un módulo a su estado inicial (pregunta antes)"
DESCRIPCION = (
    "Devuelve los ficheros de ejercicios/NN que completas tú a su versión inicial, con "
    "sus TODO. Pregunta antes y guarda una copia de tu versión en .taller/copias/. "
    "No toca las pruebas, el enunciado ni las pistas."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("modulo", metavar="NN", help="el número del módulo: 01, 1, ejercicios/01…")
    interruptor(parser, "--si", "no preguntes: reinicia directamente")


def cambiados(modulo: Modulo) -> dict[Path, str]:
    """Los ficheros del ejercicio que no están como al principio, con su texto inicial."""
    return {
        ruta: texto
        for ruta, texto in generador.esperado(modulo).items()
        if not ruta.is_file() or ruta.read_text(encoding="utf-8", errors="replace") != texto
    }


def _confirmar(pregunta: str) -> bool:
    """Pregunta y dice si la respuesta es sí. Sin nadie que responda, la respuesta es no."""
    if sys.stdin is None or sys.stdin.closed:
        print(pregunta)
        print("(No hay entrada en la que responder: la entrada estándar está cerrada.)")
        return False
    try:
        respuesta = input(pregunta)
    except (EOFError, OSError, RuntimeError):
        respuesta = ""
    if not sys.stdin.isatty():
        print()  # la respuesta no se vio en pantalla: que lo siguiente empiece en otra línea
    return respuesta.strip().lower() in RESPUESTAS_SI


def _guardar_copias(raiz: Path, modulo: Modulo, rutas: list[Path]) -> Path | None:
    existentes = [ruta for ruta in rutas if ruta.is_file()]
    if not existentes:
        return None
    copias = estado.ruta_del_estado(raiz).parent / "copias"
    nombre = f"{modulo.numero}-{time.strftime('%Y%m%d-%H%M%S')}"
    destino, otra = copias / nombre, 1
    while destino.exists():
        otra += 1
        destino = copias / f"{nombre}-{otra}"
    for ruta in existentes:
        copia = destino / ruta.relative_to(modulo.ejercicio)
        copia.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ruta, copia)
    return destino


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    modulo = buscar_modulo(args.modulo, raiz)
    estilo = Estilo.para(sys.stdout)
    pendientes = cambiados(modulo)
    if not pendientes:
        print(f"El ejercicio {modulo.numero} ya está como al principio: no hay nada que reiniciar.")
        return 0
    print(
        f"Se devolverán a su versión inicial estos ficheros de {modulo.ruta_ejercicio} "
        "(lo que hayas escrito en ellos se guarda antes en .taller/copias/):"
    )
    for ruta in pendientes:
        print(f"  · {ruta.relative_to(raiz)}")
    if not args.si and not _confirmar(estilo.amarillo("¿Seguro que quieres reiniciarlos? [s/N] ")):
        print(
            f"No se ha cambiado nada. (Para no tener que responder: taller reiniciar {modulo.numero} --si)"
        )
        return 1
    try:
        copias = _guardar_copias(raiz, modulo, list(pendientes))
    except OSError as error:
        print(
            f"No se ha cambiado nada: no puedo guardar la copia de tu versión en "
            f"{_relativa(estado.ruta_del_estado(raiz).parent / 'copias', raiz)} "
            f"({estado.motivo(error)}), y sin copia no toco tu código.",
            file=sys.stderr,
        )
        return 1
    for ruta, texto in pendientes.items():
        try:
            ruta.parent.mkdir(parents=True, exist_ok=True)
            ruta.write_text(texto, encoding="utf-8")
        except OSError as error:
            print(
                f"No puedo escribir {_relativa(ruta, raiz)} ({estado.motivo(error)}). "
                + (f"Tu versión está a salvo en {_relativa(copias, raiz)}." if copias else ""),
                file=sys.stderr,
            )
            return 1
    print(estilo.verde(f"Ejercicio {modulo.numero} reiniciado."))
    if copias is not None:
        copia = _relativa(copias, raiz)
        print(f"Tu versión anterior queda guardada en {copia}.")
        print(f"Para recuperarla: cp -r {copia}/. {modulo.ruta_ejercicio}/")
    return 0


def _relativa(ruta: Path, raiz: Path) -> str:
    try:
        return str(ruta.relative_to(raiz))
    except ValueError:
        return str(ruta)
