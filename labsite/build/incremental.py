"""The one pipeline: (re)build the site, rendering only the pages an edit reaches; from nothing, a whole build."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import time
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, meta
from jinja2.exceptions import TemplateError

from ..load.cache import BuildCache, open_cache
from ..load.config import CONFIG_FILE
from ..model.problems import Problem
from ..outputs import ics, status
from ..outputs.cards import CARDS_DIR, Known
from ..outputs.html import TEMPLATES_DIR
from ..outputs.ics import Calendars
from ..outputs.kind import Omitting, Stop
from ..outputs.manifest import MANIFEST_FILE, load_manifest
from ..present.pages import CardMemo, OutputPage
from .memory import collector_paused
from .options import INPUTS
from .pipeline import (
    LoadedSite,
    Options,
    Output,
    assemble,
    load_site,
    menu_pages,
    page_contexts,
    render_pages,
    shared_values,
    site_outputs,
)

_CARD = re.compile(rb"/(%s/[0-9a-f]{16}\.png)" % CARDS_DIR.encode())
#: What the preview watches, relative to the project folder: what a build reads.
WATCHED = INPUTS

#: A file's state as far as rebuilds care: modification time (ns) and size.
Stamp = tuple[int, int]


@dataclass(frozen=True)
class Build:
    """A good build of the preview: its files and what each page was rendered from."""

    site: LoadedSite
    pages: dict[str, OutputPage]
    #: Per language, what every page's common values are made of (``pipeline.shared_values``).
    shared: dict[str, object]
    files: MutableMapping[str, bytes]
    stamps: dict[str, Stamp]
    now: dt.datetime
    rendered: frozenset[str]
    seconds: float
    #: Each output kind's result (see ``OUTPUTS``), its files among ``files``.
    outputs: dict[str, Output] = dataclasses.field(default_factory=dict)
    #: What went wrong with the build cache (it was then not used); never a reason to stop.
    cache_warnings: tuple[str, ...] = ()
    #: Output kinds kept from the previous build unchecked (``Options.deferred``): :func:`complete` makes them.
    unfinished: frozenset[str] = frozenset()
    #: The article cards made, for the next rebuild to keep those of unchanged articles.
    cards: CardMemo = dataclasses.field(default_factory=dict)

    @property
    def warnings(self) -> list[Problem]:
        """The warnings of the content and of the output kinds made (their errors stop the build)."""
        found = [problem for _, made in self.outputs.values() for problem in made.problems]
        return [problem for problem in (*self.site.problems, *found) if not problem.is_error]

    @property
    def calendars(self) -> Calendars | None:
        """The calendar feeds with the event state they were made with."""
        extra = self.outputs[ics.OUTPUT.name][1].extra if ics.OUTPUT.name in self.outputs else None
        return extra if isinstance(extra, Calendars) else None

    @property
    def next_change(self) -> str | None:
        """When an open call next changes state (ISO 8601), so that a deploy can rebuild then."""
        extra = self.outputs[status.OUTPUT.name][1].extra if status.OUTPUT.name in self.outputs else None
        return extra if isinstance(extra, str) else None


def scan(root: Path) -> dict[str, Stamp]:
    """The watched files with their stamps, by path relative to ``root`` (hidden and editor backup files left out)."""
    stamps: dict[str, Stamp] = {}
    for name in WATCHED:
        try:
            stat = os.stat(root / name)
        except OSError:
            continue
        if os.path.isdir(root / name):
            _scan_folder(str(root / name), f"{name}/", stamps)
        else:
            stamps[name] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def _scan_folder(folder: str, prefix: str, stamps: dict[str, Stamp]) -> None:
    """Add the files under ``folder`` to ``stamps``; ``prefix`` is the folder's relative path."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.endswith(("~", ".swp", ".tmp")):
            continue
        try:
            if entry.is_dir():
                _scan_folder(entry.path, f"{prefix}{entry.name}/", stamps)
            elif entry.is_file():
                stat = entry.stat()
                stamps[prefix + entry.name] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # removed while looking
            continue


def changed_files(old: Mapping[str, Stamp], new: Mapping[str, Stamp]) -> frozenset[str]:
    """Files added, removed or modified between two scans."""
    return frozenset(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))


def template_closures(env: Environment) -> dict[str, frozenset[str]]:
    """For each template, the templates it is made of (itself, what it extends, includes and imports)."""
    direct: dict[str, frozenset[str] | None] = {}
    names = env.list_templates(extensions=["html", "xml", "txt"])
    for name in names:
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            found = list(meta.find_referenced_templates(env.parse(source)))
        except TemplateError:
            direct[name] = None
            continue
        direct[name] = None if None in found else frozenset(r for r in found if r is not None)
    closures: dict[str, frozenset[str]] = {}
    for name in names:
        seen, todo, dynamic = {name}, [name], False
        while todo:
            refs = direct.get(todo.pop(), frozenset())
            if refs is None:
                dynamic = True
                break
            todo.extend(refs - seen)
            seen.update(refs)
        # A template that names another by a variable may use any of them.
        closures[name] = frozenset(names) if dynamic else frozenset(seen)
    return closures


def _templates_of(changed: Iterable[str]) -> frozenset[str]:
    """Template names among changed paths."""
    prefix = f"{TEMPLATES_DIR}/"
    return frozenset(path[len(prefix):] for path in changed if path.startswith(prefix))


def stale_pages(previous: Build | None, site: LoadedSite, pages: list[OutputPage],
                shared: dict[str, object], changed: frozenset[str]) -> list[OutputPage]:
    """The pages to render again after ``changed`` files, given the previous good build."""
    if previous is None or CONFIG_FILE in changed:
        return pages
    if any(path.startswith("static/") for path in changed) and site.assets.urls != previous.site.assets.urls:
        return pages
    # A language reads only its own catalogue, locales/<lang>/…; the template (.pot) and babel.cfg reach no page.
    locales = {path.split("/")[1] for path in changed if path.startswith("locales/") and path.count("/") >= 2}
    templates = _templates_of(changed)
    closures = template_closures(next(iter(site.environments.values()))) if templates else {}
    # A page's template receives its own values and the values common to its language (menu, links, names).
    moved = {code for code, values in shared.items() if values != previous.shared.get(code)}
    stale = []
    for page in pages:
        key = page.output_path
        old = previous.pages.get(key)
        if (old is None or key not in previous.files or page.lang in locales or page.lang in moved
                or templates & closures.get(page.template, frozenset({page.template}))
                or changed & (page.deps | old.deps)
                # What the deps do not list (a lab's title on a person's page) still shows here.
                or page.draft != old.draft or page.context != old.context):
            stale.append(page)
    return stale


def rebuild(root: Path, options: Options, previous: Build | None, stamps: dict[str, Stamp],
            cache: BuildCache | None = None, into: MutableMapping[str, bytes] | None = None,
            site_cards: bool = False, later: frozenset[str] = frozenset()) -> Build:
    """Build the site, rendering only what changed since ``previous``; raise ``BuildFailed`` on errors.

    Without ``previous`` this is the whole build: ``build_site`` and the preview's first build are this call.

    ``stamps`` is the scan taken before reading, so that an edit made during the build is seen next time.
    ``cache`` is the build cache to use (left open for the caller); without it, one is opened when
    ``options.cache`` asks for it, and closed at the end. ``into`` is where the files go (a new dict by default;
    a build from nothing puts them in an ``outputs.spool.Spool``, on disk). With ``site_cards`` (a build about to
    replace the site), the og:image cards the last written build left in the output folder are taken from there.
    The output kinds named in ``later`` are left unfinished, for the caller to make with :func:`finish`.
    """
    if cache is None:
        own = open_cache(root, options.cache)
        try:
            build = rebuild(root, options, previous, stamps, own, into, site_cards, later)
        finally:
            own.close()
        return dataclasses.replace(build, cache_warnings=tuple(own.warnings))
    with collector_paused() if previous is not None else contextlib.nullcontext():
        return _rebuild(root, options, previous, stamps, cache, into, site_cards, later)


def _rebuild(root: Path, options: Options, previous: Build | None, stamps: dict[str, Stamp], cache: BuildCache,
             into: MutableMapping[str, bytes] | None, site_cards: bool, later: frozenset[str]) -> Build:
    """:func:`rebuild` with the build cache open."""
    started = time.perf_counter()
    changed = changed_files(previous.stamps, stamps) if previous else frozenset(stamps)
    content_only = all(path.startswith("content/") for path in changed)
    # Compiled templates are kept after a content edit: compiling them costs more than rendering a few pages.
    site = load_site(root, options, unchanged=previous.site if previous is not None and content_only else None,
                     cache=cache, previous=previous.site if previous is not None else None, changed=changed)
    cards: CardMemo = {}
    pages = assemble(site, options, previous.cards if previous is not None else None, cards)
    menus = menu_pages(site, options)
    shared = shared_values(site, menus)
    stale = stale_pages(previous, site, pages, shared, changed)
    contexts = page_contexts(site, stale, menus)
    files: MutableMapping[str, bytes] = {} if into is None else into
    if previous is not None:
        fresh_paths = {page.output_path for page in stale}
        files.update({page.output_path: previous.files[page.output_path] for page in pages
                      if page.output_path not in fresh_paths})
        # The og:image cards of the pages kept (named by their content, so a kept page's card is still right).
        kept = {name.decode() for data in list(files.values()) for name in _CARD.findall(data, 0, _head_end(data))}
        files.update({path: previous.files[path] for path in kept if path in previous.files})
    known = (previous.files.get if previous is not None
             else written_cards(cache, site.config.output_path) if site_cards else None)
    render_pages(site, stale, contexts, options, files, known)
    before = previous.outputs if previous is not None else {}
    outputs = site_outputs(site, pages, files, options, before, cache, later=later)
    for _, made in outputs.values():
        files.update(made.files)
    return Build(site, {page.output_path: page for page in pages}, shared, files, stamps, options.now,
                 frozenset(page.output_path for page in stale),
                 time.perf_counter() - started, outputs, tuple(cache.warnings),
                 frozenset(options.deferred & before.keys()) | later, cards)


def written_cards(cache: BuildCache, output: Path) -> Known | None:
    """Where the og:image cards of the last written build can be taken from: its files in ``output`` that the
    record of the output folder (``.cache/output-copies.json``) vouches for. ``None`` without a cache folder.

    They are all looked at now, before any is linked into the new build (a link changes a file's change time,
    which the record vouches with)."""
    if cache.folder is None:
        return None
    target = output.resolve()
    manifest = load_manifest(cache.folder / MANIFEST_FILE, target)
    found = {path: file for path in manifest.stamps if path.startswith(f"{CARDS_DIR}/")
             and (file := manifest.written(target, path)) is not None}
    return found.get if found else None


def _head_end(page: bytes) -> int:
    """Where a page's ``<head>`` ends (its og:image is named there), or its end when it has none."""
    end = page.find(b"</head>")
    return len(page) if end < 0 else end


def complete(build: Build, options: Options) -> Build:
    """``build`` with the output kinds it kept unchecked made for its own site; raise ``BuildFailed`` on errors."""
    if not build.unfinished:
        return build
    stale = {path for name in build.unfinished if name in build.outputs for path in build.outputs[name][1].files}
    cache = open_cache(build.site.config.root, options.cache)
    try:
        made = finish(build, options, cache)
    finally:
        cache.close()
    files = {path: data for path, data in build.files.items() if path not in stale}
    for _, output in made.values():
        files.update(output.files)
    return dataclasses.replace(build, files=files, outputs={**build.outputs, **made}, unfinished=frozenset())


def finish(build: Build, options: Options, cache: BuildCache, stop: Stop | None = None) -> dict[str, Output]:
    """The output kinds ``build`` left unfinished, made for its own pages (the files of its other kinds left out)."""
    produced = frozenset(path for _, made in build.outputs.values() for path in made.files)
    return site_outputs(build.site, list(build.pages.values()), Omitting(build.files, produced),
                        dataclasses.replace(options, deferred=frozenset()), build.outputs, cache,
                        build.unfinished, stop=stop)
