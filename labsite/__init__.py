"""Alternativa Film Labs site generator."""
