"""El resultado de comprobar un módulo, en un cuaderno: una tabla HTML y no texto partido."""

import re

from taller.ejecucion import Fallo, Resultado
from taller.modulos import buscar_modulo
from taller.salida_html import Comprobacion

EXPLICACION = "Pista larga que se repite:\ncon `with testigo:` el testigo vuelve siempre."


def resultado_de_prueba():
    primero = "test_sacar_con_testigo_saca_el_primero_o_devuelve_none"
    otro = "test_sacar_con_testigo_coge_el_testigo_y_lo_devuelve"
    return Resultado(
        codigo_salida=1,
        total=3,
        pasadas=1,
        fallidas=[
            Fallo(primero, "sacar_con_testigo devolvió None y la lista quedó [1]\n" + EXPLICACION),
            Fallo(otro, "el testigo se cogió 0 veces\n" + EXPLICACION),
        ],
        casos=[(primero, "falla"), ("test_que_pasa", "pasa"), (otro, "falla")],
    )


def test_una_fila_por_prueba_con_su_marca_y_su_primera_linea():
    codigo = Comprobacion(buscar_modulo("04"), resultado_de_prueba())._repr_html_()
    filas = re.findall(r"<tr><td[^>]*>(.)</td><td[^>]*><code[^>]*>([^<]*)</code>", codigo)
    assert [marca for marca, _ in filas] == ["✘", "✔", "✘"], filas
    assert "pasan 1 de 3 pruebas" in codigo
    assert "sacar_con_testigo devolvió None y la lista quedó [1]" in codigo


def test_cada_explicacion_sale_una_sola_vez():
    codigo = Comprobacion(buscar_modulo("04"), resultado_de_prueba())._repr_html_()
    assert codigo.count("con `with testigo:` el testigo vuelve siempre.") == 1, codigo
    assert codigo.count("(explicación 1)") == 2, "las dos pruebas enlazan la misma explicación"


def test_que_leer_enlaza_las_secciones_del_cuaderno_y_el_enunciado():
    modulo = buscar_modulo("04")
    codigo = Comprobacion(modulo, resultado_de_prueba())._repr_html_()
    enlaces = re.findall(r'<a href="(#[^"]+)">«([^»]+)»</a>', codigo)
    assert enlaces, f"«Qué leer» debe enlazar secciones del cuaderno:\n{codigo}"
    for ancla, titulo in enlaces:
        assert ancla == "#" + titulo.replace(" ", "-"), (ancla, titulo)
    assert '<a href="../ejercicios/04/README.md">el enunciado</a>, paso 1' in codigo, codigo


def test_fuera_de_jupyter_es_el_texto_de_siempre():
    modulo = buscar_modulo("04")
    texto = repr(Comprobacion(modulo, resultado_de_prueba()))
    assert texto.startswith("Módulo 04 — Pool con semáforo: pasan 1 de 3 pruebas."), texto
    assert "<" not in texto.splitlines()[0]


def test_todo_en_verde_y_sin_motor():
    modulo = buscar_modulo("08")
    verde = Resultado(codigo_salida=0, total=1, pasadas=1, casos=[("test_a", "pasa")])
    assert "¡Todo en verde! Módulo superado." in Comprobacion(modulo, verde)._repr_html_()
    a_medias = Resultado(
        codigo_salida=0,
        total=2,
        pasadas=1,
        omitidas=1,
        omitidas_por=[Fallo("test_b", "Se omite la construcción real: no hay motor.")],
        casos=[("test_a", "pasa"), ("test_b", "omitida")],
    )
    codigo = Comprobacion(modulo, a_medias)._repr_html_()
    assert "Módulo superado a medias" in codigo and "no hay motor" in codigo, codigo
    assert "¡Todo en verde! Módulo superado." not in codigo


def test_los_casos_de_una_prueba_parametrizada_son_una_fila():
    resultado = Resultado(
        codigo_salida=1,
        total=3,
        pasadas=2,
        fallidas=[Fallo("test_p[2]", "el 2 no vale")],
        casos=[("test_p[1]", "pasa"), ("test_p[2]", "falla"), ("test_p[3]", "pasa")],
    )
    codigo = Comprobacion(buscar_modulo("04"), resultado)._repr_html_()
    assert codigo.count("<tr><td") == 1, codigo
    assert "fallan 1 de 3 casos" in codigo and "el 2 no vale" in codigo, codigo
