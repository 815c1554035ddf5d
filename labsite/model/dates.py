"""Dates with a precision (year, month, part of a month, day, minute) and their localised text."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_location

YEAR, MONTH, PART, DAY, MINUTE = "year", "month", "part", "day", "minute"
PARTS = ("early", "mid", "late")
#: The years a date may have: beyond them, calendars and time zones stop working.
FIRST_YEAR, LAST_YEAR = 1900, 2200
#: The days of a month each vague part covers: early 1–10, mid 11–20, late 21–end.
_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

_PATTERN = re.compile(
    r"^(?:(?P<part>early|mid|late)\s+)?(?P<year>\d{4})(?:-(?P<month>\d{1,2})"
    r"(?:-(?P<day>\d{1,2})(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2}))?)?)?$"
)

Gettext = Callable[[str], str]


class DateError(ValueError):
    """A date that cannot be read; the message says how to write it."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A point in time known only to a precision: ``2025``, ``2025-11``, ``early 2024-09``, a day."""

    year: int
    month: int = 0
    day: int = 0
    hour: int = -1
    minute: int = -1
    part: str = ""

    @property
    def precision(self) -> str:
        """How precisely the date is known."""
        if self.hour >= 0:
            return MINUTE
        if self.day:
            return DAY
        if self.part:
            return PART
        return MONTH if self.month else YEAR

    def first_day(self) -> dt.date:
        """The earliest day the date can mean."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        if self.part:
            return dt.date(self.year, self.month, _PART_DAYS[self.part][0])
        return dt.date(self.year, self.month or 1, 1)

    def last_day(self) -> dt.date:
        """The latest day the date can mean."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        month_end = calendar.monthrange(self.year, month)[1]
        if self.part:
            return dt.date(self.year, month, min(_PART_DAYS[self.part][1], month_end))
        return dt.date(self.year, month, month_end)

    def start_moment(self, tz: ZoneInfo) -> dt.datetime:
        """The first moment the date can mean, in ``tz``."""
        if self.hour >= 0:
            return dt.datetime(self.year, self.month, self.day, self.hour, self.minute, tzinfo=tz)
        return dt.datetime.combine(self.first_day(), dt.time(), tzinfo=tz)

    def end_moment(self, tz: ZoneInfo) -> dt.datetime:
        """The last moment the date can mean, in ``tz`` (the end of its last day)."""
        if self.hour >= 0:
            return self.start_moment(tz)
        return dt.datetime.combine(self.last_day(), dt.time(23, 59, 59), tzinfo=tz)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        if self.hour >= 0:
            text += f" {self.hour:02d}:{self.minute:02d}"
        return f"{self.part} {text}" if self.part else text


def parse_date(value: object) -> PartialDate:
    """Read a date as an editor writes it; raise :class:`DateError` saying how to fix it."""
    text = str(value).strip()
    match = _PATTERN.match(text)
    if not match:
        raise DateError(
            f"'{text}' is not a date. Write 2025-09-30, 2025-09-30 23:59, 2025-11, "
            "early 2024-09 (or mid, late) or 2024"
        )
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(f"'{text}' is out of range: write a year from {FIRST_YEAR} to {LAST_YEAR}")
    month = int(match["month"] or 0)
    day = int(match["day"] or 0)
    part = match["part"] or ""
    if match["month"] and not 1 <= month <= 12:
        raise DateError(f"'{text}' has no month {month}: months are 01 to 12")
    if part and (not month or day):
        raise DateError(f"'{text}': '{part}' goes with a month only, as in '{part} 2024-09'")
    if day:
        month_end = calendar.monthrange(year, month)[1]
        if not 1 <= day <= month_end:
            name = calendar.month_name[month]
            raise DateError(f"'{text}' is impossible: {name} {year} has {month_end} days; "
                            f"write a day from 01 to {month_end}")
    hour = int(match["hour"]) if match["hour"] else -1
    minute = int(match["minute"]) if match["minute"] else -1
    if hour > 23 or minute > 59:
        raise DateError(f"'{text}' has an impossible time: use 00:00 to 23:59")
    return PartialDate(year, month, day, hour, minute, part)


@dataclass(frozen=True)
class When:
    """A date or a period; a period's end may be open ("and later")."""

    start: PartialDate
    end: PartialDate | None = None
    open_end: bool = False

    @property
    def is_period(self) -> bool:
        """Whether this is a period rather than a single date."""
        return self.end is not None or self.open_end

    @property
    def last(self) -> PartialDate:
        """The date at which this ends (the start when there is no end)."""
        return self.end or self.start


def check_order(start: PartialDate, end: PartialDate) -> None:
    """Raise :class:`DateError` when ``end`` lies before ``start``."""
    if end.last_day() < start.first_day() or (
        start.precision == MINUTE and end.precision == MINUTE and end < start
    ):
        raise DateError(f"the end ({end}) is before the start ({start})")


class DateFormatter:
    """Writes dates in one language with Babel, never more precisely than they are known."""

    def __init__(self, locale: Locale, gettext: Gettext) -> None:
        self.locale = locale
        self._ = gettext
        #: Dates already written: Babel takes longer to write one than a page takes to list it.
        self._written: dict[tuple[PartialDate, ZoneInfo | None], str] = {}

    def date(self, value: PartialDate, tz: ZoneInfo | None = None) -> str:
        """The text of a single date; a time names its zone (``tz``) when one is given."""
        written = self._written.get((value, tz))
        if written is None:
            written = self._written[(value, tz)] = self._date(value, tz)
        return written

    def _date(self, value: PartialDate, tz: ZoneInfo | None) -> str:
        """The text of a single date, written anew."""
        precision = value.precision
        if precision == YEAR:
            return str(value.year)
        if precision == MONTH:
            return format_skeleton("yMMMM", value.first_day(), locale=self.locale)
        if precision == PART:
            return self._part(value)
        day = format_date(value.first_day(), "long", locale=self.locale)
        if precision == DAY:
            return day
        time = self._clock(value) + self.zone(value, tz)
        return self._("{date}, {time}").format(date=day, time=time)

    def _clock(self, value: PartialDate) -> str:
        """The time of day of a minute-precise date."""
        return format_time(dt.time(value.hour, value.minute), "HH:mm", locale=self.locale)

    def zone(self, value: PartialDate, tz: ZoneInfo | None) -> str:
        """" (Almaty, UTC+5)": where a time is meant, with the offset it has on that day; empty without ``tz``."""
        if tz is None or value.precision != MINUTE:
            return ""
        offset = value.start_moment(tz).utcoffset() or dt.timedelta()
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        hours, rest = divmod(abs(minutes), 60)
        utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
        city = get_timezone_location(tz, locale=self.locale, return_city=True)
        return f" ({city}, {utc})"

    def when(self, value: When, tz: ZoneInfo | None = None) -> str:
        """The text of a date or a period; times name their zone when ``tz`` is given."""
        if value.open_end:
            return self._("{start} and later").format(start=self.date(value.start, tz))
        if value.end is None or value.end == value.start:
            return self.date(value.start, tz)
        return self.period(value.start, value.end, tz)

    def period(self, start: PartialDate, end: PartialDate, tz: ZoneInfo | None = None) -> str:
        """The text of a closed period, sharing the year or month where the language does."""
        same = start.precision == end.precision
        if same and start.precision == MINUTE and start.first_day() == end.first_day():
            day = format_date(start.first_day(), "long", locale=self.locale)
            times = f"{self._clock(start)}–{self._clock(end)}{self.zone(end, tz)}"
            return self._("{date}, {time}").format(date=day, time=times)
        if same and start.precision == MINUTE:
            return f"{self.date(start, tz)} – {self.date(end, tz)}"
        if same and start.precision == DAY:
            return self._interval("yMMMd", start, end, full_months=True)
        if same and start.precision == MONTH:
            return self._interval("yMMMM", start, end, full_months=False)
        if same and start.precision == YEAR:
            return f"{start.year}–{end.year}"
        return f"{self.date(start, tz)} – {self.date(end, tz)}"

    def _interval(self, skeleton: str, start: PartialDate, end: PartialDate, full_months: bool) -> str:
        """Format a period with the locale's own interval pattern."""
        a, b = start.first_day(), end.first_day()
        if a == b:
            return self.date(start)
        field = "y" if a.year != b.year else "M" if a.month != b.month else "d"
        formats = self.locale.interval_formats.get(skeleton) or {}
        pair = formats.get(field) if formats else None
        if not pair:
            return f"{self.date(start)} – {self.date(end)}"
        first, second = pair
        if full_months:
            first, second = (_full_month(p) for p in (first, second))
        return format_date(a, first, locale=self.locale) + format_date(b, second, locale=self.locale)

    def _part(self, value: PartialDate) -> str:
        """"early September 2024", with the month in the form each language needs."""
        day = value.first_day()
        month = format_date(day, "LLLL", locale=self.locale)
        genitive = format_date(day, "MMMM", locale=self.locale)
        if genitive[:1].islower():
            month = month[:1].lower() + month[1:]
        patterns = {
            # Translators: {month} (on its own) or {month_genitive} (after a noun), and {year}
            "early": self._("early {month} {year}"),
            # Translators: {month} (on its own) or {month_genitive} (after a noun), and {year}
            "mid": self._("mid {month} {year}"),
            # Translators: {month} (on its own) or {month_genitive} (after a noun), and {year}
            "late": self._("late {month} {year}"),
        }
        return patterns[value.part].format(month=month, month_genitive=genitive, year=value.year)


def _full_month(pattern: str) -> str:
    """Turn an abbreviated month field (MMM or LLL) into the full name."""
    return re.sub(r"(?<![ML])(MMM|LLL)(?![ML])", lambda m: m.group(1) + m.group(1)[0], pattern)
