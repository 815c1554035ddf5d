"""pagefind's program run over the search documents: one run per language, side by side, their files merged."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pagefind_bin

#: The folder of the index in the output; the search page's script loads ``/pagefind/pagefind.js``.
INDEX_DIR = "pagefind"
#: The file that names each language's index; the search page's script starts from it.
ENTRY_FILE = "pagefind-entry.json"
#: pagefind's own search interfaces and highlighter: the site has its own small script, so these are not published.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
#: Seconds one run of the indexer may take before the build gives up on it (a 3,000-page site takes about 2).
INDEX_TIMEOUT = 600


def indexer() -> str:
    """The path of pagefind's program: ``PAGEFIND_BINARY_PATH`` as pagefind reads it, else the one of ``pagefind-bin``."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        return chosen
    try:
        return str(pagefind_bin.get_executable())
    except FileNotFoundError as exc:
        raise RuntimeError(f"pagefind's program is missing ({exc})") from None


def _index(site: Path, out: Path, glob: str | None = None) -> dict[str, bytes]:
    """pagefind's files for the documents under ``site`` (those ``glob`` matches), made in ``out``; raise on failure.

    The indexer is pagefind's own program (what ``python -m pagefind`` runs, without a Python started for it)
    over one folder. pagefind's asyncio API (``PagefindIndex``) was tried first: it waits 0.1 s for each answer
    of the indexer (9 s for 87 pages sent one by one), and it waits forever when the indexer dies (a full disk, a
    file-size limit), so the build could neither report nor stop.
    """
    program = indexer()
    command = [program, "--site", str(site), "--output-path", str(out), *(("--glob", glob) if glob else ())]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INDEX_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"pagefind did not finish in {INDEX_TIMEOUT} s") from None
    except OSError as exc:
        raise RuntimeError(f"{program} could not be started: {exc.strerror or exc}") from None
    if done.returncode == -signal.SIGXFSZ:
        raise RuntimeError(f"a file is larger than this system allows (stopped by signal {signal.SIGXFSZ.value})")
    if done.returncode:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()
        ending = f"exit status {done.returncode}" if done.returncode > 0 else f"stopped by signal {-done.returncode}"
        raise RuntimeError(f"{said[-1] if said else 'pagefind failed'} ({ending})")
    return {f"{INDEX_DIR}/{p.relative_to(out).as_posix()}": p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(UNUSED)}


def merged(runs: Sequence[dict[str, bytes]]) -> dict[str, bytes] | None:
    """The files of several runs as one index: their entry files joined, every other file the same in all runs
    that made it. ``None`` when they do not fit together (two runs indexed one language, or disagree on a file)."""
    entry = f"{INDEX_DIR}/{ENTRY_FILE}"
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    for run in runs:
        for path, data in run.items():
            if path == entry:
                entries.append(json.loads(data))
            elif files.setdefault(path, data) != data:
                return None
    if not entries:
        return files
    languages: dict[str, Any] = {}
    for found in entries:
        if {k: v for k, v in found.items() if k != "languages"} != {k: v for k, v in entries[0].items()
                                                                    if k != "languages"}:
            return None
        if languages.keys() & found["languages"].keys():
            return None
        languages.update(found["languages"])
    files[entry] = json.dumps({**entries[0], "languages": languages}).encode()
    return files


def run_indexer(work: Path, languages: Sequence[str] = (), jobs: int = 1) -> dict[str, bytes]:
    """pagefind's files for the documents written under ``work/site`` (one folder per language), by path under
    :data:`INDEX_DIR` (the interfaces it bundles left out).

    Each language is indexed by a run of its own, ``jobs`` at a time: pagefind's time and memory grow faster than
    its documents, so three runs of 1,000 pages take half the time of one of 3,000, each with 40 % of its memory,
    and make the same files. Should the runs not fit together, one run indexes everything.
    """
    site = work / "site"
    present = [code for code in languages if (site / code).is_dir()]
    files = None
    if len(present) > 1:
        with ThreadPoolExecutor(max(1, min(jobs, len(present)))) as pool:
            runs = list(pool.map(lambda code: _index(site, work / f"index-{code}", f"{code}/**/*.html"), present))
        files = merged(runs)
    if files is None:
        files = _index(site, work / "index")
    entry = f"{INDEX_DIR}/{ENTRY_FILE}"
    if entry in files:  # pagefind lists the languages in a different order in every run
        files[entry] = json.dumps(json.loads(files[entry]), sort_keys=True, separators=(",", ":")).encode()
    return files
