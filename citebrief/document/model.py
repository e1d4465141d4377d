"""The composed document: typed, format-neutral data handed from compose to every writer.

Like Pandoc's AST, a Document is blocks of inline parts plus structured notes and the
sources it cites. It holds no HTML and nothing of the corpus that the briefing does not
show; writers (HTML through Jinja, PDF through WeasyPrint, DOCX) are functions of it alone.
Every class names its ``kind`` so templates and writers can dispatch on it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from ..errors import Location
from ..facts.schema import BriefingFrontMatter
from ..model import Cell as SourceCell
from ..model import FormulaKind, House, PartialDate, Qualifier
from .audit import ArchivedText, ComputedEvidence, EvidenceItem
from .plain import plain


@dataclass(frozen=True)
class BriefingSpec:
    """A briefing file: front matter and Markdown body."""

    name: str
    path: str
    meta: BriefingFrontMatter
    body: str
    body_line: int
    house: House = field(default_factory=House)
    """The project's house settings (citebrief.toml [house]): paper, dates, language."""
    field_lines: Mapping[str, int] = field(default_factory=dict, metadata={"shown": False})
    """The line of each front-matter field as written ('edition' → 3), for located errors;
    not part of what the briefing shows (moving a line rebuilds nothing)."""

    def line_of(self, name: str) -> int:
        """The line of the front-matter field ``name``, else of the front matter's first line."""
        return self.field_lines.get(name, 1)


UNCONFIRMED = "unconfirmed: low-reliability sources only"
"""How every writer marks a figure that rests only on low-reliability sources."""


# --- kinds ------------------------------------------------------------------------------


class FigureStyle(StrEnum):
    """How a fact reference reads: a figure, a quoted statement, or a stated unknown."""

    FIGURE = "figure"
    STATEMENT = "statement"
    UNKNOWN = "unknown"


class ChartKind(StrEnum):
    BARS = "bars"
    SHARE = "share"
    TIMELINE = "timeline"


class CitationForm(StrEnum):
    """A source's first note gives it in full; later notes use the short form."""

    FULL = "full"
    SHORT = "short"


class DisputeKind(StrEnum):
    VALUE = "value"
    """The source gives a different number or date."""
    WORDING = "wording"
    """The same number with another qualifier ('about' against 'more than')."""


class ChangeKind(StrEnum):
    ADDED = "added"
    WITHDRAWN = "withdrawn"
    REVISED = "revised"
    SOURCE_ADDED = "source-added"
    SOURCE_EDITED = "source-edited"
    DISPUTE_ADDED = "dispute-added"
    DISPUTE_RESOLVED = "dispute-resolved"


# --- inline parts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Emphasis:
    content: tuple[Inline, ...]
    kind: ClassVar[str] = "emphasis"


@dataclass(frozen=True)
class Strong:
    content: tuple[Inline, ...]
    kind: ClassVar[str] = "strong"


@dataclass(frozen=True)
class Code:
    text: str
    kind: ClassVar[str] = "code"


@dataclass(frozen=True)
class Literal:
    """Words that look like a figure but are not one (a model name, a section number)."""

    text: str
    kind: ClassVar[str] = "literal"


@dataclass(frozen=True)
class Link:
    url: str
    content: tuple[Inline, ...]
    kind: ClassVar[str] = "link"


@dataclass(frozen=True)
class SourceRef:
    """A source's name, linked to its entry in the briefing's source list."""

    source: str
    """Anchor of the entry (``CitedSource.anchor``)."""
    content: tuple[Inline, ...]
    kind: ClassVar[str] = "source_ref"


@dataclass(frozen=True)
class FigureRef:
    """A cited figure in house style, followed by the call of its note."""

    fact_id: str
    display: str
    style: FigureStyle
    note: int | None
    """Number of its note; None where the figure is shown without one (chart data)."""
    sources: tuple[str, ...]
    """Ids of the sources that state it, for the audit attributes of the HTML."""
    trailing: str = ""
    """Punctuation that closed the clause after the figure: shown before the note mark."""
    kind: ClassVar[str] = "figure"


@dataclass(frozen=True)
class CrossRef:
    """A cross-reference written @fig-NAME or @tbl-NAME: "Figure 2", "Table 1"."""

    anchor: str
    """The id of the figure or table it points to ('figure-NAME', 'table-NAME')."""
    text: str
    """What the reader sees: 'Figure 2'."""
    kind: ClassVar[str] = "xref"


Inline = Text | Emphasis | Strong | Code | Literal | Link | SourceRef | FigureRef | CrossRef


# --- notes and sources --------------------------------------------------------------------


@dataclass(frozen=True)
class NoteCitation:
    source: str
    """Source id (a key of ``Document.sources``)."""
    form: CitationForm
    quote: str
    """The quoted words exactly as the source has them."""
    pages: tuple[int, int] | None
    """First and last page of the quote in a paged source; None when unpaged."""
    link: str | None = None
    """The source's URL opened at the quoted words (a text fragment, or a PDF's page)."""
    cell: SourceCell | None = None
    """The table's cell cited, named in the note by its row and column."""


@dataclass(frozen=True)
class Dispute:
    source: str
    stated: str
    """What the differing source states, in its own words."""
    reason: str
    kind: DisputeKind
    pages: tuple[int, int] | None = None
    """Where the differing source states it, in a paged source."""


@dataclass(frozen=True)
class Derivation:
    """How a computed figure was calculated, for its note."""

    formula: FormulaKind
    inputs: tuple[tuple[str, str], ...]
    """(label, value as reported) of each input; for a share, the part first."""
    caveat: str
    """Which inputs are only limits, and what that leaves of the result; or ''."""


@dataclass(frozen=True)
class Note:
    number: int
    fact_id: str
    citations: tuple[NoteCitation, ...]
    disputes: tuple[Dispute, ...]
    unconfirmed: bool
    """Every source for it is rated low reliability."""
    derivation: Derivation | None
    explanation: str | None
    """For a stated unknown: which sources were searched and what they lack."""
    text: tuple[Inline, ...]
    """The note as the reader sees it, worded once in house citation style."""


@dataclass(frozen=True)
class CitedSource:
    id: str
    anchor: str
    """Anchor of its source-list entry ('src-3'): the position in this briefing's list."""
    author: str | None
    publisher: str | None
    title: str | None
    url: str | None
    published: PartialDate | None
    accessed: dt.date | None
    source_kind: str
    reliability: str
    reliability_note: str
    name: str
    """Short name for charts and tables: publisher, else author, else short title."""
    name_ending: str
    """The short name closing a sentence: its full stop inside a closing quotation mark."""
    entry: tuple[Inline, ...]
    """The source-list entry as the reader sees it."""
    license: str | None = None
    """The terms it may be reused under, when stated (tables usually state them)."""


# --- blocks -------------------------------------------------------------------------------


SOURCE_LINE: Any = field(default=0, compare=False, metadata={"shown": False})
"""A block's line in the briefing file (0: not written there). Not part of what the reader
sees, so it is left out of the document's JSON and hash: moving text changes no output;
``review`` uses it to place a cleared file's changes."""


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    content: tuple[Inline, ...]
    line: int = SOURCE_LINE
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Paragraph:
    content: tuple[Inline, ...]
    line: int = SOURCE_LINE
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    kind: ClassVar[str] = "list"


@dataclass(frozen=True)
class Quote:
    content: tuple[Block, ...]
    kind: ClassVar[str] = "quote"


@dataclass(frozen=True)
class CodeBlock:
    text: str
    kind: ClassVar[str] = "code_block"


@dataclass(frozen=True)
class Rule:
    kind: ClassVar[str] = "rule"


Cell = tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    caption: str | None
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    line: int = SOURCE_LINE
    number: int = 0
    """Its number among the briefing's captioned tables (0: not numbered)."""
    name: str | None = None
    """The name it is cross-referenced by (@tbl-NAME), its id 'table-NAME' on the page."""
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class ChartDatum:
    label: str
    fact_id: str
    display: str
    value: Decimal | None = None
    qualifier: Qualifier | None = None
    date: PartialDate | None = None
    low_reliability: bool = False
    share: str | None = None
    """For share charts: the share in words, qualified like its inputs ('about 79%')."""
    with_unit: str = ""
    """The figure with its unit, as the data line under the chart reads ('up to 90 chips');
    ``display`` stays bare next to a bar, where the axis names the unit."""


@dataclass(frozen=True)
class Chart:
    name: str
    chart: ChartKind
    title: str
    data: tuple[ChartDatum, ...]
    sources: tuple[str, ...]
    """Ids of the cited sources behind the data."""
    alt: str
    number: int
    axis_label: str = ""
    csv: str = ""
    """The chart's data with its citations, as CSV (offered for download next to the chart)."""
    reading: str = ""
    """How to read the drawing, for its source line ('Dates as reported, placed to scale…')."""
    kind: ClassVar[str] = "chart"


@dataclass(frozen=True)
class ContentsEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Contents:
    entries: tuple[ContentsEntry, ...]
    kind: ClassVar[str] = "contents"


@dataclass(frozen=True)
class TimelineRow:
    date: FigureRef
    event: str
    note: str | None
    precision: str
    sources: tuple[str, ...]
    unconfirmed: bool


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]
    kind: ClassVar[str] = "timeline"


@dataclass(frozen=True)
class DisagreementRow:
    label: str
    used: FigureRef
    source: str
    stated: str
    reason: str
    dispute: DisputeKind


@dataclass(frozen=True)
class Disagreements:
    rows: tuple[DisagreementRow, ...]
    kind: ClassVar[str] = "disagreements"


@dataclass(frozen=True)
class Assessment:
    sources: tuple[str, ...]
    """Ids of the cited sources, in source-list order."""
    kind: ClassVar[str] = "assessment"


@dataclass(frozen=True)
class SourceList:
    sources: tuple[str, ...]
    kind: ClassVar[str] = "sources"


@dataclass(frozen=True)
class ChangeItem:
    change: ChangeKind
    text: tuple[Inline, ...]


@dataclass(frozen=True)
class Changes:
    available: bool
    """False when no earlier edition is on record to compare with."""
    items: tuple[ChangeItem, ...]
    kind: ClassVar[str] = "changes"


Block = (
    Heading
    | Paragraph
    | ListBlock
    | Quote
    | CodeBlock
    | Rule
    | Table
    | Chart
    | Contents
    | Timeline
    | Disagreements
    | Assessment
    | SourceList
    | Changes
)


# --- the reviewers' evidence ----------------------------------------------------------------


# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    spec: BriefingSpec
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...]
    sources: dict[str, CitedSource]
    """The sources this briefing cites, by id, in source-list order."""
    evidence: tuple[EvidenceItem, ...]
    """The audit trail of every fact shown, for the reviewers' companion only."""
    computed_evidence: tuple[ComputedEvidence, ...]
    """How each computed figure shown was calculated, for the reviewers' companion only."""
    facts_used: tuple[str, ...]
    archives: tuple[ArchivedText, ...] = ()
    """The archived text of each cited source, for the reviewers' companion only."""
    fact_places: Mapping[str, Location] = field(
        default_factory=dict, compare=False, metadata={"shown": False}
    )
    """Where in the briefing file each fact is first shown, for `uses`; not part of what the
    briefing shows (moving a line rebuilds nothing)."""

    @property
    def has_source_list(self) -> bool:
        return any(isinstance(b, SourceList) for b in self.blocks)

    def to_json(self) -> str:
        """The canonical form, for people: what a golden test compares."""
        return json.dumps(plain(self), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    def compact_json(self) -> str:
        """The same canonical form on one line, what the build manifest hashes: without
        indentation json writes it in C, several times faster."""
        return json.dumps(plain(self), sort_keys=True, ensure_ascii=False)
