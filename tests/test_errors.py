"""Bad input: a located, helpful message, a non-zero exit, no traceback, and the old site untouched."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.bad_inputs import CASES, write
from tests.conftest import PROJECT
from tests.test_build import NOW, tree_digest


def test_the_table_of_bad_inputs_lives_in_bad_inputs() -> None:
    # Every bad input, with its exact messages, is in tests/bad_inputs.py (run by test_bad_input.py).
    assert {"malformed yaml", "impossible date", "unknown field", "template syntax error"} <= set(CASES)


def test_all_errors_are_reported_together(sample_site: Path, build) -> None:
    CASES["impossible date"].change(sample_site)
    CASES["unknown field"].change(sample_site)
    CASES["template syntax error"].change(sample_site)
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    for file in ("content/news/open-call.yaml", "content/people/jane-doe.yaml", "templates/page.html"):
        assert file in result.stderr
    assert "Failed: 3 error(s)." in result.stderr


def test_a_failed_build_leaves_the_previous_site_untouched(sample_site: Path, build) -> None:
    assert build(sample_site, "--now", NOW).returncode == 0
    before = tree_digest(sample_site / "_site")
    CASES["malformed yaml"].change(sample_site)
    result = build(sample_site, "--now", NOW)
    assert result.returncode == 1
    assert "The previously built site is unchanged." in result.stderr
    assert tree_digest(sample_site / "_site") == before
    assert sorted(p.name for p in sample_site.iterdir() if p.name.startswith("._site")) == []


def test_strict_turns_warnings_into_errors(sample_site: Path, build) -> None:
    write("content/notes.txt", "an editor's note")(sample_site)
    assert build(sample_site, "check", "--now", NOW).returncode == 0
    result = build(sample_site, "check", "--strict", "--now", NOW)
    assert result.returncode == 1
    assert "content/notes.txt: warning: not a .yaml or .md file" in result.stderr


def test_check_strict_reports_every_problem_at_once(sample_site: Path, build) -> None:
    """A warning of the content does not stop 'check --strict' before the built pages are checked."""
    write("content/notes.txt", "an editor's note")(sample_site)
    about = sample_site / "content/pages/about.en.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[typo](/en/lbas/)\n", encoding="utf-8")
    result = build(sample_site, "check", "--strict", "--now", NOW)
    assert result.returncode == 1
    assert "content/notes.txt: warning: not a .yaml or .md file" in result.stderr
    assert "warning: the link to /en/lbas/ leads to no page of the site" in result.stderr
    assert "en/about/index.html" in result.stderr and "error: <a> links to /en/lbas/" in result.stderr
    assert re.search(r"\nFailed: 1 error\(s\) and \d+ warning\(s\) in --strict mode\.\n", result.stderr)


def test_bad_now_is_a_usage_error_without_traceback(sample_site: Path, build) -> None:
    result = build(sample_site, "--now", "2025-02-30")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--now" in result.stderr


def test_a_reader_that_stops_early_gets_no_traceback(sample_site: Path) -> None:
    # As in `python build.py i18n status --format json | head -1`: the pipe closes before the output is written.
    read, write_end = os.pipe()
    os.close(read)
    command = [sys.executable, str(PROJECT / "build.py"), "i18n", "status", "--format", "json", "--root",
               str(sample_site)]
    result = subprocess.run(command, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
    assert result.returncode == 1


def test_an_id_written_with_capitals_or_spaces_is_shown_as_it_should_be_written(sample_site: Path, build) -> None:
    """The hint of an id that is none names the id it was meant to be, when lowercase and hyphens make one."""
    edition = sample_site / "content/labs/impact-lab/2025.yaml"
    text = edition.read_text(encoding="utf-8").replace("places: [bishkek]", "places: [Bishkek]")
    edition.write_text(text.replace("  - id: open-call\n", "  - id: Open Call\n").replace("[jane-doe]", "[кино]"),
                       encoding="utf-8")
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    assert ("'Bishkek' in 'places' is not an id\n    Write it as 'bishkek'. Use lowercase Latin letters"
            in result.stderr)
    assert "milestone id 'Open Call' is not an id\n    Write it as 'open-call'. Use lowercase" in result.stderr
    assert "'кино' in 'mentors' is not an id\n    Use lowercase Latin letters" in result.stderr
    (sample_site / "content/places.yaml").write_text("true:\n  name: X\n", encoding="utf-8")
    result = build(sample_site, "check", "--now", NOW)
    assert "content/places.yaml:1: error: 'True' is not an id\n    Write it in quotes, or choose another id." \
        in result.stderr


def test_a_file_of_the_wrong_shape_says_what_shape_to_write(sample_site: Path, build) -> None:
    (sample_site / "content/places.yaml").write_text("- bishkek\n- almaty\n", encoding="utf-8")
    (sample_site / "content/news/open-call.yaml").write_text("- 2025-07-01\n", encoding="utf-8")
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    assert ("content/places.yaml:1: error: places.yaml must list places by id, each with a name and a country\n"
            "    Start each place with its id and a colon ('bishkek:')") in result.stderr
    assert ("content/news/open-call.yaml:1: error: expected 'field: value' lines here\n"
            "    Write each field on a line of its own, as 'name: value'") in result.stderr
