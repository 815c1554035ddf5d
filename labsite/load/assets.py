"""Static files, fingerprinted so that browsers may cache them for a long time."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .paths import readable

STATIC_DIR = "static"
#: Files whose names get a content hash; others keep their names (robots, icons linked by name).
FINGERPRINTED = (".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".webp", ".woff2")
#: Hex digits of the content hash in a fingerprinted name (``style.0123456789.css``).
DIGEST_LENGTH = 10


@dataclass(frozen=True)
class Assets:
    """Static files by their source name, with the URL each is published at."""

    files: dict[str, bytes]
    urls: dict[str, str]

    def url(self, name: str) -> str:
        """The published URL of ``static/<name>``."""
        return self.urls[name]


def load_assets(root: Path) -> Assets:
    """Read ``static/`` and give each file its fingerprinted output path."""
    folder = root / STATIC_DIR
    files: dict[str, bytes] = {}
    urls: dict[str, str] = {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.name.startswith(".") or not readable(root, path):
            continue  # links leading out of the project are reported by paths.check_links
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if path.suffix == ".css":
            data = minify_css(data.decode("utf-8")).encode("utf-8")
        out = PurePosixPath(STATIC_DIR, name)
        if out.suffix in FINGERPRINTED:
            digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
            out = out.with_name(f"{out.stem}.{digest}{out.suffix}")
        files[out.as_posix()] = data
        urls[name] = f"/{out.as_posix()}"
    return Assets(files, urls)


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_AROUND = re.compile(r"\s*([{};,>])\s*")


def minify_css(css: str) -> str:
    """The style sheet without comments and the spaces a browser does not need (pages stay under budget)."""
    css = _AROUND.sub(r"\1", " ".join(_COMMENT.sub("", css).split()))
    return css.replace(";}", "}").strip() + "\n"
