"""El resultado de comprobar un módulo, para verlo en un cuaderno de JupyterLab.

En un terminal, `taller comprobar` escribe texto partido a su anchura. En un cuaderno ese
texto se vuelve a partir a mitad de palabra y cada explicación se repite en cada prueba que
falla; aquí va como HTML: una tabla de pruebas ✔/✘ con la primera línea de cada mensaje, cada
explicación distinta una sola vez y «Qué leer» como enlaces a las secciones del cuaderno y al
enunciado. Jupyter elige solo: `_repr_html_` en JupyterLab, `__repr__` (el texto de siempre)
donde no hay HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from taller.ejecucion import (
    CONSEGUIR_UN_MOTOR,
    Fallo,
    Resultado,
    motivos_de_omision,
    primera_linea,
    que_leer,
    resumen,
)
from taller.modulos import Modulo

_MARCAS = {
    "pasa": ("✔", "#1a7f37"),
    "falla": ("✘", "#cf222e"),
    "error": ("✘", "#cf222e"),
    "omitida": ("–", "#9a6700"),
}


@dataclass
class Comprobacion:
    """Lo que devuelve `comprobar_en_cuaderno`: se ve como tabla en JupyterLab."""

    modulo: Modulo
    resultado: Resultado

    def __repr__(self) -> str:
        return resumen(self.resultado, self.modulo.numero, modulo=self.modulo)

    def _repr_html_(self) -> str:
        return comprobacion_en_html(self.modulo, self.resultado)


def _ancla(titulo: str) -> str:
    """El enlace a un título del cuaderno, como lo numera JupyterLab (espacios por guiones)."""
    return "#" + html.escape(titulo.replace(" ", "-"), quote=True)


def _explicacion(mensaje: str) -> str:
    """Lo que dice un fallo después de su primera línea (la explicación larga), sin espacios de más."""
    lineas = mensaje.strip().splitlines()
    return "\n".join(linea.rstrip() for linea in lineas[1:]).strip()


def _mensajes(resultado: Resultado) -> dict[str, Fallo]:
    return {f.prueba: f for f in resultado.fallidas + resultado.con_error + resultado.omitidas_por}


def _por_prueba(resultado: Resultado) -> list[tuple[str, list[tuple[str, str]]]]:
    """Los casos agrupados por prueba: test_x[1], test_x[2]... son una fila, como en el texto."""
    grupos: dict[str, list[tuple[str, str]]] = {}
    for nombre, estado in resultado.casos:
        grupos.setdefault(nombre.split("[")[0], []).append((nombre, estado))
    return list(grupos.items())


def _fila(modulo, prueba, casos, mensajes, numero_de, anterior: str) -> tuple[str, str]:
    """Una fila de la tabla (y la primera línea de su mensaje, para no repetirla en la siguiente).

    El nombre y el mensaje van en la misma celda, uno debajo del otro: en dos columnas, la del
    mensaje queda estrecha y JupyterLab la corta por la derecha.
    """
    e = html.escape
    malos = [nombre for nombre, estado in casos if estado in ("falla", "error")]
    estados = {estado for _, estado in casos}
    estado = "falla" if malos else ("omitida" if "omitida" in estados else "pasa")
    marca, color = _MARCAS[estado]
    fallo = mensajes.get(malos[0] if malos else casos[0][0])
    linea = primera_linea(fallo.mensaje) if fallo else ""
    dice = e(linea) if linea != anterior else "<i>(el mismo mensaje que la de arriba)</i>"
    if fallo and _explicacion(fallo.mensaje) in numero_de:
        n = numero_de[_explicacion(fallo.mensaje)]
        dice += f' <a href="#taller-{modulo.numero}-explicacion-{n}">(explicación {n})</a>'
    if len(casos) > 1:
        cuantos = f"fallan {len(malos)} de {len(casos)} casos" if malos else f"{len(casos)} casos"
        dice = f"<i>{cuantos}</i>" + (f": {dice}" if dice else "")
    texto = f'<br><span style="color:#444">{dice}</span>' if dice else ""
    fila = (
        f'<tr><td style="color:{color};text-align:center;vertical-align:top">{marca}</td>'
        f'<td style="text-align:left;white-space:normal">'
        f'<code style="white-space:normal;word-break:break-word">{e(prueba)}</code>{texto}</td></tr>'
    )
    return fila, linea


def comprobacion_en_html(modulo: Modulo, resultado: Resultado) -> str:
    e = html.escape
    titulo = f"Módulo {modulo.numero} — {modulo.titulo}"
    partes = ['<div class="taller-comprobacion" style="line-height:1.45">']
    if resultado.total == 0:
        partes.append(f"<p><b>{e(titulo)}</b>: no se pudo ejecutar ninguna prueba.</p>")
        partes.append(f'<pre style="white-space:pre-wrap">{e(resultado.salida[-2000:])}</pre>')
        return "".join(partes) + "</div>"
    problemas = resultado.fallidas + resultado.con_error
    partes.append(
        f"<p><b>{e(titulo)}</b>: pasan {resultado.pasadas} de {resultado.total} pruebas.</p>"
    )
    if resultado.cortado:
        partes.append(f"<p><b>Cortado:</b> {e(resultado.cortado)}</p>")
    if not problemas and not resultado.omitidas:
        partes.append('<p style="color:#1a7f37"><b>¡Todo en verde! Módulo superado.</b></p>')
    elif not problemas:
        motivos = "".join(f"<li>{e(m)}</li>" for m in motivos_de_omision(resultado))
        partes.append(
            '<p style="color:#9a6700"><b>Todo lo que se ha podido probar está en verde, pero se '
            f"saltaron {resultado.omitidas} pruebas:</b></p><ul>{motivos}</ul>"
            f"<p>Módulo superado a medias. {e(CONSEGUIR_UN_MOTOR)}</p>"
        )
    explicaciones: dict[str, list[str]] = {}
    for fallo in problemas:
        texto = _explicacion(fallo.mensaje)
        if texto:
            explicaciones.setdefault(texto, []).append(fallo.prueba)
    numero_de = {texto: i for i, texto in enumerate(explicaciones, start=1)}
    filas, anterior = [], ""
    for nombre, casos in _por_prueba(resultado):
        fila, anterior = _fila(modulo, nombre, casos, _mensajes(resultado), numero_de, anterior)
        filas.append(fila)
    partes.append(
        # JupyterLab dibuja las tablas con table-layout: fixed (columnas iguales): el ancho
        # de la marca se fija aquí, y el resto es para la prueba y su mensaje.
        '<table style="width:100%"><colgroup><col style="width:2.5em"><col></colgroup>'
        "<thead><tr><th></th>"
        '<th style="text-align:left">prueba, y qué dice si falla</th></tr></thead><tbody>'
        + "".join(filas)
        + "</tbody></table>"
    )
    if explicaciones:
        partes.append("<p><b>Explicaciones</b> (cada una, una sola vez):</p><ol>")
        for texto, pruebas in explicaciones.items():
            n = numero_de[texto]
            donde = ", ".join(f"<code>{e(p)}</code>" for p in pruebas)
            partes.append(
                f'<li id="taller-{modulo.numero}-explicacion-{n}">'
                f'<pre style="white-space:pre-wrap;margin:0">{e(texto)}</pre>'
                f"<small>la dan: {donde}</small></li>"
            )
        partes.append("</ol>")
    if problemas:
        partes.append(_que_leer_en_html(modulo, problemas[0]))
    return "".join(partes) + "</div>"


def _que_leer_en_html(modulo: Modulo, primero: Fallo) -> str:
    e = html.escape
    leer = que_leer(modulo, primero)
    enlaces = [f'<a href="{_ancla(s.titulo)}">«{e(s.titulo)}»</a>' for s in leer.secciones]
    puntos = []
    if enlaces:
        puntos.append(f"en este cuaderno, {' y '.join(enlaces)}")
    if leer.enunciado:
        enunciado = f'<a href="../{modulo.ruta_ejercicio}/README.md">el enunciado</a>'
        puntos.append(enunciado + e(leer.paso))
    puntos.append(f"una pista: <code>{e(leer.pista)}</code> en un terminal")
    puntos.append(f"cada fallo entero: <code>{e(leer.fallo_entero)}</code>")
    return "<p><b>Qué leer:</b></p><ul>" + "".join(f"<li>{p}</li>" for p in puntos) + "</ul>"
