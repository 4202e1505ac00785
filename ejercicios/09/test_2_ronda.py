"""Pruebas del módulo 09, paso 2: una ronda de comprobaciones (ronda.py).

Primero contra una flota real de servidores HTTP en 127.0.0.1 (`taller.flota`), sembrada con
averías: cada avería da su motivo y la ronda encuentra exactamente las sembradas. Las sondas
son procesos de verdad: la sonda del módulo 06 (ejercicios/06/sonda.py) contra la flota, y un
programa de una línea que apunta qué argumentos recibió. Después la concurrencia, sin relojes:
una barrera que solo se abre con N comprobaciones en vuelo a la vez (y un contador que nunca
debe pasar de N), y un Ctrl+C de verdad (SIGINT) a media ronda.

Ejecútalas con:  pytest ejercicios/09/test_2_ronda.py
"""

import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from taller.planificador import explorar
from taller.propiedades import TEXTOS_HOSTILES, example, given, settings, st
from taller.pruebas import a_la_vez, cargar, con_limite, hilos_vivos, lo_que_dio, ya_compilado

inventario = cargar("inventario")
ronda = cargar("ronda")

# El timeout de cada comprobación. Largo para lo que debe contestar: un servidor sano de la flota
# contesta en 0,01 s, pero en una máquina cargada puede tardar más de 0,3 s y saldría «sin
# respuesta» (issue 14). Corto solo para lo que no contesta nunca (el colgado, la sonda que se
# cuelga): da igual lo cargada que esté la máquina, y así no se espera de más.
TIMEOUT = 5
TIMEOUT_COLGADO = 0.15
LIMITE = 10
PYTHON = sys.executable
SONDA_06 = Path(__file__).resolve().parents[1] / "06" / "sonda.py"


@pytest.fixture(scope="module")
def la_flota(flota_del_09):
    """20 servidores reales con averías sembradas (la misma semilla, las mismas averías): la
    flota del módulo, de conftest.py, que comparte con test_4_programa.py."""
    return flota_del_09


def servidores_de(una_flota, tipo="http"):
    """El inventario de la flota, ya en clases: una comprobación por servidor."""
    return [
        inventario.Servidor(
            s.nombre,
            ("127.0.0.1",),
            (),
            (
                inventario.Comprobacion(
                    tipo, s.puerto, "/salud", TIMEOUT_COLGADO if s.averia == "colgado" else TIMEOUT
                ),
            ),
        )
        for s in una_flota.servidores
    ]


def falsos(cuantos, comprobaciones=1):
    """Servidores de mentira para las pruebas sin red: srv-00, srv-01..."""
    return [
        inventario.Servidor(
            f"srv-{n:02d}",
            ("127.0.0.1",),
            (),
            tuple(inventario.Comprobacion("tcp", 1000 + c) for c in range(comprobaciones)),
        )
        for n in range(cuantos)
    ]


def resultado_de(servidor, comprobacion):
    return ronda.Resultado(servidor.nombre, comprobacion.describir(), True, ronda.OK, 0.0)


def sonda(*orden, timeout=5.0):
    """Un servidor con una sola comprobación sonda: (servidor, comprobacion)."""
    c = inventario.Comprobacion("sonda", None, timeout=timeout, orden=tuple(map(str, orden)))
    return inventario.Servidor("sondeado", ("127.0.0.1",), (), (c,)), c


def sonda_06(*argumentos, timeout=5.0):
    """La sonda del módulo 06 (con este mismo Python) como comprobación."""
    if not SONDA_06.is_file():
        pytest.fail(f"No encuentro la sonda del módulo 06 en {SONDA_06}", pytrace=False)
    # -I -S: solo usa la biblioteca estándar; ya compilada: sin compilarse cada vez.
    return sonda(PYTHON, "-I", "-S", ya_compilado(SONDA_06), *argumentos, timeout=timeout)


@pytest.fixture(scope="module")
def en_la_flota(la_flota):
    """Todo lo que espera de verdad, a la vez (así el colgado y la sonda que no acaba cuestan
    un timeout entre todos, no uno cada uno): comprobar cada avería (http), la ronda entera y
    las sondas. Cada prueba mira después lo suyo con `lo_que_dio`."""
    servidores = {s.nombre: s for s in servidores_de(la_flota)}
    tareas = {}
    for averia in sorted({s.averia for s in la_flota.servidores}, key=str):
        servidor = servidores[la_flota.con_averia(averia)[0].nombre]
        tareas[f"http {averia}"] = lambda s=servidor: con_limite(
            LIMITE, ronda.comprobar, s, s.comprobaciones[0], que=f"comprobar({s.nombre})"
        )
    tareas["ronda"] = lambda: con_limite(
        LIMITE, ronda.ronda, servidores_de(la_flota), 5, que="ronda(20 servidores, 5)"
    )
    url = {a: la_flota.con_averia(a)[0].url for a in (None, "error_500", "puerto_cerrado")}
    sondas = {
        "sano": sonda_06(url[None], "--timeout", "5"),
        "error_500": sonda_06(url["error_500"], "--timeout", "5"),
        "puerto_cerrado": sonda_06(url["puerto_cerrado"], "--timeout", "5"),
        "código 3": sonda_06("--escribir-error", "sonda: no sé qué hacer", "--salir", "3"),
        "se cuelga": sonda_06("--escribir", "empiezo", "--dormir", "20", timeout=TIMEOUT_COLGADO),
        "bytes raros": sonda_06("--escribir-bytes-raros", "--salir", "1"),
        "no existe": sonda("/no/existe/sonda-del-09"),
    }
    for clave, (s, c) in sondas.items():
        tareas[f"sonda {clave}"] = lambda s=s, c=c, clave=clave: con_limite(
            LIMITE, ronda.comprobar, s, c, que=f"comprobar(una sonda: {clave})"
        )
    return a_la_vez(tareas, 3 * LIMITE)


# --- Paso 2: comprobar y la ronda, contra la flota (cuaderno: 3) -------------------------------


def test_comprobar_da_el_motivo_de_cada_averia(la_flota, en_la_flota):
    esperado = {
        None: ronda.OK,
        "error_500": ronda.ERROR_HTTP,
        "html": ronda.RESPUESTA_INCOHERENTE,
        "otro_nombre": ronda.RESPUESTA_INCOHERENTE,
        "estado_no_ok": ronda.RESPUESTA_INCOHERENTE,
        "json_roto": ronda.RESPUESTA_INCOHERENTE,
        "puerto_cerrado": ronda.CONEXION_RECHAZADA,
        "colgado": ronda.SIN_RESPUESTA,
    }
    mal = []
    for averia, motivo in esperado.items():
        simulado = la_flota.con_averia(averia)[0]
        r = lo_que_dio(en_la_flota, f"http {averia}", f"comprobar({simulado.nombre})")
        if (r.servidor, r.motivo, r.ok) != (simulado.nombre, motivo, motivo == ronda.OK):
            mal.append(
                f"{simulado.nombre} ({averia or 'sano'}): se esperaba {motivo!r}, llegó {r!r}"
            )
    assert not mal, "comprobar (http) no clasifica bien:\n" + "\n".join(mal)


def test_comprobar_tcp_mira_si_el_puerto_acepta(la_flota):
    sano = la_flota.con_averia(None)[0]
    cerrado = la_flota.con_averia("puerto_cerrado")[0]
    for simulado, motivo in ((sano, ronda.OK), (cerrado, ronda.CONEXION_RECHAZADA)):
        c = inventario.Comprobacion("tcp", simulado.puerto, "/salud", TIMEOUT)
        s = inventario.Servidor(simulado.nombre, ("127.0.0.1",), (), (c,))
        r = con_limite(LIMITE, ronda.comprobar, s, c, que="comprobar (tcp)")
        assert r.motivo == motivo and r.comprobacion == c.describir(), (
            f"Una comprobación tcp contra {simulado.nombre} debe dar {motivo!r} y llamarse "
            f"{c.describir()!r}; llegó {r!r}"
        )


def test_la_ronda_encuentra_exactamente_las_averias_sembradas(la_flota, en_la_flota):
    resultados = lo_que_dio(en_la_flota, "ronda", "ronda(20 servidores, 5)")
    nombres = [r.servidor for r in resultados]
    assert nombres == [s.nombre for s in la_flota.servidores], (
        f"La ronda devuelve un resultado por comprobación, en el orden del inventario; llegó {nombres}"
    )
    caidos = {r.servidor for r in resultados if not r.ok}
    sembrados = {s.nombre for s in la_flota.servidores if s.averia is not None}
    assert caidos == sembrados, (
        f"La ronda debe dar caídos justo los servidores averiados {sorted(sembrados)}; dio "
        f"{sorted(caidos)}"
    )


def test_la_ronda_contra_la_flota_nunca_pasa_de_n_a_la_vez(la_flota, en_la_flota):
    # Sin el colgado: aquí solo importa cuántas a la vez (y así no espera su timeout).
    sin_colgado = [
        s for s in servidores_de(la_flota) if s.nombre != la_flota.con_averia("colgado")[0].nombre
    ]
    la_flota.reiniciar_estadisticas()
    con_limite(LIMITE, ronda.ronda, sin_colgado, 3, que="ronda(19 servidores, 3)")
    vistas = la_flota.estadisticas.en_curso_max
    assert 1 <= vistas <= 3, (
        f"Con concurrencia=3, la flota no debe ver nunca más de 3 peticiones a la vez; vio {vistas}"
    )


# --- Paso 2: comprobaciones sonda, otro programa como en el 06 (cuaderno: 3) ------------------


def test_una_sonda_dice_como_esta_el_servidor_con_su_codigo_de_salida(en_la_flota):
    esperado = {  # clave: (motivo con el que empieza, lo que debe decir además)
        "sano": (ronda.OK, None),
        "error_500": (ronda.RESPUESTA_INCOHERENTE, "HTTP 500"),
        "puerto_cerrado": (ronda.SIN_RESPUESTA, "no responde"),
        "código 3": (ronda.FALLO_DE_LA_SONDA, "no sé qué hacer"),
    }
    mal = []
    for clave, (motivo, explicacion) in esperado.items():
        r = lo_que_dio(en_la_flota, f"sonda {clave}", f"comprobar(una sonda: {clave})")
        if r.ok != (motivo == ronda.OK) or not r.motivo.startswith(motivo):
            mal.append(f"{clave}: se esperaba ok={motivo == ronda.OK} y {motivo!r}; llegó {r!r}")
        elif motivo == ronda.OK and r.motivo != ronda.OK:
            mal.append(f"{clave}: bien es el motivo {ronda.OK!r} a secas; llegó {r.motivo!r}")
        elif explicacion and explicacion not in r.motivo:
            mal.append(
                f"{clave}: tras el motivo va lo que la sonda escribió (que dice {explicacion!r}): "
                f"«{motivo}: ...»; llegó {r.motivo!r}"
            )
    assert not mal, (
        "Una sonda lo dice con su código de salida (0 bien, 1 respuesta incoherente, 2 sin "
        f"respuesta, otro: {ronda.FALLO_DE_LA_SONDA}) y, si algo va mal, la primera línea que "
        "escribe lo explica:\n" + "\n".join(mal)
    )


def test_una_sonda_que_se_cuelga_escribe_bytes_raros_o_no_existe_da_un_resultado(en_la_flota):
    casos = {  # clave: (motivo con el que empieza, lo que debe decir además, por qué)
        "se cuelga": (
            ronda.SIN_RESPUESTA,
            f"{TIMEOUT_COLGADO:g}",
            f"duerme 20 s y el timeout es {TIMEOUT_COLGADO:g} s",
        ),
        "bytes raros": (ronda.RESPUESTA_INCOHERENTE, "a\ufffdo", "escribe «año» en latin-1"),
        "no existe": (ronda.FALLO_DE_LA_SONDA, "/no/existe/sonda-del-09", "no existe"),
    }
    pistas = {
        "se cuelga": "¿timeout=comprobacion.timeout en subprocess.run? TimeoutExpired es "
        f"{ronda.SIN_RESPUESTA!r} (run ya mata y espera a la sonda)",
        "bytes raros": "¿errors='replace'? Sin él, leer bytes que no son UTF-8 lanza "
        "UnicodeDecodeError; con él, lo que no se entiende queda como «\ufffd»",
        "no existe": "un programa que no existe es un OSError (FileNotFoundError) de "
        f"subprocess: conviértelo en {ronda.FALLO_DE_LA_SONDA!r} con el nombre del programa",
    }
    mal = []
    for clave, (motivo, fragmento, por_que) in casos.items():
        try:
            r = lo_que_dio(en_la_flota, f"sonda {clave}", f"comprobar(una sonda que {por_que})")
        except Exception as error:  # noqa: BLE001 - se cuenta abajo
            mal.append(
                f"una sonda que {por_que}: comprobar lanzó {type(error).__name__}: {error} "
                f"(nunca lanza: {pistas[clave]})"
            )
            continue
        if r.ok or not r.motivo.startswith(motivo) or fragmento not in r.motivo:
            mal.append(
                f"una sonda que {por_que}: se esperaba ok=False y «{motivo}: ...» con "
                f"{fragmento!r}; llegó {r!r} ({pistas[clave]})"
            )
    assert not mal, "Una sonda que falla es un Resultado, nunca una excepción:\n" + "\n".join(mal)


# Un programa que apunta en un fichero (el primer argumento) los demás argumentos que recibe, tal
# cual, cada uno seguido de un byte nulo (que no cabe dentro de un argumento: así se ve dónde
# acaba cada uno). Es un shell de la prueba, con los argumentos en "$@", no en el texto de la
# orden: arranca en 1 ms, y un Python (aun con -I -S) en 20.
ECO = ["sh", "-c", 'f=$1; shift; for a; do printf "%s\\0" "$a"; done > "$f"', "sh"]
# Además de los textos hostiles de siempre, opciones que el propio Python o un shell entenderían.
HOSTILES_09 = [*TEXTOS_HOSTILES, "-c", "--help", "-", "--", "-I", "'; rm -rf ~; '", "a\tb\rc"]


def toml_de_texto(texto):
    """Un texto como cadena básica de TOML, con sus escapes."""
    escapes = {'"': '\\"', "\\": "\\\\"}
    return (
        '"'
        + "".join(
            escapes.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
            for c in texto
        )
        + '"'
    )


@settings(max_examples=6)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(HOSTILES_09),
            st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")),
        ),
        min_size=1,
        max_size=8,
    )
)
@example(HOSTILES_09)
def test_con_propiedades_el_texto_del_inventario_llega_intacto_a_la_sonda(tmp_path, textos):
    eco = tmp_path / "argumentos"
    eco.unlink(missing_ok=True)
    orden = [*ECO, str(eco), *textos]
    toml = (
        '[[servidores]]\nnombre = "eco"\nips = ["127.0.0.1"]\n'
        '[[servidores.comprobaciones]]\ntipo = "sonda"\n'
        f"orden = [{', '.join(map(toml_de_texto, orden))}]\ntimeout = {LIMITE}\n"
    )
    (servidor,) = inventario.leer_texto(toml)
    (comprobacion,) = servidor.comprobaciones
    assert comprobacion.orden == tuple(orden), (
        f"La orden leída del inventario debe ser la del fichero, tal cual; llegó {comprobacion!r}"
    )
    r = con_limite(LIMITE, ronda.comprobar, servidor, comprobacion, que="comprobar(una sonda)")
    recibidos = (
        eco.read_bytes().decode("utf-8", "replace").split("\0")[:-1] if eco.exists() else None
    )
    assert recibidos == textos, (
        f"La sonda debía recibir cada texto del inventario como UN argumento, intacto: "
        f"{textos!r}; recibió {recibidos!r} (y el Resultado es {r!r}). La orden va a "
        "subprocess como lista y sin shell: ni shell=True, ni pegarla en una cadena, ni "
        "partirla con split()."
    )
    assert r.ok and r.motivo == ronda.OK, (
        f"La sonda salió con 0: el Resultado es ok con motivo {ronda.OK!r}; llegó {r!r}"
    )


# --- Paso 2, a fondo: N a la vez, sin relojes (cuaderno: 3) ------------------------------------


def test_la_ronda_tiene_n_comprobaciones_en_vuelo_y_nunca_mas():
    n = 4
    barrera = threading.Barrier(n, timeout=2)
    cerrojo = threading.Lock()
    cuenta = {"ahora": 0, "maximo": 0, "rotas": 0}

    def comprobar(servidor, comprobacion):
        with cerrojo:
            cuenta["ahora"] += 1
            cuenta["maximo"] = max(cuenta["maximo"], cuenta["ahora"])
        try:
            barrera.wait()  # solo se abre cuando hay n esperando a la vez
        except threading.BrokenBarrierError:
            cuenta["rotas"] += 1
        finally:
            with cerrojo:
                cuenta["ahora"] -= 1
        return resultado_de(servidor, comprobacion)

    resultados = con_limite(
        LIMITE, ronda.ronda, falsos(3 * n), n, comprobar=comprobar, que="ronda(12 servidores, 4)"
    )
    assert cuenta["rotas"] == 0, (
        f"Con concurrencia={n}, la barrera de {n} no llegó a abrirse: nunca hubo {n} "
        "comprobaciones en vuelo a la vez (¿la ronda las hace una a una, o espera a cada una "
        "antes de enviar la siguiente?)"
    )
    assert cuenta["maximo"] == n, (
        f"Con concurrencia={n} debe haber como mucho {n} comprobaciones a la vez; llegó a haber "
        f"{cuenta['maximo']} (¿max_workers?)"
    )
    assert len(resultados) == 3 * n, f"Se esperaban {3 * n} resultados; llegaron {len(resultados)}"


def test_la_ronda_devuelve_los_resultados_en_el_orden_del_inventario():
    ultimo_acabo = threading.Event()
    servidores = falsos(3, comprobaciones=2)

    def comprobar(servidor, comprobacion):
        if servidor.nombre == "srv-00" and comprobacion.puerto == 1000:
            ultimo_acabo.wait(5)  # el primero acaba el último
        elif servidor.nombre == "srv-02" and comprobacion.puerto == 1001:
            ultimo_acabo.set()
        return resultado_de(servidor, comprobacion)

    resultados = con_limite(LIMITE, ronda.ronda, servidores, 6, comprobar=comprobar, que="ronda")
    orden = [(r.servidor, r.comprobacion) for r in resultados]
    esperado = [(s.nombre, c.describir()) for s in servidores for c in s.comprobaciones]
    assert orden == esperado, (
        "Los resultados van en el orden del inventario (cada servidor, cada comprobación), no "
        f"en el que acaban: se esperaba {esperado}, llegó {orden}"
    )


def test_una_comprobacion_que_lanza_no_acaba_la_ronda():
    def comprobar(servidor, comprobacion):
        if servidor.nombre == "srv-01":
            raise RuntimeError("fallo de prueba en srv-01")
        return resultado_de(servidor, comprobacion)

    resultados = con_limite(LIMITE, ronda.ronda, falsos(4), 2, comprobar=comprobar, que="ronda")
    nombres = [r.servidor for r in resultados]
    assert nombres == ["srv-00", "srv-01", "srv-02", "srv-03"], (
        "Una comprobación que lanza no acaba la ronda: debe haber un resultado para cada "
        f"servidor; llegó {nombres}"
    )
    roto = resultados[1]
    assert not roto.ok and roto.motivo.startswith(ronda.ERROR_INESPERADO), (
        f"El resultado de la que lanzó es ok=False con motivo «{ronda.ERROR_INESPERADO}: ...»; "
        f"llegó {roto!r}"
    )
    assert "fallo de prueba en srv-01" in roto.motivo, (
        f"El motivo debe llevar el error, para saber qué pasó; dice {roto.motivo!r}"
    )
    assert all(r.ok for r in resultados if r is not roto), (
        f"Las demás comprobaciones salen como salieron (bien); llegó {resultados!r}"
    )


class EjecutorQueCuenta(ThreadPoolExecutor):
    """Un Executor ajeno a la ronda (como el de Dask en el módulo 10): cuenta sus submit."""

    def __init__(self):
        super().__init__(max_workers=3, thread_name_prefix="ajeno")
        self.envios = 0

    def submit(self, *args, **kwargs):
        self.envios += 1
        return super().submit(*args, **kwargs)


def test_la_ronda_usa_el_ejecutor_que_le_dan_y_no_lo_cierra():
    # Sus hilos los arranca la prueba: la prueba los para al acabar (la guardia lo mira).
    ejecutor = EjecutorQueCuenta()
    try:
        ronda_con_ejecutor_ajeno(ejecutor)
    finally:
        ejecutor.shutdown(wait=True, cancel_futures=True)


def ronda_con_ejecutor_ajeno(ejecutor_ajeno):
    servidores = falsos(3, comprobaciones=2)
    hilos = []

    def comprobar(servidor, comprobacion):
        hilos.append(threading.current_thread().name)
        if servidor.nombre == "srv-01":
            raise RuntimeError("fallo de prueba en srv-01")
        return resultado_de(servidor, comprobacion)

    resultados = con_limite(
        LIMITE,
        ronda.ronda,
        servidores,
        comprobar=comprobar,
        ejecutor=ejecutor_ajeno,
        que="ronda(servidores, ejecutor=...)",
    )
    assert ejecutor_ajeno.envios == 6, (
        "Con ejecutor=, la ronda envía cada comprobación a ESE ejecutor (una vez cada una): se "
        f"esperaban 6 submit y recibió {ejecutor_ajeno.envios} (¿creas tu propio pool igualmente?)"
    )
    propios = sorted({h for h in hilos if not h.startswith("ajeno")})
    assert not propios, (
        f"Con ejecutor=, las comprobaciones corren en sus hilos; corrieron también en {propios}"
    )
    motivos = [(r.servidor, r.ok, r.motivo.split(":")[0]) for r in resultados]
    esperado = [
        (
            s.nombre,
            s.nombre != "srv-01",
            ronda.OK if s.nombre != "srv-01" else ronda.ERROR_INESPERADO,
        )
        for s in servidores
        for _ in s.comprobaciones
    ]
    assert motivos == esperado, (
        "Con otro ejecutor, la ronda da lo mismo: un resultado por comprobación en el orden del "
        f"inventario, y la que lanza como «{ronda.ERROR_INESPERADO}»; se esperaba {esperado}, "
        f"llegó {motivos}"
    )
    try:
        sigue = ejecutor_ajeno.submit(sum, [1, 2]).result(LIMITE)
    except RuntimeError as error:
        pytest.fail(
            f"La ronda cerró el ejecutor que le dieron («{error}»): es de quien lo pasa, no lo "
            "cierres (ni `with ejecutor:` ni `shutdown`)",
            pytrace=False,
        )
    assert sigue == 3, f"El ejecutor, tras la ronda, debía seguir funcionando; dio {sigue!r}"


def test_con_todos_los_ordenes_la_ronda_no_pasa_de_n_conserva_el_orden_y_sobrevive_a_un_error():
    def escenario():
        cerrojo = threading.Lock()
        cuenta = {"ahora": 0, "maximo": 0}

        def comprobar(servidor, comprobacion):
            with cerrojo:
                cuenta["ahora"] += 1
                cuenta["maximo"] = max(cuenta["maximo"], cuenta["ahora"])
            time.sleep(0.05)  # con el reloj virtual de explorar: no cuesta nada
            with cerrojo:
                cuenta["ahora"] -= 1
            if servidor.nombre == "srv-02":
                raise RuntimeError("fallo de prueba")
            return resultado_de(servidor, comprobacion)

        resultados = ronda.ronda(falsos(5), 2, comprobar=comprobar)
        nombres = [r.servidor for r in resultados]
        assert nombres == [f"srv-{n:02d}" for n in range(5)], (
            f"La ronda devuelve un resultado por servidor, en el orden del inventario; llegó {nombres}"
        )
        assert cuenta["maximo"] <= 2, (
            f"Con concurrencia=2 llegó a haber {cuenta['maximo']} comprobaciones a la vez"
        )
        assert [r.ok for r in resultados] == [True, True, False, True, True], (
            f"Solo la de srv-02 (que lanza) sale mal; llegó {[r.ok for r in resultados]}"
        )

    explorar(escenario, que="Una ronda de 5 comprobaciones, 2 a la vez, una que lanza", planes=12)


def recogiendo_resultados() -> bool:
    """¿El hilo principal ya espera resultados (wait, result, as_completed de concurrent.futures)?

    Entonces ya ha enviado todas las comprobaciones.
    """
    marco = sys._current_frames().get(threading.main_thread().ident)
    while marco is not None:
        codigo = marco.f_code
        if codigo.co_filename.endswith(os.path.join("concurrent", "futures", "_base.py")) and (
            codigo.co_name in ("wait", "result", "as_completed")
        ):
            return True
        marco = marco.f_back
    return False


def test_ctrl_c_a_media_ronda_no_empieza_lo_pendiente_ni_espera_lo_que_esta_en_vuelo():
    # Dos comprobaciones en vuelo que no acaban hasta que la prueba las suelta; la primera manda
    # SIGINT (Ctrl+C) a este proceso. La ronda debe dejar salir el KeyboardInterrupt ENSEGUIDA,
    # sin esperarlas, y las cuatro que no habían empezado ya no deben empezar.
    soltar, la_otra_en_vuelo = threading.Event(), threading.Event()
    por_el_limite, atendida = threading.Event(), threading.Event()
    cerrojo, cerrojo_de_la_senal = threading.Lock(), threading.Lock()
    empezadas = []
    dentro = {"de_la_ronda": False}  # la señal solo se manda con la prueba dentro de su try

    def comprobar(servidor, comprobacion):
        with cerrojo:
            empezadas.append(servidor.nombre)
        if servidor.nombre == "srv-00":
            limite = time.monotonic() + LIMITE
            # Hay dos en vuelo: ahora, Ctrl+C. CPython la atiende cuando despierta el hilo
            # principal: si llega justo cuando se pone a esperar, no lo despierta. Por eso se
            # repite hasta que se atiende (al_ctrl_c solo lanza la primera).
            while la_otra_en_vuelo.wait(3) and time.monotonic() < limite:
                with cerrojo_de_la_senal:
                    if atendida.is_set() or not dentro["de_la_ronda"]:
                        break
                    # Solo cuando ya recoge resultados: a medio enviar, un Ctrl+C dejaría sin
                    # nada pendiente que cancelar, y no se vería si lo pendiente se cancela.
                    if recogiendo_resultados():
                        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
                atendida.wait(0.01)
            soltar.wait(LIMITE)
        elif servidor.nombre == "srv-01":
            la_otra_en_vuelo.set()
            soltar.wait(LIMITE)
        return resultado_de(servidor, comprobacion)

    def al_limite():  # si la ronda se queda esperando a las que están en vuelo
        por_el_limite.set()
        soltar.set()

    def al_ctrl_c(senal, marco):  # el KeyboardInterrupt de Python, una sola vez
        if not atendida.is_set():
            atendida.set()
            raise KeyboardInterrupt

    antes = hilos_vivos()
    vigia = threading.Timer(5, al_limite)
    vigia.start()
    anterior = signal.signal(signal.SIGINT, al_ctrl_c)
    try:
        with cerrojo_de_la_senal:
            dentro["de_la_ronda"] = True
        try:
            ronda.ronda(falsos(6), 2, comprobar=comprobar)  # en el hilo principal: ahí llega Ctrl+C
        finally:
            with cerrojo_de_la_senal:
                dentro["de_la_ronda"] = False
        interrumpida = False
    except KeyboardInterrupt:
        interrumpida = True
    finally:
        en_vuelo_al_volver = not soltar.is_set()
        signal.signal(signal.SIGINT, anterior)
        vigia.cancel()
        soltar.set()
        for hilo in hilos_vivos() - antes:
            hilo.join(LIMITE)
    assert la_otra_en_vuelo.is_set(), (
        f"Con concurrencia=2 no llegó a haber dos comprobaciones en vuelo (empezaron {empezadas})"
    )
    assert interrumpida, (
        "Ctrl+C (KeyboardInterrupt) a media ronda debe salir de ronda(): atrapa BaseException "
        "solo para parar el pool, y vuelve a lanzarla (raise)"
    )
    assert en_vuelo_al_volver and not por_el_limite.is_set(), (
        "La ronda esperó a las comprobaciones en vuelo (srv-00 y srv-01, que no acaban hasta "
        "que la prueba las suelta, a los 5 s) antes de dejar salir el Ctrl+C. Con un timeout "
        "largo, Ctrl+C tardaría ese timeout: el `with ThreadPoolExecutor(...)` llama al salir a "
        "shutdown(wait=True), también cuando sale por una excepción. Cierra el pool a mano: "
        "shutdown(wait=False, cancel_futures=True) si algo interrumpe, shutdown() si no"
    )
    assert sorted(empezadas) == ["srv-00", "srv-01"], (
        f"Tras Ctrl+C empezaron {sorted(set(empezadas) - {'srv-00', 'srv-01'})} (empezaron "
        f"{empezadas}): las que no han empezado ya no deben empezar, para salir enseguida "
        "(shutdown(wait=False, cancel_futures=True))"
    )


# --- Paso 2: lo que dice cada resultado (cuaderno: 3) -------------------------------------------


def test_el_motivo_de_una_que_lanza_dice_el_tipo_y_el_mensaje():
    def comprobar(servidor, comprobacion):
        raise KeyError("ips")

    (roto,) = con_limite(LIMITE, ronda.ronda, falsos(1), 1, comprobar=comprobar, que="ronda")
    esperado = f"{ronda.ERROR_INESPERADO}: KeyError: 'ips'"
    assert roto.motivo == esperado, (
        "El motivo de una comprobación que lanza es «error inesperado: Tipo: mensaje» (con el "
        "tipo: un KeyError('ips') sin él solo diría «'ips'»); se esperaba "
        f"{esperado!r}, llegó {roto.motivo!r}"
    )


def test_comprobar_mide_lo_que_tarda(la_flota):
    sano = la_flota.con_averia(None)[0]
    c = inventario.Comprobacion("http", sano.puerto, "/salud", TIMEOUT)
    s = inventario.Servidor(sano.nombre, ("127.0.0.1",), (), (c,))
    r = con_limite(LIMITE, ronda.comprobar, s, c, que=f"comprobar({sano.nombre})")
    minimo = 0.005  # la flota de la_flota espera 0,01 s antes de contestar
    assert isinstance(r.segundos, float) and minimo <= r.segundos < LIMITE, (
        f"La flota tarda al menos {minimo} s en contestar: Resultado.segundos es lo que tardó la "
        f"comprobación (mídelo con time.perf_counter()); llegó {r.segundos!r}"
    )
