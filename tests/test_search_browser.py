"""Search on the real site in Chromium, under the site's Content-Security-Policy: queries in three languages,
the header's form, filters, keyboard, accessibility, weight, and a page without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page

from labsite.outputs.nginx import CSP
from tests.browser import run_axe, serve_directory
from tests.conftest import PROJECT

ARTIFACTS = PROJECT / "tests" / "artifacts"
#: Queries drawn from the real content, and a page or FAQ question each must find among the first three results:
#: names in each script, places, FAQ terms, Kazakh in inflected forms and typed without Kazakh letters.
QUERIES = {
    "kk": [("Турков", "/kk/people/danielle-turkov/"),              # a name in Cyrillic
           ("Shepherd", "/kk/people/amy-shepherd/"),               # a name in Latin letters on a Kazakh page
           ("Бұқара", "/kk/labs/development-lab/2024/"),           # a place
           ("Бішкекте", "/kk/labs/teen-lab/2023/"),                # a place, inflected ("in Bishkek")
           ("зертханаға", "/kk/faq/#how-many-participants"),       # inflected: "to the lab"
           ("зертхана", "/kk/faq/#where-does-the-lab-take-place"),  # the stem finds the inflected forms
           ("субтитр", "/kk/faq/#what-language-should-the-film-be-in"),
           ("монтаж", "/kk/faq/#what-a-producer-needs-to-apply"),  # the rough cut (20–60 minutes)
           ("ириктеу", "/kk/labs/impact-lab/2024/"),               # іріктеу without Kazakh letters
           ("казакстан", "/kk/labs/development-lab/2024/"),        # Қазақстан without Kazakh letters
           ("Гудкова", "/kk/people/anna-gudkova/")],
    "ru": [("Турков", "/ru/people/danielle-turkov/"),
           ("Turkov", "/ru/people/danielle-turkov/"),              # the Latin spelling finds the Cyrillic page
           ("Гудкова", "/ru/people/anna-gudkova/"),
           ("Бишкек", "/ru/labs/impact-lab/2024/"),
           ("Бухара", "/ru/labs/development-lab/2024/"),
           ("Ташкент", "/ru/labs/teen-lab/2024/"),
           ("субтитры", "/ru/faq/#what-language-should-the-film-be-in"),
           ("черновой", "/ru/faq/#what-a-producer-needs-to-apply"),  # черновой монтаж: the rough cut
           ("импакт-продюсер", "/ru/faq/#what-is-an-impact-producer"),
           ("активисты", "/ru/faq/#for-activists")],
    "en": [("Turkov", "/en/people/danielle-turkov/"),
           ("Турков", "/en/people/danielle-turkov/"),              # the Cyrillic spelling finds the English page
           ("Gudkova", "/en/people/anna-gudkova/"),
           ("Bishkek", "/en/labs/impact-lab/2024/"),
           ("Bukhara", "/en/labs/development-lab/2024/"),
           ("Tashkent", "/en/labs/teen-lab/2024/"),
           ("subtitles", "/en/faq/#what-language-should-the-film-be-in"),
           ("rough cut", "/en/faq/#what-a-producer-needs-to-apply"),
           ("impact producer", "/en/faq/#what-is-an-impact-producer"),
           ("deadline", "/en/faq/#application-deadline")],
}
CASES = [(lang, query, expected) for lang, queries in QUERIES.items() for query, expected in queries]
DONE = "#search-results[aria-busy=false]"


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """The real site served with the Content-Security-Policy it has in production."""
    with serve_directory(real_site, {"Content-Security-Policy": CSP}) as url:
        yield url.rstrip("/")


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """A page whose script errors and refused requests (the policy's included) fail the test."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    assert problems == []


def results(page: Page) -> list[str]:
    """The addresses of the results shown, once the search is done."""
    page.wait_for_selector(DONE, state="attached", timeout=20000)
    return [link.get_attribute("href") or "" for link in page.locator(".search-result h2 a").all()]


@pytest.mark.parametrize(("lang", "query", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_typed_query_finds_its_page_among_the_first_three(watched: Page, site_url: str, lang: str, query: str,
                                                            expected: str) -> None:
    watched.goto(f"{site_url}/{lang}/search/")
    field = watched.locator("#search-query")
    field.press_sequentially(query)
    field.press("Enter")
    found = results(watched)
    assert expected in found[:3], found
    assert f"?q={quote(query)}" in watched.url.replace("+", "%20")  # the address can be shared
    assert watched.locator(".search-result mark").count() > 0  # the match is highlighted
    status = watched.locator("#search-status").inner_text()
    assert status and status[0].isdigit()


@pytest.mark.parametrize("lang", QUERIES)
def test_the_header_form_leads_to_the_search_page_and_its_results(watched: Page, site_url: str, lang: str) -> None:
    query, expected = QUERIES[lang][0]
    watched.set_viewport_size({"width": 1280, "height": 900})
    watched.goto(f"{site_url}/{lang}/labs/")
    assert not [r for r in watched.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                if "/pagefind/" in r or "search." in r]  # no search code on an ordinary page
    field = watched.get_by_role("search").get_by_role("searchbox")
    field.fill(query)
    field.press("Enter")
    watched.wait_for_url(f"**/{lang}/search/?q=*")
    assert watched.locator("#search-query").input_value() == query  # prefilled and run on arrival
    assert expected in results(watched)[:3]


def test_on_a_phone_the_header_form_is_in_the_menu(watched: Page, site_url: str) -> None:
    watched.set_viewport_size({"width": 360, "height": 740})
    watched.goto(f"{site_url}/ru/")
    watched.locator(".menu > summary").click()
    field = watched.get_by_label("Поиск по сайту")
    field.fill("субтитры")
    field.press("Enter")
    watched.wait_for_url("**/ru/search/?q=*")
    assert "/ru/faq/#what-language-should-the-film-be-in" in results(watched)[:3]


def test_results_show_their_kind_and_lab_and_the_filters_narrow_them(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/en/search/?q=impact")
    every = results(watched)
    kinds = watched.locator(".search-kind").all_inner_texts()
    assert len(every) > 5 and {k.split(" · ")[0].lower() for k in kinds} >= {"question", "edition", "lab"}
    watched.locator("#search-kind").select_option("question")
    questions = results(watched)
    assert questions and all("/en/faq/#" in url for url in questions)
    assert "kind=question" in watched.url
    watched.locator("#search-kind").select_option("")
    watched.locator("#search-lab").select_option("Teen Lab")
    teen = results(watched)
    assert teen and all("teen-lab" in url for url in teen)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_on_a_phone_each_filter_label_stays_beside_its_menu(watched: Page, site_url: str, lang: str) -> None:
    watched.set_viewport_size({"width": 360, "height": 740})
    watched.goto(f"{site_url}/{lang}/search/?q=Impact")
    results(watched)
    apart = watched.evaluate("""[...document.querySelectorAll('#search-filters label')].filter(label => {
        const own = document.getElementById(label.htmlFor).getBoundingClientRect();
        const box = label.getBoundingClientRect();
        return box.bottom < own.top || box.top > own.bottom || box.left > own.left;
    }).map(label => label.textContent)""")
    assert apart == []


def test_kinds_counts_and_messages_come_from_the_catalogue(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/ru/search/?q=Ташкент")
    results(watched)
    assert watched.locator("#search-status").inner_text() == "3 результата"
    assert watched.locator(".search-kind").first.inner_text().lower().startswith("поток")
    watched.goto(f"{site_url}/kk/search/?q=Гудкова")
    results(watched)
    assert watched.locator("#search-status").inner_text() == "4 нәтиже"
    watched.goto(f"{site_url}/ru/search/?q=zzzzqx")
    assert results(watched) == []
    assert watched.locator("#search-status").inner_text().startswith("Ничего не найдено")


def excerpts(page: Page) -> dict[str, str]:
    """The excerpt of each result shown, by its address, once the search is done."""
    return dict(zip(results(page), page.locator(".search-result .search-excerpt").all_inner_texts(), strict=True))


@pytest.mark.parametrize(("lang", "query"), [("ru", "подкаст"), ("ru", "ноутбук"), ("en", "notebook")])
def test_a_word_the_site_lacks_finds_nothing_rather_than_the_pages_of_its_first_letters(
        watched: Page, site_url: str, lang: str, query: str) -> None:
    """pagefind answers a word it does not know with the pages of its longest known start («по» for «подкаст»)."""
    watched.goto(f"{site_url}/{lang}/search/?q={quote(query)}")
    assert results(watched) == []
    none = {"ru": "Ничего не найдено", "en": "Nothing found"}[lang]
    assert watched.locator("#search-status").inner_text().startswith(none)


@pytest.mark.parametrize(("typed", "written"), [("кыркуйек", "қыркүйек"), ("отиним", "өтінім")])
def test_kazakh_typed_without_its_letters_finds_the_pages_its_letters_find(watched: Page, site_url: str, typed: str,
                                                                           written: str) -> None:
    """The typed forms come only from what the index reads (not from a person's edition cards, which it passes
    over), and the excerpt shows the words as written on the page."""
    watched.goto(f"{site_url}/kk/search/?q={quote(written)}")
    proper = results(watched)
    watched.goto(f"{site_url}/kk/search/?q={quote(typed)}")
    assert sorted(results(watched)) == sorted(proper) and proper
    marked = watched.locator(".search-result mark").all_inner_texts()
    assert marked and all(set(word.lower()) & set("әғқңөұүһі") for word in marked), marked


def test_kazakh_typed_with_a_latin_i_finds_the_pages_its_own_letter_finds(watched: Page, site_url: str) -> None:
    """«Бiшкекте» with the Latin i (U+0069), as Kazakh is often typed, is «Бішкекте»; a Latin word keeps its i."""
    watched.goto(f"{site_url}/kk/search/?q={quote('Бішкекте')}")
    proper = results(watched)
    watched.goto(f"{site_url}/kk/search/?q={quote('Бiшкекте')}")
    assert sorted(results(watched)) == sorted(proper) and proper
    assert watched.locator(".search-result mark").all_inner_texts()
    watched.goto(f"{site_url}/kk/search/?q={quote('Alternativa')}")
    assert results(watched)


@pytest.mark.parametrize(("lang", "query", "expected"), [("ru", "дистрибуция", "/ru/faq/#what-is-impact-distribution"),
                                                      ("kk", "дистрибуция", "/kk/faq/#what-is-impact-distribution")])
def test_a_word_written_in_a_hyphenated_word_finds_its_pages(watched: Page, site_url: str, lang: str, query: str,
                                                             expected: str) -> None:
    """«дистрибуция» is in «импакт-дистрибуция»: its pages are kept, as many as for the hyphenated word."""
    watched.goto(f"{site_url}/{lang}/search/?q={quote(query)}")
    alone = results(watched)
    watched.goto(f"{site_url}/{lang}/search/?q={quote('импакт-' + query)}")
    assert expected in alone and len(alone) >= len(results(watched)) > 5


@pytest.mark.parametrize(("lang", "query", "others"), [("ru", "Оскар", "Turkov Wilson Shepherd"),
                                                       ("kk", "Оскар", "Turkov Wilson Shepherd"),
                                                       ("en", "Oscar", "Турков Уилсон Шепард")])
def test_excerpts_never_show_the_names_added_for_the_index(watched: Page, site_url: str, lang: str, query: str,
                                                           others: str) -> None:
    """A person's page is indexed with their name in the other scripts, which the page itself does not show."""
    watched.goto(f"{site_url}/{lang}/search/?q={quote(query)}")
    shown = excerpts(watched)
    assert any("/people/" in url for url in shown)
    assert [(url, text) for url, text in shown.items() if any(name in text for name in others.split())] == []


@pytest.mark.parametrize(("lang", "query", "more"), [("en", "film", "Show more results"), ("ru", "фильм", "Показать ещё")])
def test_results_past_the_first_thirty_are_shown_on_request(watched: Page, site_url: str, lang: str, query: str,
                                                           more: str) -> None:
    """The count says "30+" while results are left; they are one button away, the keyboard lands on the first of
    them, and the button goes on with the search listed, not with what was typed since."""
    watched.goto(f"{site_url}/{lang}/search/?q=Turkov")
    assert len(results(watched)) < 30 and watched.get_by_role("button", name=more).is_hidden()
    watched.goto(f"{site_url}/{lang}/search/?q={quote(query)}")
    first = results(watched)
    assert len(first) == 30 and re.match(r"30\+ ", watched.locator("#search-status").inner_text())
    watched.locator("#search-query").fill("Turkov")  # typed, not searched
    button = watched.get_by_role("button", name=more)
    button.click()
    watched.locator(".search-result").nth(30).wait_for()
    every = results(watched)
    total = int(re.match(r"(\d+) ", watched.locator("#search-status").inner_text()).group(1))
    assert every[:30] == first and len(every) == total > 30 and len(set(every)) == total
    assert watched.evaluate("document.activeElement.getAttribute('href')") == every[30]
    assert button.is_hidden()


def test_a_kazakh_word_with_a_latin_part_keeps_its_latin_letters(watched: Page, site_url: str) -> None:
    """«inDrive-пен» (with inDrive): the Latin i of the Latin part is no Kazakh і."""
    watched.goto(f"{site_url}/kk/search/?q={quote('inDrive-пен')}")
    assert results(watched)


def test_a_query_in_quotes_shows_the_excerpts_of_the_words_without_them(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/kk/search/?q={quote('импакт')}")
    plain = excerpts(watched)
    watched.goto(f"{site_url}/kk/search/?q={quote(chr(34) + 'импакт' + chr(34))}")
    quoted = excerpts(watched)  # a phrase: pagefind may rank the pages otherwise
    assert quoted and {url: plain.get(url) for url in quoted} == quoted


def test_search_works_from_the_keyboard_and_opens_the_question(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/en/search/")
    watched.keyboard.press("Tab")  # the skip link
    for _ in range(30):
        if watched.evaluate("document.activeElement.id") == "search-query":
            break
        watched.keyboard.press("Tab")
    assert watched.evaluate("document.activeElement.id") == "search-query"
    watched.keyboard.type("subtitles")
    watched.keyboard.press("Enter")
    assert results(watched)[0] == "/en/faq/#what-language-should-the-film-be-in"
    for _ in range(6):  # past the button and the two filters to the first result
        watched.keyboard.press("Tab")
        if watched.evaluate("document.activeElement.closest('.search-result') !== null"):
            break
    assert watched.evaluate("document.activeElement.getAttribute('href')") == \
        "/en/faq/#what-language-should-the-film-be-in"
    watched.keyboard.press("Enter")
    watched.wait_for_url("**/en/faq/#what-language-should-the-film-be-in")
    assert watched.locator("#what-language-should-the-film-be-in").get_attribute("open") is not None


@pytest.mark.parametrize("lang", QUERIES)
@pytest.mark.parametrize("width", (360, 1280))
def test_the_search_page_with_results_has_no_accessibility_violations(browser: Browser, site_url: str, lang: str,
                                                                      width: int) -> None:
    # axe is injected as an inline script, which the site's policy refuses: this context ignores the policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{lang}/search/?q={quote(QUERIES[lang][0][0])}")
        assert results(page)
        assert run_axe(page) == []
    finally:
        context.close()


def test_the_search_page_weighs_under_100_kb_before_the_first_query(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/en/search/")
    watched.wait_for_load_state("networkidle")
    sizes = watched.evaluate("""() => [performance.getEntriesByType('navigation')[0],
        ...performance.getEntriesByType('resource')].map(e => [e.name, e.transferSize || e.encodedBodySize])""")
    assert not [name for name, _ in sizes if "/pagefind/" in name]  # pagefind loads with the first query
    assert sum(size for _, size in sizes) < 100 * 1024, sizes


def test_without_javascript_the_search_page_says_so_and_links_to_labs_faq_and_people(browser: Browser,
                                                                                      site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/kk/search/?q=Турков")
        notice = page.locator("p.search-nojs").first
        assert "JavaScript" in notice.inner_text()
        for route in ("labs/", "faq/", "people/"):
            assert page.locator(f'a[href="/kk/{route}"]').count() >= 1
        assert page.locator(".search-result").count() == 0
    finally:
        context.close()


def test_a_screenshot_of_results_is_kept(browser: Browser, site_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang, width in (("kk", 1280), ("ru", 360)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{site_url}/{lang}/search/?q={quote(QUERIES[lang][4][0])}")
            assert results(page)
            page.screenshot(path=str(ARTIFACTS / f"search-{lang}-{width}.png"), full_page=True)
        finally:
            context.close()
