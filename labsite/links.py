"""Checks that every reference between items points at something that exists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .config import SiteConfig
from .model import Article, Content, Faq, Meta
from .problems import Problems
from .yamlsource import line_of


def check_links(content: Content, config: SiteConfig, problems: Problems) -> None:
    """Record a located error for every reference to a lab, person, partner or FAQ that does not exist."""
    for edition in content.editions.values():
        meta = edition.meta
        if edition.lab not in content.labs:
            problems.error(meta.path, 0, f"the edition belongs to an unknown lab '{edition.lab}'",
                           f"Create content/labs/{edition.lab}.yaml or move the edition into an existing lab's folder.")
        _refs(meta, "mentors", edition.mentors, content.people, "content/people/", problems)
        _refs(meta, "partners", edition.partners, content.partners, "content/partners/", problems)
        if edition.faq and edition.faq not in content.faqs:
            problems.error(meta.path, line_of(meta.facts, "faq"), f"unknown FAQ '{edition.faq}'",
                           _known("content/faq/", content.faqs))
        _check_labels(edition.meta, {m.id for m in edition.schedule}, problems)
    for person in content.people.values():
        if person.organisation and person.organisation not in content.partners:
            problems.error(person.meta.path, line_of(person.meta.facts, "organisation"),
                           f"unknown partner '{person.organisation}'", _known("content/partners/", content.partners))
    items: list[Article | Faq] = [*content.articles.values(), *content.faqs.values()]
    for item in items:
        if item.edition and item.edition not in content.editions:
            problems.error(item.meta.path, line_of(item.meta.facts, "edition"), f"unknown edition '{item.edition}'",
                           "Write it as lab/year, one of: " + ", ".join(sorted(content.editions)) + ".")
    _check_faq_ids(content, problems)


def _check_labels(meta: Meta, ids: set[str], problems: Problems) -> None:
    """The milestone labels of an edition's texts name milestones of its schedule."""
    for text in meta.texts.values():
        labels = text.front.get("schedule")
        if labels is None:
            continue
        if not isinstance(labels, dict):
            problems.error(text.path, line_of(text.front, "schedule"), "'schedule' must map milestone ids to labels",
                           "Write one line per milestone, e.g. '  open-call: Open call'.")
            continue
        for milestone_id, label in labels.items():
            line = line_of(labels, milestone_id)
            if milestone_id not in ids:
                problems.error(text.path, line, f"no milestone '{milestone_id}' in the edition's schedule",
                               f"Use an id from the schedule in {meta.path}: {', '.join(sorted(ids)) or 'none yet'}.")
            elif not isinstance(label, str):
                problems.error(text.path, line, f"the label of '{milestone_id}' must be text")


def _check_faq_ids(content: Content, problems: Problems) -> None:
    """Question ids are anchors on one FAQ page: unique across files, and no language invents its own."""
    owners: dict[str, str] = {}
    for faq in sorted(content.faqs.values(), key=lambda f: f.id):
        source = faq.sections.get(faq.meta.source_language) or next(iter(faq.sections.values()), ())
        source_ids = {s.id for s in source} | {q.id for s in source for q in s.questions}
        for anchor in sorted(source_ids):
            if anchor in owners:
                problems.error(faq.meta.path, 0, f"the id '{anchor}' is also used in the FAQ '{owners[anchor]}'",
                               "Ids must be unique across all FAQ files; rename one.")
            owners[anchor] = faq.id
        for lang, sections in faq.sections.items():
            text = faq.meta.texts[lang]
            for section in sections:
                for anchor, line in ((section.id, section.line), *((q.id, q.line) for q in section.questions)):
                    if anchor not in source_ids:
                        problems.error(text.path, line, f"the id '{anchor}' is not in the source language's FAQ",
                                       "Every language uses the ids of the source text; correct or remove it.")


def _refs(meta: Meta, key: str, ids: tuple[str, ...], known: Mapping[str, Any], folder: str, problems: Problems) -> None:
    """Report ids in a list field that name nothing."""
    raw = meta.facts.get(key)
    for index, item in enumerate(ids):
        if item not in known:
            line = line_of(raw, index, line_of(meta.facts, key)) if isinstance(raw, list) else line_of(meta.facts, key)
            problems.error(meta.path, line, f"'{item}' in '{key}' does not exist", _known(folder, known))


def _known(folder: str, known: Mapping[str, Any]) -> str:
    """A hint listing what exists."""
    names = sorted(known)
    return f"Create {folder}<id>.yaml or use one of: {', '.join(names)}." if names else f"Create it in {folder}."
