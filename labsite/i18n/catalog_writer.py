"""Gettext catalogues as translators' tools write them: extract the interface strings, merge them into each language."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, unescape, write_po

from ..load.paths import replace_file
from ..model.problems import Problems
from .catalogs import CONFIG_FILE, GENERATOR_ROOT, HEADER, PROJECT, TEMPLATE_FILE, po_path, read_catalog, template_problem

#: The header line naming the Babel version, which would change every catalogue at each upgrade.
_GENERATED_BY = re.compile(rb'^"Generated-By: [^"\n]*\\n"\n', re.MULTILINE)


def extract(root: Path) -> Catalog:
    """Every interface string of the code and templates, as ``pybabel extract -F locales/babel.cfg`` finds them.

    A site kept apart from the generator (``--root``) has templates but no ``labsite/``: the
    strings of the code are then read from the generator's own package.
    """
    with (root / CONFIG_FILE).open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, CONFIG_FILE)
    catalog = Catalog(header_comment=HEADER, project=PROJECT, version="1", charset="utf-8", fuzzy=False)
    bases: dict[Path, list[tuple[str, str]]] = {}
    for pattern, method in method_map:
        top = pattern.split("/", 1)[0]
        base = root if (root / top).exists() or not (GENERATOR_ROOT / top).exists() else GENERATOR_ROOT
        bases.setdefault(base, []).append((pattern, method))
    for base, methods in bases.items():
        tops = {pattern.split("/", 1)[0] for pattern, _ in methods}

        def only_mapped(dirpath: str, base: Path = base, tops: set[str] = tops) -> bool:
            # Where the folder stands in the project, not where it leads: a link to a folder elsewhere (a
            # virtual environment, say) is judged by its own name.
            rel = Path(os.path.relpath(dirpath, base)).as_posix()
            return rel == "." or rel.split("/", 1)[0] in tops

        found = extract_from_dir(base, methods, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=("Translators:",),
                                 strip_comment_tags=True, directory_filter=only_mapped)
        for filename, lineno, message, comments, context in found:
            catalog.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    return catalog


def _same_messages(a: Catalog, b: Catalog) -> bool:
    """Whether two catalogues hold the same strings from the same files (headers and line numbers aside)."""
    def key(catalog: Catalog) -> list[tuple[object, ...]]:
        return [(m.id, m.context, tuple(sorted({f for f, _ in m.locations})), tuple(m.auto_comments))
                for m in catalog if m.id]
    return key(a) == key(b)


def write_template(root: Path) -> tuple[Path, int, bool]:
    """Write ``locales/messages.pot``; return its path, the number of strings and whether it changed."""
    catalog = extract(root)
    path = root / TEMPLATE_FILE
    if path.exists() and not path.is_symlink():  # a link is replaced, never read
        with path.open("rb") as handle:
            old = read_po(handle)
        if _same_messages(old, catalog):
            return path, len(catalog), False
    return path, len(catalog), _write(path, catalog)


def _write(path: Path, catalog: Catalog) -> bool:
    """Write a catalogue as ``pybabel`` does, naming the files a string comes from but not the lines.

    Line numbers would change the catalogues at every unrelated edit of a template or module, and the
    ``Generated-By`` header at every upgrade of Babel, so neither is written; a file whose bytes would
    stay the same is not touched, and one whose first line ends as Windows ends lines keeps them.
    Returns whether the file changed.
    """
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True, include_lineno=False)
    data = _GENERATED_BY.sub(b"", buffer.getvalue())
    before = path.read_bytes() if path.exists() and not path.is_symlink() else None
    if before is not None and before.split(b"\n", 1)[0].endswith(b"\r"):  # a file with Windows line ends
        data = data.replace(b"\n", b"\r\n")  # keeps them
    if before == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data)  # replaced whole, never written through a link
    return True


@dataclass(frozen=True)
class Update:
    """What ``i18n update`` did to one catalogue."""

    lang: str
    path: Path
    created: bool
    changed: bool
    added: int
    fuzzy: int
    obsolete: int


def update(root: Path, languages: tuple[str, ...], problems: Problems) -> list[Update]:
    """Merge ``messages.pot`` into each language's catalogue; changed strings come back fuzzy.

    A catalogue that cannot be read is left alone (and reported), never rewritten half-read.
    """
    if template_problem(root, problems):
        return []
    with (root / TEMPLATE_FILE).open("rb") as handle:
        template = read_po(handle)
    results = []
    for lang in languages:
        path = po_path(root, lang)
        created = not path.exists()
        if created:
            catalog = Catalog(locale=lang, header_comment=HEADER, project=PROJECT, version="1", charset="utf-8",
                              fuzzy=False, revision_date=dt.datetime.now(dt.UTC))
            before: dict[object, Message] = {}
        else:
            found = Problems()
            report = read_catalog(root, lang, found)
            if report.catalog is None or found.errors:  # merged, it would keep or worsen the mistake
                problems.extend(found.errors)
                continue
            catalog = report.catalog
            _restore_previous(catalog)
            before = {m.id: m for m in catalog if m.id}
        meaning = _meaning(catalog)
        _revive(catalog, template)
        previous = {_key(m): m.previous_id for m in catalog if m.id and m.previous_id}
        catalog.update(template, update_creation_date=False)
        for message in catalog:  # Babel keeps the previous text only of the strings it makes fuzzy itself
            if message.id and message.fuzzy and not message.previous_id:
                message.previous_id = previous.get(_key(message), [])
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy and not (m.id in before and before[m.id].fuzzy))
        added = sum(1 for m in catalog if m.id and m.id not in before and not m.fuzzy)
        changed = (created or _meaning(catalog) != meaning) and _write(path, catalog)
        results.append(Update(lang, path, created, changed, added, fuzzy, len(catalog.obsolete)))
    return results


def _key(message: Message) -> tuple[str, str | None]:
    """A message's text (the singular, for plurals) and context: what identifies it in a catalogue."""
    return (message.id if isinstance(message.id, str) else message.id[0]), message.context


def _meaning(catalog: Catalog) -> list[object]:
    """Everything a translator reads and writes in a catalogue, the header and the layout of the file aside: a
    catalogue whose meaning an update leaves the same is left as it is, byte for byte (line ends, a .po editor's
    own headers)."""
    found: list[object] = [(m.id, m.context, m.string, sorted(m.flags), list(m.previous_id),
                            sorted({f for f, _ in m.locations}), list(m.auto_comments), list(m.user_comments))
                           for m in catalog if m.id]
    return [*found, sorted(map(str, catalog.obsolete))]


def _revive(catalog: Catalog, template: Catalog) -> None:
    """Bring back each obsolete string (``#~``) that the template holds again, with its translation. Babel's update
    would give it the translation of a similar string, fuzzy, and keep the right one obsolete beside it, which
    gettext's tools then refuse as a message defined twice."""
    wanted = {_key(message) for message in template if message.id}
    for key, message in list(catalog.obsolete.items()):
        if _key(message) in wanted and catalog.get(message.id, message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message


def _restore_previous(catalog: Catalog) -> None:
    """Read the previous text of a fuzzy string (``#| msgid "…"``) as such: Babel reads those lines as comments of
    the translator and would write them back as ``# | msgid``, which .po editors no longer show as the old text."""
    for message in catalog:
        marks = [comment for comment in message.user_comments if comment.startswith("|")]
        if not marks:
            continue
        message.user_comments = [comment for comment in message.user_comments if not comment.startswith("|")]
        texts: list[str] = []
        for mark in marks:
            line = mark[1:].strip()
            keyword, _, rest = line.partition(" ")
            if line.startswith('"') and texts:
                texts[-1] += unescape(line)
            elif keyword in ("msgid", "msgid_plural") and rest.strip().startswith('"'):
                texts.append(unescape(rest.strip()))
        message.previous_id = texts
