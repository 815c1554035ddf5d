"""``status.json``: the build's moment, each open call's state, and when a state next changes."""

from __future__ import annotations

import datetime as dt
import json

from ..model.items import Edition
from ..model.open_calls import call_status, next_change
from .kind import Given, Made

#: Written in the output root, so that a deploy can schedule the next rebuild.
STATUS_FILE = "status.json"


def status_report(editions: list[Edition], now: dt.datetime, site_tz: str, soon_days: int) -> dict[str, object]:
    """``status.json``: when the build was made, when a status next changes, and each call's state."""
    change = next_change(editions, now, site_tz, soon_days)
    calls = {}
    for edition in sorted(editions, key=lambda e: e.id):
        status = call_status(edition, now, site_tz, soon_days)
        if status is not None:
            calls[edition.id] = {"state": status.state, "opens": status.opens.isoformat(),
                                 "closes": status.closes.isoformat()}
    return {"built_for": now.isoformat(), "next_change": change.isoformat() if change else None, "calls": calls}


def status_json(report: dict[str, object]) -> bytes:
    """The report as the bytes of ``status.json``."""
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class StatusOutput:
    """``status.json``, as an output kind; its by-product is when an open call next changes state (ISO 8601)."""

    name = "status"

    def reads(self, given: Given) -> object:
        """Made anew in every build: it carries the build's moment."""
        return None

    def make(self, given: Given, reads: object = None) -> Made:
        """The file, from the published editions."""
        published = [edition for edition in given.content.editions.values() if not edition.meta.draft]
        report = status_report(published, given.now, given.config.timezone, given.config.closing_soon_days)
        return Made({STATUS_FILE: status_json(report)}, extra=report["next_change"])


OUTPUT = StatusOutput()
