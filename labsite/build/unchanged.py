"""A build with nothing to do: the last written site kept, with only the moment of the build brought up to date.

When every input file (content, templates, catalogues, static files, settings, calendar state), the options and the
code are byte for byte those of the last written build, on the same day and before the next open-call change, a
build would make that build's files again; of them only ``status.json`` holds the moment of the build. Then, once
every file of the site is checked against the stamp recorded when it was written, the site is kept and only
``status.json`` is made for this moment and put in place of the old one in one step. Anything unsure means a whole
build.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..load.cache import code_digest
from ..load.paths import readable
from ..model.problems import Problem
from ..outputs.calendar_state import STATE_FILE
from ..outputs.manifest import Manifest, load_manifest, stamp_of
from ..outputs.status import STATUS_FILE, status_json
from ..outputs.writer import replace_files
from .options import INPUTS, Options

#: The record of the last written build, in the build cache folder.
RECORD_FILE = "last-build.json"
_FORMAT = 1
#: The packages whose versions the output depends on (requirements.in).
_LIBRARIES = ("babel", "brotli", "fontpkg-noto-sans", "icalendar", "jinja2", "markdown", "markupsafe", "nh3",
              "pagefind", "pagefind-bin", "pillow", "python-dateutil", "pyyaml", "tzdata")


@dataclass(frozen=True)
class Kept:
    """What the last build reported, for a build that kept its site."""

    counts: dict[str, int]
    feeds: tuple[int, int]
    warnings: list[Problem]
    compressed: dict[str, tuple[int, int, int]]
    next_change: str | None


@functools.cache
def _code() -> bytes:
    """A digest of the program: its source files, the versions of its libraries and of Python."""
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, ""))
    package = Path(__file__).resolve().parent.parent
    sources = sorted(package.rglob("*.py"))
    return code_digest(RECORD_FILE, _FORMAT, sys.version, versions, [p.relative_to(package).as_posix() for p in sources],
                       *sources)


def sources_digest(root: Path, options: Options) -> bytes:
    """A digest of what a written build is made from but the moment and the calendar state: files, options, code."""
    digest = hashlib.blake2b(_code(), digest_size=16)
    digest.update(repr((str(root.resolve()), options.drafts, options.strict, options.record_state)).encode("utf-8"))
    for name in INPUTS:
        _add_files(digest, root, name)
    return digest.digest()


def _key(sources: bytes, root: Path) -> str:
    """The key of a build: ``sources`` with the calendar state now on disk (which a build may update)."""
    state = root / STATE_FILE
    return hashlib.blake2b(sources + (state.read_bytes() if state.exists() else b"-"), digest_size=16).hexdigest()


def _add_files(digest: Any, root: Path, name: str) -> None:
    """Add the path and bytes of the file ``name``, or of every file under the folder ``name``, to ``digest``."""
    top = root / name
    if top.is_file():
        digest.update(f"{name}\0".encode() + _bytes_of(root, top) + b"\0")
        return
    for folder, folders, files in os.walk(top):
        folders.sort()
        for file in sorted(files):
            path = Path(folder, file)
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode() + _bytes_of(root, path) + b"\0")


def _bytes_of(root: Path, path: Path) -> bytes:
    """What stands for ``path`` in the digest: a file's bytes; for a link, where it leads (and the bytes of the file
    when the build reads it); for anything else (a named pipe, a device), its kind only. Nothing but a file is read
    from: reading a named pipe would wait for a writer forever."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        linked = path.read_bytes() if readable(root, path) else b""
        return b"link\0" + os.fsencode(os.readlink(path)) + b"\0" + linked
    with os.fdopen(handle, "rb") as file:
        return file.read() if stat.S_ISREG(os.fstat(file.fileno()).st_mode) else b"not a file"


def _holds(record: dict[str, Any], now: dt.datetime) -> bool:
    """Whether the last build's moment and ``now`` give the same output but for ``status.json``."""
    then = dt.datetime.fromisoformat(record["now"])
    zone = ZoneInfo(record["timezone"])
    if now < then or now.utcoffset() != then.utcoffset() or now.date() != then.date():
        return False
    if now.astimezone(zone).date() != then.astimezone(zone).date():
        return False
    return record["next_change"] is None or now < dt.datetime.fromisoformat(record["next_change"])


def _intact(kept: Manifest, target: Path, count: int) -> bool:
    """Whether ``target`` holds exactly the files the last build wrote, each unchanged since (see the manifest's
    rules), and no other file or folder."""
    if len(kept.stamps) != count:
        return False
    folders = {name.rpartition("/")[0] for name in kept.stamps}
    folders |= {folder.rsplit("/", depth)[0] for folder in folders for depth in range(1, folder.count("/") + 1)}
    found: set[str] = set()
    if not _list(str(target), "", folders, found) or found != kept.stamps.keys():
        return False
    return all(stamp[4] < kept.recorded and stamp_of(target / name) == stamp for name, stamp in kept.stamps.items())


def _list(path: str, prefix: str, folders: set[str], found: set[str]) -> bool:
    """Add the files under the folder ``path`` to ``found`` (``prefix``: its relative path with a slash, or "");
    false when it holds a folder not in ``folders`` (links to folders are listed as files, so they never match)."""
    with os.scandir(path) as entries:
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if name not in folders or not _list(entry.path, f"{name}/", folders, found):
                    return False
            else:
                found.add(name)
    return True


def keep_last(root: Path, options: Options, sources: bytes, cache_folder: Path, manifest_file: Path) -> Kept | None:
    """The last build's site brought to ``options.now`` when nothing else changed (``sources``: see
    :func:`sources_digest`); ``None`` when a build is needed."""
    try:
        record = json.loads((cache_folder / RECORD_FILE).read_bytes())
        if record.get("format") != _FORMAT or record["inputs"] != _key(sources, root):
            return None
        if not _holds(record, options.now):
            return None
        target = Path(record["target"])
        kept = load_manifest(manifest_file, target)
        if STATUS_FILE in kept.copies or not _intact(kept, target, int(record["count"])):
            return None
        old = (target / STATUS_FILE).read_bytes()
        status = json.loads(old)
        if status_json(status) != old:
            return None
        status["built_for"] = options.now.isoformat()
        replace_files(target, kept, {STATUS_FILE: status_json(status)}, root, manifest_file)
        result = record["result"]
        _save(cache_folder, {**record, "now": options.now.isoformat()})
        return Kept(dict(result["counts"]), (int(result["feeds"][0]), int(result["feeds"][1])),
                    [Problem(*values) for values in result["warnings"]],
                    {name: (int(a), int(b), int(c)) for name, (a, b, c) in result["compressed"].items()},
                    record["next_change"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def record_build(root: Path, options: Options, sources: bytes, cache_folder: Path, target: Path, timezone: str,
                 count: int, kept: Kept) -> None:
    """Record a written build, so that the next build can keep its site; a failure only loses the record.

    ``sources`` is the digest taken before the build read anything (a file edited while it ran makes the next
    build a whole one); the calendar state is the one the build saved.
    """
    try:
        key = _key(sources, root)
    except OSError:
        return
    record = {"format": _FORMAT, "inputs": key, "now": options.now.isoformat(), "timezone": timezone,
              "next_change": kept.next_change, "target": str(target.resolve()), "count": count,
              "result": {"counts": kept.counts, "feeds": list(kept.feeds), "compressed": kept.compressed,
                         "warnings": [[p.path, p.line, p.message, p.hint, p.severity] for p in kept.warnings]}}
    _save(cache_folder, record)


def _save(cache_folder: Path, record: dict[str, Any]) -> None:
    """Write the record in one step; a failure only loses it."""
    path = cache_folder / RECORD_FILE
    try:
        temporary = path.with_name(f".{RECORD_FILE}.{os.getpid()}")
        temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        return
