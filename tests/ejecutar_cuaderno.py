"""Ejecuta un cuaderno de principio a fin, como JupyterLab, y guarda el resultado con salidas.

Uso: python tests/ejecutar_cuaderno.py CUADERNO.ipynb RESULTADO.ipynb

Se ejecuta en su propio proceso (lo lanza tests/test_cuadernos.py): el núcleo de Jupyter y
sus hilos no se mezclan con los de las pruebas. Si una celda lanza, sale con 1 y dice cuál.
"""

import sys
from pathlib import Path

# jsonschema (lo importa nbformat) carga rfc3987_syntax si está instalado (lo trae JupyterLab),
# que compila su gramática al importarse: 3 s de CPU en cada proceso, para comprobar el formato
# «iri», que ningún esquema de nbformat usa. Así jsonschema no lo carga (lo trata como ausente).
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

entrada, salida = Path(sys.argv[1]), Path(sys.argv[2])
cuaderno = nbformat.read(entrada, as_version=4)
cliente = NotebookClient(
    cuaderno,
    timeout=60,
    kernel_name="python3",
    resources={"metadata": {"path": str(entrada.parent)}},
)
try:
    cliente.execute()
except CellExecutionError as error:
    nbformat.write(cuaderno, salida)
    print(f"{entrada.name}: una celda lanza un error:\n{error}", file=sys.stderr)
    sys.exit(1)
nbformat.write(cuaderno, salida)
