"""The generated nginx configuration, run by a real nginx on 127.0.0.1 over a built sample site."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from playwright.sync_api import Browser

from labsite.outputs.nginx import CSP, IMMUTABLE
from tests.conftest import PROJECT, copy_site, run_build
from tests.nginx_server import Nginx, run_nginx

NOW = "2025-08-01"
MANIFEST = b'{"name": "Sample Labs", "start_url": "/", "display": "standalone"}\n'


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    """nginx serving the valid sample site (with a web manifest and a longer news text), built while its call is open."""
    root = copy_site("valid", tmp_path_factory.mktemp("nginx") / "site")
    (root / "static" / "site.webmanifest").write_bytes(MANIFEST)
    with (root / "content" / "news" / "open-call.en.md").open("a", encoding="utf-8") as news:
        news.write("\n" + "Applications are reviewed by the mentors of the lab. " * 30 + "\n")  # the feed over 1 KB
    result = run_build(root, "--now", NOW)
    assert result.returncode == 0, result.stderr
    with run_nginx(root, root / "_site", root.parent / "nginx") as server:
        yield server


def asset(site: Path, suffix: str) -> str:
    """The address of the fingerprinted static file with ``suffix``."""
    return "/" + next(p for p in (site / "static").iterdir() if p.suffix == suffix).relative_to(site).as_posix()


# --- content types and caching ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "expected"), [
    ("/en/", "text/html; charset=utf-8"),
    ("/en/calendar/all.ics", "text/calendar; charset=utf-8"),
    ("/en/news/atom.xml", "application/atom+xml; charset=utf-8"),
    ("/sitemap.xml", "application/xml; charset=utf-8"),
    ("/status.json", "application/json"),
    ("/robots.txt", "text/plain; charset=utf-8"),
    ("/static/site.webmanifest", "application/manifest+json"),
    (".css", "text/css; charset=utf-8"),
    (".js", "text/javascript; charset=utf-8"),
])
def test_every_kind_of_file_gets_its_content_type(nginx: Nginx, path: str, expected: str) -> None:
    path = asset(nginx.site, path) if path.startswith(".") else path
    reply = nginx.request(path)
    assert reply.status == 200 and reply.headers["content-type"] == expected
    on_disk = nginx.site / path.lstrip("/")
    assert reply.body == (on_disk / "index.html" if on_disk.is_dir() else on_disk).read_bytes()


@pytest.mark.parametrize("path", [".css", ".js"])
def test_fingerprinted_files_are_cached_for_a_year(nginx: Nginx, path: str) -> None:
    reply = nginx.request(asset(nginx.site, path))
    assert reply.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"


def test_the_search_index_files_named_by_their_content_are_cached_for_a_year(nginx: Nginx) -> None:
    index = nginx.site / "pagefind"
    named = [next((index / "fragment").glob("en_*.pf_fragment")), next((index / "index").glob("en_*.pf_index")),
             next(index.glob("pagefind.en_*.pf_meta"))]
    for path in named:
        reply = nginx.request(f"/{path.relative_to(nginx.site).as_posix()}")
        assert reply.status == 200 and reply.headers["cache-control"] == IMMUTABLE, path
    for path in ("/pagefind/pagefind.js", "/pagefind/pagefind-entry.json", "/pagefind/fragment/en_0123abc.pf_fragment"):
        reply = nginx.request(path)
        assert reply.headers["cache-control"] == "no-cache", (path, reply.status)


@pytest.mark.parametrize("path", ["/en/", "/", "/en/news/atom.xml", "/en/calendar/all.ics", "/status.json",
                                  "/sitemap.xml", "/static/site.webmanifest", "/static/style.0123456789.css"])
def test_pages_feeds_and_status_are_revalidated(nginx: Nginx, path: str) -> None:
    reply = nginx.request(path)
    assert reply.headers["cache-control"] == "no-cache", (path, reply.status)
    if reply.status == 200:
        etag = reply.headers["etag"]
        again = nginx.request(path, {"If-None-Match": etag})
        assert again.status == 304 and again.body == b""


# --- security headers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "status"), [("/en/", 200), ("/ru/nowhere", 404), ("/en/labs", 301),
                                              (".js", 200), ("/en/calendar/all.ics", 200)])
def test_security_headers_are_on_every_answer(nginx: Nginx, path: str, status: int) -> None:
    reply = nginx.request(asset(nginx.site, path) if path.startswith(".") else path, {"Accept-Language": "en"})
    assert reply.status == status
    assert reply.headers["content-security-policy"] == CSP
    assert "script-src 'self' 'wasm-unsafe-eval';" in CSP and "style-src 'self';" in CSP
    assert "unsafe-inline" not in CSP and "'unsafe-eval'" not in CSP  # WebAssembly for search, no JavaScript eval
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert reply.headers["strict-transport-security"] == "max-age=31536000"  # base_url is https
    assert reply.headers["server"] == "nginx"  # no version


def test_hsts_only_when_the_site_is_served_over_https(sample_site: Path) -> None:
    config = sample_site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://", "http://"), encoding="utf-8")
    command = [sys.executable, str(PROJECT / "build.py"), "server-config", "nginx", "--project", str(sample_site)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Content-Security-Policy" in result.stdout and "Strict-Transport-Security" not in result.stdout


# --- precompressed files ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/en/labs/impact-lab/2025/", "/en/calendar/all.ics", "/en/news/atom.xml",
                                  "/sitemap.xml", ".css", ".js", "/ru/nowhere"])
def test_compressed_answers_hold_the_same_bytes(nginx: Nginx, path: str) -> None:
    path = asset(nginx.site, path) if path.startswith(".") else path
    plain = nginx.request(path)
    assert "content-encoding" not in plain.headers and len(plain.body) > 1024
    assert "Accept-Encoding" in plain.headers["vary"]
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        reply = nginx.request(path, {"Accept-Encoding": encoding})
        assert reply.status == plain.status and reply.headers["content-encoding"] == encoding
        assert reply.headers["content-type"] == plain.headers["content-type"]
        assert len(reply.body) < len(plain.body) and decompress(reply.body) == plain.body, encoding
    both = nginx.request(path, {"Accept-Encoding": "gzip, deflate, br"})
    assert both.headers["content-encoding"] == "br"


def test_small_files_are_sent_as_they_are(nginx: Nginx) -> None:
    reply = nginx.request("/robots.txt", {"Accept-Encoding": "br, gzip"})
    assert reply.status == 200 and "content-encoding" not in reply.headers
    assert reply.body == (nginx.site / "robots.txt").read_bytes()


# --- 404 pages, the language choice, redirects --------------------------------------------------------------------

@pytest.mark.parametrize(("path", "lang"), [("/ru/anything", "ru"), ("/kk/labs/none/", "kk"), ("/en/x.html", "en"),
                                            ("/nowhere", "kk"), ("/static/", "kk"), ("/static/none.css", "kk")])
def test_unknown_addresses_get_the_404_page_of_their_language(nginx: Nginx, path: str, lang: str) -> None:
    reply = nginx.request(path)
    assert reply.status == 404 and reply.headers["content-type"] == "text/html; charset=utf-8"
    expected = nginx.site / (f"{lang}/404.html" if path.startswith(f"/{lang}/") else "404.html")
    assert reply.body == expected.read_bytes() and f'<html lang="{lang}"'.encode() in reply.body


@pytest.mark.parametrize(("accept", "target"), [
    ("kk-KZ,kk;q=0.9,ru;q=0.8", "/kk/"),
    ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "/ru/"),
    ("en-GB,en;q=0.9", "/en/"),
    ("de-DE,de;q=0.9,ru;q=0.8,kk;q=0.7", "/ru/"),  # the first language the site has
    ("RU", "/ru/"),
    ("rue,en;q=0.5", "/en/"),  # Rusyn is not Russian
    ("fr-FR,fr;q=0.9", "/kk/"),  # none of the site's: the default language
    ("*", "/kk/"),
])
def test_the_root_sends_a_visitor_to_their_language(nginx: Nginx, accept: str, target: str) -> None:
    reply = nginx.request("/", {"Accept-Language": accept})
    assert reply.status == 302 and reply.headers["location"] == target
    assert "Accept-Language" in reply.headers["vary"]
    assert nginx.request(target, {"Accept-Language": accept}).status == 200


@pytest.mark.parametrize(("path", "headers"), [("/", {}), ("/?choose", {"Accept-Language": "ru"}),
                                               ("/?utm_source=x&choose", {"Accept-Language": "en"})])
def test_crawlers_and_visitors_who_choose_get_the_choice_page(nginx: Nginx, path: str,
                                                              headers: dict[str, str]) -> None:
    reply = nginx.request(path, headers)
    assert reply.status == 200 and reply.body == (nginx.site / "index.html").read_bytes()
    assert b'hreflang="ru"' in reply.body and "Accept-Language" in reply.headers["vary"]


@pytest.mark.parametrize(("path", "target"), [("/en/labs", "/en/labs/"), ("/ru", "/ru/"),
                                              ("/kk/labs/impact-lab/2025?from=mail", "/kk/labs/impact-lab/2025/?from=mail")])
def test_folders_without_a_slash_redirect_once(nginx: Nginx, path: str, target: str) -> None:
    reply = nginx.request(path)
    assert reply.status == 301 and reply.headers["location"] == target
    assert nginx.request(target).status == 200


# --- HEAD and Range --------------------------------------------------------------------------------------------

def test_head_gives_the_headers_of_get_without_a_body(nginx: Nginx) -> None:
    get = nginx.request("/en/calendar/all.ics")
    head = nginx.request("/en/calendar/all.ics", method="HEAD")
    assert head.status == 200 and head.body == b""
    for name in ("content-type", "content-length", "etag", "cache-control", "content-security-policy"):
        assert head.headers[name] == get.headers[name]
    assert int(head.headers["content-length"]) == len(get.body)


def test_range_requests_get_the_part_asked_for(nginx: Nginx) -> None:
    whole = (nginx.site / "en" / "index.html").read_bytes()
    reply = nginx.request("/en/", {"Range": "bytes=10-109"})
    assert reply.status == 206 and reply.body == whole[10:110]
    assert reply.headers["content-range"] == f"bytes 10-109/{len(whole)}"
    tail = nginx.request("/en/", {"Range": "bytes=-20"})
    assert tail.status == 206 and tail.body == whole[-20:]
    assert nginx.request("/en/", {"Range": f"bytes={len(whole) + 5}-"}).status == 416


# --- in the browser, with the policy in force ----------------------------------------------------------------------

def test_pages_work_in_chromium_under_the_content_security_policy(browser: Browser, nginx: Nginx) -> None:
    context = browser.new_context(locale="ru-RU")
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"{m.location.get('url')}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        # A request the browser itself cancels when the next page is asked for (the icon, on a slow run) is no fault.
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}")
                if request.failure != "net::ERR_ABORTED" else None)
        page.clock.set_fixed_time(dt.datetime(2025, 10, 2, 12, tzinfo=dt.UTC))  # after the deadline
        response = page.goto(f"{nginx.url}/")  # Chromium asks for ru-RU: sent on to /ru/
        assert response is not None and page.url == f"{nginx.url}/ru/"
        assert response.headers["content-security-policy"] == CSP
        page.goto(f"{nginx.url}/en/labs/impact-lab/2025/")
        badge = page.locator("p.status").first
        assert "status-closed" in (badge.get_attribute("class") or "")  # built "open": status.js ran
        assert re.search(r"closed", badge.inner_text(), re.IGNORECASE)
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"  # the style sheet
        # The site has no icon yet: Chromium's own request for /favicon.ico is the one 404 it may log.
        assert [p for p in problems if not p.startswith(f"{nginx.url}/favicon.ico: ")] == []
        # The policy is in force: an inline script is refused (and reported).
        blocked = page.evaluate("""() => new Promise((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.head.appendChild(script);
        })""")
        assert blocked.startswith("script-src") and page.evaluate("window.injected === undefined")
    finally:
        context.close()


def test_search_works_under_the_policy_with_the_servers_types_and_compression(browser: Browser, nginx: Nginx) -> None:
    context = browser.new_context()
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        responses = []
        page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
        page.goto(f"{nginx.url}/en/search/?q=impact")
        page.wait_for_selector("#search-results[aria-busy=false]", state="attached", timeout=20000)
        links = [a.get_attribute("href") for a in page.locator(".search-result h2 a").all()]
        assert "/en/faq/#what-is-impact" in links[:3]
        assert [p for p in problems if "favicon" not in p] == []  # pagefind's WebAssembly ran under the policy
        script = next(r for r in responses if r.url.endswith("/pagefind/pagefind.js"))
        assert script.headers["content-encoding"] == "br" and script.headers["cache-control"] == "no-cache"
    finally:
        context.close()


# --- mistakes on the command line --------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["apache"], "invalid choice: 'apache'"),
    ([], "the following arguments are required: server"),
    (["nginx", "--listen", "99999"], "error: --listen '99999' is not PORT, ADDRESS:PORT or [IPv6]:PORT"),
    (["nginx", "--listen", "127.0.0.1:http"], "error: --listen '127.0.0.1:http' is not PORT"),
    (["nginx", "--listen", "[1:2:3]:80"], "error: --listen '[1:2:3]:80': [1:2:3] is not an IPv6 address"),
    (["nginx", "--root", "/srv/$site"], "error: --root '/srv/$site' holds a quote, backslash, '$'"),
    (["nginx", "--root", str(PROJECT / "build.py")], "is a file, not the folder of a built site"),
    (["nginx", "--project", "/nonexistent"], "site_config.yaml: error: the site settings file is missing"),
])
def test_command_line_mistakes_get_one_clear_line(args: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "server-config", *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and result.stdout == ""
    assert "Traceback" not in result.stderr and message in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr


@pytest.mark.parametrize("listen", ["8080", "127.0.0.1:8080", "[::1]:8080", "localhost:80"])
def test_listen_takes_what_nginx_takes(listen: str) -> None:
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "server-config", "nginx", "--listen", listen],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and f"\n        listen {listen};\n" in result.stdout
    assert f'root "{PROJECT / "_site"}";' in result.stdout  # the project's output folder by default


# --- check: nothing in a page that the policy would refuse -------------------------------------------------------

def test_check_reports_inline_code_the_policy_would_block(sample_site: Path) -> None:
    # Content cannot carry inline code (the Markdown sanitiser removes it); a template can, by mistake.
    template = sample_site / "templates" / "page.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block main %}", '{% block main %}<p style="color: red">Red</p><script>alert(1)</script>', 1), encoding="utf-8")
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"^en/about/index\.html:\d+: error: a style= attribute on <p>: the site's "
                     r"Content-Security-Policy blocks it$", result.stderr, re.M), result.stderr
    assert re.search(r"^en/about/index\.html:\d+: error: an inline <script>", result.stderr, re.M)


def test_only_code_that_would_run_inline_is_reported() -> None:
    from labsite.outputs.csp import inline_code

    page = b"""<html><head><script type="application/ld+json">{"@type": "Thing"}</script>
<script type="application/json" id="texts">{}</script>
<script src="/static/status.js" defer></script>
<script type="module">import "/x.js";</script>
<style>p { color: red }</style></head>
<body><a href="javascript:void(0)" onclick="go()">x</a><p data-style="x" class="s">ok</p></body></html>"""
    assert inline_code(page) == [(4, "an inline <script>"), (5, "a <style> element"),
                                 (6, "the event handler onclick= on <a>"), (6, "a javascript: address on <a>")]


def test_a_site_other_users_cannot_reach_is_warned_about() -> None:
    """nginx started as root reads the site as 'nobody': a folder on the way that shuts other users out is named."""
    base = Path(tempfile.mkdtemp(prefix="labsite-reach-", dir="/tmp"))
    try:
        base.chmod(0o711)
        for name, mode in (("open", 0o755), ("closed", 0o700)):
            (base / name).mkdir()
            (base / name).chmod(mode)
            copy_site("valid", base / name / "site")
        said = {}
        for name in ("open", "closed"):
            result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "server-config", "nginx", "--project",
                                     str(base / name / "site")], capture_output=True, text=True, timeout=60)
            assert result.returncode == 0 and "server {" in result.stdout, result.stderr
            said[name] = result.stderr
        assert said["open"] == ""
        assert said["closed"].startswith(f"warning: {base / 'closed'} lets no other user through (mode 700)")
        assert "/srv/alternativa" in said["closed"] and "Traceback" not in said["closed"]
    finally:
        shutil.rmtree(base)
