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
from taller.flota import flota
from taller.pruebas import cargar, carpeta_de_codigo, con_limite, hilos_vivos, si_vence_el_limite

monitor = cargar("monitor")

CARPETA = carpeta_de_codigo(Path(__file__).parent)
LIMITE = 10
TIMEOUT = 0.3


@pytest.fixture(scope="module")
def la_flota():
    """6 servidores reales: uno con error 500, uno con el puerto cerrado y cuatro sanos."""
    with flota(
        servidores=6, latencia=0.01, semilla=4, averias={"error_500": 0.17, "puerto_cerrado": 0.17}
    ) as f:
        yield f


@pytest.fixture
def smtp():
    with servidor_smtp() as servidor:
        yield servidor


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
    asuntos = []
    try:
        for numero in (1, 2, 3):
            if numero == 2:  # cambian las averías: uno se arregla y otro se cae
                la_flota.cambiar_averia(con_500.nombre, None)
                la_flota.cambiar_averia(se_cae.nombre, "error_503")
            ejecutar(argumentos, capsys, f"main, ronda {numero}")
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
        f"{esperado}; llegó {asuntos}"
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
    codigo = con_limite(LIMITE, monitor.main, argumentos, que="main --json --intervalo 0")
    assert salida.visto == "flush", (
        "Sin --una-vez, la línea de JSON de cada ronda se vacía al escribirla (print(..., "
        "flush=True)): en una tubería, stdout guarda lo escrito hasta llenar su búfer y quien "
        f"lee no ve la ronda hasta mucho después; lo visto: {salida.visto!r}, salió con "
        f"{codigo!r} y escribió {salida.texto!r}"
    )


# --- Paso 5: Ctrl+C a media ronda (cuaderno: 6) -----------------------------------------------


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
                    conexion.settimeout(LIMITE)
                    peticion = b""
                    while b"\r\n\r\n" not in peticion:
                        trozo = conexion.recv(4096)
                        if not trozo:
                            break
                        peticion += trozo
                    atendidas.append(numero)
                    if numero == 1:
                        conexion.sendall(
                            b"HTTP/1.1 500 Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        )
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


@pytest.mark.timeout(8)  # si el Ctrl+C se traga, la ronda sigue para siempre: que se sepa pronto
def test_ctrl_c_a_media_ronda_cierra_todo_y_no_guarda_la_ronda_a_medias(
    tmp_path, la_flota, smtp, servidor_que_interrumpe, capsys
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
    try:
        codigo = monitor.main(argumentos)  # en el hilo principal: ahí llega el KeyboardInterrupt
    except KeyboardInterrupt:
        pytest.fail(
            "Ctrl+C (KeyboardInterrupt) se escapó de main: atiéndelo y devuelve 130", pytrace=False
        )
    errores = capsys.readouterr().err
    assert atendidas == [1, 2], f"(prueba) el servidor que interrumpe atendió {atendidas}"
    assert codigo == 130, f"Tras Ctrl+C, main devuelve 130; devolvió {codigo!r}"
    assert "interrumpido" in errores.lower() and "Traceback" not in errores, (
        f"Tras Ctrl+C, un aviso en español en stderr y ninguna traza; salió:\n{errores}"
    )
    vivos = [h for h in hilos_vivos() - antes if not h.join(1) and h.is_alive()]
    assert not vivos, (
        "Tras Ctrl+C siguen vivos los hilos " + ", ".join(h.name for h in vivos) + ": al salir, "
        "para el pool de la ronda y el del correo (try/finally)"
    )
    rondas = {f[0] for f in filas(bd)}
    assert rondas == {1}, (
        f"En el historial debe estar la ronda 1 entera y nada de la 2, que se interrumpió; hay {rondas}"
    )
    assert len(smtp.correos) == 3, (
        "Los correos de la ronda 1 (3 caídos) salen aunque luego llegue Ctrl+C; llegaron "
        f"{len(smtp.correos)}"
    )


@pytest.fixture
def servidor_colgado():
    """Un «servidor» que acepta conexiones y no contesta nunca (cada comprobación agota su
    timeout); apunta cuántas conexiones llegan después de `ctrl_c` (un Event)."""
    escucha = socket.create_server(("127.0.0.1", 0), backlog=64)
    ctrl_c = threading.Event()
    cuenta = {"antes": 0, "despues": 0}
    abiertas = []
    primera = threading.Event()

    def atender():
        with contextlib.suppress(OSError):
            while True:
                conexion, _ = escucha.accept()
                abiertas.append(conexion)
                cuenta["despues" if ctrl_c.is_set() else "antes"] += 1
                primera.set()

    hilo = threading.Thread(target=atender, name="colgado")
    hilo.start()
    try:
        yield escucha.getsockname()[1], primera, ctrl_c, cuenta
    finally:
        with contextlib.suppress(OSError):
            escucha.shutdown(socket.SHUT_RDWR)
        escucha.close()
        hilo.join(LIMITE)
        for conexion in abiertas:
            conexion.close()


def test_ctrl_c_a_un_proceso_que_ejecuta_el_monitor_sale_enseguida(
    tmp_path, la_flota, servidor_colgado
):
    puerto, primera, ctrl_c, cuenta = servidor_colgado
    colgados = [(f"colgado-{n}", puerto) for n in range(6)]
    inventario = escribir_inventario(tmp_path / "inv.toml", [*de_la_flota(la_flota), *colgados])
    bd = tmp_path / "monitor.db"
    orden = [sys.executable, "-m", "monitor", str(inventario), "--concurrencia", "2"]
    orden += ["--intervalo", "0", "--bd", str(bd)]
    hijo = subprocess.Popen(
        orden, cwd=CARPETA, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    leido = {}

    def leer_errores():  # hasta que el hijo acaba; si acaba antes de tiempo, despierta la espera
        leido["errores"] = hijo.stderr.read()
        primera.set()

    lector = threading.Thread(target=leer_errores, name="errores-del-monitor")
    lector.start()
    try:
        # La ronda va por los colgados: 2 en vuelo y 4 por empezar.
        if not primera.wait(LIMITE) or not lector.is_alive():
            hijo.kill()
            lector.join(LIMITE)
            pytest.fail(
                "El monitor acabó (o se quedó parado) sin llegar a comprobar los servidores del "
                f"inventario; salió con {hijo.wait()} y escribió:\n"
                + leido.get("errores", "")[-1500:],
                pytrace=False,
            )
        ctrl_c.set()
        hijo.send_signal(signal.SIGINT)
        lector.join(5)
        if lector.is_alive():
            pytest.fail("Tras Ctrl+C (SIGINT), el monitor sigue vivo 5 s después", pytrace=False)
        hijo.wait(LIMITE)
        errores = leido["errores"]
    finally:
        if hijo.poll() is None:
            hijo.kill()
            hijo.wait()
        lector.join(LIMITE)
        hijo.stderr.close()
    assert hijo.returncode == 130, (
        f"Tras Ctrl+C el monitor sale con 130; salió con {hijo.returncode}. Errores:\n{errores[-1500:]}"
    )
    assert "Traceback" not in errores, f"Tras Ctrl+C, ninguna traza; salió:\n{errores[-1500:]}"
    assert cuenta["despues"] <= 2, (
        f"Tras Ctrl+C empezaron {cuenta['despues']} comprobaciones nuevas (de 4 que faltaban): "
        "las que no han empezado ya no deben empezar, para salir enseguida "
        "(shutdown(cancel_futures=True))"
    )
    conexion = sqlite3.connect(bd)
    try:
        integridad = conexion.execute("PRAGMA integrity_check").fetchone()[0]
        filas_sueltas = conexion.execute("SELECT COUNT(*) FROM resultados").fetchone()[0]
    finally:
        conexion.close()
    assert integridad == "ok", f"La base quedó dañada: integrity_check dice {integridad!r}"
    assert filas_sueltas == 0, (
        f"La ronda interrumpida no deja filas sueltas en la base; dejó {filas_sueltas}"
    )
