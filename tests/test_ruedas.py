"""apoyo_ruedas.py: las ruedas de juguete de las pruebas del módulo 07 son ruedas válidas (PEP 427)."""

import base64
import csv
import hashlib
import io
import subprocess
import venv
import zipfile

import pytest

from taller.pruebas import apoyo_del_modulo

ruedas = apoyo_del_modulo("07", "ruedas")


def test_las_ruedas_de_saludos_tienen_nombre_y_contenido_de_rueda(tmp_path):
    hechas = ruedas.ruedas_de_saludos(tmp_path)
    assert sorted(r.name for r in hechas.values()) == [
        "saludos-1.0-py3-none-any.whl",
        "saludos-2.0-py3-none-any.whl",
    ]
    with zipfile.ZipFile(hechas["2.0"]) as rueda:
        nombres = set(rueda.namelist())
        assert nombres == {
            "saludos/__init__.py",
            "saludos-2.0.dist-info/METADATA",
            "saludos-2.0.dist-info/WHEEL",
            "saludos-2.0.dist-info/RECORD",
        }
        assert "Version: 2.0" in rueda.read("saludos-2.0.dist-info/METADATA").decode()
        filas = list(csv.reader(io.StringIO(rueda.read("saludos-2.0.dist-info/RECORD").decode())))
        for ruta, huella, tamano in filas:
            if ruta.endswith("RECORD"):
                assert (huella, tamano) == ("", "")
                continue
            datos = rueda.read(ruta)
            esperada = base64.urlsafe_b64encode(hashlib.sha256(datos).digest()).rstrip(b"=")
            assert huella == "sha256=" + esperada.decode() and int(tamano) == len(datos), ruta
        assert {fila[0] for fila in filas} == nombres


def test_la_misma_rueda_da_los_mismos_bytes(tmp_path):
    uno = ruedas.ruedas_de_saludos(tmp_path / "uno")["1.0"].read_bytes()
    otro = ruedas.ruedas_de_saludos(tmp_path / "otro")["1.0"].read_bytes()
    assert uno == otro


@pytest.mark.parametrize(("nombre", "version"), [("con-guion", "1.0"), ("bien", "1.0rc1")])
def test_nombres_y_versiones_raros_se_rechazan(tmp_path, nombre, version):
    with pytest.raises(ValueError):
        ruedas.construir_rueda(tmp_path, nombre, version, {})


def test_instalar_a_mano_deja_el_paquete_visible_para_el_python_del_entorno(tmp_path):
    venv.create(tmp_path / "entorno", with_pip=False)
    rueda = ruedas.ruedas_de_saludos(tmp_path / "ruedas")["1.0"]
    ruedas.instalar_a_mano(rueda, tmp_path / "entorno")
    proceso = subprocess.run(
        [str(tmp_path / "entorno" / "bin" / "python"), "-c",
         "import importlib.metadata as m, saludos; print(m.version('saludos'), saludos.saludar())"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proceso.stdout.split() == ["1.0", "HOLA"], proceso.stderr


def test_instalar_a_mano_rechaza_lo_que_no_es_un_entorno(tmp_path):
    rueda = ruedas.ruedas_de_saludos(tmp_path / "ruedas")["1.0"]
    with pytest.raises(ValueError):
        ruedas.instalar_a_mano(rueda, tmp_path / "no_es_un_entorno")
