#!/usr/bin/env python3
"""Record the working tree's uncommitted state, or compare it with a record: a run must leave it as it was.

  python scripts/tree_state.py save FILE      before the tests
  python scripts/tree_state.py compare FILE   after them; exit 1 and list what changed
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tree_state() -> dict[str, str]:
    """Every changed or untracked (not ignored) path with a hash of its bytes, or ``deleted``."""
    listing = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"], cwd=ROOT,
                             check=True, capture_output=True).stdout.decode("utf-8")
    state: dict[str, str] = {}
    for entry in filter(None, listing.split("\0")):
        path = ROOT / entry[3:]
        if path.is_file():
            state[entry[3:]] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[entry[3:]] = "deleted" if not path.exists() else "folder"
    return state


def main(argv: list[str]) -> int:
    """Save or compare, as the command line says."""
    if len(argv) != 2 or argv[0] not in ("save", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    record = Path(argv[1])
    if argv[0] == "save":
        record.write_text(json.dumps(tree_state(), sort_keys=True), encoding="utf-8")
        return 0
    before = json.loads(record.read_text(encoding="utf-8"))
    after = tree_state()
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    if changed:
        print("The run changed files of the project that git does not ignore:", file=sys.stderr)
        for path in changed:
            print(f"  {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
