"""How a build's process uses memory: its heaps, and when Python looks for unreachable objects."""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator

#: glibc's ``mallopt`` setting for how many heaps ("arenas") the threads of a process may have.
M_ARENA_MAX = -8


def two_heaps() -> None:
    """Have the threads of this process share two heaps (glibc's "arenas") between them.

    glibc gives threads heaps of their own by default (up to eight per core); the writer's, the compressor's and
    the indexer's threads then hold about 100 MB more between them at the peak of a 3,000-page build. With a
    single heap the compressor's threads wait on each other's allocations instead. Other C libraries have no such
    setting and are left as they are.
    """
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 2)


#: How many new objects Python's cycle collector lets pass before it looks at the youngest (700 by default), and
#: how rarely it looks at the older ones, during a build.
COLLECTOR_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Have Python's cycle collector look for unreachable objects less often while a build runs.

    A build makes millions of objects that live until it ends (the content, the pages being made); with the
    default settings it looked 560 times in a 3,000-page build, for a quarter of a second in the main process and
    up to a tenth in each worker that renders pages; with these, 50 times for 0.06 s, and 0.02 s in each worker.
    """
    before = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held for the block: a full collection walks every object of the loaded site
    (about 70 ms for 3,000 pages) and would fall in the middle of the preview's rebuild after an edit, every
    other one; it runs after it instead, while the visitor's page reloads."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
