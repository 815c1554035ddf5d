"""What a visitor sees: the home page in every state of the open calls, Apply, pictures, og:image, root and 404."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import struct
import zlib
from html import unescape
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from labsite.load import images
from labsite.load.markup import keep_dates
from labsite.outputs import cards
from labsite.outputs.cards import card_path, draw_card
from tests.conftest import PROJECT, copy_site, run_build

LANGS = ("kk", "ru", "en")
#: The four moments of the real Impact Distribution Lab 2025 call: before, open, closing soon, none open.
MOMENTS = {"before": "2025-06-15", "open": "2025-08-01", "soon": "2025-09-20", "none": "2026-11-22",
           # between the deadline and the announcement of the participants
           "closed": "2025-10-15"}
NO_CALL = {"kk": "Қазір ешбір зертханаға өтінім қабылданбайды.",
           "ru": "Сейчас прием заявок ни в одну лабораторию не идет.",
           "en": "No open call is accepting applications right now."}
OPENS = {"kk": "Өтінім қабылдау басталады: 2025 ж. 1 шілде", "ru": "Прием заявок откроется 1 июля 2025 г.",
         "en": "Opens on 1 July 2025"}
OPEN_60 = {"kk": "Өтінім қабылдау ашық — 60 күн қалды", "ru": "Прием заявок открыт — осталось 60 дней",
           "en": "Open — 60 days left"}
SOON_10 = {"kk": "10 күн қалды", "ru": "осталось 10 дней", "en": "Closing soon — 10 days left"}
DEADLINE = {"kk": "2025 ж. 30 қыркүйек", "ru": "30 сентября 2025 г.", "en": "30 September 2025"}
NOW_PHASE = {"kk": "Жеңімпаздардың импакт-кампанияларын жүзеге асыру", "ru": "Реализация импакт-кампаний победителей",
             "en": "The winners' impact campaigns"}
IDL = "labs/impact-distribution-lab/2025/"


def text(html: str) -> str:
    """The words of some HTML, spaces (no-break ones too) collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ").split())


def main(html: str) -> str:
    """The words of a page's ``<main>``: what a visitor reads (not its links for machines)."""
    return text(html[html.index("<main"):html.index("</main>")])


def section(html: str, ident: str) -> str:
    """The HTML of the ``<section id=…>`` or ``aria-labelledby=…`` named ``ident``, up to its end."""
    start = re.search(rf'<section[^>]*(id="{ident}"|aria-labelledby="{ident}")', html)
    assert start, ident
    return html[start.start():html.index("</section>", start.start())]


@pytest.fixture(scope="module")
def real_homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real content built at each of the four moments: moment → output folder."""
    root = tmp_path_factory.mktemp("real")
    for name in ("content", "templates", "static", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "site_config.yaml", root / "site_config.yaml")
    shutil.copy(PROJECT / "calendar_state.json", root / "calendar_state.json")
    outputs = {}
    for name, moment in MOMENTS.items():
        result = run_build(root, "--now", moment)
        assert result.returncode == 0, result.stderr
        outputs[name] = root.parent / f"site-{name}"
        shutil.move(root / "_site", outputs[name])
    return outputs


@pytest.mark.parametrize("lang", LANGS)
def test_home_before_a_call_opens_says_none_is_open_and_when_the_next_opens(real_homes: dict[str, Path],
                                                                             lang: str) -> None:
    html = (real_homes["before"] / lang / "index.html").read_text(encoding="utf-8")
    calls = section(html, "calls")
    assert NO_CALL[lang] in text(calls) and '<div class="no-call" data-after="">' in calls  # shown
    assert calls.count('class="card edition-card') == 1 and f'href="/{lang}/{IDL}"' in calls
    assert OPENS[lang] in text(calls) and "status-upcoming" in calls
    assert re.search(r'<p class="apply" data-when-accepting[^>]* hidden>', calls)  # no way to apply yet
    assert "webcal://" in calls  # the calendar of deadlines
    assert 'aria-labelledby="under-way-heading"' not in html


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("moment", "state", "days"), [("open", "status-open", OPEN_60),
                                                        ("soon", "status-closing_soon", SOON_10)])
def test_home_while_a_call_is_open_shows_it_first_with_deadline_days_left_and_how_to_apply(
        real_homes: dict[str, Path], lang: str, moment: str, state: str, days: dict[str, str]) -> None:
    html = (real_homes[moment] / lang / "index.html").read_text(encoding="utf-8")
    calls = section(html, "calls")
    assert html.index('id="calls"') < html.index('id="labs-heading"')  # the calls come first
    assert state in calls and days[lang] in text(calls) and DEADLINE[lang] in text(calls)
    apply = re.search(r'<p class="apply" data-when-accepting[^>]*>\s*<a class="button[^"]*" href="([^"]+)"', calls)
    assert apply and " hidden" not in apply.group(0)
    # the real content has no form address: the button leads to the edition's own "How to apply"
    assert apply.group(1) == f"/{lang}/{IDL}#how-to-apply"
    edition = (real_homes[moment] / lang / IDL / "index.html").read_text(encoding="utf-8")
    assert 'id="how-to-apply"' in edition and "alternativa.film" not in main(edition)
    assert re.search(r'<div class="no-call" data-after="[^"]+" hidden>', calls)  # shown by status.js once closed


@pytest.mark.parametrize("lang", LANGS)
def test_home_with_no_call_says_so_and_shows_what_is_under_way(real_homes: dict[str, Path], lang: str) -> None:
    html = (real_homes["none"] / lang / "index.html").read_text(encoding="utf-8")
    calls = section(html, "calls")
    assert NO_CALL[lang] in text(calls) and "edition-card" not in calls and "webcal://" in calls
    under_way = section(html, "under-way-heading")
    assert f'href="/{lang}/{IDL}"' in under_way and NOW_PHASE[lang] in text(under_way)
    assert "phase-next" not in under_way  # the sources give no later date: none is made up
    labs = section(html, "labs-heading")
    assert labs.count('class="card lab-card') == 5


@pytest.mark.parametrize(("lang", "announcement"), [("kk", "Қатысушыларды жариялау — 2025 ж. 30 қазан"),
                                                    ("ru", "Объявление участников — 30 октября 2025 г."),
                                                    ("en", "Participants announced — 30 October 2025")])
def test_home_after_a_deadline_names_the_next_dated_step(real_homes: dict[str, Path], lang: str,
                                                         announcement: str) -> None:
    html = (real_homes["closed"] / lang / "index.html").read_text(encoding="utf-8")
    assert NO_CALL[lang] in text(section(html, "calls"))
    under_way = section(html, "under-way-heading")
    assert f'href="/{lang}/{IDL}"' in under_way and announcement in text(under_way)
    assert '<time datetime="2025-10-30">' in under_way


def test_pages_carry_no_inline_style_or_script(real_homes: dict[str, Path]) -> None:
    """The Content-Security-Policy allows only the site's own style sheet and scripts."""
    for page in real_homes["open"].rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), page
        for attrs in re.findall(r"<script([^>]*)>", html):
            assert "src=" in attrs or 'type="application/ld+json"' in attrs or 'type="application/json"' in attrs, page


def test_no_page_of_the_real_site_sends_visitors_to_alternativa_film(real_homes: dict[str, Path]) -> None:
    for page in real_homes["open"].rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        words = main(html) if "<main" in html else text(html)
        assert not re.search(r"alternativa\.film(?!/(kk|ru|en)/calendar/)", words), page  # feed addresses aside


def test_edition_page_names_the_current_step_in_words(real_homes: dict[str, Path]) -> None:
    html = (real_homes["none"] / "en" / IDL / "index.html").read_text(encoding="utf-8")
    assert html.index('id="timeline-heading"') < html.index('id="eligibility-heading"')
    assert f"Now {NOW_PHASE['en']}" in text(section(html, "timeline-heading"))
    assert html.count("step-past") == 5 and html.count('class="step step-current"') == 1


def test_impact_lab_2024_lists_its_tutors_once(real_homes: dict[str, Path]) -> None:
    html = (real_homes["none"] / "en" / "labs/impact-lab/2024/index.html").read_text(encoding="utf-8")
    assert text(html).count("Amy Shepherd") == 1 and "Early September 2024" in text(html)


def test_dates_never_break_inside() -> None:
    assert keep_dates("26 сентября — 1 октября 2024 г.") == "26\u00a0сентября\u00a0— 1\u00a0октября\u00a02024\u00a0г."
    assert keep_dates("2024 ж. 26 қыркүйек – 1 қазан") == "2024\u00a0ж.\u00a026\u00a0қыркүйек\u00a0– 1\u00a0қазан"


# --- Apply, pictures and og:image on the sample site ---------------------------------------------------------


def jpeg(width: int, height: int) -> bytes:
    """A photo-like test picture."""
    picture = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png_with_alpha(width: int, height: int) -> bytes:
    """A still with transparency."""
    picture = Image.new("RGBA", (width, height), (200, 40, 30, 255))
    picture.putalpha(Image.linear_gradient("L").resize((width, height)))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


ALT = "  alt:\n    kk: {0} (kk)\n    ru: {0} (ru)\n    en: {0}\n"


@pytest.fixture
def pictured_site(tmp_path: Path) -> Path:
    """The sample site with a photo of a person and a still of an edition, made here."""
    site = copy_site("valid", tmp_path / "site")
    (site / "content/people/jane-doe.jpg").write_bytes(jpeg(1600, 2000))
    with (site / "content/people/jane-doe.yaml").open("a", encoding="utf-8") as facts:
        facts.write("photo:\n  file: jane-doe.jpg\n" + ALT.format("Jane Doe at a workshop"))
    (site / "content/labs/impact-lab/still.png").write_bytes(png_with_alpha(800, 450))
    with (site / "content/labs/impact-lab/2025.yaml").open("a", encoding="utf-8") as facts:
        facts.write("image:\n  file: still.png\n" + ALT.format("A still from a participant's film")
                    + "apply_label:\n  kk: Өтінім формасы\n  ru: Форма заявки\n  en: Application form\n")
    return site


def test_pictures_get_webp_and_fallback_variants_with_sizes_alt_and_lazy_loading(pictured_site: Path) -> None:
    result = run_build(pictured_site, "--now", "2025-08-01")
    assert result.returncode == 0, result.stderr
    out = pictured_site / "_site"
    person = (out / "ru/people/jane-doe/index.html").read_text(encoding="utf-8")
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', person).group(1)
    widths = [int(w) for w in re.findall(r" (\d+)w", webp)]
    assert widths == [480, 960, 1440]
    img = re.search(r"<img [^>]*srcset=[^>]*>", person).group(0)
    assert 'alt="Jane Doe at a workshop (ru)"' in img and 'width="960" height="1200"' in img
    for url in re.findall(r"(/media/[^ ]+) \d+w", webp + img):
        variant = Image.open(out / url.lstrip("/"))
        assert variant.format in ("WEBP", "JPEG") and variant.width in widths
    og = re.search(r'<meta property="og:image" content="([^"]+)"', person).group(1)
    assert og.endswith("-1440.jpg") and (out / og.split("/", 3)[3]).is_file()
    edition = (out / "en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    assert ".png 800w" in edition  # a still with transparency keeps PNG as its fallback
    card = re.search(r'<article class="card edition-card.*?</article>', (out / "en/labs/index.html").read_text(
        encoding="utf-8"), re.S).group(0)
    assert 'loading="lazy"' in card and 'alt="A still from a participant&#39;s film"' in card


def test_the_apply_button_shows_on_every_page_of_an_open_edition(pictured_site: Path) -> None:
    assert run_build(pictured_site, "--now", "2025-08-01").returncode == 0
    out = pictured_site / "_site"
    button = {"kk": "Өтінім формасы", "ru": "Форма заявки", "en": "Application form"}
    for lang in LANGS:
        for route in ("", "labs/", "labs/impact-lab/", "labs/impact-lab/2025/", "people/jane-doe/", "news/open-call/"):
            html = (out / lang / route / "index.html").read_text(encoding="utf-8")
            found = re.search(r'<p class="apply" data-when-accepting[^>]*>\s*<a class="button" '
                              r'href="https://labs.example.org/apply" rel="external">([^<]+)</a>', html)
            assert found and " hidden" not in found.group(0) and found.group(1) == button[lang], (lang, route)


def test_pictures_are_made_once_and_builds_stay_identical(pictured_site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABSITE_CACHE_DIR", str(tmp_path / "cache"))
    assert run_build(pictured_site, "--now", "2025-08-01").returncode == 0
    first = {p.name: p.read_bytes() for p in (pictured_site / "_site/media").iterdir()}
    cached = sorted(p.name for p in (tmp_path / "cache/images").rglob("*.*") if p.suffix != ".json")
    assert len(cached) == 10  # WebP and fallback: 3 widths of the photo, 2 of the 800 px still (never enlarged)
    assert run_build(pictured_site, "--now", "2025-08-01").returncode == 0
    assert {p.name: p.read_bytes() for p in (pictured_site / "_site/media").iterdir()} == first


MISSING_ALT = "jane-doe.yaml:8: error: the alt text of 'photo' is missing in kk, ru"
NO_FILE = "jane-doe.yaml:6: error: the picture 'content/people/nobody.jpg' does not exist"


@pytest.mark.parametrize(("facts", "message"), [
    ("photo:\n  file: jane-doe.jpg\n  alt:\n    en: Jane\n", MISSING_ALT),
    ("photo:\n  file: nobody.jpg\n" + ALT.format("x"), NO_FILE),
    ("photo: jane-doe.jpg\n", "jane-doe.yaml:6: error: 'photo' must give a 'file' and its 'alt' text"),
])
def test_a_picture_without_alt_text_or_file_is_a_located_error(sample_site: Path, facts: str, message: str) -> None:
    (sample_site / "content/people/jane-doe.jpg").write_bytes(jpeg(300, 300))
    with (sample_site / "content/people/jane-doe.yaml").open("a", encoding="utf-8") as out:
        out.write(facts)
    result = run_build(sample_site, "--now", "2025-08-01")
    assert result.returncode == 1 and message in result.stderr, result.stderr


def test_a_picture_named_with_other_capitals_is_told_its_real_name(sample_site: Path) -> None:
    (sample_site / "content/people/Jane-Doe.JPG").write_bytes(jpeg(300, 300))
    with (sample_site / "content/people/jane-doe.yaml").open("a", encoding="utf-8") as out:
        out.write("photo:\n  file: jane-doe.jpg\n" + ALT.format("x"))
    result = run_build(sample_site, "--now", "2025-08-01")
    assert result.returncode == 1, result.stderr
    assert "jane-doe.yaml:6: error: the picture 'content/people/jane-doe.jpg' does not exist\n    The file is named " \
           "'Jane-Doe.JPG': write the name exactly so, capitals and all." in result.stderr, result.stderr


def test_a_tall_picture_gets_only_the_variants_a_page_picture_may_have_and_a_name_with_spaces_a_sound_address(
        sample_site: Path) -> None:
    """1200×20000 pixels: at 1200 wide it would be over WebP's 16,383 pixels high, so only the narrower variants are
    made; the space and comma of its file name do not reach the addresses (a srcset splits at both)."""
    (sample_site / "content/people/my photo, big.png").write_bytes(huge_png(1200, 20_000))
    with (sample_site / "content/people/jane-doe.yaml").open("a", encoding="utf-8") as out:
        out.write("photo:\n  file: my photo, big.png\n" + ALT.format("Jane"))
    result = run_build(sample_site, "--now", "2025-08-01")
    assert result.returncode == 0, result.stderr
    person = (sample_site / "_site/en/people/jane-doe/index.html").read_text(encoding="utf-8")
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', person).group(1)
    assert [int(w) for w in re.findall(r" (\d+)w", webp)] == [480, 960]
    urls = re.findall(r"(/media/\S+) \d+w", webp)
    assert urls and all(url.startswith("/media/my-photo-big-") for url in urls), urls
    for url in urls:
        assert Image.open(sample_site / "_site" / url.lstrip("/")).height <= 16383


def huge_png(width: int, height: int) -> bytes:
    """A small PNG file that declares a picture of ``width`` × ``height`` pixels (its rows all blank)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\0" * (width + 1) * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xd8\xff not a picture at all" * 8,
     "content/people/jane-doe.jpg: error: the file is not a JPEG, PNG or WebP picture, or it is damaged"),
    (jpeg(300, 300)[:400], "content/people/jane-doe.jpg: error: the file ends before the picture does"),
    (png_with_alpha(300, 300)[:300], "content/people/jane-doe.jpg: error: the file ends before the picture does"),
    (huge_png(10_000, 10_000), "content/people/jane-doe.jpg: error: the picture has more than 89 million pixels, "
                               "too many to read safely\n    Save it at most 2880 pixels wide"),
    (huge_png(20_000, 20_000), "content/people/jane-doe.jpg: error: the picture has more than 89 million pixels"),
    (huge_png(400, 20_000), "content/people/jane-doe.jpg: error: the picture is 400×20000 pixels: even 400 pixels "
                            "wide it would be more than 16383 pixels high, the most a page picture may be\n"
                            "    Crop it to a less tall shape."),
])
def test_a_picture_that_cannot_be_read_is_a_located_error(sample_site: Path, data: bytes, message: str) -> None:
    (sample_site / "content/people/jane-doe.jpg").write_bytes(data)
    with (sample_site / "content/people/jane-doe.yaml").open("a", encoding="utf-8") as out:
        out.write("photo:\n  file: jane-doe.jpg\n" + ALT.format("Jane"))
    result = run_build(sample_site, "--now", "2025-08-01")
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "0x" not in result.stderr


def test_a_picture_over_the_limit_is_refused_even_with_variants_kept_from_before(sample_site: Path,
                                                                                 tmp_path: Path) -> None:
    """Variants kept in the picture cache (by an older version, say) do not let a picture of too many pixels by."""
    data = huge_png(10_000, 10_000)
    (sample_site / "content/people/jane-doe.jpg").write_bytes(data)
    with (sample_site / "content/people/jane-doe.yaml").open("a", encoding="utf-8") as out:
        out.write("photo:\n  file: jane-doe.jpg\n" + ALT.format("Jane"))
    key = hashlib.sha256(images.SETTINGS.encode() + b"\0" + data).hexdigest()
    entry = tmp_path / "cache/images" / key[:2] / key
    entry.mkdir(parents=True)
    (entry / "480.jpg").write_bytes(jpeg(480, 480))
    (entry / "index.json").write_text('{"480.jpg": [480, 480]}', encoding="utf-8")
    result = run_build(sample_site, "--now", "2025-08-01", env={**os.environ, images.CACHE_ENV: str(tmp_path / "cache")})
    assert result.returncode == 1
    assert "content/people/jane-doe.jpg: error: the picture has more than 89 million pixels" in result.stderr


def test_apply_url_must_be_https(sample_site: Path) -> None:
    facts = sample_site / "content/labs/impact-lab/2025.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("https://labs.example.org/apply",
                                                              "http://labs.example.org/apply"), encoding="utf-8")
    result = run_build(sample_site, "--now", "2025-08-01")
    assert result.returncode == 1
    assert "2025.yaml:7: error: 'http://labs.example.org/apply' is not an https:// web address" in result.stderr


def test_pages_without_a_picture_get_a_card_with_their_title_in_their_language(sample_site: Path) -> None:
    assert run_build(sample_site, "--now", "2025-08-01").returncode == 0
    out = sample_site / "_site"
    images = set()
    for lang in LANGS:
        html = (out / lang / "faq/index.html").read_text(encoding="utf-8")
        url = re.search(r'<meta property="og:image" content="https://labs.example.org/(og/[0-9a-f]{16}\.png)"', html)
        assert url, lang
        card = Image.open(out / url.group(1))
        assert card.size == (1200, 630)
        images.add(url.group(1))
    assert len(images) == 3  # one title per language
    assert draw_card("Сұрақтар мен жауаптар", "Орталық Азия", "Sample Labs") == draw_card(
        "Сұрақтар мен жауаптар", "Орталық Азия", "Sample Labs")


def test_a_title_with_signs_html_escapes_is_drawn_and_described_as_written(sample_site: Path) -> None:
    """A page title and a 404 text with ``&``, ``'`` and ``<``: the card shows them as written (it is named by what
    it shows), the og:image's alt text and the root 404 page escape them once."""
    about = sample_site / "content/pages/about.en.md"
    about.write_text(about.read_text(encoding="utf-8").replace("title: About (en)", "title: \"Q&A: it's <new>\""),
                     encoding="utf-8")
    catalogue = sample_site / "locales/ru/LC_MESSAGES/messages.po"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        'msgstr "Страница не найдена"', 'msgstr "Страница «A & B» не найдена"'), encoding="utf-8")
    assert run_build(sample_site, "--now", "2025-08-01").returncode == 0
    page = (sample_site / "_site/en/about/index.html").read_text(encoding="utf-8")
    alt = re.search(r'<meta property="og:image:alt" content="([^"]*)"', page)
    assert alt and unescape(alt.group(1)) == "Q&A: it's <new>", alt
    title = "Q&A: it's <new>"
    name = card_path(title, "Free film labs for Central Asia", "Sample Labs")
    assert f'content="https://labs.example.org/{name}"' in page
    assert (sample_site / "_site" / name).read_bytes() == draw_card(title, "Free film labs for Central Asia",
                                                                    "Sample Labs")
    root_404 = (sample_site / "_site/404.html").read_text(encoding="utf-8")
    assert "Страница «A &amp; B» не найдена" in root_404 and "&amp;amp;" not in root_404


@pytest.mark.parametrize(("written", "shown"), [
    ("🎬 Open call", "Open call"), ("Apply ★ now →", "Apply now"), ("开放 Лаборатория", "Лаборатория"),
    ("Кино\u00adмектеп", "Киномектеп"), ("🎬🎬", "")])
def test_a_card_leaves_out_what_its_font_lacks_rather_than_drawing_empty_boxes(written: str, shown: str) -> None:
    """An emoji or a Chinese letter in a title or tagline is no box on the card (the page itself shows it), nor a
    soft hyphen a hyphen: the card is the one of the text without them, under the same name."""
    tagline = "Орталық Азия"
    assert draw_card(written, tagline, "Sample Labs") == draw_card(shown, tagline, "Sample Labs")
    assert card_path(written, tagline, "Sample Labs") == card_path(shown, tagline, "Sample Labs")
    assert draw_card("Open call", f"🎬 {tagline}", "Sample 🎬 Labs") == draw_card("Open call", tagline, "Sample Labs")
    assert card_path("Open call", tagline, "Sample") != card_path("Open call", f"{tagline} 2", "Sample")


def test_every_letter_and_sign_of_the_three_languages_is_in_the_card_font() -> None:
    """What the card leaves out is only what its font lacks: every Kazakh, Russian and English letter and the signs
    their titles use are drawn, and a title of them is kept as written."""
    letters = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "0123456789"
    signs = "«»“”„‘’—–-…№%&()[]:;!?.,/'\"@#+=*·\u00a0"
    for char in letters + letters.lower() + signs:
        assert cards.drawable(char) == char, repr(char)
    assert cards.drawable("Impact Lab 2026:  «Жаңа» толқын") == "Impact Lab 2026:  «Жаңа» толқын"


@pytest.mark.parametrize("title", ["Сұрақтар мен жауаптар", "Impact Distribution Lab " * 12, "W" * 80, ""])
def test_a_card_assembled_from_parts_is_a_sound_png_of_the_title_drawn_on_the_card(title: str) -> None:
    """Each chunk's and the stream's checksums hold, and the picture is the title drawn in white on the background."""
    data = draw_card(title, "Орталық Азия", "Sample Labs")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        length, kind = int.from_bytes(data[at:at + 4], "big"), data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        assert zlib.crc32(kind + body) == int.from_bytes(data[at + 8 + length:at + 12 + length], "big"), kind
        chunks.append((kind, body))
        at += 12 + length
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    rows = zlib.decompress(chunks[2][1])  # checks the stream's Adler-32 too
    assert len(rows) == 630 * 1201 and rows[::1201] == bytes(630)  # every row: filter byte 0, then 1,200 pixels
    card = Image.open(io.BytesIO(data))
    card.load()
    assert card.mode == "P" and card.size == (1200, 630)
    expected = cards._background("Sample Labs", "Орталық Азия").convert("RGB")
    face, lines = cards.fit_title(title)
    height = round(face.size * 1.18)
    draw = ImageDraw.Draw(expected)
    for index, line in enumerate(lines):
        draw.text((cards.MARGIN, 330 - len(lines) * height // 2 + index * height), line, font=face, fill=cards.WHITE)
    difference = ImageChops.difference(card.convert("RGB"), expected)
    assert max(high for _, high in difference.getextrema()) <= 6  # the palette's steps: within 2.5 % of each pixel


@pytest.mark.parametrize("title", [
    "Сұрақтар мен жауаптар: Ғылым, Ұлттық кино және «Жаңа» толқын", "Клифф Уилсон",
    "Открытый набор — AVAWAY, Ту, Ты, Уу, Ёлка, fi ff j (2026)",
    "дружба Өнер Йогурт фудзи Группа Ёлка Қыз Ұлы Өнер Әйгерім Группа Жоғары Ұлы Группа Йогурт Ўзбекистон рyg",
    "Impact Distribution Lab " * 12, "W" * 80, "News 7 (kk)", ""])
def test_a_title_set_glyph_by_glyph_is_the_title_pillow_draws(title: str) -> None:
    """The title's band, made of glyphs drawn once and set in place, is pixel for pixel the lines as Pillow draws
    them: glyphs whose ink meets ('Кл' in the heavy weight) and lines whose ink meets (a 'р' above an 'Ў') included."""
    face, lines = cards.fit_title(title)
    top, bottom = cards.TITLE_BAND
    expected = Image.new("L", (1200, bottom - top), 0)
    draw = ImageDraw.Draw(expected)
    height = round(face.size * 1.18)
    for index, line in enumerate(lines):
        draw.text((cards.MARGIN, 330 - len(lines) * height // 2 - top + index * height), line, font=face,
                  fill=cards._STEPS)
    assert cards.title_coverage(face, lines).tobytes() == expected.tobytes()
    assert title.strip() == "" or expected.getbbox() is not None


def test_error_pages_are_not_indexed_and_the_root_one_speaks_every_language(sample_site: Path) -> None:
    assert run_build(sample_site, "--now", "2025-08-01").returncode == 0
    out = sample_site / "_site"
    for page in [out / "404.html", *(out / lang / "404.html" for lang in LANGS)]:
        html = page.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html and "hreflang=\"x-default\"" not in html
        assert 'rel="canonical"' not in html and '<link rel="alternate" hreflang' not in html
    root = (out / "404.html").read_text(encoding="utf-8")
    for lang, words in (("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")):
        assert f'<li lang="{lang}">' in root and words in root


def test_root_page_introduces_the_labs_in_every_language(sample_site: Path) -> None:
    assert run_build(sample_site, "--now", "2025-08-01").returncode == 0
    root = (sample_site / "_site/index.html").read_text(encoding="utf-8")
    for lang, words in (("ru", "Бесплатные образовательные программы"), ("en", "Free film-education programmes")):
        intro = re.search(rf'<li lang="{lang}">\s*<p class="choice-intro">([^<]+)</p>', root)
        assert intro and words in intro.group(1)
    assert 'property="og:image"' in root and 'rel="icon"' in root


def test_a_date_within_a_line_is_written_as_its_language_writes_it_and_a_row_starts_with_a_capital(
        sample_site: Path) -> None:
    """The home page's "Now: … (февраль 2026 г. и далее)" keeps the month in lower case, as Russian writes it
    within a sentence; the edition's timeline row, which starts with the date, begins with a capital."""
    assert run_build(sample_site, "--now", "2026-03-01").returncode == 0
    home = (sample_site / "_site/ru/index.html").read_text(encoding="utf-8")
    now = re.search(r'<span class="phase-tag">[^<]*</span> <span>[^<]*</span> <span class="meta">\(([^)]*)\)', home)
    assert now and re.sub(r"\s", " ", unescape(now.group(1))) == "февраль 2026 г. и далее", now
    edition = (sample_site / "_site/ru/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    rows = [re.sub(r"\s", " ", unescape(row)) for row in re.findall(r'<span class="step-when">(?:<[^>]+>)*([^<]+)',
                                                                    edition)]
    assert "Февраль 2026 г. и далее" in rows, rows


@pytest.mark.parametrize("title", ["Apply at alternativa.film/impact-distribution-lab-2025-application-form",
                                   "W" * 80, "Қазақстандағыкинематографистердіңимпактзертханасы " * 3])
def test_a_word_wider_than_the_card_is_cut_short_with_an_ellipsis_not_off_the_edge(title: str) -> None:
    face, lines = cards.fit_title(title)
    width = cards.WIDTH - 2 * cards.MARGIN
    assert all(face.getlength(line) <= width for line in lines), lines
    assert any(line.endswith("…") for line in lines)
    box = cards.title_coverage(face, lines).getbbox()
    assert box is not None and box[2] <= cards.WIDTH - cards.MARGIN + 2


def test_a_date_that_starts_a_line_or_a_value_starts_with_a_capital(sample_site: Path) -> None:
    """«Май 2025 г.» opening a news item's line, «Июль 2025 г. и далее» as an edition's dates (on its card too) and
    «Сентябрь 2025 г.» as its deadline."""
    (sample_site / "content/news/may.yaml").write_text("date: 2025-05\n", encoding="utf-8")
    (sample_site / "content/news/may.ru.md").write_text("---\ntitle: Майская новость\nsummary: Кратко.\n---\nТекст.\n",
                                                        encoding="utf-8")
    edition = sample_site / "content/labs/impact-lab/2025.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("start: 2025-07-01\n", "start: 2025-07\n", 1)
                       .replace("    end: 2025-09-30 23:59\n", "    end: 2025-09\n"), encoding="utf-8")
    result = run_build(sample_site, "--now", "2025-08-01")
    assert result.returncode == 0, result.stderr
    site = sample_site / "_site/ru"

    def shown(path: str, pattern: str) -> list[str]:
        text = (site / path).read_text(encoding="utf-8")
        return [re.sub(r"\s", " ", unescape(found)) for found in re.findall(pattern, text)]
    assert "Май 2025 г." in shown("news/index.html", r'<time datetime="2025-05">([^<]+)')
    assert "Май 2025 г." in shown("news/may/index.html", r'<time datetime="2025-05">([^<]+)')
    assert "Июль 2025 г. и далее" in shown("labs/impact-lab/2025/index.html", r"<dd>([^<]+)</dd>")
    assert "Сентябрь 2025 г." in shown("labs/impact-lab/2025/index.html", r"<dd>([^<]+)</dd>")  # the deadline
    assert "Июль 2025 г. и далее" in shown("labs/index.html", r'<span class="nowrap-parts">([^<]+)')
