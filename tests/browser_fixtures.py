"""Playwright fixtures on Debian's Chromium; import them in conftest.py.

from tests.browser_fixtures import browser, page  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Launch one headless Chromium for the whole test session."""
    executable = chromium_path()
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Give each test a fresh browser context and page, closed afterwards."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()
