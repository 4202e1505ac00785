"""Pruebas del módulo 03. Van en el orden del enunciado (README.md), que es el orden en que
conviene escribir el código: Pool() y enviar → _una_vuelta → arrancar, _trabajar y detener →
la carrera.

Ejecútalas con:  pytest ejercicios/03

Ninguna prueba mide lo rápido que va tu pool: la concurrencia se comprueba con barreras
(`threading.Barrier`), que solo se abren si los trabajos están de verdad a la vez.
"""

import collections
import threading
import time

import pytest

from taller import pruebas
from taller.planificador import explorar, hilos_muertos
from taller.propiedades import example, given, st
from taller.pruebas import (
    TrabajoEnBarrera,
    cargar,
    comprobar_que_no_quedan_hilos,
    con_limite,
    detener_sin_arrancar_vuelve,
    hilos_vivos,
    lanza,
    lanza_citando,
    segundos_de_cpu,
    trabajos_que_apuntan,
)

pool = cargar("pool")
carrera = cargar("carrera")

# Si una prueba con hilos pasa de aquí, algo se ha quedado bloqueado (ver con_limite).
LIMITE = 5
# Lo que espera un trabajo en una barrera a que lleguen los demás antes de darse por vencido.
ESPERA_EN_BARRERA = 3
# Crear un pool no arranca nada: si tarda más que esto, es que __init__ se ha quedado en un bucle.
LIMITE_AL_CREAR = 2
# PAUSA_SIN_TRABAJO, tal como la pide el enunciado (las pruebas con reloj virtual la usan).
PAUSA = 0.005

LISTA_COMPARTIDA = (
    "¿La creas como atributo de la clase (trabajos_pendientes = [] fuera de __init__) o como "
    "valor por defecto de un parámetro (trabajos=[])? Esa lista se crea una sola vez y la "
    "comparten todos los pools: créala dentro de __init__, self.trabajos_pendientes = []."
)

PISTA_INIT_COLGADO = (
    "Crear un pool no debería tardar nada: solo prepara la lista y los hilos, sin arrancarlos. "
    "Si está parado en _trabajar, es que __init__ lo llama: target=self._trabajar() (con "
    "paréntesis) ejecuta el bucle del ejecutor ahí mismo, en el hilo que crea el pool. Pásale "
    "la función sin llamarla: target=self._trabajar."
)


def crear_pool(ejecutores):
    """Pool(ejecutores), con límite: un __init__ que se cuelga falla en 2 s, y una sola vez.

    El de con_limite es de prueba: si vuelve, se crea otro en el hilo de la prueba (un hilo
    hereda daemon del que lo crea, y los de con_limite son daemon).
    """
    __tracebackhide__ = True
    Pool = pool.Pool
    try:
        con_limite(
            LIMITE_AL_CREAR,
            Pool,
            ejecutores,
            que=f"Pool({ejecutores})",
            pista=PISTA_INIT_COLGADO,
        )
    except AttributeError as error:
        marco, llamado = error.__traceback__, False
        while marco is not None:
            llamado = llamado or marco.tb_frame.f_code.co_name == "_trabajar"
            marco = marco.tb_next
        if not llamado:
            raise
        pytest.fail(
            f"Pool({ejecutores}) lanzó AttributeError («{error}») desde _trabajar: __init__ ha "
            "llamado al bucle del ejecutor. ¿Escribiste target=self._trabajar() con "
            "paréntesis? Eso ejecuta _trabajar ahí mismo (y el hilo recibe lo que devuelve); "
            "pásale la función sin llamarla: target=self._trabajar.",
            pytrace=False,
        )
    un_pool = Pool(ejecutores)
    pendientes = getattr(un_pool, "trabajos_pendientes", [])
    assert not pendientes, (
        f"Un Pool({ejecutores}) recién creado ya tiene {len(pendientes)} trabajos en "
        f"trabajos_pendientes, enviados a otros pools: comparten la lista. {LISTA_COMPARTIDA}"
    )
    return un_pool


def usar_pool(ejecutores, trabajos, quien_envia=None):
    """Arranca un Pool, le envía los trabajos y lo detiene, con límite de tiempo.

    Devuelve los hilos que arrancó el pool (los que no existían antes de arrancar()). Si
    se pasa una lista `quien_envia`, apunta en ella el hilo que llama a enviar.
    """
    un_pool, del_pool = pruebas.usar_pool(
        pool.Pool, ejecutores, trabajos, pista=PISTA_POOL_COLGADO, quien_envia=quien_envia
    )
    pendientes = list(un_pool.trabajos_pendientes)
    # Si detener() no espera a que se vacíe la lista, lo que miran las pruebas después (qué
    # se ejecutó, en qué orden) no ha pasado: mejor decir eso que culpar al orden o al número.
    assert not pendientes, (
        f"detener() volvió con {len(pendientes)} de {len(trabajos)} trabajos aún en "
        "trabajos_pendientes, sin ejecutar. Detener es «acabad y marchaos»: antes de pedir "
        "parar, espera (con pausas) a que la lista se vacíe."
    )
    return del_pool


PISTA_POOL_COLGADO = (
    "Algo se ha quedado esperando para siempre: ¿un bucle de ejecutor que no mira si debe "
    "parar (self._parar), un detener() que espera a una lista que ya nadie vacía, o un join() "
    "de un hilo que no acaba?"
)


def trabajo_que_falla():
    raise ValueError("un trabajo que falla")


PISTA_DETENER_COLGADO = (
    "¿detener() espera a que se vacíe una lista que ya nadie va a vaciar? Mientras esperas, "
    "mira si queda algún ejecutor vivo (any(e.is_alive() for e in self.ejecutores)): si "
    "todos han muerto, o el pool nunca se arrancó, no hay a quién esperar."
)


def con_todos_los_ordenes(que, planes):
    """La prueba entera es el escenario de explorar() (ver taller.pruebas.en_todos_los_ordenes),
    con la pista de este módulo para cuando el pool se cuelga y tu pool.py importado antes."""
    return pruebas.en_todos_los_ordenes(
        que, planes=planes, pista=PISTA_DETENER_COLGADO, antes=lambda: pool.Pool
    )


# --- Pasos 1 y 2: Pool() y enviar (cuaderno: 3) -----------------------------------------------


def test_el_pool_empieza_con_la_lista_de_trabajos_pendientes_vacia():
    un_pool = crear_pool(3)
    assert un_pool.trabajos_pendientes == [], (
        f"Un pool recién creado debería tener trabajos_pendientes == []; tiene {un_pool.trabajos_pendientes!r}"
    )
    assert type(un_pool.trabajos_pendientes) is list, (
        "trabajos_pendientes debe ser una lista (list)"
    )


def test_cada_pool_tiene_su_propia_lista_de_trabajos():
    uno, otro = crear_pool(1), crear_pool(1)
    assert uno.trabajos_pendientes is not otro.trabajos_pendientes, (
        "Dos pools distintos comparten la misma lista trabajos_pendientes: lo que se envía a "
        f"uno lo ejecutarían los ejecutores del otro. {LISTA_COMPARTIDA}"
    )


def test_el_pool_crea_un_hilo_por_ejecutor_sin_arrancarlo():
    un_pool = crear_pool(3)
    nombres = [hilo.name for hilo in un_pool.ejecutores]
    assert nombres == ["ejecutor1", "ejecutor2", "ejecutor3"], (
        f"Pool(3).ejecutores debería tener 3 hilos llamados ejecutor1..ejecutor3; tiene {nombres}"
    )
    assert all(isinstance(hilo, threading.Thread) for hilo in un_pool.ejecutores), (
        f"Cada ejecutor debe ser un threading.Thread; ejecutores es {un_pool.ejecutores!r}"
    )
    assert not any(hilo.is_alive() for hilo in un_pool.ejecutores), (
        "Los hilos se arrancan en arrancar(), no al crear el pool"
    )


def test_los_ejecutores_son_hilos_normales_y_no_daemon():
    un_pool = crear_pool(2)
    daemon = [hilo.name for hilo in un_pool.ejecutores if hilo.daemon]
    assert not daemon, (
        f"Los ejecutores {daemon} son daemon: al acabar el programa, un hilo daemon muere sin "
        "avisar, a medias de su trabajo. Para un pool, hilos normales (sin daemon=True), y "
        "detener() los espera con join() (lo dice el cuaderno)."
    )


@given(st.integers(max_value=0))
@example(0)
@example(-1)
def test_el_pool_rechaza_menos_de_un_ejecutor(ejecutores):
    error = lanza_citando(
        ValueError,
        f"Pool({ejecutores})",
        lambda: pool.Pool(ejecutores),
        "Un pool sin ejecutores no ejecutaría nunca nada: necesita al menos 1.",
        str(ejecutores),
        "el número rechazado",
    )


NO_ENTEROS = st.one_of(
    st.floats(allow_nan=False),
    st.text(max_size=4),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)


@given(NO_ENTEROS)
@example(0.5)
@example(2.0)
@example("10")
@example(None)
@example(True)
@example(False)
def test_el_pool_rechaza_un_numero_de_ejecutores_que_no_es_entero(ejecutores):
    por_que = (
        "El número de ejecutores es un int; cualquier otra cosa se rechaza con TypeError, "
        "antes de mirar si es menor que 1: compruébalo primero con isinstance."
    )
    if isinstance(ejecutores, bool):
        por_que = "isinstance(True, int) es True (bool hereda de int): descarta los bool antes."
    elif isinstance(ejecutores, float) and ejecutores.is_integer():
        por_que = (
            f"{ejecutores!r} es un float, aunque no tenga decimales: no lo conviertas a int, "
            "recházalo con TypeError."
        )
    error = lanza(TypeError, f"Pool({ejecutores!r})", lambda: pool.Pool(ejecutores), por_que)
    assert repr(ejecutores) in str(error), (
        f"El mensaje del TypeError debería citar el valor rechazado ({ejecutores!r}, con "
        f"{{ejecutores!r}}); dice: «{error}»"
    )


def test_enviar_apunta_los_trabajos_al_final_de_la_lista_sin_ejecutarlos():
    un_pool = crear_pool(2)  # sin arrancar: nadie saca trabajos todavía
    ejecutados = []

    def primero():
        ejecutados.append("primero")

    def segundo():
        ejecutados.append("segundo")

    un_pool.enviar(primero)
    un_pool.enviar(segundo)
    assert ejecutados == [], (
        f"enviar ha ejecutado los trabajos (se ejecutaron {ejecutados}): solo debe apuntarlos "
        "en trabajos_pendientes; los ejecutan los ejecutores"
    )
    assert un_pool.trabajos_pendientes == [primero, segundo], (
        "enviar debe añadir cada trabajo al FINAL de trabajos_pendientes (append); "
        f"la lista quedó así: {un_pool.trabajos_pendientes!r}"
    )


@pytest.mark.parametrize("no_es_un_trabajo", [42, "comprobar", None])
def test_enviar_rechaza_lo_que_no_se_puede_llamar(no_es_un_trabajo):
    un_pool = crear_pool(1)
    error = lanza_citando(
        TypeError,
        f"enviar({no_es_un_trabajo!r})",
        lambda: un_pool.enviar(no_es_un_trabajo),
        "Un trabajo es una función sin argumentos: compruébalo con callable(trabajo).",
        repr(no_es_un_trabajo),
    )
    assert un_pool.trabajos_pendientes == [], "Un trabajo rechazado no debe quedar en la lista"


# --- Paso 3: _una_vuelta (cuaderno: 4) --------------------------------------------------------


def test_una_vuelta_ejecuta_el_primer_trabajo_o_dice_que_no_habia():
    un_pool = crear_pool(1)  # sin arrancar: damos las vueltas a mano
    ejecutados = []
    un_pool.enviar(lambda: ejecutados.append("a"))
    un_pool.enviar(lambda: ejecutados.append("b"))
    assert un_pool._una_vuelta() is True, "_una_vuelta() con trabajo pendiente debe devolver True"
    assert ejecutados == ["a"], (
        f"La primera vuelta debía ejecutar el primer trabajo enviado ('a'); ejecutó {ejecutados}"
        + (". pop() saca el último: el primero lo saca pop(0)" if ejecutados == ["b"] else "")
    )
    assert len(un_pool.trabajos_pendientes) == 1, (
        "El trabajo ejecutado debe salir de la lista (pop(0))"
    )
    un_pool._una_vuelta()
    assert un_pool._una_vuelta() is False, "_una_vuelta() con la lista vacía debe devolver False"
    assert ejecutados == ["a", "b"], (
        f"Tras tres vueltas con dos trabajos se esperaba ['a', 'b']; se ejecutó {ejecutados}"
    )


def test_una_vuelta_no_se_traga_el_error_de_un_trabajo():
    un_pool = crear_pool(1)  # sin arrancar: damos la vuelta a mano
    un_pool.enviar(trabajo_que_falla)
    lanza(
        ValueError,
        "_una_vuelta() con un trabajo que lanza ValueError",
        un_pool._una_vuelta,
        "En el 03 el pool es el de los apuntes y no captura nada: el error del trabajo sale "
        "de _una_vuelta() (y mata al ejecutor que la da). ¿Lo capturas con try/except? "
        "Tragárselo esconde el fallo; tratarlo bien es cosa del módulo 04.",
    )


# --- Paso 4: arrancar, _trabajar y detener: el pool en marcha (cuaderno: 4) -------------------


def test_arrancar_devuelve_el_propio_pool():
    un_pool = crear_pool(1)
    devuelto = con_limite(LIMITE, un_pool.arrancar, que="arrancar()")
    con_limite(LIMITE, un_pool.detener, que="detener()")
    assert devuelto is un_pool, (
        f"arrancar() devolvió {devuelto!r}: debe devolver el propio pool (return self). Así "
        "se puede escribir Pool(2).arrancar(), y funciona with Pool(2) as pool (__enter__ "
        "devuelve lo que devuelve arrancar())."
    )


def test_cada_trabajo_se_ejecuta_exactamente_una_vez():
    pruebas.cada_trabajo_se_ejecuta_una_vez(
        usar_pool, "¿detener() espera a que se vacíe la lista antes de parar a los ejecutores?"
    )


def test_con_un_ejecutor_los_trabajos_salen_en_orden_fifo():
    pruebas.con_un_ejecutor_es_fifo(usar_pool, "FIFO: append al final, pop(0) del principio")


def test_los_trabajos_se_ejecutan_en_los_hilos_del_pool_y_no_en_el_que_llama():
    hilos_de_los_trabajos = []
    trabajos = [lambda: hilos_de_los_trabajos.append(threading.current_thread()) for _ in range(20)]
    quien_envia = []
    del_pool = usar_pool(3, trabajos, quien_envia)
    assert len(hilos_de_los_trabajos) == 20, (
        f"Se enviaron 20 trabajos y se ejecutaron {len(hilos_de_los_trabajos)}"
    )
    en_el_que_envia = [hilo for hilo in hilos_de_los_trabajos if hilo in quien_envia]
    assert not en_el_que_envia, (
        f"{len(en_el_que_envia)} de los 20 trabajos se ejecutaron en el hilo que llama a "
        "enviar: enviar solo los apunta en trabajos_pendientes (append); los ejecuta un "
        "ejecutor del pool."
    )
    ajenos = sorted({hilo.name for hilo in hilos_de_los_trabajos} - {h.name for h in del_pool})
    assert not ajenos, (
        f"Hay trabajos que se ejecutaron en {len(ajenos)} hilos que no son ejecutores del pool "
        f"(p. ej. {ajenos[:3]}): ¿creas un hilo nuevo por trabajo? Así no hay límite de "
        "trabajos a la vez; los ejecutan siempre los mismos N ejecutores."
    )


def test_diez_ejecutores_ejecutan_diez_trabajos_a_la_vez():
    # Una Barrier(10) solo se abre cuando hay 10 hilos esperando en ella a la vez: si el
    # pool ejecuta los trabajos de uno en uno, el primero espera en vano y la barrera se rompe.
    trabajo = TrabajoEnBarrera(10, ESPERA_EN_BARRERA)
    quien_envia = []
    del_pool = usar_pool(10, [trabajo] * 10, quien_envia)
    if trabajo.hilos & set(quien_envia):
        causa = "Se ejecutaron en el hilo que llama a enviar, uno tras otro: enviar solo apunta."
    elif len(del_pool) < 10:
        causa = (
            f"Pool(10).arrancar() arrancó {len(del_pool)} hilos: tiene que ser uno por ejecutor."
        )
    else:
        causa = "¿Ejecuta tu pool los trabajos de uno en uno?"
    assert trabajo.juntos == 10, (
        f"10 trabajos que se esperan unos a otros en una Barrier(10) solo terminan si corren "
        f"los 10 a la vez; se juntaron {trabajo.juntos} y {trabajo.rotos} se cansaron de esperar. "
        + causa
    )


def test_un_pool_de_3_nunca_ejecuta_un_cuarto_trabajo_a_la_vez():
    trabajo = TrabajoEnBarrera(3, ESPERA_EN_BARRERA)
    del_pool = usar_pool(3, [trabajo] * 9)
    assert len(del_pool) == 3, (
        f"Pool(3).arrancar() debería arrancar exactamente 3 hilos, uno por ejecutor; arrancó "
        f"{len(del_pool)}"
    )
    ajenos = sorted(hilo.name for hilo in trabajo.hilos - del_pool)
    assert not ajenos, (
        f"Algunos trabajos se ejecutaron fuera de los 3 hilos del pool (en {ajenos[:3]}...): "
        "así puede haber más de 3 a la vez. ¿Creas un hilo nuevo por trabajo?"
    )
    assert trabajo.maximo == 3 and not trabajo.rotos, (
        f"Con 3 ejecutores deben correr 3 trabajos a la vez, ni más ni menos; "
        f"el máximo fue {trabajo.maximo} y {trabajo.rotos} trabajos se cansaron de esperar"
    )


GIRA_SIN_PAUSA = (
    "Sin trabajo, los 4 ejecutores no dejan de preguntar «¿hay algo?»: un bucle sin pausa "
    "gasta un núcleo entero. Si no hay trabajo, cada ejecutor debe dormir una pausa "
    "(time.sleep(PAUSA_SIN_TRABAJO)) antes de volver a mirar la lista."
)


def test_un_pool_sin_trabajo_no_quema_un_nucleo():
    # Con el reloj virtual del planificador (explorar): el tiempo solo avanza cuando ningún
    # hilo puede correr. Unos ejecutores que duermen entre vuelta y vuelta lo dejan avanzar, y
    # la pausa de la prueba (50 ms) acaba tras unas pocas vueltas; unos que giran sin pausa
    # siempre pueden correr, el reloj no se mueve y la pausa no acaba nunca: el plan «no
    # termina». Sin esperar de verdad y sin medir la CPU (que depende de la carga).
    Pool = pool.Pool

    def escenario():
        un_pool = Pool(4)
        un_pool.arrancar()
        time.sleep(0.05)
        un_pool.detener()

    explorar(escenario, que="un pool de 4 sin trabajo", planes=1, pista=GIRA_SIN_PAUSA)


# --- Paso 4, a fondo: detener (cuaderno: 4) ---------------------------------------------------


@con_todos_los_ordenes("detener() con 20 trabajos pendientes", planes=3)
def test_detener_ejecuta_antes_todo_lo_pendiente():
    # Un solo ejecutor, ocupado con un trabajo que dura hasta que detener() vuelva (o 0,3 s):
    # cuando se llama a detener(), los otros 20 trabajos siguen en la lista. Con el reloj
    # virtual del planificador (explorar), esos 0,3 s no se esperan de verdad: solo avanza
    # cuando todos los hilos esperan.
    devuelto, primero_en_marcha = threading.Event(), threading.Event()
    apuntados = []

    def primero():
        primero_en_marcha.set()
        devuelto.wait(0.3)

    un_pool = pool.Pool(1)
    un_pool.arrancar()
    un_pool.enviar(primero)
    for trabajo in trabajos_que_apuntan(20, apuntados):
        un_pool.enviar(trabajo)
    primero_en_marcha.wait(LIMITE)
    un_pool.detener()
    devuelto.set()
    hechos = len(apuntados)
    assert hechos == 20, (
        f"Había 20 trabajos en la lista al llamar a detener() y, cuando volvió, se habían "
        f"ejecutado {hechos}. detener() debe esperar a que se vacíe la lista antes de parar."
    )


@con_todos_los_ordenes("detener() con un trabajo en marcha", planes=3)
def test_detener_espera_con_join_a_que_acaben_todos_los_ejecutores():
    # Con el reloj virtual del planificador (explorar): el cuarto de segundo no se espera.
    devuelto, en_marcha, acabado = threading.Event(), threading.Event(), threading.Event()
    visto = {}

    def largo():
        en_marcha.set()
        # Dura hasta que detener() vuelva o, como mucho, un cuarto de segundo (si detener()
        # no espera con join, vuelve enseguida y el trabajo sigue en marcha: se ve igual).
        visto["detener_ya_habia_vuelto"] = devuelto.wait(0.25)
        acabado.set()

    un_pool = pool.Pool(2)
    antes = hilos_vivos()
    un_pool.arrancar()
    del_pool = hilos_vivos() - antes
    un_pool.enviar(largo)
    en_marcha.wait(LIMITE)
    un_pool.detener()
    vivos = sorted(hilo.name for hilo in del_pool if hilo.is_alive())
    devuelto.set()
    acabado.wait(LIMITE)
    assert not vivos and not visto.get("detener_ya_habia_vuelto"), (
        "detener() volvió mientras un ejecutor seguía con su trabajo "
        f"(hilos vivos al volver: {vivos}). Tras pedirles que paren, detener() debe esperar "
        "a cada ejecutor con join()."
    )


def test_detener_no_deja_hilos_vivos():
    antes = hilos_vivos()
    usar_pool(5, trabajos_que_apuntan(50, []))
    comprobar_que_no_quedan_hilos(antes, que="Tras detener() el pool")


def test_no_se_puede_enviar_a_un_pool_detenido():
    un_pool = crear_pool(2)
    con_limite(LIMITE, un_pool.arrancar, que="arrancar()")
    con_limite(LIMITE, un_pool.detener, que="detener()")
    lanza(
        RuntimeError,
        "enviar() a un pool detenido",
        lambda: un_pool.enviar(lambda: None),
        "Nadie lo ejecutaría: detener() deja una marca (self._parar) que enviar debe mirar.",
    )
    assert un_pool.trabajos_pendientes == [], (
        "enviar() lanzó RuntimeError, pero dejó el trabajo apuntado en trabajos_pendientes "
        f"({un_pool.trabajos_pendientes!r}): mira si el pool está detenido ANTES del append. "
        "Un trabajo rechazado no se apunta."
    )


def test_el_pool_se_usa_con_with():
    pruebas.el_pool_se_usa_con_with(
        pool.Pool,
        LIMITE,
        "¿Espera detener() a que se vacíe la lista antes de parar a los ejecutores?",
    )


# --- Paso 4, con todos los órdenes: el planificador (cuaderno: 4) ----------------------------
#
# Estas pruebas no esperan a que la carrera «salga»: `explorar` ejecuta el escenario con
# cientos de órdenes de ejecución distintos de sus hilos (siempre los mismos: sale igual en
# cualquier máquina) y enseña la línea de tiempo del primero que falla. El pool del 03 tiene
# la carrera de los apuntes a propósito (un ejecutor puede morir con IndexError): estas
# pruebas solo piden lo que el 03 promete.


def arrancar_enviar_y_detener(un_pool, trabajos, otros_remitentes=None):
    """Dentro de un escenario de explorar: arranca el pool, le envía los trabajos, en orden, y
    lo detiene. Con `otros_remitentes` ({nombre del hilo: sus trabajos}), cada uno de esos
    hilos envía los suyos a la vez que este, y se les espera antes de detener. Devuelve el
    pool, para mirar después cómo quedó."""
    __tracebackhide__ = True

    def enviar(estos):
        for trabajo in estos:
            un_pool.enviar(trabajo)

    un_pool.arrancar()
    otros = [
        threading.Thread(target=enviar, args=(suyos,), name=nombre)
        for nombre, suyos in (otros_remitentes or {}).items()
    ]
    for otro in otros:
        otro.start()
    enviar(trabajos)
    for otro in otros:
        otro.join()
    un_pool.detener()
    return un_pool


def los_que_faltan(enviados, hechos):
    """Los trabajos enviados que no se hicieron, si quedaba algún ejecutor vivo para hacerlos
    (si murieron todos, nadie podía: entonces no falta ninguno)."""
    if ejecutores_muertos() >= 2:
        return []
    return sorted(set(enviados) - set(hechos))


def ejecutores_muertos():
    """Cuántos ejecutores del pool han muerto con una excepción en este plan."""
    return len([nombre for nombre, _ in hilos_muertos() if nombre.startswith("ejecutor")])


# 60 planes: el caso casi bien que más tarda en caer aquí (un trabajo ejecutado antes de
# sacarlo de la lista) cae en el 16; los planes salen siempre en el mismo orden.
@con_todos_los_ordenes("Pool(2) con 4 trabajos y detener()", planes=60)
def test_con_todos_los_ordenes_cada_trabajo_se_ejecuta_como_mucho_una_vez():
    veces = collections.Counter()
    arrancar_enviar_y_detener(pool.Pool(2), [lambda n=n: veces.update([n]) for n in range(4)])
    repetidos = sorted(n for n, cuantas in veces.items() if cuantas > 1)
    assert not repetidos, (
        f"Los trabajos {repetidos} se ejecutaron más de una vez ({dict(veces)}). Cada "
        "trabajo lo saca de la lista (pop(0)) un solo ejecutor, y lo ejecuta ese."
    )
    faltan = los_que_faltan(range(4), veces)
    assert not faltan, (
        f"Quedaba un ejecutor vivo y los trabajos {faltan} no se ejecutaron: "
        "detener() debe esperar a que se vacíe la lista mientras quede alguno vivo."
    )


@con_todos_los_ordenes("Pool(2) con un trabajo que falla, 3 más y detener()", planes=60)
def test_con_todos_los_ordenes_si_un_trabajo_mata_a_un_ejecutor_el_otro_hace_el_resto():
    hechos = []
    # El primero mata al ejecutor que lo saque: en el 03 nadie captura errores.
    arrancar_enviar_y_detener(pool.Pool(2), [trabajo_que_falla, *trabajos_que_apuntan(3, hechos)])
    faltan = los_que_faltan(range(3), hechos)
    assert not faltan, (
        f"Un trabajo que falla mató a un ejecutor, el otro seguía vivo y los trabajos "
        f"{faltan} no se ejecutaron: detener() debe esperar a que se vacíe la lista "
        "mientras quede ALGÚN ejecutor vivo (any), aunque otro haya muerto."
    )


@con_todos_los_ordenes("Pool(3) y detener()", planes=60)
def test_con_todos_los_ordenes_detener_no_deja_hilos_vivos():
    un_pool = arrancar_enviar_y_detener(pool.Pool(3), [lambda: None] * 3)
    vivos = [hilo.name for hilo in un_pool.ejecutores if hilo.is_alive()]
    assert not vivos, (
        f"detener() volvió con {vivos} aún vivos. Tras poner self._parar = True, espera "
        "a cada ejecutor con join()."
    )


@con_todos_los_ordenes("Un trabajo que lanza mata al único ejecutor y luego detener()", planes=30)
def test_detener_vuelve_aunque_un_trabajo_mate_al_unico_ejecutor():
    # El primero mata al único ejecutor: en el 03 nadie captura sus errores.
    un_pool = arrancar_enviar_y_detener(pool.Pool(1), [trabajo_que_falla, lambda: None])
    assert not un_pool.ejecutores[0].is_alive(), "detener() volvió con ejecutor1 vivo"


@con_todos_los_ordenes(
    "detener() de un Pool(2) que nunca se arrancó, con un trabajo en la lista", planes=3
)
def test_detener_vuelve_con_un_pool_que_nunca_se_arranco():
    # Con explorar, el límite: un detener() que espera para siempre a que se vacíe la lista
    # «no termina» (el reloj virtual no deja pasar nada), sin esperar de verdad.
    un_pool = pool.Pool(2)
    un_pool.enviar(lambda: None)
    detener_sin_arrancar_vuelve(un_pool, "un hilo tiene ident None hasta su start()")


@con_todos_los_ordenes("Pool(1) con 4 trabajos", planes=60)
def test_con_todos_los_ordenes_un_pool_de_uno_es_fifo():
    orden = []
    arrancar_enviar_y_detener(pool.Pool(1), trabajos_que_apuntan(4, orden))
    assert orden == [0, 1, 2, 3], (
        f"Con un solo ejecutor, los trabajos 0, 1, 2 y 3 salieron en el orden {orden}. La "
        "cola es FIFO: append al final, pop(0) del principio."
    )


@con_todos_los_ordenes("Pool(1) con un trabajo que tarda 1 s, otro y detener()", planes=4)
def test_con_todos_los_ordenes_detener_espera_a_los_trabajos_que_tardan():
    hechos = []
    lento_y_rapido = [
        lambda: (time.sleep(1), hechos.append("lento")),
        lambda: hechos.append("rápido"),
    ]
    un_pool = arrancar_enviar_y_detener(pool.Pool(1), lento_y_rapido)
    pendientes = len(un_pool.trabajos_pendientes)
    assert hechos == ["lento", "rápido"], (
        f"Un trabajo que tarda 1 s (en el reloj virtual) y otro rápido: al volver "
        f"detener() se habían ejecutado {hechos} y quedaban {pendientes} en la lista. "
        "¿detener() espera un rato fijo (time.sleep(...)) en vez de esperar a que se vacíe "
        "la lista? Los trabajos tardan lo que tardan: espera, con pausas, mientras quede "
        "algo en trabajos_pendientes (y algún ejecutor vivo)."
    )


@con_todos_los_ordenes("Pool(1) con 20 trabajos rápidos", planes=20)
def test_con_todos_los_ordenes_un_ejecutor_con_trabajo_no_hace_pausas():
    un_pool = pool.Pool(1).arrancar()
    time.sleep(PAUSA / 5)  # el ejecutor ya ha visto la lista vacía: está en su pausa
    inicio = time.monotonic()  # el reloj virtual de explorar: no depende de la máquina
    for _ in range(20):
        un_pool.enviar(lambda: None)
    un_pool.detener()
    tardaron = time.monotonic() - inicio
    if tardaron > 40 * PAUSA:
        causa = (
            "¿Duerme más que PAUSA_SIN_TRABAJO (0,005 s)? Una pausa larga hace esperar a "
            "todo lo que llega mientras el ejecutor duerme."
        )
    else:
        causa = (
            "¿Duerme también después de cada trabajo? Solo se duerme cuando la vuelta no "
            "encontró trabajo: if not self._una_vuelta(): time.sleep(PAUSA_SIN_TRABAJO)."
        )
    assert tardaron < 10 * PAUSA, (
        f"20 trabajos que no tardan nada, en un Pool(1): desde que se enviaron hasta que "
        f"detener() volvió pasaron {tardaron:.3f} s (en el reloj virtual de explorar), "
        f"{tardaron / PAUSA:.0f} pausas de 0,005 s. Con trabajo en la lista, el ejecutor "
        f"no para entre uno y otro. {causa}"
    )


@con_todos_los_ordenes("Pool(1) con un trabajo que lanza ValueError", planes=10)
def test_con_todos_los_ordenes_un_trabajo_que_lanza_mata_a_su_ejecutor():
    arrancar_enviar_y_detener(pool.Pool(1), [trabajo_que_falla])
    muertos = [nombre for nombre, error in hilos_muertos() if isinstance(error, ValueError)]
    assert muertos == ["ejecutor1"], (
        "Un trabajo lanzó ValueError y ejecutor1 no murió: alguien se tragó el error. En "
        "el 03 el pool es el de los apuntes y no captura nada (por eso detener() mira si "
        "queda algún ejecutor vivo). ¿Capturas las excepciones en _una_vuelta o en "
        "_trabajar (try/except)? Así el fallo no lo ve nadie; tratarlo bien es el módulo 04."
    )


# 60 planes: los casos casi bien de aquí caen en el plan 1 o el 2.
@con_todos_los_ordenes("Tres remitentes a la vez", planes=60)
def test_con_todos_los_ordenes_varios_remitentes_a_la_vez():
    apuntados = []
    un_pool = arrancar_enviar_y_detener(
        pool.Pool(2),
        trabajos_que_apuntan(2, apuntados),
        otros_remitentes={
            f"remitente{desde}": trabajos_que_apuntan(2, apuntados, desde) for desde in (10, 20)
        },
    )
    veces = collections.Counter(apuntados)
    enviados = [0, 1, 10, 11, 20, 21]
    repetidos = sorted(n for n, cuantas in veces.items() if cuantas > 1)
    assert not repetidos, f"Con tres remitentes, {repetidos} se ejecutaron dos veces"
    faltan = los_que_faltan(enviados, veces)
    assert not faltan, (
        f"Tres hilos enviaron a la vez {enviados} y, con algún ejecutor vivo, "
        f"{faltan} no se ejecutaron: ¿se pierde un trabajo al apuntarlo?"
    )
    lanza(
        RuntimeError,
        "enviar() con el pool ya detenido",
        lambda: un_pool.enviar(lambda: None),
        "detener() deja una marca (self._parar) que enviar debe mirar.",
    )


# --- Paso 5: la carrera (cuaderno: 5) ---------------------------------------------------------


def test_el_gancho_se_llama_entre_comprobar_y_sacar():
    un_pool = crear_pool(1)  # sin arrancar: damos las vueltas a mano
    en_el_gancho = []
    un_pool._entre_comprobar_y_sacar = lambda: en_el_gancho.append(len(un_pool.trabajos_pendientes))
    ejecutados = []
    un_pool.enviar(lambda: ejecutados.append(1))
    un_pool._una_vuelta()
    if not en_el_gancho:
        visto = "No se llamó al gancho."
    elif len(en_el_gancho) > 1:
        visto = f"Se llamó al gancho {len(en_el_gancho)} veces en una sola vuelta."
    else:
        visto = f"Cuando se llamó al gancho, la lista tenía {en_el_gancho[0]} trabajos, no 1."
    assert en_el_gancho == [1], (
        "_una_vuelta() debe llamar a self._entre_comprobar_y_sacar() después de comprobar que "
        f"hay trabajo y antes del pop(0): ahí el trabajo sigue en la lista. {visto}"
    )
    assert ejecutados == [1], (
        f"Tras el gancho, _una_vuelta() debe sacar el trabajo y ejecutarlo; ejecutados: {ejecutados}"
    )
    un_pool._una_vuelta()
    assert en_el_gancho == [1], "Con la lista vacía no se llega al gancho: no hay nada que sacar"


def gancho_fuera_de_sitio():
    """Si el gancho de _una_vuelta no está entre comprobar y sacar, lo explica (si no, "")."""
    un_pool = crear_pool(1)
    vista = []
    un_pool._entre_comprobar_y_sacar = lambda: vista.append(len(un_pool.trabajos_pendientes))
    un_pool.enviar(lambda: None)
    try:
        un_pool._una_vuelta()
    except Exception:
        return ""
    if vista == [1]:
        return ""
    return (
        "Tu _una_vuelta() no llama al gancho entre comprobar que hay trabajo y el pop(0) "
        f"(desde el gancho, la lista medía {vista}): así el segundo hilo no llega nunca a la "
        "barrera, y el primero se queda esperándolo. Arregla antes "
        "test_el_gancho_se_llama_entre_comprobar_y_sacar."
    )


def vuelve_antes_de_acabar():
    """¿Vuelve provocar_carrera antes de que acabe el trabajo que ejecutan sus hilos (sin join)?

    Sin relojes: el trabajo no acaba hasta que la prueba lo suelta, y la prueba solo lo suelta
    cuando provocar_carrera ha vuelto. Si vuelve, no esperó (join) a sus hilos. Si espera,
    el trabajo se suelta solo a los 0,5 s (y esto solo se pregunta cuando la prueba ya falla).
    """
    soltar, acabado = threading.Event(), threading.Event()

    def trabajo():
        soltar.wait(0.5)
        acabado.set()

    def llamar():
        carrera.provocar_carrera(trabajo)
        acabado_al_volver = acabado.is_set()
        soltar.set()
        return acabado_al_volver

    try:
        acabado_al_volver = con_limite(LIMITE, llamar, que="provocar_carrera()")
    except (Exception, pytest.fail.Exception):
        return False
    finally:
        soltar.set()
    return not acabado_al_volver and acabado.wait(1)


def test_la_carrera_se_provoca_100_veces_de_100():
    ejecuciones = []
    antes = hilos_vivos()
    gancho_mal = gancho_fuera_de_sitio()
    for intento in range(1, 101):
        error = con_limite(
            LIMITE,
            carrera.provocar_carrera,
            lambda: ejecuciones.append(1),
            que=f"provocar_carrera() (intento {intento})",
            pista=gancho_mal or None,
        )
        if not isinstance(error, IndexError):
            causa = gancho_mal or (
                "¿Cambias el gancho del pool por una Barrier(2) y capturas el IndexError en "
                "cada hilo? Y si lo capturas dentro de una función anidada, guárdalo en una "
                "lista (errores.append(error)): «error = e» ahí dentro solo crea una variable "
                "local de esa función, y fuera sigue valiendo None."
            )
            sueltos = sorted(
                hilo.name for hilo in hilos_vivos() - antes if hilo.name.startswith("ejecutor")
            )
            if not gancho_mal and sueltos:
                causa = (
                    f"provocar_carrera() dejó en marcha {sueltos}: ¿arrancas el pool "
                    "(pool.arrancar())? En la carrera el pool no se arranca, o sus ejecutores "
                    "también se ponen a sacar el trabajo. Los dos que compiten son hilo1 e "
                    "hilo2, que creas tú, y dan una vuelta cada uno."
                )
            elif not gancho_mal and vuelve_antes_de_acabar():
                causa = (
                    "Vuelve con sus hilos aún en marcha: espera a hilo1 y hilo2 con join() "
                    "antes de mirar si a alguno le saltó el IndexError."
                )
            pytest.fail(
                f"En el intento {intento}, provocar_carrera() devolvió {error!r} en vez del "
                f"IndexError del hilo que llega tarde al pop(0). {causa}",
                pytrace=False,
            )
        assert len(ejecuciones) == intento, (
            f"En cada carrera, el trabajo lo ejecuta exactamente un hilo (hilo1: TRABAJO1); "
            f"tras {intento} carreras se ha ejecutado {len(ejecuciones)} veces"
        )
    assert "pop" in str(error), f"El IndexError debería venir del pop(0); dice: «{error}»"
    comprobar_que_no_quedan_hilos(antes, que="Tras provocar la carrera")


def test_con_todos_los_ordenes_la_carrera_la_puede_perder_cualquiera():
    provocar_carrera = carrera.provocar_carrera

    def escenario():
        error = provocar_carrera()
        sin_capturar = [nombre for nombre, e in hilos_muertos() if isinstance(e, IndexError)]
        assert not sin_capturar, (
            f"En este orden, el pop(0) tardío le tocó a {sin_capturar[0]} y su IndexError no lo "
            "capturó nadie: mató al hilo, y provocar_carrera() devolvió "
            f"{error!r}. La carrera la puede perder cualquiera de los dos: ¿solo hilo1 "
            "captura el IndexError? Los dos hilos deben dar su vuelta con la misma función, "
            "la que captura el error y lo guarda."
        )
        assert isinstance(error, IndexError), (
            f"provocar_carrera() devolvió {error!r} en vez del IndexError del hilo que llega "
            "tarde al pop(0)."
        )

    explorar(
        escenario,
        que="provocar_carrera(), con todos los órdenes de hilo1 e hilo2",
        planes=30,
    )
