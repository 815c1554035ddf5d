"""Where an edition's open call stands at a given moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .items import Edition, Milestone
from .timezones import zone

UPCOMING, OPEN, CLOSING_SOON, CLOSED = "upcoming", "open", "closing_soon", "closed"


@dataclass(frozen=True)
class CallStatus:
    """The state of one open call at ``now``."""

    state: str
    milestone: Milestone
    opens: dt.datetime
    closes: dt.datetime
    days_left: int

    @property
    def accepting(self) -> bool:
        """Whether applications are accepted now."""
        return self.state in (OPEN, CLOSING_SOON)


def call_window(milestone: Milestone, site_tz: str) -> tuple[dt.datetime, dt.datetime]:
    """When an open call opens and its deadline, as aware datetimes."""
    tz = zone(milestone.timezone or site_tz)
    end = milestone.when.end or milestone.when.start
    return milestone.when.start.start_moment(tz), end.end_moment(tz)


def call_status(edition: Edition, now: dt.datetime, site_tz: str, soon_days: int) -> CallStatus | None:
    """The status of the edition's current, next or last open call; ``None`` when it has none."""
    calls = [m for m in edition.schedule if m.kind == "open_call"]
    if not calls:
        return None
    windows = sorted((call_window(m, site_tz), m) for m in calls)
    current = next(((w, m) for w, m in windows if now <= w[1]), windows[-1])
    (opens, closes), milestone = current
    days_left = (closes.date() - now.astimezone(closes.tzinfo).date()).days
    if now < opens:
        state = UPCOMING
    elif now > closes:
        state = CLOSED
    elif days_left <= soon_days:
        state = CLOSING_SOON
    else:
        state = OPEN
    return CallStatus(state, milestone, opens, closes, max(days_left, 0))


def next_change(editions: list[Edition], now: dt.datetime, site_tz: str, soon_days: int) -> dt.datetime | None:
    """The next moment at which any open call changes state, so that a deploy can rebuild then."""
    moments = []
    for edition in editions:
        for milestone in edition.schedule:
            if milestone.kind != "open_call":
                continue
            opens, closes = call_window(milestone, site_tz)
            soon = dt.datetime.combine(closes.date() - dt.timedelta(days=soon_days), dt.time(), closes.tzinfo)
            moments += [opens, soon, closes + dt.timedelta(seconds=1)]
    future = [m for m in moments if m > now]
    return min(future) if future else None
