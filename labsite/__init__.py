"""Alternativa Film Labs site generator."""

__version__ = "0.2.0"
