"""An edition's schedule: milestone kinds and reading milestones from YAML."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model.dates import MINUTE, When
from ..model.events import DEADLINE, OPENS
from ..model.items import Milestone
from ..model.problems import Problems, did_you_mean
from ..model.schema import MILESTONE, MILESTONE_KINDS, names, required
from ..model.timezones import zone, zone_problem
from .fields import Fields, is_slug, shown, slug_hint
from .yamlsource import line_of

FIELDS = names(MILESTONE)
REQUIRED = required(MILESTONE)
#: The events of an open call, as the ends of their calendar names (see ``model.events``).
CALL_EVENTS = ((OPENS, "opening"), (DEADLINE, "deadline"))


def read_schedule(value: Any, path: str, problems: Problems, places: set[str] | None, line: int = 1,
                  site_zone: str = "Asia/Almaty") -> tuple[Milestone, ...]:
    """Read a ``schedule:`` list of milestones; ``line`` is where the ``schedule:`` field is; ``places``: the known
    ids (``None``: not judged); ``site_zone``: the zone of times without one of their own."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.error(path, line_of(value, default=line),
                       "'schedule' must be a list of milestones, each starting with '- id:'",
                       "Write each milestone on its own lines under 'schedule:', e.g. '  - id: open-call'.")
        return ()
    milestones: list[Milestone] = []
    seen: set[str] = set()
    for index, raw in enumerate(value):
        fields = Fields(raw, path, problems, FIELDS, REQUIRED, what="milestone field")
        line = line_of(value, index, 1)
        milestone_id = fields.text("id")
        if milestone_id and not is_slug(milestone_id):
            fields.error("id", f"milestone id '{shown(milestone_id)}' is not an id", slug_hint(milestone_id))
        elif milestone_id in seen:
            fields.error("id", f"two milestones have the id '{milestone_id}'", "Give each milestone its own id.")
        seen.add(milestone_id)
        kind = fields.choice("kind", MILESTONE_KINDS, "event") if "kind" in fields.data else "event"
        found = len(problems)
        when = fields.when()
        dates_read = len(problems) == found
        if when is None and dates_read and not ({"date", "start"} & set(fields.data)):  # else told already
            problems.error(path, line, f"milestone '{milestone_id}' has no date",
                           "Add 'date: …', or 'start: …' and 'end: …'.")
        if kind == "open_call" and dates_read and when is not None and (when.end is None or when.open_end):
            fields.error("start", "an open call needs a 'start' and an 'end' (its deadline)")
        place = fields.text("place")
        if place and places is not None and place not in places:
            fields.error("place", f"unknown place '{place}'",
                         f"{did_you_mean(place, places)} Or add the place to content/places.yaml.")
            place = ""
        timezone = fields.text("timezone")
        zoned = zone_problem(timezone) if timezone else None
        if zoned is not None:
            fields.error("timezone", *zoned)
            timezone = ""
        if when is not None:  # a zone refused above is left out; the site's is judged with the settings
            _check_clock(fields, when, timezone or site_zone)
        if milestone_id and when is not None:
            milestones.append(Milestone(milestone_id, kind, when, place, timezone, line))
    _check_event_names(milestones, path, problems)
    return tuple(milestones)


def _check_clock(fields: Fields, when: When, timezone: str) -> None:
    """An error at each time of ``when`` that no clock shows in ``timezone``: the clocks go forward over it."""
    tz = zone(timezone)
    for key, value in (("date" if "date" in fields.data else "start", when.start), ("end", when.end)):
        if value is None or value.precision != MINUTE:
            continue
        moment = value.start_moment(tz)
        if moment.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != moment.replace(tzinfo=None):
            fields.error(key, f"'{value}' never happens in {timezone}: the clocks go forward over it that night",
                         "Write the time the clocks will show, such as an hour later.")


def _check_event_names(milestones: list[Milestone], path: str, problems: Problems) -> None:
    """An error at a milestone whose id is the calendar name of an open call's opening or deadline in the same
    schedule (``open-call-deadline``): calendar apps would take the two events for one."""
    by_id = {milestone.id: milestone for milestone in milestones}
    for call in milestones:
        for suffix, event in CALL_EVENTS if call.kind == "open_call" else ():
            other = by_id.get(f"{call.id}-{suffix}")
            if other is not None:
                problems.error(path, other.line, f"the id '{other.id}' is the calendar name of the {event} of the "
                                                 f"open call '{call.id}' (line {call.line}): calendar apps would "
                                                 "take the two for one event", "Give this milestone another id.")
