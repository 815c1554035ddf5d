"""Markdown to HTML, cached by text and with raw HTML cleaned; dates kept whole on narrow screens."""

from __future__ import annotations

import functools
import re

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


_DASH = re.compile(r"\s+([–—-])\s+")


def keep_dates(text: str) -> str:
    """A date or period that never breaks inside a date: no-break spaces, a break allowed only after a dash."""
    parts = _DASH.split(text)
    out = parts[0].replace(" ", "\u00a0")
    for index in range(1, len(parts), 2):
        out += f"\u00a0{parts[index]} " + parts[index + 1].replace(" ", "\u00a0")
    return out
