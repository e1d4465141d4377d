"""The evidence of each computed figure a briefing shows, for the reviewers' page: its
formula in words (by the inputs' labels, never their ids), each input as reported with its
qualifier, the range that qualifier allows and the sources that back it, the range the
inputs imply, and the words chosen with the reason the range gives for them."""

from __future__ import annotations

from ..common.typography import smarten
from ..facts.derive import Computed, allowed_range, range_text
from ..facts.display import format_value
from ..facts.intervals import significant_figures
from ..facts.qualifiers import HOUSE_WORDS
from ..model import Change, DateStyle, Difference, Fact, Qualifier, Ratio, Share, Sum
from .audit import ComputedEvidence, InputEvidence
from .state import ComposeState, derived_display


def computed_evidence(state: ComposeState) -> tuple[ComputedEvidence, ...]:
    """Every computed figure the briefing shows, in the order it first appears."""
    derived = state.verification.derived
    dates = state.spec.house.dates
    return tuple(_entry(derived[fid], dates) for fid in state.facts_used if fid in derived)


def _entry(computed: Computed, dates: DateStyle) -> ComputedEvidence:
    derived = computed.derived
    return ComputedEvidence(
        derived.id,
        smarten(derived.label),
        smarten(derived_display(computed)),
        derived.location.path,
        derived.location.line,
        smarten(formula_words(computed)),
        tuple(_input(fact, dates) for fact in _in_reading_order(computed)),
        smarten(range_text(computed.interval, computed.unit, computed.figures)),
        smarten(_reason(computed)),
        smarten(computed.caveat),
    )


def _in_reading_order(computed: Computed) -> list[Fact]:
    """The inputs as the formula reads: a share's part first, then the rest of its whole."""
    formula = computed.derived.formula
    if not isinstance(formula, Share):
        return list(computed.inputs)
    part = [f for f in computed.inputs if f.id == formula.part]
    return part + [f for f in computed.inputs if f.id != formula.part]


def _input(fact: Fact, dates: DateStyle) -> InputEvidence:
    assert fact.number is not None, fact.id
    qualifier = fact.qualifier or Qualifier.EXACT
    allowed = allowed_range(fact.number, fact.qualifier)
    return InputEvidence(
        fact.id,
        smarten(fact.label),
        smarten(format_value(fact, dates)),
        HOUSE_WORDS[qualifier] or "exact",
        smarten(range_text(allowed, fact.unit, significant_figures(fact.number))),
        tuple(dict.fromkeys(c.source for c in fact.agreeing_citations)),
    )


def formula_words(computed: Computed) -> str:
    """'share: exchanges attributed to MiniMax, as a percentage of the sum of exchanges
    attributed to DeepSeek, …': the formula's kind, then what it does with which inputs."""
    formula = computed.derived.formula
    labels = {f.id: _lower(f.label) for f in computed.inputs}
    match formula:
        case Sum(terms):
            said = _and([labels[i] for i in terms]) + ", added together"
        case Share(part, of):
            said = f"{labels[part]}, as a percentage of the sum of " + _and([labels[i] for i in of])
        case Difference(first, second):
            said = f"{labels[first]} minus {labels[second]}"
        case Ratio(first, second):
            said = f"{labels[first]} divided by {labels[second]}"
        case Change(start, end):
            said = f"from {labels[start]} to {labels[end]}, as a percentage of the first"
    return f"{formula.kind.value}: {said}"


def _reason(computed: Computed) -> str:
    words = computed.words
    return f"{words.reason[:1].upper()}{words.reason[1:]}."


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
