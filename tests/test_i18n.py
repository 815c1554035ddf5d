"""The translators' workflow: catalogues round trip, fuzzy strings, stale translations, plurals, located errors."""

from __future__ import annotations

import gettext
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po, write_po
from jinja2 import DictLoader, Environment
from markupsafe import escape

from labsite.i18n.bundle import load_translations, make_environment
from labsite.i18n.catalog_writer import extract
from labsite.i18n.catalogs import read_catalog
from labsite.i18n.translation import file_hash, write_hash
from labsite.model.dates import DateFormatter, parse_date
from labsite.model.problems import Problems
from tests.conftest import PROJECT, run_build

NOW = "2025-08-01"
NUMBERS = (1, 2, 5, 11, 21, 22, 25)


def po(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "messages.po"


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def status(root: Path) -> dict:
    return json.loads(ok(run_build(root, "i18n", "status", "--format", "json")).stdout)


def translate(root: Path, lang: str, translations: dict[str, str]) -> None:
    """Do what a translator does in Poedit: fill in msgstr and clear the fuzzy flag."""
    path = po(root, lang)
    catalog = read_po(path.open("rb"), locale=lang)
    for msgid, text in translations.items():
        message = catalog[msgid]
        message.string = text
        message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def html(root: Path, lang: str, route: str) -> str:
    return (root / "_site" / lang / route / "index.html").read_text(encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- catalogues -------------------------------------------------------------------------------


def test_extract_update_translate_build_round_trip(sample_site: Path) -> None:
    new_line = '<p>{{ _("Try the search of %(site)s.", site=site_title) }}</p>\n<p><a href'
    assert run_build(sample_site, "i18n", "extract").stdout.endswith(" strings (unchanged)\n")
    edit(sample_site / "templates/404.html", "<p><a href", new_line)
    ok(run_build(sample_site, "i18n", "extract"))
    assert "Try the search of %(site)s." in (sample_site / "locales/messages.pot").read_text(encoding="utf-8")
    assert "1 new" in ok(run_build(sample_site, "i18n", "update")).stdout
    for lang in ("kk", "ru"):
        ui = status(sample_site)["languages"][lang]["ui"]
        assert ui["missing"] == 1 and ui["fuzzy"] == 0
        assert ui["gaps"][0]["msgid"] == "Try the search of %(site)s."
    assert status(sample_site)["languages"]["en"]["ui"]["missing"] == 0  # the source language
    strict = run_build(sample_site, "check", "--strict", "--now", NOW)
    assert strict.returncode == 1
    assert re.search(r"locales/ru/LC_MESSAGES/messages.po:\d+: warning: 'Try the search of %\(site\)s.' is not translated",
                     strict.stderr)

    translate(sample_site, "ru", {"Try the search of %(site)s.": "Воспользуйтесь поиском %(site)s."})
    translate(sample_site, "kk", {"Try the search of %(site)s.": "%(site)s іздеуін пайдаланыңыз."})
    assert status(sample_site)["languages"]["ru"]["ui"]["missing"] == 0
    result = ok(run_build(sample_site, "--now", NOW))
    assert "messages.po" not in result.stderr
    site = sample_site / "_site"
    assert "Воспользуйтесь поиском Sample Labs." in (site / "ru/404.html").read_text(encoding="utf-8")
    assert "Sample Labs іздеуін пайдаланыңыз." in (site / "kk/404.html").read_text(encoding="utf-8")
    assert "Try the search of Sample Labs." in (site / "en/404.html").read_text(encoding="utf-8")
    assert "Бет табылмады" in (site / "kk/404.html").read_text(encoding="utf-8")


def test_a_link_to_a_folder_outside_the_project_is_passed_over(sample_site: Path, tmp_path: Path) -> None:
    """A virtual environment linked into the project from elsewhere: extraction and ``check`` look past it; a link
    among the templates is a located error, never an internal one."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "templates").mkdir(parents=True)
    (elsewhere / "templates/other.html").write_text('{{ _("Not of this site") }}', encoding="utf-8")
    (sample_site / ".venv").symlink_to(elsewhere, target_is_directory=True)
    template = (sample_site / "locales/messages.pot").read_bytes()
    assert run_build(sample_site, "i18n", "extract").stdout.endswith(" strings (unchanged)\n")
    assert (sample_site / "locales/messages.pot").read_bytes() == template
    ok(run_build(sample_site, "check", "--now", NOW))

    (sample_site / "templates/linked").symlink_to(elsewhere / "templates", target_is_directory=True)
    assert run_build(sample_site, "i18n", "extract").stdout.endswith(" strings (unchanged)\n")
    checked = run_build(sample_site, "check", "--now", NOW)
    assert checked.returncode == 1 and "internal error" not in checked.stderr
    assert "templates/linked: error: 'linked' is a link to a file outside the project's source folders" in checked.stderr


def test_a_changed_template_string_comes_back_fuzzy(sample_site: Path) -> None:
    edit(sample_site / "templates/404.html", "There is no page at this address. It may have moved.",
         "There is no page at this address. It may have moved or been removed.")
    ok(run_build(sample_site, "i18n", "extract"))
    updated = ok(run_build(sample_site, "i18n", "update")).stdout
    assert "locales/ru/LC_MESSAGES/messages.po: updated; 0 new, 1 now fuzzy" in updated
    catalog = read_po(po(sample_site, "ru").open("rb"), locale="ru")
    message = catalog["There is no page at this address. It may have moved or been removed."]
    assert message.fuzzy and message.string == "По этому адресу нет страницы. Возможно, она переехала."
    assert '#| msgid "There is no page at this address. It may have moved."' in po(sample_site, "ru").read_text("utf-8")
    assert "There is no page at this address. It may have moved." not in catalog  # now obsolete
    ru = status(sample_site)["languages"]["ru"]["ui"]
    assert (ru["fuzzy"], ru["missing"]) == (1, 0)

    result = ok(run_build(sample_site, "--now", NOW))
    assert "warning: fuzzy translation of 'There is no page at this address. It may have moved or been removed.'" \
        in result.stderr
    page = (sample_site / "_site/ru/404.html").read_text(encoding="utf-8")
    assert "It may have moved or been removed." in page  # a fuzzy guess is never shown
    assert run_build(sample_site, "check", "--strict", "--now", NOW).returncode == 1


def test_standard_pybabel_works_on_the_same_files(sample_site: Path, tmp_path: Path) -> None:
    pybabel = [sys.executable, "-c", "import sys; from babel.messages.frontend import main; sys.exit(main())"]
    pot = tmp_path / "pybabel.pot"
    subprocess.run([*pybabel, "extract", "-F", "locales/babel.cfg", "-c", "Translators:", "-o", str(pot), "."],
                   cwd=PROJECT, check=True, capture_output=True)
    ours = {m.id for m in read_po((PROJECT / "locales/messages.pot").open("rb")) if m.id}
    theirs = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert ours == theirs and ("Open — {count} day left", "Open — {count} days left") in theirs
    assert {"Open call", "In person", "early {month} {year}"} <= theirs  # N_() and code strings
    subprocess.run([*pybabel, "update", "-i", str(pot), "-d", "locales"], cwd=sample_site, check=True,
                   capture_output=True)
    compiled = subprocess.run([*pybabel, "compile", "-d", "locales", "--statistics"], cwd=sample_site,
                              check=True, capture_output=True, text=True)
    assert "kk/LC_MESSAGES/messages.po" in compiled.stderr
    assert (sample_site / "locales/ru/LC_MESSAGES/messages.mo").exists()
    assert status(sample_site)["languages"]["ru"]["ui"]["missing"] == 0


def test_the_project_catalogues_are_current_and_complete() -> None:
    template = read_po((PROJECT / "locales/messages.pot").open("rb"))
    assert {m.id for m in extract(PROJECT) if m.id} == {m.id for m in template if m.id}, \
        "run 'python build.py i18n extract' and 'i18n update', then translate the new strings"
    for lang in ("kk", "ru", "en"):
        problems = Problems()
        report = read_catalog(PROJECT, lang, problems)
        assert list(problems) == []
        assert (report.count("fuzzy"), report.count("missing")) == (0, 0), lang
        assert len(report.entries) == len(template) - 0
    kk = po(PROJECT, "kk").read_text(encoding="utf-8")
    assert set("әғқңөұүі") <= set(kk)


class _VisibleText(HTMLParser):
    """The text a visitor reads: text nodes and the attributes shown or read aloud."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_data(self, data: str) -> None:
        self.found.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = {"title", "alt", "aria-label", "placeholder"} | ({"content"} if ("name", "description") in attrs else set())
        self.found += [value for name, value in attrs if name in shown and value]


def test_templates_hard_code_no_words() -> None:
    brand = {"Alternativa Film Labs"}  # the name, the same in every language
    offenders = []
    for template in sorted((PROJECT / "templates").glob("*.html")):
        source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", template.read_text(encoding="utf-8"), flags=re.S)
        parser = _VisibleText()
        parser.feed(source)
        offenders += [f"{template.name}: {text.strip()!r}" for text in parser.found
                      if re.search(r"[^\W\d_]", text) and text.strip() not in brand
                      and not re.fullmatch(r'\s*[\w-]+="[^"]*"\s*', text)]  # an attribute a macro writes
    assert offenders == [], "wrap these in {{ _(\"…\") }}"


# --- plurals and dates through the real catalogues --------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_plural_header_agrees_with_cldr(lang: str) -> None:
    catalog = read_po(po(PROJECT, lang).open("rb"), locale=lang)
    compiled = load_translations(PROJECT, lang, Problems())
    locale = Locale.parse(lang)
    categories = {"ru": ["one", "few", "many"], "kk": ["one", "other"]}[lang]
    assert catalog.num_plurals == len(categories)
    for n in range(0, 200):
        assert categories[compiled.plural(n)] == locale.plural_form(n), n  # type: ignore[attr-defined]


def test_russian_and_kazakh_plurals_with_real_numbers() -> None:
    problems = Problems()
    ru = load_translations(PROJECT, "ru", problems)
    kk = load_translations(PROJECT, "kk", problems)
    assert list(problems) == []
    days = {n: ru.ngettext("Open — {count} day left", "Open — {count} days left", n).format(count=n) for n in NUMBERS}
    assert days == {
        1: "Прием заявок открыт — остался 1 день",
        2: "Прием заявок открыт — осталось 2 дня",
        5: "Прием заявок открыт — осталось 5 дней",
        11: "Прием заявок открыт — осталось 11 дней",
        21: "Прием заявок открыт — остался 21 день",
        22: "Прием заявок открыт — осталось 22 дня",
        25: "Прием заявок открыт — осталось 25 дней",
    }
    soon = [ru.ngettext("Closing soon — {count} day left", "Closing soon — {count} days left", n).format(count=n)
            for n in NUMBERS]
    assert [text.rsplit("— ", 1)[1] for text in soon] == [
        "остался 1 день", "осталось 2 дня", "осталось 5 дней", "осталось 11 дней", "остался 21 день", "осталось 22 дня",
        "осталось 25 дней"]
    assert all(text.startswith("Прием заявок скоро закроется") for text in soon)
    dates = [ru.ngettext("%(num)d date", "%(num)d dates", n) % {"num": n} for n in NUMBERS]
    assert dates == ["1 дата", "2 даты", "5 дат", "11 дат", "21 дата", "22 даты", "25 дат"]
    for n in NUMBERS:  # Kazakh nouns stay singular after a numeral
        assert kk.ngettext("Open — {count} day left", "Open — {count} days left", n).format(count=n) == \
            f"Өтінім қабылдау ашық — {n} күн қалды"


def test_a_half_translated_plural_falls_back_to_english(sample_site: Path) -> None:
    break_catalogue(sample_site, "ru", 'msgstr[2] "Прием заявок открыт — осталось {count} дней"', 'msgstr[2] ""')
    problems = Problems()
    ru = load_translations(sample_site, "ru", problems)
    assert [str(p) for p in problems] == [
        f"locales/ru/LC_MESSAGES/messages.po:{msgid_line(sample_site, 'ru', 'Open — {count} day left')}: warning: "
        "'Open — {count} day left' is not translated (shown in English)\n"
        "    Fill in its msgstr (every msgstr[n] for a plural)."]
    assert ru.ngettext("Open — {count} day left", "Open — {count} days left", 5) == "Open — {count} days left"
    assert ru.ngettext("%(num)d date", "%(num)d dates", 5) == "%(num)d дат"


def test_vague_dates_read_naturally() -> None:
    phrases = {}
    for lang in ("ru", "kk", "en"):
        translations = load_translations(PROJECT, lang, Problems())
        dates = DateFormatter(Locale.parse(lang), translations.gettext)
        phrases[lang] = [dates.date(parse_date(text)) for text in ("early 2024-09", "mid 2024-03", "late 2025-12")]
    assert phrases["ru"] == ["начало сентября 2024 г.", "середина марта 2024 г.", "конец декабря 2025 г."]
    assert phrases["kk"] == ["2024 ж. қыркүйек айының басы", "2024 ж. наурыз айының ортасы", "2025 ж. желтоқсан айының соңы"]
    assert phrases["en"] == ["early September 2024", "mid March 2024", "late December 2025"]


# --- content translations ---------------------------------------------------------------------


def test_a_changed_source_makes_translations_stale_until_marked(sample_site: Path) -> None:
    about = sample_site / "content/pages"
    marked = ok(run_build(sample_site, "i18n", "mark", str(about / "about.kk.md"), str(about / "about.ru.md"))).stdout
    assert "content/pages/about.kk.md: source_hash" in marked
    assert status(sample_site)["languages"]["kk"]["content"]["stale"] == 0
    ok(run_build(sample_site, "--now", NOW))
    assert "notice-stale" not in html(sample_site, "kk", "about")

    edit(about / "about.en.md", "About text en.", "About text en, rewritten.")
    result = ok(run_build(sample_site, "--now", NOW))
    assert "content/pages/about.kk.md:3: warning: stale translation: content/pages/about.en.md has changed" in result.stderr
    for lang, words in (("kk", "Бұл аударма ескірген болуы мүмкін"), ("ru", "Этот перевод, возможно, устарел")):
        page = html(sample_site, lang, "about")
        assert words in page and '<a href="/en/about/" hreflang="en">' in page
    assert "notice-stale" not in html(sample_site, "en", "about")
    report = status(sample_site)["languages"]
    assert report["kk"]["content"]["stale"] == 1
    assert {"state": "stale", "file": "content/pages/about.kk.md", "source": "content/pages/about.en.md"} in \
        report["kk"]["content"]["gaps"]
    text = run_build(sample_site, "i18n", "status").stdout
    assert "content/pages/about.ru.md: stale" in text
    strict = run_build(sample_site, "check", "--strict", "--now", NOW)
    assert strict.returncode == 1 and "stale translation" in strict.stderr

    ok(run_build(sample_site, "i18n", "mark", str(about / "about.kk.md")))
    ok(run_build(sample_site, "--now", NOW))
    assert "notice-stale" not in html(sample_site, "kk", "about")
    assert "notice-stale" in html(sample_site, "ru", "about")  # not marked yet


def test_mark_names_what_is_wrong_with_the_file_it_is_given(sample_site: Path) -> None:
    """A path from the project folder works from any folder with --root; a file that does not exist, or whose front
    matter is broken, is named as such rather than as 'not a text file of the content'."""
    marked = ok(run_build(sample_site, "i18n", "mark", "content/pages/about.kk.md"))  # run from the tests' folder
    assert "content/pages/about.kk.md: source_hash" in marked.stdout
    missing = run_build(sample_site, "i18n", "mark", "content/pages/abuot.kk.md")
    assert missing.returncode == 1 and "content/pages/abuot.kk.md: error: there is no such file" in missing.stderr
    edit(sample_site / "content/pages/about.kk.md", "title: About (kk)", "title: [About (kk)")
    broken = run_build(sample_site, "i18n", "mark", "content/pages/about.kk.md")
    assert broken.returncode == 1
    assert "content/pages/about.kk.md:3: error: malformed YAML: did not find expected ',' or ']'" in broken.stderr
    assert "not a text file" not in broken.stderr


def test_missing_translations_are_listed_with_their_file(sample_site: Path) -> None:
    report = status(sample_site)["languages"]
    assert {"state": "missing", "file": "content/partners/acme.kk.md", "source": "content/partners/acme.en.md"} in \
        report["kk"]["content"]["gaps"]
    assert report["en"]["content"]["missing"] == 0
    assert "content/people/jane-doe.kk.md: missing: translate content/people/jane-doe.en.md" in \
        run_build(sample_site, "i18n", "status").stdout
    assert run_build(sample_site, "check", "--now", NOW).returncode == 0  # a warning by default
    strict = run_build(sample_site, "check", "--strict", "--now", NOW)
    assert strict.returncode == 1
    assert "content/partners/acme.kk.md: warning: missing translation of content/partners/acme.en.md" in strict.stderr
    (sample_site / "content/pages/about.en.md").unlink()
    result = run_build(sample_site, "check", "--now", NOW)
    assert "content/pages/about.en.md: warning: the source text (en) is missing" in result.stderr


def test_a_string_of_the_template_that_a_catalogue_lacks_is_missing_until_updated(sample_site: Path) -> None:
    """A string deleted from a catalogue, or not merged yet after 'extract', is a gap in the status and a warning of
    the build (shown in English); a missing catalogue lacks every string and is named in the text status too."""
    edit(po(sample_site, "ru"), 'msgid "Kind"\nmsgstr "Тип"\n\n', "")
    report = status(sample_site)["languages"]
    assert {"state": "missing", "line": 0, "msgid": "Kind"} in report["ru"]["ui"]["gaps"]
    assert report["ru"]["ui"]["missing"] == 1 and not report["ru"]["complete"]
    assert report["en"]["ui"]["missing"] == 0  # the source language shows it as written
    text = ok(run_build(sample_site, "i18n", "status")).stdout
    assert "locales/ru/LC_MESSAGES/messages.po: missing: 'Kind' is not in the catalogue; 'i18n update' adds it" in text
    strict = run_build(sample_site, "check", "--strict", "--now", NOW)
    assert strict.returncode == 1
    assert "locales/ru/LC_MESSAGES/messages.po: warning: 'Kind' is not in the catalogue (shown in English)" \
        in strict.stderr
    ok(run_build(sample_site, "i18n", "update"))
    assert {"state": "missing", "line": 0, "msgid": "Kind"} not in status(sample_site)["languages"]["ru"]["ui"]["gaps"]

    po(sample_site, "kk").unlink()
    kk = status(sample_site)["languages"]["kk"]
    template = read_po((sample_site / "locales/messages.pot").open("rb"))
    assert kk["ui"]["missing"] == len([m for m in template if m.id]) and not kk["complete"]
    assert "locales/kk/LC_MESSAGES/messages.po: no catalogue that can be read" in \
        ok(run_build(sample_site, "i18n", "status")).stdout


def test_marking_changes_only_the_hash_line(tmp_path: Path) -> None:
    path = tmp_path / "about.kk.md"
    title = "Біз туралы".encode()
    original = (b'---\r\ntitle: "' + title + b'"  # comment\r\nsource_hash: 000000000000\r\n'
                b"summary: x\r\n---\r\nBody  \r\n\r\n")
    path.write_bytes(original)
    assert write_hash(path, "abcdef012345")
    assert path.read_bytes() == original.replace(b"000000000000", b"abcdef012345")
    assert not write_hash(path, "abcdef012345")
    fresh = tmp_path / "fresh.ru.md"
    fresh.write_bytes(b"---\ntitle: T\n---\nText\n")
    write_hash(fresh, "abcdef012345")
    assert fresh.read_bytes() == b"---\ntitle: T\nsource_hash: abcdef012345\n---\nText\n"
    # the hash ignores source_hash itself, key order, comments and trailing spaces, but not words
    same = tmp_path / "same.kk.md"
    same.write_bytes(b"---\nsummary: x\ntitle: " + title + b"\n---\nBody\n")
    assert file_hash(same) == file_hash(path)
    same.write_bytes(same.read_bytes().replace(b"Body", b"Body!"))
    assert file_hash(same) != file_hash(path)


# --- located catalogue errors -----------------------------------------------------------------


def break_catalogue(root: Path, lang: str, old: str, new: str) -> int:
    """Replace text in a catalogue; return the line number where it was."""
    path = po(root, lang)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def msgid_line(root: Path, lang: str, msgid: str) -> int:
    lines = po(root, lang).read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


BAD = {
    "syntax error": ("ru", 'msgstr "Страница не найдена"', 'msgstr "Страница не найдена', "cannot be read"),
    "unknown keyword": ("kk", 'msgstr "Бет табылмады"', 'msgstring "Бет табылмады"', "cannot be read"),
    "placeholder renamed": ("ru", "Прием заявок откроется {date}", "Прием заявок откроется {data}",
                            "has other placeholders than the source: missing {date}, unknown {data}"),
    "python placeholder dropped": ("kk", "Түпнұсқаның қазіргі нұсқасы (%(language)s)", "Түпнұсқаның қазіргі нұсқасы",
                                   "missing %(language)s"),
    "unreadable plural rule": ("ru", "plural=(n%10==1 && n%100!=11 ? 0 :", "plural=(n%10==1 ? 0 : ;",
                               "the plural rule in the header cannot be read"),
    "plural placeholder": ("ru", 'msgstr[2] "%(num)d дат"', 'msgstr[2] "%(number)d дат"', "(form 2)"),
    "percent sign in a template's text": ("ru", 'msgstr "Перейти к содержанию"', 'msgstr "Перейти к содержанию 100%"',
                                          "of 'Skip to content' has a % sign that is not a placeholder"),
    "lone brace in the code's text": ("ru", 'msgstr "{start} и далее"', 'msgstr "{start} и далее}"',
                                      "of '{start} and later' has a brace that is not a placeholder"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_catalogues_give_located_errors(sample_site: Path, case: str) -> None:
    lang, old, new, message = BAD[case]
    broken = break_catalogue(sample_site, lang, old, new)
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = re.search(rf"locales/{lang}/LC_MESSAGES/messages.po:(\d+): error: .*", result.stderr)
    assert found and message in found.group(0), result.stderr
    line = int(found.group(1))
    assert broken - 4 <= line <= broken, (line, broken)  # the entry's msgid line or the broken line itself


def test_a_catalogue_gives_text_never_markup(sample_site: Path) -> None:
    """Markup typed into a translation is shown as text on the page; doubled signs show once."""
    break_catalogue(sample_site, "ru", 'msgstr "Перейти к содержанию"',
                    'msgstr "<script>alert(1)</script><b onclick=x()>Перейти</b> 100%% & {{ 7*7 }}"')
    break_catalogue(sample_site, "ru", 'msgstr "{start} и далее"', 'msgstr "{start} и {{далее}}"')
    ok(run_build(sample_site, "--now", NOW))
    page = (sample_site / "_site/ru/index.html").read_text(encoding="utf-8")
    assert ("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=x()&gt;Перейти&lt;/b&gt; 100% &amp; {{ 7*7 }}"
            in page)
    assert "<script>alert" not in page and "<b onclick" not in page and "49" not in page


def test_a_second_update_changes_nothing_and_keeps_the_previous_text_of_a_fuzzy_string(sample_site: Path) -> None:
    """The ``#| msgid`` line of a fuzzy string stays one through later updates, also once the translator has
    cleared the fuzzy mark and left it."""
    edit(sample_site / "templates/404.html", "There is no page at this address. It may have moved.",
         "There is no page at this address. It may have moved or been removed.")
    ok(run_build(sample_site, "i18n", "extract"))
    ok(run_build(sample_site, "i18n", "update"))
    after_first = po(sample_site, "ru").read_bytes()
    again = ok(run_build(sample_site, "i18n", "update")).stdout
    assert "locales/ru/LC_MESSAGES/messages.po: unchanged" in again
    assert po(sample_site, "ru").read_bytes() == after_first
    text = po(sample_site, "ru").read_text("utf-8")
    assert '#| msgid "There is no page at this address. It may have moved."' in text and "# |" not in text


def test_a_string_removed_and_back_keeps_its_own_translation(sample_site: Path) -> None:
    """A text taken out of the templates (its translation obsolete) and put back gets its translation back, not a
    similar string's as a fuzzy guess, and the catalogue holds it once."""
    template = sample_site / "templates/404.html"
    original = template.read_text(encoding="utf-8")
    edit(template, "There is no page at this address. It may have moved.", "Gone.")
    ok(run_build(sample_site, "i18n", "extract"))
    ok(run_build(sample_site, "i18n", "update"))
    assert "#~ msgid \"There is no page at this address. It may have moved.\"" in po(sample_site, "ru").read_text("utf-8")
    template.write_text(original, encoding="utf-8")
    ok(run_build(sample_site, "i18n", "extract"))
    ok(run_build(sample_site, "i18n", "update"))
    catalog = read_po(po(sample_site, "ru").open("rb"), locale="ru")
    message = catalog["There is no page at this address. It may have moved."]
    assert not message.fuzzy and message.string == "По этому адресу нет страницы. Возможно, она переехала."
    assert not [key for key in catalog.obsolete if "There is no page" in str(key)]
    assert run_build(sample_site, "check", "--now", NOW).returncode == 0


def test_an_update_that_adds_a_string_keeps_windows_line_ends(sample_site: Path) -> None:
    path = po(sample_site, "ru")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    edit(sample_site / "templates/404.html", "<p><a href", '<p>{{ _("A string to translate.") }}</p>\n<p><a href')
    ok(run_build(sample_site, "i18n", "extract"))
    assert "1 new" in ok(run_build(sample_site, "i18n", "update")).stdout
    data = path.read_bytes()
    assert b'msgid "A string to translate."\r\n' in data and data.count(b"\n") == data.count(b"\r\n")
    assert po(sample_site, "kk").read_bytes().count(b"\r\n") == 0  # a file with Unix line ends keeps them


def test_an_update_that_changes_no_string_leaves_the_file_as_the_translator_saved_it(sample_site: Path) -> None:
    """Windows line ends and a .po editor's own header survive an update with nothing to merge."""
    path = po(sample_site, "ru")
    text = path.read_text("utf-8").replace('"Content-Transfer-Encoding: 8bit\\n"\n',
                                           '"Content-Transfer-Encoding: 8bit\\n"\n"X-Generator: Poedit 3.4.2\\n"\n')
    assert "X-Generator" in text
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    result = ok(run_build(sample_site, "i18n", "update"))
    assert "locales/ru/LC_MESSAGES/messages.po: unchanged" in result.stdout
    assert path.read_bytes() == before


def test_fewer_forms_in_the_header_than_a_plural_has_are_one_message_at_the_header(sample_site: Path) -> None:
    """Babel refuses the first plural with more forms than the header says, in words of its own, at that plural."""
    line = break_catalogue(sample_site, "ru", "nplurals=3;", "nplurals=2;")
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    problems = [found for found in result.stderr.splitlines() if "messages.po" in found and ": error: " in found]
    assert problems == [f"locales/ru/LC_MESSAGES/messages.po:{line}: error: the header says nplurals=2, but 'ru' has "
                        "3 plural forms"]
    assert "num_plurals" not in result.stderr


def test_update_leaves_a_catalogue_with_a_wrong_header_alone(sample_site: Path) -> None:
    """A wrong nplurals is reported, and the catalogue is not given plural forms it could then not be read with."""
    line = break_catalogue(sample_site, "ru", "nplurals=3;", "nplurals=4;")
    before = po(sample_site, "ru").read_bytes()
    result = run_build(sample_site, "i18n", "update")
    assert result.returncode == 1
    assert f"locales/ru/LC_MESSAGES/messages.po:{line}: error: the header says nplurals=4" in result.stderr
    assert po(sample_site, "ru").read_bytes() == before


def test_update_leaves_a_broken_catalogue_alone(sample_site: Path) -> None:
    line = break_catalogue(sample_site, "ru", 'msgstr "Страница не найдена"', 'msgstr "Страница не найдена')
    before = po(sample_site, "ru").read_bytes()
    result = run_build(sample_site, "i18n", "update")
    assert result.returncode == 1
    assert f"locales/ru/LC_MESSAGES/messages.po:{line}: error: the catalogue cannot be read" in result.stderr
    assert po(sample_site, "ru").read_bytes() == before
    assert "locales/kk/LC_MESSAGES/messages.po: unchanged" in result.stdout


def test_wrong_number_of_plural_forms(sample_site: Path) -> None:
    line = msgid_line(sample_site, "ru", "Open — {count} day left")
    break_catalogue(sample_site, "ru", 'msgstr[2] "Прием заявок открыт — осталось {count} дней"\n', "")
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1
    assert (f"locales/ru/LC_MESSAGES/messages.po:{line}: error: 'Open — {{count}} day left' has 2 plural form(s); "
            "this language needs 3") in result.stderr
    break_catalogue(sample_site, "kk", 'msgstr[1] "Өтінім қабылдау ашық — {count} күн қалды"',
                    'msgstr[1] "Өтінім қабылдау ашық — {count} күн қалды"\nmsgstr[2] "артық"')
    result = run_build(sample_site, "check", "--now", NOW)
    kk_line = msgid_line(sample_site, "kk", "Open — {count} day left")
    assert f"locales/kk/LC_MESSAGES/messages.po:{kk_line}: error: the catalogue cannot be read: msg has more " \
           "translations than num_plurals of catalog" in result.stderr
    header = break_catalogue(sample_site, "en", "nplurals=2", "nplurals=3")
    result = run_build(sample_site, "check", "--now", NOW)
    assert f"locales/en/LC_MESSAGES/messages.po:{header}: error: the header says nplurals=3, but 'en' has 2" \
        in result.stderr


@pytest.mark.parametrize("autoescape", [True, False])
def test_translations_render_as_jinjas_own_but_as_text(tmp_path: Path, autoescape: bool) -> None:
    """The templates' ``_()`` and ``ngettext()`` render what Jinja's own render given the translations escaped: a
    translation is text, never markup. A text without variables is translated once, then remembered."""
    texts = {"Hello": "Сәлем <b>", "%(n)s items": "%(n)s нәрсе", "100%%": "100%% дайын",
             "Skip": "<script>alert(1)</script>", "%(num)d date": "%(num)d күн <i>", "%(num)d dates": "%(num)d күн <i>"}

    class Catalogue(gettext.NullTranslations):
        asked: list[str] = []

        def gettext(self, message: str) -> str:
            self.asked.append(message)
            return texts.get(message, message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return texts.get(singular if n == 1 else plural, singular if n == 1 else plural)

    class Escaped(Catalogue):  # for Jinja's own, which takes a translation for markup
        def gettext(self, message: str) -> str:
            return str(escape(super().gettext(message))) if autoescape else super().gettext(message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            text = super().ngettext(singular, plural, n)
            return str(escape(text)) if autoescape else text

    source = ("{{ _('Hello') }}|{{ _('Hello') }}|{{ _('%(n)s items', n='<i>') }}|{{ _('100%%') }}|{{ _('Skip') }}|"
              "{{ gettext('Hello') }}|{% trans n=3 %}{{ n }} items{% endtrans %}|{{ _('Other & more') }}|"
              "{{ ngettext('%(num)d date', '%(num)d dates', 2) }}|"
              "{% trans count=1 %}{{ count }} date{% pluralize %}{{ count }} dates{% endtrans %}")
    name = "page.html" if autoescape else "page.txt"
    ours = make_environment(tmp_path, Catalogue())
    ours.loader = DictLoader({name: source})
    theirs = Environment(loader=DictLoader({name: source}), autoescape=ours.autoescape,
                         extensions=["jinja2.ext.i18n"])
    theirs.install_gettext_translations(Escaped(), newstyle=True)  # type: ignore[attr-defined]
    expected = theirs.get_template(name).render()
    Catalogue.asked = []
    twice = [ours.get_template(name).render() for _ in range(2)]
    assert twice == [expected, expected]
    assert "Сәлем" in expected and "100% дайын" in expected and "2 күн" in expected
    if autoescape:
        assert "Сәлем &lt;b&gt;" in expected and "&lt;script&gt;alert(1)&lt;/script&gt;" in expected
        assert "<script>" not in expected and "<b>" not in expected and "<i>" not in expected
        assert "Other &amp; more" in expected and "&lt;i&gt; нәрсе" in expected
        assert Catalogue.asked.count("Hello") == 1
    else:
        assert "Сәлем <b>" in expected and "<script>alert(1)</script>" in expected


def test_a_template_linked_outside_is_neither_read_nor_written_through(sample_site: Path, tmp_path: Path) -> None:
    """messages.pot as a link to a file outside the project: no string of it reaches a report, 'update' refuses it,
    and 'extract' puts a file of its own in its place instead of writing into the linked one."""
    outside = tmp_path / "outside.pot"
    outside.write_text('msgid ""\nmsgstr ""\n\nmsgid "SECRET-FROM-OUTSIDE"\nmsgstr ""\n', encoding="utf-8")
    before = outside.read_bytes()
    template = sample_site / "locales/messages.pot"
    template.unlink()
    template.symlink_to(outside)
    for args in (("check", "--now", NOW), ("i18n", "status"), ("i18n", "update")):
        result = run_build(sample_site, *args)
        assert "SECRET-FROM-OUTSIDE" not in result.stdout + result.stderr, args
    update = run_build(sample_site, "i18n", "update")
    assert update.returncode == 1 and "locales/messages.pot: error: 'messages.pot' is a link" in update.stderr
    ok(run_build(sample_site, "i18n", "extract"))
    assert outside.read_bytes() == before
    assert not template.is_symlink() and 'msgid "Kind"' in template.read_text(encoding="utf-8")


def test_a_translation_that_cannot_be_read_leaves_its_language_incomplete(sample_site: Path) -> None:
    assert status(sample_site)["languages"]["en"]["complete"]
    edit(sample_site / "content/pages/about.en.md", "title: About (en)", "title: [About (en)")
    result = run_build(sample_site, "i18n", "status", "--format", "json")
    report = json.loads(result.stdout)
    assert not report["languages"]["en"]["complete"]
    assert any(error.startswith("content/pages/about.en.md:3: error") for error in report["errors"]), report["errors"]
