"""Calendar events: the language-neutral facts of a milestone known to the day or minute, their UIDs and routes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from .dates import DAY, MINUTE, PartialDate
from .items import Content, Edition, Milestone
from .publish import is_published
from .timezones import zone

CALENDAR_ROUTE = "calendar/"
ALL_FEED = "all.ics"
OPENS, DEADLINE = "opens", "deadline"


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a milestone: all day (``start``/``end`` are dates, ``end`` exclusive) or timed."""

    edition: str
    milestone: str
    part: str
    start: dt.date | dt.datetime
    #: The exclusive end: a date for all-day events; ``None`` for a timed moment (it ends as it starts).
    end: dt.date | dt.datetime | None
    tzid: str = ""
    place: str = ""
    kind: str = ""

    @property
    def all_day(self) -> bool:
        """Whether the event covers whole days."""
        return not isinstance(self.start, dt.datetime)

    def uid(self, host: str) -> str:
        """The event's identity, the same in every language and build: ``slug-milestone[-part]@host``."""
        suffix = f"-{self.part}" if self.part else ""
        return f"{self.edition}-{self.milestone}{suffix}@{host}"

    def facts(self) -> dict[str, str]:
        """The language-neutral facts, as text, for change detection."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat() if self.end else "",
                "tzid": self.tzid, "place": self.place, "kind": self.kind}


def is_precise(value: PartialDate) -> bool:
    """Whether a date is known to the day or the minute, and so may become an event."""
    return value.precision in (DAY, MINUTE)


def _point(edition: Edition, milestone: Milestone, part: str, value: PartialDate, tz: str) -> CalendarEvent:
    """An event on one day, or at one moment."""
    if value.precision == MINUTE:
        return CalendarEvent(edition.slug, milestone.id, part, value.start_moment(zone(tz)), None, tz,
                             milestone.place, milestone.kind)
    day = value.first_day()
    return CalendarEvent(edition.slug, milestone.id, part, day, day + dt.timedelta(days=1), "",
                         milestone.place, milestone.kind)


def milestone_events(edition: Edition, milestone: Milestone, site_tz: str) -> tuple[CalendarEvent, ...]:
    """The events of a milestone under the precision rule; none when it is vague or open-ended.

    Day- and minute-precise dates become events; month, part-of-month and year dates and open
    ends do not. An open call gives two events, its opening and its deadline.
    """
    when, tz = milestone.when, milestone.timezone or site_tz
    if milestone.kind == "open_call" and when.end is not None:
        return tuple(_point(edition, milestone, part, value, tz)
                     for part, value in ((OPENS, when.start), (DEADLINE, when.end)) if is_precise(value))
    if when.open_end or not is_precise(when.start) or (when.end is not None and not is_precise(when.end)):
        return ()
    if when.end is None or when.end == when.start:
        return (_point(edition, milestone, "", when.start, tz),)
    start, end = when.start, when.end
    if start.precision == MINUTE and end.precision == MINUTE:
        return (CalendarEvent(edition.slug, milestone.id, "", start.start_moment(zone(tz)), end.start_moment(zone(tz)),
                              tz, milestone.place, milestone.kind),)
    # A period known to the day (or mixing a day and a time) covers whole days.
    return (CalendarEvent(edition.slug, milestone.id, "", start.first_day(),
                          end.last_day() + dt.timedelta(days=1), "", milestone.place, milestone.kind),)


def in_feeds(content: Content, edition: Edition, today: dt.date) -> bool:
    """Whether an edition's dates may be offered: never for drafts or future items, even in a build with drafts."""
    lab = content.labs.get(edition.lab)
    return lab is not None and is_published(lab.meta, today, False) and is_published(edition.meta, today, False)


def edition_events(content: Content, edition: Edition, site_tz: str, today: dt.date) -> list[CalendarEvent]:
    """Every event of an edition, in schedule order; none for drafts."""
    if not in_feeds(content, edition, today):
        return []
    return [event for m in edition.schedule for event in milestone_events(edition, m, site_tz)]


def site_host(base_url: str) -> str:
    """The host that ends every UID."""
    return urlsplit(base_url).hostname or "localhost"


def feed_route(edition: Edition | None) -> str:
    """The route of the site-wide feed, or of one edition's feed."""
    return CALENDAR_ROUTE + (ALL_FEED if edition is None else f"{edition.slug}.ics")


def event_route(edition: Edition, milestone: Milestone) -> str:
    """The route of a milestone's single-event download."""
    return f"{CALENDAR_ROUTE}{edition.slug}/{milestone.id}.ics"


def webcal(url: str) -> str:
    """A subscription link: the same address with the ``webcal`` scheme."""
    return "webcal://" + url.split("://", 1)[1]
