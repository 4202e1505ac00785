"""La sonda: un programa pequeño que comprueba un servidor web y lo dice con su código de salida.

No tienes que tocarlo: es «el otro programa» que lanzan tus procesos.

Uso normal (el que le da sentido):

    python sonda.py URL [--timeout SEGUNDOS]

hace `GET URL` y sale con uno de los códigos de los plugins de Nagios e Icinga (la convención de muchas
herramientas de monitorización):

    0   OK        responde 200 con un JSON que dice "estado": "ok"
    1   WARNING   responde, pero algo incoherente (otro código HTTP, HTML, JSON roto, estado no ok)
    2   CRITICAL  no responde (conexión rechazada, tiempo agotado, nombre desconocido)
    3   UNKNOWN   no ha podido comprobar nada: no se ha usado bien (falta la URL...)

Escribe una línea que lo explica, en stdout si está sano y en stderr si no.

Modo de prueba (para las pruebas y el cuaderno): una lista de acciones que se ejecutan en el
orden en que se escriben, por ejemplo

    python sonda.py --escribir "empiezo" --dormir 0.3 --escribir-error "¡ay!" --salir 3

    --escribir TEXTO           escribe TEXTO y un salto de línea en stdout (en UTF-8)
    --escribir-error TEXTO     lo mismo, en stderr
    --escribir-mucho BYTES     escribe BYTES caracteres «x» en stdout (para llenar la tubería)
    --escribir-bytes-raros     escribe en stdout bytes que no son UTF-8 (como un programa en latin-1)
    --eco ARG...               escribe en stdout, como JSON, todos los argumentos que le siguen
    --dormir SEGUNDOS          duerme
    --crear FICHERO            crea FICHERO (para avisar: «ya he llegado aquí»)
    --esperar FICHERO          espera a que exista FICHERO (paciencia: 10 s; si no, sale con 3)
    --contar CARPETA           se apunta en CARPETA/contador: cuántas sondas han llegado,
                               cuántas hay en marcha ahora y el máximo que ha habido a la vez;
                               al terminar se borra de «en marcha»
    --barrera N                (tras --contar) espera a que lleguen a la barrera las demás sondas
                               de su grupo de N: las N primeras que llegan forman el primer grupo,
                               las N siguientes el segundo... Solo pasan si N corren a la vez.
                               Paciencia: 5 s; si no, sale con 3 y avisa a las demás para que no
                               esperen en vano.
    --acabar-la-ultima N       (tras --contar) no sigue hasta que hayan llegado N sondas (ella
                               incluida) y las demás hayan acabado: es la última de las N en
                               acabar. Paciencia: 10 s; si no, sale con 3.
    --salir CODIGO             sale con ese código

Solo usa la biblioteca estándar: funciona con cualquier python3, sin instalar nada.
"""

from __future__ import annotations

# Solo lo imprescindible al arrancar: las pruebas lanzan decenas de sondas, y cada import es
# tiempo de cada una (json, pathlib y contextlib juntos costaban más que el propio Python).
# Lo demás se importa donde se usa.
import os
import sys
import time

SANO, INCOHERENTE, SIN_RESPUESTA, DESCONOCIDO = 0, 1, 2, 3
PACIENCIA_ESPERAR = 10.0
PACIENCIA_BARRERA = 5.0
INTERVALO = 0.005
NUMERICAS = {"--escribir-mucho", "--dormir", "--barrera", "--acabar-la-ultima", "--salir"}


# --- El uso normal: comprobar una URL -------------------------------------------------------


def partir(url: str) -> tuple[str, int, str, str]:
    """(máquina, puerto, ruta, cabecera Host) de una URL http:// o https://; ValueError si no
    se puede pedir.

    A mano, sin urllib.parse: importarlo (y re, que lo importa) costaba a cada sonda más que
    conectar y pedir. Para las URL de una petición basta con cortar por :// / ? # @ y :."""
    esquema, _, resto = url.partition("://")
    corte = min((resto.index(c) for c in "/?#" if c in resto), default=len(resto))
    sitio, ruta = resto[:corte], resto[corte:].partition("#")[0]  # el #fragmento no se envía
    ruta = ruta if ruta.startswith("/") else "/" + ruta
    host = sitio.rpartition("@")[2]  # sin el usuario:contraseña@
    if host.startswith("["):  # IPv6: [::1]:8000
        maquina, cierre, puerto = host[1:].partition("]")
        if not cierre or puerto[:1] not in ("", ":"):
            raise ValueError("no es una URL que se pueda pedir")
        puerto = puerto[1:]
    else:
        maquina, _, puerto = host.partition(":")
    if puerto and not (puerto.isascii() and puerto.isdigit() and int(puerto) <= 65535):
        raise ValueError("el puerto no es un número")
    if not maquina or any(c <= " " or c == "\x7f" for c in url):
        raise ValueError("no es una URL que se pueda pedir")
    return maquina, int(puerto or (443 if esquema == "https" else 80)), ruta, host


def conectar(maquina: str, puerto: int, timeout: float, cifrado: bool):
    """Un socket conectado a (maquina, puerto), cifrado (TLS) si se pide; OSError si no se puede.

    Sin cifrar, con _socket, el módulo en C que hay debajo de socket: socket.py le añade enums y
    comodidades que cuestan más de arrancar (unos 25 ms por sonda) que todo lo demás. Con el
    nombre en bytes, getaddrinfo no carga el códec idna (otros 10 ms), salvo si no es ASCII."""
    if cifrado:  # ssl necesita un socket de socket.py: el socket cifrado se queda con él
        import socket
        import ssl

        conexion = socket.create_connection((maquina, puerto), timeout=timeout)
        return ssl.create_default_context().wrap_socket(conexion, server_hostname=maquina)
    import _socket

    nombre = maquina.encode("ascii") if maquina.isascii() else maquina.encode("idna")
    ultimo: OSError = OSError(f"{maquina} no tiene direcciones")
    for familia, tipo, protocolo, _, direccion in _socket.getaddrinfo(
        nombre, puerto, 0, _socket.SOCK_STREAM
    ):  # como socket.create_connection: cada dirección de la máquina, hasta que una conecte
        conexion = _socket.socket(familia, tipo, protocolo)
        try:
            conexion.settimeout(timeout)
            conexion.connect(direccion)
            return conexion
        except OSError as error:
            conexion.close()
            ultimo = error
    raise ultimo


def comprobar(url: str, timeout: float) -> tuple[int, str]:
    """(código de salida, explicación) de una petición GET a `url`."""
    # La petición va a mano por un socket, sin urllib.request: importarlo (http.client, email,
    # ssl...) costaba unos 100 ms de CPU por sonda, el triple que todo lo demás; un GET de
    # HTTP/1.0 son unas líneas.
    try:
        maquina, puerto, ruta, host = partir(url)
    except ValueError as error:
        return DESCONOCIDO, f"{url}: {error}"
    peticion = (
        f"GET {ruta} HTTP/1.0\r\nHost: {host}\r\n"
        "Connection: close\r\nUser-Agent: sonda-del-taller\r\n\r\n"
    )
    trozos = []
    try:
        conexion = conectar(maquina, puerto, timeout, url.startswith("https://"))
        try:
            conexion.sendall(peticion.encode("utf-8"))
            while trozo := conexion.recv(65536):  # HTTP/1.0: el servidor cierra al acabar
                trozos.append(trozo)
        finally:
            conexion.close()
    except OSError as error:  # rechazada, tiempo agotado (TimeoutError), nombre desconocido
        return SIN_RESPUESTA, f"{url}: no responde ({error})"
    cabecera, _, cuerpo = b"".join(trozos).partition(b"\r\n\r\n")
    estado = cabecera.split(b"\r\n", 1)[0].split()
    if len(estado) < 2 or not estado[0].startswith(b"HTTP/") or not estado[1].isdigit():
        return INCOHERENTE, f"{url}: no responde con HTTP"
    if int(estado[1]) != 200:
        return INCOHERENTE, f"{url}: responde con HTTP {int(estado[1])}"
    import json  # aquí y no arriba: solo hace falta si responde 200 (y cuesta lo suyo)

    try:
        datos = json.loads(cuerpo.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return INCOHERENTE, f"{url}: responde 200, pero no con JSON"
    if not isinstance(datos, dict) or datos.get("estado") != "ok":
        return INCOHERENTE, f"{url}: responde, pero su estado no es «ok»: {datos!r}"
    return SANO, f"{url}: {datos.get('servidor', '?')} ok"


def uso_normal(argumentos: list[str]) -> int:
    url, timeout = argumentos[0], 5.0
    resto = argumentos[1:]
    if resto[:1] == ["--timeout"] and len(resto) == 2:
        try:
            timeout = float(resto[1])
        except ValueError:
            return mal_uso(f"--timeout espera un número de segundos, no «{resto[1]}»")
    elif resto:
        return mal_uso(f"no entiendo {' '.join(resto)!r}")
    if not url.startswith(("http://", "https://")):
        return mal_uso(f"«{url}» no es una URL http:// o https://")
    codigo, explicacion = comprobar(url, timeout)
    print(explicacion, file=sys.stdout if codigo == SANO else sys.stderr)
    return codigo


# --- El modo de prueba -----------------------------------------------------------------------


class contador:  # noqa: N801 (se usa como una función: with contador(carpeta) as datos)
    """El contador compartido por las sondas de una prueba, bajo un cerrojo de fichero.

    En CARPETA/contador, una línea por cuenta: «llegadas 4», «en_marcha 0», «maximo 4»,
    «en_barrera 4». Texto y no JSON: importar json (y re, que lo importa) costaba a cada sonda
    casi tanto como arrancar Python."""

    CUENTAS = ("llegadas", "en_marcha", "maximo", "en_barrera")

    def __init__(self, carpeta: str) -> None:
        self.ruta = os.path.join(carpeta, "contador")
        self.cerrojo = open(os.path.join(carpeta, "cerrojo"), "a")  # noqa: SIM115

    def __enter__(self) -> dict:
        import fcntl

        fcntl.flock(self.cerrojo, fcntl.LOCK_EX)
        self.datos = dict.fromkeys(self.CUENTAS, 0)
        if os.path.exists(self.ruta):
            with open(self.ruta) as fichero:
                for linea in fichero:
                    clave, valor = linea.split()
                    self.datos[clave] = int(valor)
        return self.datos

    def __exit__(self, tipo, *_) -> None:
        with self.cerrojo:  # al cerrarlo se suelta el cerrojo
            if tipo is None:
                with open(self.ruta, "w") as fichero:
                    fichero.writelines(f"{clave} {self.datos[clave]}\n" for clave in self.CUENTAS)


def esperar_a(condicion, paciencia: float) -> bool:
    """Comprueba `condicion()` cada pocos milisegundos; False si se acaba la paciencia."""
    limite = time.monotonic() + paciencia
    while not condicion():
        if time.monotonic() > limite:
            return False
        time.sleep(INTERVALO)
    return True


def la_ultima(carpeta: str, cuantas: int) -> bool:
    """¿Han llegado ya `cuantas` sondas a `carpeta`, y es esta la única que sigue en marcha?"""
    with contador(carpeta) as datos:
        return datos["llegadas"] >= cuantas and datos["en_marcha"] <= 1


def barrera(carpeta: str, tamano: int) -> int:
    """Espera a que lleguen a la barrera las demás sondas de su grupo de `tamano`."""
    with contador(carpeta) as datos:
        datos["en_barrera"] += 1
        llegada = datos["en_barrera"]
    necesarias = -(-llegada // tamano) * tamano  # la última llegada de su grupo
    rota = os.path.join(carpeta, "barrera_rota")

    def completa() -> bool:
        with contador(carpeta) as datos:
            return datos["en_barrera"] >= necesarias or os.path.exists(rota)

    if esperar_a(completa, PACIENCIA_BARRERA) and not os.path.exists(rota):
        return 0
    if os.path.exists(rota):
        motivo = "otra sonda se cansó antes de esperar a su grupo"
    else:
        crear(rota)
        with contador(carpeta) as datos:
            llegaron = datos["en_barrera"] - (necesarias - tamano)
        motivo = (
            f"la sonda {llegada} esperó {PACIENCIA_BARRERA:g} s a su grupo de {tamano} "
            f"y solo llegaron {llegaron}"
        )
    print(f"barrera: {motivo}: no corren {tamano} a la vez", file=sys.stderr)
    return DESCONOCIDO


def modo_prueba(argumentos: list[str]) -> int:
    carpeta: str | None = None
    try:
        i = 0
        while i < len(argumentos):
            accion = argumentos[i]
            if accion == "--eco":
                import json

                print(json.dumps(argumentos[i + 1 :], ensure_ascii=False))
                break
            if accion == "--escribir-bytes-raros":
                sys.stdout.flush()
                sys.stdout.buffer.write("año: caña\n".encode("latin-1"))
                sys.stdout.buffer.flush()
                i += 1
                continue
            if i + 1 >= len(argumentos):
                return mal_uso(f"a {accion} le falta su valor")
            valor = argumentos[i + 1]
            i += 2
            if accion in NUMERICAS and not es_numero(valor):
                return mal_uso(f"{accion} espera un número, no «{valor}»")
            if accion == "--escribir":
                print(valor, flush=True)
            elif accion == "--escribir-error":
                print(valor, file=sys.stderr, flush=True)
            elif accion == "--escribir-mucho":
                sys.stdout.write("x" * int(float(valor)))
                sys.stdout.flush()
            elif accion == "--dormir":
                time.sleep(float(valor))
            elif accion == "--crear":
                crear(valor)
            elif accion == "--esperar":
                if not esperar_a(lambda ruta=valor: os.path.exists(ruta), PACIENCIA_ESPERAR):
                    print(
                        f"esperar: {valor} no apareció en {PACIENCIA_ESPERAR:g} s", file=sys.stderr
                    )
                    return DESCONOCIDO
            elif accion == "--contar":
                carpeta = valor
                with contador(carpeta) as datos:
                    datos["llegadas"] += 1
                    datos["en_marcha"] += 1
                    datos["maximo"] = max(datos["maximo"], datos["en_marcha"])
            elif accion == "--acabar-la-ultima":
                if carpeta is None:
                    return mal_uso("--acabar-la-ultima necesita un --contar CARPETA antes")
                cuantas = int(float(valor))
                if not esperar_a(
                    lambda carpeta=carpeta, cuantas=cuantas: la_ultima(carpeta, cuantas),
                    PACIENCIA_ESPERAR,
                ):
                    print(
                        f"acabar-la-ultima: no llegaron {cuantas} sondas, o no acabaron las "
                        f"demás, en {PACIENCIA_ESPERAR:g} s",
                        file=sys.stderr,
                    )
                    return DESCONOCIDO
            elif accion == "--barrera":
                if carpeta is None:
                    return mal_uso("--barrera necesita un --contar CARPETA antes")
                codigo = barrera(carpeta, int(float(valor)))
                if codigo:
                    return codigo
            elif accion == "--salir":
                return int(float(valor))
            else:
                return mal_uso(f"acción desconocida: {accion}")
        return 0
    finally:
        if carpeta is not None:
            with contador(carpeta) as datos:
                datos["en_marcha"] -= 1


def crear(ruta: str) -> None:
    """Crea el fichero `ruta`, vacío (si ya existe, lo deja como está)."""
    with open(ruta, "a"):
        pass


def es_numero(texto: str) -> bool:
    try:
        float(texto)
    except ValueError:
        return False
    return True


def mal_uso(motivo: str) -> int:
    print(f"sonda: {motivo}. Uso: python sonda.py URL [--timeout SEGUNDOS]", file=sys.stderr)
    return DESCONOCIDO


def main(argumentos: list[str]) -> int:
    # Lo que escribimos sale siempre en UTF-8, sea cual sea el idioma del sistema.
    sys.stdout.reconfigure(encoding="utf-8")
    sys.stderr.reconfigure(encoding="utf-8")
    if not argumentos:
        return mal_uso("falta la URL")
    if argumentos[0].startswith("--"):
        return modo_prueba(argumentos)
    return uso_normal(argumentos)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
