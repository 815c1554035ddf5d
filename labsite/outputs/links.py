"""Links written in the content to pages of the site that the build does not publish (a draft, a page whose
``publish_date`` lies ahead, a mistyped address), each a warning at its line of the Markdown: the page would link
to nothing, and ``check`` finds it only in the built page. So is a link to a page in another language than the
text's, most often left as it was when the text was translated, and a picture at an address no build publishes.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Mapping

from babel import Locale

from ..load.yamlsource import value_line
from ..model.items import Content, Faq, Text
from ..model.problems import Problems
from .kind import Given, Made

#: An address on this site in the HTML of a Markdown text: the value of a link's href or a picture's src, however
#: the Markdown wrote it. The pattern starts with a fixed text, which Python finds many times faster than a choice.
_LINKED = re.compile(r'="(/[^"]*)"')
HINT = "Correct the address, or take the link out until that page is published."
#: A picture's address in the HTML of a Markdown text.
_PICTURE = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')
PICTURE_HINT = ("A text cannot show pictures of its own: a picture of an item goes in its .yaml, as its image or "
                "photo with alt text (docs/content.md, Pictures).")


def page_of(address: str, languages: tuple[str, ...]) -> str | None:
    """The built page an address of the site is served by (``/en/labs/`` → ``en/labs/index.html``); ``None`` for
    an address that is no page of a language (a file such as ``/en/calendar/all.ics``, or the root)."""
    path = address.split("#", 1)[0].split("?", 1)[0].strip("/")
    parts = path.split("/")
    if not path or parts[0] not in languages or "." in parts[-1]:
        return None
    return f"{path}/index.html"


def meant(target: str, pages: set[str]) -> str:
    """"Did you mean …?" with the address of the page of the same language and depth whose path is closest to
    ``target`` (a typo, a renamed file), or nothing."""
    lang, depth = target.partition("/")[0], target.count("/")
    near = [page for page in pages if page.startswith(f"{lang}/") and page.count("/") == depth]
    close = difflib.get_close_matches(target, near, n=1, cutoff=0.8)
    return f"Did you mean /{close[0].removesuffix('index.html')}? " if close else ""


def link_problems(content: Content, pages: set[str], languages: tuple[str, ...],
                  names: Mapping[str, str] | None = None) -> Problems:
    """A warning at each line of a text that links to a page of the site that is not among ``pages``, or to one in
    another language than the text's (``names``: each language's name, for the message)."""
    problems, names = Problems(), names or {}
    faqs = {faq.meta.path: faq for faq in content.faqs.values()}
    for meta in content.metas():
        for text in sorted(meta.texts.values(), key=lambda t: t.path):
            found_at: dict[tuple[int, int, str], int] = {}  # where each address was last found, by part
            parts = _parts(content, text, faqs.get(meta.path))
            for address, part in _pictures(content, parts):
                problems.warn(text.path, _line_in(part, address, found_at), f"the picture {address} would show "
                              "broken: pictures in a text are not published, and the site loads none from elsewhere",
                              PICTURE_HINT)
            for address, part in _links(content, parts):
                target = page_of(address, languages)
                if target is None or (target in pages and target.startswith(f"{text.lang}/")):
                    continue
                line = _line_in(part, address, found_at)
                if target not in pages:
                    problems.warn(text.path, line, f"the link to {address} leads to no page of the site: it is a "
                                                   "draft, not published yet, or a wrong address",
                                  meant(target, pages) + HINT)
                elif (lang := target.split("/", 1)[0]) != text.lang:
                    own = f"/{text.lang}/{address.lstrip('/').partition('/')[2]}"
                    problems.warn(text.path, line, f"the link to {address} leads to the page in "
                                                   f"{names.get(lang, lang)}, from a text in "
                                                   f"{names.get(text.lang, text.lang)}",
                                  f"Link to {own}, the page in this text's language (a translated text keeps the "
                                  "addresses of the one it was translated from).")
    return problems


#: Where a text's links are written: the Markdown they are in, where in it that part starts, and its first line.
Part = tuple[str, int, int]


def _parts(content: Content, text: Text, faq: Faq | None) -> list[tuple[str, Part]]:
    """The Markdown of a text, each with where it is written: the body, or each answer of a FAQ's (a FAQ is converted
    one answer at a time), and each Markdown field of its front matter (an edition's ``how_to_apply``, say)."""
    parts: list[tuple[str, Part]] = []
    if faq is None:
        parts.append((text.body, (text.body, 0, text.body_line)))
    else:
        for question in (q for section in faq.sections.get(text.lang, ()) for q in section.questions):
            at = _offset(text.body, question.line - text.body_line)
            parts.append((question.answer, (text.body, at, question.line)))
    for name, value in text.front.items():
        if isinstance(value, str) and value != text.body and value in content.html:
            parts.append((value, (value, 0, value_line(text.front, name))))
    return parts


def _links(content: Content, parts: list[tuple[str, Part]]) -> Iterator[tuple[str, Part]]:
    """Each address of the site that the ``parts`` of a text link to, with the part that has it."""
    for markdown, part in parts:
        for address in map(html.unescape, _LINKED.findall(content.html.get(markdown, ""))):
            yield address, part


def _pictures(content: Content, parts: list[tuple[str, Part]]) -> Iterator[tuple[str, Part]]:
    """Each picture of the ``parts`` of a text at an address that is not one of this site's: a file beside the text
    (``still.jpg``), which no build publishes, or another site's, which the site's security policy does not load
    (``img-src 'self'``). One of the site's own (``/…``) is left to ``check``, which knows every built file."""
    for markdown, part in parts:
        for address in map(html.unescape, _PICTURE.findall(content.html.get(markdown, ""))):
            if not address.startswith("/"):
                yield address, part


def _offset(markdown: str, lines: int) -> int:
    """Where the line ``lines`` lines into ``markdown`` starts."""
    at = 0
    for _ in range(lines):
        end = markdown.find("\n", at)
        if end < 0:
            break
        at = end + 1
    return at


def _line_in(part: Part, address: str, found_at: dict[tuple[int, int, str], int]) -> int:
    """The line of the next place in ``part`` where ``address`` is written whole as a link's or picture's address
    (``/en`` not in ``/en/labs/``, nor in `code`; after ``(``, ``<``, a quote, a space, or ``=`` in raw HTML), after
    those found before; else the part's first line."""
    markdown, start, first = part
    key = (id(markdown), start, address)
    pattern = re.compile(r"(?<![^\s(<\"'=])" + re.escape(address) + r"(?![\w/#?.~%-])")
    found = pattern.search(markdown, found_at.get(key, start))
    if found is None:
        return first
    found_at[key] = found.end()
    return first + markdown.count("\n", start, found.start())


class LinksOutput:
    """No file: the warnings of :func:`link_problems`, as an output kind (it needs the pages the build makes)."""

    name = "links"

    def reads(self, given: Given) -> object:
        """The pages made, and the texts of the published items: their bodies and front matter (Markdown fields,
        such as an edition's ``how_to_apply``, have links too), with its lines."""
        return (sorted(path for path in given.rendered if path.endswith("index.html")),
                [(text.path, text.body_line, text.body, dict(text.front), getattr(text.front, "lines", {}))
                 for meta in given.content.metas() for text in meta.texts.values()])

    def make(self, given: Given, reads: object = None) -> Made:
        """The warnings, and no file."""
        pages = {path for path in given.rendered if path.endswith("index.html")}
        english = Locale("en").languages  # the language of the build's messages
        names = {code: english.get(code, code) for code in given.config.languages}
        return Made({}, tuple(link_problems(given.content, pages, tuple(given.config.languages), names)))


OUTPUT = LinksOutput()
