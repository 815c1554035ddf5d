"""Catalogues, the per-language bundle of translations, and the translation state of every text."""
