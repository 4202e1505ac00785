"""Lo común a los pasos de `make contenedor`: el fallo de un paso, los avisos y ejecutar órdenes.

Cada orden se ejecuta sin lanzar excepciones de subprocess: si sale mal, `Fallo` lleva qué se
intentaba, la orden y sus últimas líneas (y dónde está su registro completo, si lo tiene).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

# Ninguna orden de make contenedor tarda tanto (la más lenta, construir la imagen, unos minutos):
# si una se cuelga, el paso falla diciéndolo en vez de agotar el tiempo de CI.
SEGUNDOS_POR_ORDEN = 1500


class Fallo(Exception):
    """Un paso no se pudo completar; el mensaje dice cuál y por qué."""


def avisar(texto: str) -> None:
    print(f"    {texto}", flush=True)


def ejecutar(
    orden: list[str], que: str, registro: Path | None = None, intentos: int = 1, **opciones
) -> str:
    """Ejecuta y devuelve la salida; si falla, Fallo con las últimas líneas (y el registro).

    Con intentos=2, un fallo se repite una vez (para los pasos que descargan: apt, pip dentro
    de la construcción), avisando de ello. `opciones` va tal cual a subprocess.run (env, cwd,
    user, group, extra_groups, input...).
    """
    for intento in range(1, intentos):
        try:
            return _ejecutar_una_vez(orden, que, registro, **opciones)
        except Fallo as error:
            avisar(f"{que} falló; lo intento otra vez ({intento + 1} de {intentos}). {error}"[:600])
    return _ejecutar_una_vez(orden, que, registro, **opciones)


def _ejecutar_una_vez(orden: list[str], que: str, registro: Path | None, **opciones) -> str:
    opciones.setdefault("timeout", SEGUNDOS_POR_ORDEN)
    try:
        return _ejecutar_con_limite(orden, que, registro, **opciones)
    except subprocess.TimeoutExpired:
        donde = f" Lo que escribió está en {registro}." if registro else ""
        raise Fallo(
            f"{que} no terminó en {opciones['timeout']} s: la paro.{donde}\nOrden: {' '.join(orden)}"
        ) from None


def _ejecutar_con_limite(orden: list[str], que: str, registro: Path | None, **opciones) -> str:
    if registro is not None:
        registro.parent.mkdir(parents=True, exist_ok=True)
        with registro.open("w", encoding="utf-8") as fichero:
            proceso = subprocess.run(
                orden, stdout=fichero, stderr=subprocess.STDOUT, check=False, **opciones
            )
        salida = registro.read_text(encoding="utf-8", errors="replace")
    else:
        proceso = subprocess.run(
            orden, capture_output=True, text=True, errors="replace", check=False, **opciones
        )
        salida = proceso.stdout + proceso.stderr
    if proceso.returncode != 0:
        donde = f" (registro completo: {registro})" if registro else ""
        raise Fallo(
            f"{que} falló con código {proceso.returncode}{donde}.\n"
            f"Orden: {' '.join(orden)}\nÚltimas líneas:\n{salida[-4000:]}"
        )
    return salida


def resumen_de_pytest(salida: str) -> str:
    """La última línea no vacía (la de «N passed in X s»)."""
    lineas = [linea for linea in salida.strip().splitlines() if linea.strip()]
    return lineas[-1] if lineas else "(sin salida)"
