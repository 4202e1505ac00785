# El arranque de los terminales de JupyterLab en `make lab` (ver jupyter_lab_config.py):
# lo de siempre del usuario y, después, el .venv del taller, para que `taller` y `pytest`
# sean los del taller.
if [ -f "$HOME/.bashrc" ]; then
    . "$HOME/.bashrc"
fi
if [ -n "${TALLER_VENV:-}" ] && [ -f "$TALLER_VENV/bin/activate" ]; then
    . "$TALLER_VENV/bin/activate"
fi
