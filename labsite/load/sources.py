"""Which files of ``content/`` make up which item: facts and texts grouped by folder and name."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..model.problems import Problems, did_you_mean
from .fields import IMAGE_SUFFIXES, SLUG_HINT, is_slug, shown
from .paths import readable

CONTENT_DIR = "content"


@dataclass
class Source:
    """The files of one item: a facts file and text files by language."""

    folder: str
    name: str
    facts: Path | None = None
    texts: dict[str, Path] = field(default_factory=dict)


def discover(folder: Path, root: Path, languages: tuple[str, ...], problems: Problems) -> dict[tuple[str, str], Source]:
    """Group the files of ``content/`` into items; report badly named files."""
    sources: dict[tuple[str, str], Source] = {}
    if not folder.is_dir():
        problems.error(CONTENT_DIR, 0, "the content folder is missing", f"Create {folder}.")
        return sources
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir() or any(part.startswith((".", "_")) for part in path.relative_to(folder).parts):
            continue
        if not readable(root, path):
            continue  # a link leading out of the project: reported by paths.check_links
        sub = path.parent.relative_to(folder).as_posix()
        sub = "" if sub == "." else sub
        if sub == "" and path.name == "places.yaml":
            continue
        if path.suffix == ".yml":
            problems.error(rel, 0, "content files end in .yaml", f"Rename it to {path.stem}.yaml.")
            continue
        if path.suffix.lower() in IMAGE_SUFFIXES:
            continue  # pictures are read where a facts file names them
        if path.suffix not in (".yaml", ".md"):
            problems.warn(rel, 0, "not a .yaml or .md file; it is ignored")
            continue
        name, lang = path.stem, ""
        if path.suffix == ".md":
            name, _, lang = path.stem.rpartition(".")
            if not name:
                problems.error(rel, 0, "the file name does not say its language",
                               f"Name it {path.stem}.<language>.md, with one of: {', '.join(languages)}.")
                continue
            if lang not in languages:
                copy = next((code for code in languages if lang.startswith(f"{code} ") or lang.startswith(f"{code}(")),
                            None)
                hint = (f"It looks like a copy of {name}.{copy}.md made by the file manager: delete it, or give it a "
                        "name of its own." if copy else
                        f"{did_you_mean(lang, languages)} The site's languages are {', '.join(languages)}.")
                problems.error(rel, 0, f"unknown language suffix '.{lang}'", hint)
                continue
        if not is_slug(name):
            problems.error(rel, 0, f"'{shown(name)}' cannot be used as a page address", SLUG_HINT + " Rename the file.")
            continue
        source = sources.setdefault((sub, name), Source(sub, name))
        if lang:
            source.texts[lang] = path
        else:
            source.facts = path
    return sources


def kind_of(folder: str) -> str | None:
    """What kind of item lives in a folder of ``content/``."""
    parts = folder.split("/") if folder else []
    if parts == ["labs"]:
        return "lab"
    if len(parts) == 2 and parts[0] == "labs":
        return "edition"
    simple = {"people": "person", "partners": "partner", "news": "article", "pages": "page", "faq": "faq"}
    return simple.get(folder)


def no_facts_hint(root: Path, text: str, name: str) -> str:
    """How to fix a text whose item has no facts file: the item it was likely meant for (one of its files renamed
    alone, or misspelt), else the file to create."""
    create = f"{Path(text).parent}/{name}.yaml beside it (see docs/content.md)"
    folder, language = (root / text).parent, Path(text).stem.rpartition(".")[2]
    items = sorted(path.stem for path in folder.glob("*.yaml") if not (folder / f"{path.stem}.{language}.md").exists())
    close = difflib.get_close_matches(name, items, n=1, cutoff=0.8)
    if not close:  # none, or each has its text in this language already: a copy is a new item
        return f"Create {create}."
    return f"Did you mean '{close[0]}'? Rename the file {close[0]}.{language}.md, or create {create}."
