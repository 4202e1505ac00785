"""El monitor que empaqueta la imagen del módulo 08: comprueba las URLs que le pasen.

    python monitor.py [--timeout SEGUNDOS] URL [URL...]

Para cada URL hace un GET con requests, con un límite de tiempo, y escribe una línea:

    BIEN  http://127.0.0.1:8000/       HTTP 200
    MAL   http://127.0.0.1:8000/error  HTTP 500
    MAL   http://127.0.0.1:9/          no conecta (nadie escucha en ese puerto)
    MAL   http://10.0.0.1/             sin respuesta en 5 s

y al final un resumen: «Resumen: 4 URLs, 1 bien, 3 mal». Sale con 0 si todas van bien, 1 si
alguna falla y 2 si la orden está mal escrita. Es una versión pequeña y autónoma del monitor
de los módulos 02-04: lo que importa en este módulo es cómo se mete en una imagen.
"""

from __future__ import annotations

import sys

import requests

SEGUNDOS_POR_DEFECTO = 5.0
USO = "uso: python monitor.py [--timeout SEGUNDOS] URL [URL...]"


def comprobar(url: str, segundos: float) -> tuple[bool, str]:
    """(¿va bien?, qué ha pasado) para una URL. Nunca lanza: cada fallo es un resultado."""
    try:
        respuesta = requests.get(url, timeout=segundos)
    except requests.exceptions.Timeout:
        return False, f"sin respuesta en {segundos:g} s"
    except requests.exceptions.ConnectionError:
        return False, "no conecta (nadie escucha en ese puerto, o la máquina no existe)"
    except requests.exceptions.RequestException as error:
        return False, f"URL no válida ({type(error).__name__})"
    return respuesta.status_code < 400, f"HTTP {respuesta.status_code}"


def leer_argumentos(argumentos: list[str]) -> tuple[float, list[str]]:
    """(segundos, urls); lanza ValueError con un mensaje en español si están mal."""
    segundos, urls = SEGUNDOS_POR_DEFECTO, []
    restantes = list(argumentos)
    while restantes:
        argumento = restantes.pop(0)
        if argumento == "--timeout":
            if not restantes:
                raise ValueError("a --timeout le falta el número de segundos")
            valor = restantes.pop(0)
            try:
                segundos = float(valor)
            except ValueError:
                raise ValueError(f"--timeout espera un número de segundos, no «{valor}»") from None
            if segundos <= 0:
                raise ValueError(f"--timeout debe ser mayor que 0, no {valor}")
        else:
            urls.append(argumento)
    if not urls:
        raise ValueError("no me has dado ninguna URL que comprobar")
    return segundos, urls


def main(argumentos: list[str]) -> int:
    try:
        segundos, urls = leer_argumentos(argumentos)
    except ValueError as error:
        print(f"monitor: {error}\n{USO}", file=sys.stderr)
        return 2
    ancho = max(len(url) for url in urls)
    bien = 0
    for url in urls:
        correcto, detalle = comprobar(url, segundos)
        bien += correcto
        print(f"{'BIEN' if correcto else 'MAL ':4}  {url:{ancho}}  {detalle}", flush=True)
    print(
        f"Resumen: {len(urls)} URL{'s' if len(urls) != 1 else ''}, {bien} bien, {len(urls) - bien} mal"
    )
    return 0 if bien == len(urls) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
