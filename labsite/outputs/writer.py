"""The one module that writes the site: into a temporary folder, then swapped in whole."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from ..load.paths import output_problem
from .lock import writing
from .manifest import Copies, Manifest, digest_of, load_manifest, save_manifest, stamp_of
from .spool import Spool, UnsafeOutput, checked, link_or_copy, make_parent

#: Plain words for the errors a disk gives.
REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
           errno.EACCES: "permission denied", errno.EPERM: "permission denied",
           errno.EFBIG: "a file is larger than this system allows", errno.EROFS: "the disk is read-only"}

def reason(exc: OSError) -> str:
    """Why writing failed, in plain words."""
    if isinstance(exc, UnsafeOutput):
        return str(exc)
    return REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


#: How many files are compressed at a time: their copies are written and let go before the next batch.
BATCH = 256
#: The modes of the site's files and folders, whatever the umask of the build and of the builds before it: a web
#: server reads the site as a user of its own.
FILE_MODE, FOLDER_MODE = 0o644, 0o755


class Compressor(Protocol):
    """How precompressed copies are made (see :mod:`labsite.outputs.precompress`)."""

    def recipe(self, path: str, data: bytes) -> str:
        """What the copies of this file depend on besides its bytes; "" when it gets none."""

    def compress(self, files: Mapping[str, bytes]) -> dict[str, bytes]:
        """The copies of ``files``, by their paths."""


def write_site(files: Mapping[str, bytes], target: Path, root: Path | None = None,
               then: Callable[[], object] | None = None, compressor: Compressor | None = None,
               manifest: Path | None = None, late: Callable[[], Mapping[str, bytes]] | None = None) -> dict[str, int]:
    """Write ``files`` (relative path → bytes) as the folder ``target``, replacing it only when all are written.

    With ``root``, the folder is checked again just before writing: it must still be one the build may replace.
    ``then`` runs right after the swap, with Ctrl+C held, so that the two cannot be separated by an interrupt.
    With ``compressor``, each file gets its precompressed copies beside it. A file that the previous ``target``
    holds with the same bytes is hard-linked from there (copied where links cannot be made), and so are its
    copies when ``manifest`` (see :mod:`labsite.outputs.manifest`) vouches for them. Returns the size of every file.
    The files of a :class:`Spool` are linked from it rather than written again, and the spool then reads them
    from ``target``. ``late`` gives more files once ``files`` are written (made meanwhile, as the search index is):
    they are written too, before the swap, and become the spool's.
    """
    target = _checked(target, root)
    with writing(target):
        _checked(target, root)  # again, now that no other build can be changing it
        remove_leftovers(target)
        return _write_site(files, target, then, compressor, manifest, late)


def _write_site(files: Mapping[str, bytes], target: Path, then: Callable[[], object] | None,
                compressor: Compressor | None, manifest: Path | None,
                late: Callable[[], Mapping[str, bytes]] | None) -> dict[str, int]:
    """:func:`write_site` once ``target`` is checked and this build alone writes it."""
    previous = load_manifest(manifest if compressor is not None else None, target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        stage = _Stage(staging, target if target.is_dir() and not target.is_symlink() else None)
        recorded = _write_all(stage, files, compressor, previous)
        extra = late() if late is not None else {}
        recorded.update(_write_all(stage, extra, compressor, previous))
        os.chmod(staging, FOLDER_MODE)
        with deferred_interrupt():
            swap_in(staging, target)
            if then is not None:
                then()
    except BaseException:
        with deferred_interrupt():
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if isinstance(files, Spool):
        for rel in extra:
            files.add(rel, stage.sizes[rel])
        files.moved(target)
    if compressor is not None:
        save_manifest(manifest, target, recorded, stage.sizes)
    return stage.sizes


def replace_files(target: Path, kept: Manifest, replaced: Mapping[str, bytes], root: Path, manifest: Path) -> None:
    """Put ``replaced`` in place of those files of the site in ``target``, each in one step (a new file renamed over
    the old one, so that a reader sees either), leaving every other file recorded in ``kept`` as it is."""
    target = _checked(target, root)
    with writing(target):
        _checked(target, root)
        _replace(target, kept, replaced, manifest)


def _replace(target: Path, kept: Manifest, replaced: Mapping[str, bytes], manifest: Path) -> None:
    """:func:`replace_files` once ``target`` is checked and this build alone writes it."""
    for rel, data in sorted(replaced.items()):
        if rel not in kept.stamps:
            raise UnsafeOutput(f"refusing to replace a file the last build did not write: {rel}")
        path = target / rel
        temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
        try:
            temporary.write_bytes(data)
            os.chmod(temporary, FILE_MODE)
            with deferred_interrupt():
                os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    unchanged = {name: stamp for name, stamp in kept.stamps.items() if name not in replaced}
    save_manifest(manifest, target, kept.copies, kept.stamps, known=unchanged)


def _checked(target: Path, root: Path | None) -> Path:
    """``target`` resolved, once checked (with ``root``) to be a folder the build may replace; its parent made."""
    if root is not None:
        relative = os.path.relpath(target, root.resolve())
        message, _ = output_problem(root, relative)
        if message:
            raise UnsafeOutput(message)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _write_all(stage: _Stage, files: Mapping[str, bytes], compressor: Compressor | None,
               previous: Manifest) -> dict[str, Copies]:
    """Put every file and its copies into the staging folder, batch by batch; the copies made, by source."""
    recorded: dict[str, Copies] = {}
    names = sorted(files)
    for start in range(0, len(names), BATCH):
        fresh: dict[str, bytes] = {}
        for rel in names[start:start + BATCH]:
            data = files[rel]
            same = stage.put(rel, data, files.where(rel) if isinstance(files, Spool) else None)
            recipe = compressor.recipe(rel, data) if compressor is not None else ""
            if not recipe:
                continue
            digest = digest_of(data)
            kept = previous.reusable(stage.previous, rel, recipe, digest) if same and stage.previous else None
            if kept is None:
                fresh[rel] = data
                recorded[rel] = Copies(recipe, digest, ())
                continue
            for name in kept:
                stage.link(name)
            recorded[rel] = Copies(recipe, digest, kept)
        if fresh and compressor is not None:
            made = compressor.compress(fresh)
            for name in sorted(made):
                stage.write(name, made[name])
                source = name.rpartition(".")[0]
                recorded[source] = dataclasses.replace(recorded[source], names=(*recorded[source].names, name))
    return recorded


class _Stage:
    """The staging folder being filled: files written anew or linked from the previous site, never written in place."""

    def __init__(self, staging: Path, previous: Path | None) -> None:
        self.staging, self.previous = staging, previous
        self.sizes: dict[str, int] = {}
        #: Folders of the previous site, by relative path: whether each is a real folder all the way down.
        self.folders: dict[str, bool] = {"": True}
        #: Folders made in the staging folder so far.
        self.made: set[str] = {str(staging)}

    def path(self, rel: str) -> str:
        """Where ``rel`` goes in the staging folder, refused when it would lead outside it."""
        path = os.path.join(self.staging, checked(rel))
        if rel in self.sizes:  # written twice: the first may be a link to the previous site, never write into it
            os.unlink(path)
        make_parent(path, self.made, FOLDER_MODE)
        return path

    def placed(self, rel: str, path: str) -> None:
        """Count the file ``rel`` now at ``path``, given the site's file mode if it has another (a link to a file of
        another user, who alone may change its mode, is replaced by a copy of this build's own)."""
        found = os.lstat(path)
        if stat.S_IMODE(found.st_mode) != FILE_MODE:
            try:
                os.chmod(path, FILE_MODE)
            except PermissionError:
                shutil.copyfile(path, f"{path}.copy")
                os.replace(f"{path}.copy", path)
                os.chmod(path, FILE_MODE)
        self.sizes[rel] = found.st_size

    def write(self, rel: str, data: bytes) -> None:
        """Write a new file."""
        path = self.path(rel)
        Path(path).write_bytes(data)
        self.placed(rel, path)

    def put(self, rel: str, data: bytes, spooled: str | None = None) -> bool:
        """Link ``rel`` from the previous site when it holds the same bytes, else write it (link it from where it
        was ``spooled``); whether it came from the previous site."""
        old = self.previous / rel if self.previous is not None and self.inside(rel.rpartition("/")[0]) else None
        if old is not None and (stamp := stamp_of(old)) is not None and stamp[2] == len(data) and _same(old, data):
            self.link(rel)
            return True
        if spooled is None:
            self.write(rel, data)
        else:
            path = self.path(rel)
            link_or_copy(spooled, path)
            self.placed(rel, path)
        return False

    def inside(self, folder: str) -> bool:
        """Whether ``folder`` of the previous site is a folder in it, reached through no link (so its files are its own)."""
        known = self.folders.get(folder)
        if known is None:
            parent, _, _ = folder.rpartition("/")
            try:
                known = self.inside(parent) and stat.S_ISDIR(os.lstat(self.previous / folder).st_mode)  # type: ignore[operator]
            except OSError:
                known = False
            self.folders[folder] = known
        return known

    def link(self, rel: str) -> None:
        """Hard-link ``rel`` from the previous site (a copy where the file system has no links)."""
        assert self.previous is not None
        path = self.path(rel)
        link_or_copy(self.previous / rel, path)
        self.placed(rel, path)


def _same(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        with open(path, "rb") as existing:
            return existing.read(len(data) + 1) == data
    except OSError:
        return False


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
