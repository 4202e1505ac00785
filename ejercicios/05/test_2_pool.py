"""Pruebas del módulo 05, paso 2: el pool del módulo 04, cuyo enviar() devuelve una Promesa
(pool.py).

Es el mismo Pool del 04 (arrancar, detener, with, pool.errores): estas pruebas miran lo nuevo,
que enviar() devuelve la promesa y que el ejecutor la resuelve, y que lo de siempre sigue igual.

Ejecútalas con:  pytest ejercicios/05
"""

import sys
import threading
import time
from pathlib import Path

import pytest

from taller.planificador import explorar
from taller.pruebas import (
    cargar,
    comprobar_que_no_quedan_hilos,
    con_limite,
    hilos_vivos,
    lanza,
    lanza_citando,
)

pool = cargar("pool")
promesa = cargar("promesa")

LIMITE = 5

# Las pruebas «con todos los órdenes» ejecutan un escenario pequeño muchas veces con el
# planificador del taller (taller.planificador.explorar): cada vez, los hilos del pool se
# turnan en otro orden, línea a línea de tu pool.py y promesa.py. Con la misma semilla salen
# siempre los mismos órdenes, y un fallo enseña la línea de tiempo de los hilos.
PLANES = 40
# enviar() a la vez que detener() necesita más: la ventana es una sola línea.
PLANES_DETENER = 60
AVISO_ANTES_DE_APUNTAR = (
    "¿Avisa enviar() al repartidor (_apuntados.release()) antes de apuntar el trabajo? El "
    "repartidor se despierta, no encuentra nada (sacar_con_testigo devuelve None) y pone None "
    "en la bandeja; luego falta un aviso para FIN, y detener() espera para siempre. Apunta "
    "primero y avisa después, como en el módulo 04."
)


class Fallo(Exception):
    """Un error de un trabajo, inventado para las pruebas."""


MUERTO = (
    "_ejecutar debe capturar cualquier error del trabajo (también SystemExit: "
    "`except BaseException`) y rechazar la promesa con él. Si aún no has escrito _ejecutar, "
    "es su NotImplementedError: mira «Captured stderr»."
)


def esperar(una, p, que="valor", pista=MUERTO):
    """una.valor() (o una.error()), esperando como mucho LIMITE segundos.

    Mientras espera, vigila a los ejecutores del pool: si uno muere, la promesa ya no se
    resolverá nunca, y la prueba falla enseguida diciendo por qué (`pista`: la causa
    probable, si la prueba sabe qué trabajo lo ha matado).
    """
    limite = time.monotonic() + LIMITE
    while not una.resuelta() and time.monotonic() < limite:
        muertos = [hilo.name for hilo in p.ejecutores if not hilo.is_alive()]
        if muertos:
            pytest.fail(
                f"El ejecutor «{muertos[0]}» ha muerto y la promesa de su trabajo no se "
                f"resolverá nunca. {pista}",
                pytrace=False,
            )
        time.sleep(0.002)
    return getattr(una, que)(timeout=0)


def detener_sin_esperar(p, segundos=0.5):
    """Tras un fallo, detiene el pool en un hilo daemon: si un ejecutor murió, detener()
    esperaría para siempre, y la prueba ya ha fallado; no hace falta esperar más."""
    parada = threading.Thread(target=p.detener, name="detener-tras-fallo", daemon=True)
    parada.start()
    parada.join(segundos)


def hilos_del_pool_vivos(p):
    """Los nombres de los hilos del pool (repartidor y ejecutores) que siguen vivos."""
    hilos = [p._repartidor, *p.ejecutores]
    return sorted(hilo.name for hilo in hilos if hilo.is_alive())


def ficheros_del_pool():
    """Dónde se turnan los hilos al explorar: tu pool.py y promesa.py, y tu pool del módulo 04,
    del que hereda el de aquí (el testigo, el repartidor y la bandeja están en él)."""
    return [Path(pool.modulo.__file__).parent, Path(pool.pool_del_04.__file__)]


def con_pool(ejecutores, prueba, que):
    """Crea y arranca un pool, ejecuta prueba(p) con límite de tiempo, lo detiene y mira que no
    quedan hilos."""
    antes = hilos_vivos()
    p = pool.Pool(ejecutores, nombre="prueba").arrancar()
    try:
        resultado = con_limite(LIMITE * 2, prueba, p, que=que)
    except BaseException:
        detener_sin_esperar(p)
        raise
    con_limite(LIMITE, p.detener, que=f"detener() el pool tras «{que}»")
    comprobar_que_no_quedan_hilos(antes, que=f"Tras detener el pool ({que})")
    return resultado


# --- Paso 5: enviar() devuelve una Promesa y el ejecutor la resuelve (cuaderno: 2) ------------


def test_enviar_devuelve_una_promesa_con_el_resultado_del_trabajo():
    def prueba(p):
        una = p.enviar(lambda: 6 * 7)
        assert isinstance(una, promesa.Promesa), (
            f"enviar() debería devolver una Promesa (de promesa.py); devolvió {una!r}"
        )
        return esperar(una, p)

    valor = con_pool(2, prueba, que="enviar un trabajo y pedir su valor")
    assert valor == 42, f"La promesa de lambda: 6 * 7 debería valer 42; vale {valor!r}"


def test_enviar_pasa_los_argumentos_al_trabajo():
    def prueba(p):
        una = p.enviar(divmod, 17, 5)
        otra = p.enviar(sorted, [3, 1, 2], reverse=True)
        return esperar(una, p), esperar(otra, p)

    valores = con_pool(2, prueba, que="enviar trabajos con argumentos")
    assert valores == ((3, 2), [3, 2, 1]), (
        "enviar(funcion, *args, **kwargs) debe llamar a funcion(*args, **kwargs): "
        f"enviar(divmod, 17, 5) y enviar(sorted, [3, 1, 2], reverse=True) dieron {valores}"
    )


def test_enviar_vuelve_enseguida_sin_esperar_al_trabajo():
    def prueba(p):
        suelta = threading.Event()
        una = p.enviar(lambda: suelta.wait(LIMITE) and "terminado")
        pendiente = not una.resuelta()
        suelta.set()
        return pendiente, esperar(una, p)

    pendiente, valor = con_pool(
        2,
        prueba,
        que="enviar() de un trabajo que espera a que la prueba lo suelte",
    )
    assert pendiente, (
        "La promesa ya estaba resuelta al volver de enviar(), con el trabajo todavía "
        "bloqueado: enviar() solo apunta el trabajo y devuelve la promesa; lo hace un ejecutor"
    )
    assert valor == "terminado", (
        f"Cuando la prueba suelta el trabajo, su promesa debería valer 'terminado'; vale {valor!r}"
    )


def test_los_ejecutores_trabajan_a_la_vez():
    def prueba(p):
        todos = threading.Barrier(4, timeout=LIMITE)
        quien_envia = threading.current_thread()
        hilos = []

        def trabajo(i):
            hilos.append(threading.current_thread().name)
            if threading.current_thread() is quien_envia:
                todos.abort()  # nadie más llegará a la barrera: que no se espere en balde
            else:
                todos.wait()
            return i

        promesas = [p.enviar(trabajo, i) for i in range(4)]
        errores = [esperar(una, p, "error") for una in promesas]
        valores = [
            una.valor(timeout=0) if error is None else error
            for una, error in zip(promesas, errores, strict=True)
        ]
        return quien_envia.name, hilos, errores, valores

    quien_envia, hilos, errores, valores = con_pool(
        4, prueba, que="cuatro trabajos que se esperan entre sí"
    )
    assert quien_envia not in hilos, (
        f"El trabajo lo ejecutó el hilo que llamó a enviar() («{quien_envia}»): enviar() solo "
        "apunta el trabajo y devuelve la promesa; lo hacen los ejecutores, a la vez. "
        f"Hilos que ejecutaron los trabajos: {sorted(set(hilos))}"
    )
    rotos = [e for e in errores if isinstance(e, threading.BrokenBarrierError)]
    assert not rotos, (
        "Los cuatro trabajos se esperan entre sí (una barrera de 4) y no llegaron a coincidir: "
        "con 4 ejecutores deberían correr los cuatro a la vez, cada uno en su ejecutor. "
        f"Hilos que los ejecutaron: {hilos}"
    )
    assert valores == [0, 1, 2, 3], (
        "Cada promesa debería tener el valor de SU trabajo, en el orden en que se enviaron; "
        f"llegó {valores}"
    )


def test_el_error_del_trabajo_vuelve_al_pedir_el_valor():
    error = Fallo("el servidor web-042 no responde")

    def falla():
        raise error

    def prueba(p):
        una = p.enviar(falla)
        with pytest.raises(Fallo) as capturado:
            esperar(una, p)
            pytest.fail("valor() de un trabajo que lanzó Fallo debería relanzar ese Fallo")
        return capturado.value

    relanzado = con_pool(2, prueba, que="un trabajo que lanza una excepción")
    assert relanzado is error, "valor() debería relanzar la misma excepción que lanzó el trabajo"


def uno_malo_y_otro_bueno(malo, *args, pista=MUERTO):
    """Con un solo ejecutor: un trabajo que falla y otro detrás. Devuelve (error, valor).

    Si el ejecutor muere con el trabajo malo, nadie resolverá ninguna de las dos promesas.
    """
    antes = hilos_vivos()
    p = pool.Pool(1, nombre="solo-uno").arrancar()

    def prueba():
        mala = p.enviar(malo, *args)
        buena = p.enviar(lambda: "sigo vivo")
        return esperar(mala, p, "error", pista), esperar(buena, p, pista=pista)

    try:
        error, valor = con_limite(LIMITE * 3, prueba, que="un trabajo que falla y otro detrás")
    except BaseException:
        detener_sin_esperar(p)
        raise
    if valor != "sigo vivo":
        detener_sin_esperar(p)
    else:
        con_limite(LIMITE, p.detener, que="detener() el pool tras un trabajo que falla")
        comprobar_que_no_quedan_hilos(antes)
    return error, valor


def test_un_trabajo_que_falla_no_mata_a_su_ejecutor():
    def falla():
        raise Fallo("PUF")

    error, valor = uno_malo_y_otro_bueno(falla)
    assert isinstance(error, Fallo) and valor == "sigo vivo", (
        "Con un solo ejecutor, tras un trabajo que lanza una excepción el ejecutor debe seguir "
        "vivo y hacer el siguiente (los apuntes: «ejecutor1: TRABAJO1 PUF!»). Captura el "
        "error en _ejecutar y recházala con él. "
        f"Error de la promesa: {error!r}; valor del siguiente trabajo: {valor!r}"
    )


def test_un_trabajo_que_llama_a_sys_exit_tambien_rechaza_su_promesa():
    error, valor = uno_malo_y_otro_bueno(
        sys.exit,
        3,
        pista="El trabajo llamó a sys.exit(3), que lanza SystemExit: NO es un Exception, así "
        "que `except Exception` no lo captura. Captura BaseException en _ejecutar y rechaza "
        "la promesa con él.",
    )
    assert isinstance(error, SystemExit) and valor == "sigo vivo", (
        "sys.exit() lanza SystemExit, que NO es un Exception: `except Exception` no lo "
        "captura, el ejecutor muere en silencio y la promesa se queda pendiente para "
        "siempre. Captura BaseException en _ejecutar. "
        f"Error de la promesa: {error!r}; valor del siguiente trabajo: {valor!r}"
    )


def test_enviar_a_un_pool_detenido_lanza_runtimeerror_con_su_nombre():
    def prueba():
        p = pool.Pool(1, nombre="correo").arrancar()
        p.detener()
        try:
            p.enviar(print, "demasiado tarde")
        except NotImplementedError:
            raise
        except RuntimeError as error:
            return str(error)
        pytest.fail(
            "enviar() a un pool detenido debería lanzar RuntimeError, y lo aceptó: nadie "
            "ejecutaría ese trabajo y su promesa quedaría pendiente para siempre. Con el testigo "
            "cogido, enviar() mira si el pool ya está detenido antes de apuntar el trabajo."
        )

    antes = hilos_vivos()
    mensaje = con_limite(LIMITE, prueba, que="enviar a un pool detenido")
    assert "correo" in mensaje, f"El mensaje debería nombrar el pool («correo»); dice: «{mensaje}»"
    comprobar_que_no_quedan_hilos(antes)


def test_detener_deja_terminar_lo_enviado_y_no_deja_hilos():
    def prueba(p):
        suelta = threading.Event()
        promesas = [p.enviar(lambda: suelta.wait(LIMITE) and 0)]  # ocupa a un ejecutor...
        promesas += [p.enviar(lambda i=i: i) for i in range(1, 6)]  # ...y estos quedan en cola
        suelta.set()
        return promesas

    promesas = con_pool(2, prueba, que="detener un pool con trabajos pendientes")
    resueltas = [una.resuelta() for una in promesas]
    assert all(resueltas), (
        "Al volver de detener(), todos los trabajos enviados antes deberían estar hechos y sus "
        f"promesas resueltas; resueltas: {resueltas}"
    )
    valores = [una.valor(timeout=0) for una in promesas]
    assert valores == list(range(6)), (
        f"Cada promesa debería valer lo que devolvió su trabajo (0 a 5); valen {valores}"
    )


def test_con_todos_los_ordenes_cada_promesa_se_resuelve_con_el_valor_de_su_trabajo():
    def escenario():
        p = pool.Pool(2, nombre="prueba").arrancar()
        juntos = threading.Barrier(2)  # los dos trabajos acaban a la vez, cada uno en su ejecutor
        promesas = [p.enviar(lambda i=i: (juntos.wait(), i * 10)[1]) for i in range(2)]
        p.detener()
        vivos = hilos_del_pool_vivos(p)
        assert not vivos, f"detener() volvió con hilos del pool aún vivos: {vivos}"
        pendientes = [i for i, una in enumerate(promesas) if not una.resuelta()]
        assert not pendientes, (
            f"Al volver de detener(), las promesas de los trabajos {pendientes} seguían sin "
            "resolver: cada trabajo enviado se hace y resuelve su promesa."
        )
        valores = [una.valor(timeout=0) for una in promesas]
        assert valores == [0, 10], (
            f"Las promesas de los trabajos que devuelven 0 y 10 valen {valores}: cada "
            "promesa debe resolverse con el valor de SU trabajo. ¿Guardas el resultado en un "
            "atributo del pool (self.algo), que comparten todos los ejecutores? Usa una "
            "variable local de _ejecutar."
        )

    explorar(
        escenario,
        que="Dos trabajos que se esperan entre sí en un pool de 2 ejecutores, y detener()",
        planes=PLANES,
        ficheros=ficheros_del_pool(),
        pista=f"{AVISO_ANTES_DE_APUNTAR} ¿Ha muerto algún hilo del pool (mira abajo)? (Los dos "
        "trabajos se esperan en una barrera: corren a la vez, cada uno en su ejecutor.)",
    )


def test_con_todos_los_ordenes_un_trabajo_enviado_mientras_se_detiene_no_se_pierde():
    def escenario():
        p = pool.Pool(1, nombre="prueba").arrancar()
        aceptadas, rechazados, otros = [], [], []

        salida = threading.Barrier(2)  # que remitente y detener() empiecen a la vez

        def remitente():
            salida.wait()
            for i in range(3):
                try:
                    aceptadas.append((i, p.enviar(lambda i=i: i)))
                except NotImplementedError as error:  # es un RuntimeError: no vale como «no»
                    otros.append(error)
                except RuntimeError:
                    rechazados.append(i)

        hilo = threading.Thread(target=remitente, name="remitente")
        hilo.start()
        salida.wait()
        p.detener()
        hilo.join()
        assert not otros, f"enviar() lanzó {otros[0]!r}"
        perdidas = [i for i, una in aceptadas if not una.resuelta()]
        assert not perdidas, (
            f"enviar() aceptó el trabajo {perdidas[0]} a la vez que detener() (no lanzó "
            "RuntimeError), y su promesa se quedó sin resolver para siempre: se apuntó detrás "
            "de FIN. Con el testigo cogido, mira si el pool está detenido Y apunta el "
            "trabajo, sin soltarlo entre medias."
        )
        valores = [(i, una.valor(timeout=0)) for i, una in aceptadas]
        assert all(i == valor for i, valor in valores), (
            f"Cada promesa debe valer lo que devolvió su trabajo; (trabajo, valor): {valores}"
        )

    explorar(
        escenario,
        que="Un hilo envía 3 trabajos mientras otro detiene el pool",
        planes=PLANES_DETENER,
        ficheros=ficheros_del_pool(),
        pista="¿Ha muerto algún hilo del pool (mira abajo)?",
    )


def test_al_resolverse_encadena_un_trabajo_en_otro_pool():
    antes = hilos_vivos()

    def prueba():
        primero = pool.Pool(2, nombre="bd").arrancar()
        segundo = pool.Pool(2, nombre="correo").arrancar()
        encadenadas = []
        try:
            una = primero.enviar(lambda: 20)
            una.al_resolverse(lambda p: encadenadas.append(segundo.enviar(lambda: p.valor() + 1)))
            primero.detener()  # primero el que envía...
            segundo.detener()  # ...después el que recibe
        finally:
            primero.detener()
            segundo.detener()
        return [e.valor(timeout=0) for e in encadenadas]

    valores = con_limite(LIMITE * 2, prueba, que="dos pools encadenados con al_resolverse")
    assert valores == [21], (
        "El callback de la promesa del primer pool debería enviar un trabajo al segundo, "
        f"cuyo valor es 21; llegó {valores}"
    )
    comprobar_que_no_quedan_hilos(antes)


# Lo de siempre, como en el módulo 04: el mismo Pool, con promesas.


def test_el_pool_se_usa_con_with_como_en_el_04():
    def prueba():
        with pool.Pool(2, nombre="with") as p:
            promesas = [p.enviar(pow, 2, n) for n in range(10)]
        return [una.valor(timeout=0) if una.resuelta() else "pendiente" for una in promesas]

    antes = hilos_vivos()
    valores = con_limite(LIMITE, prueba, que="with Pool(2) con 10 trabajos")
    assert valores == [2**n for n in range(10)], (
        "Al salir de «with Pool(2) as p:» (que arranca el pool al entrar y lo detiene al salir, "
        "como en el módulo 04) cada promesa debería estar resuelta con su valor, 2**n; "
        f"llegó {valores}"
    )
    comprobar_que_no_quedan_hilos(antes, que="Al salir del with")


@pytest.mark.parametrize("no_es_un_trabajo", [42, "comprobar", None])
def test_enviar_rechaza_lo_que_no_se_puede_llamar_como_en_el_04(no_es_un_trabajo):
    p = pool.Pool(1, nombre="prueba")  # sin arrancar: no hace falta ningún hilo
    error = lanza_citando(
        TypeError,
        f"enviar({no_es_un_trabajo!r})",
        lambda: p.enviar(no_es_un_trabajo),
        "Como en el módulo 04: un trabajo es algo que se puede llamar; compruébalo con "
        "callable(trabajo) antes de crear la promesa. Si lo apuntas, el ejecutor fallará al "
        "llamarlo, lejos de quien se equivocó.",
        repr(no_es_un_trabajo),
    )
    assert p.trabajos_pendientes == [], (
        f"Un trabajo rechazado no se apunta; trabajos_pendientes quedó {p.trabajos_pendientes!r}"
    )


def test_el_error_de_un_trabajo_se_apunta_y_se_informa_como_en_el_04(capsys):
    error = RuntimeError("PUF!")
    apuntado = threading.Event()

    def TRABAJO1():  # noqa: N802 - el nombre de los apuntes
        apuntado.wait(LIMITE)  # no lanza hasta que la prueba haya apuntado su callback
        raise error

    apuntados_al_rechazar = []

    def prueba(p):
        una = p.enviar(TRABAJO1)
        # El callback corre en el ejecutor, justo al rechazarse la promesa.
        una.al_resolverse(lambda _: apuntados_al_rechazar.append(len(p.errores)))
        apuntado.set()
        return esperar(una, p, "error"), p

    rechazo, p = con_pool(1, prueba, que="un trabajo que lanza, con pool.errores")
    assert rechazo is error, (
        f"La promesa de TRABAJO1 debería estar rechazada con su RuntimeError('PUF!'); tiene {rechazo!r}"
    )
    fallos = [(f.ejecutor, f.trabajo, f.error) for f in p.errores]
    assert fallos == [("prueba-ejecutor1", TRABAJO1, error)], (
        "Como en el módulo 04, el error también se apunta en pool.errores (con _informar, ya "
        "escrito): un ErrorDeTrabajo con el ejecutor («prueba-ejecutor1»), la función que "
        f"lanzó (TRABAJO1) y el error. Hay: {[str(f) for f in p.errores]}"
    )
    salida = capsys.readouterr().err
    assert "prueba-ejecutor1" in salida and "TRABAJO1" in salida and "PUF!" in salida, (
        "Como en el módulo 04, el error se escribe en la salida de errores (lo hace "
        f"_informar); se escribió: «{salida.strip()}»"
    )
    assert apuntados_al_rechazar == [1], (
        "Cuando la promesa se rechaza, el error aún no estaba en pool.errores: llama a "
        "_informar ANTES de rechazar la promesa. Quien ve la promesa rechazada (un callback, "
        "o el hilo que esperaba en valor()) puede mirar pool.errores enseguida y debe "
        "encontrarlo."
    )
