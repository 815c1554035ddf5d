"""Markdown to HTML, cached by text so that unchanged text is converted once."""

from __future__ import annotations

import functools

import markdown
from markupsafe import Markup

_EXTENSIONS = ["extra", "sane_lists"]


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter, reset between documents (building one costs more than a conversion)."""
    return markdown.Markdown(extensions=_EXTENSIONS, output_format="html")


@functools.lru_cache(maxsize=8192)
def to_html(text: str) -> Markup:
    """Convert Markdown to safe HTML."""
    if not text.strip():
        return Markup("")
    converter = _converter()
    converter.reset()
    return Markup(converter.convert(text))


def to_plain(text: str) -> str:
    """A one-line plain version of short Markdown, for descriptions and feeds."""
    html = str(to_html(text))
    return " ".join(Markup(html).striptags().split())
