"""Notas para el profesor: puntos por módulo, el informe y el flujo de GitHub Classroom.

Cada módulo vale PUNTOS_POR_MODULO. En `taller informe` la nota de un módulo es proporcional
a las pruebas que pasan (un trabajo a medias cuenta); en GitHub Classroom cada módulo es un
paso que da todos sus puntos si sus pruebas pasan y ninguno si no (así funciona el
`autograding-command-grader`: mira el código de salida de una orden). Las dos cosas salen de
aquí, para que no puedan contar cosas distintas: el flujo `.github/workflows/classroom.yml` se
escribe `taller generar` (o `python -m taller.calificacion`) y una prueba del taller comprueba que está al día.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from taller.ejecucion import Resultado, orden_de_las_pruebas
from taller.modulos import Modulo, modulos

PUNTOS_POR_MODULO = 10
# Minutos que GitHub Classroom da a las pruebas de un módulo antes de cortarlas.
MINUTOS_POR_MODULO = 5


@dataclass
class Nota:
    modulo: Modulo
    resultado: Resultado

    @property
    def puntos(self) -> float:
        if self.resultado.total == 0:
            return 0.0
        return round(PUNTOS_POR_MODULO * self.resultado.pasadas / self.resultado.total, 1)

    def como_dict(self) -> dict:
        r = self.resultado
        return {
            "modulo": self.modulo.numero,
            "titulo": self.modulo.titulo,
            "pasan": r.pasadas,
            "fallan": len(r.fallidas),
            "con_error": len(r.con_error),
            "omitidas": r.omitidas,
            "total": r.total,
            "superado": r.superado,
            "puntos": self.puntos,
            "puntos_max": PUNTOS_POR_MODULO,
        }


def total(notas: list[Nota]) -> tuple[float, int]:
    return round(sum(n.puntos for n in notas), 1), PUNTOS_POR_MODULO * len(notas)


def como_json(notas: list[Nota]) -> str:
    puntos, maximo = total(notas)
    datos = {"modulos": [n.como_dict() for n in notas], "puntos": puntos, "puntos_max": maximo}
    return json.dumps(datos, ensure_ascii=False, indent=2) + "\n"


def como_junit(notas: list[Nota]) -> str:
    """JUnit XML: un caso por módulo, que falla si el módulo no está superado.

    Es lo que entienden los sistemas de notas que leen JUnit; los puntos van en
    <properties> de cada suite.
    """
    raiz = ET.Element("testsuites", name="taller")
    for nota in notas:
        r = nota.resultado
        suite = ET.SubElement(
            raiz,
            "testsuite",
            name=f"{nota.modulo.numero} — {nota.modulo.titulo}",
            tests="1",
            failures="0" if r.superado else "1",
            skipped="0",
        )
        propiedades = ET.SubElement(suite, "properties")
        for clave in ("pasan", "total", "puntos", "puntos_max"):
            ET.SubElement(propiedades, "property", name=clave, value=str(nota.como_dict()[clave]))
        caso = ET.SubElement(
            suite, "testcase", classname="taller", name=f"módulo {nota.modulo.numero}"
        )
        if not r.superado:
            ET.SubElement(caso, "failure", message=f"pasan {r.pasadas} de {r.total} pruebas")
    ET.indent(raiz)
    return ET.tostring(raiz, encoding="unicode", xml_declaration=True) + "\n"


def orden_del_modulo(modulo: Modulo) -> str:
    """La orden que corre las pruebas de un módulo en Classroom: la de `taller comprobar`."""
    return " ".join(orden_de_las_pruebas(modulo))


def flujo_de_classroom(lista: list[Modulo]) -> str:
    """El flujo de GitHub Classroom: instalar el taller y un paso con sus puntos por módulo."""
    pasos = []
    for modulo in lista:
        ident = f"modulo-{modulo.numero}"
        pasos.append(
            f"""      - name: "Módulo {modulo.numero} — {modulo.titulo}"
        id: {ident}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: "Módulo {modulo.numero} — {modulo.titulo}"
          setup-command: ""
          command: "{orden_del_modulo(modulo)}"
          timeout: {MINUTOS_POR_MODULO}
          max-score: {PUNTOS_POR_MODULO}
"""
        )
    entorno = "".join(
        f'          MODULO-{m.numero}_RESULTS: "${{{{ steps.modulo-{m.numero}.outputs.result }}}}"\n'
        for m in lista
    )
    corredores = ",".join(f"modulo-{m.numero}" for m in lista)
    return f"""# Corrección automática en GitHub Classroom: un paso por módulo, con sus puntos.
# NO lo edites a mano: sale de src/taller/calificacion.py (lo escribe `taller generar`).
name: Corrección automática
"on":
  push:
  workflow_dispatch:
  repository_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  corregir:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Instalar el taller
        run: python -m pip install -e '.[dev]'
{"".join(pasos)}      - name: Informe de notas
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{entorno}        with:
          runners: {corredores}
"""


RUTA_DEL_FLUJO = Path(".github") / "workflows" / "classroom.yml"


def flujo_al_dia(raiz: Path) -> bool:
    """¿Es el flujo de Classroom guardado el que sale de los módulos de hoy?

    Un taller sin flujo (una copia de juguete de las pruebas) no tiene nada que poner al día.
    """
    destino = raiz / RUTA_DEL_FLUJO
    if not destino.is_file():
        return True
    return destino.read_text(encoding="utf-8") == flujo_de_classroom(modulos(raiz))


def escribir_flujo(raiz: Path, crear: bool = False) -> bool:
    """Reescribe el flujo de Classroom si no está al día (lo hace `taller generar`)."""
    destino = raiz / RUTA_DEL_FLUJO
    if not destino.is_file() and not crear:
        return False  # un taller sin flujo: no se lo inventa
    if destino.is_file() and flujo_al_dia(raiz):
        return False
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_text(flujo_de_classroom(modulos(raiz)), encoding="utf-8")
    return True


if __name__ == "__main__":  # python -m taller.calificacion: reescribe el flujo de Classroom
    from taller.modulos import raiz_del_taller

    escribir_flujo(raiz_del_taller(), crear=True)
    print(f"Escrito {RUTA_DEL_FLUJO}", file=sys.stderr)
