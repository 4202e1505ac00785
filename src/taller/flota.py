"""La flota: N servidores HTTP reales en 127.0.0.1, para vigilar sin salir de la máquina.

Cada servidor escucha en su propio puerto y responde `GET /salud` con un JSON que dice quién
es y cómo está: `{"servidor": "web-001", "estado": "ok"}`. Con una semilla se eligen, siempre
igual, los servidores averiados y su avería:

    lento           responde bien, pero tarda `latencia_lenta` segundos más
    colgado         acepta la conexión y no contesta nunca (hasta que se detiene la flota)
    error_500       HTTP 500
    error_503       HTTP 503
    html            200 con una página HTML de error en lugar de JSON
    otro_nombre     200 con el JSON de otro servidor
    estado_no_ok    200 con "estado": "degradado"
    json_roto       200 con un JSON cortado a la mitad
    puerto_cerrado  el puerto está reservado pero no escucha: conexión rechazada

La flota vive en **su propio proceso** (como los servidores de verdad, que están en otras
máquinas): así no comparte el GIL con el programa que la vigila y nunca es el cuello de
botella de lo que se mide contra ella. Dentro de ese proceso, todos los servidores viven en
un único hilo con un bucle asyncio: 200 servidores arrancan en milisegundos y atienden
cientos de peticiones a la vez sin 200 hilos.

    with flota(servidores=200, latencia=0.05, semilla=1) as f:
        for url in f.urls: ...
        f.estadisticas.en_curso_max     # cuántas peticiones llegaron a estar en curso a la vez
        f.cambiar_averia("web-003", "error_500")   # con la flota en marcha (None: sano)

`MotorDeFlota` es el motor (un hilo con el bucle asyncio); `Flota` lo arranca en un proceso
hijo y habla con él por una tubería, con una orden por línea.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from typing import Self

from taller.modulos import ErrorDelTaller

AVERIAS = (
    "lento",
    "colgado",
    "error_500",
    "error_503",
    "html",
    "otro_nombre",
    "estado_no_ok",
    "json_roto",
    "puerto_cerrado",
)
RUTA_SALUD = "/salud"
MAXIMO_SERVIDORES = 2000
RAZONES = {200: "OK", 404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass
class ServidorSimulado:
    """Un servidor de la flota: su nombre, su puerto y su avería (None si está sano)."""

    nombre: str
    puerto: int = 0
    averia: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.puerto}{RUTA_SALUD}"


@dataclass
class Estadisticas:
    """Lo que ha atendido la flota: sirve para comprobar cuántas peticiones llegan a la vez."""

    peticiones: int = 0
    en_curso: int = 0
    en_curso_max: int = 0
    por_servidor: dict[str, int] = field(default_factory=dict)


def repartir_averias(
    servidores: int, averias: dict[str, float] | None, semilla: int
) -> list[str | None]:
    """Qué avería tiene cada servidor: la misma semilla da siempre el mismo reparto."""
    averias = dict(averias or {})
    desconocidas = sorted(set(averias) - set(AVERIAS))
    if desconocidas:
        raise ErrorDelTaller(
            f"Avería desconocida: {', '.join(desconocidas)}. Las que hay: {', '.join(AVERIAS)}"
        )
    for nombre, proporcion in averias.items():
        if not 0 <= proporcion <= 1:
            raise ErrorDelTaller(
                f"La proporción de «{nombre}» debe estar entre 0 y 1, no {proporcion}"
            )
    if sum(averias.values()) > 1 + 1e-9:
        raise ErrorDelTaller(
            f"Las proporciones de avería suman {sum(averias.values()):.2f}: más de 1"
        )
    reparto: list[str | None] = []
    for nombre in AVERIAS:
        reparto += [nombre] * round(averias.get(nombre, 0) * servidores)
    reparto = reparto[:servidores] + [None] * max(0, servidores - len(reparto))
    random.Random(semilla).shuffle(reparto)
    return reparto


def _el_servidor(
    servidores: list[ServidorSimulado], nombre: str, averia: str | None
) -> ServidorSimulado:
    """El servidor que se llama `nombre`, si se le puede poner `averia`; si no, un error claro."""
    if averia is not None and averia not in AVERIAS:
        raise ErrorDelTaller(f"Avería desconocida: {averia}. Las que hay: {', '.join(AVERIAS)}")
    for servidor in servidores:
        if servidor.nombre == nombre:
            if "puerto_cerrado" in (servidor.averia, averia) and servidor.averia != averia:
                raise ErrorDelTaller(
                    f"{nombre}: «puerto_cerrado» no se puede poner ni quitar con la flota en "
                    "marcha (es un puerto que no escucha); dáselo al crear la flota"
                )
            return servidor
    raise ErrorDelTaller(f"La flota no tiene ningún servidor llamado «{nombre}»")


def _respuesta(estado: int, cuerpo: bytes, tipo: str) -> bytes:
    cabecera = (
        f"HTTP/1.1 {estado} {RAZONES.get(estado, 'Error')}\r\n"
        f"Content-Type: {tipo}\r\nContent-Length: {len(cuerpo)}\r\n"
        "Connection: close\r\nServer: taller-flota\r\n\r\n"
    )
    return cabecera.encode("ascii") + cuerpo


def _json(datos: object) -> bytes:
    return json.dumps(datos, ensure_ascii=False).encode("utf-8")


class _FlotaConfigurada:
    """Lo que comparten el motor y la flota de otro proceso: la configuración, validada al
    crearla (así el error sale en el proceso y la línea donde se escribió), sus servidores
    con su avería, y el `with`: al entrar, `arrancar()`; al salir, `detener()` (cada clase
    hija dice cómo arranca y se detiene)."""

    def __init__(
        self,
        servidores: int = 200,
        latencia: float = 0.05,
        jitter: float = 0.0,
        semilla: int = 0,
        averias: dict[str, float] | None = None,
        latencia_lenta: float = 0.5,
    ) -> None:
        if isinstance(servidores, bool) or not isinstance(servidores, int):
            raise ErrorDelTaller(f"El número de servidores debe ser un entero, no {servidores!r}")
        if not 1 <= servidores <= MAXIMO_SERVIDORES:
            raise ErrorDelTaller(
                f"El número de servidores debe estar entre 1 y {MAXIMO_SERVIDORES}, no {servidores}"
            )
        for nombre, valor in (("latencia", latencia), ("jitter", jitter)):
            if not 0 <= valor <= 60:
                raise ErrorDelTaller(f"La {nombre} debe estar entre 0 y 60 segundos, no {valor}")
        if jitter > latencia:
            raise ErrorDelTaller(
                f"El jitter ({jitter}) no puede ser mayor que la latencia ({latencia})"
            )
        self.latencia = latencia
        self.jitter = jitter
        self.latencia_lenta = latencia_lenta
        self.semilla = semilla
        self.servidores = [
            ServidorSimulado(f"web-{i + 1:03d}", averia=averia)
            for i, averia in enumerate(repartir_averias(servidores, averias, semilla))
        ]
        # Tal cual se escribió: es lo que recibe el proceso hijo para crear su motor.
        self._configuracion = {
            "servidores": servidores,
            "latencia": latencia,
            "jitter": jitter,
            "semilla": semilla,
            "averias": averias or {},
            "latencia_lenta": latencia_lenta,
        }

    @property
    def urls(self) -> list[str]:
        return [servidor.url for servidor in self.servidores]

    def con_averia(self, averia: str | None) -> list[ServidorSimulado]:
        """Los servidores con esa avería (None: los sanos)."""
        return [s for s in self.servidores if s.averia == averia]

    def __enter__(self) -> Self:
        return self.arrancar()

    def __exit__(self, *excepcion: object) -> None:
        self.detener()


class MotorDeFlota(_FlotaConfigurada):
    """Los servidores, en un hilo de este proceso. Úsalo a través de `Flota` (otro proceso)."""

    def __init__(self, *args, **kwargs) -> None:
        """Los mismos argumentos que `Flota` (ver `_FlotaConfigurada`)."""
        super().__init__(*args, **kwargs)
        self.estadisticas = Estadisticas()
        self._azar = random.Random(self.semilla)
        self._bucle: asyncio.AbstractEventLoop | None = None
        self._hilo: threading.Thread | None = None
        self._servidores_asyncio: list[asyncio.base_events.Server] = []
        self._cerrados: list[socket.socket] = []
        self._parar: asyncio.Event | None = None
        self._tareas: set[asyncio.Task] = set()
        self._cerrojo = threading.Lock()

    # --- lo que se usa desde fuera ---------------------------------------------------

    def cambiar_averia(self, nombre: str, averia: str | None) -> None:
        """Cambia la avería de un servidor en marcha (None: sano); la siguiente petición ya la ve.

        `puerto_cerrado` no se puede poner ni quitar así: es un puerto que no escucha.
        """
        servidor = _el_servidor(self.servidores, nombre, averia)
        with self._cerrojo:
            servidor.averia = averia

    def reiniciar_estadisticas(self) -> None:
        """Empieza a contar de cero. Las peticiones que ya estaban en curso no cuentan en las
        nuevas estadísticas, ni al empezar ni al acabar."""
        with self._cerrojo:
            self.estadisticas = Estadisticas()

    def arrancar(self) -> MotorDeFlota:
        if self._hilo is not None:
            raise ErrorDelTaller("La flota ya está arrancada")
        listo = threading.Event()
        errores: list[BaseException] = []
        self._hilo = threading.Thread(
            target=self._vivir, args=(listo, errores), name="taller-flota", daemon=True
        )
        self._hilo.start()
        listo.wait()
        if errores:
            self.detener()
            raise errores[0]
        return self

    def detener(self) -> None:
        """Cierra todos los puertos y espera al hilo de la flota. Se puede llamar varias veces."""
        if self._hilo is None:
            return
        if self._bucle is not None and self._parar is not None and self._bucle.is_running():
            self._bucle.call_soon_threadsafe(self._parar.set)
        self._hilo.join(10)
        self._hilo = None
        for cerrado in self._cerrados:
            cerrado.close()
        self._cerrados.clear()

    # --- el hilo de la flota -----------------------------------------------------------

    def _vivir(self, listo: threading.Event, errores: list[BaseException]) -> None:
        bucle = asyncio.new_event_loop()
        self._bucle = bucle
        try:
            bucle.run_until_complete(self._servir(listo, errores))
        finally:
            bucle.run_until_complete(bucle.shutdown_asyncgens())
            bucle.close()
            listo.set()

    async def _servir(self, listo: threading.Event, errores: list[BaseException]) -> None:
        self._parar = asyncio.Event()
        try:
            for servidor in self.servidores:
                await self._abrir(servidor)
        except OSError as error:
            errores.append(
                ErrorDelTaller(f"No se pudo abrir un puerto para la flota en 127.0.0.1: {error}")
            )
            await self._cerrar_todo()
            return
        listo.set()
        await self._parar.wait()
        await self._cerrar_todo()

    async def _abrir(self, servidor: ServidorSimulado) -> None:
        if servidor.averia == "puerto_cerrado":
            # Reservado (nadie más lo usará) pero sin listen(): el sistema rechaza la conexión.
            reservado = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            reservado.bind(("127.0.0.1", 0))
            servidor.puerto = reservado.getsockname()[1]
            self._cerrados.append(reservado)
            return

        async def atender(lector, escritor, servidor=servidor):
            tarea = asyncio.current_task()
            self._tareas.add(tarea)
            try:
                await self._atender(servidor, lector, escritor)
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
                pass
            finally:
                self._tareas.discard(tarea)
                escritor.close()

        abierto = await asyncio.start_server(atender, "127.0.0.1", 0, backlog=256)
        servidor.puerto = abierto.sockets[0].getsockname()[1]
        self._servidores_asyncio.append(abierto)

    async def _cerrar_todo(self) -> None:
        for abierto in self._servidores_asyncio:
            abierto.close()
        for tarea in list(self._tareas):
            tarea.cancel()
        for abierto in self._servidores_asyncio:
            await abierto.wait_closed()
        if self._tareas:
            await asyncio.gather(*self._tareas, return_exceptions=True)
        self._servidores_asyncio.clear()

    async def _atender(self, servidor: ServidorSimulado, lector, escritor) -> None:
        peticion = await asyncio.wait_for(lector.readuntil(b"\r\n\r\n"), timeout=10)
        linea = peticion.split(b"\r\n", 1)[0].decode("latin-1")
        partes = linea.split()
        ruta = partes[1] if len(partes) >= 2 else ""
        contada = self._empieza(servidor)
        try:
            respuesta = await self._responder(servidor, ruta)
        finally:
            # Acaba ANTES de escribir: cuando el cliente tiene la respuesta, la petición ya no
            # está en curso. Así, uno a uno, en_curso_max es 1 sin carreras.
            self._termina(contada)
        escritor.write(respuesta)
        await escritor.drain()

    def _empieza(self, servidor: ServidorSimulado) -> Estadisticas:
        """Cuenta una petición que empieza; devuelve las estadísticas donde se contó."""
        with self._cerrojo:
            e = self.estadisticas
            e.peticiones += 1
            e.por_servidor[servidor.nombre] = e.por_servidor.get(servidor.nombre, 0) + 1
            e.en_curso += 1
            e.en_curso_max = max(e.en_curso_max, e.en_curso)
            return e

    def _termina(self, contada: Estadisticas) -> None:
        # En las mismas estadísticas en que empezó: si entre medias se reiniciaron, las
        # nuevas no se enteran (y su en_curso no baja de 0).
        with self._cerrojo:
            contada.en_curso -= 1

    async def _responder(self, servidor: ServidorSimulado, ruta: str) -> bytes:
        if ruta.split("?")[0] != RUTA_SALUD:
            return _respuesta(
                404, _json({"error": f"no existe {ruta}", "prueba": RUTA_SALUD}), "application/json"
            )
        espera = self.latencia + (
            self._azar.uniform(-self.jitter, self.jitter) if self.jitter else 0
        )
        if servidor.averia == "lento":
            espera += self.latencia_lenta
        if servidor.averia == "colgado":
            await self._parar.wait()
            return b""
        await asyncio.sleep(max(0.0, espera))
        return self._cuerpo(servidor)

    def _cuerpo(self, servidor: ServidorSimulado) -> bytes:
        averia, nombre = servidor.averia, servidor.nombre
        if averia in ("error_500", "error_503"):
            estado = int(averia[-3:])
            return _respuesta(
                estado, f"{estado} {RAZONES[estado]}\n".encode(), "text/plain; charset=utf-8"
            )
        if averia == "html":
            pagina = "<html><body><h1>Error</h1><p>Algo ha ido mal.</p></body></html>\n"
            return _respuesta(200, pagina.encode(), "text/html; charset=utf-8")
        if averia == "otro_nombre":
            otro = self.servidores[(self.servidores.index(servidor) + 1) % len(self.servidores)]
            nombre = otro.nombre if otro is not servidor else "web-desconocido"
            return _respuesta(200, _json({"servidor": nombre, "estado": "ok"}), "application/json")
        if averia == "estado_no_ok":
            return _respuesta(
                200, _json({"servidor": nombre, "estado": "degradado"}), "application/json"
            )
        if averia == "json_roto":
            roto = _json({"servidor": nombre, "estado": "ok"})[:-9]
            return _respuesta(200, roto, "application/json")
        return _respuesta(200, _json({"servidor": nombre, "estado": "ok"}), "application/json")


class Flota(_FlotaConfigurada):
    """N servidores HTTP en 127.0.0.1, servidos por un proceso hijo (ver el docstring del módulo).

    Con `with`, arranca al entrar y se detiene al salir (pase lo que pase)."""

    def __init__(self, *args, **kwargs) -> None:
        """Los argumentos de la configuración: servidores, latencia, jitter, semilla, averias
        (proporción de cada una) y latencia_lenta (lo que tarda de más un servidor «lento»)."""
        super().__init__(*args, **kwargs)
        self._hijo: subprocess.Popen | None = None
        self._lanzada = False  # lanzar() sin arrancar() todavía
        self._cerrojo = threading.Lock()

    @property
    def estadisticas(self) -> Estadisticas:
        return Estadisticas(**self._orden("estadisticas"))

    def cambiar_averia(self, nombre: str, averia: str | None) -> None:
        """Cambia la avería de un servidor en marcha (None: sano), como MotorDeFlota."""
        servidor = _el_servidor(self.servidores, nombre, averia)
        respuesta = self._orden("averia " + json.dumps([nombre, averia]))
        if "error" in respuesta:
            raise ErrorDelTaller(respuesta["error"])
        servidor.averia = averia

    def reiniciar_estadisticas(self) -> None:
        self._orden("reiniciar")

    def lanzar(self) -> Flota:
        """Lanza el proceso de la flota y vuelve sin esperar a que escuche (arrancar() espera).

        Para arrancarla a la vez que otra cosa: el proceso tarda en importar asyncio y abrir
        los puertos, y mientras tanto quien la lanzó sigue a lo suyo."""
        if self._hijo is not None:
            raise ErrorDelTaller("La flota ya está arrancada")
        self._hijo = subprocess.Popen(
            [sys.executable, "-m", "taller.flota", json.dumps(self._configuracion)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._lanzada = True
        return self

    def arrancar(self) -> Flota:
        """Arranca la flota (o termina de arrancar la que se lanzó) y espera a que escuche."""
        if not self._lanzada:
            self.lanzar()  # si ya está arrancada, ErrorDelTaller
        self._lanzada = False
        respuesta = self._leer()
        if "error" in respuesta:
            self.detener()
            raise ErrorDelTaller(respuesta["error"])
        for servidor, puerto in zip(self.servidores, respuesta["puertos"], strict=True):
            servidor.puerto = puerto
        return self

    def detener(self) -> None:
        """Para el proceso de la flota y espera a que salga. Se puede llamar varias veces."""
        hijo, self._hijo = self._hijo, None
        self._lanzada = False
        if hijo is None:
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            hijo.stdin.write("parar\n")
            hijo.stdin.flush()
        try:
            hijo.wait(10)
        except subprocess.TimeoutExpired:
            hijo.kill()
            hijo.wait()
        finally:
            hijo.stdin.close()
            hijo.stdout.close()

    def _leer(self) -> dict:
        linea = self._hijo.stdout.readline()
        if not linea:
            raise ErrorDelTaller("El proceso de la flota terminó sin responder")
        return json.loads(linea)

    def _orden(self, orden: str) -> dict:
        if self._hijo is None:
            raise ErrorDelTaller("La flota no está arrancada")
        with self._cerrojo:
            self._hijo.stdin.write(orden + "\n")
            self._hijo.stdin.flush()
            return self._leer()


# `with flota(servidores=200, ...) as f:` es `with Flota(...)`: el nombre en minúscula se
# lee como lo que se hace en el `with`, y es el que usan las pruebas y los cuadernos.
flota = Flota


def _proceso_hijo(configuracion: str) -> int:
    """El lado hijo: arranca el motor y atiende órdenes por stdin hasta «parar» o EOF."""
    try:
        motor = MotorDeFlota(**json.loads(configuracion)).arrancar()
    except (ErrorDelTaller, OSError) as error:
        print(json.dumps({"error": str(error)}), flush=True)
        return 1
    print(json.dumps({"puertos": [s.puerto for s in motor.servidores]}), flush=True)
    try:
        for linea in sys.stdin:
            orden = linea.strip()
            if orden == "estadisticas":
                with motor._cerrojo:
                    print(json.dumps(asdict(motor.estadisticas)), flush=True)
            elif orden.startswith("averia "):
                try:
                    motor.cambiar_averia(*json.loads(orden[len("averia ") :]))
                except ErrorDelTaller as error:
                    print(json.dumps({"error": str(error)}), flush=True)
                else:
                    print("{}", flush=True)
            elif orden == "reiniciar":
                motor.reiniciar_estadisticas()
                print("{}", flush=True)
            elif orden == "parar":
                break
    finally:
        motor.detener()
    return 0


if __name__ == "__main__":
    sys.exit(_proceso_hijo(sys.argv[1]))
