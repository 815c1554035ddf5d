"""JSON Schemas (draft 2020-12) of the content files, generated from ``schema``, for editors' YAML support.

The YAML language server (VS Code's YAML extension and others) checks a file against its schema as
the editor types. It implements draft-07 keywords, so the schemas use only keywords that mean the
same in draft-07 and 2020-12, and every definition is written out in place rather than reached by
``$ref`` (whose neighbouring keywords draft-07 ignores). It reads YAML 1.2, where ``2025-09-30`` is
text and ``2026`` a number: dates are text with a pattern, and a year alone may be a number.
"""

from __future__ import annotations

import json
from typing import Any

from ..load.fields import HTTPS_URL, MAX_SLUG, SLUG, URL
from ..model import schema
from ..model.dates import FIRST_YEAR, LAST_YEAR
from ..model.schema import Field, Kind

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"


def ecma(pattern: str) -> str:
    """A Python pattern as JSON Schema (ECMAScript) reads it: its end of text ``\\Z`` is ``$`` there."""
    return pattern.removesuffix(r"\Z") + "$" if pattern.endswith(r"\Z") else pattern


_SLUG_BODY = SLUG.pattern.removeprefix("^").removesuffix(r"\Z")
#: The years a date may have, as the build reads them: FIRST_YEAR to LAST_YEAR, 1900 to 2200.
_YEAR = r"(?:19[0-9]{2}|2[01][0-9]{2}|2200)"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_TIME = r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
DATE = rf"(?:(?:early|mid|late)\s+{_YEAR}-{_MONTH}|{_YEAR}(?:-{_MONTH}(?:-{_DAY}(?:[ T]{_TIME})?)?)?)"
DATE_PATTERN = f"^{DATE}$"
END_PATTERN = f"^(?:open|{DATE})$"
EDITION_PATTERN = f"^{_SLUG_BODY}/{_SLUG_BODY}$"
TIMEZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$"
HASH_PATTERN = "^[0-9a-f]{12}$"
#: What the editor shows when a pattern does not match (the YAML language server reads this keyword).
DATE_MESSAGE = "Write a date as 2025-09-30, 2025-09-30 23:59, 2025-11, early 2025-09 (or mid, late) or 2025."
SLUG_MESSAGE = "An id: lowercase Latin letters, digits and single hyphens, e.g. impact-lab-2024."
URL_MESSAGE = "Write the address in full, starting with https://."


def _date(pattern: str, message: str) -> dict[str, Any]:
    """A date: text with a pattern, or a year alone, which YAML reads as a number."""
    return {"type": ["string", "integer"], "pattern": pattern, "minimum": FIRST_YEAR, "maximum": LAST_YEAR,
            "patternErrorMessage": message}


#: A picture file's name, beside the facts file (no folder).
PICTURE_PATTERN = r"^[^/\\]+\.([jJ][pP][eE]?[gG]|[pP][nN][gG]|[wW][eE][bB][pP])$"


def _slug() -> dict[str, Any]:
    """An id that is also a file name and an address."""
    return {"type": "string", "pattern": ecma(SLUG.pattern), "maxLength": MAX_SLUG, "patternErrorMessage": SLUG_MESSAGE}


def _url() -> dict[str, Any]:
    """A web address in full."""
    return {"type": "string", "pattern": ecma(URL.pattern), "patternErrorMessage": URL_MESSAGE}


def _localized(languages: tuple[str, ...]) -> dict[str, Any]:
    """Text for every language, or one line per language."""
    per_language = {lang: {"type": "string", "minLength": 1} for lang in languages}
    return {"type": ["string", "object"], "minLength": 1, "properties": per_language,
            "additionalProperties": False, "minProperties": 1}


def _value(field: Field, languages: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of the values a field's type allows."""
    match field.type:
        case schema.TEXT | schema.MARKDOWN:
            return {"type": "string"}
        case schema.LOCALIZED:
            return _localized(languages)
        case schema.DATE:
            return _date(DATE_PATTERN, DATE_MESSAGE)
        case schema.END:
            return _date(END_PATTERN, DATE_MESSAGE + ' Or write open: "and later".')
        case schema.NUMBER:
            return {"type": "integer"}
        case schema.FLAG:
            return {"type": "boolean"}
        case schema.CHOICE:
            return {"type": "string", "enum": list(field.choices)}
        case schema.URL:
            return _url()
        case schema.URLS:
            return {"type": "array", "items": _url()}
        case schema.ID:
            return _slug()
        case schema.IDS:
            return {**_slug(), "type": ["array", "string"], "items": _slug(), "uniqueItems": True}
        case schema.EDITION:
            return {"type": "string", "pattern": EDITION_PATTERN,
                    "patternErrorMessage": "Write the edition as lab/year, e.g. impact-lab/2024."}
        case schema.LANGUAGE:
            return {"type": "string", "enum": list(languages)}
        case schema.TIMEZONE:
            return {"type": "string", "pattern": TIMEZONE_PATTERN,
                    "patternErrorMessage": "A time zone name such as Europe/Berlin."}
        case schema.LABELS:
            return {"type": "object", "propertyNames": _slug(), "additionalProperties": {"type": "string"}}
        case schema.SCHEDULE:
            return {"type": "array", "items": milestone_schema(languages)}
        case schema.HASH:
            return {"type": "string", "pattern": HASH_PATTERN}
        case schema.HTTPS:
            return {"type": "string", "pattern": ecma(HTTPS_URL.pattern),
                    "patternErrorMessage": "Write the address in full, starting with https://."}
        case schema.PICTURE:
            alt = {lang: {"type": "string", "minLength": 1} for lang in languages}
            return {"type": "object", "required": ["file", "alt"], "additionalProperties": False,
                    "properties": {"file": {"type": "string", "pattern": PICTURE_PATTERN,
                                            "patternErrorMessage": "The name of a .jpg, .png or .webp file beside "
                                                                   "this .yaml file."},
                                   "alt": {"type": "object", "properties": alt, "required": list(languages),
                                           "additionalProperties": False}}}
    raise ValueError(f"no JSON Schema for the field type {field.type!r}")


def value_schema(field: Field, languages: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of one field's value, with its description and example."""
    result = {"description": field.description, **_value(field, languages)}
    if field.required and field.type in (schema.TEXT, schema.MARKDOWN):
        result["minLength"] = 1
    if field.example is not None:
        result["examples"] = [field.example]
    return result


def _if_then(condition: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    """A rule that holds only when ``condition`` does."""
    return {"if": condition, "then": then}


#: A date or a period, never both; an end needs a start.
_WHEN_RULES = [
    {"not": {"required": ["date", "start"]}},
    _if_then({"required": ["end"]}, {"required": ["start"]}),
]


def _object(fields: tuple[Field, ...], languages: tuple[str, ...]) -> dict[str, Any]:
    """A mapping of exactly these fields."""
    result: dict[str, Any] = {"type": "object",
                              "properties": {f.name: value_schema(f, languages) for f in fields},
                              "additionalProperties": False}
    needed = schema.required(fields)
    if needed:
        result["required"] = list(needed)
    return result


def milestone_schema(languages: tuple[str, ...]) -> dict[str, Any]:
    """One milestone of a schedule: a date or a period; an open call has a start and a deadline."""
    open_call = _if_then({"properties": {"kind": {"const": "open_call"}}, "required": ["kind"]},
                         {"required": ["start", "end"], "properties": {"end": {"not": {"const": "open"}}}})
    result = _object(schema.MILESTONE, languages)
    result["anyOf"] = [{"required": ["date"]}, {"required": ["start"]}]
    result["allOf"] = [*_WHEN_RULES, open_call]
    return result


def kind_schema(kind: Kind, languages: tuple[str, ...]) -> dict[str, Any]:
    """The schema of one kind's facts file."""
    body = _object(kind.facts + schema.COMMON, languages)
    if {"date", "start", "end"} <= set(schema.names(kind.facts)):
        body["allOf"] = list(_WHEN_RULES)
    return {"$schema": DIALECT, "title": f"{kind.title}: {kind.facts_path}",
            "description": f"The facts of one {kind.noun}, the same in every language. See docs/content.md.",
            **body}


def places_schema(languages: tuple[str, ...]) -> dict[str, Any]:
    """The schema of ``content/places.yaml``: places by id."""
    return {"$schema": DIALECT, "title": "Places: content/places.yaml",
            "description": "Every place by id, with its name and country in each language. See docs/content.md.",
            "type": "object", "propertyNames": _slug(), "additionalProperties": _object(schema.PLACE, languages)}


def all_schemas(languages: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Every schema by file name in ``schemas/``."""
    result = {f"{kind.word}.schema.json": kind_schema(kind, languages) for kind in schema.KINDS.values()}
    result["places.schema.json"] = places_schema(languages)
    return result


def globs() -> dict[str, list[str]]:
    """Which files each schema is for, as the editors' settings (``yaml.schemas``) map them."""
    result = {f"./{SCHEMA_DIR}/{kind.word}.schema.json": [kind.glob] for kind in schema.KINDS.values()}
    result[f"./{SCHEMA_DIR}/places.schema.json"] = ["content/places.yaml"]
    return result


def modeline(glob: str, name: str) -> str:
    """The first line that gives a file matching ``glob`` its schema in any editor with the YAML language server."""
    up = "../" * glob.count("/")
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{name}"


def render(value: dict[str, Any]) -> str:
    """A schema as it is written to disk: stable, readable and ending in a newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def expected_files(languages: tuple[str, ...]) -> dict[str, str]:
    """Every generated schema file by path relative to the project, with its text."""
    return {f"{SCHEMA_DIR}/{name}": render(value) for name, value in all_schemas(languages).items()}
