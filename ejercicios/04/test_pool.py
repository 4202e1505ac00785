"""Pruebas del módulo 04. Van en el orden del enunciado (README.md), que es el orden en que
conviene escribir el código: los dos arreglos (arreglos.py) → enviar → el pool entero
(detener, repartidor, ejecutores y _ejecutar) → los errores de los trabajos → detener a fondo.

Ejecútalas con:  pytest ejercicios/04

Las carreras se fuerzan siempre igual (con una barrera en el gancho entre comprobar y sacar,
como en el módulo 03) y cada prueba con hilos tiene un límite de tiempo: si algo se queda
esperando para siempre (un testigo que nunca se devuelve), la prueba falla y lo dice.
"""

import collections
import functools
import linecache
import sys
import threading
from pathlib import Path

import pytest

from taller import pruebas
from taller.planificador import explorar
from taller.pruebas import (
    TrabajoEnBarrera,
    cargar,
    comprobar_que_no_quedan_hilos,
    con_limite,
    detener_sin_arrancar_vuelve,
    en_todos_los_ordenes,
    faltan_y_repetidos,
    hilos_vivos,
    lanza,
    lanza_citando,
    trabajos_que_apuntan,
)

arreglos = cargar("arreglos")
pool = cargar("pool")

# Si una prueba con hilos pasa de aquí, algo se ha quedado bloqueado (ver con_limite).
LIMITE = 5
TESTIGO_SIN_DEVOLVER = (
    "Se queda esperando el testigo: la llamada anterior se fue sin devolverlo. Con "
    "acquire()/release() a mano, un return (lista vacía) o una excepción se saltan el "
    "release(): usa with testigo: (o try/finally)."
)
POOL_COLGADO = (
    "Algo se ha quedado esperando para siempre: ¿ha muerto algún ejecutor (un trabajo que "
    "lanza, sin try/except en _ejecutar) y su FIN o sus trabajos no los saca nadie? ¿Un "
    "semáforo al que nadie hace release, o un testigo que no se devuelve?"
)
# Lo que espera un hilo a que llegue el otro antes de darse por vencido.
ESPERA = 3

# Las pruebas «con todos los órdenes» ejecutan un escenario pequeño (1 o 2 ejecutores, 2 a 4
# trabajos) muchas veces con el planificador del taller (taller.planificador.explorar): cada
# vez, los hilos se turnan en otro orden, línea a línea de tu pool.py y arreglos.py. Con la
# misma semilla salen siempre los mismos órdenes: si una falla, falla siempre igual, y el
# mensaje enseña la línea de tiempo de los hilos hasta el fallo.
PLANES = 30
# Las pistas de estas pruebas son cortas: van justo después de la primera línea del fallo.
HILO_MUERTO = "¿Ha muerto algún hilo del pool (mira abajo la lista)?"
# Si enviar() avisa antes de apuntar, el repartidor saca None y lo pone en la bandeja: un
# ejecutor lo «ejecuta» (TypeError, a pool.errores) y luego falta un aviso para FIN.
SACO_NONE = (
    "Si la salida de errores dice «None falló», el repartidor sacó None: enviar() avisa "
    "(_apuntados.release()) antes de apuntar el trabajo."
)
COLGADO = (
    "¿Un semáforo al que nadie hace release, un testigo que no se devuelve? "
    f"{HILO_MUERTO} {SACO_NONE}"
)
# Lo que está sin trabajo un pool en la prueba de los despertares (reloj virtual).
OCIOSO = 100
DESPIERTOS = (
    "Sin trabajo, cada hilo del pool duerme en un solo acquire() sin timeout (el repartidor en "
    "_apuntados, cada ejecutor en _en_la_bandeja) hasta que alguien hace release(): un "
    "acquire(timeout=...) o un time.sleep en un bucle se despierta para nada."
)
AVISO_ANTES_DE_APUNTAR = (
    "¿Avisa enviar() al repartidor (_apuntados.release()) antes de apuntar el trabajo? "
    "Entonces el repartidor no encuentra nada (sacar_con_testigo devuelve None), pone None en "
    "la bandeja y luego falta un aviso para FIN. Apunta primero y avisa después."
)


def trabajo1():
    """El TRABAJO1 de los apuntes."""


def usar_pool(ejecutores, trabajos):
    """Envía los trabajos a un Pool nuevo, lo arranca y lo detiene, con límite de tiempo.

    Devuelve el pool y los hilos que arrancó (los que no existían antes de arrancar()).
    Si detener() vuelve con hilos del pool aún vivos, la prueba falla diciéndolo: sin ese
    join, lo que se mira después (qué trabajos se ejecutaron) todavía no ha pasado, y el
    mensaje de la prueba señalaría otra causa.
    """
    un_pool, del_pool = pruebas.usar_pool(
        pool.Pool, ejecutores, trabajos, pista=POOL_COLGADO, enviar_antes_de_arrancar=True
    )
    vivos = vivos_del_pool(del_pool)
    assert not vivos, sin_join(vivos)
    return un_pool, del_pool


def vivos_del_pool(del_pool):
    """Los nombres de los hilos del pool que siguen vivos."""
    return sorted(hilo.name for hilo in del_pool if hilo.is_alive())


def sin_join(vivos):
    """El mensaje para un detener() que vuelve sin esperar a los hilos del pool."""
    return (
        f"detener() volvió con hilos del pool aún vivos ({', '.join(vivos)}). Tras apuntar FIN, "
        "detener() debe esperar con join() al repartidor y a cada ejecutor (paso 4), sin "
        "timeout: un join(timeout=...) deja de esperar a un trabajo que dura más que el plazo. "
        "Si no, cuando vuelve, los trabajos pendientes aún no se han ejecutado."
    )


def una_vez_cada_uno(hechos, esperados):
    """Qué falla en `hechos` (los números de los trabajos ejecutados): "" si cada uno de
    `esperados` se ejecutó exactamente una vez y no se ejecutó nada más."""
    veces = collections.Counter(hechos)
    faltan = [n for n in esperados if not veces[n]]
    repetidos = sorted(n for n, v in veces.items() if v > 1)
    sobran = sorted(set(veces) - set(esperados))
    partes = []
    if faltan:
        partes.append(f"no se ejecutaron {faltan}")
    if repetidos:
        partes.append(f"se ejecutaron más de una vez {repetidos}")
    if sobran:
        partes.append(f"se ejecutaron {sobran}, que no debían")
    return "; ".join(partes)


def hilos_del_pool_vivos(un_pool):
    """Los nombres de los hilos del propio pool (repartidor y ejecutores) que siguen vivos."""
    hilos = [getattr(un_pool, "_repartidor", None), *getattr(un_pool, "ejecutores", [])]
    return sorted(h.name for h in hilos if isinstance(h, threading.Thread) and h.is_alive())


def en_dos_hilos(sacar, entrelazado=None):
    """hilo1 e hilo2 llaman a `sacar()`; devuelve lo que sacó cada uno y los errores.

    Con un `entrelazado`, hilo2 no arranca hasta que hilo1 está en el gancho (o ha acabado
    sin pasar por él); el tercer valor devuelto dice si llegó al gancho.
    """
    sacados, errores = [], []

    def hilo():
        try:
            sacados.append(sacar())
        except Exception as error:  # noqa: BLE001 - la prueba enseña cualquier error
            errores.append(error)
        finally:
            if entrelazado is not None:
                entrelazado.acabo_uno()

    hilo1 = threading.Thread(target=hilo, name="hilo1")
    hilo2 = threading.Thread(target=hilo, name="hilo2")
    hilo1.start()
    llego = entrelazado.hilo1_en_el_gancho() if entrelazado is not None else True
    hilo2.start()
    hilo1.join()
    hilo2.join()
    return sacados, errores, llego


class Entrelazado:
    """Fuerza el entrelazado de la carrera cuando hay un testigo en la puerta.

    hilo1 se queda en el gancho (entre comprobar y sacar) hasta que hilo2 llega: a la
    puerta del testigo, si la función lo usa, o al propio gancho, si no (y entonces hay
    carrera). Con un testigo, una Barrier(2) en el gancho no serviría: hilo2 nunca podría
    llegar a ella, y los dos se quedarían esperando para siempre.
    """

    def __init__(self):
        self.cambio = threading.Condition()
        self.intentos_de_coger = 0
        self.en_el_gancho = 0
        self.acabados = 0

    def _contar(self, que):
        with self.cambio:
            setattr(self, que, getattr(self, que) + 1)
            self.cambio.notify_all()

    def intento_de_coger(self):
        self._contar("intentos_de_coger")

    def acabo_uno(self):
        self._contar("acabados")

    def gancho(self):
        self._contar("en_el_gancho")
        with self.cambio:
            self.cambio.wait_for(
                lambda: self.intentos_de_coger >= 2 or self.en_el_gancho >= 2, timeout=ESPERA
            )

    def hilo1_en_el_gancho(self):
        with self.cambio:
            self.cambio.wait_for(lambda: self.en_el_gancho or self.acabados, timeout=ESPERA)
            return self.en_el_gancho >= 1


class SemaforoVigilado(threading.Semaphore):
    """Un Semaphore(1) normal que, además, avisa cada vez que alguien intenta cogerlo."""

    def __init__(self, entrelazado=None):
        super().__init__(1)
        self.entrelazado = entrelazado
        self.veces_cogido = 0

    def acquire(self, blocking=True, timeout=None):
        if self.entrelazado is not None:
            self.entrelazado.intento_de_coger()
        cogido = super().acquire(blocking, timeout)
        self.veces_cogido += cogido
        return cogido

    __enter__ = acquire

    def esta_libre(self):
        if super().acquire(blocking=False):
            self.release()
            return True
        return False


class SemaforoDelPeorMomento(threading.Semaphore):
    """El testigo del pool, que fuerza el peor momento para detener().

    La primera vez que el hilo que está en enviar() lo suelta, antes de dejarle seguir,
    arranca detener() en otro hilo y espera a que detener() lo coja, marque el pool como
    detenido, apunte FIN y lo suelte. Si enviar() lo suelta antes de apuntar el trabajo, el
    trabajo llega detrás de FIN.
    """

    def __init__(self, un_pool):
        super().__init__(1)
        self.un_pool = un_pool
        self.remitente = None  # el hilo en enviar(); None fuera de enviar()
        self.detenedor = None
        self.fin_apuntado = threading.Event()
        self.error_de_detener = []

    def _detener(self):
        try:
            self.un_pool.detener()
        except Exception as error:  # noqa: BLE001 - se cuenta en el escenario
            self.error_de_detener.append(error)
            self.fin_apuntado.set()

    def release(self, n=1):
        super().release(n)
        hilo = threading.current_thread()
        if hilo is self.remitente and self.detenedor is None:
            self.detenedor = threading.Thread(target=self._detener, name="detenedor")
            self.detenedor.start()
            self.fin_apuntado.wait(ESPERA)
        elif hilo is self.detenedor:
            self.fin_apuntado.set()


class SemaforoContado(threading.Semaphore):
    """Un Semaphore que cuenta, por hilo, cuántas veces se intenta coger."""

    def __init__(self, valor, nombre, cuenta):
        super().__init__(valor)
        self.nombre, self.cuenta = nombre, cuenta

    def acquire(self, blocking=True, timeout=None):
        self.cuenta[(threading.current_thread().name, self.nombre)] += 1
        return super().acquire(blocking, timeout)

    __enter__ = acquire


# --- Paso 1: evitar el error (sacar_con_testigo) (cuaderno: 2, 3) -----------------------------


def sacar_con_testigo(trabajos, testigo, *gancho, que="sacar_con_testigo", pista=None):
    """Tu sacar_con_testigo(trabajos, testigo, *gancho), con un límite de 2 s: `que` y `pista`
    son lo que dice el mensaje si no vuelve (con_limite)."""
    __tracebackhide__ = True
    return con_limite(
        2, arreglos.sacar_con_testigo, trabajos, testigo, *gancho, que=que, pista=pista
    )


def test_sacar_con_testigo_saca_el_primero_o_devuelve_none():
    def trabajo2():
        pass

    trabajos = [trabajo1, trabajo2]
    testigo = threading.Semaphore()
    sacado = sacar_con_testigo(trabajos, testigo)
    assert sacado is trabajo1 and trabajos == [trabajo2], (
        f"sacar_con_testigo debe sacar y devolver el PRIMER trabajo (pop(0)); devolvió {sacado!r} "
        f"y la lista quedó {trabajos!r}"
    )
    sacar_con_testigo(trabajos, testigo)
    vacia = sacar_con_testigo(trabajos, testigo)
    assert vacia is None, f"Con la lista vacía debe devolver None; devolvió {vacia!r}"


def test_sacar_con_testigo_coge_el_testigo_y_lo_devuelve():
    testigo = SemaforoVigilado()
    sacar_con_testigo([trabajo1], testigo)
    assert testigo.veces_cogido == 1, (
        f"sacar_con_testigo debe coger el testigo una vez (acquire o with); lo cogió "
        f"{testigo.veces_cogido} veces"
    )
    assert testigo.esta_libre(), (
        "Al volver, sacar_con_testigo debe haber devuelto el testigo (release)"
    )


def saca_con_el_testigo_de_vuelta(testigo, despues_de):
    """sacar_con_testigo([trabajo1], testigo) saca trabajo1 justo después de `despues_de` (la
    llamada anterior): si esa se fue sin devolver el testigo, esta espera para siempre, y el
    límite lo dice (TESTIGO_SIN_DEVOLVER)."""
    __tracebackhide__ = True
    sacado = sacar_con_testigo(
        [trabajo1],
        testigo,
        que=f"sacar_con_testigo, justo después de {despues_de},",
        pista=TESTIGO_SIN_DEVOLVER,
    )
    assert sacado is trabajo1, f"Con [trabajo1] en la lista debía sacar trabajo1; sacó {sacado!r}"


def test_sacar_con_testigo_devuelve_el_testigo_aunque_la_lista_este_vacia():
    testigo = threading.Semaphore()
    sacar_con_testigo([], testigo, que="sacar_con_testigo con la lista vacía")
    saca_con_el_testigo_de_vuelta(testigo, "una llamada con la lista vacía")


def test_sacar_con_testigo_devuelve_el_testigo_aunque_algo_falle_dentro():
    testigo = threading.Semaphore()

    def gancho_que_falla():
        raise RuntimeError("PUF!")

    with pytest.raises(RuntimeError):
        sacar_con_testigo(
            [trabajo1], testigo, gancho_que_falla, que="sacar_con_testigo con un gancho que lanza"
        )
        pytest.fail("sacar_con_testigo debe llamar al gancho (el tercer argumento) antes del pop")
    saca_con_el_testigo_de_vuelta(testigo, "una llamada en la que saltó una excepción")


def un_hilo_saco_trabajo1_y_el_otro_nada(intento, sacados):
    """Lo que sacaron los dos hilos de en_dos_hilos, con [trabajo1] en la lista."""
    __tracebackhide__ = True
    assert sorted(sacados, key=repr) == sorted([trabajo1, None], key=repr), (
        f"Intento {intento}: un hilo debía sacar TRABAJO1 y el otro nada (None); "
        f"sacaron {sacados!r}"
    )


def test_sacar_con_testigo_evita_la_carrera_100_veces_de_100():
    for intento in range(1, 101):
        entrelazado = Entrelazado()
        trabajos = [trabajo1]
        testigo = SemaforoVigilado(entrelazado)
        sacados, errores, llego = con_limite(
            LIMITE,
            en_dos_hilos,
            functools.partial(arreglos.sacar_con_testigo, trabajos, testigo, entrelazado.gancho),
            entrelazado,
            que=f"La carrera con sacar_con_testigo (intento {intento})",
        )
        for error in errores:
            if not isinstance(error, IndexError):
                raise error
        assert llego, "sacar_con_testigo no llamó al gancho: llámalo entre comprobar y sacar"
        assert not errores, (
            f"Intento {intento}: con el testigo no debería saltar ningún error, y saltó "
            f"{errores[0]!r}. ¿Comprueba y saca el mismo hilo sin soltar el testigo entre medias?"
        )
        un_hilo_saco_trabajo1_y_el_otro_nada(intento, sacados)


def test_sacar_con_testigo_llama_al_gancho_con_el_testigo_y_solo_si_hay_trabajo():
    # El gancho es el hueco entre comprobar y sacar: con el testigo ya en la mano (si no, la
    # carrera que fuerzan las pruebas no pasa por él) y solo si hay algo que sacar.
    testigo = threading.Semaphore()
    llamadas = []

    def gancho():
        libre = testigo.acquire(blocking=False)
        if libre:
            testigo.release()
        llamadas.append(libre)

    sacar_con_testigo([trabajo1], testigo, gancho)
    assert llamadas == [False], (
        "sacar_con_testigo llamó al gancho con el testigo libre: el gancho va entre la "
        "comprobación y el pop(0), dentro del with testigo:, no antes de cogerlo. "
        f"(Llamadas al gancho con el testigo libre: {llamadas})"
    )
    llamadas.clear()
    sacar_con_testigo([], testigo, gancho, que="sacar_con_testigo([])")
    assert not llamadas, (
        "Con la lista vacía, sacar_con_testigo llamó al gancho: el gancho va entre la "
        "comprobación y el pop(0), y con la lista vacía no hay pop. Comprueba primero "
        "(if len(trabajos_pendientes) > 0:) y llama al gancho dentro del if."
    )


# --- Paso 2: capturar el error (sacar_capturando) (cuaderno: 4) -------------------------------


def test_sacar_capturando_saca_el_primero_o_devuelve_none():
    trabajos = [trabajo1, print]
    sacado = arreglos.sacar_capturando(trabajos)
    assert sacado is trabajo1 and trabajos == [print], (
        f"sacar_capturando debe sacar y devolver el PRIMER trabajo (pop(0)); devolvió {sacado!r} "
        f"y la lista quedó {trabajos!r}"
    )
    arreglos.sacar_capturando(trabajos)
    assert arreglos.sacar_capturando(trabajos) is None, "Con la lista vacía debe devolver None"


def test_sacar_capturando_evita_la_carrera_100_veces_de_100():
    for intento in range(1, 101):
        trabajos = [trabajo1]
        # El mismo entrelazado del módulo 03: los dos hilos ven «hay trabajo» y se esperan.
        barrera = threading.Barrier(2, timeout=ESPERA)
        sacados, errores, _ = con_limite(
            LIMITE,
            en_dos_hilos,
            functools.partial(arreglos.sacar_capturando, trabajos, barrera.wait),
            que=f"La carrera con sacar_capturando (intento {intento})",
        )
        assert not errores, (
            f"Intento {intento}: el IndexError del hilo que llega tarde debe capturarse dentro "
            f"de sacar_capturando, y salió {errores[0]!r}"
        )
        un_hilo_saco_trabajo1_y_el_otro_nada(intento, sacados)


class ErrorDelGancho(Exception):
    """Un error de verdad, que no es el IndexError de la carrera."""


def deja_salir_el_error_del_gancho(error, por_que):
    """sacar_capturando([trabajo1], gancho), con un gancho que lanza `error`, debe dejarlo
    salir; si se lo traga, la prueba falla con `por_que` (dónde va el try)."""
    __tracebackhide__ = True

    def gancho_que_falla():
        raise error

    trabajos = [trabajo1]
    try:
        sacado = arreglos.sacar_capturando(trabajos, gancho_que_falla)
    except type(error):
        return
    pytest.fail(
        f"El gancho lanzó {error!r} y sacar_capturando se lo tragó (devolvió {sacado!r}, la "
        f"lista quedó {trabajos!r}): {por_que}",
        pytrace=False,
    )


def test_sacar_capturando_no_se_traga_otros_errores():
    # Solo el IndexError del pop quiere decir «otro hilo se lo llevó». Cualquier otro error
    # (aquí, del gancho) es de verdad: capturarlo y devolver None lo esconde.
    for tipo in (ErrorDelGancho, KeyError, ValueError):
        deja_salir_el_error_del_gancho(
            tipo("PUF!"),
            "captura solo el IndexError del pop (except IndexError:), el error que sabes que "
            "puede pasar. Un except Exception (o LookupError, o un except: a secas) esconde "
            "los errores de verdad.",
        )
    # Un IndexError del gancho tampoco es el del pop: el try va solo alrededor del pop.
    deja_salir_el_error_del_gancho(
        IndexError("el gancho, no el pop"),
        "el try va solo alrededor del pop(0), el gancho fuera. Solo el IndexError del pop "
        "quiere decir «otro hilo se lo llevó»; uno que sale de otra línea es un error de verdad.",
    )


def test_sacar_capturando_solo_llama_al_gancho_si_hay_trabajo():
    llamadas = []
    sacado = arreglos.sacar_capturando([], lambda: llamadas.append("gancho"))
    assert sacado is None and not llamadas, (
        f"Con la lista vacía, sacar_capturando devolvió {sacado!r} y llamó al gancho "
        f"{len(llamadas)} veces: primero comprueba (if len(trabajos_pendientes) > 0:) y solo "
        "entonces llama al gancho y hace el pop(0); con la lista vacía devuelve None sin más."
    )


# --- Paso 3: enviar (cuaderno: 7) -------------------------------------------------------------


def test_enviar_apunta_el_trabajo_con_el_testigo_y_no_lo_ejecuta():
    un_pool = pool.Pool(2)  # sin arrancar: nadie reparte todavía
    un_pool.testigo = testigo = SemaforoVigilado()
    ejecutados = []

    def primero():
        ejecutados.append("primero")

    con_limite(2, un_pool.enviar, primero, que="enviar() en un pool sin arrancar")
    con_limite(2, un_pool.enviar, trabajo1, que="enviar() en un pool sin arrancar")
    assert ejecutados == [], (
        "enviar ha ejecutado el trabajo: solo debe apuntarlo en trabajos_pendientes (lo "
        "ejecutará un ejecutor cuando el repartidor se lo dé)"
    )
    assert un_pool.trabajos_pendientes == [primero, trabajo1], (
        "enviar debe añadir cada trabajo al final de trabajos_pendientes; la lista quedó "
        f"{un_pool.trabajos_pendientes!r}"
    )
    assert testigo.veces_cogido == 2 and testigo.esta_libre(), (
        "enviar debe apuntar con el testigo en la mano (y devolverlo): otros hilos pueden "
        f"estar enviando a la vez. Cogido {testigo.veces_cogido} veces en 2 envíos."
    )


@pytest.mark.parametrize("no_es_un_trabajo", [42, "comprobar", None])
def test_enviar_rechaza_lo_que_no_se_puede_llamar(no_es_un_trabajo):
    un_pool = pool.Pool(1)
    error = lanza_citando(
        TypeError,
        f"enviar({no_es_un_trabajo!r})",
        lambda: un_pool.enviar(no_es_un_trabajo),
        "Un trabajo es algo que se puede llamar: compruébalo con callable(trabajo).",
        repr(no_es_un_trabajo),
    )
    assert un_pool.trabajos_pendientes == [], (
        f"enviar({no_es_un_trabajo!r}) lanzó TypeError, pero antes lo apuntó: "
        f"trabajos_pendientes quedó {un_pool.trabajos_pendientes!r}, y un ejecutor lo "
        "«ejecutaría» después. Comprueba callable(trabajo) antes de apuntar nada."
    )


# --- Pasos 4 a 7: el pool entero (detener, repartidor, ejecutores y _ejecutar) (cuaderno: 6, 7) ---


def test_cada_trabajo_se_ejecuta_exactamente_una_vez():
    pruebas.cada_trabajo_se_ejecuta_una_vez(usar_pool)


def test_con_un_ejecutor_los_trabajos_salen_en_orden_fifo():
    pruebas.con_un_ejecutor_es_fifo(usar_pool)


def test_los_trabajos_se_ejecutan_en_los_ejecutores_y_no_en_el_repartidor():
    nombres = []
    trabajos = [lambda: nombres.append(threading.current_thread().name) for _ in range(30)]
    _, del_pool = usar_pool(3, trabajos)
    esperados = {"repartidor", "ejecutor1", "ejecutor2", "ejecutor3"}
    arrancados = {hilo.name for hilo in del_pool}
    assert arrancados == esperados, (
        f"Justo después de arrancar() un Pool(3) deben estar vivos {sorted(esperados)}, y "
        f"estaban {sorted(arrancados)}. Un hilo que falta terminó (o murió con un error) nada "
        "más arrancar: mira su bucle (_repartir o _trabajar) y la salida de errores."
    )
    assert len(nombres) == 30, f"Se enviaron 30 trabajos y se ejecutaron {len(nombres)}"
    ajenos = {
        "el hilo que llama a enviar" if nombre.startswith("limite: ") else nombre
        for nombre in set(nombres) - {"ejecutor1", "ejecutor2", "ejecutor3"}
    }
    assert not ajenos, (
        f"Hay trabajos que se ejecutaron en {sorted(ajenos)}: los ejecuta siempre un ejecutor. "
        "El repartidor solo los entrega (si los ejecuta él, el pool va de uno en uno) y el "
        "hilo que llama a enviar solo los apunta."
    )


def test_diez_ejecutores_ejecutan_diez_trabajos_a_la_vez():
    # Una Barrier(10) solo se abre cuando hay 10 hilos esperando en ella a la vez.
    trabajo = TrabajoEnBarrera(10, ESPERA)
    usar_pool(10, [trabajo] * 10)
    assert trabajo.juntos == 10, (
        f"10 trabajos que se esperan en una Barrier(10) solo terminan si corren los 10 a la "
        f"vez; se juntaron {trabajo.juntos} y {trabajo.rotos} se cansaron de esperar. ¿Los "
        "ejecuta el repartidor, o el hilo que llama a enviar, en vez de los ejecutores?"
    )


def test_un_pool_de_3_nunca_ejecuta_un_cuarto_trabajo_a_la_vez():
    trabajo = TrabajoEnBarrera(3, ESPERA)
    usar_pool(3, [trabajo] * 9)
    assert trabajo.maximo == 3 and not trabajo.rotos, (
        f"Con 3 ejecutores deben correr 3 trabajos a la vez, ni más ni menos; "
        f"el máximo fue {trabajo.maximo} y {trabajo.rotos} trabajos se cansaron de esperar"
    )


def test_enviar_vuelve_enseguida_aunque_todos_los_ejecutores_esten_ocupados():
    ocupado, soltar = threading.Event(), threading.Event()
    apuntados = []

    def bloqueante():
        ocupado.set()
        soltar.wait(LIMITE)

    def todo():
        un_pool = pool.Pool(1)
        un_pool.enviar(bloqueante)
        un_pool.arrancar()
        try:
            ocupado.wait(LIMITE)
            for trabajo in trabajos_que_apuntan(5, apuntados):
                con_limite(
                    2,
                    un_pool.enviar,
                    trabajo,
                    que="enviar() con el único ejecutor ocupado",
                )
            return list(apuntados)
        finally:
            soltar.set()
            un_pool.detener()

    antes_de_soltar = con_limite(LIMITE, todo, que="Un Pool(1) con su ejecutor ocupado")
    assert antes_de_soltar == [], (
        "Con el único ejecutor ocupado, enviar() ejecutó trabajos: ¿en el hilo que llama? "
        "enviar solo apunta; el repartidor los entrega cuando hay un ejecutor libre."
    )
    assert apuntados == list(range(5)), "Al quedar libre, el ejecutor debe hacer los 5 trabajos"


def test_dos_mil_trabajos_desde_cuatro_hilos_se_ejecutan_una_vez_cada_uno():
    apuntados = []

    def todo():
        un_pool = pool.Pool(4).arrancar()
        salida = threading.Barrier(4, timeout=ESPERA)  # que los 4 envíen a la vez

        def productor(numero):
            salida.wait()
            try:
                for trabajo in trabajos_que_apuntan(500, apuntados, desde=numero * 500):
                    un_pool.enviar(trabajo)
            except Exception as error:  # noqa: BLE001 - se cuenta en el hilo de la prueba
                fallos.append(error)

        productores = [
            threading.Thread(target=productor, args=(n,), name=f"productor{n + 1}")
            for n in range(4)
        ]
        for productor_ in productores:
            productor_.start()
        for productor_ in productores:
            productor_.join()
        un_pool.detener()

    fallos = []
    con_limite(3 * LIMITE, todo, que="2.000 trabajos enviados desde 4 hilos")
    assert not fallos, (
        f"enviar() lanzó {type(fallos[0]).__name__} en {len(fallos)} de los 4 hilos que enviaban "
        f"a la vez: «{fallos[0]}»"
    )
    faltan, repetidos = faltan_y_repetidos(apuntados, 2000)
    assert not faltan and not repetidos, (
        f"De 2.000 trabajos enviados desde 4 hilos a la vez, {len(faltan)} no se ejecutaron "
        f"(p. ej. {faltan[:5]}) y {len(repetidos)} se ejecutaron más de una vez "
        f"(p. ej. {repetidos[:5]})"
    )


@en_todos_los_ordenes(
    "Enviar 2 trabajos a un Pool(2) en marcha y detenerlo",
    planes=PLANES,
    pista=f"{AVISO_ANTES_DE_APUNTAR} ¿Pone el repartidor un FIN en la bandeja por cada "
    f"ejecutor? {HILO_MUERTO}",
)
def test_con_todos_los_ordenes_cada_trabajo_se_ejecuta_una_vez_y_detener_no_deja_hilos():
    # Los trabajos llegan con el pool ya en marcha: el repartidor y los ejecutores se cruzan
    # con enviar() y con detener() en cualquier orden.
    hechos = []
    un_pool = pool.Pool(2).arrancar()
    for trabajo in trabajos_que_apuntan(2, hechos):
        un_pool.enviar(trabajo)
    un_pool.detener()
    vivos = hilos_del_pool_vivos(un_pool)
    assert not vivos, sin_join(vivos)
    errores = [str(fallo) for fallo in un_pool.errores]
    assert not errores, (
        f"Ningún trabajo lanzó y pool.errores tiene {errores}: un ejecutor recibió algo que "
        f"no era un trabajo. {AVISO_ANTES_DE_APUNTAR}"
    )
    mal = una_vez_cada_uno(hechos, range(2))
    assert not mal, (
        f"Enviados 2 trabajos a un Pool(2) en marcha y detenido después: {mal}. Cada "
        "trabajo aceptado se ejecuta exactamente una vez, en el orden que sea."
    )


@en_todos_los_ordenes(
    "Enviar 3 trabajos a un Pool(1) en marcha y detenerlo", planes=PLANES, pista=COLGADO
)
def test_con_todos_los_ordenes_con_un_ejecutor_el_orden_es_fifo():
    hechos, hecho = [], threading.Semaphore(0)
    un_pool = pool.Pool(1).arrancar()
    for n in range(3):
        un_pool.enviar(lambda n=n: (hechos.append(n), hecho.release()))
    for _ in range(3):  # se esperan los 3 antes de detener: aquí solo se mira el orden
        hecho.acquire()
    un_pool.detener()
    assert hechos == sorted(hechos), (
        f"Con un solo ejecutor, los trabajos 0, 1 y 2 se ejecutaron en el orden {hechos}: "
        "deben salir en el orden en que se enviaron (FIFO), también si el repartidor y el "
        "ejecutor se cruzan con enviar(). enviar() apunta al final (append) en el momento, "
        "con el testigo en la mano, y el repartidor saca del principio (pop(0))."
    )


def test_con_todos_los_ordenes_dos_remitentes_a_la_vez():
    otra_lista = (
        "¿Cambia enviar() la lista por otra nueva (self.trabajos_pendientes = ...), o apunta "
        "sin el testigo? Lo que otro hilo apunta (o el repartidor saca) entre medias se pierde "
        "o se repite. Apunta en la MISMA lista (append), con el testigo en la mano."
    )

    def escenario():
        hechos, fallos = [], []
        un_pool = pool.Pool(1).arrancar()
        salida = threading.Barrier(2)  # que los dos empiecen a la vez

        def remitente(desde):
            salida.wait()
            try:
                for trabajo in trabajos_que_apuntan(2, hechos, desde=desde):
                    un_pool.enviar(trabajo)
            except Exception as error:  # noqa: BLE001 - se cuenta en el escenario
                fallos.append(error)

        remitentes = [
            threading.Thread(target=remitente, args=(desde,), name=f"remitente{numero}")
            for numero, desde in ((1, 0), (2, 10))
        ]
        for hilo in remitentes:
            hilo.start()
        for hilo in remitentes:
            hilo.join()
        un_pool.detener()
        # Primero, si detener() volvió sin esperar: lo que falte sería culpa suya, no de enviar().
        vivos = hilos_del_pool_vivos(un_pool)
        assert not vivos, sin_join(vivos)
        assert not fallos, f"enviar() lanzó {fallos[0]!r} con dos hilos enviando a la vez"
        mal = una_vez_cada_uno(hechos, [0, 1, 10, 11])
        assert not mal, (
            f"Dos hilos enviaron a la vez los trabajos 0, 1 y 10, 11: {mal}. {otra_lista}"
        )

    explorar(
        escenario,
        que="Dos hilos envían a la vez a un Pool(1)",
        planes=PLANES,
        pista=f"{otra_lista} {HILO_MUERTO} {SACO_NONE}",
    )


@en_todos_los_ordenes("Un Pool(1) ocupado y 3 trabajos más", planes=PLANES // 10, pista=COLGADO)
def test_con_todos_los_ordenes_en_la_bandeja_cabe_un_trabajo_por_ejecutor():
    # El único ejecutor está ocupado y hay 3 trabajos más. El reloj virtual solo avanza
    # cuando ningún otro hilo puede seguir: tras la espera, el repartidor ha llevado a la
    # bandeja todo lo que ha podido. Con los huecos, eso es un trabajo (uno por ejecutor).
    en_marcha, soltar = threading.Event(), threading.Event()
    hechos = []
    un_pool = pool.Pool(1).arrancar()
    un_pool.enviar(lambda: (en_marcha.set(), soltar.wait()))
    for trabajo in trabajos_que_apuntan(3, hechos):
        un_pool.enviar(trabajo)
    en_marcha.wait()
    threading.Event().wait(1)  # que el repartidor llegue hasta donde pueda
    en_la_bandeja = list(getattr(un_pool, "_bandeja", []))
    soltar.set()
    un_pool.detener()
    assert len(en_la_bandeja) <= 1, (
        f"Con el único ejecutor ocupado y 3 trabajos más enviados, la bandeja tenía "
        f"{len(en_la_bandeja)} trabajos: caben tantos como ejecutores (1). "
        "_poner_en_la_bandeja coge primero un hueco (self._huecos.acquire(): duerme si la "
        "bandeja está llena) y _sacar_de_la_bandeja lo devuelve (self._huecos.release())."
    )
    mal = una_vez_cada_uno(hechos, range(3))
    assert not mal, f"Enviados 3 trabajos detrás de uno largo a un Pool(1): {mal}"


GIRA_SIN_DORMIR = (
    "Sin trabajo, los hilos del pool no dejan de preguntar «¿hay algo?»: un bucle así gasta un "
    "núcleo entero. Un ejecutor ocioso debe dormir en un semáforo (acquire) hasta que le den "
    "algo, no preguntar «¿hay algo?» en un bucle."
)


@en_todos_los_ordenes(
    "Un Pool(10) medio segundo sin trabajo y detener()", planes=1, pista=GIRA_SIN_DORMIR
)
def test_un_pool_ocioso_casi_no_usa_cpu():
    # Con el reloj virtual del planificador (explorar): el tiempo solo avanza cuando ningún
    # hilo puede correr. Unos hilos que duermen en un semáforo lo dejan avanzar, y el medio
    # segundo sin trabajo de la prueba pasa sin esperarlo de verdad; unos que preguntan en un
    # bucle sin dormir siempre pueden correr, el reloj no se mueve y la espera no acaba nunca:
    # el plan «no termina». Sin medir la CPU (que depende de la carga de la máquina).
    un_pool = pool.Pool(10)
    hecho = threading.Event()
    un_pool.enviar(hecho.set)
    un_pool.arrancar()
    assert hecho.wait(LIMITE), "El pool no ejecutó el trabajo enviado"
    threading.Event().wait(0.5)  # medio segundo (virtual) sin trabajo
    un_pool.detener()


@en_todos_los_ordenes(
    f"Un Pool(2) sin trabajo durante {OCIOSO} s",
    planes=PLANES // 15,
    pista=f"¿Algún hilo del pool se despierta sin parar? {DESPIERTOS}",
    pasos_max=20_000,
)
def test_con_todos_los_ordenes_un_pool_ocioso_no_se_despierta():
    # Con el reloj virtual, una hora sin trabajo no cuesta nada de verdad... salvo si algún
    # hilo del pool se despierta para preguntar «¿hay algo?» (acquire(timeout=...), o
    # time.sleep en un bucle): entonces cada despertar es un paso del planificador.
    cuenta = collections.Counter()
    un_pool = pool.Pool(2)
    for nombre, valor in (
        ("testigo", 1),
        ("_apuntados", 0),
        ("_en_la_bandeja", 0),
        ("_huecos", 2),
    ):
        setattr(un_pool, nombre, SemaforoContado(valor, nombre, cuenta))
    un_pool.arrancar()
    hecho = threading.Event()
    un_pool.enviar(hecho.set)
    hecho.wait()
    threading.Event().wait(1)  # que todos vuelvan a dormirse
    antes = cuenta.copy()
    threading.Event().wait(OCIOSO)
    despertares = cuenta - antes
    un_pool.detener()
    assert not despertares, (
        f"En {OCIOSO} s sin trabajo (reloj virtual), los hilos del pool intentaron coger "
        f"un semáforo {sum(despertares.values())} veces ("
        + ", ".join(f"{hilo} en {sem}: {n}" for (hilo, sem), n in despertares.most_common(3))
        + f"). {DESPIERTOS}"
    )


class BandejaVigilada(list):
    """La bandeja del pool, que apunta cuántos trabajos (sin contar FIN) llegó a tener."""

    def __init__(self):
        super().__init__()
        self.maximo = 0

    def append(self, trabajo):
        super().append(trabajo)
        self.maximo = max(self.maximo, sum(t is not pool.FIN for t in self))


@en_todos_los_ordenes(
    "Un Pool(1) con 3 trabajos pendientes: ¿cuántos caben en la bandeja?",
    planes=PLANES // 2,
    pista=COLGADO,
)
def test_con_todos_los_ordenes_la_bandeja_nunca_pasa_de_un_trabajo_por_ejecutor():
    # Con huecos, en la bandeja nunca hay más trabajos que ejecutores, ni un instante: el
    # ejecutor devuelve su hueco DESPUÉS de sacar (si lo devuelve antes, el repartidor puede
    # dejar otro mientras el suyo sigue dentro).
    hechos = []
    un_pool = pool.Pool(1)
    un_pool._bandeja = bandeja = BandejaVigilada()
    for trabajo in trabajos_que_apuntan(3, hechos):
        un_pool.enviar(trabajo)
    un_pool.arrancar()
    un_pool.detener()
    assert bandeja.maximo <= 1, (
        f"En la bandeja de un Pool(1) llegó a haber {bandeja.maximo} trabajos a la vez: "
        "caben tantos como ejecutores. ¿Devuelve _sacar_de_la_bandeja el hueco "
        "(self._huecos.release()) antes de sacar el trabajo? Saca primero y devuelve el "
        "hueco después."
    )
    mal = una_vez_cada_uno(hechos, range(3))
    assert not mal, f"Enviados 3 trabajos a un Pool(1): {mal}"


# --- Paso 7: un trabajo que lanza («ejecutor1: TRABAJO1 PUF!») (cuaderno: 5) ------------------


def test_un_trabajo_que_lanza_no_mata_a_su_ejecutor():
    hecho = threading.Event()
    nombres = []

    def puf():
        raise RuntimeError("PUF!")

    def siguiente():
        nombres.append(threading.current_thread().name)
        hecho.set()

    def todo():
        un_pool = pool.Pool(1)
        un_pool.enviar(puf)
        un_pool.enviar(siguiente)
        un_pool.arrancar()
        # Los hilos del propio pool (no una foto de los vivos tras arrancar: un hilo que
        # muere enseguida no saldría en ella). ident es None si nunca se arrancó.
        del_pool = [getattr(un_pool, "_repartidor", None), *getattr(un_pool, "ejecutores", [])]
        if not hecho.wait(ESPERA):
            return sorted(
                hilo.name
                for hilo in del_pool
                if isinstance(hilo, threading.Thread)
                and hilo.ident is not None
                and not hilo.is_alive()
            )
        un_pool.detener()
        return []

    muertos = con_limite(LIMITE, todo, que="Un Pool(1) con un trabajo que lanza")
    if nombres:
        assert nombres == ["ejecutor1"], (
            f"El trabajo siguiente lo ejecutó el hilo «{nombres[0]}», y debe ejecutarlo "
            "ejecutor1: el repartidor solo entrega los trabajos; los ejecuta un ejecutor."
        )
    elif "repartidor" in muertos:
        pytest.fail(
            "El trabajo que lanza mató al hilo repartidor: ¿ejecuta el repartidor los trabajos? "
            "Solo debe ponerlos en la bandeja; los ejecuta un ejecutor, capturando sus errores."
        )
    elif muertos:
        pytest.fail(
            "Tras un trabajo que lanza, el único ejecutor debe seguir vivo y ejecutar el "
            f"siguiente trabajo; no lo ejecutó, y estos hilos del pool han muerto: {muertos}. "
            "Captura los errores del trabajo (try/except en _ejecutar) para que no maten al "
            "ejecutor."
        )
    else:
        pytest.fail(
            f"Tras un trabajo que lanza, el siguiente no se ejecutó en {ESPERA} s, y ningún hilo "
            "del pool ha muerto: alguno se ha quedado esperando. ¿Un testigo que no se "
            "devuelve, o un semáforo (_en_la_bandeja, _huecos) al que nadie hace release?"
        )


def test_el_error_de_un_trabajo_se_apunta_y_se_informa(capsys):
    def TRABAJO1():  # noqa: N802 - el nombre de los apuntes
        raise RuntimeError("PUF!")

    un_pool, _ = usar_pool(1, [TRABAJO1])
    assert len(un_pool.errores) == 1, (
        f"El error del trabajo debe quedar apuntado en pool.errores; hay {un_pool.errores!r}"
    )
    fallo = un_pool.errores[0]
    assert fallo.ejecutor == "ejecutor1", (
        f"El error quedó apuntado a nombre de «{fallo.ejecutor}», y debe ser «ejecutor1», el "
        "hilo que ejecutó el trabajo: ¿lo ejecuta otro hilo (el repartidor, el que llama a "
        "enviar)? _informar ya toma el nombre del hilo actual."
    )
    assert fallo.trabajo is TRABAJO1, (
        f"El error debe apuntar el trabajo que lanzó (TRABAJO1); apunta {fallo.trabajo!r}"
    )
    assert isinstance(fallo.error, RuntimeError) and str(fallo.error) == "PUF!", (
        f"El error apuntado debe ser la excepción que lanzó el trabajo, RuntimeError('PUF!'); "
        f"es {fallo.error!r}"
    )
    salida = capsys.readouterr().err
    assert "ejecutor1" in salida and "TRABAJO1" in salida and "PUF!" in salida, (
        "El error debe informarse en la salida de errores, con el ejecutor, el trabajo y el "
        f"mensaje (ejecutor1: TRABAJO1 ... PUF!); se escribió: «{salida.strip()}»"
    )


def test_si_el_10_por_ciento_de_los_trabajos_lanza_los_demas_se_ejecutan(capsys):
    hechos = []

    def trabajo(n):
        if n % 10 == 0:
            raise ValueError(f"trabajo {n}: PUF!")
        hechos.append(n)

    trabajos = [functools.partial(trabajo, n) for n in range(200)]
    un_pool, _ = usar_pool(4, trabajos)
    fallidos = [n for n in range(200) if n % 10 == 0]
    assert sorted(hechos) == sorted(set(range(200)) - set(fallidos)), (
        f"De 200 trabajos, los 20 múltiplos de 10 lanzan; los otros 180 deben ejecutarse, y "
        f"se ejecutaron {len(hechos)}"
    )
    informados = sorted(fallo.trabajo.args[0] for fallo in un_pool.errores)
    assert informados == fallidos, (
        f"Los 20 errores deben quedar apuntados en pool.errores, uno por trabajo que lanzó; "
        f"hay {len(un_pool.errores)}"
    )
    assert capsys.readouterr().err.count("PUF!") == 20, "Cada error debe informarse una vez"


@en_todos_los_ordenes(
    "Un Pool(1) con un trabajo que lanza y otro detrás",
    planes=PLANES // 4,
    pista="¿Ha muerto el ejecutor con el trabajo que lanza (mira abajo)? Captura los errores "
    "del trabajo (try/except en _ejecutar) y no los relances: el ejecutor sigue con el "
    f"siguiente. {SACO_NONE}",
)
def test_con_todos_los_ordenes_un_trabajo_que_lanza_no_mata_a_su_ejecutor():
    hechos = []

    def puf():
        raise RuntimeError("PUF!")

    un_pool = pool.Pool(1).arrancar()
    for trabajo in (puf, *trabajos_que_apuntan(1, hechos)):
        un_pool.enviar(trabajo)
    un_pool.detener()
    assert hechos == [0], (
        f"Tras un trabajo que lanza, el único ejecutor debe hacer el siguiente; se hizo {hechos}"
    )
    fallidos = [(fallo.ejecutor, fallo.trabajo) for fallo in un_pool.errores]
    assert fallidos == [("ejecutor1", puf)], (
        "El trabajo que lanza debe quedar apuntado en pool.errores, a nombre de ejecutor1; "
        f"hay {[str(fallo) for fallo in un_pool.errores]}"
    )


@pytest.mark.parametrize("orden_de_parar", [SystemExit, KeyboardInterrupt])
def test_ejecutar_no_captura_las_ordenes_de_parar(orden_de_parar):
    # SystemExit y KeyboardInterrupt (Ctrl+C) no son errores del trabajo sino órdenes de
    # parar: `except Exception` las deja pasar; un `except BaseException` o un `except:` a
    # secas las convierte en un «error» más y el programa no para.
    un_pool = pool.Pool(1)  # sin arrancar: _ejecutar se llama aquí mismo

    def para():
        raise orden_de_parar(3)

    lanza(
        orden_de_parar,
        f"_ejecutar(un trabajo que lanza {orden_de_parar.__name__})",
        lambda: un_pool._ejecutar(para),
        f"_ejecutar se tragó un {orden_de_parar.__name__}: captura solo except Exception. "
        f"{orden_de_parar.__name__} no es un error del trabajo, es una orden de parar "
        "(sys.exit, Ctrl+C), y no hereda de Exception.",
    )
    apuntados = [str(fallo) for fallo in getattr(un_pool, "errores", [])]
    assert not apuntados, (
        f"_ejecutar apuntó {orden_de_parar.__name__} en pool.errores ({apuntados}): no es un "
        "error del trabajo; déjalo pasar sin apuntarlo (except Exception)."
    )


# --- Paso 4, a fondo: detener (cuaderno: 6) ---------------------------------------------------


class ListaMirada(list):
    """trabajos_pendientes, que apunta desde qué línea de detener() se mira si está vacía (len,
    bool o recorrerla). Un detener() que espera en un bucle a que se vacíe la mira una y otra
    vez; el de los apuntes no la mira: apunta FIN detrás y espera con join()."""

    def __init__(self, lista, miradas):
        super().__init__(lista)
        self.miradas = miradas

    def _mirada(self):
        llamador = sys._getframe(2)  # _mirada ← __len__ / __iter__ ← quien mira
        if llamador.f_code.co_name == "detener":
            self.miradas[(llamador.f_code.co_filename, llamador.f_lineno)] += 1

    def __len__(self):
        self._mirada()
        return super().__len__()

    def __iter__(self):
        self._mirada()
        return super().__iter__()

    def __eq__(self, otra):
        self._mirada()
        return super().__eq__(otra)

    def __ne__(self, otra):
        self._mirada()
        return super().__ne__(otra)

    __hash__ = None  # como list


# Las veces que un detener() que se cuelga tiene que haber mirado la lista desde la misma línea
# para decir que espera en un bucle a que se vacíe (una sola comprobación no es esperar).
VUELTAS = 3


def explorar_detener(escenario, miradas, *, que, planes, nadie):
    """explorar() de un escenario con detener(); `miradas` es el Counter de la ListaMirada del
    pool del escenario (que lo vacía al empezar cada plan). Si el plan se cuelga y detener()
    miraba trabajos_pendientes una y otra vez, el mensaje dice eso, y por qué no se vacía
    (`nadie`), en vez de la pista general de un pool colgado."""
    __tracebackhide__ = True
    fallo = None
    try:
        explorar(escenario, que=que, planes=planes, pista=COLGADO)
    except pytest.fail.Exception as error:
        fallo = error
    if fallo is None:
        return
    ((fichero, linea), veces), *_ = miradas.most_common(1) or [((None, 0), 0)]
    if veces < VUELTAS:
        raise fallo
    codigo = linecache.getline(fichero, linea).strip()
    # Del fallo de explorar, lo que vio (la primera línea, con la pista general, sobra).
    _, _, visto = str(fallo).partition("\n")
    pytest.fail(
        f"{que}: detener() espera en un bucle a que se vacíe trabajos_pendientes "
        f"({Path(fichero).name}, línea {linea}: `{codigo}`, una y otra vez), y nadie "
        f"la va a vaciar: {nadie}. No hace falta esperar a la lista: FIN va detrás de lo "
        "pendiente y el repartidor lo saca el último, así que el join() del repartidor y de "
        "cada ejecutor ya espera a que se haya hecho todo lo de delante (paso 4). Y un pool que "
        "nunca se arrancó no tiene nada que esperar: vuelve enseguida.\n"
        f"{visto}",
        pytrace=False,
    )


def test_detener_ejecuta_antes_todo_lo_pendiente():
    # Con el planificador (explorar): los hilos se turnan en varios órdenes y las esperas con
    # timeout van con un reloj virtual, así que la hora de `primero` no se espera de verdad
    # (y un detener() con join(timeout=...) vuelve antes de que acabe).
    def escenario():
        devuelto, primero_en_marcha = threading.Event(), threading.Event()
        apuntados = []

        def primero():
            primero_en_marcha.set()
            devuelto.wait(3600)  # dura hasta que detener() vuelva o una hora (virtual)

        un_pool = pool.Pool(1)
        miradas.clear()
        un_pool.trabajos_pendientes = ListaMirada(un_pool.trabajos_pendientes, miradas)
        un_pool.enviar(primero)
        for trabajo in trabajos_que_apuntan(5, apuntados):
            un_pool.enviar(trabajo)
        un_pool.arrancar()
        primero_en_marcha.wait()
        un_pool.detener()
        hechos, vivos = len(apuntados), hilos_del_pool_vivos(un_pool)
        devuelto.set()
        assert not vivos, sin_join(vivos)
        assert hechos == 5, (
            f"Había 5 trabajos pendientes al llamar a detener() y, cuando volvió, se habían "
            f"ejecutado {hechos}. FIN va al FINAL de la lista, detrás de lo pendiente."
        )

    miradas = collections.Counter()
    explorar_detener(
        escenario,
        miradas,
        que="detener() con 5 trabajos pendientes",
        planes=5,
        nadie=(
            "el único ejecutor está ocupado con un trabajo que no acaba hasta que detener() "
            "vuelva, la bandeja está llena y el repartidor solo saca de la lista cuando hay hueco "
            "en ella"
        ),
    )


@en_todos_los_ordenes("detener() con un trabajo en marcha", planes=5, pista=COLGADO)
def test_detener_espera_con_join_al_repartidor_y_a_todos_los_ejecutores():
    devuelto, en_marcha = threading.Event(), threading.Event()
    visto = {}

    def largo():
        en_marcha.set()
        # Hasta que detener() vuelva o una hora (virtual): más que cualquier join(timeout=...).
        visto["detener_ya_habia_vuelto"] = devuelto.wait(3600)

    un_pool = pool.Pool(3)
    un_pool.enviar(largo)
    un_pool.arrancar()
    en_marcha.wait()
    un_pool.detener()
    vivos = hilos_del_pool_vivos(un_pool)
    devuelto.set()
    assert not vivos, sin_join(vivos)
    assert not visto.get("detener_ya_habia_vuelto"), (
        "El trabajo en marcha vio volver a detener() antes de terminar: detener() debe "
        "esperar con join() a que acabe."
    )


def test_detener_no_deja_hilos_vivos_y_se_puede_llamar_dos_veces():
    antes = hilos_vivos()
    un_pool, _ = usar_pool(5, trabajos_que_apuntan(50, []))
    con_limite(LIMITE, un_pool.detener, que="Un segundo detener()")
    comprobar_que_no_quedan_hilos(antes, que="Tras detener() el pool")
    sobra = [t for t in un_pool.trabajos_pendientes if t is pool.FIN]
    assert not sobra, (
        "El segundo detener() apuntó otro FIN en trabajos_pendientes, que ya no sacará nadie: "
        "si el pool ya estaba detenido, detener() no apunta nada (mira _detenido con el "
        "testigo en la mano)."
    )


def test_detener_vuelve_enseguida_con_un_pool_que_nunca_se_arranco():
    # Con explorar, el límite: un detener() que espera para siempre (a un repartidor que no
    # existe) es un bloqueo que el planificador ve al momento, sin esperar de verdad.
    def escenario():
        un_pool = pool.Pool(2)
        miradas.clear()
        un_pool.trabajos_pendientes = ListaMirada(un_pool.trabajos_pendientes, miradas)
        un_pool.enviar(trabajo1)
        detener_sin_arrancar_vuelve(un_pool, "self._repartidor.ident es None hasta su start()")

    miradas = collections.Counter()
    explorar_detener(
        escenario,
        miradas,
        que="detener() de un Pool(2) que nunca se arrancó, con un trabajo apuntado",
        planes=3,
        nadie="el pool nunca se arrancó: no hay repartidor que saque nada de ella",
    )


@en_todos_los_ordenes(
    "Dos hilos llaman a detener() a la vez",
    planes=PLANES,
    pista="¿Vuelve detener() sin esperar cuando ve que el pool ya está detenido?",
)
def test_con_todos_los_ordenes_dos_detener_a_la_vez_vuelven_sin_hilos_vivos():
    # Dos hilos llaman a detener() a la vez (dos `with`, un Ctrl+C y el final del programa):
    # quien llama a detener() cuenta con que, al volver, el pool esté parado del todo.
    hechos = []
    un_pool = pool.Pool(2).arrancar()
    for trabajo in trabajos_que_apuntan(2, hechos):
        un_pool.enviar(trabajo)
    al_volver = {}

    def detener_y_mirar():
        un_pool.detener()
        al_volver[threading.current_thread().name] = hilos_del_pool_vivos(un_pool)

    otro = threading.Thread(target=detener_y_mirar, name="el otro detener()")
    otro.start()
    detener_y_mirar()
    otro.join()
    fines = sum(t is pool.FIN for t in un_pool.trabajos_pendientes)
    assert not fines, (
        f"Dos detener() a la vez y quedaron {fines} FIN en trabajos_pendientes, que ya no "
        "sacará nadie: los dos vieron el pool sin detener y los dos apuntaron FIN. Mira "
        "_detenido, márcalo y apunta FIN dentro del mismo with self.testigo:, para que "
        "solo el primero lo apunte."
    )
    for quien, vivos in sorted(al_volver.items()):
        assert not vivos, (
            f"Dos detener() a la vez: el segundo detener() volvió (en «{quien}») con "
            f"{', '.join(vivos)} todavía vivos. Si el pool ya estaba detenido, no apuntes "
            "otro FIN, pero espera igual con join() al repartidor y a cada ejecutor."
        )


def test_no_se_puede_enviar_a_un_pool_detenido():
    un_pool, _ = usar_pool(2, [trabajo1])
    with pytest.raises(RuntimeError):
        un_pool.enviar(trabajo1)
        pytest.fail("enviar() a un pool detenido debería lanzar RuntimeError: nadie lo ejecutaría")


@en_todos_los_ordenes(
    "Un hilo envía 2 trabajos mientras otro detiene el Pool(1)", planes=PLANES, pista=COLGADO
)
def test_con_todos_los_ordenes_un_trabajo_enviado_mientras_se_detiene_no_se_pierde():
    # Un hilo envía dos trabajos mientras el principal llama a detener(): cada uno, o se
    # ejecuta, o enviar() lanza RuntimeError. Nunca se acepta y se queda sin ejecutar.
    hechos, aceptados, rechazados, otros = [], [], [], []
    un_pool = pool.Pool(1).arrancar()

    def remitente():
        for numero, trabajo in enumerate(trabajos_que_apuntan(2, hechos)):
            try:
                un_pool.enviar(trabajo)
            except NotImplementedError as error:  # es un RuntimeError: no vale como «no»
                otros.append(error)
            except RuntimeError:
                rechazados.append(numero)
            else:
                aceptados.append(numero)

    hilo = threading.Thread(target=remitente, name="remitente")
    hilo.start()
    un_pool.detener()
    hilo.join()
    assert not otros, f"enviar() lanzó {otros[0]!r}"
    vivos = hilos_del_pool_vivos(un_pool)
    assert not vivos, sin_join(vivos)
    perdidos = [n for n in aceptados if n not in hechos]
    assert not perdidos, (
        f"enviar() aceptó el trabajo {perdidos[0]} (no lanzó RuntimeError) a la vez que "
        "detener(), y nunca se ejecutó: se apuntó detrás de FIN. Mira si el pool está "
        "detenido y apunta el trabajo sin soltar el testigo entre medias (las dos cosas "
        "dentro del mismo with self.testigo:), como hace detener() al marcarlo y apuntar FIN."
    )
    ejecutados_rechazados = [n for n in rechazados if n in hechos]
    assert not ejecutados_rechazados, (
        f"enviar() lanzó RuntimeError con el trabajo {ejecutados_rechazados[0]} y aun así "
        "se ejecutó: si lo rechaza, no lo apunta"
    )
    mal = una_vez_cada_uno(hechos, aceptados)
    assert not mal, f"De los trabajos aceptados ({aceptados}): {mal}"


@en_todos_los_ordenes(
    "detener() justo cuando enviar() suelta el testigo", planes=PLANES // 6, pista=COLGADO
)
def test_con_todos_los_ordenes_detener_justo_cuando_enviar_suelta_el_testigo():
    # El peor momento para detener(): justo cuando enviar() suelta el testigo. Si enviar()
    # lo soltó antes de apuntar el trabajo (mirar _detenido en un with y apuntar fuera, o en
    # otro with), detener() apunta FIN antes que el trabajo, y el trabajo se pierde.
    hechos = []
    un_pool = pool.Pool(1)
    testigo = un_pool.testigo = SemaforoDelPeorMomento(un_pool)
    un_pool.arrancar()
    testigo.remitente = threading.current_thread()
    try:
        un_pool.enviar(lambda: hechos.append(0))
    except RuntimeError as error:
        if isinstance(error, NotImplementedError):
            raise
        aceptado = False
    else:
        aceptado = True
    testigo.remitente = None
    assert testigo.detenedor is not None, (
        "enviar() no soltó el testigo del pool (self.testigo): apunta el trabajo con él "
        "en la mano (with self.testigo:)."
    )
    testigo.detenedor.join()
    assert not testigo.error_de_detener, f"detener() lanzó {testigo.error_de_detener[0]!r}"
    vivos = hilos_del_pool_vivos(un_pool)
    assert not vivos, sin_join(vivos)
    assert not aceptado or hechos == [0], (
        "enviar() soltó el testigo antes de apuntar el trabajo: detener() se coló entre "
        "medias (marcó el pool y apuntó FIN), el trabajo quedó detrás de FIN y nunca se "
        "ejecutó, aunque enviar() lo aceptó sin lanzar RuntimeError. Mira si el pool está "
        "detenido Y apunta el trabajo dentro del mismo with self.testigo:, sin soltarlo "
        "entre medias."
    )


def test_el_pool_se_usa_con_with():
    pruebas.el_pool_se_usa_con_with(
        pool.Pool, LIMITE, "¿Espera detener() con join() a que terminen los hilos?"
    )


def test_enviar_algo_que_no_se_puede_llamar_a_un_pool_detenido_es_typeerror():
    # Lo primero que mira enviar() es el trabajo: un valor que no se puede llamar es un error
    # de quien llama (TypeError), esté el pool como esté.
    un_pool, _ = usar_pool(1, [])
    error = lanza_citando(
        TypeError,
        "enviar(42) a un pool detenido",
        lambda: un_pool.enviar(42),
        "Comprueba callable(trabajo) lo primero, antes de mirar si el pool está detenido: "
        "42 no es un trabajo, esté el pool en marcha o no (el RuntimeError es para un trabajo "
        "de verdad que llega tarde).",
        "42",
    )
