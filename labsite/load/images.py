"""Pictures of the content as responsive variants: WebP and a JPEG (or PNG) fallback at three widths.

Each variant is made once per source file content: the encoded bytes are kept in the cache folder under
the hash of the source and of the settings below, so a rebuild reads them instead of encoding again and
two builds of the same input give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..model.items import Image as ContentImage
from ..model.problems import Problems
from .paths import replace_file

#: The widths made of each picture (never wider than the original).
WIDTHS = (480, 960, 1440)
MEDIA_DIR = "media"
#: Changed whenever the encoding below changes, so that cached variants are made again.
SETTINGS = "v1 webp q78 m4; jpeg q80 progressive optimize; png optimize"
CACHE_ENV = "LABSITE_CACHE_DIR"
#: The tallest picture WebP can hold; a variant that would be taller is not made.
WEBP_MAX = 16383
#: What a file name may not bring into an address: spaces and the signs that end or split one (a comma splits a
#: srcset).
_UNSAFE_NAME = re.compile(r"[\s,;\"'<>#?%\\]+")


@dataclass(frozen=True)
class Variant:
    """One encoded size of a picture."""

    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A picture ready for ``<picture>``: WebP and fallback variants, smallest first."""

    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]
    fallback_type: str

    @property
    def largest(self) -> Variant:
        """The widest fallback variant (for og:image)."""
        return self.fallback[-1]

    def view(self, alt: str, alt_lang: str) -> dict[str, object]:
        """What the ``picture`` macro needs, with the alt text of one language."""
        middle = self.fallback[len(self.fallback) // 2]
        return {"src": middle.url, "width": middle.width, "height": middle.height,
                "srcset": ", ".join(f"{v.url} {v.width}w" for v in self.fallback),
                "webp_srcset": ", ".join(f"{v.url} {v.width}w" for v in self.webp),
                "alt": alt, "alt_lang": alt_lang, "og": self.largest}


def cache_dir(root: Path) -> Path:
    """Where generated pictures are kept between builds: ``$LABSITE_CACHE_DIR`` or ``.cache/`` in the project."""
    return Path(os.environ.get(CACHE_ENV) or root / ".cache")


def make_pictures(root: Path, images: list[ContentImage],
                  problems: Problems) -> tuple[dict[str, Picture], dict[str, bytes]]:
    """Every content picture's variants: the pictures by source file, and the files to publish."""
    pictures: dict[str, Picture] = {}
    files: dict[str, bytes] = {}
    for image in images:
        data = (root / image.file).read_bytes()
        try:
            with warnings.catch_warnings():  # Pillow only warns up to twice its limit: a picture over it is refused
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as header:  # judged on every build, even when its variants are kept
                    wide, high = header.size
                narrowest = min(WIDTHS[0], wide)
                if high * narrowest > WEBP_MAX * wide:
                    problems.error(image.file, 0, f"the picture is {wide}×{high} pixels: even {narrowest} pixels wide "
                                   f"it would be more than {WEBP_MAX} pixels high, the most a page picture may be",
                                   "Crop it to a less tall shape.")
                    continue
                encoded = cached_variants(data, cache_dir(root) / "images")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            problems.error(image.file, 0, f"the picture has more than {(Image.MAX_IMAGE_PIXELS or 0) // 1_000_000} million "
                           "pixels, too many to read safely",
                           f"Save it at most {2 * WIDTHS[-1]} pixels wide: pages show it at most {WIDTHS[-1]} wide.")
            continue
        except UnidentifiedImageError:
            problems.error(image.file, 0, "the file is not a JPEG, PNG or WebP picture, or it is damaged",
                           "Save it again as a JPEG, PNG or WebP file.")
            continue
        except (OSError, ValueError) as exc:
            why = ("the file ends before the picture does: it was not copied or saved whole"
                   if "truncated" in str(exc).lower() else f"the picture cannot be read: {exc}")
            problems.error(image.file, 0, why, "Save it again as a JPEG, PNG or WebP file.")
            continue
        stem = _UNSAFE_NAME.sub("-", Path(image.file).stem).strip("-") or "picture"
        digest = hashlib.sha256(data).hexdigest()[:10]
        webp: list[Variant] = []
        fallback: list[Variant] = []
        for name, (width, height, body) in sorted(encoded.items(), key=lambda kv: (kv[1][0], kv[0])):
            suffix = name.rsplit(".", 1)[1]
            path = f"{MEDIA_DIR}/{stem}-{digest}-{width}.{suffix}"
            files[path] = body
            (webp if suffix == "webp" else fallback).append(Variant(f"/{path}", width, height))
        kind = "image/png" if fallback and fallback[0].url.endswith(".png") else "image/jpeg"
        pictures[image.file] = Picture(tuple(webp), tuple(fallback), kind)
    return pictures, files


def cached_variants(data: bytes, folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """The encoded variants of one picture, by name (``960.webp``), from the cache or made now."""
    key = hashlib.sha256(SETTINGS.encode() + b"\0" + data).hexdigest()
    entry = folder / key[:2] / key
    index = entry / "index.json"
    if index.is_file():
        try:
            sizes = json.loads(index.read_text(encoding="utf-8"))
            return {name: (w, h, (entry / name).read_bytes()) for name, (w, h) in sizes.items()}
        except (OSError, ValueError):
            pass  # a damaged entry is made again
    variants = encode_variants(data)
    entry.mkdir(parents=True, exist_ok=True)
    for name, (_, _, body) in variants.items():
        replace_file(entry / name, body)
    sizes_json = json.dumps({name: [w, h] for name, (w, h, _) in variants.items()}, sort_keys=True)
    replace_file(index, sizes_json.encode("utf-8"))
    return variants


def encode_variants(data: bytes) -> dict[str, tuple[int, int, bytes]]:
    """Resize and encode a picture: WebP and JPEG (PNG when it has transparency) at each width."""
    with Image.open(io.BytesIO(data)) as opened:
        picture = ImageOps.exif_transpose(opened)
        picture.load()
    alpha = picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info)
    picture = picture.convert("RGBA" if alpha else "RGB")
    result: dict[str, tuple[int, int, bytes]] = {}
    for width in sorted({min(w, picture.width) for w in WIDTHS}):
        height = max(1, round(picture.height * width / picture.width))
        if height > WEBP_MAX:  # only the narrower variants of a very tall picture
            continue
        sized = picture if width == picture.width else picture.resize((width, height), Image.Resampling.LANCZOS)
        result[f"{width}.webp"] = (width, height, _encode(sized, "WEBP", quality=78, method=4))
        if alpha:
            result[f"{width}.png"] = (width, height, _encode(sized, "PNG", optimize=True))
        else:
            result[f"{width}.jpg"] = (width, height, _encode(sized, "JPEG", quality=80, progressive=True, optimize=True))
    return result


def _encode(picture: Image.Image, fmt: str, **options: object) -> bytes:
    """One picture's bytes in a format, without any metadata."""
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()
