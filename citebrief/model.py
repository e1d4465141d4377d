"""The typed, frozen data that flows between pipeline stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .errors import Location

UNKNOWN = "unknown"
PAGE_BREAK = "\f"
"""Between the text of two pages in an archived paged source (pdftotext's convention)."""


class Paper(StrEnum):
    """The paper size of the PDF and the Word edition."""

    A4 = "a4"
    LETTER = "letter"


class DateStyle(StrEnum):
    """How dates read: '23 November 2026' (uk) or 'November 23, 2026' (us)."""

    UK = "uk"
    US = "us"


@dataclass(frozen=True)
class House:
    """The house settings of citebrief.toml's [house] table, which every writer obeys."""

    paper: Paper = Paper.A4
    """Page size of the PDF and the Word edition."""
    dates: DateStyle = DateStyle.UK
    """How dates are written in every output."""
    lang: str = "en"
    """The language tag of every output (HTML lang, PDF /Lang, Word's language)."""
    citation_style: str = "chicago-fullnote-bibliography.csl"
    """The CSL style of notes and the source list, as citebrief.toml names it."""


class Qualifier(StrEnum):
    """How a stated figure relates to the true value; the phrases are in qualifiers.py."""

    EXACT = "exact"
    ABOUT = "about"
    """Either side of the figure ('about', 'roughly', 'some')."""
    NEARLY = "nearly"
    """Just below the figure, never above it ('nearly', 'almost')."""
    OVER = "over"
    """Above the figure, the figure excluded ('more than', 'over')."""
    AT_LEAST = "at-least"
    """The figure or more ('at least', 'no fewer than')."""
    UP_TO = "up-to"
    """The figure or less ('up to', 'no more than', 'as many as')."""
    UNDER = "under"
    """Below the figure, the figure excluded ('less than', 'fewer than')."""


class FactKind(StrEnum):
    """What a fact's value is: a number with its unit, a date, a statement, or unknown."""

    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    UNKNOWN = "unknown"


class Reliability(StrEnum):
    """How far staff trust a source, after reading it; new sources start unassessed."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    UNASSESSED = "unassessed"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to a day, a month or a year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day the date can mean: 2026-01 → 31 January 2026."""
        if self.day is not None:
            return self.earliest()
        if self.month is None or self.month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month + 1, 1) - dt.timedelta(days=1)

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        return cls(day.year, day.month, day.day)


@dataclass(frozen=True)
class Table:
    """A table source (a CSV archived from a CSV or XLSX file)."""

    columns: tuple[str, ...]
    """The header row; ``columns[0]`` heads the row labels."""
    rows: tuple[tuple[str, ...], ...]
    """Each row as long as ``columns``, its label first."""


@dataclass(frozen=True)
class Cell:
    """A cell of a table source, named by its row's label and its column's header."""

    row: str
    column: str


@dataclass(frozen=True)
class Source:
    """One archived source document: its front matter and its text."""

    id: str
    title: str
    publisher: str
    author: str
    url: str
    published: PartialDate | None
    """As precise as the source states it (day, month or year); None when it does not."""
    retrieved: dt.date | None
    kind: str
    reliability: Reliability
    reliability_note: str
    """Why staff rate it so; empty while unassessed."""
    sha256: str
    note: str
    text: str
    """The archived text exactly as stored (the body after the front matter)."""
    body_line: int
    """Line number, in the file, of the text's first line."""
    location: Location
    pages: int | None = None
    """Number of pages of a paged source (a PDF), whose text has a form feed between pages."""
    license: str = ""
    """The terms the source may be reused under, as its publisher states them."""
    table: Table | None = None
    """The table, for a table source (``format: table``); its text is the table as CSV."""


@dataclass(frozen=True)
class Citation:
    """A quote from a source that supports (or disputes) a fact."""

    source: str
    quote: str
    """Empty for a citation of a table's cell."""
    location: Location
    disagrees: str = ""
    """Why this source states a different value; empty when it agrees."""
    note: str = ""
    cell: Cell | None = None
    """The table cell cited instead of a quote."""
    source_location: Location | None = field(default=None, compare=False)
    """Where the citation names its source (``source:``), for a problem with the source; not
    part of what the citation says (a citation moved down its file is the same citation)."""

    @property
    def words(self) -> str:
        """The words the citation rests on: its quote, or a cell's row label and column
        header ('China, 2025 licences approved')."""
        return self.quote if self.cell is None else f"{self.cell.row}, {self.cell.column}"


class UnitKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"


@dataclass(frozen=True)
class Entity:
    """Something a fact is about (a lab, an agency, a chip), with the names sources use."""

    id: str
    name: str
    """The name a reader sees: in chart labels, table rows and messages."""
    aliases: tuple[str, ...]
    """Other names a source may use ('Moonshot', "Kimi's maker")."""
    members: tuple[str, ...]
    """For a group ('the three labs'): the ids of its members; naming all of them names it."""
    location: Location

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Unit:
    """What a number counts, with the nouns a source may use for it."""

    id: str
    singular: str
    plural: str
    aliases: tuple[str, ...]
    """Other nouns for the same thing ('interactions', 'prompts', 'API calls')."""
    kind: UnitKind
    location: Location | None
    """None for the built-in units (percent, USD)."""

    @property
    def nouns(self) -> tuple[str, ...]:
        return (self.plural, self.singular, *self.aliases)


@dataclass(frozen=True)
class Measure:
    """What a figure is: a date's event ('published') or what a number counts or rates
    ('tariff', 'revenue share'), with the words a source states it with."""

    id: str
    words: tuple[str, ...]
    """Words that state it ('published', 'publication'), matched whole, in any case."""
    dates: bool
    """True for a date's event; False for what a number counts or rates."""
    location: Location | None = None
    """None for the built-in date events."""


def _event(id_: str, *words: str) -> Measure:
    return Measure(id_, words, True)


BUILTIN_MEASURES = {
    m.id: m
    for m in (
        _event("issued", "issued", "issues", "issuing", "issuance"),
        _event("released", "released", "releases", "release", "releasing"),
        _event("published", "published", "publishes", "publish", "publishing", "publication"),
        _event(
            "effective",
            "effective",
            "takes effect",
            "took effect",
            "take effect",
            "taking effect",
            "went into effect",
            "goes into effect",
            "go into effect",
            "comes into force",
            "came into force",
            "entered into force",
            "enters into force",
        ),
        _event("announced", "announced", "announces", "announce", "announcing", "announcement"),
        _event("signed", "signed", "signs", "signing"),
    )
}
"""The date events every project knows; a register (briefings/entities.yaml) adds measures."""


BUILTIN_UNITS = {
    "percent": Unit("percent", "percent", "percent", ("%", "per cent"), UnitKind.PERCENT, None),
    "USD": Unit("USD", "US dollar", "US dollars", ("$", "US$", "dollars"), UnitKind.MONEY, None),
}
"""Units every project has; a register (briefings/entities.yaml) adds counted nouns."""


@dataclass(frozen=True)
class Acknowledgement:
    """A warning staff have weighed and accepted for one fact, with their reason."""

    code: str
    """The warning's name, e.g. 'low-reliability-only'."""
    reason: str
    location: Location


@dataclass(frozen=True)
class Fact:
    """A figure, date or statement distilled from sources."""

    id: str
    label: str
    kind: FactKind
    number: Decimal | None
    unit: str
    qualifier: Qualifier | None
    date: PartialDate | None
    text: str
    as_of: dt.date | None
    note: str
    citations: tuple[Citation, ...]
    location: Location
    value_location: Location
    subject: str | None = None
    """Id of the entity the fact is about (briefings/entities.yaml), or None."""
    subject_location: Location | None = None
    unit_location: Location | None = None
    acknowledged: tuple[Acknowledgement, ...] = ()
    """Warnings accepted with a reason: not counted by check, shown in the evidence."""
    measure: str | None = None
    """Id of what the figure is (a date's event, what a percentage rates); None when unstated."""
    measure_location: Location | None = None

    @property
    def agreeing_citations(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if not c.disagrees)


class FormulaKind(StrEnum):
    """How a computed figure is calculated from reported ones."""

    SUM = "sum"
    SHARE = "share"
    DIFFERENCE = "difference"
    RATIO = "ratio"
    CHANGE = "change"


@dataclass(frozen=True)
class Sum:
    """The inputs added up."""

    terms: tuple[str, ...]

    kind = FormulaKind.SUM

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.terms


@dataclass(frozen=True)
class Share:
    """``part`` as a percentage of the sum of ``of`` (which includes ``part``)."""

    part: str
    of: tuple[str, ...]

    kind = FormulaKind.SHARE

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.of


@dataclass(frozen=True)
class Difference:
    """``first`` minus ``second``."""

    first: str
    second: str

    kind = FormulaKind.DIFFERENCE

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.first, self.second)


@dataclass(frozen=True)
class Ratio:
    """``first`` divided by ``second``: how many times as many."""

    first: str
    second: str

    kind = FormulaKind.RATIO

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.first, self.second)


@dataclass(frozen=True)
class Change:
    """The change from ``start`` to ``end``, as a percentage of ``start``."""

    start: str
    end: str

    kind = FormulaKind.CHANGE

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.start, self.end)


Formula = Sum | Share | Difference | Ratio | Change
"""A computed figure's formula: a tagged union, never a string to compare."""


@dataclass(frozen=True)
class Derived:
    """A figure computed from other facts by a declared formula."""

    id: str
    label: str
    formula: Formula
    compare_with: str
    """Id of a reported fact the result must be consistent with, or ''."""
    location: Location
    input_locations: tuple[Location, ...] = ()
    """Where each of ``inputs`` is written, in the same order."""

    @property
    def inputs(self) -> tuple[str, ...]:
        """The ids of the facts it is calculated from, each once."""
        return self.formula.inputs


@dataclass(frozen=True)
class Corpus:
    """Every source and fact of a project, validated."""

    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    derived: dict[str, Derived] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=lambda: dict(BUILTIN_UNITS))
    measures: dict[str, Measure] = field(default_factory=lambda: dict(BUILTIN_MEASURES))
    has_register: bool = False
    """True when the project keeps briefings/entities.yaml: subjects and units are then required."""
