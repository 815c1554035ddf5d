#!/usr/bin/env python3
"""Print the heaviest pages of the built site (HTML + its CSS and JavaScript, before compression)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labsite.build.run import Options, build_site  # noqa: E402
from labsite.outputs.checks import PAGE_BUDGET, page_weights  # noqa: E402


def main() -> int:
    """Build in memory, then list the heaviest pages and whether all fit the budget."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    result = build_site(args.root, Options(dt.datetime.now(dt.UTC)), write=False)
    from labsite.load.config import load_config
    from labsite.model.problems import Problems

    weights = page_weights(result.files, load_config(args.root, Problems()))
    for path, weight in sorted(weights.items(), key=lambda item: -item[1])[: args.top]:
        print(f"{weight / 1024:6.1f} KB  {path}")
    heaviest = max(weights.values(), default=0)
    print(f"{len(weights)} pages; heaviest {heaviest / 1024:.1f} KB; budget {PAGE_BUDGET // 1024} KB")
    return 0 if heaviest <= PAGE_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
