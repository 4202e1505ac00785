"""`taller vigilar [NN]`: vuelve a comprobar el módulo cada vez que guardas un fichero.

Al empezar comprueba todos los módulos (un solo proceso pytest) para saber por dónde vas y
dibujar la barra de progreso. Luego vigila la carpeta ejercicios/NN del módulo actual por
sondeo (ver `taller.vigia`) y, cuando se pone en verde, pasa al siguiente módulo sin
superar. En modo manual (`--manual`) no vigila ficheros: comprueba cuando pulsas Enter.

Mientras espera lee órdenes del teclado, una por línea: Enter (comprobar ya), `p` (una
pista) y `q` (salir).
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from taller import progreso
from taller.ejecucion import SIGUE_COMPROBANDO, Resultado, ejecutar_pruebas, resumen
from taller.modulos import (
    ErrorDelTaller,
    Modulo,
    buscar_modulo,
    carpeta_de_ejercicios,
    modulos,
    raiz_del_taller,
)
from taller.ordenes import argumento_modulo, interruptor
from taller.ordenes.pista import siguiente_pista
from taller.salida import BORRAR_PANTALLA, Estilo, segundos
from taller.vigia import Vigia

INTERVALO = 0.5


def _numero(minimo: float, tipo: type, nombre: str):
    def convertir(texto: str):
        try:
            valor = tipo(texto.replace(",", "."))
        except ValueError:
            raise argparse.ArgumentTypeError(f"«{texto}» no es {nombre}") from None
        if valor < minimo:
            minimo_es = f"{minimo:g}".replace(".", ",")
            raise argparse.ArgumentTypeError(f"«{texto}» es demasiado pequeño (mínimo {minimo_es})")
        return valor

    return convertir


AYUDA = "vuelve a comprobar un módulo cada vez que guardas, y pasa al siguiente al superarlo"
DESCRIPCION = (
    "Comprueba el módulo NN (o el primero sin superar) cada vez que guardas un fichero "
    "de ejercicios/NN, con la barra de progreso de todo el taller, y pasa al siguiente "
    "módulo cuando el actual se pone en verde. Mientras espera: Enter comprueba ya, "
    "p + Enter da una pista, q + Enter (o Ctrl+C) sale."
)


def argumentos(parser: argparse.ArgumentParser) -> None:
    argumento_modulo(parser, "el módulo por el que empezar (por defecto, el primero sin superar)")
    interruptor(parser, "--manual", "no vigila los ficheros: comprueba cada vez que pulsas Enter")
    parser.add_argument(
        "--intervalo",
        metavar="SEGUNDOS",
        type=_numero(0.01, float, "un número de segundos"),
        default=INTERVALO,
        help="cada cuánto mira si has guardado algo (por defecto, cada 0,5 s)",
    )
    parser.add_argument(
        "--max-ejecuciones",
        metavar="N",
        type=_numero(1, int, "un número entero"),
        default=None,
        help="termina tras N comprobaciones, contando la primera (para scripts y pruebas; "
        "por defecto, nunca)",
    )


class Vigilancia:
    """Un bucle de vigilancia: comprobar, mostrar, esperar un cambio o una orden, repetir."""

    def __init__(
        self,
        raiz: Path,
        salida: TextIO,
        entrada: TextIO | None,
        intervalo: float = INTERVALO,
        manual: bool = False,
        max_ejecuciones: int | None = None,
    ) -> None:
        self.raiz = raiz
        self.salida = salida
        self.estilo = Estilo.para(salida)
        self.intervalo = intervalo
        self.manual = manual
        self.max_ejecuciones = max_ejecuciones
        self.todos = [m for m in modulos(raiz) if m.ejercicio.is_dir()]
        self.superados: set[str] = set()
        self.ejecuciones = 0
        self.aviso = ""
        self.vigia: Vigia | None = None
        self.vigias: dict[str, Vigia] = {}
        self.ordenes: queue.Queue[str | None] = queue.Queue()
        self.entrada_abierta = entrada is not None
        if entrada is not None:
            threading.Thread(
                target=self._leer_teclado, args=(entrada,), name="taller: teclado", daemon=True
            ).start()

    # --- entrada y salida ------------------------------------------------------------

    def _leer_teclado(self, entrada: TextIO) -> None:
        """Hilo daemon: pasa cada línea tecleada a la cola; None cuando se cierra la entrada."""
        try:
            for linea in iter(entrada.readline, ""):
                self.ordenes.put(linea)
        except (OSError, ValueError):
            pass
        self.ordenes.put(None)

    def escribir(self, texto: str = "") -> None:
        print(texto, file=self.salida, flush=True)

    def mostrar(self, modulo: Modulo, resultado: Resultado) -> None:
        if self.estilo.color:
            self.salida.write(BORRAR_PANTALLA)
        else:
            self.escribir("=" * 72)
        barra = self.estilo.barra(len(self.superados), len(self.todos))
        self.escribir(f"{self.estilo.titulo('taller vigilar')}  {barra}")
        if self.aviso:
            self.escribir(self.estilo.verde(self.aviso))
            self.aviso = ""
        self.escribir()
        self.escribir(resumen(resultado, modulo.numero, modulo=modulo, estilo=self.estilo))
        hora = time.strftime("%H:%M:%S")
        self.escribir(
            self.estilo.tenue(f"Comprobado a las {hora} ({segundos(resultado.segundos)}).")
        )

    # --- el bucle -----------------------------------------------------------------------

    def comprobar(self, modulo: Modulo) -> Resultado:
        self.vigia = Vigia(modulo.ejercicio)
        resultado = ejecutar_pruebas(
            modulo,
            extra=["--tb=line"],
            si_tarda=lambda: self.escribir(self.estilo.tenue(SIGUE_COMPROBANDO)),
        )
        self.ejecuciones += 1
        progreso.apuntar(self.raiz, [progreso.Situacion(modulo, resultado)])
        return resultado

    def _limite_alcanzado(self) -> bool:
        return self.max_ejecuciones is not None and self.ejecuciones >= self.max_ejecuciones

    def _siguiente(self, actual: Modulo) -> Modulo | None:
        return progreso.primero_sin_superar(
            self.todos, lambda m: m.numero, lambda m: m.numero in self.superados, actual.numero
        )

    def _empezar(self, elegido: Modulo | None) -> tuple[Modulo, Resultado] | None:
        """Comprueba todo el taller una vez y elige el módulo por el que empezar."""
        if not self.todos:
            raise ErrorDelTaller(f"No hay ningún módulo en {carpeta_de_ejercicios(self.raiz)}.")
        if elegido is not None and elegido.numero not in {m.numero for m in self.todos}:
            raise ErrorDelTaller(f"No existe la carpeta {elegido.ruta_ejercicio}.")
        self.escribir(self.estilo.tenue("Comprobando todos los módulos para ver por dónde vas…"))
        # La foto de cada carpeta se toma antes de las pruebas: lo que guardes mientras corren
        # se ve como un cambio en cuanto terminen.
        self.vigias = {m.numero: Vigia(m.ejercicio) for m in self.todos}
        situaciones = progreso.comprobar_todos(self.raiz)
        self.ejecuciones += 1  # la primera comprobación también cuenta para --max-ejecuciones
        self.superados = {s.modulo.numero for s in situaciones if s.superado}
        if elegido is None:
            toca = progreso.siguiente(situaciones)
            return None if toca is None else (toca.modulo, toca.resultado)
        return next(
            (s.modulo, s.resultado) for s in situaciones if s.modulo.numero == elegido.numero
        )

    def vigilar(self, elegido: Modulo | None = None) -> int:
        inicio = self._empezar(elegido)
        if inicio is None:
            return self._enhorabuena()
        actual, resultado = inicio
        self.vigia = self.vigias[actual.numero]
        repetida = False
        while True:
            if resultado.superado:
                self.superados.add(actual.numero)
            else:
                self.superados.discard(actual.numero)
            self.mostrar(actual, resultado)
            if resultado.superado:
                siguiente = self._siguiente(actual)
                if siguiente is None:
                    return self._enhorabuena()
                self.aviso = (
                    f"¡Módulo {actual.numero} superado! Pasamos al módulo "
                    f"{siguiente.numero} — {siguiente.titulo}."
                )
                if self._limite_alcanzado():
                    self.escribir(self.aviso)
                    self._fin_por_limite()
                    return 0
                actual = siguiente
                resultado = self.comprobar(actual)
                continue
            if self._limite_alcanzado():
                self._fin_por_limite()
                return resultado.codigo_salida
            if self.vigia.hay_cambios() and not repetida:
                # Se guardó algo mientras corrían las pruebas: lo mostrado puede estar viejo.
                repetida = True
                self.aviso = "Guardaste algo mientras se comprobaba: vuelvo a comprobar."
                resultado = self.comprobar(actual)
                continue
            repetida = False
            if self.esperar(actual) == "salir":
                self.escribir("Hasta luego. Cuando vuelvas: taller vigilar")
                return 0
            resultado = self.comprobar(actual)

    def _fin_por_limite(self) -> None:
        self.escribir(
            f"Hecho: {'1 comprobación' if self.ejecuciones == 1 else f'{self.ejecuciones} comprobaciones'}"
            ", como pediste con --max-ejecuciones. "
            "Para seguir: taller vigilar"
        )

    def _enhorabuena(self) -> int:
        self.escribir(self.estilo.barra(len(self.superados), len(self.todos)))
        self.escribir(self.estilo.verde("¡Has superado todos los módulos del taller! Enhorabuena."))
        return 0

    def _instrucciones(self, modulo: Modulo) -> str:
        teclas = "Enter: comprobar ya · p: una pista · q: salir"
        if self.manual:
            return f"Modo manual, módulo {modulo.numero}. {teclas}"
        return (
            f"Vigilando {modulo.ruta_ejercicio}: guarda un fichero y vuelvo a comprobar. {teclas}"
        )

    def esperar(self, modulo: Modulo) -> str:
        """Espera a que cambie un fichero ("cambio") o a una orden ("comprobar", "salir")."""
        self.escribir(self.estilo.tenue(self._instrucciones(modulo)))
        while True:
            if self.manual and not self.entrada_abierta:
                self.escribir("No hay teclado del que leer: el modo manual termina aquí.")
                return "salir"
            try:
                linea = self.ordenes.get(timeout=None if self.manual else self.intervalo)
            except queue.Empty:
                if self.vigia is not None and self.vigia.hay_cambios():
                    self._esperar_a_que_se_asiente()
                    return "cambio"
                continue
            if linea is None:
                self.entrada_abierta = False
                continue
            orden = linea.strip().lower()
            if orden in {"q", "salir"}:
                return "salir"
            if orden in {"p", "pista"}:
                try:
                    self.escribir(siguiente_pista(self.raiz, modulo, self.estilo))
                except ErrorDelTaller as error:
                    self.escribir(str(error))
                self.escribir(self.estilo.tenue(self._instrucciones(modulo)))
                continue
            return "comprobar"

    def _esperar_a_que_se_asiente(self) -> None:
        """Un editor puede guardar en varios pasos: espera a que la carpeta deje de cambiar."""
        for _ in range(10):
            time.sleep(self.intervalo)
            if self.vigia is None or not self.vigia.hay_cambios():
                return


def ejecutar(args: argparse.Namespace) -> int:
    raiz = raiz_del_taller()
    elegido = buscar_modulo(args.modulo, raiz) if args.modulo else None
    vigilancia = Vigilancia(
        raiz,
        salida=sys.stdout,
        entrada=sys.stdin,
        intervalo=args.intervalo,
        manual=args.manual,
        max_ejecuciones=args.max_ejecuciones,
    )
    try:
        return vigilancia.vigilar(elegido)
    except KeyboardInterrupt:
        vigilancia.escribir("\nHasta luego. Cuando vuelvas: taller vigilar")
        return 0
