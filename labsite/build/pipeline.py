"""The steps of a build, in the order they run: load and select, assemble the pages, render them."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError

from ..i18n.bundle import LOCALES_DIR, N_, CompiledTemplates, load_translations, make_environment
from ..i18n.translation import translation_problems, translation_states
from ..load.assets import Assets, load_assets
from ..load.cache import BuildCache
from ..load.config import SiteConfig, load_config
from ..load.images import Picture, make_pictures
from ..load.paths import check_links
from ..load.reading import ContentRead, read_content
from ..load.workers import MIN_PAGES, fork_map
from ..model.items import Content
from ..model.problems import BuildFailed, Problem, Problems
from ..model.publish import select_published
from ..outputs import atom, ics, links, search, sitemap, status
from ..outputs.cards import Cards, Known
from ..outputs.html import TEMPLATES_DIR, block_text, check_templates, language_links, render_template
from ..outputs.kind import Given, Made, OutputKind, Stop
from ..outputs.spool import Spool
from ..present.head import STATUS_SCRIPT, head_context
from ..present.pages import CardMemo, OutputPage, site_pages
from ..present.search import SEARCH_SCRIPT
from ..present.views import Language, Views, make_language, own_name
from .options import Options

#: Every kind of output made from the whole site, in the order they are made, after the pages are rendered.
#: A new kind (a search index, say) is one module in ``labsite/outputs/`` with an ``OUTPUT`` and one entry here.
OUTPUTS: tuple[OutputKind, ...] = (ics.OUTPUT, sitemap.OUTPUT, atom.OUTPUT, status.OUTPUT, search.OUTPUT, links.OUTPUT)

#: One output kind's result in a build, with what it was made from (see :meth:`OutputKind.reads`).
Output = tuple[object, Made]


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
    #: The content's pictures by source file, and their variants as output files.
    media: dict[str, Picture] = field(default_factory=dict)
    media_files: dict[str, bytes] = field(default_factory=dict)
    #: What reading ``content/`` found, for the next rebuild to read only the files that changed.
    read: ContentRead | None = None


def load_site(root: Path, options: Options, unchanged: LoadedSite | None = None,
              cache: BuildCache | None = None, previous: LoadedSite | None = None,
              changed: frozenset[str] | None = None) -> LoadedSite:
    """Read settings, content, catalogues, templates and static files; raise :class:`BuildFailed` on errors.

    ``unchanged`` is a site loaded before whose catalogues, templates and static files have not changed
    since (the preview's rebuilds after a content edit): they are kept rather than read and compiled again.
    ``previous`` is the site loaded before the ``changed`` files: of ``content/``, only what changed is read again.
    """
    problems = Problems()
    config = load_config(root, problems)
    if problems.errors:  # with wrong settings (languages, say) every other file would be judged wrongly
        raise BuildFailed(problems)
    check_links(root, problems)
    read = read_content(config, problems, cache, options.jobs, previous.read if previous else None, changed)
    content = read.content
    if unchanged is not None and unchanged.config == config:
        languages, environments, assets = unchanged.languages, unchanged.environments, unchanged.assets
        problems.extend(p for p in unchanged.problems if p.path.startswith((f"{LOCALES_DIR}/", f"{TEMPLATES_DIR}/")))
    else:
        languages, environments = {}, {}
        compiled = CompiledTemplates(cache)
        for code in config.languages:
            translations = load_translations(root, code, problems)
            languages[code] = make_language(code, config, translations)
            environments[code] = make_environment(root / TEMPLATES_DIR, translations, compiled)
        if environments:
            check_templates(next(iter(environments.values())), root, problems)
            if cache is not None:
                cache.flush()
        assets = load_assets(root)
    fail_on(problems, options)
    today = options.now.astimezone(config.tz).date()
    content = select_published(content, today, options.drafts, problems)
    problems.extend(translation_problems(translation_states(content, config.languages)))
    media, media_files = make_pictures(root, content.images(), problems)
    return LoadedSite(config, content, languages, environments, assets, tuple(problems), media, media_files, read)


def fail_on(problems: Sequence[Problem], options: Options) -> None:
    """Stop when there are errors, or warnings in strict mode."""
    if any(p.is_error for p in problems) or (options.strict and problems):
        raise BuildFailed(problems)


def assemble(site: LoadedSite, options: Options, kept: CardMemo | None = None,
             made: CardMemo | None = None) -> list[OutputPage]:
    """Every page in every language (the article cards of the previous build ``kept``, this one's ``made``)."""
    pages: list[OutputPage] = []
    for language in site.languages.values():
        views = Views(site.content, site.config, language, options.now, site.media)
        pages.extend(site_pages(site.content, views, kept, made))
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
            "wordmark_url": urls.get("wordmark.svg", ""), "faq_script": urls.get("faq.js", ""),
            "search_script": urls.get(SEARCH_SCRIPT, "")}


#: Where a page's own picture is in its values, by template: (value, key of the picture).
OWN_PICTURE = {"edition.html": ("edition", "image"), "lab.html": ("lab", "image"),
               "person.html": ("person", "photo"), "article.html": ("article", "image")}


def og_image(site: LoadedSite, page: OutputPage, context: dict[str, Any], cards: Cards) -> dict[str, Any]:
    """The page's og:image: its own picture, else a card with its title in its language (added to ``cards``)."""
    where = OWN_PICTURE.get(page.template)
    picture = (page.context.get(where[0]) or {}).get(where[1]) if where else None
    if picture:
        largest = picture["og"]
        return {"url": site.config.url(largest.url), "width": largest.width, "height": largest.height,
                "alt": picture["alt"]}
    try:
        template = site.environments[page.lang].get_template(page.template)
        title = block_text(template, "title", context) or site.config.title
    except (TemplateError, KeyError):  # a missing or broken template is reported where the page is rendered
        title = site.config.title
    return card_image(site, page.lang, title, cards)


def card_image(site: LoadedSite, lang: str, title: str, cards: Cards) -> dict[str, Any]:
    """A generated card with ``title`` as the og:image, added to ``cards``."""
    path = cards.card(title, site.languages[lang]._("Free film labs for Central Asia"), site.config.title)
    return {"url": site.config.url(f"/{path}"), "width": 1200, "height": 630, "alt": title}


def page_contexts(site: LoadedSite, pages: list[OutputPage], menus: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Everything each page's template receives besides its head tags, by output path (menus: :func:`menu_pages`)."""
    return {page.output_path: {**common_context(site, page, menus[page.lang]), **page.context} for page in pages}


def shared_values(site: LoadedSite, menus: dict[str, Any]) -> dict[str, object]:
    """Per language, what :func:`common_context` makes a page's common values of besides its route and draft state."""
    config = site.config
    return {code: (menus[code], [language.name_of(other) for other in config.languages], asset_urls(site), config)
            for code, language in site.languages.items()}


#: A file a worker made: its bytes, or its size when the worker wrote it into the build's :class:`Spool` itself.
Rendered = bytes | int


def render_pages(site: LoadedSite, pages: list[OutputPage], contexts: dict[str, dict[str, Any]],
                 options: Options, into: MutableMapping[str, bytes] | None = None,
                 known: Known | None = None) -> MutableMapping[str, bytes]:
    """Render the given pages (with their ``contexts``), the root pages, the static files and the pictures, into
    ``into`` (a new dict by default; into a :class:`Spool`, each worker writes its pages to disk itself), with the
    og:image cards ``known`` finds made before (see :class:`Cards`)."""
    files: MutableMapping[str, bytes] = {} if into is None else into
    files.update(site.assets.files)
    files.update(site.media_files)
    spool = files if isinstance(files, Spool) else None
    problems = Problems()

    def keep(rel: str, data: bytes | Path) -> Rendered:
        """A file (bytes, or a card of the previous site) as it goes back to the parent: spooled (its size), or bytes."""
        if spool is None:
            return data if isinstance(data, bytes) else data.read_bytes()
        return spool.store(rel, data) if isinstance(data, bytes) else spool.adopt(rel, data)

    def render(page: OutputPage) -> tuple[Rendered | None, list[Problem], dict[str, Rendered]]:
        """One page (``None`` when its template failed), the problems found, and its og:image card."""
        found = Problems()
        cards = Cards(known)
        context = dict(contexts[page.output_path])
        context.update(head_context(page.template, context, site.content, site.config, site.languages[page.lang],
                                    site.assets.urls.get(STATUS_SCRIPT, ""), page.context))
        context["og"]["image"] = og_image(site, page, context, cards)
        html = render_template(site.environments[page.lang], page.template, context, site.config.root, found)
        made = {path: keep(path, drawn) for path, drawn in cards.made.items()}
        return (None if html is None else keep(page.output_path, html.encode("utf-8"))), list(found), made

    cores = options.jobs if len(pages) >= MIN_PAGES else 1  # forked workers: results come in the pages' order
    for page, (data, found, made) in zip(pages, fork_map(render, pages, cores), strict=True):
        problems.extend(found)
        for path, value in made.items():
            _take(files, path, value)
        if data is not None:
            _take(files, page.output_path, data)
    cards = Cards(known)
    for name, (template, context) in root_pages(site, cards).items():
        html = render_template(site.environments[site.config.default_language], template, context, site.config.root,
                               problems)
        if html is not None:
            _take(files, name, keep(name, html.encode("utf-8")))
    for path, drawn in cards.made.items():
        _take(files, path, keep(path, drawn))
    fail_on([*site.problems, *problems], options)
    return files


def _take(files: MutableMapping[str, bytes], rel: str, value: Rendered) -> None:
    """Count a file a worker made among ``files``: its bytes, or its size when it is in the spool already."""
    if isinstance(value, int):
        assert isinstance(files, Spool)
        files.add(rel, value)
    else:
        files[rel] = value


def not_found_words(site: LoadedSite, lang: str) -> dict[str, str]:
    """The title, message and home link of a language's 404 page, read from the blocks of its template."""
    try:
        template = site.environments[lang].get_template("404.html")
        values = {"lang": lang, "site_title": site.config.title}
        return {key: block_text(template, block, values)
                for key, block in (("title", "title"), ("text", "message"), ("home", "home"))}
    except (TemplateError, KeyError):  # reported where the language's 404 page is rendered
        return {"title": "404", "text": "", "home": site.config.title}


def root_pages(site: LoadedSite, cards: Cards) -> dict[str, tuple[str, dict[str, Any]]]:
    """The root language choice and the root 404, each in every language: templates and values."""
    config, default = site.config, site.config.default_language
    intro = N_("Free film-education programmes for filmmakers and activists from Central Asia.")
    choices = [{"code": c, "name": own_name(c), "url": f"/{c}/", "intro": site.languages[c]._(intro)}
               for c in config.languages]
    common = {"lang": default, "site_title": config.title, "canonical": config.url("/"), "x_default": config.url("/"),
              "alternates": [{"lang": c, "href": config.url(f"/{c}/")} for c in config.languages], **asset_urls(site)}
    root = {**common, "choices": choices, "noindex": False, "description": choices[0]["intro"] if choices else "",
            "og": {"image": card_image(site, default, config.title, cards)}}
    messages = [{"code": c, **not_found_words(site, c)} for c in config.languages]
    not_found = {**common, "messages": messages, "noindex": True}
    return {"index.html": ("root.html", root), "404.html": ("root_404.html", not_found)}


def site_outputs(site: LoadedSite, pages: Sequence[OutputPage], rendered: Mapping[str, bytes], options: Options,
                 previous: Mapping[str, Output], cache: BuildCache | None = None,
                 only: frozenset[str] | None = None, later: frozenset[str] = frozenset(),
                 stop: Stop | None = None) -> dict[str, Output]:
    """Every output kind's files (those in ``only``, none in ``later``; ``stop``: :attr:`Given.stop`), by kind: made
    anew, or the ``previous`` build's where what they read is the same, or unchecked as ``options.deferred`` says."""
    given = Given(site.content, site.config, site.languages, pages, options.now, options.drafts, rendered, cache, stop)
    outputs: dict[str, Output] = {}
    problems: list[Problem] = []
    for kind in OUTPUTS:
        old = previous.get(kind.name)
        if (only is not None and kind.name not in only) or kind.name in later:
            continue
        if old is not None and kind.name in options.deferred:
            outputs[kind.name] = old
            continue
        reads = kind.reads(given)
        if reads is not None and old is not None and old[0] == reads:
            outputs[kind.name] = old
        else:
            made = kind.make(given, reads)
            problems.extend(made.problems)
            outputs[kind.name] = (reads, made)
    fail_on([*site.problems, *problems], options)
    return outputs
