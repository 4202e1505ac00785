"""El benchmark no se pudre: corre en pequeño y da su JSON en la última línea."""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from taller.modulos import raiz_del_taller

# La raíz se busca una vez, al importar: los trabajos de fondo corren en otros hilos mientras
# otras pruebas cambian de carpeta (ver el mismo aviso en test_casi_bien.py).
RAIZ = raiz_del_taller()


def monitorizacion_en_pequeno(raiz):
    orden = [sys.executable, "bench/monitorizacion.py", "--servidores", "20"]
    orden += ["--latencia", "0.01", "--json"]
    return subprocess.run(orden, cwd=raiz, capture_output=True, text=True, check=False)


@pytest.mark.lento
@pytest.mark.timeout(120)
def test_el_benchmark_corre_en_pequeno_y_da_json(de_fondo):
    proceso = de_fondo()
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    resultados = json.loads(proceso.stdout.strip().splitlines()[-1])
    assert {"secuencial_s", "ideal_secuencial_s"} <= set(resultados)
    assert resultados["ideal_secuencial_s"] == pytest.approx(0.2)
    assert resultados["secuencial_s"] >= 0.2, "uno a uno no puede bajar de N x latencia"


# Lo que otras pruebas escriben a la vez que corre el bench (van de fondo, a la vez que las
# demás): los __pycache__ de los pytest bifurcados del zigoto y la figura que el bench de los
# módulos 03 y 04 dibuja, por diseño, en bench/resultados/ (que git ignora).
_DE_OTRAS_PRUEBAS = ("__pycache__/", "!! bench/resultados/")


def _lo_que_git_ve(raiz):
    """`git status` con lo ignorado, sin lo que escriben a la vez otras pruebas."""
    orden = ["git", "-C", str(raiz), "status", "--porcelain", "--ignored"]
    lineas = subprocess.run(orden, capture_output=True, text=True, check=True).stdout.splitlines()
    return [linea for linea in lineas if not any(d in linea for d in _DE_OTRAS_PRUEBAS)]


def tiempos_del_01(raiz):
    """(lo que ve git antes, el proceso, lo que ve git después)."""
    antes = _lo_que_git_ve(raiz)
    orden = [sys.executable, "bench/tiempos_por_modulo.py", "--rondas", "1", "--modulos", "01"]
    proceso = subprocess.run(orden, cwd=raiz, capture_output=True, text=True, check=False)
    return antes, proceso, _lo_que_git_ve(raiz)


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_tiempos_por_modulo_da_su_tabla_sin_escribir_en_el_repositorio(de_fondo):
    antes, proceso, despues = de_fondo()
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    filas = [linea for linea in proceso.stdout.splitlines() if linea.startswith("| 01 |")]
    assert len(filas) == 2, f"una fila con la solución y otra con el esqueleto:\n{proceso.stdout}"
    assert despues == antes, "el bench no debe escribir nada dentro del repositorio"


def del_bench(nombre: str):
    """Importa bench/NOMBRE.py: bench/ no es un paquete (sus guiones se ejecutan sueltos)."""
    ruta = Path(__file__).parent.parent / "bench" / f"{nombre}.py"
    especificacion = importlib.util.spec_from_file_location(f"bench_{nombre}", ruta)
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo


def test_make_bench_no_reescribe_la_figura_del_cuaderno(monkeypatch):
    # La imagen de notebooks/img/ solo cambia con `make figuras`: medir no ensucia el árbol.
    filas = del_bench("filas_03_04")
    monkeypatch.delenv("TALLER_ACTUALIZAR_FIGURAS", raising=False)
    assert "bench/resultados" in filas.destino_de_la_figura(completa=True).as_posix()
    monkeypatch.setenv("TALLER_ACTUALIZAR_FIGURAS", "1")
    assert "notebooks/img" in filas.destino_de_la_figura(completa=True).as_posix()
    assert "bench/resultados" in filas.destino_de_la_figura(completa=False).as_posix()


def test_la_tabla_del_readme_la_escribe_el_bench_entre_sus_marcas(tmp_path):
    readme = del_bench("readme")
    real = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    abre, cierra = readme.marcas("monitorizacion")
    assert real.count(abre) == 1 and real.count(cierra) == 1, "el README debe tener sus marcas"
    copia = tmp_path / "README.md"
    copia.write_text(real, encoding="utf-8")
    readme.escribir_en_el_readme("monitorizacion", "| nueva | tabla |", copia)
    nuevo = copia.read_text(encoding="utf-8")
    assert f"{abre}\n| nueva | tabla |\n{cierra}" in nuevo
    assert nuevo.replace("| nueva | tabla |", "X") == readme.reemplazar_seccion(
        real, "monitorizacion", "X"
    )


def cluster_en_pequeno(raiz, resultados):
    """(lo que ve git antes, el proceso, lo que ve git después). Un solo cluster y una flota
    grande de juguete: solo se comprueba que funciona, que da su JSON y que sus figuras van a
    --resultados, no a notebooks/img/ ni al README."""
    antes = _lo_que_git_ve(raiz)
    orden = [sys.executable, "bench/cluster.py", "--servidores", "20", "--latencia", "0.01"]
    orden += ["--tareas", "100", "--clusters", "2x5", "--flota-grande", "20,30"]
    orden += ["--por-tarea-hasta", "20", "--puertos", "5", "--resultados", str(resultados)]
    entorno = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proceso = subprocess.run(
        [*orden, "--json"], cwd=raiz, capture_output=True, text=True, check=False, env=entorno
    )
    return antes, proceso, _lo_que_git_ve(raiz), resultados


# Las tres que ejecutan un bench de verdad (de 15 a 30 s cada una, con la máquina ocupada) van
# de fondo mientras corren las demás (ver Fondo en conftest.py): no comprueban ningún reloj.
A_LA_VEZ_PRIMERO = True
A_LA_VEZ = {
    "test_el_benchmark_corre_en_pequeno_y_da_json": lambda _, f: monitorizacion_en_pequeno(RAIZ),
    "test_tiempos_por_modulo_da_su_tabla_sin_escribir_en_el_repositorio": lambda _, f: (
        tiempos_del_01(RAIZ)
    ),
    "test_el_bench_del_10_corre_en_pequeno_sin_escribir_en_el_repositorio": lambda _, f: (
        cluster_en_pequeno(RAIZ, f.carpeta())
    ),
}


@pytest.mark.lento
@pytest.mark.timeout(300)
def test_el_bench_del_10_corre_en_pequeno_sin_escribir_en_el_repositorio(de_fondo):
    antes, proceso, despues, carpeta = de_fondo()
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    resultados = json.loads(proceso.stdout.strip().splitlines()[-1])
    esperadas = {"executor_10_s", "cluster_2x5_s", "tarea_cluster_x_pool", "cpu_ligera_us"}
    esperadas |= {"flota_20_pool_s", "flota_20_tarea_s", "flota_20_lotes_s", "flota_30_lotes_s"}
    assert esperadas <= set(resultados), f"faltan {sorted(esperadas - set(resultados))}"
    assert "flota_30_tarea_s" not in resultados, "30 > --por-tarea-hasta: tarea a tarea no se mide"
    assert resultados["flota_20_ideal_s"] == pytest.approx(20 * 0.005 / 10)
    figuras = sorted(p.name for p in carpeta.iterdir())
    assert figuras == ["flota_grande.png", "ronda_frente_a_workers.png"], figuras
    assert despues == antes, "el bench no debe escribir nada dentro del repositorio"


def test_el_bench_del_10_solo_reescribe_sus_figuras_con_readme(tmp_path):
    cluster = del_bench("cluster")
    assert cluster.carpeta_de_figuras(False, tmp_path) == tmp_path
    assert cluster.carpeta_de_figuras(True, tmp_path).as_posix().endswith("notebooks/img")
    assert cluster.lista_de_enteros("200,2000,20_000") == (200, 2000, 20000)
    assert cluster.lista_de_enteros("") == (), "«» es no medir la flota grande"
    assert cluster.lista_de_clusters("1x10,4x3") == ((1, 10), (4, 3))
    with pytest.raises(argparse.ArgumentTypeError):
        cluster.lista_de_clusters("dos")
    dashboard = del_bench("dashboard")
    assert "bench/resultados" in dashboard.destino(actualizar=False).as_posix()
    assert "notebooks/img" in dashboard.destino(actualizar=True).as_posix()
