"""Typed reading of YAML fields, recording located problems instead of raising."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from ..model.dates import DateError, PartialDate, When, check_order, parse_date
from ..model.items import Image, Localized
from ..model.problems import Problems, did_you_mean
from .yamlsource import YamlMap, line_of, text_of

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
URL = re.compile(r"^(https?://[^\s/]+[^\s]*|mailto:[^\s@]+@[^\s@]+)\Z")
HTTPS_URL = re.compile(r"^https://[^\s/.]+\.[^\s/]+(/[^\s]*)?\Z")
#: The picture formats an editor may give.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
#: The longest file or address name: longer ones break on some disks and are hard to share.
MAX_SLUG = 100
SLUG_HINT = (f"Use lowercase Latin letters, digits and single hyphens, at most {MAX_SLUG} characters, "
             "e.g. impact-lab-2024.")


def slug_hint(value: object) -> str:
    """:data:`SLUG_HINT`, opened by the id ``value`` would be written in lowercase with hyphens, when that is one."""
    if not isinstance(value, str) or value in ("True", "False", "None"):  # true, false, null: read as values, not text
        return f"Write it in quotes, or choose another id. {SLUG_HINT}"
    written = re.sub(r"[\s_]+", "-", value.strip().lower())
    return f"Write it as '{written}'. {SLUG_HINT}" if is_slug(written) and written != value else SLUG_HINT


def is_slug(value: object) -> bool:
    """Whether ``value`` can be used as a file or URL name."""
    return isinstance(value, str) and len(value) <= MAX_SLUG and bool(SLUG.match(value))


def shown(value: object, width: int = 40) -> str:
    """A value short enough to quote in a message, on one line (a line break shown as ``\n``)."""
    text = str(value).replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def _empty(value: object) -> bool:
    """Whether a required value is absent, or nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


class Fields:
    """Reads one YAML mapping against the fields a kind of file may have."""

    def __init__(self, data: Any, path: str, problems: Problems, allowed: Iterable[str],
                 required: Iterable[str] = (), what: str = "field") -> None:
        self.path, self.problems = path, problems
        self.data: YamlMap = data if isinstance(data, YamlMap) else YamlMap()
        if not isinstance(data, YamlMap):
            self.data.line, self.data.lines = line_of(data, default=1), {}
            if data is not None:
                problems.error(path, self.data.line, "expected 'field: value' lines here",
                               "Write each field on a line of its own, as 'name: value' (docs/content.md lists them).")
        allowed, required = set(allowed), list(required)
        missing = [key for key in required if _empty(self.data.get(key))]
        misspelt = set()
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), missing, n=1, cutoff=0.6)
                if close:  # 'titel' for a missing 'title': one mistake, one message
                    misspelt.add(close[0])
                    problems.error(path, self.line(key), f"unknown {what} '{key}': the required {what} "
                                   f"'{close[0]}' is missing", f"Write '{close[0]}' instead of '{key}'.")
                else:
                    problems.error(path, self.line(key), f"unknown {what} '{key}'", did_you_mean(key, allowed))
        for key in missing:
            if key not in misspelt:
                problems.error(path, self.data.line or 1, f"the required {what} '{key}' is missing",
                               f"Add a line '{key}: …'.")

    def line(self, key: str) -> int:
        """The line of a field, or of the mapping."""
        return line_of(self.data, key, default=self.data.line or 1)

    def error(self, key: str, message: str, hint: str = "") -> None:
        """Record an error at a field."""
        self.problems.error(self.path, self.line(key), message, hint)

    def text(self, key: str, default: str = "") -> str:
        """A text field."""
        value = self.data.get(key)
        if value is None:
            return default
        text = text_of(self.data, key)
        if text is None:
            self.error(key, f"'{key}' must be text, not a list or a block")
            return default
        return text if isinstance(value, str) else text.strip()

    def integer(self, key: str, default: int = 0) -> int:
        """A whole number."""
        value = self.data.get(key, default)
        if value is None:
            self.error(key, f"'{key}' is empty", f"Write a whole number, such as '{key}: 1', or delete the line.")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{key}' must be a whole number, not '{value}'",
                       "Write it without quotes or a decimal point, such as 1." if isinstance(value, (str, float)) else "")
            return default
        return value

    def flag(self, key: str) -> bool:
        """A yes/no field."""
        value = self.data.get(key, False)
        if value is None:
            self.error(key, f"'{key}' is empty", f"Write '{key}: true' or '{key}: false', or delete the line.")
            return False
        if not isinstance(value, bool):
            quoted = isinstance(value, str) and value.lower() in ("true", "false")
            self.error(key, f"'{key}' must be true or false, not '{value}'",
                       f"Write {value.lower()} without quotes." if quoted else f"Write '{key}: true' or '{key}: false'.")
            return False
        return value

    def choice(self, key: str, options: Iterable[str], default: str) -> str:
        """One of a fixed set of words."""
        value = self.text(key, default)
        options = list(options)
        if value not in options:
            self.error(key, f"'{key}: {value}' is not allowed", did_you_mean(str(value), options, few=len(options)))
            return default
        return value

    def url(self, key: str) -> str:
        """A web address."""
        value = self.text(key)
        if value and not URL.match(value):
            self.error(key, f"'{value}' is not a web address", "Write it in full, starting with https://.")
            return ""
        return value

    def https_url(self, key: str) -> str:
        """A web address that must be secure (a form visitors fill in)."""
        value = self.text(key)
        if value and not HTTPS_URL.match(value):
            self.error(key, f"'{value}' is not an https:// web address",
                       "Write the full address of the page, starting with https:// (e.g. https://forms.example.org/apply).")
            return ""
        return value

    def image(self, key: str, folder: str, languages: tuple[str, ...]) -> Image | None:
        """A picture: ``file`` (beside the facts file) and ``alt`` text in every language."""
        value = self.data.get(key)
        if value is None:
            return None
        example = f"Write it as:\n  {key}:\n    file: name.jpg\n    alt:\n" + "".join(
            f"      {lang}: …\n" for lang in languages)
        if not isinstance(value, dict):
            self.error(key, f"'{key}' must give a 'file' and its 'alt' text", example.rstrip())
            return None
        sub = Fields(value, self.path, self.problems, ("file", "alt"), ("file",), what=f"'{key}' field")
        file = sub.text("file")
        if not file:
            return None
        if "/" in file or "\\" in file or not file.lower().endswith(IMAGE_SUFFIXES):
            sub.error("file", f"'{file}' is not a picture file beside {self.path.rsplit('/', 1)[-1]}",
                      "Put a .jpg, .png or .webp file in the same folder and write only its name.")
            return None
        alt = sub.localized("alt", languages)
        missing = [lang for lang in languages if not alt.values.get(lang)]
        if missing:
            line = sub.line("alt") if "alt" in sub.data else sub.data.line or self.line(key)
            self.problems.error(self.path, line, f"the alt text of '{key}' is missing in {', '.join(missing)}",
                                "Describe the picture in every language, for visitors who cannot see it: "
                                + ", ".join(f"'{lang}: …'" for lang in missing) + " under 'alt:'.")
            return None
        return Image(f"{folder}/{file}", alt, self.line(key))

    def date(self, key: str) -> PartialDate | None:
        """A date at any precision."""
        if self.data.get(key) in (None, ""):
            return None
        try:
            return parse_date(text_of(self.data, key) or self.data[key])
        except DateError as exc:
            self.error(key, str(exc))
            return None

    def when(self, single: str = "date", start: str = "start", end: str = "end") -> When | None:
        """A date (``date``) or a period (``start`` and ``end``, which may be ``open``)."""
        has_single, has_start = single in self.data, start in self.data
        if has_single and has_start:
            self.error(start, f"give either '{single}' or '{start}' and '{end}', not both")
            return None
        if has_single:
            value = self.date(single)
            return When(value) if value else None
        if end in self.data and not has_start:
            self.error(end, f"'{end}' without '{start}'", f"Add '{start}: …' before it.")
            return None
        first = self.date(start)
        if first is None:
            return None
        if str(self.data.get(end, "")).strip() == "open":
            return When(first, open_end=True)
        last = self.date(end)
        if last is None:
            return When(first)
        try:
            check_order(first, last)
        except DateError as exc:
            self.error(end, str(exc), f"Correct '{start}' or '{end}'.")
            return When(first)
        return When(first, last)

    def ids(self, key: str) -> tuple[str, ...]:
        """A list of ids, each a slug (a single id is accepted too)."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result = []
        for index, item in enumerate(items):
            if not is_slug(item) and not (isinstance(item, str) and all(is_slug(p) for p in item.split("/"))):
                line = line_of(value, index, self.line(key))
                self.problems.error(self.path, line, f"'{shown(item)}' in '{key}' is not an id", slug_hint(item))
                continue
            if item in result:
                self.problems.error(self.path, line_of(value, index, self.line(key)), f"'{item}' is listed twice in '{key}'")
                continue
            result.append(item)
        return tuple(result)

    def localized(self, key: str, languages: tuple[str, ...]) -> Localized:
        """A label given once for all languages or once per language."""
        value = self.data.get(key)
        if isinstance(value, str) and not value.strip():
            self.error(key, f"'{key}' is empty", f"Write the {key.replace('_', ' ')}, or delete the line.")
            return Localized({})
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):  # 2024, 010: as typed
            typed = text_of(self.data, key) or ""
            return Localized({lang: typed.strip() for lang in languages})
        if not isinstance(value, dict):
            if value is not None:
                self.error(key, f"'{key}' must be text or one line per language ({', '.join(languages)})",
                           f"Write '{key}: …', or one line per language below it: {', '.join(languages)}.")
            return Localized({})
        result = {}
        for lang, text in value.items():
            written = text_of(value, lang) if not isinstance(text, bool) else None
            if lang not in languages:
                self.problems.error(self.path, line_of(value, lang), f"unknown language '{lang}' in '{key}'",
                                    did_you_mean(lang, languages))
            elif written is None or not written.strip():
                self.problems.error(self.path, line_of(value, lang), f"'{key}' in '{lang}' must be text",
                                    "Write the text after the colon, on the same line (in quotes if it is "
                                    "'true' or 'false').")
            else:
                result[lang] = written.strip()
        return Localized(result)
