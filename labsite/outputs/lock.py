"""One writer at a time for an output folder: builds, and the preview, that write the same site take turns.

Without it, a second build started while one is writing would remove the first one's temporary folder as a
leftover of an interrupted build, and the two would swap their folders into place over each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def writing(target: Path) -> Iterator[None]:
    """Hold the right to write ``target`` (an output folder whose parent exists): a lock on that parent folder,
    waited for while another build holds it, and let go by the system should this process end without letting go.

    The lock is taken on the folder itself, so that no lock file is left in the project.
    """
    handle = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write(f"Waiting for another build that is writing {target.name}/ to finish…\n")
            sys.stderr.flush()
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: the build writes as it did before there were any
            pass
        yield
    finally:
        os.close(handle)  # closing lets go of the lock
