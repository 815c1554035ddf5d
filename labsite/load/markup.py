"""Markdown to HTML, converted once per text (across builds too, with the build cache) and cleaned; dates kept whole."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import nh3
from cmarkgfm.cmark import Options as CmarkOptions
from markupsafe import Markup

from . import sanitize
from .cache import BuildCache, code_digest
from .commonmark import markdown_to_html
from .sanitize import Dropped, clean, dropped_parts
from .workers import fork_map

#: GitHub's additions to CommonMark that editors know from GitHub: tables, ~~strikethrough~~ and bare links.
_EXTENSIONS = ("table", "strikethrough", "autolink")
#: Raw HTML is passed on to the cleaner (:mod:`.sanitize`), which keeps the harmless formatting tags an editor may
#: type and reports the rest; without this option cmark would replace all raw HTML with a comment.
#: Only ``~~two tildes~~`` strike text through: "3~5 days" stays as typed.
_OPTIONS = CmarkOptions.CMARK_OPT_UNSAFE | CmarkOptions.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE


@dataclass(frozen=True)
class Conversions:
    """Markdown texts converted ahead of their use, by text: their clean HTML and what cleaning removed."""

    html: Mapping[str, str] = field(default_factory=dict)
    dropped: Mapping[str, tuple[Dropped, ...]] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def cache_kind() -> bytes:
    """What a cached conversion depends on besides its text: extensions, settings, library versions, this code."""
    versions = (metadata.version("cmarkgfm"), getattr(nh3, "__version__", ""))
    return code_digest("markdown", _EXTENSIONS, int(_OPTIONS), versions, Path(__file__), Path(sanitize.__file__))


def convert(text: str) -> str:
    """Markdown to HTML as written, raw HTML and all: only for checking what :func:`to_html` removes."""
    return markdown_to_html(text, _OPTIONS, _EXTENSIONS)


_SOURCE_HEADING = re.compile(r'<h([1-6]) data-sourcepos="(\d+):')


def heading_lines(text: str) -> list[tuple[int, int]]:
    """The level of each heading of ``text`` and the index of the line it starts on (an underlined heading's first
    line), in order."""
    html = markdown_to_html(text, _OPTIONS | CmarkOptions.CMARK_OPT_SOURCEPOS, _EXTENSIONS)
    return [(int(level), int(line) - 1) for level, line in _SOURCE_HEADING.findall(html)]


def to_html(text: str, known: Mapping[str, str] | None = None) -> Markup:
    """Markdown as HTML that is safe to show (tags, attributes and addresses off the allow-list removed).

    ``known`` holds texts converted ahead (:attr:`Conversions.html`); any other text is converted here.
    """
    if not text.strip():
        return Markup("")
    if known is not None and text in known:
        return Markup(known[text])
    return Markup(clean(convert(text)))


def dropped(text: str, known: Conversions | None = None) -> tuple[Dropped, ...]:
    """What cleaning removes from the HTML of ``text``."""
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


#: Below this many characters to convert, converting them here takes less time than starting workers for them
#: (about 16 to 24 million characters a second against some 20 ms for a pool: the real site has 120,000).
FORK_CHARS = 1_000_000

#: One converted text: its clean HTML, and what cleaning removed (message, needle).
Converted = tuple[str, tuple[tuple[str, str], ...]]


def _all(text: str) -> Converted:
    """The clean HTML of ``text``, and what cleaning removed."""
    raw = convert(text)
    return clean(raw), tuple((d.message, d.needle) for d in dropped_parts(raw))


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
    cores = jobs if sum(map(len, todo)) >= FORK_CHARS else 1
    for text, result in zip(todo, fork_map(_all, todo, cores), strict=True):
        safe[text], removed[text] = _unpack(result)
        cache.put(keys[text], json.dumps(result, ensure_ascii=False).encode("utf-8"))
    cache.flush()
    return Conversions(safe, removed)


def _unpack(found: Converted) -> tuple[str, tuple[Dropped, ...]]:
    """The clean HTML of one converted text and what cleaning removed."""
    return found[0], tuple(Dropped(message, needle) for message, needle in found[1])


def _decode(value: bytes | None) -> Converted | None:
    """A cached conversion, or ``None`` when absent or not of that shape."""
    if value is None:
        return None
    try:
        found = json.loads(value.decode("utf-8"))
    except ValueError:
        return None
    if not (isinstance(found, list) and len(found) == 2 and isinstance(found[0], str) and isinstance(found[1], list)):
        return None
    removed = [part for part in found[1] if isinstance(part, list) and len(part) == 2
               and all(isinstance(x, str) for x in part)]
    if len(removed) != len(found[1]):
        return None
    return found[0], tuple((message, needle) for message, needle in removed)
