"""A persistent, content-addressed cache of work that depends only on its input bytes (Markdown, YAML, compression).

Entries live in one SQLite file under ``.cache/`` beside the project; deleting the folder is always safe. Every
entry is stored with a checksum of its key and value: an entry that does not match is ignored with a warning and
computed again, never trusted. A cache that cannot be opened or written only disables caching, with one warning.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

#: The cache folder, relative to the project.
CACHE_DIR = ".cache"
#: Changes when the layout of entries changes; entries of another layout are never looked up.
FORMAT = b"labsite-cache-1"
_FILE = "build.sqlite3"
_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value BLOB NOT NULL, checksum BLOB NOT NULL)"
#: Lookups per query when many keys are asked for at once (SQLite allows 999 parameters in old versions).
_BATCH = 500


def code_digest(*parts: object) -> bytes:
    """A digest of settings, library versions and source files, to make part of a kind's key."""
    digest = hashlib.blake2b(FORMAT, digest_size=16)
    for part in parts:
        data = Path(part).read_bytes() if isinstance(part, Path) else repr(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


def _checksum(key: bytes, value: bytes) -> bytes:
    """What an entry must carry to be believed: a digest of its key and value."""
    return hashlib.blake2b(key + b"\0" + value, digest_size=16).digest()


class BuildCache:
    """Values by the digest of what they were made from; a missing or unusable store answers nothing.

    Threads of one process may share it (a written build makes its search index while it writes the pages).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.warnings: list[str] = []
        self.pending: dict[bytes, bytes] = {}
        self.hits = self.misses = 0
        self._pid = os.getpid()
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        if folder is not None:
            self._open(folder)

    @staticmethod
    def key(kind: bytes, data: bytes) -> bytes:
        """The key of ``data`` for a kind of work (the kind's digest says how the work is done)."""
        return hashlib.blake2b(kind + data, digest_size=20).digest()

    def _warn(self, message: str) -> None:
        """Record a warning once."""
        text = f"the build cache in {self.folder} {message}"
        if text not in self.warnings:
            self.warnings.append(text)

    def _open(self, folder: Path) -> None:
        """Open (or create) the store; on failure caching is off, with a warning."""
        path = folder / _FILE
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(path)
        except sqlite3.DatabaseError:
            # Not a store of ours (or a damaged one): it holds nothing we can trust, so start a new one.
            self._warn("was unreadable and has been started afresh")
            try:
                path.unlink()
                self._db = self._connect(path)
            except (OSError, sqlite3.Error) as exc:
                self._disable(exc)
        except (OSError, sqlite3.Error) as exc:
            self._disable(exc)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        """A connection to the store at ``path``, its table made and checked."""
        db = sqlite3.connect(path, timeout=2, isolation_level=None, check_same_thread=False)
        try:
            db.execute(_SCHEMA)
            db.execute("SELECT key, value, checksum FROM entries LIMIT 1").fetchall()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _disable(self, exc: Exception) -> None:
        """Stop using the store for the rest of this build."""
        self._warn(f"cannot be used ({exc}); building without it")
        if self._db is not None:
            self._db.close()
        self._db = None

    @property
    def usable(self) -> bool:
        """Whether this process may use the store (a forked worker may not share the parent's connection)."""
        return self._db is not None and os.getpid() == self._pid

    def get_many(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        """The stored values of those ``keys`` the cache holds and can vouch for."""
        with self._lock:
            return self._get_many(list(dict.fromkeys(keys)))

    def _get_many(self, wanted: list[bytes]) -> dict[bytes, bytes]:
        """:meth:`get_many` with the lock held."""
        found = {key: self.pending[key] for key in wanted if key in self.pending}
        if self.usable:
            todo = [key for key in wanted if key not in found]
            try:
                for start in range(0, len(todo), _BATCH):
                    batch = todo[start:start + _BATCH]
                    rows = self._db.execute(  # type: ignore[union-attr]
                        f"SELECT key, value, checksum FROM entries WHERE key IN ({','.join('?' * len(batch))})", batch)
                    for key, value, checksum in rows:
                        if isinstance(value, bytes) and checksum == _checksum(key, value):
                            found[key] = value
                        else:
                            self._warn("held a damaged entry; it was ignored and made again")
            except sqlite3.Error as exc:
                self._disable(exc)
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def get(self, key: bytes) -> bytes | None:
        """The stored value of ``key``, or ``None``."""
        return self.get_many([key]).get(key)

    def put(self, key: bytes, value: bytes) -> None:
        """Remember ``value`` for ``key``; written to disk by :meth:`flush`."""
        if self.usable:
            with self._lock:
                self.pending[key] = value

    def flush(self) -> None:
        """Write the values remembered since the last flush, in one transaction."""
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        """:meth:`flush` with the lock held."""
        if not self.pending or not self.usable:
            self.pending.clear()
            return
        rows = [(key, value, _checksum(key, value)) for key, value in self.pending.items()]
        self.pending.clear()
        try:
            with self._db:  # type: ignore[union-attr]
                self._db.execute("BEGIN")  # type: ignore[union-attr]
                self._db.executemany(  # type: ignore[union-attr]
                    "INSERT OR REPLACE INTO entries (key, value, checksum) VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._disable(exc)

    def close(self) -> None:
        """Write what is pending and let the store go."""
        self.flush()
        if self._db is not None and os.getpid() == self._pid:
            self._db.close()
        self._db = None


def open_cache(root: Path, enabled: bool = True) -> BuildCache:
    """The project's cache (``.cache/`` beside it), or one that holds nothing when caching is off."""
    return BuildCache(root / CACHE_DIR if enabled else None)

