"""Markdown to HTML, cached by text so that unchanged text is converted once; raw HTML is cleaned."""

from __future__ import annotations

import functools

import markdown
from markupsafe import Markup

from .sanitize import clean

_EXTENSIONS = ["extra", "sane_lists"]


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter, reset between documents (building one costs more than a conversion)."""
    return markdown.Markdown(extensions=_EXTENSIONS, output_format="html")


@functools.lru_cache(maxsize=8192)
def convert(text: str) -> str:
    """Markdown to HTML as written, raw HTML and all: only for checking what :func:`to_html` removes."""
    converter = _converter()
    converter.reset()
    return converter.convert(text)


@functools.lru_cache(maxsize=8192)
def to_html(text: str) -> Markup:
    """Convert Markdown to HTML that is safe to show: tags, attributes and addresses off the allow-list are removed."""
    if not text.strip():
        return Markup("")
    try:
        html = convert(text)
    except RecursionError:  # reported with its line when the text was read (textcheck)
        return Markup("")
    return Markup(clean(html))


def to_plain(text: str) -> str:
    """A one-line plain version of short Markdown, for descriptions and feeds."""
    html = str(to_html(text))
    return " ".join(Markup(html).striptags().split())
