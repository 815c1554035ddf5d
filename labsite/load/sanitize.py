"""What HTML may reach a page from Markdown: tags, attributes and link addresses on an allow-list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

#: Tags the Markdown converter writes (and definition lists) plus a few harmless formatting tags editors may type.
TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code", "hr",
    "br", "wbr", "a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "kbd",
    "q", "cite", "abbr", "span", "div", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
})
#: Attributes every allowed tag may have.
COMMON_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
#: Further attributes, per tag.
ATTRIBUTES = {
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "ol": {"start"},
    "th": {"style", "align", "colspan", "rowspan"}, "td": {"style", "align", "colspan", "rowspan"},
}
#: Attributes that hold an address, checked against :data:`SCHEMES`.
URL_ATTRIBUTES = frozenset({"href", "src"})
#: The kinds of address a link or image may have; addresses on this site (``/en/…``, ``#id``) are kept too.
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Tags whose content is dropped with them, not only the tag.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def clean(html: str) -> str:
    """``html`` with every tag, attribute and address not on the allow-list removed."""
    attributes = {tag: set(COMMON_ATTRIBUTES) | ATTRIBUTES.get(tag, set()) for tag in TAGS}
    return nh3.clean(html, tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT), attributes=attributes,
                     attribute_filter=_address_filter, url_schemes=set(SCHEMES), link_rel=None,
                     filter_style_properties={"text-align"})


def _address_filter(tag: str, name: str, value: str) -> str | None:
    """Drop an address whose scheme is not allowed, as a browser reads it: ``java\tscript:`` is ``javascript:``."""
    if name in URL_ATTRIBUTES and scheme_of(value) and scheme_of(value) not in SCHEMES:
        return None
    return value


def scheme_of(url: str) -> str:
    """The scheme of an address as a browser reads it (``java\\tscript:`` is ``javascript``), or "" for a relative one."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return match.group(1).lower() if match else ""


@dataclass(frozen=True)
class Dropped:
    """Something :func:`clean` removes: a tag, an attribute or an address, with text to find it in the source."""

    message: str
    needle: str


class _Finder(HTMLParser):
    """Walks HTML and lists what :func:`clean` removes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[Dropped] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.dropped.append(Dropped(f"the HTML tag <{tag}> is not shown on the page", f"<{tag}"))
            return
        allowed = COMMON_ATTRIBUTES | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.dropped.append(Dropped(f"the attribute '{name}' of <{tag}> is removed", name))
            elif name in URL_ATTRIBUTES and value and scheme_of(value) and scheme_of(value) not in SCHEMES:
                shown = " ".join(value.split())
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                self.dropped.append(Dropped(f"the address '{shown}' is removed: only http, https, mailto and tel "
                                            "addresses and addresses on this site are kept", value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


#: Tags that cannot lose anything to cleaning, matched without parsing: an allowed tag's name alone, or a link whose
#: address starts with an allowed scheme or is on this site, and an aligned table cell, as the Markdown converter
#: writes them.
#: Between a tag's name and its end only HTML's own spaces may stand: to HTML a no-break space is part of the name.
_PLAIN_TAG = re.compile(r'</?([a-z][a-z0-9]*)[ \t\n\r\f]*/?>'
                        r'|<a href="(?:https?:|mailto:|tel:|/|#)[^"<>]*"(?: title="[^"<>]*")?>'
                        r'|<t[hd] align="(?:left|center|right)">')


def dropped_parts(html: str) -> list[Dropped]:
    """What :func:`clean` removes from ``html``, in document order.

    Most texts hold only tags that cleaning keeps as they are; those are recognised by a pattern, and only HTML
    with anything else in it is parsed.
    """
    if "<" not in _PLAIN_TAG.sub(lambda match: "" if match.group(1) in TAGS or not match.group(1) else "<", html):
        return []
    return parsed_dropped_parts(html)


#: Comments and CDATA sections, closed or running to the end of the text: cleaning drops them whole, and Python's
#: parser would look for their end again from every '<' inside them (hours for a file of unclosed '<!--').
_UNPARSED = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))|<!\[CDATA\[.*?(?:\]\]>|\Z)", re.DOTALL)


def parsed_dropped_parts(html: str) -> list[Dropped]:
    """What :func:`clean` removes from ``html``, in document order, found by parsing it.

    Only what can hold a whole tag is parsed: no comment, and nothing after the last '>' (Python's parser would
    look for a '>' from every '<' there, a time that grows with the square of the text).
    """
    html = _UNPARSED.sub("", html)
    html = html[: html.rfind(">") + 1]
    finder = _Finder()
    try:
        finder.feed(html)
        finder.close()
    except AssertionError:  # Python's parser gives up on some declarations (``<![x``); the cleaner drops them
        finder.dropped.append(Dropped("the HTML declaration '<!…' is not shown on the page", "<!"))
    return finder.dropped
