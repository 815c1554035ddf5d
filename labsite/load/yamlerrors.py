"""What a YAML syntax error means for an editor: the usual mistakes told in their words, at the line to fix."""

from __future__ import annotations

import re

import yaml

#: What YAML's "mapping values are not allowed" means for an editor: a colon and space inside a value.
COLON_HINT = ("A value with ': ' in it (\"Apply by 5 August: the form\") must be in quotes: "
              "title: \"Apply by 5 August: the form\".")
NO_COLON = "the line has no ':' after its field name"
NO_COLON_HINT = "Write the field's name, a colon and a space, then its value: format: online."
#: A field's name as editors write them (``kind``, ``ru``, ``apply_url``): one word, not a phrase of a text.
_FIELD = re.compile(r"\s*(?:- +)?[\w-]+:(?: |$)")
#: A field's name with its value but no space between them (``format:online``).
_NO_SPACE = re.compile(r"\s*(?:- +)?[\w-]+:[^\s:/]")


def indent_of(line: str) -> int:
    """How many spaces ``line`` starts with."""
    return len(line) - len(line.lstrip(" "))


def text_column(line: str) -> int:
    """Where the text of ``line`` starts, after its spaces and any list dashes (``  - id: x`` → 4)."""
    column = indent_of(line)
    while line[column:column + 2] == "- ":
        column += 2 + indent_of(line[column + 2:])
    return column


def _continued(lines: list[str], at: int) -> bool:
    """Whether line ``at`` goes on with the value of a field above it (a text wrapped over lines), rather than
    starting a field of its own: the nearest line above that starts further left is ``field: value``."""
    indent = indent_of(lines[at])
    for n in range(at - 1, -1, -1):
        if lines[n].strip() and not lines[n].lstrip().startswith("#") and text_column(lines[n]) < indent:
            name, colon, value = lines[n].partition(": ")
            return bool(colon and value.strip() and value.strip()[0] not in "|>")
    return False


def explained(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, str, str]:
    """The line (from 0), message and hint of a YAML syntax error, in an editor's words where it is one of the usual
    mistakes: a tab, a missing colon, a line that starts too far right or left, a colon inside a value."""
    mark = exc.problem_mark or exc.context_mark
    at = min(mark.line if mark else 0, max(len(lines) - 1, 0))
    problem = str(exc.problem or exc.context)
    line = lines[at] if lines else ""
    if "\t" in line[:len(line) - len(line.lstrip(" \t"))]:
        return at, "the line starts with a tab", "Replace the tab with spaces: YAML counts only spaces (two a level)."
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        return _no_colon(lines, exc.context_mark.line)
    indent = indent_of(line)
    above_at = next((n for n in range(at - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                    -1)
    above = lines[above_at] if above_at >= 0 else ""
    column = text_column(above)
    if "mapping values are not allowed" in problem:
        if above and ":" not in above and not above.lstrip().startswith("- ") and not _continued(lines, above_at):
            return _no_colon(lines, above_at)  # YAML read the line above as the start of this one's name
        if indent > column and _FIELD.match(line) and _continued(lines, at):
            return at, "the line starts further right than the line above it", \
                f"Lines of one block start at the same place: remove {indent - column} space(s) at its start."
        return at, "a value holds ': ' outside quotes, which YAML reads as the start of another field", COLON_HINT
    if problem.startswith(("did not find expected key", "did not find expected '-'", "expected <block end>")):
        if line.lstrip().startswith("- "):  # a list item: where the items of its list start
            column = next((indent_of(lines[n]) for n in range(at - 1, -1, -1)
                           if lines[n].lstrip().startswith("- ") and indent_of(lines[n]) != indent), column)
        if 0 < indent < column or line.lstrip().startswith("- ") and indent != column:
            return at, f"the line starts further {'left' if indent < column else 'right'} than the lines of its block", \
                f"Lines of one block start at the same place: start it with {column} spaces, or where the block " \
                "it belongs to starts."
    return at, f"malformed YAML: {problem}", ""


def _no_colon(lines: list[str], at: int) -> tuple[int, str, str]:
    """A field written without its colon, or without the space after it (``format:online``)."""
    if _NO_SPACE.match(lines[at] if at < len(lines) else ""):
        return at, "the line has no space after the ':' of its field name", \
            "Put a space after the colon: format: online."
    return at, NO_COLON, NO_COLON_HINT
