"""One schema, three uses: validation reads it, JSON Schemas and the docs' table are generated from it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
import yaml

from labsite.commands import new as scaffold
from labsite.load.config import load_config
from labsite.load.reading import load_content
from labsite.model import schema
from labsite.model.problems import Problems
from labsite.outputs import schema_files, schema_json
from labsite.present.views import KIND_LABELS
from tests.conftest import PROJECT, SITES, copy_site, run_build


class Yaml12Loader(yaml.SafeLoader):
    """YAML as the YAML language server reads it (YAML 1.2 core schema): no dates, no yes/no booleans."""


_CORE = {"tag:yaml.org,2002:bool": r"^(?:true|True|TRUE|false|False|FALSE)$",
         "tag:yaml.org,2002:int": r"^[-+]?[0-9]+$",
         "tag:yaml.org,2002:float": r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"}
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (*_CORE, "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _tag, _pattern in _CORE.items():
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), list("tTfF-+0123456789."))


def load12(text: str) -> Any:
    """Parse YAML text as YAML 1.2."""
    return yaml.load(text, Loader=Yaml12Loader)  # noqa: S506 - a SafeLoader subclass


def schemas_by_glob(root: Path = PROJECT) -> dict[str, dict[str, Any]]:
    """The editors' settings: each glob with the schema it maps to, read from the committed files."""
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    result = {}
    for path, patterns in settings["yaml.schemas"].items():
        loaded = json.loads((root / path).read_text(encoding="utf-8"))
        result.update({pattern: loaded for pattern in patterns})
    return result


def schema_for(rel: str) -> dict[str, Any]:
    """The one schema the editors' settings give a content file (a glob's '*' stays within a folder)."""
    matches = [s for pattern, s in schemas_by_glob().items() if PurePosixPath(rel).match(pattern)]
    assert len(matches) == 1, f"{rel} matches {len(matches)} schemas"
    return matches[0]


def errors(instance: Any, rel: str) -> list[str]:
    """What the schema of ``rel`` says is wrong with ``instance``."""
    validator = jsonschema.Draft202012Validator(schema_for(rel))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def test_yaml_12_reads_dates_as_text_and_yes_as_a_word() -> None:
    assert load12("a: 2025-09-30\nb: 2026\nc: yes\nd: true\ne: 2025-09-30 23:59\n") == {
        "a": "2025-09-30", "b": 2026, "c": "yes", "d": True, "e": "2025-09-30 23:59"}


def test_every_milestone_kind_has_a_label_and_no_label_lacks_a_kind() -> None:
    assert tuple(KIND_LABELS) == schema.MILESTONE_KINDS


def test_committed_schemas_settings_and_docs_table_equal_what_the_code_generates() -> None:
    problems = Problems()
    files = schema_files.generated(PROJECT, load_config(PROJECT, problems).languages, problems)
    assert not problems, problems
    assert {"schemas/edition.schema.json", "docs/content.md", ".vscode/settings.json"} <= set(files)
    assert schema_files.stale(PROJECT, files) == [], "run 'python build.py schemas' and commit the result"


@pytest.mark.parametrize("name", sorted(p.name for p in (PROJECT / "schemas").glob("*.json")))
def test_each_schema_is_valid_in_2020_12_and_in_draft_07_which_the_yaml_language_server_checks(name: str) -> None:
    value = json.loads((PROJECT / "schemas" / name).read_text(encoding="utf-8"))
    assert value["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(value)
    jsonschema.Draft7Validator.check_schema(value)
    assert "$ref" not in json.dumps(value), "draft-07 ignores the keywords beside a $ref"


def test_the_schema_line_of_each_kind_points_at_its_schema_from_a_real_file() -> None:
    settings = json.loads((PROJECT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for path, (glob,) in settings.items():
        example = next(PROJECT.glob(glob))
        line = schema_json.modeline(glob, Path(path).name)
        target = (example.parent / line.split("$schema=", 1)[1]).resolve()
        assert target == (PROJECT / path).resolve(), (example, line)
        assert f"`{line}`" in (PROJECT / "docs/content.md").read_text(encoding="utf-8")


def _content_files(root: Path) -> list[str]:
    """Every .yaml file of a site's content, relative to the site."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*.yaml"))


@pytest.mark.parametrize("root", [PROJECT, SITES / "valid"], ids=["real", "sample"])
def test_every_content_file_is_valid_against_its_schema(root: Path) -> None:
    files = _content_files(root)
    assert len(files) >= 10
    problems = {rel: errors(load12((root / rel).read_text(encoding="utf-8")), rel) for rel in files}
    assert {rel: found for rel, found in problems.items() if found} == {}


def test_what_new_writes_is_valid_against_the_schemas(tmp_path: Path) -> None:
    site = copy_site("valid", tmp_path / "site")
    config = load_config(site, Problems())
    for args in (("lab", "x-lab", None), ("edition", "impact-lab", "2027"), ("person", "a-b", None),
                 ("partner", "p", None), ("news", "n", None), ("page", "q", None), ("faq", "f", None)):
        problems = Problems()
        plan = scaffold.plan(config, *args, dt.date(2025, 8, 1), problems)
        assert plan is not None, problems
        facts = next(rel for rel in plan.files if rel.endswith(".yaml"))
        assert errors(load12(plan.files[facts]), facts) == []


EDITION = "content/labs/impact-lab/2025.yaml"
PLACES = "content/places.yaml"
#: Mistakes: the file, the text replaced, its replacement and what the schema says.
BAD = {
    "unknown field (typo)": (EDITION, "mentors:", "mentros:", "Additional properties are not allowed ('mentros'"),
    "missing required field": (EDITION, "format: online\n", "", "'format' is a required property"),
    "wrong type": ("content/labs/impact-lab.yaml", "order: 1", "order: first", "'first' is not of type 'integer'"),
    "bad choice": (EDITION, "format: online", "format: offline", "'offline' is not one of ['in-person'"),
    "impossible month": (EDITION, "start: 2025-07-01\nend: open", "start: 2025-13-01\nend: open", "does not match"),
    "day first": ("content/news/open-call.yaml", "date: 2025-07-01", "date: 01.07.2025", "does not match"),
    "part of a year": (EDITION, "date: early 2025-09", "date: early 2025", "does not match"),
    "id that is not a slug": (EDITION, "places: [bishkek]", "places: [Bishkek]", "'Bishkek' does not match"),
    "milestone id with a space": (EDITION, "id: results", "id: the results", "'the results' does not match"),
    "unknown milestone kind": (EDITION, "kind: course", "kind: webinar", "'webinar' is not one of ['open_call'"),
    "milestone with both date and period": (EDITION, "    date: 2025-11\n", "    date: 2025-11\n    start: 2025-11\n",
                                            "should not be valid under {'required': ['date', 'start']}"),
    "open call without deadline": (EDITION, "    end: 2025-09-30 23:59\n", "\n", "'end' is a required property"),
    "draft: yes": (EDITION, "format: online", "format: online\ndraft: yes", "'yes' is not of type 'boolean'"),
    "web address without https": (EDITION, "https://labs.example.org/apply", "labs.example.org/apply", "does not match"),
    "edition without its year": ("content/news/open-call.yaml", "edition: impact-lab/2025", "edition: impact-lab",
                                 "'impact-lab' does not match"),
    "name in an unknown language": ("content/people/jane-doe.yaml", "  en: Jane Doe", "  de: Jane Doe",
                                    "Additional properties are not allowed ('de'"),
    "place id with a capital": (PLACES, "bishkek:", "Bishkek:", "'Bishkek' does not match"),
    "year after 2200": (EDITION, "start: 2025-07-01\nend: open", "start: 2300-07-01\nend: open", "does not match"),
    "year alone before 1900": ("content/news/open-call.yaml", "date: 2025-07-01", "date: 1899",
                               "1899 is less than the minimum of 1900"),
    "milestone id over 100 characters": (EDITION, "id: results", "id: " + "r" * 101, "is too long"),
}
#: Mistakes only the schema catches. None: the build reads YAML 1.2 as editors' tools do (``yes`` is a word).
ONLY_THE_SCHEMA: set[str] = set()


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_schema_and_check_both_reject_a_mistake(case: str, tmp_path: Path) -> None:
    rel, old, new, expected = BAD[case]
    site = tmp_path / "site"
    shutil.copytree(SITES / "valid", site)
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = errors(load12(path.read_text(encoding="utf-8")), rel)
    assert any(expected in message for message in found), found
    problems = Problems()
    load_content(load_config(site, problems), problems)
    rejected = any(p.path == rel for p in problems.errors)
    assert rejected != (case in ONLY_THE_SCHEMA), "check must reject what the schema rejects"


def test_schemas_check_reports_a_drifted_table_and_schemas_rewrites_it(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for rel in ("site_config.yaml", "docs/content.md", "schemas", ".vscode"):
        source, target = PROJECT / rel, root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    docs = root / "docs/content.md"
    docs.write_text(docs.read_text(encoding="utf-8").replace("| `order` | `.yaml` |  |", "| `order` | `.yaml` | **yes** |"),
                    encoding="utf-8")
    (root / "schemas/lab.schema.json").unlink()
    result = run_build(root, "schemas", "--check")
    assert result.returncode == 1
    assert "docs/content.md: error: differs from the field definitions in labsite/model/schema.py" in result.stderr
    assert "schemas/lab.schema.json: error: differs" in result.stderr
    assert run_build(root, "schemas").returncode == 0
    assert run_build(root, "schemas", "--check").returncode == 0
    assert docs.read_text(encoding="utf-8") == (PROJECT / "docs/content.md").read_text(encoding="utf-8")
