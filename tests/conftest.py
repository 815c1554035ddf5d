"""Shared fixtures: the project, a scratch copy of a sample site, and the real command line."""

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
