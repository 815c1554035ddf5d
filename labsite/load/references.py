"""Checks that every reference between items points at something that exists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.items import Article, Content, Faq, Meta
from ..model.problems import Problems, did_you_mean
from .yamlsource import line_of


def check_links(content: Content, problems: Problems, broken: Mapping[str, set[str]] | None = None) -> None:
    """Record a located error for every reference to a lab, person, partner or FAQ that does not exist.

    ``broken`` names, by kind, the items left out because their files could not be read: a reference to
    one of them is not reported, since the unreadable file is the mistake.
    """
    skip = broken or {}
    for edition in content.editions.values():
        meta = edition.meta
        if edition.lab not in content.labs and edition.lab not in skip.get("lab", ()):
            problems.error(meta.path, 0, f"the edition belongs to an unknown lab '{edition.lab}'",
                           f"Create content/labs/{edition.lab}.yaml or move the edition into an existing lab's folder. "
                           + did_you_mean(edition.lab, content.labs))
        _refs(meta, "mentors", edition.mentors, content.people, "content/people/", problems, skip.get("person", set()))
        _refs(meta, "partners", edition.partners, content.partners, "content/partners/", problems,
              skip.get("partner", set()))
        if edition.faq and edition.faq not in content.faqs and edition.faq not in skip.get("faq", ()):
            problems.error(meta.path, line_of(meta.facts, "faq"), f"unknown FAQ '{edition.faq}'",
                           _known("content/faq/", edition.faq, content.faqs))
        _check_labels(edition.meta, problems)
    for person in content.people.values():
        organisation = person.organisation
        if organisation and organisation not in content.partners and organisation not in skip.get("partner", ()):
            problems.error(person.meta.path, line_of(person.meta.facts, "organisation"),
                           f"unknown partner '{organisation}'", _known("content/partners/", organisation, content.partners))
    items: list[Article | Faq] = [*content.articles.values(), *content.faqs.values()]
    for item in items:
        if item.edition and item.edition not in content.editions and item.edition not in skip.get("edition", ()):
            problems.error(item.meta.path, line_of(item.meta.facts, "edition"), f"unknown edition '{item.edition}'",
                           "Write it as lab/year. " + did_you_mean(item.edition, content.editions))
    _check_faq_ids(content, problems)


def _check_labels(meta: Meta, problems: Problems) -> None:
    """The milestone labels of an edition's texts name milestones written in its schedule.

    A milestone with a mistake of its own is still a milestone here, and a schedule that is not a list
    is reported once, at the schedule: neither makes every label an error too.
    """
    schedule = meta.facts.get("schedule")
    if schedule is not None and not isinstance(schedule, list):
        return
    ids = {str(m["id"]) for m in schedule or () if isinstance(m, dict) and m.get("id") not in (None, "")}
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
                               f"{did_you_mean(milestone_id, ids, few=len(ids))} The milestones are listed under "
                               f"'schedule:' in {meta.path}." if ids else
                               f"Add the milestone under 'schedule:' in {meta.path} first.")
            elif not isinstance(label, str):
                problems.error(text.path, line, f"the label of '{milestone_id}' must be text")


def _check_faq_ids(content: Content, problems: Problems) -> None:
    """Question ids are anchors on one FAQ page: unique across files, and no language invents its own."""
    owners: dict[str, str] = {}
    for faq in sorted(content.faqs.values(), key=lambda f: f.id):
        lang = faq.meta.source_language if faq.meta.source_language in faq.sections else next(iter(faq.sections), "")
        source = faq.sections.get(lang, ())
        lines = {s.id: s.line for s in source} | {q.id: q.line for s in source for q in s.questions}
        source_ids = set(lines)
        for anchor in sorted(source_ids - {""}):
            if anchor in owners:
                problems.error(faq.meta.texts[lang].path, lines[anchor], f"the id '{anchor}' is also used in the FAQ "
                               f"'{owners[anchor]}'", "Ids must be unique across all FAQ files; rename one.")
            owners[anchor] = faq.id
        if "" in source_ids:  # a heading of the source without an id: the one mistake to report
            continue
        for lang, sections in faq.sections.items():
            text = faq.meta.texts[lang]
            for section in sections:
                for anchor, line in ((section.id, section.line), *((q.id, q.line) for q in section.questions)):
                    if anchor and anchor not in source_ids:  # one without an id is told where it is parsed
                        problems.error(text.path, line, f"the id '{anchor}' is not in the source language's FAQ",
                                       "Every language uses the ids of the source text; correct or remove it.")


def _refs(meta: Meta, key: str, ids: tuple[str, ...], known: Mapping[str, Any], folder: str, problems: Problems,
          broken: set[str]) -> None:
    """Report ids in a list field that name nothing."""
    raw = meta.facts.get(key)
    for index, item in enumerate(ids):
        if item not in known and item not in broken:
            line = line_of(raw, index, line_of(meta.facts, key)) if isinstance(raw, list) else line_of(meta.facts, key)
            problems.error(meta.path, line, f"'{item}' in '{key}' does not exist", _known(folder, item, known))


def _known(folder: str, word: str, known: Mapping[str, Any]) -> str:
    """A hint naming the closest id, or listing what exists."""
    if not known:
        return f"Create it in {folder}."
    return f"{did_you_mean(word, known)} To add a new one, create {folder}{word}.yaml."
