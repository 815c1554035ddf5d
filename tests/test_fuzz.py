"""Fuzzing: content files mutated at random must end in exit 0 or 1 with messages, never in a traceback.

FUZZ_EXAMPLES sets how many mutated sites are checked (default 150, about a minute on the build machine).
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import build as command_line
from tests.conftest import copy_site
from tests.test_build import NOW

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
#: Pieces that have broken builds before, or nearly: dates, YAML tricks, HTML, Markdown nesting, odd characters.
PIECES = [
    "0000-01-01", "9999-12-31 23:59", "2200-12-31", "23:59", "NO", "yes", "off", "010", "1_000", "0x1f", ".inf",
    "&a [x, y]", "*a", "<<: *a", "!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "? [a, b]\n: c",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![x](data:x)",
    "{: onclick=\"x\" }", "<a href=\"java\tscript:x\">x</a>", "{% include 'page.html' %}", "{{ 1//0 }}",
    "---", "---\n", ":", ": :", "- ", "- - -", "\t", "    " * 30 + "- x", ">" * 60, "[" * 200, "*" * 200, "#" * 7,
    "## Q {#q}", "## Q {#}", "{#}", "draft: true", "publish_date: 2999-01-01", "publish_date: early 2025-09",
    "slug: " + "a" * 150, "slug: ../x", "id: " + "b" * 120, "date: 2025-02-30", "end: open", "start: 2025",
    "kind: open_call", "\x00", "\ufeff", "\u2028", "é", "Қазақ тілі", "'", "\"", "%", "\\", "&amp;", "|\n  x", ">-\n  y",
]
CONTENT = [
    "content/labs/impact-lab.yaml", "content/labs/impact-lab.en.md", "content/labs/impact-lab/2025.yaml",
    "content/labs/impact-lab/2025.en.md", "content/labs/impact-lab/2024.yaml", "content/news/open-call.yaml",
    "content/news/open-call.en.md", "content/pages/about.en.md", "content/pages/about.yaml",
    "content/people/jane-doe.yaml", "content/people/jane-doe.en.md", "content/partners/acme.yaml",
    "content/faq/sample.en.md", "content/faq/sample.yaml", "content/places.yaml",
]

piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=40))
mutation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10_000), piece),
    st.tuples(st.just("replace line"), st.integers(0, 200), piece),
    st.tuples(st.just("delete lines"), st.integers(0, 200), st.integers(1, 5)),
    st.tuples(st.just("repeat line"), st.integers(0, 200), st.integers(2, 40)),
    st.tuples(st.just("truncate"), st.integers(0, 10_000), st.just("")),
)


def mutate(text: str, change: tuple[object, ...]) -> str:
    """``text`` with one change applied."""
    kind, where, what = change
    assert isinstance(where, int)
    lines = text.splitlines(keepends=True) or [""]
    line = where % len(lines)
    if kind == "insert":
        at = where % (len(text) + 1)
        return text[:at] + str(what) + text[at:]
    if kind == "replace line":
        return "".join([*lines[:line], str(what) + "\n", *lines[line + 1:]])
    if kind == "delete lines":
        assert isinstance(what, int)
        return "".join([*lines[:line], *lines[line + what:]])
    if kind == "repeat line":
        assert isinstance(what, int)
        return "".join([*lines[:line], *[lines[line]] * what, *lines[line + 1:]])
    return text[: where % (len(text) + 1)]


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample site built once; each example changes its files and puts them back."""
    root = copy_site("valid", tmp_path_factory.mktemp("fuzz") / "site")
    assert command_line.main(["build", "--root", str(root), "--now", NOW]) == 0
    return root


RUNS: list[int] = []


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(CONTENT), st.lists(mutation, min_size=1, max_size=3)),
                      min_size=1, max_size=3),
       command=st.sampled_from(["check", "check", "build"]))
def test_mutated_content_never_ends_in_a_traceback(fuzz_site: Path, files: list[tuple[str, list[tuple[object, ...]]]],
                                                   command: str) -> None:
    saved = {rel: (fuzz_site / rel).read_bytes() for rel, _ in files}
    try:
        for rel, changes in files:
            text = (fuzz_site / rel).read_text(encoding="utf-8")
            for change in changes:
                text = mutate(text, change)
            (fuzz_site / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = command_line.main([command, "--root", str(fuzz_site), "--now", NOW])
        RUNS.append(code)
        stderr = err.getvalue()
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        if code == 1:
            assert ": error: " in stderr or stderr.startswith("error: "), stderr
        assert not [p.name for p in fuzz_site.iterdir() if p.name.startswith(".") and p.name != ".cache"]
    finally:
        for rel, data in saved.items():
            (fuzz_site / rel).write_bytes(data)


def test_fuzz_figures(capsys: pytest.CaptureFixture[str]) -> None:
    # Runs after the fuzz test in this module: the figures for the record (pytest -s shows them).
    if RUNS:
        with capsys.disabled():
            print(f"\nfuzz: {len(RUNS)} runs, {RUNS.count(0)} exit 0, {RUNS.count(1)} exit 1, 0 tracebacks")
