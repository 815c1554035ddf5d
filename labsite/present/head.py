"""What every page head carries besides its title: social tags, feed link, structured data, status texts."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from babel import Locale
from babel.core import get_global

from ..load.config import SiteConfig
from ..model.items import Content
from .structured import json_ld, script_json
from .views import Language

STATUS_SCRIPT = "status.js"
#: The templates that show open-call status badges (through _macros.html status_badge or edition_card).
STATUS_TEMPLATES = frozenset({"home.html", "labs.html", "lab.html", "edition.html", "person.html", "article.html"})
#: The counts tried when looking for a number of each CLDR plural category.
_SAMPLES = range(0, 1000)


@functools.cache
def og_locale(code: str) -> str:
    """The Open Graph locale of a language: ``kk_KZ``, ``ru_RU``, ``en_US``."""
    likely = get_global("likely_subtags").get(code, code)
    parts = [p for p in likely.split("_") if not (len(p) == 4 and p.isalpha())]  # drop the script
    return "_".join(parts) if len(parts) > 1 else code


def feed_path(lang: str) -> str:
    """The site path of a language's Atom feed of news."""
    return f"/{lang}/news/atom.xml"


#: The days-left texts of an open call: while it is open, and in its last ``closing_soon_days``.
OPEN_DAYS = ("Open — {count} day left", "Open — {count} days left")
SOON_DAYS = ("Closing soon — {count} day left", "Closing soon — {count} days left")


def days_left_texts(language: Language, texts: tuple[str, str] = OPEN_DAYS) -> dict[str, str]:
    """One days-left text for each CLDR plural category of the language, ``{count}`` kept."""
    return dict(_days_left_texts(language.locale, language.translations.ngettext, texts))


@functools.lru_cache(maxsize=64)
def _days_left_texts(locale: Locale, ngettext: Callable[[str, str, int], str],
                     texts: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """The texts of :func:`days_left_texts`, worked out once per locale and catalogue (every page asks)."""
    rule = locale.plural_form
    found = []
    for tag in sorted(rule.tags | {"other"}):
        sample = next((n for n in _SAMPLES if rule(n) == tag), None)
        if sample is not None:
            found.append((tag, ngettext(*texts, sample)))
    return tuple(found)


def status_texts(language: Language, config: SiteConfig) -> dict[str, Any]:
    """The words the browser needs to rewrite an open call's status in this language."""
    return {"lang": language.code, "soonDays": config.closing_soon_days,
            "today": language._("Open — closes today"), "days": days_left_texts(language),
            "soon": days_left_texts(language, SOON_DAYS)}


def shows_status(value: Any) -> bool:
    """Whether a page's values hold an open-call status (only such pages need the status script)."""
    if isinstance(value, dict):
        return "closes_iso" in value or any(shows_status(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(shows_status(v) for v in value)
    return False


def head_context(template: str, context: dict[str, Any], content: Content, config: SiteConfig,
                 language: Language, script_url: str, page_values: dict[str, Any]) -> dict[str, Any]:
    """Values for the head of one page: Open Graph, feed, JSON-LD and, where a status is shown, its script."""
    canonical = context["canonical"]
    status = template in STATUS_TEMPLATES and shows_status(page_values)
    return {
        "og": {"locale": og_locale(language.code), "type": "article" if template == "article.html" else "website",
               "alternates": [og_locale(c) for c in config.languages if c != language.code]},
        "feed_url": feed_path(language.code),
        "feed_title": f"{config.title} — {language._('News')}",
        "json_ld": json_ld(template, context, content, config, language, canonical),
        "status_script": script_url if status else "",
        "status_texts": script_json(status_texts(language, config)) if status else "",
    }
