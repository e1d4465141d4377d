"""What triage reports: one figure or dated event and how it stands against the fact base."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..claims.verify import locate_in_source, pages_of
from ..errors import Location
from ..model import Cell, Fact, Source
from .quoting import quotable


@dataclass(frozen=True)
class Sentence:
    """The sentence (or list item, or line) a finding is quoted from, with its offsets."""

    start: int
    end: int
    text: str


class Verdict(StrEnum):
    AGREES = "agrees"
    DISAGREES = "disagrees"
    NEW = "new"


@dataclass(frozen=True)
class Finding:
    """One figure or date the source states, and how it stands against the fact base."""

    verdict: Verdict
    stated: str
    """The figure or date as the source writes it ('approximately 24,000')."""
    quote: str
    """The sentence that states it, on one line, ready to paste as a citation's quote."""
    location: Location
    pages: tuple[int, int] | None
    fact: Fact | None = None
    caveat: str = ""
    """Why a match needs a second look ('the sentence does not name …')."""
    measure: str = ""
    """What the figure measures, as triage read it ('effective', 'tariff')."""
    cell: Cell | None = None
    """For a table source: the cell to cite instead of a quote."""
    offset: int = 0
    """Where the figure stands in the source's text."""
    value: tuple[str, object] | None = None
    """('number', Decimal) or ('date', ISO date) as read, to tell a figure already cited."""
    unit: str | None = None
    """A number's unit id, when the register names its noun."""
    bound: str | None = None
    """A number's qualifier ('over'), as the figure's words state it."""


def unnamed(fact: Fact) -> str:
    if fact.subject is None:
        return "the sentence shares few words with the fact's label: check it is the same"
    return f"the sentence does not name the fact's subject ({fact.subject}): check it is the same"


def make_finding(
    verdict: Verdict,
    stated: str,
    sentence: Sentence,
    source: Source,
    fact: Fact | None = None,
    caveat: str = "",
    measure: str = "",
    at: int = 0,
    value: tuple[str, object] | None = None,
    unit: str | None = None,
    bound: str | None = None,
) -> Finding:
    location = locate_in_source(source, sentence.start)
    return Finding(
        verdict,
        " ".join(stated.split()),
        quotable(sentence.text),
        location,
        pages_of(source, sentence.start, sentence.end),
        fact,
        caveat,
        measure,
        offset=at,
        value=value,
        unit=unit,
        bound=bound,
    )
