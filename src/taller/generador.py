"""El generador: escribe ejercicios/NN a partir de soluciones/NN.

soluciones/ es la única fuente del código de los ejercicios. El código que el alumno debe
escribir va cercado por marcas:

    def agregar_ip(self, ip):
        \"\"\"Añade una IP válida y no repetida.\"\"\"
        # >>> SOLUCION: valida la IP con ipaddress y añádela si no está repetida
        ...el código de la solución...
        # <<< SOLUCION

y en ejercicios/ queda:

        # TODO: valida la IP con ipaddress y añádela si no está repetida
        raise NotImplementedError("Servidor.agregar_ip: lo que falta lo dice su # TODO")

El `raise` ocupa una sola línea de código, con la pista si cabe en 100 columnas
(«Servidor.nombre: devuelve el nombre guardado»); si no, el mensaje remite al TODO de encima,
que la lleva entera.

Si el esqueleto necesita otro código (por ejemplo, una línea que deje el módulo
importable), se escribe comentado tras `# === EJERCICIO`, antes del cierre:

        # >>> SOLUCION: crea la lista de trabajos pendientes
        self.trabajos_pendientes = deque()
        # === EJERCICIO
        # self.trabajos_pendientes = None
        # <<< SOLUCION

En ficheros que no son Python (un Dockerfile) solo queda el comentario TODO.
Las pruebas, el enunciado (README.md) y las pistas (pistas.md) viven solo en ejercicios/NN.
Los ficheros de apoyo de soluciones/NN (conftest.py, apoyo_*.py: fixtures y servidores que
el alumno no edita) se copian tal cual, sin marcas; el manifiesto (modulo.toml) no se copia.

Un módulo que parte de otro (el 05 del pool del 04, el 10 del inventario y la ronda del 09) no
copia su código: lo importa con `taller.pruebas.del_modulo`, el del alumno (y con --soluciones,
el de referencia). Un enlace simbólico en soluciones/NN se rechaza: su fichero llegaría a
ejercicios/NN ya resuelto, con la solución del otro módulo a la vista del alumno.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from taller.modulos import MANIFIESTO, ErrorDelTaller, Modulo, es_de_apoyo

INICIO = re.compile(r"^(?P<sangria>[ \t]*)# >>> SOLUCION(?::\s*(?P<texto>.*?))?\s*$")
ALTERNATIVA = re.compile(r"^[ \t]*# === EJERCICIO\s*$")
FIN = re.compile(r"^[ \t]*# <<< SOLUCION\s*$")
MARCA = re.compile(r"# (>>>|<<<) SOLUCION|# === EJERCICIO")
DEFINICION = re.compile(r"^(?P<sangria>[ \t]*)(?:async\s+)?(?:def|class)\s+(?P<nombre>\w+)")
PROPIOS_DEL_EJERCICIO = {"README.md", "pistas.md"}
LARGO_DE_LINEA = 100
# El mensaje del `raise` cuando la pista no le cabe en la línea (la pista sigue en el TODO).
REMITE_AL_TODO = "lo que falta lo dice su # TODO"
IGNORADOS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".taller"}


class ErrorDeMarcas(ErrorDelTaller):
    """Marcas mal puestas en un fichero de soluciones/."""


def _contexto(lineas: list[str], hasta: int, sangria: str) -> str:
    """Nombre calificado (Clase.metodo) de las definiciones que encierran la línea `hasta`."""
    nombres: list[str] = []
    nivel = len(sangria.expandtabs())
    for linea in reversed(lineas[:hasta]):
        coincidencia = DEFINICION.match(linea)
        if coincidencia and len(coincidencia["sangria"].expandtabs()) < nivel:
            nombres.append(coincidencia["nombre"])
            nivel = len(coincidencia["sangria"].expandtabs())
            if nivel == 0:
                break
    return ".".join(reversed(nombres))


def _cadena_python(texto: str) -> str:
    """El literal como lo deja `ruff format`: comillas dobles, salvo que obliguen a escapar más."""
    texto = texto.replace("\\", "\\\\")
    if texto.count('"') > texto.count("'"):
        return "'" + texto.replace("'", "\\'") + "'"
    return '"' + texto.replace('"', '\\"') + '"'


def _lanzar(sangria: str, contexto: str, que: str) -> str:
    """El `raise NotImplementedError(...)` de un bloque, en una línea de 100 columnas como mucho.

    El mensaje es «Clase.metodo: pista». Si así no cabe, «Clase.metodo: lo que falta lo dice su
    # TODO»: la pista entera está en el comentario de encima, que pytest enseña en la traza junto
    al `raise`. Partido en tres líneas, como ruff format, solo si ni eso cabe (mucha sangría o un
    nombre muy largo), y entonces con la pista entera.
    """
    for texto in (que, REMITE_AL_TODO):
        mensaje = f"{contexto}: {texto}" if contexto else texto
        linea = f"{sangria}raise NotImplementedError({_cadena_python(mensaje)})\n"
        if len(linea.rstrip("\n")) <= LARGO_DE_LINEA:
            return linea
    mensaje = f"{contexto}: {que}" if contexto else que
    return (
        f"{sangria}raise NotImplementedError(\n{sangria}    {_cadena_python(mensaje)}\n{sangria})\n"
    )


def transformar(texto: str, es_python: bool, nombre: str = "<fichero>") -> str:
    """Devuelve el texto del esqueleto: cada bloque cercado se cambia por su TODO."""
    lineas = texto.splitlines(keepends=True)
    salida: list[str] = []
    i = 0
    while i < len(lineas):
        inicio = INICIO.match(lineas[i])
        if not inicio:
            if MARCA.search(lineas[i]):
                raise ErrorDeMarcas(f"{nombre}:{i + 1}: marca sin su «# >>> SOLUCION» de apertura")
            salida.append(lineas[i])
            i += 1
            continue
        sangria = inicio["sangria"]
        que = inicio["texto"] or "completa este fragmento"
        alternativa: list[str] | None = None
        j = i + 1
        while j < len(lineas) and not FIN.match(lineas[j]):
            if INICIO.match(lineas[j]):
                raise ErrorDeMarcas(f"{nombre}:{j + 1}: bloque SOLUCION dentro de otro")
            if ALTERNATIVA.match(lineas[j]):
                alternativa = []
            elif alternativa is not None:
                alternativa.append(lineas[j])
            j += 1
        if j == len(lineas):
            raise ErrorDeMarcas(f"{nombre}:{i + 1}: falta el «# <<< SOLUCION» que cierra el bloque")
        salida.append(f"{sangria}# TODO: {que}\n")
        if alternativa is not None:
            for linea in alternativa:
                cuerpo = linea.strip()
                if cuerpo and not cuerpo.startswith("#"):
                    raise ErrorDeMarcas(
                        f"{nombre}: el código tras «# === EJERCICIO» va comentado con «# »"
                    )
                salida.append(linea.replace("# ", "", 1) if cuerpo != "#" else "\n")
        elif es_python:
            salida.append(_lanzar(sangria, _contexto(lineas, i, sangria), que))
        i = j + 1
    return "".join(salida)


def _sin_enlaces(modulo: Modulo, fuente: Path) -> None:
    """soluciones/NN/fichero no puede ser un enlace simbólico (llegaría ya resuelto)."""
    if fuente.is_symlink():
        raise ErrorDelTaller(
            f"{fuente.relative_to(modulo.raiz)} es un enlace simbólico: llegaría a "
            f"{modulo.ruta_ejercicio} ya resuelto (con la solución de otro módulo a la vista "
            "del alumno). Para partir del código de otro módulo, impórtalo con "
            '`del_modulo("MM", "fichero")` de taller.pruebas: el del alumno, o con --soluciones '
            "el de referencia."
        )


@dataclass
class Diferencia:
    ruta: Path
    motivo: str


def _ficheros(carpeta: Path) -> list[Path]:
    return sorted(
        ruta
        for ruta in carpeta.rglob("*")
        if ruta.is_file()
        and not IGNORADOS.intersection(ruta.relative_to(carpeta).parts)
        and ruta.suffix != ".pyc"
    )


def esperado(modulo: Modulo) -> dict[Path, str]:
    """Lo que debe haber en ejercicios/NN por cada fichero de soluciones/NN."""
    resultado: dict[Path, str] = {}
    for fuente in _ficheros(modulo.solucion):
        relativa = fuente.relative_to(modulo.solucion)
        if relativa == Path(MANIFIESTO):
            continue
        texto = fuente.read_text(encoding="utf-8")
        nombre = str(fuente.relative_to(modulo.raiz))
        _sin_enlaces(modulo, fuente)
        if len(relativa.parts) == 1 and es_de_apoyo(fuente):
            if MARCA.search(texto):
                raise ErrorDeMarcas(
                    f"{nombre}: es un fichero de apoyo (se copia tal cual, el alumno no lo "
                    "edita): no puede llevar marcas de SOLUCION"
                )
            resultado[modulo.ejercicio / relativa] = texto
            continue
        resultado[modulo.ejercicio / relativa] = transformar(texto, fuente.suffix == ".py", nombre)
    return resultado


def _es_propio_del_ejercicio(ruta: Path, modulo: Modulo) -> bool:
    relativa = ruta.relative_to(modulo.ejercicio)
    return ruta.name in PROPIOS_DEL_EJERCICIO or (
        len(relativa.parts) == 1 and ruta.name.startswith("test_") and ruta.suffix == ".py"
    )


def comprobar(modulo: Modulo) -> list[Diferencia]:
    """Qué difiere entre ejercicios/NN y lo que escribiría el generador."""
    diferencias: list[Diferencia] = []
    deseado = esperado(modulo)
    for ruta, texto in deseado.items():
        if not ruta.is_file():
            diferencias.append(Diferencia(ruta, "falta"))
        elif ruta.read_text(encoding="utf-8") != texto:
            diferencias.append(Diferencia(ruta, "no coincide con lo que se genera"))
    if modulo.ejercicio.is_dir():
        for ruta in _ficheros(modulo.ejercicio):
            if MARCA.search(ruta.read_text(encoding="utf-8", errors="replace")):
                diferencias.append(Diferencia(ruta, "contiene marcas de SOLUCION"))
            if ruta not in deseado and not _es_propio_del_ejercicio(ruta, modulo):
                diferencias.append(
                    Diferencia(
                        ruta, "sobra: no viene de soluciones/ ni es prueba, enunciado o pistas"
                    )
                )
    return diferencias


def generar(modulo: Modulo) -> list[Path]:
    """Escribe ejercicios/NN. Solo toca los ficheros que vienen de soluciones/NN."""
    escritos = []
    for ruta, texto in esperado(modulo).items():
        if not ruta.is_file() or ruta.read_text(encoding="utf-8") != texto:
            ruta.parent.mkdir(parents=True, exist_ok=True)
            ruta.write_text(texto, encoding="utf-8")
            escritos.append(ruta)
    return escritos
