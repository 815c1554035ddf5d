"""Markdown text checked as it is read: how deeply it nests, and what of its HTML a page will not show."""

from __future__ import annotations

import re

from ..model.problems import Problems
from .markup import Conversions, convert, dropped

#: How many lists or quotes may lie within each other; deeper ones are no longer readable on a phone.
MAX_NESTING = 20
RAW_HTML_HINT = ("Raw HTML is off: only simple formatting tags (b, i, sup, sub, br, abbr …) are kept. "
                 "Write it in Markdown instead (docs/content.md, 'Raw HTML').")
#: What a line may start with that opens lists or quotes: spaces, tabs, quote marks and list markers. A line that
#: opens a level deeper than the limit starts with more than that many such characters.
_PREFIX = re.compile(r"^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*", re.M)
_LEVEL = re.compile(r"<(/?)(?:ul|ol|blockquote)[ >]")


def depth(html: str) -> int:
    """How many lists and quotes lie within each other at the deepest point of ``html``."""
    level = deepest = 0
    for match in _LEVEL.finditer(html):
        level += -1 if match.group(1) else 1
        deepest = max(deepest, level)
    return deepest


def too_deep_at(text: str) -> int | None:
    """The index of the first line at which ``text`` is nested more than :data:`MAX_NESTING` levels deep, as the
    Markdown converter reads it, or ``None``. Only a text with a line that could open so many levels is converted."""
    if all(len(prefix) <= MAX_NESTING for prefix in _PREFIX.findall(text)) or depth(convert(text)) <= MAX_NESTING:
        return None
    lines = text.splitlines(keepends=True)
    low, high = 0, len(lines) - 1  # the text's first lines nest as deep as they do within the whole text
    while low < high:
        middle = (low + high) // 2
        if depth(convert("".join(lines[:middle + 1]))) > MAX_NESTING:
            high = middle
        else:
            low = middle + 1
    return low


def check_markdown(text: str, path: str, first_line: int, problems: Problems, known: Conversions | None = None,
                   whole: bool = True) -> None:
    """Record what is wrong with one Markdown text that starts at ``first_line`` of ``path``.

    ``known`` are the texts converted ahead, so that a text is not converted twice.
    ``whole`` is false for a text written in one front matter field: its problems are all shown at that field.
    """
    lines = text.splitlines()
    deep = too_deep_at(text)
    if deep is not None:
        problems.error(path, first_line + deep * whole,
                       f"the text is nested more than {MAX_NESTING} levels deep (lists or quotes within each other)",
                       "Flatten the lists and quotes.")
        return
    cursor = 0
    for part in dropped(text, known):
        index = _find(lines, part.needle, cursor)
        cursor = index if index >= 0 else cursor
        problems.warn(path, first_line + max(index, 0) * whole, part.message, RAW_HTML_HINT)


def _find(lines: list[str], needle: str, start: int) -> int:
    """The first line at or after ``start`` (else anywhere) that holds ``needle``, ignoring case; -1 if none."""
    needle = "".join(needle.lower().split())
    for index in [*range(start, len(lines)), *range(0, start)]:
        if needle in "".join(lines[index].lower().split()):
            return index
    return -1
