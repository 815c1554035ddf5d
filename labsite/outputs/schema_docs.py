"""The table of fields in ``docs/content.md``, generated from ``schema`` between two marker comments."""

from __future__ import annotations

from ..model import schema
from ..model.schema import Field, Kind
from .schema_json import modeline

BEGIN = "<!-- BEGIN fields: generated from labsite/model/schema.py by `python build.py schemas`; edit there, not here -->"
END = "<!-- END fields -->"


class MarkersMissing(ValueError):
    """The document has no place for the table."""


def _cell(text: str) -> str:
    """Text that cannot break a table row."""
    return text.replace("|", "\\|").replace("\n", " ")


def _value(field: Field, languages: tuple[str, ...]) -> str:
    """What to write, for people."""
    if field.type == schema.CHOICE:
        return "one of " + ", ".join(f"`{c}`" for c in field.choices)
    if field.type == schema.LANGUAGE:
        return "one of " + ", ".join(f"`{lang}`" for lang in languages)
    return schema.TYPE_NAMES[field.type]


def _example(field: Field) -> str:
    """The example, on one line."""
    if field.type == schema.SCHEDULE:
        return "see *A milestone* below"
    if field.example is None:
        return ""
    return f"`{schema.inline(field.example)}`"


def _rows(fields: tuple[Field, ...], where: str, languages: tuple[str, ...]) -> list[str]:
    """One table row per field."""
    return [f"| `{f.name}` | {where} | {'**yes**' if f.required else ''} | {_cell(_value(f, languages))} "
            f"| {_cell(f.description)} | {_cell(_example(f))} |" for f in fields]


_HEAD = ["| field | in | required | value | meaning | example |", "|---|---|---|---|---|---|"]


def _kind(kind: Kind, languages: tuple[str, ...]) -> list[str]:
    """The section of one kind."""
    facts = f"`{kind.facts_path}`" + (" (optional)" if kind.facts_optional else "")
    lines = [f"### {kind.title}", "", f"Facts: {facts}. Text: `{kind.text_path()}`; its body is {kind.body}.",
             f"Schema line: `{modeline(kind.glob, kind.word + '.schema.json')}`", "", *_HEAD]
    lines += _rows(kind.facts, "`.yaml`", languages) + _rows(kind.text, "`.md`", languages)
    return [*lines, ""]


def fields_table(languages: tuple[str, ...]) -> str:
    """The generated part of the docs: required and optional fields of every kind."""
    lines = [BEGIN, ""]
    for kind in schema.KINDS.values():
        lines += _kind(kind, languages)
    lines += ["### Every file", "", *_HEAD, *_rows(schema.COMMON, "`.yaml`", languages),
              *_rows(schema.TEXT_COMMON, "`.md`", languages), ""]
    lines += ["### A milestone", "", "One item of an edition's `schedule`; give `date`, or `start` and `end`.", "",
              *_HEAD, *_rows(schema.MILESTONE, "`schedule`", languages), ""]
    lines += ["### A place", "", "One entry of `content/places.yaml`, under its id.",
              f"Schema line: `{modeline('content/places.yaml', 'places.schema.json')}`", "",
              *_HEAD, *_rows(schema.PLACE, "`places.yaml`", languages), "", END]
    return "\n".join(lines)


def with_table(document: str, table: str) -> str:
    """``document`` with the text between the markers replaced by ``table``."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise MarkersMissing(f"the markers {BEGIN!r} and {END!r} are missing")
    return document[:start] + table + document[end + len(END):]
