"""Markdown text checked as it is read: how deeply it nests, and what of its HTML a page will not show."""

from __future__ import annotations

import re

from ..model.problems import Problems
from .markup import Conversions, dropped

#: How many lists or quotes may lie within each other; deeper ones are no longer readable on a phone.
MAX_NESTING = 20
RAW_HTML_HINT = ("Raw HTML is off: only simple formatting tags (b, i, sup, sub, br, abbr …) are kept. "
                 "Write it in Markdown instead (docs/content.md, 'Raw HTML').")
#: A line nested deeper than the limit starts with more than that many quote marks, spaces or tabs.
_DEEP = re.compile(rf"^[ >\t]{{{MAX_NESTING + 1},}}", re.M)


def nesting(line: str) -> int:
    """How many quotes (``>``) and indented levels (four spaces) a line of Markdown starts with."""
    expanded = line.expandtabs(4)
    prefix = expanded[: len(expanded) - len(expanded.lstrip(" >"))]
    quotes = prefix.count(">")
    return quotes + (len(prefix) - quotes) // 4


def check_markdown(text: str, path: str, first_line: int, problems: Problems, known: Conversions | None = None,
                   whole: bool = True) -> None:
    """Record what is wrong with one Markdown text that starts at ``first_line`` of ``path``.

    ``known`` are the texts converted ahead, so that a text is not converted twice.
    ``whole`` is false for a text written in one front matter field: its problems are all shown at that field.
    """
    lines = text.splitlines()
    # Each quote mark, tab or four spaces is one level: only a line with a long prefix can be too deep.
    for index, line in enumerate(lines if _DEEP.search(text) else ()):
        if nesting(line) > MAX_NESTING:
            problems.error(path, first_line + index * whole,
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
