"""Save full-page PNGs of a built site's main page types, per language, at phone, tablet and desktop width.

Usage: python3 scripts/screenshots.py OUT_DIR [--site _site] [--page PATH ...]

Build the site first (python3 build.py build --now 2026-11-22). Each PNG is named
<lang>-<page>-<width>.png, e.g. ru-labs-impact-lab-2024-360.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, chromium_path, serve_directory  # noqa: E402

LANGUAGES = ("kk", "ru", "en")
WIDTHS = (360, 768, 1280)
PAGES = (
    "",
    "labs/",
    "labs/impact-lab/2024/",
    "labs/impact-distribution-lab/2025/",
    "faq/",
    "news/impact-lab-2024-open-call/",
    "people/danielle-turkov/",
    "about/",
)


def png_name(lang: str, page: str, width: int) -> str:
    """Return the file name of one screenshot."""
    slug = page.strip("/").replace("/", "-") or "home"
    return f"{lang}-{slug}-{width}.png"


def take(site: Path, out: Path, pages: tuple[str, ...]) -> list[Path]:
    """Open every page in every language at every width and save a full-page PNG of each."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                for lang in LANGUAGES:
                    for path in pages:
                        page.goto(f"{base}{lang}/{path}", wait_until="load")
                        target = out / png_name(lang, path, width)
                        page.screenshot(path=str(target), full_page=True)
                        written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNGs")
    parser.add_argument("--site", type=Path, default=ROOT / "_site", help="the built site")
    parser.add_argument("--page", action="append", help="a page path under /<lang>/ (repeatable)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} has no index.html: build the site first")
    pages = tuple(args.page) if args.page else PAGES
    for path in take(args.site, args.out, pages):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
