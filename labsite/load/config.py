"""Read and validate ``site_config.yaml``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from ..model.problems import Problems, did_you_mean
from ..model.timezones import ZoneInfo, zone, zone_problem
from .paths import output_problem, read_source
from .yamlsource import YamlError, YamlMap, line_of, parse_yaml

CONFIG_FILE = "site_config.yaml"
#: The address of a host: its name (letters, digits, dots and hyphens) and maybe a port, nothing after.
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?/?\Z")
#: The longest time before a deadline that an open call can be "closing soon": a year.
MAX_SOON_DAYS = 365

FIELDS = {
    "title": "the site's name, shown in every page head",
    "base_url": "the public address of the site, e.g. https://example.org",
    "languages": "the language codes of the site, in menu order",
    "default_language": "the language of the root page's fallbacks and of x-default",
    "source_language": "the language content is first written in, unless an item says otherwise",
    "fallbacks": "for each language, the languages to borrow text from, in order",
    "timezone": "the time zone of dates without one",
    "output_dir": "where the built site is written",
    "closing_soon_days": "how many days before a deadline an open call is 'closing soon'",
    "date_locales": "for a language, the regional variant whose date forms it uses, e.g. en: en_GB",
}



@dataclass(frozen=True)
class SiteConfig:
    """Site-wide settings."""

    root: Path
    title: str = "Alternativa Film Labs"
    base_url: str = "https://example.org"
    languages: tuple[str, ...] = ("en",)
    default_language: str = "en"
    source_language: str = "en"
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    timezone: str = "Asia/Almaty"
    output_dir: str = "_site"
    closing_soon_days: int = 14
    date_locales: dict[str, str] = field(default_factory=dict)
    #: False when the settings file could not be read at all, so that every setting is a default.
    complete: bool = True

    @property
    def tz(self) -> ZoneInfo:
        """The site's time zone."""
        return zone(self.timezone)

    @property
    def output_path(self) -> Path:
        """The output folder, absolute (links in it are not followed: the writer refuses them)."""
        return Path(os.path.abspath(self.root / self.output_dir))

    def chain(self, lang: str) -> tuple[str, ...]:
        """The languages to try for text in ``lang``, the language itself first."""
        return (lang, *self.fallbacks.get(lang, ()))

    def url(self, path: str) -> str:
        """The absolute public URL of a site path such as ``/en/labs/``."""
        return self.base_url.rstrip("/") + path


def load_config(root: Path, problems: Problems) -> SiteConfig:
    """Read ``site_config.yaml`` in ``root``; record what is wrong in ``problems``."""
    path = root / CONFIG_FILE
    name = CONFIG_FILE
    if not path.exists():
        problems.error(name, 0, "the site settings file is missing", f"Create {name} in {root}.")
        return SiteConfig(root, complete=False)
    text = read_source(root, path, problems)
    if text is None:
        return SiteConfig(root, complete=False)
    try:
        data = parse_yaml(text)
    except YamlError as exc:
        problems.error(name, exc.line, exc.message, exc.hint or "Check the indentation and the colons.")
        return SiteConfig(root, complete=False)
    if not isinstance(data, YamlMap):
        problems.error(name, 1, "the settings must be 'field: value' lines")
        return SiteConfig(root, complete=False)
    for key in data:
        if key not in FIELDS:
            problems.error(name, line_of(data, key), f"unknown setting '{key}'", did_you_mean(key, FIELDS))
    values: dict[str, Any] = {}
    for key in ("title", "base_url", "timezone", "output_dir"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                problems.error(name, line_of(data, key), f"'{key}' must be text: {FIELDS[key]}")
            elif len(data[key].strip().splitlines()) > 1:  # it is written into one line of files (nginx's among them)
                problems.error(name, line_of(data, key), f"'{key}' must be one line",
                               "Write it on one line, without line breaks (\\n).")
            else:
                values[key] = data[key].strip()
    languages = _languages(data, name, problems)
    values["languages"] = languages
    for key in ("default_language", "source_language"):
        value = data.get(key, languages[0])
        if value not in languages:
            problems.error(name, line_of(data, key), f"'{key}: {value}' is not one of the site's languages",
                           "Use one of: " + ", ".join(languages) + ".")
            value = languages[0]
        values[key] = value
    values["fallbacks"] = _fallbacks(data, languages, name, problems)
    values["date_locales"] = _date_locales(data, languages, name, problems)
    if "base_url" in values and not _URL.match(values["base_url"]):
        problems.error(name, line_of(data, "base_url"), f"'{values['base_url']}' is not the address of a host",
                       "Write it like https://example.org: pages link from the root of the host, "
                       "so the site cannot live in a sub-folder.")
    zoned = zone_problem(str(values.get("timezone", "Asia/Almaty")))
    if zoned is not None:
        problems.error(name, line_of(data, "timezone"), *zoned)
        values.pop("timezone")
    output = str(values.get("output_dir", "_site"))
    message, hint = output_problem(root, output)
    if message:
        problems.error(name, line_of(data, "output_dir"), message, hint)
        values.pop("output_dir", None)
    days = data.get("closing_soon_days", 14)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_SOON_DAYS:
        problems.error(name, line_of(data, "closing_soon_days"),
                       f"'closing_soon_days' must be a whole number of days from 0 to {MAX_SOON_DAYS}",
                       "Write it like closing_soon_days: 14.")
    else:
        values["closing_soon_days"] = days
    return SiteConfig(root=root, **values)


def _languages(data: YamlMap, name: str, problems: Problems) -> tuple[str, ...]:
    """The site's language codes, each one Babel knows."""
    raw = data.get("languages", ["en"])
    if not isinstance(raw, list) or not raw:
        problems.error(name, line_of(data, "languages"), "'languages' must be a list such as [kk, ru, en]")
        return ("en",)
    result: list[str] = []
    for index, code in enumerate(raw):
        code = str(code)
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            hint = "Kazakh is 'kk'." if code.lower() == "kz" else "Use a code such as kk, ru or en."
            problems.error(name, line_of(raw, index), f"unknown language code '{code}'", hint)
            continue
        if code in result:
            problems.error(name, line_of(raw, index), f"the language '{code}' is listed twice")
            continue
        result.append(code)
    return tuple(result) or ("en",)


def _date_locales(data: YamlMap, languages: tuple[str, ...], name: str, problems: Problems) -> dict[str, str]:
    """Regional variants for date forms, each of the language it is given for."""
    raw = data.get("date_locales", {})
    if not isinstance(raw, dict):
        problems.error(name, line_of(data, "date_locales"),
                       "'date_locales' must map a language to a variant, e.g. en: en_GB")
        return {}
    result = {}
    for lang, variant in raw.items():
        line = line_of(raw, lang)
        if not isinstance(variant, str):
            problems.error(name, line, f"the variant of '{lang}' must be a code such as en_GB, not a list or a block")
            continue
        try:
            locale = Locale.parse(str(variant))
        except (UnknownLocaleError, ValueError):
            problems.error(name, line, f"unknown regional variant '{variant}'", "Use a code such as en_GB.")
            continue
        if lang not in languages or locale.language != lang:
            problems.error(name, line, f"'{variant}' is not a variant of a site language '{lang}'",
                           "Write it as <language>: <language>_<REGION>, e.g. en: en_GB.")
            continue
        result[lang] = str(variant)
    return result


def _fallbacks(data: YamlMap, languages: tuple[str, ...], name: str, problems: Problems) -> dict[str, tuple[str, ...]]:
    """The fallback chains, limited to the site's languages."""
    raw = data.get("fallbacks", {})
    result: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw, dict):
        problems.error(name, line_of(data, "fallbacks"), "'fallbacks' must map a language to a list, e.g. kk: [ru, en]")
        return result
    for lang, chain in raw.items():
        line = line_of(raw, lang)
        if lang not in languages:
            problems.error(name, line, f"fallbacks for '{lang}', which is not one of the site's languages")
            continue
        chain = chain if isinstance(chain, list) else [chain]
        bad = [str(c) for c in chain if c not in languages or c == lang]
        if bad:
            problems.error(name, line, f"fallbacks of '{lang}' name {', '.join(bad)}",
                           "List other languages of the site only.")
        result[lang] = tuple(str(c) for c in chain if c in languages and c != lang)
    return result
