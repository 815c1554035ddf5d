"""Bad input: a located, helpful message, a non-zero exit, no traceback, and the old site untouched."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.test_build import NOW, tree_digest


def edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    """A change that replaces text in one file of the site."""
    def change(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(relative: str, text: str) -> Callable[[Path], None]:
    """A change that writes a new file."""
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return change


CASES = {
    "malformed yaml": (edit("content/labs/impact-lab.yaml", "order: 1", "order: [1\nother: 2"),
                       r"content/labs/impact-lab\.yaml:2: error: malformed YAML"),
    "malformed front matter": (edit("content/pages/about.en.md", "title: About (en)", "title: [About"),
                               r"content/pages/about\.en\.md:3: error: malformed YAML"),
    "unclosed front matter": (write("content/pages/about.en.md", "---\ntitle: About\nBody\n"),
                              r"content/pages/about\.en\.md:1: error: the front matter .* has no closing '---'"),
    "missing required field": (edit("content/news/open-call.en.md", "title: Open call (en)\n", ""),
                               r"content/news/open-call\.en\.md:2: error: the required field 'title' is missing"),
    "unknown field": (edit("content/people/jane-doe.yaml", "organisation: acme", "organisaton: acme"),
                      r"content/people/jane-doe\.yaml:5: error: unknown field 'organisaton'"
                      r"\n\s+Did you mean 'organisation'\?"),
    "impossible date": (edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-02-30"),
                        r"content/news/open-call\.yaml:1: error: '2025-02-30' is impossible: February 2025 has 28 days"),
    "end before start": (edit("content/labs/impact-lab/2025.yaml", "    end: 2025-09-30 23:59", "    end: 2025-06-30"),
                         r"content/labs/impact-lab/2025\.yaml:13: error: the end \(2025-06-30\) is before the start"),
    "unknown language suffix": (write("content/pages/about.de.md", "---\ntitle: Über\n---\n"),
                                r"content/pages/about\.de\.md: error: unknown language suffix '\.de'"),
    "unknown person": (edit("content/labs/impact-lab/2025.yaml", "mentors: [jane-doe]", "mentors: [jane-doe, john-roe]"),
                       r"content/labs/impact-lab/2025\.yaml:5: error: 'john-roe' in 'mentors' does not exist\n.*jane-doe"),
    "unknown lab": (lambda root: (write("content/labs/ghost-lab/2025.yaml", "format: online\n")(root),
                                  write("content/labs/ghost-lab/2025.en.md", "---\ntitle: G\nsummary: S\n---\n")(root)),
                    r"content/labs/ghost-lab/2025\.yaml: error: the edition belongs to an unknown lab 'ghost-lab'"),
    "duplicate milestone id": (edit("content/labs/impact-lab/2025.yaml", "  - id: results", "  - id: participants"),
                               r"content/labs/impact-lab/2025\.yaml:17: error: two milestones have the id 'participants'"),
    "duplicate slug": (lambda root: (write("content/news/again.yaml", "date: 2025-07-02\nslug: open-call\n")(root),
                                     write("content/news/again.en.md", "---\ntitle: A\nsummary: B\n---\n")(root)),
                       r"content/news/(again|open-call)\.yaml: error: 'open-call' is used by two items"),
    "slug escaping the output": (write("content/pages/evil.yaml", "slug: ../../etc\n"),
                                 r"content/pages/evil\.yaml:1: error: '\.\./\.\./etc' cannot be used as a page address"),
    "file name that is no address": (write("content/pages/Über uns.en.md", "---\ntitle: x\n---\n"),
                                     r"content/pages/Über uns\.en\.md: error: 'Über uns' cannot be used as a page address"),
    "template syntax error": (edit("templates/page.html", "{% block main %}", "{% block main %}{% if %}"),
                              r"templates/page\.html:5: error: template syntax error"),
    "unknown language in settings": (edit("site_config.yaml", "languages: [kk, ru, en]", "languages: [kz, ru, en]"),
                                     r"site_config\.yaml:3: error: unknown language code 'kz'\n\s+Kazakh is 'kk'"),
    "date forms of another language": (edit("site_config.yaml", "output_dir: _site",
                                            "output_dir: _site\ndate_locales: {en: ru_RU}"),
                                       r"site_config\.yaml:12: error: 'ru_RU' is not a variant of a site language 'en'"),
    "site in a sub-folder": (edit("site_config.yaml", "https://labs.example.org", "https://example.org/labs"),
                             r"site_config\.yaml:2: error: 'https://example.org/labs' is not the address of a host"),
    "output over the sources": (edit("site_config.yaml", "output_dir: _site", "output_dir: ./content"),
                                r"site_config\.yaml:\d+: error: output_dir './content' is part of the project's own files"),
    "edition of a missing FAQ": (edit("content/labs/impact-lab/2025.yaml", "faq: sample", "faq: sampel"),
                                 r"content/labs/impact-lab/2025\.yaml:8: error: unknown FAQ 'sampel'"),
    "question without id": (edit("content/faq/sample.en.md", "## Who can apply? {#who-can-apply}", "## Who can apply?"),
                            r"content/faq/sample\.en\.md:9: error: the heading 'Who can apply\?' has no id"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_located_message(sample_site: Path, build, case: str) -> None:
    change, expected = CASES[case]
    change(sample_site)
    for command in ("check", "build"):
        result = build(sample_site, command, "--now", NOW)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(expected, result.stderr), result.stderr


def test_all_errors_are_reported_together(sample_site: Path, build) -> None:
    CASES["impossible date"][0](sample_site)
    CASES["unknown field"][0](sample_site)
    CASES["template syntax error"][0](sample_site)
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    for file in ("content/news/open-call.yaml", "content/people/jane-doe.yaml", "templates/page.html"):
        assert file in result.stderr
    assert "Failed: 3 error(s)." in result.stderr


def test_a_failed_build_leaves_the_previous_site_untouched(sample_site: Path, build) -> None:
    assert build(sample_site, "--now", NOW).returncode == 0
    before = tree_digest(sample_site / "_site")
    CASES["malformed yaml"][0](sample_site)
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
