"""The build, step by step in the order it runs: load, select, assemble, render, write."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .assets import Assets, load_assets
from .calendar import build_calendars
from .calendar_state import STATE_FILE, EventState, line_of, save_state
from .config import SiteConfig, load_config
from .content import load_content
from .cspcheck import csp_problems
from .extraction import unextracted
from .feeds import news_feeds
from .head import STATUS_SCRIPT, head_context
from .i18n import LOCALES_DIR, load_translations, make_environment
from .linkcheck import check_output
from .model import Content
from .output import reason, write_site
from .pages import OutputPage, site_pages
from .paths import check_links
from .precompress import compression_totals, with_compressed
from .problems import BuildFailed, Problems
from .publish import select_published
from .render import TEMPLATES_DIR, check_templates, language_links, render_template
from .sitemap import sitemap_files
from .status import STATUS_FILE, status_json, status_report
from .translation import translation_problems, translation_states
from .views import Language, Views, make_language, own_name


@dataclass(frozen=True)
class Options:
    """How to build: at which moment, with drafts or not."""

    now: dt.datetime
    drafts: bool = False
    strict: bool = False
    #: Whether a build may record changed calendar events in ``calendar_state.json``. In CI it may not:
    #: there a changed event that the committed state does not know is an error, so that every deploy
    #: of a commit publishes the same SEQUENCE and LAST-MODIFIED.
    record_state: bool = True


@dataclass(frozen=True)
class LoadedSite:
    """Everything read and validated, ready to render."""

    config: SiteConfig
    content: Content
    languages: dict[str, Language]
    environments: dict[str, Environment]
    assets: Assets
    problems: Problems


@dataclass
class BuildResult:
    """What a build produced."""

    files: dict[str, bytes]
    pages: list[OutputPage]
    problems: Problems
    seconds: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)
    #: When an open call next changes state (ISO 8601), so that a deploy can rebuild then.
    next_change: str | None = None
    #: Per encoding, from the write step: files precompressed, their bytes, the bytes of the compressed copies.
    compressed: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def feed_counts(self) -> tuple[int, int]:
        """How many iCal files (feeds and single events) and Atom news feeds the build produced."""
        return (sum(name.endswith(".ics") for name in self.files),
                sum(name.endswith("/atom.xml") for name in self.files))


def load_site(root: Path, options: Options, unchanged: LoadedSite | None = None) -> LoadedSite:
    """Read settings, content, catalogues, templates and static files; raise :class:`BuildFailed` on errors.

    ``unchanged`` is a site loaded before whose catalogues, templates and static files have not changed
    since (the preview's rebuilds after a content edit): they are kept rather than read and compiled again.
    """
    problems = Problems()
    config = load_config(root, problems)
    if problems.errors:  # with wrong settings (languages, say) every other file would be judged wrongly
        raise BuildFailed(problems)
    check_links(root, problems)
    content = load_content(config, problems)
    if unchanged is not None and unchanged.config == config:
        languages, environments, assets = unchanged.languages, unchanged.environments, unchanged.assets
        problems.extend(p for p in unchanged.problems if p.path.startswith((f"{LOCALES_DIR}/", f"{TEMPLATES_DIR}/")))
    else:
        languages, environments = {}, {}
        for code in config.languages:
            translations = load_translations(root, code, problems)
            languages[code] = make_language(code, config, translations)
            environments[code] = make_environment(root / TEMPLATES_DIR, translations)
        if environments:
            check_templates(next(iter(environments.values())), root, problems)
        assets = load_assets(root)
    _fail_on(problems, options)
    today = options.now.astimezone(config.tz).date()
    content = select_published(content, today, options.drafts, problems)
    problems.extend(translation_problems(translation_states(content, config.languages)))
    return LoadedSite(config, content, languages, environments, assets, problems)


def _fail_on(problems: Problems, options: Options) -> None:
    """Stop when there are errors, or warnings in strict mode."""
    if problems.errors or (options.strict and problems):
        raise BuildFailed(problems)


def assemble(site: LoadedSite, options: Options) -> list[OutputPage]:
    """Every page in every language."""
    pages: list[OutputPage] = []
    for language in site.languages.values():
        views = Views(site.content, site.config, language, options.now)
        pages.extend(site_pages(site.content, views))
    return pages


def menu_pages(site: LoadedSite, options: Options) -> dict[str, list[dict[str, str]]]:
    """The free pages of the menu, per language."""
    pages = sorted(site.content.pages.values(), key=lambda p: (p.order, p.id))
    menus = {}
    for code, language in site.languages.items():
        views = Views(site.content, site.config, language, options.now)
        menus[code] = [{"url": views.url(f"{p.id}/"), "title": views.text(p.meta).title, "id": p.id} for p in pages]
    return menus


def common_context(site: LoadedSite, page: OutputPage, menu: list[dict[str, str]]) -> dict[str, Any]:
    """What every template receives besides its own values."""
    config, route = site.config, page.route
    alternates = [{"lang": code, "href": config.url(f"/{code}/{route}")} for code in config.languages]
    return {
        "lang": page.lang, "route": route, "site_title": config.title, "draft": page.draft,
        "languages": language_links(config.languages, page.lang, route),
        "alternates": alternates, "x_default": config.url("/"),
        "canonical": config.url(f"/{page.lang}/{route}"),
        "lang_names": {code: site.languages[page.lang].name_of(code) for code in config.languages},
        "css_url": site.assets.url("style.css") if "style.css" in site.assets.urls else "",
        "nav_pages": menu,
    }


def render_pages(site: LoadedSite, pages: list[OutputPage], options: Options) -> dict[str, bytes]:
    """Render every page, the root language choice and the static files."""
    files: dict[str, bytes] = dict(site.assets.files)
    problems = site.problems
    menus = menu_pages(site, options)
    for page in pages:
        context = {**common_context(site, page, menus[page.lang]), **page.context}
        context.update(head_context(page.template, context, site.content, site.config, site.languages[page.lang],
                                    site.assets.urls.get(STATUS_SCRIPT, ""), page.context))
        html = render_template(site.environments[page.lang], page.template, context, site.config.root, problems)
        if html is not None:
            files[page.output_path] = html.encode("utf-8")
    default = site.config.default_language
    choices = [{"code": c, "name": own_name(c), "url": f"/{c}/"} for c in site.config.languages]
    root_context = {"lang": default, "site_title": site.config.title, "choices": choices,
                    "css_url": site.assets.urls.get("style.css", ""), "canonical": site.config.url("/"),
                    "alternates": [{"lang": c, "href": site.config.url(f"/{c}/")} for c in site.config.languages],
                    "x_default": site.config.url("/")}
    html = render_template(site.environments[default], "root.html", root_context, site.config.root, problems)
    if html is not None:
        files["index.html"] = html.encode("utf-8")
    if f"{default}/404.html" in files:
        files["404.html"] = files[f"{default}/404.html"]
    _fail_on(problems, options)
    return files


def news_and_status(site: LoadedSite, options: Options) -> tuple[dict[str, bytes], str | None]:
    """The news feeds and ``status.json``, with the next moment an open call changes state."""
    files = news_feeds(site.content, site.config, site.languages, options.now)
    published = [edition for edition in site.content.editions.values() if not edition.meta.draft]
    report = status_report(published, options.now, site.config.timezone,
                           site.config.closing_soon_days)
    files[STATUS_FILE] = status_json(report)
    return files, report["next_change"]  # type: ignore[return-value]


def _warn_unrecorded(site: LoadedSite, changed: list[str]) -> None:
    """In ``check``: a warning when calendar events changed but ``calendar_state.json`` does not record it yet."""
    if changed:
        site.problems.warn(STATE_FILE, 0,
                           f"{len(changed)} calendar event(s) are new or changed since the state was recorded "
                           f"({', '.join(changed[:3])}{', …' if len(changed) > 3 else ''})",
                           f"Run 'python build.py' and commit {STATE_FILE}, so that every deploy publishes "
                           "the same SEQUENCE and LAST-MODIFIED.")


def _refuse_unrecorded(site: LoadedSite, changed: list[str]) -> None:
    """In CI: an error for calendar events that changed but that ``calendar_state.json`` does not record."""
    site.problems.error(STATE_FILE, line_of(site.config.root, changed[0]),
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


def build_site(root: Path, options: Options, write: bool = True) -> BuildResult:
    """Load, render and (unless ``write`` is false) write the whole site; raise :class:`BuildFailed` on errors."""
    started = time.perf_counter()
    site = load_site(root, options)
    pages = assemble(site, options)
    files = render_pages(site, pages, options)
    calendars = build_calendars(site.content, site.config, site.languages, options.now, site.problems)
    _fail_on(site.problems, options)
    files.update(calendars.files)
    files.update(sitemap_files(pages, site.config, options.drafts))
    extra, next_change = news_and_status(site, options)
    files.update(extra)
    if not write:
        site.problems.extend(check_output(files, site.config))
        site.problems.extend(csp_problems(files))
        site.problems.extend(unextracted(root))
        _warn_unrecorded(site, calendars.changed)
        _fail_on(site.problems, options)
    elif calendars.changed and not options.record_state:
        _refuse_unrecorded(site, calendars.changed)
        _fail_on(site.problems, options)
    compressed: dict[str, tuple[int, int, int]] = {}
    if write:
        written = with_compressed(files)
        try:
            write_site(written, site.config.output_path, site.config.root,
                       then=lambda: _record(site.config.root, calendars.state))
        except OSError as exc:
            raise WriteFailed(reason(exc)) from exc
        compressed = compression_totals(written)
    counts = Counter(page.lang for page in pages)
    return BuildResult(files, pages, site.problems, time.perf_counter() - started, counts, next_change, compressed)
