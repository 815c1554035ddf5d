"""Markdown to HTML, converted once per text (across builds too, with the build cache) and cleaned; dates kept whole."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import markdown
import nh3
from markupsafe import Markup

from . import sanitize
from .cache import BuildCache, code_digest
from .sanitize import Dropped, clean, dropped_parts
from .workers import fork_map

_EXTENSIONS = ["extra", "sane_lists"]
_OUTPUT_FORMAT: Literal["html"] = "html"


@dataclass(frozen=True)
class Conversions:
    """Markdown texts converted ahead of their use, by text: their clean HTML and what cleaning removed."""

    html: Mapping[str, str] = field(default_factory=dict)
    dropped: Mapping[str, tuple[Dropped, ...]] = field(default_factory=dict)


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
    converter = _converter()
    converter.reset()
    try:
        return converter.convert(text)
    except BaseException:  # a conversion cut short (too deep, Ctrl+C) leaves the converter half-way: never reuse it
        _converter.cache_clear()
        raise


def to_html(text: str, known: Mapping[str, str] | None = None) -> Markup:
    """Markdown as HTML that is safe to show (tags, attributes and addresses off the allow-list removed).

    ``known`` holds texts converted ahead (:attr:`Conversions.html`); any other text is converted here.
    """
    if not text.strip():
        return Markup("")
    if known is not None and text in known:
        return Markup(known[text])
    try:
        return Markup(clean(convert(text)))
    except RecursionError:  # reported with its line when the text was read (textcheck)
        return Markup("")


def dropped(text: str, known: Conversions | None = None) -> tuple[Dropped, ...]:
    """What cleaning removes from the HTML of ``text``; raise ``RecursionError`` when it is too deeply nested."""
    if known is not None and text in known.dropped:
        return known.dropped[text]
    return tuple(dropped_parts(convert(text)))


_DASH = re.compile(r"\s+([–—-])\s+")


def keep_dates(text: str) -> str:
    """A date or period that never breaks inside a date: no-break spaces, a break allowed only after a dash."""
    parts = _DASH.split(text)
    out = parts[0].replace(" ", "\u00a0")
    for index in range(1, len(parts), 2):
        out += f"\u00a0{parts[index]} " + parts[index + 1].replace(" ", "\u00a0")
    return out


#: One converted text: its HTML as written, as cleaned, and what cleaning removed (message, needle).
Converted = tuple[str, str, tuple[tuple[str, str], ...]]


def _all(text: str) -> Converted | None:
    """The HTML of ``text`` as written and as cleaned, and what was removed; ``None`` when too deeply nested."""
    try:
        raw = convert(text)
        return raw, clean(raw), tuple((d.message, d.needle) for d in dropped_parts(raw))
    except RecursionError:
        return None


def prepare(texts: Iterable[str], cache: BuildCache, jobs: int = 1, previous: Conversions | None = None) -> Conversions:
    """Convert ``texts`` ahead of their use: from ``previous`` conversions, from the cache, else on ``jobs`` cores.

    The results are the converter's, byte for byte: a text is only ever converted by the same code and libraries.
    """
    wanted = [text for text in dict.fromkeys(texts) if text.strip()]
    before = previous or Conversions()
    safe = {text: before.html[text] for text in wanted if text in before.html and text in before.dropped}
    removed = {text: before.dropped[text] for text in safe}
    missing = [text for text in wanted if text not in safe]
    kind = cache_kind()
    keys = {text: cache.key(kind, text.encode("utf-8")) for text in missing}
    stored = cache.get_many(keys.values())
    todo = []
    for text in missing:
        found = _decode(stored.get(keys[text]))
        if found is None:
            todo.append(text)
        else:
            safe[text], removed[text] = _unpack(found)
    for text, result in zip(todo, fork_map(_all, todo, jobs), strict=True):
        if result is not None:
            safe[text], removed[text] = _unpack(result)
            cache.put(keys[text], json.dumps(result, ensure_ascii=False).encode("utf-8"))
    cache.flush()
    return Conversions(safe, removed)


def _unpack(found: Converted) -> tuple[str, tuple[Dropped, ...]]:
    """The clean HTML of one converted text and what cleaning removed."""
    return found[1], tuple(Dropped(message, needle) for message, needle in found[2])


def _decode(value: bytes | None) -> Converted | None:
    """A cached conversion, or ``None`` when absent or not of that shape."""
    if value is None:
        return None
    try:
        found = json.loads(value.decode("utf-8"))
    except ValueError:
        return None
    if not (isinstance(found, list) and len(found) == 3 and all(isinstance(part, str) for part in found[:2])
            and isinstance(found[2], list)):
        return None
    removed = [part for part in found[2] if isinstance(part, list) and len(part) == 2
               and all(isinstance(x, str) for x in part)]
    if len(removed) != len(found[2]):
        return None
    return found[0], found[1], tuple((message, needle) for message, needle in removed)
