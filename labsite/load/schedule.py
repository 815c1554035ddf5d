"""An edition's schedule: milestone kinds and reading milestones from YAML."""

from __future__ import annotations

from typing import Any

from ..model.items import Milestone
from ..model.problems import Problems, did_you_mean
from ..model.schema import MILESTONE, MILESTONE_KINDS, names, required
from ..model.timezones import ZoneInfoNotFoundError, zone
from .fields import SLUG_HINT, Fields, is_slug, shown
from .yamlsource import line_of

FIELDS = names(MILESTONE)
REQUIRED = required(MILESTONE)


def read_schedule(value: Any, path: str, problems: Problems, places: set[str] | None,
                  line: int = 1) -> tuple[Milestone, ...]:
    """Read a ``schedule:`` list of milestones; ``line`` is where the ``schedule:`` field is; ``places``: the known
    ids (``None``: not judged)."""
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
            fields.error("id", f"milestone id '{shown(milestone_id)}' is not an id", SLUG_HINT)
        elif milestone_id in seen:
            fields.error("id", f"two milestones have the id '{milestone_id}'", "Give each milestone its own id.")
        seen.add(milestone_id)
        kind = fields.choice("kind", MILESTONE_KINDS, "event") if "kind" in fields.data else "event"
        found = len(problems)
        when = fields.when()
        dates_read = len(problems) == found
        if when is None and not ({"date", "start"} & set(fields.data)):
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
        if timezone:
            try:
                zone(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                fields.error("timezone", f"unknown time zone '{timezone}'", "Use a name such as Europe/Berlin.")
                timezone = ""
        if milestone_id and when is not None:
            milestones.append(Milestone(milestone_id, kind, when, place, timezone, line))
    return tuple(milestones)
