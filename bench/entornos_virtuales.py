"""Banco de pruebas del módulo 07: ¿cuánto cuesta crear un entorno virtual y llenarlo?

Compara, en la misma ejecución y lado a lado (la máquina es compartida y ruidosa: cuentan
los cocientes, no los segundos):

    A  venv.create(with_pip=False)                  el entorno vacío
    B  venv.create(with_pip=True)                   el entorno con su propio pip (ensurepip)
    C  pip de fuera: pip --python ENTORNO install    instalar saludos en el entorno A
    D  pip de dentro: ENTORNO/bin/python -m pip      instalar saludos en el entorno B

Todo sin red (--no-index --find-links), en una carpeta temporal que se borra al acabar.
Uso:  python bench/entornos_virtuales.py [repeticiones]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from taller.pruebas import apoyo_del_modulo

ruedas = apoyo_del_modulo("07", "ruedas")

RESULTADOS = Path(__file__).parent / "resultados" / "entornos_virtuales.md"


def cronometrar(funcion) -> float:
    inicio = time.perf_counter()
    funcion()
    return time.perf_counter() - inicio


def pip_install(pip: list[str], carpeta_de_ruedas: Path) -> None:
    orden = [*pip, "install", "--no-index", "--find-links", str(carpeta_de_ruedas)]
    subprocess.run([*orden, "--quiet", "saludos==1.0"], check=True, stdin=subprocess.DEVNULL)


def una_ronda(base: Path, carpeta_de_ruedas: Path, numero: int) -> dict[str, float]:
    sin_pip, con_pip = base / f"sin_pip_{numero}", base / f"con_pip_{numero}"
    tiempos = {
        "A": cronometrar(lambda: venv.create(sin_pip, with_pip=False, symlinks=True)),
        "B": cronometrar(lambda: venv.create(con_pip, with_pip=True, symlinks=True)),
    }
    de_fuera = [sys.executable, "-m", "pip", "--python", str(sin_pip / "bin" / "python")]
    de_dentro = [str(con_pip / "bin" / "python"), "-m", "pip"]
    tiempos["C"] = cronometrar(lambda: pip_install(de_fuera, carpeta_de_ruedas))
    tiempos["D"] = cronometrar(lambda: pip_install(de_dentro, carpeta_de_ruedas))
    return tiempos


def main(repeticiones: int = 3) -> None:
    with tempfile.TemporaryDirectory(prefix="bench07-") as temporal:
        base = Path(temporal)
        ruedas.ruedas_de_saludos(base / "ruedas")
        rondas = [una_ronda(base, base / "ruedas", n) for n in range(repeticiones)]
    m = {clave: statistics.median(r[clave] for r in rondas) for clave in "ABCD"}
    tabla = [
        f"# Entornos virtuales: crear y llenar (mediana de {repeticiones} rondas)",
        "",
        "| | segundos |",
        "|---|---|",
        f"| A venv sin pip | {m['A']:.3f} |",
        f"| B venv con pip (ensurepip) | {m['B']:.3f} |",
        f"| C instalar con el pip de fuera (--python) | {m['C']:.3f} |",
        f"| D instalar con el pip del entorno | {m['D']:.3f} |",
        "",
        f"- crear con pip / sin pip (B/A): **{m['B'] / m['A']:.0f}x**",
        f"- crear y llenar, con pip / sin pip ((B+D)/(A+C)): **{(m['B'] + m['D']) / (m['A'] + m['C']):.1f}x**",
        f"- instalar, pip de fuera / pip de dentro (C/D): **{m['C'] / m['D']:.2f}x**",
    ]
    texto = "\n".join(tabla) + "\n"
    print(texto)
    RESULTADOS.parent.mkdir(exist_ok=True)
    RESULTADOS.write_text(texto, encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
