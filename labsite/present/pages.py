"""The pages of the site in one language: routes, templates, what each shows and depends on."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..load.markup import to_html
from ..model.events import edition_events, feed_route, webcal
from ..model.items import Content, Edition, Faq, Meta
from .search import search_page
from .views import Views, date_attr

PLACES_FILE = "content/places.yaml"
#: How many articles a page of the news list shows: a list that stays light on a phone, however long the news.
NEWS_PER_PAGE = 20


@dataclass(frozen=True)
class OutputPage:
    """One HTML page to render: the same ``route`` exists in every language."""

    route: str
    lang: str
    template: str
    context: dict[str, Any]
    deps: frozenset[str]
    draft: bool = False

    @functools.cached_property
    def output_path(self) -> str:
        """The file written, relative to the output folder."""
        if self.route.endswith(".html"):
            return f"{self.lang}/{self.route}"
        return f"{self.lang}/{self.route}index.html"


def _files(*metas: Meta) -> frozenset[str]:
    """The files the given items are read from."""
    return metas[0].file_set if len(metas) == 1 else frozenset(path for meta in metas for path in meta.file_set)


#: Per language, the article cards of a build and what they were made with (see :func:`article_cards`).
CardMemo = dict[str, tuple[tuple[Any, ...], dict[str, tuple[Any, Any, dict[str, Any]]]]]


def article_cards(views: Views, news: list[Any], kept: CardMemo | None, made: CardMemo) -> list[dict[str, Any]]:
    """Each article's card as listed; recorded in ``made``, and taken from ``kept`` (the previous build's record)
    where the article is the same object, its picture the same, and the language, settings and moment too.

    A preview edit so makes the cards of the edited article only, and the unchanged pages' values stay the same
    objects, which are compared at once. An article about an edition shows the edition's state: always made anew.
    """
    setting = (views.lang, views.config, views.now)
    old = kept.get(views.lang.code) if kept else None
    same_setting = old is not None and old[0][0] is setting[0] and old[0][1:] == setting[1:]
    previous = old[1] if old is not None and same_setting else {}
    cards, memo = [], {}
    for article in news:
        picture = views.media.get(article.image.file) if article.image else None
        entry = previous.get(article.id)
        if entry is not None and entry[0] is article and entry[1] == picture and not article.edition:
            card = entry[2]
        else:
            card = _article_card(views, article)
        memo[article.id] = (article, picture, card)
        cards.append(card)
    made[views.lang.code] = (setting, memo)
    return cards


def site_pages(content: Content, views: Views, kept: CardMemo | None = None,
               made: CardMemo | None = None) -> Iterator[OutputPage]:
    """Every page of the site in the views' language, in a stable order (``kept`` and ``made``: the article
    cards of the previous build and of this one, see :func:`article_cards`)."""
    lang = views.lang.code
    editions = sorted(content.editions.values(), key=lambda e: (e.key, e.lab), reverse=True)
    labs = sorted(content.labs.values(), key=lambda lab: (lab.order, lab.id))
    every = _files(*(i.meta for group in (content.labs, content.editions, content.people, content.partners,
                                          content.articles, content.pages, content.faqs) for i in group.values()))
    every |= {PLACES_FILE}
    cards = [views.edition_card(e) for e in editions]
    calls = sorted((c for c in cards if c["status"] and c["status"]["accepting"]), key=lambda c: c["status"]["closes_iso"])
    upcoming = sorted((c for c in cards if c["status"] and c["status"]["state"] == "upcoming"),
                      key=lambda c: c["status"]["opens_iso"])
    news = sorted(content.articles.values(), key=lambda a: (a.date.first_day(), a.id), reverse=True)
    news_cards = article_cards(views, news, kept, {} if made is None else made)

    by_lab: dict[str, list[Any]] = {}
    by_mentor: dict[str, list[Any]] = {}
    for edition, card in zip(editions, cards, strict=True):
        by_lab.setdefault(edition.lab, []).append((edition, card))
        for mentor in edition.mentors:
            by_mentor.setdefault(mentor, []).append((edition, card))
    lab_cards = [{"id": lab.id, "url": views.url(f"labs/{lab.id}/"), "text": views.text(lab.meta),
                  "image": views.image(lab.image), "editions": [card for _, card in by_lab.get(lab.id, [])],
                  "latest": next((card for _, card in by_lab.get(lab.id, [])), None)} for lab in labs]

    until = max((c["status"]["closes_iso"] for c in calls), key=dt.datetime.fromisoformat, default="")
    shown = {c["id"] for c in calls + upcoming}
    under_way = [item for item in (_progress(views, e, c) for e, c in zip(editions, cards, strict=True)
                                   if c["id"] not in shown) if item["active"]]
    calendar = calendar_page(views, editions)
    yield OutputPage("", lang, "home.html", {"calls": calls, "calls_until": until, "upcoming": upcoming,
                                             "calls_state": "open" if calls else "none", "under_way": under_way,
                                             "all_feed": calendar["all_feed"], "labs": lab_cards,
                                             "news": news_cards[:3]}, every)
    yield OutputPage("labs/", lang, "labs.html", {"labs": lab_cards}, every)
    for lab, lab_card in zip(labs, lab_cards, strict=True):
        own = [edition for edition, _ in by_lab.get(lab.id, [])]
        yield OutputPage(f"labs/{lab.id}/", lang, "lab.html", {"lab": lab_card},
                         _files(lab.meta, *(e.meta for e in own)) | {PLACES_FILE}, lab.meta.draft)
    for edition in editions:
        lab = content.labs[edition.lab]
        mentor_files = [content.people[p].meta for p in edition.mentors]
        partner_files = [content.partners[p].meta for p in edition.partners]
        lab_text = views.text(lab.meta)
        context: dict[str, Any] = {"edition": views.edition(edition), "lab": {"url": views.url(f"labs/{lab.id}/"),
                                                              "title": lab_text.title, "lang": lab_text.lang}}
        yield OutputPage(f"labs/{edition.lab}/{edition.key}/", lang, "edition.html", context,
                         _files(edition.meta, lab.meta, *mentor_files, *partner_files) | {PLACES_FILE}, edition.meta.draft)
    people = sorted(content.people.values(), key=lambda p: p.name.get(views.lang.chain)[0])
    yield OutputPage("people/", lang, "people.html", {"people": [views.person_card(p) for p in people]},
                     _files(*(p.meta for p in people)))
    for person in people:
        taught = [card for _, card in by_mentor.get(person.id, [])]
        org = content.partners.get(person.organisation)
        context = {"person": views.person_card(person), "text": views.text(person.meta), "editions": taught,
                   "organisation": views.partner_card(org) if org else None}
        deps = _files(person.meta, *(e.meta for e, _ in by_mentor.get(person.id, [])), *([org.meta] if org else []))
        yield OutputPage(f"people/{person.id}/", lang, "person.html", context, deps, person.meta.draft)
    partners_list = sorted(content.partners.values(), key=lambda p: p.name.get(views.lang.chain)[0].lower())
    yield OutputPage("partners/", lang, "partners.html",
                     {"partners": [views.partner_card(p) for p in partners_list]}, _files(*(p.meta for p in partners_list)))
    faqs = sorted(content.faqs.values(), key=lambda f: (f.order, f.id))
    yield OutputPage("faq/", lang, "faq.html", {"faqs": [_faq(views, f) for f in faqs]},
                     _files(*(f.meta for f in faqs), *(e.meta for e in editions)))
    yield from news_pages(views, news, news_cards)
    for article, card in zip(news, news_cards, strict=True):
        context = {"article": card, "text": card["text"]}  # the card's text view: the same text, made once
        yield OutputPage(f"news/{article.id}/", lang, "article.html", context, _files(article.meta), article.meta.draft)
    for page in sorted(content.pages.values(), key=lambda p: (p.order, p.id)):
        yield OutputPage(f"{page.id}/", lang, "page.html", {"text": views.text(page.meta)}, _files(page.meta),
                         page.meta.draft)
    yield OutputPage("calendar/", lang, "calendar.html", calendar, every)
    yield OutputPage("search/", lang, "search.html", search_page(views, [views.text(lab.meta).title for lab in labs]),
                     _files(*(lab.meta for lab in labs)))
    yield OutputPage("404.html", lang, "404.html", {"noindex": True}, frozenset())


def news_route(number: int) -> str:
    """The route of the news list's page ``number`` (1: the newest articles)."""
    return "news/" if number == 1 else f"news/page/{number}/"


def news_pages(views: Views, news: list[Any], cards: list[dict[str, Any]]) -> Iterator[OutputPage]:
    """The news list, newest first, :data:`NEWS_PER_PAGE` articles a page, each page with links to its neighbours.

    A page depends on the files of the articles it lists: an edit of an article's text renders again its own
    page of the list only (its card's title or summary is in the page's values, so a change of those is seen).
    """
    chunks = [list(range(start, min(start + NEWS_PER_PAGE, len(news)))) for start in range(0, len(news), NEWS_PER_PAGE)]
    count = max(len(chunks), 1)
    for number, chunk in enumerate(chunks or [[]], start=1):
        pagination = {"number": number, "count": count,
                      "newer": views.url(news_route(number - 1)) if number > 1 else None,
                      "older": views.url(news_route(number + 1)) if number < count else None}
        yield OutputPage(news_route(number), views.lang.code, "news.html",
                         {"articles": [cards[i] for i in chunk], "pagination": pagination},
                         _files(*(news[i].meta for i in chunk)))


def _progress(views: Views, edition: Any, card: dict[str, Any]) -> dict[str, Any]:
    """An edition on the home page while it is under way: its current step and the next dated one."""
    return {"card": card, **views.progress(edition, views.timeline(edition))}


def _article_card(views: Views, article: Any) -> dict[str, Any]:
    """A news article as listed."""
    edition = views.content.editions.get(article.edition)
    return {"id": article.id, "url": views.url(f"news/{article.id}/"), "text": views.text(article.meta),
            "date": views.lang.dates.date(article.date, views.config.tz),
            "datetime": date_attr(article.date, views.config.tz),
            "edition": views.edition_card(edition) if edition else None, "draft": article.meta.draft,
            "image": views.image(article.image)}


def _faq(views: Views, faq: Faq) -> dict[str, Any]:
    """A FAQ in the source language's order, each question in the first language of the chain that has it."""
    source = faq.meta.source_language if faq.meta.source_language in faq.sections else next(iter(faq.sections))
    by_lang = {lang: {q.id: q for s in sections for q in s.questions} for lang, sections in faq.sections.items()}
    section_titles = {lang: {s.id: s.title for s in sections} for lang, sections in faq.sections.items()}
    chain = [lang for lang in (*views.lang.chain, source) if lang in faq.sections]
    sections = []
    for section in faq.sections[source]:
        title_lang = next(lang for lang in chain if section.id in section_titles[lang])
        questions = []
        for question in section.questions:
            q_lang = next(lang for lang in chain if question.id in by_lang[lang])
            found = by_lang[q_lang][question.id]
            answer = to_html(found.answer, views.content.html)
            questions.append({"id": question.id, "title": found.title, "answer": answer,
                              "lang": q_lang, "fallback": q_lang != views.lang.code})
        sections.append({"id": section.id, "title": section_titles[title_lang][section.id], "lang": title_lang,
                         "fallback": title_lang != views.lang.code, "questions": questions})
    edition = views.content.editions.get(faq.edition)
    return {"id": faq.id, "text": views.text(faq.meta), "sections": sections, "draft": faq.meta.draft,
            "edition": views.edition_card(edition) if edition else None}


def calendar_page(views: Views, editions: list[Edition]) -> dict[str, Any]:
    """What the calendar page lists: the site-wide feed and one feed per edition that has events."""
    config = views.config

    def links(route: str) -> dict[str, str]:
        url = config.url(views.url(route))
        return {"https": url, "webcal": webcal(url)}

    feeds = []
    for edition in editions:
        count = len(edition_events(views.content, edition, config.timezone, views.today()))
        if count:
            feeds.append({"id": edition.id, "title": views.text(edition.meta).title, "count": count,
                          "page": views.url(f"labs/{edition.lab}/{edition.key}/"), **links(feed_route(edition))})
    return {"all_feed": links(feed_route(None)) if feeds else None, "feeds": feeds}
