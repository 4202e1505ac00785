"""Dónde está cada pieza del taller y qué se sabe de cada módulo: un solo sitio.

Un módulo existe si existe su carpeta `soluciones/NN` o `ejercicios/NN`: añadir un módulo
es añadir sus carpetas, sin registrarlo en ninguna lista (las pruebas del taller lo
encuentran solas). Lo que se sabe de él (título, tiempo, pasos, dependencias, qué necesita de
la máquina y sus errores típicos) está en su manifiesto, `soluciones/NN/modulo.toml`, junto a
la solución: el generador no lo copia a ejercicios/, así que el alumno no lo ve.

Las reglas de números y carpetas (dos cifras, `ejercicios/NN`, `soluciones/NN`, cómo se llama
un módulo en el informe JUnit) están solo aquí: el plugin, el ejecutor, la CLI, bench/ y
tests/ preguntan a `Modulo`.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

EJERCICIOS = "ejercicios"
SOLUCIONES = "soluciones"
CUADERNOS = "notebooks"
TEXTOS_DE_CUADERNOS = "cuadernos"
MANIFIESTO = "modulo.toml"
PATRON_NUMERO = re.compile(r"^\d\d$")
# En el informe JUnit, classname es "ejercicios.01.test_servidor" (o, si falla la recogida
# de un fichero, classname está vacío y name es "ejercicios.01.test_servidor").
_NUMERO_EN_JUNIT = re.compile(rf"(?:^|\.){EJERCICIOS}\.(\d\d)(?:\.|$)")

# Ficheros de apoyo: están en soluciones/NN, el generador los copia tal cual a ejercicios/NN y
# el alumno no los edita (fixtures, servidores de prueba, datos).
CONFTEST = "conftest.py"
PREFIJO_DE_APOYO = "apoyo_"

# Lo que `taller nuevo` deja por rellenar: las comprobaciones de cada módulo lo buscan.
POR_HACER = "TODO(taller nuevo)"

FORMATO_DEL_MANIFIESTO = 1
# Lo que un módulo puede necesitar de la máquina, y qué quiere decir.
NECESIDADES = {
    "motor de contenedores": "docker o podman (sin él, las pruebas marcadas `contenedor` se saltan)",
    "podman": "podman sin root (con /etc/subuid y /etc/subgid para el usuario)",
}
_CLAVES = {
    "formato": "la versión del formato del manifiesto (hoy, 1)",
    "titulo": "el tema del módulo, p. ej. «Orientación a objetos»",
    "construyes": "una frase: qué construye el alumno (la tabla de módulos del README)",
    "minutos": "el tiempo estimado, en minutos (un entero)",
    "pasos": "los pasos del enunciado, en orden: una lista de textos",
    "dependencias": "paquetes de Python que necesita además del taller (pueden ser [])",
    "necesita": f"qué necesita de la máquina: una lista con {sorted(NECESIDADES)} o []",
    "casi_bien": "los errores típicos ([[casi_bien]]); opcional",
}
_OBLIGATORIAS = ("formato", "titulo", "construyes", "minutos", "pasos", "dependencias", "necesita")
_CLAVES_DE_CASI_BIEN = {
    "fichero": "el fichero de soluciones/NN que cambia",
    "que": "qué error típico representa",
    "cambios": "[[texto de la solución, texto casi bien], ...]; cada texto aparece una vez",
    "debe_fallar": "las pruebas que deben fallar (sin los parámetros entre corchetes)",
    "mensajes": "opcional: [[prueba, fragmento de su mensaje], ...]",
}


class ErrorDelTaller(Exception):
    """Error con un mensaje en español pensado para mostrarse tal cual al alumno."""


class ErrorDelManifiesto(ErrorDelTaller):
    """Un modulo.toml que falta o está mal: el mensaje dice qué falta y dónde."""


def es_raiz_del_taller(carpeta: Path) -> bool:
    """Una raíz tiene pyproject.toml y la carpeta ejercicios/ o soluciones/."""
    return (carpeta / "pyproject.toml").is_file() and (
        (carpeta / EJERCICIOS).is_dir() or (carpeta / SOLUCIONES).is_dir()
    )


def raiz_del_taller(desde: Path | None = None) -> Path:
    """Busca la raíz desde `desde` (o el directorio actual) hacia arriba.

    Si no la encuentra (por ejemplo, se llama desde fuera del repositorio), usa la del
    paquete instalado en modo editable: src/taller/../..
    """
    inicio = (desde or Path.cwd()).resolve()
    for carpeta in (inicio, *inicio.parents):
        if es_raiz_del_taller(carpeta):
            return carpeta
    del_paquete = Path(__file__).resolve().parents[2]
    if es_raiz_del_taller(del_paquete):
        return del_paquete
    raise ErrorDelTaller(
        f"No encuentro el taller desde {inicio}: ejecuta la orden dentro de la carpeta "
        f"del repositorio (la que tiene pyproject.toml, {EJERCICIOS}/ y {SOLUCIONES}/)."
    )


def carpeta_de_ejercicios(raiz: Path) -> Path:
    return raiz / EJERCICIOS


def ruta_del_ejercicio(numero: str) -> str:
    """«ejercicios/NN», como se escribe en una orden (`pytest ejercicios/NN`)."""
    return f"{EJERCICIOS}/{numero}"


def es_de_apoyo(ruta: Path) -> bool:
    """¿Es un fichero de apoyo (conftest.py, apoyo_*.py), que el alumno no edita?"""
    return ruta.name == CONFTEST or (
        ruta.name.startswith(PREFIJO_DE_APOYO) and ruta.suffix == ".py"
    )


# Ruta → (su texto al mirarlo, sus funciones sin hacer): un fichero sin cambios se mira una vez.
_mirados: dict[Path, tuple[str, list[str]]] = {}


def funciones_sin_hacer(ruta: Path) -> list[str]:
    """Las funciones y métodos de `ruta` que aún lanzan NotImplementedError (las del esqueleto)."""
    texto = ruta.read_text(encoding="utf-8")
    if ruta in _mirados and _mirados[ruta][0] == texto:
        return _mirados[ruta][1]
    arbol = ast.parse(texto)
    funciones = [(None, n) for n in arbol.body if isinstance(n, ast.FunctionDef)] + [
        (clase.name, n)
        for clase in arbol.body
        if isinstance(clase, ast.ClassDef)
        for n in clase.body
        if isinstance(n, ast.FunctionDef)
    ]
    sin_hacer = [
        f"{clase}.{funcion.name}" if clase else funcion.name
        for clase, funcion in funciones
        if any(
            isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n.exc or n)
            for n in ast.walk(funcion)
        )
    ]
    _mirados[ruta] = (texto, sin_hacer)
    return sin_hacer


@dataclass(frozen=True)
class Manifiesto:
    """Lo que dice soluciones/NN/modulo.toml, ya validado."""

    titulo: str
    construyes: str
    minutos: int
    pasos: tuple[str, ...]
    dependencias: tuple[str, ...]
    necesita: tuple[str, ...]
    casi_bien: tuple[dict[str, Any], ...]


def _lista_de_textos(datos: dict, clave: str, donde: str, vacia: bool = True) -> tuple[str, ...]:
    valor = datos[clave]
    if not isinstance(valor, list) or not all(isinstance(v, str) and v.strip() for v in valor):
        raise ErrorDelManifiesto(
            f"{donde}: «{clave}» debe ser una lista de textos no vacíos ({_CLAVES[clave]}); "
            f"es {valor!r}."
        )
    if not vacia and not valor:
        raise ErrorDelManifiesto(f"{donde}: «{clave}» no puede estar vacía ({_CLAVES[clave]}).")
    return tuple(valor)


def _validar_caso(caso: Any, i: int, donde: str) -> dict[str, Any]:
    que = f"{donde}, caso casi_bien número {i}"
    if not isinstance(caso, dict):
        raise ErrorDelManifiesto(f"{que}: debe ser una tabla [[casi_bien]].")
    if isinstance(caso.get("que"), str):
        que += f" («{caso['que']}»)"
    if "modulo" in caso:
        raise ErrorDelManifiesto(
            f"{que}: sobra «modulo»: el módulo es el de la carpeta del manifiesto."
        )
    if "solo_debe_fallar" in caso:
        raise ErrorDelManifiesto(
            f"{que}: «solo_debe_fallar» ya no se usa (siempre se ejecutan solo las de "
            "debe_fallar): quítala."
        )
    desconocidas = sorted(set(caso) - set(_CLAVES_DE_CASI_BIEN))
    if desconocidas:
        raise ErrorDelManifiesto(
            f"{que}: claves desconocidas {desconocidas}; las que valen: "
            + "; ".join(f"{c}: {d}" for c, d in _CLAVES_DE_CASI_BIEN.items())
        )
    faltan = [c for c in ("fichero", "que", "cambios", "debe_fallar") if c not in caso]
    if faltan:
        raise ErrorDelManifiesto(
            f"{que}: faltan "
            + "; ".join(f"«{c}» ({_CLAVES_DE_CASI_BIEN[c]})" for c in faltan)
            + "."
        )
    pares = [*caso["cambios"], *caso.get("mensajes", [])]
    if not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(t, str) for t in p) for p in pares
    ):
        raise ErrorDelManifiesto(
            f"{que}: «cambios» y «mensajes» son listas de pares de textos [[a, b], ...]."
        )
    if not caso["debe_fallar"] or not all(isinstance(t, str) for t in caso["debe_fallar"]):
        raise ErrorDelManifiesto(f"{que}: «debe_fallar» es una lista de nombres de pruebas.")
    return caso


def leer_manifiesto(ruta: Path, donde: str) -> Manifiesto:
    """Lee y valida un modulo.toml; cada error dice qué falta, en qué fichero y cómo es."""
    # tomllib, solo aquí: el plugin de pytest importa este módulo y no lee manifiestos.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    if not ruta.is_file():
        raise ErrorDelManifiesto(
            f"Falta {donde}: el manifiesto del módulo, con "
            + ", ".join(_OBLIGATORIAS)
            + " (y sus errores típicos, [[casi_bien]]). Copia el de otro módulo o crea el "
            'módulo con `taller nuevo NN "Tema"`.'
        )
    try:
        datos = tomllib.loads(ruta.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ErrorDelManifiesto(f"{donde} no es TOML válido: {error}.") from None
    desconocidas = sorted(set(datos) - set(_CLAVES))
    if desconocidas:
        raise ErrorDelManifiesto(
            f"{donde}: claves desconocidas {desconocidas}; las que valen: "
            + "; ".join(f"{c} ({d})" for c, d in _CLAVES.items())
        )
    faltan = [c for c in _OBLIGATORIAS if c not in datos]
    if faltan:
        raise ErrorDelManifiesto(
            f"{donde}: faltan " + "; ".join(f"«{c}» ({_CLAVES[c]})" for c in faltan) + "."
        )
    if datos["formato"] != FORMATO_DEL_MANIFIESTO:
        raise ErrorDelManifiesto(
            f"{donde}: «formato» es {datos['formato']!r} y este taller lee el formato "
            f"{FORMATO_DEL_MANIFIESTO}."
        )
    for clave in ("titulo", "construyes"):
        if not isinstance(datos[clave], str) or not datos[clave].strip():
            raise ErrorDelManifiesto(
                f"{donde}: «{clave}» debe ser un texto no vacío ({_CLAVES[clave]})."
            )
    minutos = datos["minutos"]
    if isinstance(minutos, bool) or not isinstance(minutos, int) or minutos <= 0:
        raise ErrorDelManifiesto(
            f"{donde}: «minutos» debe ser un número entero de minutos mayor que 0; es {minutos!r}."
        )
    necesita = _lista_de_textos(datos, "necesita", donde)
    raras = [n for n in necesita if n not in NECESIDADES]
    if raras:
        raise ErrorDelManifiesto(
            f"{donde}: «necesita» no conoce {raras}; las que valen: "
            + "; ".join(f"«{n}» ({d})" for n, d in NECESIDADES.items())
        )
    casos = datos.get("casi_bien", [])
    if not isinstance(casos, list):
        raise ErrorDelManifiesto(f"{donde}: los errores típicos van en tablas [[casi_bien]].")
    return Manifiesto(
        titulo=datos["titulo"].strip(),
        construyes=datos["construyes"].strip(),
        minutos=minutos,
        pasos=_lista_de_textos(datos, "pasos", donde, vacia=False),
        dependencias=_lista_de_textos(datos, "dependencias", donde),
        necesita=necesita,
        casi_bien=tuple(_validar_caso(c, i, donde) for i, c in enumerate(casos, 1)),
    )


@dataclass(frozen=True)
class Modulo:
    """Un módulo del taller: número, carpetas, ficheros y su manifiesto."""

    numero: str
    raiz: Path

    # --- Las reglas de números y carpetas ---------------------------------------------------

    @staticmethod
    def es_numero(texto: str) -> bool:
        return bool(PATRON_NUMERO.match(texto))

    @staticmethod
    def normalizar(texto: str) -> str:
        """'3', '03' o 'ejercicios/03' → '03'; otra cosa, ErrorDelTaller."""
        limpio = Path(str(texto).rstrip("/")).name
        if not limpio.isdigit():
            raise ErrorDelTaller(f"«{texto}» no es un número de módulo: prueba con 01, 02, 03…")
        return f"{int(limpio):02d}"

    @classmethod
    def de_carpeta_de_pruebas(cls, carpeta: Path) -> Modulo | None:
        """El módulo de una carpeta ejercicios/NN (donde están sus pruebas), o None."""
        if carpeta.parent.name == EJERCICIOS and cls.es_numero(carpeta.name):
            return cls(carpeta.name, carpeta.parent.parent)
        return None

    @staticmethod
    def numero_en_junit(texto: str) -> str | None:
        """El número de módulo de un classname/name del informe JUnit, o None."""
        encontrado = _NUMERO_EN_JUNIT.search(texto)
        return encontrado.group(1) if encontrado else None

    def codigo_en(self, carpeta: Path) -> Path:
        """Con `--codigo CARPETA`, el código del módulo está en CARPETA/NN."""
        return carpeta / self.numero

    @classmethod
    def carpeta_de_otro(cls, carpeta_de_codigo: Path, numero: str) -> Path:
        """Dónde está el código del módulo `numero` para el código de `carpeta_de_codigo`.

        Al lado: el de ejercicios/05 usa ejercicios/04 (lo que escribió el alumno) y el de
        soluciones/05, soluciones/04. En otra carpeta (la de `--codigo`, un mutante de
        soluciones/05), CARPETA/04 si existe, y si no, el de soluciones/.
        """
        numero = cls.normalizar(numero)
        carpeta_de_codigo = carpeta_de_codigo.resolve()
        vecina = carpeta_de_codigo.parent / numero
        if carpeta_de_codigo.parent.name in (EJERCICIOS, SOLUCIONES) or vecina.is_dir():
            return vecina
        return cls(numero, raiz_del_taller(carpeta_de_codigo)).solucion

    def codigo_terminado(self, *nombres: str) -> Path:
        """Para un cuaderno que usa el código de este módulo (el del 10 usa el 09): la carpeta
        del alumno (ejercicios/NN) si sus ficheros `nombres` ya no tienen nada sin hacer; si no,
        la de referencia (soluciones/NN), para que el cuaderno se pueda ejecutar entero."""
        if not any(funciones_sin_hacer(self.ejercicio / f"{n}.py") for n in nombres):
            return self.ejercicio
        return self.solucion

    # --- Sus piezas --------------------------------------------------------------------------

    @property
    def ejercicio(self) -> Path:
        return self.raiz / EJERCICIOS / self.numero

    @property
    def solucion(self) -> Path:
        return self.raiz / SOLUCIONES / self.numero

    @property
    def ruta_ejercicio(self) -> str:
        """«ejercicios/NN», relativa a la raíz, como se escribe en una orden."""
        return ruta_del_ejercicio(self.numero)

    @property
    def ruta_solucion(self) -> str:
        return f"{SOLUCIONES}/{self.numero}"

    @property
    def enunciado(self) -> Path:
        return self.ejercicio / "README.md"

    @property
    def fichero_pistas(self) -> Path:
        return self.ejercicio / "pistas.md"

    @property
    def fichero_manifiesto(self) -> Path:
        return self.solucion / MANIFIESTO

    @property
    def patron_del_cuaderno(self) -> str:
        return f"{CUADERNOS}/{self.numero}_*.ipynb"

    @property
    def cuaderno(self) -> Path | None:
        candidatos = self.cuadernos()
        return candidatos[0] if candidatos else None

    def cuadernos(self) -> list[Path]:
        """Los .ipynb del módulo en notebooks/ (debe haber uno: notebooks/NN_tema.ipynb)."""
        return sorted((self.raiz / CUADERNOS).glob(f"{self.numero}_*.ipynb"))

    @property
    def texto_del_cuaderno(self) -> Path | None:
        """La fuente del cuaderno, cuadernos/NN_tema.py: el .ipynb se genera de ella."""
        candidatos = sorted((self.raiz / TEXTOS_DE_CUADERNOS).glob(f"{self.numero}_*.py"))
        return candidatos[0] if candidatos else None

    def cuaderno_de(self, texto: Path) -> Path:
        """El .ipynb que se genera del texto cuadernos/NN_tema.py: notebooks/NN_tema.ipynb."""
        return self.raiz / CUADERNOS / f"{texto.stem}.ipynb"

    def texto_para(self, cuaderno: Path) -> Path:
        """El texto del que sale (o saldrá) notebooks/NN_tema.ipynb: cuadernos/NN_tema.py."""
        return self.raiz / TEXTOS_DE_CUADERNOS / f"{cuaderno.stem}.py"

    def texto_nuevo(self, tema: str) -> Path:
        """Dónde va el texto del cuaderno de un módulo nuevo: cuadernos/NN_tema.py."""
        return self.raiz / TEXTOS_DE_CUADERNOS / f"{self.numero}_{tema}.py"

    def cuaderno_nuevo(self, tema: str) -> Path:
        """Dónde va el cuaderno de un módulo nuevo: notebooks/NN_tema.ipynb."""
        return self.raiz / CUADERNOS / f"{self.numero}_{tema}.ipynb"

    def pistas(self) -> list[str]:
        """Las pistas, en orden: cada sección `## Pista N` de pistas.md."""
        if not self.fichero_pistas.is_file():
            return []
        texto = self.fichero_pistas.read_text(encoding="utf-8")
        trozos = re.split(r"^## +Pista\b.*$", texto, flags=re.MULTILINE)
        return [trozo.strip() for trozo in trozos[1:] if trozo.strip()]

    def pruebas(self) -> list[Path]:
        return sorted(self.ejercicio.glob("test_*.py"))

    def de_apoyo(self) -> list[Path]:
        """Los ficheros de apoyo de soluciones/NN (conftest.py, apoyo_*.py)."""
        if not self.solucion.is_dir():
            return []
        return sorted(r for r in self.solucion.iterdir() if r.is_file() and es_de_apoyo(r))

    # --- Su manifiesto -----------------------------------------------------------------------

    @functools.cached_property
    def manifiesto(self) -> Manifiesto:
        return leer_manifiesto(self.fichero_manifiesto, f"{self.ruta_solucion}/{MANIFIESTO}")

    @property
    def titulo(self) -> str:
        return self.manifiesto.titulo

    @property
    def casi_bien(self) -> list[dict[str, Any]]:
        """Sus errores típicos, cada uno con su «modulo» (el número de este módulo)."""
        return [{**caso, "modulo": self.numero} for caso in self.manifiesto.casi_bien]

    def necesita_motor(self) -> bool:
        return "motor de contenedores" in self.manifiesto.necesita

    # --- Su código, fuera de las pruebas (bench/, tests/ del taller) -------------------------

    def importar(self, nombre: str, carpeta: Path | None = None) -> ModuleType:
        """soluciones/NN/NOMBRE.py (o carpeta/NOMBRE.py), con un nombre propio en sys.modules.

        Sus vecinos se importan con un `import` normal (`from promesa import Promesa`) y no se
        quedan en sys.modules: el pool.py del 03 y el del 04 no se pisan. Para las pruebas de
        los ejercicios está taller.pruebas.cargar, que además pone límites y explica errores.
        """
        carpeta = carpeta or self.solucion
        vecinos = {r.stem for r in carpeta.glob("*.py")}
        apartados = {n: sys.modules.pop(n) for n in vecinos if n in sys.modules}
        propio = f"taller_{self.numero}_{nombre}"
        sys.path.insert(0, str(carpeta))
        try:
            especificacion = importlib.util.spec_from_file_location(
                propio, carpeta / f"{nombre}.py"
            )
            modulo = importlib.util.module_from_spec(especificacion)
            sys.modules[propio] = modulo  # dataclasses y pickle buscan aquí el módulo de la clase
            especificacion.loader.exec_module(modulo)
            return modulo
        finally:
            sys.path.remove(str(carpeta))
            for vecino in vecinos:
                sys.modules.pop(vecino, None)
            sys.modules.update(apartados)


def modulos(raiz: Path | None = None) -> list[Modulo]:
    """Todos los módulos, ordenados por número."""
    raiz = raiz or raiz_del_taller()
    numeros: set[str] = set()
    for padre in (raiz / EJERCICIOS, raiz / SOLUCIONES):
        if padre.is_dir():
            numeros.update(
                hijo.name
                for hijo in padre.iterdir()
                if hijo.is_dir() and Modulo.es_numero(hijo.name)
            )
    return [Modulo(numero, raiz) for numero in sorted(numeros)]


def con_ejercicio(raiz: Path) -> list[Modulo]:
    """Los módulos que tienen su carpeta ejercicios/NN (los que el alumno puede hacer)."""
    lista = [modulo for modulo in modulos(raiz) if modulo.ejercicio.is_dir()]
    if not lista:
        raise ErrorDelTaller(f"No hay ningún módulo en {carpeta_de_ejercicios(raiz)}.")
    return lista


def buscar_modulo(texto: str, raiz: Path | None = None) -> Modulo:
    """Acepta '3', '03' o 'ejercicios/03' y devuelve el módulo, o explica qué hay."""
    raiz = raiz or raiz_del_taller()
    numero = Modulo.normalizar(texto)
    disponibles = modulos(raiz)
    for modulo in disponibles:
        if modulo.numero == numero:
            return modulo
    lista = ", ".join(m.numero for m in disponibles) or "ninguno"
    raise ErrorDelTaller(f"No existe el módulo {numero}. Módulos disponibles: {lista}.")


def casos_casi_bien(raiz: Path | None = None) -> list[dict[str, Any]]:
    """Los errores típicos de todos los módulos, cada uno con su «modulo» (la única lectura)."""
    raiz = raiz or raiz_del_taller()
    # Un módulo sin manifiesto no tiene casos: test_modulos.py ya dice que le falta.
    casos = [
        caso
        for modulo in modulos(raiz)
        if modulo.fichero_manifiesto.is_file()
        for caso in modulo.casi_bien
    ]
    return casos
