"""The claims reader: every figure of a text read once, in its own sentence, into a typed
``Mention`` of what the sentence claims about it.

A mention carries the value (and a range's upper end), the bound ('more than'), the unit
noun (carried over from an earlier figure of the sentence when the figure has none), the
currency, a rate ('a day'), the entities whose figure it is (the clause's; never another
sentence's), the measure (a date's event, what a number counts or rates), the modality
(asserted, negated, denied, unconfirmed, projected, conditional, hedged) and the year it
is for. Anything the sentence does not say is ``None``. Verification, triage and the
briefing's prose all read sentences through ``read``.

The grammar is small and our own, over the figures of figures.py and the names of
names.py: each question is answered by one rule applied to the figure's sentence and
clause, so a new phrasing is one word in a table below, not a new window.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from ..common.memo import per_run
from ..model import Qualifier
from .figures import DateMention, Quantity, find_figures
from .numbers import Number, Ratio, currency_of, ranges, rate_of, ratios
from .periods import year_of
from .reader import clause_bounds, entity_mentions, figure_owners
from .reading import ends_phrase, measure, modality, unit_after
from .sentences import sentence_spans
from .vocabulary import Register

_T = TypeVar("_T")


class FigureKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    FRACTION = "fraction"
    RATIO = "ratio"
    """'twice as many', 'three times as much', 'a third more': the value is the factor."""
    DATE = "date"


class Modality(StrEnum):
    """How the sentence puts the figure: only an asserted figure backs a plain fact."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    """'did not send 16 million'"""
    DENIED = "denied"
    """'MiniMax denied sending 13 million'"""
    UNCONFIRMED = "unconfirmed"
    """'has not confirmed reports that …', 'could not be independently verified'"""
    PROJECTED = "projected"
    """'could reach', 'is expected to', 'forecast'"""
    CONDITIONAL = "conditional"
    """'… if the licences are approved'"""
    HEDGED = "hedged"
    """'may have', 'possibly', 'appears to' ('reportedly', 'allegedly' and 'said' attribute
    the figure to someone: it is asserted, as reporting asserts any claim it relays)"""


class Currency(StrEnum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"
    CNY = "CNY"
    JPY = "JPY"
    HKD = "HKD"
    TWD = "TWD"
    INR = "INR"
    KRW = "KRW"
    MYR = "MYR"


class Per(StrEnum):
    """The period of a rate ('a day', 'per year', '/s')."""

    SECOND = "second"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Mention:
    """One figure of a text and what its sentence claims about it."""

    kind: FigureKind
    words: str
    """The figure as written ('roughly 13 million', 'January 15, 2026')."""
    start: int
    end: int
    sentence: tuple[int, int]
    """Where the sentence holding the figure starts and ends in the text read."""
    value: Decimal | None = None
    """The number (a share for a fraction: 'two-thirds' is 0.666…); a range's lower end."""
    high: Decimal | None = None
    """A range's upper end ('between 10 and 20 million'); None for a single figure."""
    date: DateMention | None = None
    bound: Qualifier | None = None
    bound_words: str = ""
    unit: str | None = None
    """The id of the register's unit whose noun the sentence gives for the figure."""
    unit_words: str = ""
    """The words after the figure, for messages ('interactions', 'chips shipped')."""
    unit_carried: bool = False
    """The unit is an earlier figure's ('13 million exchanges, while Moonshot ran 3.4 million')."""
    currency: Currency | None = None
    per: Per | None = None
    owners: tuple[str, ...] = ()
    """Ids of the entities whose figure it is: those the figure's clause names for it."""
    whole: bool = False
    """The figure is the whole of a partitive ('13 million of the 16 million'): not the part's."""
    measure: str | None = None
    """Id of the measure: a date's event ('published'), what a number counts or rates ('tariff')."""
    measure_words: str = ""
    modality: Modality = Modality.ASSERTED
    modality_words: str = ""
    year: int | None = None
    """The year the figure is for ('in 2025'), when the clause says."""
    year_words: str = ""


# --- reading -------------------------------------------------------------------------------


def read(text: str, register: Register) -> tuple[Mention, ...]:
    """Every figure of ``text``, each read in its own sentence."""
    return _read(text, register) if text else ()


@per_run
def _read(text: str, register: Register) -> tuple[Mention, ...]:
    found: list[Mention] = []
    figures = find_figures(text)
    all_quantities = sorted(figures.quantities, key=lambda q: q.start)
    all_dates = sorted(figures.dates, key=lambda d: d.start)
    quantity_starts = [q.start for q in all_quantities]
    date_starts = [d.start for d in all_dates]
    spans = sentence_spans(text) or [(0, len(text))]
    for first, last in spans:  # each sentence's figures found by bisection: linear in the text
        quantities = _starting_in(all_quantities, quantity_starts, first, last)
        dates = _starting_in(all_dates, date_starts, first, last)
        if quantities or dates:
            found.extend(_read_sentence(text, first, last, quantities, dates, register))
    return tuple(sorted(found, key=lambda m: m.start))


def _starting_in(items: list[_T], starts: list[int], first: int, last: int) -> list[_T]:
    """The items (sorted by start) that start in ``[first, last)``."""
    return items[bisect.bisect_left(starts, first) : bisect.bisect_left(starts, last)]


def _read_sentence(
    text: str,
    first: int,
    last: int,
    quantities: list[Quantity],
    dates: list[DateMention],
    register: Register,
) -> list[Mention]:
    sentence = text[first:last]
    shifted = [_shifted_date(d, -first) for d in dates]
    reading = _Sentence(sentence, (first, last), register, shifted)
    mentions: list[Mention] = []
    found_ratios = ratios(sentence)
    quantities = [q for q in quantities if not _inside_ratio(q.start - first, found_ratios)]
    numbers = _ranges(sentence, [_shifted(q, -first) for q in quantities])
    previous_unit: tuple[str | None, str] = (None, "")
    for number in numbers:
        mention = reading.number(number, numbers, previous_unit)
        if mention.kind is FigureKind.COUNT and mention.unit and not mention.unit_carried:
            previous_unit = (mention.unit, mention.unit_words)
        mentions.append(mention)
    mentions.extend(reading.date(d, shifted) for d in shifted)
    mentions.extend(reading.ratio(r) for r in found_ratios)
    return mentions


def _inside_ratio(at: int, found: list[Ratio]) -> bool:
    """'three' of 'three times as many' is the ratio's, not a count of its own."""
    return any(r.start <= at < r.end for r in found)


def _shifted(q: Quantity, by: int) -> Quantity:
    return Quantity(
        q.value, q.kind, q.qualifier, q.qualifier_words, q.start + by, q.end + by, q.text
    )


def _shifted_date(d: DateMention, by: int) -> DateMention:
    return DateMention(d.year, d.month, d.day, d.start + by, d.end + by, d.text)


class _Sentence:
    """One sentence being read: its figures' clauses, owners and the rules of reading.py."""

    def __init__(
        self, text: str, span: tuple[int, int], register: Register, dates: list[DateMention]
    ) -> None:
        self.text = text
        self.span = span
        """Where the sentence stands in the text read: mentions are placed there."""
        self.offset = span[0]
        self.register = register
        self.dates = dates
        """The sentence's dates, at their offsets in ``text``."""

    def _clause(self, start: int, end: int) -> tuple[int, int]:
        return clause_bounds(self.text, start, end, self.register.entities)

    def number(
        self, number: Number, numbers: list[Number], previous: tuple[str | None, str]
    ) -> Mention:
        q = number.quantity
        first, last = self._clause(number.start, number.end)
        clause = self.text[first:last]
        kind = _KINDS[q.kind]
        currency = currency_of(self.text, q)
        if currency and kind is FigureKind.COUNT:
            kind = FigureKind.MONEY
        limit = min((n.start for n in numbers if n.start >= number.end), default=len(self.text))
        unit, unit_words, carried = None, "", False
        if kind is FigureKind.COUNT:
            unit, unit_words = unit_after(self.register, self.text, number.end, limit)
            if unit is None and previous[0] and ends_phrase(self.text, number.end):
                unit, unit_words, carried = previous[0], previous[1], True
        others = [(n.start - first, n.end - first) for n in numbers if n is not number]
        others = [(s, e) for s, e in others if s >= 0 and e <= len(clause)]
        measure_id, measure_words = measure(
            self.register, clause, number.start - first, number.end - first, others, dates=False
        )
        bound_start = number.start - first - len(q.qualifier_words) - 1
        mood, mood_words = modality(clause, number.start - first, max(0, bound_start))
        year, year_words = year_of(
            clause,
            [_shifted_date(d, -first) for d in self.dates if first <= d.start < last],
            number.start - first,
            number.end - first,
            limit - first,
        )
        whole = _is_whole(self.text, number, numbers)
        owners = self._owners(number.start, number.end, whole)
        return Mention(
            kind=kind,
            words=number.words,
            start=number.start + self.offset,
            end=number.end + self.offset,
            sentence=self.span,
            value=number.value,
            high=number.high,
            bound=q.qualifier,
            bound_words=q.qualifier_words,
            unit=unit,
            unit_words=unit_words,
            unit_carried=carried,
            currency=Currency(currency) if currency else None,
            per=_per(rate_of(self.text, number.end)),
            owners=owners,
            whole=whole,
            measure=measure_id,
            measure_words=measure_words,
            modality=Modality(mood),
            modality_words=mood_words,
            year=year,
            year_words=year_words,
        )

    def date(self, date: DateMention, dates: list[DateMention]) -> Mention:
        first, last = self._clause(date.start, date.end)
        clause = self.text[first:last]
        others = [(d.start - first, d.end - first) for d in dates if d is not date]
        others = [(s, e) for s, e in others if s >= 0 and e <= len(clause)]
        measure_id, measure_words = measure(
            self.register, clause, date.start - first, date.end - first, others, dates=True
        )
        at = date.start - first
        bound = _DATE_BOUND.search(clause[:at])  # 'no later than March 14' is a deadline
        mood, mood_words = modality(clause, at, bound.start() if bound else at)
        return Mention(
            kind=FigureKind.DATE,
            words=date.text,
            start=date.start + self.offset,
            end=date.end + self.offset,
            sentence=self.span,
            date=_shifted_date(date, self.offset),
            owners=self._owners(date.start, date.end, False),
            measure=measure_id,
            measure_words=measure_words,
            modality=Modality(mood),
            modality_words=mood_words,
        )

    def ratio(self, ratio: Ratio) -> Mention:
        first, last = self._clause(ratio.start, ratio.end)
        clause = self.text[first:last]
        mood, mood_words = modality(clause, ratio.start - first, ratio.start - first)
        return Mention(
            kind=FigureKind.RATIO,
            words=ratio.words,
            start=ratio.start + self.offset,
            end=ratio.end + self.offset,
            sentence=self.span,
            value=ratio.value,
            owners=self._owners(ratio.start, ratio.end, False),
            modality=Modality(mood),
            modality_words=mood_words,
        )

    def _owners(self, start: int, end: int, whole: bool) -> tuple[str, ...]:
        if whole:
            return ()
        clause, owners = figure_owners(self.text, start, end, self.register.entities)
        if owners and _may_not_own(clause):
            first = self._clause(start, end)[0]
            if _not_the_owner(clause, start - first, owners[-1].id, self.register):
                return ()
        return tuple(e.id for e in owners)


_SAYS = re.compile(
    r"\s+(?:has\s+|have\s+|had\s+)?(?:says|said|told|claims|claimed|alleges|alleged|argues"
    r"|argued|estimates|estimated|believes|believed)\b(?:\s+that\b)?",
    re.I,
)
_BACK = re.compile(r"\s*(?:it|its|they|their|he|she|his|her|we|our)\b", re.I)
_DESCRIBED = re.compile(
    r"\b(?:the|this|that)\s+(?:company|firm|chipmaker|chip\s+maker|group|lab|startup|manufacturer)\b",
    re.I,
)


_DESCRIBED_NOUNS = ("company", "firm", "chip", "group", "lab", "startup", "manufacturer")
"""What every description ``_DESCRIBED`` reads holds: screened before the pattern is tried."""
_WITH = re.compile(r"\bwith\s+(?:the\s+)?$", re.I)
"""An entity after 'with' is a partner or an instrument, not the clause's subject."""
_FOR_TO = re.compile(r"\bfor\s+the\s+(?:[\w.’'-]+\s+){1,4}?to\s+[a-z]+\b")
"""An infinitive with its own subject: 'a way for the US government to collect its 25% cut'."""


_NOT_OWNER_PARTS = (
    "with ",
    "say",
    "said",
    "told",
    "claim",
    "alleg",
    "argu",
    "estimat",
    "believ",
    "for the ",
)
"""What every clause ``_not_the_owner`` can be true of holds (with ``_DESCRIBED_NOUNS``)."""


def _may_not_own(clause: str) -> bool:
    lowered = clause.lower()
    return any(part in lowered for part in (*_NOT_OWNER_PARTS, *_DESCRIBED_NOUNS))


def _not_the_owner(clause: str, at: int, owner: str, register: Register) -> bool:
    """Whether the entity named before the figure at ``clause[at:]`` is not whose it is,
    though nearest: it only reports what another says ('Anthropic says three Chinese AI
    labs created over 24,000 …', 'a market that Huang has said could be worth $50B'), or a
    description of another stands between ('… H200 GPU, with the company reportedly preparing
    82,000 …', 'a way for the US government to collect its 25% cut'), or it stands after 'with'
    ('ServiceNow Partners With Anthropic to Roll Out … 29,000'). The reader resolves neither: the owner is unknown. A speaker who reports its
    own figure ('Nvidia said it sold …') keeps it."""
    before = [h for h in entity_mentions(clause, register.entities) if h.end <= at]
    if not before or before[-1].entity.id != owner:
        return False  # the figure was attributed ('… linked to DeepSeek')
    if _WITH.search(clause, max(0, before[-1].start - 12), before[-1].start):
        return True  # 'ServiceNow Partners With Anthropic to Roll Out Claude to 29,000 Employees'
    says = _SAYS.match(clause, before[-1].end)
    if says and says.end() <= at and not _BACK.match(clause, says.end()):
        return True
    between = (before[-1].end, at)
    words = clause[before[-1].end : at].lower()
    if any(noun in words for noun in _DESCRIBED_NOUNS) and _DESCRIBED.search(clause, *between):
        return True
    return "for the " in words and _FOR_TO.search(clause, *between) is not None


_KINDS = {
    "number": FigureKind.COUNT,
    "percent": FigureKind.PERCENT,
    "money": FigureKind.MONEY,
    "fraction": FigureKind.FRACTION,
}
_DATE_BOUND = re.compile(r"\b(?:no|not)\s+(?:later|earlier|sooner)\s+than\s*$", re.I)
"""A bound on a date, not a negation of it: 'must be received no later than March 14'."""
_PARTITIVE = re.compile(r"^\s*(?:out\s+)?of\s+(?:the\s+|a\s+total\s+of\s+|an?\s+)?$", re.I)
_WHOLE_FIRST = re.compile(r"(?:^|[,;]\s*)(?:out\s+)?of\s+(?:the\s+|a\s+total\s+of\s+)?$", re.I)


def _is_whole(sentence: str, number: Number, numbers: list[Number]) -> bool:
    """'13 million of the 16 million', 'Of the 16 million exchanges, …': the second, or the
    first, figure is a whole that the part's owner does not own."""
    before = [n for n in numbers if n.end <= number.start]
    if before and _PARTITIVE.match(sentence[before[-1].end : number.start]):
        return True
    return bool(_WHOLE_FIRST.search(sentence[: number.start])) and any(
        n.start > number.end for n in numbers
    )


def _per(name: str | None) -> Per | None:
    return Per(name) if name else None


def _ranges(sentence: str, quantities: list[Quantity]) -> list[Number]:
    return ranges(sentence, quantities)
