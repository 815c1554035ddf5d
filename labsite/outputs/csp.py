"""Checks that built pages need nothing the Content-Security-Policy of ``server-config`` refuses."""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser

from ..model.problems import Problems

#: Script types a browser runs (anything else, such as JSON-LD, is data the policy does not touch).
RUN_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript"})
HINT = ("The published site allows only its own files (server-config's Content-Security-Policy): put the script "
        "or style in static/ and link it, or use a class from static/style.css.")


class _InlineFinder(HTMLParser):
    """Collects the inline scripts, styles and event handlers of one page, with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._script_line = 0
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name in values:
            if name.startswith("on"):
                self.found.append((line, f"the event handler {name}= on <{tag}>"))
        if "style" in values:
            self.found.append((line, f"a style= attribute on <{tag}>"))
        if values.get("href", "").strip().lower().startswith("javascript:"):
            self.found.append((line, f"a javascript: address on <{tag}>"))
        if tag == "style":
            self.found.append((line, "a <style> element"))
        if tag == "script" and "src" not in values and values.get("type", "").strip().lower() in RUN_TYPES:
            self._script_line, self._script_text = line, " "

    def handle_data(self, data: str) -> None:
        if self._script_line:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_line:
            if self._script_text.strip():
                self.found.append((self._script_line, "an inline <script>"))
            self._script_line, self._script_text = 0, ""


def inline_code(html: bytes) -> list[tuple[int, str]]:
    """The lines and descriptions of what the policy would refuse in one page."""
    finder = _InlineFinder()
    finder.feed(html.decode("utf-8", "replace"))
    finder.close()
    return finder.found


def csp_problems(files: Mapping[str, bytes]) -> Problems:
    """An error for each inline script, style or event handler in a built page."""
    problems = Problems()
    for path, data in sorted(files.items()):
        if path.endswith(".html"):
            for line, what in inline_code(data):
                problems.error(path, line, f"{what}: the site's Content-Security-Policy blocks it", HINT)
    return problems
