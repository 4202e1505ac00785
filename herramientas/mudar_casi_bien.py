"""Muda los errores típicos de tests/casi_bien/NN.toml al manifiesto soluciones/NN/modulo.toml.

    .venv/bin/python herramientas/mudar_casi_bien.py [--comprobar]

Cada caso [[casi_bien]] se copia tal cual (con sus comentarios de encima) al final del
manifiesto de su módulo, sin `modulo = "NN"` (es el de la carpeta) ni `solo_debe_fallar`
(ya no se usa). Después se borra tests/casi_bien/NN.toml (y la carpeta, si queda vacía).

Se puede ejecutar las veces que haga falta: un caso cuyo `que` ya está en el manifiesto no se
copia otra vez. Así, si tras la mudanza alguien añade casos en tests/casi_bien/NN.toml (otra
rama), volver a ejecutarlo muda solo los nuevos. Un caso con el mismo `que` pero distinto del
que hay en el manifiesto no se toca: se avisa y el fichero no se borra.

Con --comprobar no escribe nada: sale con 1 si queda algo por mudar.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ / "src"))

from taller.modulos import Modulo, leer_manifiesto  # noqa: E402

CABECERA = """
# --- Errores típicos («casi bien») ------------------------------------------------------
# Cada caso son cambios de texto sobre la solución que un alumno podría escribir; las pruebas
# de `debe_fallar` (el nombre sin los parámetros entre corchetes) deben fallar con ellos, y,
# si se dan `mensajes`, el mensaje de esa prueba debe contener el fragmento (sin distinguir
# mayúsculas). tests/test_casi_bien.py los ejecuta todos (solo las pruebas de debe_fallar).
#
# [[casi_bien]]
# fichero = "fichero.py"                # dentro de esta carpeta (soluciones/NN)
# que = "qué error típico representa"
# cambios = [["texto de la solución", "texto casi bien"], ...]   # cada uno aparece una vez
# debe_fallar = ["test_..."]
# mensajes = [["test_...", "fragmento"]]  # opcional: lo que debe decir el mensaje de esa prueba
#
# Los casos nuevos, al final.
"""
ENCABEZADO = re.compile(r"^\[\[casi_bien\]\]\s*$")
QUITAR = re.compile(r"^(modulo\s*=\s*\"\d+\"|solo_debe_fallar\s*=\s*(true|false))\s*$")


def _bloques(texto: str) -> tuple[list[str], list[str]]:
    """(cabecera del fichero, bloques): cada bloque es un [[casi_bien]] con sus comentarios."""
    lineas = texto.splitlines(keepends=True)
    encabezados = [i for i, linea in enumerate(lineas) if ENCABEZADO.match(linea)]
    inicios = []
    for i in encabezados:
        while i > 0 and lineas[i - 1].startswith("#"):
            i -= 1
        inicios.append(i)
    if not inicios:
        return lineas, []
    cortes = [*inicios, len(lineas)]
    bloques = ["".join(lineas[a:b]) for a, b in zip(cortes, cortes[1:], strict=False)]
    return lineas[: inicios[0]], bloques


def _cabecera_propia(lineas: list[str]) -> str:
    """Los comentarios del principio del fichero que dicen algo del módulo (no del formato)."""
    texto = "".join(lineas).strip()
    if not texto or re.search(r"^# \[\[casi_bien\]\]", texto, re.M):
        return ""  # vacía, o la explicación del formato (la de CABECERA la sustituye)
    texto = texto.replace(" (solo_debe_fallar = true)", "")
    texto = re.sub(r" ?\(formato[^)]*\)", "", texto)
    texto = texto.replace(" Formato explicado en tests/casi_bien/01.toml.", "")
    return texto + "\n"


def _sin_claves_muertas(bloque: str) -> str:
    return "".join(
        linea for linea in bloque.splitlines(keepends=True) if not QUITAR.match(linea.strip())
    )


def _caso(texto: str) -> dict:
    casos = tomllib.loads(texto).get("casi_bien", [])
    assert len(casos) == 1, f"un bloque debería tener un caso y tiene {len(casos)}:\n{texto}"
    return casos[0]


def mudar(raiz: Path, escribir: bool = True) -> int:
    """Muda lo que haya; devuelve cuántos problemas quedan (0: todo mudado)."""
    carpeta = raiz / "tests" / "casi_bien"
    problemas = 0
    for fichero in sorted(carpeta.glob("*.toml")) if carpeta.is_dir() else []:
        modulo = Modulo(Modulo.normalizar(fichero.stem), raiz)
        donde = str(modulo.fichero_manifiesto.relative_to(raiz))
        if not modulo.fichero_manifiesto.is_file():
            print(
                f"{fichero.relative_to(raiz)}: falta {donde}, el manifiesto del módulo "
                "(titulo, construyes, minutos, pasos, dependencias, necesita): créalo (copia el "
                "de otro módulo) y vuelve a ejecutar esta orden. No se ha mudado nada."
            )
            problemas += 1
            continue
        original = fichero.read_text(encoding="utf-8")
        cabecera, bloques = _bloques(original)
        manifiesto = modulo.fichero_manifiesto.read_text(encoding="utf-8")
        ya = {c["que"]: c for c in tomllib.loads(manifiesto).get("casi_bien", [])}
        nuevos, distintos = [], []
        for bloque in bloques:
            viejo = _caso(bloque)
            if viejo.get("modulo", modulo.numero) != modulo.numero:
                raise SystemExit(
                    f"{fichero}: el caso «{viejo['que']}» es del módulo {viejo['modulo']}"
                )
            limpio = _sin_claves_muertas(bloque)
            caso = _caso(limpio)
            esperado = {k: v for k, v in viejo.items() if k not in ("modulo", "solo_debe_fallar")}
            assert caso == esperado, (
                f"{fichero}: al quitar modulo/solo_debe_fallar cambió:\n{bloque}"
            )
            if caso["que"] not in ya:
                nuevos.append(limpio)
            elif ya[caso["que"]] != caso:
                distintos.append(caso["que"])
        rel = fichero.relative_to(raiz)
        print(f"{rel}: {len(bloques)} casos, {len(nuevos)} nuevos para {donde}")
        for que in distintos:
            print(f"  ¡distinto del que ya hay en {donde}! «{que}»: júntalos a mano")
        problemas += len(distintos) + (len(nuevos) if not escribir else 0)
        if not escribir:
            problemas += 1  # el fichero sigue ahí
            continue
        if nuevos:
            texto = manifiesto.rstrip("\n") + "\n"
            if not ya:
                texto += CABECERA + (
                    f"\n{_cabecera_propia(cabecera)}" if _cabecera_propia(cabecera) else ""
                )
            for bloque in nuevos:
                texto += "\n" + bloque.strip("\n") + "\n"
            leer_manifiesto_de_texto(texto, modulo, donde)
            modulo.fichero_manifiesto.write_text(texto, encoding="utf-8")
        if not distintos:
            fichero.unlink()
    if escribir and carpeta.is_dir() and not any(carpeta.iterdir()):
        carpeta.rmdir()
    return problemas


def leer_manifiesto_de_texto(texto: str, modulo: Modulo, donde: str) -> None:
    """Valida el manifiesto nuevo antes de escribirlo (lo lee Modulo, con sus errores)."""
    temporal = modulo.fichero_manifiesto.with_suffix(".toml.nuevo")
    temporal.write_text(texto, encoding="utf-8")
    try:
        leer_manifiesto(temporal, donde)
    finally:
        temporal.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comprobar", action="store_true", help="no escribe: falla si queda algo")
    args = parser.parse_args()
    problemas = mudar(RAIZ, escribir=not args.comprobar)
    if problemas:
        print(f"Quedan {problemas} cosas por mudar o juntar a mano.")
    return 1 if problemas else 0


if __name__ == "__main__":
    sys.exit(main())
