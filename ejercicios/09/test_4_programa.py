"""Pruebas del módulo 09, paso 5: el programa (monitor.py), de punta a punta.

Contra una flota real, con un historial SQLite real y un servidor de correo real: rondas en
las que cambian las averías de la flota, y después Ctrl+C de verdad (la señal SIGINT), dentro
de esta misma prueba y a un proceso hijo que ejecuta `python -m monitor`.

Ejecútalas con:  pytest ejercicios/09/test_4_programa.py
"""

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from taller.correo import servidor_smtp
from taller.cuelgues import en_proc
from taller.pruebas import cargar, carpeta_de_codigo, con_limite, hilos_vivos, si_vence_el_limite

monitor = cargar("monitor")

LIMITE = 10
# El timeout de cada comprobación: largo, porque en estas pruebas ninguna debe agotarlo (no hay
# servidores colgados: los caídos contestan 500 o rechazan la conexión al momento). Con uno
# corto (0,3 s), en una máquina cargada un servidor sano de la flota tardaba más en contestar y
# salía «CAÍDO: sin respuesta»: un cambio y un correo de más (issue 14).
TIMEOUT = 5


class Seis:
    """6 servidores de la flota del módulo (conftest.py): el primero con error 500, el primero
    con el puerto cerrado y los cuatro primeros sanos, con lo que de ella usan estas pruebas."""

    def __init__(self, una_flota):
        self._flota = una_flota
        elegidos = [
            *una_flota.con_averia("error_500")[:1],
            *una_flota.con_averia("puerto_cerrado")[:1],
        ]
        elegidos += una_flota.con_averia(None)[:4]
        self._nombres = {s.nombre for s in elegidos}

    @property
    def servidores(self):
        return [s for s in self._flota.servidores if s.nombre in self._nombres]

    def con_averia(self, averia):
        return [s for s in self._flota.con_averia(averia) if s.nombre in self._nombres]

    def cambiar_averia(self, nombre, averia):
        self._flota.cambiar_averia(nombre, averia)


@pytest.fixture(scope="module")
def la_flota(flota_del_09):
    """6 servidores reales: uno con error 500, uno con el puerto cerrado y cuatro sanos."""
    return Seis(flota_del_09)


@pytest.fixture
def smtp():
    with servidor_smtp() as servidor:
        yield servidor


@pytest.fixture
def ctrl_c_de_python():
    """SIGINT como KeyboardInterrupt, aquí y en los hijos, aunque pytest se lanzara ignorándola
    (una orden con `&` en un shell sin terminal la ignora, y sus hijos también)."""
    anterior = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, anterior)


def escribir_inventario(ruta, servidores, extra=""):
    """Un inventario con una comprobación http por servidor simulado: (nombre, puerto)."""
    lineas = [extra]
    for nombre, puerto in servidores:
        lineas += [
            "[[servidores]]",
            f'nombre = "{nombre}"',
            'ips = ["127.0.0.1"]',
            "[[servidores.comprobaciones]]",
            'tipo = "http"',
            f"puerto = {puerto}",
            f"timeout = {TIMEOUT}",
        ]
    ruta.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    return ruta


def de_la_flota(una_flota):
    return [(s.nombre, s.puerto) for s in una_flota.servidores]


def ejecutar(argumentos, capsys, que):
    """main(argumentos) con límite: (código de salida, salida, errores)."""
    codigo = con_limite(LIMITE, monitor.main, argumentos, que=que)
    salida = capsys.readouterr()
    return codigo, salida.out, salida.err


def filas(ruta):
    conexion = sqlite3.connect(ruta)
    try:
        return conexion.execute("SELECT ronda, servidor, ok FROM resultados ORDER BY id").fetchall()
    finally:
        conexion.close()


# --- Paso 5: las opciones (cuaderno: 6) --------------------------------------------------------


def test_analizar_lee_las_opciones():
    o = monitor.analizar(
        ["inv.toml", "--una-vez", "--json", "--intervalo", "2.5", "--smtp", "127.0.0.1:2525"]
    )
    vistas = (o.inventario, o.una_vez, o.json, o.intervalo, o.smtp, o.concurrencia)
    esperado = ("inv.toml", True, True, 2.5, ("127.0.0.1", 2525), 10)
    assert vistas == esperado, (
        f"(inventario, una_vez, json, intervalo, smtp, concurrencia) debería ser {esperado}; es {vistas}"
    )
    o = monitor.analizar(["inv.toml"])
    assert (o.una_vez, o.json, o.smtp, o.bd) == (False, False, None, "monitor.db"), (
        f"Sin opciones: ni --una-vez ni --json, sin correo y con monitor.db; llegó {o}"
    )


@pytest.mark.parametrize(
    "malos",
    [
        ["inv.toml", "--intervalo", "-1"],
        ["inv.toml", "--smtp", "sinpuerto"],
        ["inv.toml", "--concurrencia", "0"],
    ],
)
def test_analizar_rechaza_opciones_malas_con_el_codigo_2(malos, capsys):
    with pytest.raises(SystemExit) as salida:
        monitor.analizar(malos)
        pytest.fail(f"analizar({malos}) debería rechazar la opción (argparse sale con 2)")
    assert salida.value.code == 2, (
        f"argparse sale con 2 ante una opción mala; salió con {salida.value.code}"
    )


# --- Paso 5: una ronda, la salida y el código de salida (cuaderno: 6) --------------------------


def test_una_vez_escribe_la_tabla_y_sale_con_1_si_algo_falla(tmp_path, la_flota, capsys):
    inventario = escribir_inventario(tmp_path / "inv.toml", de_la_flota(la_flota))
    bd = tmp_path / "monitor.db"
    codigo, salida, _ = ejecutar(
        [str(inventario), "--una-vez", "--bd", str(bd)], capsys, "main --una-vez"
    )
    assert codigo == 1, f"Con servidores caídos, el código de salida es 1; fue {codigo!r}"
    caidos = {s.nombre for s in la_flota.servidores if s.averia}
    for linea in salida.splitlines():
        for nombre in {s.nombre for s in la_flota.servidores} & set(linea.split()):
            esperado = "MAL" if nombre in caidos else "BIEN"
            assert linea.startswith(esperado), (
                f"La línea de {nombre} debería empezar por {esperado}: {linea!r}"
            )
    assert "Ronda 1: 6 comprobaciones, 4 bien, 2 mal" in salida, (
        f"Al final va el resumen «Ronda 1: 6 comprobaciones, 4 bien, 2 mal (...)»; salió:\n{salida}"
    )
    sanos = [(s.nombre, s.puerto) for s in la_flota.con_averia(None)]
    escribir_inventario(inventario, sanos)
    codigo, _, _ = ejecutar(
        [str(inventario), "--una-vez", "--bd", str(bd)], capsys, "main --una-vez"
    )
    assert codigo == 0, f"Con todo bien, el código de salida es 0; fue {codigo!r}"


def test_con_json_cada_ronda_es_una_linea_de_json(tmp_path, la_flota, capsys):
    inventario = escribir_inventario(tmp_path / "inv.toml", de_la_flota(la_flota))
    argumentos = [str(inventario), "--una-vez", "--json", "--bd", str(tmp_path / "m.db")]
    _, salida, _ = ejecutar(argumentos, capsys, "main --una-vez --json")
    try:
        (linea,) = salida.strip().splitlines()
        datos = json.loads(linea)
    except ValueError:
        pytest.fail(f"Con --json, la salida es UNA línea de JSON por ronda; salió:\n{salida}")
    assert datos.get("ronda") == 1 and len(datos.get("resultados", [])) == 6, (
        f"El JSON lleva «ronda» (1) y los 6 «resultados»; llegó {datos}"
    )
    mal = sorted(r["servidor"] for r in datos["resultados"] if not r["ok"])
    assert mal == sorted(s.nombre for s in la_flota.servidores if s.averia), (
        f"Los resultados con ok=false deben ser los servidores averiados; son {mal}"
    )


def test_un_inventario_malo_sale_con_2_y_todos_sus_problemas(tmp_path, capsys):
    inventario = tmp_path / "inv.toml"
    escribir_inventario(inventario, [("web-001", 70000), ("web-001", 8000)])
    codigo, _, errores = ejecutar(
        [str(inventario), "--una-vez", "--bd", str(tmp_path / "m.db")], capsys, "main"
    )
    assert codigo == 2, f"Con un inventario malo, el código de salida es 2; fue {codigo!r}"
    assert "70000" in errores and "repetido" in errores and "Traceback" not in errores, (
        "Los errores (stderr) deben traer los dos problemas (el puerto 70000 y el nombre "
        f"repetido), sin traza; dicen:\n{errores}"
    )
    assert not (tmp_path / "m.db").exists(), "Con un inventario malo no se crea el historial"


def test_dos_rondas_con_averias_que_cambian_dan_el_historial_y_los_correos_justos(
    tmp_path, la_flota, smtp, capsys
):
    inventario = escribir_inventario(tmp_path / "inv.toml", de_la_flota(la_flota))
    bd = tmp_path / "monitor.db"
    argumentos = [
        str(inventario),
        "--una-vez",
        "--bd",
        str(bd),
        "--smtp",
        f"{smtp.host}:{smtp.puerto}",
    ]
    (con_500,) = la_flota.con_averia("error_500")
    (cerrado,) = la_flota.con_averia("puerto_cerrado")
    se_cae = la_flota.con_averia(None)[0]
    asuntos, salidas = [], []
    try:
        for numero in (1, 2, 3):
            if numero == 2:  # cambian las averías: uno se arregla y otro se cae
                la_flota.cambiar_averia(con_500.nombre, None)
                la_flota.cambiar_averia(se_cae.nombre, "error_503")
            codigo, _, errores = ejecutar(argumentos, capsys, f"main, ronda {numero}")
            salidas.append(f"ronda {numero}: salió con {codigo!r}; stderr: {errores.strip()!r}")
            asuntos.append(sorted(c["Subject"] for c in smtp.correos[sum(map(len, asuntos)) :]))
    finally:
        la_flota.cambiar_averia(con_500.nombre, "error_500")
        la_flota.cambiar_averia(se_cae.nombre, None)
    esperado = [
        sorted(
            [
                f"[monitor] {con_500.nombre} CAÍDO: error HTTP",
                f"[monitor] {cerrado.nombre} CAÍDO: conexión rechazada",
            ]
        ),
        sorted(
            [
                f"[monitor] {se_cae.nombre} CAÍDO: error HTTP",
                f"[monitor] {con_500.nombre} vuelve a estar bien",
            ]
        ),
        [],
    ]
    assert asuntos == esperado, (
        "Un correo por CAMBIO de estado, no por ronda: la ronda 1 avisa de los dos caídos, la 2 "
        "del que se cae y del que vuelve, y la 3 (sin cambios) de nada. Se esperaba "
        f"{esperado}; llegó {asuntos}. Lo que dijo main en cada ronda:\n" + "\n".join(salidas)
    )
    en_la_base = filas(bd)
    assert len(en_la_base) == 18 and {f[0] for f in en_la_base} == {1, 2, 3}, (
        f"El historial debe tener 3 rondas de 6 resultados; tiene {len(en_la_base)} filas"
    )


def test_el_numero_de_ronda_sigue_el_del_historial_y_el_correo_va_al_destinatario(
    tmp_path, smtp, capsys
):
    with socket.socket() as libre:  # un puerto en el que no escucha nadie: conexión rechazada
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    inventario = escribir_inventario(tmp_path / "inv.toml", [("web-001", puerto)])
    destino = "guardia-de-noche@taller.local"
    argumentos = [str(inventario), "--una-vez", "--json", "--bd", str(tmp_path / "m.db")]
    argumentos += ["--smtp", f"{smtp.host}:{smtp.puerto}", "--destinatario", destino]
    rondas = []
    for vez in (1, 2):
        _, salida, errores = ejecutar(argumentos, capsys, f"main --una-vez --json, vez {vez}")
        try:
            rondas.append(json.loads(salida).get("ronda"))
        except ValueError:
            pytest.fail(f"Con --json, la salida es una línea de JSON; salió:\n{salida}")
    assert rondas == [1, 2] and "ronda 2" in errores, (
        "El número de ronda es el del historial: la segunda ejecución sobre la misma base hace "
        "la ronda 2 (historial.ultima_ronda() + 1), en el JSON, en el aviso de stderr y en la "
        f"base; los JSON dicen {rondas} y el último aviso: {errores.strip()!r}"
    )
    destinos = [c["To"] for c in smtp.correos]
    assert destinos == [destino], (
        f"Con --destinatario {destino}, el correo de la caída (uno: la segunda ronda no cambia "
        f"nada) va a esa dirección; llegaron correos a {destinos}"
    )


def test_un_correo_atascado_no_frena_la_ronda(tmp_path, monkeypatch):
    # Un «servidor de correo» que acepta y no saluda: smtplib espera (hasta su timeout de 10 s).
    escucha = socket.create_server(("127.0.0.1", 0))
    abiertas, soltar = [], threading.Event()

    def aceptar():
        while True:
            try:
                conexion, _ = escucha.accept()
            except OSError:
                return
            abiertas.append(conexion)
            if soltar.is_set():
                conexion.close()

    def desatascar():
        soltar.set()
        for conexion in list(abiertas):
            conexion.close()

    class Salida:
        """stdout: al escribir la ronda, desatasca el correo (si aún no ha salido, no la frenó)."""

        def __init__(self):
            self.texto = ""

        def write(self, texto):
            self.texto += texto
            if "\n" in self.texto:
                desatascar()
            return len(texto)

        def flush(self):
            pass

    hilo = threading.Thread(target=aceptar, name="correo-atascado", daemon=True)
    hilo.start()
    with socket.socket() as libre:  # un puerto en el que no escucha nadie: un cambio, un correo
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    inventario = escribir_inventario(tmp_path / "inv.toml", [("web-001", puerto)])
    host, puerto_smtp = escucha.getsockname()
    argumentos = [str(inventario), "--una-vez", "--json", "--bd", str(tmp_path / "m.db")]
    argumentos += ["--smtp", f"{host}:{puerto_smtp}"]
    salida = Salida()
    monkeypatch.setattr(sys, "stdout", salida)
    try:
        con_limite(
            4,
            monitor.main,
            argumentos,
            que="main --una-vez con el servidor de correo atascado",
            pista="La ronda se escribe sin esperar al correo: avisar() devuelve el futuro y el "
            "correo sale desde el pool de Alertas (sin .result() en el bucle); solo cerrar(), "
            "al final, espera a los correos.",
        )
    finally:
        desatascar()
        escucha.shutdown(socket.SHUT_RDWR)  # despierta al accept() (close solo no lo hace)
        escucha.close()
        hilo.join(LIMITE)
    assert '"ronda"' in salida.texto, f"Con --json se escribe la ronda; salió {salida.texto!r}"


def test_con_json_y_sin_una_vez_cada_ronda_sale_entera_al_acabarla(tmp_path, monkeypatch):
    class Salida:
        """stdout en una tubería (`monitor --json | otro_programa`): ¿se vacía (flush) cada ronda
        antes de esperar a la siguiente? Al saberlo, corta el bucle con un KeyboardInterrupt."""

        def __init__(self):
            self.texto, self.visto = "", None

        def _decidir(self, visto):
            if self.visto is None and "\n" in self.texto:
                self.visto = visto
                raise KeyboardInterrupt  # lo que haría Ctrl+C: main sale con 130

        def write(self, texto):
            self._decidir("la ronda 2 empezó a escribirse sin flush de la 1")
            self.texto += texto
            return len(texto)

        def flush(self):
            self._decidir("flush")

    with socket.socket() as libre:  # un puerto en el que no escucha nadie: rondas rápidas
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    inventario = escribir_inventario(tmp_path / "inv.toml", [("web-001", puerto)])
    argumentos = [str(inventario), "--json", "--intervalo", "0", "--bd", str(tmp_path / "m.db")]
    salida = Salida()
    monkeypatch.setattr(sys, "stdout", salida)
    try:
        codigo = con_limite(LIMITE, monitor.main, argumentos, que="main --json --intervalo 0")
        se_escapo = False
    except KeyboardInterrupt:  # si se escapa de la prueba, pytest entero se para sin decir nada
        se_escapo = True
    if se_escapo:
        pytest.fail(
            "Esta prueba para el bucle con un Ctrl+C (KeyboardInterrupt) y se escapó de main: "
            "main lo atiende (except KeyboardInterrupt), avisa en stderr y devuelve 130",
            pytrace=False,
        )
    assert salida.visto == "flush", (
        "Sin --una-vez, la línea de JSON de cada ronda se vacía al escribirla (print(..., "
        "flush=True)): en una tubería, stdout guarda lo escrito hasta llenar su búfer y quien "
        f"lee no ve la ronda hasta mucho después; lo visto: {salida.visto!r}, salió con "
        f"{codigo!r} y escribió {salida.texto!r}"
    )


# --- Paso 5: Ctrl+C a media ronda (cuaderno: 6) -----------------------------------------------

ERROR_500 = b"HTTP/1.1 500 Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def leer_peticion(conexion):
    """Lee una petición HTTP entera (hasta la línea en blanco), con límite."""
    conexion.settimeout(LIMITE)
    peticion = b""
    while b"\r\n\r\n" not in peticion:
        trozo = conexion.recv(4096)
        if not trozo:
            break
        peticion += trozo
    return peticion


@pytest.fixture
def servidor_que_interrumpe():
    """Un servidor HTTP de la prueba: a la 1.ª petición responde 500; en la 2.ª manda SIGINT a
    este proceso (el Ctrl+C) antes de contestar, así que llega con la ronda 2 a medias."""
    escucha = socket.create_server(("127.0.0.1", 0))
    escucha.settimeout(LIMITE)
    atendidas = []

    def atender():
        try:
            for numero in (1, 2):
                conexion, _ = escucha.accept()
                with conexion:
                    leer_peticion(conexion)
                    atendidas.append(numero)
                    if numero == 1:
                        conexion.sendall(ERROR_500)
                    else:
                        os.kill(os.getpid(), signal.SIGINT)
        except OSError:
            pass

    hilo = threading.Thread(target=atender, name="interruptor")
    hilo.start()
    try:
        yield escucha.getsockname()[1], atendidas
    finally:
        with contextlib.suppress(OSError):  # despierta al accept() que aún espere (Linux)
            escucha.shutdown(socket.SHUT_RDWR)
        escucha.close()
        hilo.join(LIMITE)


# Si el Ctrl+C se traga, la ronda sigue para siempre: que se sepa pronto (y con margen para
# esperar a los hilos que estaban en vuelo: su TIMEOUT).
@pytest.mark.timeout(10 + TIMEOUT)
def test_ctrl_c_a_media_ronda_cierra_todo_y_no_guarda_la_ronda_a_medias(
    tmp_path, la_flota, smtp, servidor_que_interrumpe, capsys, ctrl_c_de_python
):
    puerto, atendidas = servidor_que_interrumpe
    inventario = escribir_inventario(
        tmp_path / "inv.toml", [("interruptor", puerto), *de_la_flota(la_flota)]
    )
    bd = tmp_path / "monitor.db"
    antes = hilos_vivos()
    argumentos = [str(inventario), "--intervalo", "0", "--concurrencia", "2", "--bd", str(bd)]
    argumentos += ["--smtp", f"{smtp.host}:{smtp.puerto}"]
    si_vence_el_limite(
        "Tras Ctrl+C el programa siguió con la ronda y nunca volvió de main: ¿un «except "
        "BaseException» (o un «except:» a secas) que se traga el KeyboardInterrupt? Captura "
        "Exception en cada comprobación y deja pasar KeyboardInterrupt hasta main."
    )
    escapado = None
    try:
        codigo = monitor.main(argumentos)  # en el hilo principal: ahí llega el KeyboardInterrupt
    except (KeyboardInterrupt, SystemExit) as error:
        escapado = error  # el fallo, fuera del except: su primera línea es la nuestra
    if isinstance(escapado, KeyboardInterrupt):
        pytest.fail(
            "Ctrl+C (KeyboardInterrupt) se escapó de main: atiéndelo y devuelve 130", pytrace=False
        )
    if isinstance(escapado, SystemExit):
        pytest.fail(
            f"Tras Ctrl+C, main salió con sys.exit({escapado.code!r}): debe devolver 130 (return), "
            'no salir con sys.exit. Sale el `if __name__ == "__main__":`, con os._exit(130): '
            "sys.exit esperaría al acabar a los hilos del pool que siguen en vuelo",
            pytrace=False,
        )
    errores = capsys.readouterr().err
    assert atendidas == [1, 2], f"(prueba) el servidor que interrumpe atendió {atendidas}"
    assert codigo == 130, f"Tras Ctrl+C, main devuelve 130; devolvió {codigo!r}"
    assert "interrumpido" in errores.lower() and "Traceback" not in errores, (
        f"Tras Ctrl+C, un aviso en español en stderr y ninguna traza; salió:\n{errores}"
    )
    # Un hilo de la ronda que estaba en vuelo acaba con su comprobación (como mucho, su timeout);
    # uno de un pool que nadie paró no acaba nunca. Esperar solo 1 s dependía de la carga.
    hasta = time.monotonic() + TIMEOUT + 1
    vivos = [
        h
        for h in hilos_vivos() - antes
        if not h.join(max(0.0, hasta - time.monotonic())) and h.is_alive()
    ]
    assert not vivos, (
        "Tras Ctrl+C siguen vivos los hilos " + ", ".join(h.name for h in vivos) + ": al salir, "
        "para el pool de la ronda y el del correo (try/finally)"
    )
    rondas = {f[0] for f in filas(bd)}
    assert rondas == {1}, (
        f"En el historial debe estar la ronda 1 entera y nada de la 2, que se interrumpió; hay {rondas}"
    )
    asuntos = sorted(c["Subject"] for c in smtp.correos)
    assert len(asuntos) == 3, (
        "Los correos de la ronda 1 (3 caídos) salen aunque luego llegue Ctrl+C; llegaron "
        f"{len(asuntos)}: {asuntos}"
    )


SONDA_06 = Path(__file__).resolve().parents[1] / "06" / "sonda.py"
EN_VUELO = 60  # el timeout de las comprobaciones de la prueba de Ctrl+C: largo a propósito


@pytest.fixture
def servidor_que_se_cuelga():
    """Un servidor HTTP de la prueba: contesta 500 a las `responde` primeras conexiones; a las
    demás no les contesta nada (como un servidor colgado) hasta que la prueba lo suelta.

    Devuelve un objeto con el puerto, `llegan(n)` (un Event que se pone cuando han llegado n
    conexiones), `responde` (cuántas contesta) y `soltar()` (cierra las que tiene colgadas)."""
    escucha = socket.create_server(("127.0.0.1", 0), backlog=64)

    class Colgado:
        puerto = escucha.getsockname()[1]
        responde = 0
        conexiones = 0
        colgadas: list = []
        esperas: dict = {}
        cerrojo = threading.Lock()

        def llegan(self, cuantas):
            with self.cerrojo:
                return self.esperas.setdefault(cuantas, threading.Event())

        def soltar(self):
            with self.cerrojo:
                colgadas, self.colgadas = self.colgadas, []
            for conexion in colgadas:
                conexion.close()

    colgado = Colgado()

    def atender():
        with contextlib.suppress(OSError):
            while True:
                conexion, _ = escucha.accept()
                with colgado.cerrojo:
                    colgado.conexiones += 1
                    numero = colgado.conexiones
                    if numero > colgado.responde:
                        colgado.colgadas.append(conexion)
                    for cuantas, evento in colgado.esperas.items():
                        if numero >= cuantas:
                            evento.set()
                if numero <= colgado.responde:
                    with conexion:
                        leer_peticion(conexion)
                        conexion.sendall(ERROR_500)

    hilo = threading.Thread(target=atender, name="colgado")
    hilo.start()
    try:
        yield colgado
    finally:
        colgado.soltar()
        with contextlib.suppress(OSError):
            escucha.shutdown(socket.SHUT_RDWR)
        escucha.close()
        hilo.join(LIMITE)
        colgado.soltar()


def procesos_con_marca(marca):
    """Los procesos vivos (no zombis) que llevan `marca` en su entorno: {pid: su orden}."""
    vivos = {}
    for entorno in en_proc("environ"):
        try:
            if marca.encode() not in entorno.read_bytes().split(b"\0"):
                continue
            estado = (entorno.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
            orden = (entorno.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if estado != "Z":
            vivos[int(entorno.parent.name)] = orden.strip()
    return vivos


def test_ctrl_c_a_un_proceso_que_ejecuta_el_monitor_sale_sin_esperar_a_lo_que_esta_en_vuelo(
    tmp_path, servidor_que_se_cuelga, ctrl_c_de_python
):
    # La ronda 1 (2 http y una sonda del módulo 06) recibe 500 y se guarda. En la ronda 2, las
    # dos primeras comprobaciones (http, con un timeout de 60 s) se quedan colgadas: con las
    # dos en vuelo llega Ctrl+C. El servidor no las suelta hasta que el monitor ha salido (o
    # hasta el límite de la prueba): el monitor debe salir SIN esperarlas.
    colgado = servidor_que_se_cuelga
    url = f"http://127.0.0.1:{colgado.puerto}/salud"
    inventario = escribir_inventario(
        tmp_path / "inv.toml", [("web-1", colgado.puerto), ("web-2", colgado.puerto)]
    )
    inventario.write_text(
        inventario.read_text(encoding="utf-8").replace(
            f"timeout = {TIMEOUT}", f"timeout = {EN_VUELO}"
        )
        + "".join(
            f'[[servidores]]\nnombre = "sonda-{n}"\nips = ["127.0.0.1"]\n'
            f'[[servidores.comprobaciones]]\ntipo = "sonda"\ntimeout = {EN_VUELO}\n'
            f"orden = {json.dumps([sys.executable, '-I', '-S', str(SONDA_06), url, '--timeout', str(EN_VUELO)])}\n"
            for n in (1,)
        ),
        encoding="utf-8",
    )
    colgado.responde = 3  # la ronda 1 entera; la 2 se cuelga
    en_vuelo = colgado.llegan(colgado.responde + 2)
    bd, errores = tmp_path / "monitor.db", tmp_path / "errores.txt"
    marca = f"TALLER_PRUEBAS_09={os.getpid()}-{tmp_path.name}"
    orden = [sys.executable, "-m", "monitor", str(inventario), "--concurrencia", "2"]
    orden += ["--intervalo", "0", "--bd", str(bd)]
    with open(errores, "w", encoding="utf-8") as salida_de_errores:
        hijo = subprocess.Popen(
            orden,
            cwd=carpeta_de_codigo(Path(__file__).parent),
            stdout=subprocess.DEVNULL,
            stderr=salida_de_errores,
            env={**os.environ, marca.split("=")[0]: marca.split("=", 1)[1]},
            start_new_session=True,  # su propio grupo de procesos, como un programa en un terminal
        )
    try:
        # Si el monitor acaba antes de tiempo, que no se espere en vano a la ronda 2.
        vigia = threading.Thread(target=lambda: (hijo.wait(), en_vuelo.set()), name="vigía")
        vigia.start()
        if not en_vuelo.wait(LIMITE) or hijo.poll() is not None:
            hijo.kill()
            pytest.fail(
                "El monitor no llegó a tener dos comprobaciones de la ronda 2 en vuelo (llegaron "
                f"{colgado.conexiones} de {colgado.responde + 2} conexiones); salió con "
                f"{hijo.wait()} y escribió:\n" + errores.read_text(encoding="utf-8")[-1500:],
                pytrace=False,
            )
        # Ctrl+C en un terminal: SIGINT a todo el grupo de procesos del primer plano.
        os.killpg(hijo.pid, signal.SIGINT)
        try:
            hijo.wait(LIMITE)
            sigue_vivo = False
        except subprocess.TimeoutExpired:
            sigue_vivo = True  # el fallo, fuera del except: su primera línea es la nuestra
        if sigue_vivo:
            pytest.fail(
                f"Tras Ctrl+C (SIGINT), el monitor sigue vivo {LIMITE} s después: espera a las dos "
                f"comprobaciones que estaban en vuelo (timeout de {EN_VUELO} s) contra un servidor "
                "que no contesta. No debe: el `with ThreadPoolExecutor` de la ronda las espera "
                "al salir (shutdown(wait=True)), y Python, al acabar, espera a los hilos de todo "
                "ThreadPoolExecutor (no son daemon). Cierra el pool con shutdown(wait=False, "
                "cancel_futures=True) y, cerrado ya el historial, sal con os._exit(130)",
                pytrace=False,
            )
    finally:
        if hijo.poll() is None:
            hijo.kill()
        hijo.wait()
        colgado.soltar()
        vigia.join(LIMITE)
    quedan = procesos_con_marca(marca)
    texto = errores.read_text(encoding="utf-8")
    assert hijo.returncode == 130, (
        f"Tras Ctrl+C el monitor sale con 130; salió con {hijo.returncode}. Errores:\n{texto[-1500:]}"
    )
    assert "Traceback" not in texto, f"Tras Ctrl+C, ninguna traza; salió:\n{texto[-1500:]}"
    assert "interrumpido" in texto.lower(), (
        "Tras Ctrl+C, el monitor avisa en stderr (en español, con «interrumpido») antes de salir "
        "con 130: salir de golpe (un os._exit en un manejador de SIGINT) se salta el aviso y el "
        f"cierre del historial y de los correos. Escribió:\n{texto[-1500:]}"
    )
    assert not quedan, (
        f"Tras salir el monitor quedan procesos suyos vivos: {quedan}. Lo que lanza (las sondas) "
        "se espera siempre: subprocess.run, sin shell"
    )
    conexion = sqlite3.connect(bd)
    try:
        integridad = conexion.execute("PRAGMA integrity_check").fetchone()[0]
        rondas = conexion.execute(
            "SELECT ronda, COUNT(*) FROM resultados GROUP BY ronda"
        ).fetchall()
    finally:
        conexion.close()
    assert integridad == "ok", f"La base quedó dañada: integrity_check dice {integridad!r}"
    assert rondas == [(1, 3)], (
        "En la base debe estar la ronda 1 entera (3 resultados) y nada de la 2, interrumpida "
        f"a medias; hay (ronda, filas): {rondas}"
    )
