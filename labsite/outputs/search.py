"""The search index: pagefind's files for the published pages and each FAQ question, one index per language.

Every page's kind, lab and date are meta, not pagefind filters: pagefind writes filters in a different order in
every run, and the output must be the same for the same site. The search page filters by the meta instead.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.metadata
import json
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pagefind_bin

from ..load.cache import BuildCache, code_digest
from ..model.problems import Problems
from .kind import Given, Made

#: The folder of the index in the output; the search page's script loads ``/pagefind/pagefind.js``.
INDEX_DIR = "pagefind"
#: The file that names each language's index; the search page's script starts from it.
ENTRY_FILE = "pagefind-entry.json"
#: What a page's ``<main>`` carries when it is to be indexed (set by the templates of lab, edition, person…).
BODY_MARK = b"data-pagefind-body"
#: pagefind's own search interfaces and highlighter: the site has its own small script, so these are not published.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
#: The languages whose pages are also indexed in the form typed without their own letters.
TYPED_LANGUAGES = ("kk",)
#: Seconds the indexer may take before the build gives up on it (a generated 3,000-page site takes about 6).
INDEX_TIMEOUT = 600
#: Letters of Kazakh that a Russian keyboard lacks, and what a visitor types instead (see :func:`normalise`).
KAZAKH_LETTERS = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиагкноуухи")
TAG = re.compile(r"<[^>]*>")
CELL_END = re.compile(r"</(?:dt|dd|li|td|th)>")
#: Where the typed forms begin in an indexed Kazakh page: the search script never shows what follows it.
TYPED_MARK = "⁂"
HINT = "The search index is made by pagefind (pagefind[bin] in requirements.txt); run `make site` to reinstall it."


def normalise(text: str) -> str:
    """``text`` lower-cased with Kazakh letters as typed on a Russian keyboard (қ → к, ә → а, і → и…)."""
    return text.lower().translate(KAZAKH_LETTERS)


def plain_words(markup: str) -> list[str]:
    """The words of an HTML fragment, tags and entities removed."""
    return html.unescape(TAG.sub(" ", markup)).split()


def typed_forms(markup: str) -> str:
    """The words of ``markup`` that a Russian keyboard cannot type, in the form it can, each once."""
    forms: dict[str, None] = {}
    for word in plain_words(markup):
        form = normalise(word)
        if form != word.lower():
            forms.setdefault(form, None)
    return " ".join(forms)


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
    return f"{page[:end]}<p>{html.escape(' · '.join(others))}</p>{page[end:]}"


def person_names(given: Given, path: str) -> list[str]:
    """The names of the person whose page is at ``path`` in every language (none for another page)."""
    parts = path.split("/")
    person = given.content.people.get(parts[2]) if len(parts) == 4 and parts[1] == "people" else None
    return list(dict.fromkeys(person.name.values.values())) if person else []


def spaced(page: str) -> str:
    """The page with a space after each list and table cell, so that the index never joins two cells' words."""
    return CELL_END.sub(r"\g<0> ", page)


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


def index_input(given: Given) -> dict[str, str]:
    """The documents the indexer reads, by path: the pages marked for search and the FAQ questions."""
    languages = set(given.config.languages)
    drafts = {page.output_path for page in given.pages if page.draft}  # only in a preview with drafts
    documents = {path: data.decode("utf-8") for path, data in sorted(given.rendered.items())
                 if path.endswith(".html") and path.split("/", 1)[0] in languages and BODY_MARK in data
                 and path not in drafts}
    documents.update(question_documents(given))
    documents = {path: with_other_names(text, person_names(given, path)) for path, text in documents.items()}
    return {path: with_typed_forms(spaced(text)) if path.split("/", 1)[0] in TYPED_LANGUAGES else spaced(text)
            for path, text in documents.items()}


def indexer() -> str:
    """The path of pagefind's program: ``PAGEFIND_BINARY_PATH`` as pagefind reads it, else the one of ``pagefind-bin``."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        return chosen
    try:
        return str(pagefind_bin.get_executable())
    except FileNotFoundError as exc:
        raise RuntimeError(f"pagefind's program is missing ({exc})") from None


def _index(documents: Mapping[str, str], work: Path) -> None:
    """Run pagefind over ``documents`` written under ``work/site``, its files to ``work/index``; raise on failure.

    The indexer is pagefind's own program (what ``python -m pagefind`` runs, without a Python started for it)
    over one folder. pagefind's asyncio API (``PagefindIndex``) was tried first: it waits 0.1 s for each answer
    of the indexer (9 s for 87 pages sent one by one), and it waits forever when the indexer dies (a full disk, a
    file-size limit), so the build could neither report nor stop.
    """
    site = work / "site"
    for path, text in documents.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    program = indexer()
    command = [program, "--site", str(site), "--output-path", str(work / "index")]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INDEX_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"pagefind did not finish in {INDEX_TIMEOUT} s") from None
    except OSError as exc:
        raise RuntimeError(f"{program} could not be started: {exc.strerror or exc}") from None
    if done.returncode == -signal.SIGXFSZ:
        raise RuntimeError(f"a file is larger than this system allows (stopped by signal {signal.SIGXFSZ.value})")
    if done.returncode:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()
        ending = f"exit status {done.returncode}" if done.returncode > 0 else f"stopped by signal {-done.returncode}"
        raise RuntimeError(f"{said[-1] if said else 'pagefind failed'} ({ending})")


def run_indexer(documents: Mapping[str, str]) -> dict[str, bytes]:
    """pagefind's files for ``documents``, by path under :data:`INDEX_DIR` (the interfaces it bundles left out)."""
    with tempfile.TemporaryDirectory(prefix="labsite-search-") as folder:
        work = Path(folder)
        _index(documents, work)
        out = work / "index"
        files = {f"{INDEX_DIR}/{p.relative_to(out).as_posix()}": p.read_bytes() for p in sorted(out.rglob("*"))
                 if p.is_file() and not p.name.startswith(UNUSED)}
    entry = f"{INDEX_DIR}/{ENTRY_FILE}"
    if entry in files:  # pagefind lists the languages in a different order in every run
        files[entry] = json.dumps(json.loads(files[entry]), sort_keys=True, separators=(",", ":")).encode()
    return files


def _digest(documents: Mapping[str, str]) -> str:
    """One digest of the documents the indexer reads: the same documents give the same index."""
    digest = hashlib.sha256()
    for path, text in documents.items():
        digest.update(path.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _cache_kind() -> bytes:
    """What a kept index depends on besides its documents: the indexer's version and this code."""
    return code_digest("search", importlib.metadata.version("pagefind"), Path(__file__))


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
        """The documents the indexer reads, as one digest (the same documents give the same index)."""
        return _digest(index_input(given))

    def make(self, given: Given) -> Made:
        """The index files, kept in the build cache by their documents; an error with the indexer's message."""
        documents = index_input(given)
        if not documents:
            return Made({})
        key = BuildCache.key(_cache_kind(), _digest(documents).encode())
        stored = given.cache.get(key) if given.cache is not None else None
        files = unpack(stored) if stored is not None else None
        if files is not None:
            return Made(files)
        try:
            files = run_indexer(documents)
        except Exception as error:  # noqa: BLE001 - whatever the indexer raises is reported, not a crash
            problems = Problems()
            problems.error(INDEX_DIR, 0, f"the search index could not be made: {error}", HINT)
            return Made({}, tuple(problems))
        if given.cache is not None:
            given.cache.put(key, pack(files))
            given.cache.flush()
        return Made(files)


OUTPUT = SearchOutput()

