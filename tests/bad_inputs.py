"""The table of bad inputs: each a change to the sample site and exactly what the command line must say."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

Change = Callable[[Path], Any]
PASSWD_LINK = "content/partners/think-film.en.md: error: 'think-film.en.md' is a link to a file outside the project's " \
              "source folders; it is not read"
RU_PO = "locales/ru/LC_MESSAGES/messages.po"
DROPPED_URL = "is removed: only http, https, mailto and tel addresses and addresses on this site are kept"


@dataclass(frozen=True)
class Case:
    """A bad input: the change, the problem lines expected, and how each command must end."""

    change: Change
    messages: tuple[str, ...]
    runs: tuple[tuple[str, int], ...] = (("check", 1), ("build", 1))
    #: Further problems only ``check`` finds (it also checks the rendered pages).
    check_messages: tuple[str, ...] = ()
    #: Text that no output file may contain (for inputs that build, with warnings).
    absent: tuple[str, ...] = ()
    #: Text that some output file must contain.
    present: tuple[str, ...] = ()
    #: Extra arguments, and a function that patches the generator (run in-process only).
    args: tuple[str, ...] = ()
    patch: Callable[[pytest.MonkeyPatch], None] | None = None
    #: Run as a real subprocess rather than in-process.
    subprocess: bool = False
    env: tuple[tuple[str, str], ...] = ()


def edit(relative: str, old: str, new: str) -> Change:
    """A change that replaces text in one file of the site."""
    def change(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(relative: str, text: str | bytes) -> Change:
    """A change that writes a file."""
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return change


def link(relative: str, target: str) -> Change:
    """A change that makes ``relative`` a symbolic link to ``target`` (relative to the site unless absolute)."""
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target if target.startswith("/") else root / target)
    return change


def named_pipe(relative: str) -> Change:
    """A change that makes ``relative`` a named pipe, which no one writes to (reading it would wait forever)."""
    def change(root: Path) -> None:
        os.mkfifo(root / relative)
    return change


def both(*changes: Change) -> Change:
    """Several changes in order."""
    def change(root: Path) -> None:
        for one in changes:
            one(root)
    return change


def body(text: str) -> Change:
    """The English body of the 'about' page replaced by ``text``."""
    return write("content/pages/about.en.md", f"---\ntitle: About (en)\n---\n{text}\n")


def fail_writing(code: int) -> Callable[[pytest.MonkeyPatch], None]:
    """A patch under which writing any page fails with the OS error ``code`` (disk full, permission denied…)."""
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        real = Path.write_bytes

        def write_bytes(self: Path, data: bytes) -> int:
            if self.name == "index.html" and (".new-" in str(self) or "/labsite-spool-" in str(self)):
                raise OSError(code, os.strerror(code), str(self))
            return real(self, data)
        monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return patch


def interrupt_while_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+C while the pages are being written."""
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if self.name == "index.html" and (".new-" in str(self) or "/labsite-spool-" in str(self)):
            raise KeyboardInterrupt
        return real(self, data)
    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def interrupt_while_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+C while the content is read."""
    def read_content(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr("labsite.build.pipeline.read_content", read_content)


def deep_list(depth: int) -> str:
    """A Markdown list nested ``depth`` levels deep."""
    return "\n".join("    " * level + "- item" for level in range(depth))


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


CASES: dict[str, Case] = {
    # The cases first written for test_errors.py.
    "malformed yaml": Case(edit("content/labs/impact-lab.yaml", "order: 1", "order: [1\nother: 2"), (
        "content/labs/impact-lab.yaml:2: error: malformed YAML: did not find expected ',' or ']'",)),
    "malformed front matter": Case(edit("content/pages/about.en.md", "title: About (en)", "title: [About"), (
        "content/pages/about.en.md:3: error: malformed YAML: did not find expected ',' or ']'",)),
    "unclosed front matter": Case(write("content/pages/about.en.md", "---\ntitle: About\nBody\n"), (
        "content/pages/about.en.md:1: error: the front matter starting on line 1 has no closing '---' line",)),
    "missing required field": Case(edit("content/news/open-call.en.md", "title: Open call (en)\n", ""), (
        "content/news/open-call.en.md:2: error: the required field 'title' is missing",)),
    "misspelt required field": Case(edit("content/news/open-call.en.md", "title: Open call (en)", "titel: Open call"), (
        "content/news/open-call.en.md:2: error: unknown field 'titel': the required field 'title' is missing",)),
    "unknown field": Case(edit("content/people/jane-doe.yaml", "organisation: acme", "organisaton: acme"), (
        "content/people/jane-doe.yaml:5: error: unknown field 'organisaton'",)),
    "impossible date": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-02-30"), (
        "content/news/open-call.yaml:1: error: '2025-02-30' is impossible: February 2025 has 28 days; write a day "
        "from 01 to 28",)),
    "end before start": Case(edit("content/labs/impact-lab/2025.yaml", "    end: 2025-09-30 23:59", "    end: 2025-06-30"), (
        "content/labs/impact-lab/2025.yaml:13: error: the end (2025-06-30) is before the start (2025-07-01)",)),
    "unknown language suffix": Case(write("content/pages/about.de.md", "---\ntitle: Über\n---\n"), (
        "content/pages/about.de.md: error: unknown language suffix '.de'",)),
    "unknown person": Case(edit("content/labs/impact-lab/2025.yaml", "mentors: [jane-doe]", "mentors: [jane-doe, john-roe]"), (
        "content/labs/impact-lab/2025.yaml:5: error: 'john-roe' in 'mentors' does not exist",)),
    "unknown lab": Case(both(write("content/labs/ghost-lab/2025.yaml", "format: online\n"),
                             write("content/labs/ghost-lab/2025.en.md", "---\ntitle: G\nsummary: S\n---\n")), (
        "content/labs/ghost-lab/2025.yaml: error: the edition belongs to an unknown lab 'ghost-lab'",)),
    "duplicate milestone id": Case(edit("content/labs/impact-lab/2025.yaml", "  - id: results", "  - id: participants"), (
        "content/labs/impact-lab/2025.yaml:17: error: two milestones have the id 'participants'",)),
    "duplicate slug": Case(both(write("content/news/again.yaml", "date: 2025-07-02\nslug: open-call\n"),
                                write("content/news/again.en.md", "---\ntitle: A\nsummary: B\n---\n")), (
        "content/news/open-call.yaml: error: 'open-call' is used by two items: this one and content/news/again.yaml",)),
    "slug escaping the output": Case(write("content/pages/evil.yaml", "slug: ../../etc\n"), (
        "content/pages/evil.yaml:1: error: '../../etc' cannot be used as a page address",
        "content/pages/evil.yaml: error: 'evil' has no text in any language")),
    "file name that is no address": Case(write("content/pages/Über uns.en.md", "---\ntitle: x\n---\n"), (
        "content/pages/Über uns.en.md: error: 'Über uns' cannot be used as a page address",)),
    "template syntax error": Case(edit("templates/page.html", "{% block main %}", "{% block main %}{% if %}"), (
        "templates/page.html:5: error: template syntax error: Expected an expression, got 'end of statement block'",)),
    "unknown language in settings": Case(edit("site_config.yaml", "languages: [kk, ru, en]", "languages: [kz, ru, en]"), (
        "site_config.yaml:3: error: unknown language code 'kz'",
        "site_config.yaml:4: error: 'default_language: kk' is not one of the site's languages",
        "site_config.yaml:7: error: fallbacks for 'kk', which is not one of the site's languages")),
    "date forms of another language": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: _site\ndate_locales: {en: ru_RU}"), (
        "site_config.yaml:12: error: 'ru_RU' is not a variant of a site language 'en'",)),
    "site in a sub-folder": Case(edit("site_config.yaml", "https://labs.example.org", "https://example.org/labs"), (
        "site_config.yaml:2: error: 'https://example.org/labs' is not the address of a host",)),
    "output over the sources": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: ./content"), (
        "site_config.yaml:11: error: output_dir './content' is part of the project's own files and would be replaced "
        "by the build",)),
    "edition of a missing FAQ": Case(edit("content/labs/impact-lab/2025.yaml", "faq: sample", "faq: sampel"), (
        "content/labs/impact-lab/2025.yaml:8: error: unknown FAQ 'sampel'",)),
    "question id of another FAQ": Case(both(write("content/faq/more.yaml", "order: 2\n"), write(
        "content/faq/more.en.md", "---\ntitle: More\n---\n# More {#more}\n\n## Impact? {#what-is-impact}\nYes.\n")), (
        "content/faq/sample.en.md:6: error: the id 'what-is-impact' is also used in the FAQ 'more'",)),
    "open call with no way to apply": Case(edit("content/labs/impact-lab/2025.yaml",
                                                "apply_url: https://labs.example.org/apply\n", ""), (
        "content/labs/impact-lab/2025.yaml:9: warning: the open call 'open-call' has not closed, and its page shows no "
        "way to apply",), runs=(("check", 0), ("build", 0), ("check --strict", 1))),
    "open call applied to as its text says": Case(both(
        edit("content/labs/impact-lab/2025.yaml", "apply_url: https://labs.example.org/apply\n", ""),
        edit("content/labs/impact-lab/2025.en.md", "---\n", "---\nhow_to_apply: Write to the lab.\n")), (),
        runs=(("check --strict", 1), ("build", 0))),
    "milestone end without start": Case(edit("content/labs/impact-lab/2025.yaml", "    date: 2025-10-30\n",
                                             "    end: 2025-10-30\n"), (
        "content/labs/impact-lab/2025.yaml:16: error: 'end' without 'start'",)),
    "translated heading without id": Case(edit("content/faq/sample.ru.md", " {#basics}", ""), (
        "content/faq/sample.ru.md:4: error: the heading 'Основы' has no id",)),
    "section without id": Case(edit("content/faq/sample.en.md", "# Basics {#basics}", "# Basics"), (
        "content/faq/sample.en.md:4: error: the heading 'Basics' has no id",)),
    "question without id": Case(edit("content/faq/sample.en.md", "## Who can apply? {#who-can-apply}", "## Who can apply?"), (
        "content/faq/sample.en.md:9: error: the heading 'Who can apply?' has no id",)),

    # Data loss and leaks.
    "output folder is a link to the content": Case(
        both(link("out", "content"), edit("site_config.yaml", "output_dir: _site", "output_dir: out")), (
            "site_config.yaml:11: error: output_dir 'out' is a link (out leads elsewhere); the build would replace what "
            "it points to",), subprocess=True),
    "output folder is the Makefile": Case(
        both(write("Makefile", "site:\n\tpython build.py\n"), edit("site_config.yaml", "output_dir: _site", "output_dir: Makefile")), (
            "site_config.yaml:11: error: output_dir 'Makefile' is a file of the project and would be replaced by the build",)),
    "output folder is requirements.txt": Case(
        both(write("requirements.txt", "jinja2==3.1.6\n"), edit("site_config.yaml", "output_dir: _site", "output_dir: requirements.txt")), (
            "site_config.yaml:11: error: output_dir 'requirements.txt' is a file of the project and would be replaced "
            "by the build",)),
    "output folder inside a file": Case(
        both(write("notes.md", "x\n"), edit("site_config.yaml", "output_dir: _site", "output_dir: notes.md/site")), (
            "site_config.yaml:11: error: output_dir 'notes.md/site' is a file of the project and would be replaced by "
            "the build",)),
    "output folder holding other files": Case(
        both(write("drafts/letter.txt", "keep me\n"), edit("site_config.yaml", "output_dir: _site", "output_dir: drafts")), (
            "site_config.yaml:11: error: output_dir 'drafts' holds files that are not a built site and would be deleted "
            "by the build",)),
    "output folder outside the project": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: ../elsewhere"), (
        "site_config.yaml:11: error: output_dir '../elsewhere' must be a folder inside the project",)),
    "output folder absolute": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: /tmp"), (
        "site_config.yaml:11: error: output_dir '/tmp' must be a folder inside the project",)),
    "output folder is the project": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: ."), (
        "site_config.yaml:11: error: output_dir '.' must be a folder inside the project",)),
    "output folder below a link": Case(
        both(link("pub", "content"), edit("site_config.yaml", "output_dir: _site", "output_dir: pub/site")), (
            "site_config.yaml:11: error: output_dir 'pub/site' is a link (pub leads elsewhere); the build would replace "
            "what it points to",)),
    "content file linked to /etc/passwd": Case(link("content/partners/think-film.en.md", "/etc/passwd"), (PASSWD_LINK,),
                                               absent=("root:",), subprocess=True),
    "content folder linked outside": Case(link("content/people/more", "/etc"), (
        "content/people/more: error: 'more' is a link to a file outside the project's source folders; it is not read",)),
    "content folder linked inside": Case(link("content/news/also", "content/pages"), (
        "content/news/also: error: 'also' is a link to a folder; linked folders are not read",)),
    "content file linked out of the source folders": Case(link("content/pages/secret.en.md", "site_config.yaml"), (
        "content/pages/secret.en.md: error: 'secret.en.md' is a link to a file outside the project's source folders; "
        "it is not read",)),
    "dangling link": Case(link("content/pages/gone.en.md", "content/pages/nothing.md"), (
        "content/pages/gone.en.md: error: 'gone.en.md' is a link that leads nowhere",)),
    "editor's lock file": Case(link("content/pages/.#about.en.md", "editor@machine.4242:1700000000"), (),
                               runs=(("check", 0), ("build", 0))),
    "named pipe in the content": Case(named_pipe("content/pages/pipe.yaml"), (
        "content/pages/pipe.yaml: warning: 'pipe.yaml' is not a file but a named pipe, socket or device; it is not read",),
        runs=(("check", 0), ("build", 0), ("build", 0), ("check --strict", 1)), subprocess=True),
    "title as a list": Case(edit("content/pages/about.en.md", "title: About (en)", "title: [About, en]"), (
        "content/pages/about.en.md:2: error: 'title' must be text, not a list or a block",)),
    "summary as a block": Case(edit("content/news/open-call.en.md", "summary:", "summary:\n  en: x\nold:"), (
        "content/news/open-call.en.md:3: error: 'summary' must be text, not a list or a block",
        "content/news/open-call.en.md:5: error: unknown field 'old'")),
    "places as a list": Case(write("content/places.yaml", "- bishkek\n- almaty\n"), (
        "content/places.yaml:1: error: places.yaml must list places by id, each with a name and a country",)),
    "title of spaces only": Case(edit("content/pages/about.en.md", "title: About (en)", "title: '   '"), (
        "content/pages/about.en.md:2: error: the required field 'title' is missing",)),
    "number too long": Case(edit("content/people/jane-doe.yaml", "organisation: acme", "organisation: 1" + "0" * 5000), (
        "content/people/jane-doe.yaml:5: error: the number 100000000000… has 5001 characters, more than a number "
        "may have (4300 digits)",)),
    "template linked to /etc/passwd": Case(link("templates/page.html", "/etc/passwd"), (
        "templates/page.html: error: 'page.html' is a link to a file outside the project's source folders; it is not read",)),
    "static file linked to /etc/passwd": Case(link("static/passwd.txt", "/etc/passwd"), (
        "static/passwd.txt: error: 'passwd.txt' is a link to a file outside the project's source folders; it is not read",)),
    "a second level-1 heading": Case(body("# About\n\nText."), (
        "content/pages/about.en.md:4: warning: a heading of level 1 ('#') in a text whose headings start at level 2: "
        "the page's title is its one level-1 heading",), runs=(("check", 0), ("build", 0), ("check --strict", 1))),
    "an underlined level-1 heading": Case(body("Intro.\n\nAbout\n=====\n\nText."), (
        "content/pages/about.en.md:6: warning: a heading of level 1 ('underlined with =') in a text whose headings "
        "start at level 2: the page's title is its one level-1 heading",),
        runs=(("check", 0), ("build", 0))),
    "a skipped heading level": Case(body("## Part\n\nText.\n\n#### Detail\n\n###### Fine print"), (
        "content/pages/about.en.md:8: warning: a heading of level 4 ('####') after one of level 2: level 3 is skipped",
        "content/pages/about.en.md:10: warning: a heading of level 6 ('######') after one of level 4: level 5 is "
        "skipped"), runs=(("check", 0), ("build", 0))),
    "a heading in an edition's block at its heading's level": Case(edit(
        "content/labs/impact-lab/2025.en.md", "---\n", "---\nhow_to_apply: |\n  Read first.\n\n  ## Steps\n"), (
        "content/labs/impact-lab/2025.en.md:5: warning: a heading of level 2 ('##') in a text whose headings start at "
        "level 3: the page shows it below a level-2 heading (a partner's name, an edition's 'How to apply')",),
        runs=(("check", 0), ("build", 0))),
    "a partner's heading at its name's level": Case(write("content/partners/acme.en.md", "## History\n\nText.\n"), (
        "content/partners/acme.en.md:1: warning: a heading of level 2 ('##') in a text whose headings start at "
        "level 3: the page shows it below a level-2 heading (a partner's name, an edition's 'How to apply')",),
        runs=(("check", 0), ("build", 0))),
    "script in Markdown": Case(body("Hello <script>alert(1)</script> world."), (
        "content/pages/about.en.md:4: warning: the HTML tag <script> is not shown on the page",),
        runs=(("check", 0), ("build", 0), ("check --strict", 1)), absent=("alert(1)", "<script>alert")),
    "event handler in Markdown": Case(body("Text\n\n<img src=x onerror=alert(2)>"), (
        "content/pages/about.en.md:6: warning: the attribute 'onerror' of <img> is removed",
        "content/pages/about.en.md:6: warning: the picture x would show broken: pictures in a text are not "
        "published, and the site loads none from elsewhere"),
        check_messages=("en/about/index.html:76: error: <img> links to x, which is not in the built site",),
        runs=(("check", 1), ("build", 0)), absent=("onerror", "alert(2)")),
    "event handler on a paragraph": Case(body("<p onmouseover=\"alert(7)\">Hello</p>"), (
        "content/pages/about.en.md:4: warning: the attribute 'onmouseover' of <p> is removed",),
        runs=(("check", 0), ("build", 0)), absent=("onmouseover", "alert(7)"), present=("<p>Hello</p>",)),
    "javascript link in Markdown": Case(body("A [link](javascript:alert(3)) here."), (
        f"content/pages/about.en.md:4: warning: the address 'javascript:alert(3)' {DROPPED_URL}",),
        runs=(("check", 0), ("build", 0)), absent=("javascript:",)),
    "javascript link hidden by a tab": Case(body("Text.\n\n<a href=\"java\tscript:alert(4)\">x</a>"), (
        f"content/pages/about.en.md:6: warning: the address 'java script:alert(4)' {DROPPED_URL}",),
        runs=(("check", 0), ("build", 0)), absent=("alert(4)",)),
    "data image in Markdown": Case(body("![x](data:image/svg+xml;base64,PHN2Zz4=)"), (
        f"content/pages/about.en.md:4: warning: the address 'data:image/svg+xml;base64,PHN2Zz4=' {DROPPED_URL}",),
        runs=(("check", 0), ("build", 0)), absent=("data:image",)),
    "iframe in Markdown": Case(body("<iframe src=\"https://evil.example\"></iframe>"), (
        "content/pages/about.en.md:4: warning: the HTML tag <iframe> is not shown on the page",),
        runs=(("check", 0), ("build", 0)), absent=("<iframe", "evil.example")),
    "event handler on an allowed tag": Case(body("Text.\n\n<p onclick=\"alert(5)\">A paragraph.</p>"), (
        "content/pages/about.en.md:6: warning: the attribute 'onclick' of <p> is removed",),
        runs=(("check", 0), ("build", 0)), absent=("onclick", "alert(5)")),
    "style tag in Markdown": Case(body("Text.\n\n<style>body{display:none}</style>"), (
        "content/pages/about.en.md:6: warning: the HTML tag <style> is not shown on the page",),
        runs=(("check", 0), ("build", 0)), absent=("display:none",)),
    "harmless formatting kept": Case(body("E = mc<sup>2</sup>, <abbr title=\"Central Asia\">CA</abbr>"), (),
                                     runs=(("check", 0), ("build", 0)), present=("mc<sup>2</sup>",)),
    "javascript apply link": Case(edit("content/labs/impact-lab/2025.yaml", "apply_url: https://labs.example.org/apply",
                                       "apply_url: javascript:alert(6)"), (
        "content/labs/impact-lab/2025.yaml:7: error: 'javascript:alert(6)' is not an https:// web address",)),
    "data partner link": Case(edit("content/partners/acme.yaml", "name: ACME Films", "name: ACME Films\nurl: data:text/html,x"), (
        "content/partners/acme.yaml:2: error: 'data:text/html,x' is not a web address",)),

    # Tracebacks before: now located problems or one-line failures.
    "year 0": Case(edit("content/labs/impact-lab/2025.yaml", "start: 2025-07-01\nend: open", "start: 0000-01-01\nend: open"), (
        "content/labs/impact-lab/2025.yaml:1: error: '0000-01-01' is out of range: write a year from 1900 to 2200",)),
    "year 9999 to the minute": Case(edit("content/labs/impact-lab/2025.yaml", "    end: 2025-09-30 23:59",
                                         "    end: 9999-12-31 23:59"), (
        "content/labs/impact-lab/2025.yaml:13: error: '9999-12-31 23:59' is out of range: write a year from 1900 to 2200",)),
    "year 9999 to the day": Case(edit("content/labs/impact-lab/2025.yaml", "    date: 2025-10-30", "    date: 9999-12-31"), (
        "content/labs/impact-lab/2025.yaml:16: error: '9999-12-31' is out of range: write a year from 1900 to 2200",)),
    "year 2200 is still shown": Case(edit("content/labs/impact-lab/2025.yaml", "    date: 2025-10-30", "    date: 2200-12-31"),
                                     (), check_messages=(
        "calendar_state.json: warning: 1 calendar event(s) are new or changed since the state was recorded "
        "(impact-lab-2025-participants@labs.example.org)",), runs=(("check", 0), ("build", 0)), present=("2200",)),
    "slug of 300 characters": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-07-01\nslug: " + "a" * 300), (
        "content/news/open-call.yaml:2: error: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' cannot be used as a page address",)),
    "milestone id of 150 characters": Case(edit("content/labs/impact-lab/2025.yaml", "  - id: funding", "  - id: " + "c" * 150), (
        "content/labs/impact-lab/2025.yaml:23: error: milestone id 'ccccccccccccccccccccccccccccccccccccccc…' is not an id",)),
    "list nested 300 deep": Case(body(deep_list(300)), (
        "content/pages/about.en.md:24: error: the text is nested more than 20 levels deep (lists or quotes within each other)",)),
    "quotes nested 300 deep": Case(body(">" * 300 + " deep"), (
        "content/pages/about.en.md:4: error: the text is nested more than 20 levels deep (lists or quotes within each other)",)),
    "template includes itself": Case(edit("templates/page.html", "{% block main %}", "{% block main %}{% include 'page.html' %}"), (
        "templates/page.html:5: error: the template includes or calls itself without end",)),
    "division by zero in a template": Case(edit("templates/page.html", "{% block main %}", "{% block main %}{{ 1//0 }}"), (
        "templates/page.html:5: error: the template failed while rendering: ZeroDivisionError: integer division or "
        "modulo by zero",)),
    "unknown variable in a template": Case(edit("templates/page.html", "{% block main %}", "{% block main %}{{ nothing.here }}"), (
        "templates/page.html:5: error: the template failed while rendering: UndefinedError: 'nothing' is undefined",)),
    "missing template": Case(lambda root: (root / "templates/person.html").unlink(), (
        "templates/person.html: error: the template is missing",)),
    "YAML alias bomb": Case(write("content/people/jane-doe.yaml", BOMB), (
        "content/people/jane-doe.yaml:2: error: YAML aliases (*name) are not allowed",)),
    "YAML alias": Case(edit("content/labs/impact-lab.yaml", "order: 1", "order: &o 1\nalso: *o"), (
        "content/labs/impact-lab.yaml:2: error: YAML aliases (*name) are not allowed",)),
    "YAML nested 100 deep": Case(write("content/people/jane-doe.yaml", "name: " + "[" * 100 + "]" * 100 + "\n"), (
        "content/people/jane-doe.yaml:1: error: the YAML is nested more than 30 levels deep",)),
    "content file over 2 MB": Case(write("content/pages/about.en.md", "---\ntitle: Big\n---\n" + "word " * 450_000), (
        "content/pages/about.en.md: error: the file is 2.1 MB; a file may have at most 2 MB",)),
    # A rebuild links the files it would write unchanged from the previous site: these change a page to write.
    "disk full": Case(body("New text."), (
        "error: the site could not be written to <root>/_site: the disk is full.",),
        runs=(("build", 1),), patch=fail_writing(errno.ENOSPC)),
    "permission denied": Case(body("New text."), (
        "error: the site could not be written to <root>/_site: permission denied.",),
        runs=(("build", 1),), patch=fail_writing(errno.EACCES)),
    # Every page is below the limit; the index's WebAssembly (about 70 KB) is not. The previous site has no index to
    # link it from, so it is written.
    "file-size limit met by the search index": Case(lambda root: __import__("shutil").rmtree(root / "_site/pagefind"), (
        "error: the site could not be written to <root>/_site: a file is larger than this system allows.",),
        runs=(("build", 1),), subprocess=True, env=(("LIMIT_FSIZE", "60000"),)),
    "file-size limit met by the site": Case(write("static/big.bin", b"\0" * 2_000_000), (
        "error: the site could not be written to <root>/_site: a file is larger than this system allows.",),
        runs=(("build", 1),), subprocess=True, env=(("LIMIT_FSIZE", "1000000"),)),
    "serve on port 99999": Case(lambda root: None, (
        "error: --port 99999 is not a port number: use one from 1 to 65535, such as 8000",),
        runs=(("serve", 1),), args=("--port", "99999")),
    "Ctrl+C while writing": Case(body("New text."), (), runs=(("build", 130),), patch=interrupt_while_writing),
    "Ctrl+C while reading": Case(lambda root: None, (), runs=(("check", 130), ("build", 130)),
                                 patch=interrupt_while_loading),
    "--now in year 1": Case(lambda root: None, (
        "error: --now 0001-01-01 is outside the years 1900 to 2200 the site can show",), args=("--now", "0001-01-01")),
    "SOURCE_DATE_EPOCH far too large": Case(lambda root: None, (
        "error: SOURCE_DATE_EPOCH='99999999999999999' is not a whole number of seconds",),
        subprocess=True, env=(("SOURCE_DATE_EPOCH", "99999999999999999"),)),

    # Silent misreadings before.
    "time read as a number": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 23:59"), (
        "content/news/open-call.yaml:1: error: '23:59' is not a date. Write 2025-09-30, 2025-09-30 23:59, 2025-11, "
        "early 2024-09 (or mid, late) or 2024",)),
    "country code NO stays text": Case(both(edit("content/places.yaml", "country_code: KG", "country_code: NO"),
                                            edit("content/labs/impact-lab/2025.yaml", "format: online", "format: hybrid")), (),
                                       runs=(("check", 0), ("build", 0)), present=('"addressCountry":"NO"',)),
    "a name written as 010 stays text": Case(edit("content/places.yaml", "name: {kk: Бішкек, ru: Бишкек, en: Bishkek}",
                                                  "name: {kk: 010, ru: 010, en: 010}"), (),
                                             runs=(("check", 0), ("build", 0)), present=("010, Kyrgyzstan",)),
    "yes is not true": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-07-01\ndraft: yes"), (
        "content/news/open-call.yaml:2: error: 'draft' must be true or false, not 'yes'",)),
    "false in quotes": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-07-01\ndraft: \"false\""), (
        "content/news/open-call.yaml:2: error: 'draft' must be true or false, not 'false'",)),
    "draft left empty": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-07-01\ndraft:"), (
        "content/news/open-call.yaml:2: error: 'draft' is empty",)),
    "order left empty": Case(edit("content/labs/impact-lab.yaml", "order: 1", "order:"), (
        "content/labs/impact-lab.yaml:1: error: 'order' is empty",)),
    "title that looks like a time": Case(edit("content/pages/about.en.md", "title: About (en)", "title: 12:30"), (),
                                         runs=(("check", 0), ("build", 0)), present=("<h1>12:30</h1>",)),

    # More mistakes an editor can make.
    "not UTF-8": Case(write("content/pages/about.en.md", "---\ntitle: Caf\xe9\n---\n".encode("latin-1")), (
        "content/pages/about.en.md:2: error: the file is not UTF-8 text: this line holds the first character that "
        "is not",)),
    "facts are a list": Case(write("content/people/jane-doe.yaml", "- name: Jane\n"), (
        "content/people/jane-doe.yaml:1: error: expected 'field: value' lines here",
        "content/people/jane-doe.yaml:1: error: the required field 'name' is missing")),
    "key twice": Case(edit("content/people/jane-doe.yaml", "organisation: acme", "organisation: acme\norganisation: acme"), (
        "content/people/jane-doe.yaml:6: error: the key 'organisation' appears twice in the same block",)),
    "tab indentation": Case(edit("content/people/jane-doe.yaml", "  ru: Джейн Доу", "\tru: Джейн Доу"), (
        "content/people/jane-doe.yaml:3: error: the line starts with a tab",)),
    "month 13": Case(edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-13-01"), (
        "content/news/open-call.yaml:1: error: '2025-13-01' has no month 13: months are 01 to 12",)),
    "hour 25": Case(edit("content/labs/impact-lab/2025.yaml", "    end: 2025-09-30 23:59", "    end: 2025-09-30 25:00"), (
        "content/labs/impact-lab/2025.yaml:13: error: '2025-09-30 25:00' has an impossible time: use 00:00 to 23:59",)),
    "unknown place": Case(edit("content/labs/impact-lab/2025.yaml", "places: [bishkek]", "places: [biskek]"), (
        "content/labs/impact-lab/2025.yaml:4: error: unknown place 'biskek'",)),
    "unknown time zone": Case(edit("site_config.yaml", "timezone: Asia/Almaty", "timezone: Asia/Alma-Ata-City"), (
        "site_config.yaml:10: error: unknown time zone 'Asia/Alma-Ata-City'",)),
    "closing soon for ever": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: _site\nclosing_soon_days: "
                                       + "9" * 30), (
        "site_config.yaml:12: error: 'closing_soon_days' must be a whole number of days from 0 to 365",)),
    "date variant as a list": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: _site\ndate_locales:\n"
                                        "  en: [en_GB]"), (
        "site_config.yaml:13: error: the variant of 'en' must be a code such as en_GB, not a list or a block",)),
    "unknown setting": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: _site\noutput: x"), (
        "site_config.yaml:12: error: unknown setting 'output'",)),
    "settings file missing": Case(lambda root: (root / "site_config.yaml").unlink(), (
        "site_config.yaml: error: the site settings file is missing",)),
    "content folder missing": Case(lambda root: __import__("shutil").rmtree(root / "content"), (
        "content: error: the content folder is missing",)),
    "broken catalogue line": Case(edit("locales/ru/LC_MESSAGES/messages.po", 'msgid ""', 'msgid ""\nmsgstrr "x"'), (
        "locales/ru/LC_MESSAGES/messages.po:6: error: the catalogue cannot be read: not a line of a .po file: "
        "'msgstrr \"x\"'",)),
    "plural rule of another language": Case(edit(RU_PO, "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && \"\n"
                                                 "\"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
                                                 "nplurals=3; plural=(n != 1);"), (
        f"{RU_PO}:14: error: the plural rule in the header gives the count 0 the form 1, but in 'ru' it takes the form 2",)),
    "placeholder with a format of its own": Case(edit(RU_PO, 'msgstr[2] "{count} результатов"',
                                                      'msgstr[2] "{count:zz} результатов"'), (
        f"{RU_PO}:112: error: the translation (form 2) of '{{count}} result' has other placeholders than the source: "
        "missing {count}, unknown {count:zz}",)),
    "catalogue of another character set": Case(edit(RU_PO, "charset=utf-8", "charset=ISO-8859-1"), (
        f"{RU_PO}:17: error: the header says charset=ISO-8859-1, but the catalogue is UTF-8 text: its letters would be "
        "read wrong",)),
    "text in a catalogue twice": Case(edit(RU_PO, 'msgid "Kind"\nmsgstr "Тип"', 'msgid "Kind"\nmsgstr ""\n\n'
                                           'msgid "Kind"\nmsgstr "Тип"'), (
        f"{RU_PO}:587: error: 'Kind' is in the catalogue twice (also at line 584)",)),
    "plural form of a text without plural": Case(edit(RU_PO, 'msgid "Kind"\nmsgstr "Тип"',
                                                      'msgid "Kind"\nmsgstr[0] "Тип"\nmsgstr[1] "Типы"'), (
        f"{RU_PO}:585: error: 'Kind' has no plural, so it is translated by one msgstr, not msgstr[0]",
        f"{RU_PO}:586: error: 'Kind' has no plural, so it is translated by one msgstr, not msgstr[1]")),
    "translation without its text": Case(edit(RU_PO, 'msgid "Kind"\nmsgstr "Тип"', 'msgid "Kind"\nmsgstr "Тип"\n'
                                              'msgstr "Вид"'), (
        f"{RU_PO}:586: error: 'Kind' has msgstr twice",)),
    "catalogue saved with a byte-order mark": Case(
        lambda root: (root / RU_PO).write_bytes(b"\xef\xbb\xbf" + (root / RU_PO).read_bytes()), (),
        runs=(("check", 0), ("build", 0)), present=("<label for=\"search-kind\">Тип</label>",)),
    "catalogue that is a folder": Case(both(lambda root: (root / RU_PO).unlink(), lambda root: (root / RU_PO).mkdir()), (
        f"{RU_PO}: error: is a folder, not a catalogue",)),
    "apply label of spaces only": Case(edit("content/labs/impact-lab/2025.yaml", "faq: sample",
                                            "faq: sample\napply_label: '   '"), (
        "content/labs/impact-lab/2025.yaml:9: error: 'apply_label' is empty",)),
    "colon in a title": Case(edit("content/pages/about.en.md", "title: About (en)", "title: About: us"), (
        "content/pages/about.en.md:2: error: a value holds ': ' outside quotes, which YAML reads as the start of "
        "another field",)),
    "hidden picture linked outside": Case(both(
        lambda root: (root.parent / "outside.png").write_bytes(
            bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8"
                          "cfc0f01f0005000201c5d8a0e50000000049454e44ae426082")),
        link("content/people/.x.png", "/"), lambda root: (root / "content/people/.x.png").unlink(),
        lambda root: (root / "content/people/.x.png").symlink_to(root.parent / "outside.png"),
        edit("content/people/jane-doe.yaml", "organisation: acme", "organisation: acme\nphoto:\n  file: .x.png\n"
             "  alt: {kk: A, ru: A, en: A}")), (
        "content/people/jane-doe.yaml:6: error: the picture 'content/people/.x.png' is a link to a file outside the "
        "project's source folders; it is not read",), subprocess=True),
    "title of two lines": Case(edit("site_config.yaml", "title: Sample Labs", "title: \"Sample Labs\\nerror_log x;\""), (
        "site_config.yaml:1: error: 'title' must be one line",)),
    "host with a brace": Case(edit("site_config.yaml", "base_url: https://labs.example.org",
                                   "base_url: https://labs.example.org;}"), (
        "site_config.yaml:2: error: 'https://labs.example.org;}' is not the address of a host",)),
    "address ending in a line break": Case(both(write("content/pages/evil.yaml", 'slug: "evil-page\\n"\n'),
                                                write("content/pages/evil.en.md", "---\ntitle: Evil\n---\n")), (
        "content/pages/evil.yaml:1: error: 'evil-page\\n' cannot be used as a page address",)),
    "unclosed comments filling a file": Case(write("content/pages/about.en.md", "---\ntitle: About (en)\n---\n"
                                                   + "<!--" * 500_000 + "\n"), (),
                                             runs=(("check", 0), ("build", 0)), subprocess=True),
    "unclosed tags filling a file": Case(write("content/pages/about.en.md", "---\ntitle: About (en)\n---\n"
                                               + "<div " * 400_000 + "\n"), (),
                                         runs=(("check", 0), ("build", 0)), subprocess=True),
    "broken calendar state": Case(write("calendar_state.json", "{\"uid\": [}"), (
        "calendar_state.json:1: error: the calendar state cannot be read: Expecting value: line 1 column 10 (char 9)",)),
    "milestone named as an open call's deadline": Case(edit("content/labs/impact-lab/2025.yaml", "  - id: participants",
                                                            "  - id: open-call-deadline"), (
        "content/labs/impact-lab/2025.yaml:14: error: the id 'open-call-deadline' is the calendar name of the deadline "
        "of the open call 'open-call' (line 10): calendar apps would take the two for one event",)),
    "time the clocks skip": Case(edit("content/labs/impact-lab/2025.yaml", "    date: 2025-10-30",
                                      "    date: 2025-03-30 02:30\n    timezone: Europe/Berlin"), (
        "content/labs/impact-lab/2025.yaml:16: error: '2025-03-30 02:30' never happens in Europe/Berlin: the clocks "
        "go forward over it that night",)),
    "time zone of an offset": Case(edit("content/labs/impact-lab/2025.yaml", "    date: 2025-10-30",
                                        "    date: 2025-10-30 10:00\n    timezone: Etc/GMT-5"), (
        "content/labs/impact-lab/2025.yaml:17: error: 'Etc/GMT-5' is not the time zone of a place: pages would show it "
        "as an offset or as an unknown place ('Etc/GMT-5' is UTC+5)",)),
    "site time zone of no place": Case(edit("site_config.yaml", "timezone: Asia/Almaty", "timezone: Factory"), (
        "site_config.yaml:10: error: 'Factory' is not the time zone of a place: pages would show it as an offset or as "
        "an unknown place ('Etc/GMT-5' is UTC+5)",)),
    "control character written as an escape": Case(edit("content/news/open-call.en.md", "title: Open call (en)",
                                                        'title: "Open\\a call (en)"'), (
        "content/news/open-call.en.md:2: error: the value holds an invisible control character (U+0007), written as "
        "an escape such as \\a or \\x07",)),
    "control character in a text": Case(edit("content/news/open-call.en.md", "News body en.", "News\x0c body en."), (
        "content/news/open-call.en.md:5: error: the line holds an invisible control character (U+000C)",)),
    "control character in settings": Case(edit("site_config.yaml", "output_dir: _site", "output_dir: _site\x1b"), (
        "site_config.yaml:11: error: the line holds an invisible control character (U+001B)",)),
    "folder name that is no address": Case(both(write("content/labs/Impact Lab/2025.yaml", "format: online\n"),
                                                write("content/labs/Impact Lab/2025.en.md", "---\ntitle: G\nsummary: S\n---\n")), (
        "content/labs/Impact Lab/2025.yaml: error: the edition belongs to an unknown lab 'Impact Lab'",
        "content/labs/Impact Lab/2025.yaml: error: the folder name 'Impact Lab' cannot be used as an address")),
}
