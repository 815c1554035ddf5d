"""Problems found in the input: values with a location, printed only by the command line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located at ``path:line``."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}\n    {self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        """Whether this problem stops a build."""
        return self.severity == ERROR


class Problems(list[Problem]):
    """A growing list of problems with shorthands for adding them."""

    def error(self, path: str | Path, line: int, message: str, hint: str = "") -> None:
        """Record an error."""
        self.append(Problem(str(path), line, message, hint, ERROR))

    def warn(self, path: str | Path, line: int, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.append(Problem(str(path), line, message, hint, WARNING))

    @property
    def errors(self) -> list[Problem]:
        """Only the errors."""
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Only the warnings."""
        return [p for p in self if not p.is_error]


class BuildFailed(Exception):
    """Raised with the problems that stopped a build; the command line prints them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


#: Up to this many choices are listed in full in a hint.
FEW = 8


def did_you_mean(word: str, choices: Iterable[str], few: int = FEW) -> str:
    """A hint for a word that names nothing: the closest known word, and the known words when they are few.

    The one helper for every look-up of an id, field, language, template or milestone.
    """
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    parts = [f"Did you mean '{close[0]}'?"] if close else []
    if options and (len(options) <= few or not close):
        shown = options if len(options) <= max(few, FEW) else [*options[:FEW], "…"]
        parts.append("Known: " + ", ".join(shown) + ".")
    return " ".join(parts)
