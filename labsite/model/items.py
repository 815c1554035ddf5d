"""The site's content as frozen values: facts stored once, text per language. No file access."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .dates import PartialDate, When


@dataclass(frozen=True)
class Localized:
    """A short label written once per language or script, such as a person's name."""

    values: Mapping[str, str]

    def get(self, chain: tuple[str, ...]) -> tuple[str, str]:
        """The text in the first language of ``chain`` that has one, with that language."""
        for lang in chain:
            if self.values.get(lang):
                return self.values[lang], lang
        lang, text = next(iter(sorted(self.values.items())), ("", ""))
        return text, lang


@dataclass(frozen=True)
class Text:
    """The text of one item in one language, read from ``<name>.<lang>.md``."""

    lang: str
    path: str
    front: Mapping[str, Any]
    body: str
    body_line: int
    source_hash: str = ""
    #: ``text_hash`` of this text: what a translation of it records in its ``source_hash``.
    digest: str = ""

    def field(self, name: str, default: str = "") -> str:
        """A front matter field as text."""
        value = self.front.get(name, default)
        return value if isinstance(value, str) else default


@dataclass(frozen=True)
class Meta:
    """What every item has: where it comes from and whether it is published."""

    path: str
    draft: bool = False
    publish_date: PartialDate | None = None
    source_language: str = ""
    texts: Mapping[str, Text] = field(default_factory=dict)
    #: The facts file as read, kept for the line numbers of later checks.
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def file_set(self) -> frozenset[str]:
        """Every file this item is read from (made once: pages ask for it in every language)."""
        return frozenset((self.path, *(t.path for t in self.texts.values())))


@dataclass(frozen=True)
class Image:
    """A photo, cover or still of an item: one file, its alt text in every language."""

    file: str
    alt: Localized
    line: int = 0


@dataclass(frozen=True)
class Place:
    """A city, named in every language."""

    id: str
    name: Localized
    country: Localized
    country_code: str


@dataclass(frozen=True)
class Milestone:
    """A dated step of an edition's schedule: an open call, a deadline, a module."""

    id: str
    kind: str
    when: When
    place: str = ""
    timezone: str = ""
    line: int = 0


@dataclass(frozen=True)
class Lab:
    """A programme such as the Impact Lab."""

    id: str
    meta: Meta
    order: int = 0
    image: Image | None = None


@dataclass(frozen=True)
class Edition:
    """One year of a lab, with its dates, people and schedule."""

    lab: str
    key: str
    meta: Meta
    when: When | None = None
    format: str = "in-person"
    places: tuple[str, ...] = ()
    mentors: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    apply_url: str = ""
    faq: str = ""
    schedule: tuple[Milestone, ...] = ()
    apply_label: Localized = field(default_factory=lambda: Localized({}))
    image: Image | None = None

    @property
    def id(self) -> str:
        """The edition's reference, ``lab/year``."""
        return f"{self.lab}/{self.key}"

    @property
    def slug(self) -> str:
        """A flat name for files such as feeds: ``impact-lab-2024``."""
        return f"{self.lab}-{self.key}"


@dataclass(frozen=True)
class Person:
    """A mentor, tutor or organiser."""

    id: str
    meta: Meta
    name: Localized
    organisation: str = ""
    links: tuple[str, ...] = ()
    photo: Image | None = None


@dataclass(frozen=True)
class Partner:
    """A partner organisation."""

    id: str
    meta: Meta
    name: Localized
    url: str = ""


@dataclass(frozen=True)
class Article:
    """A news article."""

    id: str
    meta: Meta
    date: PartialDate
    edition: str = ""
    image: Image | None = None


@dataclass(frozen=True)
class Page:
    """A free page such as 'about'."""

    id: str
    meta: Meta
    order: int = 0


@dataclass(frozen=True)
class Question:
    """One FAQ question; its id is the same in every language."""

    id: str
    title: str
    answer: str
    line: int


@dataclass(frozen=True)
class Section:
    """A group of FAQ questions."""

    id: str
    title: str
    questions: tuple[Question, ...]
    line: int


@dataclass(frozen=True)
class Faq:
    """A list of questions and answers, optionally of one edition."""

    id: str
    meta: Meta
    edition: str = ""
    order: int = 0
    sections: Mapping[str, tuple[Section, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Content:
    """Everything in ``content/``, linked and validated."""

    labs: Mapping[str, Lab] = field(default_factory=dict)
    editions: Mapping[str, Edition] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    partners: Mapping[str, Partner] = field(default_factory=dict)
    articles: Mapping[str, Article] = field(default_factory=dict)
    pages: Mapping[str, Page] = field(default_factory=dict)
    faqs: Mapping[str, Faq] = field(default_factory=dict)
    places: Mapping[str, Place] = field(default_factory=dict)
    drafts: frozenset[str] = field(default_factory=frozenset)
    #: The clean HTML of the items' Markdown, by text: converted once, when the content is read.
    html: Mapping[str, str] = field(default_factory=dict)

    def metas(self) -> list[Meta]:
        """Every item that has texts, by the path of its file."""
        groups = (self.labs, self.editions, self.people, self.partners, self.articles, self.pages, self.faqs)
        return sorted((item.meta for group in groups for item in group.values()), key=lambda meta: meta.path)

    def images(self) -> list[Image]:
        """Every picture of the content, in a stable order."""
        found = [lab.image for lab in self.labs.values()] + [e.image for e in self.editions.values()]
        found += [p.photo for p in self.people.values()] + [a.image for a in self.articles.values()]
        return sorted({i.file: i for i in found if i is not None}.values(), key=lambda i: i.file)

    def editions_of(self, lab: str) -> list[Edition]:
        """The editions of a lab, newest first."""
        return sorted((e for e in self.editions.values() if e.lab == lab), key=lambda e: e.key, reverse=True)


#: The front matter field in which a translation records the digest of the source text it translates.
HASH_FIELD = "source_hash"
HASH_LENGTH = 12


def text_hash(front: dict[str, Any] | Any, body: str) -> str:
    """The short sha256 of a text: its front matter (without ``source_hash``) and its body.

    Front matter is compared by value (key order, quoting and comments do not count); the body by
    its lines without trailing spaces, with leading and trailing blank lines ignored.
    """
    fields = {str(k): v for k, v in dict(front).items() if k != HASH_FIELD}
    canonical_front = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    canonical_body = "\n".join(lines).strip("\n")
    digest = hashlib.sha256(f"{canonical_front}\n\n{canonical_body}".encode()).hexdigest()
    return digest[:HASH_LENGTH]
