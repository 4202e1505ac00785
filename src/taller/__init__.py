"""Taller de Python para sistemas: el paquete de apoyo (CLI, flota, generador, plugin de pytest)."""
