"""`taller flota`: arranca una flota de servidores locales hasta que pulses Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from taller.flota import AVERIAS, MotorDeFlota
from taller.modulos import ErrorDelTaller


def leer_averias(texto: str) -> dict[str, float]:
    """'colgado=0.05,error_500=0.1' → {'colgado': 0.05, 'error_500': 0.1}."""
    averias: dict[str, float] = {}
    for trozo in filter(None, (t.strip() for t in texto.split(","))):
        nombre, igual, valor = trozo.partition("=")
        if not igual:
            raise ErrorDelTaller(
                f"«{trozo}»: escribe cada avería como nombre=proporción, p. ej. colgado=0.05"
            )
        try:
            averias[nombre.strip()] = float(valor)
        except ValueError:
            raise ErrorDelTaller(
                f"«{valor}» no es una proporción (un número entre 0 y 1)"
            ) from None
    return averias


AYUDA = "arranca N servidores web de prueba en 127.0.0.1"
DESCRIPCION = (
    "Arranca N servidores HTTP en 127.0.0.1 (uno por puerto) que responden GET /salud. "
    "Imprime sus URLs (o las escribe en un fichero) y sigue hasta Ctrl-C. "
    f"Averías posibles: {', '.join(AVERIAS)}."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--servidores", type=int, default=200, help="cuántos (por defecto 200)")
    parser.add_argument(
        "--latencia", type=float, default=0.05, help="segundos por respuesta (0.05)"
    )
    parser.add_argument("--jitter", type=float, default=0.0, help="variación ± de la latencia (0)")
    parser.add_argument("--semilla", type=int, default=0, help="misma semilla, misma flota (0)")
    parser.add_argument(
        "--averias", default="", metavar="NOMBRE=PROPORCION,...",
        help="p. ej. colgado=0.05,error_500=0.05 (por defecto, todos sanos)",
    )  # fmt: skip
    parser.add_argument(
        "--salida", type=Path, help="escribe las URLs en este fichero, una por línea"
    )


def ejecutar(args: argparse.Namespace) -> int:
    # Esta orden ya es un proceso aparte: el motor corre aquí mismo, en un hilo.
    una = MotorDeFlota(
        args.servidores, args.latencia, args.jitter, args.semilla, leer_averias(args.averias)
    )
    parar = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: parar.set())
    una.arrancar()
    try:
        if args.salida:
            args.salida.write_text("\n".join(una.urls) + "\n", encoding="utf-8")
            print(f"{len(una.urls)} URLs escritas en {args.salida}")
        else:
            print("\n".join(una.urls))
        averiados = sum(1 for s in una.servidores if s.averia)
        sys.stdout.flush()
        # El aviso va dentro del try: quien lo lee puede mandar Ctrl-C en cuanto lo ve, antes
        # incluso de que print() vuelva.
        try:
            print(
                f"Flota en marcha: {len(una.servidores)} servidores ({averiados} con avería), "
                f"latencia {args.latencia} s. Ctrl-C para detenerla.",
                file=sys.stderr,
                flush=True,
            )
            while not parar.wait(0.2):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        una.detener()
    print(f"Flota detenida: atendió {una.estadisticas.peticiones} peticiones.", file=sys.stderr)
    return 0
