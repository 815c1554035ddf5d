"""Editors' mistakes: one message at the line of the mistake, with a hint; the command line explains itself."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from labsite.build.pipeline import Options
from labsite.commands.serve import Preview
from labsite.load.yamlsource import YamlError, parse_yaml
from tests.bad_inputs import edit, write
from tests.conftest import run_build

NOW = "2025-08-01"
EDITION = "content/labs/impact-lab/2025.yaml"
_MESSAGE = re.compile(r"^(\S[^:]*(?::\d+)?): (error|warning): (.*)$")


def messages(stderr: str) -> list[str]:
    """Every problem line the command line printed (hints left out), in order."""
    return [line for line in stderr.splitlines() if _MESSAGE.match(line)]


def hints(stderr: str) -> list[str]:
    """Every hint line, without its indentation."""
    return [line.strip() for line in stderr.splitlines() if line.startswith("    ")]


def remove(*relatives: str) -> Callable[[Path], None]:
    """A change that deletes files of the site."""
    def change(root: Path) -> None:
        for relative in relatives:
            (root / relative).unlink()
    return change


# Each case: the mistake, and the complete list of what `check` says about it.
ROOT_CAUSES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "one indentation mistake in an edition": (
        edit(EDITION, "\n    kind: open_call", "\n   kind: open_call"),
        [f"{EDITION}:11: error: the line starts further left than the lines of its block"]),
    "a line indented further than its block": (
        edit(EDITION, "\n    kind: open_call", "\n      kind: open_call"),
        [f"{EDITION}:11: error: the line starts further right than the line above it"]),
    "a name in one language indented by one space more": (
        edit("content/people/jane-doe.yaml", "  ru: Джейн Доу", "   ru: Джейн Доу"),
        ["content/people/jane-doe.yaml:3: error: the line starts further right than the line above it"]),
    "a field without its colon": (
        edit(EDITION, "format: online", "format online"),
        [f"{EDITION}:3: error: the line has no ':' after its field name"]),
    "a field without its colon in a text's front matter": (
        edit("content/pages/about.en.md", "title: About (en)", "title About (en)\nsummary: About us."),
        ["content/pages/about.en.md:2: error: the line has no ':' after its field name"]),
    "a tab at the start of a line": (
        edit(EDITION, "\n    start: 2025-07-01", "\n\tstart: 2025-07-01"),
        [f"{EDITION}:12: error: the line starts with a tab"]),
    "a malformed person that an edition lists": (
        edit("content/people/jane-doe.yaml", "organisation: acme", "organisation: [acme"),
        ["content/people/jane-doe.yaml:6: error: malformed YAML: did not find expected ',' or ']'"]),
    "a malformed edition that news and a FAQ refer to": (
        edit(EDITION, "faq: sample", "faq: sample: x"),
        [f"{EDITION}:8: error: a value holds ': ' outside quotes, which YAML reads as the start of another field"]),
    "a broken front matter in one language": (
        edit("content/labs/impact-lab/2025.ru.md", "schedule:", "schedule: ["),
        ["content/labs/impact-lab/2025.ru.md:8: error: malformed YAML: did not find expected ',' or ']'"]),
    "no settings file": (
        remove("site_config.yaml"),
        ["site_config.yaml: error: the site settings file is missing"]),
    "a schedule that is not a list": (
        edit(EDITION, "schedule:\n  - id: open-call", "schedule: tomorrow\nxschedule:\n  - id: open-call"),
        [f"{EDITION}:9: error: 'schedule' must be a list of milestones, each starting with '- id:'",
         f"{EDITION}:10: error: unknown field 'xschedule'"]),
    "an impossible deadline of an open call": (
        edit(EDITION, "end: 2025-09-30 23:59", "end: 2025-09-31 23:59"),
        [f"{EDITION}:13: error: '2025-09-31 23:59' is impossible: September 2025 has 30 days; write a day from 01 "
         "to 30"]),
}


@pytest.mark.parametrize("case", ROOT_CAUSES)
def test_each_mistake_gives_one_message_at_its_line(sample_site: Path, case: str) -> None:
    change, expected = ROOT_CAUSES[case]
    change(sample_site)
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [m for m in messages(result.stderr) if ": error: " in m] == expected, result.stderr


@pytest.mark.parametrize(("change", "message", "hint"), [
    (edit(EDITION, "mentors: [jane-doe]", "mentors: [jane-deo]"),
     f"{EDITION}:5: error: 'jane-deo' in 'mentors' does not exist", "Did you mean 'jane-doe'?"),
    (edit(EDITION, "places: [bishkek]", "places: [bishek]"),
     f"{EDITION}:4: error: unknown place 'bishek'", "Did you mean 'bishkek'? Known: bishkek."),
    (edit(EDITION, "faq: sample", "faq: smaple"),
     f"{EDITION}:8: error: unknown FAQ 'smaple'", "Did you mean 'sample'?"),
    (edit("content/people/jane-doe.yaml", "organisation: acme", "organisation: acne"),
     "content/people/jane-doe.yaml:5: error: unknown partner 'acne'", "Did you mean 'acme'?"),
    (edit("content/news/open-call.yaml", "edition: impact-lab/2025", "edition: impact-lab/2052"),
     "content/news/open-call.yaml:2: error: unknown edition 'impact-lab/2052'", "Did you mean 'impact-lab/2025'?"),
    (edit("content/labs/impact-lab/2025.en.md", "  course: Online", "  coarse: Online"),
     "content/labs/impact-lab/2025.en.md:7: error: no milestone 'coarse' in the edition's schedule",
     "Did you mean 'course'? Known: course, funding, open-call, participants, results."),
    (edit(EDITION, "format: online", "format: onlin"),
     f"{EDITION}:3: error: 'format: onlin' is not allowed", "Did you mean 'online'? Known: hybrid, in-person, online."),
    (edit(EDITION, "    kind: open_call", "    kind: open-call"),
     f"{EDITION}:11: error: 'kind: open-call' is not allowed", "Did you mean 'open_call'?"),
    (write("content/pages/about.fr.md", "---\ntitle: x\n---\n"),
     "content/pages/about.fr.md: error: unknown language suffix '.fr'", "Known: en, kk, ru."),
    (lambda root: (root / "content/news/open-call.ru.md").rename(root / "content/news/open-cal.ru.md"),
     "content/news/open-cal.ru.md: error: no facts file for 'open-cal'",
     "Did you mean 'open-call'? Rename the file open-call.ru.md, or create content/news/open-cal.yaml beside it"),
    (lambda root: (root / "content/news/open-cal.ru.md").write_bytes((root / "content/news/open-call.ru.md").read_bytes()),
     "content/news/open-cal.ru.md: error: no facts file for 'open-cal'",
     "Create content/news/open-cal.yaml beside it"),  # a copy: its text of the closest item is there, not renamed
    (write("content/pages/about.en - Copy.md", "---\ntitle: x\n---\n"),
     "content/pages/about.en - Copy.md: error: unknown language suffix '.en - Copy'",
     "It looks like a copy of about.en.md made by the file manager: delete it, or give it a name of its own."),
    (edit("site_config.yaml", "timezone: Asia/Almaty", "timezone: asia/almaty"),
     "site_config.yaml:10: error: unknown time zone 'asia/almaty'", "Did you mean 'Asia/Almaty'?"),
    (edit("site_config.yaml", "timezone: Asia/Almaty", "timezone: Asia/Bishek"),
     "site_config.yaml:10: error: unknown time zone 'Asia/Bishek'", "Did you mean 'Asia/Bishkek'?"),
    (edit("templates/page.html", "{% block main %}", "{% block main %}{% include '_head_link.html' %}"),
     "templates/page.html:5: error: the template '_head_link.html' is missing", "Did you mean '_head_links.html'?"),
])
def test_every_lookup_says_what_was_meant(sample_site: Path, change: Callable[[Path], None], message: str,
                                          hint: str) -> None:
    change(sample_site)
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert messages(result.stderr) == [message] or message in messages(result.stderr), result.stderr
    assert [m for m in messages(result.stderr) if ": error: " in m] == [message], result.stderr
    assert any(hint in line for line in hints(result.stderr)), result.stderr


def test_missing_translations_name_a_text_that_exists(sample_site: Path) -> None:
    remove("content/pages/about.en.md", "content/pages/about.kk.md")(sample_site)
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    about = [m for m in messages(result.stderr) if "about" in m]
    assert about == [
        "content/pages/about.en.md: warning: the source text (en) is missing; the translations have nothing to follow",
        "content/pages/about.kk.md: warning: missing translation; the source text content/pages/about.en.md is missing too",
    ]
    assert "Add content/pages/about.en.md first, or translate content/pages/about.ru.md into content/pages/about.kk.md." \
        in hints(result.stderr)


def test_check_finds_template_strings_missing_from_the_catalogue(sample_site: Path) -> None:
    edit("templates/base.html", "</footer>", "<p>{{ _('Newsletter') }}</p></footer>")(sample_site)
    line = next(n for n, text in enumerate((sample_site / "templates/base.html").read_text().splitlines(), 1)
                if "Newsletter" in text)
    result = run_build(sample_site, "check", "--now", NOW)
    assert result.returncode == 0
    assert [m for m in messages(result.stderr) if "Newsletter" in m] == [
        f"templates/base.html:{line}: warning: 'Newsletter' is not in locales/messages.pot, "
        "so no language can translate it"]
    assert run_build(sample_site, "i18n", "extract").returncode == 0
    assert run_build(sample_site, "i18n", "update").returncode == 0
    after = run_build(sample_site, "check", "--now", NOW)
    assert [m.split(": ", 1)[1] for m in messages(after.stderr) if "Newsletter" in m] == [
        "warning: 'Newsletter' is not translated (shown in English)"] * 2


def test_a_day_start_and_a_timed_end_name_the_time_zone(sample_site: Path) -> None:
    assert run_build(sample_site, "--now", NOW).returncode == 0
    page = (sample_site / "_site/en/labs/impact-lab/2025/index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)).replace("\u2009", " ").replace("\u202f", " ")
    assert "July 1, 2025 – September 30, 2025, 23:59 (Almaty, UTC+5)" in text


def test_an_article_with_a_time_has_a_full_machine_readable_moment(sample_site: Path) -> None:
    edit("content/news/open-call.yaml", "date: 2025-07-01", "date: 2025-07-01 10:30")(sample_site)
    assert run_build(sample_site, "--now", NOW).returncode == 0
    page = (sample_site / "_site/en/news/open-call/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-07-01T10:30+05:00">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    nodes = data.get("@graph", [data])
    assert [n["datePublished"] for n in nodes if "datePublished" in n] == ["2025-07-01T10:30+05:00"]


# --- the command line ---------------------------------------------------------------------------------

def test_version_and_help_for_every_option(sample_site: Path) -> None:
    version = run_build(sample_site, "--version")
    assert version.returncode == 0 and re.fullmatch(r"build\.py \(labsite\) \d+\.\d+\.\d+\n", version.stdout)
    for command in ("build", "check", "serve", "i18n", "server-config"):
        shown = run_build(sample_site, command, "--help")
        assert shown.returncode == 0
        # Each option is a block from its '  --name' line to the next: its help must say something.
        blocks = [b for b in re.split(r"\n(?=  -)", shown.stdout.split("options:", 1)[1]) if b.strip().startswith("-")]
        words = [re.sub(r"^\s*-[-\w]+(?: [A-Z_\[\]{}.,\-:\w]+?)?(?:, --[-\w]+(?: [A-Z_\w]+)?)?\s", "", b) for b in blocks]
        assert len(blocks) >= 4 and all(len(text.split()) >= 2 for text in words), (command, blocks)


def test_i18n_without_an_action_lists_the_actions(sample_site: Path) -> None:
    result = run_build(sample_site, "i18n")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: 'i18n' needs an action.")
    for action in ("extract", "update", "status", "mark FILE"):
        assert f"\n  {action} " in result.stderr


def test_the_preview_prints_its_warnings_in_full(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from labsite.model.timezones import zone

    moment = dt.datetime(2025, 8, 1, tzinfo=zone("Asia/Almaty"))
    preview = Preview(sample_site, lambda: Options(moment), write=False)
    assert preview.refresh()
    printed = capsys.readouterr().err
    assert "content/partners/acme.kk.md: warning: missing translation of content/partners/acme.en.md" in printed
    assert re.search(r"^\d+ warning\(s\)\.$", printed, re.M)
    assert "lists them" not in printed


#: Broken YAML as editors write it, with the line and the message each must get.
YAML_MISTAKES = {
    "a name without its colon above its languages": ("name\n  en: Amy\n  ru: Эми\n", 1, "the line has no ':'"),
    "a field without the space after its colon": ("title: X\nformat:online\nplaces: [a]\n", 2,
                                                  "the line has no space after the ':' of its field name"),
    "a wrapped text with a colon": ("title: X\nsummary: A lab for producers\n  and directors: those who\n", 3,
                                    "a value holds ': ' outside quotes"),
    "a field two spaces too far right": ("schedule:\n  - id: call\n    title: Apply\n      kind: deadline\n", 4,
                                         "the line starts further right than the line above it"),
    "a new item one space too far right": ("schedule:\n  - id: a\n    place: b\n   - id: extra\n", 4,
                                           "the line starts further right than the lines of its block"),
    "an item one space too far left": ("a:\n  b:\n      - x\n     - y\n", 4,
                                       "the line starts further left than the lines of its block"),
    "a tab inside a block of text, the colon missing below": ("bio: |\n  a\n  \tb\ntitle x\nname: y\n", 4,
                                                              "the line has no ':'"),
}


@pytest.mark.parametrize("case", YAML_MISTAKES)
def test_a_yaml_mistake_is_told_at_the_line_to_fix(case: str) -> None:
    text, line, message = YAML_MISTAKES[case]
    with pytest.raises(YamlError) as raised:
        parse_yaml(text)
    assert (raised.value.line, raised.value.message[:len(message)]) == (line, message)


@pytest.mark.parametrize(("text", "spaces"), [("schedule:\n  - id: a\n    place: b\n   - id: extra\n", 2),
                                              ("a:\n  b:\n      - x\n     - y\n", 6),
                                              ("links:\n  - title: A\n    url: a\n   - title: B\n", 2)])
def test_a_list_item_out_of_line_is_told_where_its_list_starts(text: str, spaces: int) -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml(text)
    assert f"start it with {spaces} spaces" in raised.value.hint

