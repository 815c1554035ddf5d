"""Where the build may read and write: the project's own folders, and its output folder only."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ..model.problems import Problems

#: The folders a build reads; every file it reads lies in one of them (or is a settings file at the top).
SOURCE_FOLDERS = ("content", "templates", "locales", "static")
#: Files and folders of the project that a build must never replace with its output.
PROJECT_FILES = frozenset({"content", "templates", "locales", "static", "labsite", "tests", "docs", "scripts", "tools",
                           ".git", ".ci", ".venv", "build.py", "site_config.yaml", "calendar_state.json", "README.md"})
#: The largest text file (content, settings, catalogue) a build reads.
MAX_FILE_BYTES = 2 * 1024 * 1024
OUTSIDE_HINT = "Copy the file into the project instead of linking to it, or delete the link."
#: What no text of the site may hold: the control characters but tab and line ends (a pasted form feed, a NUL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_HINT = "Delete it: most editors do not show it; it often comes with text pasted from another program."


def control_at(text: str) -> tuple[int, str] | None:
    """The line of the first control character of ``text`` (see :data:`CONTROL`) and its code (``U+000C``)."""
    found = CONTROL.search(text)
    return None if found is None else (text.count("\n", 0, found.start()) + 1, f"U+{ord(found.group()):04X}")


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both already resolved)."""
    return path == folder or folder in path.parents


def link_problem(root: Path, path: Path) -> str:
    """Why the build will not read ``path`` through a link, or "" when it may."""
    if not path.is_symlink():
        return ""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "is a link that leads nowhere"
    base = root.resolve()
    if not any(is_inside(target, base / name) for name in SOURCE_FOLDERS):
        return "is a link to a file outside the project's source folders; it is not read"
    if target.is_dir():
        return "is a link to a folder; linked folders are not read"
    return ""


def check_links(root: Path, problems: Problems) -> None:
    """A located error for every link in the source folders that leads outside the project or to a folder."""
    for name in SOURCE_FOLDERS:
        _check_folder(root, root / name, problems)


def _check_folder(root: Path, folder: Path, problems: Problems) -> None:
    """:func:`check_links` for one folder and those below it (never through a link)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and not entry.is_dir():
            continue  # never read (an editor's lock or swap file, say); a folder so named is still looked into
        # The folder listing says which entries are links, so only those cost a look at the disk.
        why = link_problem(root, Path(entry.path)) if entry.is_symlink() else ""
        if why:
            problems.error(Path(entry.path).relative_to(root).as_posix(), 0, f"'{entry.name}' {why}", OUTSIDE_HINT)
        elif not entry.is_symlink() and not entry.is_file(follow_symlinks=False) and not entry.is_dir(follow_symlinks=False):
            problems.warn(Path(entry.path).relative_to(root).as_posix(), 0,
                          f"'{entry.name}' is not a file but a named pipe, socket or device; it is not read",
                          "Delete it: only files and folders belong in the project's source folders.")
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _check_folder(root, Path(entry.path), problems)


def readable(root: Path, path: Path) -> bool:
    """Whether the build may read ``path``: a file, not a link leading out of the project."""
    return path.is_file() and not link_problem(root, path)


def may_read(root: Path, path: Path, problems: Problems) -> bool:
    """Whether a source file may be read; a located problem when it is a link out of the project or too big."""
    rel = path.relative_to(root).as_posix()
    why = link_problem(root, path)
    if why:
        problems.error(rel, 0, f"'{path.name}' {why}", OUTSIDE_HINT)
        return False
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.error(rel, 0, f"the file cannot be read: {exc.strerror or exc}", "Check that it is a file you may read.")
        return False
    if size > MAX_FILE_BYTES:
        problems.error(rel, 0, f"the file is {size / 1024 / 1024:.1f} MB; a file may have at most "
                               f"{MAX_FILE_BYTES // 1024 // 1024} MB", "Split the text into several files.")
        return False
    return True


#: How to save a file as UTF-8 in the editors content editors use.
UTF8_HINT = ("Save it as UTF-8: in Notepad, File > Save As > Encoding: UTF-8; in VS Code, click the encoding at the "
             "bottom right > Save with Encoding > UTF-8. Then check that the letters of that line are right.")


def read_source(root: Path, path: Path, problems: Problems) -> str | None:
    """The text of a source file; ``None`` with a located problem when it is too big, unreadable, not UTF-8 or holds
    a control character."""
    if not may_read(root, path, problems):
        return None
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1 if isinstance(exc.object, bytes) else 0
        problems.error(rel, line, "the file is not UTF-8 text: this line holds the first character that is not",
                       UTF8_HINT)
    except OSError as exc:
        problems.error(rel, 0, f"the file cannot be read: {exc.strerror or exc}", "Check that it is a file you may read.")
    else:
        control = control_at(text)
        if control is None:
            return text
        problems.error(rel, control[0], f"the line holds an invisible control character ({control[1]})", CONTROL_HINT)
    return None


def output_problem(root: Path, output_dir: str) -> tuple[str, str]:
    """Why the build may not replace ``output_dir`` (message, hint); empty strings when it may."""
    own = "Use a folder of its own, such as _site."
    relative = Path(output_dir)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return f"output_dir '{output_dir}' must be a folder inside the project", "Use a plain folder name such as _site."
    if relative.parts[0] in PROJECT_FILES:
        # Every build replaces the output folder as a whole: pointing it at sources would delete them.
        return f"output_dir '{output_dir}' is part of the project's own files and would be replaced by the build", own
    base = root.resolve()
    path = base
    for part in relative.parts:
        path = path / part
        if path.is_symlink():
            return (f"output_dir '{output_dir}' is a link ({path.relative_to(base).as_posix()} leads elsewhere); "
                    "the build would replace what it points to", "Use a real folder such as _site, or delete the link.")
        if path.exists() and not path.is_dir():
            return f"output_dir '{output_dir}' is a file of the project and would be replaced by the build", own
    if path.is_dir() and any(path.iterdir()) and not (path / "index.html").is_file():
        return (f"output_dir '{output_dir}' holds files that are not a built site and would be deleted by the build",
                "Use a new folder name such as _site, or empty the folder first.")
    return "", ""


def replace_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` whole: written beside it, then renamed over it, so that no reader ever sees half a
    file and a link at ``path`` is replaced rather than written through."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
