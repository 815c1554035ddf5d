"""A catalogue read line by line, for what Babel's lenient reader lets through: a line that is none of a .po file,
an entry that is not whole (a translation without its text, ``msgstr[1]`` of a text without plural), a text in
the catalogue twice, and a character set other than UTF-8. Babel would read such a file half right and say
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.problems import Problems

PO_HINT = "Open the catalogue in a .po editor (Poedit) or fix the quoting on that line."
_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+)?"(?:[^"\\]|\\.)*"\s*$')
_CHARSET = re.compile(r'^"Content-Type:[^"]*?charset=([^\s;"\\]+)', re.IGNORECASE | re.MULTILINE)
#: A UTF-8 byte-order mark, which some editors write at the start of a file and gettext does not expect.
BOM = b"\xef\xbb\xbf"


@dataclass
class Part:
    """One keyword of an entry (``msgid``, ``msgstr[1]``…), the line it is on and its text as written."""

    keyword: str
    line: int
    text: str


def parts_of(text: str) -> list[list[Part]]:
    """The entries of a catalogue (obsolete ones, which are comments, left out), each as its keywords in order."""
    found: list[list[Part]] = []
    current: list[Part] | None = None
    last: Part | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if last is not None:
                last.text += line[1:-1]
            continue
        keyword, _, rest = line.partition(" ")
        after_context = current is not None and len(current) == 1 and current[0].keyword == "msgctxt"
        opens = keyword == "msgctxt" or (keyword == "msgid" and not after_context)
        if current is None or opens:
            current = []
            found.append(current)
        last = Part(keyword, number, rest.strip()[1:-1])
        current.append(last)
    return found


def msgids(found: list[list[Part]]) -> set[str]:
    """The texts of the entries (``msgid``, as written between the quotes), the header's empty one aside."""
    return {part.text for entry in found for part in entry if part.keyword == "msgid" and part.text}


def form_counts(found: list[list[Part]]) -> dict[int, int]:
    """For each entry (by the line of its msgid), how many ``msgstr[n]`` lines the file really has."""
    return {part.line: sum(p.keyword.startswith("msgstr[") for p in entry)
            for entry in found for part in entry if part.keyword == "msgid"}


def check_lines(data: bytes, rel: str, problems: Problems) -> list[list[Part]] | None:
    """The entries of a catalogue whose every line and entry is sound, and written in UTF-8; ``None`` (with the
    problems at their lines) otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.error(rel, data[: exc.start].count(b"\n") + 1, "the catalogue is not UTF-8 text", "Save it as UTF-8.")
        return None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.match(stripped):
            problems.error(rel, number, f"the catalogue cannot be read: not a line of a .po file: {stripped[:60]!r}",
                           PO_HINT)
            return None
    charset = _CHARSET.search(text)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        problems.error(rel, text.count("\n", 0, charset.start()) + 1, f"the header says charset={charset.group(1)}, "
                       "but the catalogue is UTF-8 text: its letters would be read wrong",
                       'Write "Content-Type: text/plain; charset=UTF-8\\n".')
        return None
    found = parts_of(text)
    count = len(problems.errors)
    seen: dict[tuple[str, str], int] = {}
    for entry in found:
        _check_entry(entry, rel, problems, seen)
    return found if len(problems.errors) == count else None


def _check_entry(entry: list[Part], rel: str, problems: Problems, seen: dict[tuple[str, str], int]) -> None:
    """One entry must have its text, then one translation (or one per plural form, each once), and be the only
    entry of its text."""
    keywords = [part.keyword for part in entry]
    if "msgid" not in keywords:
        problems.error(rel, entry[0].line, f"a {entry[0].keyword} without the msgid it translates",
                       "Delete it, or put it back under its msgid.")
        return
    msgid = next(part for part in entry if part.keyword == "msgid")
    shown = msgid.text[:60]
    plural = "msgid_plural" in keywords
    translations = [part for part in entry if part.keyword.startswith("msgstr")]
    for index, part in enumerate(translations):
        if plural and part.keyword == "msgstr":
            problems.error(rel, part.line, f"'{shown}' has a plural (msgid_plural), so it is translated as "
                           "msgstr[0], msgstr[1] …, not msgstr", PO_HINT)
        elif not plural and part.keyword != "msgstr":
            problems.error(rel, part.line, f"'{shown}' has no plural, so it is translated by one msgstr, not "
                           f"{part.keyword}", f"Write msgstr instead of {part.keyword}.")
        elif part.keyword in {p.keyword for p in translations[:index]}:
            problems.error(rel, part.line, f"'{shown}' has {part.keyword} twice", "Delete one of the two.")
    context = next((part.text for part in entry if part.keyword == "msgctxt"), "")
    first = seen.setdefault((context, msgid.text), msgid.line)
    if msgid.text and first != msgid.line:
        problems.error(rel, msgid.line, f"'{shown}' is in the catalogue twice (also at line {first})",
                       "Delete one of the two entries, keeping the right translation.")
