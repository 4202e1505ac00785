"""Los cuadernos se escriben como texto; el .ipynb que abre el alumno se genera de él.

`cuadernos/NN_tema.py` es la única fuente de `notebooks/NN_tema.ipynb`. Está en el formato
«percent» de jupytext: cada celda empieza con `# %%` (las de texto, `# %% [markdown]`, con
sus líneas comentadas con `# `), y lleva en esa cabecera su id y sus metadatos:

    # %% [markdown] id="m04-13a"
    # ## 5. El testigo, con todos los órdenes
    #
    # ![La figura](img/barrido_ejecutores.png)

    # %% id="m04-13b"
    print(describir(...))

El .ipynb se guarda en git (el alumno lo abre tal cual: `make lab` no convierte nada) y
`taller generar --comprobar` falla si no es exactamente lo que sale de su texto. El camino
de vuelta, `taller generar --desde-cuadernos NN`, pasa al texto un .ipynb editado en
JupyterLab (o llegado de otra rama) y lo reescribe desde él: es idempotente. `taller generar`
no pisa un .ipynb con cambios propios (uno que no sale ni del texto del último commit ni de
lo último que escribió él mismo, apuntado en .taller/cuadernos_generados.json): dice qué orden
los pasa al texto, y `--forzar` los descarta.

Lo que no viaja del .ipynb al texto, a propósito: las salidas y los contadores de ejecución
(el cuaderno se guarda sin ellas), el estado de la interfaz de cada celda (`scrolled`,
`collapsed`, tiempos de ejecución), los datos de la máquina en `language_info` (la versión de
Python: queda solo el nombre) y el salto de línea final de una celda de código (jupytext no
lo representa; no se ve en JupyterLab).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from taller.modulos import ErrorDelTaller, Modulo

FORMATO = "py:percent"
# Los metadatos del cuaderno van todos a la cabecera del texto, menos la configuración de
# jupytext (el .ipynb no se empareja con nada: JupyterLab no debe escribir el texto).
_FILTRO_DEL_CUADERNO = "all,-jupytext"
# Estado de la interfaz o de una ejecución, no contenido: no se guarda en el texto.
_SOLO_DE_LA_INTERFAZ = (
    "autoscroll",
    "collapsed",
    "scrolled",
    "trusted",
    "ExecuteTime",
    "execution",
    "lines_to_next_cell",
)


@dataclass
class Diferencia:
    ruta: Path
    motivo: str


def _sin_rfc3987_syntax() -> None:
    """Que jsonschema (lo importan nbformat y jupytext) no cargue rfc3987_syntax.

    Si está instalado (lo trae JupyterLab), jsonschema lo importa al importarse él, y
    rfc3987_syntax compila su gramática al importarse: unos 3 s de CPU en cada `taller generar`,
    para comprobar el formato «iri», que ningún esquema de nbformat usa. Mientras se importa
    jsonschema, se le da por ausente; después se quita esa marca: quien lo importe luego en este
    proceso lo tiene de verdad.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None
    try:
        import jsonschema  # noqa: F401
    except ImportError:  # pragma: no cover - viene con nbformat
        pass
    finally:
        if sys.modules.get("rfc3987_syntax", False) is None:
            del sys.modules["rfc3987_syntax"]


def _jupytext():
    _sin_rfc3987_syntax()
    try:
        import jupytext
    except ImportError as error:  # pragma: no cover - viene con las dependencias de desarrollo
        raise ErrorDelTaller(
            "Falta jupytext (convierte los cuadernos de texto): instálalo con `make entorno`."
        ) from error
    return jupytext


def a_texto(ipynb: str) -> str:
    """El texto (percent de jupytext) de un cuaderno .ipynb."""
    _sin_rfc3987_syntax()
    import nbformat

    cuaderno = nbformat.reads(ipynb, as_version=4)
    cuaderno.metadata.pop("jupytext", None)
    lenguaje = cuaderno.metadata.get("language_info")
    if isinstance(lenguaje, dict) and "name" in lenguaje:
        cuaderno.metadata["language_info"] = {"name": lenguaje["name"]}
    for celda in cuaderno.cells:
        metadatos = {k: v for k, v in celda.metadata.items() if k not in _SOLO_DE_LA_INTERFAZ}
        celda.metadata = {"id": celda["id"], **metadatos} if celda.get("id") else metadatos
    cuaderno.metadata["jupytext"] = {
        "notebook_metadata_filter": _FILTRO_DEL_CUADERNO,
        "cell_metadata_filter": "all",
    }
    return _jupytext().writes(cuaderno, fmt=FORMATO)


def _id_nuevo(nombre: str, posicion: int, usados: set[str]) -> str:
    """Un id para una celda escrita sin él: siempre el mismo para el mismo sitio del cuaderno."""
    vuelta = 0
    while True:
        semilla = f"{nombre}:{posicion}:{vuelta}".encode()
        candidato = hashlib.sha1(semilla).hexdigest()[:8]
        if candidato not in usados:
            return candidato
        vuelta += 1


def a_ipynb(texto: str, nombre: str = "cuaderno") -> str:
    """El .ipynb (JSON, como lo guarda JupyterLab, sin salidas) de un cuaderno de texto."""
    _sin_rfc3987_syntax()
    import nbformat

    cuaderno = _jupytext().reads(texto, fmt=FORMATO)
    cuaderno.metadata.pop("jupytext", None)
    usados: set[str] = set()
    for celda in cuaderno.cells:
        for clave in _SOLO_DE_LA_INTERFAZ:
            celda.metadata.pop(clave, None)
        propio = celda.metadata.pop("id", None)
        celda["id"] = str(propio) if propio else ""
        usados.add(celda["id"])
    for posicion, celda in enumerate(cuaderno.cells):
        if not celda["id"]:
            celda["id"] = _id_nuevo(nombre, posicion, usados)
            usados.add(celda["id"])
    repetidos = sorted({c["id"] for c in cuaderno.cells if _cuantas(cuaderno, c["id"]) > 1})
    if repetidos:
        raise ErrorDelTaller(f"{nombre}: hay celdas con el mismo id: {', '.join(repetidos)}")
    return nbformat.writes(cuaderno) + "\n"


def _cuantas(cuaderno, identificador: str) -> int:
    return sum(1 for c in cuaderno.cells if c["id"] == identificador)


def forma_fija(texto: str, nombre: str = "cuaderno") -> str:
    """El texto como lo escribe jupytext desde su .ipynb: con el id de cada celda escrito (las
    celdas nuevas lo reciben aquí) y una línea en blanco entre celdas."""
    return a_texto(a_ipynb(texto, nombre))


# --- Los cuadernos de un módulo ------------------------------------------------------------


def _relativa(ruta: Path, modulo: Modulo) -> str:
    return str(ruta.relative_to(modulo.raiz))


def esperado(modulo: Modulo) -> dict[Path, str]:
    """El .ipynb que debe haber por el texto del cuaderno del módulo (si lo tiene)."""
    fuente = modulo.texto_del_cuaderno
    if fuente is None:
        return {}
    texto = fuente.read_text(encoding="utf-8")
    return {modulo.cuaderno_de(fuente): a_ipynb(texto, _relativa(fuente, modulo))}


def _orden_de_importar(modulo: Modulo) -> str:
    return f"`taller generar --desde-cuadernos {modulo.numero}`"


def comprobar(modulo: Modulo) -> list[Diferencia]:
    """Qué .ipynb del módulo no es lo que sale de su texto (o no tiene texto)."""
    deseado = esperado(modulo)
    diferencias = []
    fuente = modulo.texto_del_cuaderno
    if fuente is not None:
        texto = fuente.read_text(encoding="utf-8")
        if forma_fija(texto, _relativa(fuente, modulo)) != texto:
            diferencias.append(
                Diferencia(
                    fuente,
                    "no está en su forma fija (¿celdas nuevas sin su id?): ejecuta "
                    "`taller generar`, que la escribe",
                )
            )
    for ruta, contenido in deseado.items():
        if not ruta.is_file():
            diferencias.append(Diferencia(ruta, "falta: ejecuta `taller generar`"))
        elif ruta.read_text(encoding="utf-8") != contenido:
            fuente = _relativa(modulo.texto_del_cuaderno, modulo)
            diferencias.append(
                Diferencia(
                    ruta,
                    f"no es lo que sale de su texto, {fuente}: si editaste el texto, ejecuta "
                    f"`taller generar`; si editaste el .ipynb, {_orden_de_importar(modulo)}",
                )
            )
    for ruta in modulo.cuadernos():
        if ruta in deseado:
            continue
        if modulo.texto_del_cuaderno is None:
            motivo = (
                f"no tiene su texto ({_relativa(modulo.texto_para(ruta), modulo)}), que es la "
                f"fuente del cuaderno: ejecuta {_orden_de_importar(modulo)} para crearlo"
            )
        else:
            motivo = (
                f"sobra: el cuaderno del módulo {modulo.numero} sale de "
                f"{_relativa(modulo.texto_del_cuaderno, modulo)} (bórralo o renombra el texto)"
            )
        diferencias.append(Diferencia(ruta, motivo))
    return diferencias


def _huella(contenido: str) -> str:
    return hashlib.sha256(contenido.encode("utf-8")).hexdigest()


def _registro(modulo: Modulo) -> Path:
    """Lo último que escribió `taller generar` en cada .ipynb, en esta copia del taller."""
    return modulo.raiz / ".taller" / "cuadernos_generados.json"


def _leer_registro(modulo: Modulo) -> dict[str, str]:
    try:
        return json.loads(_registro(modulo).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _escribir(modulo: Modulo, ruta: Path, contenido: str) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text(contenido, encoding="utf-8")
    _apuntar(modulo, ruta, contenido)


def _apuntar(modulo: Modulo, ruta: Path, contenido: str) -> None:
    registro = _leer_registro(modulo)
    if registro.get(_relativa(ruta, modulo)) == _huella(contenido):
        return
    registro[_relativa(ruta, modulo)] = _huella(contenido)
    _registro(modulo).parent.mkdir(parents=True, exist_ok=True)
    _registro(modulo).write_text(json.dumps(registro, indent=1, sort_keys=True), encoding="utf-8")


def _texto_confirmado(modulo: Modulo, fuente: Path) -> str | None:
    """El texto del cuaderno en el último commit (HEAD), o None si no hay git o no está."""
    try:
        proceso = subprocess.run(
            ["git", "show", f"HEAD:{fuente.relative_to(modulo.raiz).as_posix()}"],
            cwd=modulo.raiz,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    return proceso.stdout.decode("utf-8") if proceso.returncode == 0 else None


def _se_puede_pisar(modulo: Modulo, ruta: Path, fuente: Path) -> bool:
    """¿Sale el .ipynb de un texto conocido (el del último commit, o lo último que escribió
    `taller generar` aquí)? Si no, tiene cambios propios: editado en JupyterLab o llegado de
    un merge de otra rama, y pisarlo los perdería."""
    if not ruta.is_file():
        return True
    actual = ruta.read_text(encoding="utf-8")
    if _leer_registro(modulo).get(_relativa(ruta, modulo)) == _huella(actual):
        return True
    confirmado = _texto_confirmado(modulo, fuente)
    if confirmado is None:
        return False
    try:
        return a_ipynb(confirmado, _relativa(fuente, modulo)) == actual
    except ErrorDelTaller:
        return False


def generar(modulo: Modulo, forzar: bool = False) -> tuple[list[Path], list[Diferencia]]:
    """Escribe el .ipynb del módulo desde su texto.

    No pisa un .ipynb con cambios propios (que no sale ni del texto del último commit ni de
    lo último que escribió `taller generar`): lo devuelve como diferencia, con la orden que
    pasa esos cambios a su texto. Con `forzar`, lo pisa.
    """
    escritos, retenidos = [], []
    fuente = modulo.texto_del_cuaderno
    if fuente is not None:
        # El texto, en su forma fija: así los ids de las celdas nuevas quedan escritos en él y
        # no cambian cuando se añaden otras delante.
        texto = fuente.read_text(encoding="utf-8")
        fijo = forma_fija(texto, _relativa(fuente, modulo))
        if fijo != texto:
            fuente.write_text(fijo, encoding="utf-8")
            escritos.append(fuente)
    for ruta, contenido in esperado(modulo).items():
        if ruta.is_file() and ruta.read_text(encoding="utf-8") == contenido:
            continue
        fuente = modulo.texto_del_cuaderno
        if not forzar and not _se_puede_pisar(modulo, ruta, fuente):
            retenidos.append(
                Diferencia(
                    ruta,
                    f"no lo reescribo: tiene cambios que no están en su texto, "
                    f"{_relativa(fuente, modulo)} (¿editado en JupyterLab, o de un merge?). "
                    f"Para pasarlos al texto: {_orden_de_importar(modulo)}; para "
                    f"descartarlos: `taller generar --forzar {modulo.numero}`",
                )
            )
            continue
        _escribir(modulo, ruta, contenido)
        escritos.append(ruta)
    return escritos, retenidos


def importar(modulo: Modulo) -> list[Path]:
    """Pasa el .ipynb del módulo a su texto y reescribe el .ipynb desde él (idempotente).

    Devuelve los ficheros que cambiaron.
    """
    cambiados = []
    for cuaderno in modulo.cuadernos():
        fuente = modulo.texto_para(cuaderno)
        nombre = _relativa(fuente, modulo)
        try:
            texto = a_texto(cuaderno.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, ValueError) as error:
            raise ErrorDelTaller(
                f"{_relativa(cuaderno, modulo)} no es un cuaderno que se pueda leer: {error}"
            ) from error
        # Una vuelta más deja el texto en su forma fija (sin el salto final de una celda de
        # código, que jupytext escribiría como una línea en blanco de más): así, importar otra
        # vez el .ipynb que sale de él no cambia nada.
        texto = forma_fija(texto, nombre)
        if not fuente.is_file() or fuente.read_text(encoding="utf-8") != texto:
            fuente.parent.mkdir(parents=True, exist_ok=True)
            fuente.write_text(texto, encoding="utf-8")
            cambiados.append(fuente)
        contenido = a_ipynb(texto, nombre)
        if cuaderno.read_text(encoding="utf-8") != contenido:
            _escribir(modulo, cuaderno, contenido)
            cambiados.append(cuaderno)
        else:
            _apuntar(modulo, cuaderno, contenido)
    return cambiados
