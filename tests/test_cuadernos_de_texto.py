"""Los cuadernos se escriben como texto (cuadernos/NN_tema.py) y notebooks/NN_tema.ipynb sale
de él: están sincronizados, la conversión no pierde nada que importe y `taller generar` dice
qué hacer con un .ipynb sin su texto o editado a mano."""

import json
import subprocess

import nbformat
import pytest

from taller.cli import main
from taller.cuadernos_de_texto import a_ipynb, a_texto, forma_fija
from taller.modulos import ErrorDelTaller


def test_cada_cuaderno_sale_de_su_texto(modulo):
    texto = modulo.texto_del_cuaderno
    assert texto is not None, (
        f"el módulo {modulo.numero} no tiene el texto de su cuaderno en cuadernos/: "
        f"ejecuta `taller generar --desde-cuadernos {modulo.numero}`"
    )
    cuaderno = modulo.cuaderno_de(texto)
    assert cuaderno.is_file(), f"falta {cuaderno.name}, que sale de {texto.name}: `taller generar`"
    generado = a_ipynb(texto.read_text(encoding="utf-8"), texto.name)
    assert cuaderno.read_text(encoding="utf-8") == generado, (
        f"notebooks/{cuaderno.name} no es lo que sale de cuadernos/{texto.name}: si editaste "
        f"el texto, `taller generar`; si editaste el .ipynb, "
        f"`taller generar --desde-cuadernos {modulo.numero}`"
    )


def test_el_texto_esta_en_su_forma_fija(modulo):
    # Con los ids de todas sus celdas escritos (si no, cambiarían al añadir otras delante) y
    # como lo escribe jupytext: importar su .ipynb (--desde-cuadernos) no lo cambia.
    texto = modulo.texto_del_cuaderno
    if texto is None:
        pytest.skip("sin texto: lo dice test_cada_cuaderno_sale_de_su_texto")
    escrito = texto.read_text(encoding="utf-8")
    assert forma_fija(escrito, texto.name) == escrito, (
        f"cuadernos/{texto.name} no está en su forma fija: ejecuta `taller generar "
        f"{modulo.numero}`, que la escribe"
    )


def _cuaderno_de_ejemplo() -> str:
    cuaderno = nbformat.v4.new_notebook()
    cuaderno.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"},
    }
    texto = nbformat.v4.new_markdown_cell(
        "## 5. La figura\n\n![El barrido](img/barrido_ejecutores.png)\n\n```python\n# %% no es una celda\n```"
    )
    texto["id"] = "m04-13a"
    codigo = nbformat.v4.new_code_cell(
        "from taller.ejecucion import comprobar_en_cuaderno\n\ncomprobar_en_cuaderno('04');",
        execution_count=7,
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="hola\n")],
    )
    codigo["id"] = "m04-13b"
    codigo.metadata = {"tags": ["comprobar"], "scrolled": True, "execution": {"iopub": "x"}}
    cuaderno.cells = [texto, codigo]
    return nbformat.writes(cuaderno)


def test_la_ida_y_vuelta_conserva_ids_etiquetas_imagenes_y_metadatos():
    texto = a_texto(_cuaderno_de_ejemplo())
    assert '# %% [markdown] id="m04-13a"' in texto, f"el id va en la cabecera de la celda:\n{texto}"
    vuelta = json.loads(a_ipynb(texto))
    textos, codigos = vuelta["cells"]
    assert [textos["id"], codigos["id"]] == ["m04-13a", "m04-13b"], (
        f"los ids deben volver tal cual; volvieron {textos['id']}, {codigos['id']}"
    )
    assert "".join(textos["source"]).endswith(
        "![El barrido](img/barrido_ejecutores.png)\n\n```python\n# %% no es una celda\n```"
    ), f"la celda de texto debe volver entera, con su imagen; volvió {textos['source']}"
    assert codigos["metadata"] == {"tags": ["comprobar"]}, (
        "de los metadatos de la celda vuelven las etiquetas, no el estado de la interfaz "
        f"(scrolled, execution); volvió {codigos['metadata']}"
    )
    assert codigos["outputs"] == [] and codigos["execution_count"] is None, (
        f"el cuaderno se guarda sin salidas; volvieron {codigos['outputs']}"
    )
    assert vuelta["metadata"]["language_info"] == {"name": "python"}, (
        f"de language_info solo queda el nombre; quedó {vuelta['metadata']['language_info']}"
    )
    assert a_texto(a_ipynb(texto)) == texto, "pasar el texto a .ipynb y de vuelta no lo cambia"


def test_una_celda_escrita_sin_id_recibe_siempre_el_mismo():
    texto = '# %% [markdown]\n# ## 1. Título\n\n# %%\nx = 1\n\n# %% id="propio"\ny = 2\n'
    primera, segunda = json.loads(a_ipynb(texto, "09_x.py")), json.loads(a_ipynb(texto, "09_x.py"))
    ids = [c["id"] for c in primera["cells"]]
    assert ids == [c["id"] for c in segunda["cells"]], (
        f"los ids nuevos no pueden ser al azar (--comprobar fallaría siempre): {ids}"
    )
    assert len(set(ids)) == 3 and ids[2] == "propio", f"ids únicos, y el propio se respeta: {ids}"


def test_dos_celdas_con_el_mismo_id_es_un_error():
    with pytest.raises(ErrorDelTaller, match="mismo id: a"):
        a_ipynb('# %% id="a"\nx = 1\n\n# %% id="a"\ny = 2\n', "09_x.py")


# --- `taller generar` con un .ipynb sin su texto, importado o editado a mano ---------------


@pytest.fixture
def taller_con_09(tmp_path, monkeypatch):
    """Un taller con un módulo 09 cuyo cuaderno llegó como .ipynb, sin su texto."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "soluciones" / "09").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "09_final.ipynb").write_text(_cuaderno_de_ejemplo())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _taller(capsys, *argumentos):
    codigo = main(["generar", *argumentos])
    salida = capsys.readouterr()
    return codigo, salida.out + salida.err


@pytest.fixture
def importado(taller_con_09, capsys):
    """El texto y el .ipynb del 09 después de `taller generar --desde-cuadernos`."""
    codigo, salida = _taller(capsys, "--desde-cuadernos")
    assert codigo == 0, f"--desde-cuadernos debe funcionar:\n{salida}"
    return (
        taller_con_09 / "cuadernos" / "09_final.py",
        taller_con_09 / "notebooks" / "09_final.ipynb",
    )


def test_un_cuaderno_sin_su_texto_dice_que_orden_ejecutar(taller_con_09, capsys):
    for argumentos in (["--comprobar"], []):
        codigo, salida = _taller(capsys, *argumentos)
        assert codigo == 1 and "taller generar --desde-cuadernos 09" in salida, (
            f"`taller generar {' '.join(argumentos)}` debe fallar y decir qué orden crea el "
            f"texto de notebooks/09_final.ipynb; salió {codigo}:\n{salida}"
        )
        assert "cuadernos/09_final.py" in salida, f"debe nombrar el texto que falta:\n{salida}"


def test_importar_un_cuaderno_es_idempotente(taller_con_09, capsys):
    codigo, salida = _taller(capsys, "--desde-cuadernos")
    texto = taller_con_09 / "cuadernos" / "09_final.py"
    assert codigo == 0 and texto.is_file(), f"--desde-cuadernos debe crear {texto}:\n{salida}"
    assert "notebooks/09_final.ipynb" in salida, f"reescribe el .ipynb (sin salidas):\n{salida}"
    antes = texto.read_text(), (taller_con_09 / "notebooks" / "09_final.ipynb").read_text()
    codigo, salida = _taller(capsys, "--desde-cuadernos", "09")
    despues = texto.read_text(), (taller_con_09 / "notebooks" / "09_final.ipynb").read_text()
    assert codigo == 0 and salida == "" and antes == despues, (
        f"importar otra vez no debe cambiar nada; escribió:\n{salida}"
    )
    codigo, salida = _taller(capsys, "--comprobar")
    assert codigo == 0, f"tras importar, --comprobar debe pasar:\n{salida}"


def test_generar_no_pisa_un_ipynb_con_cambios_que_no_estan_en_su_texto(
    taller_con_09, importado, capsys
):
    texto, cuaderno = importado
    editado = cuaderno.read_text().replace("La figura", "La figura, editada en JupyterLab")
    cuaderno.write_text(editado)
    codigo, salida = _taller(capsys)
    assert codigo == 1 and cuaderno.read_text() == editado, (
        f"un .ipynb con cambios propios (de JupyterLab, de un merge) no se pisa; salió:\n{salida}"
    )
    assert "--desde-cuadernos 09" in salida and "--forzar" in salida, (
        f"debe decir cómo pasar el cambio al texto y cómo descartarlo:\n{salida}"
    )
    codigo, salida = _taller(capsys, "--comprobar")
    assert codigo == 1 and "--desde-cuadernos 09" in salida, f"--comprobar lo ve:\n{salida}"
    _taller(capsys, "--desde-cuadernos")
    assert "editada en JupyterLab" in texto.read_text(), "el cambio debe llegar al texto"
    codigo, salida = _taller(capsys, "--comprobar")
    assert codigo == 0, f"tras importar el cambio, todo está al día:\n{salida}"


def test_generar_escribe_el_ipynb_cuando_se_edita_el_texto(taller_con_09, importado, capsys):
    texto, cuaderno = importado
    for vez in ("una", "otra"):
        texto.write_text(texto.read_text().replace("La figura", f"La figura, {vez} vez"))
        codigo, salida = _taller(capsys)
        assert codigo == 0 and f"{vez} vez" in cuaderno.read_text(), (
            f"`taller generar` debe reescribir el .ipynb desde su texto:\n{salida}"
        )
    cuaderno.write_text("{}")
    codigo, salida = _taller(capsys, "--forzar")
    assert codigo == 0 and "otra vez" in cuaderno.read_text(), (
        f"con --forzar, el texto manda aunque el .ipynb tenga cambios propios:\n{salida}"
    )


def test_generar_escribe_en_el_texto_el_id_de_las_celdas_nuevas(taller_con_09, importado, capsys):
    texto, cuaderno = importado
    texto.write_text(texto.read_text() + "\n# %%\nnueva = 1\n")
    codigo, salida = _taller(capsys, "--comprobar")
    assert codigo == 1 and "cuadernos/09_final.py" in salida, (
        f"--comprobar debe ver la celda sin id del texto:\n{salida}"
    )
    codigo, salida = _taller(capsys)
    cabeceras = [linea for linea in texto.read_text().splitlines() if linea.startswith("# %%")]
    assert codigo == 0 and cabeceras[-1].startswith('# %% id="'), (
        f"`taller generar` debe escribir el id de la celda nueva en el texto: {cabeceras}"
    )
    ids = [c["id"] for c in json.loads(cuaderno.read_text())["cells"]]
    assert cabeceras[-1] == f'# %% id="{ids[-1]}"', f"el mismo id en el texto y en el .ipynb: {ids}"
    codigo, salida = _taller(capsys, "--comprobar")
    assert codigo == 0, f"después, todo al día:\n{salida}"


def _git(carpeta, *orden):
    identidad = ["-c", "user.name=Taller", "-c", "user.email=taller@example.invalid"]
    subprocess.run(["git", *identidad, *orden], cwd=carpeta, check=True, capture_output=True)


def test_tras_un_merge_el_ipynb_que_no_sale_del_texto_confirmado_no_se_pisa(
    taller_con_09, importado, capsys
):
    # Como tras unir una rama que editó el .ipynb: ni el registro de esta copia ni el texto del
    # último commit lo explican. En cambio, si lo que cambió es el texto, se escribe.
    texto, cuaderno = importado
    (taller_con_09 / ".taller" / "cuadernos_generados.json").unlink()
    _git(taller_con_09, "init", "-q")
    _git(taller_con_09, "add", "cuadernos", "notebooks")
    _git(taller_con_09, "commit", "-qm", "cuaderno 09")
    texto.write_text(texto.read_text().replace("La figura", "La figura, del texto"))
    codigo, salida = _taller(capsys)
    assert codigo == 0 and "del texto" in cuaderno.read_text(), (
        f"el .ipynb salía del texto del último commit: se reescribe:\n{salida}"
    )
    (taller_con_09 / ".taller" / "cuadernos_generados.json").unlink()
    _git(taller_con_09, "checkout", "-q", "cuadernos")
    cuaderno.write_text(cuaderno.read_text().replace("del texto", "de la otra rama"))
    codigo, salida = _taller(capsys)
    assert codigo == 1 and "de la otra rama" in cuaderno.read_text(), (
        f"un .ipynb que no sale de ningún texto conocido no se pisa:\n{salida}"
    )
