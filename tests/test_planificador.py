"""Pruebas del planificador (taller.planificador): con pools de juguete, no con el código del
alumno; y, marcadas `lento`, las soluciones de referencia de 03, 04, 05 y el pool del 06
bajo 1000 planes cada una.

Los pools de juguete se escriben en ficheros temporales: sus líneas son los puntos de
planificación (`ficheros=`), como lo serían las del pool.py del alumno.
"""

from __future__ import annotations

import concurrent.futures.thread
import importlib
import importlib.util
import itertools
import queue
import textwrap
import threading
import time
from pathlib import Path

import pytest

from taller import planificador
from taller.modulos import Modulo
from taller.planificador import explorar, hilos_muertos

RAIZ = Path(__file__).resolve().parent.parent
_contador = itertools.count()


@pytest.fixture
def juguete(tmp_path):
    """Escribe un módulo de juguete en un fichero temporal y lo importa: (módulo, ruta)."""

    def escribir(codigo: str):
        nombre = f"juguete_{next(_contador)}"
        ruta = tmp_path / f"{nombre}.py"
        ruta.write_text(textwrap.dedent(codigo), encoding="utf-8")
        spec = importlib.util.spec_from_file_location(nombre, ruta)
        modulo = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(modulo)
        return modulo, ruta

    return escribir


def fallo_de(escenario, **opciones) -> str:
    """Explora y devuelve el mensaje con el que falla (la prueba falla si no falla)."""
    with pytest.raises(pytest.fail.Exception) as info:
        explorar(escenario, **opciones)
    return str(info.value)


def filas_de(mensaje: str) -> list[tuple[str, str]]:
    """La línea de tiempo del mensaje, como (hilo, texto); el nombre vacío es «el de arriba»."""
    filas, hilo = [], ""
    for linea in mensaje.splitlines():
        if " | " not in linea or not linea.startswith("    "):
            continue
        nombre, texto = linea.strip().split(" | ", 1) if linea.strip()[0] != "|" else ("", "")
        if linea.strip().startswith("|"):
            texto = linea.strip()[1:].strip()
        hilo = nombre.strip() or hilo
        filas.append((hilo, texto.strip()))
    return filas


POOL_DE_LOS_APUNTES = """
    import threading

    class Pool:
        def __init__(self):
            self.trabajos_pendientes = []

        def una_vuelta(self):
            if len(self.trabajos_pendientes) > 0:
                self.trabajos_pendientes.pop(0)()
"""

POOL_ARREGLADO = """
    import threading

    class Pool:
        def __init__(self):
            self.trabajos_pendientes = []
            self.testigo = threading.Semaphore()

        def una_vuelta(self):
            with self.testigo:
                if len(self.trabajos_pendientes) > 0:
                    trabajo = self.trabajos_pendientes.pop(0)
                else:
                    trabajo = None
            if trabajo is not None:
                trabajo()
"""


def dos_ejecutores_y_un_trabajo(modulo):
    """El escenario de los apuntes: un trabajo, y hilo1 e hilo2 dan una vuelta cada uno."""

    def escenario():
        pool = modulo.Pool()
        hechos = []
        pool.trabajos_pendientes.append(lambda: hechos.append("TRABAJO1"))
        hilos = [threading.Thread(target=pool.una_vuelta, name=f"hilo{n}") for n in (1, 2)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()
        muertos = hilos_muertos()
        assert not muertos, f"murió un ejecutor: {muertos}"
        assert hechos == ["TRABAJO1"], f"se esperaba TRABAJO1 una vez; se hizo {hechos}"

    return escenario


# --- La carrera de los apuntes, sin gancho ni Barrier -------------------------------------


def test_encuentra_la_carrera_de_los_apuntes_sin_gancho_ni_barrera(juguete):
    modulo, ruta = juguete(POOL_DE_LOS_APUNTES)
    mensaje = fallo_de(
        dos_ejecutores_y_un_trabajo(modulo), que="La carrera", planes=200, ficheros=[ruta]
    )
    assert mensaje.startswith("La carrera: murió un ejecutor"), mensaje
    assert "IndexError" in mensaje and "Lo encontré en el plan" in mensaje, mensaje
    filas = filas_de(mensaje)
    comprueba = [h for h, texto in filas if "if len(self.trabajos_pendientes) > 0:" in texto]
    saca = [h for h, texto in filas if "self.trabajos_pendientes.pop(0)()" in texto]
    assert sorted(comprueba) == ["hilo1", "hilo2"] and sorted(saca) == ["hilo1", "hilo2"], filas
    # Los dos comprueban antes de que ninguno saque: la carrera, en la línea de tiempo.
    primera_saca = min(i for i, (_, texto) in enumerate(filas) if "pop(0)" in texto)
    ultima_comprueba = max(i for i, (_, texto) in enumerate(filas) if "if len(" in texto)
    assert ultima_comprueba < primera_saca, mensaje
    assert any("muere con IndexError" in texto for _, texto in filas), mensaje


@pytest.mark.lento
def test_el_pool_arreglado_aguanta_1000_planes(juguete):
    modulo, ruta = juguete(POOL_ARREGLADO)
    resultado = explorar(
        dos_ejecutores_y_un_trabajo(modulo), que="El arreglado", planes=1000, ficheros=[ruta]
    )
    assert resultado.planes == 1000, resultado
    assert resultado.distintos > 50, f"apenas explora órdenes distintos: {resultado}"


def test_un_hilo_que_muere_no_hace_fallar_el_plan_por_si_solo(juguete):
    modulo, ruta = juguete(POOL_DE_LOS_APUNTES)

    def escenario():
        pool = modulo.Pool()
        pool.trabajos_pendientes.append(lambda: None)
        hilos = [threading.Thread(target=pool.una_vuelta) for _ in range(2)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()
        assert pool.trabajos_pendientes == []

    resultado = explorar(escenario, que="Sin mirar las muertes", planes=100, ficheros=[ruta])
    assert resultado.planes == 100


# --- Bloqueos, bucles y el reloj virtual ---------------------------------------------------

CERROJOS_CRUZADOS = """
    import threading

    a = None
    b = None

    def uno():
        with a:
            with b:
                pass

    def dos():
        with b:
            with a:
                pass
"""


def test_un_bloqueo_se_informa_con_quien_espera_que(juguete):
    modulo, ruta = juguete(CERROJOS_CRUZADOS)

    def escenario():
        modulo.a, modulo.b = threading.Lock(), threading.Lock()
        hilos = [threading.Thread(target=f, name=f.__name__) for f in (modulo.uno, modulo.dos)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()

    mensaje = fallo_de(escenario, que="Cerrojos cruzados", planes=200, ficheros=[ruta])
    primera = mensaje.splitlines()[0]
    assert primera.startswith("Cerrojos cruzados: se queda bloqueado"), mensaje
    assert f"uno espera en Lock.acquire ({ruta.name}:9  with b:)" in mensaje, mensaje
    assert f"dos espera en Lock.acquire ({ruta.name}:14  with a:)" in mensaje, mensaje
    assert "principal espera en Thread.join" in mensaje, mensaje


def test_un_bloqueo_en_un_semaforo_dice_semaphore_acquire(juguete):
    modulo, ruta = juguete(
        """
        def esperar(semaforo):
            semaforo.acquire()
        """
    )

    def escenario():
        semaforo = threading.Semaphore(0)
        hilo = threading.Thread(target=modulo.esperar, args=(semaforo,), name="ejecutor1")
        hilo.start()
        hilo.join()

    mensaje = fallo_de(escenario, que="Semáforo", planes=1, ficheros=[ruta])
    assert f"ejecutor1 espera en Semaphore.acquire ({ruta.name}:3" in mensaje, mensaje


def test_un_bucle_que_gira_sin_dormir_no_termina(juguete):
    modulo, ruta = juguete(
        """
        def girar(hecho):
            while not hecho:
                pass
        """
    )

    def escenario():
        hilo = threading.Thread(target=modulo.girar, args=([],), name="girador")
        hilo.start()
        hilo.join()

    mensaje = fallo_de(escenario, que="Gira", planes=5, ficheros=[ruta], pasos_max=2000)
    assert mensaje.startswith("Gira: no termina: tras 2000 pasos"), mensaje
    assert f"girador ({ruta.name}:" in mensaje, mensaje
    assert "se repite" in mensaje, f"las vueltas del bucle deberían resumirse: {mensaje}"


def test_un_sleep_de_1000_segundos_no_espera_1000_segundos(juguete):
    modulo, ruta = juguete(
        """
        import time

        def dormir():
            antes = time.monotonic()
            time.sleep(1000)
            return time.monotonic() - antes
        """
    )
    medidas = []

    def escenario():
        medidas.append(modulo.dormir())
        evento = threading.Event()
        assert evento.wait(timeout=500) is False, "nadie pone el Event: wait devuelve False"

    inicio = time.monotonic()
    explorar(escenario, que="Dormir", planes=3, ficheros=[ruta])
    assert time.monotonic() - inicio < 60, "el reloj virtual no debería esperar de verdad"
    assert medidas == [1000.0] * 3, f"el reloj virtual debería avanzar 1000 s: {medidas}"


def test_un_timeout_pendiente_no_es_un_bloqueo(juguete):
    modulo, ruta = juguete(
        """
        import threading

        def esperar_con_plazo(cerrojo):
            return cerrojo.acquire(timeout=2)
        """
    )

    def escenario():
        cerrojo = threading.Lock()
        cerrojo.acquire()
        resultado = []
        hilo = threading.Thread(target=lambda: resultado.append(modulo.esperar_con_plazo(cerrojo)))
        hilo.start()
        hilo.join()
        assert resultado == [False], resultado

    explorar(escenario, que="Plazo", planes=20, ficheros=[ruta])


@pytest.mark.lento
def test_un_hilo_atascado_fuera_del_planificador_se_informa(juguete, monkeypatch):
    monkeypatch.setattr(planificador, "ESPERA_REAL", 0.5)
    real = threading.Lock()  # creado antes de explorar: no es cooperativo
    real.acquire()
    modulo, ruta = juguete(
        """
        def atascarse(cerrojo):
            cerrojo.acquire()
        """
    )

    def escenario():
        modulo.atascarse(real)

    try:
        mensaje = fallo_de(escenario, que="Atasco", planes=1, ficheros=[ruta])
    finally:
        real.release()
    assert "sin volver al planificador" in mensaje, mensaje
    assert f"({ruta.name}:3  cerrojo.acquire())" in mensaje, mensaje


# --- Determinismo, limpieza y parches ------------------------------------------------------


def test_misma_semilla_mismos_planes_y_otra_semilla_otros(juguete):
    modulo, ruta = juguete(POOL_ARREGLADO)
    escenario = dos_ejecutores_y_un_trabajo(modulo)
    una = explorar(escenario, que="Una", planes=60, semilla=7, ficheros=[ruta])
    otra = explorar(escenario, que="Otra", planes=60, semilla=7, ficheros=[ruta])
    distinta = explorar(escenario, que="Distinta", planes=60, semilla=8, ficheros=[ruta])
    assert una.huella == otra.huella, f"misma semilla, planes distintos: {una} / {otra}"
    assert una.huella != distinta.huella, "otra semilla debería dar otros planes"


def test_el_fallo_sale_siempre_en_el_mismo_plan(juguete):
    modulo, ruta = juguete(POOL_DE_LOS_APUNTES)
    mensajes = {
        fallo_de(dos_ejecutores_y_un_trabajo(modulo), que="C", planes=200, ficheros=[ruta])
        for _ in range(3)
    }
    assert len(mensajes) == 1, f"el mismo fallo debería salir igual: {mensajes}"


def parches_actuales():
    return {
        "Lock": threading.Lock,
        "RLock": threading.RLock,
        "_allocate_lock": threading._allocate_lock,
        "start": threading.Thread.start,
        "join": threading.Thread.join,
        "is_alive": threading.Thread.is_alive,
        "SimpleQueue": queue.SimpleQueue,
        "sleep": time.sleep,
        "monotonic": time.monotonic,
        "time": time.time,
        "_time": threading._time,
        "shutdown_lock": concurrent.futures.thread._global_shutdown_lock,
    }


ORIGINALES = parches_actuales()


@pytest.mark.parametrize("como", ["bien", "lanza", "bloqueo"])
def test_no_queda_ningun_hilo_y_los_parches_se_restauran(juguete, como):
    modulo, ruta = juguete(CERROJOS_CRUZADOS)
    antes = set(threading.enumerate())

    def escenario():
        modulo.a, modulo.b = threading.Lock(), threading.Lock()
        hilo = threading.Thread(target=modulo.uno)
        hilo.start()
        if como == "bloqueo":
            threading.Thread(target=modulo.dos).start()
            threading.Event().wait()
        hilo.join()
        if como == "lanza":
            raise ValueError("a propósito")

    if como == "bien":
        explorar(escenario, que="Bien", planes=50, ficheros=[ruta])
    else:
        mensaje = fallo_de(escenario, que="Mal", planes=50, ficheros=[ruta])
        assert ("ValueError" in mensaje) == (como == "lanza"), mensaje
    assert parches_actuales() == ORIGINALES, "explorar debe deshacer todos sus parches"
    quedan = [h.name for h in set(threading.enumerate()) - antes]
    assert not quedan, f"tras explorar quedan hilos vivos: {quedan}"


def test_explorar_no_se_puede_anidar():
    def escenario():
        explorar(lambda: None, que="Dentro", planes=1, ficheros=[])

    mensaje = fallo_de(escenario, que="Fuera", planes=1, ficheros=[])
    assert "no se puede anidar" in mensaje, mensaje


# --- Lo que usan los módulos: ThreadPoolExecutor y queue.Queue -----------------------------


def test_threadpoolexecutor_funciona_bajo_el_planificador(juguete):
    modulo, ruta = juguete(
        """
        import time

        def doble(n):
            time.sleep(0.01)
            return 2 * n
        """
    )

    def escenario():
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            resultados = list(pool.map(modulo.doble, range(6)))
            futuro = pool.submit(modulo.doble, 10)
            assert futuro.result(timeout=5) == 20
        assert resultados == [0, 2, 4, 6, 8, 10], resultados

    resultado = explorar(escenario, que="ThreadPoolExecutor", planes=100, ficheros=[ruta])
    assert resultado.distintos > 10, resultado


def test_queue_queue_funciona_bajo_el_planificador(juguete):
    modulo, ruta = juguete(
        """
        def consumir(cola, salida):
            while (dato := cola.get()) is not None:
                salida.append(dato)
                cola.task_done()
            cola.task_done()
        """
    )

    def escenario():
        cola = queue.Queue(maxsize=2)
        salida = []
        hilo = threading.Thread(target=modulo.consumir, args=(cola, salida))
        hilo.start()
        for dato in range(5):
            cola.put(dato)
        cola.put(None)
        cola.join()
        hilo.join()
        assert salida == list(range(5)), salida
        with pytest.raises(queue.Empty):
            cola.get(timeout=3)

    explorar(escenario, que="queue.Queue", planes=100, ficheros=[ruta])


# --- Las soluciones de referencia aguantan 1000 planes --------------------------------------


def mil_planes(prueba):
    """Las pruebas de 1000 planes sobre una solución: lentas (fuera de la pasada rápida) y con
    un límite holgado, de 180 s, para una máquina cargada."""
    return pytest.mark.lento(pytest.mark.timeout(180)(prueba))


def cargar_solucion(numero: str, nombre: str):
    """soluciones/NN/nombre.py, sin pisar otros módulos con el mismo nombre (pool.py)."""
    return Modulo(numero, RAIZ).importar(nombre)


def soluciones(numero: str) -> list[Path]:
    return [Modulo(numero, RAIZ).solucion]


def tres_trabajos_y_detener(un_pool):
    """Arranca un pool del 03, le envía tres trabajos que apuntan su número y lo detiene:
    devuelve el pool y los números apuntados, en el orden en que se hicieron."""
    un_pool.arrancar()
    hechos = []
    for n in range(3):
        un_pool.enviar(lambda n=n: hechos.append(n))
    un_pool.detener()
    return un_pool, hechos


@mil_planes
def test_la_solucion_03_aguanta_1000_planes():
    pool = cargar_solucion("03", "pool")
    carrera = cargar_solucion("03", "carrera")

    def escenario():
        un_pool, hechos = tres_trabajos_y_detener(pool.Pool(2))
        vivos = [e.name for e in un_pool.ejecutores if e.is_alive()]
        assert not vivos, f"detener() deja vivos: {vivos}"
        assert len(hechos) == len(set(hechos)), f"un trabajo se hizo dos veces: {hechos}"
        muertos = [n for n, _ in hilos_muertos() if n.startswith("ejecutor")]
        if len(muertos) < 2:
            assert sorted(hechos) == [0, 1, 2], f"quedaba un ejecutor y faltan: {hechos}"

    def fifo():
        _, hechos = tres_trabajos_y_detener(pool.Pool(1))
        assert hechos == [0, 1, 2], f"Pool(1) debería ser FIFO: {hechos}"

    def la_carrera():
        assert isinstance(carrera.provocar_carrera(), IndexError), "la barrera provoca la carrera"

    explorar(escenario, que="03", planes=1000, ficheros=soluciones("03"))
    explorar(fifo, que="03 FIFO", planes=1000, ficheros=soluciones("03"))
    explorar(la_carrera, que="03 carrera", planes=200, ficheros=soluciones("03"))


def enviar_desde_dos_hilos_y_detener(un_pool, ademas=None) -> None:
    """Este hilo y otro («remitente») envían dos trabajos cada uno a un pool del 04 (y este,
    luego, `ademas`, si se da) y lo detienen con el otro todavía enviando: es la carrera entre
    enviar() y detener() que buscan los planes. Cada trabajo se hace una vez o se rechaza."""
    hechos, rechazados = [], []

    def remitente(desde):
        for n in range(desde, desde + 2):
            try:
                un_pool.enviar(lambda n=n: hechos.append(n))
            except RuntimeError:
                rechazados.append(n)

    otro = threading.Thread(target=remitente, args=(10,), name="remitente")
    otro.start()
    remitente(0)
    if ademas is not None:
        un_pool.enviar(ademas)
    un_pool.detener()
    otro.join()
    assert sorted(hechos + rechazados) == [0, 1, 10, 11], (
        f"cada trabajo se hace una vez o se rechaza: hechos {hechos}, rechazados {rechazados}"
    )


@mil_planes
def test_la_solucion_04_aguanta_1000_planes():
    pool = cargar_solucion("04", "pool")

    def escenario():
        un_pool = pool.Pool(2).arrancar()
        enviar_desde_dos_hilos_y_detener(un_pool, ademas=lambda: 1 / 0)
        vivos = [h.name for h in (un_pool._repartidor, *un_pool.ejecutores) if h.is_alive()]
        assert not vivos, f"detener() deja vivos: {vivos}"
        assert not hilos_muertos(), f"un trabajo que lanza no mata a su ejecutor: {hilos_muertos()}"
        assert [type(e.error) for e in un_pool.errores] == [ZeroDivisionError], un_pool.errores

    explorar(escenario, que="04", planes=1000, ficheros=soluciones("04"))


@mil_planes
def test_la_solucion_05_aguanta_1000_planes():
    pool = cargar_solucion("05", "pool")
    promesa = cargar_solucion("05", "promesa")

    def escenario():
        llamadas = []
        with pool.Pool(2) as un_pool:
            buena = un_pool.enviar(lambda: 42)
            mala = un_pool.enviar(lambda: 1 / 0)
            buena.al_resolverse(lambda p: llamadas.append(p.valor()))
            assert buena.valor(timeout=5) == 42
            assert isinstance(mala.error(timeout=5), ZeroDivisionError)
        assert llamadas == [42], f"el callback se llama una vez: {llamadas}"

    def dos_resuelven():
        una = promesa.Promesa()
        errores = []

        def resolver(valor):
            try:
                una.resolver(valor)
            except promesa.PromesaYaResuelta:
                errores.append(valor)

        vistos = []
        una.al_resolverse(lambda p: vistos.append(p.valor()))
        hilos = [threading.Thread(target=resolver, args=(v,)) for v in (1, 2)]
        for hilo in hilos:
            hilo.start()
        assert una.valor(timeout=5) in (1, 2)
        for hilo in hilos:
            hilo.join()
        assert len(errores) == 1 and vistos == [una.valor()], (errores, vistos)

    explorar(escenario, que="05", planes=1000, ficheros=soluciones("05"))
    explorar(dos_resuelven, que="05 dos", planes=1000, ficheros=soluciones("05"))


@mil_planes
def test_el_pool_de_la_solucion_06_aguanta_1000_planes(monkeypatch):
    procesos = cargar_solucion("06", "procesos")
    a_la_vez, maximo = [0], [0]

    def ejecutar_de_mentira(argumentos, timeout):
        a_la_vez[0] += 1
        maximo[0] = max(maximo[0], a_la_vez[0])
        time.sleep(0.01)  # un punto de planificación en medio del «proceso»
        a_la_vez[0] -= 1
        return procesos.Resultado(argumentos, 0, " ".join(argumentos), "", 0.01)

    monkeypatch.setattr(procesos, "ejecutar", ejecutar_de_mentira)
    listas = [["eco", str(n)] for n in range(5)]

    def escenario():
        maximo[0] = 0
        resultados = procesos.ejecutar_en_paralelo(listas, max_procesos=2)
        assert [r.salida for r in resultados] == [f"eco {n}" for n in range(5)], resultados
        assert maximo[0] <= 2, f"más de 2 procesos a la vez: {maximo[0]}"

    explorar(escenario, que="06", planes=1000, ficheros=soluciones("06"))


# --- Los fallos del issue en el 04, sobre copias de la solución --------------------------

FALLOS_DEL_04 = {
    "enviar mira _detenido antes de coger el testigo": (
        """        with self.testigo:
            if self._detenido:
                raise RuntimeError("El pool ya está detenido: no acepta más trabajos")
            self.trabajos_pendientes.append(trabajo)
""",
        """        if self._detenido:
            raise RuntimeError("El pool ya está detenido: no acepta más trabajos")
        with self.testigo:
            self.trabajos_pendientes.append(trabajo)
""",
        "cada trabajo se hace una vez o se rechaza",
    ),
    "enviar avisa al repartidor antes de apuntar el trabajo": (
        """            self.trabajos_pendientes.append(trabajo)
        self._apuntados.release()
""",
        """        self._apuntados.release()
        with self.testigo:
            self.trabajos_pendientes.append(trabajo)
""",
        "se queda bloqueado",
    ),
}


@pytest.mark.parametrize("fallo", sorted(FALLOS_DEL_04))
def test_encuentra_los_fallos_del_04_que_se_escapaban(fallo, tmp_path):
    antes, despues, se_ve = FALLOS_DEL_04[fallo]
    copia = tmp_path / "04"
    copia.mkdir()
    for fichero in Modulo("04", RAIZ).solucion.glob("*.py"):
        texto = fichero.read_text(encoding="utf-8")
        if fichero.name == "pool.py":
            assert texto.count(antes) == 1, f"soluciones/04/pool.py ha cambiado: {antes}"
            texto = texto.replace(antes, despues)
        (copia / fichero.name).write_text(texto, encoding="utf-8")
    pool = Modulo("04", RAIZ).importar("pool", copia)

    def escenario():
        enviar_desde_dos_hilos_y_detener(pool.Pool(2).arrancar())

    mensaje = fallo_de(escenario, que="04", planes=300, ficheros=[copia])
    assert se_ve in mensaje.splitlines()[0], mensaje
