"""Helpers for browser, accessibility and HTML-validity tests (not a test module).

The binaries these helpers use come from ``scripts/install-test-tools.sh``:
Debian's Chromium, a Java runtime, and the npm packages in ``tools/``.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS_DIR = REPO_ROOT / "tools"
AXE_JS = TOOLS_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = "run scripts/install-test-tools.sh"

CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_CHROMIUM_CANDIDATES = (Path("/usr/bin/chromium"), Path("/usr/lib/chromium/chromium"))


class ToolMissingError(RuntimeError):
    """A binary or package the tests need is not installed."""


def chromium_path() -> str:
    """Return the path of Debian's Chromium, or raise ToolMissingError."""
    for candidate in _CHROMIUM_CANDIDATES:
        if candidate.exists():
            return str(candidate)
    raise ToolMissingError(f"Chromium not found at /usr/bin/chromium: {INSTALL_HINT}")


_CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".ics": "text/calendar; charset=utf-8",
}


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static-file handler with site MIME types, no logging and no directory listings."""

    def guess_type(self, path: str | PathLike[str]) -> str:
        """Return the site's content type for ``path``, else the standard guess."""
        suffix = Path(path).suffix.lower()
        return _CONTENT_TYPES.get(suffix) or super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the per-request log line."""

    def list_directory(self, path: str | PathLike[str]) -> None:
        """Answer 404 for a folder without index.html, like a static host."""
        self.send_error(404, "File not found")


class _HeaderHandler(_QuietHandler):
    """The static-file handler, adding the headers of its class (such as the site's Content-Security-Policy)."""

    headers_to_send: dict[str, str] = {}

    def end_headers(self) -> None:
        """Add the extra headers, then end as usual."""
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve_directory(root: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (free port, background thread), with ``headers`` on every answer; yield the URL."""
    handler_class = type("Handler", (_HeaderHandler,), {"headers_to_send": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, name="serve_directory", daemon=True
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


_AXE_RUN = """async (options) => {
    const results = await axe.run(document, options || {});
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.flat().join(" >>> ")),
    }));
}"""


def run_axe(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Inject tools' axe-core into ``page`` and return its violations (id, impact, help, targets)."""
    if not AXE_JS.is_file():
        raise ToolMissingError(f"axe-core not found at {AXE_JS}: {INSTALL_HINT}")
    page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN, options)
    return violations


def run_vnu(paths: list[Path]) -> list[dict[str, Any]]:
    """Check HTML files (or folders) with the Nu checker; return errors (url, line, column, message)."""
    java = shutil.which("java")
    if java is None:
        raise ToolMissingError(
            f"java not found on PATH (needed for vnu.jar): {INSTALL_HINT}"
        )
    if not VNU_JAR.is_file():
        raise ToolMissingError(f"vnu.jar not found at {VNU_JAR}: {INSTALL_HINT}")
    if not paths:
        return []
    command = [
        java,
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--format",
        "json",
        "--no-langdetect",
        "--skip-non-html",
        *(str(p) for p in paths),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(proc.stderr or proc.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"vnu.jar exited {proc.returncode} without a JSON report:\n{proc.stderr}{proc.stdout}"
        ) from exc
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"vnu.jar exited {proc.returncode}:\n{proc.stderr}")
    return [
        {
            "type": m.get("type"),
            "url": m.get("url"),
            "line": m.get("lastLine"),
            "column": m.get("firstColumn", m.get("lastColumn")),
            "message": m.get("message"),
            "extract": m.get("extract"),
        }
        for m in report.get("messages", [])
        if m.get("type") in ("error", "non-document-error")
    ]
