"""Intake triage: what a newly archived source says about the fact base.

Every figure and dated event the source states is read by the claims reader (its value,
bound, unit, owner, measure and modality, in its own sentence) and set beside the facts it
could be about, found through an index keyed by subject and unit:

- a figure **agrees** with a fact only when subject, measure, unit and bound agree (a date
  that only gives the month or year agrees with a fact's day inside it);
- it **disagrees** when subject, measure and unit match but the value or bound does not
  ('about 3.4 million' against the fact base's 'more than 3.4 million');
- everything else is **new**.

A '25% tariff' is not the '25% of the revenue', and a date given for when a rule took
effect is not the date it was published: the measures differ. A date written without its
year ('effective Jan. 15') takes the year of a full date near it, else the article's own
date. Noise is never offered (noise.py), nor a figure a fact already cites this source for.
Each item comes with the citation to paste. Nothing is written: staff decide.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal

from ..claims.mentions import FigureKind, Mention, Modality, Register, read
from ..claims.reading import ends_phrase
from ..model import Corpus, Fact, PartialDate, Qualifier, Source
from .factbase import FactBase, NumberGroup, stems
from .findings import Finding, Sentence, Verdict, make_finding, unnamed
from .masthead import find_dateline
from .noise import date_noise, is_furniture_sentence, quantity_noise
from .triage_tables import table_findings

SMALLEST_FIGURE = Decimal(10)
"""Bare numbers below this ('three laboratories', 'phase 2') are not reported as figures."""
_ADJECTIVE_ONLY = re.compile(r"\s+(?:new|more|additional|other|further|extra)\b(?!\s+[a-z])")
"""An adjective with no noun after it ('12 new'): what is counted is not said."""
_ATTRIBUTIVE = re.compile(
    r"\s+(rule|order|notice|memo|announcement|proclamation|decision|deadline|letter|statement"
    r"|report|filing|hearing|meeting|summit|call|post|release)\b",
    re.I,
)
"""A date used as an adjective ('the January 15 rule'), naming the thing it dates."""
NEAR_DATE = 1500
"""Characters before a date without a year in which a full date lends it its year."""


def triage(source: Source, corpus: Corpus) -> tuple[Finding, ...]:
    """Every figure and dated event in ``source``, set against ``corpus``'s facts."""
    base = FactBase.of(corpus)
    if source.table is not None:
        findings = table_findings(source, base)
    else:
        findings = _text_findings(source, base)
    cited = _cited(source, base)
    offered = [f for f in findings if not _already_cited(f, cited)]
    order = {Verdict.AGREES: 0, Verdict.DISAGREES: 1, Verdict.NEW: 2}
    return tuple(sorted(offered, key=lambda f: (order[f.verdict], f.location.line, f.offset)))


@dataclass(frozen=True)
class _Reading:
    """A mention in its sentence, with the entities the sentence names."""

    mention: Mention
    sentence: Sentence
    named: set[str]
    """Whose the figure is: the owners the reader found (and a group the sentence names that
    they belong to: 'the firms — DeepSeek, Moonshot AI and MiniMax — set up …'), else every
    entity the sentence names."""
    overlaps: dict[str, float]
    in_sentence: set[str]
    """Every entity the sentence names."""


@dataclass
class _Years:
    """Where the text gives a full date, to lend its year to a date written without one."""

    article: int | None
    full: list[tuple[int, int]]
    """(offset, year) of every full date of the text."""

    def year_for(self, offset: int, end: int) -> tuple[int | None, str]:
        """A full date's year in the date's own sentence or NEAR_DATE characters before it,
        else the article's date's, else the last full date before it anywhere in the text."""
        near = [year for at, year in self.full if offset - NEAR_DATE <= at < end]
        if near:
            return near[-1], "the year of the full date near it"
        if self.article is not None:
            return self.article, "the year of the article's date"
        before = [year for at, year in self.full if at < offset]
        if before:
            return before[-1], "the year of the last full date before it"
        return None, ""


def _text_findings(source: Source, base: FactBase) -> list[Finding]:
    text = source.text
    mentions = read(text, Register.of(base.corpus))
    dateline = find_dateline(text)
    published = source.published or (dateline.date if dateline else None)
    years = _Years(
        published.year if published else None,
        [(m.start, m.date.year) for m in mentions if m.date and m.date.year and m.date.month],
    )
    named: dict[tuple[int, int], set[str]] = {}
    findings: list[Finding] = []
    for mention in mentions:
        first, last = mention.sentence
        sentence = _quoted_sentence(text, first, last, mention.start)
        if is_furniture_sentence(sentence.text):
            continue
        if mention.sentence not in named:
            named[mention.sentence] = base.named_entities(text[first:last])
        in_sentence = named[mention.sentence]
        owners = set(mention.owners)
        groups = {g for g, members in base.groups if g in in_sentence and members & owners}
        reading = _Reading(
            mention,
            sentence,
            (owners | groups) or in_sentence,
            base.label_overlaps(sentence.text),
            in_sentence,
        )
        if mention.kind is FigureKind.DATE:
            if date_noise(mention, dateline.start if dateline else None):
                continue
            found = _date_finding(reading, base, source, years)
        else:
            found = _number_finding(reading, base, source, text)
        findings.extend([found] if found else [])
    return findings


_LIST_MARKER = re.compile(r"(?:[•·▪‣◦*-]|\d{1,2}[.)])\s+")
LONGEST_QUOTE = 600
"""A sentence longer than this (a table read as text) is quoted by the line holding the figure."""


def _quoted_sentence(text: str, first: int, last: int, at: int) -> Sentence:
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    marker = _LIST_MARKER.match(text, first, last)
    if marker is not None:  # a list item is quoted without its bullet
        first = marker.end()
    if last - first > LONGEST_QUOTE:
        first = max(first, text.rfind("\n", first, at) + 1)
        end = text.find("\n", at, last)
        last = end if end >= 0 else last
    return Sentence(first, last, text[first:last])


# --- numbers ----------------------------------------------------------------------------


def _number_finding(reading: _Reading, base: FactBase, source: Source, text: str) -> Finding | None:
    m = reading.mention
    if m.value is None or m.whole:
        return None  # the whole of a partitive ('13 million of the 16 million') is its own figure
    unit, value = _unit_and_value(m)
    if unit is None and m.kind is FigureKind.COUNT and base.fact_nouns:
        unit = base.unlisted_unit(text, m.end, m.sentence[1])
    if unit is None and value < SMALLEST_FIGURE:
        return None
    if quantity_noise(m, text, unit is not None):
        return None
    left_out = unit is None and ends_phrase(text[: m.sentence[1]], m.end)
    if unit is None and not left_out and _ADJECTIVE_ONLY.match(text[m.end : m.sentence[1]]):
        return None  # '12 new': what is counted is not said
    verdict, fact, caveat = _number_verdict(reading, unit, value, left_out, base)
    if fact is not None and m.modality is not Modality.ASSERTED:
        caveat = f"the source puts it as {m.modality.value} ({m.modality_words!s})"
    stated = _stated(m, text, unit)
    return make_finding(
        verdict,
        stated,
        reading.sentence,
        source,
        fact,
        caveat,
        m.measure or "",
        m.start,
        ("number", value),
        unit,
        (m.bound or Qualifier.EXACT).value,
    )


_NOUN_AFTER = re.compile(
    r"(?:\s+(?:new|more|additional|other|further|extra|fake|fraudulent))?\s+[a-z][\w-]*(?:\s+(?:applications|accounts|requests|officers|units|chips|days))?"
)


def _stated(m: Mention, text: str, unit: str | None) -> str:
    """The figure as written, with its noun: 'more than 24,000 fake accounts', '30 days'."""
    words = m.words
    if m.bound_words and m.bound_words.lower() not in words.lower():
        words = f"{m.bound_words} {words}"
    if m.kind is not FigureKind.COUNT:
        return words
    if unit is not None and m.unit_words and not m.unit_carried:
        return f"{words} {_up_to_preposition(m.unit_words)}"
    noun = _NOUN_AFTER.match(text, m.end, m.sentence[1])
    return words + (noun.group(0).rstrip() if noun else "")


_PREPOSITION = re.compile(
    r"\s(?:to|on|for|of|in|from|with|by|and|that|which|linked|targeting|were|was|used)\b.*",
    re.S,
)


def _up_to_preposition(words: str) -> str:
    return _PREPOSITION.sub("", words).strip()


def _unit_and_value(m: Mention) -> tuple[str | None, Decimal]:
    assert m.value is not None
    if m.kind is FigureKind.PERCENT:
        return "percent", m.value
    if m.kind is FigureKind.FRACTION:
        return "percent", (m.value * 100).quantize(Decimal("0.1")).normalize()
    if m.kind is FigureKind.MONEY:
        return ("USD" if m.currency in (None, "USD") else None), m.value
    return m.unit, m.value


def _number_verdict(
    reading: _Reading, unit: str | None, value: Decimal, left_out: bool, base: FactBase
) -> tuple[Verdict, Fact | None, str]:
    m = reading.mention
    bound = m.bound or Qualifier.EXACT
    if left_out:
        # 'Moonshot AI accounted for more than 3.4 million.': the subject alone decides;
        # the same value with another bound disagrees
        same = [f for s in reading.named for f in base.by_subject_figure.get((s, value), ())]
        same = [f for f in same if _measure_fits(f, m, f.unit, base)]
        return _compared(value, bound, [NumberGroup(base.in_order(same))], base)
    if unit is None:
        return Verdict.NEW, None, ""
    about = _numbers_about(unit, reading, base)
    if about:
        return _compared(value, bound, about, base)
    others = dataclasses.replace(reading, named=reading.in_sentence - reading.named)
    about = _numbers_about(unit, others, base)
    if about:  # 'Anthropic's report details 12 million API calls linked to the three firms'
        verdict, fact, _ = _compared(value, bound, about, base)
        whose = ", ".join(sorted(reading.named))
        return verdict, fact, f"the sentence may give the figure to {whose}: check whose it is"
    same = [
        f
        for f in base.by_figure.get((unit, value), ())
        if _measure_fits(f, m, unit, base, strict=True)
    ]
    if same:  # the same figure in the same unit, whoever the sentence says it is of
        verdict, fact, _ = _compared(value, bound, [NumberGroup(same)], base)
        assert fact is not None
        return verdict, fact, "" if fact.subject in reading.in_sentence else unnamed(fact)
    return Verdict.NEW, None, ""


def _measure_fits(fact: Fact, m: Mention, unit: str, base: FactBase, strict: bool = False) -> bool:
    """The fact and the figure measure the same thing, as far as the sentence says: a measure
    the figure's words give must be the fact's; a percentage or a sum of money (whose unit
    says nothing of what it is) must state it, as must any figure matched without its subject
    (``strict``). (``FactBase.numbers_of`` applies the same rule to a subject's facts.)"""
    measure = base.measure(fact)
    if measure is None:
        return not strict or m.measure is None
    if m.measure is not None:
        return m.measure == measure
    return not strict and unit not in ("percent", "USD")


def _compared(
    value: Decimal, bound: Qualifier, groups: list[NumberGroup], base: FactBase
) -> tuple[Verdict, Fact | None, str]:
    """Agrees with the first fact (in the fact base's order) holding the value and bound,
    else disagrees with the closest value (the smaller id among equals); new when empty."""
    agreeing = base.compared(value, bound, groups)
    if agreeing is not None:
        return Verdict.AGREES, agreeing, ""
    near = [g.closest(value) for g in groups if g]
    if not near:
        return Verdict.NEW, None, ""
    closest = min(near, key=lambda f: (abs((f.number or Decimal(0)) - value), f.id))
    return Verdict.DISAGREES, closest, ""


def _numbers_about(unit: str, reading: _Reading, base: FactBase) -> list[NumberGroup]:
    """The number facts in ``unit`` that may measure what the figure does, whose subject the
    figure is about or, for a fact with no subject, whose label's words its sentence shares
    (in groups looked up by value; empty when there are none)."""
    m = reading.mention
    loose = unit not in ("percent", "USD")
    groups = [g for s in reading.named for g in base.numbers_of(unit, s, m.measure, loose) if g]
    shared = [
        f
        for fid in reading.overlaps
        if (f := base.facts[fid]).kind == "number" and f.unit == unit and f.subject is None
    ]
    shared = [f for f in shared if _measure_fits(f, m, unit, base)]
    return groups + ([NumberGroup(base.in_order(shared))] if shared else [])


# --- dates ------------------------------------------------------------------------------


def _date_finding(
    reading: _Reading, base: FactBase, source: Source, years: _Years
) -> Finding | None:
    m, sentence = reading.mention, reading.sentence
    mentioned = m.date
    assert mentioned is not None
    caveat = ""
    if mentioned.year is None:
        year, whence = years.year_for(m.start, m.sentence[1])
        if year is None:
            return None  # no year to be had: not a date triage can set against anything
        caveat = f"the source gives no year: {year} is {whence}"
    else:
        year = mentioned.year
    stated = PartialDate(year, mentioned.month, mentioned.day)
    event = m.measure
    attributive = _ATTRIBUTIVE.match(source.text, m.end)
    if attributive:  # 'the January 15 rule': the rule's date; what follows is another event
        event = "announced" if attributive.group(1).lower() == "announcement" else None
        reading = _Reading(m, sentence, set(), reading.overlaps, reading.in_sentence)

    def finding(verdict: Verdict, fact: Fact | None, note: str) -> Finding:
        value = ("date", stated.iso())
        return make_finding(
            verdict, m.words, sentence, source, fact, note, event or "", m.start, value
        )

    candidates = [f for f in _dates_about(reading, base) if _event_fits(f, event, base)]
    for fact in candidates:
        assert fact.date is not None
        if _contains(stated, fact.date) or _contains(fact.date, stated):
            return finding(Verdict.AGREES, fact, caveat or _coarser(stated, fact.date))
    alike = [
        f
        for f in base.dates_by_value.get(stated.iso(), ())
        if stated.day is not None
        and _event_fits(f, event, base)
        and stems(sentence.text) & base.label_stems(f)
    ]
    if alike:  # the same day, for an event the sentence's words share with the fact's label
        return finding(Verdict.AGREES, alike[0], caveat or unnamed(alike[0]))
    same_event = [f for f in candidates if event is not None and base.measure(f) == event]
    if same_event:
        return finding(Verdict.DISAGREES, same_event[0], caveat)
    return finding(Verdict.NEW, None, caveat)


def _event_fits(fact: Fact, event: str | None, base: FactBase) -> bool:
    measure = base.measure(fact)
    return event is None or measure is None or measure == event


def _dates_about(about: _Reading, base: FactBase) -> list[Fact]:
    """Date facts whose subject the sentence names, or with no subject whose label it shares."""
    named = [f for s in about.named for f in base.dates_by_subject.get(s, ())]
    shared = [
        base.facts[fid]
        for fid in about.overlaps
        if base.facts[fid].kind == "date" and base.facts[fid].subject is None
    ]
    return base.in_order([*named, *shared])


def _contains(outer: PartialDate, inner: PartialDate) -> bool:
    """True when the day(s) ``inner`` means lie within ``outer`` ('December 2025' contains
    8 December 2025)."""
    return outer.earliest() <= inner.earliest() and inner.latest() <= outer.latest()


def _coarser(stated: PartialDate, fact: PartialDate) -> str:
    if stated.precision == fact.precision:
        return ""
    return (
        "the source gives a coarser date that contains the fact's"
        if (_contains(stated, fact))
        else "the source gives a more precise date inside the fact's"
    )


# --- what is cited already ----------------------------------------------------------------


def _cited(source: Source, base: FactBase) -> tuple[set[str], set[tuple[str, object]]]:
    """The facts that cite this source, and their values (kind, value)."""
    facts = base.citing.get(source.id, set())
    values = {_value(base.corpus.facts[fid]) for fid in facts}
    return facts, values


def _value(fact: Fact) -> tuple[str, object]:
    if fact.date is not None:
        return "date", fact.date.iso()
    return "number", fact.number


def _already_cited(finding: Finding, cited: tuple[set[str], set[tuple[str, object]]]) -> bool:
    """A fact already cites this source for the figure: it is not offered again, nor is a new
    figure whose value a fact citing this source holds."""
    facts, values = cited
    if finding.fact is not None:
        return finding.fact.id in facts
    return finding.value is not None and finding.value in values


# --- findings -------------------------------------------------------------------------------
