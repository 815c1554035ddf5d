"""The benchmark's build without the outputs the peers do not make (``scripts/without.py``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT, SAMPLE_NOW, run_build

WITHOUT = PROJECT / "scripts" / "without.py"


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_build_without_search_copies_and_cards_makes_the_same_pages_and_none_of_those(sample_site: Path) -> None:
    assert run_build(sample_site, "--now", SAMPLE_NOW).returncode == 0
    whole = files_of(sample_site / "_site")
    shutil.rmtree(sample_site / "_site")  # cold, as the benchmark builds it: else the last site would be kept
    shutil.rmtree(sample_site / ".cache")
    lean = subprocess.run([sys.executable, str(WITHOUT), "search,copies,cards", "build", "--root", str(sample_site),
                           "--now", SAMPLE_NOW], capture_output=True, text=True, timeout=120)
    assert lean.returncode == 0, lean.stderr
    made = files_of(sample_site / "_site")
    assert any(name.startswith("pagefind/") for name in whole) and not any(name.startswith("pagefind/") for name in made)
    assert any(name.endswith((".gz", ".br")) for name in whole)
    assert not any(name.endswith((".gz", ".br")) for name in made)
    cards = {data for name, data in made.items() if name.startswith("og/")}
    assert len(cards) == 1 and len({data for name, data in whole.items() if name.startswith("og/")}) > 1
    # The pages are the same (a card is named by what it shows, not by its bytes): only their extras are left out.
    assert {name: data for name, data in made.items() if name.endswith(".html")} == {
        name: data for name, data in whole.items() if name.endswith(".html")}


def test_a_part_it_cannot_leave_out_is_named(sample_site: Path) -> None:
    result = subprocess.run([sys.executable, str(WITHOUT), "search,pictures", "build", "--root", str(sample_site)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "cannot leave out pictures: choose among search, copies, cards" in result.stderr
    assert not (sample_site / "_site").exists()
