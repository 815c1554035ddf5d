"""The one module that writes the site: into a temporary folder, then swapped in whole."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..load.paths import output_problem

#: Plain words for the errors a disk gives.
REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
           errno.EACCES: "permission denied", errno.EPERM: "permission denied",
           errno.EFBIG: "a file is larger than this system allows", errno.EROFS: "the disk is read-only"}


class UnsafeOutput(OSError):
    """The output folder is not one the build may replace (it changed since the settings were checked)."""


def reason(exc: OSError) -> str:
    """Why writing failed, in plain words."""
    if isinstance(exc, UnsafeOutput):
        return str(exc)
    return REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def write_site(files: Mapping[str, bytes], target: Path, root: Path | None = None,
               then: Callable[[], object] | None = None) -> None:
    """Write ``files`` (relative path → bytes) as the folder ``target``, replacing it only when all are written.

    With ``root``, the folder is checked again just before writing: it must still be one the build may replace.
    ``then`` runs right after the swap, with Ctrl+C held, so that the two cannot be separated by an interrupt.
    """
    if root is not None:
        relative = os.path.relpath(target, root.resolve())
        message, _ = output_problem(root, relative)
        if message:
            raise UnsafeOutput(message)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for rel, data in sorted(files.items()):
            path = staging / rel
            if staging not in path.resolve().parents:
                raise UnsafeOutput(f"refusing to write outside the output folder: {rel}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        os.chmod(staging, 0o755)
        with deferred_interrupt():
            swap_in(staging, target)
            if then is not None:
                then()
    except BaseException:
        with deferred_interrupt():
            shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with two renames, so a reader never sees half a site."""
    if not target.exists():
        staging.rename(target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def remove_leftovers(target: Path) -> None:
    """Delete the temporary folders that an interrupted earlier build left beside ``target``."""
    for pattern in (f".{target.name}.new-*", f".{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl+C until the block is done, so that an interrupted build leaves no half-swapped folders behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[Any] = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
