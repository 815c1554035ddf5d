"""The whole build on the sample site: pages, languages, fallbacks, drafts, reproducibility."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_NOW, run_build

NOW = "2025-08-01"
LANGS = ("kk", "ru", "en")


class Links(HTMLParser):
    """Collects the attributes of <a> and <link> tags and the lang attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.langs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a":
            self.anchors.append(values)
        elif tag == "link":
            self.links.append(values)
        if "lang" in values:
            self.langs.append(values["lang"])


def parse(path: Path) -> Links:
    """Parse one built page."""
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(built_sample: Path) -> Path:
    """The sample site built at a fixed moment (once per session; read only); returns the output folder."""
    assert NOW == SAMPLE_NOW
    return built_sample


def routes(site: Path, lang: str) -> set[str]:
    """The pages of one language, as paths below its folder."""
    return {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")}


def test_every_language_has_the_same_pages(built: Path) -> None:
    kk, ru, en = (routes(built, lang) for lang in LANGS)
    assert kk == ru == en
    for expected in ("index.html", "labs/index.html", "labs/impact-lab/index.html", "labs/impact-lab/2025/index.html",
                     "people/index.html", "people/jane-doe/index.html", "faq/index.html", "news/index.html",
                     "news/open-call/index.html", "about/index.html", "404.html"):
        assert expected in en
    assert (built / "index.html").exists()


def test_summary_counts_pages_per_language(sample_site: Path, build) -> None:
    result = build(sample_site, "--now", NOW)
    count = len(routes(sample_site / "_site", "en"))
    assert f"kk {count}, ru {count}, en {count}" in result.stdout
    site = sample_site / "_site"
    ics, atom = len(list(site.rglob("*.ics"))), len(list(site.rglob("atom.xml")))
    assert ics and atom
    warnings = result.stderr.count(": warning: ")
    assert f"{ics} iCal and {atom} Atom file(s), {warnings} warning(s)" in result.stdout


def test_root_page_offers_every_language_without_javascript(built: Path) -> None:
    page = parse(built / "index.html")
    targets = {a["href"]: a.get("lang") for a in page.anchors}
    assert targets == {"/kk/": "kk", "/ru/": "ru", "/en/": "en"}
    assert "<script" not in (built / "index.html").read_text(encoding="utf-8")


def test_language_switcher_leads_to_the_same_page(built: Path) -> None:
    for lang in LANGS:
        page = parse(built / lang / "labs/impact-lab/2025/index.html")
        switcher = {a["hreflang"]: a["href"] for a in page.anchors if "hreflang" in a}
        assert switcher == {code: f"/{code}/labs/impact-lab/2025/" for code in LANGS}


def test_hreflang_alternates_are_reciprocal_with_self_and_x_default(built: Path) -> None:
    for route in routes(built, "en"):
        if route == "404.html":
            continue  # error pages carry no hreflang (test_error_pages_are_not_indexed)
        sets = []
        for lang in LANGS:
            links = parse(built / lang / route).links
            alternates = {k["hreflang"]: k["href"] for k in links if k.get("rel") == "alternate" and "hreflang" in k}
            assert alternates["x-default"] == "https://labs.example.org/"
            page_url = f"https://labs.example.org/{lang}/{route}".removesuffix("index.html")
            assert alternates[lang] == page_url, route
            sets.append(alternates)
        assert sets[0] == sets[1] == sets[2]


def test_missing_translation_falls_back_and_says_so(built: Path) -> None:
    kk = (built / "kk/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    assert "Sample Edition 2025 (ru)" in kk  # kk → ru in the chain
    assert 'class="notice"' in kk
    assert re.search(r'<h1 lang="ru">Sample Edition 2025 \(ru\)</h1>', kk)
    assert re.search(r'<div class="prose" lang="ru">', kk)
    en = (built / "en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    assert "Sample Edition 2025 (en)" in en and 'class="notice"' not in en
    person_kk = (built / "kk/people/jane-doe/index.html").read_text(encoding="utf-8")
    assert "Джейн Доу" in person_kk and "Биография Джейн." in person_kk


def test_faq_questions_fall_back_one_by_one_with_stable_ids(built: Path) -> None:
    ru = (built / "ru/faq/index.html").read_text(encoding="utf-8")
    assert 'id="what-is-impact"' in ru and "Что такое импакт?" in ru
    assert 'id="who-can-apply"' in ru and '<summary itemprop="name" lang="en">Who can apply?</summary>' in ru
    kk = (built / "kk/faq/index.html").read_text(encoding="utf-8")
    assert '<summary itemprop="name" lang="ru">Что такое импакт?</summary>' in kk


@pytest.mark.parametrize(("lang", "texts"), [
    # a timeline row starts with its date, capitalised
    ("en", ["November 2025", "February 2026 and later", "July 1, 2025 – September 30, 2025, 23:59", "Early September 2025"]),
    ("ru", ["Ноябрь 2025", "30 октября 2025"]),
    ("kk", ["2025 ж. қараша", "2025 ж. 30 қазан"]),
])
def test_partial_dates_are_written_at_their_precision(built: Path, lang: str, texts: list[str]) -> None:
    html = (built / lang / "labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    html = html.replace("\u202f", " ").replace("\u00a0", " ")  # CLDR's narrow no-break spaces
    for text in texts:
        assert text in html
    assert "ноября 2025" not in html  # a month alone is in the standalone form
    assert "2025-11-01" not in html  # a month is never shown or marked up as a day


def test_drafts_and_future_items_never_reach_a_normal_build(built: Path) -> None:
    everything = "\n".join(p.read_text(encoding="utf-8") for p in built.rglob("*.html"))
    for hidden in ("Teen Lab", "Draft Edition 2024", "Future news", "/labs/teen-lab/", "/labs/impact-lab/2024/",
                   "/news/future/"):
        assert hidden not in everything
    assert not (built / "en/labs/teen-lab").exists()
    assert not (built / "en/news/future").exists()


def test_drafts_flag_includes_drafts_marked_as_drafts(sample_site: Path, build) -> None:
    result = build(sample_site, "--now", NOW, "--drafts")
    assert result.returncode == 0, result.stderr
    page = (sample_site / "_site/en/labs/impact-lab/2024/index.html").read_text(encoding="utf-8")
    assert "draft-banner" in page
    assert (sample_site / "_site/en/news/future/index.html").exists()


def test_rebuilds_are_byte_identical(sample_site: Path, build, tmp_path: Path) -> None:
    assert build(sample_site, "--now", NOW).returncode == 0
    first = tree_digest(sample_site / "_site")
    assert build(sample_site, "--now", NOW).returncode == 0
    assert tree_digest(sample_site / "_site") == first


def test_source_date_epoch_sets_the_build_moment(sample_site: Path, build) -> None:
    import os

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}  # 2025-01-01 UTC: the call has not opened
    assert build(sample_site, env=env).returncode == 0
    assert "Opens on" in (sample_site / "_site/en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    env["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01 UTC: closed
    assert build(sample_site, env=env).returncode == 0
    assert "Open call closed" in (sample_site / "_site/en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")


def test_home_lists_open_calls_first(built: Path) -> None:
    html = (built / "en/index.html").read_text(encoding="utf-8")
    assert html.index("calls-heading") < html.index("labs-heading")
    assert "status-open" in html


def test_check_validates_without_writing(sample_site: Path, build) -> None:
    result = build(sample_site, "check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not (sample_site / "_site").exists()


def test_pages_are_readable_without_javascript_and_use_one_stylesheet(built: Path) -> None:
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert len(re.findall(r'rel="stylesheet"', html)) == 1
        assert "https://fonts." not in html
    assert len(list((built / "static").glob("style.*.css"))) == 1


def test_every_address_the_generator_takes_is_refused_as_a_page_name(built: Path, sample_site: Path) -> None:
    """A free page named like one of the generator's own (``search``…) would be written over it: each name the
    generator writes under a language is refused for a page, with its file and line."""
    from labsite.load.content import RESERVED

    own_pages = {path.name.split(".")[0] for path in (sample_site / "content/pages").iterdir()}
    for lang in LANGS:
        taken = {entry.name.split(".")[0] for entry in (built / lang).iterdir()} - own_pages - {"index"}
        assert taken and taken <= RESERVED, taken - RESERVED
    (sample_site / "content/pages/finder.yaml").write_text("slug: search\n", encoding="utf-8")
    for lang in LANGS:
        (sample_site / f"content/pages/finder.{lang}.md").write_text("---\ntitle: Finder\n---\nText.\n", encoding="utf-8")
    result = run_build(sample_site, "check", "--now", SAMPLE_NOW)
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "content/pages/finder.yaml:1: error: the page name 'search' is taken by the generator's own pages" \
        in result.stderr
