"""Structured data (schema.org JSON-LD) for each page, in the page's language."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..load.config import SiteConfig
from ..model.dates import MINUTE, PartialDate
from ..model.items import Content, Edition
from ..model.timezones import zone
from .views import Language

SCHEMA = "https://schema.org"
ATTENDANCE = {"in-person": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
              "hybrid": "MixedEventAttendanceMode"}


def script_json(data: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are escaped as ``\\u`` sequences."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def iso_date(value: PartialDate, config: SiteConfig, timezone: str = "") -> str:
    """An ISO 8601 date at the precision known: ``2025``, ``2025-09``, ``2025-09-30`` or a moment with offset."""
    if value.precision == MINUTE:
        return value.start_moment(zone(timezone or config.timezone)).isoformat(timespec="minutes")
    if value.day:
        return value.first_day().isoformat()
    if value.month:  # a part of a month ("early September") is known to the month
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def organization(config: SiteConfig) -> dict[str, Any]:
    """The organisation behind the labs."""
    return {"@type": "Organization", "@id": config.url("/#organization"), "name": config.title,
            "url": config.url("/")}


def breadcrumbs(trail: list[tuple[str, str]], lang: str) -> dict[str, Any]:
    """A ``BreadcrumbList`` from (name, absolute URL) pairs, the current page last."""
    items = [{"@type": "ListItem", "position": n, "name": name, "item": url}
             for n, (name, url) in enumerate(trail, start=1)]
    return {"@type": "BreadcrumbList", "inLanguage": lang, "itemListElement": items}


def event(edition: Edition, card: dict[str, Any], content: Content, config: SiteConfig, lang: str) -> dict[str, Any]:
    """An edition as an ``EducationEvent``: dates, place or online attendance, organiser, status."""
    url = config.url(card["url"])
    node: dict[str, Any] = {"@type": "EducationEvent", "@id": url + "#event", "name": card["text"].title,
                            "url": url, "inLanguage": lang, "eventStatus": f"{SCHEMA}/EventScheduled",
                            "eventAttendanceMode": f"{SCHEMA}/{ATTENDANCE[edition.format]}",
                            "organizer": {"@id": config.url("/#organization")},
                            "isAccessibleForFree": True}
    if card["text"].summary:
        node["description"] = card["text"].summary
    if edition.when:
        node["startDate"] = iso_date(edition.when.start, config)
        if edition.when.end:
            node["endDate"] = iso_date(edition.when.end, config)
    places: list[dict[str, Any]] = []
    for place_id in edition.places if edition.format != "online" else ():
        place = content.places.get(place_id)
        if place is None:
            continue
        city, _ = place.name.get((lang, config.default_language))
        address = {"@type": "PostalAddress", "addressLocality": city, "addressCountry": place.country_code}
        places.append({"@type": "Place", "name": city, "address": address})
    if edition.format != "in-person":
        places.append({"@type": "VirtualLocation", "url": url})
    if places:
        node["location"] = places[0] if len(places) == 1 else places
    return node


def page_graph(template: str, context: dict[str, Any], content: Content, config: SiteConfig,
               language: Language, canonical: str) -> list[dict[str, Any]]:
    """The JSON-LD nodes of one page, chosen by its template."""
    lang, _ = language.code, language._
    home = config.url(f"/{lang}/")
    page: dict[str, Any] = {"@type": "WebPage", "@id": canonical, "url": canonical, "inLanguage": lang,
                            "isPartOf": {"@type": "WebSite", "name": config.title, "url": home}}
    graph: list[dict[str, Any]] = [page]
    trail: list[tuple[str, str]] = []
    if template == "home.html":
        page["about"] = {"@id": config.url("/#organization")}
        graph.append(organization(config))
    elif template == "edition.html":
        card = context["edition"]
        edition = content.editions.get(card["id"])
        if edition is not None:
            graph.append(event(edition, card, content, config, lang))
            page["mainEntity"] = {"@id": graph[-1]["@id"]}
            graph.append(organization(config))
        trail = [(_("Labs"), config.url(f"/{lang}/labs/")), (context["lab"]["title"], config.url(context["lab"]["url"])),
                 (card["text"].title, canonical)]
    elif template == "person.html":
        person = context["person"]
        page["@type"] = "ProfilePage"
        node: dict[str, Any] = {"@type": "Person", "@id": canonical + "#person", "name": person["name"],
                                "url": canonical}
        if person["role"]:
            node["jobTitle"] = person["role"]
        if context.get("organisation"):
            node["affiliation"] = {"@type": "Organization", "name": context["organisation"]["name"]}
        links = content.people[person["id"]].links if person["id"] in content.people else ()
        if links:
            node["sameAs"] = list(links)
        page["mainEntity"] = node
        trail = [(_("People"), config.url(f"/{lang}/people/")), (person["name"], canonical)]
    elif template == "faq.html":
        # The questions and answers are marked up as FAQPage microdata on the page itself: repeating every
        # answer here would double the page's weight.
        trail = [(_("Questions and answers"), canonical)]
    elif template == "article.html":
        text = context["text"]
        page["@type"] = "WebPage"
        graph.append({"@type": "NewsArticle", "@id": canonical + "#article", "headline": text.title,
                      "inLanguage": text.lang, "datePublished": context["article"]["datetime"], "url": canonical,
                      "publisher": {"@id": config.url("/#organization")}})
        graph.append(organization(config))
        trail = [(_("News"), config.url(f"/{lang}/news/")), (text.title, canonical)]
    elif template == "lab.html":
        trail = [(_("Labs"), config.url(f"/{lang}/labs/")), (context["lab"]["text"].title, canonical)]
    if trail:
        graph.append(breadcrumbs(trail, lang))
        page["breadcrumb"] = {"@id": canonical + "#breadcrumbs"}
        graph[-1]["@id"] = canonical + "#breadcrumbs"
    return graph


def json_ld(template: str, context: dict[str, Any], content: Content, config: SiteConfig,
            language: Language, canonical: str) -> Markup:
    """The page's structured data as one JSON-LD document, ready for a ``<script>`` element."""
    graph = page_graph(template, context, content, config, language, canonical)
    return script_json({"@context": SCHEMA, "@graph": graph})

