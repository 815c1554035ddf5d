"""The og:image of a page without a picture of its own: a 1200×630 card with the page title in its language.

The font is Noto Sans (SIL Open Font License 1.1) from the ``fontpkg-noto-sans`` package, pinned in
``requirements.txt``: it has every Kazakh letter, and the same file on every machine keeps the cards
byte-identical from build to build. A card is named by the hash of what it shows, so the card of an unchanged
title is taken from the previous site rather than drawn again.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from . import png

WIDTH, HEIGHT = 1200, 630
CARDS_DIR = "og"
#: Changed whenever the drawing below changes, so that cached cards are drawn again.
DESIGN = "card v6"
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


#: A character no font has (the last private-use one of plane 16): it draws as the font's mark of a missing glyph.
_NOWHERE = "\U0010fffd"
#: A soft hyphen: a browser shows it only where a line breaks there, a font draws it as a hyphen.
_SOFT_HYPHEN = "\u00ad"


def _outline(char: str) -> tuple[tuple[float, ...], float]:
    """Where ``char`` inks and how far it moves the pen, in the face that judges what the font has."""
    face = font(46, 800)
    return tuple(face.getbbox(char)), face.getlength(char)


@functools.lru_cache(maxsize=4096)
def _in_font(char: str) -> bool:
    """Whether the card's font has ``char``: it draws something other than its mark of a missing glyph (a box).
    The outlines differ for nearly every glyph; only one with the box's outline is drawn to compare."""
    if char.isspace() or _outline(char) != _outline(_NOWHERE):
        return True
    face = font(46, 800)
    return bytes(face.getmask(char)) != bytes(face.getmask(_NOWHERE))


def drawable(text: str) -> str:
    """``text`` as a card shows it: without the characters its font lacks (an emoji, a Chinese or Arabic letter,
    which would each be an empty box) and soft hyphens, spaces closed up where one was left out."""
    kept = "".join(char for char in text if char != _SOFT_HYPHEN and _in_font(char))
    return text if kept == text else " ".join(kept.split())


def card_path(title: str, tagline: str, site: str) -> str:
    """The output path of a card: named by the hash of everything drawn on it (see :func:`drawable`)."""
    shown = (drawable(site), drawable(title), drawable(tagline))
    key = hashlib.sha256("\0".join((DESIGN, *shown)).encode("utf-8")).hexdigest()[:16]
    return f"{CARDS_DIR}/{key}.png"


#: A card made before, by its output path: a file of the previous site, or its bytes; ``None`` when there is none.
Known = Callable[[str], "bytes | Path | None"]


class Cards:
    """The cards that pages name, by output path: each one found among the cards made before, else drawn."""

    def __init__(self, known: Known | None = None) -> None:
        self.known = known
        self.made: dict[str, bytes | Path] = {}

    def card(self, title: str, tagline: str, site: str) -> str:
        """The output path of the card with ``title``, found or drawn (in :attr:`made`)."""
        path = card_path(title, tagline, site)
        if path not in self.made:
            found = self.known(path) if self.known is not None else None
            self.made[path] = found if found is not None else draw_card(title, tagline, site)
        return path


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
    shown = words[:2] + [" ".join(words[2:3]) + " …"] if len(words) > 3 else words
    return face, [_cut(line, face, WIDTH - 2 * MARGIN) for line in shown]


def _cut(line: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """``line`` as it fits ``width``: cut short with '…' when a word alone is wider (a long web address)."""
    if _length(face, line) <= width:
        return line
    while line and _length(face, line.rstrip(" …") + "…") > width:
        line = line[:-1]
    return line.rstrip(" …") + "…"


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


#: How many steps of colour lie between the ground and each colour of text drawn on it.
_STEPS = 126


@functools.cache
def _palette() -> Image.Image:
    """The card's colours: the ground and 126 steps from it to white at indices 0 to 126 (so that the title's
    coverage, drawn with the value 126, is its colour's index), then the strip, the amber and 126 steps from the
    ground to the tagline's colour."""
    def towards(colour: tuple[int, int, int], step: int) -> tuple[int, ...]:
        return tuple(round(a + (b - a) * step / _STEPS) for a, b in zip(INK, colour, strict=True))
    colours = [*(towards(WHITE, k) for k in range(_STEPS + 1)), STRIP, AMBER,
               *(towards(SOFT, k) for k in range(1, _STEPS + 1))]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette


@dataclass(frozen=True)
class _Frame:
    """What every card of a site in one language shares, as PNG: the header and palette, and the compressed rows
    above and below the title's band with their checksum (so that only the band is compressed for each card)."""

    head: bytes
    top: bytes
    bottom: bytes
    top_adler: int
    bottom_adler: int
    bottom_size: int


@functools.lru_cache(maxsize=8)
def _frame(site: str, tagline: str) -> _Frame:
    """The shared parts of the cards of ``site`` with ``tagline``."""
    background = _background(site, tagline)
    pixels = background.tobytes()
    colours = bytes((background.getpalette() or [])[: 3 * (2 * _STEPS + 3)])
    header = WIDTH.to_bytes(4, "big") + HEIGHT.to_bytes(4, "big") + bytes([8, 3, 0, 0, 0])  # 8 bits, a palette
    top, bottom = TITLE_BAND
    above, below = png.scanlines(pixels[: top * WIDTH], WIDTH), png.scanlines(pixels[bottom * WIDTH:], WIDTH)
    return _Frame(png.SIGNATURE + png.chunk(b"IHDR", header) + png.chunk(b"PLTE", colours),
                  png.ZLIB_HEADER + png.deflated(above, last=False), png.deflated(below, last=True), zlib.adler32(above),
                  zlib.adler32(below), len(below))


def draw_card(title: str, tagline: str, site: str) -> bytes:
    """Draw a card: film-strip edges, the site's name, the title and a tagline (each as :func:`drawable` leaves
    it), as an 8-bit palette PNG.

    Only the title differs from card to card. Its coverage is drawn alone (:func:`title_coverage`), as the
    palette's steps from the ground towards white; only the rows it inks are compressed (as runs: zlib's
    ``Z_RLE``, a third faster than its default for 5 % more bytes), set between plain rows compressed once per
    height (:func:`.png.plain`) and the rows above and below the band, compressed once per site and language (see
    :class:`_Frame`). A card takes a fifteenth (a short title) to a seventh (three lines) of the time of drawing
    it whole and saving it with Pillow.
    """
    face, lines = fit_title(drawable(title))
    top, bottom = TITLE_BAND
    coverage = title_coverage(face, lines)
    frame = _frame(drawable(site), drawable(tagline))
    box = coverage.getbbox()
    start, end = (box[1], box[3]) if box else (0, 0)
    inked = png.scanlines(coverage.tobytes()[start * WIDTH:end * WIDTH], WIDTH)
    checksum = png.after_plain(frame.top_adler, start, WIDTH)
    checksum = png.after_plain(zlib.adler32(inked, checksum), bottom - top - end, WIDTH)
    checksum = png.adler_joined(checksum, frame.bottom_adler, frame.bottom_size)
    stream = (frame.top + png.plain(start, WIDTH) + (png.deflated(inked, False, zlib.Z_RLE) if inked else b"")
              + png.plain(bottom - top - end, WIDTH) + frame.bottom + checksum.to_bytes(4, "big"))
    return frame.head + png.chunk(b"IDAT", stream) + png.chunk(b"IEND", b"")


def title_coverage(face: ImageFont.FreeTypeFont, lines: list[str]) -> Image.Image:
    """The title's band with each line drawn in the value :data:`_STEPS`, pixel for pixel as Pillow draws it.

    Pillow renders a line glyph by glyph, each at the pen's position rounded to a whole pixel, joining the
    coverages of glyphs that meet as ``a + b - a·b/255`` (rounded), then paints the line over what is drawn.
    Rendering a glyph of the variable font is most of that time. Here each glyph is rendered once per size
    (:func:`_glyph`) and set at the same places, joined the same way, and each line painted the same way.
    """
    top, bottom = TITLE_BAND
    coverage = Image.new("L", (WIDTH, bottom - top), 0)
    draw = ImageDraw.Draw(coverage)
    line_height = round(face.size * 1.18)
    first = 330 - (len(lines) * line_height) // 2 - top
    for index, line in enumerate(lines):
        placed: list[tuple[Image.Image, tuple[int, int, int, int]]] = []
        pen, y = 0, first + index * line_height
        for char in line:
            glyph, left, up, advance = _glyph(face, char)
            if glyph is not None:
                x = MARGIN + ((pen + 32) >> 6) + left
                placed.append((glyph, (x, y + up, x + glyph.width, y + up + glyph.height)))
            pen += advance
        if not placed:
            continue
        x0, y0 = min(box[0] for _, box in placed), min(box[1] for _, box in placed)
        mask = Image.new("L", (max(box[2] for _, box in placed) - x0, max(box[3] for _, box in placed) - y0), 0)
        reach = x0  # how far right the glyphs set so far reach
        for glyph, box in placed:
            here = (box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0)
            if box[0] < reach:  # it may meet one of them
                mask.paste(_joined(mask.crop(here), glyph), here)
            else:
                mask.paste(glyph, here)
            reach = max(reach, box[2])
        draw.bitmap((x0, y0), mask, fill=_STEPS)
    return coverage


def _joined(below: Image.Image, glyph: Image.Image) -> Image.Image:
    """Two coverages of one place joined as Pillow joins touching glyphs: ``a + b - a·b/255``, rounded."""
    joined = ImageChops.lighter(below, glyph)  # exact wherever one of the two is 0
    both = ImageChops.darker(below, glyph).getbbox()
    if both is None:
        return joined
    part = [a + b - (a * b + 127) // 255 for a, b in zip(below.crop(both).tobytes(), glyph.crop(both).tobytes(),
                                                          strict=True)]
    joined.paste(Image.frombytes("L", (both[2] - both[0], both[3] - both[1]), bytes(part)), both)
    return joined


@functools.lru_cache(maxsize=4096)
def _glyph(face: ImageFont.FreeTypeFont, char: str) -> tuple[Image.Image | None, int, int, int]:
    """One glyph's coverage (``None`` when it inks nothing), where it starts from the pen (right, down from the
    ascender) and how far it moves the pen (1/64 pixel)."""
    left, up, right, down = (round(v) for v in face.getbbox(char))
    advance = round(face.getlength(char) * 64)
    if right <= left or down <= up:
        return None, left, up, advance
    glyph = Image.new("L", (right - left, down - up), 0)
    ImageDraw.Draw(glyph).text((-left, -up), char, font=face, fill=255)
    return glyph, left, up, advance
