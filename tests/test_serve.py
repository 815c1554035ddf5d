"""The live preview: incremental rebuilds, answers to requests, errors in the browser, live reload."""

from __future__ import annotations

import datetime as dt
import html
import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from labsite.build.incremental import Build, rebuild, scan
from labsite.build.run import Options, build_site
from labsite.commands import serve
from labsite.commands.serve import LAST_GOOD, Preview, find
from labsite.model.problems import BuildFailed
from tests.conftest import PROJECT, copy_site, run_build

NOW = "2025-08-01"
OPTIONS = Options(dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC))
PERSON_EN = "content/people/jane-doe.en.md"
EDITION_FACTS = "content/labs/impact-lab/2025.yaml"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace text in a file of the site, as an editor saving it would."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``check`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


# --- incremental rebuilds, in process -------------------------------------------------------------------------


def test_first_build_renders_every_page_and_matches_a_production_build(sample_site: Path) -> None:
    """The preview's files are byte for byte those of ``build_site`` (the script is added only when served)."""
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    assert first.rendered == frozenset(first.pages)
    assert first.files == build_site(sample_site, OPTIONS, write=False).files


def _edited(root: Path, previous: Build, rel: str, old: str, new: str) -> Build:
    """Edit one file and rebuild from ``previous``."""
    time.sleep(0.01)  # a distinct modification time even on coarse clocks
    edit(root, rel, old, new)
    return rebuild(root, OPTIONS, previous, scan(root))


def test_editing_a_person_renders_only_the_pages_that_show_them(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    second = _edited(sample_site, first, PERSON_EN, "Jane's biography.", "Jane's new biography.")
    assert "en/people/jane-doe/index.html" in second.rendered
    assert b"new biography" in second.files["en/people/jane-doe/index.html"]
    assert second.site.environments is first.site.environments, "a content edit recompiled the templates"
    assert second.site.problems == first.site.problems
    assert "en/news/open-call/index.html" not in second.rendered
    assert "en/about/index.html" not in second.rendered
    assert len(second.rendered) < len(second.pages)
    assert second.files == build_site(sample_site, OPTIONS, write=False).files


def test_editing_a_template_renders_only_the_pages_that_use_it(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    second = _edited(sample_site, first, "templates/article.html", "{% block main %}",
                     "{% block main %}<p>Template edited</p>")
    assert second.rendered == {f"{lang}/news/open-call/index.html" for lang in ("kk", "ru", "en")}
    assert b"Template edited" in second.files["ru/news/open-call/index.html"]
    assert second.site.environments is not first.site.environments
    assert second.files == build_site(sample_site, OPTIONS, write=False).files


def test_editing_the_base_template_renders_every_page(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    second = _edited(sample_site, first, "templates/base.html", "<main", "<!-- base edited -->\n<main")
    assert second.rendered == frozenset(second.pages)


def test_editing_a_catalogue_renders_the_pages_of_its_language_only(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    time.sleep(0.01)
    with (sample_site / "locales" / "ru" / "LC_MESSAGES" / "messages.po").open("a", encoding="utf-8") as po:
        po.write("\n# a translator's note\n")
    second = rebuild(sample_site, OPTIONS, first, scan(sample_site))
    assert second.rendered == {path for path in second.pages if path.startswith("ru/")}
    assert second.files == first.files


def test_a_page_title_reaches_every_menu_even_where_deps_do_not_list_it(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    second = _edited(sample_site, first, "content/pages/about.en.md", "title: About (en)", "title: Who we are")
    assert b"Who we are" in second.files["en/people/jane-doe/index.html"]
    assert second.files == build_site(sample_site, OPTIONS, write=False).files


def test_a_broken_edit_raises_and_the_next_good_one_catches_up(sample_site: Path) -> None:
    """Changes are counted from the last good build, so the edits made while broken are not lost."""
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    edit(sample_site, PERSON_EN, "role: Producer", "role: Director")
    edit(sample_site, EDITION_FACTS, "format: online", "format: [online")
    with pytest.raises(BuildFailed):
        rebuild(sample_site, OPTIONS, first, scan(sample_site))
    edit(sample_site, EDITION_FACTS, "format: [online", "format: online")
    fixed = rebuild(sample_site, OPTIONS, first, scan(sample_site))
    assert b"Director" in fixed.files["en/people/jane-doe/index.html"]
    assert fixed.files == build_site(sample_site, OPTIONS, write=False).files


def test_a_moved_deadline_reaches_the_pages_and_the_calendar_feeds(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    second = _edited(sample_site, first, EDITION_FACTS, "end: 2025-09-30 23:59", "end: 2025-10-15 23:59")
    feeds = {path for path, data in second.files.items() if path.endswith(".ics") and data != first.files.get(path)}
    assert feeds and "en/labs/impact-lab/2025/index.html" in second.rendered
    assert second.files == build_site(sample_site, OPTIONS, write=False).files


def test_a_new_article_gets_its_page_and_reaches_the_lists_feeds_and_sitemap(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    time.sleep(0.01)
    (sample_site / "content" / "news" / "new-call.yaml").write_text("date: 2025-07-20\n", encoding="utf-8")
    (sample_site / "content" / "news" / "new-call.en.md").write_text(
        "---\ntitle: A brand new call\nsummary: Apply now.\n---\nBody.\n", encoding="utf-8")
    second = rebuild(sample_site, OPTIONS, first, scan(sample_site))
    assert "en/news/new-call/index.html" in second.rendered and "en/news/index.html" in second.rendered
    assert b"/en/news/new-call/" in second.files["sitemap.xml"] != first.files["sitemap.xml"]
    assert second.files == build_site(sample_site, OPTIONS, write=False).files
    (sample_site / "content" / "news" / "new-call.yaml").unlink()
    (sample_site / "content" / "news" / "new-call.en.md").unlink()
    third = rebuild(sample_site, OPTIONS, second, scan(sample_site))
    assert "en/news/new-call/index.html" not in third.files
    assert third.files == first.files


def test_a_new_static_file_re_fingerprints_and_rerenders(sample_site: Path) -> None:
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    time.sleep(0.01)
    with (sample_site / "static" / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n.edited { color: red }\n")
    second = rebuild(sample_site, OPTIONS, first, scan(sample_site))
    assert second.rendered == frozenset(second.pages)
    assert second.files == build_site(sample_site, OPTIONS, write=False).files


def test_after_an_edit_to_any_text_the_preview_equals_a_full_build(sample_site: Path) -> None:
    """Each text file in turn gets a new title (shown on cards, menus and lists of other pages)."""
    options = Options(OPTIONS.now, drafts=True)
    current = rebuild(sample_site, options, None, scan(sample_site))
    for number, path in enumerate(sorted((sample_site / "content").rglob("*.md"))):
        text = path.read_text(encoding="utf-8")
        edited, count = re.subn(r"^(title|role|summary): (.+)$", rf"\1: \2 edit{number}", text, count=1, flags=re.M)
        time.sleep(0.01)
        path.write_text(edited if count else f"{text}\nedit{number}\n", encoding="utf-8")
        current = rebuild(sample_site, options, current, scan(sample_site))
        expected = build_site(sample_site, options, write=False).files
        assert current.files == expected, f"the preview missed a page after editing {path.name}"


# --- which file a URL gets ------------------------------------------------------------------------------------

FILES = {"index.html": b"", "404.html": b"", "kk/index.html": b"", "kk/404.html": b"", "en/404.html": b"",
         "en/labs/index.html": b"", "en/calendar/all.ics": b""}


@pytest.mark.parametrize(("url", "expected"), [
    ("/", (200, "index.html")),
    ("/en/labs/", (200, "en/labs/index.html")),
    ("/en/labs", (301, "/en/labs/")),
    ("//en/labs", (301, "/en/labs/")),
    ("/en/calendar/all.ics", (200, "en/calendar/all.ics")),
    ("/kk/nowhere/", (404, "kk/404.html")),
    ("/ru/nowhere/", (404, "404.html")),
    ("/nowhere", (404, "404.html")),
    ("/../site_config.yaml", (403, "")),
    ("/en/../../site_config.yaml", (403, "")),
    ("/%2e%2e/site_config.yaml", (403, "")),
    ("/./index.html", (403, "")),
    ("/..\\site_config.yaml", (403, "")),
    ("relative", (403, "")),
])
def test_urls_map_to_output_files_only(url: str, expected: tuple[int, str]) -> None:
    assert find(url, FILES) == expected


# --- the server, in a process of its own ----------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A preview server running on a copy of a sample site."""

    root: Path
    port: int
    process: subprocess.Popen[str]

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Send ``path`` exactly as given (no client-side clean-up of ``..``)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Accept": "text/html"})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    @property
    def url(self) -> str:
        """The preview's address."""
        return f"http://127.0.0.1:{self.port}"


def start_server(root: Path, *extra: str) -> Generator[Served, None, None]:
    """Run ``build.py serve`` on ``root`` until the test ends."""
    port = free_port()
    command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(root), "--port", str(port),
               "--now", NOW, *extra]
    log = (root.parent / f"serve-{port}.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
    served = Served(root, port, process)

    def up() -> bool:
        assert process.poll() is None, (root.parent / f"serve-{port}.log").read_text()
        try:
            return served.get("/")[0] == 200
        except OSError:
            return False

    try:
        assert wait_for(up, timeout=60), "the preview did not start"
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A preview of a fresh copy of the valid sample site."""
    yield from start_server(copy_site("valid", tmp_path / "site"))


def test_an_edit_is_served_within_seconds(served: Served) -> None:
    status, headers, body = served.get("/en/people/jane-doe/")
    assert status == 200 and b"Producer" in body
    edit(served.root, PERSON_EN, "role: Producer", "role: Festival programmer")
    assert wait_for(lambda: b"Festival programmer" in served.get("/en/people/jane-doe/")[2])
    assert b"Festival programmer" in served.get("/en/labs/impact-lab/2025/")[2]


def test_a_broken_edit_shows_the_error_page_and_the_fix_brings_the_site_back(served: Served, tmp_path: Path) -> None:
    edit(served.root, EDITION_FACTS, "format: online", "format: [online")
    assert wait_for(lambda: served.get("/en/people/jane-doe/")[0] == 500)
    status, headers, body = served.get("/en/labs/impact-lab/2025/")
    page = body.decode()
    assert status == 500 and headers["content-type"] == "text/html; charset=utf-8"
    # The same text as the command line: file:line: error: message, then the hint.
    check = run_build(served.root, "check", "--now", NOW)
    lines = check.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if re.match(r"content/labs/impact-lab/2025\.yaml:\d+: error: ", line))
    assert html.escape(f"{lines[at]}\n{lines[at + 1]}") in page  # the message and its hint
    assert "livereload.js" in page, "the error page must reload itself once the file is fixed"
    # The last good version stays one click away.
    assert 'href="/en/labs/impact-lab/2025/?last-good"' in page
    status, _, body = served.get("/en/labs/impact-lab/2025/?last-good")
    assert status == 200 and b"Sample Edition 2025" in body
    # Files other than pages stay available from the last good build.
    css = next(p for p in (served.root / "_site" / "static").iterdir() if p.suffix == ".css")
    assert served.get(f"/static/{css.name}")[0] == 200
    edit(served.root, EDITION_FACTS, "format: [online", "format: online")
    assert wait_for(lambda: served.get("/en/labs/impact-lab/2025/")[0] == 200)
    assert b"Sample Edition 2025" in served.get("/en/labs/impact-lab/2025/")[2]


@pytest.mark.parametrize("path", ["/../site_config.yaml", "/%2e%2e/site_config.yaml", "/%2E%2E/site_config.yaml",
                                  "/en/../../site_config.yaml", "/en/%2e%2e/%2e%2e/site_config.yaml",
                                  "/..%2fsite_config.yaml", "/static/..%2f..%2fsite_config.yaml"])
def test_paths_outside_the_output_folder_are_refused(served: Served, path: str) -> None:
    status, _, body = served.get(path)
    assert status in (403, 404)
    assert b"base_url" not in body


def test_directories_unknown_urls_and_content_types(served: Served) -> None:
    status, headers, body = served.get("/en/labs/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8" and b"</html>" in body
    status, headers, _ = served.get("/en/labs")
    assert status == 301 and headers["location"] == "/en/labs/"
    status, _, body = served.get("/en/no-such-page/")
    assert status == 404 and b'<html lang="en"' in body and b"livereload.js" in body
    status, _, body = served.get("/ru/no-such-page/")
    assert status == 404 and b'<html lang="ru"' in body
    status, _, body = served.get("/no-such-page")
    assert status == 404 and b'<html lang="kk"' in body  # the default language's 404 page
    assert wait_for(lambda: any((served.root / "_site").rglob("*.ics")))
    feed = next((served.root / "_site").rglob("*.ics")).relative_to(served.root / "_site").as_posix()
    status, headers, body = served.get(f"/{feed}")
    assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR") and b"livereload" not in body


def test_the_live_reload_script_is_only_in_preview_responses(served: Served, tmp_path: Path) -> None:
    assert b"livereload.js" in served.get("/en/")[2]
    assert wait_for(lambda: (served.root / "_site" / "en" / "index.html").exists())
    production = copy_site("valid", tmp_path / "production")
    assert run_build(production, "build", "--now", NOW).returncode == 0
    for folder in (production / "_site", served.root / "_site"):
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert files and not [p for p in files if b"livereload" in p.read_bytes()]


def test_drafts_are_served_with_a_banner_only_under_drafts(tmp_path: Path) -> None:
    servers = start_server(copy_site("valid", tmp_path / "site"), "--drafts")
    served = next(servers)
    try:
        status, _, body = served.get("/en/labs/teen-lab/")
        assert status == 200 and b'class="draft-banner"' in body
        assert b'class="draft-banner"' not in served.get("/en/labs/impact-lab/")[2]
    finally:
        servers.close()
    servers = start_server(copy_site("valid", tmp_path / "published"))
    served = next(servers)
    try:
        assert served.get("/en/labs/teen-lab/")[0] == 404
    finally:
        servers.close()


def test_an_open_page_reloads_by_itself_after_an_edit(served: Served, page: Page) -> None:
    page.add_init_script("document.addEventListener('LiveReloadConnect', () => { window.liveReloadConnected = true; });")
    page.goto(f"{served.url}/en/people/jane-doe/")
    page.wait_for_function("window.liveReloadConnected === true", timeout=15_000)
    page.evaluate("window.beforeTheEdit = true")
    edit(served.root, PERSON_EN, "role: Producer", "role: Sound designer")
    page.wait_for_function("document.body.innerText.includes('Sound designer')", timeout=15_000)
    assert page.evaluate("window.beforeTheEdit === undefined"), "the page was not reloaded"


def test_a_tab_still_loading_when_a_rebuild_ends_reloads_once_it_connects(served: Served, page: Page) -> None:
    """The reload a rebuild asks for reaches only the tabs connected then: a tab whose live-reload script is still
    on its way (it was reloading after the rebuild before) is reloaded as soon as it connects."""
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        """The first load of the script stays on its way until let go below; those after it pass."""
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/livereload.js*", hold_the_first)
    page.goto(f"{served.url}/en/people/jane-doe/", wait_until="domcontentloaded")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held and "Producer" in page.inner_text("body")
    page.evaluate("window.beforeTheEdit = true")
    edit(served.root, PERSON_EN, "role: Producer", "role: Sound designer")
    assert wait_for(lambda: b"Sound designer" in served.get("/en/labs/impact-lab/2025/")[2])  # rebuilt, no reload
    assert page.evaluate("window.beforeTheEdit === true") and "Producer" in page.inner_text("body")
    held[0].continue_()
    page.wait_for_function("document.body.innerText.includes('Sound designer')", timeout=15_000)
    assert page.evaluate("window.beforeTheEdit === undefined"), "the page was not reloaded"


def test_the_last_good_page_says_that_the_build_is_broken(sample_site: Path) -> None:
    preview = Preview(sample_site, lambda: Options(OPTIONS.now), write=False)
    try:
        assert preview.refresh()
        assert b'role="alert"' not in preview.respond("/en/about/", LAST_GOOD).body
        edit(sample_site, EDITION_FACTS, "format: online", "format: [online")
        assert preview.refresh()
        assert preview.respond("/en/about/").status == 500
        assert preview.respond("/favicon.ico").status == 404  # asked for by the browser itself: no error page
        assert preview.respond("/en/no-such-page/").status == 500
        shown = preview.respond("/en/about/", LAST_GOOD)
        assert shown.status == 200 and b"<h1" in shown.body
        banner = re.search(rb'<body[^>]*><p class="draft-banner" role="alert">(.*?)</p>', shown.body)
        assert banner is not None, shown.body[:400]
        assert banner.group(1) == (b'The site could not be rebuilt: 1 error(s). This is the last good version of this '
                                   b'page. <a href="/en/about/">Show the errors</a>')
        edit(sample_site, EDITION_FACTS, "format: [online", "format: online")
        assert preview.refresh()
        assert b'role="alert"' not in preview.respond("/en/about/", LAST_GOOD).body
    finally:
        preview.writer.shutdown(wait=True)


def test_the_preview_shows_the_warnings_on_its_pages_and_never_writes_them(sample_site: Path) -> None:
    preview = Preview(sample_site, lambda: Options(OPTIONS.now))
    try:
        assert preview.refresh()
        assert preview.build is not None
        before = len(preview.build.warnings)  # the sample's missing translations
        edit(sample_site, "content/pages/about.en.md", "About text en.", "About text en. See [it](/en/labs/nowhere/).")
        assert preview.refresh()
        body = preview.respond("/en/labs/").body
        panel = re.search(rb'<body[^>]*><details class="preview-warnings".*?</details>', body, re.S)
        assert panel is not None, body[:600]
        assert f"Preview: {before + 1} warning(s) in the content.".encode() in panel.group(0)
        assert b"content/pages/about.en.md:4: warning: the link to /en/labs/nowhere/ leads to no page" in panel.group(0)
        assert b"missing translation of content/partners/acme.en.md" in panel.group(0)
        css = next(path for path in preview.build.files if path.endswith(".css"))
        assert preview.respond(f"/{css}").body == preview.build.files[css]
        preview.writer.submit(lambda: None).result()  # the preview's site is written
    finally:
        preview.writer.shutdown(wait=True)
    pages = list((sample_site / "_site").rglob("*.html"))
    assert pages and not [page for page in pages if b"preview-warnings" in page.read_bytes()]


def test_an_address_of_content_the_preview_does_not_publish_says_why(sample_site: Path) -> None:
    """A news item dated after today, or a draft lab, is a 404 in the preview; the 404 page says that its file exists
    and how to see it, rather than only "page not found"."""
    preview = Preview(sample_site, lambda: Options(OPTIONS.now), write=False)
    try:
        assert preview.refresh()
        for url, source in (("/en/news/future/", "content/news/future.yaml"),
                            ("/ru/labs/teen-lab/", "content/labs/teen-lab.yaml")):
            shown = preview.respond(url)
            note = re.search(rb'<body[^>]*><p class="draft-banner" role="note">(.*?)</p>', shown.body)
            assert shown.status == 404 and note is not None, shown.body[:300]
            assert note.group(1).decode() == (f"Preview: {source} exists, but it is not published in this preview: "
                                              "it is a draft, or its date or publish_date is after today. Run the "
                                              "preview with --drafts to see it, marked as a draft.")
        for url in ("/en/news/nothing-here/", "/en/news/future.yaml/", "/en/%2e%2e/future/", "/en/",
                    "/en/partners/acme/", "/en/faq/sample/"):  # partners and FAQs never have pages of their own
            assert b'role="note">Preview:' not in preview.respond(url).body, url
    finally:
        preview.writer.shutdown(wait=True)


def test_a_taken_port_is_reported_without_building(sample_site: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(sample_site),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Serving" not in result.stdout
    assert not (sample_site / "_site").exists()


def test_the_preview_shows_an_edit_at_once_and_its_search_index_a_moment_later(sample_site: Path) -> None:
    preview = Preview(sample_site, lambda: Options(OPTIONS.now))
    try:
        assert preview.refresh()
        assert preview.build is not None and not preview.build.unfinished  # the first build is whole
        index = {path for path in preview.build.files if path.startswith("pagefind/")}
        preview.writer.submit(lambda: None).result()
        held = threading.Event()
        preview.writer.submit(held.wait, 30)  # the writer is busy until the page has been looked at
        page = sample_site / "content/pages/about.en.md"
        time.sleep(0.01)
        page.write_text(page.read_text(encoding="utf-8") + "\nA new word: kinoteka.\n", encoding="utf-8")
        assert preview.refresh()
        shown = preview.respond("/en/about/").body
        assert b"kinoteka" in shown  # the page itself at once
        assert preview.build.unfinished == {"search"}
        held.set()
        preview.writer.submit(lambda: None).result()  # the writer has made the index and written the folder
    finally:
        preview.writer.shutdown(wait=True)
    assert not preview.build.unfinished
    expected = build_site(sample_site, Options(OPTIONS.now), write=False).files
    assert preview.build.files == expected
    assert {path for path in expected if path.startswith("pagefind/")} != index  # the English index was made again


def test_a_failure_of_the_background_search_index_is_told_not_swallowed(
        sample_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(build: Build, options: Options) -> Build:
        raise RuntimeError("the index could not be put together")

    monkeypatch.setattr(serve, "complete", broken)
    preview = Preview(sample_site, lambda: Options(OPTIONS.now))
    try:
        assert preview.refresh()
        page = sample_site / "content/pages/about.en.md"
        time.sleep(0.01)
        page.write_text(page.read_text(encoding="utf-8") + "\nA new word: kinoteka.\n", encoding="utf-8")
        assert preview.refresh()
        preview.writer.submit(lambda: None).result()  # the background step has run
    finally:
        preview.writer.shutdown(wait=True)
    said = capsys.readouterr().err
    assert "internal error: RuntimeError('the index could not be put together')" in said
    assert "The search index was not updated; the previous one is still served." in said
    assert b"kinoteka" in preview.respond("/en/about/").body  # the edited page is still served


def test_a_link_edited_in_an_editions_block_is_checked_again_in_the_preview(sample_site: Path) -> None:
    """The links of a text's Markdown fields (how_to_apply) count among what the check of links reads."""
    rel = "content/labs/impact-lab/2025.en.md"
    edit(sample_site, rel, "---\n", "---\nhow_to_apply: |\n  See [the labs](/en/labs/).\n")
    first = rebuild(sample_site, OPTIONS, None, scan(sample_site))
    assert not [p for p in first.warnings if "leads to the page in" in p.message]
    second = _edited(sample_site, first, rel, "(/en/labs/)", "(/ru/labs/)")
    assert [str(p).split("\n")[0] for p in second.warnings if "leads to the page in" in p.message] == [
        f"{rel}:3: warning: the link to /ru/labs/ leads to the page in Russian, from a text in English"]
