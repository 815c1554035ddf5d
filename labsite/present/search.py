"""What the search page's script needs in a language: its words, the result counts by plural category, the kinds."""

from __future__ import annotations

from typing import Any

from ..i18n.bundle import N_
from .structured import script_json
from .views import Language, Views

SEARCH_SCRIPT = "search.js"
#: The kinds of result, as the index's ``kind`` filter names them, with their names for visitors.
KINDS = {"lab": N_("Lab"), "edition": N_("Edition"), "person": N_("Person"), "question": N_("Question"),
         "news": N_("News"), "page": N_("Page")}
#: The counts tried when looking for a number of each CLDR plural category.
_SAMPLES = range(0, 1000)


def result_counts(language: Language) -> dict[str, str]:
    """"{count} results" for each CLDR plural category of the language, ``{count}`` kept for the script."""
    rule = language.locale.plural_form
    texts = {}
    for tag in sorted(rule.tags | {"other"}):
        sample = next((n for n in _SAMPLES if rule(n) == tag), None)
        if sample is not None:
            texts[tag] = language.ngettext("{count} result", "{count} results", sample)
    return texts


def search_texts(language: Language) -> dict[str, Any]:
    """Every text the search script shows, in the language, and the page's language for its plural rules."""
    _ = language._
    return {
        "lang": language.code,
        "counts": result_counts(language),
        "none": _("Nothing found. Try a shorter word or the start of a word."),
        "searching": _("Searching…"),
        "failed": _("Search could not be loaded. Try again later, or browse the labs, people and questions."),
        "kinds": {kind: _(name) for kind, name in KINDS.items()},
    }


def search_page(views: Views, labs: list[str]) -> dict[str, Any]:
    """What the search page shows besides its template's words: the script's texts and the filters' choices."""
    _ = views.lang._
    return {"search_texts": script_json(search_texts(views.lang)),
            "kinds": [{"value": kind, "name": _(name)} for kind, name in KINDS.items()],
            "labs": sorted(labs, key=str.casefold)}
