"""Pruebas del módulo 09, paso 1: el inventario (inventario.py).

Un texto TOML se convierte en una lista de Servidor; uno mal escrito da un ErrorDeInventario
con TODOS sus problemas, cada uno con el servidor, el campo y el valor. Las propiedades
(Hypothesis) siembran problemas en inventarios generados (con comprobaciones http, tcp y
sonda) y miran que salgan todos.

Ejecútalas con:  pytest ejercicios/09/test_1_inventario.py
"""

import textwrap

import pytest

from taller.propiedades import example, given, settings, st
from taller.pruebas import cargar, lanza

inventario = cargar("inventario")

BUENO = textwrap.dedent(
    """
    [[servidores]]
    nombre = "web-001"
    ips = ["127.0.0.1", "10.0.0.1"]

    [[servidores.servicios]]
    nombre = "web"
    puertos = [8001, 8443]
    protocolo = "tcp"

    [[servidores.comprobaciones]]
    tipo = "http"
    puerto = 8001
    ruta = "/salud"
    timeout = 0.5

    [[servidores.comprobaciones]]
    tipo = "tcp"
    puerto = 8443

    [[servidores.comprobaciones]]
    tipo = "sonda"
    orden = ["python3", "sonda.py", "http://127.0.0.1:8001/salud", "--timeout", "1"]
    timeout = 3

    [[servidores]]
    nombre = "bd-001"
    ips = ["127.0.0.2"]

    [[servidores.comprobaciones]]
    tipo = "tcp"
    puerto = 5432
    """
)


def problemas_de(texto, que):
    """Los problemas del ErrorDeInventario que debe lanzar leer_texto(texto)."""
    error = lanza(
        inventario.ErrorDeInventario,
        f"leer_texto({que})",
        lambda: inventario.leer_texto(texto),
        "Un inventario con problemas se rechaza con un ErrorDeInventario (nunca otra excepción).",
    )
    problemas = getattr(error, "problemas", None)
    assert isinstance(problemas, list) and problemas, (
        f"El ErrorDeInventario debe llevar la lista de problemas en .problemas; lleva {problemas!r}"
    )
    assert all(p in str(error) for p in problemas), (
        f"El mensaje del error debe contener cada problema; dice: {error}"
    )
    return problemas


# --- Paso 1: el inventario, de TOML a clases (cuaderno: 1, 2) ---------------------------------


def test_leer_texto_convierte_el_inventario_en_servidores():
    servidores = inventario.leer_texto(BUENO)
    assert [s.nombre for s in servidores] == ["web-001", "bd-001"], (
        f"Se esperaban los servidores web-001 y bd-001, en orden; llegó {servidores!r}"
    )
    web = servidores[0]
    assert web.ips == ("127.0.0.1", "10.0.0.1"), f"ips debe ser una tupla; llegó {web.ips!r}"
    esperado = inventario.Servicio("web", (8001, 8443), "tcp")
    assert web.servicios == (esperado,), (
        f"Se esperaba el servicio {esperado!r}; llegó {web.servicios!r}"
    )
    http, tcp, sonda = web.comprobaciones
    assert http == inventario.Comprobacion("http", 8001, "/salud", 0.5), (
        f"La primera comprobación de web-001 es http :8001/salud con 0,5 s; llegó {http!r}"
    )
    assert tcp == inventario.Comprobacion("tcp", 8443, "/salud", inventario.TIMEOUT_POR_DEFECTO), (
        f"La comprobación tcp sin timeout ni ruta usa los valores por defecto; llegó {tcp!r}"
    )
    orden = ("python3", "sonda.py", "http://127.0.0.1:8001/salud", "--timeout", "1")
    esperada = inventario.Comprobacion("sonda", None, timeout=3.0, orden=orden)
    assert sonda == esperada, (
        f"La comprobación sonda lleva su orden como tupla, sin puerto (None); se esperaba "
        f"{esperada!r}; llegó {sonda!r}"
    )
    assert servidores[1].servicios == (), (
        f"Un servidor sin servicios tiene servicios=(); bd-001 tiene {servidores[1].servicios!r}"
    )


def test_leer_lee_el_fichero(tmp_path):
    ruta = tmp_path / "inventario.toml"
    ruta.write_text(BUENO, encoding="utf-8")
    servidores = inventario.leer(ruta)
    assert len(servidores) == 2, f"leer({ruta.name}) debería dar 2 servidores; dio {servidores!r}"


def test_un_toml_mal_escrito_da_un_error_de_inventario_en_espanol():
    (problema,) = problemas_de('[[servidores]]\nnombre = "web-001\n', "un TOML sin cerrar comillas")
    assert "TOML" in problema and "no es" in problema, (
        "Un TOML mal escrito debe decir «no es TOML válido: ...» (y no dejar salir el "
        f"TOMLDecodeError, en inglés); dice: {problema!r}"
    )


def test_un_fichero_que_no_existe_da_un_error_de_inventario(tmp_path):
    ruta = tmp_path / "no_existe.toml"
    error = lanza(
        inventario.ErrorDeInventario,
        "leer('no_existe.toml')",
        lambda: inventario.leer(ruta),
        "Un fichero que no se puede leer también es un problema del inventario.",
    )
    assert "no_existe.toml" in str(error), f"El mensaje debe nombrar el fichero; dice: {error}"


def _cambio(servidor, campo, antes, despues, valor):
    """Un caso de un solo campo: `campo = antes` de BUENO pasa a `campo = despues`, y su problema
    debe nombrar el servidor, el campo y el valor."""
    return (f"{campo} = {antes}", f"{campo} = {despues}", [servidor, campo, valor])


def _sin(texto, *fragmentos):
    """Un caso que quita `texto` de BUENO."""
    return (texto, "", list(fragmentos))


def _con(linea, nueva, *fragmentos):
    """Un caso que añade la línea `nueva` detrás de `linea` de BUENO."""
    return (linea, f"{linea}\n{nueva}", list(fragmentos))


# Cada caso: un cambio sobre BUENO y lo que debe nombrar su problema (servidor, campo, valor).
CASOS = {
    "un protocolo desconocido": _cambio("web-001", "protocolo", '"tcp"', '"ftp"', "ftp"),
    "un puerto fuera de rango": _cambio(
        "web-001", "puertos", "[8001, 8443]", "[8001, 70000]", "70000"
    ),
    "una IP que no lo es": _cambio(
        "bd-001", "ips", '["127.0.0.2"]', '["127.0.0.300"]', "127.0.0.300"
    ),
    "un tipo de comprobación desconocido": _cambio("web-001", "tipo", '"http"', '"ping"', "ping"),
    "un timeout que no es positivo": _cambio("web-001", "timeout", "0.5", "-1", "-1"),
    "un nombre repetido": _cambio("web-001", "nombre", '"bd-001"', '"web-001"', "repetido"),
    "un servidor sin comprobaciones": _sin(
        '[[servidores.comprobaciones]]\ntipo = "tcp"\npuerto = 5432\n', "bd-001", "comprobaciones"
    ),
    "un campo mal escrito": _con(
        'ips = ["127.0.0.2"]', "puerto = 1", "bd-001", "puerto", "no existe"
    ),
    "la orden de una sonda en un texto": (
        'orden = ["python3", "sonda.py", "http://127.0.0.1:8001/salud", "--timeout", "1"]',
        'orden = "python3 sonda.py http://127.0.0.1:8001/salud"',
        ["web-001", "orden", "python3 sonda.py http://127.0.0.1:8001/salud", "lista"],
    ),
    "una sonda sin orden": _sin(
        'orden = ["python3", "sonda.py", "http://127.0.0.1:8001/salud", "--timeout", "1"]\n',
        "web-001",
        "orden",
        "None",
    ),
    "una sonda sin programa": (
        '["python3", "sonda.py",',
        '["", "sonda.py",',
        ["web-001", "orden", "programa"],
    ),
    "una sonda con puerto": _con(
        'tipo = "sonda"', "puerto = 8001", "web-001", "puerto", "8001", "sobra"
    ),
    "un argumento de la sonda que no es un texto": (
        '"--timeout", "1"]',
        '"--timeout", 1]',
        ["web-001", "orden", "nº 4", "texto"],
    ),
}


def test_cada_problema_nombra_el_servidor_el_campo_y_el_valor():
    fallan = []
    for que, (antes, despues, fragmentos) in CASOS.items():
        assert BUENO.count(antes) == 1, (
            f"(prueba mal escrita) {antes!r} aparece {BUENO.count(antes)} veces"
        )
        problemas = problemas_de(BUENO.replace(antes, despues), f"un inventario con {que}")
        if len(problemas) != 1:
            fallan.append(f"con {que} debe haber 1 problema y hay {len(problemas)}: {problemas}")
        elif not all(f in problemas[0] for f in fragmentos):
            fallan.append(
                f"con {que}, el problema debe nombrar {fragmentos}; dice «{problemas[0]}»"
            )
    assert not fallan, "Cada problema nombra el servidor, el campo y el valor:\n" + "\n".join(
        fallan
    )


def test_junta_todos_los_problemas_no_solo_el_primero():
    malo = (
        BUENO.replace('protocolo = "tcp"', 'protocolo = "ftp"')
        .replace('tipo = "http"', 'tipo = "ping"')
        .replace('ips = ["127.0.0.2"]', 'ips = ["127.0.0.300"]')
    )
    problemas = problemas_de(malo, "un inventario con tres problemas")
    assert len(problemas) == 3, (
        "Con tres problemas (un protocolo, un tipo y una IP) el error debe traer los tres, para "
        f"arreglarlos de una vez, no parar en el primero; trae {len(problemas)}: {problemas}"
    )


# --- Paso 1, con propiedades: problemas sembrados en inventarios generados (cuaderno: 2) --------

# avería → (campo que nombra, valores malos posibles)
SIEMBRAS = {
    "protocolo": ("protocolo", st.sampled_from(["ftp", "http", "TCP", "icmp", ""])),
    "puertos": ("puertos", st.one_of(st.integers(max_value=0), st.integers(min_value=65536))),
    "ips": ("ips", st.sampled_from(["300.1.1.1", "localhost", "10.0.0", "1.2.3.4.5", "abc"])),
    "tipo": ("tipo", st.sampled_from(["ping", "HTTP", "udp", "Sonda"])),
    "timeout": ("timeout", st.sampled_from([0, -1, -0.5])),
    # La orden de una sonda (en TOML) y lo que de ella debe nombrar su problema.
    "orden": (
        "orden",
        st.sampled_from(
            [
                ('"python3 sonda.py"', "python3 sonda.py"),
                ("[]", "[]"),
                ('["", "sonda.py"]', "''"),
                ('["python3", 2]', "2"),
                ('["python3", "a\\u0000b"]', "a\\x00b"),
            ]
        ),
    ),
}
ORDEN_BUENA = '["python3", "sonda.py", "http://10.0.0.1:8000/salud"]'


def toml_de(servidores):
    """El TOML de una lista de dicts {nombre, ip, puerto, protocolo, tipo, timeout} (y, en las
    sondas, su orden ya en TOML en vez del puerto)."""
    lineas = []
    for s in servidores:
        lineas += [
            "[[servidores]]",
            f'nombre = "{s["nombre"]}"',
            f'ips = ["{s["ips"]}"]',
            "[[servidores.servicios]]",
            'nombre = "web"',
            f"puertos = [{s['puertos']}]",
            f'protocolo = "{s["protocolo"]}"',
            "[[servidores.comprobaciones]]",
            f'tipo = "{s["tipo"]}"',
            f"orden = {s['orden']}" if "orden" in s else "puerto = 8000",
            f"timeout = {s['timeout']}",
        ]
    return "\n".join(lineas) + "\n"


# Las estrategias de cada campo, creadas una vez: crear una dentro de inventarios_con_problemas,
# en cada servidor de cada ejemplo, costaba (en Hypothesis) más que leer el inventario.
CUANTOS = st.integers(min_value=1, max_value=8)
PUERTOS = st.integers(1, 65535)
PROTOCOLOS = st.sampled_from(["tcp", "udp"])
TIPOS = st.sampled_from(["http", "tcp", "sonda"])
TIMEOUTS = st.sampled_from([0.1, 1, 2.5])
CAMPOS_QUE_SEMBRAR = st.sampled_from([None, *SIEMBRAS])


@st.composite
def inventarios_con_problemas(draw):
    cuantos = draw(CUANTOS)
    servidores = [
        {
            "nombre": f"srv-{n:02d}",
            "ips": f"10.0.{n}.1",
            "puertos": draw(PUERTOS),
            "protocolo": draw(PROTOCOLOS),
            "tipo": draw(TIPOS),
            "timeout": draw(TIMEOUTS),
        }
        for n in range(cuantos)
    ]
    sembrados = []
    for servidor in servidores:
        if servidor["tipo"] == "sonda":
            servidor["orden"] = ORDEN_BUENA
        campo = draw(CAMPOS_QUE_SEMBRAR)
        if campo == "orden":  # una orden mala, en una sonda
            servidor["tipo"] = "sonda"
            servidor["orden"], fragmento = draw(SIEMBRAS[campo][1])
            sembrados.append((servidor["nombre"], "orden", fragmento))
        elif campo is not None:
            nombre_del_campo, valores = SIEMBRAS[campo]
            valor = draw(valores)
            servidor[campo] = valor
            sembrados.append((servidor["nombre"], nombre_del_campo, str(valor)))
    return servidores, sembrados


@settings(max_examples=40)
@given(inventarios_con_problemas())
@example(
    (
        [
            {
                "nombre": "srv-00",
                "ips": "10.0.0.1",
                "puertos": 80,
                "protocolo": "ftp",
                "tipo": "http",
                "timeout": 1,
            },
            {
                "nombre": "srv-01",
                "ips": "abc",
                "puertos": 80,
                "protocolo": "tcp",
                "tipo": "http",
                "timeout": 1,
            },
        ],
        [("srv-00", "protocolo", "ftp"), ("srv-01", "ips", "abc")],
    )
)
def test_con_propiedades_cada_problema_sembrado_sale_con_su_servidor_campo_y_valor(caso):
    servidores, sembrados = caso
    texto = toml_de(servidores)
    if not sembrados:
        leidos = inventario.leer_texto(texto)
        assert [s.nombre for s in leidos] == [s["nombre"] for s in servidores], (
            f"Un inventario sin problemas se lee entero; de\n{texto}\nsalió {leidos!r}"
        )
        return
    problemas = problemas_de(texto, f"un inventario con {len(sembrados)} problemas sembrados")
    assert len(problemas) == len(sembrados), (
        f"Se sembraron {len(sembrados)} problemas ({sembrados}) y el error trae "
        f"{len(problemas)}: {problemas}"
    )
    for servidor, campo, valor in sembrados:
        assert any(servidor in p and f"«{campo}»" in p and valor in p for p in problemas), (
            f"Ningún problema nombra el servidor {servidor}, el campo «{campo}» y el valor "
            f"{valor!r} a la vez; los problemas son: {problemas}"
        )


# --- Paso 1: la forma del fichero, los nombres y el fichero en sí (cuaderno: 2) -----------------

# Cada caso: un inventario entero y lo que debe nombrar alguno de sus problemas.
CASOS_DE_FORMA = {
    "la tabla mal escrita ([[servidor]] en vez de [[servidores]])": (
        BUENO.replace("[[servidores]]", "[[servidor]]").replace("[[servidores.", "[[servidor."),
        ["servidores"],
    ),
    "una lista de servidores vacía": ("servidores = []\n", ["servidores"]),
    "un campo de más fuera de los servidores": (
        "intervalo = 60\n" + BUENO,
        ["intervalo", "no existe"],
    ),
    "un servidor sin nombre": (BUENO.replace('nombre = "bd-001"\n', ""), ["nº 2", "«nombre»"]),
    "un nombre que no es un texto": (
        BUENO.replace('nombre = "bd-001"', "nombre = 5"),
        ["«nombre»", "5"],
    ),
    "un nombre en blanco": (
        BUENO.replace('nombre = "bd-001"', 'nombre = "  "'),
        ["«nombre»", "'  '"],
    ),
    "un nombre repetido": (
        BUENO.replace('nombre = "bd-001"', 'nombre = "web-001"'),
        ["web-001", "«nombre»", "repetido"],
    ),
    "un servidor que no es una tabla": ('servidores = ["web-001"]\n', ["nº 1", "'web-001'"]),
}


def test_lo_que_no_es_una_flota_tambien_es_un_problema_con_su_campo():
    fallan = []
    for que, (texto, fragmentos) in CASOS_DE_FORMA.items():
        try:
            problemas = problemas_de(texto, f"un inventario con {que}")
        except pytest.fail.Exception as fallo:
            fallan.append(f"con {que}: {str(fallo).splitlines()[0]}")
            continue
        if not any(all(f in p for f in fragmentos) for p in problemas):
            fallan.append(
                f"con {que}, algún problema debe nombrar {fragmentos} (el campo entre «»); "
                f"los problemas son {problemas}"
            )
    assert not fallan, (
        "Un inventario sin [[servidores]] (o con la tabla mal escrita) no es una flota vacía «que "
        "está bien»: es un problema; y cada problema de un nombre dice el servidor, el campo "
        "«nombre» y el valor:\n" + "\n".join(fallan)
    )


def test_leer_un_fichero_malo_nombra_el_fichero_en_el_error(tmp_path):
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(BUENO.replace("web-001", "añil-001").encode("latin-1"))
    error = lanza(
        inventario.ErrorDeInventario,
        "leer('latin1.toml'), un fichero que no está en UTF-8",
        lambda: inventario.leer(latin1),
        "Un fichero que no está en UTF-8 (el UnicodeDecodeError de read_text) también es un "
        "problema del inventario, no una traza.",
    )
    assert "latin1.toml" in str(error), f"El mensaje debe nombrar el fichero; dice: {error}"
    malo = tmp_path / "malo.toml"
    malo.write_text(BUENO.replace('protocolo = "tcp"', 'protocolo = "ftp"'), encoding="utf-8")
    error = lanza(
        inventario.ErrorDeInventario,
        "leer('malo.toml'), con un protocolo desconocido",
        lambda: inventario.leer(malo),
        "Un fichero con problemas se rechaza con un ErrorDeInventario.",
    )
    assert str(error).startswith(str(malo)), (
        "Con leer(ruta), el mensaje empieza por el nombre del fichero (el origen del "
        f"ErrorDeInventario), para saber qué fichero arreglar; dice: {error}"
    )


# Lo que puede salir de un TOML: textos, números, booleanos, listas y tablas con campos que
# existen (y alguno que no).
_HOJAS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.sampled_from(["", " ", "tcp", "udp", "http", "/salud", "127.0.0.1", "web-001", "ñ"]),
)
_NOMBRES_DE_CAMPO = st.sampled_from(
    [
        "servidores",
        "nombre",
        "ips",
        "servicios",
        "puertos",
        "protocolo",
        "comprobaciones",
        "tipo",
        "puerto",
        "ruta",
        "timeout",
        "x",
    ]
)
_VALORES = st.recursive(
    _HOJAS,
    lambda hijos: (
        st.lists(hijos, max_size=3) | st.dictionaries(_NOMBRES_DE_CAMPO, hijos, max_size=4)
    ),
    max_leaves=8,
)


@settings(max_examples=25)
@given(
    st.dictionaries(_NOMBRES_DE_CAMPO, _VALORES, max_size=3)
    | st.fixed_dictionaries({"servidores": st.lists(_VALORES, max_size=3)})
)
@example({"servidores": ["web-001"]})
@example(
    {"servidores": [{"nombre": "a", "ips": [1], "comprobaciones": [{"tipo": "tcp", "puerto": 1}]}]}
)
@example(
    {
        "servidores": [
            {
                "nombre": "a",
                "ips": ["127.0.0.1"],
                "servicios": [5],
                "comprobaciones": [{"tipo": "tcp", "puerto": 1}],
            }
        ]
    }
)
def test_con_propiedades_validar_o_da_servidores_bien_formados_o_un_error_de_inventario(datos):
    try:
        servidores = inventario.validar(datos)
    except inventario.ErrorDeInventario:
        return
    except Exception as error:  # noqa: BLE001 - es justo lo que se mira
        pytest.fail(
            f"validar({datos!r}) lanzó {type(error).__name__}: {error}. Con cualquier cosa que "
            "venga del TOML, validar devuelve servidores o lanza ErrorDeInventario con los "
            "problemas, nunca otra excepción (¿un servidor que no es una tabla?)",
            pytrace=False,
        )
    mal = [
        s
        for s in servidores
        if not isinstance(s, inventario.Servidor)
        or not (isinstance(s.nombre, str) and s.nombre.strip())
        or not s.ips
        or not all(isinstance(ip, str) for ip in s.ips)
        or not s.comprobaciones
    ]
    assert not mal, (
        f"validar({datos!r}) aceptó servidores mal formados (el nombre, un texto; las ips, "
        f"textos con una IP; al menos una comprobación): {mal!r}"
    )
