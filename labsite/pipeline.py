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
from .calendar_state import STATE_FILE, line_of, save_state
from .cards import card
from .config import SiteConfig, load_config
from .content import load_content
from .extraction import unextracted
from .feeds import news_feeds
from .head import STATUS_SCRIPT, head_context
from .i18n import LOCALES_DIR, N_, load_translations, make_environment
from .images import Picture, cache_dir, make_pictures
from .linkcheck import check_output
from .model import Content
from .output import write_site
from .pages import OutputPage, site_pages
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
    #: The content's pictures by source file, and their variants as output files.
    media: dict[str, Picture] = field(default_factory=dict)
    media_files: dict[str, bytes] = field(default_factory=dict)


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
    if problems.errors:
        # Content read with broken settings (no languages, no time zone) would only repeat their mistakes.
        raise BuildFailed(problems)
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
    media, media_files = make_pictures(root, content.images(), problems)
    return LoadedSite(config, content, languages, environments, assets, problems, media, media_files)


def _fail_on(problems: Problems, options: Options) -> None:
    """Stop when there are errors, or warnings in strict mode."""
    if problems.errors or (options.strict and problems):
        raise BuildFailed(problems)


def assemble(site: LoadedSite, options: Options) -> list[OutputPage]:
    """Every page in every language."""
    pages: list[OutputPage] = []
    for language in site.languages.values():
        views = Views(site.content, site.config, language, options.now, site.media)
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
        "nav_pages": menu, "section": route.split("/")[0], "noindex": False,
        **asset_urls(site),
    }


def asset_urls(site: LoadedSite) -> dict[str, str]:
    """The published addresses of the static files that templates link to."""
    urls = site.assets.urls
    return {"css_url": urls.get("style.css", ""), "icon_url": urls.get("favicon.svg", ""),
            "wordmark_url": urls.get("wordmark.svg", ""), "faq_script": urls.get("faq.js", "")}


#: Where a page's own picture is in its values, by template: (value, key of the picture).
OWN_PICTURE = {"edition.html": ("edition", "image"), "lab.html": ("lab", "image"),
               "person.html": ("person", "photo"), "article.html": ("article", "image")}


def og_image(site: LoadedSite, page: OutputPage, context: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """The page's og:image: its own picture, else a card with its title in its language (added to ``files``)."""
    where = OWN_PICTURE.get(page.template)
    picture = (page.context.get(where[0]) or {}).get(where[1]) if where else None
    if picture:
        largest = picture["og"]
        return {"url": site.config.url(largest.url), "width": largest.width, "height": largest.height,
                "alt": picture["alt"]}
    template = site.environments[page.lang].get_template(page.template)
    title = "".join(template.blocks["title"](template.new_context(context))).strip() or site.config.title
    return card_image(site, page.lang, title, files)


def card_image(site: LoadedSite, lang: str, title: str, files: dict[str, bytes]) -> dict[str, Any]:
    """A generated card with ``title`` as the og:image, its PNG added to ``files``."""
    tagline = site.languages[lang]._("Free film labs for Central Asia")
    path, data = card(title, tagline, site.config.title, cache_dir(site.config.root) / "cards")
    files[path] = data
    return {"url": site.config.url(f"/{path}"), "width": 1200, "height": 630, "alt": title}


def render_pages(site: LoadedSite, pages: list[OutputPage], options: Options) -> dict[str, bytes]:
    """Render every page, the root language choice and the static files."""
    files: dict[str, bytes] = {**site.assets.files, **site.media_files}
    problems = site.problems
    menus = menu_pages(site, options)
    for page in pages:
        context = {**common_context(site, page, menus[page.lang]), **page.context}
        context.update(head_context(page.template, context, site.content, site.config, site.languages[page.lang],
                                    site.assets.urls.get(STATUS_SCRIPT, ""), page.context))
        context["og"]["image"] = og_image(site, page, context, files)
        html = render_template(site.environments[page.lang], page.template, context, site.config.root, problems)
        if html is not None:
            files[page.output_path] = html.encode("utf-8")
    for name, (template, context) in root_pages(site, files).items():
        html = render_template(site.environments[site.config.default_language], template, context, site.config.root,
                               problems)
        if html is not None:
            files[name] = html.encode("utf-8")
    _fail_on(problems, options)
    return files


def not_found_words(site: LoadedSite, lang: str) -> dict[str, str]:
    """The title, message and home link of a language's 404 page, read from the blocks of its template."""
    template = site.environments[lang].get_template("404.html")
    context = template.new_context({"lang": lang, "site_title": site.config.title})
    return {key: "".join(template.blocks[block](context)).strip()
            for key, block in (("title", "title"), ("text", "message"), ("home", "home"))}


def root_pages(site: LoadedSite, files: dict[str, bytes]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The root language choice and the root 404, each in every language: templates and values."""
    config, default = site.config, site.config.default_language
    intro = N_("Free film-education programmes for filmmakers and activists from Central Asia.")
    choices = [{"code": c, "name": own_name(c), "url": f"/{c}/", "intro": site.languages[c]._(intro)}
               for c in config.languages]
    common = {"lang": default, "site_title": config.title, "canonical": config.url("/"), "x_default": config.url("/"),
              "alternates": [{"lang": c, "href": config.url(f"/{c}/")} for c in config.languages], **asset_urls(site)}
    root = {**common, "choices": choices, "noindex": False, "description": choices[0]["intro"] if choices else "",
            "og": {"image": card_image(site, default, config.title, files)}}
    messages = [{"code": c, **not_found_words(site, c)} for c in config.languages]
    not_found = {**common, "messages": messages, "noindex": True}
    return {"index.html": ("root.html", root), "404.html": ("root_404.html", not_found)}


def news_and_status(site: LoadedSite, options: Options) -> tuple[dict[str, bytes], str | None]:
    """The news feeds and ``status.json``, with the next moment an open call changes state."""
    files = news_feeds(site.content, site.config, site.languages, options.now)
    report = status_report(list(site.content.editions.values()), options.now, site.config.timezone,
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
        site.problems.extend(unextracted(root))
        _warn_unrecorded(site, calendars.changed)
        _fail_on(site.problems, options)
    elif calendars.changed and not options.record_state:
        _refuse_unrecorded(site, calendars.changed)
        _fail_on(site.problems, options)
    if write:
        write_site(files, site.config.output_path)
        save_state(site.config.root, calendars.state)
    counts = Counter(page.lang for page in pages)
    return BuildResult(files, pages, site.problems, time.perf_counter() - started, counts, next_change)
