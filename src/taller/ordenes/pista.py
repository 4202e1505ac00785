"""`taller pista NN`: la siguiente pista del módulo, de una en una, de la más suave a la más concreta.

Las pistas viven en ejercicios/NN/pistas.md (secciones «## Pista N»). Cuántas has visto se
guarda en el estado del alumno (.taller/estado.json), así que cada llamada da la siguiente.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from taller import estado
from taller.modulos import ErrorDelTaller, Modulo, raiz_del_taller
from taller.ordenes import argumento_modulo, elegir_modulo, interruptor
from taller.salida import Estilo

AYUDA = "te da la siguiente pista de un módulo (de una en una)"
DESCRIPCION = (
    "Muestra la siguiente pista del módulo NN, de la más suave a la más concreta, y "
    "recuerda cuáles has visto. Inténtalo un rato antes de pedir la siguiente."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    argumento_modulo(parser)
    interruptor(parser, "--todas", "muestra todas las pistas de golpe")
    parser.add_argument(
        "--numero",
        "-n",
        metavar="N",
        type=_entero,
        help="muestra la pista número N (por ejemplo, la del paso en el que estás)",
    )


def _entero(texto: str) -> int:
    """El tipo de --numero: argparse diría «valor int no válido» (con el nombre en inglés)."""
    try:
        return int(texto)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{texto}» no es un número de pista (escribe un número entero: 1, 2, 3…)"
        ) from None


def _pistas(modulo: Modulo) -> list[str]:
    pistas = modulo.pistas()
    if not pistas:
        raise ErrorDelTaller(
            f"El módulo {modulo.numero} no tiene pistas (se buscan en "
            f"{modulo.fichero_pistas.relative_to(modulo.raiz)}, en secciones «## Pista 1», "
            "«## Pista 2»…)."
        )
    return pistas


def _cabecera(estilo: Estilo, modulo: Modulo, indice: int, total: int) -> str:
    return estilo.titulo(f"Pista {indice} de {total}") + estilo.tenue(
        f" · Módulo {modulo.numero} — {modulo.titulo}"
    )


def siguiente_pista(raiz: Path, modulo: Modulo, estilo: Estilo) -> str:
    """El texto de la siguiente pista sin ver (y la apunta como vista)."""
    pistas = _pistas(modulo)
    vistas = min(
        estado.cambiar_pistas_vistas(raiz, modulo.numero, lambda n: min(n + 1, len(pistas))),
        len(pistas),
    )
    orden = estilo.amarillo(f"taller pista {modulo.numero}")
    if vistas == len(pistas):
        return "\n".join(
            [
                f"Ya has visto las {len(pistas)} pistas del módulo {modulo.numero}. "
                f"Te repito la última (todas juntas: taller pista {modulo.numero} --todas).",
                "",
                _cabecera(estilo, modulo, len(pistas), len(pistas)),
                "",
                pistas[-1],
            ]
        )
    quedan = len(pistas) - vistas - 1
    if quedan == 0:
        pie = "Era la última pista: con ella, el ejercicio está a tu alcance."
    elif quedan == 1:
        pie = f"Queda 1 pista más: {orden}."
    else:
        pie = f"Quedan {quedan} pistas más: {orden} te da la siguiente."
    return "\n".join(
        [_cabecera(estilo, modulo, vistas + 1, len(pistas)), "", pistas[vistas], "", pie]
    )


def pista_numero(raiz: Path, modulo: Modulo, numero: int, estilo: Estilo) -> str:
    """La pista número `numero`, sin esperar a ver las anteriores (cuentan como vistas)."""
    pistas = _pistas(modulo)
    if not 1 <= numero <= len(pistas):
        raise ErrorDelTaller(
            f"El módulo {modulo.numero} tiene las pistas 1 a {len(pistas)}; no hay pista {numero}."
        )
    estado.cambiar_pistas_vistas(raiz, modulo.numero, lambda vistas: max(vistas, numero))
    return "\n".join([_cabecera(estilo, modulo, numero, len(pistas)), "", pistas[numero - 1]])


def todas_las_pistas(raiz: Path, modulo: Modulo, estilo: Estilo) -> str:
    pistas = _pistas(modulo)
    estado.cambiar_pistas_vistas(raiz, modulo.numero, lambda _vistas: len(pistas))
    trozos = [
        f"{_cabecera(estilo, modulo, i, len(pistas))}\n\n{texto}"
        for i, texto in enumerate(pistas, start=1)
    ]
    return "\n\n".join(trozos)


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    estilo = Estilo.para(sys.stdout)
    modulo = elegir_modulo(args.modulo, raiz, estilo)
    if args.todas:
        print(todas_las_pistas(raiz, modulo, estilo))
    elif args.numero is not None:
        print(pista_numero(raiz, modulo, args.numero, estilo))
    else:
        print(siguiente_pista(raiz, modulo, estilo))
    return 0
