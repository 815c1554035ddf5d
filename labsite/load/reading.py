"""Reading ``content/`` in full, or again after an edit: then only the items whose files changed are read anew.

An item is made from its own files, ``places.yaml``, the settings and the pictures it names; what links items to
each other (references, ids used twice) is checked again over the whole content every time. So an item whose files
did not change is kept as read before, with the problems reading it found, as long as the settings, the places and
every picture stay the same; an added, removed or renamed file makes the files be grouped into items again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.items import Content, Place
from ..model.problems import Problem, Problems
from .cache import BuildCache
from .config import SiteConfig
from .content import TEXT_FIELDS, _Reader, read_places
from .markup import Conversions, prepare
from .references import check_links
from .sources import CONTENT_DIR, Source, discover, kind_of

PLACES = f"{CONTENT_DIR}/places.yaml"
#: The files an item is made of; any other changed file under ``content/`` (a picture) means reading all again.
ITEM_SUFFIXES = (".md", ".yaml")


@dataclass(frozen=True)
class ItemRead:
    """What reading one item's files gave: the item (``None`` when unusable), its problems, ids it left broken."""

    item: Any
    problems: tuple[Problem, ...]
    broken: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ContentRead:
    """Everything reading ``content/`` found, kept so that the next read can skip the files that did not change."""

    config: SiteConfig
    content: Content
    sources: dict[tuple[str, str], Source]
    found: tuple[Problem, ...]
    places: dict[str, Place]
    items: dict[tuple[str, str], ItemRead]
    #: Which item each file of ``content/`` belongs to, by path relative to the project.
    owners: dict[str, tuple[str, str]]
    #: The Markdown of every item, converted.
    conversions: Conversions


def load_content(config: SiteConfig, problems: Problems, cache: BuildCache | None = None, jobs: int = 1) -> Content:
    """Read every file of ``content/`` and link the items to each other.

    With ``cache``, YAML and Markdown read by an earlier build are taken from there; Markdown that is not
    is converted on ``jobs`` cores, all of it at once before the items are checked one by one.
    """
    return read_content(config, problems, cache, jobs).content


def files_of(source: Source, root: Path) -> list[str]:
    """The item's files, relative to the project."""
    paths = [source.facts] if source.facts else []
    return [path.relative_to(root).as_posix() for path in [*paths, *source.texts.values()]]


def read_content(config: SiteConfig, problems: Problems, cache: BuildCache | None = None, jobs: int = 1,
                 previous: ContentRead | None = None, changed: Iterable[str] | None = None) -> ContentRead:
    """Read ``content/``: every file, or with ``previous`` and the ``changed`` files since, only what they reach."""
    root = config.root
    edited = {path for path in (changed or ()) if path.startswith(f"{CONTENT_DIR}/")}
    if previous is not None and changed is not None and _reusable(previous, config, edited):
        same_files = all(path in previous.owners and (root / path).is_file() for path in edited)
        places, kept = previous.places, previous.items
    else:
        same_files, places, kept = False, {}, {}
    found = Problems()
    if same_files:
        assert previous is not None
        sources, found, owners = previous.sources, Problems(previous.found), previous.owners
    else:
        sources = discover(root / CONTENT_DIR, root, config.languages, found)
        places = read_places(root / PLACES, root, config, found, cache)
        owners = {rel: key for key, source in sources.items() for rel in files_of(source, root)}
    problems.extend(found)
    # When places.yaml gives no place at all because it cannot be read, that is the one mistake: the places the
    # editions name are not judged against it.
    unusable = not places and any(problem.path == PLACES and problem.is_error for problem in found)
    reader = _Reader(config, problems, None if unusable else set(places), cache)
    ordered = sorted(sources.values(), key=lambda s: (s.folder, s.name))
    # An item is read again when a file of it changed, was added or went away (a rename is both).
    before = previous.owners if previous is not None else {}
    renewed = {found[path] for found in (owners, before) for path in edited if path in found}
    renewed |= {key for key in sources if key not in kept}
    fresh = [s for s in ordered if (s.folder, s.name) in renewed]
    reused = {(s.folder, s.name): kept[(s.folder, s.name)] for s in ordered if (s.folder, s.name) not in renewed}
    reader.parse_all(fresh, jobs, kept=_texts(reused), previous=previous.conversions if previous else None)
    items: dict[tuple[str, str], ItemRead] = {}
    buckets: dict[str, dict[str, Any]] = defaultdict(dict)
    for source in ordered:
        kind = kind_of(source.folder)
        if kind is None:
            where = f"{CONTENT_DIR}/{source.folder}" if source.folder else CONTENT_DIR
            problems.warn(where, 0, f"'{source.name}' is not in a folder the generator reads; it is ignored",
                          "Use labs/, people/, partners/, news/, pages/ or faq/.")
            continue
        key = (source.folder, source.name)
        read = items[key] = reused[key] if key in reused else _read_one(reader, kind, source)
        if key in reused:
            problems.extend(read.problems)
            for broken_kind, broken_id in read.broken:
                reader.broken[broken_kind].add(broken_id)
        item = read.item
        if item is None:
            continue
        if item.id in buckets[kind]:
            other = buckets[kind][item.id].meta.path
            problems.error(item.meta.path, 0, f"'{item.id}' is used by two items: this one and {other}",
                           "Give one of them another file name or 'slug'.")
            continue
        buckets[kind][item.id] = item
    # The FAQ's answers are cut from its text as it is read: they are converted once all items are read.
    answers = [question.answer for faq in buckets["faq"].values() for sections in faq.sections.values()
               for section in sections for question in section.questions]
    more = prepare(answers, cache or BuildCache(None), jobs, previous.conversions if previous is not None else None)
    conversions = Conversions({**reader.conversions.html, **more.html}, {**reader.conversions.dropped, **more.dropped})
    content = Content(
        labs=buckets["lab"], editions=buckets["edition"], people=buckets["person"], partners=buckets["partner"],
        articles=buckets["article"], pages=buckets["page"], faqs=buckets["faq"], places=places,
        html=conversions.html,
    )
    check_links(content, problems, reader.broken)
    return ContentRead(config, content, sources, tuple(found), places, items, owners, conversions)


def _reusable(previous: ContentRead, config: SiteConfig, edited: set[str]) -> bool:
    """Whether items read before may be kept: same settings and places, and no file but items' own files changed."""
    return (previous.config == config and PLACES not in edited
            and all(path.endswith(ITEM_SUFFIXES) for path in edited))


def _read_one(reader: _Reader, kind: str, source: Source) -> ItemRead:
    """Read one item, keeping the problems and broken ids it adds apart so that a later read can replay them."""
    start = len(reader.problems)
    before = {k: set(ids) for k, ids in reader.broken.items()}
    item = reader.read(kind, source)
    broken = tuple((k, i) for k, ids in reader.broken.items() for i in sorted(ids - before.get(k, set())))
    return ItemRead(item, tuple(reader.problems[start:]), broken)


def _texts(reused: dict[tuple[str, str], ItemRead]) -> list[str]:
    """The Markdown of kept items, so that its conversions stay at hand."""
    texts: list[str] = []
    for (folder, _), read in reused.items():
        kind = kind_of(folder)
        if read.item is None or kind is None:
            continue
        optional = TEXT_FIELDS[kind][1]
        for text in read.item.meta.texts.values():
            texts.append(text.body)
            texts.extend(text.front[name] for name in optional if isinstance(text.front.get(name), str))
    return texts
