"""Markdown text checked as it is read: how deeply it nests, and what of its HTML a page will not show."""

from __future__ import annotations

import re

from ..model.problems import Problems
from .markup import Conversions, convert, dropped, heading_lines, to_html

#: How many lists or quotes may lie within each other; deeper ones are no longer readable on a phone.
MAX_NESTING = 20
RAW_HTML_HINT = ("Raw HTML is off: only simple formatting tags (b, i, sup, sub, br, abbr …) are kept. "
                 "Write it in Markdown instead (docs/content.md, 'Raw HTML').")
#: What a line may start with that opens lists or quotes: spaces, tabs, quote marks and list markers. A line that
#: opens a level deeper than the limit starts with more than that many such characters.
_PREFIX = re.compile(r"^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*", re.M)
_LEVEL = re.compile(r"<(/?)(?:ul|ol|blockquote)[ >]")
_HEADING = re.compile(r"<h([1-6])[\s>]")
#: Why a text's headings start below a level: what the page shows above the text at that level.
ABOVE = {1: "the page's title is its one level-1 heading",
         2: "the page shows it below a level-2 heading (a partner's name, an edition's 'How to apply')"}


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


def check_headings(text: str, path: str, first_line: int, under: int, problems: Problems,
                   known: Conversions | None = None) -> None:
    """Record each heading of ``text`` at or above ``under``, the level of the heading the page shows it below, and
    each that skips a level: screen readers list a page by its headings, and read a skipped level as a part left out.

    The levels are read from the text's HTML; only a text with such a heading is converted again for its lines."""
    html = known.html.get(text) if known is not None else None
    levels = [int(level) for level in _HEADING.findall(html if html is not None else to_html(text))]
    if all(under < level <= before + 1 for before, level in zip([under, *levels], levels, strict=False)):
        return
    before, lines = under, text.splitlines()
    for level, index in heading_lines(text):
        marks = "#" * level if index < len(lines) and lines[index].lstrip().startswith("#") else \
            f"underlined with {'=' if level == 1 else '-'}"
        if level <= under:
            problems.warn(path, first_line + index, f"a heading of level {level} ('{marks}') in a text whose "
                          f"headings start at level {under + 1}: {ABOVE.get(under, 'the page has it above')}",
                          f"Use '{'#' * (under + 1)}' for the text's main headings and '{'#' * (under + 2)}' below them.")
        elif level > before + 1:
            skipped = f"level {before + 1} is" if level == before + 2 else f"levels {before + 1} to {level - 1} are"
            problems.warn(path, first_line + index, f"a heading of level {level} ('{marks}') after one of level "
                          f"{before}: {skipped} skipped", f"Use '{'#' * (before + 1)}' here: screen readers list a "
                          "page by its headings, and read a skipped level as a part left out.")
        before = max(level, under)


def _find(lines: list[str], needle: str, start: int) -> int:
    """The first line at or after ``start`` (else anywhere) that holds ``needle``, ignoring case; -1 if none."""
    needle = "".join(needle.lower().split())
    for index in [*range(start, len(lines)), *range(0, start)]:
        if needle in "".join(lines[index].lower().split()):
            return index
    return -1
