"""A build of the whole site: the one pipeline from nothing, then the output checked or written."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..load.cache import CACHE_DIR
from ..model.problems import Problems
from ..outputs.calendar_state import STATE_FILE, EventState, line_of, save_state
from ..outputs.manifest import MANIFEST_FILE
from ..outputs.writer import reason
from .memory import fewer_collections, two_heaps
from .options import Options
from .unchanged import Kept, keep_last, record_build, sources_digest

if TYPE_CHECKING:
    from ..load.cache import BuildCache
    from ..outputs.spool import Spool
    from ..present.pages import OutputPage
    from .pipeline import Output

__all__ = ["BuildResult", "Options", "StateNotSaved", "WriteFailed", "build_site"]


@dataclass
class BuildResult:
    """What a build produced."""

    #: Every file of the site by output path, read from disk: the written site (until a later build replaces it),
    #: or a temporary folder for ``check``.
    files: Mapping[str, bytes]
    pages: list[OutputPage]
    problems: Problems
    seconds: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)
    #: When an open call next changes state (ISO 8601), so that a deploy can rebuild then.
    next_change: str | None = None
    #: Per encoding, from the write step: files precompressed, their bytes, the bytes of the compressed copies.
    compressed: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    #: What went wrong with the build cache (the build then went on without it).
    cache_warnings: list[str] = field(default_factory=list)
    #: How many iCal files (feeds and single events) and Atom news feeds the build produced.
    feeds: tuple[int, int] = (0, 0)
    #: Whether nothing had changed, so that the last build's site was kept (``files`` and ``pages`` are then empty).
    kept: bool = False


#: The output kinds a written build makes while it writes the rest of the site: the indexer works in processes of
#: its own while the pages and their compressed copies are written, and its files are written last.
BACKGROUND = frozenset({"search"})


def made_files(outputs: Mapping[str, Output]) -> dict[str, bytes]:
    """The files of output kinds' results."""
    return {path: data for _, made in outputs.values() for path, data in made.files.items()}


def feed_counts(files: Iterable[str]) -> tuple[int, int]:
    """How many iCal files (feeds and single events) and Atom news feeds are among ``files``."""
    names = list(files)
    return sum(name.endswith(".ics") for name in names), sum(name.endswith("/atom.xml") for name in names)


def _warn_unrecorded(problems: Problems, changed: list[str]) -> None:
    """In ``check``: a warning when calendar events changed but ``calendar_state.json`` does not record it yet."""
    if changed:
        problems.warn(STATE_FILE, 0,
                      f"{len(changed)} calendar event(s) are new or changed since the state was recorded "
                           f"({', '.join(changed[:3])}{', …' if len(changed) > 3 else ''})",
                           f"Run 'python build.py' and commit {STATE_FILE}, so that every deploy publishes "
                           "the same SEQUENCE and LAST-MODIFIED.")


def _refuse_unrecorded(problems: Problems, root: Path, changed: list[str]) -> None:
    """In CI: an error for calendar events that changed but that ``calendar_state.json`` does not record."""
    problems.error(STATE_FILE, line_of(root, changed[0]),
                        f"{len(changed)} calendar event(s) are new or changed but not recorded in {STATE_FILE} "
                        f"({', '.join(changed[:3])}{', …' if len(changed) > 3 else ''}); a build in CI does not record them",
                        f"On your machine, run 'python build.py' (or 'make site') and commit {STATE_FILE} "
                        "with the content change, so that subscribers' calendars see the change.")


class WriteFailed(Exception):
    """The new site could not be written (disk full, permission denied…); the previous one is unchanged."""


class StateNotSaved(Exception):
    """The site was written, but ``calendar_state.json`` could not be."""


def _record(root: Path, state: dict[str, EventState]) -> None:
    """Save the calendar state right after the new site is in place."""
    try:
        save_state(root, state)
    except OSError as exc:
        raise StateNotSaved(f"the new site was written, but {STATE_FILE} could not be: {reason(exc)}") from exc


def _spool(folder: Path | None) -> Spool:
    """A spool in the cache ``folder`` (on the output's disk, so that its files can be linked), else in the
    system's temporary folder."""
    from ..outputs.spool import Spool

    if folder is not None:
        with contextlib.suppress(OSError):
            return Spool(folder)
    return Spool()


def build_site(root: Path, options: Options, write: bool = True) -> BuildResult:
    """The whole site: the preview's rebuild from nothing, then checked (``write`` false) or written.

    Raise :class:`BuildFailed` on errors, :class:`WriteFailed` when the disk refuses the new site.
    """
    started = time.perf_counter()
    folder = root / CACHE_DIR if write and options.cache else None
    sources = None
    if folder is not None:
        with contextlib.suppress(OSError):
            sources = sources_digest(root, options)
    if folder is not None and sources is not None:
        kept = keep_last(root, options, sources, folder, folder / MANIFEST_FILE)
        if kept is not None:
            return BuildResult({}, [], Problems(kept.warnings), time.perf_counter() - started, Counter(kept.counts),
                               kept.next_change, kept.compressed, feeds=kept.feeds, kept=True)
    # The pipeline and its libraries are loaded only now: a build with nothing to do needs none of them.
    from ..load.cache import open_cache

    cache = open_cache(root, options.cache)
    try:
        with fewer_collections():
            return _build(root, options, write, cache, started, sources)
    finally:
        cache.close()


def _build(root: Path, options: Options, write: bool, cache: BuildCache, started: float,
           sources: bytes | None) -> BuildResult:
    """:func:`build_site` with the build cache open (``sources``: the digest to record a written build under)."""
    from ..i18n.extraction import unextracted
    from ..outputs.checks import check_output
    from ..outputs.csp import csp_problems
    from ..outputs.precompress import Precompressor, compression_totals
    from ..outputs.spool import SpoolFailed
    from ..outputs.writer import write_site
    from .incremental import finish, rebuild, scan
    from .pipeline import fail_on

    two_heaps()
    # The site goes to disk page by page as it is rendered (in the cache folder, beside the output, so that the
    # writer can link the files into the new site), never held in memory whole.
    try:
        spool = _spool(cache.folder)
    except OSError as exc:
        raise WriteFailed(f"no temporary folder for its files: {reason(exc)}") from exc
    # A check goes through every stage before it judges warnings in strict mode, so that it reports them all.
    staged = options if write else dataclasses.replace(options, strict=False)
    try:
        build = rebuild(root, staged, None, scan(root), cache, spool, site_cards=write,
                        later=BACKGROUND if write else frozenset())
    except SpoolFailed as exc:  # the disk refused the pages as they were rendered
        raise WriteFailed(reason(exc)) from exc
    site, files, pages, calendars = build.site, build.files, list(build.pages.values()), build.calendars
    assert calendars is not None  # made anew in a build from nothing
    problems = Problems([*(p for p in site.problems if p.is_error), *build.warnings])
    if not write:
        problems.extend(check_output(files, site.config))
        problems.extend(csp_problems(files))
        problems.extend(unextracted(root))
        _warn_unrecorded(problems, calendars.changed)
        fail_on(problems, options)
    elif calendars.changed and not options.record_state:
        _refuse_unrecorded(problems, site.config.root, calendars.changed)
        fail_on(problems, options)
    compressed: dict[str, tuple[int, int, int]] = {}
    if write:
        # Unchanged files and their copies are linked from the previous site; the manifest vouches for the copies.
        manifest = cache.folder / MANIFEST_FILE if cache.folder is not None else None
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outputs") as pool:
            finishing = pool.submit(finish, build, options, cache, stop)
            try:
                sizes = write_site(files, site.config.output_path, site.config.root,
                                   then=lambda: _record(site.config.root, calendars.state),
                                   compressor=Precompressor(cache), manifest=manifest,
                                   late=lambda: made_files(finishing.result()))
            except OSError as exc:
                raise WriteFailed(reason(exc)) from exc
            finally:
                stop.set()  # the index is written or no longer needed: an indexer still at work gives up
        compressed = compression_totals(sizes)
    counts = Counter(page.lang for page in pages)
    feeds = feed_counts(files)
    if write and sources is not None and cache.folder is not None and not cache.warnings:
        record_build(root, options, sources, cache.folder, site.config.output_path, site.config.timezone, len(sizes),
                     Kept(dict(counts), feeds, problems.warnings, compressed, build.next_change))
    return BuildResult(files, pages, problems, time.perf_counter() - started, counts, build.next_change,
                       compressed, cache.warnings, feeds)
