"""Every bad input of tests/bad_inputs.py: exactly the expected messages, the exit status, no traceback,
nothing outside the output folder changed, the previous site untouched when the build fails, no leftovers."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest

import build as command_line
from labsite.load import markup, sanitize
from labsite.load.yamlsource import YamlError, parse_yaml
from tests.bad_inputs import CASES, Case, deep_list
from tests.conftest import PROJECT, copy_site
from tests.test_build import NOW

PROBLEM = re.compile(r"^(?:\S[^\n]*?: (?:error|warning): |error: )")


def tree(root: Path) -> dict[str, str]:
    """Every file and link below ``root`` with a hash of its bytes (a link: where it leads); links are not followed.

    The build cache is left out: it is no part of the project, and a failed build may still fill it.
    """
    found = {}
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root and ".cache" in dirs:
            dirs.remove(".cache")
        for name in [*dirs, *files]:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def messages(stderr: str, root: Path) -> list[str]:
    """The first line of every problem and one-line error, with the project folder written as <root>."""
    return [line.replace(str(root), "<root>") for line in stderr.splitlines() if PROBLEM.match(line)]


def order(line: str) -> tuple[bool, str, int]:
    """The order the command line prints problems in: errors first, then by file and line."""
    match = re.match(r"^(.*?)(?::(\d+))?: (error|warning): ", line)
    if not match:
        return False, line, 0
    return match[3] != "error", match[1], int(match[2] or 0)


def run(root: Path, case: Case, command: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run one command on ``root``: in-process through build.main, or as a real subprocess."""
    args = [*command.split(), *case.args, "--root", str(root)]
    if "--now" not in case.args and not dict(case.env).get("SOURCE_DATE_EPOCH"):
        args += ["--now", NOW]
    if case.subprocess:
        env = {**os.environ, **dict(case.env)}
        limit = int(env.pop("LIMIT_FSIZE", "0"))

        def limit_file_size() -> None:
            if limit:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        result = subprocess.run([sys.executable, str(PROJECT / "build.py"), *args], capture_output=True, text=True,
                                env=env, timeout=120, preexec_fn=limit_file_size, check=False)
        return result.returncode, result.stderr
    with monkeypatch.context() as patched:
        if case.patch:
            case.patch(patched)
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = command_line.main(args)
    return code, err.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The sample site built once, with the warnings it always has."""
    root = copy_site("valid", tmp_path_factory.mktemp("base") / "site")
    code, stderr = run(root, Case(lambda r: None, ()), "build", pytest.MonkeyPatch())
    assert code == 0, stderr
    return root, set(messages(stderr, root))


def output_text(root: Path) -> str:
    """Every file of the built site, as one text."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted((root / "_site").rglob("*")) if p.is_file())


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name: str, base: tuple[Path, set[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    original, usual = base
    root = tmp_path / "site"
    shutil.copytree(original, root, symlinks=True)
    case.change(root)
    site_before = tree(root / "_site")
    for command, status in case.runs:
        before = tree(root)
        code, stderr = run(root, case, command, monkeypatch)
        assert code == status, stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        expected = case.messages + (case.check_messages if command.startswith("check") else ())
        assert [m for m in messages(stderr, root) if m not in usual] == sorted(expected, key=order), stderr
        # The build cache (.cache/) is kept on purpose; nothing else hidden may stay.
        assert not [p.name for p in root.iterdir() if p.name.startswith(".") and p.name != ".cache"], \
            "a temporary file was left behind"
        after = tree(root)
        if status == 0:
            changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
            assert {k for k in changed if not k.startswith("_site/") and k != "calendar_state.json"} == set()
            site_before = tree(root / "_site")
        else:
            assert after == before, "a failed command changed the project"
            assert tree(root / "_site") == site_before
        if command == "build" and status == 1:
            assert "The previously built site is unchanged." in stderr or "--port" in stderr or "--now" in stderr \
                or "SOURCE_DATE_EPOCH" in stderr
    if case.absent or case.present:
        text = output_text(root)
        for absent in case.absent:
            assert absent not in text
        for present in case.present:
            assert present in text


def test_ctrl_c_during_the_swap_is_held_until_the_new_site_is_in_place(sample_site: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # A real SIGINT arrives between the two renames: the swap and the state file are finished first, then it stops.
    import signal

    from labsite.outputs import writer as output

    code, _ = run(sample_site, Case(lambda r: None, ()), "build", monkeypatch)
    assert code == 0
    real = output.swap_in

    def swap_in(staging: Path, target: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real(staging, target)
    (sample_site / "content/pages/about.en.md").write_text("---\ntitle: About (en)\n---\nNew text.\n", encoding="utf-8")
    monkeypatch.setattr(output, "swap_in", swap_in)
    code, stderr = run(sample_site, Case(lambda r: None, ()), "build", monkeypatch)
    assert code == 130 and "Interrupted" in stderr and "Traceback" not in stderr
    assert "New text." in (sample_site / "_site/en/about/index.html").read_text(encoding="utf-8")
    assert not [p.name for p in sample_site.iterdir() if p.name.startswith(".") and p.name != ".cache"]


def test_nesting_is_counted_as_the_converter_reads_it_whatever_the_indentation() -> None:
    """Lists nest by two spaces as well as four, and markers and quotes can open levels on one line."""
    from labsite.load.textcheck import too_deep_at
    by_two = "\n".join("  " * level + "- item" for level in range(30))
    assert too_deep_at(deep_list(21)) == too_deep_at(by_two) == 20  # the 21st list opens on the 21st line
    assert too_deep_at(deep_list(20)) is None and too_deep_at(">" * 20 + " quoted") is None
    assert too_deep_at("Intro\n\n" + " 1. >" * 25 + " x") == 2
    assert too_deep_at("Text\n\n" + " " * 60 + "code, indented far") is None


@pytest.mark.parametrize("text", [
    "plain *text* with a [link](https://example.org/?a=1&b=2 \"Title\") and a [page](/en/about/#team)",
    "| a | b |\n|:-|-:|\n| 1 | 2 |", "line  \nbreak\n\n---\n\n1. one\n2. two", "`<b>` in code and <b>bold</b> <br/>",
    "[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](java&#9;script:alert(1))", "[x](data:text/html,hi)",
    "<B>upper</B>", "<b onclick=\"x()\">b</b>", "<p\xa0>nbsp</p>", "<div>\n<b\u2003>em space</b>\n</div>",
    "<b\x0b>tab</b>", "<p>Logo: <![logo](/logo.png)></p>", '<a href="https://x.org" target="_blank">x</a>', "<!-- note -->",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<b title=\"a>b\">x</b>", "3. three\n4. four",
    '<a href="/x" title="t" rel="r">x</a>', '<td align="center">cell</td>', '<td align="justify">cell</td>',
])
def test_what_cleaning_drops_is_found_alike_with_or_without_parsing(text: str) -> None:
    """The quick way of finding nothing to drop agrees with parsing the HTML, on safe and unsafe texts alike."""
    html = markup.convert(text)
    assert sanitize.dropped_parts(html) == sanitize.parsed_dropped_parts(html)
    assert sanitize.dropped_parts(text) == sanitize.parsed_dropped_parts(text)


def test_markdown_is_commonmark_with_tables_and_raw_html_cleaned() -> None:
    """The Markdown editors know from GitHub, raw HTML cleaned, and a text far too deep still converted, not crashed."""
    text = ("Intro\n- one\n  - nested\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"
            "~~old~~ <b>bold</b> <script>alert(1)</script> www.example.org [x](javascript:alert(1))\n")
    html = markup.to_html(text)
    assert "<p>Intro</p>\n<ul>\n<li>one\n<ul>\n<li>nested</li>" in html
    assert "<th>a</th>" in html and '<td align="center">2</td>' in html
    assert "<del>old</del> <b>bold</b>" in html and '<a href="http://www.example.org">www.example.org</a>' in html
    assert markup.to_html("3~5 days, 10~20 people") == "<p>3~5 days, 10~20 people</p>\n"
    assert "script" not in html and "alert" not in html and "javascript" not in html
    assert [part.message for part in markup.dropped(text)] == [
        "the HTML tag <script> is not shown on the page",
        "the address 'javascript:alert(1)' is removed: only http, https, mailto and tel addresses and addresses "
        "on this site are kept"]
    deep = markup.to_html(deep_list(300))
    assert deep.count("<ul>") == 300 and markup.to_html(text) == html


def resident_bytes() -> int:
    """How much memory this process holds now (not its peak)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_markdown_converted_again_and_again_holds_no_more_memory() -> None:
    """cmarkgfm's own call never frees the document's tree nor the HTML (about 60 KB a text here): a preview that
    converts edited texts for hours, and the workers of a large build, would grow without end."""
    text = "\n\n".join(f"## Part {n}\n\nSome *text* and [a link](https://example.org/{n}).\n\n- one\n- two\n\n"
                       f"| a | b |\n|---|---|\n| {n} | x |" for n in range(40))
    cmarkgfm_html = cmarkgfm.markdown_to_html_with_extensions(text, options=markup._OPTIONS,
                                                              extensions=list(markup._EXTENSIONS))
    assert markup.convert(text) == cmarkgfm_html and "<table>" in cmarkgfm_html
    before = resident_bytes()
    for _ in range(2000):
        markup.convert(text)
    assert resident_bytes() - before < 20_000_000  # leaking, 2,000 conversions would hold over 100 MB more


@pytest.mark.parametrize("first_line", [1, 2])
def test_a_character_yaml_refuses_is_found_at_its_line_after_letters_of_two_bytes(first_line: int) -> None:
    """YAML's reader counts a refused character's place in bytes: the line is found from the character itself."""
    text = "a: Жаңа Жаңа Жаңа\nb: Қазақстан Қазақстан\nc: x\x0cy\nd: 1\n"
    with pytest.raises(YamlError) as raised:
        parse_yaml(text, first_line=first_line)
    assert (raised.value.line, raised.value.message) == (
        first_line + 2, "the line holds a character YAML does not allow (U+000C)")


def test_a_colon_in_a_value_is_explained_with_quotes() -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml("title: Apply by 5 August: the form\n")
    assert raised.value.line == 1 and "must be in quotes" in raised.value.hint


def test_a_quoted_true_or_false_is_told_to_lose_its_quotes(sample_site: Path) -> None:
    news = sample_site / "content/news/open-call.yaml"
    news.write_text(news.read_text(encoding="utf-8") + 'draft: "false"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "check", "--root", str(sample_site)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Write false without quotes." in result.stderr, result.stderr
