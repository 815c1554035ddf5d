"""Time zones from the ``tzdata`` package only, so that every host gives the same offsets."""

from __future__ import annotations

import difflib
import functools
import importlib.resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = ["ZoneInfo", "ZoneInfoNotFoundError", "zone", "zone_problem"]

#: The areas of the tz database whose names are places (``Asia/Almaty``); its other names are offsets
#: (``Etc/GMT-5``, which means UTC+5), old aliases (``US/Eastern``, ``W-SU``) or no place at all (``Factory``).
PLACE_AREAS = frozenset({"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                         "Pacific"})
UNIVERSAL = frozenset({"UTC", "Etc/UTC"})


@functools.cache
def zone(key: str) -> ZoneInfo:
    """The time zone ``key`` (``Asia/Almaty``) from the ``tzdata`` package, never from the system's files.

    Systems with older data still put Asia/Almaty at UTC+6 after its move to UTC+5 on 2024-03-01, and
    a build must not depend on the host. Raises :class:`ZoneInfoNotFoundError` for an unknown name.
    """
    parts = key.split("/")
    if not key or any(part in ("", ".", "..") or "\\" in part for part in parts):
        raise ZoneInfoNotFoundError(f"not a time zone name: {key!r}")
    try:
        with importlib.resources.files("tzdata.zoneinfo").joinpath(*parts).open("rb") as data:
            return ZoneInfo.from_file(data, key=key)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, ValueError) as exc:
        raise ZoneInfoNotFoundError(f"unknown time zone: {key!r}") from exc


def zone_problem(name: str) -> tuple[str, str] | None:
    """Why ``name`` may not be a time zone of the site, as a message and a hint; ``None`` when it may: the name of a
    place (``Asia/Almaty``), whose cities the pages show, or UTC."""
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone '{name}'", _closest(name)
    if name in UNIVERSAL or ("/" in name and name.split("/", 1)[0] in PLACE_AREAS):
        return None
    return (f"'{name}' is not the time zone of a place: pages would show it as an offset or as an unknown place "
            "('Etc/GMT-5' is UTC+5)", "Use the name of a city in the zone, such as Asia/Tashkent, or UTC.")


def _closest(written: str) -> str:
    """How to name a time zone, with the one closest to ``written`` (``asia/almaty`` → ``Asia/Almaty``)."""
    names = sorted(available_timezones())
    close = {known.lower(): known for known in names}.get(written.lower())
    close = close or next(iter(difflib.get_close_matches(written, names, n=1)), None)
    return (f"Did you mean '{close}'? " if close else "") + "Use a name from the tz database, such as Asia/Almaty."
