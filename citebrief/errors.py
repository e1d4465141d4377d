"""Problems with a source location, and the one exception the library raises."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file; line and column count from 1."""

    path: str
    """Path relative to the project root, with forward slashes."""
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, what, and how to fix it."""

    location: Location
    severity: Severity
    message: str
    hint: str = ""
    code: str = ""
    """A short stable name for the class of problem (e.g. 'quote-not-found')."""
    fact: str = ""
    """The id of the fact the problem is about, when there is one (for `acknowledge:`)."""
    subject: str = ""
    """The id a reference problem is about ('unknown-fact'), so that a reference to
    something whose own file failed is not reported a second time."""


def in_quotes(text: object) -> str:
    """User text as a message shows it: in single quotes, its whitespace collapsed to single
    spaces (a line break in a quote reads as a space), never Python's escapes ('nearly\\n80')."""
    return "'" + " ".join(str(text).split()) + "'"


def error(
    location: Location, code: str, message: str, hint: str = "", subject: str = ""
) -> Problem:
    return Problem(location, Severity.ERROR, message, hint, code, subject=subject)


def warning(location: Location, code: str, message: str, hint: str = "", fact: str = "") -> Problem:
    return Problem(location, Severity.WARNING, message, hint, code, fact)


class CitebriefError(Exception):
    """A failure the user can fix (bad usage, missing project files); printed as one line."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ProblemsFound(CitebriefError):
    """Raised when a stage cannot go on because the input has errors. The problems are
    printed located; ``message``, when not empty, is a summary that adds to them."""

    def __init__(
        self,
        problems: list[Problem],
        message: str = "the input has errors",
        texts: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = problems
        self.texts = texts or {}
