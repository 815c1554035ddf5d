"""``build.py new``: the files of a new item, its required fields to fill in and its optional ones as comments.

Only the text of the source language is written, with the placeholders; the other languages are left
to translators, so ``check`` and ``i18n status`` report them as missing translations and the pages
show the source text in every language meanwhile (the site's ``fallbacks``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale

from ..load.config import SiteConfig
from ..load.content import RESERVED
from ..load.fields import SLUG_HINT, is_slug
from ..load.sources import CONTENT_DIR
from ..load.yamlsource import YamlError, parse_yaml, split_front_matter
from ..model import schema
from ..model.dates import FIRST_YEAR, LAST_YEAR
from ..model.problems import Problems, did_you_mean
from ..model.schema import Field, Kind

WHERE = "build.py new"
#: Other words editors may use for a kind: its folder's name.
ALIASES = {"labs": "lab", "editions": "edition", "people": "person", "partners": "partner", "article": "news",
           "pages": "page", "faqs": "faq"}
_COMMENT_AT = 32


@dataclass(frozen=True)
class Plan:
    """The files of a new item and what the editor still has to fill in."""

    kind: Kind
    item: str
    files: dict[str, str]
    todo: tuple[tuple[str, str], ...]


def _title(slug: str) -> str:
    """A readable name made from an id: ``teen-lab`` → ``Teen Lab``."""
    return " ".join(part.capitalize() for part in slug.split("-"))


def _slugify(text: str) -> str:
    """The id closest to what was typed, for a hint."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _scalar(value: Any) -> str:
    """A value on one line of YAML, quoted only when YAML would read it otherwise."""
    text = schema.inline(value)
    if isinstance(value, str):
        try:
            same = parse_yaml(f"v: {text}") == {"v": value}
        except YamlError:
            same = False
        if not same:
            text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _note(field: Field) -> str:
    """What a field means, with the words a choice allows."""
    return field.description + (" (" + ", ".join(field.choices) + ")" if field.choices else "")


def _lines(name: str, value: Any, note: str, commented: bool, block: bool = False) -> list[str]:
    """A field as YAML lines with its note; commented out when it is optional; Markdown as a ``|`` block."""
    if block and isinstance(value, str):
        first, body = f"{name}: |", [f"  {line}" for line in value.splitlines()]
    elif isinstance(value, dict) and value:
        first, body = f"{name}:", [f"  {k}: {_scalar(v)}" for k, v in value.items()]
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        first = f"{name}:"
        body = [f"  {'- ' if i == 0 else '  '}{k}: {_scalar(v)}" for item in value for i, (k, v) in enumerate(item.items())]
    else:
        first, body = f"{name}: {_scalar(value)}", []
    prefix = "# " if commented else ""
    return [f"{prefix}{first}".ljust(_COMMENT_AT) + f"  # {note}", *(prefix + line for line in body)]


class _Scaffold:
    """Builds the files of one new item."""

    def __init__(self, config: SiteConfig, kind: Kind, base: str, today: dt.date) -> None:
        self.config, self.kind, self.base, self.today = config, kind, base, today
        self.lang = config.source_language
        self.todo: list[tuple[str, str]] = []

    def facts(self, values: dict[str, Any], examples: dict[str, Any]) -> str:
        """The ``.yaml`` file: the given values, then the optional fields as comments."""
        path = f"{self.base}.yaml"
        lines = [f"# The facts of this {self.kind.noun}, the same in every language. Every field: docs/content.md.",
                 "# A line starting with '# ' is an optional field: remove the '# ' to use it."]
        values = {**values, "source_language": self.lang}
        fields = (*self.kind.facts, *schema.COMMON)
        for field in fields:
            if field.name in values:
                lines += _lines(field.name, values[field.name], _note(field), commented=False)
        for field in fields:
            if field.name not in values:
                example = examples.get(field.name, field.example)
                lines += _lines(field.name, example, "optional: " + _note(field), commented=True)
        for field in self.kind.facts:
            if field.required:
                self.todo.append((path, f"{field.name}: {_note(field)}"))
        return "\n".join(lines) + "\n"

    def text(self, values: dict[str, str], body: str) -> str:
        """The source language's ``.md`` file with placeholders for every required field and the body."""
        path = f"{self.base}.{self.lang}.md"
        lines = ["---"]
        for field in self.kind.text:
            if field.required:
                value = values.get(field.name)
                if value:
                    lines += _lines(field.name, value, field.description, commented=False)
                else:
                    lines.append(f"{field.name}: {_scalar(f'{schema.PLACEHOLDER} — {field.description}')}")
                self.todo.append((path, f"{field.name}: {field.description}"))
        for field in self.kind.text:
            if not field.required:
                lines += _lines(field.name, field.example, "optional: " + field.description, commented=True,
                                block=field.type == schema.MARKDOWN)
        self.todo.append((path, f"the text below the second '---': {self.kind.body}"))
        return "\n".join([*lines, "---", body, ""])


def _lab_title(config: SiteConfig, lab: str) -> str:
    """The title of a lab in the source language, or a name made from its id."""
    for lang in (config.source_language, *config.languages):
        path = config.root / CONTENT_DIR / "labs" / f"{lab}.{lang}.md"
        try:
            title = split_front_matter(path.read_text(encoding="utf-8")).front.get("title")
        except (OSError, UnicodeDecodeError, YamlError):
            continue
        if isinstance(title, str) and title.strip():
            return title.strip()
    return _title(lab)


def plan(config: SiteConfig, word: str, name: str | None, year: str | None, today: dt.date,
         problems: Problems) -> Plan | None:
    """The files of a new ``word`` called ``name``; ``None`` (with problems) when it cannot be made."""
    word = ALIASES.get(word.lower(), word.lower())
    kind = schema.by_word(word)
    words = [k.word for k in schema.KINDS.values()]
    if kind is None:
        hint = did_you_mean(word, words)
        problems.error(WHERE, 0, f"unknown kind '{word}'",
                       hint if hint.startswith("Known") else f"{hint} Kinds: {', '.join(words)}.")
        return None
    if name is None:
        example = "impact-lab 2027" if kind.word == "edition" else "some-name"
        problems.error(WHERE, 0, f"the name of the new {kind.noun} is missing",
                       f"Write it after the kind: python build.py new {kind.word} {example}")
        return None
    if not is_slug(name):
        suggestion = _slugify(name)
        hint = f"Did you mean '{suggestion}'? " if is_slug(suggestion) else ""
        problems.error(WHERE, 0, f"'{name}' cannot be used as an id or a page address", hint + SLUG_HINT)
        return None
    content = config.root / CONTENT_DIR
    if not content.is_dir():
        problems.error(CONTENT_DIR, 0, "the content folder is missing", f"Run the command in the project folder, "
                       f"or give it with --root; {config.root} has no {CONTENT_DIR}/.")
        return None
    if kind.word == "edition":
        return _edition(config, kind, name, year, today, problems)
    if year is not None:
        problems.error(WHERE, 0, f"'new {kind.word}' takes one name, not '{name} {year}'",
                       f"Join the words with hyphens: {_slugify(name + ' ' + year)}.")
        return None
    if kind.word == "page" and name in RESERVED:
        problems.error(WHERE, 0, f"the page name '{name}' is taken by the generator's own pages",
                       "Choose another name, e.g. about-" + name + ".")
        return None
    base = re.sub(r"<[^>]+>", name, kind.facts_path).removesuffix(".yaml")
    scaffold = _Scaffold(config, kind, base, today)
    return _item(scaffold, name, problems)


def _edition(config: SiteConfig, kind: Kind, lab: str, year: str | None, today: dt.date,
             problems: Problems) -> Plan | None:
    """A new edition of an existing lab."""
    labs = sorted(p.stem for p in (config.root / CONTENT_DIR / "labs").glob("*.yaml"))
    if lab not in labs:
        hint = did_you_mean(lab, labs) if labs else "There are no labs yet."
        problems.error(WHERE, 0, f"there is no lab '{lab}' (content/labs/{lab}.yaml)",
                       f"{hint} To start a new lab: python build.py new lab {lab}")
        return None
    if year is None or not re.fullmatch(r"[0-9]{4}", year) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        given = (f"'{year}' is not a year from {FIRST_YEAR} to {LAST_YEAR}" if year
                 else "the year of the edition is missing")
        problems.error(WHERE, 0, given, f"Write it with four digits: python build.py new edition {lab} {today.year + 1}")
        return None
    scaffold = _Scaffold(config, kind, f"content/labs/{lab}/{year}", today)
    return _item(scaffold, f"{lab}/{year}", problems, lab_title=_lab_title(config, lab))


def _item(scaffold: _Scaffold, item: str, problems: Problems, lab_title: str = "") -> Plan | None:
    """The facts and the source text of one item, unless a file of it exists already."""
    kind, root, name = scaffold.kind, scaffold.config.root, item.rsplit("/", 1)[-1]
    existing = sorted(root.glob(f"{scaffold.base}.*"))
    if existing:
        rel = existing[0].relative_to(root).as_posix()
        problems.error(rel, 0, f"already exists, so nothing was written: edit it, or choose another name than '{name}'")
        return None
    today = scaffold.today.isoformat()
    facts: dict[str, Any] = {}
    examples: dict[str, Any] = {"publish_date": today}
    for field in (*kind.facts, *schema.COMMON):  # a picture's alt text in every language, as the build requires
        if field.type == schema.PICTURE and isinstance(field.example, dict):
            examples[field.name] = {**field.example, "alt": {lang: f"{schema.PLACEHOLDER} — what the picture shows"
                                                             for lang in scaffold.config.languages}}
    texts: dict[str, str] = {"title": _title(name)}
    body = f"{schema.PLACEHOLDER} — in Markdown: {kind.body}."
    if kind.word == "edition":
        year = name
        facts = {"start": int(year), "format": "in-person"}
        examples.update(date=int(year), end=f"{year}-12")
        examples["schedule"] = [
            {"id": "open-call", "kind": "open_call", "start": f"{year}-03", "end": f"{year}-04-30 23:59"},
            {"id": "results", "kind": "announcement", "date": f"early {year}-05"},
        ]
        texts["title"] = f"{lab_title} {year}"
    elif kind.word == "person":
        facts = {"name": {lang: _title(name) for lang in scaffold.config.languages}}
    elif kind.word == "partner":
        facts = {"name": _title(name)}
    elif kind.word == "news":
        facts = {"date": today}
    elif kind.word == "faq":
        body = (f"# {schema.PLACEHOLDER} — a section {{#{name}-section}}\n\n"
                f"## {schema.PLACEHOLDER} — a question? {{#{name}-question}}\n"
                f"{schema.PLACEHOLDER} — the answer, in Markdown.")
        scaffold.todo.append((f"{scaffold.base}.{scaffold.lang}.md",
                              "each section (#) and question (##) ends with its own id in braces: {#an-id}"))
    files = {f"{scaffold.base}.yaml": scaffold.facts(facts, examples),
             f"{scaffold.base}.{scaffold.lang}.md": scaffold.text(texts, body)}
    return Plan(kind, item, files, tuple(scaffold.todo))


def write(root: Path, new: Plan, problems: Problems) -> bool:
    """Write the files of ``new``, all or none; never replace a file."""
    written: list[Path] = []
    for rel, text in new.files.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            for done in written:
                done.unlink(missing_ok=True)
            reason = "already exists" if isinstance(exc, FileExistsError) else f"cannot be written ({exc.strerror})"
            problems.error(rel, 0, f"{reason}, so nothing was written")
            return False
        written.append(path)
    return True


def summary(config: SiteConfig, new: Plan) -> str:
    """What was written and what to do next, for the editor."""
    def language(code: str) -> str:
        return f"{Locale.parse(code).get_display_name('en')} ({code})"

    source = config.source_language
    others = [lang for lang in config.languages if lang != source]
    lines = [f"Created the {new.kind.noun} '{new.item}':"]
    for rel in new.files:
        what = "the facts, the same in every language" if rel.endswith(".yaml") else f"the text in {language(source)}"
        lines.append(f"  {rel}: {what}")
    lines.append(f"Fill in (placeholders start with '{schema.PLACEHOLDER}'; names are made from the id):")
    for rel in new.files:
        items = [what for path, what in new.todo if path == rel]
        lines += [f"  {rel}", *(f"    {what}" for what in items)] if items else []
    lines.append("Optional fields are in the files as comments: remove the '# ' in front of one to use it.")
    if others:
        names = " and ".join(", ".join(language(lang) for lang in others).rsplit(", ", 1))
        lines.append(f"Translations into {names} are not written: until they are, the pages show the "
                     f"{Locale.parse(source).get_display_name('en')} text, and 'python build.py check' and "
                     "'python build.py i18n status' list them as missing translations.")
    lines.append("Then run: python build.py check")
    return "\n".join(lines)
