"""Las partes del README que se generan: entre `<!-- NOMBRE -->` y `<!-- /NOMBRE -->`.

La tabla de módulos sale de los manifiestos (soluciones/NN/modulo.toml): `taller generar` la
reescribe y `taller generar --comprobar` (en `make test`) falla si está vieja. bench/readme.py
usa las mismas marcas para las tablas que mide.
"""

from __future__ import annotations

import re
from pathlib import Path

from taller.modulos import Modulo, modulos

TABLA_DE_MODULOS = "taller:modulos"


def marcas(nombre: str) -> tuple[str, str]:
    return f"<!-- {nombre} -->", f"<!-- /{nombre} -->"


def reemplazar_seccion(texto: str, nombre: str, contenido: str) -> str:
    """`texto` con lo que hay entre las marcas de `nombre` cambiado por `contenido`."""
    abre, cierra = marcas(nombre)
    patron = re.compile(re.escape(abre) + r"\n.*?" + re.escape(cierra), re.S)
    if not patron.search(texto):
        raise ValueError(f"El README no tiene las marcas {abre} … {cierra}")
    return patron.sub(lambda _: f"{abre}\n{contenido.rstrip()}\n{cierra}", texto, count=1)


def _tiempo(minutos: int) -> str:
    horas, resto = divmod(minutos, 60)
    if not horas:
        return f"{resto} min"
    return f"{horas} h" + (f" {resto} min" if resto else "")


def tabla_de_modulos(lista: list[Modulo]) -> str:
    filas = [
        "| NN | tema | qué construyes | tiempo | necesita |",
        "|---|---|---|---|---|",
    ]
    for modulo in lista:
        m = modulo.manifiesto
        necesita = ", ".join(m.necesita) or "—"
        filas.append(
            f"| {modulo.numero} | {m.titulo} | {m.construyes} | {_tiempo(m.minutos)} | {necesita} |"
        )
    return "\n".join(filas)


def tiene_tabla_de_modulos(raiz: Path) -> bool:
    ruta = raiz / "README.md"
    return ruta.is_file() and marcas(TABLA_DE_MODULOS)[0] in ruta.read_text(encoding="utf-8")


def readme_al_dia(raiz: Path) -> str:
    """El README de `raiz` con la tabla de módulos como la escriben los manifiestos."""
    texto = (raiz / "README.md").read_text(encoding="utf-8")
    return reemplazar_seccion(texto, TABLA_DE_MODULOS, tabla_de_modulos(modulos(raiz)))


def readme_esta_al_dia(raiz: Path) -> bool:
    """¿Dice la tabla de módulos del README lo que dicen los manifiestos? (Sin tabla, sí.)"""
    if not tiene_tabla_de_modulos(raiz):
        return True
    return readme_al_dia(raiz) == (raiz / "README.md").read_text(encoding="utf-8")


def escribir_readme(raiz: Path) -> bool:
    """Reescribe la tabla de módulos del README si hace falta; dice si ha cambiado algo."""
    if readme_esta_al_dia(raiz):
        return False
    (raiz / "README.md").write_text(readme_al_dia(raiz), encoding="utf-8")
    return True
