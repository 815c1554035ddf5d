"""Links written in the content to pages of the site that the build does not publish (a draft, a page whose
``publish_date`` lies ahead, a mistyped address), each a warning at its line of the Markdown: the page would link
to nothing, and ``check`` finds it only in the built page.
"""

from __future__ import annotations

import html
import re

from ..model.items import Content
from ..model.problems import Problems
from .kind import Given, Made

#: An address on this site in the HTML of a Markdown text: the value of a link's href or a picture's src, however
#: the Markdown wrote it. The pattern starts with a fixed text, which Python finds many times faster than a choice.
_LINKED = re.compile(r'="(/[^"]*)"')
HINT = "Correct the address, or take the link out until that page is published."


def page_of(address: str, languages: tuple[str, ...]) -> str | None:
    """The built page an address of the site is served by (``/en/labs/`` → ``en/labs/index.html``); ``None`` for
    an address that is no page of a language (a file such as ``/en/calendar/all.ics``, or the root)."""
    path = address.split("#", 1)[0].split("?", 1)[0].strip("/")
    parts = path.split("/")
    if not path or parts[0] not in languages or "." in parts[-1]:
        return None
    return f"{path}/index.html"


def unpublished_links(content: Content, pages: set[str], languages: tuple[str, ...]) -> Problems:
    """A warning at each line of a text that links to a page of the site that is not among ``pages``."""
    problems = Problems()
    for meta in content.metas():
        for text in sorted(meta.texts.values(), key=lambda t: t.path):
            converted = content.html.get(text.body, "")
            for address in map(html.unescape, _LINKED.findall(converted)):
                target = page_of(address, languages)
                if target is not None and target not in pages:
                    at = text.body.find(address)  # the line of the link in the Markdown, else the text's first
                    line = text.body_line + (text.body.count("\n", 0, at) if at >= 0 else 0)
                    problems.warn(text.path, line, f"the link to {address} leads to no page of the site: it is a "
                                                   "draft, not published yet, or a wrong address", HINT)
    return problems


class LinksOutput:
    """No file: the warnings of :func:`unpublished_links`, as an output kind (it needs the pages the build makes)."""

    name = "links"

    def reads(self, given: Given) -> object:
        """The pages made, and the texts of the published items."""
        return (sorted(path for path in given.rendered if path.endswith("index.html")),
                [(text.path, text.body_line, text.body) for meta in given.content.metas()
                 for text in meta.texts.values()])

    def make(self, given: Given, reads: object = None) -> Made:
        """The warnings, and no file."""
        pages = {path for path in given.rendered if path.endswith("index.html")}
        return Made({}, tuple(unpublished_links(given.content, pages, tuple(given.config.languages))))


OUTPUT = LinksOutput()
