"""La flota: arranca deprisa, atiende en paralelo, es reproducible y se detiene sin dejar nada."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest

from taller.flota import AVERIAS, Flota, MotorDeFlota, flota, repartir_averias
from taller.modulos import ErrorDelTaller
from taller.pruebas import con_limite


def pedir(url, timeout=5.0):
    """Un cliente ligero (http.client): medimos la flota, no a requests."""
    partes = urlsplit(url)
    conexion = http.client.HTTPConnection(partes.hostname, partes.port, timeout=timeout)
    try:
        conexion.request("GET", partes.path)
        respuesta = conexion.getresponse()
        return respuesta.status, respuesta.read()
    finally:
        conexion.close()


def pedir_sin_quejas(url):
    """Para clientes que se quedan a medias cuando la prueba detiene la flota."""
    try:
        pedir(url, timeout=10)
    except OSError:
        pass


def descriptores_abiertos():
    return len(os.listdir("/proc/self/fd"))


def test_200_servidores_arrancan_en_menos_de_un_segundo():
    inicio = time.perf_counter()
    with flota(servidores=200, latencia=0.05) as f:
        arranque = time.perf_counter() - inicio
        assert len(set(f.urls)) == 200
    assert arranque < 1.0, f"Arrancar 200 servidores tardó {arranque:.2f} s (límite 1 s)"


def test_un_servidor_sano_responde_su_nombre_en_json():
    with flota(servidores=3, latencia=0) as f:
        estado, cuerpo = pedir(f.servidores[1].url)
    assert estado == 200
    assert json.loads(cuerpo) == {"servidor": "web-002", "estado": "ok"}


def test_solo_escucha_en_loopback():
    with flota(servidores=2, latencia=0) as f:
        assert all(url.startswith("http://127.0.0.1:") for url in f.urls)


def test_una_ruta_desconocida_da_404():
    with flota(servidores=1, latencia=0) as f:
        estado, _ = pedir(f.urls[0].replace("/salud", "/otra"))
    assert estado == 404


def test_la_misma_semilla_da_la_misma_flota():
    averias = {"colgado": 0.1, "error_500": 0.2, "json_roto": 0.1}
    assert repartir_averias(50, averias, 7) == repartir_averias(50, averias, 7)
    assert repartir_averias(50, averias, 7) != repartir_averias(50, averias, 8)
    reparto = repartir_averias(50, averias, 7)
    assert reparto.count("colgado") == 5 and reparto.count("error_500") == 10
    assert reparto.count(None) == 30


def test_por_defecto_todos_estan_sanos():
    assert repartir_averias(20, None, 0) == [None] * 20


@pytest.mark.parametrize(
    ("averias", "mensaje"),
    [
        ({"explota": 0.1}, "desconocida"),
        ({"colgado": 1.5}, "entre 0 y 1"),
        ({"colgado": 0.7, "html": 0.7}, "más de 1"),
    ],
)
def test_averias_mal_dichas_dan_un_error_claro(averias, mensaje):
    with pytest.raises(ErrorDelTaller, match=mensaje):
        Flota(servidores=10, averias=averias)


def test_cada_averia_responde_como_dice():
    averias = {nombre: 1 / len(AVERIAS) for nombre in AVERIAS}
    with flota(servidores=len(AVERIAS), latencia=0, latencia_lenta=0.2, averias=averias) as f:
        vistos = {}
        for servidor in f.servidores:
            try:
                estado, cuerpo = pedir(servidor.url, timeout=1.0)
                vistos[servidor.averia] = (estado, cuerpo)
            except TimeoutError:
                vistos[servidor.averia] = "timeout"
            except ConnectionRefusedError:
                vistos[servidor.averia] = "rechazada"
    assert set(vistos) == set(AVERIAS)
    assert vistos["colgado"] == "timeout"
    assert vistos["puerto_cerrado"] == "rechazada"
    assert vistos["error_500"][0] == 500 and vistos["error_503"][0] == 503
    assert vistos["html"][1].startswith(b"<html>")
    assert json.loads(vistos["estado_no_ok"][1])["estado"] == "degradado"
    assert json.loads(vistos["lento"][1])["estado"] == "ok"
    with pytest.raises(json.JSONDecodeError):
        json.loads(vistos["json_roto"][1])
    lento = [s for s in f.servidores if s.averia == "lento"][0]
    assert json.loads(vistos["otro_nombre"][1])["servidor"] != f"{lento.nombre}-no"


def test_atiende_50_peticiones_a_la_vez_sin_relojes():
    """50 clientes a la vez contra servidores que tardan 5 s: las 50 deben estar en curso juntas."""
    with flota(servidores=50, latencia=5.0) as f:
        hilos = [
            threading.Thread(target=pedir_sin_quejas, args=(url,), daemon=True) for url in f.urls
        ]
        for hilo in hilos:
            hilo.start()

        def esperar_50_en_curso():
            while f.estadisticas.en_curso < 50:
                time.sleep(0.01)

        con_limite(4.0, esperar_50_en_curso, que="Llegar a 50 peticiones en curso a la vez")
        assert f.estadisticas.en_curso_max == 50


def test_200_peticiones_con_50_clientes_no_se_serializan():
    """Con 50 ms de latencia, 200 peticiones en 50 clientes son 4 rondas: unos 0,2 s; en serie,
    10 s. Lo que se comprueba es que no se serializan: muchas en curso a la vez (lo cuenta la
    flota, no el reloj) y un tiempo lejos del de una detrás de otra. Con un límite de reloj
    justo (0,3 s) fallaba en una máquina cargada sin que la flota hiciera nada mal."""
    latencia, clientes = 0.05, 50
    en_serie = 200 * latencia

    def una_ronda(urls):
        pendientes = list(urls)
        cerrojo = threading.Lock()

        def cliente():
            while True:
                with cerrojo:
                    if not pendientes:
                        return
                    url = pendientes.pop()
                pedir(url)

        hilos = [threading.Thread(target=cliente, daemon=True) for _ in range(clientes)]
        inicio = time.perf_counter()
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join(10)
        return time.perf_counter() - inicio

    with flota(servidores=200, latencia=latencia) as f:
        segundos = una_ronda(f.urls)
        assert f.estadisticas.peticiones == 200
        a_la_vez = f.estadisticas.en_curso_max
    assert a_la_vez >= clientes // 5, (
        f"200 peticiones con {clientes} clientes: como mucho {a_la_vez} a la vez en la flota; "
        f"sin serializar, casi {clientes} esperan su latencia al mismo tiempo"
    )
    assert segundos < en_serie / 5, (
        f"200 peticiones con {clientes} clientes tardaron {segundos:.2f} s; en paralelo serían "
        f"~{4 * latencia:.2f} s y en serie {en_serie:.0f} s"
    )


def _esperar_en_curso(una, cuantas):
    def esperar():
        while una.estadisticas.en_curso < cuantas:
            time.sleep(0.01)

    con_limite(5.0, esperar, que=f"Llegar a {cuantas} peticiones en curso")


@pytest.mark.parametrize("clase", [Flota, MotorDeFlota], ids=["proceso", "motor"])
def test_detener_no_deja_hilos_procesos_ni_puertos(clase):
    antes_hilos = set(threading.enumerate())
    antes_fd = descriptores_abiertos()
    una = clase(servidores=30, latencia=0, averias={"colgado": 0.1, "puerto_cerrado": 0.1})
    una.arrancar()
    hijo = getattr(una, "_hijo", None)
    colgado = una.con_averia("colgado")[0]
    peticion_colgada = threading.Thread(target=pedir_sin_quejas, args=(colgado.url,), daemon=True)
    peticion_colgada.start()
    _esperar_en_curso(una, 1)
    urls = una.urls
    una.detener()
    peticion_colgada.join(5)
    assert set(threading.enumerate()) == antes_hilos, "Quedan hilos vivos tras detener la flota"
    assert descriptores_abiertos() <= antes_fd, "Quedan sockets abiertos tras detener la flota"
    if hijo is not None:
        assert hijo.poll() is not None, "El proceso de la flota sigue vivo tras detenerla"
    for url in urls[:5]:
        partes = urlsplit(url)
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection((partes.hostname, partes.port), 1),
        ):
            pass
    una.detener()  # dos veces no es un error


def test_las_estadisticas_cuentan_peticiones_por_servidor():
    with flota(servidores=3, latencia=0) as f:
        for url in f.urls + f.urls[:1]:
            pedir(url)
        estadisticas = f.estadisticas
        assert estadisticas.peticiones == 4
        assert estadisticas.por_servidor == {"web-001": 2, "web-002": 1, "web-003": 1}
        f.reiniciar_estadisticas()
        assert f.estadisticas.peticiones == 0


def test_reiniciar_no_mezcla_las_peticiones_que_ya_estaban_en_curso():
    """Una petición que empezó antes de reiniciar no cuenta después (ni deja en_curso en -1)."""
    motor = MotorDeFlota(servidores=2, latencia=0, averias={"colgado": 0.5}).arrancar()
    colgada = threading.Thread(
        target=pedir_sin_quejas, args=(motor.con_averia("colgado")[0].url,), daemon=True
    )
    try:
        colgada.start()
        _esperar_en_curso(motor, 1)
        motor.reiniciar_estadisticas()
        pedir(motor.con_averia(None)[0].url)
    finally:
        motor.detener()  # la colgada acaba aquí, después de reiniciar
    colgada.join(5)
    e = motor.estadisticas
    assert (e.peticiones, e.en_curso, e.en_curso_max) == (1, 0, 1), e


def test_uno_a_uno_nunca_hay_dos_peticiones_en_curso():
    """La petición deja de estar en curso antes de que el cliente reciba la respuesta."""
    with flota(servidores=5, latencia=0) as f:
        for _ in range(10):
            f.reiniciar_estadisticas()
            for url in f.urls:
                pedir(url)
            e = f.estadisticas
            assert (e.peticiones, e.en_curso, e.en_curso_max) == (5, 0, 1), e


def test_la_orden_taller_flota_arranca_y_se_detiene_con_ctrl_c(tmp_path):
    salida = tmp_path / "urls.txt"
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "taller",
            "flota",
            "--servidores",
            "5",
            "--latencia",
            "0",
            "--salida",
            str(salida),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        linea = proceso.stderr.readline()
        assert "Flota en marcha: 5 servidores" in linea, linea
        urls = salida.read_text().split()
        assert len(urls) == 5
        assert pedir(urls[0])[0] == 200
        proceso.send_signal(signal.SIGINT)
        salida_error = proceso.communicate(timeout=10)[1]
    finally:
        proceso.kill()
        proceso.wait()
    assert proceso.returncode == 0
    assert "Flota detenida: atendió 1 peticiones." in salida_error


def test_la_orden_taller_flota_rechaza_averias_mal_escritas():
    proceso = subprocess.run(
        [sys.executable, "-m", "taller", "flota", "--averias", "colgado"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proceso.returncode == 2
    assert "nombre=proporción" in proceso.stderr


def test_cambiar_averia_con_la_flota_en_marcha():
    with flota(servidores=3, latencia=0, averias={"puerto_cerrado": 0.34}) as f:
        sano = f.con_averia(None)[0]
        assert pedir(sano.url, timeout=2.0)[0] == 200
        f.cambiar_averia(sano.nombre, "error_503")
        assert sano.averia == "error_503" and pedir(sano.url, timeout=2.0)[0] == 503
        f.cambiar_averia(sano.nombre, None)
        assert pedir(sano.url, timeout=2.0)[0] == 200
        (cerrado,) = f.con_averia("puerto_cerrado")
        for nombre, averia, mensaje in (
            (cerrado.nombre, None, "no se puede poner ni quitar"),
            (sano.nombre, "puerto_cerrado", "no se puede poner ni quitar"),
            (sano.nombre, "rota", "Avería desconocida"),
            ("web-999", None, "ningún servidor llamado «web-999»"),
        ):
            with pytest.raises(ErrorDelTaller, match=mensaje):
                f.cambiar_averia(nombre, averia)
