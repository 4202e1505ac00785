# Taller de Python para sistemas.
#   make lab    abre JupyterLab en notebooks/ (crea .venv la primera vez)
#   make test   todas las comprobaciones del taller: pruebas, ruff y cuadernos
#   make contenedor  construye la imagen y el devcontainer del taller y los prueba con podman
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SELLO  := $(VENV)/.instalado

.PHONY: lab test entorno lint formato generar bench limpiar contenedor

entorno: $(SELLO)

$(SELLO): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(SELLO)

lab: $(SELLO)
	$(BIN)/jupyter lab --notebook-dir=notebooks

test: $(SELLO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/taller generar --comprobar
	$(BIN)/python -m pytest

lint: $(SELLO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

formato: $(SELLO)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

generar: $(SELLO)
	$(BIN)/taller generar

# No necesita .venv: solo la biblioteca estándar de Python, podman y (como root) apt.
contenedor:
	$(PYTHON) herramientas/contenedor.py

bench: $(SELLO)
	$(BIN)/python bench/monitorizacion.py

limpiar:
	rm -rf $(VENV) build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
