"""Problems with a source location, and the one exception the library raises."""

from __future__ import annotations

import unicodedata
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
        return f"{_visible(self.path)}:{self.line}:{self.column}"


def _visible(path: str) -> str:
    """A path as one line: a control character in a file name (a line break) is shown as an
    escape, as git quotes such names, so 'file:line:col' stays one line a tool can parse."""
    return "".join(
        _ESCAPES.get(c, f"\\x{ord(c):02x}") if ord(c) < 0x20 or ord(c) == 0x7F else c for c in path
    )


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """The registry: every class of problem citebrief reports, by a short stable name.

    A code is what CI, `--format json` and `acknowledge:` match on; ``error()`` and
    ``warning()`` refuse a code that is not listed here, so none is ever a typo."""

    ACKNOWLEDGEMENT_UNUSED = "acknowledgement-unused"
    ACKNOWLEDGE_UNKNOWN = "acknowledge-unknown"
    ARCHIVE_EDITED = "archive-edited"
    BROKEN_REFERENCE = "broken-reference"
    CELL_MISMATCH = "cell-mismatch"
    CHART_DATA = "chart-data"
    CHART_LABELS = "chart-labels"
    CHART_LABEL_SUBJECT = "chart-label-subject"
    TABLE_ROW_SUBJECT = "table-row-subject"
    CHART_NAME = "chart-name"
    CHART_UNITS = "chart-units"
    CITATION_QUOTE_OR_CELL = "citation-quote-or-cell"
    CITES_THE_FUTURE = "cites-the-future"
    CONTROL_CHARACTER = "control-character"
    CROSS_REFERENCE = "cross-reference"
    CURRENCY_MISMATCH = "currency-mismatch"
    DERIVED_CONTRADICTS = "derived-contradicts"
    DERIVED_INPUT = "derived-input"
    FORMULA_ONE_INPUT = "formula-one-input"
    FORMULA_ORDER = "formula-order"
    FORMULA_REPEATS = "formula-repeats"
    FORMULA_SHAPE = "formula-shape"
    FORMULA_SUBJECT = "formula-subject"
    FORMULA_UNITS = "formula-units"
    OLD_FORMULA = "old-formula"
    SHARE_PART_OUTSIDE = "share-part-outside"
    SHARE_RANGE = "share-range"
    DISAGREEMENT_AGREES = "disagreement-agrees"
    DISAGREEMENT_WITHOUT_FIGURE = "disagreement-without-figure"
    DISK_FULL = "disk-full"
    DUPLICATE_ENTITY_ID = "duplicate-entity-id"
    DUPLICATE_FACT_ID = "duplicate-fact-id"
    DUPLICATE_ID = "duplicate-id"
    DUPLICATE_SOURCE_ID = "duplicate-source-id"
    DUPLICATE_UNIT_ID = "duplicate-unit-id"
    EDITION_BEFORE_PUBLISHED = "edition-before-published"
    EDITION_CHANGED = "edition-changed"
    EDITION_DAMAGED = "edition-damaged"
    EDITION_UNFINISHED = "edition-unfinished"
    FRONT_MATTER_REFERENCE = "front-matter-reference"
    FRONT_MATTER_UNCITED = "front-matter-uncited"
    EMPTY_FIELD = "empty-field"
    EMPTY_BODY = "empty-body"
    ENCODING = "encoding"
    EVIDENCE_MOVED = "evidence-moved"
    FIGURE_NOT_ASSERTED = "figure-not-asserted"
    FIGURE_OF_ANOTHER_SUBJECT = "figure-of-another-subject"
    FOOTNOTE = "footnote"
    FRONT_MATTER = "front-matter"
    ID_IN_READER_TEXT = "id-in-reader-text"
    IMAGE = "image"
    LINKED_FOLDER = "linked-folder"
    LINKED_REFERENCE = "linked-reference"
    LINK_TARGET = "link-target"
    LITERAL_QUANTITY = "literal-quantity"
    LOW_RELIABILITY_ONLY = "low-reliability-only"
    MEASURE_KIND = "measure-kind"
    MEASURE_MISMATCH = "measure-mismatch"
    MEASURE_NOT_STATED = "measure-not-stated"
    MEASURE_OF_STATEMENT = "measure-of-statement"
    MEMBER_LOOP = "member-loop"
    MERGE_CONFLICT = "merge-conflict"
    MISSING_FIELD = "missing-field"
    MISSING_SUBJECT = "missing-subject"
    NO_AGREEING_CITATION = "no-agreeing-citation"
    NOTE_PLACEMENT = "note-placement"
    OUTPUT_FOLDER = "output-folder"
    PAGE_BUDGET = "page-budget"
    PARTIAL_DATE_WITHOUT_YEAR = "partial-date-without-year"
    POLARITY_MISMATCH = "polarity-mismatch"
    QUALIFIER_CONTRADICTED = "qualifier-contradicted"
    QUALIFIER_NOT_NUMBER = "qualifier-not-number"
    QUALIFIER_BEFORE_FIGURE = "qualifier-before-figure"
    PROSE_OWNER_MISMATCH = "prose-owner-mismatch"
    PROSE_UNIT_MISMATCH = "prose-unit-mismatch"
    QUOTE_NOT_FOUND = "quote-not-found"
    RAW_HTML = "raw-html"
    READ = "read"
    READ_ONLY = "read-only"
    RELATIVE_DATE_UNRESOLVED = "relative-date-unresolved"
    RENDER = "render"
    REVIEW_COMMENT = "review-comment"
    REVIEW_FIGURE = "review-figure"
    REVIEW_GENERATED = "review-generated"
    REVIEW_NOTE = "review-note"
    REVIEW_PROSE = "review-prose"
    SETTINGS = "settings"
    SHORT_QUOTE = "short-quote"
    SOURCE_ARCHIVED = "source-archived"
    SOURCE_ID_FILE = "source-id-file"
    SOURCE_ID_TAKEN = "source-id-taken"
    SOURCE_METADATA = "source-metadata"
    SOURCE_UNREADABLE = "source-unreadable"
    SOURCE_UNUSABLE = "source-unusable"
    SOURCE_TABLE = "source-table"
    SOURCE_URL = "source-url"
    STALE_FACT = "stale-fact"
    STATEMENT_FIGURE_MISMATCH = "statement-figure-mismatch"
    SUBJECT_NOT_STATED = "subject-not-stated"
    TABLE_ROW = "table-row"
    TEMPLATE = "template"
    THEME_FILE = "theme-file"
    TIME_MISMATCH = "time-mismatch"
    UNASSESSED_SOURCE = "unassessed-source"
    UNCITED_FACT = "uncited-fact"
    UNCITED_FIGURE = "uncited-figure"
    UNCITED_RATIO = "uncited-ratio"
    UNDECLARED_DISAGREEMENT = "undeclared-disagreement"
    UNIT_MISMATCH = "unit-mismatch"
    UNIT_NOT_STATED = "unit-not-stated"
    UNKNOWN_BLOCK = "unknown-block"
    UNKNOWN_ENTITY = "unknown-entity"
    UNKNOWN_FACT = "unknown-fact"
    UNKNOWN_FIELD = "unknown-field"
    UNKNOWN_MEASURE = "unknown-measure"
    UNKNOWN_NEEDS_NOTE = "unknown-needs-note"
    UNKNOWN_SOURCE = "unknown-source"
    UNKNOWN_UNIT = "unknown-unit"
    UNREADABLE_FILE = "unreadable-file"
    UNSAFE_ID = "unsafe-id"
    UNSAFE_NAME = "unsafe-name"
    VALUE_NOT_IN_QUOTES = "value-not-in-quotes"
    WEEKDAY_MISMATCH = "weekday-mismatch"
    WRITE_FAILED = "write-failed"
    WRONG_TYPE = "wrong-type"
    WRONG_VALUE = "wrong-value"
    YAML_ALIAS = "yaml-alias"
    YAML_DUPLICATE_KEY = "yaml-duplicate-key"
    YAML_KEY = "yaml-key"
    YAML_SYNTAX = "yaml-syntax"
    YAML_VALUE = "yaml-value"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, what, and how to fix it."""

    location: Location
    severity: Severity
    message: str
    hint: str = ""
    code: Code | None = None
    """The class of problem (e.g. Code.QUOTE_NOT_FOUND), from the registry."""
    fact: str = ""
    """The id of the fact the problem is about, when there is one (for `acknowledge:`)."""
    subject: str = ""
    """The id a reference problem is about ('unknown-fact'), so that a reference to
    something whose own file failed is not reported a second time."""


def in_quotes(text: object) -> str:
    """User text as a message shows it: in single quotes, its whitespace collapsed to single
    spaces (a line break in a quote reads as a space), never Python's escapes ('nearly\\n80')."""
    return "'" + " ".join(str(text).split()) + "'"


def spacing_note(text: str) -> str:
    """What in_quotes hides, said in words: ' (it ends in a line break)' and the like; ''
    when the quoted text shows it as it is."""
    if in_quotes(text) != f"'{text}'":
        if text[-1:] in ("\n", "\r"):
            return " (it ends in a line break)"
        return " (it holds a line break, a tab or spaces not shown here)"
    hidden = next((c for c in text if unicodedata.category(c) in _UNSEEN), None)
    if hidden is None:
        return ""
    if unicodedata.category(hidden) == "Cs":
        return " (it holds a byte that is not UTF-8 text)"
    name = unicodedata.name(hidden, "CONTROL CHARACTER")
    return f" (it holds an invisible character, U+{ord(hidden):04X} {name})"


_UNSEEN = {"Cc", "Cf", "Co", "Cn", "Cs"}
"""Unicode categories a terminal shows as nothing (or a box): controls, format characters
such as U+200B ZERO WIDTH SPACE, private-use, unassigned, and lone surrogates (bytes of a
file name or argument that are not UTF-8)."""


def error(
    location: Location, code: Code | str, message: str, hint: str = "", subject: str = ""
) -> Problem:
    """An error of a registered ``code`` (a code not in the registry raises ValueError)."""
    return Problem(location, Severity.ERROR, message, hint, Code(code), subject=subject)


def warning(
    location: Location, code: Code | str, message: str, hint: str = "", fact: str = ""
) -> Problem:
    """A warning of a registered ``code``; ``fact``: the fact it can be acknowledged on."""
    return Problem(location, Severity.WARNING, message, hint, Code(code), fact)


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
