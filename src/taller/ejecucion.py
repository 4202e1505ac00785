"""Ejecutar las pruebas de un módulo en un proceso aparte y leer el resultado.

Siempre en un subproceso (`python -m pytest ...`): en el mismo proceso se quedaría
importada la versión vieja del código del alumno. El resultado se lee del informe JUnit
XML de pytest, que distingue pruebas fallidas (failure) de pruebas con error (error).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from taller import cuelgues
from taller.cuaderno import paso_de_la_prueba, seccion_para, secciones, secciones_numeradas
from taller.generador import REMITE_AL_TODO
from taller.modulos import Modulo, ruta_del_ejercicio
from taller.salida import Estilo, segundos


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
    # Por qué se saltó cada prueba omitida (el 08, sin motor de contenedores).
    omitidas_por: list[Fallo] = field(default_factory=list)
    # Cada prueba en el orden en que se ejecutó: (nombre, "pasa" | "falla" | "error" | "omitida").
    casos: list[tuple[str, str]] = field(default_factory=list)
    segundos: float = 0.0
    salida: str = ""
    # Si las pruebas no terminaron a tiempo y se cortaron: por qué, en español.
    cortado: str = ""

    @property
    def superado(self) -> bool:
        return (
            self.codigo_salida == 0 and self.total > 0 and not self.fallidas and not self.con_error
        )


def _casos(ruta: Path) -> list[ET.Element]:
    if not ruta.is_file() or ruta.stat().st_size == 0:
        return []
    try:
        return list(ET.parse(ruta).getroot().iter("testcase"))
    except ET.ParseError:  # un informe a medias: el proceso murió mientras lo escribía
        return []


# pytest (9.x) recorta el atributo `message` a unos 500 caracteres y termina con esta nota; el
# informe entero va en el texto del elemento.
_RECORTE = re.compile(
    r"(?:\.\.\.)?\n\[(?:\+\d+ more lines?|truncated); full report in element text\]\Z"
)
# Cómo empieza el atributo de un <error> (fallo en la preparación o en la recogida de una prueba).
_EN_PREPARACION = re.compile(r'\A(failed on (?:setup|teardown) with ")(.*)"\Z', re.S)
# Lo que pone pytest delante de cada línea del mensaje en la traza: «E   » o «E       »
# (y, con --tb=line, solo espacios en las líneas que siguen a la primera).
_MARGEN = re.compile(r"\A(?:E\s+|\s*)")


def mensaje_entero(elemento: ET.Element) -> str:
    """El mensaje de un <failure> o <error> del informe JUnit, entero.

    El atributo `message` es el mensaje del fallo, pero recortado si es largo (y las
    explicaciones del taller lo son: el arreglo suele ir al final). Entonces se saca del texto
    del elemento, que trae el informe entero: el mensaje tal cual (pytest.fail sin traza) o las
    líneas «E   ...» de la traza.
    """
    mensaje = elemento.get("message", "")
    recorte = _RECORTE.search(mensaje)
    if recorte is None:
        return mensaje
    cabeza = mensaje[: recorte.start()]
    envoltura = _EN_PREPARACION.match(cabeza + '"')
    if envoltura:  # failed on setup with "...": se busca lo de dentro y se vuelve a envolver
        dentro = _del_texto(envoltura.group(2), elemento.text or "")
        return f'{envoltura.group(1)}{_completar(envoltura.group(2), dentro)}"'
    return _completar(cabeza, _del_texto(cabeza, elemento.text or ""))


def _completar(cabeza: str, entero: str | None) -> str:
    """La cabeza (líneas enteras del principio del mensaje) y lo que le falta, sacado de `entero`.

    Casi siempre `entero` empieza por la cabeza. Pero el plugin del taller añade al mensaje de
    una prueba con restos de otras una nota, tras la primera línea, que no sale en la traza: esa
    línea está en la cabeza y no en `entero`, y se conserva.
    """
    if entero is None:
        return cabeza
    if entero.startswith(cabeza):
        return entero
    suyas, otras = cabeza.split("\n"), entero.split("\n")
    vistas = 0
    for linea in suyas:
        if vistas < len(otras) and otras[vistas] == linea:
            vistas += 1
    return "\n".join(suyas + otras[vistas:])


def _del_texto(cabeza: str, texto: str) -> str | None:
    """El mensaje que empieza por `cabeza` (lo que dejó pytest en el atributo) en el texto."""
    primera = cabeza.split("\n", 1)[0]
    tipo, _, sin_tipo = primera.partition(": ")
    lineas = texto.split("\n")
    for numero, linea in enumerate(lineas):
        margen = _MARGEN.match(linea).end()
        resto = linea[margen:]
        if primera and resto.startswith(primera):
            delante = ""
        elif sin_tipo and margen == 0 and resto.startswith(sin_tipo):
            delante = f"{tipo}: "  # pytest.fail(..., pytrace=False): el texto va sin «Failed: »
        else:
            continue
        if margen == 0:  # sin traza: el texto entero es el mensaje
            return delante + "\n".join(lineas[numero:]).rstrip("\n")
        siguen = [resto]
        for otra in lineas[numero + 1 :]:
            if not otra or not (otra.startswith("E") or otra[:margen].isspace()):
                break
            siguen.append(otra[margen:])
        return delante + "\n".join(siguen)
    return None


# El mensaje de un esqueleto cuya pista no cabe en la línea del raise (ver taller.generador).
_REMITE = re.compile(
    r"NotImplementedError: (?P<lanzado>(?:[\w.]+: )?" + re.escape(REMITE_AL_TODO) + ")"
)


def con_la_pista(mensaje: str, carpeta: Path) -> str:
    """El mensaje de un esqueleto sin hacer, con la pista de su # TODO en vez de la remisión.

    Cuando la pista no cabe en la línea del `raise`, el generador la deja solo en el `# TODO:`
    de encima y el mensaje dice «Clase.metodo: lo que falta lo dice su # TODO». El resumen no
    enseña la traza: la pista se lee del TODO que está justo encima de ese `raise` en el código
    de `carpeta`. Si no hay ninguno, o hay dos distintos, el mensaje queda como está.
    """
    remision = _REMITE.search(mensaje)
    if remision is None:
        return mensaje
    lanzado = remision["lanzado"]
    linea_del_raise = f'raise NotImplementedError("{lanzado}")'
    pistas = set()
    for ruta in sorted(carpeta.glob("*.py")):
        if ruta.name.startswith("test_"):
            continue
        try:
            lineas = [linea.strip() for linea in ruta.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError):
            continue
        for encima, linea in zip(lineas, lineas[1:], strict=False):
            if linea == linea_del_raise and encima.startswith("# TODO:"):
                pistas.add(encima.removeprefix("# TODO:").strip())
    if len(pistas) != 1:
        return mensaje
    con_pista = lanzado.replace(REMITE_AL_TODO, pistas.pop())
    return mensaje[: remision.start("lanzado")] + con_pista + mensaje[remision.end("lanzado") :]


def _anotar(caso: ET.Element, resultado: Resultado, carpeta: Path) -> None:
    """Apunta en `resultado` un caso del informe; `carpeta`, el código que probó (sus TODO)."""
    resultado.total += 1
    nombre = caso.get("name", "?")
    fallo, error, omision = caso.find("failure"), caso.find("error"), caso.find("skipped")
    if fallo is not None:
        mensaje = con_la_pista(mensaje_entero(fallo), carpeta)
        resultado.fallidas.append(Fallo(nombre, mensaje))
        resultado.casos.append((nombre, "falla"))
    elif error is not None:
        mensaje = con_la_pista(mensaje_entero(error), carpeta)
        resultado.con_error.append(Fallo(nombre, mensaje))
        resultado.casos.append((nombre, "error"))
    elif omision is not None:
        resultado.omitidas += 1
        resultado.omitidas_por.append(Fallo(nombre, omision.get("message", "")))
        resultado.casos.append((nombre, "omitida"))
    else:
        resultado.pasadas += 1
        resultado.casos.append((nombre, "pasa"))


def _leer_junit(
    ruta: Path, resultado: Resultado, modulo: Modulo, codigo: Path | None = None
) -> None:
    """Apunta los casos del informe de las pruebas de `modulo` (sobre --codigo, si se dio)."""
    carpeta = modulo.ejercicio if codigo is None else modulo.codigo_en(codigo)
    for caso in _casos(ruta):
        _anotar(caso, resultado, carpeta)


def _modulo_del_caso(caso: ET.Element) -> str | None:
    for texto in (caso.get("classname", ""), caso.get("name", "")):
        numero = Modulo.numero_en_junit(texto)
        if numero:
            return numero
    return None


# Segundos tras los que `si_tarda` avisa de que las pruebas siguen (ver ejecutar_pruebas).
AVISO_SI_TARDA = 10.0

SIGUE_COMPROBANDO = (
    "Sigo comprobando… Si algo se queda esperando (un hilo que no para, un proceso que no "
    "acaba), cada prueba afectada tarda unos segundos en rendirse y decir por qué."
)


# Marca que heredan en su entorno todos los procesos de una ejecución de las pruebas (pytest
# y lo que lance el código del alumno, también nietos y huérfanos): al acabar, los que queden
# se terminan. El plugin de pytest escribe en TALLER_EN_MARCHA la prueba que empieza.
MARCA_DE_EJECUCION = "TALLER_EJECUCION"
FICHERO_EN_MARCHA = "TALLER_EN_MARCHA"


@dataclass
class _Corrida:
    codigo: int | None  # None: se cortó por tiempo
    salida: str
    en_marcha: str  # la prueba que estaba en marcha al cortar


def _terminar_restos(proceso: subprocess.Popen, marca: str) -> None:
    """Termina el grupo de procesos de la ejecución y todo proceso con su marca."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proceso.pid, signal.SIGKILL)
    cuelgues.terminar(cuelgues.con_marca(f"{MARCA_DE_EJECUCION}={marca}"))
    with contextlib.suppress(subprocess.TimeoutExpired):
        proceso.wait(5)


def _correr(orden: list[str], cwd: Path, timeout: float, temporal: Path) -> _Corrida:
    """Ejecuta `orden` en su propio grupo de procesos; pase lo que pase, no deja ninguno.

    La salida va a un fichero, no a una tubería: un nieto huérfano que herede la tubería la
    mantendría abierta y leerla no acabaría nunca.
    """
    marca = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    en_marcha = temporal / "en_marcha.txt"
    entorno = {**os.environ, MARCA_DE_EJECUCION: marca, FICHERO_EN_MARCHA: str(en_marcha)}
    with open(temporal / "salida.txt", "w+", encoding="utf-8", errors="replace") as salida:
        proceso = subprocess.Popen(
            orden,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=salida,
            stderr=subprocess.STDOUT,
            env=entorno,
            start_new_session=True,
        )
        try:
            codigo: int | None = proceso.wait(timeout)
        except subprocess.TimeoutExpired:
            codigo = None
        finally:  # también con Ctrl+C: el grupo no recibe la señal del terminal
            _terminar_restos(proceso, marca)
        salida.seek(0)
        texto = salida.read()
    prueba = ""
    with contextlib.suppress(OSError):
        prueba = en_marcha.read_text(encoding="utf-8").strip()
    return _Corrida(codigo, texto, prueba)


def _mensaje_de_corte(timeout: float, en_marcha: str, modulo: Modulo) -> str:
    cual = f" La prueba que estaba en marcha: {en_marcha}." if en_marcha else ""
    nombre = en_marcha.rsplit("::", 1)[-1].split("[")[0] if en_marcha else "NOMBRE"
    return (
        f"Las pruebas no terminaron en {segundos(timeout)} y las he cortado (y terminado todo "
        f"proceso que hubieran lanzado).{cual} Algo se queda esperando para siempre sin que "
        "ningún límite lo corte: ¿un bucle sin fin, o una espera en código que no es Python? "
        f"Mírala sola con `pytest {modulo.ruta_ejercicio} -x -k {nombre}`."
    )


def orden_de_las_pruebas(modulo: Modulo) -> list[str]:
    """`python -m pytest ejercicios/NN -q`, desde la raíz: la orden de las pruebas de un módulo.

    Es la que ejecutan `taller comprobar`, `vigilar` y las pruebas del taller (con la solución y
    con el esqueleto), y la que corre cada paso de GitHub Classroom (taller.calificacion): así,
    lo que el taller comprueba de ella vale también para la nota.
    """
    return ["python", "-m", "pytest", modulo.ruta_ejercicio, "-q"]


def ejecutar_pruebas(
    modulo: Modulo,
    soluciones: bool = False,
    codigo: Path | None = None,
    extra: list[str] | None = None,
    timeout: float = 600,
    si_tarda: Callable[[], None] | None = None,
) -> Resultado:
    """Ejecuta `pytest ejercicios/NN` (con --soluciones o --codigo si se piden).

    `si_tarda` se llama una vez si las pruebas siguen corriendo a los AVISO_SI_TARDA
    segundos: con un hilo que no para, cada prueba espera su límite y el alumno solo ve
    silencio; así se le puede decir que no está colgado.
    """
    with tempfile.TemporaryDirectory(prefix="taller-junit-") as temporal:
        informe = Path(temporal) / "informe.xml"
        orden = [sys.executable, *orden_de_las_pruebas(modulo)[1:], f"--junitxml={informe}"]
        if soluciones:
            orden.append("--soluciones")
        if codigo is not None:
            orden.append(f"--codigo={codigo}")
        orden += extra or []
        inicio = time.perf_counter()
        aviso = threading.Timer(AVISO_SI_TARDA, si_tarda) if si_tarda else None
        if aviso is not None:
            aviso.daemon = True
            aviso.start()
        try:
            corrida = _correr(orden, modulo.raiz, timeout, Path(temporal))
        finally:
            if aviso is not None:
                aviso.cancel()
        resultado = Resultado(
            codigo_salida=1 if corrida.codigo is None else corrida.codigo,
            segundos=time.perf_counter() - inicio,
            salida=corrida.salida,
        )
        if corrida.codigo is None:
            resultado.cortado = _mensaje_de_corte(timeout, corrida.en_marcha, modulo)
        _leer_junit(informe, resultado, modulo, codigo)
    return resultado


def ejecutar_varios(
    modulos: list[Modulo], soluciones: bool = False, timeout: float = 600
) -> dict[str, Resultado]:
    """Las pruebas de varios módulos, en un solo proceso pytest, con un Resultado por módulo.

    Un solo proceso es lo más rápido: arrancar pytest cuesta casi un segundo de CPU, y así se
    paga una vez y no una por módulo. Si ese proceso no deja informe (por ejemplo, una prueba
    bloqueada hizo que pytest-timeout lo terminara) o a un módulo le faltan sus pruebas, esos
    módulos se repiten cada uno en su propio proceso, en paralelo: un módulo roto no deja a
    los demás sin resultado.

    El campo `segundos` de cada Resultado es lo que tardó la ejecución conjunta.
    """
    # Una carpeta que no existe haría fallar toda la ejecución: esos módulos quedan sin pruebas.
    existentes = [m for m in modulos if m.ejercicio.is_dir()]
    if not existentes:
        return {m.numero: Resultado(codigo_salida=5) for m in modulos}
    with tempfile.TemporaryDirectory(prefix="taller-junit-") as temporal:
        informe = Path(temporal) / "informe.xml"
        orden = [sys.executable, "-m", "pytest", *(str(m.ejercicio) for m in existentes)]
        # --tb=line: del informe solo se usa el mensaje de cada fallo (ver comprobar_en_cuaderno).
        orden += ["-q", "--tb=line", f"--junitxml={informe}", "--continue-on-collection-errors"]
        if soluciones:
            orden.append("--soluciones")
        inicio = time.perf_counter()
        corrida = _correr(orden, existentes[0].raiz, timeout, Path(temporal))
        salida = corrida.salida if corrida.codigo is not None else ""
        tardado = time.perf_counter() - inicio
        resultados = {
            m.numero: Resultado(codigo_salida=5, salida=salida, segundos=tardado) for m in modulos
        }
        carpetas = {m.numero: m.ejercicio for m in modulos}
        for caso in _casos(informe):
            numero = _modulo_del_caso(caso)
            if numero in resultados:
                _anotar(caso, resultados[numero], carpetas[numero])
    for resultado in resultados.values():
        if resultado.total:
            resultado.codigo_salida = 1 if resultado.fallidas or resultado.con_error else 0
    repetir = [m for m in existentes if resultados[m.numero].total == 0 and m.pruebas()]
    if repetir:
        with ThreadPoolExecutor(max_workers=min(len(repetir), os.cpu_count() or 2)) as pool:
            solos = pool.map(lambda m: ejecutar_pruebas(m, soluciones, timeout=timeout), repetir)
            resultados.update({m.numero: r for m, r in zip(repetir, solos, strict=True)})
    return resultados


def primera_linea(mensaje: str, largo: int = 800) -> str:
    """La primera línea no vacía de un mensaje de fallo (entera: el arreglo suele ir al final)."""
    for linea in mensaje.strip().splitlines():
        if linea.strip():
            linea = linea.strip()
            return linea if len(linea) <= largo else linea[: largo - 1] + "…"
    return ""


def resumen(
    resultado: Resultado,
    numero: str,
    maximo: int = 5,
    *,
    modulo: Modulo | None = None,
    estilo: Estilo | None = None,
) -> str:
    """Unas líneas en español: cuántas pruebas pasan, las primeras que fallan y qué leer.

    Con `modulo`, el consejo nombra la sección del cuaderno que explica la primera prueba
    que falla; con `estilo`, la salida lleva color.
    """
    estilo = estilo or Estilo(color=False)
    titulo = f"Módulo {numero}" + (f" — {modulo.titulo}" if modulo else "")
    if resultado.cortado:
        cuantas = f" Antes de cortarlas pasaron {resultado.pasadas}." if resultado.pasadas else ""
        return estilo.rojo(f"{titulo}: las pruebas no terminaron.") + (
            f" {resultado.cortado}{cuantas}"
        )
    if resultado.total == 0:
        return (
            estilo.rojo(f"{titulo}: no se pudo ejecutar ninguna prueba.")
            + " Salida de pytest:\n"
            + resultado.salida[-2000:]
        )
    lineas = [f"{estilo.negrita(titulo)}: pasan {resultado.pasadas} de {resultado.total} pruebas."]
    problemas = resultado.fallidas + resultado.con_error
    if not problemas and resultado.omitidas:
        lineas.append(estilo.amarillo(sin_motor(resultado)))
        return "\n".join(lineas)
    if not problemas:
        lineas.append(estilo.verde("¡Todo en verde! Módulo superado."))
        return "\n".join(lineas)
    lineas.append("Las primeras que fallan (van en el orden en que conviene resolverlas):")
    grupos = _agrupar(problemas)
    ancho = max(60, min(110, shutil.get_terminal_size((100, 24)).columns - 1))
    for nombre, casos in grupos[:maximo]:
        veces = f" ({len(casos)} casos)" if len(casos) > 1 else ""
        linea = f"  ✘ {nombre}{veces}: {primera_linea(casos[0].mensaje)}"
        # Sin partir por guiones ni palabras largas: una ruta (/tmp/pytest-of-root/...) o un
        # nombre de prueba partidos no se pueden copiar.
        partida = textwrap.fill(
            linea,
            width=ancho,
            subsequent_indent="      ",
            break_on_hyphens=False,
            break_long_words=False,
        )
        lineas.append(partida.replace("✘", estilo.rojo("✘"), 1))
    # Se cuentan como pytest (y como la primera línea): cada caso de una prueba
    # parametrizada es una prueba. Así «pasan 0 de 27» y lo que falta cuadran.
    fallan_sin_mostrar = sum(len(casos) for _, casos in grupos[maximo:])
    if fallan_sin_mostrar:
        if fallan_sin_mostrar == 1:
            lineas.append("  … y otra prueba que falla.")
        else:
            lineas.append(f"  … y {fallan_sin_mostrar} pruebas más que fallan.")
    if modulo is None:
        lineas.append(
            f"Detalles: pytest {ruta_del_ejercicio(numero)}   ·   Una pista: taller pista {numero}"
        )
    else:
        lineas += _que_leer(modulo, problemas[0], estilo)
    return "\n".join(lineas)


CONSEGUIR_UN_MOTOR = (
    "Para ejecutarlas hace falta un motor de contenedores: en Debian o Ubuntu, "
    "`sudo apt install podman` (o docker.io); en Windows o macOS, Docker Desktop; o abre el "
    "taller en su devcontainer de VS Code. Después, vuelve a comprobar el módulo."
)


def motivos_de_omision(resultado: Resultado) -> list[str]:
    """Los motivos distintos por los que se saltaron pruebas, en el orden en que salieron."""
    return list(
        dict.fromkeys(
            primera_linea(o.mensaje).removeprefix("Skipped: ") for o in resultado.omitidas_por
        )
    )


def sin_motor(resultado: Resultado) -> str:
    """Lo que se dice de un módulo con todo en verde menos pruebas saltadas: aún no está entero."""
    cuantas = "1 prueba" if resultado.omitidas == 1 else f"{resultado.omitidas} pruebas"
    lineas = [f"Todo lo que se ha podido probar está en verde, pero se saltaron {cuantas}:"]
    lineas += [f"  · {motivo}" for motivo in motivos_de_omision(resultado)]
    lineas.append(f"Módulo superado a medias. {CONSEGUIR_UN_MOTOR}")
    return "\n".join(lineas)


def _agrupar(fallos: list[Fallo]) -> list[tuple[str, list[Fallo]]]:
    """Junta los casos de una prueba parametrizada (test_x[1], test_x[2]...) en una línea."""
    grupos: dict[str, list[Fallo]] = {}
    for fallo in fallos:
        grupos.setdefault(fallo.prueba.split("[")[0], []).append(fallo)
    return list(grupos.items())


@dataclass
class QueLeer:
    """Qué leer tras el primer fallo. Se decide una vez, aquí, para el terminal (`_que_leer`)
    y para el cuaderno (`salida_html`): cada salida solo lo dibuja a su manera."""

    secciones: list  # las del cuaderno que explican la prueba (vacía si no hay cuaderno)
    paso: str  # «, paso 2: …» para seguir a «el enunciado»; vacío si la prueba no tiene paso
    enunciado: bool  # si el módulo tiene enunciado (ejercicios/NN/README.md)
    pista: str  # la orden que da una pista
    fallo_entero: str  # la orden que enseña cada fallo entero


def que_leer(modulo: Modulo, primero: Fallo) -> QueLeer:
    """Las secciones del cuaderno y el paso del enunciado que explican la prueba `primero`.

    Las secciones son las que nombra la cabecera del paso de la prueba («(cuaderno: 3, 5)»);
    si no las nombra, la sección que más se parece a la prueba y a su mensaje.
    """
    paso = paso_de_la_prueba(modulo.ejercicio, primero.prueba)
    elegidas = []
    if modulo.cuaderno is not None:
        todas = secciones(modulo.cuaderno)
        elegidas = secciones_numeradas(todas, paso.secciones) if paso else []
        if not elegidas:
            adivinada = seccion_para(primero.prueba, primero.mensaje, todas)
            elegidas = [adivinada] if adivinada else []
    return QueLeer(
        secciones=elegidas,
        paso=f", {paso.nombre[0].lower()}{paso.nombre[1:]}" if paso else "",
        enunciado=modulo.enunciado.is_file(),
        pista=f"taller pista {modulo.numero}",
        fallo_entero=f"pytest {modulo.ruta_ejercicio} -x",
    )


def _que_leer(modulo: Modulo, primero: Fallo, estilo: Estilo) -> list[str]:
    leer = que_leer(modulo, primero)
    lineas = [estilo.negrita("Qué leer:")]
    if modulo.cuaderno is not None:
        cuaderno = modulo.cuaderno.relative_to(modulo.raiz)
        titulos = " y ".join(f"«{s.titulo}»" for s in leer.secciones)
        cuales = "secciones" if len(leer.secciones) > 1 else "sección"
        donde = f", {cuales} {titulos}" if leer.secciones else ""
        lineas.append(f"  · el cuaderno {cuaderno}{donde}")
    if leer.enunciado:
        lineas.append(f"  · el enunciado {modulo.enunciado.relative_to(modulo.raiz)}{leer.paso}")
    lineas.append(f"  · una pista: {estilo.amarillo(leer.pista)}")
    lineas.append(f"  · cada fallo entero: {leer.fallo_entero}")
    return lineas


def comprobar_en_cuaderno(numero: str):
    """Para la última celda de cada cuaderno: prueba el ejercicio y devuelve el resultado.

    Lo que devuelve se ve como una tabla en JupyterLab (y como el texto de `taller comprobar`
    donde no hay HTML): la celda termina en la llamada, sin `;`, para que se muestre. Nunca
    lanza una excepción por pruebas fallidas: el cuaderno debe poder ejecutarse entero aunque
    el ejercicio esté a medias.
    """
    from taller.modulos import buscar_modulo
    from taller.salida_html import Comprobacion

    modulo = buscar_modulo(numero)
    # El resumen solo usa el mensaje de cada fallo: --tb=line ahorra a pytest formatear las
    # trazas (la mitad del tiempo cuando fallan todas, como con el esqueleto recién abierto).
    return Comprobacion(modulo, ejecutar_pruebas(modulo, extra=["--tb=line"]))
