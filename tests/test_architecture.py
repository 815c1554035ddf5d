"""The code's shape: stages as folders, imports that point down, one pipeline, an output that changes only on purpose."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

from labsite.build.incremental import rebuild, scan
from labsite.build.run import Options, build_site
from labsite.model.timezones import zone
from tests.conftest import PROJECT, run_build

PACKAGE = PROJECT / "labsite"
#: The stages, lowest first: a module may import from its own stage and the ones before it.
STAGES = ("model", "load", "i18n", "present", "outputs", "build", "commands")
#: The real site's output at a fixed moment (with the locked dependencies). A change to content, templates,
#: catalogues or the generator that changes any output file changes this digest: update it on purpose,
#: with the new value the failing test prints, and say in the commit what changed in the output.
REAL_SITE_NOW = "2025-09-20T10:00"
REAL_SITE_DIGEST = PROJECT / "tests" / "real_site.sha256"


def module_name(path: Path) -> str:
    """``labsite/load/content.py`` → ``labsite.load.content``."""
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The labsite modules that ``path`` imports, at any depth of the file (functions and type checks too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        if target.startswith("labsite"):
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def stage_of(name: str) -> int:
    """The position of a module's stage; -1 for the package itself."""
    parts = name.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 else -1


def test_every_module_lives_in_a_stage_and_every_stage_says_what_it_does() -> None:
    for name, path in modules().items():
        parts = name.split(".")
        if path.name == "__init__.py" and len(parts) == 2:
            assert parts[1] in STAGES, name
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert doc and "\n" not in doc, f"{name}: one line saying what the stage does"
        elif len(parts) > 2:
            assert parts[1] in STAGES, name
        else:
            assert name == "labsite", f"{name}: every module belongs to a stage's folder"


def test_imports_point_down_and_never_in_a_circle() -> None:
    known = modules()
    graph = {name: {target for target in imports_of(path) if target in known and target != name}
             for name, path in known.items()}
    upward = sorted((a, b) for a, targets in graph.items() for b in targets if stage_of(b) > stage_of(a) >= 0)
    assert upward == []
    # Within a stage, a depth-first walk finds any circle.
    state: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            assert state.get(target) != 1, f"import cycle: {' -> '.join((*trail, name, target))}"
            if target not in state:
                visit(target, (*trail, name))
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, ())


def test_no_module_is_over_300_lines() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def test_a_build_is_the_previews_rebuild_from_nothing(sample_project: Path) -> None:
    now = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))
    checked = build_site(sample_project, Options(now), write=False)
    preview = rebuild(sample_project, Options(now), None, scan(sample_project))
    assert checked.files == preview.files
    assert sorted(page.output_path for page in checked.pages) == sorted(preview.pages)


def test_an_edit_rebuilt_incrementally_equals_a_cold_build(sample_site: Path) -> None:
    now = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))
    first = rebuild(sample_site, Options(now), None, scan(sample_site))
    person = sample_site / "content/people/jane-doe.en.md"
    person.write_text(person.read_text(encoding="utf-8").replace("---\n", "---\n", 1) + "\nA new line.\n",
                      encoding="utf-8")
    os.utime(person, ns=(person.stat().st_mtime_ns + 10**9,) * 2)
    warm = rebuild(sample_site, Options(now), first, scan(sample_site))
    cold = rebuild(sample_site, Options(now), None, scan(sample_site))
    assert warm.rendered < cold.rendered  # only the pages that show the person were rendered again
    assert warm.files == cold.files


def site_digest(folder: Path) -> str:
    """One hash of every output file's path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def test_the_real_site_builds_the_recorded_output(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for name in ("content", "templates", "static", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    for name in ("site_config.yaml", "calendar_state.json"):
        shutil.copy(PROJECT / name, root / name)
    result = run_build(root, "--now", REAL_SITE_NOW)
    assert result.returncode == 0, result.stderr
    recorded = REAL_SITE_DIGEST.read_text(encoding="utf-8").split()[0]
    assert site_digest(root / "_site") == recorded, (
        f"the real site's output changed; if that is intended, write {site_digest(root / '_site')} "
        f"into tests/{REAL_SITE_DIGEST.name}")
