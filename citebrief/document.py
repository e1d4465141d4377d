"""The composed document: plain, frozen data handed from compose to chart and render."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Fact, PartialDate, Qualifier, Source
from .schema import BriefingFrontMatter
from .verify import Disagreement, QuoteMatch


@dataclass(frozen=True)
class BriefingSpec:
    """A briefing file: front matter and Markdown body."""

    name: str
    path: str
    meta: BriefingFrontMatter
    body: str
    body_line: int


# --- the document -----------------------------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    number: int
    html: str
    """The full note: the first source's quote, the other sources, any dispute."""
    short_html: str
    """Sources only, for one-page formats."""
    fact_id: str


@dataclass(frozen=True)
class Narrative:
    html: str
    kind: str = "narrative"


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """Each cell is ready HTML (figures carry their fact id and a footnote marker)."""
    kind: str = "table"


@dataclass(frozen=True)
class ChartDatum:
    label: str
    fact_id: str
    display: str
    value: Decimal | None = None
    qualifier: Qualifier | None = None
    date: PartialDate | None = None
    low_reliability: bool = False


@dataclass(frozen=True)
class Chart:
    name: str
    chart: str
    """'bars', 'share' or 'timeline'."""
    title: str
    data: tuple[ChartDatum, ...]
    source_ids: tuple[str, ...]
    alt: str
    number: int
    kind: str = "chart"


@dataclass(frozen=True)
class Generated:
    section: str
    html: str = ""
    """Ready HTML for sections composed from outside the fact base (the 'changes' list)."""
    kind: str = "generated"


Block = Narrative | Table | Chart | Generated


@dataclass(frozen=True)
class EvidenceItem:
    fact: Fact
    display: str
    matches: tuple[QuoteMatch, ...]
    disputes: tuple[Disagreement, ...]


@dataclass(frozen=True)
class Document:
    spec: BriefingSpec
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    headings: tuple[tuple[int, str, str], ...]
    """(level, anchor id, text) of every section heading, for the contents."""
    sources: tuple[Source, ...]
    """Sources cited by the facts this briefing uses, in a stable order."""
    evidence: tuple[EvidenceItem, ...]
    timeline: tuple[Fact, ...]
    disagreements: tuple[Disagreement, ...]
    all_sources: tuple[Source, ...]
    facts_used: tuple[str, ...]
    facts: dict[str, Fact]
    """Every fact of the corpus, for sections that cover the whole case."""
