"""Pruebas del módulo 02. Van en el orden en que conviene escribir el código:
validar_url → validar_timeout → es_coherente → comprobar → comprobar_todos → la flota real.

Las de `comprobar` y `comprobar_todos` usan `responses`, que intercepta las peticiones de
requests sin abrir ningún socket: son rápidas y fabrican cada caso raro a demanda. Las
últimas van contra una flota de servidores HTTP de verdad en 127.0.0.1 (`taller.flota`).

Ejecútalas con:  pytest ejercicios/02
"""

import functools
import json
import re
import time
import traceback

import pytest
import requests
import responses

from taller.flota import AVERIAS, flota
from taller.propiedades import example, given, settings, st
from taller.pruebas import a_la_vez, cargar, con_limite, lanza, lo_que_dio, sin_lanzar

monitor = cargar("monitor")

URL = "http://web-001.ejemplo/salud"


def cuerpo(servidor="web-001", estado="ok"):
    return json.dumps({"servidor": servidor, "estado": estado})


def donde_salto(error):
    """Dónde está el arreglo: en es_coherente, si la excepción salió de ahí, o en los except."""
    if "es_coherente" in [marco.name for marco in traceback.extract_tb(error.__traceback__)]:
        return (
            "\nSaltó dentro de es_coherente: arréglala primero (paso 3); con cualquier cuerpo "
            "raro debe devolver False, no lanzar."
        )
    if isinstance(error, json.JSONDecodeError):  # también el de respuesta.json()
        return (
            "\nSalta al leer el cuerpo como JSON: compruébalo con es_coherente(respuesta.text, "
            "nombre), que con un cuerpo raro devuelve False, y no con respuesta.json()."
        )
    if isinstance(error, requests.RequestException):
        return (
            f"\n{type(error).__name__} es una excepción de requests: atrapa también "
            "requests.RequestException (la madre de todas), después de Timeout y "
            "ConnectionError, y da 'sin respuesta'."
        )
    return ""


def comprobar(url=URL, **opciones):
    """monitor.comprobar, pero una excepción se convierte en un fallo que explica qué pasó."""
    funcion = monitor.comprobar
    return sin_lanzar(
        lambda: funcion(url, **opciones),
        lambda error: (
            f"comprobar({url!r}) lanzó {type(error).__name__}: {error}\n"
            "Un servidor que falla no es un error de tu programa: es justo lo que quieres "
            "averiguar. comprobar() nunca debe lanzar por un fallo de red o una respuesta "
            "rara; debe devolver un Resultado con su motivo." + donde_salto(error)
        ),
    )


def comprobar_todos(urls, **opciones):
    funcion = monitor.comprobar_todos
    return sin_lanzar(
        lambda: funcion(urls, **opciones),
        lambda error: (
            f"comprobar_todos(...) lanzó {type(error).__name__}: {error}\n"
            "Ningún servidor caído debe tumbar la comprobación de los demás." + donde_salto(error)
        ),
    )


def pista_del_motivo(resultado, esperado, cuerpo=None, nombre=None, desde="comprobar"):
    """La causa más probable de que llegue resultado.motivo en vez de `esperado`.

    Con `cuerpo` (lo que contestó el servidor) y `nombre`, pregunta a es_coherente del
    alumno para saber si el fallo está en es_coherente o en cómo la usa comprobar.
    """
    llego = resultado.motivo
    contesto = (monitor.OK, monitor.ERROR_HTTP, monitor.RESPUESTA_INCOHERENTE)
    if esperado in contesto and llego in (monitor.SIN_RESPUESTA, monitor.CONEXION_RECHAZADA):
        return (
            f"El servidor sí contestó: {llego!r} es solo para cuando no llega respuesta. ¿Hay "
            "dentro del try, además de requests.get, algo que lanza al leer la respuesta? "
            "(respuesta.json() lanza requests.JSONDecodeError, que es un RequestException.) "
            "Deja en el try solo la petición."
        )
    if esperado == monitor.RESPUESTA_INCOHERENTE and llego == monitor.OK:
        if cuerpo is not None:
            try:
                coherente = monitor.es_coherente(cuerpo, nombre)
            except Exception:
                coherente = None
            if coherente:
                return (
                    f"Tu es_coherente({cuerpo!r}, {nombre!r}) también dice que es coherente: "
                    "arregla primero es_coherente (sus pruebas, en el paso 3, dicen qué falla)."
                )
            if coherente is False:
                return (
                    f"Tu es_coherente({cuerpo!r}, {nombre!r}) sí lo rechaza, pero {desde} dio "
                    "'ok': con un 200, ¿llamas a es_coherente(respuesta.text, nombre), "
                    "pasándole el nombre esperado?"
                )
        return (
            "Un 200 no basta: el cuerpo también tiene que ser el de un servidor sano "
            "(es_coherente(respuesta.text, nombre))."
        )
    if esperado == monitor.SIN_RESPUESTA and llego == monitor.OK:
        if desde == "comprobar_todos":
            return (
                "Este servidor tarda más que el timeout: ¿pasa comprobar_todos su timeout a "
                "cada comprobar, y comprobar a requests.get(url, timeout=timeout)?"
            )
        return (
            f"Este servidor tarda más que el timeout y comprobar lo esperó "
            f"({resultado.segundos:.2f} s): ¿pasas el timeout a requests.get(url, "
            "timeout=timeout)?"
        )
    if esperado == monitor.CONEXION_RECHAZADA and llego == monitor.SIN_RESPUESTA:
        return (
            "Un requests.ConnectionError (nadie escucha en ese puerto) es 'conexión rechazada': "
            "¿tienes un except requests.ConnectionError, y no lo tapa antes otro más general "
            "(RequestException, Exception)?"
        )
    if esperado == monitor.SIN_RESPUESTA and llego == monitor.CONEXION_RECHAZADA:
        return (
            "Un timeout es 'sin respuesta'. ConnectTimeout es a la vez Timeout y "
            "ConnectionError: except requests.Timeout tiene que ir antes."
        )
    if esperado == monitor.ERROR_HTTP:
        return (
            "Con un código distinto de 200 el motivo es 'error HTTP', sea cual sea el cuerpo: "
            "mira respuesta.status_code antes que el cuerpo."
        )
    return ""


def comprobar_resultado(resultado, motivo, estado_http, url=URL, cuerpo=None, nombre=None):
    """Cada campo del Resultado, con un mensaje que dice cuál no cuadra (y por qué, si se sabe)."""
    assert isinstance(resultado, monitor.Resultado), (
        f"comprobar debe devolver un monitor.Resultado; devolvió {resultado!r}"
    )
    assert resultado.motivo == motivo, (
        f"Para {url} se esperaba el motivo {motivo!r}; llegó {resultado.motivo!r}. "
        f"{pista_del_motivo(resultado, motivo, cuerpo, nombre)} ({resultado})"
    )
    assert resultado.estado_http == estado_http, (
        f"Para {url} se esperaba estado_http={estado_http!r} (el código HTTP, o None si no "
        f"llegó respuesta); llegó {resultado.estado_http!r}"
    )
    assert resultado.ok is (motivo == monitor.OK), (
        f"ok debe ser True solo cuando el motivo es {monitor.OK!r}; con motivo {motivo!r} "
        f"llegó ok={resultado.ok!r}"
    )
    assert resultado.url == url, f"El Resultado debe llevar la URL {url!r}; lleva {resultado.url!r}"
    assert isinstance(resultado.segundos, float) and resultado.segundos >= 0, (
        f"segundos debe ser un float >= 0 (lo que tardó); llegó {resultado.segundos!r}"
    )


# --- Paso 1: validar_url (cuaderno: 1) --------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/salud", "https://web-001.produccion.es/salud", "http://web-001"]
)
def test_validar_url_acepta_urls_http_y_https(url):
    assert monitor.validar_url(url) == url, f"validar_url({url!r}) debería devolver la URL tal cual"


# URL mala → qué le falta (urlsplit la parte en esquema, máquina, ruta...).
URLS_MALAS = {
    "ftp://web-001.produccion.es/salud": "Solo valen los esquemas http y https "
    "(urlsplit(url).scheme).",
    "web-001.produccion.es/salud": "Le falta el esquema: http:// o https://.",
    "localhost:8000/salud": "Sin «//», urlsplit lee «localhost» como el esquema, y no es "
    "http ni https.",
    "http://": "Tiene el esquema pero ninguna máquina: no basta con mirar el prefijo, "
    "comprueba también urlsplit(url).hostname.",
    "https:/salud": "Le falta una barra: sin «//» no hay máquina (urlsplit(url).hostname es None).",
    "": "Una URL vacía no es una URL.",
}


@pytest.mark.parametrize("url", list(URLS_MALAS))
def test_validar_url_rechaza_lo_que_no_es_una_url_http_nombrando_el_valor(url):
    error = lanza(
        ValueError, f"validar_url({url!r})", lambda: monitor.validar_url(url), URLS_MALAS[url]
    )
    assert url in str(error), (
        f"El mensaje de error debería citar la URL rechazada {url!r}; dice: «{error}»"
    )


@pytest.mark.parametrize("url", [None, 42, b"http://web-001/salud"])
def test_validar_url_rechaza_lo_que_no_es_texto_con_typeerror(url):
    lanza(
        TypeError,
        f"validar_url({url!r})",
        lambda: monitor.validar_url(url),
        f"Una URL es un str y esto es un {type(url).__name__}: comprueba el tipo antes de "
        "mirar su contenido (isinstance(url, str)).",
    )


# Propiedades (Hypothesis): lo mismo, con muchas URLs fabricadas. Si una falla, Hypothesis
# enseña el ejemplo más pequeño que encontró («Falsifying example»). Los casos raros que más
# importan van siempre, con @example; del resto, 15 por propiedad para ir rápido.
POCOS = settings(max_examples=15)
LETRAS = "abcdefghijklmnopqrstuvwxyz0123456789"
ETIQUETAS = st.lists(st.text(LETRAS, min_size=1, max_size=6), min_size=1, max_size=2).map("-".join)
MAQUINAS = st.one_of(
    st.lists(ETIQUETAS, min_size=1, max_size=3).map(".".join),
    st.sampled_from(["127.0.0.1", "10.0.0.7", "[::1]", "[2001:db8::1]"]),
)
PUERTOS = st.one_of(st.just(""), st.integers(1, 65535).map(lambda puerto: f":{puerto}"))
RUTAS = st.one_of(st.just(""), st.text(LETRAS + "-._~/%=&?#", max_size=12).map("/{}".format))
URLS_BUENAS = st.builds(
    "{}://{}{}{}".format, st.sampled_from(["http", "https"]), MAQUINAS, PUERTOS, RUTAS
)
# Un carácter que no puede ir en una URL: urlsplit se come algunos en silencio.
INVISIBLES = st.sampled_from([" ", "\t", "\n", "\r", "\x00", "\x0b", "\x7f", "\xa0", "\u2028"])


def cita(valor, mensaje):
    """¿Nombra el mensaje el valor rechazado (tal cual o con repr)?"""
    return str(valor) in mensaje or repr(valor) in mensaje


def rechaza_la_url(url, por_que):
    error = lanza(ValueError, f"validar_url({url!r})", lambda: monitor.validar_url(url), por_que)
    assert cita(url, str(error)), (
        f"validar_url({url!r}) lanzó ValueError, pero el mensaje no cita la URL rechazada: "
        f"«{error}»"
    )


@POCOS
@given(url=URLS_BUENAS)
@example(url="https://web-001.produccion.es:8443/salud")
def test_propiedad_validar_url_acepta_toda_url_http_con_maquina(url):
    try:
        devuelta = monitor.validar_url(url)
    except ValueError as error:
        pytest.fail(
            f"Propiedad rota: toda URL http(s) con máquina (y quizá puerto y ruta) es válida, y "
            f"validar_url({url!r}) la rechazó: «{error}»",
            pytrace=False,
        )
    assert devuelta == url, (
        f"Propiedad rota: validar_url devuelve la URL tal cual; con {url!r} devolvió {devuelta!r}"
    )


@POCOS
@given(
    esquema=st.builds(
        str.__add__, st.sampled_from("abcfhjstwxz"), st.text(LETRAS + "+.-", max_size=7)
    ).filter(lambda esquema: esquema not in ("http", "https")),
    resto=URLS_BUENAS.map(lambda url: url.split("://", 1)[1]),
)
@example(esquema="ftp", resto="web-001.es/salud")
@example(esquema="javascript", resto="alert(1)")
@example(esquema="httpx", resto="web-001")
def test_propiedad_validar_url_rechaza_cualquier_otro_esquema(esquema, resto):
    rechaza_la_url(
        f"{esquema}://{resto}",
        f"Propiedad rota: solo valen http y https; «{esquema}» es otro esquema "
        "(urlsplit(url).scheme).",
    )


@POCOS
@given(
    esquema=st.sampled_from(["http", "https"]),
    resto=st.sampled_from(
        ["//", "///salud", "//:8000/salud", "//@/salud", "//:80", "//?x=1", ":/salud", ":salud"]
    ),
)
@example(esquema="http", resto="//")
def test_propiedad_validar_url_rechaza_las_urls_sin_maquina(esquema, resto):
    rechaza_la_url(
        f"{esquema}:{resto}",
        "Propiedad rota: sin nombre de máquina no hay a quién preguntar; no basta con el "
        "prefijo, mira urlsplit(url).hostname.",
    )


@POCOS
@given(url=URLS_BUENAS, invisible=INVISIBLES, donde=st.floats(0, 1))
@example(url="http://web-001/salud", invisible=" ", donde=0.5)
@example(url="http://web-001/salud", invisible="\n", donde=0.4)
@example(url="http://web-001/salud", invisible=" ", donde=0.0)
def test_propiedad_validar_url_rechaza_espacios_y_caracteres_de_control(url, invisible, donde):
    posicion = round(donde * len(url))
    mala = url[:posicion] + invisible + url[posicion:]
    rechaza_la_url(
        mala,
        f"Propiedad rota: una URL no lleva espacios ni caracteres de control, y esta lleva "
        f"{invisible!r} en la posición {posicion}. Ojo: urlsplit se come en silencio los "
        "espacios del principio y los saltos de línea, así que mirar sus partes no basta: "
        "busca antes en el texto (str.isspace, str.isprintable).",
    )


@POCOS
@given(
    esquema=st.sampled_from(["http", "https"]),
    maquina=MAQUINAS,
    puerto=st.one_of(
        st.integers(65536, 10**6).map(str),
        st.text("abcxyz", min_size=1, max_size=4),
        st.just("-1"),
    ),
)
@example(esquema="http", maquina="web-001", puerto="99999")
def test_propiedad_validar_url_rechaza_los_puertos_que_no_son_un_numero_valido(
    esquema, maquina, puerto
):
    rechaza_la_url(
        f"{esquema}://{maquina}:{puerto}/salud",
        f"Propiedad rota: el puerto {puerto!r} no es un número entre 0 y 65535. "
        "urlsplit(url).port lanza ValueError con un puerto así: pregúntale por él.",
    )


@POCOS
@given(
    valor=st.one_of(
        st.none(),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.binary(max_size=8),
        st.lists(st.text(max_size=3), max_size=2),
    )
)
@example(valor=b"http://web-001/salud")
def test_propiedad_validar_url_rechaza_con_typeerror_todo_lo_que_no_es_texto(valor):
    lanza(
        TypeError,
        f"validar_url({valor!r})",
        lambda: monitor.validar_url(valor),
        f"Propiedad rota: una URL es un str, y esto es un {type(valor).__name__}: "
        "isinstance(url, str) antes de mirar su contenido.",
    )


# --- Paso 2: validar_timeout (cuaderno: 2) ----------------------------------------------------


@pytest.mark.parametrize("timeout", [0.5, 2, 10.0])
def test_validar_timeout_acepta_segundos_positivos(timeout):
    devuelto = monitor.validar_timeout(timeout)
    assert devuelto == timeout, (
        f"validar_timeout({timeout!r}) debería devolver {timeout!r}; devolvió {devuelto!r}"
    )


@pytest.mark.parametrize("timeout", [0, -1, -0.5, float("inf")])
def test_validar_timeout_rechaza_cero_negativos_e_infinito_nombrando_el_valor(timeout):
    error = lanza(
        ValueError,
        f"validar_timeout({timeout!r})",
        lambda: monitor.validar_timeout(timeout),
        "Un timeout debe ser mayor que 0 y finito (un timeout infinito es no tener timeout: "
        "math.isfinite).",
    )
    assert str(timeout) in str(error), (
        f"El mensaje debería citar el valor rechazado {timeout!r}; dice: «{error}»"
    )


POR_QUE = {
    "None": "En requests, timeout=None significa «espera para siempre»: justo lo que un monitor "
    "no puede hacer.",
    "'2'": "Un texto no es un número, aunque lo parezca: no lo conviertas, recházalo.",
    "True": "isinstance(True, int) es True (bool hereda de int): descarta los bool antes.",
}


@pytest.mark.parametrize("timeout", [None, "2", True])
def test_validar_timeout_rechaza_lo_que_no_es_un_numero_con_typeerror(timeout):
    lanza(
        TypeError,
        f"validar_timeout({timeout!r})",
        lambda: monitor.validar_timeout(timeout),
        POR_QUE[repr(timeout)],
    )


# Propiedades: todo número finito mayor que 0 vale; todo lo demás se rechaza citando el valor.
NAN, INF = float("nan"), float("inf")
TIMEOUTS_BUENOS = st.one_of(
    st.floats(min_value=0, exclude_min=True, allow_infinity=False),
    st.integers(min_value=1, max_value=10**6),
)
TIMEOUTS_FUERA_DE_RANGO = st.one_of(
    st.floats(max_value=0),  # 0.0, -0.0, negativos y -inf
    st.sampled_from([NAN, INF, -INF, -0.0]),
    st.integers(max_value=0),
)
NO_NUMEROS = st.one_of(
    st.booleans(),
    st.none(),
    st.text(max_size=4),
    st.sampled_from(["2", "0.5", "nan", "inf"]),
    st.binary(max_size=4),
    st.complex_numbers(max_magnitude=10),
    st.lists(st.integers(), max_size=2),
)


def por_que_fuera_de_rango(timeout):
    if timeout != timeout:  # NaN: lo único que no es igual a sí mismo
        return (
            "Propiedad rota: NaN (float('nan')) no es un número de segundos. Toda comparación "
            "con NaN da False, así que `if timeout <= 0` lo deja pasar y luego revienta dentro "
            "de requests: comprueba lo que SÍ vale, math.isfinite(timeout) and timeout > 0."
        )
    return (
        f"Propiedad rota: {timeout!r} no es un número de segundos finito y mayor que 0 "
        "(-0.0 es 0, e infinito es no tener timeout: math.isfinite)."
    )


@POCOS
@given(timeout=TIMEOUTS_BUENOS)
@example(timeout=0.001)
def test_propiedad_validar_timeout_acepta_todo_numero_finito_mayor_que_0(timeout):
    try:
        devuelto = monitor.validar_timeout(timeout)
    except (TypeError, ValueError) as error:
        pytest.fail(
            f"Propiedad rota: todo número finito mayor que 0 es un timeout válido, y "
            f"validar_timeout({timeout!r}) lanzó {type(error).__name__}: «{error}»",
            pytrace=False,
        )
    assert devuelto == timeout, (
        f"validar_timeout({timeout!r}) debería devolver {timeout!r}; devolvió {devuelto!r}"
    )


@POCOS
@given(timeout=TIMEOUTS_FUERA_DE_RANGO)
@example(timeout=NAN)
@example(timeout=-0.0)
@example(timeout=INF)
@example(timeout=-INF)
def test_propiedad_validar_timeout_rechaza_nan_infinito_cero_y_negativos_citando_el_valor(timeout):
    error = lanza(
        ValueError,
        f"validar_timeout({timeout!r})",
        lambda: monitor.validar_timeout(timeout),
        lambda: por_que_fuera_de_rango(timeout),
    )
    assert cita(timeout, str(error)), (
        f"validar_timeout({timeout!r}) lanzó ValueError, pero el mensaje no cita el valor "
        f"rechazado: «{error}»"
    )


@POCOS
@given(timeout=NO_NUMEROS)
@example(timeout=True)
@example(timeout=False)
@example(timeout=None)
@example(timeout="2")
def test_propiedad_validar_timeout_rechaza_con_typeerror_lo_que_no_es_un_numero(timeout):
    error = lanza(
        TypeError,
        f"validar_timeout({timeout!r})",
        lambda: monitor.validar_timeout(timeout),
        f"Propiedad rota: un timeout es un int o un float, y {timeout!r} es un "
        f"{type(timeout).__name__}. "
        + (POR_QUE["True"] if isinstance(timeout, bool) else POR_QUE.get(repr(timeout), "")),
    )
    assert cita(timeout, str(error)), (
        f"validar_timeout({timeout!r}) lanzó TypeError, pero el mensaje no cita el valor "
        f"rechazado: «{error}»"
    )


# --- Paso 3: es_coherente (cuaderno: 4) -------------------------------------------------------


def es_coherente(texto, nombre=None):
    funcion = monitor.es_coherente
    return sin_lanzar(
        lambda: funcion(texto, nombre),
        lambda error: (
            f"es_coherente({texto!r}) lanzó {type(error).__name__}: {error}\n"
            "Un cuerpo que no es el JSON esperado no es un error del programa: es una "
            "respuesta incoherente, y es_coherente debe devolver False."
        ),
    )


def test_es_coherente_acepta_el_json_de_un_servidor_sano():
    assert es_coherente(cuerpo("web-001")) is True, (
        f"{cuerpo('web-001')} es la respuesta de un servidor sano: es_coherente debe devolver "
        "True (un bool, no el diccionario ni None)"
    )
    assert es_coherente(cuerpo("web-001"), "web-001") is True, (
        "Con nombre='web-001', el cuerpo de web-001 con estado ok es coherente"
    )


def test_es_coherente_acepta_campos_de_mas():
    texto = json.dumps({"servidor": "web-001", "estado": "ok", "version": "1.4.2"})
    assert es_coherente(texto, "web-001") is True, (
        "Un campo de más no hace incoherente la respuesta: mira solo servidor y estado"
    )


@pytest.mark.parametrize(
    "texto",
    [
        "<html><body><h1>Error</h1></body></html>",
        '{"servidor": "web-001", "est',
        "",
        "ok",
    ],
    ids=["html", "json_cortado", "vacio", "texto_suelto"],
)
def test_es_coherente_rechaza_lo_que_no_es_json_sin_lanzar(texto):
    assert es_coherente(texto) is False, (
        f"{texto!r} no es JSON: es_coherente debe devolver False (un bool, no None)"
    )


@pytest.mark.parametrize("texto", ["[1, 2]", '"ok"', "null", "42"])
def test_es_coherente_rechaza_json_que_no_es_un_objeto(texto):
    assert es_coherente(texto) is False, (
        f"{texto!r} es JSON válido, pero no es un objeto {{...}} con servidor y estado"
    )


@pytest.mark.parametrize(
    "datos",
    [
        {"servidor": "web-001", "estado": "degradado"},
        {"servidor": "web-001", "estado": "OK"},
        {"servidor": "web-001", "estado": True},
        {"servidor": "web-001"},
    ],
    ids=["degradado", "mayusculas", "true", "sin_estado"],
)
def test_es_coherente_exige_estado_ok(datos):
    assert es_coherente(json.dumps(datos)) is False, (
        f'{datos} no es un servidor sano: el estado tiene que ser exactamente "ok"'
    )


@pytest.mark.parametrize(
    "datos",
    [{"estado": "ok"}, {"servidor": "", "estado": "ok"}, {"servidor": 42, "estado": "ok"}],
    ids=["sin_servidor", "nombre_vacio", "nombre_numero"],
)
def test_es_coherente_exige_que_diga_quien_es(datos):
    assert es_coherente(json.dumps(datos)) is False, (
        f"{datos}: un servidor sano dice su nombre (un texto no vacío) en «servidor»"
    )


def test_es_coherente_rechaza_el_nombre_de_otro_servidor():
    assert es_coherente(cuerpo("web-002"), "web-001") is False, (
        "Esperábamos a web-001 y contesta web-002 diciendo «ok»: esa respuesta no es de "
        "quien creemos (¿una IP o un puerto mal apuntados?). Compara con nombre."
    )


# --- Paso 4: comprobar (con responses: sin red) (cuaderno: 3, 5) ------------------------------


@responses.activate
def test_comprobar_un_servidor_sano_da_ok():
    responses.add(responses.GET, URL, body=cuerpo("web-001"))
    comprobar_resultado(comprobar(URL, nombre="web-001"), monitor.OK, 200)


@responses.activate
def test_comprobar_sin_nombre_esperado_basta_con_que_diga_quien_es():
    responses.add(responses.GET, URL, body=cuerpo("web-077"))
    comprobar_resultado(comprobar(URL), monitor.OK, 200)


@responses.activate
def test_comprobar_pasa_el_timeout_a_requests():
    responses.add(responses.GET, URL, body=cuerpo())
    comprobar(URL, timeout=0.75)
    assert len(responses.calls) == 1, (
        f"comprobar debe hacer exactamente una petición; hizo {len(responses.calls)}"
    )
    usado = responses.calls[0].request.req_kwargs.get("timeout")
    assert usado == 0.75 or (isinstance(usado, tuple) and None not in usado), (
        f"comprobar(url, timeout=0.75) llamó a requests con timeout={usado!r}. Sin timeout, "
        "requests espera para siempre a un servidor colgado: requests.get(url, timeout=timeout)"
    )


@pytest.mark.parametrize("codigo", [500, 503, 404, 403])
@responses.activate
def test_un_codigo_distinto_de_200_es_error_http(codigo):
    # El cuerpo es perfecto a propósito: con un código distinto de 200 no basta.
    responses.add(responses.GET, URL, body=cuerpo("web-001"), status=codigo)
    comprobar_resultado(comprobar(URL, nombre="web-001"), monitor.ERROR_HTTP, codigo)


@pytest.mark.parametrize(
    "texto",
    [
        "<html><body><h1>Error</h1><p>Algo ha ido mal.</p></body></html>",
        '{"servidor": "web-001", "estado": "o',
        '["web-001", "ok"]',
        cuerpo("web-001", "degradado"),
        cuerpo("web-002"),
        json.dumps({"estado": "ok"}),
    ],
    ids=["html", "json_roto", "lista", "estado_no_ok", "otro_nombre", "sin_nombre"],
)
@responses.activate
def test_un_200_con_un_cuerpo_incoherente_es_respuesta_incoherente(texto):
    responses.add(responses.GET, URL, body=texto, status=200)
    comprobar_resultado(
        comprobar(URL, nombre="web-001"),
        monitor.RESPUESTA_INCOHERENTE,
        200,
        cuerpo=texto,
        nombre="web-001",
    )


@responses.activate
def test_una_conexion_rechazada_es_conexion_rechazada():
    responses.add(responses.GET, URL, body=requests.ConnectionError("Connection refused"))
    comprobar_resultado(comprobar(URL), monitor.CONEXION_RECHAZADA, None)


@responses.activate
def test_un_timeout_de_lectura_es_sin_respuesta():
    responses.add(responses.GET, URL, body=requests.ReadTimeout("Read timed out"))
    comprobar_resultado(comprobar(URL), monitor.SIN_RESPUESTA, None)


@responses.activate
def test_un_connecttimeout_es_sin_respuesta_y_no_conexion_rechazada():
    responses.add(responses.GET, URL, body=requests.ConnectTimeout("Connect timed out"))
    resultado = comprobar(URL)
    assert resultado.motivo != monitor.CONEXION_RECHAZADA, (
        "requests.ConnectTimeout es a la vez Timeout y ConnectionError: nadie rechazó la "
        "conexión, simplemente no contestó a tiempo. Si atrapas ConnectionError antes que "
        "Timeout, el ConnectTimeout cae en el except equivocado: pon primero Timeout."
    )
    comprobar_resultado(resultado, monitor.SIN_RESPUESTA, None)


@pytest.mark.parametrize(
    "error",
    [
        requests.exceptions.ChunkedEncodingError("la respuesta se cortó a medias"),
        requests.TooManyRedirects("demasiadas redirecciones"),
    ],
    ids=["respuesta_cortada", "demasiadas_redirecciones"],
)
@responses.activate
def test_cualquier_otro_fallo_de_requests_es_sin_respuesta(error):
    responses.add(responses.GET, URL, body=error)
    comprobar_resultado(comprobar(URL), monitor.SIN_RESPUESTA, None)


@responses.activate
def test_un_error_que_no_es_de_requests_no_se_esconde():
    # Un fallo del propio programa (aquí, uno fingido dentro de requests.get) no es un fallo
    # de red: tiene que verse, no convertirse en «sin respuesta».
    responses.add(responses.GET, URL, body=KeyError("un error del programa, no de la red"))
    try:
        resultado = monitor.comprobar(URL)
    except KeyError:
        return
    pytest.fail(
        f"requests.get lanzó un KeyError (un error del programa, no de la red) y comprobar "
        f"devolvió motivo={resultado.motivo!r} en vez de dejarlo pasar. Un `except Exception` "
        "(o un `except:` a secas) esconde los errores de tu código disfrazados de fallo del "
        "servidor: atrapa solo las excepciones de requests (requests.RequestException y sus "
        "hijas).",
        pytrace=False,
    )


@responses.activate
def test_comprobar_mide_los_segundos_tambien_cuando_falla():
    def tarda_y_responde(peticion):
        time.sleep(0.05)
        return 200, {}, cuerpo()

    def tarda_y_se_rinde(peticion):
        time.sleep(0.05)
        raise requests.ReadTimeout("Read timed out")

    responses.add_callback(responses.GET, URL, callback=tarda_y_responde)
    responses.add_callback(responses.GET, "http://web-002.ejemplo/salud", callback=tarda_y_se_rinde)
    for url in (URL, "http://web-002.ejemplo/salud"):
        resultado = comprobar(url)
        assert resultado.segundos >= 0.045, (
            f"El servidor {url} tardó 0,05 s y segundos dice {resultado.segundos!r}: mide el "
            "tiempo de toda la comprobación (time.perf_counter() antes y después), "
            "también cuando la petición falla"
        )


@responses.activate
def test_comprobar_rechaza_la_entrada_mala_antes_de_pedir_nada():
    valida = "comprobar empieza validando la URL y el timeout (validar_url, validar_timeout)."
    error = lanza(
        ValueError,
        "comprobar('ftp://web-001.ejemplo/salud')",
        lambda: monitor.comprobar("ftp://web-001.ejemplo/salud"),
        valida,
    )
    assert "ftp://web-001.ejemplo/salud" in str(error), (
        f"El mensaje debería citar la URL rechazada; dice: «{error}»"
    )
    lanza(
        ValueError, "comprobar(url, timeout=0)", lambda: monitor.comprobar(URL, timeout=0), valida
    )
    lanza(
        TypeError,
        "comprobar(url, timeout=None)",
        lambda: monitor.comprobar(URL, timeout=None),
        "Sin timeout no hay monitor. " + valida,
    )
    assert len(responses.calls) == 0, (
        "Con una entrada mala, comprobar no debería llegar a hacer la petición: valida primero"
    )


@POCOS
@given(
    timeout=st.one_of(TIMEOUTS_FUERA_DE_RANGO, NO_NUMEROS),
    url=st.one_of(st.just(URL), st.just("ftp://web-001.ejemplo/salud")),
)
@example(timeout=NAN, url=URL)
def test_propiedad_comprobar_rechaza_la_entrada_mala_sin_pedir_nada(timeout, url):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as simulado:
        simulado.add(responses.GET, URL, body=cuerpo())
        try:
            resultado = monitor.comprobar(url, timeout=timeout)
        except (TypeError, ValueError):
            pass  # bien: lo rechaza antes de preguntar
        except NotImplementedError:
            raise
        except Exception as error:  # noqa: BLE001 - se explica en el mensaje
            pytest.fail(
                f"comprobar({url!r}, timeout={timeout!r}) lanzó {type(error).__name__} "
                f"(«{error}») desde dentro: la entrada mala se rechaza ANTES de la petición, "
                "con validar_url y validar_timeout (TypeError o ValueError).",
                pytrace=False,
            )
        else:
            pytest.fail(
                f"Propiedad rota: con una entrada mala comprobar lanza TypeError o ValueError; "
                f"comprobar({url!r}, timeout={timeout!r}) devolvió {resultado}. "
                + por_que_fuera_de_rango(timeout),
                pytrace=False,
            )
        assert len(simulado.calls) == 0, (
            f"comprobar({url!r}, timeout={timeout!r}) hizo {len(simulado.calls)} petición "
            "antes de descubrir la entrada mala: valida primero"
        )


# --- Paso 5: comprobar_todos (con responses) (cuaderno: 6) ------------------------------------


def url_de(n):
    return f"http://web-{n:03d}.ejemplo/salud"


@responses.activate
def test_comprobar_todos_devuelve_un_resultado_por_url_en_el_orden_de_entrada():
    responses.add(responses.GET, url_de(3), body=cuerpo("web-003"), status=500)
    responses.add(responses.GET, url_de(1), body=cuerpo("web-001"))
    responses.add(responses.GET, url_de(2), body=requests.ConnectionError("Connection refused"))
    urls = [url_de(3), url_de(1), url_de(2)]
    resultados = comprobar_todos(urls)
    assert [r.url for r in resultados] == urls, (
        "comprobar_todos debe devolver los resultados en el orden de las URLs de entrada "
        f"(para poder emparejarlos con ellas).\nEntrada:   {urls}\n"
        f"Resultados: {[r.url for r in resultados]}"
    )
    motivos = [r.motivo for r in resultados]
    esperados = [monitor.ERROR_HTTP, monitor.OK, monitor.CONEXION_RECHAZADA]
    assert motivos == esperados, f"Se esperaban los motivos {esperados}; llegaron {motivos}"


@responses.activate
def test_comprobar_todos_no_se_salta_las_urls_repetidas():
    responses.add(responses.GET, url_de(1), body=cuerpo("web-001"))
    responses.add(responses.GET, url_de(2), body=cuerpo("web-002"))
    urls = [url_de(1), url_de(2), url_de(1)]
    resultados = comprobar_todos(urls)
    llegadas = [r.url for r in resultados]
    causa = (
        "Están todas, pero en otro orden: ¿las ordenas? Van en el orden de entrada."
        if sorted(llegadas) == sorted(urls)
        else "¿Usas un set o un dict por URL?"
    )
    assert llegadas == urls, (
        f"Con {len(urls)} URLs (una repetida) se esperaban {len(urls)} resultados en orden; "
        f"llegaron {llegadas}. {causa}"
    )


@responses.activate
def test_comprobar_todos_de_una_lista_vacia_es_una_lista_vacia():
    resultados = comprobar_todos([])
    assert resultados == [], f"comprobar_todos([]) debería devolver []; devolvió {resultados!r}"


@responses.activate
def test_comprobar_todos_usa_el_timeout_y_los_nombres_que_recibe():
    responses.add(responses.GET, url_de(1), body=cuerpo("web-001"))
    responses.add(responses.GET, url_de(2), body=cuerpo("web-002"))
    resultados = comprobar_todos(
        [url_de(1), url_de(2)], timeout=0.6, nombres={url_de(2): "web-009"}
    )
    timeouts = [llamada.request.req_kwargs.get("timeout") for llamada in responses.calls]
    assert timeouts == [0.6, 0.6], (
        f"comprobar_todos(..., timeout=0.6) debe pasar ese timeout a cada comprobación; "
        f"las peticiones llevaron {timeouts}"
    )
    motivos = [r.motivo for r in resultados]
    assert motivos == [monitor.OK, monitor.RESPUESTA_INCOHERENTE], (
        "Con nombres={url_2: 'web-009'}, la URL 2 contesta web-002: es incoherente; la 1 no "
        f"tiene nombre esperado y está sana. Se esperaba ['ok', 'respuesta incoherente']; "
        f"llegó {motivos}"
    )


@responses.activate
def test_comprobar_todos_valida_toda_la_entrada_antes_de_la_primera_peticion():
    responses.add(responses.GET, url_de(1), body=cuerpo("web-001"))
    error = lanza(
        ValueError,
        "comprobar_todos([url_1, 'ftp://web-002.ejemplo/salud'])",
        lambda: monitor.comprobar_todos([url_de(1), "ftp://web-002.ejemplo/salud"]),
    )
    assert "ftp://web-002.ejemplo/salud" in str(error), (
        f"El mensaje debería citar la URL rechazada; dice: «{error}»"
    )
    lanza(
        ValueError,
        "comprobar_todos([url_1], timeout=-1)",
        lambda: monitor.comprobar_todos([url_de(1)], timeout=-1),
    )
    assert len(responses.calls) == 0, (
        f"Se hizo {len(responses.calls)} petición (o más) antes de descubrir la entrada mala. "
        "Valida todas las URLs y el timeout antes de empezar: con 200 servidores, mejor "
        "enterarse al principio que a mitad."
    )


# Propiedad: con 0, 1 o muchas URLs (repetidas o no), un Resultado por URL, en su orden, con
# su motivo, y exactamente una petición por URL. Cada servidor simulado falla a su manera.
COMPORTAMIENTOS = {  # número de servidor → (lo que contesta, motivo esperado)
    1: ({"body": cuerpo("web-001")}, "OK"),
    2: ({"body": cuerpo("web-002"), "status": 503}, "ERROR_HTTP"),
    3: ({"body": requests.ConnectionError("Connection refused")}, "CONEXION_RECHAZADA"),
    4: ({"body": requests.ReadTimeout("Read timed out")}, "SIN_RESPUESTA"),
    5: ({"body": "<html>hola</html>"}, "RESPUESTA_INCOHERENTE"),
}


@POCOS
@given(numeros=st.lists(st.sampled_from(sorted(COMPORTAMIENTOS)), max_size=6))
@example(numeros=[])
@example(numeros=[4])
@example(numeros=[1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 1, 3])
def test_propiedad_comprobar_todos_da_un_resultado_por_url_en_orden(numeros):
    urls = [url_de(n) for n in numeros]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as simulado:
        for n, (respuesta, _) in COMPORTAMIENTOS.items():
            simulado.add(responses.GET, url_de(n), **respuesta)
        resultados = comprobar_todos(urls, timeout=0.5)
        peticiones = len(simulado.calls)
    assert isinstance(resultados, list), (
        f"comprobar_todos debe devolver una lista; devolvió {type(resultados).__name__}"
    )
    llegadas = [r.url for r in resultados]
    assert llegadas == urls, (
        f"Propiedad rota: con {len(urls)} URL(s), un Resultado por URL y en el mismo orden "
        f"(también las repetidas).\nEntrada:    {urls}\nResultados: {llegadas}"
    )
    motivos = [r.motivo for r in resultados]
    esperados = [getattr(monitor, COMPORTAMIENTOS[n][1]) for n in numeros]
    assert motivos == esperados, (
        f"Propiedad rota: cada URL con su motivo.\nSe esperaba: {esperados}\nLlegó:       {motivos}"
    )
    assert peticiones == len(urls), (
        f"Propiedad rota: una petición por URL; para {len(urls)} URL(s) se hicieron {peticiones}"
    )


@POCOS
@given(
    buenas=st.lists(URLS_BUENAS, max_size=5),
    mala=st.one_of(
        st.builds("ftp://{}/salud".format, MAQUINAS),
        st.sampled_from(["http://", "web-001/salud", "http://web 001/salud", "http://web:99999/"]),
    ),
    donde=st.floats(0, 1),
)
@example(buenas=[URL, URL], mala="http://web 001/salud", donde=0.5)
def test_propiedad_comprobar_todos_valida_todo_antes_de_la_primera_peticion(buenas, mala, donde):
    posicion = round(donde * len(buenas))
    urls = buenas[:posicion] + [mala] + buenas[posicion:]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as simulado:
        simulado.add(responses.GET, re.compile(r".*"), body=cuerpo())
        error = lanza(
            ValueError,
            f"comprobar_todos({urls!r})",
            lambda: monitor.comprobar_todos(urls),
            f"Propiedad rota: la URL {mala!r} (la {posicion + 1}.ª de {len(urls)}) no vale, y "
            "comprobar_todos debe rechazarla con ValueError antes de empezar.",
        )
        peticiones = len(simulado.calls)
    assert cita(mala, str(error)), (
        f"El mensaje debería citar la URL rechazada {mala!r}; dice: «{error}»"
    )
    assert peticiones == 0, (
        f"Propiedad rota: con una URL mala en la posición {posicion + 1} de {len(urls)}, "
        f"comprobar_todos hizo {peticiones} petición(es) antes de descubrirla. Valida todas "
        "las URLs y el timeout antes de la primera petición."
    )


# --- Pasos 4 y 5, de verdad: contra una flota real en 127.0.0.1 (cuaderno: 5, 6) --------------

# El timeout de lo que nunca contesta a tiempo (el lento, el colgado) es lo que cuesta esperar, y
# ahí se queda corto; lo que sí debe contestar lleva uno holgado: en una máquina cargada, un
# servidor sano (0,02 s) puede tardar más de 0,5 s en atenderse, y sería un «sin respuesta» falso.
TIMEOUT_FLOTA = 0.5
TIMEOUT_HOLGADO = 5.0
PISTA_COLGADO = (
    "Un servidor colgado acepta la conexión y no contesta nunca: sin timeout, requests lo "
    "espera para siempre. ¿Pasas el timeout a requests.get(url, timeout=timeout)?"
)
# avería de la flota → (nombre de la constante del motivo en monitor.py, estado_http)
ESPERADO = {
    None: ("OK", 200),
    "lento": ("SIN_RESPUESTA", None),  # tarda 1,5 s más de la cuenta; el timeout es de 0,5 s
    "colgado": ("SIN_RESPUESTA", None),  # acepta la conexión y no contesta nunca
    "error_500": ("ERROR_HTTP", 500),
    "error_503": ("ERROR_HTTP", 503),
    "html": ("RESPUESTA_INCOHERENTE", 200),
    "otro_nombre": ("RESPUESTA_INCOHERENTE", 200),
    "estado_no_ok": ("RESPUESTA_INCOHERENTE", 200),
    "json_roto": ("RESPUESTA_INCOHERENTE", 200),
    "puerto_cerrado": ("CONEXION_RECHAZADA", None),
}
# Los que no contestan a tiempo: su timeout es el corto.
NO_CONTESTAN = {a for a, (motivo, _) in ESPERADO.items() if motivo == "SIN_RESPUESTA"}


LATENCIA_UNO_A_UNO = 0.03


@pytest.fixture(scope="module", autouse=True)
def flotas(request):
    """Las dos flotas de estas pruebas, lanzadas al empezar el módulo (la flota no es código
    del alumno): cada una es un proceso que tarda en arrancar, y arranca mientras se ejecutan
    las demás pruebas. Solo si alguna de las que se van a ejecutar las usa (con -k, no siempre).

    - la averiada: 10 servidores, uno sano y uno con cada avería;
    - la sana, para medir el uno a uno: 8 servidores sanos.
    """
    if not any("en_la_flota" in item.fixturenames for item in request.session.items):
        yield None
        return
    averias = {averia: 0.1 for averia in AVERIAS}
    averiada = flota(servidores=10, latencia=0.02, semilla=2, averias=averias, latencia_lenta=1.5)
    sana = flota(servidores=8, latencia=LATENCIA_UNO_A_UNO)
    try:
        yield {"averiada": averiada.lanzar(), "sana": sana.lanzar()}
    finally:
        # Las dos a la vez: cada detener() espera a que su proceso salga.
        paradas = a_la_vez({"averiada": averiada.detener, "sana": sana.detener}, 15)
        for _, error in paradas.values():
            if error is not None:
                raise error


@pytest.fixture(scope="module")
def flota_averiada(flotas):
    """10 servidores: uno sano y uno con cada avería (arrancada: escuchando ya)."""
    return flotas["averiada"].arrancar()


def que_hace(averia):
    return "sano" if averia is None else f"con la avería {averia}"


def mitades_de(servidores):
    """Dos listas de 5 servidores, cada una con uno que no contesta a tiempo (lento, colgado)."""
    (lento,) = [s for s in servidores if s.averia == "lento"]
    (colgado,) = [s for s in servidores if s.averia == "colgado"]
    otros = [s for s in servidores if s not in (lento, colgado)]
    return [otros[0], otros[1], lento, otros[2], otros[3]], [*otros[4:], colgado]


def uno_a_uno(f):
    """comprobar_todos contra la flota sana con 2 y con 8 servidores, midiendo."""
    rondas = []
    for n in (2, 8):
        f.reiniciar_estadisticas()
        inicio = time.perf_counter()
        resultados = con_limite(10, comprobar_todos, f.urls[:n], que="comprobar_todos")
        rondas.append((n, resultados, time.perf_counter() - inicio, f.estadisticas))
    return rondas


@pytest.fixture(scope="module")
def en_la_flota(flotas, flota_averiada):
    """Todas las llamadas contra las flotas, hechas a la vez al empezar estas pruebas.

    Un servidor colgado o lento cuesta un timeout entero (0,5 s), pase lo que pase: uno tras
    otro serían 3 s de espera; a la vez, lo que tarde la más larga. El código del alumno se
    llama igual que siempre (comprobar_todos sigue yendo uno a uno); lo único simultáneo son
    las pruebas. Después, cada prueba mira el resultado de lo suyo.
    """
    tareas = {}
    for averia in ESPERADO:
        (servidor,) = flota_averiada.con_averia(averia)
        timeout = TIMEOUT_FLOTA if averia in NO_CONTESTAN else TIMEOUT_HOLGADO
        tareas[averia] = functools.partial(
            con_limite,
            timeout + 5,
            comprobar,
            servidor.url,
            timeout=timeout,
            nombre=servidor.nombre,
            que=f"comprobar(url, timeout={timeout}) contra un servidor {que_hace(averia)}",
            pista=PISTA_COLGADO,
        )
    for numero, servidores in enumerate(mitades_de(list(reversed(flota_averiada.servidores)))):
        tareas[f"mitad {numero + 1}"] = functools.partial(
            con_limite,
            10,
            comprobar_todos,
            [s.url for s in servidores],
            timeout=TIMEOUT_FLOTA,
            nombres={s.url: s.nombre for s in servidores},
            que="comprobar_todos contra 5 servidores (uno lento o colgado)",
            pista=PISTA_COLGADO,
        )
    tareas["uno a uno"] = functools.partial(uno_a_uno, flotas["sana"].arrancar())
    return a_la_vez(tareas, 30)


@pytest.mark.red_local
@pytest.mark.parametrize("averia", list(ESPERADO), ids=[a or "sano" for a in ESPERADO])
def test_contra_la_flota_cada_averia_da_su_motivo(flota_averiada, en_la_flota, averia):
    (servidor,) = flota_averiada.con_averia(averia)
    resultado = lo_que_dio(en_la_flota, averia, f"comprobar contra un servidor {que_hace(averia)}")
    constante, estado_http = ESPERADO[averia]
    motivo = getattr(monitor, constante)
    contesto = None
    if resultado.motivo == monitor.OK and motivo == monitor.RESPUESTA_INCOHERENTE:
        # Para explicar el fallo: lo que contesta este servidor, ¿lo acepta es_coherente?
        contesto = requests.get(servidor.url, timeout=2).text
    comprobar_resultado(
        resultado, motivo, estado_http, url=servidor.url, cuerpo=contesto, nombre=servidor.nombre
    )


@pytest.mark.red_local
def test_contra_la_flota_comprobar_todos_conserva_el_orden(flota_averiada, en_la_flota):
    mitades = mitades_de(list(reversed(flota_averiada.servidores)))
    for numero, servidores in enumerate(mitades):
        resultados = lo_que_dio(en_la_flota, f"mitad {numero + 1}", "comprobar_todos")
        urls = [s.url for s in servidores]
        assert [r.url for r in resultados] == urls, (
            "Los resultados deben ir en el orden de entrada.\n"
            f"Entrada:    {urls}\nResultados: {[r.url for r in resultados]}"
        )
        for servidor, resultado in zip(servidores, resultados, strict=True):
            motivo = getattr(monitor, ESPERADO[servidor.averia][0])
            assert resultado.motivo == motivo, (
                f"{servidor.nombre} ({que_hace(servidor.averia)}): se esperaba {motivo!r}; "
                f"llegó {resultado.motivo!r}. "
                + pista_del_motivo(resultado, motivo, desde="comprobar_todos")
            )


@pytest.mark.red_local
def test_contra_la_flota_uno_a_uno_tarda_al_menos_n_por_latencia(en_la_flota):
    latencia = LATENCIA_UNO_A_UNO
    for n, resultados, segundos, estadisticas in lo_que_dio(
        en_la_flota, "uno a uno", "comprobar_todos uno a uno"
    ):
        assert [r.motivo for r in resultados] == [monitor.OK] * n, (
            f"Los {n} servidores de esta flota están sanos: {resultados}"
        )
        assert estadisticas.peticiones == n, (
            f"Para {n} servidores se esperaban {n} peticiones, una por servidor; la flota "
            f"recibió {estadisticas.peticiones}"
        )
        assert estadisticas.en_curso_max == 1, (
            "Uno a uno, nunca hay dos peticiones en curso a la vez; la flota vio "
            f"{estadisticas.en_curso_max} (eso es el módulo 03)"
        )
        # Uno tras otro, los tiempos se suman: N servidores tardan al menos N x latencia.
        assert segundos >= 0.9 * n * latencia, (
            f"{n} servidores de {latencia} s cada uno, uno a uno, tardaron solo {segundos:.3f} s"
        )
        assert all(r.segundos >= 0.9 * latencia for r in resultados), (
            f"Cada servidor tarda al menos {latencia} s en contestar; segundos dice "
            f"{[round(r.segundos, 3) for r in resultados]}: mide con time.perf_counter() "
            "antes y después de la petición"
        )
        assert sum(r.segundos for r in resultados) <= segundos + 0.01, (
            "Uno a uno, la suma de los segundos de cada comprobación no puede pasar del "
            "tiempo total"
        )
