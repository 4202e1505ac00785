"""Pruebas del módulo 01. Van en el orden en que conviene escribir el código:
validar_puerto → validar_nombre_de_maquina → validar_ip → Servicio → Servidor.

Ejecútalas con:  pytest ejercicios/01
"""

import pytest

from taller.pruebas import cargar, lanza

servidor = cargar("servidor")


# --- Paso 1: validar_puerto (cuaderno: 4) -----------------------------------------------------


@pytest.mark.parametrize("puerto", [1, 22, 80, 65535])
def test_validar_puerto_acepta_puertos_validos(puerto):
    assert servidor.validar_puerto(puerto) == puerto, (
        f"validar_puerto({puerto}) debería devolver {puerto}"
    )


@pytest.mark.parametrize("puerto", [0, -1, 65536, 100000])
def test_validar_puerto_rechaza_fuera_de_rango_con_valueerror(puerto):
    error = lanza(
        ValueError,
        f"validar_puerto({puerto})",
        lambda: servidor.validar_puerto(puerto),
        "Un puerto válido está entre 1 y 65535.",
    )
    assert str(puerto) in str(error), (
        f"El mensaje de error debería nombrar el puerto {puerto}; dice: «{error}»"
    )


@pytest.mark.parametrize("puerto", ["80", 80.0, None])
def test_validar_puerto_rechaza_lo_que_no_es_entero_con_typeerror(puerto):
    lanza(
        TypeError,
        f"validar_puerto({puerto!r})",
        lambda: servidor.validar_puerto(puerto),
        "Un puerto es un int: no conviertas textos ni decimales, recházalos con TypeError.",
    )


@pytest.mark.parametrize("puerto", [True, False])
def test_validar_puerto_rechaza_booleanos(puerto):
    # True es un int en Python (True == 1): isinstance(True, int) da True.
    lanza(
        TypeError,
        f"validar_puerto({puerto})",
        lambda: servidor.validar_puerto(puerto),
        f"bool es una subclase de int ({puerto} vale {int(puerto)}): compruébalo aparte con "
        "isinstance(puerto, bool)",
    )


# --- Paso 2: validar_nombre_de_maquina (cuaderno: 4) ------------------------------------------


@pytest.mark.parametrize(
    "nombre", ["servidor.produccion.es", "web-01", "db1.interno.ejemplo.com", "a" * 63]
)
def test_validar_nombre_acepta_nombres_de_maquina(nombre):
    devuelto = servidor.validar_nombre_de_maquina(nombre)
    assert devuelto == nombre, (
        f"validar_nombre_de_maquina({nombre!r}) debería devolver el nombre tal cual; "
        f"devolvió {devuelto!r}"
    )


@pytest.mark.parametrize(
    "nombre",
    ["", "con espacio.es", "-guion.es", "guion-.es", "dos..puntos.es", "ñandú.es", "a" * 64],
)
def test_validar_nombre_rechaza_nombres_invalidos_nombrando_el_valor(nombre):
    error = lanza(
        ValueError,
        f"validar_nombre_de_maquina({nombre!r})",
        lambda: servidor.validar_nombre_de_maquina(nombre),
        "Cada etiqueta entre puntos lleva de 1 a 63 letras (sin tildes ni ñ), dígitos o "
        "guiones, y no empieza ni acaba en guion.",
    )
    assert nombre in str(error), (
        f"El mensaje debería citar el nombre rechazado «{nombre}»; dice: «{error}»"
    )


def test_validar_nombre_rechaza_lo_que_no_es_texto():
    lanza(
        TypeError,
        "validar_nombre_de_maquina(42)",
        lambda: servidor.validar_nombre_de_maquina(42),
        "Un nombre de máquina es un str: comprueba el tipo antes de mirar su contenido.",
    )


# --- Paso 3: validar_ip (cuaderno: 4) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "normalizada"),
    [("10.0.0.1", "10.0.0.1"), ("::1", "::1"), ("2001:DB8:0:0::1", "2001:db8::1")],
)
def test_validar_ip_acepta_ipv4_e_ipv6_y_las_normaliza(ip, normalizada):
    assert servidor.validar_ip(ip) == normalizada, (
        f"validar_ip({ip!r}) debería devolver {normalizada!r} (la forma de str(ipaddress.ip_address(...)))"
    )


@pytest.mark.parametrize("ip", ["999.1.1.1", "10.0.0", "servidor.es", "", "1.2.3.4/24"])
def test_validar_ip_rechaza_ips_invalidas_nombrando_el_valor(ip):
    error = lanza(
        ValueError,
        f"validar_ip({ip!r})",
        lambda: servidor.validar_ip(ip),
        "ipaddress.ip_address lo rechaza: deja que lance y cambia su mensaje por uno tuyo.",
    )
    assert f"«{ip}»" in str(error) or repr(ip) in str(error), (
        f"El mensaje debería citar la IP rechazada {ip!r}; dice: «{error}»"
    )


# --- Paso 4: Servicio (cuaderno: 1, 5) --------------------------------------------------------


def test_servicio_guarda_nombre_puertos_y_protocolo_por_defecto_tcp():
    http = servidor.Servicio("http", 80)
    obtenido = (http.nombre, http.puertos, http.protocolo)
    assert obtenido == ("http", (80,), "tcp"), (
        "Servicio('http', 80) debería tener nombre 'http', puertos (80,) y protocolo 'tcp'; "
        f"tiene {obtenido!r}"
    )


def test_servicio_acepta_varios_puertos_como_tupla():
    web = servidor.Servicio("web", [80, 443])
    assert web.puertos == (80, 443), f"Se esperaban los puertos (80, 443); llegó {web.puertos!r}"


def test_servicio_guarda_el_protocolo_en_minusculas():
    protocolo = servidor.Servicio("dns", 53, "UDP").protocolo
    assert protocolo == "udp", (
        f"Servicio('dns', 53, 'UDP') debería guardar el protocolo en minúsculas ('udp'); "
        f"guardó {protocolo!r}"
    )


@pytest.mark.parametrize("protocolo", ["icmp", "", "http"])
def test_servicio_rechaza_protocolos_desconocidos(protocolo):
    error = lanza(
        ValueError,
        f"Servicio('raro', 1, {protocolo!r})",
        lambda: servidor.Servicio("raro", 1, protocolo),
        "El protocolo solo puede ser 'tcp' o 'udp'.",
    )
    assert repr(protocolo) in str(error) or f"«{protocolo}»" in str(error), (
        f"El mensaje debería citar el protocolo {protocolo!r}; dice: «{error}»"
    )


def por_que_true_no_es_un_puerto():
    """Por qué Servicio('web', [80, True]) debía lanzar TypeError: ¿falla validar_puerto o Servicio?"""
    try:
        servidor.validar_puerto(True)
    except TypeError:
        return "True no es un puerto: pasa cada puerto de la lista por validar_puerto."
    except Exception:  # noqa: BLE001 - solo se busca la explicación
        pass
    return (
        "validar_puerto(True) tampoco lanza TypeError: bool es una subclase de int, "
        "compruébalo aparte con isinstance(puerto, bool)."
    )


def test_servicio_valida_cada_puerto():
    lanza(
        ValueError,
        "Servicio('web', [80, 70000])",
        lambda: servidor.Servicio("web", [80, 70000]),
        "Pasa cada puerto de la lista por validar_puerto, no solo el primero.",
    )
    lanza(
        TypeError,
        "Servicio('web', [80, True])",
        lambda: servidor.Servicio("web", [80, True]),
        por_que_true_no_es_un_puerto,
    )


def test_servicio_rechaza_puertos_repetidos():
    lanza(
        ValueError,
        "Servicio('web', [80, 443, 80])",
        lambda: servidor.Servicio("web", [80, 443, 80]),
        "Un puerto repetido es un error en los datos, no algo que haya que arreglar en silencio.",
    )


@pytest.mark.parametrize("nombre", ["", "   "])
def test_servicio_rechaza_nombre_vacio(nombre):
    lanza(
        ValueError,
        f"Servicio({nombre!r}, 80)",
        lambda: servidor.Servicio(nombre, 80),
        "El nombre no puede estar vacío (ni ser solo espacios: mira nombre.strip()).",
    )


def test_servicio_no_se_queda_con_la_lista_del_llamador():
    puertos = [80, 443]
    web = servidor.Servicio("web", puertos)
    puertos.append(8080)
    assert web.puertos == (80, 443), (
        "Cambiar la lista que se pasó al constructor cambió el servicio: guarda una copia "
        f"(una tupla). Puertos ahora: {web.puertos!r}"
    )


def test_servicios_con_los_mismos_datos_son_iguales():
    assert servidor.Servicio("ssh", 22) == servidor.Servicio("ssh", 22), (
        "Dos Servicio('ssh', 22) deberían ser iguales: __eq__ debe comparar los datos, "
        "no la identidad"
    )
    assert servidor.Servicio("ssh", 22) != servidor.Servicio("ssh", 2222), (
        "Servicio('ssh', 22) y Servicio('ssh', 2222) salen iguales: __eq__ debe comparar "
        "también los puertos"
    )
    assert servidor.Servicio("dns", 53, "tcp") != servidor.Servicio("dns", 53, "udp"), (
        "Servicio('dns', 53, 'tcp') y Servicio('dns', 53, 'udp') salen iguales: __eq__ debe "
        "comparar también el protocolo"
    )


def test_repr_de_servicio_muestra_sus_datos():
    texto = repr(servidor.Servicio("https", 443))
    for trozo in ("Servicio", "https", "443", "tcp"):
        assert trozo in texto, f"repr(Servicio('https', 443)) debería contener {trozo!r}: {texto}"


# --- Paso 5: Servidor (cuaderno: 4, 5, 6) -----------------------------------------------------


def nuevo_servidor(**cambios):
    datos = {"nombre": "web.produccion.es", "ips": ["10.0.0.1"]}
    datos.update(cambios)
    return servidor.Servidor(**datos)


def test_servidor_guarda_nombre_ips_y_empieza_sin_servicios():
    web = nuevo_servidor()
    assert web.nombre == "web.produccion.es", (
        f"Se esperaba el nombre 'web.produccion.es'; llegó {web.nombre!r}"
    )
    assert web.ips == ["10.0.0.1"], f"Se esperaban las IPs ['10.0.0.1']; llegó {web.ips!r}"
    assert web.servicios == [], (
        f"Sin servicios, la lista debería estar vacía; llegó {web.servicios!r}"
    )


def test_nombre_se_cambia_con_la_property_como_el_setnombre_de_java():
    web = nuevo_servidor()
    web.nombre = "servidor.desarrollo.es"
    assert web.nombre == "servidor.desarrollo.es", (
        "Tras servidor.nombre = 'servidor.desarrollo.es', servidor.nombre debería devolver "
        f"el nombre nuevo; devuelve {web.nombre!r}. ¿Guarda el setter el nombre?"
    )


def test_el_setter_del_nombre_tambien_valida():
    web = nuevo_servidor()
    lanza(
        ValueError,
        "Asignar servidor.nombre = 'nombre con espacios'",
        lambda: setattr(web, "nombre", "nombre con espacios"),
        "La validación debe estar en el setter de la property, no solo en __init__.",
    )
    assert web.nombre == "web.produccion.es", (
        f"Tras un nombre rechazado debería quedar el anterior; quedó {web.nombre!r}"
    )


def test_el_constructor_valida_el_nombre():
    lanza(
        ValueError,
        "Servidor('mal nombre', ...)",
        lambda: nuevo_servidor(nombre="mal nombre"),
        "El constructor debe validar el nombre (por ejemplo, asignándolo con self.nombre = "
        "nombre, que pasa por el setter).",
    )


def test_el_constructor_valida_las_ips():
    error = lanza(
        ValueError,
        "Servidor(..., ips=['10.0.0.1', '10.0.0.300'])",
        lambda: nuevo_servidor(ips=["10.0.0.1", "10.0.0.300"]),
        "El constructor debe validar cada IP (por ejemplo, llamando a agregar_ip).",
    )
    assert "10.0.0.300" in str(error), (
        f"El mensaje debería citar la IP rechazada '10.0.0.300'; dice: «{error}»"
    )


def test_servidor_acepta_ipv6():
    web = nuevo_servidor(ips=["10.0.0.1", "2001:db8::1"])
    assert web.ips == ["10.0.0.1", "2001:db8::1"], (
        f"Se esperaban las IPs ['10.0.0.1', '2001:db8::1']; llegó {web.ips!r}"
    )


def test_el_constructor_rechaza_ips_repetidas():
    error = lanza(
        ValueError,
        "Servidor(..., ips=['10.0.0.1', '10.0.0.2', '10.0.0.1'])",
        lambda: nuevo_servidor(ips=["10.0.0.1", "10.0.0.2", "10.0.0.1"]),
        "El constructor también debe rechazar IPs repetidas (por ejemplo, añadiéndolas una "
        "a una con agregar_ip).",
    )
    assert "10.0.0.1" in str(error), f"El mensaje debería citar la IP repetida: «{error}»"


def por_que_es_la_misma_ipv6():
    """¿agregar_ip no mira las repetidas, o las compara sin normalizar?"""
    web = nuevo_servidor(ips=["2001:db8::1"])
    try:
        web.agregar_ip("2001:db8::1")
    except ValueError:
        return "Compara las IPs normalizadas (validar_ip), no el texto tal como llega."
    except Exception:  # noqa: BLE001 - solo se busca la explicación
        pass
    return (
        "agregar_ip tampoco rechaza '2001:db8::1' escrita igual: una IP que ya está en el "
        "servidor es un error (ValueError); compara las IPs normalizadas (validar_ip)."
    )


def test_agregar_ip_rechaza_la_misma_ipv6_escrita_de_otra_forma():
    web = nuevo_servidor(ips=["2001:db8::1"])
    lanza(
        ValueError,
        "agregar_ip('2001:0db8:0:0:0:0:0:1') en un servidor con '2001:db8::1' (la misma IP)",
        lambda: web.agregar_ip("2001:0db8:0:0:0:0:0:1"),
        por_que_es_la_misma_ipv6,
    )


def test_agregar_ip_anade_una_ip_nueva():
    web = nuevo_servidor()
    web.agregar_ip("10.0.0.2")
    assert web.ips == ["10.0.0.1", "10.0.0.2"], (
        f"Tras agregar_ip('10.0.0.2') se esperaban ['10.0.0.1', '10.0.0.2'] (al final); "
        f"llegó {web.ips!r}"
    )


def test_el_constructor_copia_la_lista_de_ips():
    ips = ["10.0.0.1"]
    web = servidor.Servidor("web.produccion.es", ips)
    ips.append("10.0.0.99")
    assert web.ips == ["10.0.0.1"], (
        "Añadir una IP a la lista original cambió el servidor: el constructor debe copiar "
        f"la lista, no guardarla tal cual. IPs del servidor: {web.ips!r}"
    )


def test_la_lista_de_ips_devuelta_es_una_copia():
    web = nuevo_servidor()
    web.ips.append("10.0.0.99")
    assert web.ips == ["10.0.0.1"], (
        "Modificar la lista que devuelve servidor.ips cambió el servidor: la property "
        "debe devolver una copia (list(self._ips))"
    )


def test_la_lista_de_servicios_devuelta_es_una_copia():
    web = nuevo_servidor()
    web.servicios.append(servidor.Servicio("ssh", 22))
    assert web.servicios == [], (
        "Modificar la lista que devuelve servidor.servicios cambió el servidor: la property "
        "debe devolver una copia (list(self._servicios)); para añadir, agregar_servicio"
    )


def test_dos_servidores_no_comparten_la_lista_de_servicios():
    uno = servidor.Servidor("uno.es", ["10.0.0.1"])
    otro = servidor.Servidor("otro.es", ["10.0.0.2"])
    uno.agregar_servicio(servidor.Servicio("ssh", 22))
    assert otro.servicios == [], (
        "Al añadir un servicio a un servidor apareció también en otro: ¿usas una lista "
        "como valor por defecto (servicios=[])? Esa lista se crea una sola vez y la "
        "comparten todos. Usa servicios=None y crea la lista dentro."
    )


def test_el_constructor_copia_la_lista_de_servicios():
    servicios = [servidor.Servicio("ssh", 22)]
    web = nuevo_servidor(servicios=servicios)
    servicios.append(servidor.Servicio("http", 80))
    assert len(web.servicios) == 1, "El constructor debe copiar la lista de servicios que recibe"


def test_agregar_servicio_solo_acepta_servicios():
    web = nuevo_servidor()
    lanza(
        TypeError,
        "agregar_servicio(('http', 80))",
        lambda: web.agregar_servicio(("http", 80)),
        "Solo acepta objetos Servicio: compruébalo con isinstance(servicio, Servicio).",
    )


def test_puertos_por_protocolo_agrupa_y_ordena():
    web = nuevo_servidor(
        servicios=[
            servidor.Servicio("https", [443, 80]),
            servidor.Servicio("dns", 53, "udp"),
            servidor.Servicio("dns-tcp", 53),
            servidor.Servicio("alt", 80),
        ]
    )
    esperado = {"tcp": [53, 80, 443], "udp": [53]}
    obtenido = web.puertos_por_protocolo()
    assert obtenido == esperado, f"Se esperaba {esperado}; llegó {obtenido}"


def test_servidores_con_los_mismos_datos_son_iguales():
    assert nuevo_servidor() == nuevo_servidor(), (
        "Dos servidores con el mismo nombre, IPs y servicios deberían ser iguales: "
        "__eq__ compara datos, no identidad"
    )


def test_servidores_distintos_no_son_iguales():
    base = nuevo_servidor()
    distintos = {
        "otro nombre": nuevo_servidor(nombre="otro.es"),
        "otras IPs": nuevo_servidor(ips=["10.0.0.2"]),
        "otros servicios": nuevo_servidor(servicios=[servidor.Servicio("ssh", 22)]),
        "un texto": "web.produccion.es",
    }
    for que, otro in distintos.items():
        try:
            distinto = base != otro
        except NotImplementedError:
            raise
        except Exception as error:
            pytest.fail(
                f"Comparar un servidor con {que} lanzó {type(error).__name__} («{error}»). "
                "Si el otro no es un Servidor, __eq__ debe devolver NotImplemented (compruébalo "
                "con isinstance) antes de mirar sus atributos.",
                pytrace=False,
            )
        assert distinto, (
            f"Un servidor sin servicios y otro con {que} salen iguales: {base!r} == {otro!r}. "
            "¿Compara __eq__ los tres datos? (Si los servicios aparecen donde no los pusiste, "
            "revisa la lista por defecto compartida)"
        )


def test_repr_de_servidor_muestra_sus_datos():
    texto = repr(nuevo_servidor(servicios=[servidor.Servicio("ssh", 22)]))
    for trozo in ("Servidor", "web.produccion.es", "10.0.0.1", "ssh"):
        assert trozo in texto, f"repr(servidor) debería contener {trozo!r}: {texto}"
