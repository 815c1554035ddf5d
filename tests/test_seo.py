"""What search engines, feed readers and slow phones get: JSON-LD, social tags, sitemap, robots, Atom,
status.json, and the checks of the built output made by ``build.py check``."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from labsite.load.config import SiteConfig
from labsite.outputs.checks import PAGE_BUDGET, check_output, page_weights
from labsite.present.structured import script_json
from tests.conftest import copy_site, run_build

NOW = "2025-08-01"
LANGS = ("kk", "ru", "en")
BASE = "https://labs.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
EDITION = "labs/impact-lab/2025/index.html"


class Head(HTMLParser):
    """Collects a page's meta and link tags, script blocks and status badges."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.badges: list[dict[str, str]] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.meta.append(values)
        elif tag == "link":
            self.links.append(values)
        elif tag == "script":
            self._script = values
            self.scripts.append((values, ""))
        elif "data-closes" in values:
            self.badges.append(values)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def prop(self, name: str) -> list[str]:
        """The values of a meta property (or name)."""
        return [m["content"] for m in self.meta if m.get("property", m.get("name")) == name]

    def json_ld(self) -> list[dict]:
        """Every JSON-LD block, parsed."""
        return [json.loads(text) for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]


def head(path: Path) -> Head:
    """Parse one built page."""
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def graph(path: Path) -> dict[str, dict]:
    """The JSON-LD nodes of a page by @type (one block per page, holding an @graph)."""
    blocks = head(path).json_ld()
    assert len(blocks) == 1
    assert blocks[0]["@context"] == "https://schema.org"
    return {node["@type"]: node for node in blocks[0]["@graph"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built on NOW (once for this module: the tests only read it); the output folder."""
    site = copy_site("valid", tmp_path_factory.mktemp("built") / "site")
    result = run_build(site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    return site / "_site"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built with drafts and future items (a preview); the output folder."""
    site = copy_site("valid", tmp_path_factory.mktemp("preview") / "site")
    result = run_build(site, "--now", NOW, "--drafts")
    assert result.returncode == 0, result.stderr
    return site / "_site"


def html_pages(site: Path) -> list[Path]:
    """Every built HTML page."""
    return sorted(site.rglob("*.html"))


# --- JSON-LD ----------------------------------------------------------------------------------------

def test_every_page_has_one_json_ld_block_in_its_language(built: Path) -> None:
    for lang in LANGS:
        for path in html_pages(built / lang):
            nodes = graph(path)
            page = next(n for n in nodes.values() if "url" in n and n.get("@id") == n["url"])
            assert page["inLanguage"] == lang, path


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_describes_the_organisation(built: Path, lang: str) -> None:
    nodes = graph(built / lang / "index.html")
    assert nodes["Organization"]["name"] == "Sample Labs"
    assert nodes["Organization"]["url"] == f"{BASE}/"
    assert nodes["WebPage"]["about"] == {"@id": nodes["Organization"]["@id"]}


@pytest.mark.parametrize("lang", LANGS)
def test_edition_is_an_education_event_with_dates_place_and_status(built: Path, lang: str) -> None:
    nodes = graph(built / lang / EDITION)
    event = nodes["EducationEvent"]
    assert event["inLanguage"] == lang
    assert event["startDate"] == "2025-07-01"
    assert "endDate" not in event  # the sample edition is open-ended
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"] == {"@type": "VirtualLocation", "url": f"{BASE}/{lang}/labs/impact-lab/2025/"}
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["organizer"] == {"@id": nodes["Organization"]["@id"]}
    crumbs = nodes["BreadcrumbList"]
    assert crumbs["inLanguage"] == lang
    assert [i["item"] for i in crumbs["itemListElement"]] == [
        f"{BASE}/{lang}/labs/", f"{BASE}/{lang}/labs/impact-lab/", f"{BASE}/{lang}/labs/impact-lab/2025/"]


def test_in_person_edition_has_a_place_and_dates_at_the_precision_known(preview: Path) -> None:
    event = graph(preview / "en" / "labs/impact-lab/2024/index.html")["EducationEvent"]
    assert event["startDate"] == "2024-09-26" and event["endDate"] == "2024-10-01"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["address"]["addressCountry"] == "KG"


@pytest.mark.parametrize("lang", LANGS)
def test_person_page_is_a_profile_of_a_person(built: Path, lang: str) -> None:
    nodes = graph(built / lang / "people/jane-doe/index.html")
    person = nodes["ProfilePage"]["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == ("Jane Doe" if lang == "en" else "Джейн Доу")
    assert nodes["ProfilePage"]["inLanguage"] == lang
    assert nodes["BreadcrumbList"]["itemListElement"][0]["item"] == f"{BASE}/{lang}/people/"


class Microdata(HTMLParser):
    """Collects schema.org microdata items: each itemscope with its itemprops (text values as read)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []
        self._stack: list[tuple[str, dict | None, str | None]] = []  # (tag, item opened here, property read here)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        item = {"@type": values["itemtype"], "@prop": values.get("itemprop")} if "itemscope" in values else None
        if item is not None:
            parent = next((i for _, i, _ in reversed(self._stack) if i is not None), None)
            (parent.setdefault(item["@prop"], []) if parent else self.items).append(item)
        prop = values.get("itemprop") if item is None else None
        if prop:
            owner = next(i for _, i, _ in reversed(self._stack) if i is not None)
            owner[prop] = ""
        if tag not in ("meta", "link", "br", "img", "hr", "source", "input", "wbr"):
            self._stack.append((tag, item, prop))

    def handle_data(self, data: str) -> None:
        for _, _, prop in reversed(self._stack):
            if prop:
                owner = next(i for _, i, _ in reversed(self._stack) if i is not None)
                owner[prop] += data
                break

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()


def test_faq_page_lists_questions_with_answers(built: Path) -> None:
    parser = Microdata()
    parser.feed((built / "en" / "faq/index.html").read_text(encoding="utf-8"))
    page, = parser.items
    assert page["@type"] == "https://schema.org/FAQPage"
    questions = page["mainEntity"]
    assert "Who can apply?" in [q["name"].strip() for q in questions]
    assert all(q["@type"] == "https://schema.org/Question" and q["acceptedAnswer"][0]["text"].strip() for q in questions)
    assert "FAQPage" not in graph(built / "en" / "faq/index.html")  # the answers are not sent twice


def test_script_json_cannot_close_its_script_element() -> None:
    value = {"title": "</script><script>alert(1)</script> & <!--"}
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


# --- Open Graph, Twitter, feed link -------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "locale"), [("kk", "kk_KZ"), ("ru", "ru_RU"), ("en", "en_US")])
def test_open_graph_and_twitter_tags(built: Path, lang: str, locale: str) -> None:
    page = head(built / lang / EDITION)
    assert page.prop("og:locale") == [locale]
    assert sorted(page.prop("og:locale:alternate")) == sorted({"kk_KZ", "ru_RU", "en_US"} - {locale})
    assert page.prop("og:url") == [f"{BASE}/{lang}/labs/impact-lab/2025/"]
    title = (built / lang / EDITION).read_text(encoding="utf-8").split("<title>")[1].split(" — ")[0]
    assert page.prop("og:title") == [title] == page.prop("twitter:title")
    assert page.prop("og:description") and page.prop("og:description")[0].strip()
    assert page.prop("twitter:card") == ["summary_large_image"]
    image = page.prop("og:image")[0]
    assert image.startswith(f"{BASE}/og/") and image.endswith(".png") and page.prop("twitter:image") == [image]
    assert (built / image.removeprefix(BASE + "/")).read_bytes().startswith(b"\x89PNG")
    assert page.prop("og:image:width") == ["1200"] and page.prop("og:image:height") == ["630"]
    feeds = [link for link in page.links if link.get("type") == "application/atom+xml"]
    assert [f["href"] for f in feeds] == [f"/{lang}/news/atom.xml"]


# --- sitemap and robots -------------------------------------------------------------------------------

def sitemap(site: Path) -> dict[str, dict[str, str]]:
    """Each sitemap URL with its alternates (hreflang → URL)."""
    root = ET.parse(site / "sitemap.xml").getroot()
    return {u.findtext(f"{SM}loc"): {link.get("hreflang"): link.get("href") for link in u.iter(f"{XHTML}link")}
            for u in root.iter(f"{SM}url")}


def url_of(site: Path, path: Path) -> str:
    """The public URL of a built file."""
    rel = path.relative_to(site).as_posix()
    return f"{BASE}/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def test_sitemap_lists_every_page_with_reciprocal_alternates(built: Path) -> None:
    entries = sitemap(built)
    pages = {url_of(built, p) for p in html_pages(built) if p.name != "404.html"}
    assert set(entries) == pages
    for url, alternates in entries.items():
        assert set(alternates) == {*LANGS, "x-default"}, url
        assert url in alternates.values() or url == f"{BASE}/", url
        for code in LANGS:
            assert entries[alternates[code]] == alternates, (url, code)


def test_sitemap_leaves_out_drafts_even_in_a_preview(preview: Path) -> None:
    assert (preview / "en/labs/impact-lab/2024/index.html").exists()
    assert not [url for url in sitemap(preview) if "impact-lab/2024" in url]


def test_robots_points_at_the_sitemap(built: Path) -> None:
    robots = (built / "robots.txt").read_text()
    assert "User-agent: *" in robots and f"Sitemap: {BASE}/sitemap.xml" in robots.splitlines()
    assert "Allow: /" in robots.splitlines()


def test_a_preview_with_drafts_asks_robots_to_stay_away(preview: Path) -> None:
    assert "Disallow: /" in (preview / "robots.txt").read_text().splitlines()


# --- Atom ---------------------------------------------------------------------------------------------

def entries(site: Path, lang: str) -> list[ET.Element]:
    """The entries of a language's news feed."""
    feed = ET.parse(site / lang / "news" / "atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == f"{BASE}/{lang}/news/atom.xml"
    assert feed.findtext(f"{ATOM}updated")
    return feed.findall(f"{ATOM}entry")


@pytest.mark.parametrize("lang", LANGS)
def test_atom_feed_per_language_has_the_published_news(built: Path, lang: str) -> None:
    found = entries(built, lang)
    assert [e.findtext(f"{ATOM}id") for e in found] == [f"{BASE}/{lang}/news/open-call/"]
    entry = found[0]
    assert entry.findtext(f"{ATOM}title") == f"Open call ({lang})"
    assert entry.find(f"{ATOM}link").get("href") == f"{BASE}/{lang}/news/open-call/"
    assert entry.findtext(f"{ATOM}updated").startswith("2025-07-01T00:00:00")
    assert "<p>" in entry.findtext(f"{ATOM}content")


def test_atom_feed_never_carries_future_or_draft_news(preview: Path) -> None:
    assert (preview / "en/news/future/index.html").exists()  # the preview shows it on the site…
    for lang in LANGS:
        ids = [e.findtext(f"{ATOM}id") for e in entries(preview, lang)]
        assert not [i for i in ids if "future" in i]  # …but never in a feed


# --- open-call status ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "expected"), [
    ("2025-06-01", "2025-07-01T00:00:00+05:00"),   # the call opens
    ("2025-08-01", "2025-09-16T00:00:00+05:00"),   # closing soon: 14 days before the deadline
    ("2025-09-20", "2025-09-30T23:59:01+05:00"),   # just after the deadline
    ("2025-10-05", None),
])
def test_status_json_holds_the_next_change(sample_site: Path, build, now: str, expected: str | None) -> None:
    result = build(sample_site, "--now", now)
    assert result.returncode == 0, result.stderr
    report = json.loads((sample_site / "_site" / "status.json").read_text())
    assert report["next_change"] == expected
    assert report["calls"]["impact-lab/2025"]["closes"] == "2025-09-30T23:59:00+05:00"
    summary = result.stdout.strip().splitlines()[-1]
    assert (f"next open-call status change {expected}" in summary) == (expected is not None)


def test_badges_carry_what_the_script_needs(built: Path) -> None:
    page = head(built / "ru" / EDITION)
    badge = page.badges[0]
    assert badge["data-opens"] == "2025-07-01T00:00:00+05:00"
    assert badge["data-closes"] == "2025-09-30T23:59:00+05:00"
    assert badge["data-upcoming"] and badge["data-closed"]
    texts = json.loads(next(t for a, t in page.scripts if a.get("id") == "status-texts"))
    assert texts["lang"] == "ru" and texts["soonDays"] == 14
    assert set(texts["days"]) == {"one", "few", "many"}  # Russian's CLDR categories for whole numbers
    assert all("{count}" in text for text in texts["days"].values())
    assert len(set(texts["days"].values())) == 3
    scripts = [a["src"] for a, _ in page.scripts if a.get("src")]
    assert len(scripts) == 1 and re.fullmatch(r"/static/status\.[0-9a-f]{10}\.js", scripts[0])
    assert (built / scripts[0].lstrip("/")).exists()
    assert "defer" in next(a for a, _ in page.scripts if a.get("src"))


# --- build.py check -----------------------------------------------------------------------------------

def test_check_passes_on_the_sample_site_and_writes_nothing(sample_site: Path, build) -> None:
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not (sample_site / "_site").exists()


def test_check_reports_a_broken_link_and_anchor_at_the_page(sample_site: Path, build) -> None:
    about = sample_site / "content" / "pages" / "about.en.md"
    about.write_text(about.read_text() + "\n[Gone](/en/nowhere/) and [no anchor](/en/faq/#no-such-question)\n")
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    assert re.search(r"^en/about/index\.html:\d+: error: <a> links to /en/nowhere/, which is not in the built site",
                     result.stderr, re.M), result.stderr
    assert "en/about/index.html" in result.stderr and "has no id 'no-such-question'" in result.stderr
    assert build(sample_site, "--now", NOW).returncode == 0  # a build still writes the site


CONFIG = SiteConfig(Path("."), base_url=BASE, languages=("en", "ru"))


def page(lang: str, alternates: dict[str, str], body: str = "") -> bytes:
    """A minimal built page with an hreflang set."""
    links = "".join(f'<link rel="alternate" hreflang="{k}" href="{v}">\n' for k, v in alternates.items())
    return f'<!doctype html><html lang="{lang}"><head>\n{links}</head><body>{body}</body></html>'.encode()


def test_check_finds_hreflang_sets_that_are_not_reciprocal_or_lack_x_default() -> None:
    files = {
        "index.html": page("en", {"en": f"{BASE}/en/", "x-default": f"{BASE}/"}),
        "en/index.html": page("en", {"en": f"{BASE}/en/", "ru": f"{BASE}/ru/", "x-default": f"{BASE}/"}),
        "ru/index.html": page("ru", {"ru": f"{BASE}/ru/"}),
    }
    messages = [str(p) for p in check_output(files, CONFIG)]
    assert any(m.startswith("en/index.html:") and "hreflang ru points at ru/index.html, which does not point back" in m
               for m in messages), messages
    assert any(m.startswith("ru/index.html:") and "no x-default" in m for m in messages), messages


def test_check_finds_sitemap_urls_without_a_page_and_requests_to_other_hosts() -> None:
    files = {
        "en/index.html": page("en", {"en": f"{BASE}/en/", "x-default": f"{BASE}/en/"},
                              '<script src="https://cdn.example.com/x.js"></script><a href="#main">skip</a>'),
        "sitemap.xml": (f'<urlset xmlns="{SM[1:-1]}"><url><loc>{BASE}/en/</loc></url>'
                        f'<url><loc>{BASE}/en/missing/</loc></url></urlset>').encode(),
    }
    messages = [str(p) for p in check_output(files, CONFIG)]
    assert any(m.startswith("sitemap.xml: error:") and "/en/missing/ is listed but not in the built site" in m
               for m in messages), messages
    assert any("loads https://cdn.example.com/x.js from another host" in m for m in messages), messages
    assert any("has no id 'main'" in m for m in messages), messages
    assert not any("/en/ is listed" in m for m in messages)


# --- weight -------------------------------------------------------------------------------------------

def test_every_page_with_its_css_and_js_stays_under_60_kb(built: Path) -> None:
    files = {p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    weights = page_weights(files, SiteConfig(built, base_url=BASE, languages=LANGS))
    assert len(weights) == len(html_pages(built))
    css = next(p for p in files if p.endswith(".css"))
    assert all(w > len(files[css]) for w in weights.values())  # the style sheet is counted
    assert max(weights.values()) < PAGE_BUDGET == 60 * 1024


def test_check_finds_a_json_ld_block_that_does_not_parse() -> None:
    body = '<script type="application/ld+json">{"@type": "Event",}</script>'
    files = {"en/index.html": page("en", {"en": f"{BASE}/en/", "x-default": f"{BASE}/en/"}, body)}
    messages = [str(p) for p in check_output(files, CONFIG)]
    assert any(m.startswith("en/index.html:") and "JSON-LD block is not valid JSON" in m for m in messages), messages


def test_check_fails_a_page_over_the_budget() -> None:
    files = {"en/index.html": page("en", {"en": f"{BASE}/en/", "x-default": f"{BASE}/en/"},
                                   '<link rel="stylesheet" href="/static/big.css">'),
             "static/big.css": b"a{}" * 21000}
    messages = [str(p) for p in check_output(files, CONFIG)]
    assert any(m.startswith("en/index.html: error: the page weighs") for m in messages), messages


def test_only_pages_with_a_status_load_the_status_script(built: Path) -> None:
    for rel in ("faq/index.html", "people/index.html", "news/index.html"):
        scripts = head(built / "en" / rel).scripts
        assert not [a for a, _ in scripts if "status" in a.get("src", "") or a.get("id") == "status-texts"], rel
    # the FAQ loads only the small script that opens the question a link points at
    assert [a["src"].split(".")[0] for a, _ in head(built / "en" / "faq/index.html").scripts if a.get("src")] == [
        "/static/faq"]
    # an article about an edition shows the edition with its open call
    assert any("status" in a.get("src", "") for a, _ in head(built / "en" / "news/open-call/index.html").scripts)


NODE_HARNESS = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const attrs = input.badge;
const badge = {className: attrs["class"], textContent: "", getAttribute: k => attrs[k], setAttribute: () => {}};
const apply = {hidden: false, getAttribute: k => attrs[k]};
global.document = {getElementById: () => ({textContent: input.texts}),
                   querySelectorAll: q => q.includes("accepting") ? [apply] : [badge]};
Date.now = () => input.now;
global.setInterval = () => 0;
eval(fs.readFileSync(input.script, "utf8"));
process.stdout.write(JSON.stringify({label: badge.textContent, className: badge.className, hidden: apply.hidden}));
"""


BADGE = re.compile(r'<p class="(status [^"]*)"[^>]*>([^<]*)</p>')
APPLY = re.compile(r'<p class="apply" data-when-accepting[^>]*>')


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run static/status.js outside a browser")
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_status_script_agrees_with_the_build_at_later_moments(built: Path, sample_site: Path, lang: str) -> None:
    """A page built on NOW and seen later says what a build made at that later moment says."""
    page = head(built / lang / EDITION)
    texts = next(t for a, t in page.scripts if a.get("id") == "status-texts")
    script = built / next(a["src"] for a, _ in page.scripts if a.get("src")).lstrip("/")
    badge = next(b for b in page.badges if "status" in b["class"].split())
    for moment in ("2025-06-01T12:00", "2025-08-01T00:00", "2025-09-09T10:00", "2025-09-20T10:00", "2025-09-28T10:00",
                   "2025-09-29T10:00", "2025-09-30T12:00", "2025-10-05T00:00"):
        later = run_build(sample_site, "--now", moment)
        assert later.returncode == 0, later.stderr
        html = (sample_site / "_site" / lang / EDITION).read_text(encoding="utf-8")
        (wanted_class, wanted_label), = BADGE.findall(html)
        wanted_hidden = " hidden" in APPLY.search(html).group(0)
        now = dt.datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo("Asia/Almaty"))
        data = {"badge": badge, "texts": texts, "now": now.timestamp() * 1000, "script": str(script)}
        shown = json.loads(subprocess.run(["node", "-e", NODE_HARNESS], input=json.dumps(data), text=True,
                                          capture_output=True, check=True).stdout)
        assert (shown["className"], shown["label"], shown["hidden"]) == (
            wanted_class, html_unescape(wanted_label), wanted_hidden), moment


def test_apply_link_is_there_but_hidden_outside_the_call(sample_site: Path) -> None:
    for moment, hidden in (("2025-06-01", True), ("2025-08-01", False), ("2025-10-05", True)):
        assert run_build(sample_site, "--now", moment).returncode == 0
        html = (sample_site / "_site" / "en" / EDITION).read_text(encoding="utf-8")
        assert (" hidden" in APPLY.search(html).group(0)) == hidden, moment
