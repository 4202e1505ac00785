# Taller de Python para sistemas.
#   make lab    abre JupyterLab en notebooks/ (crea .venv la primera vez)
#   make test   todas las comprobaciones del taller: pruebas, ruff y cuadernos
#   make contenedor  construye la imagen y el devcontainer del taller y los prueba con el CLI de
#                    Dev Containers, con podman sin root y con Docker (como root: instala lo que falte)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SELLO  := $(VENV)/.instalado

.PHONY: lab test entorno lint formato generar bench figuras limpiar contenedor

entorno: $(SELLO)

$(SELLO): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(SELLO)

# Los terminales que abre JupyterLab activan el .venv del taller (herramientas/jupyter_lab_config.py):
# `taller` y `pytest` son los del taller. Como root (un contenedor, CI, algunas máquinas en la
# nube) Jupyter se niega a arrancar sin --allow-root. LAB_OPCIONES añade opciones de Jupyter
# (las pruebas del taller: --no-browser --port=...).
LAB_OPCIONES ?=
lab: $(SELLO)
	@echo "JupyterLab se abre en notebooks/. La dirección (con su token) sale unas líneas más abajo; Ctrl+C lo cierra."
	PATH="$(CURDIR)/$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)" TALLER_VENV="$(CURDIR)/$(VENV)" \
	  $(BIN)/jupyter lab --config=herramientas/jupyter_lab_config.py --notebook-dir=notebooks \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_OPCIONES)

# --durations=10: al final, las diez pruebas más lentas (solo aquí: en pyproject.toml saldrían
# también en cada `pytest ejercicios/NN` del alumno).
test: $(SELLO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/taller generar --comprobar
	$(BIN)/python -m pytest --durations=10

lint: $(SELLO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

formato: $(SELLO)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

generar: $(SELLO)
	$(BIN)/taller generar

# Como root: instala con apt y npm lo que falte, arranca un dockerd propio (y lo para) y prueba
# como un usuario de UID distinto de 1000. El .venv es para las pruebas del módulo 08.
contenedor: $(SELLO)
	$(PYTHON) herramientas/contenedor.py

bench: $(SELLO)
	$(BIN)/python bench/monitorizacion.py
	$(BIN)/python bench/cluster.py

# Como bench, y además reescribe las figuras que enseñan los cuadernos (notebooks/img/) y la
# tabla del README (entre sus marcas <!-- bench:... -->), con la fecha y la máquina; y la captura
# del dashboard de Dask del cuaderno 10 (con chromium sin cabeza; sin chromium, la deja como está).
figuras: $(SELLO)
	TALLER_ACTUALIZAR_FIGURAS=1 $(BIN)/python bench/monitorizacion.py --readme
	$(BIN)/python bench/cluster.py --readme
	$(BIN)/python bench/tiempos_por_modulo.py --rondas 3 --readme
	$(BIN)/python bench/dashboard.py --actualizar

limpiar:
	rm -rf $(VENV) build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
