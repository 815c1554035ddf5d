"""Shared fixtures, in layers: a sample project and the site built from it.

The session-wide layers are for tests that only read; a test that edits files takes ``sample_site``,
a fresh copy of its own. Tests that drive Chromium are marked ``browser`` (``pytest -m browser``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser_fixtures import browser, page  # noqa: F401

# The tests build scratch copies of sites, as an editor does on their machine. In CI (CI=true) a build
# refuses to record calendar events; the tests of that behaviour set CI themselves.
os.environ.pop("CI", None)
# Pictures and og:image cards are made once for the whole run (and kept for the next), like on an editor's machine.
os.environ.setdefault("LABSITE_CACHE_DIR", str(Path(tempfile.gettempdir()) / "labsite-test-cache"))

PROJECT = Path(__file__).resolve().parent.parent
SITES = PROJECT / "tests" / "sites"


def copy_site(name: str, target: Path) -> Path:
    """Copy a sample site with the project's templates, static files and catalogues into ``target``."""
    shutil.copytree(SITES / name, target)
    for folder in ("templates", "static", "locales"):
        if (PROJECT / folder).exists() and not (target / folder).exists():
            shutil.copytree(PROJECT / folder, target / folder)
    return target


def run_build(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``build.py`` as an editor would, on the project at ``root``."""
    command = [sys.executable, str(PROJECT / "build.py"), *args, "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A fresh copy of the valid multilingual sample site."""
    return copy_site("valid", tmp_path / "site")


@pytest.fixture
def build() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The command line, bound to a project folder per call."""
    return run_build


#: The moment the shared sample builds assume: the sample's open call is open then.
SAMPLE_NOW = "2025-08-01"


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the valid sample site for the whole session; tests must not change it."""
    return copy_site("valid", tmp_path_factory.mktemp("shared") / "site")


@pytest.fixture(scope="session")
def built_sample(sample_project: Path) -> Path:
    """The sample site built once by the command line at ``SAMPLE_NOW``; returns its output folder."""
    result = run_build(sample_project, "--now", SAMPLE_NOW)
    assert result.returncode == 0, result.stderr
    return sample_project / "_site"


#: The moment the real site's shared build assumes: the Impact Distribution Lab's open call is open, so
#: status badges show.
REAL_NOW = "2025-08-01"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's real content built once into a scratch folder at ``REAL_NOW``; returns its output folder."""
    root = tmp_path_factory.mktemp("real")
    for name in ("content", "templates", "static", "locales"):
        if (PROJECT / name).exists():
            shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "site_config.yaml", root / "site_config.yaml")
    result = run_build(root, "--now", REAL_NOW)
    assert result.returncode == 0, result.stderr
    return root / "_site"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the browser, so that ``-m browser`` or ``-m "not browser"`` selects them."""
    for item in items:
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
