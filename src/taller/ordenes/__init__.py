"""Un módulo por verbo de la orden `taller` (ver taller.cli)."""
