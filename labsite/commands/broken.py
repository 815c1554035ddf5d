"""What the preview adds to the pages, in its answers only: the errors of a broken build (in place of a page or
above it), the warnings of a good one, and why an address whose content exists shows no page."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from ..load.sources import CONTENT_DIR
from ..model.problems import Problem

ERROR_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Build failed</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}}
pre{{background:#fff3f3;border-left:4px solid #b00020;padding:1rem;white-space:pre-wrap}}</style>
</head>
<body>
<h1>The site could not be rebuilt</h1>
<p>{summary} The last good pages are kept; this page reloads by itself once the file is fixed.</p>
<pre class="problems">{problems}</pre>
{last_good}</body>
</html>
"""


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order the command line prints them: errors first."""
    return sorted(problems, key=lambda p: (not p.is_error, p.path, p.line))


def failure_text(problems: Iterable[Problem]) -> tuple[str, str]:
    """A summary and the problems that stopped the build, as the command line prints them."""
    listed = ordered(problems)
    errors = [p for p in listed if p.is_error]
    if not errors:
        return f"{len(listed)} warning(s) in --strict mode.", "\n".join(map(str, listed))
    return f"{len(errors)} error(s).", "\n".join(map(str, listed))


def error_page(problems: Iterable[Problem], last_good: str = "") -> bytes:
    """The page shown instead of any page while the build is broken: the command line's text."""
    summary, text = failure_text(problems)
    link = f'<p><a href="{html.escape(last_good)}">Show the last good version of this page</a></p>\n' if last_good else ""
    return ERROR_PAGE.format(summary=summary, problems=html.escape(text), last_good=link).encode("utf-8")


def with_broken_banner(page: bytes, url_path: str, summary: str) -> bytes:
    """A last good page with a banner at the top saying that the build is broken, linking to its errors."""
    banner = (f'<p class="draft-banner" role="alert">The site could not be rebuilt: {html.escape(summary)} This is '
              f'the last good version of this page. <a href="{html.escape(quote(url_path))}">Show the errors</a></p>')
    return _at_top(page, banner)


#: The warnings' panel: folded, so that it takes one line of the page until opened.
WARNINGS_PANEL = ('<details class="preview-warnings" role="note" style="font:14px/1.4 system-ui,sans-serif;'
                  'background:#fff4e0;color:#1a1a1a;border-bottom:2px solid #b06000;padding:.375rem 1rem">'
                  '<summary style="cursor:pointer;font-weight:700">Preview: {count} warning(s) in the content. The '
                  'site builds; open this to see them (the published site never shows this).</summary>'
                  '<pre style="white-space:pre-wrap;margin:.5rem 0">{text}</pre></details>')


def with_warnings(page: bytes, warnings: Iterable[Problem]) -> bytes:
    """A page with the build's warnings in a folded panel at the top, as the terminal shows them."""
    listed = ordered(warnings)
    if not listed:
        return page
    text = html.escape("\n".join(map(str, listed)))
    return _at_top(page, WARNINGS_PANEL.format(count=len(listed), text=text))


def _at_top(page: bytes, banner: str) -> bytes:
    """``page`` with ``banner`` first in its ``<body>``."""
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + banner.encode("utf-8") + page[end:]


#: The folders of ``content/`` whose items have a page of their own (besides ``pages``).
PAGE_FOLDERS = frozenset({"labs", "news", "people"})


def unpublished_source(root: Path, url_path: str) -> str | None:
    """The content file of the item at ``url_path`` when it exists though the build has no page there (a draft, a
    date after today), as the project names it; ``None`` otherwise. Items are found where their address says
    (``/en/news/x/`` → ``content/news/x.yaml``; a page's ``slug:`` of its own is not followed)."""
    parts = [part for part in url_path.split("/") if part]
    if len(parts) < 2 or not all(part.replace("-", "").isalnum() for part in parts):
        return None
    if len(parts) > 2 and parts[1] not in PAGE_FOLDERS:  # partners and FAQs have no page of their own
        return None
    folder = root / CONTENT_DIR / ("pages" if len(parts) == 2 else "/".join(parts[1:-1]))
    for candidate in (folder / f"{parts[-1]}.yaml", folder / f"{parts[-1]}.{parts[0]}.md"):
        if candidate.is_file():
            return candidate.relative_to(root).as_posix()
    return None


def with_unpublished_note(page: bytes, source: str) -> bytes:
    """A "page not found" answer with a note at the top: the item exists, and why the preview does not show it."""
    return _at_top(page, f'<p class="draft-banner" role="note">Preview: {html.escape(source)} exists, but it is not '
                         "published in this preview: it is a draft, or its date or publish_date is after today. "
                         "Run the preview with --drafts to see it, marked as a draft.</p>")
