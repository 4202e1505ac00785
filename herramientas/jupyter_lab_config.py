# Configuración de JupyterLab para `make lab` (la carga con --config).
#
# Los terminales de JupyterLab son un bash de login, y en Debian /etc/profile rehace el PATH:
# el .venv del taller desaparece y `taller` no se encuentra. Por eso el terminal es un bash
# interactivo con un fichero de arranque propio, que lee el ~/.bashrc del usuario y después
# activa el .venv del taller (TALLER_VENV, que ponen el Makefile y el Dockerfile).
import os

c = get_config()  # noqa: F821 - la define Jupyter al cargar este fichero

c.ServerApp.terminado_settings = {
    "shell_command": [
        "/bin/bash",
        "--rcfile",
        os.path.join(os.path.dirname(__file__), "terminal_del_taller.bashrc"),  # noqa: F821
        "-i",
    ]
}
