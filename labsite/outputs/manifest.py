"""What the last build's precompressed copies were made from, so that a rebuild can link them instead of compressing again.

A copy is reused only when its source is byte for byte the file to write, the copy was made from those bytes by the
same code and settings, and the copy on disk is still the file that was recorded: same device, inode, size,
modification and change time. The change time (ctime) cannot be set by hand: any edit, replacement or ``chmod`` of
the copy changes it. A copy whose ctime is not older than the record itself could have been edited in the same clock
tick as it was recorded, so it is not trusted either (the "racy git" rule); the stamps are taken only once the
clock has moved past the build's own changes, so that the rule never throws away the copies the build just made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

#: The manifest's file in the build cache folder.
MANIFEST_FILE = "output-copies.json"
_FORMAT = 1

#: A file on disk as far as reuse cares: device, inode, size, modification and change time (ns).
Stamp = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Copies:
    """How the copies of one source file were made, and which there are."""

    recipe: str
    digest: str
    names: tuple[str, ...]


def digest_of(data: bytes) -> str:
    """The digest of a source file's bytes, as recorded."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stamp_of(path: Path) -> Stamp | None:
    """The stamp of a regular file (never through a link), or ``None``."""
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    if (stat.st_mode & 0o170000) != 0o100000:
        return None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


@dataclass(frozen=True)
class Manifest:
    """The copies recorded for one output folder, with the stamps their files had."""

    copies: dict[str, Copies]
    stamps: dict[str, Stamp]
    #: The change time of the manifest itself: a stamp at or after it is not trusted.
    recorded: int = 0

    def reusable(self, target: Path, path: str, recipe: str, digest: str) -> tuple[str, ...] | None:
        """The copies of ``path`` that may be linked from ``target``, or ``None`` when they must be made again."""
        known = self.copies.get(path)
        if known is None or (known.recipe, known.digest) != (recipe, digest):
            return None
        return known.names if all(self.written(target, name) for name in known.names) else None

    def written(self, target: Path, path: str) -> Path | None:
        """``target/path`` when it is still the very file that was recorded (its stamp as recorded, and taken before
        the record), else ``None``."""
        stamp = self.stamps.get(path)
        if stamp is None or stamp[4] >= self.recorded or stamp_of(target / path) != stamp:
            return None
        return target / path


def load_manifest(path: Path | None, target: Path) -> Manifest:
    """The manifest of ``target`` at ``path``; an empty one when absent, unreadable, or of another folder."""
    empty = Manifest({}, {})
    if path is None:
        return empty
    try:
        recorded = os.stat(path).st_ctime_ns
        data = json.loads(path.read_bytes())
        if data.get("format") != _FORMAT or data.get("target") != str(target):
            return empty
        copies = {key: Copies(str(r), str(d), tuple(map(str, n))) for key, (r, d, n) in data["copies"].items()}
        stamps = {key: (int(a), int(b), int(c), int(d), int(e)) for key, (a, b, c, d, e) in data["stamps"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return empty
    return Manifest(copies, stamps, recorded)


def _after_this_tick(probe: Path) -> None:
    """Wait until the file system's clock has moved past the moment ``probe`` was made (a few ms at most).

    Every change the build made to the copies is then older than the stamps taken next, so none of them is
    taken for a possible later edit, while an edit made after the stamps gets a newer change time.
    """
    made = os.stat(probe).st_ctime_ns
    for _ in range(200):
        time.sleep(0.001)
        os.utime(probe)
        if os.stat(probe).st_ctime_ns > made:
            return


def save_manifest(path: Path | None, target: Path, copies: Mapping[str, Copies], files: Iterable[str] = (),
                  known: Mapping[str, Stamp] | None = None) -> None:
    """Record ``copies`` of the site now in ``target``, with the stamps of their files and of ``files`` (the rest of
    the site, so that a build with nothing to do can tell that the site is still the one it wrote); ``known``:
    stamps already checked to be current, kept as they are. A failure only loses the record."""
    if path is None:
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=".manifest-", delete=False) as out:
            temporary = Path(out.name)
        _after_this_tick(temporary)
        names = {*files, *(name for made in copies.values() for name in made.names)}
        known = known or {}
        stamps = {name: stamp for name in sorted(names)
                  if (stamp := known.get(name) or stamp_of(target / name)) is not None}
        data = {"format": _FORMAT, "target": str(target), "stamps": stamps,
                "copies": {key: [c.recipe, c.digest, list(c.names)] for key, c in copies.items()}}
        temporary.write_bytes(json.dumps(data, separators=(",", ":")).encode("utf-8"))
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
