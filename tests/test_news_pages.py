"""The news list comes in pages of 20 articles, newest first, each linking to its neighbours in the visitor's language."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from labsite.build.incremental import Build, rebuild, scan
from labsite.build.run import Options, build_site
from labsite.present.pages import NEWS_PER_PAGE
from tests.browser import run_axe, run_vnu, serve_directory
from tests.test_visitors import ALT, jpeg

OPTIONS = Options(dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC))


def add_news(root: Path, count: int) -> None:
    """``count`` articles in English, one a day from 2025-06-01 on, so that the newest is ``daily-{count - 1}``."""
    folder = root / "content/news"
    for number in range(count):
        day = dt.date(2025, 6, 1) + dt.timedelta(days=number)
        (folder / f"daily-{number}.yaml").write_text(f"date: {day.isoformat()}\n", encoding="utf-8")
        (folder / f"daily-{number}.en.md").write_text(
            f"---\ntitle: Daily note {number}\nsummary: Note {number}.\n---\nThe text of note {number}.\n", encoding="utf-8")


def listed(html: str) -> list[str]:
    """The titles of the articles a news page lists, in order."""
    return re.findall(r'<h2 class="card-title"[^>]*><a href="[^"]*">([^<]*)</a>', html)


def test_a_long_news_list_is_split_into_pages_that_link_to_each_other(sample_site: Path) -> None:
    add_news(sample_site, 45)  # with the sample's own article: 46, so pages of 20, 20 and 6
    files = build_site(sample_site, OPTIONS, write=False).files
    first, second, third = (files[f"ru/{route}index.html"].decode() for route in ("news/", "news/page/2/", "news/page/3/"))
    assert "ru/news/page/4/index.html" not in files and "ru/news/page/1/index.html" not in files
    assert [len(listed(page)) for page in (first, second, third)] == [NEWS_PER_PAGE, NEWS_PER_PAGE, 6]
    titles = listed(first) + listed(second) + listed(third)
    # The sample's own article (2025-07-01) is among the newest 20, so the second page opens with note 25.
    assert titles[0] == "Daily note 44" and titles[NEWS_PER_PAGE] == "Daily note 25" and len(set(titles)) == 46
    # Each page links to its neighbours, in Russian on the Russian pages, and names its place in the title.
    assert 'href="/ru/news/page/2/" rel="next">Более ранние</a>' in first and 'rel="prev"' not in first
    assert ('href="/ru/news/" rel="prev">Более новые</a>' in second
            and 'href="/ru/news/page/3/" rel="next"' in second and "страница 2 из 3" in second)
    assert "<title>Новости · страница 3 из 3" in third and 'rel="next"' not in third
    assert "<title>Новости — " in first
    # Every page of the list is in the sitemap, in each language, with its alternates.
    sitemap = files["sitemap.xml"].decode()
    for lang in ("kk", "ru", "en"):
        assert f"/{lang}/news/page/3/</loc>" in sitemap
    assert 'hreflang="kk" href="https://' in second and "/kk/news/page/2/" in second


def test_a_short_news_list_is_one_page_without_links(sample_site: Path) -> None:
    files = build_site(sample_site, OPTIONS, write=False).files
    page = files["en/news/index.html"].decode()
    assert listed(page) and 'class="pager"' not in page and not any("news/page/" in path for path in files)


def test_editing_an_old_article_renders_again_only_its_page_of_the_list(sample_site: Path) -> None:
    add_news(sample_site, 45)
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    time.sleep(0.01)
    text = sample_site / "content/news/daily-3.en.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    second = rebuild(sample_site, OPTIONS, first, scan(sample_site))
    pages = [f"{lang}/news/page/3/index.html" for lang in ("en", "kk", "ru")]
    # Of the list, only the page that lists the article is rendered again (in each language, which all show it).
    assert sorted(path for path in second.rendered if "/news/" in path and "daily" not in path) == pages
    assert "en/news/daily-3/index.html" in second.rendered
    time.sleep(0.01)
    text.write_text(text.read_text(encoding="utf-8").replace("title: Daily note 3", "title: Daily note three"),
                    encoding="utf-8")
    third = rebuild(sample_site, OPTIONS, second, scan(sample_site))
    assert sorted(path for path in third.rendered if "/news/" in path and "daily" not in path) == pages
    assert "Daily note three" in third.files["kk/news/page/3/index.html"].decode()
    assert third.files["ru/news/index.html"] == first.files["ru/news/index.html"]


def test_the_pages_of_the_list_are_accessible_and_their_links_fit_a_phone(sample_site: Path, page: Page) -> None:
    add_news(sample_site, 45)
    build_site(sample_site, OPTIONS)
    with serve_directory(sample_site / "_site") as url:
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(f"{url}ru/news/page/2/")
        assert run_axe(page) == []
        links = page.locator(".pager a")
        boxes = [links.nth(i).bounding_box() for i in range(links.count())]
        assert len(boxes) == 2 and all(box is not None and box["height"] >= 44 for box in boxes)
        assert boxes[0]["y"] == boxes[1]["y"]  # type: ignore[index]  # side by side on a 360-pixel phone
        page.locator(".pager a[rel=next]").click()
        assert page.url.endswith("/ru/news/page/3/") and page.title().startswith("Новости · страница 3 из 3")
    assert run_vnu([sample_site / "_site" / "ru/news/page/2/index.html"]) == []


def test_a_preview_rebuild_keeps_the_cards_of_unchanged_articles_and_makes_the_rest_anew(sample_site: Path) -> None:
    add_news(sample_site, 30)
    (sample_site / "content/news/daily-5.jpg").write_bytes(jpeg(800, 600))
    with (sample_site / "content/news/daily-5.yaml").open("a", encoding="utf-8") as facts:
        facts.write("image:\n  file: daily-5.jpg\n" + ALT.format("A still"))
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    time.sleep(0.01)
    text = sample_site / "content/news/daily-3.en.md"
    text.write_text(text.read_text(encoding="utf-8").replace("title: Daily note 3", "title: Daily note three"),
                    encoding="utf-8")
    second = rebuild(sample_site, OPTIONS, first, scan(sample_site))

    def card(build: Build, lang: str, article: str) -> dict[str, Any]:
        return build.cards[lang][1][article][2]
    for lang in ("kk", "ru", "en"):
        assert card(second, lang, "daily-4") is card(first, lang, "daily-4")
        assert card(second, lang, "daily-5") is card(first, lang, "daily-5")
        assert card(second, lang, "daily-3") is not card(first, lang, "daily-3")
        assert card(second, lang, "open-call") is not card(first, lang, "open-call")  # shows its edition's state
    assert "Daily note three" in second.files["ru/news/page/2/index.html"].decode()
    # Another picture under the same name: the article's card shows the new one.
    time.sleep(0.01)
    (sample_site / "content/news/daily-5.jpg").write_bytes(jpeg(900, 600))
    third = rebuild(sample_site, OPTIONS, second, scan(sample_site))
    assert card(third, "en", "daily-5")["image"] != card(second, "en", "daily-5")["image"]
    # What the preview shows is what a build from nothing shows.
    assert dict(third.files.items()) == dict(build_site(sample_site, OPTIONS, write=False).files.items())
