"""A rebuild writes only what changed: the rest is hard-linked from the previous site, which stays whole until the swap."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from labsite.build.run import Options, WriteFailed, build_site
from labsite.commands.serve import Preview
from labsite.model.problems import BuildFailed
from labsite.model.timezones import zone
from labsite.outputs.lock import writing
from labsite.outputs.search import INDEX_DIR
from labsite.outputs.writer import write_site
from tests.conftest import PROJECT, run_build
from tests.test_architecture import site_digest
from tests.test_build import NOW as AT
from tests.test_build import tree_digest

NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))
ABOUT = "en/about/index.html"


def inodes(site: Path) -> dict[str, int]:
    """Every file of the site with its inode."""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def outside_index(paths: Iterable[str]) -> set[str]:
    """The paths that are not the search index's: its files are named by their content, so an edit renames some."""
    return {path for path in paths if not path.startswith(f"{INDEX_DIR}/")}


def contents(site: Path) -> dict[str, bytes]:
    """Every file of the site with its bytes."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def fresh_digest(root: Path) -> str:
    """The digest of the site built from nothing, in a copy of the project: no previous output, no cache."""
    copy = root.parent / f"{root.name}-fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_site", ".cache"))
    build_site(copy, Options(NOW, cache=False))
    return site_digest(copy / "_site")


def test_unchanged_files_and_their_copies_are_links_to_the_previous_ones(sample_site: Path) -> None:
    build_site(sample_site, Options(NOW, cache=True))
    build_site(sample_site, Options(NOW, cache=True))  # the first build had no record of the copies yet
    site = sample_site / "_site"
    before = inodes(site)
    page = sample_site / "content/pages/about.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build_site(sample_site, Options(NOW, cache=True))
    after = inodes(site)
    assert outside_index(after) == outside_index(before)
    assert outside_index(after.keys() ^ before.keys()) == set() and after.keys() != before.keys()  # English re-indexed
    kazakh = f"{INDEX_DIR}/index/kk"
    assert {p for p in after if p.startswith(kazakh)} == {p for p in before if p.startswith(kazakh)}
    changed = {path for path in after if after[path] != before.get(path)}
    assert {ABOUT, f"{ABOUT}.gz", f"{ABOUT}.br"} <= changed
    assert len(changed) < len(after) / 4
    assert before["en/index.html.br"] == after["en/index.html.br"]  # a copy linked, not compressed again
    assert all(os.stat(site / path).st_nlink == 1 for path in after)  # the retired site's links are gone
    assert site_digest(site) == fresh_digest(sample_site)


@pytest.mark.parametrize("victim", [ABOUT, f"{ABOUT}.br", f"{ABOUT}.gz"])
def test_a_file_edited_by_hand_in_the_previous_site_is_written_again(sample_site: Path, victim: str) -> None:
    build_site(sample_site, Options(NOW, cache=True))
    build_site(sample_site, Options(NOW, cache=True))
    site = sample_site / "_site"
    expected = contents(site)
    path = site / victim
    data = path.read_bytes()
    stamp = path.stat()
    with open(path, "r+b") as edited:  # in place, same size, the modification time put back
        edited.write(b"X" * 16)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.read_bytes() != data and path.stat().st_size == stamp.st_size
    build_site(sample_site, Options(NOW, cache=True))
    assert contents(site) == expected
    assert site_digest(site) == fresh_digest(sample_site)


def test_without_the_cache_unchanged_files_are_still_linked_and_copies_made_again(sample_site: Path) -> None:
    build_site(sample_site, Options(NOW, cache=False))
    before = inodes(sample_site / "_site")
    build_site(sample_site, Options(NOW, cache=False))
    after = inodes(sample_site / "_site")
    assert before[ABOUT] == after[ABOUT] and before[f"{ABOUT}.br"] != after[f"{ABOUT}.br"]
    assert not (sample_site / ".cache").exists()


def test_a_failed_build_leaves_the_previous_site_and_its_files_untouched(sample_site: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(sample_site, Options(NOW, cache=True))
    build_site(sample_site, Options(NOW, cache=True))
    site = sample_site / "_site"
    before, files = inodes(site), contents(site)
    page = sample_site / "content/pages/about.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    real = Path.write_bytes

    def disk_full(self: Path, data: bytes) -> int:
        if self.name == "index.html" and (".new-" in str(self) or "/labsite-spool-" in str(self)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)
    with monkeypatch.context() as patched:
        patched.setattr(Path, "write_bytes", disk_full)
        with pytest.raises(WriteFailed):
            build_site(sample_site, Options(NOW, cache=True))
    (sample_site / "content/people/jane-doe.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_site(sample_site, Options(NOW, cache=True))
    assert inodes(site) == before and contents(site) == files
    assert [p.name for p in sample_site.iterdir() if p.name.startswith("._site")] == []


def test_a_link_in_the_previous_site_is_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"same bytes")
    target = tmp_path / "site"
    write_site({"a/index.html": b"same bytes", "b.txt": b"b"}, target)
    (target / "a" / "index.html").unlink()
    (target / "a").rmdir()
    (target / "a").symlink_to(outside)
    write_site({"a/index.html": b"same bytes", "b.txt": b"b"}, target)
    assert not (target / "a").is_symlink()
    assert (target / "a/index.html").stat().st_ino != (outside / "index.html").stat().st_ino
    assert (target / "a/index.html").read_bytes() == b"same bytes"


def test_a_path_leading_outside_the_output_folder_is_refused(tmp_path: Path) -> None:
    for bad in ("../escape.html", "a/../../escape.html", "/etc/passwd", "a//b.html", "./a.html"):
        with pytest.raises(OSError, match="outside the output folder"):
            write_site({bad: b"x"}, tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()


def test_the_preview_writes_only_what_an_edit_changed(sample_site: Path) -> None:
    preview = Preview(sample_site, lambda: Options(NOW))
    try:
        assert preview.refresh()
        preview.writer.submit(lambda: None).result()  # the writer runs the writes in order: wait for them
        site = sample_site / "_site"
        before = inodes(site)
        time.sleep(0.01)
        page = sample_site / "content/pages/about.en.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nWritten by the preview.\n", encoding="utf-8")
        assert preview.refresh()
        preview.writer.submit(lambda: None).result()
    finally:
        preview.writer.shutdown(wait=True)
    after = inodes(site)
    assert b"Written by the preview." in (site / ABOUT).read_bytes()
    assert after[ABOUT] != before[ABOUT]
    assert after["en/index.html"] == before["en/index.html"] and outside_index(after) == outside_index(before)
    assert contents(site) == build_site(sample_site, Options(NOW), write=False).files


def test_builds_started_together_take_turns_and_leave_one_whole_site(sample_site: Path, tmp_path: Path) -> None:
    """Three builds of one site at once: each waits while another writes, so none removes another's temporary
    folder as a leftover, all succeed, and the site is the one a single build writes."""
    alone = tmp_path / "alone"
    shutil.copytree(sample_site, alone)
    assert run_build(alone, "--now", AT).returncode == 0
    command = [sys.executable, str(PROJECT / "build.py"), "--now", AT, "--root", str(sample_site)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert tree_digest(sample_site / "_site") == tree_digest(alone / "_site")
    assert not [p.name for p in sample_site.iterdir() if p.name.startswith("._site.")]


def test_a_build_waits_while_another_writes_its_site(sample_site: Path) -> None:
    """While another build holds the output folder, a build says that it waits, and writes once it may."""
    target = sample_site / "_site"
    command = [sys.executable, str(PROJECT / "build.py"), "--now", AT, "--root", str(sample_site)]
    with writing(target):
        waiting = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None and not target.exists()
    assert waiting.wait(timeout=120) == 0
    assert "Waiting for another build that is writing _site/ to finish…" in (waiting.stderr.read() if waiting.stderr else "")
    assert (target / "index.html").is_file()


def modes(site: Path) -> set[tuple[str, int]]:
    """The kinds of entry of the site with their permission bits."""
    return {("folder" if p.is_dir() else "file", p.stat().st_mode & 0o777) for p in [site, *site.rglob("*")]}


def test_the_site_is_readable_by_the_web_server_whatever_the_umask(sample_site: Path) -> None:
    """A build under a strict umask still writes a site that a server running as another user can read, and a later
    build gives files left unreadable (by hand, or by an older build) their mode back, even those it links."""
    argv = [str(PROJECT / "build.py"), "build", "--root", str(sample_site), "--now", AT]
    strict = f"import os, runpy, sys; os.umask(0o077); sys.argv = {argv!r}; runpy.run_path(sys.argv[0], run_name='__main__')"
    result = subprocess.run([sys.executable, "-c", strict], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    site = sample_site / "_site"
    assert modes(site) == {("folder", 0o755), ("file", 0o644)}
    for path in (site / ABOUT, site / f"{ABOUT}.br", site / "en/index.html"):
        path.chmod(0o600)
    (site / "en/about").chmod(0o700)
    result = run_build(sample_site, "--now", AT)
    assert result.returncode == 0, result.stderr
    assert modes(site) == {("folder", 0o755), ("file", 0o644)}


def test_a_linked_file_whose_mode_this_user_may_not_change_is_copied(sample_site: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Only its owner may change a file's mode: a file of the previous site with another mode, left by another user's
    build in a shared checkout, is copied (the kernel refuses the chmod of the link), and the copy given 644."""
    build_site(sample_site, Options(NOW, cache=True))
    page = sample_site / "_site" / ABOUT
    page.chmod(0o664)
    theirs, data, refused = page.stat().st_ino, page.read_bytes(), []
    chmod = os.chmod

    def owners_only(path: str | Path, mode: int) -> None:
        if os.stat(path).st_ino == theirs:
            refused.append(path)
            raise PermissionError(errno.EPERM, "Operation not permitted", str(path))
        chmod(path, mode)

    monkeypatch.setattr(os, "chmod", owners_only)
    build_site(sample_site, Options(NOW, cache=True))
    assert refused and str(refused[0]).endswith(ABOUT)
    assert page.stat().st_ino != theirs and page.read_bytes() == data and page.stat().st_mode & 0o777 == 0o644
