"""Las tablas del README que escribe un bench: entre `<!-- bench:NOMBRE -->` y su cierre.

Así el README dice lo que se midió, con la fecha y la máquina, y no cifras tecleadas a mano
que se quedan viejas. Solo se reescribe cuando se pide (`make figuras`): medir, a secas, no
ensucia el árbol.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

from taller import readme as secciones

RAIZ = Path(__file__).resolve().parents[1]


def marcas(nombre: str) -> tuple[str, str]:
    return secciones.marcas(f"bench:{nombre}")


def la_maquina() -> str:
    """Fecha, núcleos y carga: lo que hace falta para leer los segundos de una tabla."""
    carga = "; ".join(f"{c:.1f}".replace(".", ",") for c in os.getloadavg())
    return (
        f"Medido el {time.strftime('%Y-%m-%d %H:%M')} en {platform.machine()}, "
        f"{os.cpu_count()} núcleos, carga media {carga} (1, 5 y 15 min) al acabar."
    )


def reemplazar_seccion(texto: str, nombre: str, contenido: str) -> str:
    """`texto` con lo que hay entre las marcas de `nombre` cambiado por `contenido`."""
    return secciones.reemplazar_seccion(texto, f"bench:{nombre}", contenido)


def escribir_en_el_readme(nombre: str, contenido: str, readme: Path = RAIZ / "README.md") -> None:
    readme.write_text(
        reemplazar_seccion(readme.read_text(encoding="utf-8"), nombre, contenido),
        encoding="utf-8",
    )
