"""Pruebas del módulo 01. Van en el orden en que conviene escribir el código:
validar_puerto → validar_nombre_de_maquina → validar_ip → Servicio → Servidor.

Ejecútalas con:  pytest ejercicios/01
"""

import ipaddress
import string

import pytest

from taller.propiedades import example, given, settings, st, varios
from taller.pruebas import (
    cargar,
    lanza,
    rechaza_citando,
    rechaza_todos_citando,
    segun_lanza,
    sin_lanzar,
)
from taller.pruebas import cita_el_valor as cita

servidor = cargar("servidor")

# Las pruebas «con cualquier...» son pruebas de propiedades (Hypothesis): generan muchos valores
# (siempre los mismos, en cualquier máquina) y, si uno rompe la propiedad, lo reducen al más
# sencillo que la rompe y lo enseñan («Falsifying example»). La primera línea del fallo dice,
# en español, qué propiedad se ha roto.


def acepta(llamada, que, por_que):
    """El resultado de `llamada()`; si lanza, la prueba falla diciendo por qué debía aceptarse."""
    __tracebackhide__ = True
    return sin_lanzar(
        llamada,
        lambda error: (
            f"{que} lanzó {type(error).__name__} («{error}») y debía aceptarlo: {por_que}"
        ),
    )


def aceptados(validar, valores, por_que):
    """Cada valor de `valores` (los de `varios`) con lo que devuelve `validar(valor)`; si lo
    rechaza, la prueba falla diciendo por qué debía aceptarse (`por_que(valor)`)."""
    __tracebackhide__ = True
    for valor in valores:
        llamada = f"{validar.__name__}({valor!r})"
        yield valor, acepta(lambda valor=valor: validar(valor), llamada, por_que(valor))


def rechazan_con_typeerror(validar, valores, por_que, y_ademas=None):
    """Cada valor de `valores` (los de `varios`): `validar(valor)` debe lanzar TypeError; si no,
    la prueba falla diciendo por qué (`por_que(valor)`). `y_ademas(valor, error)`, si se da,
    comprueba algo más del error, valor a valor."""
    __tracebackhide__ = True
    for valor in valores:
        llamada = f"{validar.__name__}({valor!r})"
        error = lanza(TypeError, llamada, lambda valor=valor: validar(valor), por_que(valor))
        if y_ademas:
            y_ademas(valor, error)


def debe_citar(error, valor, que_es):
    """Falla si el mensaje de `error` no cita `valor`, que es `que_es` («el puerto»)."""
    __tracebackhide__ = True
    assert cita(error, valor), f"El mensaje debería citar {que_es} {valor!r}; dice: «{error}»"


# --- Paso 1: validar_puerto (cuaderno: 4) -----------------------------------------------------


@pytest.mark.parametrize("puerto", [1, 22, 80, 65535])
def test_validar_puerto_acepta_puertos_validos(puerto):
    assert servidor.validar_puerto(puerto) == puerto, (
        f"validar_puerto({puerto}) debería devolver {puerto}"
    )


@pytest.mark.parametrize("puerto", [0, -1, 65536, 100000])
def test_validar_puerto_rechaza_fuera_de_rango_con_valueerror(puerto):
    rechaza_citando(
        servidor.validar_puerto, puerto, "Un puerto válido está entre 1 y 65535.", "el puerto"
    )


@pytest.mark.parametrize("puerto", ["80", 80.0, None])
def test_validar_puerto_rechaza_lo_que_no_es_entero_con_typeerror(puerto):
    lanza(
        TypeError,
        f"validar_puerto({puerto!r})",
        lambda: servidor.validar_puerto(puerto),
        "Un puerto es un int: no conviertas textos ni decimales, recházalos con TypeError.",
    )


@pytest.mark.parametrize("puerto", [True, False])
def test_validar_puerto_rechaza_booleanos(puerto):
    # True es un int en Python (True == 1): isinstance(True, int) da True.
    lanza(
        TypeError,
        f"validar_puerto({puerto})",
        lambda: servidor.validar_puerto(puerto),
        f"bool es una subclase de int ({puerto} vale {int(puerto)}): compruébalo aparte con "
        "isinstance(puerto, bool)",
    )


@varios(
    st.integers(1, 65535),
    1,
    65535,
    ejemplos=8,
)
def test_validar_puerto_acepta_cualquier_entero_de_1_a_65535(puertos):
    def por_que(puerto):
        return f"{puerto} es un puerto válido (de 1 a 65535)."

    for puerto, devuelto in aceptados(servidor.validar_puerto, puertos, por_que):
        assert devuelto == puerto and type(devuelto) is int, (
            f"validar_puerto({puerto}) debería devolver el mismo entero {puerto}; devolvió {devuelto!r}"
        )


@varios(
    st.one_of(st.integers(max_value=0), st.integers(min_value=65536)),
    0,
    65536,
    -65535,
    ejemplos=8,
)
def test_validar_puerto_rechaza_cualquier_entero_fuera_de_rango(puertos):
    for puerto in puertos:
        rechaza_citando(
            servidor.validar_puerto,
            puerto,
            f"El puerto {puerto} se aceptó y está fuera de rango: un puerto va de 1 a 65535.",
            "el puerto",
        )


NO_SON_ENTEROS = st.one_of(
    st.booleans(),
    st.floats(),
    st.integers(1, 65535).map(str),
    st.text(max_size=4),
    st.none(),
    st.lists(st.integers(1, 65535), max_size=2),
)


@varios(
    NO_SON_ENTEROS,
    True,
    80.0,
    "80",
    ejemplos=8,
)
def test_validar_puerto_rechaza_con_typeerror_cualquier_cosa_que_no_sea_un_int(valores):
    def por_que(valor):
        booleano = (
            " bool es una subclase de int (True vale 1): compruébalo aparte con "
            "isinstance(puerto, bool)."
            if isinstance(valor, bool)
            else ""
        )
        return (
            f"{valor!r} ({type(valor).__name__}) se aceptó como puerto y un puerto es un int: "
            f"no lo conviertas, recházalo.{booleano}"
        )

    def cita_el_valor(valor, error):
        assert cita(error, valor), (
            f"El mensaje del TypeError debería citar el valor rechazado {valor!r}; dice: «{error}»"
        )

    rechazan_con_typeerror(servidor.validar_puerto, valores, por_que, cita_el_valor)


# --- Paso 2: validar_nombre_de_maquina (cuaderno: 4) ------------------------------------------


@pytest.mark.parametrize(
    "nombre", ["servidor.produccion.es", "web-01", "db1.interno.ejemplo.com", "a" * 63]
)
def test_validar_nombre_acepta_nombres_de_maquina(nombre):
    devuelto = servidor.validar_nombre_de_maquina(nombre)
    assert devuelto == nombre, (
        f"validar_nombre_de_maquina({nombre!r}) debería devolver el nombre tal cual; "
        f"devolvió {devuelto!r}"
    )


@pytest.mark.parametrize(
    "nombre",
    ["", "con espacio.es", "-guion.es", "guion-.es", "dos..puntos.es", "ñandú.es", "a" * 64],
)
def test_validar_nombre_rechaza_nombres_invalidos_nombrando_el_valor(nombre):
    rechaza_citando(
        servidor.validar_nombre_de_maquina,
        nombre,
        "Cada etiqueta entre puntos lleva de 1 a 63 letras (sin tildes ni ñ), dígitos o "
        "guiones, y no empieza ni acaba en guion.",
        "el nombre rechazado",
    )


def test_validar_nombre_rechaza_lo_que_no_es_texto():
    lanza(
        TypeError,
        "validar_nombre_de_maquina(42)",
        lambda: servidor.validar_nombre_de_maquina(42),
        "Un nombre de máquina es un str: comprueba el tipo antes de mirar su contenido.",
    )


ALFANUMERICOS = string.ascii_letters + string.digits


def etiqueta(numero):
    """La etiqueta válida (1 a 63 letras ASCII, dígitos o guiones, sin guion en los extremos) que
    corresponde a un número: sus cifras en base 63. Generar un número es mucho más rápido que
    generar el texto carácter a carácter, y Hypothesis lo reduce igual de bien (0 → "a")."""
    letras = [ALFANUMERICOS[numero % 62]]
    numero //= 62
    while numero:
        letras.append((ALFANUMERICOS + "-")[numero % 63])
        numero //= 63
    if letras[-1] == "-":
        letras.append("x")
    return "".join(letras)


ETIQUETAS = st.one_of(st.integers(0, 62 * 63**12).map(etiqueta), st.just("a" * 63))
NOMBRES_VALIDOS = (
    st.lists(ETIQUETAS, min_size=1, max_size=4).map(".".join).filter(lambda n: len(n) <= 253)
)
# 253 caracteres justos: el máximo.
NOMBRE_MAS_LARGO = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])

# Lo que no puede ir en un nombre de máquina, y cómo se dice.
NO_VALEN_EN_UN_NOMBRE = {
    " ": "un espacio",
    "\t": "un tabulador",
    "\n": "un salto de línea",
    "_": "un guion bajo",
    "/": "una barra",
    ":": "dos puntos",
    "ñ": "una letra que no es ASCII (ñ)",
    "é": "una letra con tilde (é)",
    "٣": "una cifra que no es ASCII (٣, un 3 árabe: isdigit() e isalnum() lo dan por bueno)",
}
SALTO_FINAL = (
    "lleva un salto de línea al final. ¿Usas match con un $? El $ casa también justo antes "
    "de un salto de línea final: usa fullmatch, que exige que case el texto entero"
)


@st.composite
def nombres_invalidos(draw):
    """(nombre, por qué no vale): un nombre válido estropeado de una de varias formas."""
    nombre = draw(NOMBRES_VALIDOS)
    etiquetas = nombre.split(".")
    i = draw(st.integers(0, len(etiquetas) - 1))
    forma = draw(st.sampled_from(["salto", "caracter", "guiones", "vacia", "larga", "total"]))
    if forma == "salto":
        return nombre + "\n", SALTO_FINAL
    if forma == "caracter":
        caracter = draw(st.sampled_from(sorted(NO_VALEN_EN_UN_NOMBRE)))
        donde = draw(st.integers(0, len(nombre)))
        return nombre[:donde] + caracter + nombre[
            donde:
        ], f"lleva {NO_VALEN_EN_UN_NOMBRE[caracter]}"
    if forma == "guiones":
        if draw(st.booleans()):
            etiquetas[i] = "-" + etiquetas[i]
            return ".".join(etiquetas), "una etiqueta empieza por guion"
        etiquetas[i] += "-"
        return ".".join(etiquetas), "una etiqueta acaba en guion"
    if forma == "vacia":
        etiquetas.insert(draw(st.integers(0, len(etiquetas))), "")
        return ".".join(etiquetas), (
            "tiene una etiqueta vacía (dos puntos seguidos, o un punto al principio o al final)"
        )
    if forma == "larga":
        etiquetas[i] = "a" * 64
        return ".".join(etiquetas), "una etiqueta tiene 64 caracteres (el máximo es 63)"
    largo = ".".join([nombre, *["x" * 63] * 4])
    return largo, f"tiene {len(largo)} caracteres (el máximo es 253)"


@varios(
    NOMBRES_VALIDOS,
    NOMBRE_MAS_LARGO,
    "0",
    ejemplos=10,
)
def test_validar_nombre_acepta_cualquier_nombre_de_maquina_valido(nombres):
    por_que = (
        "es un nombre válido: etiquetas de 1 a 63 letras ASCII, dígitos o guiones (sin guion "
        "en los extremos), separadas por puntos, 253 caracteres como mucho."
    )
    validar = servidor.validar_nombre_de_maquina
    for nombre, devuelto in aceptados(validar, nombres, lambda _: por_que):
        assert devuelto == nombre, (
            f"validar_nombre_de_maquina({nombre!r}) debería devolver el nombre tal cual; "
            f"devolvió {devuelto!r}"
        )


def por_que_no_vale(nombre, por_que):
    """La explicación de por qué `nombre` no vale; si el validador quita los espacios de
    alrededor (strip) antes de mirar el nombre, dice eso, que es lo que hay que cambiar."""
    no_vale = f"El nombre {nombre!r} se aceptó y no es válido: {por_que}."
    limpio = nombre.strip()
    if limpio == nombre or not limpio:
        return no_vale
    return segun_lanza(
        lambda: servidor.validar_nombre_de_maquina(f" {limpio} "),
        Exception,
        si_lanza=no_vale,
        si_no=(
            f"validar_nombre_de_maquina({f' {limpio} '!r}) también se acepta: ¿quitas los "
            "espacios de alrededor con strip()? Un nombre con espacios o saltos de línea no es "
            "válido: recházalo (ValueError), no lo arregles."
        ),
    )


@varios(
    nombres_invalidos(),
    ("web.es\n", SALTO_FINAL),
    ("", "está vacío"),
    ejemplos=13,
)
def test_validar_nombre_rechaza_cualquier_nombre_invalido_citandolo(casos):
    rechaza_todos_citando(
        servidor.validar_nombre_de_maquina, casos, por_que_no_vale, "el nombre rechazado"
    )


@varios(
    st.one_of(st.integers(), st.none(), st.binary(max_size=8), st.lists(ETIQUETAS, max_size=2)),
    b"web.es",
    ejemplos=6,
)
def test_validar_nombre_rechaza_con_typeerror_cualquier_cosa_que_no_sea_texto(valores):
    rechazan_con_typeerror(
        servidor.validar_nombre_de_maquina,
        valores,
        lambda valor: (
            f"{valor!r} ({type(valor).__name__}) se aceptó como nombre y un nombre de máquina "
            "es un str: comprueba el tipo antes de mirar su contenido."
        ),
    )


# --- Paso 3: validar_ip (cuaderno: 4) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "normalizada"),
    [("10.0.0.1", "10.0.0.1"), ("::1", "::1"), ("2001:DB8:0:0::1", "2001:db8::1")],
)
def test_validar_ip_acepta_ipv4_e_ipv6_y_las_normaliza(ip, normalizada):
    assert servidor.validar_ip(ip) == normalizada, (
        f"validar_ip({ip!r}) debería devolver {normalizada!r} (la forma de str(ipaddress.ip_address(...)))"
    )


@pytest.mark.parametrize("ip", ["999.1.1.1", "10.0.0", "servidor.es", "", "1.2.3.4/24"])
def test_validar_ip_rechaza_ips_invalidas_nombrando_el_valor(ip):
    error = rechaza_citando(
        servidor.validar_ip,
        ip,
        "ipaddress.ip_address lo rechaza: deja que lance y cambia su mensaje por uno tuyo.",
        "la IP rechazada",
    )
    mensaje_propio(error)


def mensaje_propio(error):
    """El ValueError de validar_ip tiene que ser uno propio, en español, no el de ipaddress."""
    assert "does not appear" not in str(error), (
        f"validar_ip deja salir el ValueError de ipaddress, en inglés («{error}»): captúralo "
        "(except ValueError) y lanza uno tuyo, en español, que cite la IP."
    )


def formas_de_escribir(ip):
    """Textos que ipaddress lee como la misma IP: la forma corta y, en IPv6, la larga y en mayúsculas."""
    formas = [str(ip)]
    if ip.version == 6:
        formas += [ip.exploded, ip.exploded.upper(), str(ip).upper()]
    return formas


# (cómo se escribe, su forma normalizada)
IPS_ESCRITAS = st.ip_addresses().flatmap(
    lambda ip: st.sampled_from(formas_de_escribir(ip)).map(lambda texto: (texto, str(ip)))
)
CIFRAS_NO_ASCII = {"1": "١", "2": "２", "3": "٣", "0": "０"}  # una árabe, una de ancho completo...


@st.composite
def ips_invalidas(draw):
    """(texto, por qué no es una IP): una IP válida estropeada de una de varias formas."""
    ip = draw(st.ip_addresses())
    texto = str(ip)
    forma = draw(st.sampled_from(["espacio", "cifra", "mascara", "ceros", "octeto", "partes"]))
    if forma == "espacio":
        hueco = draw(st.sampled_from([" ", "\n", "\t"]))
        donde = draw(st.sampled_from([0, len(texto), draw(st.integers(0, len(texto)))]))
        nombre = {" ": "un espacio", "\n": "un salto de línea", "\t": "un tabulador"}[hueco]
        return texto[:donde] + hueco + texto[donde:], f"lleva {nombre}"
    if forma == "cifra" and any(c in CIFRAS_NO_ASCII for c in texto):
        cifra = draw(st.sampled_from([c for c in CIFRAS_NO_ASCII if c in texto]))
        return texto.replace(cifra, CIFRAS_NO_ASCII[cifra], 1), (
            "lleva una cifra que no es ASCII (int() la entiende, ipaddress no)"
        )
    if forma == "mascara":
        return f"{texto}/{draw(st.integers(0, 32))}", "lleva una máscara: eso es una red, no una IP"
    if ip.version == 6:
        return texto + ":::1", "una IPv6 no puede llevar ::: (ni dos ::)"
    octetos = texto.split(".")
    i = draw(st.integers(0, 3))
    if forma == "ceros":
        octetos[i] = "0" + octetos[i]
        return ".".join(octetos), (
            "un octeto lleva un cero a la izquierda (010 es 8 en octal para muchos programas)"
        )
    if forma == "octeto":
        octetos[i] = str(draw(st.integers(256, 999)))
        return ".".join(octetos), f"el octeto {octetos[i]} pasa de 255"
    if draw(st.booleans()):
        return ".".join(octetos[:3]), "tiene 3 octetos (una IPv4 tiene 4)"
    return ".".join([*octetos, "1"]), "tiene 5 octetos (una IPv4 tiene 4)"


@varios(
    IPS_ESCRITAS,
    ("2001:DB8:0:0::1", "2001:db8::1"),
    ("0.0.0.0", "0.0.0.0"),
    ejemplos=10,
)
def test_validar_ip_acepta_cualquier_ip_y_la_normaliza(casos):
    normalizadas = dict(casos)

    def por_que(texto):
        return f"es una IP válida (IPv{ipaddress.ip_address(texto).version})."

    for texto, devuelta in aceptados(servidor.validar_ip, normalizadas, por_que):
        normalizada = normalizadas[texto]
        assert devuelta == normalizada, (
            f"validar_ip({texto!r}) debería devolver la forma normalizada {normalizada!r} "
            f"(str(ipaddress.ip_address(...))); devolvió {devuelta!r}"
        )


@varios(
    ips_invalidas(),
    ("010.0.0.1", "un octeto lleva un cero a la izquierda"),
    ("10.0.0.1\n", "lleva un salto de línea"),
    (" 10.0.0.1", "lleva un espacio"),
    ("١٠.0.0.1", "lleva cifras que no son ASCII"),
    ejemplos=13,
)
def test_validar_ip_rechaza_cualquier_texto_que_no_es_una_ip_citandolo(casos):
    for texto, por_que in casos:
        error = rechaza_citando(
            servidor.validar_ip,
            texto,
            f"{texto!r} se aceptó y no es una IP: {por_que}. Deja que ipaddress.ip_address lo "
            "decida (no partas el texto tú) y cambia su error por uno tuyo.",
            "la IP rechazada",
        )
        mensaje_propio(error)


@varios(
    st.one_of(st.integers(0, 2**32 - 1), st.binary(min_size=4, max_size=4), st.none()),
    167772161,
    b"\n\x00\x00\x01",
    ejemplos=6,
)
def test_validar_ip_rechaza_con_typeerror_cualquier_cosa_que_no_sea_texto(valores):
    rechazan_con_typeerror(
        servidor.validar_ip,
        valores,
        lambda valor: (
            f"{valor!r} ({type(valor).__name__}) se aceptó como IP y una IP del inventario es "
            "un texto. Ojo: ipaddress.ip_address acepta también enteros (167772161 es 10.0.0.1) "
            "y 4 o 16 bytes; comprueba el tipo antes de llamarla."
        ),
    )


# --- Paso 4: Servicio (cuaderno: 1, 5) --------------------------------------------------------


def test_servicio_guarda_nombre_puertos_y_protocolo_por_defecto_tcp():
    http = servidor.Servicio("http", 80)
    obtenido = (http.nombre, http.puertos, http.protocolo)
    assert obtenido == ("http", (80,), "tcp"), (
        "Servicio('http', 80) debería tener nombre 'http', puertos (80,) y protocolo 'tcp'; "
        f"tiene {obtenido!r}"
    )


def test_servicio_acepta_varios_puertos_como_tupla():
    web = servidor.Servicio("web", [80, 443])
    assert web.puertos == (80, 443), f"Se esperaban los puertos (80, 443); llegó {web.puertos!r}"


def test_servicio_guarda_el_protocolo_en_minusculas():
    protocolo = servidor.Servicio("dns", 53, "UDP").protocolo
    assert protocolo == "udp", (
        f"Servicio('dns', 53, 'UDP') debería guardar el protocolo en minúsculas ('udp'); "
        f"guardó {protocolo!r}"
    )


@pytest.mark.parametrize("protocolo", ["icmp", "", "http"])
def test_servicio_rechaza_protocolos_desconocidos(protocolo):
    error = lanza(
        ValueError,
        f"Servicio('raro', 1, {protocolo!r})",
        lambda: servidor.Servicio("raro", 1, protocolo),
        "El protocolo solo puede ser 'tcp' o 'udp'.",
    )
    debe_citar(error, protocolo, "el protocolo")


# Por qué Servicio('web', [80, True]) debía lanzar TypeError: ¿falla validar_puerto o Servicio?
POR_QUE_TRUE_NO_ES_UN_PUERTO = segun_lanza(
    lambda: servidor.validar_puerto(True),
    TypeError,
    si_lanza="True no es un puerto: pasa cada puerto de la lista por validar_puerto.",
    si_no=(
        "validar_puerto(True) tampoco lanza TypeError: bool es una subclase de int, "
        "compruébalo aparte con isinstance(puerto, bool)."
    ),
)


def test_servicio_valida_cada_puerto():
    lanza(
        ValueError,
        "Servicio('web', [80, 70000])",
        lambda: servidor.Servicio("web", [80, 70000]),
        "Pasa cada puerto de la lista por validar_puerto, no solo el primero.",
    )
    lanza(
        TypeError,
        "Servicio('web', [80, True])",
        lambda: servidor.Servicio("web", [80, True]),
        POR_QUE_TRUE_NO_ES_UN_PUERTO,
    )
    lanza(
        TypeError,
        "Servicio('web', [1, True])",
        lambda: servidor.Servicio("web", [1, True]),
        "True no es un puerto (aunque True == 1): valida cada puerto con validar_puerto ANTES "
        "de buscar repetidos; si no, el error dice «repetido» y el fallo es otro.",
    )
    error = lanza(
        TypeError,
        "Servicio('web', [80, [1]])",
        lambda: servidor.Servicio("web", [80, [1]]),
        "[1] no es un puerto: pasa cada puerto de la lista por validar_puerto.",
    )
    assert cita(error, [1]), (
        "El TypeError de Servicio('web', [80, [1]]) debería ser el tuyo, en español, citando "
        f"el puerto rechazado [1] (el de validar_puerto); dice: «{error}»"
    )


def test_servicio_rechaza_puertos_repetidos():
    lanza(
        ValueError,
        "Servicio('web', [80, 443, 80])",
        lambda: servidor.Servicio("web", [80, 443, 80]),
        "Un puerto repetido es un error en los datos, no algo que haya que arreglar en silencio.",
    )


@pytest.mark.parametrize("nombre", ["", "   "])
def test_servicio_rechaza_nombre_vacio(nombre):
    lanza(
        ValueError,
        f"Servicio({nombre!r}, 80)",
        lambda: servidor.Servicio(nombre, 80),
        "El nombre no puede estar vacío (ni ser solo espacios: mira nombre.strip()).",
    )


def test_servicio_no_se_queda_con_la_lista_del_llamador():
    puertos = [80, 443]
    web = servidor.Servicio("web", puertos)
    puertos.append(8080)
    assert web.puertos == (80, 443), (
        "Cambiar la lista que se pasó al constructor cambió el servicio: guarda una copia "
        f"(una tupla). Puertos ahora: {web.puertos!r}"
    )


def test_servicios_con_los_mismos_datos_son_iguales():
    assert servidor.Servicio("ssh", 22) == servidor.Servicio("ssh", 22), (
        "Dos Servicio('ssh', 22) deberían ser iguales: __eq__ debe comparar los datos, "
        "no la identidad"
    )
    assert servidor.Servicio("ssh", 22) != servidor.Servicio("ssh", 2222), (
        "Servicio('ssh', 22) y Servicio('ssh', 2222) salen iguales: __eq__ debe comparar "
        "también los puertos"
    )
    assert servidor.Servicio("dns", 53, "tcp") != servidor.Servicio("dns", 53, "udp"), (
        "Servicio('dns', 53, 'tcp') y Servicio('dns', 53, 'udp') salen iguales: __eq__ debe "
        "comparar también el protocolo"
    )


def test_repr_de_servicio_muestra_sus_datos():
    texto = repr(servidor.Servicio("https", 443))
    for trozo in ("Servicio", "https", "443", "tcp"):
        assert trozo in texto, f"repr(Servicio('https', 443)) debería contener {trozo!r}: {texto}"


PROTOCOLOS_EN_CUALQUIER_MAYUSCULA = st.sampled_from(["tcp", "udp"]).flatmap(
    lambda p: st.tuples(*[st.sampled_from([c, c.upper()]) for c in p]).map("".join)
)


@st.composite
def protocolos_invalidos(draw):
    """Textos que no son tcp ni udp, también los que se les parecen mucho."""
    casi = draw(PROTOCOLOS_EN_CUALQUIER_MAYUSCULA)
    pegado = draw(st.sampled_from([" ", "\n", "\t", "6", "s", "\x00"]))
    return draw(
        st.one_of(
            st.just(pegado + casi),
            st.just(casi + pegado),
            st.just(casi[:-1]),
            st.text(max_size=5).filter(lambda t: t.lower() not in ("tcp", "udp")),
        )
    )


@varios(
    PROTOCOLOS_EN_CUALQUIER_MAYUSCULA,
    "tcp",
    "UDP",
    "Tcp",
    ejemplos=6,
)
def test_servicio_acepta_tcp_y_udp_en_cualquier_mayuscula(protocolos):
    for protocolo in protocolos:
        guardado = acepta(
            lambda protocolo=protocolo: servidor.Servicio("web", 80, protocolo).protocolo,
            f"Servicio('web', 80, {protocolo!r})",
            "el protocolo es tcp o udp en cualquier mayúscula.",
        )
        assert guardado == protocolo.lower(), (
            f"Servicio('web', 80, {protocolo!r}) debería guardar el protocolo en minúsculas "
            f"({protocolo.lower()!r}); guardó {guardado!r}"
        )


@varios(
    protocolos_invalidos(),
    "tcp\n",
    " udp",
    "ｔｃｐ",
    ejemplos=10,
)
def test_servicio_rechaza_cualquier_otro_protocolo_citandolo(protocolos):
    for protocolo in protocolos:
        error = lanza(
            ValueError,
            f"Servicio('web', 80, {protocolo!r})",
            lambda protocolo=protocolo: servidor.Servicio("web", 80, protocolo),
            f"El protocolo {protocolo!r} se aceptó y no es 'tcp' ni 'udp': solo cambia la "
            "mayúscula, no se quitan espacios ni se adivina nada.",
        )
        debe_citar(error, protocolo, "el protocolo")


ESPACIOS = st.text(st.sampled_from(" \t\n\r\x0b\x0c\u00a0\u3000"), max_size=4)


@varios(
    st.tuples(ESPACIOS, st.text(min_size=1, max_size=8), ESPACIOS).map("".join),
    "http",
    " ssh ",
    "servicio web",
    ejemplos=6,
)
def test_servicio_acepta_cualquier_nombre_con_algo_que_no_sea_espacio(nombres):
    for nombre in nombres:
        if not nombre.strip():
            nombre = nombre + "x"
        guardado = acepta(
            lambda nombre=nombre: servidor.Servicio(nombre, 80).nombre,
            f"Servicio({nombre!r}, 80)",
            "el nombre de un servicio puede ser cualquier texto que no esté vacío ni sea solo "
            "espacios.",
        )
        assert guardado == nombre, (
            f"Servicio({nombre!r}, 80) debería guardar el nombre tal cual; guardó {guardado!r}"
        )


@varios(
    ESPACIOS,
    "\t\n",
    ejemplos=6,
)
def test_servicio_rechaza_cualquier_nombre_vacio_o_de_solo_espacios(nombres):
    for nombre in nombres:
        lanza(
            ValueError,
            f"Servicio({nombre!r}, 80)",
            lambda nombre=nombre: servidor.Servicio(nombre, 80),
            f"El nombre {nombre!r} se aceptó y está vacío o es solo espacios (también "
            "tabuladores y saltos de línea): mira nombre.strip().",
        )


PUERTOS_DISTINTOS = st.lists(st.integers(1, 65535), min_size=1, max_size=12, unique=True)


@settings(max_examples=10, report_multiple_bugs=False)
@given(PUERTOS_DISTINTOS, st.sampled_from([list, tuple]))
@example([80], list)
@example(list(range(1, 200)), list)
def test_servicio_guarda_cualquier_lista_de_puertos_distintos_como_tupla(puertos, tipo):
    recibidos = tipo(puertos)
    guardados = acepta(
        lambda: servidor.Servicio("web", recibidos).puertos,
        f"Servicio('web', {recibidos!r})",
        "son puertos válidos y distintos.",
    )
    assert isinstance(guardados, tuple) and guardados == tuple(puertos), (
        f"Servicio('web', {recibidos!r}) debería guardar los puertos como la tupla "
        f"{tuple(puertos)!r}, en el mismo orden; guardó {guardados!r}"
    )
    if tipo is list:
        recibidos.append(0)
        assert servidor.Servicio("otro", puertos).puertos == tuple(puertos), (
            "Cambiar la lista que se pasó a un Servicio cambió otro servicio: guarda una tupla nueva"
        )


# Un número cualquiera para elegir una posición o un elemento (módulo su longitud): así la
# prueba no necesita st.data() y admite ejemplos fijos con @example.
ELECCION = st.integers(0, 10**6)


@settings(max_examples=10, report_multiple_bugs=False)
@given(PUERTOS_DISTINTOS, ELECCION, ELECCION)
@example([80, 443], 0, 2)
@example([1, 65535], 1, 0)
def test_servicio_rechaza_cualquier_lista_con_un_puerto_repetido(puertos, cual, donde):
    repetido = puertos[cual % len(puertos)]
    donde %= len(puertos) + 1
    con_repetido = [*puertos[:donde], repetido, *puertos[donde:]]
    acepta(
        lambda: servidor.Servicio("web", puertos),
        f"Servicio('web', {puertos!r})",
        "son puertos válidos (de 1 a 65535) y distintos.",
    )
    error = lanza(
        ValueError,
        f"Servicio('web', {con_repetido!r})",
        lambda: servidor.Servicio("web", con_repetido),
        f"Se aceptaron los puertos {con_repetido!r}, y el {repetido} está repetido: un "
        "puerto repetido es un error en los datos, no algo que se quite en silencio.",
    )
    assert str(repetido) in str(error), (
        f"El mensaje debería citar el puerto repetido {repetido}; dice: «{error}»"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(
    PUERTOS_DISTINTOS,
    st.one_of(st.integers(max_value=0), st.integers(min_value=65536), NO_SON_ENTEROS),
    ELECCION,
)
@example([80], 70000, 1)
@example([80, 443], True, 1)
def test_servicio_rechaza_cualquier_lista_con_un_puerto_invalido_donde_sea(puertos, malo, donde):
    donde %= len(puertos) + 1
    con_malo = [*puertos[:donde], malo, *puertos[donde:]]
    tipo = ValueError if type(malo) is int else TypeError
    lanza(
        tipo,
        f"Servicio('web', {con_malo!r})",
        lambda: servidor.Servicio("web", con_malo),
        f"Se aceptaron los puertos {con_malo!r}, y {malo!r} (en la posición {donde}) no es un "
        "puerto válido: pasa cada uno por validar_puerto.",
    )


def test_servicio_rechaza_una_lista_de_puertos_vacia():
    for vacia in ([], ()):
        lanza(
            ValueError,
            f"Servicio('web', {vacia!r})",
            lambda vacia=vacia: servidor.Servicio("web", vacia),
            "Un servicio necesita al menos un puerto: una lista vacía es un error (ValueError).",
        )


@pytest.mark.parametrize("nombre", [None, 123, ["a"]])
def test_servicio_rechaza_un_nombre_que_no_es_texto(nombre):
    lanza(
        TypeError,
        f"Servicio({nombre!r}, 80)",
        lambda: servidor.Servicio(nombre, 80),
        "El nombre de un servicio es un str: compruébalo con isinstance(nombre, str) antes de "
        "mirar nombre.strip() (str(nombre) convertiría cualquier cosa en texto).",
    )


@pytest.mark.parametrize("protocolo", [None, 5])
def test_servicio_rechaza_un_protocolo_que_no_es_texto(protocolo):
    error = lanza(
        TypeError,
        f"Servicio('web', 80, {protocolo!r})",
        lambda: servidor.Servicio("web", 80, protocolo),
        "El protocolo es un str: compruébalo con isinstance antes de llamar a protocolo.lower().",
    )
    assert cita(error, protocolo), (
        f"El TypeError debería ser el tuyo, en español, citando el protocolo {protocolo!r}; "
        f"dice: «{error}»"
    )


@pytest.mark.parametrize("puertos", [{80, 443}, {80: "http"}, "80"], ids=["set", "dict", "str"])
def test_servicio_rechaza_puertos_que_no_son_int_lista_ni_tupla(puertos):
    error = lanza(
        TypeError,
        f"Servicio('web', {puertos!r})",
        lambda: servidor.Servicio("web", puertos),
        f"Los puertos son un int, una lista o una tupla; un {type(puertos).__name__} no vale "
        "(un set no tiene orden, un dict o un texto no son puertos): compruébalo con isinstance.",
    )
    assert cita(error, puertos), (
        f"El TypeError debería citar los puertos rechazados {puertos!r}; dice: «{error}»"
    )


@pytest.mark.parametrize("puerto", [0, True, 70000])
def test_servicio_pasa_un_puerto_suelto_por_validar_puerto(puerto):
    lanza(
        TypeError if isinstance(puerto, bool) else ValueError,
        f"Servicio('x', {puerto!r})",
        lambda: servidor.Servicio("x", puerto),
        f"{puerto!r} no es un puerto válido: un puerto suelto también pasa por validar_puerto.",
    )


def test_un_servicio_no_es_igual_a_otra_cosa():
    ssh = servidor.Servicio("ssh", 22)
    for otro in ("ssh", 22, None, ("ssh", (22,), "tcp")):
        igual = sin_lanzar(
            lambda otro=otro: ssh == otro,
            lambda error, otro=otro: (
                f"Servicio('ssh', 22) == {otro!r} lanzó {type(error).__name__} («{error}»). Si el "
                "otro no es un Servicio, __eq__ debe devolver NotImplemented (compruébalo con "
                "isinstance) antes de mirar sus atributos: así == da False."
            ),
        )
        assert igual is False, f"Servicio('ssh', 22) == {otro!r} debería dar False; da {igual!r}"


def copia_con_eval(objeto, clase):
    """eval(repr(objeto)) con Servicio y Servidor a mano; si no se puede, la prueba lo explica."""
    texto = repr(objeto)
    espacio = {"Servicio": servidor.Servicio, "Servidor": servidor.Servidor}
    return sin_lanzar(
        lambda: eval(texto, espacio),  # noqa: S307 - es el repr del alumno, con datos generados
        lambda error: (
            f"eval(repr(x)) lanzó {type(error).__name__} («{error}»): repr(x) es {texto!r}, que "
            f"no es código Python que cree un {clase} igual. Escribe cada dato con !r "
            f'(f"{clase}({{self._nombre!r}}, ...)"), que pone las comillas a los textos.'
        ),
    )


NOMBRES_DE_SERVICIO = st.text(min_size=1, max_size=6).filter(str.strip)
DATOS_DE_SERVICIO = st.tuples(
    NOMBRES_DE_SERVICIO,
    st.one_of(
        st.integers(1, 65535), st.lists(st.integers(1, 65535), min_size=1, max_size=4, unique=True)
    ),
    PROTOCOLOS_EN_CUALQUIER_MAYUSCULA,
)


@settings(max_examples=6, report_multiple_bugs=False)
@given(DATOS_DE_SERVICIO)
@example(('it\'s "web"', [80, 443], "UDP"))
def test_repr_de_cualquier_servicio_se_copia_con_eval(datos):
    original = servidor.Servicio(*datos)
    copia = copia_con_eval(original, "Servicio")
    assert copia == original, (
        f"eval(repr(x)) debería dar un Servicio igual a x = Servicio{datos!r}; repr(x) es "
        f"{original!r} y eval da {copia!r}"
    )


@st.composite
def servicios_parecidos(draw):
    """Los datos de dos servicios que se parecen: mismo nombre o casi, mismos puertos en otro
    orden o en otro tipo, el protocolo en otra mayúscula."""
    nombre, puertos, protocolo = draw(DATOS_DE_SERVICIO)
    lista = [puertos] if isinstance(puertos, int) else puertos
    otro_nombre = draw(st.sampled_from([nombre, nombre.upper(), f" {nombre} "]))
    otros = draw(st.sampled_from([tuple(lista), list(lista), lista[::-1]]))
    return (nombre, puertos, protocolo), (otro_nombre, otros, protocolo.swapcase())


@settings(max_examples=8, report_multiple_bugs=False)
@given(servicios_parecidos())
@example((("ssh", 22, "tcp"), ("ssh", (22,), "TCP")))
@example((("web", [80, 443], "tcp"), ("web", [443, 80], "tcp")))
@example((("web", [80], "tcp"), ("WEB", [80], "tcp")))
def test_dos_servicios_iguales_tienen_el_mismo_hash(pareja):
    datos, otros = pareja
    uno, otro = servidor.Servicio(*datos), servidor.Servicio(*otros)
    if uno == otro:
        assert hash(uno) == hash(otro), (
            f"Servicio{datos!r} == Servicio{otros!r}, pero sus hash son distintos: si __eq__ "
            "dice que dos objetos son iguales, __hash__ debe dar lo mismo (un set o un dict los "
            "tratarían como distintos). Compara en __eq__ exactamente los datos del hash."
        )


# --- Paso 5: Servidor (cuaderno: 4, 5, 6) -----------------------------------------------------


RECURSION = (
    "lanzó RecursionError (una recursión infinita): dentro de la property nombre, self.nombre "
    "vuelve a llamar a la property (el setter se llama a sí mismo con self.nombre = ..., o el "
    "getter con return self.nombre). Guarda y lee el atributo «privado»: self._nombre = ... en "
    "el setter y return self._nombre en el getter."
)


def sin_recursion(llamada, que):
    """`llamada()`; una recursión infinita (la property que se llama a sí misma) se explica."""
    __tracebackhide__ = True
    try:
        return llamada()
    except RecursionError:
        pass
    # Fuera del except: así no sale también la traza de la recursión, en inglés.
    pytest.fail(f"{que} {RECURSION}", pytrace=False)


def crear_servidor(*argumentos, **nombrados):
    __tracebackhide__ = True
    return sin_recursion(lambda: servidor.Servidor(*argumentos, **nombrados), "Servidor(...)")


def nuevo_servidor(**cambios):
    datos = {"nombre": "web.produccion.es", "ips": ["10.0.0.1"]}
    datos.update(cambios)
    return crear_servidor(**datos)


def nombre_de(web):
    __tracebackhide__ = True
    return sin_recursion(lambda: web.nombre, "Leer servidor.nombre")


def ips_de(web):
    """servidor.ips, comprobando que es una lista (una copia)."""
    __tracebackhide__ = True
    ips = web.ips
    assert type(ips) is list, (
        f"servidor.ips debería devolver una lista (una copia: list(self._ips)); devuelve un "
        f"{type(ips).__name__}: {ips!r}"
    )
    return ips


def por_que_no_vale_el_nombre(nombre, explicacion):
    """¿Falla la property, o es que validar_nombre_de_maquina ya acepta `nombre`?"""
    return segun_lanza(
        lambda: servidor.validar_nombre_de_maquina(nombre),
        Exception,
        si_lanza=explicacion,
        si_no=(
            f"validar_nombre_de_maquina({nombre!r}) tampoco lo rechaza: arregla antes el paso 2 "
            "(cada etiqueta tiene que casar entera con ETIQUETA: usa fullmatch, no match)."
        ),
    )


def test_servidor_guarda_nombre_ips_y_empieza_sin_servicios():
    web = nuevo_servidor()
    nombre = nombre_de(web)
    assert nombre == "web.produccion.es", (
        f"Se esperaba el nombre 'web.produccion.es'; llegó {nombre!r}"
    )
    ips = ips_de(web)
    assert ips == ["10.0.0.1"], f"Se esperaban las IPs ['10.0.0.1']; llegó {ips!r}"
    assert web.servicios == [], (
        f"Sin servicios, la lista debería estar vacía; llegó {web.servicios!r}"
    )


def test_nombre_se_cambia_con_la_property_como_el_setnombre_de_java():
    web = nuevo_servidor()
    sin_recursion(
        lambda: setattr(web, "nombre", "servidor.desarrollo.es"),
        "servidor.nombre = 'servidor.desarrollo.es'",
    )
    nombre = nombre_de(web)
    assert nombre == "servidor.desarrollo.es", (
        "Tras servidor.nombre = 'servidor.desarrollo.es', servidor.nombre debería devolver "
        f"el nombre nuevo; devuelve {nombre!r}. ¿Guarda el setter el nombre?"
    )


def test_el_setter_del_nombre_tambien_valida():
    web = nuevo_servidor()
    lanza(
        ValueError,
        "Asignar servidor.nombre = 'nombre con espacios'",
        lambda: setattr(web, "nombre", "nombre con espacios"),
        por_que_no_vale_el_nombre(
            "nombre con espacios",
            "La validación debe estar en el setter de la property, no solo en __init__.",
        ),
    )
    nombre = nombre_de(web)
    assert nombre == "web.produccion.es", (
        f"Tras un nombre rechazado debería quedar el anterior; quedó {nombre!r}"
    )


def test_el_constructor_valida_el_nombre():
    lanza(
        ValueError,
        "Servidor('mal nombre', ...)",
        lambda: nuevo_servidor(nombre="mal nombre"),
        por_que_no_vale_el_nombre(
            "mal nombre",
            "El constructor debe validar el nombre (por ejemplo, asignándolo con self.nombre = "
            "nombre, que pasa por el setter).",
        ),
    )


def test_el_constructor_valida_las_ips():
    error = lanza(
        ValueError,
        "Servidor(..., ips=['10.0.0.1', '10.0.0.300'])",
        lambda: nuevo_servidor(ips=["10.0.0.1", "10.0.0.300"]),
        "El constructor debe validar cada IP (por ejemplo, llamando a agregar_ip).",
    )
    debe_citar(error, "10.0.0.300", "la IP rechazada")


def test_servidor_acepta_ipv6():
    web = nuevo_servidor(ips=["10.0.0.1", "2001:db8::1"])
    assert ips_de(web) == ["10.0.0.1", "2001:db8::1"], (
        f"Se esperaban las IPs ['10.0.0.1', '2001:db8::1']; llegó {web.ips!r}"
    )


def test_el_constructor_rechaza_ips_repetidas():
    error = lanza(
        ValueError,
        "Servidor(..., ips=['10.0.0.1', '10.0.0.2', '10.0.0.1'])",
        lambda: nuevo_servidor(ips=["10.0.0.1", "10.0.0.2", "10.0.0.1"]),
        "El constructor también debe rechazar IPs repetidas (por ejemplo, añadiéndolas una "
        "a una con agregar_ip).",
    )
    assert "10.0.0.1" in str(error), f"El mensaje debería citar la IP repetida: «{error}»"


# ¿agregar_ip no mira las repetidas, o las compara sin normalizar?
POR_QUE_ES_LA_MISMA_IPV6 = segun_lanza(
    lambda: nuevo_servidor(ips=["2001:db8::1"]).agregar_ip("2001:db8::1"),
    ValueError,
    si_lanza="Compara las IPs normalizadas (validar_ip), no el texto tal como llega.",
    si_no=(
        "agregar_ip tampoco rechaza '2001:db8::1' escrita igual: una IP que ya está en el "
        "servidor es un error (ValueError); compara las IPs normalizadas (validar_ip)."
    ),
)


def test_agregar_ip_rechaza_la_misma_ipv6_escrita_de_otra_forma():
    web = nuevo_servidor(ips=["2001:db8::1"])
    lanza(
        ValueError,
        "agregar_ip('2001:0db8:0:0:0:0:0:1') en un servidor con '2001:db8::1' (la misma IP)",
        lambda: web.agregar_ip("2001:0db8:0:0:0:0:0:1"),
        POR_QUE_ES_LA_MISMA_IPV6,
    )


def test_agregar_ip_anade_una_ip_nueva():
    web = nuevo_servidor()
    web.agregar_ip("10.0.0.2")
    assert ips_de(web) == ["10.0.0.1", "10.0.0.2"], (
        f"Tras agregar_ip('10.0.0.2') se esperaban ['10.0.0.1', '10.0.0.2'] (al final); "
        f"llegó {web.ips!r}"
    )


@pytest.mark.parametrize(
    "mala", ["999.1.1.1", None, "10.0.0.1"], ids=["invalida", "none", "repetida"]
)
def test_un_agregar_ip_que_falla_no_deja_nada_dentro(mala):
    web = nuevo_servidor()
    lanza(
        TypeError if mala is None else ValueError,
        f"agregar_ip({mala!r}) en un servidor con ['10.0.0.1']",
        lambda: web.agregar_ip(mala),
        "Una IP que no es válida o que ya está en el servidor es un error.",
    )
    ips = ips_de(web)
    assert ips == ["10.0.0.1"], (
        f"agregar_ip({mala!r}) lanzó el error, pero dejó algo dentro: las IPs son {ips!r} y "
        "deberían seguir siendo ['10.0.0.1']. Valida y comprueba las repetidas ANTES de añadir."
    )


def test_el_constructor_copia_la_lista_de_ips():
    ips = ["10.0.0.1"]
    web = crear_servidor("web.produccion.es", ips)
    ips.append("10.0.0.99")
    assert ips_de(web) == ["10.0.0.1"], (
        "Añadir una IP a la lista original cambió el servidor: el constructor debe copiar "
        f"la lista, no guardarla tal cual. IPs del servidor: {web.ips!r}"
    )


def test_la_lista_de_ips_devuelta_es_una_copia():
    web = nuevo_servidor()
    ips_de(web).append("10.0.0.99")
    assert web.ips == ["10.0.0.1"], (
        "Modificar la lista que devuelve servidor.ips cambió el servidor: la property "
        "debe devolver una copia (list(self._ips))"
    )


def test_la_lista_de_servicios_devuelta_es_una_copia():
    web = nuevo_servidor()
    web.servicios.append(servidor.Servicio("ssh", 22))
    assert web.servicios == [], (
        "Modificar la lista que devuelve servidor.servicios cambió el servidor: la property "
        "debe devolver una copia (list(self._servicios)); para añadir, agregar_servicio"
    )


def test_dos_servidores_no_comparten_la_lista_de_servicios():
    uno = crear_servidor("uno.es", ["10.0.0.1"])
    otro = crear_servidor("otro.es", ["10.0.0.2"])
    uno.agregar_servicio(servidor.Servicio("ssh", 22))
    assert otro.servicios == [], (
        "Al añadir un servicio a un servidor apareció también en otro: ¿usas una lista "
        "como valor por defecto (servicios=[])? Esa lista se crea una sola vez y la "
        "comparten todos. Usa servicios=None y crea la lista dentro."
    )


def test_el_constructor_copia_la_lista_de_servicios():
    servicios = [servidor.Servicio("ssh", 22)]
    web = nuevo_servidor(servicios=servicios)
    servicios.append(servidor.Servicio("http", 80))
    assert len(web.servicios) == 1, "El constructor debe copiar la lista de servicios que recibe"


def test_agregar_servicio_solo_acepta_servicios():
    web = nuevo_servidor()
    lanza(
        TypeError,
        "agregar_servicio(('http', 80))",
        lambda: web.agregar_servicio(("http", 80)),
        "Solo acepta objetos Servicio: compruébalo con isinstance(servicio, Servicio).",
    )


def test_el_constructor_solo_acepta_servicios():
    lanza(
        TypeError,
        "Servidor('web.es', ['10.0.0.1'], [('http', 80)])",
        lambda: crear_servidor("web.es", ["10.0.0.1"], [("http", 80)]),
        "Cada elemento de servicios tiene que ser un Servicio: añádelos uno a uno con "
        "agregar_servicio, que lo comprueba.",
    )


def test_puertos_por_protocolo_agrupa_y_ordena():
    web = nuevo_servidor(
        servicios=[
            servidor.Servicio("https", [443, 80]),
            servidor.Servicio("dns", 53, "udp"),
            servidor.Servicio("dns-tcp", 53),
            servidor.Servicio("alt", 80),
        ]
    )
    esperado = {"tcp": [53, 80, 443], "udp": [53]}
    obtenido = web.puertos_por_protocolo()
    assert obtenido == esperado, f"Se esperaba {esperado}; llegó {obtenido}"


def test_servidores_con_los_mismos_datos_son_iguales():
    assert nuevo_servidor() == nuevo_servidor(), (
        "Dos servidores con el mismo nombre, IPs y servicios deberían ser iguales: "
        "__eq__ compara datos, no identidad"
    )


def test_servidores_distintos_no_son_iguales():
    base = nuevo_servidor()
    distintos = {
        "otro nombre": nuevo_servidor(nombre="otro.es"),
        "otras IPs": nuevo_servidor(ips=["10.0.0.2"]),
        "otros servicios": nuevo_servidor(servicios=[servidor.Servicio("ssh", 22)]),
        "un texto": "web.produccion.es",
    }
    for que, otro in distintos.items():
        distinto = sin_lanzar(
            lambda otro=otro: base != otro,
            lambda error, que=que: (
                f"Comparar un servidor con {que} lanzó {type(error).__name__} («{error}»). "
                "Si el otro no es un Servidor, __eq__ debe devolver NotImplemented (compruébalo "
                "con isinstance) antes de mirar sus atributos."
            ),
        )
        assert distinto, (
            f"Un servidor sin servicios y otro con {que} salen iguales: {base!r} == {otro!r}. "
            "¿Compara __eq__ los tres datos? (Si los servicios aparecen donde no los pusiste, "
            "revisa la lista por defecto compartida)"
        )


def test_repr_de_servidor_muestra_sus_datos():
    texto = repr(nuevo_servidor(servicios=[servidor.Servicio("ssh", 22)]))
    for trozo in ("Servidor", "web.produccion.es", "10.0.0.1", "ssh"):
        assert trozo in texto, f"repr(servidor) debería contener {trozo!r}: {texto}"


IPS_DISTINTAS = st.lists(IPS_ESCRITAS, max_size=8, unique_by=lambda caso: caso[1])


@settings(max_examples=10, report_multiple_bugs=False)
@given(IPS_DISTINTAS)
@example([])
@example([("10.0.0.1", "10.0.0.1")])
def test_servidor_guarda_cualquier_lista_de_ips_normalizadas_y_en_orden(casos):
    textos = [texto for texto, _ in casos]
    esperadas = [normalizada for _, normalizada in casos]
    web = acepta(
        lambda: crear_servidor("web.es", textos),
        f"Servidor('web.es', {textos!r})",
        "son IPs válidas y distintas.",
    )
    assert ips_de(web) == esperadas, (
        f"Servidor('web.es', {textos!r}).ips debería ser {esperadas!r} (normalizadas, en el "
        f"orden en que llegan); es {web.ips!r}"
    )
    textos.append("10.255.255.254")
    assert web.ips == esperadas, (
        "Añadir una IP a la lista que se pasó al constructor cambió el servidor: copia la lista"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(IPS_DISTINTAS.filter(bool), ELECCION, ELECCION, ELECCION)
@example([("2001:db8::1", "2001:db8::1")], 0, 1, 1)
def test_servidor_rechaza_cualquier_ip_repetida_aunque_se_escriba_de_otra_forma(
    casos, cual, forma, donde
):
    textos = [texto for texto, _ in casos]
    ip = ipaddress.ip_address(textos[cual % len(textos)])
    formas = formas_de_escribir(ip)
    otra_forma = formas[forma % len(formas)]
    donde %= len(textos) + 1
    con_repetida = [*textos[:donde], otra_forma, *textos[donde:]]
    lanza(
        ValueError,
        f"Servidor('web.es', {con_repetida!r})",
        lambda: crear_servidor("web.es", con_repetida),
        f"Se aceptaron las IPs {con_repetida!r}, y {otra_forma!r} es la misma IP que "
        f"{str(ip)!r}: compara las IPs normalizadas (validar_ip), no el texto.",
    )
    web = crear_servidor("web.es", textos)
    lanza(
        ValueError,
        f"agregar_ip({otra_forma!r}) en un servidor con {web.ips!r}",
        lambda: web.agregar_ip(otra_forma),
        f"{otra_forma!r} es la misma IP que {str(ip)!r}, que ya está en el servidor.",
    )


SERVICIOS = st.lists(
    st.tuples(
        st.sampled_from(["http", "https", "ssh", "dns", "smtp"]),
        st.lists(st.integers(1, 1024), min_size=1, max_size=3, unique=True),
        st.sampled_from(["tcp", "udp"]),
    ),
    max_size=6,
)


@settings(max_examples=10, report_multiple_bugs=False)
@given(SERVICIOS)
@example([])
def test_servidor_guarda_cualquier_lista_de_servicios_y_agrupa_sus_puertos(datos):
    servicios = [servidor.Servicio(*dato) for dato in datos]
    web = crear_servidor("web.es", ["10.0.0.1"], servicios)
    assert web.servicios == servicios, (
        f"Servidor(..., servicios={servicios!r}).servicios debería ser esa lista, en ese "
        f"orden; es {web.servicios!r}"
    )
    esperado = {}
    for _, puertos, protocolo in datos:
        esperado.setdefault(protocolo, set()).update(puertos)
    esperado = {protocolo: sorted(puertos) for protocolo, puertos in esperado.items()}
    obtenido = web.puertos_por_protocolo()
    assert obtenido == esperado, (
        f"Con los servicios {servicios!r}, puertos_por_protocolo() debería dar {esperado} "
        f"(solo los protocolos que haya, los puertos ordenados y sin repetir); dio {obtenido}"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.lists(st.booleans(), min_size=2, max_size=4))
@example([False, False])
@example([True, True])
def test_ningun_servidor_comparte_listas_con_otro_ni_con_quien_lo_crea(con_listas):
    # Unos se crean sin servicios (el valor por defecto) y otros con la MISMA lista de IPs y
    # de servicios que el que los crea pasa a todos: ninguno debe ver lo que se añade a otro.
    ips, servicios = ["10.0.0.1"], [servidor.Servicio("ssh", 22)]
    flota = [
        crear_servidor(f"web{n}.es", ips, servicios if con else None)
        for n, con in enumerate(con_listas)
    ]
    antes = [(web.ips, web.servicios) for web in flota]
    nueva = servidor.Servicio("http", 80)
    flota[0].agregar_ip("10.0.0.99")
    flota[0].agregar_servicio(nueva)
    for web, (ips_antes, servicios_antes) in zip(flota[1:], antes[1:], strict=True):
        assert (web.ips, web.servicios) == (ips_antes, servicios_antes), (
            f"Al añadir la IP 10.0.0.99 y un servicio a {flota[0].nombre} aparecieron también "
            f"en {web.nombre}: comparten una lista. ¿Una lista por defecto (servicios=[]), o "
            "se guarda la que pasa quien los crea en vez de una copia?"
        )
    assert ips == ["10.0.0.1"] and servicios == [servidor.Servicio("ssh", 22)], (
        "agregar_ip / agregar_servicio cambiaron la lista que se pasó al constructor: el "
        "servidor debe trabajar sobre su propia copia"
    )


@settings(max_examples=6, report_multiple_bugs=False)
@given(IPS_DISTINTAS, SERVICIOS)
@example([("10.0.0.1", "10.0.0.1")], [("http", [80], "tcp")])
def test_repr_de_cualquier_servidor_se_copia_con_eval(casos, datos):
    original = crear_servidor("web.es", [texto for texto, _ in casos])
    for dato in datos:
        original.agregar_servicio(servidor.Servicio(*dato))
    copia = copia_con_eval(original, "Servidor")
    assert copia == original, (
        f"eval(repr(x)) debería dar un Servidor igual a x; repr(x) es {original!r} y eval da "
        f"{copia!r}"
    )
