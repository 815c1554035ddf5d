#!/usr/bin/env python3
"""``build.py`` with some of the outputs the peers do not make left out, to measure what each costs.

  python scripts/without.py search,copies,cards build --root DIR --now 2026-11-01

``search``: no search index. ``copies``: no ``.gz``/``.br`` copies. ``cards``: no og:image card drawn (every page
names one blank card). A site built so is not one to publish; ``python scripts/benchmark.py --peers --without …``
times it beside the whole build.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Iterable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
#: What can be left out.
PARTS = ("search", "copies", "cards")


def leave_out(parts: Iterable[str]) -> None:
    """Have the build in this process make none of ``parts``."""
    parts = set(parts)
    if unknown := sorted(parts - set(PARTS)):
        raise SystemExit(f"cannot leave out {', '.join(unknown)}: choose among {', '.join(PARTS)}")
    if "search" in parts:
        from labsite.outputs import search

        search.SearchOutput.reads = lambda self, given: search.EMPTY  # type: ignore[method-assign]
    if "copies" in parts:
        from labsite.outputs.precompress import Precompressor

        Precompressor.recipe = lambda self, path, data: ""  # type: ignore[method-assign]
    if "cards" in parts:
        from labsite.outputs import cards

        blank = cards.draw_card("", "", "")
        cards.draw_card = lambda title, tagline, site: blank


def main() -> None:
    """Leave out what the first argument names, then run ``build.py`` with the others."""
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.path.insert(0, str(PROJECT))
    leave_out(part for part in sys.argv[1].split(",") if part)
    sys.argv = [str(PROJECT / "build.py"), *sys.argv[2:]]
    runpy.run_path(str(PROJECT / "build.py"), run_name="__main__")


if __name__ == "__main__":
    main()
