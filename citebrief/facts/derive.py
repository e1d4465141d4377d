"""Computed figures: the one place their arithmetic is done.

A computed figure is the range its inputs' qualifiers imply (``intervals``), the value the
stated figures give, and the words that range supports. Briefing text, tables, share charts,
notes and the evidence page all take their figures from ``compute``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..model import Change, Derived, Difference, Fact, Qualifier, Ratio, Share, Sum
from .display import format_number, format_quantity
from .intervals import (
    INFINITY,
    ZERO,
    Interval,
    Wording,
    Words,
    allowed_range,
    change,
    choose_words,
    ratio,
    round_to,
    share,
    significant_figures,
    total,
)
from .qualifiers import HOUSE_WORDS

RATIO_UNIT = "times"
"""The unit of a ratio: 'about 3.8 times (as many)'."""

__all__ = [
    "RATIO_UNIT",
    "Computed",
    "allowed_range",
    "compute",
    "computed_display",
    "range_text",
    "share_of",
]


@dataclass(frozen=True)
class Computed:
    """A computed figure: its formula's result as a range, and the words chosen for it."""

    derived: Derived
    inputs: tuple[Fact, ...]
    """The facts it is calculated from, in the order of ``derived.inputs``."""
    unit: str
    central: Decimal
    """What the stated values give, unrounded."""
    interval: Interval
    """Every value the inputs' qualifiers allow."""
    figures: int
    """Significant figures of the least precise input: the result is given no finer."""
    words: Words
    sign: str = ""
    """For a change: 'rise' or 'fall' (the words are then of its size)."""
    disputed_by: Fact | None = None
    """The reported figure it is compared with (``compare_with``) when their ranges do not
    overlap: a disagreement, shown in its note."""

    @property
    def value(self) -> Decimal:
        return self.words.value

    @property
    def qualifier(self) -> Qualifier | None:
        return self.words.qualifier

    @property
    def caveat(self) -> str:
        """What a reader must know to read the words: which inputs are only limits."""
        return caveat(self)


def compute(derived: Derived, facts: Mapping[str, Fact]) -> Computed:
    """The figure ``derived`` gives from ``facts`` (every input a numeric fact there)."""
    inputs = tuple(facts[i] for i in derived.inputs)
    ranges = {f.id: allowed_range(_number(f), f.qualifier) for f in inputs}
    stated = {f.id: _number(f) for f in inputs}
    figures = min(significant_figures(_number(f)) for f in inputs)
    formula = derived.formula
    unit = inputs[0].unit
    limits = (ZERO if all(r.low >= 0 for r in ranges.values()) else -INFINITY, INFINITY)
    if isinstance(formula, Sum):
        interval = total([ranges[i] for i in formula.terms])
        central = sum((stated[i] for i in formula.terms), ZERO)
    elif isinstance(formula, Share):
        rest = [i for i in formula.of if i != formula.part]
        interval = share(ranges[formula.part], total([ranges[i] for i in rest]))
        whole = sum((stated[i] for i in formula.of), ZERO)
        central = stated[formula.part] / whole * 100 if whole else ZERO
        unit, limits = "percent", (ZERO, Decimal(100))
    elif isinstance(formula, Ratio):
        interval = ratio(ranges[formula.first], ranges[formula.second])
        second = stated[formula.second]
        central = stated[formula.first] / second if second else INFINITY
        unit, limits = RATIO_UNIT, (ZERO, INFINITY)
    elif isinstance(formula, Difference):
        interval = ranges[formula.first] - ranges[formula.second]
        central = stated[formula.first] - stated[formula.second]
        limits = (-INFINITY, INFINITY)
    else:
        assert isinstance(formula, Change)
        return _change(derived, inputs, formula, ranges, stated, figures)
    words = _words(interval, central, figures, limits)
    return Computed(derived, inputs, unit, central, interval, figures, words)


def _change(
    derived: Derived,
    inputs: tuple[Fact, ...],
    formula: Change,
    ranges: dict[str, Interval],
    stated: dict[str, Decimal],
    figures: int,
) -> Computed:
    interval = change(ranges[formula.start], ranges[formula.end])
    start = stated[formula.start]
    central = (stated[formula.end] - start) / start * 100 if start else INFINITY
    if interval.low >= 0:
        words, sign = choose_words(interval, central, figures, (ZERO, INFINITY)), "rise"
    elif interval.high <= 0:
        fall = Interval(-interval.high, -interval.low, interval.high_open, interval.low_open)
        words, sign = choose_words(fall, -central, figures, (ZERO, Decimal(100))), "fall"
    else:
        words, sign = _both_ways(central, figures), ""
    return Computed(derived, inputs, "percent", central, interval, figures, words, sign)


def _words(
    interval: Interval, central: Decimal, figures: int, limits: tuple[Decimal, Decimal]
) -> Words:
    if limits[0] < 0 and interval.low < 0 < interval.high and not interval.is_point:
        return _both_ways(central, figures)
    return choose_words(interval, central, figures, limits)


def _both_ways(central: Decimal, figures: int) -> Words:
    words = choose_words(Interval(-INFINITY, INFINITY), central, figures, (-INFINITY, INFINITY))
    reason = (
        "the inputs' ranges allow a result above or below zero, so not even its direction "
        "is known: the figure is what the reported values give"
    )
    return Words(Wording.AS_CALCULATED, words.value, None, reason)


def share_of(part: Fact, whole: tuple[Fact, ...]) -> Computed:
    """``part``'s share of the sum of ``whole`` (a share chart's bars)."""
    derived = Derived(
        id=f"{part.id}.share",
        label=f"{part.label}, as a share of the combined total",
        formula=Share(part.id, tuple(f.id for f in whole)),
        compare_with="",
        location=part.location,
    )
    return compute(derived, {f.id: f for f in whole})


def _number(fact: Fact) -> Decimal:
    assert fact.number is not None, fact.id
    return fact.number


# --- what the reader is told -------------------------------------------------------------------

_LIMITED = (Qualifier.OVER, Qualifier.AT_LEAST, Qualifier.UP_TO, Qualifier.UNDER)


def caveat(computed: Computed) -> str:
    """A sentence for the note when the words are a bound or 'as calculated': which inputs
    are reported only as limits, and what that leaves of the result. Empty otherwise."""
    wording = computed.words.wording
    if wording not in (
        Wording.MORE_THAN,
        Wording.AT_LEAST,
        Wording.LESS_THAN,
        Wording.AT_MOST,
        Wording.AS_CALCULATED,
    ):
        return ""
    limited = [f for f in computed.inputs if f.qualifier in _LIMITED]
    said = sorted({f"\u201c{HOUSE_WORDS[f.qualifier]}\u201d" for f in limited if f.qualifier})
    listed = _and([_lower(f.label) for f in limited])
    which = (
        f"{listed[:1].upper()}{listed[1:]} "
        + ("is" if len(limited) == 1 else "are")
        + f" reported only as {'a limit' if len(limited) == 1 else 'limits'} ({', '.join(said)}), so "
        if limited
        else "The reported figures leave the result open, so "
    )
    if wording in (Wording.MORE_THAN, Wording.AT_LEAST):
        return which + "only a lower limit can be given."
    if wording in (Wording.LESS_THAN, Wording.AT_MOST):
        return which + "only an upper limit can be given."
    return which + "no limit can be given: the figure is the one the reported values give."


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_WORDS = {
    Wording.EXACT: "",
    Wording.ABOUT: "about ",
    Wording.MORE_THAN: "more than ",
    Wording.AT_LEAST: "at least ",
    Wording.LESS_THAN: "less than ",
    Wording.AT_MOST: "at most ",
}


def computed_display(computed: Computed, short: bool = False) -> str:
    """The figure as a reader sees it: 'more than 15 million', 'less than 81%',
    'between 2.1 and 4.3 times', '0.87%, as calculated from the reported figures' (in a
    chart's label, ``short``: '0.87%, as calculated')."""
    words = computed.words

    def figure(value: Decimal) -> str:
        return quantity(value, computed.unit)

    if words.wording == Wording.BETWEEN and words.high is not None:
        text = f"between {figure(words.value)} and {figure(words.high)}"
    elif words.wording == Wording.AS_CALCULATED:
        text = figure(words.value) + (
            ", as calculated" if short else ", as calculated from the reported figures"
        )
    else:
        text = _WORDS[words.wording] + figure(words.value)
    if isinstance(computed.derived.formula, Change):
        return f"a {computed.sign or 'change'} of {text}"
    return text


def quantity(value: Decimal, unit: str) -> str:
    """A computed value with its unit: '15 million exchanges', '81%', '3.8 times'."""
    if unit == RATIO_UNIT:
        return f"{format_number(value)} times"
    return format_quantity(value, unit, None)


def range_text(interval: Interval, unit: str, figures: int) -> str:
    """A range in words, each finite end rounded outwards to two figures more than
    ``figures`` (so it is still true): 'more than 15.1 million exchanges, with no upper
    limit', 'from 0% to 80.12%', '150,000 exchanges exactly'."""
    places = figures + 2
    low = round_to(interval.low, places, ROUND_FLOOR)
    high = round_to(interval.high, places, ROUND_CEILING)
    if interval.is_point:
        return f"{quantity(interval.low, unit)} exactly"
    if high.is_infinite() and low.is_infinite():
        return "any value: no lower or upper limit"
    if high.is_infinite():
        side = "more than" if interval.low_open else "at least"
        return f"{side} {quantity(low, unit)}, with no upper limit"
    if low.is_infinite():
        side = "less than" if interval.high_open else "at most"
        return f"{side} {quantity(high, unit)}, with no lower limit"
    ends = {
        (False, False): "",
        (True, False): ", the lower end excluded",
        (False, True): ", the upper end excluded",
        (True, True): ", both ends excluded",
    }[(interval.low_open, interval.high_open)]
    return f"from {quantity(low, unit)} to {quantity(high, unit)}{ends}"
