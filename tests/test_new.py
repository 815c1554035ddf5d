"""``build.py new``: a scaffold for every kind of content that builds, and clear refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_build
from tests.test_build import LANGS, NOW, tree_digest

#: One invocation per kind, and the page (below a language's folder) each new item appears on.
NEW_ITEMS = [
    (("lab", "summer-lab"), "labs/summer-lab/index.html"),
    (("edition", "summer-lab", "2027"), "labs/summer-lab/2027/index.html"),
    (("person", "amy-shepherd"), "people/amy-shepherd/index.html"),
    (("partner", "acme-films"), "partners/index.html"),
    (("news", "call-2026"), "news/call-2026/index.html"),
    (("page", "about-us"), "about-us/index.html"),
    (("faq", "summer-lab"), "faq/index.html"),
]


def _warnings(stderr: str) -> set[str]:
    """The first line of every warning a command printed."""
    return {line for line in stderr.splitlines() if ": warning: " in line}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the sample site with one new item of every kind; also the output of each ``new``."""
    from tests.conftest import copy_site

    root = copy_site("valid", tmp_path_factory.mktemp("new") / "site")
    outputs = {}
    for args, _ in NEW_ITEMS:
        result = run_build(root, "new", *args, "--now", NOW)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        outputs[args[0]] = result.stdout
    return root, outputs


def test_new_writes_the_facts_and_the_source_language_text_only(scaffolded: tuple[Path, dict[str, str]]) -> None:
    root, outputs = scaffolded
    assert sorted(p.name for p in (root / "content/labs/summer-lab").iterdir()) == ["2027.en.md", "2027.yaml"]
    assert not list((root / "content/people").glob("amy-shepherd.kk.md"))
    news = (root / "content/news/call-2026.yaml").read_text(encoding="utf-8")
    assert re.search(rf"^date: {NOW} ", news, re.M), news
    assert re.search(r"^# publish_date: ", news, re.M), "optional fields are written as comments"
    edition = (root / "content/labs/summer-lab/2027.yaml").read_text(encoding="utf-8")
    assert re.search(r"^start: 2027 ", edition, re.M) and re.search(r"^format: in-person ", edition, re.M)
    assert re.search(r"^#   - id: open-call$", edition, re.M), "the schedule example is a commented block"
    text = (root / "content/labs/summer-lab/2027.en.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Summer Lab 2027 ") and "summary: FILL IN" in text
    assert "content/labs/summer-lab/2027.en.md\n    title: " in outputs["edition"]
    assert "Kazakh (kk) and Russian (ru)" in outputs["edition"]


def test_what_new_writes_passes_check_with_its_placeholders_and_missing_translations_reported(
        scaffolded: tuple[Path, dict[str, str]], sample_site: Path) -> None:
    """The new items build (the preview shows them at once); each line still holding a placeholder is a warning,
    so that ``check --strict`` (CI) refuses to publish them unwritten."""
    root, _ = scaffolded
    before = _warnings(run_build(sample_site, "check", "--now", NOW).stderr)
    result = run_build(root, "check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
    added = _warnings(result.stderr) - before
    placeholders = {line for line in added if ": warning: 'FILL IN' is still here" in line}
    assert added - placeholders, "the new items' translations are reported"
    assert all(": warning: missing translation of " in line for line in added - placeholders), added
    assert any(line.startswith("content/people/amy-shepherd.kk.md:") for line in added)
    written = {f"{path.relative_to(root).as_posix()}:{number}"
               for path in (root / "content").rglob("*.md")
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
               if "FILL IN" in line}
    assert written and {line.split(": warning:")[0] for line in placeholders} == written
    strict = run_build(root, "check", "--strict", "--now", NOW)
    assert strict.returncode == 1 and all(line in strict.stderr for line in placeholders)


def test_i18n_status_tells_translators_what_to_translate(scaffolded: tuple[Path, dict[str, str]]) -> None:
    root, _ = scaffolded
    result = run_build(root, "i18n", "status", "--format", "json")
    status = json.loads(result.stdout)
    for lang in ("kk", "ru"):
        gaps = {gap["file"]: gap["state"] for gap in status["languages"][lang]["content"]["gaps"]}
        assert gaps[f"content/news/call-2026.{lang}.md"] == "missing"
        assert gaps[f"content/labs/summer-lab/2027.{lang}.md"] == "missing"
    assert "content/news/call-2026.en.md" not in {g["file"] for g in status["languages"]["en"]["content"]["gaps"]}


def test_every_new_item_is_built_in_every_language(scaffolded: tuple[Path, dict[str, str]]) -> None:
    root, _ = scaffolded
    result = run_build(root, "build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    site = root / "_site"
    for lang in LANGS:
        for _, page in NEW_ITEMS:
            assert (site / lang / page).is_file(), f"{lang}/{page}"
        assert "Acme Films" in (site / lang / "partners/index.html").read_text(encoding="utf-8")
        assert 'id="summer-lab-question"' in (site / lang / "faq/index.html").read_text(encoding="utf-8")


def test_new_takes_today_in_the_sites_time_zone(sample_site: Path) -> None:
    # 23:30 UTC on 1 August is already 2 August in Almaty (UTC+5).
    result = run_build(sample_site, "new", "news", "late-news", "--now", "2025-08-01T23:30+00:00")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^date: 2025-08-02 ", (sample_site / "content/news/late-news.yaml").read_text(), re.M)


@pytest.mark.parametrize(("args", "message"), [
    (("lab", "impact-lab"), r"^content/labs/impact-lab\.(en\.md|kk\.md|ru\.md|yaml): error: already exists, "
                            r"so nothing was written: edit it, or choose another name than 'impact-lab'$"),
    (("edition", "impact-lab", "2025"), r"^content/labs/impact-lab/2025\.\S+: error: already exists, so nothing"),
    (("labb", "x"), r"^build\.py new: error: unknown kind 'labb'\n\s+Did you mean 'lab'\?"),
    (("person", "Amy Shepherd"), r"error: 'Amy Shepherd' cannot be used as an id.*\n\s+Did you mean 'amy-shepherd'\?"),
    (("edition", "impakt-lab", "2027"), r"error: there is no lab 'impakt-lab'.*\n\s+Did you mean 'impact-lab'\?"),
    (("edition", "impact-lab", "27"), r"error: '27' is not a year from 1900 to 2200\n\s+Write it with four digits"),
    (("edition", "impact-lab", "2300"), r"error: '2300' is not a year from 1900 to 2200\n\s+Write it with four digits"),
    (("edition", "impact-lab"), r"error: the year of the edition is missing"),
    (("page", "labs"), r"error: the page name 'labs' is taken by the generator's own pages"),
    (("teen-lab",), r"error: unknown kind 'teen-lab'\n\s+Known: edition, faq, lab, news, page, partner, person\."),
    (("person",), r"error: the name of the new person is missing\n\s+Write it after the kind"),
    (("person", "amy", "shepherd"), r"error: 'new person' takes one name.*\n\s+Join the words with hyphens: amy-shepherd"),
])
def test_a_mistake_is_explained_and_nothing_is_written(sample_site: Path, args: tuple[str, ...], message: str) -> None:
    before = tree_digest(sample_site)
    result = run_build(sample_site, "new", *args, "--now", NOW)
    assert result.returncode == 1
    assert re.search(message, result.stderr, re.M), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert tree_digest(sample_site) == before


def test_a_picture_filled_in_as_new_shows_it_needs_only_the_file_and_the_words(sample_site: Path) -> None:
    """The commented picture of a new person carries an alt text for every language of the site: with the comment
    marks removed and the picture in place, only its placeholders remain to fill in."""
    assert run_build(sample_site, "new", "person", "sam-lee").returncode == 0
    facts = sample_site / "content/people/sam-lee.yaml"
    text = re.sub(r"^# (photo:.*|  file: .*|  alt: .*)$", r"\1", facts.read_text(encoding="utf-8"), flags=re.M)
    facts.write_text(text.replace("#   file:", "  file:").replace("#   alt:", "  alt:"), encoding="utf-8")
    picture = re.search(r"^  file: (\S+)", facts.read_text(encoding="utf-8"), re.M)
    assert picture, facts.read_text(encoding="utf-8")
    from PIL import Image  # noqa: PLC0415 - only this test draws a picture
    Image.new("RGB", (600, 600), (90, 60, 30)).save(sample_site / "content/people" / picture.group(1))
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "alt text" not in result.stderr
    alt_line = next(number for number, line in enumerate(facts.read_text(encoding="utf-8").splitlines(), 1)
                    if line.startswith("  alt:"))
    assert f"content/people/sam-lee.yaml:{alt_line}: warning:" in result.stderr
