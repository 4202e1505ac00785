"""Pruebas del módulo 09, pasos 3 y 4: el historial (historial.py) y las alertas (alertas.py).

Un fichero SQLite de verdad en una carpeta temporal, leído después con otra conexión, y un
servidor de correo SMTP de verdad en 127.0.0.1 (`taller.correo`) que guarda lo que recibe.

Ejecútalas con:  pytest ejercicios/09/test_3_historial_y_alertas.py
"""

import socket
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from taller.correo import servidor_smtp
from taller.pruebas import aceptar_en_un_hilo, cargar, con_limite, lanza

ronda = cargar("ronda")
historial = cargar("historial")
alertas = cargar("alertas")

LIMITE = 10
DESTINO = "guardia@taller.local"


@pytest.fixture
def ruta(tmp_path):
    return tmp_path / "monitor.db"


@pytest.fixture
def smtp():
    with servidor_smtp() as servidor:
        yield servidor


def r(servidor, ok, motivo=None, comprobacion="http :8000/salud"):
    motivo = motivo or (ronda.OK if ok else ronda.ERROR_HTTP)
    return ronda.Resultado(servidor, comprobacion, ok, motivo, 0.01)


def leer(ruta, consulta):
    """Lo que hay en la base, con una conexión nueva (solo se ve lo confirmado)."""
    conexion = sqlite3.connect(ruta)
    try:
        return conexion.execute(consulta).fetchall()
    finally:
        conexion.close()


def cambios_como_tuplas(cambios):
    return [(c.servidor, c.antes, c.ahora, c.ronda) for c in cambios]


# --- Paso 3: el historial en SQLite (cuaderno: 4) ----------------------------------------------


def test_crea_la_tabla_y_apunta_la_version_del_esquema(ruta):
    h = historial.Historial(ruta)
    h.cerrar()
    (version,) = leer(ruta, "PRAGMA user_version")[0]
    assert version == historial.VERSION_DEL_ESQUEMA, (
        f"Una base nueva debe quedar con PRAGMA user_version = {historial.VERSION_DEL_ESQUEMA}; "
        f"tiene {version}"
    )
    tablas = leer(ruta, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert ("resultados",) in tablas, f"Falta la tabla resultados; la base tiene {tablas}"
    otra = historial.Historial(ruta)  # abrir una base que ya es nuestra no falla ni la borra
    otra.cerrar()


def test_una_base_de_otra_version_da_un_error_claro_y_no_se_toca(ruta):
    conexion = sqlite3.connect(ruta)
    conexion.execute("PRAGMA user_version = 7")
    conexion.close()
    error = lanza(
        historial.ErrorDeHistorial,
        "Historial(una base con user_version = 7)",
        lambda: historial.Historial(ruta),
        "Una base de otra versión no es nuestra: no se escribe en ella a ciegas.",
    )
    assert "7" in str(error) and str(historial.VERSION_DEL_ESQUEMA) in str(error), (
        f"El error debe decir las dos versiones (la de la base, 7, y la nuestra); dice: {error}"
    )
    assert leer(ruta, "SELECT name FROM sqlite_master") == [], (
        "En una base de otra versión no se crea nada"
    )


def test_guardar_ronda_guarda_cada_resultado_con_su_numero_de_ronda(ruta):
    with historial.Historial(ruta) as h:
        h.guardar_ronda([r("web-001", True), r("web-002", False)], instante=1000.0)
        h.guardar_ronda([r("web-001", True), r("web-002", True)], instante=1060.0)
    filas = leer(ruta, "SELECT ronda, instante, servidor, ok, motivo FROM resultados ORDER BY id")
    esperado = [
        (1, 1000.0, "web-001", 1, ronda.OK),
        (1, 1000.0, "web-002", 0, ronda.ERROR_HTTP),
        (2, 1060.0, "web-001", 1, ronda.OK),
        (2, 1060.0, "web-002", 1, ronda.OK),
    ]
    assert filas == esperado, f"En la base debería haber {esperado}; hay {filas}"


def test_un_cambio_es_solo_cuando_el_estado_cambia(ruta):
    with historial.Historial(ruta) as h:
        primera = h.guardar_ronda([r("web-001", True), r("web-002", False)])
        segunda = h.guardar_ronda([r("web-001", False), r("web-002", False)])
        tercera = h.guardar_ronda([r("web-001", False), r("web-002", False)])
        cuarta = h.guardar_ronda([r("web-001", True), r("web-002", False)])
    vistos = [cambios_como_tuplas(c) for c in (primera, segunda, tercera, cuarta)]
    esperado = [
        [("web-002", None, False, 1)],  # la primera vez, solo es cambio si está caído
        [("web-001", True, False, 2)],  # web-002 sigue caído: no es un cambio
        [],  # nada cambia: ningún cambio (ni correo)
        [("web-001", False, True, 4)],  # vuelve a estar bien
    ]
    assert vistos == esperado, (
        "Un cambio es ok → caído o caído → ok respecto al ÚLTIMO resultado de esa comprobación "
        f"(y la primera vez, solo si está caída). Se esperaba {esperado}; llegó {vistos}"
    )


def test_una_ronda_se_guarda_entera_o_nada(ruta):
    mala = ronda.Resultado("web-003", "http :8000/salud", True, ronda.OK, None)  # segundos NULL
    with historial.Historial(ruta) as h:
        h.guardar_ronda([r("web-001", True)])
        with pytest.raises(sqlite3.IntegrityError):
            h.guardar_ronda([r("web-001", False), r("web-002", True), mala])
            pytest.fail("Una fila con segundos=None no cumple NOT NULL: guardar_ronda debe lanzar")
        despues = h.guardar_ronda([r("web-001", True)])
    filas = leer(ruta, "SELECT ronda, servidor, ok FROM resultados ORDER BY id")
    assert filas == [(1, "web-001", 1), (2, "web-001", 1)], (
        "Una ronda que falla a medias no deja filas sueltas (toda la ronda va en UNA "
        f"transacción, `with self._conexion:`) ni gasta su número; en la base hay {filas}"
    )
    assert despues == [], f"Sin filas de la ronda fallida, no hay cambio; llegó {despues}"


def test_solo_el_hilo_dueno_usa_la_conexion(ruta):
    with historial.Historial(ruta) as h:
        desde_otro = {}

        def en_otro_hilo():
            try:
                h.guardar_ronda([r("web-001", True)])
            except BaseException as error:  # noqa: BLE001 - se mira abajo
                desde_otro["error"] = error

        hilo = threading.Thread(target=en_otro_hilo, name="otro")
        hilo.start()
        hilo.join(LIMITE)
        error = desde_otro.get("error")
        assert isinstance(error, historial.ErrorDeHistorial), (
            "Usar el historial desde un hilo que no lo abrió debe lanzar ErrorDeHistorial (en "
            "español, diciendo que la conexión es del hilo que la abrió); "
            + (f"lanzó {type(error).__name__}: {error}" if error else "no lanzó nada")
        )
    assert leer(ruta, "SELECT COUNT(*) FROM resultados") == [(0,)], (
        "El otro hilo no debe haber escrito nada"
    )


def test_el_cambio_se_mira_contra_el_ultimo_resultado_aunque_no_sea_de_la_ronda_anterior(ruta):
    # web-002 sale del inventario en la ronda 2 (lo comentaron un rato) y vuelve en la 3.
    with historial.Historial(ruta) as h:
        h.guardar_ronda([r("web-001", True), r("web-002", False), r("web-003", True)])
        h.guardar_ronda([r("web-001", True)])
        tercera = h.guardar_ronda([r("web-001", True), r("web-002", False), r("web-003", False)])
    vistos = cambios_como_tuplas(tercera)
    esperado = [("web-003", True, False, 3)]
    assert vistos == esperado, (
        "Un cambio se mira contra el ÚLTIMO resultado de esa comprobación, esté en la ronda que "
        "esté (ultimo_estado), no contra la ronda anterior: web-002 ya estaba caído en la ronda "
        "1 (no es un cambio ni otro correo) y web-003 estaba bien (sí lo es). Se esperaba "
        f"{esperado}; llegó {vistos}"
    )


# --- Paso 4: un correo por cambio, desde un segundo pool (cuaderno: 5) -------------------------


def test_redactar_dice_quien_cae_por_que_y_quien_vuelve():
    caido = historial.Cambio("web-007", "http :8000/salud", True, False, ronda.ERROR_HTTP, 3)
    vuelve = historial.Cambio("web-007", "http :8000/salud", False, True, ronda.OK, 4)
    asunto, cuerpo = alertas.redactar(caido)
    assert "web-007" in asunto and "CAÍDO" in asunto and ronda.ERROR_HTTP in asunto, (
        f"El asunto de una caída nombra el servidor, CAÍDO y el motivo; es {asunto!r}"
    )
    assert "http :8000/salud" in cuerpo and "3" in cuerpo, (
        f"El cuerpo nombra la comprobación y la ronda; es {cuerpo!r}"
    )
    asunto, _ = alertas.redactar(vuelve)
    assert "web-007" in asunto and "bien" in asunto, (
        f"El asunto de una vuelta nombra el servidor y que vuelve a estar bien; es {asunto!r}"
    )


def test_avisar_manda_un_correo_de_verdad(smtp):
    cambio = historial.Cambio("web-002", "tcp :22", None, False, ronda.CONEXION_RECHAZADA, 1)
    a = alertas.Alertas(smtp.direccion, DESTINO)
    try:
        futuro = a.avisar(cambio)
        con_limite(LIMITE, futuro.result, que="el futuro del correo")
    finally:
        a.cerrar()
    correos = smtp.correos
    assert len(correos) == 1, f"Se esperaba 1 correo; llegaron {len(correos)}"
    asunto, _ = alertas.redactar(cambio)
    assert (correos[0]["Subject"], correos[0]["To"]) == (asunto, DESTINO), (
        f"El correo debe ir a {DESTINO} con el asunto {asunto!r}; llegó "
        f"{correos[0]['Subject']!r} a {correos[0]['To']!r}"
    )


class CorreoAtascado:
    """Un «servidor de correo» que acepta conexiones y no contesta: smtplib espera el saludo.

    `desatascar()` cierra él mismo cada conexión, las de antes y las que lleguen después (smtplib
    ve que el servidor cuelga y falla enseguida): no depende de que el sistema rechace lo que
    quedaba en la cola de un socket que escucha al cerrarlo, que no siempre pasa a tiempo.
    """

    def __init__(self):
        self._escucha = socket.create_server(("127.0.0.1", 0))
        self.direccion = self._escucha.getsockname()
        self._abiertas = []
        self._desatascado = threading.Event()
        self._cerrojo = threading.Lock()
        self._hilo = aceptar_en_un_hilo(self._escucha, self._guardar, "correo-atascado")

    def _guardar(self, conexion):
        with self._cerrojo:
            if self._desatascado.is_set():
                conexion.close()
            else:
                self._abiertas.append(conexion)

    def desatascar(self):
        with self._cerrojo:
            self._desatascado.set()
            for conexion in self._abiertas:
                conexion.close()
            self._abiertas.clear()

    def cerrar(self):
        self.desatascar()
        self._escucha.shutdown(socket.SHUT_RDWR)
        self._escucha.close()
        self._hilo.join(LIMITE)


def test_avisar_vuelve_enseguida_aunque_el_correo_este_atascado():
    atascado = CorreoAtascado()
    cambio = historial.Cambio("web-002", "tcp :22", None, False, ronda.CONEXION_RECHAZADA, 1)
    try:
        a = alertas.Alertas(atascado.direccion, DESTINO)
        try:
            futuros = con_limite(
                2,
                lambda: [a.avisar(cambio) for _ in range(3)],
                que="avisar() con el correo atascado",
                pista="avisar no manda el correo: lo pone en el pool del correo y vuelve.",
            )
        except BaseException:
            atascado.desatascar()  # los correos en espera fallan y sus hilos acaban solos
            raise
        enviados = [f.done() for f in futuros]
        atascado.desatascar()
        con_limite(LIMITE, a.cerrar, que="Alertas.cerrar() tras desatascar el correo")
        assert not any(enviados), (
            "Con el correo atascado, ningún correo puede haber salido todavía; avisar debe "
            f"devolver el futuro del pool del correo (¿terminados?: {enviados})"
        )
    finally:
        atascado.cerrar()


def _esperar_al_shutdown(a, cerrando):
    """Espera a que cerrar() haya llamado a shutdown del pool del correo (sin relojes: mira la
    marca _shutdown del ThreadPoolExecutor; shutdown la pone y cancela, si cancela, bajo el
    mismo cerrojo). Si no hay ThreadPoolExecutor, vuelve sin esperar."""
    pools = [v for v in vars(a).values() if isinstance(v, ThreadPoolExecutor)]
    if not pools:
        return
    pool = pools[0]
    listo = threading.Event()

    def mirar():
        while cerrando.is_alive() and not listo.wait(0.001):
            with pool._shutdown_lock:
                if pool._shutdown:
                    listo.set()

    con_limite(LIMITE, mirar, que="esperar a que Alertas.cerrar() llame a shutdown")


def test_cerrar_espera_a_todos_los_correos_y_el_pool_tiene_sus_ejecutores(monkeypatch):
    puerta = threading.Event()
    cerrojo = threading.Lock()
    cuenta = {"ahora": 0, "maximo": 0, "mandados": []}

    def mandar_correo(servidor_smtp, destinatario, asunto, cuerpo):
        with cerrojo:
            cuenta["ahora"] += 1
            cuenta["maximo"] = max(cuenta["maximo"], cuenta["ahora"])
        puerta.wait(LIMITE)
        with cerrojo:
            cuenta["ahora"] -= 1
            cuenta["mandados"].append(asunto)

    monkeypatch.setattr(alertas.modulo, "mandar_correo", mandar_correo)
    cambios = [
        historial.Cambio(f"web-00{n}", "tcp :22", None, False, ronda.CONEXION_RECHAZADA, 1)
        for n in range(1, 5)
    ]
    a = alertas.Alertas(("127.0.0.1", 9), DESTINO, ejecutores=1)
    try:
        futuros = [a.avisar(c) for c in cambios]
        cerrando = threading.Thread(target=a.cerrar, name="cerrar")
        cerrando.start()  # con el primer correo aún en marcha y los otros tres esperando
        _esperar_al_shutdown(a, cerrando)
    finally:
        puerta.set()
    cerrando.join(LIMITE)
    assert not cerrando.is_alive(), f"Alertas.cerrar() no acabó en {LIMITE} s"
    cancelados = sum(f.cancelled() for f in futuros)
    assert len(cuenta["mandados"]) == len(cambios) and cancelados == 0, (
        "cerrar() espera a los correos pendientes: los 4 avisos deben salir, también los que "
        f"aún esperaban turno (¿shutdown con cancel_futures=True?); salieron "
        f"{len(cuenta['mandados'])} y se cancelaron {cancelados}"
    )
    assert cuenta["maximo"] == 1, (
        "Alertas(ejecutores=1) es un pool de correo de 1 hilo "
        f"(ThreadPoolExecutor(max_workers=ejecutores)); llegó a mandar {cuenta['maximo']} a la vez"
    )
