"""A set-up that stays green: locked dependencies, clean clones, the same output on any host, quiet catalogues."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import icalendar
import pytest
from babel.messages.pofile import read_po

from labsite.outputs.calendar_state import STATE_FILE
from tests.conftest import PROJECT, run_build

LOCKS = ("requirements.txt", "requirements-dev.txt")
INPUTS = {"requirements.txt": "requirements.in", "requirements-dev.txt": "requirements-dev.in"}
PROJECT_FILES = ("content", "templates", "static", "locales", "site_config.yaml", STATE_FILE)
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+) \\$")


def copy_project(target: Path) -> Path:
    """A copy of the real project's input (content, templates, catalogues, settings, calendar state)."""
    for name in PROJECT_FILES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / name)
    return target


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def normalized(name: str) -> str:
    """A package name as the package index compares them (PEP 503): ``ruamel.yaml`` is ``ruamel-yaml``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """Per package of a lock file: its pinned version and how many hashes follow the pin."""
    found: dict[str, tuple[str, int]] = {}
    current = ""
    for line in (PROJECT / lock).read_text(encoding="utf-8").splitlines():
        pinned = _PIN.match(line)
        if pinned:
            current = normalized(pinned.group(1))
            found[current] = (pinned.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, count = found[current]
            found[current] = (version, count + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            pytest.fail(f"{lock}: a line that is neither a pin, a hash nor a comment: {line!r}")
    return found


def direct_dependencies(source: str) -> set[str]:
    """The packages named in a human-edited requirements input."""
    names = set()
    for line in (PROJECT / source).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(normalized(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0]))
    return names


# --- locked dependencies --------------------------------------------------------------------------

@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_is_pinned_with_hashes(lock: str) -> None:
    locked = pins(lock)
    assert locked, lock
    assert all(count >= 1 for _, count in locked.values()), [name for name, (_, n) in locked.items() if n == 0]
    assert direct_dependencies(INPUTS[lock]) <= set(locked), "a direct dependency is missing from the lock"


def test_shared_packages_have_one_version_in_both_locks() -> None:
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: runtime[name][0] for name in runtime.keys() & dev.keys()} == \
        {name: dev[name][0] for name in runtime.keys() & dev.keys()}


def test_the_environment_holds_exactly_the_locked_versions() -> None:
    if sys.prefix == sys.base_prefix:
        pytest.fail("the tests run outside the project's virtual environment: run them with 'make test'")
    expected = {**pins("requirements-dev.txt"), **pins("requirements.txt")}
    installed = {normalized(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    wrong = {name: (version, installed.get(name)) for name, (version, _) in expected.items()
             if installed.get(name) != version}
    assert wrong == {}


# --- a build changes no tracked file ----------------------------------------------------------------

def test_a_clean_clone_builds_with_the_readme_command_and_changes_nothing(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(PROJECT), str(clone)], check=True, timeout=60)
    leftovers = [clone / "._site.new-abc123", clone / "._site.old-def456"]
    for leftover in leftovers:
        (leftover / "en").mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "VIRTUAL_ENV")}
    made = subprocess.run(["make", "site"], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Built " in made.stdout and (clone / "_site/kk/index.html").is_file()
    assert not any(leftover.exists() for leftover in leftovers)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=clone,
                            capture_output=True, text=True, check=True).stdout
    assert status == ""


@pytest.mark.parametrize("args", [[], ["--help"], ["check"]])
def test_a_python_without_the_packages_is_told_how_to_set_up(args: list[str]) -> None:
    """``python3 build.py`` with the system's Python (no site packages here: ``-S``) says what to run instead."""
    result = subprocess.run([sys.executable, "-S", str(PROJECT / "build.py"), *args], capture_output=True, text=True,
                            timeout=60, cwd=PROJECT)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("error: the Python package '") and "Traceback" not in result.stderr
    assert "Run `make site` once, then run the generator as .venv/bin/python build.py" in result.stderr


def test_leftovers_of_an_interrupted_build_are_ignored_by_git() -> None:
    ignored = subprocess.run(["git", "check-ignore", "._site.new-x1/", "._site.old-x2/", "_site/"], cwd=PROJECT,
                             capture_output=True, text=True).stdout.split()
    assert ignored == ["._site.new-x1/", "._site.old-x2/", "_site/"]


# --- calendar state ---------------------------------------------------------------------------------

def test_a_build_in_ci_refuses_an_event_the_state_does_not_record(sample_site: Path) -> None:
    assert run_build(sample_site, "--now", "2025-08-01").returncode == 0
    site, state = tree(sample_site / "_site"), (sample_site / STATE_FILE).read_bytes()
    edition = sample_site / "content/labs/impact-lab/2025.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("date: 2025-10-30", "date: 2025-11-04"),
                       encoding="utf-8")
    line = next(n for n, text in enumerate(state.decode().splitlines(), 1) if "impact-lab-2025-participants@" in text)

    refused = run_build(sample_site, "--now", "2025-08-02", env={**os.environ, "CI": "true"})
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (f"{STATE_FILE}:{line}: error: 1 calendar event(s) are new or changed but not recorded in {STATE_FILE} "
            "(impact-lab-2025-participants@labs.example.org); a build in CI does not record them") in refused.stderr
    assert "run 'python build.py' (or 'make site') and commit calendar_state.json" in refused.stderr
    assert tree(sample_site / "_site") == site and (sample_site / STATE_FILE).read_bytes() == state

    recorded = run_build(sample_site, "--now", "2025-08-02", env={**os.environ, "CI": "false"})
    assert recorded.returncode == 0, recorded.stderr
    entries = json.loads((sample_site / STATE_FILE).read_text(encoding="utf-8"))
    entry = entries["impact-lab-2025-participants@labs.example.org"]
    assert entry["sequence"] == 1 and entry["last_modified"] == "20250801T190000Z"
    assert run_build(sample_site, "--now", "2025-09-20", env={**os.environ, "CI": "true"}).returncode == 0


@pytest.mark.parametrize("now", ["2024-01-01", "2024-09-27T12:00", "2025-09-20", "2026-11-22", "2031-06-01"])
def test_the_real_calendar_state_holds_on_any_day_and_nothing_is_stamped_after_the_build(tmp_path: Path,
                                                                                         now: str) -> None:
    root = copy_project(tmp_path / "project")
    state = (root / STATE_FILE).read_bytes()
    result = run_build(root, "--now", now, env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stderr
    assert (root / STATE_FILE).read_bytes() == state
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=dt.timezone(dt.timedelta(hours=5))).astimezone(dt.UTC)
    for feed in sorted((root / "_site").rglob("*.ics")):
        for event in icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT"):
            assert event.decoded("dtstamp") <= moment and event.decoded("last-modified") <= moment, feed


def test_two_deploy_builds_of_one_commit_on_different_days_give_identical_feeds(tmp_path: Path) -> None:
    feeds = []
    for day, name in (("2026-12-01", "a"), ("2027-03-15", "b")):
        root = copy_project(tmp_path / name)
        assert run_build(root, "--now", day, env={**os.environ, "CI": "true"}).returncode == 0
        feeds.append({path: digest for path, digest in tree(root / "_site").items() if path.endswith(".ics")})
    assert feeds[0] and feeds[0] == feeds[1]


# --- the same output on any host --------------------------------------------------------------------

def test_the_real_site_is_byte_identical_on_any_host(tmp_path: Path) -> None:
    # A system time-zone database that still puts Almaty at UTC+6, as old hosts do: it must not be read.
    stale = tmp_path / "zoneinfo" / "Asia"
    stale.mkdir(parents=True)
    (stale / "Almaty").write_bytes(importlib.resources.files("tzdata.zoneinfo").joinpath("Asia", "Dhaka").read_bytes())
    hosts = [
        {"TZ": "Pacific/Kiritimati", "LC_ALL": "C", "PYTHONHASHSEED": "1", "PYTHONTZPATH": str(tmp_path / "zoneinfo")},
        {"TZ": "America/Los_Angeles", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "4242"},
    ]
    trees = []
    for number, host in enumerate(hosts):
        root = copy_project(tmp_path / f"host{number}")
        env = {key: value for key, value in os.environ.items() if key not in ("CI", "LANG", "LANGUAGE", "LC_ALL")}
        result = run_build(root, "--now", "2025-09-20T10:00", env={**env, **host})
        assert result.returncode == 0, result.stderr
        trees.append(tree(root / "_site"))
    assert trees[0] == trees[1]
    page = (tmp_path / "host0/_site/en/labs/impact-distribution-lab/2025/index.html").read_text(encoding="utf-8")
    assert "+05:00" in page and "+06:00" not in page


# --- quiet catalogues -------------------------------------------------------------------------------

def test_extract_and_update_leave_unchanged_catalogues_byte_identical(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    before = tree(root / "locales")
    for action in ("extract", "update", "extract", "update"):
        result = run_build(root, "i18n", action)
        assert result.returncode == 0, result.stderr
    assert tree(root / "locales") == before
    assert "unchanged" in result.stdout
    for path in [root / "locales/messages.pot", *sorted(root.glob("locales/*/LC_MESSAGES/messages.po"))]:
        assert b"Generated-By" not in path.read_bytes()
        with path.open("rb") as handle:
            assert len(read_po(handle)) > 50


def test_a_new_template_string_changes_only_what_it_must(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    base = root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>{{ _('Newsletter') }}</p></footer>", 1),
                    encoding="utf-8")
    before = tree(root / "locales")
    assert run_build(root, "i18n", "extract").returncode == 0
    assert run_build(root, "i18n", "update").returncode == 0
    changed = tree(root / "locales")
    assert sorted(path for path in changed if changed[path] != before.get(path)) == [
        "en/LC_MESSAGES/messages.po", "kk/LC_MESSAGES/messages.po", "messages.pot", "ru/LC_MESSAGES/messages.po"]
    with (root / "locales/ru/LC_MESSAGES/messages.po").open("rb") as handle:
        assert "Newsletter" in read_po(handle)
    assert run_build(root, "i18n", "extract").returncode == 0 and run_build(root, "i18n", "update").returncode == 0
    assert tree(root / "locales") == changed
