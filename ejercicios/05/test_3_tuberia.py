"""Pruebas del módulo 05, paso 3: el trabajo gordo con piezas reales (tuberia.py).

Una base SQLite de verdad (un fichero en una carpeta temporal, en memoria si se puede) y un servidor de correo
SMTP de verdad, en 127.0.0.1 y en un puerto libre, que se arranca para cada prueba y se
detiene al acabarla. Las pruebas miran lo que quedó en la base y lo que recibió el servidor.

Ejecútalas con:  pytest ejercicios/05
"""

import contextlib
import os
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest

from taller.correo import servidor_smtp
from taller.pruebas import cargar, comprobar_que_no_quedan_hilos, con_limite, hilos_vivos

tuberia = cargar("tuberia")

LIMITE = 5
DESTINO = "guardia@taller.local"


@pytest.fixture
def smtp():
    """Un servidor SMTP real en 127.0.0.1 que guarda los correos que recibe."""
    with servidor_smtp() as servidor:
        yield servidor


# En un disco compartido, cada transacción de SQLite espera a que el disco confirme la
# escritura (fsync): medidos aquí, ~40 ms por transacción en /tmp y ~2 ms en /dev/shm, que
# está en memoria. Las pruebas guardan unas 40: en memoria, la base es la misma SQLite de
# verdad, con su fichero, sus bloqueos y sus transacciones; solo no espera al disco.
EN_MEMORIA = Path("/dev/shm")


@pytest.fixture
def ruta(tmp_path):
    """El fichero de la base de datos, dentro de una carpeta temporal de esta prueba."""
    if not (EN_MEMORIA.is_dir() and os.access(EN_MEMORIA, os.W_OK)):
        yield tmp_path / "monitor.db"
        return
    with tempfile.TemporaryDirectory(prefix="taller-05-", dir=EN_MEMORIA) as carpeta:
        yield Path(carpeta) / "monitor.db"


def comprobaciones(cuantas, desde=1):
    """[("web-001", "ok"), ("web-002", "ok"), ...]: uno de cada siete falla."""
    return [
        (f"web-{i:03d}", "falla" if i % 7 == 0 else "ok") for i in range(desde, desde + cuantas)
    ]


def lote(numero, cuantas, desde=1):
    return tuberia.Lote(numero, tuple(comprobaciones(cuantas, desde)))


def filas_en(ruta):
    """Lo que hay en la base, leído con una conexión nueva (solo se ve lo confirmado)."""
    conexion = sqlite3.connect(ruta)
    try:
        return conexion.execute(
            "SELECT lote, servidor, estado FROM comprobaciones ORDER BY lote, servidor"
        ).fetchall()
    finally:
        conexion.close()


def filas_de(un_lote):
    return [(un_lote.numero, servidor, estado) for servidor, estado in un_lote.filas]


def informe_esperado(un_lote):
    """El asunto y el cuerpo que debe llevar el correo de un lote guardado bien."""
    guardadas = len(un_lote.filas)
    ok = sum(1 for _, estado in un_lote.filas if estado == "ok")
    return (
        f"Lote {un_lote.numero}: {guardadas} comprobaciones guardadas",
        f"Guardadas {guardadas} comprobaciones del lote {un_lote.numero}: "
        f"{ok} ok, {guardadas - ok} falla.",
    )


def recibidos(smtp):
    """{asunto: cuerpo} de los correos recibidos (y cuántos llegaron en total)."""
    correos = smtp.correos
    return {c["Subject"]: c.get_content().strip() for c in correos}, len(correos)


@contextlib.contextmanager
def tuberia_de_prueba(ruta, smtp):
    """Una Tuberia que, pase lo que pase en la prueba, acaba con sus dos pools detenidos."""
    t = tuberia.Tuberia(ruta, smtp.direccion, destinatario=DESTINO)
    try:
        yield t
    finally:
        try:
            t.detener()
        finally:  # por si tu detener() está a medias: que no queden hilos vivos
            t.pool_bd.detener()
            t.pool_correo.detener()


# --- Paso 6: guardar un lote en la base (cuaderno: 3) -----------------------------------------


def test_guardar_lote_inserta_sus_filas_y_devuelve_cuantas(ruta):
    tuberia.crear_tabla(ruta)
    uno = lote(3, 4)
    guardadas = tuberia.guardar_lote(ruta, uno)
    assert guardadas == 4, (
        f"guardar_lote de un lote de 4 filas debería devolver 4; devolvió {guardadas!r}"
    )
    assert filas_en(ruta) == filas_de(uno), (
        "Desde otra conexión deberían verse las 4 filas del lote 3. Si no se ve ninguna, "
        f"¿falta el commit (o el `with conexion:`)? En la base hay: {filas_en(ruta)}"
    )


def test_un_lote_con_una_fila_mala_no_deja_nada_a_medias(ruta):
    tuberia.crear_tabla(ruta)
    malo = tuberia.Lote(1, (("web-001", "ok"), ("web-002", "roto"), ("web-003", "ok")))
    with pytest.raises(sqlite3.IntegrityError):
        tuberia.guardar_lote(ruta, malo)
        pytest.fail(
            "La fila ('web-002', 'roto') no cumple la restricción CHECK de la tabla: "
            "guardar_lote debería dejar salir el sqlite3.IntegrityError"
        )
    assert filas_en(ruta) == [], (
        "Un lote que falla no debe dejar filas a medias: todas sus filas van en UNA "
        f"transacción (`with conexion:` hace rollback si algo falla). Quedaron: {filas_en(ruta)}"
    )


def test_una_insercion_fallida_no_deja_la_base_bloqueada(ruta):
    tuberia.crear_tabla(ruta)
    malo = tuberia.Lote(1, (("web-001", "ok"), ("web-002", "roto")))
    # Guardamos la excepción, como hace una promesa rechazada: con ella sigue viva su traza.
    with pytest.raises(sqlite3.IntegrityError) as error_guardado:
        tuberia.guardar_lote(ruta, malo)
        pytest.fail(
            "La fila ('web-002', 'roto') no cumple la restricción CHECK de la tabla: "
            "guardar_lote debería dejar salir el sqlite3.IntegrityError"
        )
    abierta = (
        "la conexión del lote que falló sigue abierta con su transacción a medias (la "
        "excepción, que guarda la promesa, la mantiene viva) y tiene la base bloqueada. Haz "
        "rollback y ciérrala siempre: `with conexion:` y un try/finally con conexion.close()."
    )
    # ¿Queda alguien escribiendo? Sin esperar (timeout=0): si la base está bloqueada, lo está ya.
    mirilla = sqlite3.connect(ruta, timeout=0, isolation_level=None)
    try:
        mirilla.execute("BEGIN IMMEDIATE")
        mirilla.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        pytest.fail(
            f"Tras un lote que falla, la base sigue bloqueada («{error}»): {abierta}",
            pytrace=False,
        )
    finally:
        mirilla.close()
    bueno = lote(2, 2)
    try:
        guardadas = con_limite(
            LIMITE,
            tuberia.guardar_lote,
            ruta,
            bueno,
            que="guardar_lote justo después de un lote que falló",
            pista=f"¿Quizá {abierta}",
        )
    except sqlite3.OperationalError as error:
        pytest.fail(
            f"Después de un lote que falla, el siguiente no pudo guardarse («{error}»): {abierta}",
            pytrace=False,
        )
    assert guardadas == 2 and filas_en(ruta) == filas_de(bueno), (
        f"El lote 2 debería haberse guardado; en la base hay: {filas_en(ruta)}"
    )
    assert error_guardado.type is sqlite3.IntegrityError, "El lote malo debería dar IntegrityError"


def vigilar_conexiones(monkeypatch):
    """Apunta qué hilo abre cada conexión: envuelve sqlite3.connect (y `connect`, si el
    código del alumno lo importó con `from sqlite3 import connect`)."""
    hilos_que_conectan = []
    original = sqlite3.connect

    def connect(*args, **kwargs):
        hilos_que_conectan.append(threading.get_ident())
        return original(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    if getattr(tuberia.modulo, "connect", None) is original:
        monkeypatch.setattr(tuberia.modulo, "connect", connect)
    return hilos_que_conectan


def test_guardar_lote_funciona_desde_varios_hilos_a_la_vez(ruta, monkeypatch):
    tuberia.crear_tabla(ruta)
    lotes = [lote(numero, 5, desde=numero * 10) for numero in range(1, 5)]
    errores = []
    hilos_que_guardan = []
    # Una conexión compartida (check_same_thread=False) solo choca si dos hilos coinciden
    # en el momento justo: a veces pasaría y a veces no. Por eso se mira, sin depender de
    # la suerte, qué hilo abre cada conexión: cada hilo que guarda debe abrir la suya.
    hilos_que_conectan = vigilar_conexiones(monkeypatch)

    def prueba():
        hilos_que_guardan.append(threading.get_ident())
        tuberia.guardar_lote(ruta, lotes[0])  # uno desde este hilo...
        salida = threading.Barrier(3, timeout=LIMITE)

        def guardar(un_lote):
            salida.wait()  # ...y tres a la vez desde otros tres hilos
            hilos_que_guardan.append(threading.get_ident())
            try:
                tuberia.guardar_lote(ruta, un_lote)
            except Exception as error:  # noqa: BLE001 - la prueba lo enseña
                errores.append(f"{type(error).__name__}: {error}")

        hilos = [threading.Thread(target=guardar, args=(un,)) for un in lotes[1:]]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()

    con_limite(LIMITE * 2, prueba, que="guardar lotes desde varios hilos a la vez")
    sin_conexion_propia = set(hilos_que_guardan) - set(hilos_que_conectan)
    assert not sin_conexion_propia, (
        f"guardar_lote se llamó desde {len(set(hilos_que_guardan))} hilos, y "
        f"{len(sin_conexion_propia)} guardaron sin abrir su propia conexión "
        "(sqlite3.connect). Una conexión de SQLite no se comparte entre hilos, ni siquiera "
        "con check_same_thread=False: funciona… hasta que dos hilos coinciden a mitad de una "
        "transacción y se mezclan (cuaderno, 3.2). Abre una conexión en cada llamada y "
        "ciérrala al acabar."
    )
    assert not errores, (
        "guardar_lote falló al llamarlo desde otros hilos. Cada llamada debe abrir SU "
        f"conexión: una conexión de SQLite no se comparte entre hilos. Errores: {errores}"
    )
    esperado = sorted(fila for un_lote in lotes for fila in filas_de(un_lote))
    assert filas_en(ruta) == esperado, f"Faltan filas en la base: hay {len(filas_en(ruta))} de 20"


# --- Paso 7: mandar un correo (cuaderno: 3) ---------------------------------------------------


def test_mandar_correo_llega_al_servidor_smtp(smtp):
    cuerpo = "Lote 1 guardado.\nTodo en orden en la sala de máquinas."
    con_limite(
        LIMITE,
        tuberia.mandar_correo,
        smtp.direccion,
        DESTINO,
        "Informe del monitor: ñandú",
        cuerpo,
        que="mandar_correo a un servidor SMTP en 127.0.0.1",
    )
    correos = smtp.correos
    assert len(correos) == 1, (
        f"El servidor SMTP debería haber recibido 1 correo; recibió {len(correos)}"
    )
    correo = correos[0]
    cabeceras = {c: correo[c] for c in ("From", "To", "Subject")}
    assert cabeceras == {
        "From": tuberia.REMITENTE,
        "To": DESTINO,
        "Subject": "Informe del monitor: ñandú",
    }, f"Cabeceras From, To y Subject inesperadas: {cabeceras}"
    assert correo.get_content().strip() == cuerpo, (
        f"El cuerpo debería ser {cuerpo!r}; llegó {correo.get_content()!r}"
    )


# --- Paso 8: la tubería: cada lote a la base y, al acabar, su correo (cuaderno: 3) ------------


def test_la_tuberia_guarda_cada_lote_y_manda_su_correo_por_el_pool_de_correo(ruta, smtp):
    lotes = [lote(1, 3), lote(2, 8, desde=4), lote(3, 1, desde=12)]
    antes = hilos_vivos()

    def prueba():
        with tuberia_de_prueba(ruta, smtp) as t:
            por_el_pool_de_correo = []
            enviar_correo = t.pool_correo.enviar

            def contar(funcion, *args, **kwargs):
                por_el_pool_de_correo.append(getattr(funcion, "__name__", repr(funcion)))
                try:
                    return enviar_correo(funcion, *args, **kwargs)
                except Exception as error:
                    rechazados.append(f"{type(error).__name__}: {error}")
                    raise

            t.pool_correo.enviar = contar
            promesas = [t.enviar(un_lote) for un_lote in lotes]
            t.detener()
            return promesas, por_el_pool_de_correo

    rechazados = []
    promesas, por_el_pool_de_correo = con_limite(LIMITE, prueba, que="la tubería con tres lotes")
    comprobar_que_no_quedan_hilos(antes, que="Tras detener la tubería")
    esperado = sorted(fila for un_lote in lotes for fila in filas_de(un_lote))
    assert filas_en(ruta) == esperado, (
        f"En la base deberían estar las 12 filas; hay {filas_en(ruta)}"
    )
    valores = [p.valor(timeout=0) if p.resuelta() else "pendiente" for p in promesas]
    assert valores == [3, 8, 1], (
        "Tuberia.enviar(lote) devuelve la promesa de la inserción, cuyo valor es el número de "
        f"filas guardadas (3, 8 y 1); valen {valores}"
    )
    correos, cuantos = recibidos(smtp)
    assert not rechazados, (
        f"El pool de correo rechazó {len(rechazados)} de los 3 correos («{rechazados[0]}»): "
        "¿lo detiene Tuberia.detener() antes que el de la base? Los correos salen de los "
        "callbacks de las promesas de la base: detén primero pool_bd y después pool_correo."
    )
    assert correos == dict(informe_esperado(un_lote) for un_lote in lotes) and cuantos == 3, (
        "Debería llegar un correo por lote, con el asunto y el cuerpo de redactar(). "
        f"Llegaron {cuantos}: {correos}"
    )
    assert por_el_pool_de_correo == ["mandar_correo"] * 3, (
        "Cada correo debe mandarlo el pool de correo (self.pool_correo.enviar(mandar_correo, "
        f"...)), no el hilo de la base. Trabajos enviados a pool_correo: {por_el_pool_de_correo}"
    )


def test_una_insercion_que_falla_se_informa_por_correo(ruta, smtp):
    malo = tuberia.Lote(2, (("web-004", "ok"), ("web-005", "roto"), ("web-006", "ok")))
    buenos = [lote(1, 3), lote(3, 3, desde=7)]
    antes = hilos_vivos()

    def prueba():
        with tuberia_de_prueba(ruta, smtp) as t:
            promesas = [t.enviar(buenos[0]), t.enviar(malo), t.enviar(buenos[1])]
            t.detener()
            return promesas

    promesas = con_limite(LIMITE, prueba, que="la tubería con un lote que falla")
    comprobar_que_no_quedan_hilos(antes, que="Tras detener la tubería")
    error = promesas[1].error(timeout=0) if promesas[1].resuelta() else None
    assert isinstance(error, sqlite3.IntegrityError), (
        "La promesa del lote que no se pudo guardar debería estar rechazada con el "
        f"sqlite3.IntegrityError; tiene {promesas[1]!r}"
    )
    correos, cuantos = recibidos(smtp)
    asunto = "Lote 2: ERROR al guardar"
    assert asunto in correos, (
        f"Una inserción que falla no puede perderse: debe llegar un correo «{asunto}». "
        f"Llegaron: {sorted(correos)}"
    )
    assert "IntegrityError" in correos[asunto], (
        f"El correo del error debería explicar qué falló; dice: {correos[asunto]!r}"
    )
    assert cuantos == 3 and all(informe_esperado(b)[0] in correos for b in buenos), (
        f"Los otros dos lotes deberían guardarse e informarse igual; llegaron {sorted(correos)}"
    )
    en_la_base = filas_en(ruta)
    a_medias = [fila for fila in en_la_base if fila[0] == malo.numero]
    assert en_la_base == sorted(filas_de(buenos[0]) + filas_de(buenos[1])), (
        f"Solo deberían estar las filas de los lotes 1 y 3; hay {en_la_base}"
        + (
            f". El lote 2 falló y dejó filas a medias ({a_medias}): todas las filas de un lote "
            "van en UNA transacción (`with conexion:` hace rollback si algo falla)"
            if a_medias
            else ""
        )
    )


def test_el_pool_de_correo_sobrevive_al_de_la_base(ruta, smtp):
    """La base se bloquea (BEGIN EXCLUSIVE) para que el lote siga guardándose mientras la
    tubería se detiene: si el pool de correo se detiene antes, su correo ya no puede salir."""
    antes = hilos_vivos()
    uno = lote(1, 2)

    def prueba():
        with tuberia_de_prueba(ruta, smtp) as t:
            pasos = []
            soltar_la_base = threading.Event()

            def vigilar(pool_de_la_tuberia, nombre):
                detener_de_verdad = pool_de_la_tuberia.detener

                def detener():
                    pasos.append(f"{nombre}: empieza a detenerse")
                    if nombre == "bd":
                        soltar_la_base.set()  # la tubería ya espera a la base: que termine
                    detener_de_verdad()
                    pasos.append(f"{nombre}: detenido")
                    soltar_la_base.set()

                pool_de_la_tuberia.detener = detener

            vigilar(t.pool_bd, "bd")
            vigilar(t.pool_correo, "correo")
            bloqueo = sqlite3.connect(ruta, isolation_level=None)
            try:
                bloqueo.execute("BEGIN EXCLUSIVE")  # nadie más puede escribir hasta el ROLLBACK
                promesa = t.enviar(uno)
                parada = threading.Thread(target=t.detener, name="detener-la-tuberia")
                parada.start()
                soltar_la_base.wait(LIMITE)
            finally:
                bloqueo.execute("ROLLBACK")
                bloqueo.close()
            parada.join(LIMITE)
            return list(pasos), promesa

    pasos, promesa = con_limite(LIMITE * 3, prueba, que="detener la tubería con un lote en marcha")
    comprobar_que_no_quedan_hilos(antes, que="Tras detener la tubería")
    asunto, _ = informe_esperado(uno)
    correos, cuantos = recibidos(smtp)
    assert promesa.resuelta() and promesa.error(timeout=0) is None, (
        f"El lote debería haberse guardado al soltar la base; su promesa es {promesa!r}"
    )
    assert asunto in correos and cuantos == 1, (
        "Se perdió el correo del lote: cuando su inserción terminó, el pool de correo ya "
        "estaba detenido (mira el log: RuntimeError desde el callback). Detén primero el "
        f"pool de la base y después el de correo. Orden de tu detener(): {pasos}"
    )
    assert pasos[:4] == [
        "bd: empieza a detenerse",
        "bd: detenido",
        "correo: empieza a detenerse",
        "correo: detenido",
    ], f"El pool de correo debe detenerse cuando el de la base ya terminó. Orden: {pasos}"


# --- Paso 9: el trabajo gordo (cuaderno: 3) ---------------------------------------------------


def test_trabajo_gordo_guarda_las_200_filas_y_manda_un_correo_por_lote(ruta, smtp):
    todas = comprobaciones(200)
    antes = hilos_vivos()
    promesas = con_limite(
        LIMITE * 2,
        tuberia.trabajo_gordo,
        todas,
        ruta,
        smtp.direccion,
        DESTINO,
        que="el trabajo gordo con 200 comprobaciones",
    )
    comprobar_que_no_quedan_hilos(antes, que="Al volver de trabajo_gordo")
    assert len(promesas) == 10, (
        f"200 filas en 10 trozos son 10 lotes (10 promesas); hay {len(promesas)}"
    )
    valores = [p.valor(timeout=0) if p.resuelta() else "pendiente" for p in promesas]
    assert valores == [20] * 10, (
        "Al volver de trabajo_gordo todo ha terminado: cada promesa, resuelta con sus 20 "
        f"filas. Valores: {valores}"
    )
    en_la_base = filas_en(ruta)
    sin_commit = (
        ". Las promesas dicen que se guardaron, pero otra conexión no ve ninguna fila: ¿falta "
        "el commit (o el `with conexion:`) en guardar_lote?"
        if not en_la_base
        else ""
    )
    assert len(en_la_base) == 200 and sorted(f[1:] for f in en_la_base) == todas, (
        f"Deberían estar las 200 comprobaciones en la base; hay {len(en_la_base)}{sin_commit}"
    )
    lotes = tuberia.partir(todas, 10)
    correos, cuantos = recibidos(smtp)
    esperados = dict(informe_esperado(un_lote) for un_lote in lotes)
    assert cuantos == 10 and correos == esperados, (
        "Al volver de trabajo_gordo deberían haber llegado ya los 10 correos, uno por lote "
        f"(¿detienes los pools en orden?). Llegaron {cuantos}: {sorted(correos)}"
    )
    destinos = sorted({c["To"] for c in smtp.correos})
    assert destinos == [DESTINO], (
        f"Los correos deberían ir al destinatario pedido ({DESTINO}); fueron a {destinos}"
    )


def test_trabajo_gordo_no_deja_hilos_aunque_algo_falle(ruta, smtp):
    antes = hilos_vivos()
    with pytest.raises(ValueError):
        con_limite(
            LIMITE,
            tuberia.trabajo_gordo,
            comprobaciones(5),
            ruta,
            smtp.direccion,
            trozos=0,
            que="trabajo_gordo con trozos=0",
        )
        pytest.fail("partir(..., trozos=0) lanza ValueError: trabajo_gordo debería dejarlo salir")
    comprobar_que_no_quedan_hilos(
        antes,
        que="Tras un trabajo_gordo que falla (detén la tubería en un finally)",
    )
