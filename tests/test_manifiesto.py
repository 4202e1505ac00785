"""El manifiesto de cada módulo (soluciones/NN/modulo.toml): Modulo lo valida y lo explica en
español, la tabla de módulos del README sale de él, y las reglas de número y carpeta solo están
en taller.modulos."""

import re
from pathlib import Path

import pytest

from taller import readme
from taller.modulos import ErrorDelManifiesto, Modulo, casos_casi_bien

RAIZ = Path(__file__).resolve().parents[1]
BUENO = """\
formato = 1
titulo = "Juguete"
construyes = "nada"
minutos = 30
pasos = ["uno"]
dependencias = []
necesita = []
"""


def _modulo(tmp_path, texto=None):
    modulo = Modulo("42", tmp_path)
    modulo.solucion.mkdir(parents=True)
    if texto is not None:
        modulo.fichero_manifiesto.write_text(texto, encoding="utf-8")
    return modulo


def test_un_manifiesto_bueno_se_lee(tmp_path):
    modulo = _modulo(
        tmp_path,
        BUENO + '\n[[casi_bien]]\nfichero = "a.py"\nque = "x"\n'
        'cambios = [["a", "b"]]\ndebe_fallar = ["test_a"]\n',
    )
    assert modulo.titulo == "Juguete", f"el título es el del manifiesto; llegó {modulo.titulo!r}"
    assert modulo.manifiesto.minutos == 30, "minutos = 30"
    assert modulo.casi_bien[0]["modulo"] == "42", "cada caso lleva el número de su carpeta"


@pytest.mark.parametrize(
    "texto, dice",
    [
        (None, "Falta soluciones/42/modulo.toml"),
        (BUENO.replace('titulo = "Juguete"\n', ""), "faltan «titulo»"),
        (BUENO + 'titlo = "x"\n', "claves desconocidas ['titlo']"),
        (BUENO.replace("minutos = 30", 'minutos = "media hora"'), "«minutos» debe ser un número"),
        (BUENO.replace("necesita = []", 'necesita = ["kubernetes"]'), "no conoce ['kubernetes']"),
        (BUENO.replace('pasos = ["uno"]', "pasos = []"), "«pasos» no puede estar vacía"),
        (BUENO.replace("formato = 1", "formato = 2"), "el formato 1"),
        (BUENO + '[[casi_bien]]\nmodulo = "42"\n', "sobra «modulo»"),
        (BUENO + "[[casi_bien]]\nsolo_debe_fallar = true\n", "«solo_debe_fallar» ya no se usa"),
        (BUENO + '[[casi_bien]]\nque = "algo"\n', "faltan «fichero»"),
        ("titulo = \n", "no es TOML válido"),
    ],
)
def test_un_manifiesto_malo_dice_que_le_pasa(tmp_path, texto, dice):
    modulo = _modulo(tmp_path, texto)
    with pytest.raises(ErrorDelManifiesto) as error:
        assert modulo.manifiesto is None, "no debería leerse"
    assert dice in str(error.value), f"el error debería decir «{dice}»; dice: {error.value}"


def test_la_tabla_de_modulos_del_readme_es_la_de_los_manifiestos():
    assert readme.tiene_tabla_de_modulos(RAIZ), (
        "README.md debe tener la tabla de módulos entre <!-- taller:modulos --> y su cierre"
    )
    assert readme.readme_esta_al_dia(RAIZ), (
        "La tabla de módulos del README no es la de los manifiestos (soluciones/NN/modulo.toml): "
        "ejecuta `taller generar`"
    )


def test_taller_generar_reescribe_la_tabla_vieja(tmp_path, taller_cli):
    copia = tmp_path / "taller"
    for nombre in ("pyproject.toml", "README.md"):
        (copia / nombre).parent.mkdir(parents=True, exist_ok=True)
        (copia / nombre).write_text((RAIZ / nombre).read_text("utf-8"), "utf-8")
    for numero in ("01", "02"):
        modulo, original = Modulo(numero, copia), Modulo(numero, RAIZ)
        modulo.solucion.mkdir(parents=True)
        modulo.fichero_manifiesto.write_bytes(original.fichero_manifiesto.read_bytes())
    manifiesto = Modulo("02", copia).fichero_manifiesto
    manifiesto.write_text(
        re.sub(r"^titulo = .*$", 'titulo = "Otro tema"', manifiesto.read_text("utf-8"), flags=re.M),
        "utf-8",
    )

    def generar(*argumentos):
        return taller_cli(copia, "generar", *argumentos)

    comprobado = generar("--comprobar")
    assert comprobado.returncode == 1 and "tabla de módulos" in comprobado.stderr, (
        f"--comprobar debe fallar con la tabla vieja; salió {comprobado.returncode}: "
        f"{comprobado.stderr}"
    )
    generado = generar()
    assert generado.returncode == 0, f"taller generar falló: {generado.stderr}"
    texto = (copia / "README.md").read_text("utf-8")
    tabla = texto.split("<!-- taller:modulos -->")[1].split("<!-- /taller:modulos -->")[0]
    assert "| 02 | Otro tema |" in tabla and "| 03 |" not in tabla, (
        f"la tabla debería tener 01 y 02, con el título nuevo:\n{tabla}"
    )
    assert generar("--comprobar").returncode == 0, "tras generar, --comprobar debe pasar"


# Las reglas de número y carpeta: dos cifras, «ejercicios»/«soluciones» + número.
_REGLAS = [
    (re.compile(r"\\d\\d|\\d\{2\}"), "el patrón de dos cifras"),
    (re.compile(r"""/ *["'](ejercicios|soluciones)["']"""), "la carpeta unida a mano"),
    (re.compile(r"(ejercicios|soluciones)/\{"), "la carpeta + número a mano"),
    (re.compile(r"name\.isdigit\(\)"), "«es un módulo» con isdigit()"),
    (re.compile(r":02d\}"), "el número con :02d"),
]


def test_ninguna_regla_de_numero_o_carpeta_fuera_de_modulo():
    fuera = []
    for carpeta in ("src/taller", "bench"):
        for fichero in sorted((RAIZ / carpeta).rglob("*.py")):
            if fichero.name == "modulos.py":
                continue
            for numero, linea in enumerate(fichero.read_text("utf-8").splitlines(), 1):
                for patron, que in _REGLAS:
                    if patron.search(linea) and 'Path("/proc")' not in linea:
                        fuera.append(
                            f"{fichero.relative_to(RAIZ)}:{numero}: {que}: {linea.strip()}"
                        )
    assert not fuera, (
        "Reglas de número o carpeta fuera de taller.modulos (pregunta a Modulo):\n"
        + "\n".join(fuera)
    )


def test_casos_casi_bien_los_lee_una_sola_funcion():
    casos = casos_casi_bien(RAIZ)
    assert casos and all(Modulo.es_numero(c["modulo"]) for c in casos), (
        "casos_casi_bien() devuelve los casos de todos los módulos, cada uno con su «modulo»"
    )


def test_el_generador_copia_el_apoyo_tal_cual_y_no_copia_el_manifiesto(tmp_path):
    from taller.generador import ErrorDeMarcas, esperado

    modulo = _modulo(tmp_path, BUENO)
    (modulo.solucion / "a.py").write_text(
        "def f():\n    # >>> SOLUCION: devuelve 1\n    return 1\n    # <<< SOLUCION\n", "utf-8"
    )
    apoyo = "import pytest\n\n\n@pytest.fixture\ndef dato():\n    return 1\n"
    (modulo.solucion / "conftest.py").write_text(apoyo, "utf-8")
    (modulo.solucion / "apoyo_servidor.py").write_text("PUERTO = 0\n", "utf-8")
    generado = {ruta.name: texto for ruta, texto in esperado(modulo).items()}
    assert sorted(generado) == ["a.py", "apoyo_servidor.py", "conftest.py"], (
        f"el generador escribe la solución y el apoyo, no modulo.toml; escribe {sorted(generado)}"
    )
    assert generado["conftest.py"] == apoyo and "TODO" in generado["a.py"], (
        "el apoyo se copia tal cual; la solución, con sus TODO"
    )
    (modulo.solucion / "apoyo_servidor.py").write_text("# >>> SOLUCION\nX = 1\n# <<< SOLUCION\n")
    with pytest.raises(ErrorDeMarcas, match="fichero de apoyo"):
        esperado(modulo)


def test_las_reglas_de_carpeta_de_modulo(tmp_path):
    assert Modulo.de_carpeta_de_pruebas(tmp_path / "ejercicios" / "03") == Modulo("03", tmp_path)
    assert Modulo.de_carpeta_de_pruebas(tmp_path / "soluciones" / "03") is None, "no son pruebas"
    assert Modulo.de_carpeta_de_pruebas(tmp_path / "ejercicios" / "3") is None, "dos cifras"
    assert Modulo.numero_en_junit("ejercicios.07.test_entornos") == "07", "classname de JUnit"
    assert Modulo.numero_en_junit("tests.test_modulos") is None, "las de tests/ no son de un módulo"
    assert Modulo.normalizar("ejercicios/3/") == "03", "acepta 3, 03, ejercicios/03"


def test_los_casos_casi_bien_estan_en_los_manifiestos():
    viejos = sorted(str(r.relative_to(RAIZ)) for r in (RAIZ / "tests" / "casi_bien").glob("*.toml"))
    assert not viejos, (
        f"Quedan casos en {viejos}: los errores típicos van en soluciones/NN/modulo.toml. "
        "Ejecuta `.venv/bin/python herramientas/mudar_casi_bien.py` (los muda sin repetir)."
    )
