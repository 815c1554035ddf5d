"""The output kinds: one interface, one list, kept by the preview while what they read stays the same."""

from __future__ import annotations

import ast
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from labsite.build import pipeline
from labsite.build.incremental import rebuild, scan
from labsite.build.run import Options, build_site
from labsite.model.timezones import zone
from labsite.outputs.kind import Given, Made
from tests.conftest import PROJECT

NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))


@dataclass
class PageList:
    """A new output kind for the tests: a list of the English pages and their sizes, read from the rendered files."""

    name: str = "page-list"
    made: list[int] = field(default_factory=list)

    def reads(self, given: Given) -> object:
        """The English pages' bytes."""
        return sorted((path, data) for path, data in given.rendered.items() if path.startswith("en/"))

    def make(self, given: Given, reads: object = None) -> Made:
        """``pages.txt``: one line per English page."""
        self.made.append(len(given.pages))
        lines = sorted(f"{path} {len(data)}\n" for path, data in given.rendered.items()
                       if path.startswith("en/") and path.endswith(".html"))
        return Made({"pages.txt": "".join(lines).encode()}, extra=len(lines))


def test_every_output_module_with_an_output_is_in_the_one_list() -> None:
    defined = set()
    for path in sorted((PROJECT / "labsite/outputs").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "OUTPUT" for t in node.targets)
               for node in tree.body):
            defined.add(path.stem)
    listed = {kind.__class__.__module__.rsplit(".", 1)[1] for kind in pipeline.OUTPUTS}
    assert defined == listed == {"ics", "sitemap", "atom", "status", "search", "links"}
    names = [kind.name for kind in pipeline.OUTPUTS]
    assert len(names) == len(set(names))


def test_a_new_output_kind_is_one_entry_in_the_list(sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kind = PageList()
    monkeypatch.setattr(pipeline, "OUTPUTS", (*pipeline.OUTPUTS, kind))
    result = build_site(sample_site, Options(NOW))
    written = (sample_site / "_site/pages.txt").read_text(encoding="utf-8").splitlines()
    english = sorted(page.output_path for page in result.pages if page.lang == "en")
    assert [line.split()[0] for line in written] == english
    for line in written:
        path, size = line.split()
        assert int(size) == (sample_site / "_site" / path).stat().st_size
    # The other kinds' files are still there.
    assert (sample_site / "_site/sitemap.xml").is_file() and (sample_site / "_site/status.json").is_file()


def test_the_preview_keeps_a_kinds_files_while_what_it_reads_is_unchanged(sample_site: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    kind = PageList()
    monkeypatch.setattr(pipeline, "OUTPUTS", (*pipeline.OUTPUTS, kind))
    first = rebuild(sample_site, Options(NOW), None, scan(sample_site))
    assert len(kind.made) == 1 and first.outputs["page-list"][1].extra == len(first.files["pages.txt"].splitlines())
    # A Kazakh-only edit: the English pages are the same, so the list is kept, not made again.
    news = sample_site / "content/news/open-call.kk.md"
    news.write_text(news.read_text(encoding="utf-8") + "\nЖаңа жол.\n", encoding="utf-8")
    os.utime(news, ns=(news.stat().st_mtime_ns + 10**9,) * 2)
    second = rebuild(sample_site, Options(NOW), first, scan(sample_site))
    assert len(kind.made) == 1
    assert second.files["pages.txt"] == first.files["pages.txt"]
    assert second.files["kk/news/open-call/index.html"] != first.files["kk/news/open-call/index.html"]
    # An English edit changes a page the kind reads: it is made again, and equals a cold build's.
    english = sample_site / "content/news/open-call.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA longer story now.\n", encoding="utf-8")
    os.utime(english, ns=(english.stat().st_mtime_ns + 2 * 10**9,) * 2)
    third = rebuild(sample_site, Options(NOW), second, scan(sample_site))
    assert len(kind.made) == 2
    assert third.files["pages.txt"] != second.files["pages.txt"]
    cold = rebuild(sample_site, Options(NOW), None, scan(sample_site))
    assert third.files == cold.files


def test_feeds_are_kept_within_a_day_and_made_again_the_next(sample_site: Path) -> None:
    first = rebuild(sample_site, Options(NOW), None, scan(sample_site))
    later = rebuild(sample_site, Options(NOW + dt.timedelta(hours=2)), first, scan(sample_site))
    assert later.outputs["ics"] is first.outputs["ics"]
    assert later.outputs["status"] is not first.outputs["status"]  # it carries the build's moment
    assert later.files["status.json"] != first.files["status.json"]
    tomorrow = rebuild(sample_site, Options(NOW + dt.timedelta(days=1)), later, scan(sample_site))
    assert tomorrow.outputs["ics"] is not later.outputs["ics"]
    cold = rebuild(sample_site, Options(NOW + dt.timedelta(days=1)), None, scan(sample_site))
    assert tomorrow.files == cold.files


def test_a_problem_an_output_kind_returns_stops_the_build(sample_site: Path) -> None:
    (sample_site / "calendar_state.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed) as failed:
        rebuild(sample_site, Options(NOW), None, scan(sample_site))
    assert any(problem.path == "calendar_state.json" for problem in failed.value.problems)
