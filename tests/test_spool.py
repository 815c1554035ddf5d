"""A build streams its files to disk as they are rendered (``outputs.spool``) instead of holding the site in memory."""

from __future__ import annotations

import datetime as dt
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labsite.build.run import Options, build_site
from labsite.load.workers import MIN_PAGES
from labsite.model.problems import BuildFailed
from labsite.model.timezones import zone
from labsite.outputs.spool import ABANDONED_AFTER, PREFIX, Spool, UnsafeOutput, machine_name
from tests.test_lean_writing import contents

NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))


def spools(root: Path) -> list[Path]:
    """The spool folders in the project's cache folder."""
    return sorted((root / ".cache").glob(f"{PREFIX}*"))


def add_news(root: Path, count: int) -> None:
    """``count`` more news articles in English, so that the pages are rendered by forked workers."""
    for number in range(count):
        folder = root / "content/news"
        (folder / f"extra-{number}.yaml").write_text("date: 2025-07-01\n", encoding="utf-8")
        (folder / f"extra-{number}.en.md").write_text(
            f"---\ntitle: Extra news {number}\nsummary: One more.\n---\nText of article {number}.\n", encoding="utf-8")


def test_a_build_puts_each_file_on_disk_once_and_reads_it_from_the_written_site(sample_site: Path) -> None:
    add_news(sample_site, 40)  # 168 pages, over MIN_PAGES: rendered on two cores, each worker writing what it renders
    result = build_site(sample_site, Options(NOW, cache=True, jobs=2))
    site = sample_site / "_site"
    assert isinstance(result.files, Spool) and result.files.folder == site.resolve()
    on_disk = contents(site)
    written = {path for path in on_disk if not path.endswith((".gz", ".br"))}
    assert set(result.files) == written and len(result.pages) >= MIN_PAGES
    assert all(result.files[path] == on_disk[path] for path in written)
    # The spool's files were linked into the site, not written twice, and its folder is gone.
    assert spools(sample_site) == []
    page = site / "en/news/extra-3/index.html"
    assert b"Extra news 3" in page.read_bytes() and page.stat().st_nlink == 1


def test_the_site_is_the_same_built_on_one_core_or_two(sample_site: Path) -> None:
    add_news(sample_site, 40)  # 168 pages: rendered on two cores
    alone = build_site(sample_site, Options(NOW, jobs=1), write=False)
    one, two = dict(alone.files.items()), build_site(sample_site, Options(NOW, jobs=2), write=False).files
    assert one == dict(two.items()) and len(alone.pages) >= MIN_PAGES


def test_check_keeps_its_files_only_as_long_as_they_are_used(sample_site: Path) -> None:
    result = build_site(sample_site, Options(NOW, cache=True), write=False)
    assert isinstance(result.files, Spool)
    folder = result.files.folder
    assert folder.parent == (sample_site / ".cache") and result.files.location("en/about/index.html").is_file()
    assert not (sample_site / "_site").exists()
    del result
    gc.collect()
    assert not folder.exists()


def test_a_failed_build_leaves_no_spool_behind(sample_site: Path) -> None:
    build_site(sample_site, Options(NOW, cache=True))
    (sample_site / "templates/page.html").write_text("{% block title %}{{ page.title | no_such_filter }}"
                                                     "{% endblock %}", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(sample_site, Options(NOW, cache=True))
    gc.collect()
    assert spools(sample_site) == []


def test_the_spool_of_a_build_that_was_killed_is_removed_by_the_next_one(sample_site: Path) -> None:
    # A build killed half-way (SIGKILL, a power cut) leaves its spool; its process is gone.
    script = ("import os, sys; from pathlib import Path; from labsite.outputs.spool import Spool; "
              "s = Spool(Path(sys.argv[1])); s['en/index.html'] = b'half'; os._exit(0)")
    subprocess.run([sys.executable, "-c", script, str(sample_site / ".cache")], check=True,
                   cwd=Path(__file__).resolve().parent.parent)
    # Another machine's sharing the folder: one from two days ago, and a young one; and one of this machine whose
    # process number no process can have.
    other_old, other_young = (sample_site / ".cache" / f"{PREFIX}otherhost-{n}-abc" for n in (1, 2))
    for folder in (other_old, other_young):
        (folder / "en").mkdir(parents=True)
    os.utime(other_old, (time.time() - 2 * ABANDONED_AFTER, time.time() - 2 * ABANDONED_AFTER))
    (sample_site / ".cache" / f"{PREFIX}{machine_name()}-{'9' * 30}-x").mkdir()
    assert len(spools(sample_site)) == 4
    # A spool of a running process (this one) is another build's, and is left alone.
    running = Spool(sample_site / ".cache")
    build_site(sample_site, Options(NOW, cache=True))
    assert spools(sample_site) == sorted([running.folder, other_young])
    running.close()
    assert spools(sample_site) == [other_young]

def test_a_spool_refuses_paths_outside_its_folder_and_reads_back_what_it_stored(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for bad in ("../outside.html", "/etc/passwd", "a/../../b", "a\\b", "", "a//b"):
        with pytest.raises(UnsafeOutput):
            spool[bad] = b"x"
    assert list(tmp_path.rglob("outside.html")) == []
    spool["en/index.html"] = b"page"
    size = spool.store("en/other/index.html", b"made by a worker")  # as a forked worker does
    assert "en/other/index.html" not in spool
    spool.add("en/other/index.html", size)
    assert dict(spool.items()) == {"en/index.html": b"page", "en/other/index.html": b"made by a worker"}
    spool["en/index.html"] = b"again"
    assert spool["en/index.html"] == b"again" and len(spool) == 2
    del spool["en/index.html"]
    assert "en/index.html" not in spool and not spool.location("en/index.html").exists()
    assert sorted(os.listdir(spool.folder)) == ["en%2Fother%2Findex.html"]  # flat: no folder per page
    long = "en/" + "x" * 300 + "/index.html"
    spool[long] = b"deep"
    assert spool[long] == b"deep" and len(spool.location(long).name) == 40
    with pytest.raises(KeyError):
        spool["en/index.html"]
    folder = spool.folder
    spool.close()
    assert not folder.exists() and os.listdir(tmp_path) == []


def test_an_error_outside_the_spool_is_not_called_a_failure_to_write_the_site(
        sample_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import build as command_line
    from labsite.outputs import cards

    font = sample_site / "fonts/NotoSans.ttf"

    def refused(title: str, tagline: str, site: str) -> bytes:
        raise PermissionError(13, "Permission denied", str(font))
    monkeypatch.setattr(cards, "draw_card", refused)  # the og:image cards' font cannot be read
    with pytest.raises(PermissionError):
        build_site(sample_site, Options(NOW, cache=True))
    assert command_line.main(["build", "--root", str(sample_site), "--now", "2025-08-01T12:00", "--jobs", "1"]) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("error: permission denied (") and str(font) in error, error
    assert not (sample_site / "_site").exists() and spools(sample_site) == []


def test_cards_of_the_last_build_are_linked_from_its_site_unless_changed_since(
        sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A card the last build wrote is taken from its site, not drawn again; one changed since in the output, or
    any card with --no-cache, is drawn again and comes out as drawn."""
    from labsite.outputs import cards

    drawn: list[str] = []
    draw = cards.draw_card

    def counted(title: str, tagline: str, site: str) -> bytes:
        drawn.append(title)
        return draw(title, tagline, site)
    monkeypatch.setattr(cards, "draw_card", counted)
    build_site(sample_site, Options(NOW, cache=True, jobs=1))
    out = sample_site / "_site"
    first = {path.name: (path.stat().st_ino, path.read_bytes()) for path in (out / "og").iterdir()}
    assert len(first) > 3 and len(drawn) == len(first)
    drawn.clear()
    later = NOW + dt.timedelta(days=1)  # another day: the build renders every page again
    build_site(sample_site, Options(later, cache=True, jobs=1))
    again = {path.name: (path.stat().st_ino, path.read_bytes()) for path in (out / "og").iterdir()}
    assert drawn == [] and again == first  # the very same files, linked
    stamps = {path.name: path.stat().st_ctime_ns for path in (out / "og").iterdir()}
    build_site(sample_site, Options(later, cache=True, jobs=1), write=False)  # a check leaves the site's files be
    assert {path.name: path.stat().st_ctime_ns for path in (out / "og").iterdir()} == stamps and drawn
    drawn.clear()
    tampered = sorted(first)[0]
    with open(out / "og" / tampered, "r+b") as card:  # changed in place: the same file, other bytes
        card.write(b"\x89PNG-changed")
    build_site(sample_site, Options(later + dt.timedelta(days=1), cache=True, jobs=1))
    assert len(drawn) == 1 and (out / "og" / tampered).read_bytes() == first[tampered][1]
    drawn.clear()
    build_site(sample_site, Options(later + dt.timedelta(days=2), cache=False, jobs=1))
    assert len(drawn) == len(first)
    assert {path.name: path.read_bytes() for path in (out / "og").iterdir()} == {
        name: data for name, (_, data) in first.items()}
