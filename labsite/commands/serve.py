"""The live preview: serve the last good build from memory, rebuild after edits, reload open tabs."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..build.incremental import Build, Stamp, changed_files, complete, rebuild, scan
from ..build.pipeline import Options
from ..model.problems import BuildFailed, Problem
from ..outputs.mediatypes import CONTENT_TYPES, content_type
from ..outputs.writer import write_site
from .broken import (
    error_page,
    failure_text,
    ordered,
    unpublished_source,
    with_broken_banner,
    with_unpublished_note,
    with_warnings,
)

#: Output kinds the preview makes after answering an edit, so that the edited page shows at once.
DEFERRED = frozenset({"search"})
#: The query that asks for the last good version of a page while the build is broken.
LAST_GOOD = "last-good"
#: How often the watched files are looked at, in milliseconds.
POLL_MS = 300


@dataclass(frozen=True)
class Response:
    """What the preview answers to one request."""

    status: int
    content_type: str
    body: bytes
    location: str = ""


def find(url_path: str, files: Mapping[str, bytes]) -> tuple[int, str]:
    """Map a decoded URL path to an output file: (200, file), (301, new URL path), (403, "") or (404, 404 page)."""
    if "\\" in url_path or "\0" in url_path or not url_path.startswith("/"):
        return 403, ""
    for candidate in (url_path, unquote(url_path)):
        if {".", ".."} & set(candidate.split("/")):
            return 403, ""
    rel = url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if rel in files:
        return 200, rel
    if f"{rel}/index.html" in files:
        return 301, quote(f"/{rel}/")  # never '//host/…', which a browser would take for another site
    first = rel.split("/", 1)[0]
    return 404, f"{first}/404.html" if f"{first}/404.html" in files else "404.html"


class Preview:
    """The preview's state: the last good build, the problems of the current one, and the files last seen."""

    def __init__(self, root: Path, make_options: Callable[[], Options], write: bool = True) -> None:
        self.root, self.make_options, self.write = root.resolve(), make_options, write
        self.build: Build | None = None
        self.problems: list[Problem] = []
        self.seen: dict[str, Stamp] = {}
        #: Counts the rebuilds that open tabs must show (one per :meth:`refresh` that asks them to reload).
        self.generation = 0
        #: The :attr:`generation` each page address was last answered with (see :meth:`stale`).
        self.answered: dict[str, int] = {}
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview-writer")
        #: Held while the current build is replaced (by a rebuild, or by the writer completing it).
        self.lock = threading.Lock()

    def refresh(self) -> bool:
        """Rebuild when a watched file changed since last look; ``True`` when open tabs should reload."""
        stamps = scan(self.root)
        if stamps == self.seen:
            return False
        self.seen = stamps
        self.generation += 1
        edited = changed_files(self.build.stamps, stamps) if self.build else frozenset()
        options = self.make_options()
        try:
            # After the first build, the search index follows an edit a moment later (see _complete).
            build = rebuild(self.root, dataclasses.replace(options, deferred=DEFERRED), self.build, stamps)
        except BuildFailed as failed:
            self.problems = ordered(failed.problems)
            summary, text = failure_text(self.problems)
            self._say(f"{text}\nBuild failed: {summary} The last good pages are still served; fix the file to go on.")
            return True
        except Exception as exc:  # a bug must not stop the preview an editor is looking at
            traceback.print_exc()
            self.problems = [Problem("(generator)", 0, f"internal error: {exc!r}", "See the terminal for details.")]
            return True
        warnings = ordered(build.warnings)
        if self.build is None or warnings != ordered(self.build.warnings):
            listed = "".join(f"{problem}\n" for problem in warnings)
            self._say(f"{listed}{len(warnings)} warning(s)." if warnings else "No warnings.")
        with self.lock:
            self.build, self.problems = build, []
        if build.unfinished:
            self.writer.submit(self._complete, build, options)
        elif self.write:
            self.writer.submit(self._write, build)
        what = ", ".join(sorted(edited)[:3]) + (" …" if len(edited) > 3 else "") if edited else "the site"
        self._say(f"{what}: rendered {len(build.rendered)} of {len(build.pages)} pages in {build.seconds * 1000:.0f} ms")
        return True

    def _complete(self, build: Build, options: Options) -> None:
        """Make what ``build`` left unfinished; serve and write it unless a newer build came meanwhile."""
        try:
            done = complete(build, options)
        except BuildFailed as failed:
            self._say("\n".join(map(str, ordered(failed.problems))) + "\nThe search index was not updated.")
            return
        except Exception as exc:  # in the writer thread nobody else would see it; a bug must not go unnoticed
            traceback.print_exc()
            self._say(f"internal error: {exc!r}\nThe search index was not updated; the previous one is still served. "
                      "See the lines above for details.")
            return
        with self.lock:
            if self.build is not build:
                return
            self.build = done
        if self.write:
            self._write(done)

    def _write(self, build: Build) -> None:
        """Write a good build to the output folder (the server itself answers from memory)."""
        try:
            write_site(build.files, build.site.config.output_path, build.site.config.root)
        except (OSError, ValueError) as exc:
            self._say(f"warning: the preview could not be written to {build.site.config.output_path}: {exc}")

    @staticmethod
    def _say(text: str) -> None:
        """Tell the editor in the terminal."""
        print(text, file=sys.stderr, flush=True)

    def stale(self, url: str) -> bool:
        """Whether the tab showing ``url`` (as its live-reload script gives it) was answered before the last rebuild:
        the tab was loading when that rebuild asked open tabs to reload, so the request reached it too late."""
        path = unquote(urlsplit(url).path or "/")
        return self.answered.get(path, self.generation) < self.generation

    def respond(self, url_path: str, query: str = "") -> Response:
        """The answer to a GET for ``url_path`` (already percent-decoded); ``?last-good`` skips the error page."""
        response = self._respond(url_path, query)
        if response.content_type == CONTENT_TYPES[".html"]:
            self.answered[url_path] = self.generation
        return response

    def _respond(self, url_path: str, query: str) -> Response:
        """:meth:`respond`, before it is noted which rebuild answered the page."""
        files = self.build.files if self.build else {}
        status, rel = find(url_path, files)
        if status == 403:
            return Response(403, "text/plain; charset=utf-8", b"Forbidden\n")
        if status == 301:
            return Response(301, "text/plain; charset=utf-8", b"Moved\n", rel)
        # A page, or an address that would be one; not a file the browser asks for by itself (/favicon.ico).
        page = rel.endswith(".html") and (status == 200 or url_path.endswith(".html")
                                          or "." not in url_path.rstrip("/").rpartition("/")[2])
        if self.problems and page and query != LAST_GOOD:
            last_good = f"{url_path}?{LAST_GOOD}" if status == 200 else ""
            return Response(500, CONTENT_TYPES[".html"], error_page(self.problems, quote(last_good, safe="/?-")))
        if status == 404 and rel not in files:
            return Response(404, "text/plain; charset=utf-8", b"Not found\n")
        if self.problems and page:  # the last good page, asked for: say that it is not current
            return Response(status, content_type(rel), with_broken_banner(files[rel], url_path,
                                                                          failure_text(self.problems)[0]))
        if status == 404 and page and not self.make_options().drafts and (
                source := unpublished_source(self.root, url_path)):
            return Response(status, content_type(rel), with_unpublished_note(files[rel], source))
        if page and self.build is not None:
            return Response(status, content_type(rel), with_warnings(files[rel], self.build.warnings))
        return Response(status, content_type(rel), files[rel])

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """The preview as a WSGI application (livereload adds its script to HTML before ``</head>``)."""
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")])
            return [b"Method not allowed\n"]
        # WSGI gives the decoded path as Latin-1 characters standing for bytes.
        url_path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        response = self.respond(url_path, environ.get("QUERY_STRING", ""))
        reasons = {200: "OK", 301: "Moved Permanently", 403: "Forbidden", 404: "Not Found", 500: "Build Failed"}
        headers = [("Content-Type", response.content_type), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff")]
        if response.location:
            headers.append(("Location", response.location))
        start_response(f"{response.status} {reasons[response.status]}", headers)
        return [b"" if method == "HEAD" else response.body]


def serve(root: Path, make_options: Callable[[], Options], host: str, port: int) -> int:
    """Build, serve on ``host:port`` and rebuild after every edit until interrupted; the exit status."""
    import livereload.server
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    preview = Preview(root, make_options)

    class PreviewReloadHandler(LiveReloadHandler):  # type: ignore[misc]
        """Also reloads a tab that connects showing an older build than the last one (see :meth:`Preview.stale`)."""

        def on_message(self, message: str) -> None:
            super().on_message(message)
            said = json.loads(message)
            if isinstance(said, dict) and said.get("command") == "info" and preview.stale(str(said.get("url", ""))):
                self.send_message({"command": "reload", "path": "/", "liveCSS": True, "liveImg": True})

    livereload.server.LiveReloadHandler = PreviewReloadHandler  # the class the server routes /livereload to

    class PreviewWatcher(Watcher):  # type: ignore[misc]
        """Looks at the watched files itself, so that it knows which changed and reloads once per rebuild."""

        def start(self, callback: Callable[[], None]) -> bool:
            PeriodicCallback(self.check, POLL_MS).start()
            return True

        def check(self) -> None:
            if preview.refresh():
                PreviewReloadHandler.reload_waiters("/")

        def examine(self) -> tuple[None, None]:
            return None, None

    try:
        # Fail before building when the port is taken (tornado would only say so after the URL is printed).
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}; try another --port", file=sys.stderr)
        return 1
    preview.refresh()
    watcher = PreviewWatcher()
    watcher.watch(str(preview.root))  # the files themselves are listed by labsite.incremental.scan
    server = Server(app=preview.wsgi, watcher=watcher)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving the preview at http://{shown}:{port}/ (drafts {'shown' if make_options().drafts else 'hidden'}); "
          "press Ctrl+C to stop.", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}: other machines can see the preview", file=sys.stderr, flush=True)
    try:
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        preview.writer.shutdown(wait=True)
    return 0
