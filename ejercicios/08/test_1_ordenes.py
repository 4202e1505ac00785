"""Pruebas del módulo 08 (1 de 2): las órdenes de docker y podman, en ordenes.py.

Van en el orden en que conviene escribir el código: validar las piezas → la vida de un
contenedor → la forma corta → las tres opciones → las órdenes, ejecutadas de verdad.

Ejecútalas con:  pytest ejercicios/08/test_1_ordenes.py
Las que ejecutan contenedores de verdad se omiten (con el motivo) si no hay docker ni podman.
"""

import posixpath
import shlex
import shutil
import string
import subprocess
import uuid

import pytest

from taller.contenedores import motor_o_motivo, prueba_con_contenedores
from taller.propiedades import TEXTOS_HOSTILES, assume, example, given, settings, st, varios
from taller.pruebas import cargar, lanza, rechaza_todos_citando

ordenes = cargar("ordenes")

CURSO = "/home/ubuntu/environment/curso"
PROGRAMA = f"{CURSO}/ejercicios/ejecutores/programa.py"
MOTORES = ["docker", "podman"]


def _comparar(obtenida, esperada, que):
    assert isinstance(obtenida, list), (
        f"{que} debería devolver una lista de textos (lista para subprocess.run), no "
        f"{type(obtenida).__name__}: {obtenida!r}"
    )
    # La primera línea dice ya la diferencia (taller comprobar solo muestra esa), escrita
    # como en la terminal (shlex.join pone comillas donde hacen falta: sh -c 'sleep 3600');
    # debajo, las dos listas enteras, que es lo que devuelve la función.
    assert obtenida == esperada, (
        f"{que}: se esperaba «{shlex.join(esperada)}» y llegó «{shlex.join(map(str, obtenida))}»\n"
        f"  se esperaba  {esperada}\n  llegó        {obtenida}"
    )


# Las pruebas «con cualquier...» son pruebas de propiedades (Hypothesis): generan muchos valores
# (siempre los mismos, en cualquier máquina) y, si uno rompe la propiedad, lo reducen al más
# sencillo que la rompe y lo enseñan («Falsifying example»). La primera línea del fallo dice,
# en español, qué propiedad se ha roto.


def texto_de(numero, primeras, siguientes):
    """El texto que corresponde a un número: sus cifras en base len(siguientes), la primera de
    `primeras`. Generar un número es mucho más rápido que generar el texto carácter a carácter,
    y Hypothesis lo reduce igual de bien (0 → primeras[0])."""
    letras = [primeras[numero % len(primeras)]]
    numero //= len(primeras)
    while numero:
        letras.append(siguientes[numero % len(siguientes)])
        numero //= len(siguientes)
    return "".join(letras)


def textos(primeras, siguientes, maximo=10):
    return st.integers(0, len(siguientes) ** maximo).map(
        lambda n: texto_de(n, primeras, siguientes)
    )


def cita(error, valor):
    """¿Cita el mensaje de `error` el valor rechazado, entre «» o con comillas (repr)?"""
    return f"«{valor}»" in str(error) or repr(valor) in str(error)


def acepta_tal_cual(comprobar, valor, por_que, que_es):
    """`comprobar(valor)` no debe lanzar (`por_que`: por qué `valor` es válido) y debe
    devolver `valor` tal cual (`que_es`: «el nombre»)."""
    __tracebackhide__ = True
    llamada = f"{comprobar.__name__}({valor!r})"
    try:
        devuelto = comprobar(valor)
    except ValueError as error:
        pytest.fail(f"{llamada} lanzó ValueError («{error}») y es {por_que}", pytrace=False)
    assert devuelto == valor, f"{llamada} debe devolver {que_es} tal cual; devolvió {devuelto!r}"


# Textos con todo lo que un shell o docker entenderían de otra forma: espacios, comillas, ;,
# $(...), `...`, |, &, saltos de línea, un - al principio, letras no ASCII. (Sin el byte nulo:
# no cabe en un argumento de un programa.)
HOSTILES = [*TEXTOS_HOSTILES, "--privileged", "-v"]
RAROS = string.ascii_lowercase[:3] + " ;$()`'\"|&\n-*ñé"
TEXTOS_HOSTILES = st.one_of(st.sampled_from(HOSTILES), textos(RAROS, RAROS, maximo=8))


def _sin_datos_en_un_sh_c(obtenida, datos, que):
    """Falla si alguno de los datos va dentro del código de un `sh -c` de la orden."""
    __tracebackhide__ = True
    codigos = [
        obtenida[i + 2] for i in range(len(obtenida) - 2) if obtenida[i : i + 2] == ["sh", "-c"]
    ]
    for dato in datos:
        for codigo in codigos:
            if dato and dato in codigo:
                pytest.fail(
                    f"{que}: el dato {dato!r} va dentro del código de un sh -c ({codigo!r}). Un "
                    "dato dentro del código de un shell se ejecuta como una orden (un «;» o un "
                    "«$(...)» en una ruta bastan): pásalo como un elemento más de la lista, sin "
                    "shell de por medio.",
                    pytrace=False,
                )


# --- Paso 1: las piezas que se validan (cuaderno: 6) ------------------------------------------


@pytest.mark.parametrize("motor", MOTORES)
def test_comprobar_motor_acepta_docker_y_podman(motor):
    devuelto = ordenes.comprobar_motor(motor)
    assert devuelto == motor, (
        f"comprobar_motor({motor!r}) debe aceptarlo y devolverlo tal cual; devolvió {devuelto!r}"
    )


@pytest.mark.parametrize("motor", ["Docker", "kubectl", "", "docker run"])
def test_comprobar_motor_rechaza_otros_nombrandolos(motor):
    error = lanza(
        ValueError,
        f"comprobar_motor({motor!r})",
        lambda: ordenes.comprobar_motor(motor),
        "Solo valen «docker» y «podman», escritos así.",
    )
    assert cita(error, motor), (
        f"El mensaje debería citar el motor rechazado entre comillas, «{motor}» o {motor!r} "
        f"(con repr: así se ve un motor vacío o con espacios); dice: «{error}»"
    )


@pytest.mark.parametrize("nombre", ["mipython", "web-01", "monitor_2", "curso.python", "A1"])
def test_comprobar_nombre_acepta_nombres_de_contenedor(nombre):
    devuelto = ordenes.comprobar_nombre(nombre)
    assert devuelto == nombre, (
        f"comprobar_nombre({nombre!r}) es un nombre válido: debe aceptarlo y devolverlo tal "
        f"cual; devolvió {devuelto!r}"
    )


# Por qué no vale cada uno: docker solo acepta [a-zA-Z0-9][a-zA-Z0-9_.-]*.
NOMBRES_INVALIDOS = {
    "mi python": "lleva un espacio",
    "-f": "empieza por guion: docker lo tomaría por una opción",
    "--rm": "empieza por guion: docker lo tomaría por una opción",
    "": "está vacío",
    "_oculto": "debe empezar por una letra o una cifra",
    "mi/python": "lleva una barra",
    "año": "lleva una letra que no es ASCII (ñ)",
}


@pytest.mark.parametrize("nombre", NOMBRES_INVALIDOS)
def test_comprobar_nombre_rechaza_nombres_invalidos_nombrandolos(nombre):
    with pytest.raises(ValueError) as error:
        ordenes.comprobar_nombre(nombre)
        pytest.fail(
            f"comprobar_nombre({nombre!r}) no lanzó ValueError, y no es un nombre de contenedor "
            f"válido: {NOMBRES_INVALIDOS[nombre]}. Los válidos empiezan por letra o cifra y "
            "siguen con letras, cifras, _ . o - (ASCII)."
        )
    assert f"«{nombre}»" in str(error.value) or repr(nombre) in str(error.value), (
        f"El mensaje debería citar el nombre rechazado {nombre!r}; dice: «{error.value}»"
    )


@pytest.mark.parametrize("valor", [None, 3, b"python:3.11-slim", ["web"]], ids=repr)
def test_comprobar_nombre_e_imagen_rechazan_lo_que_no_es_un_texto(valor):
    for funcion in ("comprobar_nombre", "comprobar_imagen"):
        lanza(
            ValueError,
            f"{funcion}({valor!r})",
            lambda funcion=funcion: getattr(ordenes, funcion)(valor),
            f"{valor!r} no es un str: mira isinstance(valor, str) antes de usar la expresión "
            "regular (fullmatch con algo que no es un str lanza TypeError).",
        )


def test_volumen_une_la_carpeta_local_y_la_interna_con_dos_puntos():
    _comparar(
        [ordenes.volumen(CURSO, "/curso")], [f"{CURSO}:/curso"], f"volumen({CURSO!r}, '/curso')"
    )


@pytest.mark.parametrize(
    ("local", "interna", "mala"),
    [("curso", "/curso", "curso"), ("./curso", "/curso", "./curso"), (CURSO, "curso", "curso")],
)
def test_volumen_rechaza_rutas_relativas_nombrandolas(local, interna, mala):
    # `docker run -v curso:/curso` no monta tu carpeta: crea un volumen vacío llamado «curso».
    with pytest.raises(ValueError) as error:
        ordenes.volumen(local, interna)
        pytest.fail(
            f"volumen({local!r}, {interna!r}) no lanzó ValueError: con una ruta relativa, "
            "docker crearía un volumen con nombre en vez de montar la carpeta"
        )
    assert mala in str(error.value), f"El mensaje debería citar «{mala}»; dice: «{error.value}»"


def test_volumen_rechaza_rutas_con_dos_puntos():
    lanza(
        ValueError,
        "volumen('/datos/a:b', '/curso')",
        lambda: ordenes.volumen("/datos/a:b", "/curso"),
        "En -v LOCAL:INTERNA, un «:» dentro de una ruta haría que docker la partiera mal.",
    )


def test_ruta_en_contenedor_traduce_la_ruta_local_a_la_de_dentro():
    obtenida = ordenes.ruta_en_contenedor(PROGRAMA, CURSO, "/curso")
    assert obtenida == "/curso/ejercicios/ejecutores/programa.py", (
        f"El programa {PROGRAMA} se ve dentro del contenedor como "
        f"/curso/ejercicios/ejecutores/programa.py; llegó {obtenida!r}"
    )


@pytest.mark.parametrize(("local", "interna"), [("curso", "/curso"), (CURSO, "curso")])
def test_ruta_en_contenedor_exige_carpetas_absolutas(local, interna):
    with pytest.raises(ValueError):
        ordenes.ruta_en_contenedor(f"{CURSO}/p.py", local, interna)
        pytest.fail(
            f"ruta_en_contenedor(..., {local!r}, {interna!r}) no lanzó ValueError: las dos "
            "carpetas tienen que ser rutas absolutas"
        )


def test_ruta_en_contenedor_admite_la_carpeta_con_barra_final_y_en_la_raiz():
    for carpeta, interna, esperada in (
        (f"{CURSO}/", "/curso", "/curso/p.py"),
        (CURSO, "/", "/p.py"),
    ):
        obtenida = ordenes.ruta_en_contenedor(f"{CURSO}/p.py", carpeta, interna)
        assert obtenida == esperada, (
            f"ruta_en_contenedor('{CURSO}/p.py', {carpeta!r}, {interna!r}) debería dar "
            f"{esperada!r}; dio {obtenida!r}. Ojo con las barras: ni dobles (//) ni de menos."
        )


@pytest.mark.parametrize(
    "programa",
    [
        f"{CURSO}2/programa.py",  # empieza igual que la carpeta, pero es otra carpeta
        "/etc/passwd",
        f"{CURSO}/../secreto.py",
        "programa.py",
    ],
)
def test_ruta_en_contenedor_rechaza_programas_fuera_de_la_carpeta_montada(programa):
    with pytest.raises(ValueError) as error:
        ordenes.ruta_en_contenedor(programa, CURSO, "/curso")
        pytest.fail(
            f"ruta_en_contenedor({programa!r}, {CURSO!r}, '/curso') no lanzó ValueError, pero "
            "ese fichero no está dentro de la carpeta montada: el contenedor no lo vería. "
            "(Ojo: comprobar con startswith da por buena /…/curso2 dentro de /…/curso.)"
        )
    assert programa in str(error.value) or cita(error.value, programa), (
        f"El mensaje debería citar {programa!r} tal como te llegó (sin normalizar); dice: "
        f"«{error.value}»"
    )


ALFANUMERICOS = string.ascii_letters + string.digits
NOMBRES_DE_CONTENEDOR = textos(ALFANUMERICOS, ALFANUMERICOS + "_.-", maximo=12)
NO_VALEN_EN_UN_NOMBRE = {
    " ": "un espacio",
    "\n": "un salto de línea",
    "/": "una barra",
    ":": "dos puntos",
    ";": "un punto y coma",
    "$": "un $",
    "'": "una comilla",
    "ñ": "una letra que no es ASCII (ñ)",
}
SALTO_FINAL = (
    "lleva un salto de línea al final. ¿Usas match con un $? El $ casa también justo antes "
    "de un salto de línea final: usa fullmatch, que exige que case el nombre entero"
)


@st.composite
def nombres_de_contenedor_invalidos(draw):
    """(nombre, por qué no vale): un nombre válido estropeado de una de varias formas."""
    nombre = draw(NOMBRES_DE_CONTENEDOR)
    forma = draw(st.sampled_from(["salto", "caracter", "principio"]))
    if forma == "salto":
        return nombre + "\n", SALTO_FINAL
    if forma == "principio":
        primero = draw(st.sampled_from(["-", "_", "."]))
        por_que = (
            "empieza por guion: docker lo tomaría por una opción"
            if primero == "-"
            else f"empieza por «{primero}» (debe empezar por una letra o una cifra)"
        )
        return primero + nombre, por_que
    caracter = draw(st.sampled_from(sorted(NO_VALEN_EN_UN_NOMBRE)))
    donde = draw(st.integers(1, len(nombre)))
    return nombre[:donde] + caracter + nombre[donde:], f"lleva {NO_VALEN_EN_UN_NOMBRE[caracter]}"


@varios(NOMBRES_DE_CONTENEDOR, "web-01", "a", "A" + "_.-" * 30, ejemplos=8)
def test_comprobar_nombre_acepta_cualquier_nombre_valido(nombres):
    for nombre in nombres:
        acepta_tal_cual(
            ordenes.comprobar_nombre,
            nombre,
            "un nombre válido: una letra o cifra y después letras, cifras, _ . o - (ASCII).",
            "el nombre",
        )


@varios(
    nombres_de_contenedor_invalidos(),
    ("web\n", SALTO_FINAL),
    ("-f", "empieza por guion: docker lo tomaría por una opción"),
    ejemplos=12,
)
def test_comprobar_nombre_rechaza_cualquier_nombre_invalido_citandolo(casos):
    rechaza_todos_citando(
        ordenes.comprobar_nombre,
        casos,
        lambda nombre, por_que: (
            f"El nombre {nombre!r} se aceptó y no es un nombre de contenedor válido: {por_que}."
        ),
        "el nombre rechazado",
        cita,
    )


MINUSCULAS = string.ascii_lowercase + string.digits
COMPONENTES = textos(MINUSCULAS, MINUSCULAS, maximo=6)
ETIQUETAS = textos(ALFANUMERICOS + "_", ALFANUMERICOS + "_.-", maximo=8)
REGISTROS = st.sampled_from(["", "docker.io/", "registro.ejemplo.es:5000/", "localhost/"])


@st.composite
def imagenes_validas(draw):
    ruta = "/".join(draw(st.lists(COMPONENTES, min_size=1, max_size=3)))
    etiqueta = draw(st.one_of(st.just(""), ETIQUETAS.map(lambda e: ":" + e)))
    return draw(REGISTROS) + ruta + etiqueta


@st.composite
def imagenes_invalidas(draw):
    """(imagen, por qué no vale)."""
    imagen = draw(imagenes_validas())
    forma = draw(st.sampled_from(["opcion", "salto", "hostil", "mayuscula", "etiqueta"]))
    if forma == "opcion":
        opcion = draw(st.sampled_from(["--privileged", "-v=/:/host", "--rm", "-" + imagen]))
        return opcion, "empieza por guion: docker la tomaría por una opción"
    if forma == "salto":
        return imagen + "\n", SALTO_FINAL.replace("el nombre", "la imagen")
    if forma == "hostil":
        pegado = draw(st.sampled_from([" ", ";", "$(x)", "'", "ñ"]))
        return imagen + pegado, f"lleva «{pegado}»"
    if forma == "mayuscula":
        ruta = "/".join(draw(st.lists(COMPONENTES, min_size=1, max_size=3)))
        return draw(REGISTROS) + ruta + "X", "la ruta de una imagen va en minúsculas"
    return imagen.split(":")[0] + ":." + "x", "la etiqueta empieza por punto"


@varios(
    imagenes_validas(),
    "python:3.6.4",
    "python:3.11-slim",
    "monitor:1.0",
    "registro.ejemplo.es:5000/equipo/monitor:1.0",
    ejemplos=8,
)
def test_comprobar_imagen_acepta_cualquier_imagen_valida(imagenes):
    for imagen in imagenes:
        acepta_tal_cual(
            ordenes.comprobar_imagen,
            imagen,
            "una imagen válida: [registro/]ruta[:etiqueta], la ruta en minúsculas (usa "
            "IMAGEN.fullmatch).",
            "la imagen",
        )


@varios(
    imagenes_invalidas(),
    ("--privileged", "empieza por guion: docker la tomaría por una opción"),
    ("python:3.6.4\n", "lleva un salto de línea al final"),
    ("", "está vacía"),
    ejemplos=12,
)
def test_comprobar_imagen_rechaza_cualquier_imagen_invalida_citandola(casos):
    rechaza_todos_citando(
        ordenes.comprobar_imagen,
        casos,
        lambda imagen, por_que: f"La imagen {imagen!r} se aceptó y no es válida: {por_que}.",
        "la imagen rechazada",
        cita,
    )


# Un trozo de ruta con de todo (menos «/», «:» y el byte nulo), pero nunca «.» ni «..».
TROZOS = textos(RAROS + "AB", RAROS + "AB._", maximo=6).map(
    lambda t: t if t.strip(".") else "x" + t
)
RUTAS_ABSOLUTAS = st.lists(TROZOS, min_size=1, max_size=4).map(lambda ts: "/" + "/".join(ts))


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.lists(st.tuples(RUTAS_ABSOLUTAS, RUTAS_ABSOLUTAS), min_size=1, max_size=6))
@example([("/srv/mi carpeta; echo INYECTADO", "/$(echo INYECTADO)"), ("/-v", "/a b")])
def test_volumen_une_cualquier_par_de_rutas_absolutas(pares):
    for local, interna in pares:
        try:
            obtenido = ordenes.volumen(local, interna)
        except ValueError as error:
            pytest.fail(
                f"volumen({local!r}, {interna!r}) lanzó ValueError («{error}») y las dos rutas "
                "son absolutas y sin «:»: es un volumen válido.",
                pytrace=False,
            )
        assert obtenido == f"{local}:{interna}", (
            f"volumen({local!r}, {interna!r}) debería ser {local + ':' + interna!r}, tal cual; "
            f"es {obtenido!r}"
        )


@settings(max_examples=10, report_multiple_bugs=False)
@given(RUTAS_ABSOLUTAS, RUTAS_ABSOLUTAS, st.sampled_from(["relativa", "dos_puntos"]), st.booleans())
@example("/srv/curso", "/curso", "dos_puntos", True)
def test_volumen_rechaza_cualquier_ruta_relativa_o_con_dos_puntos(local, interna, forma, primera):
    if forma == "relativa":
        mala, por_que = (local if primera else interna).lstrip("/"), "es relativa"
    else:
        mala, por_que = (local if primera else interna) + ":ro", "lleva «:»"
    argumentos = (mala, interna) if primera else (local, mala)
    error = lanza(
        ValueError,
        f"volumen{argumentos!r}",
        lambda: ordenes.volumen(*argumentos),
        f"Se aceptó la ruta {mala!r} y {por_que}: con -v, docker la tomaría por el nombre de "
        "un volumen o la partiría por el «:».",
    )
    assert mala in str(error) or cita(error, mala), (
        f"El mensaje debería citar la ruta {mala!r}, tal cual o con repr(); dice: «{error}»"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(RUTAS_ABSOLUTAS, st.lists(TROZOS, min_size=1, max_size=3), RUTAS_ABSOLUTAS)
@example("/home/ubuntu/curso", ["a b", "-x.py"], "/curso")
def test_ruta_en_contenedor_traduce_cualquier_programa_de_la_carpeta(local, trozos, interna):
    programa = posixpath.join(local, *trozos)
    esperada = posixpath.join(interna, *trozos)
    obtenida = ordenes.ruta_en_contenedor(programa, local, interna)
    assert obtenida == esperada, (
        f"ruta_en_contenedor({programa!r}, {local!r}, {interna!r}) debería dar {esperada!r}; "
        f"dio {obtenida!r}"
    )


@pytest.mark.parametrize("programa", [CURSO, f"{CURSO}/", f"{CURSO}/.", f"{CURSO}/x/.."])
def test_ruta_en_contenedor_rechaza_la_propia_carpeta_montada(programa):
    error = lanza(
        ValueError,
        f"ruta_en_contenedor({programa!r}, {CURSO!r}, '/curso')",
        lambda: ordenes.ruta_en_contenedor(programa, CURSO, "/curso"),
        f"{programa!r} es la propia carpeta montada, no un fichero dentro de ella: no hay "
        "programa que ejecutar (compara las rutas ya normalizadas).",
    )
    assert programa in str(error) or cita(error, programa), (
        f"El mensaje debería citar {programa!r} tal como te llegó (sin normalizar); dice: «{error}»"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(RUTAS_ABSOLUTAS, TROZOS, st.sampled_from(["hermana", "arriba", "otra"]))
@example("/home/ubuntu/curso", "p.py", "hermana")
def test_ruta_en_contenedor_rechaza_cualquier_programa_de_fuera(local, trozo, forma):
    programa = {
        "hermana": f"{local}2/{trozo}",  # empieza igual que la carpeta, pero es otra
        "arriba": f"{local}/../{trozo}",
        "otra": f"/otra{local}/{trozo}",
    }[forma]
    error = lanza(
        ValueError,
        f"ruta_en_contenedor({programa!r}, {local!r}, '/curso')",
        lambda: ordenes.ruta_en_contenedor(programa, local, "/curso"),
        f"{programa!r} no está dentro de {local!r}, la carpeta montada: el contenedor no lo "
        "vería. (Ojo: startswith da por buena /…/curso2 dentro de /…/curso.)",
    )
    assert programa in str(error) or cita(error, programa), (
        f"El mensaje debería citar {programa!r} tal como te llegó (sin normalizar); dice: «{error}»"
    )


def test_ruta_en_contenedor_con_la_raiz_montada_o_un_fichero_que_empieza_por_dos_puntos():
    # Dos casos frontera de «¿cuelga el programa de la carpeta?»: montar la raíz (/) y un
    # fichero de dentro cuyo nombre empieza por «..» (no es subir a la carpeta de arriba).
    casos = [
        ("/p.py", "/", "/curso", "/curso/p.py", "raiz"),
        ("/srv/app/p.py", "/", "/host", "/host/srv/app/p.py", "raiz"),
        (f"{CURSO}/..notas.py", CURSO, "/curso", "/curso/..notas.py", "puntos"),
        (f"{CURSO}/...", CURSO, "/curso", "/curso/...", "puntos"),
        (f"{CURSO}/..a/p.py", CURSO, "/curso", "/curso/..a/p.py", "puntos"),
    ]
    por_que = {
        "raiz": "Con la carpeta «/», todo fichero cuelga de ella. ¿Compruebas con "
        "startswith(carpeta + '/')? Con «/» eso busca «//», que no está en ninguna ruta "
        "normalizada: compara con posixpath.commonpath.",
        "puntos": "Es un fichero de dentro de la carpeta cuyo nombre empieza por «..». ¿Miras "
        "si relpath(...) empieza por '..'? Subir de carpeta es «..» entero o «../...», no "
        "cualquier nombre que empiece por dos puntos: compara con posixpath.commonpath.",
    }
    for programa, local, interna, esperada, cual in casos:
        llamada = f"ruta_en_contenedor({programa!r}, {local!r}, {interna!r})"
        try:
            obtenida = ordenes.ruta_en_contenedor(programa, local, interna)
        except ValueError as error:
            pytest.fail(
                f"{llamada} lanzó ValueError («{error}») y debía dar {esperada!r}. {por_que[cual]}",
                pytrace=False,
            )
        assert obtenida == esperada, (
            f"{llamada} debería dar {esperada!r}; dio {obtenida!r}. {por_que[cual]}"
        )


# --- Paso 2: la vida de un contenedor (cuaderno: 7) -------------------------------------------


# Cada orden de la vida de un contenedor, por grupos (el id de cada prueba): (función,
# argumentos, opciones, lo que debe devolver detrás del motor). Se prueba con los dos motores.
VIDA_DE_UN_CONTENEDOR = {
    "descargar_y_listar_imagenes": [
        ("descargar", ["python:3.6.4"], {}, ["image", "pull", "python:3.6.4"]),
        ("listar_imagenes", [], {}, ["image", "list"]),
    ],
    "crear_un_contenedor_con_nombre": [
        (
            "crear",
            ["mipython", "python:3.6.4"],
            {},
            ["container", "create", "--name", "mipython", "python:3.6.4"],
        ),
    ],
    "arrancar_vincular_y_parar": [
        ("arrancar", ["mipython"], {}, ["container", "start", "mipython"]),
        ("vincular", ["mipython"], {}, ["container", "attach", "mipython"]),
        ("parar", ["mipython"], {}, ["container", "stop", "mipython"]),
    ],
    "borrar_con_y_sin_forzar": [
        ("borrar", ["mipython"], {}, ["container", "rm", "mipython"]),
        ("borrar", ["mipython"], {"forzar": True}, ["container", "rm", "-f", "mipython"]),
    ],
    "listar_contenedores_solo_los_que_corren_o_todos": [
        ("listar_contenedores", [], {}, ["container", "list"]),
        ("listar_contenedores", [], {"todos": True}, ["container", "list", "--all"]),
    ],
}


@pytest.mark.parametrize("motor", MOTORES)
@pytest.mark.parametrize(
    "esperadas", VIDA_DE_UN_CONTENEDOR.values(), ids=VIDA_DE_UN_CONTENEDOR.keys()
)
def test_la_vida_de_un_contenedor(esperadas, motor):
    for funcion, argumentos, opciones, esperada in esperadas:
        escritos = [*map(repr, argumentos), *(f"{k}={v!r}" for k, v in opciones.items())]
        _comparar(
            getattr(ordenes, funcion)(*argumentos, **opciones, motor=motor),
            [motor, *esperada],
            f"{funcion}({', '.join([*escritos, f'motor={motor!r}'])})",
        )


def test_crear_con_volumen_y_orden_pone_las_opciones_antes_de_la_imagen():
    # Lo que va detrás de la imagen es la orden del contenedor: un -v detrás no montaría nada.
    _comparar(
        ordenes.crear(
            "mipython", "python:3.6.4", orden=["sh", "-c", "sleep 3600"], volumenes={CURSO: "/curso"}
        ),
        [
            "docker", "container", "create", "--name", "mipython", "-v", f"{CURSO}:/curso",
            "python:3.6.4", "sh", "-c", "sleep 3600",
        ],
        "crear con volumen y orden",
    )  # fmt: skip


def test_crear_con_dos_volumenes_pone_un_v_por_cada_uno():
    _comparar(
        ordenes.crear("web", "python:3.11-slim", volumenes={"/srv/a": "/a", "/srv/b": "/b"}),
        [
            "docker", "container", "create", "--name", "web",
            "-v", "/srv/a:/a", "-v", "/srv/b:/b", "python:3.11-slim",
        ],
        "crear con dos volúmenes",
    )  # fmt: skip


def test_crear_no_comparte_la_lista_de_la_orden_entre_llamadas():
    primera = ordenes.crear("uno", "python:3.11-slim")
    primera.append("basura")
    _comparar(
        ordenes.crear("dos", "python:3.11-slim"),
        ["docker", "container", "create", "--name", "dos", "python:3.11-slim"],
        "crear('dos', ...) después de modificar lo que devolvió crear('uno', ...)",
    )


def test_crear_valida_el_nombre_y_los_volumenes():
    with pytest.raises(ValueError):
        ordenes.crear("mi python", "python:3.6.4")
        pytest.fail(
            "crear('mi python', ...) no lanzó ValueError: valida el nombre con comprobar_nombre"
        )
    with pytest.raises(ValueError):
        ordenes.crear("mipython", "python:3.6.4", volumenes={"curso": "/curso"})
        pytest.fail(
            "crear(..., volumenes={'curso': '/curso'}) no lanzó ValueError: construye cada -v "
            "con volumen(), que rechaza las rutas relativas"
        )


@pytest.mark.parametrize(
    "funcion", ["descargar", "arrancar", "vincular", "parar", "borrar", "listar_contenedores"]
)
def test_todas_las_ordenes_validan_el_motor(funcion):
    argumentos = {"descargar": ["python:3.6.4"], "listar_contenedores": []}.get(funcion, ["web"])
    with pytest.raises(ValueError):
        getattr(ordenes, funcion)(*argumentos, motor="dockr")
        pytest.fail(f"{funcion}(..., motor='dockr') no lanzó ValueError: usa comprobar_motor")


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.lists(TEXTOS_HOSTILES, max_size=6), st.sampled_from(MOTORES))
@example([], "docker")
@example(["sh", "-c", "sleep 3600"], "podman")
@example(HOSTILES, "docker")
def test_crear_pasa_cualquier_orden_tal_cual_detras_de_la_imagen(orden, motor):
    copia = list(orden)
    obtenida = ordenes.crear("web", "python:3.11-slim", orden=orden, motor=motor)
    _comparar(
        obtenida,
        [motor, "container", "create", "--name", "web", "python:3.11-slim", *copia],
        f"crear('web', 'python:3.11-slim', orden={copia!r})",
    )
    assert orden == copia, (
        f"crear cambió la lista orden que recibió: era {copia!r} y ahora es {orden!r}"
    )


@settings(max_examples=8, report_multiple_bugs=False)
@given(st.lists(st.tuples(RUTAS_ABSOLUTAS, RUTAS_ABSOLUTAS), max_size=4))
@example([])
@example([("/srv/a b", "/a"), ("/srv/$(x)", "/b")])
def test_crear_pone_un_v_por_cada_volumen_con_cualquier_ruta(pares):
    volumenes = dict(pares)
    esperada = ["docker", "container", "create", "--name", "web"]
    for local, interna in volumenes.items():
        esperada += ["-v", f"{local}:{interna}"]
    _comparar(
        ordenes.crear("web", "python:3.11-slim", volumenes=volumenes),
        [*esperada, "python:3.11-slim"],
        f"crear('web', 'python:3.11-slim', volumenes={volumenes!r})",
    )


@pytest.mark.parametrize("imagen", ["--privileged", "-v=/:/host", "python:3.6.4\n", "Python"])
def test_descargar_y_crear_validan_la_imagen(imagen):
    for que, llamada in (
        (f"descargar({imagen!r})", lambda: ordenes.descargar(imagen)),
        (f"crear('web', {imagen!r})", lambda: ordenes.crear("web", imagen)),
    ):
        lanza(
            ValueError,
            que,
            llamada,
            f"{imagen!r} no es una imagen válida (docker tomaría lo que empieza por - por una "
            "opción): valídala con comprobar_imagen.",
        )


# --- Paso 3: la forma corta (cuaderno: 7) -----------------------------------------------------


@pytest.mark.parametrize(
    ("larga", "corta"),
    [
        (["docker", "image", "pull", "python:3.6.4"], ["docker", "pull", "python:3.6.4"]),
        (["docker", "image", "list"], ["docker", "images"]),
        (["podman", "container", "list", "--all"], ["podman", "ps", "--all"]),
        (["docker", "container", "rm", "-f", "mipython"], ["docker", "rm", "-f", "mipython"]),
        (["docker", "container", "start", "mipython"], ["docker", "start", "mipython"]),
        (["docker", "container", "exec", "web", "ls"], ["docker", "exec", "web", "ls"]),
        (
            ["docker", "container", "run", "--rm", "python:3.6.4"],
            ["docker", "run", "--rm", "python:3.6.4"],
        ),
        (["docker", "image", "build", "-t", "m", "."], ["docker", "build", "-t", "m", "."]),
    ],
)
def test_forma_corta(larga, corta):
    _comparar(ordenes.forma_corta(larga), corta, f"forma_corta({larga})")


def test_forma_corta_no_modifica_la_orden_que_recibe():
    larga = ["docker", "image", "list"]
    ordenes.forma_corta(larga)
    assert larga == ["docker", "image", "list"], f"forma_corta cambió su argumento: {larga}"


@pytest.mark.parametrize("corta", [[], ["docker"], ["docker", "image"]], ids=["0", "1", "2"])
def test_forma_corta_de_una_orden_incompleta_es_un_valueerror(corta):
    lanza(
        ValueError,
        f"forma_corta({corta!r})",
        lambda: ordenes.forma_corta(corta),
        f"{corta!r} no tiene motor, TIPO y VERBO: no hay forma corta que buscar. Mira la "
        "longitud antes de leer orden[1] y orden[2] (si no, sale un IndexError).",
    )


@pytest.mark.parametrize("motor", ["kubectl", "Docker", ""])
def test_forma_corta_valida_el_motor(motor):
    lanza(
        ValueError,
        f"forma_corta([{motor!r}, 'image', 'list'])",
        lambda: ordenes.forma_corta([motor, "image", "list"]),
        f"{motor!r} no es un motor de contenedores: forma_corta también usa comprobar_motor, como "
        "las demás órdenes (si no, devuelve una orden que luego no ejecuta nadie).",
    )


def test_forma_corta_de_algo_desconocido_es_un_error_que_lo_cita():
    error = lanza(
        ValueError,
        "forma_corta(['docker', 'volume', 'prune'])",
        lambda: ordenes.forma_corta(["docker", "volume", "prune"]),
        "Esa orden no está en la tabla de formas cortas: no te la inventes.",
    )
    assert "volume" in str(error), f"El mensaje debería citar la orden; dice: «{error}»"


def test_forma_corta_no_cambia_la_tabla_entre_llamadas():
    tabla = {clave: list(valor) for clave, valor in ordenes.FORMAS_CORTAS.items()}
    ordenes.forma_corta(["docker", "container", "rm", "-f", "web"])
    segunda = ordenes.forma_corta(["docker", "container", "rm", "db"])
    cambiadas = sorted(
        clave for clave, valor in ordenes.FORMAS_CORTAS.items() if tabla.get(clave) != valor
    )
    assert segunda == ["docker", "rm", "db"] and not cambiadas, (
        f"Tras forma_corta(['docker', 'container', 'rm', '-f', 'web']), forma_corta(['docker', "
        f"'container', 'rm', 'db']) dio {segunda!r} (se esperaba ['docker', 'rm', 'db']) y "
        f"FORMAS_CORTAS cambió en {cambiadas}: la lista de la tabla es la misma en cada llamada, "
        "y si la alargas (extend, +=, append) se queda alargada. Construye una lista nueva: "
        "[motor, *FORMAS_CORTAS[(tipo, verbo)], *orden[3:]]."
    )


# Las (TIPO, VERBO) de FORMAS_CORTAS (aquí escritas: la recogida no carga ordenes.py).
TIPOS_Y_VERBOS = [
    *(("image", verbo) for verbo in ("pull", "list", "build")),
    *(("container", verbo) for verbo in ("list", "create", "start", "attach", "stop", "rm")),
    *(("container", verbo) for verbo in ("run", "exec")),
]


@settings(max_examples=10, report_multiple_bugs=False)
@given(
    st.sampled_from(MOTORES), st.sampled_from(TIPOS_Y_VERBOS), st.lists(TEXTOS_HOSTILES, max_size=5)
)
@example("docker", ("container", "exec"), ["web", "python3", "/curso/mi programa.py", ""])
def test_forma_corta_pasa_cualquier_argumento_tal_cual(motor, tipo_y_verbo, resto):
    larga = [motor, *tipo_y_verbo, *resto]
    esperada = [motor, *ordenes.FORMAS_CORTAS[tipo_y_verbo], *resto]
    obtenida = ordenes.forma_corta(list(larga))
    assert obtenida == esperada, (
        f"forma_corta({larga!r}) debería dar {esperada!r}; dio {obtenida!r}. Lo que va detrás de "
        "TIPO y VERBO pasa tal cual, un elemento por argumento, aunque tenga espacios o esté "
        "vacío: ¿unes la orden en un texto y la vuelves a partir con split()? Trabaja con la "
        "lista: [motor, *FORMAS_CORTAS[(orden[1], orden[2])], *orden[3:]]."
    )


# --- Paso 4: las tres opciones de los apuntes (cuaderno: 8) -----------------------------------


def test_opcion1_preparar_crea_un_contenedor_que_dura_y_lo_arranca():
    obtenidas = ordenes.opcion1_preparar("mipython", "python:3.6.4", CURSO, "/curso")
    assert isinstance(obtenidas, list) and len(obtenidas) == 2, (
        f"opcion1_preparar debería devolver dos órdenes (crear y arrancar); llegó {obtenidas!r}"
    )
    crear, arrancar = obtenidas
    if crear[-2:] == ["sleep", "3600"] and crear[-3:-2] != ["-c"]:
        pytest.fail(
            'La orden del contenedor debe ser sh -c "sleep 3600": te falta el sh -c delante. '
            "Los apuntes lo arrancan con un shell: [..., imagen, 'sh', '-c', 'sleep 3600'], con "
            '"sleep 3600" como UN solo argumento (el código que ejecuta sh).'
        )
    if crear[-3:] != ["sh", "-c", "sleep 3600"] and crear[-2:] == ["sleep", "3600"]:
        pytest.fail(
            'La orden del contenedor debe ser sh -c "sleep 3600": tres argumentos, con '
            "\"sleep 3600\" JUNTOS. Con [..., 'sleep', '3600'], sh ejecuta solo «sleep» (sin "
            "segundos: falla y el contenedor muere) y «3600» se queda como $0."
        )
    _comparar(
        crear,
        [
            "docker", "container", "create", "--name", "mipython", "-v", f"{CURSO}:/curso",
            "python:3.6.4", "sh", "-c", "sleep 3600",
        ],
        "opcion1_preparar: la orden de crear",
    )  # fmt: skip
    _comparar(arrancar, ["docker", "container", "start", "mipython"], "opcion1_preparar: arrancar")


def test_opcion1_preparar_con_otros_segundos_y_podman():
    crear, _ = ordenes.opcion1_preparar(
        "web", "python:3.11-slim", "/srv/web", "/app", segundos=60, motor="podman"
    )
    _comparar(
        crear,
        [
            "podman", "container", "create", "--name", "web", "-v", "/srv/web:/app",
            "python:3.11-slim", "sh", "-c", "sleep 60",
        ],
        "opcion1_preparar(..., segundos=60, motor='podman'): crear",
    )  # fmt: skip


def test_opcion1_ejecutar_usa_exec_en_el_contenedor_con_la_ruta_de_dentro():
    _comparar(
        ordenes.opcion1_ejecutar("mipython", PROGRAMA, CURSO, "/curso"),
        [
            "docker", "container", "exec", "mipython",
            "python3", "/curso/ejercicios/ejecutores/programa.py",
        ],
        "opcion1_ejecutar",
    )  # fmt: skip


def test_opcion2_ejecutar_es_la_orden_de_los_apuntes():
    obtenida = ordenes.opcion2_ejecutar("python:3.6.4", PROGRAMA, CURSO, "/curso")
    if isinstance(obtenida, list) and "--rm" not in obtenida:
        pytest.fail(
            "Falta --rm: sin él, cada ejecución deja un contenedor parado más en "
            "`docker ps --all`, y en la opción 2 se crea uno cada vez."
        )
    if isinstance(obtenida, list) and "python:3.6.4" in obtenida and "--rm" in obtenida:
        assert obtenida.index("--rm") < obtenida.index("python:3.6.4"), (
            f"--rm va antes de la imagen: detrás, se le pasaría al contenedor. Llegó {obtenida}"
        )
    _comparar(
        obtenida,
        [
            "docker", "container", "run", "--rm", "-v", f"{CURSO}:/curso", "python:3.6.4",
            "python3", "/curso/ejercicios/ejecutores/programa.py",
        ],
        "opcion2_ejecutar",
    )  # fmt: skip


def test_opcion2_no_acepta_un_programa_de_fuera_de_la_carpeta():
    lanza(
        ValueError,
        "opcion2_ejecutar(..., '/tmp/programa.py', CURSO, '/curso')",
        lambda: ordenes.opcion2_ejecutar("python:3.6.4", "/tmp/programa.py", CURSO, "/curso"),
        "/tmp/programa.py no está dentro de la carpeta montada: el contenedor no lo vería "
        "(usa ruta_en_contenedor).",
    )


def test_opcion3_construye_una_imagen_y_la_ejecuta_sin_volumen():
    _comparar(
        ordenes.opcion3_construir("monitor:1.0", "ejercicios/08"),
        ["docker", "image", "build", "-t", "monitor:1.0", "ejercicios/08"],
        "opcion3_construir('monitor:1.0', 'ejercicios/08')",
    )
    _comparar(
        ordenes.opcion3_ejecutar("monitor:1.0", ["http://127.0.0.1:8000/"], motor="podman"),
        ["podman", "container", "run", "--rm", "monitor:1.0", "http://127.0.0.1:8000/"],
        "opcion3_ejecutar('monitor:1.0', ['http://127.0.0.1:8000/'], motor='podman')",
    )
    _comparar(
        ordenes.opcion3_ejecutar("monitor:1.0"),
        ["docker", "container", "run", "--rm", "monitor:1.0"],
        "opcion3_ejecutar('monitor:1.0')",
    )


SH = shutil.which("sh") or "/bin/sh"


def _ejecutar_el_sh_c(orden, carpeta):
    """Ejecuta de verdad la parte `sh -c CODIGO ...` de una orden (sin docker), con un «sleep»
    falso que solo escribe los argumentos que recibe, separados por el byte nulo. El PATH solo
    tiene ese sleep: ningún otro programa se puede ejecutar, pase lo que pase en el shell."""
    i = next(i for i in range(len(orden) - 1) if orden[i : i + 2] == ["sh", "-c"])
    falso = carpeta / "sleep"
    if not falso.exists():
        falso.write_text("#!/bin/sh\nprintf '%s\\0' \"$@\"\n", encoding="utf-8")
        falso.chmod(0o755)
    hecho = subprocess.run(
        [SH, "-c", *orden[i + 2 :]],
        env={"PATH": str(carpeta)},
        cwd=carpeta,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=10,
        check=False,
    )
    return hecho.stdout.decode("utf-8", "replace"), hecho.stderr.decode("utf-8", "replace")


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.integers(1, 10**9))
@example(3600)
@example(1)
def test_opcion1_preparar_con_cualquier_numero_de_segundos_el_sh_c_solo_duerme(tmp_path, segundos):
    crear, _ = ordenes.opcion1_preparar("web", "python:3.11-slim", "/srv/web", "/app", segundos)
    salida, errores = _ejecutar_el_sh_c(crear, tmp_path)
    assert salida == f"{segundos}\0" and not errores, (
        f"Con segundos={segundos}, el sh -c del contenedor debería ejecutar solo «sleep "
        f"{segundos}» (sleep recibe el argumento {str(segundos)!r}); ejecutado de verdad, "
        f"sleep recibió {salida.split(chr(0))[:-1]!r} y el shell dijo {errores.strip()!r}"
    )


@settings(max_examples=15, report_multiple_bugs=False)
@given(st.one_of(TEXTOS_HOSTILES, st.booleans(), st.floats(), st.integers(max_value=0)))
@example("3600; echo INYECTADO")
@example("$(echo INYECTADO)")
@example("60")
@example(True)
@example(0)
def test_opcion1_preparar_no_mete_ningun_dato_en_el_codigo_del_sh_c(tmp_path, segundos):
    # Lo que no es un número entero de segundos (1 o más) debe rechazarse: iría DENTRO del
    # código que ejecuta sh -c, y un texto ahí es una orden más («3600; rm -rf /»).
    tipo = ValueError if type(segundos) is int else TypeError
    try:
        crear, _ = ordenes.opcion1_preparar("web", "python:3.11-slim", "/srv/web", "/app", segundos)
    except tipo:
        return
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - se explica en el mensaje
        pytest.fail(
            f"opcion1_preparar(..., segundos={segundos!r}) lanzó {type(error).__name__} "
            f"(«{error}») y debía lanzar {tipo.__name__}: segundos es un int, 1 o más.",
            pytrace=False,
        )
    salida, errores = _ejecutar_el_sh_c(crear, tmp_path)
    recibidos = salida.split("\0")
    otra_cosa = recibidos[-1] or errores.strip()
    assert not otra_cosa, (
        f"opcion1_preparar(..., segundos={segundos!r}) aceptó el dato y lo metió dentro del "
        f"código de sh -c ({crear[-1]!r}): ejecutado de verdad, el shell hizo algo más que "
        f"dormir ({otra_cosa.strip()!r}). Un dato dentro del código de un shell se ejecuta "
        "como una orden: comprueba que segundos es un int (no un bool) y 1 o más, y si no, "
        "TypeError o ValueError."
    )
    pytest.fail(
        f"opcion1_preparar(..., segundos={segundos!r}) aceptó un valor que no es un número "
        f"entero de segundos (sleep recibió {recibidos[:-1]!r}): va dentro del código de sh -c, "
        f"así que debe ser un int de 1 o más; si no, {tipo.__name__}.",
        pytrace=False,
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(RUTAS_ABSOLUTAS, st.lists(TROZOS, min_size=1, max_size=3), st.sampled_from(MOTORES))
@example("/srv/mi curso", ["x; echo INYECTADO.py"], "docker")
@example("/srv/-v", ["$(echo INYECTADO)", "--rm.py"], "podman")
def test_opcion1_y_2_pasan_cualquier_programa_como_un_solo_argumento(local, trozos, motor):
    programa = posixpath.join(local, *trozos)
    dentro = posixpath.join("/curso", *trozos)
    obtenida = ordenes.opcion1_ejecutar("web", programa, local, "/curso", motor=motor)
    _sin_datos_en_un_sh_c(obtenida, [dentro], "opcion1_ejecutar")
    _comparar(
        obtenida,
        [motor, "container", "exec", "web", "python3", dentro],
        f"opcion1_ejecutar('web', {programa!r}, {local!r}, '/curso')",
    )
    obtenida = ordenes.opcion2_ejecutar("python:3.11-slim", programa, local, "/curso", motor=motor)
    _sin_datos_en_un_sh_c(obtenida, [dentro], "opcion2_ejecutar")
    _comparar(
        obtenida,
        [
            motor, "container", "run", "--rm", "-v", f"{local}:/curso", "python:3.11-slim",
            "python3", dentro,
        ],
        f"opcion2_ejecutar('python:3.11-slim', {programa!r}, {local!r}, '/curso')",
    )  # fmt: skip


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.lists(TEXTOS_HOSTILES, max_size=6), st.sampled_from(MOTORES))
@example([], "docker")
@example(HOSTILES, "podman")
def test_opcion3_ejecutar_pasa_cualquier_argumento_tal_cual(argumentos, motor):
    copia = list(argumentos)
    obtenida = ordenes.opcion3_ejecutar("monitor:1.0", argumentos, motor=motor)
    _sin_datos_en_un_sh_c(obtenida, copia, "opcion3_ejecutar")
    _comparar(
        obtenida,
        [motor, "container", "run", "--rm", "monitor:1.0", *copia],
        f"opcion3_ejecutar('monitor:1.0', {copia!r})",
    )
    assert argumentos == copia, (
        f"opcion3_ejecutar cambió la lista que recibió: era {copia!r} y ahora es {argumentos!r}"
    )


@settings(max_examples=10, report_multiple_bugs=False)
@given(st.lists(TROZOS, min_size=1, max_size=3).map("/".join), imagenes_validas())
@example("ejercicios/08", "monitor:1.0")
@example("mi carpeta; echo INYECTADO", "registro.ejemplo.es:5000/equipo/monitor")
def test_opcion3_construir_con_cualquier_carpeta_y_etiqueta(contexto, etiqueta):
    if contexto.startswith("-"):
        contexto = "./" + contexto
    _comparar(
        ordenes.opcion3_construir(etiqueta, contexto),
        ["docker", "image", "build", "-t", etiqueta, contexto],
        f"opcion3_construir({etiqueta!r}, {contexto!r})",
    )


@pytest.mark.parametrize(
    ("etiqueta", "contexto"),
    [("--privileged", "."), ("monitor:1.0", "-f"), ("monitor:1.0", "--file=/etc/passwd")],
)
def test_las_opciones_validan_la_imagen_y_la_carpeta(etiqueta, contexto):
    lanza(
        ValueError,
        f"opcion3_construir({etiqueta!r}, {contexto!r})",
        lambda: ordenes.opcion3_construir(etiqueta, contexto),
        "Lo que empieza por - docker lo tomaría por una opción: valida la etiqueta con "
        "comprobar_imagen y rechaza una carpeta que empiece por - (que escriban ./-carpeta).",
    )
    if contexto == ".":
        for que, llamada in (
            (f"opcion3_ejecutar({etiqueta!r})", lambda: ordenes.opcion3_ejecutar(etiqueta)),
            (
                f"opcion2_ejecutar({etiqueta!r}, ...)",
                lambda: ordenes.opcion2_ejecutar(etiqueta, PROGRAMA, CURSO, "/curso"),
            ),
        ):
            lanza(ValueError, que, llamada, "Valida la imagen con comprobar_imagen.")


@pytest.mark.parametrize("segundos", ["3600", 3600.0, True, 0, -5])
def test_opcion1_preparar_valida_los_segundos(segundos):
    tipo = ValueError if type(segundos) is int else TypeError
    error = lanza(
        tipo,
        f"opcion1_preparar(..., segundos={segundos!r})",
        lambda: ordenes.opcion1_preparar("web", "python:3.11-slim", "/srv", "/app", segundos),
        "segundos va dentro del código de sh -c: tiene que ser un int (no un bool) de 1 o más; "
        "si no es un int, TypeError; si es menor que 1, ValueError.",
    )
    assert cita(error, segundos) or str(segundos) in str(error), (
        f"El mensaje debería citar el valor {segundos!r}; dice: «{error}»"
    )


# --- Paso 4, de verdad: las órdenes ejecutadas (solo donde hay docker o podman) (cuaderno: 8) ---


def _motor():
    resultado = motor_o_motivo()
    if isinstance(resultado, str):
        pytest.skip(f"Se omite la ejecución real: {resultado.rstrip('.')}.")
    return resultado


def _ejecutar(orden, que):
    proceso = subprocess.run(orden, capture_output=True, text=True, timeout=120, check=False)
    assert proceso.returncode == 0, (
        f"{que}: «{' '.join(orden)}» salió con código {proceso.returncode}:\n"
        f"{proceso.stdout}{proceso.stderr}"
    )
    return proceso.stdout


def _adaptar(orden, motor):
    """Las órdenes se piden para docker y con la imagen ficticia «imagen-de-prueba» (así se usa tu código
    antes de saber si hay motor): aquí se cambian por el motor y la imagen que hay de verdad."""
    return [
        motor.nombre,
        *[motor.imagen_python if a == "imagen-de-prueba" else a for a in orden[1:]],
    ]


def _curso_de_prueba(tmp_path):
    curso = tmp_path / "curso"
    programa = curso / "ejercicios" / "ejecutores" / "programa.py"
    programa.parent.mkdir(parents=True)
    programa.write_text(
        "import pathlib, sys\n"
        "print('hola desde', sys.platform, pathlib.Path(__file__).read_text().count('hola'))\n",
        encoding="utf-8",
    )
    return curso, programa


@prueba_con_contenedores(180)
def test_opcion2_de_verdad_ejecuta_tu_programa_en_un_contenedor_y_no_deja_nada(tmp_path):
    curso, programa = _curso_de_prueba(tmp_path)
    orden = ordenes.opcion2_ejecutar("imagen-de-prueba", str(programa), str(curso), "/curso")
    motor = _motor()
    salida = _ejecutar(_adaptar(orden, motor), "La opción 2")
    assert "hola desde linux 2" in salida, f"El programa no escribió lo esperado: {salida!r}"


@prueba_con_contenedores(180)
def test_opcion1_de_verdad_un_contenedor_que_dura_y_exec(tmp_path):
    curso, programa = _curso_de_prueba(tmp_path)
    nombre = f"taller-08-{uuid.uuid4().hex[:10]}"
    preparar = ordenes.opcion1_preparar(
        nombre, "imagen-de-prueba", str(curso), "/curso", segundos=120, motor="docker"
    )
    ejecutar = ordenes.opcion1_ejecutar(nombre, str(programa), str(curso), "/curso")
    motor = _motor()
    try:
        for orden in preparar:
            _ejecutar(_adaptar(orden, motor), "La opción 1 (preparar)")
        en_marcha = _ejecutar(
            _adaptar(ordenes.listar_contenedores(), motor), "Listar los contenedores en marcha"
        )
        assert nombre in en_marcha, f"El contenedor {nombre} no está en marcha:\n{en_marcha}"
        for _ in range(2):  # el mismo contenedor sirve para varias ejecuciones
            salida = _ejecutar(_adaptar(ejecutar, motor), "La opción 1 (exec)")
            assert "hola desde linux 2" in salida, (
                f"El programa no escribió lo esperado: {salida!r}"
            )
    finally:
        rapido = ["--time", "0"] if motor.nombre == "podman" else []
        subprocess.run(
            [motor.nombre, "container", "rm", "-f", *rapido, nombre],
            capture_output=True,
            timeout=120,
            check=False,
        )
