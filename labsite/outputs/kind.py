"""The one interface of every site-wide output kind: what it reads from the site, the files it returns."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # only named in annotations: status.json's kind is used by a build that loads nothing else
    from ..load.cache import BuildCache
    from ..load.config import SiteConfig
    from ..model.items import Content
    from ..model.problems import Problem
    from ..present.pages import OutputPage
    from ..present.views import Language


#: What tells a kind at work that its build has failed meanwhile (see :attr:`Given.stop`).
Stop = threading.Event


@dataclass(frozen=True)
class Given:
    """What an output kind may read: the published site, its pages, and the files rendered so far."""

    content: Content
    config: SiteConfig
    languages: Mapping[str, Language]
    pages: Sequence[OutputPage]
    #: The build's moment, and whether drafts are shown (a preview).
    now: dt.datetime
    drafts: bool
    #: Every page, root page, static file and picture rendered, by output path.
    rendered: Mapping[str, bytes]
    #: The build cache, for a kind whose work is worth keeping across builds (``None``: nothing kept).
    cache: BuildCache | None = None
    #: Set when the build has failed while the kind works (it is made while the site is written): give up.
    stop: Stop | None = None


@dataclass(frozen=True)
class Made:
    """What an output kind returns: its files by output path, what it found wrong, and its by-product."""

    files: dict[str, bytes]
    problems: tuple[Problem, ...] = ()
    #: What the build needs besides the files (the calendar state to record, when a status next changes).
    extra: object = None


class OutputKind(Protocol):
    """A kind of output made from the whole site: feeds, the sitemap, the status file, a search index."""

    #: A short name, unique among the kinds: the build keeps each kind's result under it.
    name: str

    def reads(self, given: Given) -> object:
        """What the files are made of: when it equals the previous build's, that build's files are kept.

        ``None`` means the files are made anew in every build (they are cheap, or depend on everything).
        """

    def make(self, given: Given, reads: object = None) -> Made:
        """The kind's files for ``given``; ``reads`` is what :meth:`reads` returned for it, not to work it out twice."""


class Omitting(Mapping[str, bytes]):
    """The files of a mapping but those named, read through it (never copied: a spool's are on disk)."""

    def __init__(self, files: Mapping[str, bytes], left_out: frozenset[str]) -> None:
        self.files, self.left_out = files, left_out

    def __getitem__(self, path: str) -> bytes:
        if path in self.left_out:
            raise KeyError(path)
        return self.files[path]

    def __iter__(self) -> Iterator[str]:
        return (path for path in self.files if path not in self.left_out)

    def __len__(self) -> int:
        return sum(1 for _ in self)
