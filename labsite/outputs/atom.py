"""Atom feeds of news, one per language, from the published content only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from xml.etree import ElementTree as ET

from ..load.config import SiteConfig
from ..model.items import Article, Content
from ..present.head import feed_path
from ..present.views import Language, Views
from .kind import Given, Made

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: How many articles a feed carries, newest first.
FEED_SIZE = 20


def _tag(name: str) -> str:
    """An Atom element name."""
    return f"{{{ATOM_NS}}}{name}"


def _moment(article: Article, config: SiteConfig) -> str:
    """An article's date as an RFC 3339 moment: the start of its first day in the site's time zone."""
    day = article.date.first_day()
    return dt.datetime.combine(day, dt.time(), tzinfo=config.tz).isoformat()


def feed_articles(content: Content, today: dt.date) -> list[Article]:
    """The articles a feed may carry: never drafts or future-dated ones, even in a preview build."""
    shown = [a for a in content.articles.values()
             if not a.meta.draft and a.date.first_day() <= today
             and (a.meta.publish_date is None or a.meta.publish_date.first_day() <= today)]
    return sorted(shown, key=lambda a: (a.date.first_day(), a.id), reverse=True)[:FEED_SIZE]


def atom_feed(content: Content, config: SiteConfig, language: Language, now: dt.datetime) -> bytes:
    """The news of the site in one language as an Atom document."""
    ET.register_namespace("", ATOM_NS)
    views = Views(content, config, language, now)
    lang = language.code
    articles = feed_articles(content, now.astimezone(config.tz).date())
    feed = ET.Element(_tag("feed"), {XML_LANG: lang})
    self_url = config.url(feed_path(lang))
    ET.SubElement(feed, _tag("id")).text = self_url
    ET.SubElement(feed, _tag("title")).text = f"{config.title} — {language._('News')}"
    ET.SubElement(feed, _tag("link"), rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, _tag("link"), rel="alternate", type="text/html", href=config.url(f"/{lang}/news/"))
    # The newest article's date, so that an unchanged feed stays byte for byte the same.
    updated = _moment(articles[0], config) if articles else dt.datetime(2000, 1, 1, tzinfo=dt.UTC).isoformat()
    ET.SubElement(feed, _tag("updated")).text = updated
    author = ET.SubElement(feed, _tag("author"))
    ET.SubElement(author, _tag("name")).text = config.title
    for article in articles:
        text = views.text(article.meta)
        url = config.url(views.url(f"news/{article.id}/"))
        entry = ET.SubElement(feed, _tag("entry"), {XML_LANG: text.lang} if text.lang != lang else {})
        ET.SubElement(entry, _tag("id")).text = url
        ET.SubElement(entry, _tag("title")).text = text.title
        ET.SubElement(entry, _tag("link"), rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, _tag("published")).text = _moment(article, config)
        ET.SubElement(entry, _tag("updated")).text = _moment(article, config)
        if text.summary:
            ET.SubElement(entry, _tag("summary")).text = text.summary
        ET.SubElement(entry, _tag("content"), type="html").text = str(text.body)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def news_feeds(content: Content, config: SiteConfig, languages: Mapping[str, Language],
               now: dt.datetime) -> dict[str, bytes]:
    """Every language's Atom feed, by output path."""
    return {feed_path(code).lstrip("/"): atom_feed(content, config, language, now)
            for code, language in languages.items()}


class AtomOutput:
    """The news feeds, as an output kind."""

    name = "atom"

    def reads(self, given: Given) -> object:
        """Made anew in every build: they are quick, and which articles they carry depends on the day."""
        return None

    def make(self, given: Given, reads: object = None) -> Made:
        """Every language's feed."""
        return Made(news_feeds(given.content, given.config, given.languages, given.now))


OUTPUT = AtomOutput()
