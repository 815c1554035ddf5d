"""``sitemap.xml`` with every page and its language alternates, and ``robots.txt`` pointing at it."""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from ..load.config import SiteConfig
from ..present.pages import OutputPage
from .kind import Given, Made

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
#: Routes that are not pages a search engine should list.
UNLISTED = frozenset({"404.html"})


def alternates(config: SiteConfig, route: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for a route in every language, then ``x-default``: the root language choice."""
    pairs = [(code, config.url(f"/{code}/{route}")) for code in config.languages]
    return [*pairs, ("x-default", config.url("/"))]


def listed_routes(pages: Iterable[OutputPage]) -> list[str]:
    """The routes of the published pages, once each, in build order."""
    routes: dict[str, None] = {}
    drafts = {page.route for page in pages if page.draft}
    for page in pages:
        if page.route not in UNLISTED and page.route not in drafts:
            routes.setdefault(page.route, None)
    return list(routes)


def sitemap_xml(pages: Iterable[OutputPage], config: SiteConfig) -> bytes:
    """The sitemap: the root language choice and each page in each language, with its alternates."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    root_alternates = [(code, config.url(f"/{code}/")) for code in config.languages] + [("x-default", config.url("/"))]
    entries: list[tuple[str, list[tuple[str, str]]]] = [(config.url("/"), root_alternates)]
    for route in listed_routes(pages):
        pairs = alternates(config, route)
        entries += [(config.url(f"/{code}/{route}"), pairs) for code in config.languages]
    for loc, pairs in entries:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
        for hreflang, href in pairs:
            ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(config: SiteConfig, drafts: bool) -> bytes:
    """Crawling rules: everything, with the sitemap's address; nothing for a preview built with drafts."""
    rule = "Disallow: /" if drafts else "Allow: /"
    return f"User-agent: *\n{rule}\n\nSitemap: {config.url('/' + SITEMAP_FILE)}\n".encode()


def sitemap_files(pages: Iterable[OutputPage], config: SiteConfig, drafts: bool) -> dict[str, bytes]:
    """``sitemap.xml`` and ``robots.txt``, by output path."""
    pages = list(pages)
    return {SITEMAP_FILE: sitemap_xml(pages, config), ROBOTS_FILE: robots_txt(config, drafts)}


class SitemapOutput:
    """``sitemap.xml`` and ``robots.txt``, as an output kind."""

    name = "sitemap"

    def reads(self, given: Given) -> object:
        """The settings, whether drafts are shown, and which pages there are."""
        return given.config, given.drafts, [(page.route, page.lang, page.draft) for page in given.pages]

    def make(self, given: Given, reads: object = None) -> Made:
        """Both files."""
        return Made(sitemap_files(given.pages, given.config, given.drafts))


OUTPUT = SitemapOutput()
