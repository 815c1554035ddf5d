"""What subscribers have already seen of each event: ``calendar_state.json``, kept in the repository.

Calendar clients update a subscribed event only when its ``SEQUENCE`` or ``LAST-MODIFIED`` grows, so
the build remembers, per UID, a hash of the event's facts and texts, its sequence and when it last
changed. An unchanged event keeps its values, so an unchanged site gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.paths import read_source, replace_file
from ..model.problems import Problems

STATE_FILE = "calendar_state.json"
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class EventState:
    """One event as last published."""

    hash: str
    sequence: int
    last_modified: dt.datetime

    def to_json(self) -> dict[str, Any]:
        """The event's entry in the state file."""
        return {"hash": self.hash, "sequence": self.sequence, "last_modified": self.last_modified.strftime(_STAMP)}


def fingerprint(value: Any) -> str:
    """A stable hash of JSON-like facts and texts."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_state(root: Path, problems: Problems) -> dict[str, EventState]:
    """Read the state file; a missing file is an empty state, a broken one an error."""
    path = root / STATE_FILE
    if not path.exists():
        return {}
    hint = f"Restore {STATE_FILE} from git; deleting it restarts every SEQUENCE at 0."
    text = read_source(root, path, problems)
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(STATE_FILE, getattr(exc, "lineno", 0), f"the calendar state cannot be read: {exc}", hint)
        return {}
    state: dict[str, EventState] = {}
    if not isinstance(data, dict):
        problems.error(STATE_FILE, 1, "the calendar state must map each event UID to its entry", hint)
        return {}
    for uid, entry in data.items():
        try:
            moment = dt.datetime.strptime(entry["last_modified"], _STAMP).replace(tzinfo=dt.UTC)
            state[uid] = EventState(str(entry["hash"]), int(entry["sequence"]), moment)
        except (KeyError, TypeError, ValueError):
            problems.error(STATE_FILE, 0, f"the entry of '{uid}' needs hash, sequence and last_modified", hint)
    return state


def advance(state: Mapping[str, EventState], hashes: Mapping[str, str], now: dt.datetime) -> dict[str, EventState]:
    """The state after publishing events with these hashes at ``now``; changed events get a higher sequence.

    A change is stamped with the build moment itself, never later, even when ``--now`` lies before the
    last change: the higher ``SEQUENCE`` is what tells calendar clients to replace their copy. Entries of
    events no longer published are kept, so that an event that comes back continues its sequence.
    """
    moment = _utc_second(now)
    result = dict(state)
    for uid, digest in sorted(hashes.items()):
        old = state.get(uid)
        if old is None:
            result[uid] = EventState(digest, 0, moment)
        elif old.hash != digest:
            result[uid] = EventState(digest, old.sequence + 1, moment)
    return result


def as_of(state: Mapping[str, EventState], now: dt.datetime) -> dict[str, EventState]:
    """The state as a build at ``now`` may publish it: no ``LAST-MODIFIED`` (nor ``DTSTAMP``) after ``now``."""
    moment = _utc_second(now)
    return {uid: entry if entry.last_modified <= moment else EventState(entry.hash, entry.sequence, moment)
            for uid, entry in state.items()}


def _utc_second(now: dt.datetime) -> dt.datetime:
    """``now`` in UTC, to the second, as iCalendar writes it."""
    return now.astimezone(dt.UTC).replace(microsecond=0)


def line_of(root: Path, uid: str) -> int:
    """The line of ``uid``'s entry in the state file, or 1 when it has none (a new event)."""
    try:
        lines = (root / STATE_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    key = json.dumps(uid, ensure_ascii=False) + ":"
    return next((number for number, line in enumerate(lines, 1) if line.strip().startswith(key)), 1)


def dump_state(state: Mapping[str, EventState]) -> str:
    """The state file's text: sorted, one entry a line group, stable across builds."""
    data = {uid: state[uid].to_json() for uid in sorted(state)}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def save_state(root: Path, state: Mapping[str, EventState]) -> bool:
    """Write the state file when it changed, atomically; ``True`` when written."""
    path = root / STATE_FILE
    text = dump_state(state)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    replace_file(path, text.encode("utf-8"))
    return True
