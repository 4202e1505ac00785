"""Ejecutar las pruebas de un módulo en un proceso aparte y leer el resultado.

Siempre en un subproceso (`python -m pytest ...`): en el mismo proceso se quedaría
importada la versión vieja del código del alumno. El resultado se lee del informe JUnit
XML de pytest, que distingue pruebas fallidas (failure) de pruebas con error (error).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from taller.modulos import Modulo


@dataclass
class Fallo:
    prueba: str
    mensaje: str


@dataclass
class Resultado:
    codigo_salida: int
    total: int = 0
    pasadas: int = 0
    fallidas: list[Fallo] = field(default_factory=list)
    con_error: list[Fallo] = field(default_factory=list)
    omitidas: int = 0
    segundos: float = 0.0
    salida: str = ""

    @property
    def superado(self) -> bool:
        return (
            self.codigo_salida == 0 and self.total > 0 and not self.fallidas and not self.con_error
        )


def _leer_junit(ruta: Path, resultado: Resultado) -> None:
    if not ruta.is_file() or ruta.stat().st_size == 0:
        return
    raiz = ET.parse(ruta).getroot()
    for caso in raiz.iter("testcase"):
        resultado.total += 1
        nombre = caso.get("name", "?")
        fallo, error, omision = caso.find("failure"), caso.find("error"), caso.find("skipped")
        if fallo is not None:
            resultado.fallidas.append(Fallo(nombre, fallo.get("message", "")))
        elif error is not None:
            resultado.con_error.append(Fallo(nombre, error.get("message", "")))
        elif omision is not None:
            resultado.omitidas += 1
        else:
            resultado.pasadas += 1


def ejecutar_pruebas(
    modulo: Modulo,
    soluciones: bool = False,
    codigo: Path | None = None,
    extra: list[str] | None = None,
    timeout: float = 600,
) -> Resultado:
    """Ejecuta `pytest ejercicios/NN` (con --soluciones o --codigo si se piden)."""
    with tempfile.TemporaryDirectory(prefix="taller-junit-") as temporal:
        informe = Path(temporal) / "informe.xml"
        orden = [
            sys.executable,
            "-m",
            "pytest",
            str(modulo.ejercicio),
            "-q",
            f"--junitxml={informe}",
        ]
        if soluciones:
            orden.append("--soluciones")
        if codigo is not None:
            orden.append(f"--codigo={codigo}")
        orden += extra or []
        inicio = time.perf_counter()
        proceso = subprocess.run(
            orden, cwd=modulo.raiz, capture_output=True, text=True, timeout=timeout, check=False
        )
        resultado = Resultado(
            codigo_salida=proceso.returncode,
            segundos=time.perf_counter() - inicio,
            salida=proceso.stdout + proceso.stderr,
        )
        _leer_junit(informe, resultado)
    return resultado


def resumen(resultado: Resultado, numero: str, maximo: int = 5) -> str:
    """Unas líneas en español: cuántas pruebas pasan y las primeras que fallan."""
    if resultado.total == 0:
        return (
            f"No se pudo ejecutar ninguna prueba del módulo {numero}. Salida de pytest:\n"
            + resultado.salida[-2000:]
        )
    lineas = [f"Módulo {numero}: pasan {resultado.pasadas} de {resultado.total} pruebas."]
    problemas = resultado.fallidas + resultado.con_error
    if not problemas:
        lineas.append("¡Todo en verde! Módulo superado.")
        return "\n".join(lineas)
    lineas.append("Las primeras que fallan (van en el orden en que conviene resolverlas):")
    for fallo in problemas[:maximo]:
        primera = (fallo.mensaje.strip().splitlines() or [""])[0][:160]
        lineas.append(f"  ✘ {fallo.prueba}: {primera}")
    if len(problemas) > maximo:
        lineas.append(f"  … y {len(problemas) - maximo} más.")
    lineas.append(f"Detalles: pytest ejercicios/{numero}   ·   Una pista: taller pista {numero}")
    return "\n".join(lineas)


def comprobar_en_cuaderno(numero: str) -> Resultado:
    """Para la última celda de cada cuaderno: prueba el ejercicio y muestra el resumen.

    Nunca lanza una excepción por pruebas fallidas: el cuaderno debe poder ejecutarse
    entero aunque el ejercicio esté a medias.
    """
    from taller.modulos import buscar_modulo

    modulo = buscar_modulo(numero)
    # El resumen solo usa el mensaje de cada fallo: --tb=line ahorra a pytest formatear las
    # trazas (la mitad del tiempo cuando fallan todas, como con el esqueleto recién abierto).
    resultado = ejecutar_pruebas(modulo, extra=["--tb=line"])
    print(resumen(resultado, modulo.numero))
    return resultado
