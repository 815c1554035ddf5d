"""How a build is asked for (the moment, drafts, strictness, cores, cache), and which project files it reads.

Kept apart from the pipeline so that a build with nothing to do (:mod:`.unchanged`) needs none of its libraries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The files and folders of the project a build reads (and the preview watches), relative to the project folder:
#: content, ``outputs.html.TEMPLATES_DIR``, catalogues, static files and ``load.config.CONFIG_FILE``.
INPUTS = ("content", "templates", "locales", "static", "site_config.yaml")


@dataclass(frozen=True)
class Options:
    """How to build: at which moment, with drafts or not."""

    now: dt.datetime
    drafts: bool = False
    strict: bool = False
    #: Whether a build may record changed calendar events in ``calendar_state.json``. In CI it may not:
    #: there a changed event that the committed state does not know is an error, so that every deploy
    #: of a commit publishes the same SEQUENCE and LAST-MODIFIED.
    record_state: bool = True
    #: How many processes convert Markdown and render pages (1: all in this one).
    jobs: int = 1
    #: Whether to keep and reuse work in the project's ``.cache/`` folder (output is the same either way).
    cache: bool = False
    #: Output kinds that a rebuild keeps from the previous build unchecked, to be made right after it
    #: (``build.incremental.complete``): the preview's search index, which takes seconds on a large site.
    deferred: frozenset[str] = frozenset()
