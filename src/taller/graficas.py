"""La figura del barrido de ejecutores: la dibujan el cuaderno 04 y el benchmark (bench/).

Segundos frente a número de ejecutores, lo medido contra lo ideal (N x latencia / ejecutores),
los dos ejes en escala logarítmica. matplotlib se importa al dibujar: el taller no lo
necesita para nada más.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Las marcas del eje vertical, en segundos: se usan las que caen cerca de lo dibujado.
MARCAS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)


def barrido_de_ejecutores(
    ejecutores: Sequence[int],
    medido: Sequence[float],
    ideal: Sequence[float],
    *,
    etiqueta: str,
    servidores: int,
    latencia: float,
) -> Any:
    """La figura (matplotlib) de lo medido con cada número de ejecutores contra lo ideal.

    `etiqueta` nombra la curva medida en la leyenda. Devuelve la figura: el cuaderno la
    enseña (plt.show()) y el benchmark la guarda en un PNG.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    figura, ejes = plt.subplots(figsize=(6.4, 4))
    ejes.plot(ejecutores, medido, "o-", label=etiqueta)
    ejes.plot(ejecutores, ideal, "--", color="gray", label="ideal: N x latencia / ejecutores")
    ejes.set_xscale("log")
    ejes.set_yscale("log")
    ejes.set_xticks(ejecutores, [str(k) for k in ejecutores])
    marcas = [m for m in MARCAS if min(ideal) / 2 <= m <= max(medido) * 2]
    ejes.set_yticks(marcas, [f"{m:g}" for m in marcas])
    ejes.yaxis.set_minor_formatter(NullFormatter())
    ejes.set_xlabel("ejecutores")
    ejes.set_ylabel("segundos (escala logarítmica)")
    ejes.set_title(f"{servidores} servidores con {latencia * 1000:.0f} ms de latencia")
    ejes.grid(True, which="both", alpha=0.3)
    ejes.legend()
    figura.tight_layout()
    return figura
