"""`taller comprobar NN`: resumen corto en español, qué leer, y el código de salida de pytest."""

from pathlib import Path

import pytest

from taller.cuaderno import seccion_para, secciones
from taller.ejecucion import Fallo, Resultado, ejecutar_pruebas, ejecutar_varios, resumen
from taller.generador import REMITE_AL_TODO, generar
from taller.modulos import Modulo

pytestmark = [pytest.mark.lento, pytest.mark.timeout(240)]


def test_sobre_el_esqueleto_falla_y_dice_que_leer(juguete, taller_cli):
    antes = juguete.foto()
    proceso = taller_cli(juguete.raiz, "comprobar", "01")
    salida = proceso.stdout
    assert proceso.returncode == 1, "el código de salida debe ser el de pytest (1: fallos)"
    assert "Módulo 01 — Sumas de juguete: pasan 0 de 2 pruebas." in salida
    # cada prueba que falla, con la primera línea de su mensaje
    assert "✘ test_suma_dos_numeros: NotImplementedError: suma: devuelve a + b" in salida
    assert "✘ test_resta_dos_numeros: NotImplementedError: resta: devuelve a - b" in salida
    # y qué leer: la sección del cuaderno que explica la primera, el enunciado, la pista
    assert "notebooks/01_juguete.ipynb, sección «1. Sumar con el operador +»" in salida
    assert "ejercicios/01/README.md" in salida
    assert "taller pista 01" in salida
    assert juguete.foto() == antes, "comprobar no debe tocar el código del alumno"


def test_a_medias_muestra_solo_lo_que_falta(juguete, taller_cli):
    juguete.resolver_a_medias("01")
    proceso = taller_cli(juguete.raiz, "comprobar", "1")
    assert proceso.returncode == 1
    assert "pasan 1 de 2 pruebas" in proceso.stdout
    assert "test_suma" not in proceso.stdout
    assert "sección «2. Restar con el operador -»" in proceso.stdout, proceso.stdout
    assert juguete.estado()["modulos"]["01"]["estado"] == "en curso"


def test_resuelto_sale_con_cero_y_lo_celebra(juguete, taller_cli):
    juguete.resolver("02")
    proceso = taller_cli(juguete.raiz, "comprobar", "ejercicios/02")
    assert proceso.returncode == 0, proceso.stdout
    assert "pasan 2 de 2 pruebas" in proceso.stdout
    assert "¡Todo en verde! Módulo superado." in proceso.stdout


def test_con_soluciones_prueba_la_referencia(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "comprobar", "01", "--soluciones")
    assert proceso.returncode == 0, proceso.stdout
    assert "soluciones/01" in proceso.stdout and "Módulo superado" in proceso.stdout


def test_un_mensaje_largo_sale_entero_y_partido_en_lineas(monkeypatch):
    # El arreglo suele ir al final del mensaje: cortarlo dejaría al alumno sin él.
    monkeypatch.setenv("COLUMNS", "80")
    largo = "Sin timeout, requests espera para siempre a un servidor colgado. " * 4
    mensaje = f"AssertionError: {largo}Arreglo: requests.get(url, timeout=timeout)\nassert False"
    fallos = [Fallo(f"test_sin_timeout[{n}]", mensaje) for n in range(3)]
    fallos += [Fallo(f"test_otra_{n}", "AssertionError: corta") for n in range(6)]
    texto = resumen(Resultado(codigo_salida=1, total=9, fallidas=fallos), "02")
    assert "requests.get(url, timeout=timeout)" in texto
    assert "assert False" not in texto, "solo la primera línea del mensaje"
    assert all(len(linea) <= 80 for linea in texto.splitlines()), texto
    assert "test_sin_timeout (3 casos)" in texto
    assert "… y 2 pruebas más que fallan." in texto  # 3 casos + 6; se muestran 5 líneas (7 pruebas)
    ruta = "/tmp/pytest-of-root/pytest-3/test_crear_entorno_en_una_ruta0/entorno"
    con_ruta = [
        Fallo("test_ruta", f"AssertionError: {'No se pudo crear el entorno en ' * 2}{ruta}")
    ]
    texto_con_ruta = resumen(Resultado(codigo_salida=1, total=1, fallidas=con_ruta), "07")
    assert ruta in texto_con_ruta, "una ruta no se parte al ajustar las líneas (ni por los guiones)"


def test_la_pista_que_solo_esta_en_el_todo_sale_entera_en_el_resumen(juguete):
    # Si la pista no cabe en la línea del raise, el esqueleto la deja solo en su # TODO y el
    # mensaje remite a él; el resumen (que no enseña la traza) la lee de ahí.
    larga = "devuelve a + b " + "sin redondear, " * 6 + "y con el tipo que llegue (int o float)"
    modulo = Modulo("01", juguete.raiz)
    solucion = modulo.solucion / "cuentas.py"
    texto = solucion.read_text(encoding="utf-8").replace("devuelve a + b", larga, 1)
    solucion.write_text(texto, encoding="utf-8")
    generar(modulo)
    assert f"suma: {REMITE_AL_TODO}" in juguete.fichero("01").read_text(encoding="utf-8")
    # --tb=auto (`taller comprobar`) y --tb=line (el cuaderno, varios módulos a la vez)
    for como, resultado in (
        ("ejecutar_pruebas", ejecutar_pruebas(modulo)),
        ("ejecutar_varios", ejecutar_varios([modulo])["01"]),
    ):
        mensajes = {f.prueba: f.mensaje for f in resultado.fallidas}
        assert mensajes.get("test_suma_dos_numeros") == f"NotImplementedError: suma: {larga}", (
            f"Con {como}, el mensaje debería llevar la pista del # TODO; llegó {mensajes}"
        )
        corta = mensajes.get("test_resta_dos_numeros")
        assert corta == "NotImplementedError: resta: devuelve a - b", (
            f"Con {como}, una pista que cabe en el raise va tal cual; llegó {corta!r}"
        )


def test_sin_numero_comprueba_el_primer_modulo_sin_superar(juguete, taller_cli):
    juguete.resolver("01")
    assert taller_cli(juguete.raiz, "comprobar", "01").returncode == 0
    proceso = taller_cli(juguete.raiz, "comprobar")
    assert proceso.returncode == 1
    assert "Módulo 02 — Restas de juguete: pasan 0 de 2 pruebas." in proceso.stdout


def test_la_cabecera_del_paso_manda_sobre_lo_que_se_adivina(juguete, taller_cli):
    pruebas = juguete.raiz / "ejercicios" / "01" / "test_cuentas.py"
    texto = pruebas.read_text(encoding="utf-8")
    cabecera = "# --- Paso 1: la suma (cuaderno: 2, 3) ---\n\n\n"
    pruebas.write_text(texto.replace("def test_suma", cabecera + "def test_suma"), "utf-8")
    proceso = taller_cli(juguete.raiz, "comprobar", "01")
    assert "secciones «2. Restar con el operador -» y «3. El ejercicio»" in proceso.stdout, (
        proceso.stdout
    )
    assert "ejercicios/01/README.md, paso 1: la suma" in proceso.stdout


def test_un_modulo_que_no_existe_se_explica(juguete, taller_cli):
    proceso = taller_cli(juguete.raiz, "comprobar", "7")
    assert proceso.returncode == 2
    assert "No existe el módulo 07. Módulos disponibles: 01, 02." in proceso.stderr
    assert "Traceback" not in proceso.stderr


def test_la_seccion_del_cuaderno_sale_del_nombre_de_la_prueba(juguete):
    todas = secciones(juguete.raiz / "notebooks" / "01_juguete.ipynb")
    assert [s.titulo for s in todas] == [
        "1. Sumar con el operador +",
        "2. Restar con el operador -",
        "3. El ejercicio",
        "Resumen",
    ]
    assert seccion_para("test_resta_dos_numeros", "", todas).titulo.startswith("2.")
    # si el nombre no dice nada, manda el mensaje; si tampoco, la sección del ejercicio
    assert seccion_para("test_x[1]", "la suma falla", todas).titulo.startswith("1.")
    assert seccion_para("test_x", "nada que ver", todas).titulo == "3. El ejercicio"


def test_en_el_taller_real_el_esqueleto_del_01_falla(raiz, taller_cli, tmp_path):
    proceso = taller_cli(raiz, "comprobar", "01", TALLER_ESTADO=str(tmp_path / "e.json"))
    assert proceso.returncode == 1, proceso.stdout
    assert "Módulo 01" in proceso.stdout and "Las primeras que fallan" in proceso.stdout
    cuaderno = Path("notebooks") / "01_orientacion_a_objetos.ipynb"
    assert f"el cuaderno {cuaderno}, sección «" in proceso.stdout


def test_en_el_taller_real_la_solucion_del_01_pasa(raiz, taller_cli, tmp_path):
    proceso = taller_cli(
        raiz, "comprobar", "01", "--soluciones", TALLER_ESTADO=str(tmp_path / "e.json")
    )
    assert proceso.returncode == 0, proceso.stdout
    assert "¡Todo en verde!" in proceso.stdout


def test_si_las_pruebas_tardan_avisa_una_vez_de_que_sigue(juguete, monkeypatch, tmp_path):
    # Un hilo que no para hace que cada prueba espere su límite: sin aviso, solo hay silencio.
    # Sin relojes: las pruebas de juguete esperan al fichero «sigue», que crea el propio aviso.
    from taller import ejecucion
    from taller.modulos import buscar_modulo

    modulo = buscar_modulo("01", juguete.raiz)
    semaforo = tmp_path / "sigue"
    monkeypatch.setenv("TALLER_JUGUETE_SEMAFORO", str(semaforo))
    avisos = []

    def avisar():
        avisos.append("sigue")
        semaforo.touch()

    monkeypatch.setattr(ejecucion, "AVISO_SI_TARDA", 0.05)
    ejecucion.ejecutar_pruebas(modulo, si_tarda=avisar)
    assert avisos == ["sigue"]
    monkeypatch.delenv("TALLER_JUGUETE_SEMAFORO")
    monkeypatch.setattr(ejecucion, "AVISO_SI_TARDA", 600.0)
    ejecucion.ejecutar_pruebas(modulo, si_tarda=lambda: avisos.append("otra vez"))
    assert avisos == ["sigue"], "si acaba antes del plazo, no avisa"
