"""Time zones from the ``tzdata`` package only, so that every host gives the same offsets."""

from __future__ import annotations

import functools
import importlib.resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ZoneInfo", "ZoneInfoNotFoundError", "zone"]


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
