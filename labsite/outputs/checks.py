"""Checks of the built output, in memory: internal links and anchors, hreflang sets, the sitemap."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

from ..load.config import SiteConfig
from ..model.problems import Problems
from .sitemap import SITEMAP_FILE, SITEMAP_NS, XHTML_NS

#: The attributes that point at another address, per element.
LINK_ATTRS = {"a": "href", "area": "href", "link": "href", "script": "src", "img": "src", "iframe": "src",
              "source": "src", "form": "action", "video": "src", "audio": "src"}
#: Elements whose address the browser loads by itself (a request to another host would slow the page).
LOADED = {"script", "img", "iframe", "source", "video", "audio"}
LOADED_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}
SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "sms"}
#: The most a page may weigh with its own CSS and JavaScript, before compression (images excluded).
PAGE_BUDGET = 60 * 1024


@dataclass(frozen=True)
class Ref:
    """One address written in a page, with the line it is on."""

    tag: str
    url: str
    line: int
    rel: str = ""
    hreflang: str = ""


@dataclass
class PageFacts:
    """What the checks need to know about one built page."""

    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    #: The text of each JSON-LD block, with the line it starts on.
    json_ld: list[tuple[int, str]] = field(default_factory=list)


class _Collector(HTMLParser):
    """Collects the ids and addresses of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.facts.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.facts.ids.add(values["name"])
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.facts.json_ld.append((self.getpos()[0], ""))
        attr = LINK_ATTRS.get(tag)
        if attr and attr in values:
            self.facts.refs.append(Ref(tag, values[attr].strip(), self.getpos()[0],
                                       values.get("rel", "").lower(), values.get("hreflang", "")))


    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            line, text = self.facts.json_ld[-1]
            self.facts.json_ld[-1] = (line, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False


def page_facts(html: bytes) -> PageFacts:
    """Parse one page."""
    collector = _Collector()
    collector.feed(html.decode("utf-8", errors="replace"))
    collector.close()
    return collector.facts


def page_url(path: str) -> str:
    """The site path a file is served at: ``en/labs/index.html`` → ``/en/labs/``."""
    return "/" + (path[: -len("index.html")] if path.endswith("index.html") else path)


class OutputChecker:
    """Resolves addresses against the built files and records what does not resolve."""

    def __init__(self, files: Mapping[str, bytes], config: SiteConfig) -> None:
        self.files, self.config = files, config
        base = urlsplit(config.base_url)
        self.host, self.prefix = base.netloc.lower(), base.path.rstrip("/")
        self.facts = {p: page_facts(data) for p, data in files.items() if p.endswith(".html")}
        #: The top-level names the build writes; absolute addresses elsewhere on the host are not ours.
        self.owned = {p.split("/")[0] for p in files} | {""}
        self.problems = Problems()

    def site_path(self, url: str, page: str) -> tuple[str, str] | None:
        """The site path and fragment an address leads to, or ``None`` when it leads off the site."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in SKIPPED_SCHEMES:
            return None
        if parts.netloc:
            if parts.netloc.lower() != self.host or scheme not in ("", "http", "https", "webcal"):
                return None
            path = parts.path
            if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
                path = path[len(self.prefix):] or "/"
            elif self.prefix:
                return None
            if path.lstrip("/").split("/")[0] not in self.owned:
                return None  # another application on the same host, such as an application form
        elif scheme:
            return None
        else:
            path = urljoin(page_url(page), parts.path) if parts.path else page_url(page)
        return unquote(path), unquote(parts.fragment)

    def target(self, path: str) -> str | None:
        """The built file a site path serves, if any (``/x`` is served by ``x/index.html`` too)."""
        rel = path.lstrip("/")
        candidates = [rel + "index.html"] if rel == "" or rel.endswith("/") else [rel, rel + "/index.html"]
        return next((c for c in candidates if c in self.files), None)

    def is_external(self, url: str) -> bool:
        """Whether an address names another host."""
        parts = urlsplit(url)
        return bool(parts.netloc) and parts.netloc.lower() != self.host

    def check_links(self) -> None:
        """Every internal link, anchor and loaded resource of every page."""
        for page, facts in sorted(self.facts.items()):
            for ref in facts.refs:
                loaded = ref.tag in LOADED or (ref.tag == "link" and LOADED_RELS & set(ref.rel.split()))
                if loaded and self.is_external(ref.url):
                    self.problems.error(page, ref.line, f"<{ref.tag}> loads {ref.url} from another host",
                                        "Serve the file from static/ so that the page needs no other host.")
                    continue
                self.check_ref(page, ref)

    def check_ref(self, page: str, ref: Ref) -> None:
        """One address: its page must exist and its #anchor must be an id there."""
        if not ref.url:
            return
        resolved = self.site_path(ref.url, page)
        if resolved is None:
            return
        path, fragment = resolved
        target = self.target(path)
        if target is None:
            self.problems.error(page, ref.line, f"<{ref.tag}> links to {ref.url}, which is not in the built site",
                                "Fix the address, or add the page it should lead to.")
            return
        if fragment and fragment != "top" and target in self.facts and fragment not in self.facts[target].ids:
            self.problems.error(page, ref.line, f"<{ref.tag}> links to {ref.url}, but {target} has no id '{fragment}'",
                                "Link to an id that the page has, or give the element that id.")

    def alternates(self, page: str) -> dict[str, str]:
        """A page's hreflang set: language code → the built file it points at (or the address, if none)."""
        result: dict[str, str] = {}
        for ref in self.facts[page].refs:
            if ref.tag == "link" and ref.hreflang and "alternate" in ref.rel.split():
                resolved = self.site_path(ref.url, page)
                found = self.target(resolved[0]) if resolved else None
                result[ref.hreflang] = found or ref.url
        return result

    def canonical(self, page: str) -> str | None:
        """The built file a page names as its canonical address, if any."""
        for ref in self.facts[page].refs:
            if ref.tag == "link" and "canonical" in ref.rel.split():
                resolved = self.site_path(ref.url, page)
                return self.target(resolved[0]) if resolved else None
        return None

    def check_hreflang(self) -> None:
        """Each hreflang set names the page itself and x-default, and each page it names names it back."""
        for page in sorted(self.facts):
            own = self.alternates(page)
            if not own or self.canonical(page) not in (None, page):
                continue  # no set, or a copy of another page (the root 404.html)
            line = next((r.line for r in self.facts[page].refs if r.hreflang and r.tag == "link"), 0)
            if "x-default" not in own:
                self.problems.error(page, line, "the hreflang alternates have no x-default",
                                    "Add <link rel=\"alternate\" hreflang=\"x-default\" …>.")
            if page not in own.values():
                self.problems.error(page, line, "the hreflang alternates do not include the page itself")
            for code, other in sorted(own.items()):
                if other not in self.facts:
                    self.problems.error(page, line, f"hreflang {code} points at {other}, which is not in the built site")
                elif code != "x-default" and other != page and page not in self.alternates(other).values():
                    self.problems.error(page, line, f"hreflang {code} points at {other}, which does not point back",
                                        "Every language version must list every other one.")

    def weight(self, page: str) -> int:
        """The bytes of a page plus the style sheets and scripts it loads from the site."""
        total = len(self.files[page])
        for ref in self.facts[page].refs:
            if ref.tag == "script" or (ref.tag == "link" and "stylesheet" in ref.rel.split()):
                resolved = self.site_path(ref.url, page)
                found = self.target(resolved[0]) if resolved else None
                total += len(self.files[found]) if found else 0
        return total

    def check_json_ld(self) -> None:
        """Every JSON-LD block parses as JSON."""
        for page, facts in sorted(self.facts.items()):
            for line, text in facts.json_ld:
                try:
                    json.loads(text)
                except ValueError as exc:
                    self.problems.error(page, line, f"the JSON-LD block is not valid JSON: {exc}",
                                        "Check labsite/structured.py and the values it is given.")

    def check_weight(self) -> None:
        """Every page with its CSS and JavaScript stays within the budget for phones on slow connections."""
        for page in sorted(self.facts):
            weight = self.weight(page)
            if weight > PAGE_BUDGET:
                self.problems.error(page, 0, f"the page weighs {weight / 1024:.1f} KB with its CSS and JavaScript "
                                    f"(the budget is {PAGE_BUDGET // 1024} KB)",
                                    "Split the page, or make its style sheet or scripts smaller.")

    def check_sitemap(self) -> None:
        """Every address in the sitemap is a built page."""
        data = self.files.get(SITEMAP_FILE)
        if data is None:
            return
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            self.problems.error(SITEMAP_FILE, exc.position[0], f"the sitemap is not well-formed XML: {exc}")
            return
        urls = [(e.text or "").strip() for e in root.iter(f"{{{SITEMAP_NS}}}loc")]
        urls += [e.get("href", "") for e in root.iter(f"{{{XHTML_NS}}}link")]
        for url in sorted(set(urls)):
            resolved = self.site_path(url, "")
            if resolved is None or urlsplit(url).netloc == "":
                self.problems.error(SITEMAP_FILE, 0, f"{url} is not an absolute address on {self.config.base_url}")
            elif self.target(resolved[0]) is None:
                self.problems.error(SITEMAP_FILE, 0, f"{url} is listed but not in the built site")


def page_weights(files: Mapping[str, bytes], config: SiteConfig) -> dict[str, int]:
    """Each HTML page's weight with its CSS and JavaScript, in bytes."""
    checker = OutputChecker(files, config)
    return {page: checker.weight(page) for page in sorted(checker.facts)}


def check_output(files: Mapping[str, bytes], config: SiteConfig) -> Problems:
    """Everything ``build.py check`` verifies in the rendered output, as located problems."""
    checker = OutputChecker(files, config)
    checker.check_links()
    checker.check_hreflang()
    checker.check_sitemap()
    checker.check_json_ld()
    checker.check_weight()
    return checker.problems
