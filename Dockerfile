# El taller como imagen: JupyterLab en el puerto 8888, el proyecto instalado, sin root.
#
#   podman build -t taller .            (o docker build)
#   podman run --rm -p 8888:8888 taller
#
# y abre en el navegador la dirección con el token que escribe JupyterLab al arrancar.
# También es la base del devcontainer de VS Code (.devcontainer/devcontainer.json).
# La versión de Python se elige al construir: --build-arg PYTHON_VERSION=3.12
ARG PYTHON_VERSION=3.11
FROM python:${PYTHON_VERSION}-slim

# git para el control de versiones de VS Code y make para las órdenes del README. Las
# versiones las fija la Debian de la imagen base: fijarlas a mano rompería la construcción
# en cuanto Debian publique una actualización de seguridad.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git make \
    && rm -rf /var/lib/apt/lists/*

# Un usuario normal: nada de lo que hace el alumno necesita ser root.
RUN useradd --create-home --uid 1000 --shell /bin/bash alumno \
    && install -d -o alumno -g alumno /home/alumno/taller

# El venv va dentro del home de alumno, no en /opt: en Linux, el devcontainer (VS Code y el
# CLI de Dev Containers) cambia el UID de alumno por el de tu usuario y solo le devuelve su
# home (chown -R /home/alumno). Fuera del home, el venv seguiría siendo del UID 1000 y ni
# postCreateCommand ni tu `pip install` podrían escribir en él. USER va por nombre (hadolint
# DL3066 lo prefiere por número): devcontainer.json lo nombra como remoteUser, y el CLI de Dev
# Containers solo puede cambiarle el UID a un usuario que encuentra por su nombre.
# hadolint ignore=DL3066
USER alumno
ENV VIRTUAL_ENV=/home/alumno/.venv \
    PATH=/home/alumno/.venv/bin:$PATH \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /home/alumno/taller

# Primero las dependencias (cambian poco: esta capa se reutiliza entre construcciones)...
COPY --chown=alumno:alumno pyproject.toml README.md ./
COPY --chown=alumno:alumno src ./src
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --editable '.[dev]'

# ...y después el resto del taller: cuadernos, ejercicios, soluciones.
COPY --chown=alumno:alumno . .

EXPOSE 8888
# Con la configuración del taller, los terminales de JupyterLab tienen el venv activado.
ENV TALLER_VENV=/home/alumno/.venv
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--notebook-dir=/home/alumno/taller", "--config=/home/alumno/taller/herramientas/jupyter_lab_config.py"]
