"""En qué punto está el alumno: el estado de cada módulo según sus pruebas.

sin empezar: no pasa ninguna prueba · en curso: pasan algunas · superado: pasan todas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from taller import estado
from taller.ejecucion import Resultado, ejecutar_varios
from taller.modulos import ErrorDelTaller, Modulo, carpeta_de_ejercicios, modulos

SIN_EMPEZAR = "sin empezar"
EN_CURSO = "en curso"
SUPERADO = "superado"
# Todo en verde, pero con pruebas saltadas (las del 08 que necesitan un motor de contenedores).
SUPERADO_SIN_MOTOR = "superado (sin motor)"
SIN_PROBAR = "no se pudo probar"

T = TypeVar("T")


def estado_de(resultado: Resultado) -> str:
    if resultado.superado:
        return SUPERADO_SIN_MOTOR if resultado.omitidas else SUPERADO
    if resultado.total == 0:
        return SIN_PROBAR
    if resultado.pasadas == 0:
        return SIN_EMPEZAR
    return EN_CURSO


@dataclass
class Situacion:
    modulo: Modulo
    resultado: Resultado

    @property
    def estado(self) -> str:
        return estado_de(self.resultado)

    @property
    def superado(self) -> bool:
        """Superado, también sin motor: sin él no se puede hacer más, así que se sigue adelante."""
        return self.estado in (SUPERADO, SUPERADO_SIN_MOTOR)


def comprobar_todos(raiz: Path, soluciones: bool = False) -> list[Situacion]:
    """Ejecuta las pruebas de todos los módulos de ejercicios/ y apunta el resultado."""
    lista = [modulo for modulo in modulos(raiz) if modulo.ejercicio.is_dir()]
    resultados = ejecutar_varios(lista, soluciones=soluciones)
    situaciones = [Situacion(modulo, resultados[modulo.numero]) for modulo in lista]
    if not soluciones:
        apuntar(raiz, situaciones)
    return situaciones


def apuntar(raiz: Path, situaciones: list[Situacion]) -> None:
    """Guarda en el estado del alumno el último resultado de cada módulo."""
    estado.guardar_resultados(
        raiz,
        {
            s.modulo.numero: {
                "estado": s.estado,
                "pasadas": s.resultado.pasadas,
                "total": s.resultado.total,
            }
            for s in situaciones
        },
    )


def modulo_actual(raiz: Path) -> Modulo:
    """El módulo en el que estás, sin ejecutar nada: el primero que no consta como superado.

    Mira lo que apuntaron `taller progreso`, `comprobar` y `vigilar` en el estado del alumno;
    así `taller pista` y `taller comprobar` sin NN responden al momento.
    """
    lista = [modulo for modulo in modulos(raiz) if modulo.ejercicio.is_dir()]
    if not lista:
        raise ErrorDelTaller(f"No hay ningún módulo en {carpeta_de_ejercicios(raiz)}.")
    apuntados = estado.leer(raiz)["modulos"]
    for modulo in lista:
        apuntado = apuntados.get(modulo.numero)
        if not isinstance(apuntado, dict) or apuntado.get("estado") not in (
            SUPERADO,
            SUPERADO_SIN_MOTOR,
        ):
            return modulo
    return lista[-1]


def primero_sin_superar(
    lista: list[T],
    numero: Callable[[T], str],
    superado: Callable[[T], bool],
    despues_de: str | None = None,
) -> T | None:
    """El primero de `lista` sin superar (tras el módulo `despues_de`, dando la vuelta)."""
    numeros = [numero(cosa) for cosa in lista]
    inicio = numeros.index(despues_de) + 1 if despues_de in numeros else 0
    for cosa in lista[inicio:] + lista[:inicio]:
        if not superado(cosa) and numero(cosa) != despues_de:
            return cosa
    return None


def siguiente(situaciones: list[Situacion], despues_de: str | None = None) -> Situacion | None:
    """El primer módulo sin superar (tras `despues_de`, dando la vuelta si hace falta)."""
    return primero_sin_superar(
        situaciones, lambda s: s.modulo.numero, lambda s: s.superado, despues_de
    )
