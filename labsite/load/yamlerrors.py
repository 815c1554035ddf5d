"""What a YAML syntax error means for an editor: the usual mistakes told in their words, at the line to fix."""

from __future__ import annotations

import yaml

#: What YAML's "mapping values are not allowed" means for an editor: a colon and space inside a value.
COLON_HINT = ("A value with ': ' in it (\"Apply by 5 August: the form\") must be in quotes: "
              "title: \"Apply by 5 August: the form\".")


def text_column(line: str) -> int:
    """Where the text of ``line`` starts, after its spaces and any list dashes (``  - id: x`` → 4)."""
    column = len(line) - len(line.lstrip(" "))
    while line[column:column + 2] == "- ":
        column += 2 + len(line[column + 2:]) - len(line[column + 2:].lstrip(" "))
    return column


def explained(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, str, str]:
    """The line (from 0), message and hint of a YAML syntax error, in an editor's words where it is one of the usual
    mistakes: a tab, a missing colon, a line that starts too far right or left, a colon inside a value."""
    mark = exc.problem_mark or exc.context_mark
    at = min(mark.line if mark else 0, max(len(lines) - 1, 0))
    problem = str(exc.problem or exc.context)
    for n in range(at, -1, -1):  # a tab before the text of the line, or of one of the two lines above it
        if "\t" in lines[n][:len(lines[n]) - len(lines[n].lstrip(" \t"))]:
            return n, "the line starts with a tab", "Replace the tab with spaces: YAML counts only spaces (two a level)."
        if n < at - 1:
            break
    no_colon = "the line has no ':' after its field name"
    colon_hint = "Write the field's name, a colon and a space, then its value: format: online."
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        return exc.context_mark.line, no_colon, colon_hint
    line = lines[at] if lines else ""
    indent = len(line) - len(line.lstrip(" "))
    above_at = next((n for n in range(at - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                    -1)
    above = lines[above_at] if above_at >= 0 else ""
    column = text_column(above)
    if "mapping values are not allowed" in problem:
        if above and indent == column and ":" not in above and not above.lstrip().startswith("- "):
            return above_at, no_colon, colon_hint  # YAML read the line above as the start of this one's name
        value = line.split(": ", 1)[1] if ": " in line else ""
        if indent > column and ": " not in value and not above.rstrip().endswith((":", "|", ">", "|-", ">-")):
            return at, "the line starts further right than the line above it", \
                f"Lines of one block start at the same place: remove {indent - column} space(s) at its start."
        return at, "a value holds ': ' outside quotes, which YAML reads as the start of another field", COLON_HINT
    if problem.startswith(("did not find expected key", "did not find expected '-'", "expected <block end>")) \
            and 0 < indent < column:
        return at, "the line starts further left than the line above it", \
            f"Lines of one block start at the same place: start it with {column} spaces, as the line above does, " \
            "or where the block it belongs to starts."
    return at, f"malformed YAML: {problem}", ""
