"""Paso 5 — El programa: `python -m monitor inventario.toml`.

    python -m monitor inventario.toml --una-vez              una ronda y sale
    python -m monitor inventario.toml --intervalo 60         una ronda por minuto, hasta Ctrl+C
    python -m monitor inventario.toml --una-vez --json       la ronda en JSON (una línea)
    python -m monitor inventario.toml --smtp 127.0.0.1:2525  con correos al cambiar de estado

Código de salida: 0 si en la última ronda todo estaba bien, 1 si algo fallaba, 2 si la orden
o el inventario están mal, 130 si se paró con Ctrl+C. Ctrl+C se atiende en cualquier momento:
las comprobaciones que no han empezado ya no empiezan, la ronda a medias no se guarda (ni una
fila suelta), salen los correos pendientes y el programa acaba SIN esperar a las
comprobaciones que estaban en vuelo (con un timeout largo, serían muchos segundos): Python, al
acabar, espera a los hilos de todo ThreadPoolExecutor (no son daemon), así que, cerrado ya
todo lo nuestro, se sale con os._exit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict

from alertas import DESTINATARIO, Alertas
from historial import ErrorDeHistorial, Historial
from inventario import ErrorDeInventario, leer
from ronda import CONCURRENCIA_POR_DEFECTO, Resultado, ronda

SALIDA_BIEN, SALIDA_MAL, SALIDA_USO, SALIDA_INTERRUMPIDO = 0, 1, 2, 130


def _positivo(texto: str) -> float:
    try:
        valor = float(texto)
    except ValueError:
        raise argparse.ArgumentTypeError(f"debe ser un número de segundos, no «{texto}»") from None
    if not valor >= 0:
        raise argparse.ArgumentTypeError(f"debe ser 0 o más segundos, no {texto}")
    return valor


def _concurrencia(texto: str) -> int:
    try:
        valor = int(texto)
    except ValueError:
        raise argparse.ArgumentTypeError(f"debe ser un número entero, no «{texto}»") from None
    if valor < 1:
        raise argparse.ArgumentTypeError(f"debe ser 1 o más, no {valor}")
    return valor


def _smtp(texto: str) -> tuple[str, int]:
    host, _, puerto = texto.rpartition(":")
    if not host or not puerto.isdigit() or not 1 <= int(puerto) <= 65535:
        raise argparse.ArgumentTypeError(f"debe ser MÁQUINA:PUERTO (127.0.0.1:2525), no «{texto}»")
    return host, int(puerto)


def analizar(argumentos: list[str] | None = None) -> argparse.Namespace:
    """Los argumentos de la orden (argparse sale con 2 y un mensaje si están mal)."""
    # TODO: un ArgumentParser con el inventario (posicional), --una-vez, --intervalo, --json, --bd, --smtp, --destinatario y --concurrencia, con sus type= y una ayuda en español
    raise NotImplementedError("analizar: lo que falta lo dice su # TODO")


def resumen(numero: int, resultados: list[Resultado], segundos: float) -> str:
    """La tabla de una ronda, en español: una línea por comprobación y el total."""
    ancho = max((len(r.servidor) for r in resultados), default=0)
    lineas = [
        f"{'BIEN' if r.ok else 'MAL '}  {r.servidor:{ancho}}  {r.comprobacion:18}  {r.motivo}"
        for r in resultados
    ]
    bien = sum(r.ok for r in resultados)
    lineas.append(
        f"Ronda {numero}: {len(resultados)} comprobaciones, {bien} bien, "
        f"{len(resultados) - bien} mal ({segundos:.2f} s)".replace(".", ",")
    )
    return "\n".join(lineas)


def _informar_si_falla(futuro) -> None:
    error = futuro.exception()
    if error is not None:
        print(f"monitor: no se pudo mandar un correo: {error}", file=sys.stderr, flush=True)


def vigilar(opciones: argparse.Namespace) -> int:
    """El bucle del monitor; devuelve el código de salida. Deja salir KeyboardInterrupt."""
    # TODO: lee el inventario; abre el Historial (y Alertas si hay --smtp) y ciérralos pase lo que pase; en cada ronda: ronda, guardar_ronda, un correo por cambio, la salida; --una-vez o espera --intervalo
    raise NotImplementedError("vigilar: lo que falta lo dice su # TODO")


def main(argumentos: list[str] | None = None) -> int:
    """Punto de entrada: los errores esperables, en español y con su código de salida."""
    opciones = analizar(argumentos)
    # TODO: llama a vigilar; ErrorDeInventario y ErrorDeHistorial van a stderr con SALIDA_USO; KeyboardInterrupt, un aviso y SALIDA_INTERRUMPIDO
    raise NotImplementedError("main: lo que falta lo dice su # TODO")


if __name__ == "__main__":
    # TODO: (al ejecutarse con python -m monitor) codigo = main(); con SALIDA_INTERRUMPIDO, vacía stdout y stderr y sal con os._exit (no esperes a los hilos de la ronda que siguen en vuelo); si no, sys.exit
    raise NotImplementedError("main: lo que falta lo dice su # TODO")
