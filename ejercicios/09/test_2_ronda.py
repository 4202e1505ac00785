"""Pruebas del módulo 09, paso 2: una ronda de comprobaciones (ronda.py).

Primero contra una flota real de servidores HTTP en 127.0.0.1 (`taller.flota`), sembrada con
averías: cada avería da su motivo y la ronda encuentra exactamente las sembradas. Después la
concurrencia, sin relojes: una barrera que solo se abre con N comprobaciones en vuelo a la vez
(y un contador que nunca debe pasar de N).

Ejecútalas con:  pytest ejercicios/09/test_2_ronda.py
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from taller.flota import flota
from taller.planificador import explorar
from taller.pruebas import cargar, con_limite

inventario = cargar("inventario")
ronda = cargar("ronda")

TIMEOUT = 0.3  # por comprobación: un servidor sano de la flota contesta en 0,01 s
LIMITE = 10
AVERIAS = {
    "error_500": 0.1,
    "html": 0.1,
    "otro_nombre": 0.05,
    "estado_no_ok": 0.05,
    "json_roto": 0.05,
    "puerto_cerrado": 0.1,
    "colgado": 0.05,
}


@pytest.fixture(scope="module")
def la_flota():
    """20 servidores reales con averías sembradas (la misma semilla, las mismas averías)."""
    with flota(servidores=20, latencia=0.01, semilla=9, averias=AVERIAS) as f:
        yield f


def servidores_de(una_flota, tipo="http"):
    """El inventario de la flota, ya en clases: una comprobación por servidor."""
    return [
        inventario.Servidor(
            s.nombre,
            ("127.0.0.1",),
            (),
            (inventario.Comprobacion(tipo, s.puerto, "/salud", TIMEOUT),),
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


# --- Paso 2: comprobar y la ronda, contra la flota (cuaderno: 3) -------------------------------


def test_comprobar_da_el_motivo_de_cada_averia(la_flota):
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
    servidores = {s.nombre: s for s in servidores_de(la_flota)}
    mal = []
    for averia, motivo in esperado.items():
        simulado = la_flota.con_averia(averia)[0]
        servidor = servidores[simulado.nombre]
        r = con_limite(
            LIMITE,
            ronda.comprobar,
            servidor,
            servidor.comprobaciones[0],
            que=f"comprobar({simulado.nombre})",
        )
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


def test_la_ronda_encuentra_exactamente_las_averias_sembradas(la_flota):
    resultados = con_limite(
        LIMITE, ronda.ronda, servidores_de(la_flota), 5, que="ronda(20 servidores, 5)"
    )
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


def test_la_ronda_contra_la_flota_nunca_pasa_de_n_a_la_vez(la_flota):
    la_flota.reiniciar_estadisticas()
    con_limite(LIMITE, ronda.ronda, servidores_de(la_flota), 3, que="ronda(20 servidores, 3)")
    vistas = la_flota.estadisticas.en_curso_max
    assert 1 <= vistas <= 3, (
        f"Con concurrencia=3, la flota no debe ver nunca más de 3 peticiones a la vez; vio {vistas}"
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
