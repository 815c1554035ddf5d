"""Work spread over the machine's cores: forked worker processes, results gathered in the order of the input."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a pool costs more (starting the processes, sending results back) than it saves.
MIN_ITEMS = 48
#: Below this many pages to render, a pool costs more than it saves: each worker starts by loading what the first
#: page needs (the og:image cards' fonts and frames, about 45 ms). The real site's 90 pages took 0.17 s in one
#: process, 0.20 s on two cores; 470 pages 0.38 s and 0.30 s.
MIN_PAGES = 150
#: The function the forked workers run and its items: inherited with the rest of the parent's memory, never pickled.
_TASK: Callable[[Any], Any] | None = None
_ITEMS: Sequence[Any] = ()


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run(chunk: tuple[int, int]) -> list[Any]:
    """In a worker: the task applied to the items from ``chunk[0]`` up to ``chunk[1]``."""
    assert _TASK is not None
    return [_TASK(item) for item in _ITEMS[chunk[0]:chunk[1]]]


def fork_map(task: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[task(item) for item in items]``, computed by ``jobs`` forked processes when that pays.

    ``task`` may be any function, closures included: the workers are forked, so they inherit it, the items
    and the loaded site instead of receiving them. Only positions and results cross between processes.
    """
    global _TASK, _ITEMS
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [task(item) for item in items]
    # A few chunks per worker even out their load; contiguous chunks keep the results in order.
    count = min(len(items), jobs * 4)
    size = -(-len(items) // count)
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _TASK, _ITEMS = task, items
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_run, chunks, chunksize=1)
    finally:
        _TASK, _ITEMS = None, ()
    return [result for part in parts for result in part]
