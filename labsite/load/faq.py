"""FAQ text: ``# Section {#id}`` and ``## Question {#id}`` headings with answers between them."""

from __future__ import annotations

import re

from ..model.items import Question, Section
from ..model.problems import Problems
from .fields import is_slug, slug_hint

_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*$")
_ID = re.compile(r"\{#([^}]*)\}\s*$")


def parse_faq(body: str, first_line: int, path: str, problems: Problems) -> tuple[Section, ...]:
    """Split a FAQ body into sections of questions, checking that every heading has an id."""
    sections: list[Section] = []
    seen: set[str] = set()
    section: tuple[str, str, int] | None = None
    questions: list[Question] = []
    question: tuple[str, str, int] | None = None
    answer: list[str] = []

    def close_question() -> None:
        nonlocal question
        if question:
            questions.append(Question(question[0], question[1], "".join(answer).strip() + "\n", question[2]))
        question = None
        answer.clear()

    def close_section() -> None:
        close_question()
        if section:
            sections.append(Section(section[0], section[1], tuple(questions), section[2]))
        questions.clear()

    in_fence = False
    for offset, raw in enumerate(body.splitlines(keepends=True)):
        line = first_line + offset
        if raw.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(raw)
        if not match:
            if question:
                answer.append(raw)
            elif raw.strip():
                where = "question" if section else "section"
                problems.error(path, line, f"text outside any {where}",
                               "Start the FAQ with '# Section {#section-id}' and put each answer "
                               "under '## Question? {#question-id}'.")
            continue
        level, heading = len(match.group(1)), match.group(2)
        found = _ID.search(heading)
        title = _ID.sub("", heading).strip()
        anchor = found.group(1) if found else ""
        if not found:
            problems.error(path, line, f"the heading '{title}' has no id",
                           "End it with a stable id in braces, e.g. {#what-is-impact}.")
        elif not is_slug(anchor):
            problems.error(path, line, f"'{anchor}' is not a valid id", slug_hint(anchor))
        elif anchor in seen:
            problems.error(path, line, f"the id '{anchor}' is used twice in this file", "Give every heading its own id.")
        seen.add(anchor)  # a heading with a wrong id still opens its section or question: its text is no mistake
        if level == 1:
            close_section()
            section = (anchor, title, line)
        elif section is None:
            problems.error(path, line, "a question before the first section", "Add '# Section {#id}' above it.")
        else:
            close_question()
            question = (anchor, title, line)
    close_section()
    return tuple(sections)
