"""Checks of iCalendar bytes that do not trust any writer or parser (RFC 5545, RFC 7986)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

BARE_LF = re.compile(rb"(?<!\r)\n")
BARE_CR = re.compile(rb"\r(?!\n)")
#: A TEXT value: no unescaped ';' or ',', and a backslash only before \ ; , n N.
TEXT_VALUE = re.compile(r"^(?:[^\\;,]|\\[\\;,nN])*$")
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "NAME", "X-WR-CALNAME", "COMMENT", "TZNAME"}
CALENDAR_REQUIRED = ("VERSION", "PRODID", "CALSCALE", "NAME", "X-WR-CALNAME", "DESCRIPTION", "URL",
                     "REFRESH-INTERVAL", "X-PUBLISHED-TTL")
EVENT_REQUIRED = ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "DESCRIPTION", "URL", "SEQUENCE", "LAST-MODIFIED")


@dataclass(frozen=True)
class Line:
    """One unfolded content line: name, parameters, value."""

    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    """A BEGIN/END block with its own lines and sub-components."""

    name: str
    lines: list[Line] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Line | None:
        """The first line with this name."""
        return next((line for line in self.lines if line.name == name), None)

    def all(self, name: str) -> list[Line]:
        """Every line with this name."""
        return [line for line in self.lines if line.name == name]

    def walk(self, name: str) -> list[Component]:
        """Every descendant component with this name."""
        found = [c for c in self.children if c.name == name]
        return found + [d for c in self.children for d in c.walk(name)]


def byte_problems(data: bytes) -> list[str]:
    """CRLF only, lines of at most 75 octets, each physical line valid UTF-8."""
    problems = []
    if BARE_LF.search(data):
        problems.append("a line ends in LF without CR")
    if BARE_CR.search(data):
        problems.append("a CR without LF")
    if not data.endswith(b"\r\n"):
        problems.append("the last line does not end in CRLF")
    for number, raw in enumerate(data.split(b"\r\n"), 1):
        if len(raw) > 75:
            problems.append(f"line {number} has {len(raw)} octets")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} is not valid UTF-8 on its own (folded inside a character?)")
    return problems


def unfold(data: bytes) -> list[str]:
    """The logical lines: a CRLF followed by one space or tab joins the next physical line."""
    joined = re.sub(rb"\r\n[ \t]", b"", data)
    return [line for line in joined.decode("utf-8").split("\r\n") if line]


def split_line(text: str) -> Line:
    """Name, parameters and value of a content line (parameter values here never hold ':' or ';')."""
    head, _, value = text.partition(":")
    name, *params = head.split(";")
    return Line(name.upper(), dict(p.split("=", 1) for p in params), value)


def parse(data: bytes) -> Component:
    """The component tree of a calendar, from its unfolded lines."""
    root = Component("ROOT")
    stack = [root]
    for text in unfold(data):
        line = split_line(text)
        if line.name == "BEGIN":
            child = Component(line.value.upper())
            stack[-1].children.append(child)
            stack.append(child)
        elif line.name == "END":
            assert stack[-1].name == line.value.upper(), f"END:{line.value} closes {stack[-1].name}"
            stack.pop()
        else:
            stack[-1].lines.append(line)
    assert len(stack) == 1, "a component is not closed"
    return root


def unescape(value: str) -> str:
    """A TEXT value as text."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def moment(line: Line) -> dt.date | dt.datetime:
    """A DATE or DATE-TIME value: dates as dates, UTC with tzinfo, local or TZID times naive."""
    if line.params.get("VALUE") == "DATE":
        return dt.datetime.strptime(line.value, "%Y%m%d").date()
    if line.value.endswith("Z"):
        return dt.datetime.strptime(line.value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(line.value, "%Y%m%dT%H%M%S")


def offset(text: str) -> dt.timedelta:
    """A UTC offset such as +0500."""
    sign = -1 if text[0] == "-" else 1
    return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def resolve(calendar: Component, line: Line) -> dt.datetime:
    """A DATE-TIME in UTC, reading its TZID from the calendar's own VTIMEZONE (not from any tz database)."""
    value = moment(line)
    assert isinstance(value, dt.datetime)
    if value.tzinfo:
        return value
    tzid = line.params["TZID"]
    zone = next(z for z in calendar.walk("VTIMEZONE") if z.get("TZID") and z.get("TZID").value == tzid)
    rules = []
    for observance in zone.children:
        assert observance.get("RRULE") is None, "this resolver reads explicit transitions only"
        starts = [moment(observance.get("DTSTART"))] + [moment(split_line(f"X:{d}")) for r in observance.all("RDATE")
                                                       for d in r.value.split(",")]
        rules += [(start, offset(observance.get("TZOFFSETTO").value)) for start in starts]
    applicable = [rule for rule in sorted(rules) if rule[0] <= value]
    assert applicable, f"{tzid} does not cover {value}"
    return (value - applicable[-1][1]).replace(tzinfo=dt.UTC)


def feed_problems(data: bytes) -> list[str]:
    """Everything this module checks, as a list of what is wrong."""
    problems = byte_problems(data)
    try:
        root = parse(data)
    except (AssertionError, StopIteration, UnicodeDecodeError) as exc:
        return [*problems, f"structure: {exc}"]
    calendars = root.children
    if len(calendars) != 1 or calendars[0].name != "VCALENDAR":
        return [*problems, "not exactly one VCALENDAR"]
    cal = calendars[0]
    for name in CALENDAR_REQUIRED:
        if cal.get(name) is None:
            problems.append(f"the calendar has no {name}")
    if cal.get("VERSION") and cal.get("VERSION").value != "2.0":
        problems.append("VERSION is not 2.0")
    refresh = cal.get("REFRESH-INTERVAL")
    if refresh and refresh.params.get("VALUE") != "DURATION":
        problems.append("REFRESH-INTERVAL lacks VALUE=DURATION")
    for line in [*cal.lines, *(x for c in cal.walk("VEVENT") + cal.walk("VTIMEZONE") for x in c.lines)]:
        if line.name in TEXT_PROPERTIES and not TEXT_VALUE.match(line.value):
            problems.append(f"{line.name} is not escaped: {line.value!r}")
    defined = {z.get("TZID").value for z in cal.walk("VTIMEZONE") if z.get("TZID")}
    events = cal.walk("VEVENT")
    if not cal.children:
        problems.append("the calendar has no component (RFC 5545, 3.6: it needs one)")
    uids = [e.get("UID").value for e in events if e.get("UID")]
    if len(uids) != len(set(uids)):
        problems.append("UIDs repeat within the feed")
    for event in events:
        uid = event.get("UID").value if event.get("UID") else "?"
        problems += [f"{uid}: no {name}" for name in EVENT_REQUIRED if event.get(name) is None]
        stamp = event.get("DTSTAMP")
        if stamp and not stamp.value.endswith("Z"):
            problems.append(f"{uid}: DTSTAMP is not UTC")
        for name in ("DTSTART", "DTEND"):
            line = event.get(name)
            if line and "TZID" in line.params and line.params["TZID"] not in defined:
                problems.append(f"{uid}: TZID {line.params['TZID']} has no VTIMEZONE")
        start, end = event.get("DTSTART"), event.get("DTEND")
        if start is None:
            continue
        all_day = start.params.get("VALUE") == "DATE"
        if all_day and end is None:
            problems.append(f"{uid}: an all-day event without DTEND")
        if end is not None:
            if (end.params.get("VALUE") == "DATE") != all_day:
                problems.append(f"{uid}: DTSTART and DTEND differ in type")
            elif all_day and not moment(end) > moment(start):
                problems.append(f"{uid}: DTEND is not after DTSTART")
            elif not all_day:
                try:
                    if not resolve(cal, end) > resolve(cal, start):
                        problems.append(f"{uid}: DTEND is not after DTSTART")
                except (AssertionError, StopIteration):
                    problems.append(f"{uid}: a time cannot be resolved")
    return problems
