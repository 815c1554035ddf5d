"""Markdown to HTML, converted once per text (across builds too, with the build cache) and cleaned; dates kept whole."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import markdown
import nh3
from markupsafe import Markup

from . import sanitize
from .cache import BuildCache, code_digest
from .sanitize import clean
from .workers import fork_map

_EXTENSIONS = ["extra", "sane_lists"]
_OUTPUT_FORMAT: Literal["html"] = "html"
#: Markdown as written and as cleaned, by text: filled by :func:`prepare`, and by conversions as they happen.
_raw: dict[str, str] = {}
_safe: dict[str, Markup] = {}


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter, reset between documents (building one costs more than a conversion)."""
    return markdown.Markdown(extensions=_EXTENSIONS, output_format=_OUTPUT_FORMAT)


@functools.lru_cache(maxsize=1)
def cache_kind() -> bytes:
    """What a cached conversion depends on besides its text: extensions, settings, library versions, this code."""
    versions = (markdown.__version__, getattr(nh3, "__version__", ""))
    return code_digest("markdown", _EXTENSIONS, _OUTPUT_FORMAT, versions, Path(__file__), Path(sanitize.__file__))


def convert(text: str) -> str:
    """Markdown to HTML as written, raw HTML and all: only for checking what :func:`to_html` removes."""
    html = _raw.get(text)
    if html is None:
        converter = _converter()
        converter.reset()
        html = _raw[text] = converter.convert(text)
    return html


def to_html(text: str) -> Markup:
    """Convert Markdown to HTML that is safe to show: tags, attributes and addresses off the allow-list are removed."""
    if not text.strip():
        return Markup("")
    safe = _safe.get(text)
    if safe is None:
        try:
            html = convert(text)
        except RecursionError:  # reported with its line when the text was read (textcheck)
            return Markup("")
        safe = _safe[text] = Markup(clean(html))
    return safe


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


def _both(text: str) -> tuple[str, str] | None:
    """The HTML of ``text`` as written and as cleaned; ``None`` when it is too deeply nested to convert."""
    try:
        return convert(text), str(to_html(text))
    except RecursionError:
        return None


def prepare(texts: Iterable[str], cache: BuildCache, jobs: int = 1) -> None:
    """Convert ``texts`` ahead of their use: from the cache, else on ``jobs`` cores; conversions of other texts are dropped.

    The results are the converter's, byte for byte: a text is only ever converted by the same code and libraries.
    """
    wanted = [text for text in dict.fromkeys(texts) if text.strip()]
    raw = {text: _raw[text] for text in wanted if text in _raw and text in _safe}
    safe = {text: _safe[text] for text in raw}
    missing = [text for text in wanted if text not in raw]
    kind = cache_kind()
    keys = {text: cache.key(kind, text.encode("utf-8")) for text in missing}
    stored = cache.get_many(keys.values())
    todo = []
    for text in missing:
        pair = _decode(stored.get(keys[text]))
        if pair is None:
            todo.append(text)
        else:
            raw[text], safe[text] = pair[0], Markup(pair[1])
    for text, result in zip(todo, fork_map(_both, todo, jobs), strict=True):
        if result is not None:
            raw[text], safe[text] = result[0], Markup(result[1])
            cache.put(keys[text], json.dumps(result, ensure_ascii=False).encode("utf-8"))
    _raw.clear()
    _raw.update(raw)
    _safe.clear()
    _safe.update(safe)


def _decode(value: bytes | None) -> tuple[str, str] | None:
    """A cached pair of HTML texts, or ``None`` when absent or not of that shape."""
    if value is None:
        return None
    try:
        pair = json.loads(value.decode("utf-8"))
    except ValueError:
        return None
    if isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair):
        return pair[0], pair[1]
    return None
