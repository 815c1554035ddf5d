"""The og:image of a page without a picture of its own: a 1200×630 card with the page title in its language.

The font is Noto Sans (SIL Open Font License 1.1) from the ``fontpkg-noto-sans`` package, pinned in
``requirements.txt``: it has every Kazakh letter, and the same file on every machine keeps the cards
byte-identical from build to build. Cards are kept in the cache folder under the hash of what they show.
"""

from __future__ import annotations

import functools
import hashlib
import io
from importlib.resources import files
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..load.images import _write_atomic

WIDTH, HEIGHT = 1200, 630
CARDS_DIR = "og"
#: Changed whenever the drawing below changes, so that cached cards are drawn again.
DESIGN = "card v4"
INK, AMBER, WHITE, SOFT, STRIP = (23, 20, 15), (242, 178, 51), (255, 255, 255), (222, 214, 200), (61, 54, 44)
MARGIN = 80


@functools.cache
def font_path() -> Path:
    """The Noto Sans variable font shipped in the ``fontpkg-noto-sans`` package."""
    return Path(str(files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"))


@functools.cache
def font(size: int, weight: int) -> ImageFont.FreeTypeFont:
    """Noto Sans at a size and weight, laid out without complex shaping (the same on every machine)."""
    face = ImageFont.truetype(str(font_path()), size, layout_engine=ImageFont.Layout.BASIC)
    face.set_variation_by_axes([weight, 100])
    return face


def card_path(title: str, tagline: str, site: str) -> str:
    """The output path of a card: named by the hash of everything drawn on it."""
    key = hashlib.sha256("\0".join((DESIGN, site, title, tagline)).encode("utf-8")).hexdigest()[:16]
    return f"{CARDS_DIR}/{key}.png"


def card(title: str, tagline: str, site: str, cache: Path) -> tuple[str, Path]:
    """A card's output path and its PNG file in the ``cache`` folder, drawn there unless it was drawn before."""
    path = card_path(title, tagline, site)
    cached = cache / path
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(cached, draw_card(title, tagline, site))
    return path, cached


@functools.lru_cache(maxsize=4096)
def _length(face: ImageFont.FreeTypeFont, text: str) -> float:
    """How wide ``text`` is in ``face``: a line's width is its words' and spaces' widths added up (no kerning)."""
    return face.getlength(text)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels (a too-long word stands on its own line)."""
    return [line for line, _ in _wrapped(text, face, width)]


def _wrapped(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[tuple[str, float]]:
    """The lines of :func:`wrap`, each with its width."""
    space = _length(face, " ")
    lines: list[tuple[str, float]] = []
    for word in text.split():
        length = _length(face, word)
        if lines and lines[-1][1] + space + length <= width:
            lines[-1] = (f"{lines[-1][0]} {word}", lines[-1][1] + space + length)
        else:
            lines.append((word, length))
    return lines or [("", 0.0)]


def fit_title(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size whose lines fit the card in at most three lines."""
    for size in (84, 76, 68, 60, 52, 46):
        face = font(size, 800)
        lines = _wrapped(title, face, WIDTH - 2 * MARGIN)
        if len(lines) <= 3 and all(length <= WIDTH - 2 * MARGIN for _, length in lines):
            return face, [line for line, _ in lines]
    face = font(46, 800)
    words = wrap(title, face, WIDTH - 2 * MARGIN)
    return face, words[:2] + [" ".join(words[2:3]) + " …"] if len(words) > 3 else words


#: The band of the card the title is drawn in: plain ground between the mark and the amber bar.
TITLE_BAND = (136, 508)


@functools.lru_cache(maxsize=8)
def _background(site: str, tagline: str) -> Image.Image:
    """What every card of a site in one language shows, in the card's palette: film-strip edges, the mark, the
    site's name and the tagline."""
    image = Image.new("RGB", (WIDTH, HEIGHT), INK)
    draw = ImageDraw.Draw(image)
    for y in (18, HEIGHT - 34):  # the perforations of a film strip along both edges
        for x in range(0, WIDTH, 40):
            draw.rounded_rectangle((x + 8, y, x + 30, y + 16), radius=3, fill=STRIP)
    draw.rounded_rectangle((MARGIN, 88, MARGIN + 44, 132), radius=8, fill=AMBER)
    draw.polygon([(MARGIN + 22, 97), (MARGIN + 35, 123), (MARGIN + 9, 123)], fill=INK)
    draw.text((MARGIN + 64, 110), site.upper(), font=font(30, 800), fill=WHITE, anchor="lm")
    draw.rectangle((MARGIN, 512, MARGIN + 96, 518), fill=AMBER)
    draw.text((MARGIN, 540), tagline, font=font(30, 500), fill=SOFT)
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


#: The palette's first step towards white, after the ground, the strip and the amber.
_FIRST_WHITE = 3
_STEPS = 126


@functools.cache
def _palette() -> Image.Image:
    """The card's colours: the flat ones, and 126 steps from the ground to each colour of text drawn on it."""
    def towards(colour: tuple[int, int, int], step: int) -> tuple[int, ...]:
        return tuple(round(a + (b - a) * step / _STEPS) for a, b in zip(INK, colour, strict=True))
    colours = [INK, STRIP, AMBER, *(towards(WHITE, k) for k in range(1, _STEPS + 1)),
               *(towards(SOFT, k) for k in range(1, _STEPS + 1))]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette


#: A pixel of the title's coverage (0–255) as the palette's colour: the ground, or a step towards white.
_WHITE_STEPS = [_FIRST_WHITE - 1 + step if (step := round(value * _STEPS / 255)) else 0 for value in range(256)]


def draw_card(title: str, tagline: str, site: str) -> bytes:
    """Draw a card: film-strip edges, the site's name, the title and a tagline.

    The title's coverage is drawn alone, in grey, and each grey becomes the palette's step from the ground towards
    white, so that the card never needs matching to its palette. Saved with the palette of its own colours at zlib
    level 3: about an eighth of the time of a full-colour PNG at level 6, and 40 % smaller; level 6 would save
    another 4 KB for twice the time.
    """
    face, lines = fit_title(title)
    line_height = round(face.size * 1.18)
    top, bottom = TITLE_BAND
    coverage = Image.new("L", (WIDTH, bottom - top), 0)
    draw = ImageDraw.Draw(coverage)
    first = 330 - (len(lines) * line_height) // 2 - top
    for index, line in enumerate(lines):
        draw.text((MARGIN, first + index * line_height), line, font=face, fill=255)
    image = _background(site, tagline).copy()
    image.paste(Image.frombytes("P", coverage.size, coverage.point(_WHITE_STEPS).tobytes()), (0, top))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()
