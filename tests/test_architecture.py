"""The code's shape: stages as folders, imports that point down, one pipeline, an output that changes only on purpose."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from labsite.build.incremental import rebuild, scan
from labsite.build.run import Options, build_site
from labsite.model.problems import BuildFailed
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


def _empty_container(node: ast.expr | None) -> bool:
    """Whether an expression makes an empty dict, list or set: state that functions would fill."""
    if isinstance(node, (ast.Dict, ast.List, ast.Set)):
        return not (getattr(node, "keys", None) or getattr(node, "elts", None))
    return (isinstance(node, ast.Call) and not node.args and not node.keywords
            and getattr(node.func, "id", "") in {"dict", "list", "set", "defaultdict", "OrderedDict"})


def test_no_module_keeps_state_between_builds() -> None:
    """No module-level containers filled as a build goes, and no ``global``: each stage returns new values."""
    found = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            if _empty_container(value):
                found.append(f"{name}:{node.lineno}")
        found += [f"{name} global {', '.join(node.names)}" for node in ast.walk(tree) if isinstance(node, ast.Global)]
    # The one exception: fork_map hands its task to the forked workers through the module for the length of one
    # call (the workers inherit it instead of receiving it pickled), and clears it in ``finally``.
    assert found == ["labsite.load.workers global _TASK, _ITEMS"]


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


def _touch(path: Path) -> None:
    """Give an edited file a later modification time than any scan has seen."""
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)


#: Changes to content files, each followed by an incremental rebuild that must equal a cold one.
CHANGES = {
    "an edited text": lambda root: (root / "content/people/jane-doe.en.md").write_text(
        "---\nrole: Director\n---\nJane's new biography.\n", encoding="utf-8"),
    "a new item": lambda root: [(root / "content/news/new-call.yaml").write_text("date: 2025-07-20\n", encoding="utf-8"),
                                (root / "content/news/new-call.en.md").write_text(
                                    "---\ntitle: A brand new call\nsummary: Apply now.\n---\nBody.\n", encoding="utf-8")],
    "a new translation": lambda root: (root / "content/partners/acme.ru.md").write_text("Партнёр.\n", encoding="utf-8"),
    "a removed translation": lambda root: (root / "content/people/jane-doe.ru.md").unlink(),
    "a renamed item": lambda root: [(root / "content/news/new-call.yaml").rename(root / "content/news/newer-call.yaml"),
                                    (root / "content/news/new-call.en.md").rename(root / "content/news/newer-call.en.md")],
    "a referenced name": lambda root: (root / "content/partners/acme.yaml").write_text("name: ACME Pictures\n",
                                                                                       encoding="utf-8"),
    "a referenced item removed": lambda root: [(root / "content/partners/acme.yaml").unlink(),
                                               (root / "content/partners/acme.en.md").unlink(),
                                               (root / "content/partners/acme.ru.md").unlink()],
    "the reference fixed": lambda root: [(root / "content/people/jane-doe.yaml").write_text(
        "name:\n  en: Jane Doe\n  ru: Джейн Доу\n  kk: Джейн Доу\n", encoding="utf-8"),
        (root / "content/labs/impact-lab/2025.yaml").write_text(
            (root / "content/labs/impact-lab/2025.yaml").read_text(encoding="utf-8").replace("partners: [acme]\n", ""),
            encoding="utf-8")],
    "a removed item": lambda root: [(root / "content/news/newer-call.yaml").unlink(),
                                    (root / "content/news/newer-call.en.md").unlink()],
}


def test_content_is_read_again_only_where_it_changed_and_equals_a_cold_build(sample_site: Path) -> None:
    """After each change the preview re-reads only the items whose files changed, and its output equals a cold build."""
    now = dt.datetime(2025, 8, 1, 12, 0, tzinfo=zone("Asia/Almaty"))
    current = rebuild(sample_site, Options(now), None, scan(sample_site))
    for name, change in CHANGES.items():
        before = scan(sample_site)
        change(sample_site)
        for path in (sample_site / "content").rglob("*"):
            if path.is_file() and before.get(path.relative_to(sample_site).as_posix()) == scan_stamp(path):
                continue
            if path.is_file():
                _touch(path)
        try:
            cold = rebuild(sample_site, Options(now), None, scan(sample_site))
        except BuildFailed as failed:  # the preview keeps its last good build, and says the same as a build
            with pytest.raises(BuildFailed) as warm:
                rebuild(sample_site, Options(now), current, scan(sample_site))
            assert warm.value.problems == failed.problems, f"after {name}"
            continue
        previous, current = current, rebuild(sample_site, Options(now), current, scan(sample_site))
        assert current.files == cold.files, f"after {name}"
        assert current.site.problems == cold.site.problems, f"after {name}"
        # The about page was never touched: it is the same item, not read again.
        assert previous.site.read and current.site.read
        kept = ("pages", "about")
        assert current.site.read.items[kept] is previous.site.read.items[kept], f"after {name}"


def scan_stamp(path: Path) -> tuple[int, int]:
    """A file's stamp as :func:`scan` records it."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


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
