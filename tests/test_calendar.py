"""iCal feeds: RFC checks of our own, two parsers, stable UIDs and sequences, and agreement with the pages."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from playwright.sync_api import Page

from labsite.build.run import Options, build_site
from labsite.model.dates import When, parse_date
from labsite.model.events import milestone_events
from labsite.model.items import Edition, Meta, Milestone
from labsite.model.problems import BuildFailed
from labsite.outputs.calendar_state import STATE_FILE
from tests import ics_lint
from tests.browser import run_axe, serve_directory
from tests.conftest import PROJECT

#: Noon in Almaty (UTC+5), written in UTC so that old system tz data cannot shift the expected stamps.
NOW = dt.datetime(2025, 8, 1, 7, 0, tzinfo=dt.UTC)
LANGS = ("kk", "ru", "en")
HOST = "labs.example.org"
EDITION_YAML = "content/labs/impact-lab/2025.yaml"


def build(root: Path, now: dt.datetime = NOW, write: bool = True, drafts: bool = False) -> dict[str, bytes]:
    """Build the site at ``root``; the files it produced."""
    return build_site(root, Options(now, drafts), write=write).files


def ics_files(root: Path) -> dict[str, bytes]:
    """Every .ics file written, by path relative to the output folder."""
    out = root / "_site"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.ics"))}


def events_of(data: bytes) -> dict[str, ics_lint.Component]:
    """The VEVENTs of a feed by UID."""
    return {e.get("UID").value: e for e in ics_lint.parse(data).walk("VEVENT")}


def edit(root: Path, path: str, old: str, new: str) -> None:
    """Change one piece of text in a file of the site."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(sample_site: Path) -> Path:
    """The sample site, built once at NOW."""
    build(sample_site)
    return sample_site


# --- the lint itself can fail -------------------------------------------------------------------

GOOD = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nCALSCALE:GREGORIAN\r\nNAME:A\r\n"
        b"X-WR-CALNAME:A\r\nDESCRIPTION:A\r\nURL:https://a.example/\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n"
        b"X-PUBLISHED-TTL:P1D\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Almaty\r\nBEGIN:STANDARD\r\nDTSTART:20250101T000000\r\n"
        b"TZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
        b"DTSTAMP:20250101T000000Z\r\nLAST-MODIFIED:20250101T000000Z\r\nSEQUENCE:0\r\n"
        b"DTSTART;TZID=Asia/Almaty:20250930T235900\r\nDTEND;TZID=Asia/Almaty:20250930T235959\r\n"
        b"SUMMARY:A\\, b\r\nDESCRIPTION:A\r\nURL:https://a.example/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize("broken, expected", [
    (GOOD.replace(b"\r\n", b"\n"), "LF without CR"),
    (GOOD.replace(b"SUMMARY:A\\, b", b"SUMMARY:" + "ә".encode() * 40), "octets"),
    (GOOD.replace(b"SUMMARY:A\\, b", b"SUMMARY:" + "ә".encode() * 20 + b"\xd3\r\n \x99"), "UTF-8"),
    (GOOD.replace(b"UID:a@x\r\n", b""), "no UID"),
    (GOOD.replace(b"DTSTAMP:20250101T000000Z\r\n", b""), "no DTSTAMP"),
    (GOOD.replace(b"DTSTAMP:20250101T000000Z", b"DTSTAMP:20250101T000000"), "not UTC"),
    (GOOD.replace(b"T235959", b"T235800"), "DTEND is not after"),
    (GOOD.replace(b"TZID:Asia/Almaty\r\nBEGIN", b"TZID:Europe/Berlin\r\nBEGIN"), "has no VTIMEZONE"),
    (GOOD.replace(b"SUMMARY:A\\, b", b"SUMMARY:A, b"), "not escaped"),
    (GOOD.replace(b"REFRESH-INTERVAL;VALUE=DURATION", b"REFRESH-INTERVAL"), "VALUE=DURATION"),
    (GOOD.replace(b"END:VCALENDAR", b"BEGIN:VEVENT\r\nUID:a@x\r\nEND:VEVENT\r\nEND:VCALENDAR"), "repeat"),
    (GOOD.replace(b"END:VCALENDAR", b"BEGIN:VEVENT\r\nUID:b@x\r\nDTSTART;VALUE=DATE:20250101\r\n"
                  b"END:VEVENT\r\nEND:VCALENDAR"), "all-day event without DTEND"),
])
def test_the_lint_catches_what_the_parsers_let_through(broken: bytes, expected: str) -> None:
    assert ics_lint.feed_problems(GOOD) == []
    assert any(expected in problem for problem in ics_lint.feed_problems(broken)), ics_lint.feed_problems(broken)


# --- every feed is valid ------------------------------------------------------------------------

def test_every_feed_passes_the_lint_and_two_parsers(built: Path) -> None:
    feeds = ics_files(built)
    expected = {f"{lang}/calendar/{name}" for lang in LANGS for name in (
        "all.ics", "impact-lab-2025.ics", "impact-lab-2025/open-call.ics", "impact-lab-2025/participants.ics")}
    assert set(feeds) == expected
    for path, data in feeds.items():
        assert ics_lint.feed_problems(data) == [], path
        parsed = icalendar.Calendar.from_ical(data)
        assert [c.errors for c in parsed.walk() if c.errors] == [], path
        second = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        assert sorted(e.uid for e in second.events) == sorted(events_of(data)), path
        vobject.readOne(data.decode("utf-8"), validate=True)


def test_calendar_properties(built: Path) -> None:
    cal = ics_lint.parse((built / "_site/ru/calendar/impact-lab-2025.ics").read_bytes()).children[0]
    assert cal.get("VERSION").value == "2.0"
    assert cal.get("CALSCALE").value == "GREGORIAN"
    assert cal.get("URL").value == f"https://{HOST}/ru/labs/impact-lab/2025/"
    assert cal.get("NAME").value == cal.get("X-WR-CALNAME").value
    assert "Sample Edition 2025 (ru)" in ics_lint.unescape(cal.get("NAME").value)
    assert cal.get("REFRESH-INTERVAL").value == "P1D"
    assert cal.get("X-PUBLISHED-TTL").value == "P1D"
    every = ics_lint.parse((built / "_site/kk/calendar/all.ics").read_bytes()).children[0]
    assert every.get("URL").value == f"https://{HOST}/kk/calendar/"


def test_long_cyrillic_text_folds_between_characters_and_unfolds_exactly(sample_site: Path) -> None:
    title = "Лаборатория импакт-дистрибуции документального кино; второй набор, Алматы — Бишкек\\Ташкент"
    edit(sample_site, "content/labs/impact-lab/2025.ru.md", "title: Sample Edition 2025 (ru)", f"title: {title}")
    build(sample_site)
    data = (sample_site / "_site/ru/calendar/impact-lab-2025/participants.ics").read_bytes()
    assert ics_lint.byte_problems(data) == []
    assert any(len(raw) > 60 and raw.startswith(b" ") for raw in data.split(b"\r\n")), "nothing was folded"
    event = events_of(data)[f"impact-lab-2025-participants@{HOST}"]
    summary = ics_lint.unescape(event.get("SUMMARY").value)
    assert summary.endswith(f" — {title}")
    assert icalendar.Calendar.from_ical(data).events[0]["SUMMARY"] == summary


# --- identity, change and stability -------------------------------------------------------------

def test_uids_are_the_same_in_every_language_and_derived_from_the_milestone(built: Path) -> None:
    uids = {lang: set(events_of((built / f"_site/{lang}/calendar/all.ics").read_bytes())) for lang in LANGS}
    assert uids["kk"] == uids["ru"] == uids["en"] == {
        f"impact-lab-2025-open-call-opens@{HOST}", f"impact-lab-2025-open-call-deadline@{HOST}",
        f"impact-lab-2025-participants@{HOST}"}


def test_an_unchanged_site_gives_byte_identical_feeds_on_another_day(built: Path) -> None:
    first = ics_files(built)
    state = (built / STATE_FILE).read_bytes()
    build(built, now=NOW + dt.timedelta(days=40))
    assert ics_files(built) == first
    assert (built / STATE_FILE).read_bytes() == state


def test_a_moved_date_bumps_sequence_and_last_modified(built: Path) -> None:
    uid = f"impact-lab-2025-participants@{HOST}"
    before = {lang: events_of((built / f"_site/{lang}/calendar/all.ics").read_bytes())[uid] for lang in LANGS}
    edit(built, EDITION_YAML, "date: 2025-10-30", "date: 2025-11-04")
    later = NOW + dt.timedelta(days=3)
    build(built, now=later)
    for lang in LANGS:
        after = events_of((built / f"_site/{lang}/calendar/all.ics").read_bytes())[uid]
        assert int(after.get("SEQUENCE").value) == int(before[lang].get("SEQUENCE").value) + 1
        assert after.get("LAST-MODIFIED").value > before[lang].get("LAST-MODIFIED").value
        assert after.get("DTSTAMP").value == after.get("LAST-MODIFIED").value
        assert after.get("DTSTART").value == "20251104"
    others = events_of((built / "_site/en/calendar/all.ics").read_bytes())
    assert others[f"impact-lab-2025-open-call-opens@{HOST}"].get("SEQUENCE").value == "0"
    state = json.loads((built / STATE_FILE).read_text(encoding="utf-8"))
    assert state[uid]["sequence"] == 1 and state[uid]["last_modified"] == "20250804T070000Z"


def test_a_changed_text_bumps_sequence_even_with_an_earlier_now(built: Path) -> None:
    uid = f"impact-lab-2025-participants@{HOST}"
    edit(built, "content/labs/impact-lab/2025.en.md", "title: Sample Edition 2025 (en)", "title: Renamed (en)")
    earlier = NOW - dt.timedelta(days=30)
    build(built, now=earlier)
    stamp = earlier.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for lang in LANGS:
        feed = (built / f"_site/{lang}/calendar/all.ics").read_bytes()
        event = events_of(feed)[uid]
        assert event.get("SEQUENCE").value == "1"
        # Never stamped later than the build moment, not even to keep LAST-MODIFIED growing.
        assert event.get("LAST-MODIFIED").value == event.get("DTSTAMP").value == stamp
        assert all(e.get("DTSTAMP").value <= stamp for e in events_of(feed).values())


def test_check_and_check_like_builds_leave_the_state_alone(sample_site: Path) -> None:
    files = build(sample_site, write=False)
    assert "en/calendar/all.ics" in files
    assert not (sample_site / STATE_FILE).exists()
    build(sample_site)
    assert (sample_site / STATE_FILE).exists()


def test_check_warns_until_a_build_records_a_changed_event(built: Path) -> None:
    def state_warnings() -> list[str]:
        result = build_site(built, Options(NOW), write=False)
        return [p.message for p in result.problems.warnings if p.path == STATE_FILE]

    assert state_warnings() == []
    edit(built, EDITION_YAML, "date: 2025-10-30", "date: 2025-11-04")
    assert state_warnings() == [f"1 calendar event(s) are new or changed since the state was recorded "
                                f"(impact-lab-2025-participants@{HOST})"]
    build(built)
    assert state_warnings() == []


def test_a_broken_state_file_is_a_located_error(sample_site: Path) -> None:
    (sample_site / STATE_FILE).write_text("{\n  nope\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(sample_site)
    assert [(p.path, p.line) for p in failed.value.problems if p.is_error] == [(STATE_FILE, 2)]


# --- dates ----------------------------------------------------------------------------------------

def test_all_day_events_have_an_exclusive_end(built: Path) -> None:
    events = events_of((built / "_site/en/calendar/impact-lab-2025.ics").read_bytes())
    participants = events[f"impact-lab-2025-participants@{HOST}"]
    assert participants.get("DTSTART").params == {"VALUE": "DATE"}
    assert (participants.get("DTSTART").value, participants.get("DTEND").value) == ("20251030", "20251031")
    opens = events[f"impact-lab-2025-open-call-opens@{HOST}"]
    assert (opens.get("DTSTART").value, opens.get("DTEND").value) == ("20250701", "20250702")


def test_a_2359_almaty_deadline_is_1859_utc(built: Path) -> None:
    data = (built / "_site/kk/calendar/impact-lab-2025/open-call.ics").read_bytes()
    cal = ics_lint.parse(data).children[0]
    deadline = events_of(data)[f"impact-lab-2025-open-call-deadline@{HOST}"]
    start = deadline.get("DTSTART")
    assert start.params == {"TZID": "Asia/Almaty"} and start.value == "20250930T235900"
    # Resolved with the feed's own VTIMEZONE, then by two parsers.
    assert ics_lint.resolve(cal, start) == dt.datetime(2025, 9, 30, 18, 59, tzinfo=dt.UTC)
    parsed = icalendar.Calendar.from_ical(data).events
    value = next(e for e in parsed if "deadline" in str(e["UID"])).decoded("DTSTART")
    assert value.astimezone(dt.UTC) == dt.datetime(2025, 9, 30, 18, 59, tzinfo=dt.UTC)
    other = next(e for e in IcsCalendarStream.calendar_from_ics(data.decode()).events if "deadline" in e.uid)
    assert other.dtstart.astimezone(dt.UTC) == dt.datetime(2025, 9, 30, 18, 59, tzinfo=dt.UTC)


def test_pages_name_the_zone_of_every_time_as_the_feed_means_it(sample_site: Path) -> None:
    edit(sample_site, EDITION_YAML, "date: 2025-10-30", "date: 2025-10-15 10:00\n    timezone: Europe/Berlin")
    build(sample_site)
    en = (sample_site / "_site/en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    ru = (sample_site / "_site/ru/labs/impact-lab/2025/index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    # The site's zone for the deadline, the milestone's own zone for the announcement, each with its offset.
    assert "September 30, 2025, 23:59 (Almaty, UTC+5)" in en and "(Алматы, UTC+5)" in ru
    assert '<time datetime="2025-10-15T10:00+02:00">' in en
    assert "October 15, 2025, 10:00 (Berlin, UTC+2)" in en and "10:00 (Берлин, UTC+2)" in ru
    event = events_of((sample_site / "_site/en/calendar/all.ics").read_bytes())[f"impact-lab-2025-participants@{HOST}"]
    assert "10:00 (Berlin, UTC+2)" in ics_lint.unescape(event.get("DESCRIPTION").value)


def test_a_timed_range_within_one_day_names_the_day_once(sample_site: Path) -> None:
    edit(sample_site, EDITION_YAML, "date: 2025-10-30", "start: 2025-10-20 10:00\n    end: 2025-10-20 12:30")
    build(sample_site)
    en = (sample_site / "_site/en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "October 20, 2025, 10:00–12:30 (Almaty, UTC+5)" in en


def test_the_almaty_zone_reflects_the_2024_change_to_utc_plus_5(sample_site: Path) -> None:
    edit(sample_site, EDITION_YAML, "date: 2025-10-30", "start: 2024-02-29 12:00\n    end: 2024-03-01 12:00")
    build(sample_site)
    data = (sample_site / "_site/en/calendar/impact-lab-2025/participants.ics").read_bytes()
    assert ics_lint.feed_problems(data) == []
    cal = ics_lint.parse(data).children[0]
    event = events_of(data)[f"impact-lab-2025-participants@{HOST}"]
    assert ics_lint.resolve(cal, event.get("DTSTART")).hour == 6   # UTC+6 until 2024-03-01
    assert ics_lint.resolve(cal, event.get("DTEND")).hour == 7     # UTC+5 from then on


def test_another_time_zone_across_its_dst_change(sample_site: Path) -> None:
    edit(sample_site, EDITION_YAML, "date: 2025-10-30",
         "start: 2025-10-25 12:00\n    end: 2025-10-26 12:00\n    timezone: Europe/Berlin")
    build(sample_site)
    data = (sample_site / "_site/ru/calendar/all.ics").read_bytes()
    assert ics_lint.feed_problems(data) == []
    cal = ics_lint.parse(data).children[0]
    event = events_of(data)[f"impact-lab-2025-participants@{HOST}"]
    assert event.get("DTSTART").params == {"TZID": "Europe/Berlin"}
    assert ics_lint.resolve(cal, event.get("DTSTART")) == dt.datetime(2025, 10, 25, 10, 0, tzinfo=dt.UTC)
    assert ics_lint.resolve(cal, event.get("DTEND")) == dt.datetime(2025, 10, 26, 11, 0, tzinfo=dt.UTC)
    assert {z.get("TZID").value for z in cal.walk("VTIMEZONE")} == {"Asia/Almaty", "Europe/Berlin"}


def test_location_is_the_place_in_the_feed_language(sample_site: Path) -> None:
    edit(sample_site, EDITION_YAML, "date: 2025-10-30", "date: 2025-10-30\n    place: bishkek")
    build(sample_site)
    expected = {"kk": "Бішкек, Қырғызстан", "ru": "Бишкек, Кыргызстан", "en": "Bishkek, Kyrgyzstan"}
    for lang, place in expected.items():
        event = events_of((sample_site / f"_site/{lang}/calendar/all.ics").read_bytes())[
            f"impact-lab-2025-participants@{HOST}"]
        assert event.get("LOCATION").value == place.replace(",", "\\,")
        google = timeline(sample_site, lang)["participants"]["google"][0]
        assert parse_qs(urlsplit(google).query)["location"] == [place]
    others = events_of((sample_site / "_site/en/calendar/all.ics").read_bytes())
    assert others[f"impact-lab-2025-open-call-opens@{HOST}"].get("LOCATION") is None


def milestone(kind: str, date: str = "", start: str = "", end: str = "") -> Milestone:
    """A milestone written as an editor would."""
    if date:
        return Milestone("m", kind, When(parse_date(date)))
    return Milestone("m", kind, When(parse_date(start), None if end == "open" else parse_date(end), end == "open"))


@pytest.mark.parametrize("item, expected", [
    (milestone("deadline", date="2025-09-30"), [(dt.date(2025, 9, 30), dt.date(2025, 10, 1))]),
    (milestone("announcement", date="2025-11"), []),
    (milestone("announcement", date="early 2025-09"), []),
    (milestone("module", date="2025"), []),
    (milestone("implementation", start="2026-02-01", end="open"), []),
    (milestone("module", start="2024-09-26", end="2024-10-01"), [(dt.date(2024, 9, 26), dt.date(2024, 10, 2))]),
    (milestone("module", start="2024-09", end="2024-10-01"), []),
    (milestone("open_call", start="2025-07", end="2025-09-30"), [(dt.date(2025, 9, 30), dt.date(2025, 10, 1))]),
    (milestone("open_call", start="2025-07-01", end="2025-09"), [(dt.date(2025, 7, 1), dt.date(2025, 7, 2))]),
])
def test_the_precision_rule(item: Milestone, expected: list[tuple[dt.date, dt.date]]) -> None:
    edition = Edition("lab", "2025", Meta("x.yaml"), schedule=(item,))
    assert [(e.start, e.end) for e in milestone_events(edition, item, "Asia/Almaty")] == expected


# --- the same on pages ---------------------------------------------------------------------------

class Timeline(HTMLParser):
    """The timeline rows of an edition page: each row's calendar links and its <time> value."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, list[str]]] = {}
        self.current = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "li" and "step" in values.get("class", "").split():
            self.current = values["id"]
            self.rows[self.current] = {"google": [], "outlook": [], "ics": [], "uid": [], "time": []}
        elif self.current and tag == "a":
            href, row = values.get("href", ""), self.rows[self.current]
            if href.startswith("https://calendar.google.com/"):
                row["google"].append(href)
                row["uid"].append(values["data-uid"])
            elif href.startswith("https://outlook.live.com/"):
                row["outlook"].append(href)
            elif href.endswith(".ics"):
                row["ics"].append(href)
        elif self.current and tag == "time":
            self.rows[self.current]["time"].append(values["datetime"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            self.current = ""


def timeline(root: Path, lang: str, route: str = "labs/impact-lab/2025/") -> dict[str, dict[str, list[str]]]:
    """The timeline of a built edition page."""
    parser = Timeline()
    parser.feed((root / "_site" / lang / route / "index.html").read_text(encoding="utf-8"))
    return parser.rows


@pytest.mark.parametrize("lang", LANGS)
def test_the_feed_matches_the_timeline_of_the_edition_page(built: Path, lang: str) -> None:
    rows = timeline(built, lang)
    assert list(rows) == ["open-call", "participants", "results", "course", "funding"]
    linked = {row_id for row_id, row in rows.items() if row["google"]}
    assert linked == {"open-call", "participants"}, "vague and open-ended milestones get no links"
    feed = (built / f"_site/{lang}/calendar/impact-lab-2025.ics").read_bytes()
    events = events_of(feed)
    assert sorted(uid for row in rows.values() for uid in row["uid"]) == sorted(events)
    for row_id, row in rows.items():
        for google, outlook, uid in zip(row["google"], row["outlook"], row["uid"], strict=True):
            event = events[uid]
            query, o_query = parse_qs(urlsplit(google).query), parse_qs(urlsplit(outlook).query)
            summary = ics_lint.unescape(event.get("SUMMARY").value)
            assert query["text"] == [summary] and o_query["subject"] == [summary]
            assert query["details"] == [ics_lint.unescape(event.get("DESCRIPTION").value)]
            assert event.get("URL").value == f"https://{HOST}/{lang}/labs/impact-lab/2025/#{row_id}"
            start, end = query["dates"][0].split("/")
            if event.get("DTSTART").params.get("VALUE") == "DATE":
                assert (start, end) == (event.get("DTSTART").value, event.get("DTEND").value)
                assert o_query["allday"] == ["true"]
                assert o_query["startdt"][0].replace("-", "") == start and o_query["enddt"][0].replace("-", "") == end
            else:
                utc = ics_lint.resolve(ics_lint.parse(feed).children[0], event.get("DTSTART"))
                assert start == end == f"{utc:%Y%m%dT%H%M%SZ}"
                assert o_query["startdt"] == [f"{utc:%Y-%m-%dT%H:%M:%SZ}"]
        if row["time"] and row["google"]:
            day = events[row["uid"][0]].get("DTSTART").value[:8]
            assert row["time"] == [f"{day[:4]}-{day[4:6]}-{day[6:]}"], "the page shows another day than the feed"
        for href in row["ics"]:
            single = (built / "_site" / href.lstrip("/")).read_bytes()
            assert sorted(events_of(single)) == sorted(row["uid"])


def test_drafts_and_unpublished_editions_never_appear(sample_site: Path) -> None:
    # The 2024 edition is a draft; make a third edition that is published only next year.
    shutil.copy(sample_site / EDITION_YAML, sample_site / "content/labs/impact-lab/2026.yaml")
    shutil.copy(sample_site / "content/labs/impact-lab/2025.en.md", sample_site / "content/labs/impact-lab/2026.en.md")
    edit(sample_site, "content/labs/impact-lab/2024.yaml", "draft: true",
         "draft: true\nschedule:\n  - id: deadline\n    kind: deadline\n    date: 2024-08-05")
    with (sample_site / "content/labs/impact-lab/2026.yaml").open("a", encoding="utf-8") as handle:
        handle.write("publish_date: 2026-01-01\n")
    for drafts in (False, True):
        files = build(sample_site, drafts=drafts)
        feeds = {path: data for path, data in files.items() if path.endswith(".ics")}
        assert feeds and all(b"impact-lab-2024" not in d and b"impact-lab-2026" not in d for d in feeds.values())
        assert not any("2024" in path or "2026" in path for path in feeds)
        if drafts:
            page = files["en/labs/impact-lab/2024/index.html"].decode()
            assert "2024-08-05" in page or "August 5, 2024" in page
            assert "calendar.google.com" not in page
    state = json.loads((sample_site / STATE_FILE).read_text(encoding="utf-8"))
    assert all(uid.startswith("impact-lab-2025-") for uid in state)


def test_the_calendar_page_offers_webcal_and_https_links(built: Path) -> None:
    page = (built / "_site/ru/calendar/index.html").read_text(encoding="utf-8")
    for url in (f"https://{HOST}/ru/calendar/all.ics", f"https://{HOST}/ru/calendar/impact-lab-2025.ics"):
        assert f'href="{url}"' in page
        assert f'href="{url.replace("https://", "webcal://")}"' in page
    assert 'href="/ru/calendar/"' in (built / "_site/ru/labs/index.html").read_text(encoding="utf-8")


def test_the_real_content_builds_valid_feeds(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("content", "templates", "static", "locales"):
        if (PROJECT / folder).exists():
            shutil.copytree(PROJECT / folder, root / folder)
    for name in ("site_config.yaml", STATE_FILE):
        shutil.copy(PROJECT / name, root / name)
    recorded = (root / STATE_FILE).read_bytes()
    build(root, now=dt.datetime(2025, 8, 1, tzinfo=ZoneInfo("Asia/Almaty")))
    assert (root / STATE_FILE).read_bytes() == recorded, f"{STATE_FILE} is not up to date: build and commit it"
    feeds = ics_files(root)
    assert feeds, "the real content has no day-precise milestone"
    for path, data in feeds.items():
        assert ics_lint.feed_problems(data) == [], path
        icalendar.Calendar.from_ical(data)
        IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))



@pytest.mark.parametrize("lang", LANGS)
def test_calendar_links_are_accessible_and_the_download_is_a_calendar(built: Path, page: Page, lang: str) -> None:
    with serve_directory(built / "_site") as base:
        page.goto(f"{base}{lang}/labs/impact-lab/2025/")
        page.locator("details.add-to-calendar summary").first.click()
        assert page.locator("details.add-to-calendar[open] a[href$='.ics']").first.is_visible()
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert run_axe(page) == []
        href = page.locator("#participants a[href$='.ics']").get_attribute("href")
        response = page.request.get(base.rstrip("/") + str(href))
        assert response.headers["content-type"].startswith("text/calendar")
        assert f"impact-lab-2025-participants@{HOST}" in response.text()
        page.goto(f"{base}{lang}/calendar/")
        assert run_axe(page) == []
        page.goto(f"{base}{lang}/")
        page.locator(f"footer a[href='/{lang}/calendar/']").click()
        assert page.url.endswith(f"/{lang}/calendar/")


def test_a_site_with_only_vague_dates_writes_no_feeds_and_says_so(sample_site: Path) -> None:
    for old, new in (("start: 2025-07-01\n    end: 2025-09-30 23:59", "start: 2025-07\n    end: late 2025-09"),
                     ("date: 2025-10-30", "date: 2025-10")):
        edit(sample_site, EDITION_YAML, old, new)
    files = build(sample_site)
    assert not [path for path in files if path.endswith(".ics")]
    page = files["en/calendar/index.html"].decode()
    assert ".ics" not in page and "No dates are known to the day yet." in page
    assert "calendar.google.com" not in files["en/labs/impact-lab/2025/index.html"].decode()


def test_a_feed_whose_events_are_gone_stays_empty_rather_than_missing(built: Path) -> None:
    """Subscribers of an edition's feed and of the site's keep polling their addresses: once the edition has no
    event known to the day (nor the site), the feeds stay, valid and empty, so that calendars drop the events; a
    missing address would leave them there for good."""
    for old, new in (("start: 2025-07-01\n    end: 2025-09-30 23:59", "start: 2025-07\n    end: late 2025-09"),
                     ("date: 2025-10-30", "date: 2025-10")):
        edit(built, EDITION_YAML, old, new)
    files = build(built, now=NOW + dt.timedelta(days=1))
    for lang in LANGS:
        for feed in ("impact-lab-2025.ics", "all.ics"):
            data = files[f"{lang}/calendar/{feed}"]
            assert ics_lint.feed_problems(data) == [], feed
            calendar = icalendar.Calendar.from_ical(data)
            assert calendar.walk("VEVENT") == [] and calendar.get("NAME"), feed
            assert IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).events == []
            vobject.readOne(data.decode("utf-8"), validate=True)
    assert "Sample Edition 2025 (ru)" in str(icalendar.Calendar.from_ical(files["ru/calendar/impact-lab-2025.ics"])
                                             .get("NAME"))
    assert not [path for path in files if path.startswith("en/calendar/impact-lab-2025/")]  # no single downloads
    feeds = ics_files(built)
    build(built, now=NOW + dt.timedelta(days=2))
    assert ics_files(built) == feeds  # and the same on the next day
