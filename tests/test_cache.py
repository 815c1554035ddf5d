"""The build cache and the worker processes change how fast a build is, never what it writes."""

from __future__ import annotations

import datetime as dt
import gettext
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment

from labsite.build import pipeline
from labsite.build.run import Options, build_site
from labsite.build.unchanged import RECORD_FILE
from labsite.i18n.bundle import CompiledTemplates, make_environment
from labsite.load import markup, workers
from labsite.load.cache import CACHE_DIR, BuildCache
from labsite.model.timezones import zone
from tests.conftest import run_build
from tests.test_architecture import site_digest

NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))
STORE = Path(CACHE_DIR) / "build.sqlite3"


def built(root: Path, **options: object) -> tuple[str, list[str]]:
    """The digest of the written site and the cache's warnings, from a build that renders (the record that lets a
    build with nothing changed keep the last site is removed first: tests/test_unchanged.py covers that)."""
    (root / CACHE_DIR / RECORD_FILE).unlink(missing_ok=True)
    result = build_site(root, Options(NOW, **options))  # type: ignore[arg-type]
    return site_digest(root / "_site"), result.cache_warnings


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Use the worker processes even for the small sample site; the list of pools started, one entry each."""
    monkeypatch.setattr(workers, "MIN_ITEMS", 1)
    monkeypatch.setattr(pipeline, "MIN_PAGES", 1)
    monkeypatch.setattr(markup, "FORK_CHARS", 1)
    pools: list[str] = []
    real = multiprocessing.get_context

    def context(method: str | None = None) -> Any:
        pools.append(str(method))
        return real(method)
    monkeypatch.setattr(workers.multiprocessing, "get_context", context)
    return pools


def test_output_is_the_same_with_and_without_the_cache_on_one_core_or_two(sample_site: Path,
                                                                           forking: list[str]) -> None:
    plain, _ = built(sample_site, jobs=1, cache=False)
    assert not (sample_site / CACHE_DIR).exists() and not forking
    runs = [built(sample_site, jobs=jobs, cache=True) for jobs in (2, 2, 1)]  # cold cache, then warm
    assert forking.count("fork") >= 3  # the Markdown and the FAQ's answers converted, the pages rendered
    assert runs == [(plain, [])] * 3
    assert built(sample_site, jobs=2, cache=False) == (plain, [])
    with sqlite3.connect(sample_site / STORE) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 20


def test_damaged_or_foreign_entries_are_ignored_never_trusted(sample_site: Path) -> None:
    plain, _ = built(sample_site, cache=True)
    with sqlite3.connect(sample_site / STORE) as db:
        keys = [row[0] for row in db.execute("SELECT key FROM entries")]
        half = len(keys) // 2
        # Damaged: the bytes no longer match their checksum.
        db.executemany("UPDATE entries SET value = ? WHERE key = ?", [(b"<p>forged</p>", key) for key in keys[:half]])
        # Foreign: a well-formed entry of a shape this code never writes.
        cache = BuildCache(None)
        for key in keys[half:]:
            cache.pending[key] = b"\xff\x00 not ours"
        db.executemany("UPDATE entries SET value = ?, checksum = ? WHERE key = ?",
                       [(value, checksum, key) for key, value, checksum in forged_rows(cache)])
    digest, warnings = built(sample_site, cache=True)
    assert digest == plain
    assert len(warnings) == 1 and "damaged entry" in warnings[0]
    assert built(sample_site, cache=True) == (plain, [])  # the entries were made again


def forged_rows(cache: BuildCache) -> list[tuple[bytes, bytes, bytes]]:
    """Rows with valid checksums for the values pending in ``cache``."""
    from labsite.load.cache import _checksum

    return [(key, value, _checksum(key, value)) for key, value in cache.pending.items()]


def test_a_store_that_is_not_one_is_started_afresh(sample_site: Path) -> None:
    plain, _ = built(sample_site, cache=False)
    (sample_site / CACHE_DIR).mkdir()
    (sample_site / STORE).write_bytes(b"not a database at all" * 100)
    digest, warnings = built(sample_site, cache=True)
    assert digest == plain and len(warnings) == 1 and "afresh" in warnings[0]
    assert built(sample_site, cache=True) == (plain, [])


def test_a_cache_folder_that_cannot_be_made_only_turns_caching_off(sample_site: Path) -> None:
    (sample_site / CACHE_DIR).write_text("a file where the folder should be", encoding="utf-8")
    first = run_build(sample_site, "--now", "2025-08-01", "--no-cache")
    digest = site_digest(sample_site / "_site")
    result = run_build(sample_site, "--now", "2025-08-01", "--jobs", "2")
    assert first.returncode == result.returncode == 0, result.stderr
    assert result.stderr.count("warning: the build cache") == 1, result.stderr
    assert site_digest(sample_site / "_site") == digest


def test_templates_are_compiled_once_for_every_language_and_kept_across_builds(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "page.html"
    page.write_text("{% trans %}Hello{% endtrans %}, {{ name }}!\n", encoding="utf-8")
    compiled: list[str | None] = []
    original = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counting)

    def render(store: BuildCache) -> list[str]:
        shared = CompiledTemplates(store)
        environments = [make_environment(folder, translations, shared) for translations in
                        (gettext.NullTranslations(), gettext.NullTranslations(), gettext.NullTranslations())]
        out = [env.get_template("page.html").render(name="Almaty") for env in environments]
        store.close()
        return out

    assert render(BuildCache(tmp_path / ".cache")) == ["Hello, Almaty!"] * 3
    assert compiled == ["page.html"]  # once for the three languages
    assert render(BuildCache(tmp_path / ".cache")) == ["Hello, Almaty!"] * 3
    assert compiled == ["page.html"]  # the next build takes the code from the cache
    page.write_text("{% trans %}Hello{% endtrans %}, {{ name }}?\n", encoding="utf-8")
    assert render(BuildCache(tmp_path / ".cache")) == ["Hello, Almaty?"] * 3
    assert compiled == ["page.html", "page.html"]  # an edited template is compiled again
    assert render(BuildCache(None)) == ["Hello, Almaty?"] * 3  # without a cache: compiled, once
    assert compiled == ["page.html"] * 3
