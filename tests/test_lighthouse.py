"""Lighthouse with its mobile settings on one page of each type in each language of the real site.

One Chromium runs the pages one after another (tools/lighthouse-pages.mjs), so that the performance
score is not measured against the page before it. Lighthouse 12.x: 13 needs a newer Node than this one.
Marked ``lighthouse``: ``make test`` runs these alone, after the other tests, which share the cores,
so that nothing else runs on the machine while the performance is measured.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser import TOOLS_DIR, chromium_path
from tests.test_browser import LANGS, PAGE_TYPES, base_url  # noqa: F401 - the shared built site (real_site: conftest)

RUNNER = TOOLS_DIR / "lighthouse-pages.mjs"
LIGHTHOUSE = TOOLS_DIR / "node_modules" / "lighthouse"
PAGES = [f"/{lang}/{route}" for lang in LANGS for route in PAGE_TYPES] + ["/"]
#: The scores every page must reach; performance is measured on a shared 2-core machine.
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
REPORT = Path(__file__).resolve().parent / "artifacts" / "lighthouse.json"

pytestmark = pytest.mark.lighthouse


@pytest.fixture(scope="module")
def lighthouse(base_url: str) -> dict[str, dict]:  # noqa: F811 - the fixture imported above
    """The scores and failed audits of every page, by its path."""
    if not LIGHTHOUSE.is_dir():
        pytest.fail("Lighthouse is missing: run scripts/install-test-tools.sh")
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    urls = [base_url + path for path in PAGES]
    result = subprocess.run(["node", str(RUNNER), *urls], capture_output=True, text=True, env=env, timeout=1200)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return {url.removeprefix(base_url): values for url, values in report.items()}


@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_mobile_scores(lighthouse: dict[str, dict], path: str) -> None:
    page = lighthouse[path]
    assert page["runtimeError"] is None, page["runtimeError"]
    scores = dict(page["scores"])
    if path.endswith("404.html"):
        # An error page must not be indexed: its one SEO finding is the noindex it carries on purpose.
        assert [a["id"] for a in page["failed"] if a["category"] == "seo"] == ["is-crawlable"], page["failed"]
        scores.pop("seo")
    low = {name: score for name, score in scores.items() if score is None or score < MINIMUM[name]}
    assert not low, (low, page["failed"])
