"""Checks that the test tooling itself works: axe, the Nu checker, the server, screenshots."""

from __future__ import annotations

import struct
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests import browser as tooling
from tests.browser import run_axe, run_vnu, serve_directory

CLEAN_PAGE = """<!DOCTYPE html>
<html lang="kk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alternativa Film Labs</title>
</head>
<body>
<main>
<h1>Alternativa Film Labs</h1>
<p>Қазақ әріптері: ә ғ қ ң ө ұ ү һ і. Кино зертханасы Алматыда.</p>
</main>
</body>
</html>
"""

IMG_WITHOUT_ALT = CLEAN_PAGE.replace(
    "</h1>",
    '</h1>\n<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">',
)

NO_TITLE = CLEAN_PAGE.replace("<title>Alternativa Film Labs</title>\n", "")

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Alternativa Film Labs//test//EN\r\n"
    "END:VCALENDAR\r\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``folder/name`` and return the path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_axe_flags_img_without_alt(page: Page, tmp_path: Path) -> None:
    _write(tmp_path, "index.html", IMG_WITHOUT_ALT)
    with serve_directory(tmp_path) as base:
        page.goto(base + "index.html")
        violations = run_axe(page)
    assert "image-alt" in {v["id"] for v in violations}, violations
    image_alt = next(v for v in violations if v["id"] == "image-alt")
    assert image_alt["impact"] == "critical"
    assert image_alt["targets"] == ["img"]


def test_axe_clean_page_has_no_violations(page: Page, tmp_path: Path) -> None:
    _write(tmp_path, "index.html", CLEAN_PAGE)
    with serve_directory(tmp_path) as base:
        page.goto(base + "index.html")
        violations = run_axe(page)
    assert violations == []


def test_vnu_reports_missing_title(tmp_path: Path) -> None:
    path = _write(tmp_path, "no-title.html", NO_TITLE)
    errors = run_vnu([path])
    assert errors, "vnu found no error in a document without <title>"
    assert any("title" in e["message"] for e in errors), errors
    assert all(e["url"].endswith("no-title.html") for e in errors)
    assert all(isinstance(e["line"], int) for e in errors)


def test_vnu_accepts_valid_document(tmp_path: Path) -> None:
    path = _write(tmp_path, "index.html", CLEAN_PAGE)
    assert run_vnu([path]) == []


def test_vnu_missing_jar_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tooling, "VNU_JAR", tmp_path / "absent.jar")
    with pytest.raises(tooling.ToolMissingError, match="install-test-tools"):
        run_vnu([tmp_path / "index.html"])


def test_server_serves_ics_as_text_calendar(tmp_path: Path) -> None:
    _write(tmp_path, "events.ics", ICS)
    with (
        serve_directory(tmp_path) as base,
        urllib.request.urlopen(base + "events.ics", timeout=10) as response,
    ):
        content_type = response.headers["Content-Type"]
        body = response.read()
    assert content_type == "text/calendar; charset=utf-8"
    assert body == ICS.encode()


def test_server_answers_404_for_missing_file(tmp_path: Path) -> None:
    with (
        serve_directory(tmp_path) as base,
        pytest.raises(urllib.error.HTTPError) as excinfo,
    ):
        urllib.request.urlopen(base + "missing.html", timeout=10)
    assert excinfo.value.code == 404
    excinfo.value.close()


def test_screenshot_at_360px(page: Page, tmp_path: Path) -> None:
    _write(tmp_path, "index.html", CLEAN_PAGE)
    shot = tmp_path / "clean-360.png"
    page.set_viewport_size({"width": 360, "height": 640})
    with serve_directory(tmp_path) as base:
        page.goto(base + "index.html")
        page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert len(data) > 0
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, _height = struct.unpack(">II", data[16:24])
    assert width == 360
