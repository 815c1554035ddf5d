"""What a build publishes: drafts and future-dated items are left out, and so are links to them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from .items import Content, Edition, Meta
from .problems import Problems

_Item = TypeVar("_Item", bound=Any)


def is_published(meta: Meta, today: dt.date, drafts: bool, dated: dt.date | None = None) -> bool:
    """Whether an item belongs in a build made on ``today``."""
    if meta.draft and not drafts:
        return False
    moments = [d for d in (meta.publish_date.first_day() if meta.publish_date else None, dated) if d]
    return drafts or all(day <= today for day in moments)


def mark_previews(content: Content, today: dt.date) -> Content:
    """Every item that only a build with drafts shows (future-dated, or an edition of such a lab) marked as a draft.

    So each of them gets the "draft" banner, and is left out of the sitemap, feeds and status file, like drafts.
    """
    def marked(item: _Item, dated: dt.date | None = None, hidden: bool = False) -> _Item:
        if item.meta.draft or not (hidden or not is_published(item.meta, today, False, dated)):
            return item
        return dataclasses.replace(item, meta=dataclasses.replace(item.meta, draft=True))

    labs = {k: marked(v) for k, v in content.labs.items()}
    editions = {k: marked(v, hidden=v.lab in labs and labs[v.lab].meta.draft) for k, v in content.editions.items()}
    return dataclasses.replace(
        content, labs=labs, editions=editions, people={k: marked(v) for k, v in content.people.items()},
        partners={k: marked(v) for k, v in content.partners.items()},
        articles={k: marked(v, v.date.first_day()) for k, v in content.articles.items()},
        pages={k: marked(v) for k, v in content.pages.items()}, faqs={k: marked(v) for k, v in content.faqs.items()})


def select_published(content: Content, today: dt.date, drafts: bool, problems: Problems) -> Content:
    """The content a build made on ``today`` may show; references to hidden items are dropped."""
    if drafts:
        content = mark_previews(content, today)
    labs = {k: v for k, v in content.labs.items() if is_published(v.meta, today, drafts)}
    editions = {k: v for k, v in content.editions.items() if v.lab in labs and is_published(v.meta, today, drafts)}
    people = {k: v for k, v in content.people.items() if is_published(v.meta, today, drafts)}
    partners = {k: v for k, v in content.partners.items() if is_published(v.meta, today, drafts)}
    articles = {
        k: v for k, v in content.articles.items() if is_published(v.meta, today, drafts, v.date.first_day())
    }
    pages = {k: v for k, v in content.pages.items() if is_published(v.meta, today, drafts)}
    faqs = {k: v for k, v in content.faqs.items() if is_published(v.meta, today, drafts)}

    def keep(meta: Meta, field: str, ids: tuple[str, ...], known: Mapping[str, object]) -> tuple[str, ...]:
        for item in ids:
            if item not in known:
                lines = getattr(meta.facts, "lines", {})  # the line of each key, where the facts file was read
                problems.warn(meta.path, lines.get(field, 0), f"'{item}' in '{field}' is not published yet, so it "
                              "is not shown", "It is shown once it is published; a preview with drafts shows it now.")
        return tuple(i for i in ids if i in known)

    def linked(item: _Item, field: str, known: Mapping[str, object]) -> _Item:
        """``item`` without the one item its ``field`` names when that one is not published."""
        value = getattr(item, field)
        if not value or keep(item.meta, field, (value,), known):
            return item
        return dataclasses.replace(item, **{field: ""})

    editions = {
        k: dataclasses.replace(
            e,
            mentors=keep(e.meta, "mentors", e.mentors, people),
            partners=keep(e.meta, "partners", e.partners, partners),
        )
        for k, e in editions.items()
    }
    editions = {k: linked(e, "faq", faqs) for k, e in editions.items()}
    people = {k: linked(p, "organisation", partners) for k, p in people.items()}
    articles = {k: linked(a, "edition", editions) for k, a in articles.items()}
    faqs = {k: linked(f, "edition", editions) for k, f in faqs.items()}
    unanswered_calls(editions.values(), today, problems)
    return dataclasses.replace(content, labs=labs, editions=editions, people=people, partners=partners,
                               articles=articles, pages=pages, faqs=faqs)


def unanswered_calls(editions: Iterable[Edition], today: dt.date, problems: Problems) -> None:
    """A warning at each open call that has not closed on ``today`` while its edition gives visitors no way to
    apply: no ``apply_url``, and no ``how_to_apply`` in any language."""
    for edition in editions:
        texts = edition.meta.texts.values()
        if edition.apply_url or any(str(text.front.get("how_to_apply") or "").strip() for text in texts):
            continue
        for milestone in edition.schedule:
            end = milestone.when.end
            if milestone.kind == "open_call" and end is not None and end.last_day() >= today:
                problems.warn(edition.meta.path, milestone.line, f"the open call '{milestone.id}' has not closed, "
                              "and its page shows no way to apply", "Add 'apply_url: https://…' (the application "
                              "form) to this file, or 'how_to_apply' to the edition's text.")
