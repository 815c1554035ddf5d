"""Milestones to iCalendar feeds (RFC 5545, RFC 7986): per language, site-wide, per edition, per milestone."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from icalendar import Calendar, Event, Timezone, vText

from ..load.config import SiteConfig
from ..model.events import CalendarEvent, event_route, feed_route, in_feeds
from ..model.items import Content, Edition
from ..model.problems import Problems
from ..model.timezones import zone
from ..present.views import Language, Views
from .calendar_state import EventState, advance, as_of, fingerprint, load_state
from .kind import Given, Made

#: How often subscribers should fetch a feed again.
REFRESH = dt.timedelta(days=1)


@dataclass(frozen=True)
class Entry:
    """One event in one language, with the texts the edition page shows for it."""

    edition: Edition
    edition_title: str
    milestone: str
    event: CalendarEvent
    uid: str
    summary: str
    description: str
    location: str
    url: str


@dataclass(frozen=True)
class Calendars:
    """The feeds of a build (output path → bytes) and the event state they were written with."""

    files: dict[str, bytes]
    state: dict[str, EventState]
    #: The UIDs whose state differs from ``calendar_state.json`` as read: events new or changed since it was written.
    changed: list[str]


def timeline_entries(content: Content, config: SiteConfig, language: Language, now: dt.datetime) -> list[Entry]:
    """Every event of the site in one language, read from the same timeline rows the edition pages show."""
    views = Views(content, config, language, now)
    entries: list[Entry] = []
    for edition in sorted(content.editions.values(), key=lambda e: e.slug):
        if not in_feeds(content, edition, views.today()):
            continue
        rows = views.edition(edition)["timeline"]
        for row in rows:
            for item in (row.get("calendar") or {}).get("events", ()):
                entries.append(Entry(edition, item["edition"], row["id"], item["event"], item["uid"], item["summary"],
                                     item["description"], item["location"], item["url"]))
    return entries


def quiet_editions(content: Content, config: SiteConfig, language: Language, now: dt.datetime, known: set[str],
                   entries: list[Entry]) -> list[tuple[Edition, str]]:
    """The published editions that have no event now but had some (their UIDs are in the state), with their titles:
    their feeds stay, empty, so that subscribers' calendars drop the events rather than keep them on a missing
    address."""
    views = Views(content, config, language, now)
    busy = {entry.edition.slug for entry in entries}
    return [(edition, views.text(edition.meta).title) for edition in sorted(content.editions.values(),
                                                                             key=lambda e: e.slug)
            if edition.slug not in busy and in_feeds(content, edition, views.today())
            and any(uid.startswith(f"{edition.slug}-") for uid in known)]


def _sort_key(entry: Entry) -> tuple[str, str]:
    """Events in the order they happen, then by UID."""
    start = entry.event.start
    moment = start.astimezone(dt.UTC) if isinstance(start, dt.datetime) else start
    return moment.isoformat(), entry.uid


def build_calendars(content: Content, config: SiteConfig, languages: Mapping[str, Language],
                    now: dt.datetime, problems: Problems) -> Calendars:
    """Every feed in every language, with SEQUENCE and LAST-MODIFIED from ``calendar_state.json``."""
    by_lang = {code: timeline_entries(content, config, language, now) for code, language in languages.items()}
    recorded = load_state(config.root, problems)
    state = advance(recorded, event_hashes(by_lang), now)
    published = as_of(state, now)
    files: dict[str, bytes] = {}
    for code, entries in by_lang.items():
        quiet = quiet_editions(content, config, languages[code], now, set(recorded), entries)
        files.update(language_feeds(code, languages[code], entries, published, config, quiet, bool(recorded)))
    return Calendars(files, state, sorted(uid for uid, entry in state.items() if recorded.get(uid) != entry))


class IcsOutput:
    """The iCal feeds, as an output kind; its by-product is the :class:`Calendars` with the event state to record."""

    name = "ics"

    def reads(self, given: Given) -> object:
        """The feeds are made from editions, their labs and places, in the languages, on the build's day.

        Without ``--now`` every build has a new moment; within a day only DTSTAMP would differ, and making the
        feeds is slow, so the preview keeps them for the day.
        """
        content = given.content
        return (given.now.date(), given.config, tuple(given.languages.values()), content.editions, content.labs,
                content.places)

    def make(self, given: Given, reads: object = None) -> Made:
        """Every feed, with the event state read from and to be recorded in ``calendar_state.json``."""
        found = Problems()
        calendars = build_calendars(given.content, given.config, given.languages, given.now, found)
        return Made(calendars.files, tuple(found), calendars)


OUTPUT = IcsOutput()


def event_hashes(by_lang: Mapping[str, list[Entry]]) -> dict[str, str]:
    """Per UID, a hash of the event's language-neutral facts and of its texts in every language."""
    records: dict[str, dict[str, Any]] = {}
    for code, entries in by_lang.items():
        for entry in entries:
            record = records.setdefault(entry.uid, {"facts": entry.event.facts(), "texts": {}})
            record["texts"][code] = [entry.summary, entry.description, entry.location, entry.url]
    return {uid: fingerprint(record) for uid, record in records.items()}


def language_feeds(code: str, language: Language, entries: list[Entry], state: Mapping[str, EventState],
                   config: SiteConfig, quiet: Sequence[tuple[Edition, str]] = (),
                   published: bool = False) -> dict[str, bytes]:
    """The feeds of one language: the whole site, each edition, each milestone. Without events, the site's feed
    only once some were ``published``, and an edition's only for the ``quiet`` editions: empty."""
    if not entries and not quiet and not published:
        return {}
    _ = language._
    files: dict[str, bytes] = {}
    name = _("{site}: deadlines and key dates").format(site=config.title)
    about = _("Open calls, deadlines and key dates of every programme of {site}.").format(site=config.title)
    files[f"{code}/{feed_route(None)}"] = feed(name, about, config.url(f"/{code}/calendar/"), entries, state,
                                               config, code)
    editions: dict[str, list[Entry]] = {}
    for entry in entries:
        editions.setdefault(entry.edition.slug, []).append(entry)
    for group in editions.values():
        edition = group[0].edition
        name = _("{edition}: deadlines and key dates").format(edition=group[0].edition_title)
        about = _("Open calls, deadlines and key dates of {edition}.").format(edition=group[0].edition_title)
        page = config.url(f"/{code}/labs/{edition.lab}/{edition.key}/")
        files[f"{code}/{feed_route(edition)}"] = feed(name, about, page, group, state, config, code)
        milestones: dict[str, list[Entry]] = {}
        for entry in group:
            milestones.setdefault(entry.milestone, []).append(entry)
        for milestone_id, own in milestones.items():
            milestone = next(m for m in edition.schedule if m.id == milestone_id)
            single = own[0].summary if len(own) == 1 else name
            files[f"{code}/{event_route(edition, milestone)}"] = feed(single, about, own[0].url, own, state, config, code)
    for edition, title in quiet:
        name = _("{edition}: deadlines and key dates").format(edition=title)
        about = _("Open calls, deadlines and key dates of {edition}.").format(edition=title)
        page = config.url(f"/{code}/labs/{edition.lab}/{edition.key}/")
        files[f"{code}/{feed_route(edition)}"] = feed(name, about, page, [], state, config, code)
    return files


def feed(name: str, description: str, url: str, entries: list[Entry], state: Mapping[str, EventState],
         config: SiteConfig, lang: str) -> bytes:
    """One VCALENDAR with its events and the time zones they use."""
    cal = Calendar()
    cal.add("prodid", f"-//{config.title}//Site generator//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # icalendar does not know NAME and X-WR-CALNAME as TEXT: without vText it would not escape them.
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("description", description)
    cal.add("url", url, parameters={"VALUE": "URI"})
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vText("P1D"))
    ordered = sorted(entries, key=_sort_key)
    if ordered:
        cal.add("last-modified", max(state[e.uid].last_modified for e in ordered))
    # A calendar needs a component (RFC 5545, 3.6): one without events has the site's time zone, in the year of
    # the last change subscribers saw, so that it stays the same from build to build.
    last = max((known.last_modified.year for known in state.values()), default=2000)
    for timezone in _timezones(ordered) if ordered else [_vtimezone(config.timezone, last, last)]:
        cal.add_component(timezone)
    for entry in ordered:
        cal.add_component(_event(entry, state[entry.uid]))
    return cal.to_ical()


def _event(entry: Entry, known: EventState) -> Event:
    """One VEVENT; DTSTAMP is the last change, so that unchanged events stay byte-identical."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", known.last_modified)
    event.add("last-modified", known.last_modified)
    event.add("sequence", known.sequence)
    event.add("dtstart", entry.event.start)
    if entry.event.end is not None:
        event.add("dtend", entry.event.end)
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("url", entry.url, parameters={"VALUE": "URI"})
    if entry.location:
        event.add("location", entry.location)
    # Deadlines and key dates inform; they should not mark the subscriber as busy.
    event.add("transp", "TRANSPARENT")
    return event


def _timezones(entries: list[Entry]) -> list[Timezone]:
    """A VTIMEZONE, from the tzdata package, for each time zone the events use, over the years they span."""
    years: dict[str, list[int]] = {}
    for entry in entries:
        start = entry.event.start
        if entry.event.tzid and isinstance(start, dt.datetime):
            end = entry.event.end if isinstance(entry.event.end, dt.datetime) else start
            years.setdefault(entry.event.tzid, []).extend((start.year, end.year))
    return [_vtimezone(tzid, min(span), max(span)) for tzid, span in sorted(years.items())]


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE over whole years; made once per zone and span, since every feed that uses the zone needs it."""
    return Timezone.from_tzinfo(zone(tzid), tzid, dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1))
