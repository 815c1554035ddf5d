"""The fields of every kind of content file, declared once.

Validation (``content``, ``schedule``), the JSON Schemas in ``schemas/`` (``schema_json``), the table of
fields in ``docs/content.md`` (``schema_docs``) and the files ``build.py new`` writes (``scaffold``) all
read these declarations, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What an editor writes in a field.
TEXT, MARKDOWN, LOCALIZED, DATE, END = "text", "markdown", "localized", "date", "end"
NUMBER, FLAG, CHOICE, URL, URLS = "number", "flag", "choice", "url", "urls"
ID, IDS, EDITION, LANGUAGE, TIMEZONE = "id", "ids", "edition", "language", "timezone"
LABELS, SCHEDULE, HASH = "labels", "schedule", "hash"
HTTPS, PICTURE = "https", "picture"

#: What ``build.py new`` writes where an editor has to write the text; ``check`` finds what is left of it.
PLACEHOLDER = "FILL IN"
#: How each type is named in the docs, for people.
TYPE_NAMES: dict[str, str] = {
    TEXT: "text",
    MARKDOWN: "Markdown text",
    LOCALIZED: "text, or one line per language",
    DATE: "a date, as precise as known",
    END: "a date, or `open`",
    NUMBER: "a whole number",
    FLAG: "`true` or `false`",
    CHOICE: "one of the words listed",
    URL: "a web address, in full",
    URLS: "a list of web addresses",
    ID: "an id",
    IDS: "a list of ids",
    EDITION: "an edition, as lab/year",
    LANGUAGE: "a language code of the site",
    TIMEZONE: "a time zone name",
    LABELS: "one line per milestone id",
    SCHEDULE: "a list of milestones",
    HASH: "written by `i18n mark`",
    HTTPS: "a web address starting with https://",
    PICTURE: "`file` (a .jpg, .png or .webp beside the .yaml) and `alt` text in every language",
}


@dataclass(frozen=True)
class Field:
    """One field of a facts file, a text file's front matter or a milestone."""

    name: str
    type: str
    description: str
    example: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One kind of content: where its files live and the fields of each."""

    name: str
    word: str
    title: str
    noun: str
    facts_path: str
    glob: str
    facts: tuple[Field, ...]
    text: tuple[Field, ...]
    body: str
    facts_optional: bool = False

    def text_path(self, lang: str = "<lang>") -> str:
        """Where the text of one language lives, as a pattern."""
        return self.facts_path.removesuffix(".yaml") + f".{lang}.md"

    def facts_field(self, name: str) -> Field:
        """The facts field called ``name``."""
        return next(f for f in (*self.facts, *COMMON) if f.name == name)


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The names of ``fields``, in order."""
    return tuple(f.name for f in fields)


def required(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The names of the required ``fields``, in order."""
    return tuple(f.name for f in fields if f.required)


_ORDER = Field("order", NUMBER, "position in the list; smaller numbers first", 1)
_SLUG = Field("slug", ID, "the address, when it should differ from the file name", "open-call-2025")
_PICTURE = Field("image", PICTURE, "a cover or a still", {"file": "still.jpg", "alt": {"en": "A film crew at work"}})
_TITLE = Field("title", TEXT, "the name, shown as the page's heading", "Impact Lab", required=True)
_SUMMARY = Field("summary", TEXT, "one sentence, shown in lists and search results",
                 "A six-day lab for films about human rights.", required=True)
_EDITION_REF = Field("edition", EDITION, "the edition it belongs to", "impact-lab/2024")

#: Fields every facts file may have.
COMMON: tuple[Field, ...] = (
    Field("draft", FLAG, "never published; shown only by `build --drafts` and `serve --drafts`", True),
    Field("publish_date", DATE, "hidden until that day", "2025-07-01"),
    Field("source_language", LANGUAGE, "the language the text was first written in (default: the site's)", "ru"),
)
#: Fields every text file may have.
TEXT_COMMON: tuple[Field, ...] = (
    Field("source_hash", HASH, "which version of the source text this translates; do not edit", "3f2a9c1b7d4e"),
)

MILESTONE_KINDS = ("open_call", "deadline", "announcement", "module", "course", "mentoring", "defence",
                   "implementation", "event")
#: The fields of one milestone of an edition's ``schedule``.
MILESTONE: tuple[Field, ...] = (
    Field("id", ID, "stable id, used in anchors and calendar feeds; never rename it once published", "open-call",
          required=True),
    Field("kind", CHOICE, "what happens; each kind has a label in every language", "open_call", required=True,
          choices=MILESTONE_KINDS),
    Field("date", DATE, "when it happens (or give `start` and `end`)", "early 2025-09"),
    Field("start", DATE, "when a period begins", "2025-07-01"),
    Field("end", END, "when it ends (an open call's deadline); `open` means \"and later\"", "2025-09-30 23:59"),
    Field("place", ID, "where, an id from content/places.yaml", "almaty"),
    Field("timezone", TIMEZONE, "the time zone of its times, when not the site's", "Europe/Berlin"),
)

#: The fields of one place in ``content/places.yaml``.
PLACE: tuple[Field, ...] = (
    Field("name", LOCALIZED, "the city's name in each language", {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
          required=True),
    Field("country", LOCALIZED, "the country's name in each language",
          {"kk": "Қазақстан", "ru": "Казахстан", "en": "Kazakhstan"}),
    Field("country_code", TEXT, "the two-letter country code", "KZ"),
)

_SCHEDULE_EXAMPLE = [
    {"id": "open-call", "kind": "open_call", "start": "2025-07-01", "end": "2025-09-30 23:59"},
    {"id": "results", "kind": "announcement", "date": "early 2025-10"},
]

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("lab", "lab", "Lab", "lab", "content/labs/<lab>.yaml", "content/labs/*.yaml",
         (_ORDER, _PICTURE),
         (_TITLE, _SUMMARY),
         "a description of the lab"),
    Kind("edition", "edition", "Edition", "edition", "content/labs/<lab>/<year>.yaml", "content/labs/*/*.yaml",
         (Field("date", DATE, "when the edition runs, when it is a single date (or give `start` and `end`)", 2025),
          Field("start", DATE, "when the edition begins", "2024-09-26"),
          Field("end", END, "when the edition ends", "2024-10-01"),
          Field("format", CHOICE, "how it runs", "in-person", required=True, choices=("in-person", "online", "hybrid")),
          Field("places", IDS, "where, ids from content/places.yaml", ["bishkek"]),
          Field("mentors", IDS, "ids of files in content/people/", ["danielle-turkov", "amy-shepherd"]),
          Field("partners", IDS, "ids of files in content/partners/", ["think-film"]),
          Field("apply_url", HTTPS, "the application form, while the call is open", "https://forms.example.org/impact-lab"),
          Field("apply_label", LOCALIZED, "the Apply button's words, if not 'Apply'", {"en": "Apply now"}),
          _PICTURE,
          Field("faq", ID, "id of a file in content/faq/", "impact-distribution-lab"),
          Field("schedule", SCHEDULE, "the key dates, each a milestone", _SCHEDULE_EXAMPLE)),
         (_TITLE, _SUMMARY,
          Field("eligibility", MARKDOWN, "who may apply", "- Filmmakers from Central Asia"),
          Field("benefits", MARKDOWN, "what participants get", "- Six days with mentors"),
          Field("how_to_apply", MARKDOWN, "how to apply", "Fill in the form."),
          Field("selection", MARKDOWN, "how participants are chosen", "An expert jury chooses ten projects."),
          Field("schedule", LABELS, "a better label for a milestone in this language", {"open-call": "Open call"})),
         "a description of the edition"),
    Kind("person", "person", "Person", "person", "content/people/<id>.yaml", "content/people/*.yaml",
         (Field("name", LOCALIZED, "the name in each script", {"en": "Amy Shepherd", "ru": "Эми Шепард",
                                                                "kk": "Эми Шепард"}, required=True),
          Field("organisation", ID, "id of a partner in content/partners/", "think-film"),
          Field("links", URLS, "web addresses about the person", ["https://example.org/amy-shepherd"]),
          Field("photo", PICTURE, "a portrait", {"file": "amy-shepherd.jpg", "alt": {"en": "Amy Shepherd"}})),
         (Field("role", TEXT, "what the person does, in one line", "Founder of Think-Film Impact Production",
                required=True),),
         "a short biography"),
    Kind("partner", "partner", "Partner", "partner", "content/partners/<id>.yaml", "content/partners/*.yaml",
         (Field("name", LOCALIZED, "the organisation's name, or one per language", "Think-Film Impact Production",
                required=True),
          Field("url", URL, "the organisation's website", "https://think-film.com")),
         (Field("summary", TEXT, "one sentence about the organisation", "An impact production company."),),
         "a description of the organisation"),
    Kind("article", "news", "News", "news article", "content/news/<slug>.yaml", "content/news/*.yaml",
         (Field("date", DATE, "the publication date; a future date stays hidden until then", "2024-05",
                required=True),
          _EDITION_REF, _SLUG, _PICTURE),
         (Field("title", TEXT, "the headline", "The open call is open", required=True),
          Field("summary", TEXT, "one sentence, shown in lists and feeds", "Apply until 5 August.", required=True)),
         "the article"),
    Kind("page", "page", "Page", "page", "content/pages/<slug>.yaml", "content/pages/*.yaml",
         (_ORDER, _SLUG),
         (Field("title", TEXT, "the page's heading and menu entry", "About us", required=True),
          Field("summary", TEXT, "one sentence, shown in search results", "Who we are.")),
         "the page", facts_optional=True),
    Kind("faq", "faq", "FAQ", "FAQ", "content/faq/<id>.yaml", "content/faq/*.yaml",
         (_EDITION_REF, _ORDER),
         (Field("title", TEXT, "the heading of the questions", "Questions and answers", required=True),),
         "sections (#) and questions (##), each ending with an id in braces"),
)}


def by_word(word: str) -> Kind | None:
    """The kind editors call ``word`` (``news``, ``faq``…)."""
    return next((kind for kind in KINDS.values() if kind.word == word), None)


def facts_table() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per kind, the facts fields (allowed, required); the common fields are allowed everywhere."""
    return {kind.name: (names(kind.facts), required(kind.facts)) for kind in KINDS.values()}


def text_table() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per kind, the front matter fields of its text files (required, optional)."""
    return {kind.name: (required(kind.text), tuple(f.name for f in kind.text if not f.required))
            for kind in KINDS.values()}


def choices(kind: str, name: str) -> tuple[str, ...]:
    """The words a choice field of ``kind`` allows."""
    return KINDS[kind].facts_field(name).choices


def inline(value: Any) -> str:
    """A value as it is written on one line of YAML: ``[a, b]``, ``{en: A, ru: Б}``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {inline(v)}" for k, v in value.items()) + "}"
    return str(value)
