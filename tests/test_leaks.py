"""Drafts and future-dated items of every kind never leak: not into a normal build's files, and in a
--drafts preview only onto their own pages with the draft banner, never into the sitemap, feeds or status file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.bad_inputs import edit, write
from tests.test_build import NOW

FUTURE = "publish_date: 2030-01-01\n"
#: Per hidden item: its files, then the words that must not leak (slug, title, calendar UID).
HIDDEN = {
    "draft lab": ({"content/labs/ghostlab.yaml": "order: 9\ndraft: true\n",
                   "content/labs/ghostlab.en.md": "---\ntitle: Ghostlab Title\nsummary: S\n---\n",
                   "content/labs/ghostlab/2025.yaml": "format: online\nschedule:\n  - id: ghostmilestone\n"
                                                      "    kind: announcement\n    date: 2025-10-01\n",
                   "content/labs/ghostlab/2025.en.md": "---\ntitle: Ghostedition Title\nsummary: S\n---\n"},
                  ("ghostlab", "Ghostlab Title", "Ghostedition Title", "ghostlab-2025-ghostmilestone")),
    "future edition": ({"content/labs/impact-lab/2026.yaml": FUTURE + "format: online\nschedule:\n"
                                                              "  - id: futuremilestone\n    kind: announcement\n"
                                                              "    date: 2026-03-01\n",
                        "content/labs/impact-lab/2026.en.md": "---\ntitle: Futureedition Title\nsummary: S\n---\n"},
                       ("impact-lab/2026", "Futureedition Title", "impact-lab-2026-futuremilestone")),
    "draft person": ({"content/people/hidden-person.yaml": "name: Hiddenperson Name\ndraft: true\n",
                      "content/people/hidden-person.en.md": "---\nrole: Hiddenrole\n---\n"},
                     ("hidden-person", "Hiddenperson Name", "Hiddenrole")),
    "future partner": ({"content/partners/later-partner.yaml": FUTURE + "name: Laterpartner Name\n",
                        "content/partners/later-partner.en.md": "---\nsummary: Laterpartner summary\n---\n"},
                       ("later-partner", "Laterpartner Name")),
    "future news": ({"content/news/secret-news.yaml": "date: 2031-05-05\n",
                     "content/news/secret-news.en.md": "---\ntitle: Secretnews Title\nsummary: Secretsummary\n---\n"},
                    ("secret-news", "Secretnews Title", "Secretsummary")),
    "draft news": ({"content/news/draft-news.yaml": "date: 2025-01-01\ndraft: true\n",
                    "content/news/draft-news.en.md": "---\ntitle: Draftnews Title\nsummary: Draftsummary\n---\n"},
                   ("draft-news", "Draftnews Title", "Draftsummary")),
    "draft page": ({"content/pages/hidden-page.yaml": "draft: true\n",
                    "content/pages/hidden-page.en.md": "---\ntitle: Hiddenpage Title\n---\nHiddenpage body.\n"},
                   ("hidden-page", "Hiddenpage Title", "Hiddenpage body")),
    "future faq": ({"content/faq/later-faq.yaml": FUTURE,
                    "content/faq/later-faq.en.md": "---\ntitle: Laterfaq Title\n---\n# Latersection {#latersection}\n\n"
                                                   "## Laterquestion? {#laterquestion}\n\n"
                                                   "Answer.\n"},
                   ("later-faq", "Laterfaq Title", "laterquestion")),
}
#: Files that list what is published, which a --drafts preview must keep free of hidden items too.
LISTINGS = ("sitemap.xml", "robots.txt", "status.json", ".ics", "atom.xml", ".pf_fragment", ".pf_index", ".pf_meta")


@pytest.fixture
def hidden_site(sample_site: Path) -> Path:
    """The sample site with a hidden item of every kind."""
    for files, _ in HIDDEN.values():
        for relative, text in files.items():
            write(relative, text)(sample_site)
    return sample_site


def outputs(site: Path) -> dict[str, str]:
    """Every output file (HTML, XML, ICS, JSON, JS, TXT, the search index unpacked…) as text."""
    return {p.relative_to(site).as_posix(): unpacked(p).decode("utf-8", "replace")
            for p in sorted(site.rglob("*")) if p.is_file()}


def unpacked(path: Path) -> bytes:
    """A file's bytes; the search index's own files (gzip) unpacked, so that their words can be read."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix.startswith(".pf_") else data


def leaks(files: dict[str, str]) -> list[str]:
    """Each hidden word found, with the file it was found in."""
    return [f"{word} in {name}" for name, text in files.items() for _, words in HIDDEN.values()
            for word in words if word in text]


def test_a_normal_build_shows_no_hidden_item_anywhere(hidden_site: Path, build) -> None:
    result = build(hidden_site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    files = outputs(hidden_site / "_site")
    assert {name.rsplit(".", 1)[-1] for name in files} >= {"html", "xml", "ics", "json", "js", "txt", "pf_fragment"}
    assert "Impact is change." in "".join(text for name, text in files.items() if name.endswith(".pf_fragment"))
    assert leaks(files) == []


def test_a_link_to_a_hidden_item_is_dropped_with_a_warning_at_its_line(sample_site: Path, build) -> None:
    """A news item, a FAQ, a person and an edition (a mentor, its FAQ) that name an unpublished item each say so at
    the line that names it; the item itself is still published, without the link."""
    edit("content/labs/impact-lab/2025.yaml", "faq: sample\n", "faq: later-faq\n")(sample_site)
    edit("content/labs/impact-lab/2025.yaml", "mentors: [jane-doe]", "mentors: [jane-doe, hidden-person]")(sample_site)
    hidden = [HIDDEN[name][0] for name in ("future edition", "draft person", "future partner", "future faq")]
    for relative, text in {**{k: v for files in hidden for k, v in files.items()},
                           "content/news/linked.yaml": "date: 2025-01-01\nedition: impact-lab/2026\n",
                           "content/news/linked.en.md": "---\ntitle: Linked news\nsummary: S\n---\n",
                           "content/faq/linked.yaml": "order: 5\nedition: impact-lab/2026\n",
                           "content/faq/linked.en.md": "---\ntitle: Linked FAQ\n---\n# Part {#part}\n\n"
                                                       "## Asked? {#asked}\n\nAnswered.\n",
                           "content/people/linked.yaml": "name: Linked Person\norganisation: later-partner\n",
                           "content/people/linked.en.md": "---\nrole: Role\n---\n"}.items():
        write(relative, text)(sample_site)
    result = build(sample_site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    for where, item, field in (("content/news/linked.yaml:2", "impact-lab/2026", "edition"),
                               ("content/faq/linked.yaml:2", "impact-lab/2026", "edition"),
                               ("content/people/linked.yaml:2", "later-partner", "organisation"),
                               ("content/labs/impact-lab/2025.yaml:5", "hidden-person", "mentors"),
                               ("content/labs/impact-lab/2025.yaml:8", "later-faq", "faq")):
        assert f"{where}: warning: '{item}' in '{field}' is not published yet, so it is not shown" in result.stderr
    site = outputs(sample_site / "_site")
    assert "Linked news" in site["en/news/linked/index.html"] and "Linked Person" in site["en/people/linked/index.html"]
    assert leaks(site) == []


def test_a_drafts_preview_marks_every_hidden_page_and_lists_none(hidden_site: Path, build) -> None:
    result = build(hidden_site, "--now", NOW, "--drafts")
    assert result.returncode == 0, result.stderr
    site = hidden_site / "_site"
    files = outputs(site)
    listings = {name: text for name, text in files.items() if name.endswith(LISTINGS)}
    assert leaks(listings) == []
    for route in ("labs/ghostlab/", "labs/ghostlab/2025/", "labs/impact-lab/2026/", "people/hidden-person/",
                  "news/secret-news/", "news/draft-news/", "hidden-page/"):
        page = files[f"en/{route}index.html"]
        assert "draft-banner" in page, route
