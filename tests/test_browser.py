"""The real site in headless Chromium: accessibility, validity, phone widths, language switching."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import run_axe, run_vnu, serve_directory
from tests.conftest import PROJECT

LANGS = ("kk", "ru", "en")
#: One page of each type of the real site.
PAGE_TYPES = ("", "labs/", "labs/impact-lab/", "labs/impact-distribution-lab/2025/", "people/",
              "people/danielle-turkov/", "partners/", "faq/", "news/", "news/impact-lab-2024-open-call/", "about/",
              "calendar/", "404.html")
WIDTHS = (360, 768, 1280)
ARTIFACTS = PROJECT / "tests" / "artifacts"
BUILD_MOMENT = dt.datetime(2025, 8, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def words(text: str) -> str:
    """Visible text with no-break spaces (which keep dates whole) read as spaces."""
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="session")
def base_url(real_site: Path) -> Iterator[str]:
    """The built site served on a local port."""
    with serve_directory(real_site) as url:
        yield url.rstrip("/")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("route", PAGE_TYPES)
def test_no_accessibility_violations(page: Page, base_url: str, lang: str, route: str) -> None:
    page.goto(f"{base_url}/{lang}/{route}")
    violations = run_axe(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


@pytest.mark.parametrize("route", ("/", "/404.html"))
def test_root_language_choice_and_root_404_are_accessible(page: Page, base_url: str, route: str) -> None:
    page.goto(base_url + route)
    assert run_axe(page) == []


def test_every_page_is_valid_html(real_site: Path) -> None:
    errors = run_vnu([real_site])
    assert errors == [], [(e.get("url", "").rsplit("_site", 1)[-1], e.get("line"), e["message"]) for e in errors[:20]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_pages_fit_the_screen_and_are_saved_as_screenshots(browser: Browser, base_url: str, lang: str, width: int) -> None:
    """Every page type at phone, tablet and desktop width, as tests/artifacts/screenshots/<lang>_<page>_<width>.png."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.clock.set_fixed_time(BUILD_MOMENT)  # the badges as built, not as status.js sees today
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        shots = {f"/{lang}/{route}": f"{lang}_{route.strip('/').replace('/', '_').removesuffix('.html') or 'home'}"
                 for route in PAGE_TYPES}
        if lang == LANGS[0]:  # the root pages speak every language; their html lang is the default one
            shots.update({"/": "root", "/404.html": "root_404"})
        for route, name in shots.items():
            page.goto(base_url + route)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{route} scrolls sideways"
            broken = page.evaluate("[...document.querySelectorAll('.meta .format')]"
                                   ".filter(e => e.getClientRects().length > 1).map(e => e.textContent)")
            assert broken == [], f"{route}: a card's format is broken over two lines"
            page.screenshot(path=str(folder / f"{name}_{width}.png"), full_page=True)
            assert page.locator("html").get_attribute("lang") == lang
            if width == 360 and route.startswith(f"/{lang}/"):
                height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
                assert height <= 64, f"{route}: the header is {height} px tall at 360 px"
                small = page.evaluate("[...document.querySelectorAll('.breadcrumbs a, .card h2 a, .card h3 a')]"
                                      ".filter(a => a.getBoundingClientRect().height < 24).map(a => a.textContent)")
                assert small == [], f"{route}: links under 24 px tall for a thumb"
    finally:
        context.close()


@pytest.mark.parametrize("width", (1024, 1280, 1440))
def test_wide_header_keeps_the_menu_links_in_one_row(browser: Browser, base_url: str, width: int) -> None:
    """On a wide screen every language's menu links stand in one row, below the logo, with the search field."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for lang in LANGS:
            page.goto(f"{base_url}/{lang}/")
            links = page.evaluate("[...document.querySelectorAll('.menu nav a')]"
                                  ".map(a => [a.getBoundingClientRect().top, a.getBoundingClientRect().bottom])")
            tops = {round(top) for top, _ in links}
            assert len(links) >= 5 and len(tops) == 1, f"/{lang}/ at {width} px: menu rows at {sorted(tops)}"
            brand, search = (page.locator(selector).bounding_box() for selector in (".brand", ".site-search"))
            assert brand is not None and search is not None
            assert links[0][0] >= brand["y"] + brand["height"], f"/{lang}/ at {width} px: the menu is beside the logo"
            middle = search["y"] + search["height"] / 2
            assert links[0][0] < middle < links[0][1], f"/{lang}/ at {width} px: the search field is off the menu's row"
    finally:
        context.close()


@pytest.mark.parametrize("width", (360, 1280))
def test_menu_works_without_javascript(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/kk/")
        faq = page.locator(".menu nav").get_by_role("link", name="Сұрақ-жауап")
        if width == 360:
            assert not faq.is_visible()
            page.locator(".menu > summary").click()
        assert faq.is_visible()
        faq.click()
        page.wait_for_url(f"{base_url}/kk/faq/")
    finally:
        context.close()


def test_a_link_to_a_question_opens_it(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/ru/faq/")
    assert page.locator("details#what-is-impact").get_attribute("open") is None
    page.goto(f"{base_url}/ru/faq/#what-is-impact")
    assert page.locator("details#what-is-impact").get_attribute("open") is not None
    assert page.locator("#what-is-impact .answer").is_visible()
    page.get_by_role("link", name="К списку разделов").first.click()
    assert page.evaluate("location.hash") == "#top"


def test_language_switcher_from_a_deep_page_lands_on_the_same_page(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/kk/labs/impact-distribution-lab/2025/")
    page.locator("nav.languages").get_by_role("link", name="English").click()
    page.wait_for_url(f"{base_url}/en/labs/impact-distribution-lab/2025/")
    assert page.locator("h1").inner_text() == "Impact Distribution Lab 2025–2026"
    page.locator("nav.languages a[hreflang=ru]").click()
    page.wait_for_url(f"{base_url}/ru/labs/impact-distribution-lab/2025/")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_faq_anchor_survives_a_language_switch(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/ru/faq/#what-is-impact")
    assert page.locator("#what-is-impact").is_visible()
    href = page.locator("nav.languages a[hreflang=en]").get_attribute("href")
    page.goto(f"{base_url}{href}#what-is-impact")
    assert page.locator("#what-is-impact summary").inner_text() == "What is impact?"


def test_skip_link_moves_focus_to_the_main_content(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/en/labs/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize(("moment", "state", "text"), [
    ("2025-08-01T12:00:00+05:00", "open", "60 days left"),
    ("2025-09-25T12:00:00+05:00", "closing_soon", "Closing soon — 5 days left"),
    ("2025-09-30T20:00:00+05:00", "closing_soon", "closes today"),
    ("2025-10-01T00:00:01+05:00", "closed", "Open call closed"),
    ("2025-06-15T12:00:00+05:00", "upcoming", "Opens on 1 July 2025"),
])
def test_open_call_status_follows_the_visitors_clock(browser: Browser, base_url: str, moment: str, state: str,
                                                      text: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime.fromisoformat(moment))
        page.goto(f"{base_url}/en/labs/impact-distribution-lab/2025/")
        badge = page.locator("p.status").first
        assert f"status-{state}" in (badge.get_attribute("class") or "")
        assert text in words(badge.inner_text())
    finally:
        context.close()


@pytest.mark.parametrize(("moment", "shown"), [
    ("2025-09-30T23:00:00+05:00", True),
    ("2025-10-01T00:00:01+05:00", False),
])
def test_home_page_drops_a_call_once_it_has_closed(browser: Browser, base_url: str, moment: str, shown: bool) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime.fromisoformat(moment))
        page.goto(f"{base_url}/ru/")
        calls = page.locator("#calls")
        card = calls.locator(".edition-card")
        assert card.locator("a[href='/ru/labs/impact-distribution-lab/2025/']").count() == 1  # built while open
        assert card.is_visible() is shown
        assert page.get_by_text("Сейчас прием заявок ни в одну лабораторию не идет.").is_visible() is not shown
    finally:
        context.close()


def test_status_text_stands_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/en/labs/impact-distribution-lab/2025/")
        assert words(page.locator("p.status").first.inner_text()) == "Open — 60 days left"  # the build-time text
    finally:
        context.close()


def test_russian_days_left_uses_the_right_plural(browser: Browser, base_url: str) -> None:
    expected = {21: "открыт — остался 21 день", 22: "открыт — осталось 22 дня", 25: "открыт — осталось 25 дней",
                # the last 14 days say so in words too
                1: "скоро закроется — остался 1 день", 2: "скоро закроется — осталось 2 дня",
                11: "скоро закроется — осталось 11 дней"}
    context = browser.new_context()
    try:
        page = context.new_page()
        for days, text in expected.items():
            moment = dt.datetime(2025, 9, 30, 12, tzinfo=dt.timezone(dt.timedelta(hours=5))) - dt.timedelta(days=days)
            page.clock.set_fixed_time(moment)
            page.goto(f"{base_url}/ru/labs/impact-distribution-lab/2025/")
            assert text in words(page.locator("p.status").first.inner_text())
    finally:
        context.close()
