"""A build with nothing to do keeps the last site and makes only status.json anew; any change means a whole build."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from labsite.build.options import INPUTS
from labsite.build.run import BuildResult, Options, build_site
from labsite.build.unchanged import RECORD_FILE
from labsite.build.unchanged import _holds as holds
from labsite.i18n.bundle import LOCALES_DIR
from labsite.load.cache import CACHE_DIR
from labsite.load.config import CONFIG_FILE
from labsite.model.timezones import zone
from labsite.outputs.html import TEMPLATES_DIR
from tests.conftest import run_build
from tests.test_architecture import site_digest

ALMATY = zone("Asia/Almaty")
MORNING = dt.datetime(2025, 8, 1, 9, 0, tzinfo=ALMATY)
NOON = MORNING.replace(hour=12)


def build(root: Path, now: dt.datetime = NOON, **options: object) -> BuildResult:
    return build_site(root, Options(now, cache=True, **options))  # type: ignore[arg-type]


def cold(root: Path, now: dt.datetime, tmp_path: Path, **options: object) -> str:
    """The digest of what a build from nothing (a fresh copy, no cache) writes at ``now``."""
    copy = tmp_path / f"cold-{len(list(tmp_path.glob('cold-*')))}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR, "_site"))
    build_site(copy, Options(now, **options))  # type: ignore[arg-type]
    return site_digest(copy / "_site")


def test_a_build_with_nothing_changed_keeps_the_site_and_equals_a_whole_build(sample_site: Path, tmp_path: Path) -> None:
    first = build(sample_site, MORNING)
    assert not first.kept and first.next_change is None or dt.datetime.fromisoformat(first.next_change) > NOON
    index = sample_site / "_site" / "en" / "index.html"
    inode = index.stat().st_ino
    second = build(sample_site, NOON)
    assert second.kept
    assert (second.counts, second.feeds, second.next_change) == (first.counts, first.feeds, first.next_change)
    assert site_digest(sample_site / "_site") == cold(sample_site, NOON, tmp_path)
    status = json.loads((sample_site / "_site" / "status.json").read_text(encoding="utf-8"))
    assert status["built_for"] == NOON.isoformat()
    # The kept pages are the very files of the last build; only status.json was put in place, in one step.
    assert index.stat().st_ino == inode and not list(sample_site.glob("._site.*"))
    third = build(sample_site, NOON.replace(hour=18))
    assert third.kept and site_digest(sample_site / "_site") == cold(sample_site, NOON.replace(hour=18), tmp_path)


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def same_size_same_time(path: str) -> Callable[[Path], None]:
    """An edit that keeps the file's size and modification time: only its bytes tell."""
    def change(root: Path) -> None:
        file = root / path
        stat = file.stat()
        data = bytearray(file.read_bytes())
        at = data.index(b"a")
        data[at:at + 1] = b"e"
        file.write_bytes(bytes(data))
        os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return change


def add(path: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / path).write_text(text, encoding="utf-8")


def append(path: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with (root / path).open("a", encoding="utf-8") as file:
            file.write(text)
    return change


CHANGES = {
    "a Markdown text": append("content/news/open-call.en.md", "\nA new last line.\n"),
    "a text, same size and time": same_size_same_time("content/news/open-call.en.md"),
    "a YAML file": append("content/labs/impact-lab.yaml", "# a comment\n"),
    "a template": edit("templates/base.html", "</footer>", "<p>x</p></footer>"),
    "a catalogue": append("locales/ru/LC_MESSAGES/messages.po", "\n# a translator's note\n"),
    "a static file": add("static/extra.txt", "new"),
    "the settings": edit("site_config.yaml", "title: Sample Labs", "title: Sample Labs 2"),
    "the calendar state": lambda root: (root / "calendar_state.json").write_text("{}\n", encoding="utf-8"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_changed_input_means_a_whole_build(sample_site: Path, tmp_path: Path, change: str) -> None:
    build(sample_site, MORNING)
    CHANGES[change](sample_site)
    result = build(sample_site, NOON)
    assert not result.kept
    assert site_digest(sample_site / "_site") == cold(sample_site, NOON, tmp_path)


@pytest.mark.parametrize("moment", ["next day", "earlier", "other offset"])
def test_another_day_or_an_earlier_moment_means_a_whole_build(sample_site: Path, tmp_path: Path, moment: str) -> None:
    build(sample_site, NOON)
    now = {"next day": NOON + dt.timedelta(days=1), "earlier": MORNING,
           "other offset": NOON.astimezone(dt.timezone(dt.timedelta(hours=1)))}[moment]
    result = build(sample_site, now)
    assert not result.kept
    assert site_digest(sample_site / "_site") == cold(sample_site, now, tmp_path)


def test_the_site_is_kept_only_until_the_next_open_call_change() -> None:
    record = {"now": MORNING.isoformat(), "timezone": "Asia/Almaty", "next_change": NOON.isoformat()}
    assert holds(record, MORNING.replace(hour=11, minute=59))
    assert not holds(record, NOON)
    assert holds({**record, "next_change": None}, NOON.replace(hour=23, minute=59))
    assert not holds({**record, "next_change": None}, NOON.replace(hour=23, minute=59) + dt.timedelta(minutes=1))


def test_other_options_mean_a_whole_build(sample_site: Path, tmp_path: Path) -> None:
    build(sample_site, MORNING)
    result = build(sample_site, NOON, drafts=True)
    assert not result.kept
    assert site_digest(sample_site / "_site") == cold(sample_site, NOON, tmp_path, drafts=True)
    assert build(sample_site, NOON, drafts=True).kept
    assert not build_site(sample_site, Options(NOON, cache=False)).kept


@pytest.mark.parametrize("damage", ["edited", "deleted", "replaced by a link", "added", "an empty folder added"])
def test_a_site_changed_by_hand_is_built_again_whole(sample_site: Path, tmp_path: Path, damage: str) -> None:
    build(sample_site, MORNING)
    page = sample_site / "_site" / "en" / "index.html"
    if damage == "edited":
        data = page.read_bytes()
        page.write_bytes(data.replace(b"<html", b"<HTML", 1))
    elif damage == "deleted":
        page.unlink()
    elif damage == "replaced by a link":
        elsewhere = tmp_path / "elsewhere.html"
        shutil.copy(page, elsewhere)
        page.unlink()
        page.symlink_to(elsewhere)
    elif damage == "added":
        (page.parent / "stray.html").write_text("stray", encoding="utf-8")
    else:
        (page.parent / "stray").mkdir()
    result = build(sample_site, NOON)
    assert not result.kept
    assert site_digest(sample_site / "_site") == cold(sample_site, NOON, tmp_path)


def test_a_damaged_record_means_a_whole_build(sample_site: Path, tmp_path: Path) -> None:
    build(sample_site, MORNING)
    (sample_site / CACHE_DIR / RECORD_FILE).write_text("{not json", encoding="utf-8")
    assert not build(sample_site, NOON).kept
    assert site_digest(sample_site / "_site") == cold(sample_site, NOON, tmp_path)
    assert build(sample_site, NOON.replace(hour=13)).kept


def test_the_command_line_says_the_site_was_kept_and_repeats_the_warnings(sample_site: Path) -> None:
    first = run_build(sample_site, "--now", "2025-08-01T09:00")
    assert first.returncode == 0, first.stderr
    second = run_build(sample_site, "--now", "2025-08-01T12:00")
    assert second.returncode == 0, second.stderr
    assert "nothing changed since the last build" in second.stdout
    assert "nothing changed" not in first.stdout
    assert "warning: missing translation" in first.stderr and second.stderr == first.stderr


def test_the_inputs_a_build_is_keyed_on_are_the_folders_and_files_it_reads() -> None:
    assert TEMPLATES_DIR in INPUTS and CONFIG_FILE in INPUTS and LOCALES_DIR in INPUTS
    assert {"content", "static"} <= set(INPUTS)
