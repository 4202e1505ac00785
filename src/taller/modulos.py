"""Dónde está cada pieza del taller: la raíz, los módulos NN y sus ficheros.

Un módulo existe si existe su carpeta `soluciones/NN` o `ejercicios/NN`: añadir un módulo
es añadir sus carpetas, sin registrarlo en ninguna lista (las pruebas del taller lo
encuentran solas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PATRON_NUMERO = re.compile(r"^\d\d$")


class ErrorDelTaller(Exception):
    """Error con un mensaje en español pensado para mostrarse tal cual al alumno."""


def es_raiz_del_taller(carpeta: Path) -> bool:
    """Una raíz tiene pyproject.toml y la carpeta ejercicios/ o soluciones/."""
    return (carpeta / "pyproject.toml").is_file() and (
        (carpeta / "ejercicios").is_dir() or (carpeta / "soluciones").is_dir()
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
        "del repositorio (la que tiene pyproject.toml, ejercicios/ y soluciones/)."
    )


@dataclass(frozen=True)
class Modulo:
    """Un módulo del taller: número, carpetas y ficheros que lo acompañan."""

    numero: str
    raiz: Path

    @property
    def ejercicio(self) -> Path:
        return self.raiz / "ejercicios" / self.numero

    @property
    def solucion(self) -> Path:
        return self.raiz / "soluciones" / self.numero

    @property
    def enunciado(self) -> Path:
        return self.ejercicio / "README.md"

    @property
    def fichero_pistas(self) -> Path:
        return self.ejercicio / "pistas.md"

    @property
    def cuaderno(self) -> Path | None:
        candidatos = self.cuadernos()
        return candidatos[0] if candidatos else None

    def cuadernos(self) -> list[Path]:
        """Los .ipynb del módulo en notebooks/ (debe haber uno: notebooks/NN_tema.ipynb)."""
        return sorted((self.raiz / "notebooks").glob(f"{self.numero}_*.ipynb"))

    @property
    def texto_del_cuaderno(self) -> Path | None:
        """La fuente del cuaderno, cuadernos/NN_tema.py: el .ipynb se genera de ella."""
        candidatos = sorted((self.raiz / "cuadernos").glob(f"{self.numero}_*.py"))
        return candidatos[0] if candidatos else None

    def cuaderno_de(self, texto: Path) -> Path:
        """El .ipynb que se genera del texto cuadernos/NN_tema.py: notebooks/NN_tema.ipynb."""
        return self.raiz / "notebooks" / f"{texto.stem}.ipynb"

    def texto_para(self, cuaderno: Path) -> Path:
        """El texto del que sale (o saldrá) notebooks/NN_tema.ipynb: cuadernos/NN_tema.py."""
        return self.raiz / "cuadernos" / f"{cuaderno.stem}.py"

    @property
    def titulo(self) -> str:
        """La primera línea `# ...` del enunciado, sin el número delante."""
        if self.enunciado.is_file():
            for linea in self.enunciado.read_text(encoding="utf-8").splitlines():
                if linea.startswith("# "):
                    return re.sub(r"^#\s*(Módulo\s*)?\d\d\s*[—:-]?\s*", "", linea).strip()
        return f"Módulo {self.numero}"

    def pistas(self) -> list[str]:
        """Las pistas, en orden: cada sección `## Pista N` de pistas.md."""
        if not self.fichero_pistas.is_file():
            return []
        texto = self.fichero_pistas.read_text(encoding="utf-8")
        trozos = re.split(r"^## +Pista\b.*$", texto, flags=re.MULTILINE)
        return [trozo.strip() for trozo in trozos[1:] if trozo.strip()]

    def pruebas(self) -> list[Path]:
        return sorted(self.ejercicio.glob("test_*.py"))


def modulos(raiz: Path | None = None) -> list[Modulo]:
    """Todos los módulos, ordenados por número."""
    raiz = raiz or raiz_del_taller()
    numeros: set[str] = set()
    for padre in (raiz / "ejercicios", raiz / "soluciones"):
        if padre.is_dir():
            numeros.update(
                hijo.name
                for hijo in padre.iterdir()
                if hijo.is_dir() and PATRON_NUMERO.match(hijo.name)
            )
    return [Modulo(numero, raiz) for numero in sorted(numeros)]


def buscar_modulo(texto: str, raiz: Path | None = None) -> Modulo:
    """Acepta '3', '03' o 'ejercicios/03' y devuelve el módulo, o explica qué hay."""
    raiz = raiz or raiz_del_taller()
    limpio = Path(str(texto).rstrip("/")).name
    if not limpio.isdigit():
        raise ErrorDelTaller(f"«{texto}» no es un número de módulo: prueba con 01, 02, 03…")
    numero = f"{int(limpio):02d}"
    disponibles = modulos(raiz)
    for modulo in disponibles:
        if modulo.numero == numero:
            return modulo
    lista = ", ".join(m.numero for m in disponibles) or "ninguno"
    raise ErrorDelTaller(f"No existe el módulo {numero}. Módulos disponibles: {lista}.")
