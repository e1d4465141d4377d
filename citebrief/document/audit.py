"""The reviewers' evidence: every quote behind a figure, where it stands in its source, and
each cited source's archived text with the cited passages marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class EvidenceQuote:
    source: str
    quote: str
    path: str
    line: int
    exact: bool
    pages: tuple[int, int] | None
    disagrees: str
    anchor: str | None = None
    """Anchor of the passage highlighted in its source's archived text."""


@dataclass(frozen=True)
class ArchiveSegment:
    """A run of an archived text: plain, or (``marked``) part of a cited passage.

    It keeps the source's whole text (the one string every briefing citing the source
    shares) and where the run lies in it, not a copy of the run: with a copy per briefing,
    160 briefings citing 100 sources of 200 KB took 2.1 GB to check."""

    whole: str = field(repr=False, compare=False, metadata={"shown": False})
    start: int = field(default=0, metadata={"shown": False})
    end: int = field(default=0, metadata={"shown": False})
    marked: bool = False
    anchors: tuple[str, ...] = ()
    """Anchors of the passages that begin here."""
    page: int | None = None
    """In a paged source: the page that begins with this run."""

    plain_fields: ClassVar[tuple[str, ...]] = ("text", "marked", "anchors", "page")
    """What the Document's JSON form holds of it: the run's text, not where it lies."""

    @property
    def text(self) -> str:
        return self.whole[self.start : self.end]


@dataclass(frozen=True)
class ArchivedCell:
    """One cell of an archived table, marked when a figure cites it."""

    text: str
    anchors: tuple[str, ...] = ()
    """Anchors of the citations of this cell; a cell with any is highlighted."""


@dataclass(frozen=True)
class ArchivedText:
    """A cited source's archived text, with every passage the briefing cites highlighted."""

    source: str
    segments: tuple[ArchiveSegment, ...]
    table: tuple[tuple[ArchivedCell, ...], ...] | None = None
    """A table source's rows (its header row first), with the cited cells marked."""


@dataclass(frozen=True)
class EvidenceItem:
    fact_id: str
    label: str
    display: str
    fact_path: str
    fact_line: int
    note: str
    quotes: tuple[EvidenceQuote, ...]
    acknowledged: tuple[tuple[str, str], ...] = ()
    """(warning name, reason) of each warning staff accepted for this fact."""


@dataclass(frozen=True)
class InputEvidence:
    """One input of a computed figure, as its source reports it."""

    fact_id: str
    """Anchor of the input's own evidence entry (never shown)."""
    label: str
    value: str
    """The value as reported, with its qualifier: 'more than 150,000 exchanges'."""
    qualifier: str
    """The qualifier in words ('more than'), or 'exact'."""
    allows: str
    """The range that qualifier allows: 'more than 150,000 exchanges, with no upper limit'."""
    sources: tuple[str, ...]
    """Ids of the sources whose quotations back it, in citation order."""


@dataclass(frozen=True)
class ComputedEvidence:
    """A computed figure the briefing shows: how it was calculated, and why it reads so."""

    fact_id: str
    """Anchor of its entry (never shown)."""
    label: str
    display: str
    """The words the briefing shows: 'more than 15 million exchanges'."""
    fact_path: str
    fact_line: int
    formula: str
    """The formula in words, by the inputs' labels."""
    inputs: tuple[InputEvidence, ...]
    range: str
    """The range the inputs imply, in words."""
    reason: str
    """Why the words are these: what the range supports."""
    caveat: str
    """Which inputs are only limits, as the note says; or ''."""
