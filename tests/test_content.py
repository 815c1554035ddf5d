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

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT / "content"
SEEDS = PROJECT.parent / "shared" / "seeds"
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
    # The Russian seed's four sections and 35 questions, each with its own id.
    assert len(re.findall(r"^# .*\{#", text, re.M)) == 4
    assert len(re.findall(r"^## .*\{#", text, re.M)) == 35
    assert len(ids) == len(set(ids)) == 39
    for lang in LANGS:
        assert faq_ids(lang) == ids, lang
        built = page(site, lang, "faq")
        assert set(ids) <= built.ids, set(ids) - built.ids
        assert set(GLOSSARY) <= built.ids


# What each language's pages must say: route → phrases, after thin and no-break spaces became spaces.
FACTS: dict[str, dict[str, tuple[str, ...]]] = {
    "kk": {
        "labs/impact-lab/2024": (
            "2024 ж. 26 қыркүйек – 1 қазан",
            "2024 ж. 13 мамыр – 5 тамыз",
            "2024 жылғы 26 қыркүйек – 1 қазан",
            "қыркүйектің басында",
            "Бішкек",
        ),
        "labs/impact-distribution-lab/2025": (
            "2025 ж. 1 шілде – 30 қыркүйек",
            "2025 ж. 30 қазан",
            "2025 ж. қараша",
            "2025 ж. желтоқсан",
            "2026 ж. қаңтар",
            "2026 ж. ақпан",
            "30 продюсер мен 30 белсенді",
            "30 команда",
            "12 команда",
            "3–5",
            "12 минуттан бастап",
            "20–60 минут",
            "2023–2025",
            "2025–2026",
            "ілеспе аударма",
            "автоматты субтитр",
        ),
        "faq": (
            "30 продюсер мен 30 белсенді",
            "12 команда",
            "3–5",
            "12 минуттан бастап",
            "20–60 минут",
            "2025 жылғы 30 қыркүйек",
            "ілеспе аударма",
        ),
        "news/impact-lab-2024-open-call": ("13 мамырдан 5 тамызға дейін", "Анна Гудкова"),
        "labs/development-lab/2024": ("Бұқара", "Алматы", "2024 ж. маусым", "2024 ж. қазан"),
        "labs/teen-lab/2024": (
            "Ташкент",
            "2024 ж. маусым – қыркүйек",
        ),
    },
    "ru": {
        "labs/impact-lab/2024": (
            "26 сентября – 1 октября 2024 г.",
            "13 мая – 5 августа 2024 г.",
            "с 26 сентября по 1 октября 2024 года",
            "в начале сентября 2024 года",
            "Бишкек",
        ),
        "labs/impact-distribution-lab/2025": (
            "1 июля – 30 сентября 2025 г.",
            "30 октября 2025 г.",
            "ноябрь 2025 г.",
            "декабрь 2025 г.",
            "январь 2026 г.",
            "февраль 2026 г. и далее",
            "30 продюсеров и 30 активистов",
            "30 команд",
            "12 команд",
            "3–5",
            "от 12 минут",
            "20–60 минут",
            "2023–2025",
            "2025–2026",
            "синхронно",
            "автоматические субтитры",
        ),
        "faq": (
            "30 продюсеров и 30 активистов",
            "12 команд",
            "3–5",
            "от 12 минут",
            "20–60 минут",
            "30 сентября 2025 года",
            "синхронно",
        ),
        "news/impact-lab-2024-open-call": ("с 13 мая по 5 августа 2024 года", "Анны Гудковой"),
        "labs/development-lab/2024": ("Бухар", "Алматы", "июнь 2024 г.", "октябрь 2024 г."),
        "labs/teen-lab/2024": ("Ташкент", "июнь – сентябрь 2024 г."),
    },
    "en": {
        "labs/impact-lab/2024": (
            "September 26 – October 1, 2024",
            "May 13 – August 5, 2024",
            "from 26 September to 1 October 2024",
            "early September 2024",
            "Bishkek",
        ),
        "labs/impact-distribution-lab/2025": (
            "July 1 – September 30, 2025",
            "October 30, 2025",
            "November 2025",
            "December 2025",
            "January 2026",
            "February 2026 and later",
            "30 producers and 30 activists",
            "30 teams",
            "12 teams",
            "3–5",
            "12 minutes",
            "20–60 minutes",
            "2023–2025",
            "2025–2026",
            "interpreted simultaneously",
            "automatic subtitles",
        ),
        "faq": (
            "30 producers and 30 activists",
            "30 teams",
            "12 of them",
            "3–5",
            "from 12 minutes",
            "20–60 minutes",
            "30 September 2025",
            "Simultaneous interpretation",
        ),
        "news/impact-lab-2024-open-call": ("from 13 May to 5 August 2024", "Anna Gudkova"),
        "labs/development-lab/2024": ("Bukhara", "Almaty", "June 2024", "October 2024"),
        "labs/teen-lab/2024": ("Tashkent", "June – September 2024"),
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_key_facts_appear_in_each_languages_pages(site: Path, lang: str) -> None:
    missing = [
        (route, phrase)
        for route, phrases in FACTS[lang].items()
        for phrase in phrases
        if phrase not in page(site, lang, route).text
    ]
    assert not missing


# Every edition's dates exactly as the sources give them: a day only where the source names one.
D = date
SOURCE_DATES: dict[str, dict[str, object]] = {
    "labs/impact-lab/2023": {"start": 2023, "schedule": {"lab": {"date": 2023}}},
    "labs/impact-lab/2024": {
        "start": D(2024, 9, 26),
        "end": D(2024, 10, 1),
        "schedule": {
            "open-call": {"start": D(2024, 5, 13), "end": D(2024, 8, 5)},
            "results": {"date": "early 2024-09"},
            "lab": {"start": D(2024, 9, 26), "end": D(2024, 10, 1)},
        },
    },
    "labs/pitching-training/2023": {"start": 2023, "schedule": {"course": {"date": 2023}}},
    "labs/teen-lab/2023": {"start": 2023, "schedule": {"workshop": {"date": 2023}}},
    "labs/teen-lab/2024": {
        "start": "2024-06",
        "end": "2024-09",
        "schedule": {"workshop": {"start": "2024-06", "end": "2024-09"}},
    },
    "labs/development-lab/2024": {
        "start": "2024-06",
        "end": "2024-10",
        "schedule": {
            "bukhara": {"date": "2024-06"},
            "online": {"start": "2024-06", "end": "2024-10"},
            "almaty": {"date": "2024-10"},
        },
    },
    "labs/impact-distribution-lab/2025": {
        "start": "2025-11",
        "end": "2026-01",
        "schedule": {
            "open-call": {"start": D(2025, 7, 1), "end": D(2025, 9, 30)},
            "participants": {"date": D(2025, 10, 30)},
            "course": {"date": "2025-11"},
            "mentoring": {"date": "2025-12"},
            "defence": {"date": "2026-01"},
            "campaigns": {"start": "2026-02", "end": "open"},
        },
    },
}


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


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside the project")
def test_no_seed_passage_is_pasted_verbatim() -> None:
    seed = set().union(*(shingles(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")))
    assert seed
    copied = {
        str(p.relative_to(CONTENT)): sorted(shingles(p.read_text(encoding="utf-8")) & seed) for p in CONTENT.rglob("*.md")
    }
    assert not {name: runs for name, runs in copied.items() if runs}
