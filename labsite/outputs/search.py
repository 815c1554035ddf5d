"""The search index: pagefind's files for the published pages and each FAQ question, one index per language.

Every page's kind, lab and date are meta, not pagefind filters: pagefind writes filters in a different order in
every run, and the output must be the same for the same site. The search page filters by the meta instead.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.metadata
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..load.cache import BuildCache, code_digest
from ..model.problems import Problems
from . import indexer
from .indexer import INDEX_DIR, run_indexer
from .kind import Given, Made

#: What a page's ``<main>`` carries when it is to be indexed (set by the templates of lab, edition, person…).
BODY_MARK = b"data-pagefind-body"
#: The languages whose pages are also indexed in the form typed without their own letters.
TYPED_LANGUAGES = ("kk",)
#: Letters of Kazakh that a Russian keyboard lacks, and what a visitor types instead (see :func:`normalise`).
KAZAKH_LETTERS = tuple(zip("әғқңөұүһі", "агкноуухи", strict=True))
TAG = re.compile(r"<[^>]*>")
TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
#: The ends of list and table cells, each followed by a space in the indexed page (see :func:`spaced`).
CELL_ENDS = ("</dt>", "</dd>", "</li>", "</td>", "</th>")
#: Where what is only for the index begins in an indexed page (a person's name in the other scripts, the typed forms
#: of Kazakh words): the search script never shows what follows it in an excerpt.
TYPED_MARK = "⁂"
HINT = "The search index is made by pagefind (pagefind[bin] in requirements.txt); run `make site` to reinstall it."


def normalise(text: str) -> str:
    """``text`` lower-cased with Kazakh letters as typed on a Russian keyboard (қ → к, ә → а, і → и…)."""
    text = text.lower()
    for letter, typed in KAZAKH_LETTERS:  # a replacement per letter: a tenth of the time of one str.translate
        text = text.replace(letter, typed)
    return text


#: An element the indexer passes over, with all it holds (the cards of a person's editions, breadcrumbs).
IGNORED = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>")


def without_ignored(markup: str) -> str:
    """``markup`` without the elements the indexer passes over (``data-pagefind-ignore``), each up to its end."""
    parts, at = [], 0
    while (found := IGNORED.search(markup, at)) is not None:
        parts.append(markup[at:found.start()])
        depth, at = 1, len(markup)  # an element never closed runs to the end
        for tag in re.finditer(rf"<(/?){re.escape(found.group(1))}(?=[\s/>])[^>]*>", markup[found.end():], re.I):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                at = found.end() + tag.end()
                break
    parts.append(markup[at:])
    return "".join(parts)


def typed_forms(markup: str) -> str:
    """The words of ``markup`` that a Russian keyboard cannot type, in the form it can, each once; none of what the
    indexer passes over, so that a typed word finds only the pages whose indexed text has it."""
    words = html.unescape(TAG.sub(" ", without_ignored(markup))).lower()  # letter for letter: the forms line up
    forms = normalise(words).split()
    return " ".join(dict.fromkeys(form for form, word in zip(forms, words.split(), strict=True) if form != word))


def with_typed_forms(page: str) -> str:
    """A Kazakh page with the typed forms of its words added at the end of its main content, for the index only."""
    end = page.rfind("</main>")
    start = page.find("<main")
    if end < 0 or start < 0:
        return page
    forms = typed_forms(page[start:end])
    if not forms:
        return page
    return f'{page[:end]}<p data-pagefind-weight="0.5">{TYPED_MARK} {html.escape(forms)}</p>{page[end:]}'


def with_other_names(page: str, names: list[str]) -> str:
    """A person's page with their name as written in the other languages, so that either script finds them."""
    end = page.rfind("</main>")
    others = [name for name in names if name not in page]
    if end < 0 or not others:
        return page
    return f"{page[:end]}<p>{TYPED_MARK} {html.escape(' · '.join(others))}</p>{page[end:]}"


def person_names(given: Given, path: str) -> list[str]:
    """The names of the person whose page is at ``path`` in every language (none for another page)."""
    parts = path.split("/")
    person = given.content.people.get(parts[2]) if len(parts) == 4 and parts[1] == "people" else None
    return list(dict.fromkeys(person.name.values.values())) if person else []


def spaced(page: str) -> str:
    """The page with a space after each list and table cell, so that the index never joins two cells' words."""
    for end in CELL_ENDS:
        page = page.replace(end, f"{end} ")
    return page


def question_documents(given: Given) -> Iterator[tuple[str, str]]:
    """Each FAQ question of each language as a small page of its own, opening at ``/<lang>/faq/#question``."""
    for page in given.pages:
        if page.template != "faq.html" or page.draft:
            continue
        for faq in page.context.get("faqs", []):
            if faq.get("draft"):  # shown in a preview with drafts, never searchable
                continue
            lab = (faq.get("edition") or {}).get("lab", "")
            for section in faq["sections"]:
                for question in section["questions"]:
                    yield (f"{page.lang}/faq/{question['id']}.html",
                           question_page(page.lang, f"/{page.lang}/faq/#{question['id']}", question, lab))


def question_page(lang: str, url: str, question: Mapping[str, Any], lab: str) -> str:
    """One question and its answer as the indexer reads them: title, answer, address, kind and lab."""
    marks = "".join(f'<span data-pagefind-meta="{key}:{html.escape(value)}"></span>'
                    for key, value in (("url", url), ("kind", "question"), ("lab", lab)) if value)
    return (f'<!doctype html><html lang="{lang}"><head><title>{html.escape(question["title"])}</title></head>'
            f'<body><main data-pagefind-body><h1>{html.escape(question["title"])}</h1>{marks}{question["answer"]}'
            "</main></body></html>")


def index_input(given: Given, prepared: bool = True) -> Iterator[tuple[str, str]]:
    """The documents the indexer reads, one at a time by path: the pages marked for search, then the FAQ questions.

    They are made as they are read, so that the pages of a large site never all sit in memory at once. Without
    ``prepared``, they are given as they are before :func:`_prepared` (see :func:`source_digest`).
    """
    languages = set(given.config.languages)
    drafts = {page.output_path for page in given.pages if page.draft}  # only in a preview with drafts
    questions = dict(question_documents(given))
    for path in sorted(given.rendered):
        if path.endswith(".html") and path.split("/", 1)[0] in languages and path not in drafts:
            data = given.rendered[path]
            if BODY_MARK in data:
                text = questions.pop(path) if path in questions else data.decode("utf-8")
                yield path, _prepared(given, path, text) if prepared else text
    for path, text in questions.items():
        yield path, _prepared(given, path, text) if prepared else text


def indexed_part(page: str) -> str:
    """What the indexer is given of a page: its ``<html>`` tag (the language), its title and its ``<main>``, where
    the templates put everything the index reads (``data-pagefind-body`` and the marks inside it).

    The rest of the head and the site's header and footer are left out: the index comes out the same, and the
    indexer has about a sixth less to do.
    """
    opening, start, end = page.find("<html"), page.find("<main"), page.rfind("</main>")
    if opening < 0 or start < 0 or end < start:
        return page
    title = TITLE.search(page, 0, start)
    return (f"{page[:page.find('>', opening) + 1]}<head>{title.group(0) if title else ''}</head><body>"
            f"{page[start:end]}</main></body></html>")


def _prepared(given: Given, path: str, text: str) -> str:
    """A document as the indexer reads it: names in the other languages added, only the parts it reads kept, cells
    spaced, typed forms added."""
    text = spaced(indexed_part(with_other_names(text, person_names(given, path))))
    return with_typed_forms(text) if path.split("/", 1)[0] in TYPED_LANGUAGES else text


#: The :func:`source_digest` of no documents at all: no index is made.
EMPTY = hashlib.sha256().hexdigest()


def source_digest(given: Given) -> str:
    """One digest of what the indexer's documents are made of: the pages and questions before :func:`_prepared`,
    and the names it adds. The same give the same documents (this code being in the cache key), so the same index;
    the documents themselves are not made for it."""
    found = hashlib.sha256()
    for path, text in index_input(given, prepared=False):
        names = "\x1f".join(person_names(given, path))
        found.update(f"{path}\0{names}\0{text}\0".encode())
    return found.hexdigest()


@functools.lru_cache(maxsize=1)
def _cache_kind() -> bytes:
    """What a kept index depends on besides its documents: the indexer's version, this code and the code that
    runs the indexer and merges its runs."""
    return code_digest("search", importlib.metadata.version("pagefind"), Path(__file__), Path(indexer.__file__))


def pack(files: Mapping[str, bytes]) -> bytes:
    """Index files as one value for the build cache: each path and its bytes, with their lengths."""
    parts = []
    for path, data in sorted(files.items()):
        name = path.encode("utf-8")
        parts += [len(name).to_bytes(4, "big"), name, len(data).to_bytes(8, "big"), data]
    return b"".join(parts)


def unpack(value: bytes) -> dict[str, bytes] | None:
    """The files of :func:`pack`; ``None`` when the value is not of that shape."""
    files, at = {}, 0
    try:
        while at < len(value):
            size = int.from_bytes(value[at:at + 4], "big")
            name = value[at + 4:at + 4 + size].decode("utf-8")
            at += 4 + size
            length = int.from_bytes(value[at:at + 8], "big")
            if at + 8 + length > len(value) or not name.startswith(f"{INDEX_DIR}/"):
                return None
            files[name] = value[at + 8:at + 8 + length]
            at += 8 + length
    except UnicodeDecodeError:
        return None
    return files


class SearchOutput:
    """The pagefind index of the published pages and FAQ questions, as an output kind."""

    name = "search"

    def reads(self, given: Given) -> object:
        """What the indexer's documents are made of, as one digest (see :func:`source_digest`)."""
        return source_digest(given)

    def make(self, given: Given, reads: object = None) -> Made:
        """The index files, kept in the build cache by their documents; an error with the indexer's message."""
        found = reads if isinstance(reads, str) else source_digest(given)
        if found == EMPTY:
            return Made({})
        key = BuildCache.key(_cache_kind(), found.encode())
        stored = given.cache.get(key) if given.cache is not None else None
        files = unpack(stored) if stored is not None else None
        if files is not None:
            return Made(files)
        try:
            files = run_indexer(lambda: index_input(given), given.config.languages, given.stop)
        except Exception as error:  # noqa: BLE001 - whatever the indexer raises is reported, not a crash
            return _failed(str(error))
        if given.cache is not None:
            given.cache.put(key, pack(files))
            given.cache.flush()
        return Made(files)


def _failed(why: str) -> Made:
    """No index, and the error that says why."""
    problems = Problems()
    problems.error(INDEX_DIR, 0, f"the search index could not be made: {why}", HINT)
    return Made({}, tuple(problems))


OUTPUT = SearchOutput()

