"""Links that add an event to Google Calendar or Outlook on the web, from the event's neutral facts."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from ..model.events import CalendarEvent

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"


def _utc(value: dt.datetime) -> dt.datetime:
    """A moment in UTC."""
    return value.astimezone(dt.UTC)


def google_link(event: CalendarEvent, summary: str, details: str, location: str) -> str:
    """A Google Calendar link that opens the event, ready to save."""
    if isinstance(event.start, dt.datetime):
        end = event.end if isinstance(event.end, dt.datetime) else event.start
        dates = f"{_utc(event.start):%Y%m%dT%H%M%SZ}/{_utc(end):%Y%m%dT%H%M%SZ}"
    else:
        assert event.end is not None
        dates = f"{event.start:%Y%m%d}/{event.end:%Y%m%d}"
    params = {"action": "TEMPLATE", "text": summary, "dates": dates, "details": details}
    if location:
        params["location"] = location
    return GOOGLE + "?" + urlencode(params, quote_via=quote)


def outlook_link(event: CalendarEvent, summary: str, details: str, location: str) -> str:
    """An Outlook on the web link that opens the event, ready to save."""
    params = {"path": "/calendar/action/compose", "rru": "addevent", "subject": summary}
    if isinstance(event.start, dt.datetime):
        end = event.end if isinstance(event.end, dt.datetime) else event.start
        params |= {"startdt": f"{_utc(event.start):%Y-%m-%dT%H:%M:%SZ}", "enddt": f"{_utc(end):%Y-%m-%dT%H:%M:%SZ}"}
    else:
        assert event.end is not None
        params |= {"startdt": event.start.isoformat(), "enddt": event.end.isoformat(), "allday": "true"}
    params["body"] = details
    if location:
        params["location"] = location
    return OUTLOOK + "?" + urlencode(params, quote_via=quote)
