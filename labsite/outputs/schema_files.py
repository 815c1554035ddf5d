"""The files generated from the schema: JSON Schemas, the editors' settings and the docs' table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model.problems import Problems
from .schema_docs import MarkersMissing, fields_table, with_table
from .schema_json import expected_files, globs

DOCS_FILE = "docs/content.md"
SETTINGS_FILE = ".vscode/settings.json"


def settings_text(current: str) -> str:
    """``.vscode/settings.json`` with its ``yaml.schemas`` set; other settings are kept."""
    settings: dict[str, Any] = json.loads(current) if current.strip() else {}
    settings["yaml.schemas"] = globs()
    settings.setdefault("yaml.yamlVersion", "1.2")
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def _read(path: Path) -> str:
    """A file's text, or nothing when it does not exist."""
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def generated(root: Path, languages: tuple[str, ...], problems: Problems) -> dict[str, str]:
    """Every generated file of the project at ``root`` with the text it should have."""
    files = expected_files(languages)
    try:
        files[SETTINGS_FILE] = settings_text(_read(root / SETTINGS_FILE))
    except json.JSONDecodeError as exc:
        problems.error(SETTINGS_FILE, exc.lineno, f"not valid JSON: {exc.msg}", "Correct it, or delete the file.")
    docs = root / DOCS_FILE
    if docs.is_file():
        try:
            files[DOCS_FILE] = with_table(_read(docs), fields_table(languages))
        except MarkersMissing as exc:
            problems.error(DOCS_FILE, 0, str(exc), "Put them back around the table of fields.")
    return files


def stale(root: Path, files: dict[str, str]) -> list[str]:
    """The files whose text on disk differs from what is generated (or that are missing)."""
    return [rel for rel, text in files.items() if _read(root / rel) != text or not (root / rel).is_file()]


def write(root: Path, files: dict[str, str]) -> list[str]:
    """Write the stale files; returns their paths."""
    changed = stale(root, files)
    for rel in changed:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[rel], encoding="utf-8", newline="\n")
    return changed
