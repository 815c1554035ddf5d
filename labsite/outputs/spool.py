"""The files of a build kept on disk as they are made, so that a site of any size never has to fit in memory."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import socket
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator, MutableMapping
from pathlib import Path

#: The spool folders' names start so, followed by the machine's name and the building process's id.
PREFIX = "labsite-spool-"
#: A spool older than this is another machine's that was killed, or one whose process id was taken again.
ABANDONED_AFTER = 24 * 3600
#: Why a hard link may be refused where a copy works: no links on this file system, or too many to one file.
LINK_REFUSED = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


class UnsafeOutput(OSError):
    """A path that would lead outside the output folder, or an output folder the build may not replace."""


class SpoolFailed(OSError):
    """The disk refused a file of the spool (full, read-only…): the new site cannot be made."""


def checked(rel: str) -> str:
    """``rel``, a relative output path, refused when it would lead outside the folder it is written into."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or {"", ".", ".."} & set(parts):
        raise UnsafeOutput(f"refusing to write outside the output folder: {rel}")
    return rel


def make_parent(path: str, made: set[str], mode: int | None = None) -> None:
    """Make the folder of ``path`` unless ``made`` (the folders made so far, updated here) holds it; with ``mode``,
    each folder made gets that mode, whatever the umask."""
    parent = os.path.dirname(path)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        while parent not in made and parent != os.path.dirname(parent):
            made.add(parent)
            if mode is not None:
                os.chmod(parent, mode)
            parent = os.path.dirname(parent)


def link_or_copy(source: str | Path, path: str | Path) -> None:
    """Hard-link ``source`` as ``path`` (a copy where the file system has no links, or across file systems)."""
    try:
        os.link(source, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in LINK_REFUSED:
            raise
        shutil.copyfile(source, path, follow_symlinks=False)


class Spool(MutableMapping[str, bytes]):
    """Output files by relative path, each written to a folder of its own as soon as it is made.

    The folder is flat: a file's name there is its path with ``/`` written ``%2F`` (a long one, its digest), so
    that a build makes no folder per page twice (making one costs as much as writing a file on some disks).

    Only the paths and sizes stay in memory; reading a file reads it back. Forked workers may :meth:`store`
    files themselves and hand the parent only their sizes (:meth:`add`). The writer links the files into the
    new site rather than writing them again, then :meth:`moved` points the spool at the site, so that the
    build's files can still be read. The folder is removed with the spool.
    """

    def __init__(self, parent: Path | None = None) -> None:
        parent = Path(tempfile.gettempdir()) if parent is None else parent
        parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(parent)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{machine_name()}-{os.getpid()}-", dir=parent))
        self.sizes: dict[str, int] = {}
        self.flat = True
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def location(self, rel: str) -> Path:
        """Where the file ``rel`` is on disk."""
        return Path(self.where(rel))

    def where(self, rel: str) -> str:
        """:meth:`location` as a string, for the writer's many files."""
        return os.path.join(self.folder, flat_name(rel) if self.flat else rel)

    def _target(self, rel: str) -> str:
        """Where a new file ``rel`` goes, anything there before removed."""
        checked(rel)
        path = self.where(rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return path

    def store(self, rel: str, data: bytes) -> int:
        """Write the file ``rel`` (in this process or a forked worker); its size, for :meth:`add`.

        Raise :class:`SpoolFailed` when the disk refuses it, :class:`UnsafeOutput` for a path outside the folder.
        """
        path = self._target(rel)
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise SpoolFailed(exc.errno, exc.strerror, exc.filename) from exc
        return len(data)

    def adopt(self, rel: str, source: Path) -> int:
        """Link the finished file ``source`` in as ``rel`` (a copy where links cannot be made); its size, for
        :meth:`add`. Raise :class:`SpoolFailed` when the disk refuses it."""
        path = self._target(rel)
        folder, name = os.path.split(path)
        temporary = os.path.join(folder, f".{name}.{os.getpid()}-{threading.get_ident()}")
        try:  # linked under a name of its own, then renamed: two workers adopting one card never meet
            link_or_copy(source, temporary)
            os.replace(temporary, path)
            return os.lstat(path).st_size
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise SpoolFailed(exc.errno, exc.strerror, exc.filename) from exc

    def add(self, rel: str, size: int) -> None:
        """Count the file ``rel`` that :meth:`store` wrote (perhaps in a worker) as one of the spool's."""
        self.sizes[rel] = size

    def moved(self, folder: Path) -> None:
        """The files are now in ``folder`` (the written site): read them there, and remove the spool's own folder."""
        self._remove()
        self.folder, self.flat = folder, False

    def close(self) -> None:
        """Remove the spool's folder now (it is removed anyway when the spool is no longer used)."""
        self._remove()

    def __setitem__(self, rel: str, data: bytes) -> None:
        self.add(rel, self.store(rel, data))

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self.sizes:
            raise KeyError(rel)
        with open(self.where(rel), "rb") as stored:
            return stored.read()

    def __delitem__(self, rel: str) -> None:
        del self.sizes[rel]
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.where(rel))

    def __contains__(self, rel: object) -> bool:
        return rel in self.sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self.sizes)

    def __len__(self) -> int:
        return len(self.sizes)


def flat_name(rel: str) -> str:
    """The name of the file ``rel`` in a spool's flat folder: its path with ``%`` and ``/`` escaped, or, when that is
    too long for a file name, the path's digest."""
    name = rel.replace("%", "%25").replace("/", "%2F")
    return name if len(name.encode()) <= 200 else hashlib.blake2b(rel.encode(), digest_size=20).hexdigest()


def remove_abandoned(parent: Path) -> None:
    """Remove the spool folders in ``parent`` left by builds that stopped without cleaning up: this machine's whose
    process is gone, and any older than :data:`ABANDONED_AFTER` (another machine's, or a process id taken again)."""
    for leftover in parent.glob(f"{PREFIX}*"):
        host, _, rest = leftover.name[len(PREFIX):].rpartition("-")[0].rpartition("-")
        try:
            if not leftover.is_dir() or leftover.is_symlink():
                continue
            old = time.time() - leftover.stat().st_mtime > ABANDONED_AFTER
        except OSError:  # removed meanwhile
            continue
        if old or (host == machine_name() and rest.isdigit() and not _alive(int(rest))):
            shutil.rmtree(leftover, ignore_errors=True)


def machine_name() -> str:
    """This machine's name as it may stand in a folder name."""
    return "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:40] or "host"


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` is running on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):  # no process has such a number
        return False
    return True
