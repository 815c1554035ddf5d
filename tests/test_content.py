"""The real site's content: built from content/ as published, checked for facts, links and languages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_build
from tests.content_expectations import FACTS, SOURCE_DATES

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT / "content"
SOURCES = Path(__file__).parent / "sources"
LANGS = ("kk", "ru", "en")
NOW = "2026-11-22"
SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u00a0": " "})
GLOSSARY = ("what-is-impact", "what-is-an-impact-producer", "what-is-an-impact-campaign", "what-is-impact-distribution")


class Page(HTMLParser):
    """The ids, links, timeline steps and visible text of one built page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()
        self.steps: list[str] = []
        self.classes: set[str] = set()
        self._text: list[str] = []
        self._skip = 0
        self.feed(html)
        self.text = re.sub(r"\s+", " ", " ".join(self._text).translate(SPACES))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect ids, links, classes and timeline steps."""
        found = {name: value or "" for name, value in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if "href" in found:
            self.hrefs.add(found["href"])
        self.classes.update(found.get("class", "").split())
        if tag == "li" and "step" in found.get("class", "").split():
            self.steps.append(found.get("id", ""))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        """Leave a script or style element."""
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        """Keep visible text."""
        if not self._skip:
            self._text.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's content built into a scratch folder, as on 2026-11-22."""
    root = tmp_path_factory.mktemp("real") / "site"
    root.mkdir()
    for folder in ("content", "templates", "static", "locales"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copy(PROJECT / "site_config.yaml", root / "site_config.yaml")
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root), "--now", NOW]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "_site"


def page(site: Path, lang: str, route: str) -> Page:
    """Parse the built page at /<lang>/<route>."""
    path = site / lang / route / "index.html"
    assert path.exists(), f"missing page /{lang}/{route}"
    return Page(path.read_text(encoding="utf-8"))


def load(path: Path) -> dict:
    """Read one YAML file of facts."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def editions() -> list[Path]:
    """Every edition's YAML file."""
    return sorted(CONTENT.glob("labs/*/*.yaml"))


def edition_route(path: Path) -> str:
    """The route of an edition: labs/<lab>/<year>."""
    return f"labs/{path.parent.name}/{path.stem}"


def test_every_page_exists_in_every_language(site: Path) -> None:
    routes = {lang: {p.relative_to(site / lang) for p in (site / lang).rglob("*.html")} for lang in LANGS}
    assert routes["kk"] == routes["ru"] == routes["en"]
    assert len(routes["en"]) >= 25


def test_no_fallback_or_stale_notice_and_no_draft_anywhere(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert 'class="notice' not in html, path
        for marker in ("draft-banner", "draft-label", "is-draft"):
            assert marker not in html, (path, marker)
    for path in CONTENT.rglob("*.yaml"):
        facts = load(path)
        assert not (isinstance(facts, dict) and facts.get("draft")), path


def test_every_language_has_every_text_file() -> None:
    for facts in CONTENT.rglob("*.yaml"):
        if facts.name == "places.yaml":
            continue
        for lang in LANGS:
            assert facts.with_name(f"{facts.stem}.{lang}.md").exists(), (facts, lang)


@pytest.mark.parametrize("facts", editions(), ids=lambda p: edition_route(p))
def test_every_edition_has_a_schedule_shown_in_every_language(site: Path, facts: Path) -> None:
    milestones = [m["id"] for m in load(facts).get("schedule") or []]
    assert milestones, f"{facts} has no schedule"
    for lang in LANGS:
        assert page(site, lang, edition_route(facts)).steps == milestones


@pytest.mark.parametrize("facts", editions(), ids=lambda p: edition_route(p))
def test_edition_references_exist_and_are_linked(site: Path, facts: Path) -> None:
    data = load(facts)
    places = load(CONTENT / "places.yaml")
    for lang in LANGS:
        built = page(site, lang, edition_route(facts))
        for person in data.get("mentors") or []:
            assert (CONTENT / "people" / f"{person}.yaml").exists()
            assert f"/{lang}/people/{person}/" in built.hrefs
            assert load(CONTENT / "people" / f"{person}.yaml")["name"][lang] in built.text
        for partner in data.get("partners") or []:
            assert (CONTENT / "partners" / f"{partner}.yaml").exists()
            assert f"/{lang}/partners/#{partner}" in built.hrefs
            assert partner in page(site, lang, "partners").ids
        for place in data.get("places") or []:
            assert places[place]["name"][lang] in built.text
        for milestone in data.get("schedule") or []:
            if "place" in milestone:
                assert milestone["place"] in places


@pytest.mark.parametrize("folder", ["news", "faq"])
def test_news_and_faq_link_to_their_edition(site: Path, folder: str) -> None:
    for facts in sorted((CONTENT / folder).glob("*.yaml")):
        edition = load(facts).get("edition")
        assert edition and (CONTENT / "labs" / f"{edition}.yaml").exists(), facts
        for lang in LANGS:
            route = f"news/{facts.stem}" if folder == "news" else "faq"
            assert f"/{lang}/labs/{edition}/" in page(site, lang, route).hrefs, (facts, lang)


def test_people_pages_name_each_person_in_the_pages_script(site: Path) -> None:
    for facts in sorted(CONTENT.glob("people/*.yaml")):
        data = load(facts)
        for lang in LANGS:
            built = page(site, lang, f"people/{facts.stem}")
            assert data["name"][lang] in built.text
            if lang != "en":
                assert data["name"]["en"] not in built.text, (facts.stem, lang)
            if "organisation" in data:
                assert f"/{lang}/partners/#{data['organisation']}" in built.hrefs
            assert f"/{lang}/people/{facts.stem}/" in page(site, lang, "people").hrefs


# Surnames only: Russian declines them (Анны Гудковой).
CYRILLIC_NAMES = ("Даниэль Турков", "Эми Шепард", "Клифф Уилсон", "Гудков")
LATIN_NAMES = ("Danielle Turkov", "Amy Shepherd", "Cliff Wilson", "Anna Gudkova")


@pytest.mark.parametrize("lang", LANGS)
def test_impact_lab_2024_names_its_tutors_and_head_in_the_pages_script(site: Path, lang: str) -> None:
    text = page(site, lang, "labs/impact-lab/2024").text
    for name in LATIN_NAMES if lang == "en" else CYRILLIC_NAMES:
        assert name in text


FAQ_ID = re.compile(r"\{#([a-z0-9-]+)\}\s*$", re.M)


def faq_ids(lang: str) -> list[str]:
    """The section and question ids of the FAQ text in one language, in order."""
    text = (CONTENT / "faq" / f"impact-distribution-lab.{lang}.md").read_text(encoding="utf-8")
    return FAQ_ID.findall(text)


def test_faq_ids_are_the_same_in_every_language_and_on_every_faq_page(site: Path) -> None:
    ids = faq_ids("ru")
    text = (CONTENT / "faq" / "impact-distribution-lab.ru.md").read_text(encoding="utf-8")
    # The Russian source FAQ's four sections and 35 questions, each with its own id.
    assert len(re.findall(r"^# .*\{#", text, re.M)) == 4
    assert len(re.findall(r"^## .*\{#", text, re.M)) == 35
    assert len(ids) == len(set(ids)) == 39
    for lang in LANGS:
        assert faq_ids(lang) == ids, lang
        built = page(site, lang, "faq")
        assert set(ids) <= built.ids, set(ids) - built.ids
        assert set(GLOSSARY) <= built.ids


@pytest.mark.parametrize("lang", LANGS)
def test_key_facts_appear_in_each_languages_pages(site: Path, lang: str) -> None:
    missing = [
        (route, phrase)
        for route, phrases in FACTS[lang].items()
        for phrase in phrases
        if phrase not in page(site, lang, route).text
    ]
    assert not missing


def test_every_edition_is_dated_exactly_as_the_sources_say() -> None:
    assert {edition_route(p) for p in editions()} == set(SOURCE_DATES)
    for facts in editions():
        data = load(facts)
        expected = SOURCE_DATES[edition_route(facts)]
        for key in ("start", "end"):
            assert data.get(key) == expected.get(key), (facts, key)
        schedule = {m["id"]: {k: m[k] for k in ("date", "start", "end") if k in m} for m in data["schedule"]}
        assert schedule == expected["schedule"], facts


STEP_WHEN = re.compile(r'<li id="([^"]+)"[^>]*>\s*<span class="step-when">(.*?)</span>', re.S)


@pytest.mark.parametrize("facts", editions(), ids=lambda p: edition_route(p))
def test_no_day_is_invented_for_milestones_known_to_the_month_or_less(site: Path, facts: Path) -> None:
    vague = {
        m["id"]
        for m in load(facts).get("schedule") or []
        if not any(isinstance(m.get(key), date) for key in ("date", "start", "end"))
    }
    for lang in LANGS:
        html = (site / lang / edition_route(facts) / "index.html").read_text(encoding="utf-8")
        when = {step: re.sub(r"<[^>]+>", "", text) for step, text in STEP_WHEN.findall(html)}
        for milestone in vague:
            assert not re.search(r"\d", re.sub(r"\b\d{4}\b", "", when[milestone])), (lang, milestone, when[milestone])


def words(text: str) -> list[str]:
    """Lower-case words of a text, markup and heading ids removed."""
    return re.findall(r"\w[\w-]*", re.sub(r"\{#[^}]*\}|\*\*", "", text).lower())


def blocks(text: str) -> list[list[str]]:
    """The words of each paragraph, heading and list item of a text."""
    out: list[list[str]] = [[]]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "- ", "\ufffd", "---")):
            out.append([])
        out[-1].extend(words(stripped))
        if stripped.startswith("#"):
            out.append([])
    return out


def shingles(text: str, size: int = 8) -> set[str]:
    """Every run of ``size`` consecutive words inside one block."""
    return {" ".join(b[i : i + size]) for b in blocks(text) for i in range(len(b) - size + 1)}


def test_no_source_passage_is_pasted_verbatim() -> None:
    seed = set().union(*(shingles(p.read_text(encoding="utf-8")) for p in SOURCES.glob("*.txt")))
    assert seed
    copied = {
        str(p.relative_to(CONTENT)): sorted(shingles(p.read_text(encoding="utf-8")) & seed) for p in CONTENT.rglob("*.md")
    }
    assert not {name: runs for name, runs in copied.items() if runs}


def built_with(root: Path, relative: str, markdown: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """The build of the site once ``markdown`` is added at the end of one of its texts, and that text's lines."""
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8") + markdown, encoding="utf-8")
    result = run_build(root, "--now", "2025-08-01")
    assert result.returncode == 0, result.stderr
    return result, path.read_text(encoding="utf-8").splitlines()


def test_a_link_to_an_unpublished_page_is_a_warning_at_its_line(sample_site: Path) -> None:
    """A text linking to a draft edition (or a mistyped address) is told at the line of the link, by 'build' and the
    preview too, not only by 'check' in the built page; a preview with drafts has the page, so the link is fine."""
    result, lines = built_with(sample_site, "content/pages/about.en.md", "\n[Lab 2024](/en/labs/impact-lab/2024/), "
                               "[labs](/en/labs/), [feed](/en/calendar/all.ics), [all labs][typo]\n\n[typo]: /en/lbas/\n")
    link_line = next(n for n, line in enumerate(lines, 1) if "/en/labs/impact-lab/2024/" in line)
    assert (f"content/pages/about.en.md:{link_line}: warning: the link to /en/labs/impact-lab/2024/ leads to no page "
            "of the site: it is a draft, not published yet, or a wrong address") in result.stderr
    assert f"content/pages/about.en.md:{link_line + 2}: warning: the link to /en/lbas/ leads to no page" in result.stderr
    assert "\n    Did you mean /en/labs/? Correct the address, or take the link out" in result.stderr
    assert "/en/labs/impact-lab/2024/ leads to no page of the site: it is a draft, not published yet, or a wrong " \
        "address\n    Did you mean /en/labs/impact-lab/2025/?" in result.stderr  # a page as deep, not /en/labs/
    assert result.stderr.count("leads to no page") == 2
    drafts = run_build(sample_site, "--now", "2025-08-01", "--drafts")
    assert "/en/labs/impact-lab/2024/ leads to no page" not in drafts.stderr
    assert run_build(sample_site, "check", "--strict", "--now", "2025-08-01").returncode == 1


def test_a_link_to_a_page_in_another_language_is_a_warning_at_its_line(sample_site: Path) -> None:
    """A translated text that kept the addresses of the one it was translated from is told at the line, with the
    address in its own language; a link to a page in its own language, or to a file such as a feed, is not."""
    result, lines = built_with(sample_site, "content/pages/about.ru.md", "\n[Лаборатории](/en/labs/), [FAQ](/kk/faq/"
                               "#sample)\n\n[Календарь](/en/calendar/all.ics), [лаборатории](/ru/labs/), [главная](/en)\n")
    line = next(n for n, text in enumerate(lines, 1) if "/en/labs/" in text)
    assert (f"content/pages/about.ru.md:{line}: warning: the link to /en/labs/ leads to the page in English, from a "
            "text in Russian\n    Link to /ru/labs/, the page in this text's language") in result.stderr
    assert f"about.ru.md:{line}: warning: the link to /kk/faq/#sample leads to the page in Kazakh" in result.stderr
    assert (f"content/pages/about.ru.md:{line + 2}: warning: the link to /en leads to the page in English, from a "
            "text in Russian\n    Link to /ru/,") in result.stderr
    assert result.stderr.count("leads to the page in") == 3


def test_each_link_to_one_address_is_told_at_its_own_line_and_code_is_no_link(sample_site: Path) -> None:
    result, lines = built_with(sample_site, "content/pages/about.ru.md", "\nАдрес `/en/about/` — английская версия.\n\n"
                               "См. [о нас](/en/about/).\n\nИ ещё раз [о нас](/en/about/).\n")
    told = re.findall(r"about\.ru\.md:(\d+): warning: the link to /en/about/ leads", result.stderr)
    assert [lines[int(n) - 1] for n in told] == ["См. [о нас](/en/about/).", "И ещё раз [о нас](/en/about/)."]


def test_links_in_an_editions_markdown_fields_are_checked_at_their_lines(sample_site: Path) -> None:
    edition = sample_site / "content/labs/impact-lab/2025.en.md"
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text.replace("---\n", "---\nhow_to_apply: |\n  Read first.\n\n  See [the labs](/ru/labs/).\n", 1),
                       encoding="utf-8")
    result = run_build(sample_site, "--now", "2025-08-01")
    assert "content/labs/impact-lab/2025.en.md:5: warning: the link to /ru/labs/ leads to the page in Russian" \
        in result.stderr


def test_links_in_faq_answers_are_checked_at_their_own_lines(sample_site: Path) -> None:
    """A FAQ is converted one answer at a time: each answer's links are checked, each at the line of its answer."""
    result, _ = built_with(sample_site, "content/faq/sample.en.md", " See [the 2024 lab](/en/labs/impact-lab/2024/).\n\n"
                           "## When? {#when}\nIn [Russian](/ru/labs/) and [again](/en/labs/impact-lab/2024/).\n")
    assert ("content/faq/sample.en.md:11: warning: the link to /en/labs/impact-lab/2024/ leads to no page"
            in result.stderr)
    assert ("content/faq/sample.en.md:14: warning: the link to /en/labs/impact-lab/2024/ leads to no page"
            in result.stderr)
    assert ("content/faq/sample.en.md:14: warning: the link to /ru/labs/ leads to the page in Russian, from a text in "
            "English") in result.stderr


def test_a_picture_in_a_text_that_no_build_publishes_is_a_warning_at_its_line(sample_site: Path) -> None:
    """``![…](still.jpg)`` beside the text is not published, and a picture of another site is not loaded (the
    security policy): 'build' says so at the line, not only 'check' in the built page. One of the site's own files is
    left to 'check'."""
    (sample_site / "content/pages/still.jpg").write_bytes(b"\xff\xd8\xff")
    result, lines = built_with(sample_site, "content/pages/about.en.md", "\nIntro.\n\n![A still](still.jpg)\n\n"
                               "![Ours](/static/favicon.svg)\n\n![Online](HTTPS://example.org/a.jpg)\n")
    at = next(n for n, line in enumerate(lines, 1) if "(still.jpg)" in line)
    assert (f"content/pages/about.en.md:{at}: warning: the picture still.jpg would show broken: pictures in a text "
            "are not published, and the site loads none from elsewhere\n    A text cannot show pictures of its own")\
        in result.stderr, result.stderr
    assert f"content/pages/about.en.md:{at + 4}: warning: the picture HTTPS://example.org/a.jpg would show" \
        in result.stderr
    assert result.stderr.count("would show broken") == 2


#: English terms the Kazakh and Russian texts use as such, which a screen reader must read in English.
ENGLISH_TERMS = ("rough cut", "open call", "impact")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_english_terms_in_kazakh_and_russian_texts_are_marked_as_english(site: Path, lang: str) -> None:
    """WCAG 3.1.2: a phrase in another language than the page's says so (lang="en"); names need not."""
    unmarked = []
    pages = sorted((site / lang).rglob("index.html"))
    assert len(pages) > 20
    for path in pages:
        main = re.search(r"<main.*?</main>", path.read_text(encoding="utf-8"), re.S)
        text = re.sub(r'<span lang="en">[^<]*</span>|<[^>]*>', " ", main.group(0) if main else "")
        unmarked += [(path.parent.name, term) for term in ENGLISH_TERMS if re.search(rf"(?<![\w-]){term}(?![\w-])", text)]
    assert unmarked == []
