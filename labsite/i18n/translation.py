"""Content translations: which version of its source each one translates, and which have gone stale.

A translated ``.md`` file records in its front matter ``source_hash: <hash>``, the hash of the
source-language text it was translated from. When the source text changes afterwards, the hash no
longer matches and the translation is *stale*; ``python build.py i18n mark FILE`` records the
current hash once the translation has been brought up to date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..load.yamlsource import YamlError, split_front_matter
from ..model.items import HASH_FIELD, Content, Meta, Text, text_hash
from ..model.problems import Problem, Problems

#: The states of one language of one item.
SOURCE, CURRENT, STALE, UNMARKED, MISSING = "source", "current", "stale", "unmarked", "missing"


def source_hash_of(text: Text) -> str:
    """The hash a translation of ``text`` records: the text's own digest, made once when it was read."""
    return text.digest or text_hash(text.front, text.body)


def state_of(meta: Meta, lang: str) -> str:
    """Whether the text of ``lang`` is the source, up to date, stale, unmarked or missing."""
    if lang == meta.source_language:
        return SOURCE if lang in meta.texts else MISSING
    text = meta.texts.get(lang)
    if text is None:
        return MISSING
    source = meta.texts.get(meta.source_language)
    if not text.source_hash or source is None:
        return UNMARKED
    return CURRENT if text.source_hash == source_hash_of(source) else STALE


def is_stale(meta: Meta, text: Text) -> bool:
    """Whether ``text`` translates an older version of the item's source text."""
    return text.lang != meta.source_language and state_of(meta, text.lang) == STALE


@dataclass(frozen=True)
class TranslationState:
    """One language of one item: its state, the file (or where it belongs) and the source file."""

    lang: str
    state: str
    path: str
    source: str
    #: The line of the text's ``source_hash``, the one ``i18n mark`` writes (0: the text has none, or is missing).
    line: int = 0


def _sibling(meta: Meta, lang: str) -> str:
    """Where the text of ``lang`` belongs, beside the item's other files."""
    any_text = next(iter(meta.texts.values()), None)
    if any_text is not None:
        return re.sub(r"\.[^./]+\.md$", f".{lang}.md", any_text.path)
    return re.sub(r"\.yaml$", f".{lang}.md", meta.path)


def translation_states(content: Content, languages: tuple[str, ...]) -> list[TranslationState]:
    """The state of every item in every language."""
    states = []
    for meta in content.metas():
        source = meta.texts.get(meta.source_language)
        source_path = source.path if source else _sibling(meta, meta.source_language)
        for lang in languages:
            text = meta.texts.get(lang)
            path = text.path if text else _sibling(meta, lang)
            line = getattr(text.front, "lines", {}).get("source_hash", 0) if text else 0
            states.append(TranslationState(lang, state_of(meta, lang), path, source_path, line))
    return states


def translation_problems(states: list[TranslationState]) -> list[Problem]:
    """Warnings for stale and missing translations (errors under ``--strict``)."""
    problems = Problems()
    present = {(item.source, item.path) for item in states if item.state != MISSING}
    for item in states:
        if item.state == MISSING and item.path != item.source and (item.source, item.source) not in present:
            # Without its source text there is nothing to translate from: name a text that exists.
            existing = sorted(path for source, path in present if source == item.source)
            problems.warn(item.path, 0, f"missing translation; the source text {item.source} is missing too",
                          f"Add {item.source} first, or translate {existing[0]} into {item.path}." if existing else
                          f"Add {item.source} first.")
        elif item.state == STALE:
            problems.warn(item.path, item.line, f"stale translation: {item.source} has changed since it was translated",
                          f"Update the text, then run 'python build.py i18n mark {item.path}'.")
        elif item.state == MISSING and item.path == item.source:
            problems.warn(item.path, 0, f"the source text ({item.lang}) is missing; the translations have nothing to follow",
                          "Add it, or set source_language in the item's .yaml file to the language it was written in.")
        elif item.state == MISSING:
            problems.warn(item.path, 0, f"missing translation of {item.source}",
                          f"Translate it into {item.path}, then run 'python build.py i18n mark {item.path}'.")
    return list(problems)


def write_hash(path: Path, value: str) -> bool:
    """Set ``source_hash`` in a file's front matter, changing only that line; ``True`` when the file changed."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom):].splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    entry = f"{HASH_FIELD}: {value}"
    if not lines or lines[0].rstrip() != "---":
        lines[:0] = ["---" + newline, entry + newline, "---" + newline]
    else:
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if close is None:
            raise YamlError(1, "the front matter starting on line 1 has no closing '---' line")
        found = next((i for i in range(1, close) if re.match(rf"{HASH_FIELD}\s*:", lines[i])), None)
        if found is None:
            lines.insert(close, entry + newline)
        else:
            ending = lines[found][len(lines[found].rstrip("\r\n")):] or newline
            lines[found] = entry + ending
    updated = (bom + "".join(lines)).encode("utf-8")
    if updated == raw:
        return False
    path.write_bytes(updated)
    return True


def file_hash(path: Path) -> str:
    """The hash of a text file as it is on disk."""
    parsed = split_front_matter(path.read_text(encoding="utf-8"))
    return text_hash(parsed.front, parsed.body)


@dataclass(frozen=True)
class Marked:
    """What ``i18n mark`` did to one file."""

    path: str
    source: str
    hash: str
    changed: bool


def mark(content: Content, root: Path, paths: list[Path], problems: Problems,
         loading: Problems | None = None) -> list[Marked]:
    """Record in each translated file the hash of its item's current source text; ``loading``: what reading the
    content found, reported for a file that could not be read as a text."""
    by_path = {text.path: (meta, text) for meta in content.metas() for text in meta.texts.values()}
    done = []
    for given in paths:
        # A relative path is from the current folder within the project, else from the project folder (--root).
        here = Path.cwd().resolve()
        start = here if here == root.resolve() or root.resolve() in here.parents else root
        absolute = given if given.is_absolute() else start / given
        try:
            rel = absolute.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            problems.error(str(given), 0, "not a file of this project", f"Give a path inside {root}.")
            continue
        if rel not in by_path:
            own = [problem for problem in (loading.errors if loading else []) if problem.path == rel]
            if own:
                problems.extend(own)
            elif not (root / rel).is_file():
                problems.error(rel, 0, "there is no such file", "Check the name: content/…/<name>.<lang>.md.")
            else:
                problems.error(rel, 0, "not a text file of the content",
                               "Give a translated content/…/<name>.<lang>.md file.")
            continue
        meta, text = by_path[rel]
        source = meta.texts.get(meta.source_language)
        if text.lang == meta.source_language:
            problems.error(rel, 0, f"this is the source text ({meta.source_language}); only translations are marked",
                           "Mark the translations of it instead.")
            continue
        if source is None:
            problems.error(rel, 0, f"the item has no source text in '{meta.source_language}' to compare with",
                           f"Add {_sibling(meta, meta.source_language)} or set source_language in {meta.path}.")
            continue
        value = source_hash_of(source)
        try:
            changed = write_hash(root / rel, value)
        except YamlError as exc:
            problems.error(rel, exc.line, exc.message)
            continue
        done.append(Marked(rel, source.path, value, changed))
    return done
