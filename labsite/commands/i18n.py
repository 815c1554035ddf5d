"""The translators' commands: extract, update, status and mark, as values the command line prints."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n.catalog_writer import update, write_template
from ..i18n.catalogs import TEMPLATE_FILE, CatalogReport, read_catalog
from ..i18n.translation import CURRENT, MISSING, SOURCE, STALE, UNMARKED, TranslationState, mark, translation_states
from ..load.config import load_config
from ..load.reading import load_content
from ..model.problems import Problems

CONTENT_STATES = (CURRENT, STALE, UNMARKED, MISSING, SOURCE)
#: How each content state is called in the report.
CONTENT_NAMES = {CURRENT: "translated", STALE: "stale", UNMARKED: "unmarked", MISSING: "missing", SOURCE: "source"}


@dataclass(frozen=True)
class LanguageStatus:
    """One language: its interface catalogue and its content translations."""

    lang: str
    ui: CatalogReport
    content: tuple[TranslationState, ...]

    def content_counts(self) -> dict[str, int]:
        """How many items are in each state, by report name."""
        counts = Counter(item.state for item in self.content)
        return {CONTENT_NAMES[state]: counts.get(state, 0) for state in CONTENT_STATES}

    def ui_counts(self) -> dict[str, int]:
        """How many interface strings are translated, fuzzy or missing."""
        return {state: self.ui.count(state) for state in ("translated", "fuzzy", "missing")}

    @property
    def complete(self) -> bool:
        """Whether nothing is left to do in this language (unmarked translations aside)."""
        counts = self.content_counts()
        ui = self.ui_counts()
        return self.ui.catalog is not None and not (ui["fuzzy"] or ui["missing"] or counts["stale"]
                                                     or counts["missing"])


def collect(root: Path) -> tuple[list[LanguageStatus], Problems]:
    """Read every catalogue and content translation of the project at ``root``."""
    problems = Problems()
    config = load_config(root, problems)
    content = load_content(config, problems)
    states = translation_states(content, config.languages)
    result = []
    for lang in config.languages:
        report = read_catalog(root, lang, problems)
        result.append(LanguageStatus(lang, report, tuple(s for s in states if s.lang == lang)))
    return result, problems


def as_json(statuses: list[LanguageStatus], problems: Problems) -> str:
    """The status for tools."""
    data: dict[str, Any] = {"languages": {}, "errors": [str(p) for p in problems.errors]}
    for status in statuses:
        data["languages"][status.lang] = {
            "ui": {"catalogue": status.ui.path, **status.ui_counts(),
                   "gaps": [{"state": e.state, "line": e.line, "msgid": e.msgid}
                            for e in status.ui.entries if e.state != "translated"]},
            "content": {**status.content_counts(),
                        "gaps": [{"state": CONTENT_NAMES[s.state], "file": s.path, "source": s.source}
                                 for s in status.content if s.state in (STALE, MISSING, UNMARKED)]},
            # A file of the language that cannot be read hides what it lacks: the language is not complete.
            "complete": status.complete and not any(problem.path == status.ui.path
                                                    or problem.path.endswith(f".{status.lang}.md")
                                                    for problem in problems.errors),
        }
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_text(statuses: list[LanguageStatus]) -> str:
    """The status for people: a summary table, then every gap with its file."""
    lines = ["Interface strings (translated / fuzzy / missing):"]
    for status in statuses:
        ui = status.ui_counts()
        lines.append(f"  {status.lang}  {ui['translated']:4d} / {ui['fuzzy']:3d} / {ui['missing']:3d}   {status.ui.path}")
    lines.append("Content pages (translated / stale / missing; unmarked; source texts):")
    for status in statuses:
        c = status.content_counts()
        lines.append(f"  {status.lang}  {c['translated']:4d} / {c['stale']:3d} / {c['missing']:3d}; "
                     f"{c['unmarked']} unmarked; {c['source']} source")
    for status in statuses:
        gaps = [f"  {status.ui.path}:{e.line}: {e.state}: {e.msgid!r}" if e.line else
                f"  {status.ui.path}: missing: {e.msgid!r} is not in the catalogue; 'i18n update' adds it"
                for e in status.ui.entries if e.state != "translated" and status.ui.catalog is not None]
        if status.ui.catalog is None:
            gaps.insert(0, f"  {status.ui.path}: no catalogue that can be read (a missing one: 'i18n update' makes "
                           "it; a broken one: see its errors)")
        for item in status.content:
            if item.state == STALE:
                gaps.append(f"  {item.path}: stale: {item.source} has changed since; update it, then 'i18n mark' it")
            elif item.state == MISSING:
                gaps.append(f"  {item.path}: missing: translate {item.source}")
            elif item.state == UNMARKED:
                gaps.append(f"  {item.path}: unmarked: no source_hash; 'i18n mark' it once it matches {item.source}")
        if gaps:
            lines += ["", f"{status.lang}:", *gaps]
    return "\n".join(lines)


def run_extract(root: Path) -> str:
    """``i18n extract``: write ``locales/messages.pot``."""
    path, count, changed = write_template(root)
    rel = path.relative_to(root).as_posix()
    return f"{rel}: {count} strings" + ("" if changed else " (unchanged)")


def run_update(root: Path, problems: Problems) -> str:
    """``i18n update``: merge the template into every language's catalogue."""
    if not (root / TEMPLATE_FILE).exists():
        problems.error(TEMPLATE_FILE, 0, "there is no template to merge", "Run 'python build.py i18n extract' first.")
        return ""
    config = load_config(root, problems)
    lines = []
    for result in update(root, config.languages, problems):
        rel = result.path.relative_to(root).as_posix()
        verb = "created" if result.created else "updated" if result.changed else "unchanged"
        lines.append(f"{rel}: {verb}; {result.added} new, {result.fuzzy} now fuzzy, {result.obsolete} obsolete")
    return "\n".join(lines)


def run_mark(root: Path, paths: list[Path], problems: Problems) -> str:
    """``i18n mark``: record the current source hash in each given translation."""
    if not paths:
        problems.error("i18n mark", 0, "no files given", "Name the translated files: i18n mark content/pages/about.kk.md")
        return ""
    config = load_config(root, problems)
    loading = Problems()
    content = load_content(config, loading)
    lines = []
    for done in mark(content, root, paths, problems, loading):
        note = "" if done.changed else " (already marked)"
        lines.append(f"{done.path}: source_hash {done.hash} (translates {done.source}){note}")
    return "\n".join(lines)
