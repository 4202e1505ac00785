"""Módulo 05 — El pool del módulo 04, ahora con promesas.

No es otro pool: es **el tuyo del módulo 04**. Este `Pool` hereda del que escribiste en
`ejercicios/04/pool.py` (`class Pool(pool_del_04.Pool)`), así que se crea igual (las mismas
reglas: `Pool("3")` da TypeError), se usa igual (`arrancar()`, `detener()`, `with`), reparte
igual (el repartidor, la bandeja, los ejecutores que duermen en un semáforo) y sigue apuntando
en `pool.errores` y escribiendo en la salida de errores el error de cada trabajo:

    enviar ──> trabajos_pendientes ──[repartidor]──> bandeja ──> ejecutor1, ejecutor2...
               (todo esto, del 04)

Si tu pool del 04 aún no está terminado, las pruebas de aquí te lo dicen: termínalo antes.
Lo que escribes aquí es solo lo nuevo del 05:

- `enviar(trabajo, *args, **kwargs)` devuelve al momento una Promesa del resultado. Lo que
  pasa al `enviar()` del 04 ya no es la función sola, sino un `Trabajo` (la función, sus
  argumentos y su promesa), que se puede llamar como un trabajo del 04;
- `_ejecutar` resuelve esa promesa con lo que devuelve el trabajo, o la rechaza con su error
  (además de informarlo como en el 04). Captura `BaseException`: un `sys.exit()` en un
  trabajo ya no puede matar a su ejecutor y dejar la promesa pendiente para siempre;
- el pool tiene un `nombre` (p. ej. «bd» y «correo»), que llevan sus hilos y sus mensajes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from promesa import Promesa

from taller.pruebas import del_modulo

# Tu pool del módulo 04: ejercicios/04/pool.py (con `pytest --soluciones`, soluciones/04/pool.py).
pool_del_04 = del_modulo("04", "pool")


@dataclass
class Trabajo:
    """Lo que se apunta en la cola: la llamada pendiente, funcion(*args, **kwargs), y su promesa.

    Se puede llamar sin argumentos, como un trabajo del 04: el `enviar()` del 04 lo acepta.
    """

    funcion: Callable[..., Any]
    args: tuple
    kwargs: dict
    promesa: Promesa

    def __call__(self) -> Any:
        return self.funcion(*self.args, **self.kwargs)


class Pool(pool_del_04.Pool):
    """El pool del módulo 04, con un nombre y un enviar() que devuelve una Promesa."""

    def __init__(self, ejecutores: int = 10, nombre: str = "pool") -> None:
        super().__init__(ejecutores)  # las reglas del 04: TypeError, ValueError
        self.nombre = nombre
        for hilo in (self._repartidor, *self.ejecutores):  # bd-repartidor, bd-ejecutor1...
            hilo.name = f"{nombre}-{hilo.name}"

    def enviar(self, trabajo: Callable[..., Any], *args: Any, **kwargs: Any) -> Promesa:
        """Apunta trabajo(*args, **kwargs) y devuelve al momento la Promesa de su resultado."""
        # TODO: el TypeError del 04 (un Trabajo siempre se puede llamar: mira `trabajo` antes de envolverlo); crea la Promesa y pasa el Trabajo al enviar() del 04 (super()); si lanza RuntimeError (detenido), vuelve a lanzarlo con el nombre del pool; devuelve la promesa
        raise NotImplementedError("Pool.enviar: lo que falta lo dice su # TODO")

    def _ejecutar(self, trabajo: Trabajo) -> None:
        """Ejecuta un trabajo y resuelve su promesa (o la rechaza con su error, e informa)."""
        # TODO: como en el 04, dentro de un try, pero con BaseException (también sys.exit()): primero _informar(trabajo.funcion, error) y después rechaza la promesa con el error; si sale bien, resuélvela con el valor
        raise NotImplementedError("Pool._ejecutar: lo que falta lo dice su # TODO")
