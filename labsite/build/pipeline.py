"""The steps of a build, in the order they run: load and select, assemble the pages, render them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ..i18n.bundle import LOCALES_DIR, load_translations, make_environment
from ..i18n.translation import translation_problems, translation_states
from ..load.assets import Assets, load_assets
from ..load.cache import BuildCache
from ..load.config import SiteConfig, load_config
from ..load.content import load_content
from ..load.paths import check_links
from ..load.workers import fork_map
from ..model.items import Content
from ..model.problems import BuildFailed, Problem, Problems
from ..model.publish import select_published
from ..outputs.atom import news_feeds
from ..outputs.html import TEMPLATES_DIR, check_templates, language_links, render_template
from ..outputs.status import STATUS_FILE, status_json, status_report
from ..present.head import STATUS_SCRIPT, head_context
from ..present.pages import OutputPage, site_pages
from ..present.views import Language, Views, make_language, own_name


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
    #: How many processes convert Markdown and render pages (1: all in this one).
    jobs: int = 1
    #: Whether to keep and reuse work in the project's ``.cache/`` folder (output is the same either way).
    cache: bool = False


@dataclass(frozen=True)
class LoadedSite:
    """Everything read and validated, ready to render."""

    config: SiteConfig
    content: Content
    languages: dict[str, Language]
    environments: dict[str, Environment]
    assets: Assets
    #: What loading found (warnings only: errors stop the build); later stages return their own.
    problems: tuple[Problem, ...]


def load_site(root: Path, options: Options, unchanged: LoadedSite | None = None,
              cache: BuildCache | None = None) -> LoadedSite:
    """Read settings, content, catalogues, templates and static files; raise :class:`BuildFailed` on errors.

    ``unchanged`` is a site loaded before whose catalogues, templates and static files have not changed
    since (the preview's rebuilds after a content edit): they are kept rather than read and compiled again.
    """
    problems = Problems()
    config = load_config(root, problems)
    if problems.errors:  # with wrong settings (languages, say) every other file would be judged wrongly
        raise BuildFailed(problems)
    check_links(root, problems)
    content = load_content(config, problems, cache, options.jobs)
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
    fail_on(problems, options)
    today = options.now.astimezone(config.tz).date()
    content = select_published(content, today, options.drafts, problems)
    problems.extend(translation_problems(translation_states(content, config.languages)))
    return LoadedSite(config, content, languages, environments, assets, tuple(problems))


def fail_on(problems: Sequence[Problem], options: Options) -> None:
    """Stop when there are errors, or warnings in strict mode."""
    if any(p.is_error for p in problems) or (options.strict and problems):
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


def page_contexts(site: LoadedSite, pages: list[OutputPage], options: Options) -> dict[str, dict[str, Any]]:
    """Everything each page's template receives besides its head tags, by output path."""
    menus = menu_pages(site, options)
    return {page.output_path: {**common_context(site, page, menus[page.lang]), **page.context} for page in pages}


def render_pages(site: LoadedSite, pages: list[OutputPage], contexts: dict[str, dict[str, Any]],
                 options: Options) -> dict[str, bytes]:
    """Render the given pages (with their ``contexts``), the root language choice and the static files."""
    files: dict[str, bytes] = dict(site.assets.files)
    problems = Problems()

    def render(page: OutputPage) -> tuple[bytes | None, list[Problem]]:
        """One page's bytes (``None`` when its template failed) and the problems rendering it found."""
        found = Problems()
        context = dict(contexts[page.output_path])
        context.update(head_context(page.template, context, site.content, site.config, site.languages[page.lang],
                                    site.assets.urls.get(STATUS_SCRIPT, ""), page.context))
        html = render_template(site.environments[page.lang], page.template, context, site.config.root, found)
        return (None if html is None else html.encode("utf-8")), list(found)

    # On several cores the pages are rendered by forked workers; their results come back in the pages' order.
    for page, (data, found) in zip(pages, fork_map(render, pages, options.jobs), strict=True):
        problems.extend(found)
        if data is not None:
            files[page.output_path] = data
    default = site.config.default_language
    choices = [{"code": c, "name": own_name(c), "url": f"/{c}/"} for c in site.config.languages]
    root_context = {"lang": default, "site_title": site.config.title, "choices": choices,
                    "css_url": site.assets.urls.get("style.css", ""), "canonical": site.config.url("/"),
                    "alternates": [{"lang": c, "href": site.config.url(f"/{c}/")} for c in site.config.languages],
                    "x_default": site.config.url("/")}
    html = render_template(site.environments[default], "root.html", root_context, site.config.root, problems)
    if html is not None:
        files["index.html"] = html.encode("utf-8")
    fail_on([*site.problems, *problems], options)
    return files


def news_and_status(site: LoadedSite, options: Options) -> tuple[dict[str, bytes], str | None]:
    """The news feeds and ``status.json``, with the next moment an open call changes state."""
    files = news_feeds(site.content, site.config, site.languages, options.now)
    published = [edition for edition in site.content.editions.values() if not edition.meta.draft]
    report = status_report(published, options.now, site.config.timezone,
                           site.config.closing_soon_days)
    files[STATUS_FILE] = status_json(report)
    return files, report["next_change"]  # type: ignore[return-value]
