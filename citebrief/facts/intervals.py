"""Ranges of values: what a qualified figure allows, their arithmetic, and the words a
range supports.

A reported figure is a range, not a point: "more than 150,000" allows anything above
150,000 and has no ceiling; "about 13 million" allows 13 million ± 10 %. A computed figure
is the range its inputs imply, and a reader is told only what that range supports: a sum of
floors is "more than …", a share of open-ended inputs is bounded on one side or said to be
"as calculated from the reported figures".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from ..common.counts import counted
from ..model import Qualifier

ABOUT_TOLERANCE = Decimal("0.10")
"""'about X' (and 'nearly X' below it) is read as X ± 10 %: the convention a reader of a
rounded figure such as "about 13 million" (two significant figures) can rely on."""

INFINITY = Decimal("Infinity")
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Interval:
    """Every value from ``low`` to ``high``; an open end excludes its bound (and an
    infinite end is always open)."""

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False

    def __post_init__(self) -> None:
        if self.low.is_infinite():
            object.__setattr__(self, "low_open", True)
        if self.high.is_infinite():
            object.__setattr__(self, "high_open", True)

    def __add__(self, other: Interval) -> Interval:
        return Interval(
            self.low + other.low,
            self.high + other.high,
            self.low_open or other.low_open,
            self.high_open or other.high_open,
        )

    def __sub__(self, other: Interval) -> Interval:
        return Interval(
            self.low - other.high,
            self.high - other.low,
            self.low_open or other.high_open,
            self.high_open or other.low_open,
        )

    def scaled(self, factor: Decimal, shift: Decimal = ZERO) -> Interval:
        """(x + shift) × factor for every x, with factor > 0."""
        return Interval(
            (self.low + shift) * factor,
            (self.high + shift) * factor,
            self.low_open,
            self.high_open,
        )

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def overlaps(self, other: Interval) -> bool:
        """Whether some value lies in both ranges."""
        if self.low > other.high or other.low > self.high:
            return False
        if self.low == other.high:
            return not (self.low_open or other.high_open)
        if other.low == self.high:
            return not (other.low_open or self.high_open)
        return True


def allowed_range(value: Decimal, qualifier: Qualifier | None) -> Interval:
    """The values a figure stated as '<qualifier> <value>' allows. A count or share below a
    ceiling ('up to', 'under') is at least zero."""
    floor = ZERO if value >= 0 else -INFINITY
    match qualifier:
        case Qualifier.EXACT | None:
            return Interval(value, value)
        case Qualifier.ABOUT:
            low, high = sorted([value * (ONE - ABOUT_TOLERANCE), value * (ONE + ABOUT_TOLERANCE)])
            return Interval(low, high)
        case Qualifier.NEARLY:
            return Interval(value - abs(value) * ABOUT_TOLERANCE, value, high_open=True)
        case Qualifier.OVER:
            return Interval(value, INFINITY, low_open=True)
        case Qualifier.AT_LEAST:
            return Interval(value, INFINITY)
        case Qualifier.UP_TO:
            return Interval(floor, value)
        case Qualifier.UNDER:
            return Interval(floor, value, high_open=True)
    raise AssertionError(qualifier)


def total(parts: list[Interval]) -> Interval:
    result = parts[0]
    for part in parts[1:]:
        result = result + part
    return result


def _fraction(x: Decimal, y: Decimal, unknown: Decimal) -> Decimal:
    """x / (x + y) for x, y ≥ 0 (either may be infinite); ``unknown`` when it has no value."""
    if (x.is_infinite() and y.is_infinite()) or x + y == 0:
        return unknown
    if x.is_infinite():
        return ONE
    return ZERO if y.is_infinite() or not x else x / (x + y)


def _quotient(x: Decimal, y: Decimal, unknown: Decimal) -> Decimal:
    """x / y for x, y ≥ 0 (either may be infinite); ``unknown`` when it has no value."""
    if (x.is_infinite() and y.is_infinite()) or (x == 0 and y == 0):
        return unknown
    if y == 0:
        return INFINITY
    return ZERO if y.is_infinite() or not x else x / y


def share(part: Interval, rest: Interval) -> Interval:
    """part / (part + rest) as a percentage, for non-negative ranges: smallest with the
    smallest part and the largest rest, largest the other way round (the part is counted
    once, so its own range does not widen the result twice)."""
    return Interval(
        _fraction(part.low, rest.high, ZERO) * 100,
        _fraction(part.high, rest.low, ONE) * 100,
        part.low_open or rest.high_open,
        part.high_open or rest.low_open,
    )


def ratio(first: Interval, second: Interval) -> Interval:
    """first / second, for non-negative ranges."""
    return Interval(
        _quotient(first.low, second.high, ZERO),
        _quotient(first.high, second.low, INFINITY),
        first.low_open or second.high_open,
        first.high_open or second.low_open,
    )


def change(start: Interval, end: Interval) -> Interval:
    """(end − start) / start as a percentage, for non-negative ranges."""
    return ratio(end, start).scaled(Decimal(100), shift=-ONE)


# --- precision ---------------------------------------------------------------------------------


def significant_figures(value: Decimal) -> int:
    """Figures a stated value gives: 13 million and 150,000 give two, 3.4 million two,
    25 two, 1,234 four. Trailing zeros of a whole number are not counted."""
    if value == 0 or not value.is_finite():
        return 1
    return len(value.normalize().as_tuple().digits)


def round_to(value: Decimal, figures: int, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """``value`` to ``figures`` significant figures (ROUND_FLOOR for a lower bound,
    ROUND_CEILING for an upper one, so the rounded bound is still true)."""
    if value == 0 or not value.is_finite():
        return value
    quantum = Decimal(1).scaleb(value.adjusted() - figures + 1)
    return value.quantize(quantum, rounding=rounding)


def half_unit(value: Decimal) -> Decimal:
    """Half a unit in the last figure of a rounded value: what rounding alone may hide."""
    exponent = value.normalize().as_tuple().exponent
    if not value or not isinstance(exponent, int):
        return ZERO
    return Decimal(1).scaleb(exponent) / 2


# --- the words a range supports ----------------------------------------------------------------


class Wording(StrEnum):
    """How a computed figure is worded, each only when its range supports it."""

    EXACT = "exact"
    """Every input is exact and the result needs no rounding."""
    ABOUT = "about"
    """The whole range lies within 10 % (and the rounding of the figure) of it."""
    BETWEEN = "between"
    """Both ends are known, but the range is wider than 'about' allows."""
    MORE_THAN = "more than"
    AT_LEAST = "at least"
    """Only a lower limit is known (a sum of floors): the range has no ceiling."""
    LESS_THAN = "less than"
    AT_MOST = "at most"
    """Only an upper limit is known."""
    AS_CALCULATED = "as calculated"
    """The range supports no bound at all: the figure is what the reported values give,
    and the note says so."""


@dataclass(frozen=True)
class Words:
    """A computed figure as a reader sees it, and why it is worded so."""

    wording: Wording
    value: Decimal
    """The figure shown: the rounded value, or the (rounded, still true) bound."""
    high: Decimal | None
    """The upper end, for 'between'."""
    reason: str

    @property
    def qualifier(self) -> Qualifier | None:
        """The house qualifier of the words, where one states them (None for a range
        or a figure 'as calculated')."""
        return _QUALIFIERS.get(self.wording)


_QUALIFIERS = {
    Wording.EXACT: Qualifier.EXACT,
    Wording.ABOUT: Qualifier.ABOUT,
    Wording.MORE_THAN: Qualifier.OVER,
    Wording.AT_LEAST: Qualifier.AT_LEAST,
    Wording.LESS_THAN: Qualifier.UNDER,
    Wording.AT_MOST: Qualifier.UP_TO,
}


def choose_words(
    interval: Interval,
    central: Decimal,
    figures: int,
    limits: tuple[Decimal, Decimal] = (ZERO, INFINITY),
) -> Words:
    """The strongest words the range supports. ``central`` is the result of the stated
    values; ``figures`` the significant figures of the least precise input; ``limits`` the
    range the result could take whatever the inputs (0–100 for a share), so a bound at a
    limit says nothing."""
    shown = round_to(central, figures)
    precision = counted(figures, "significant figure")
    if interval.is_point:
        if shown == central:
            return Words(Wording.EXACT, central, None, "every input is exact")
        return Words(
            Wording.ABOUT,
            shown,
            None,
            f"every input is exact; the result is rounded to {precision}, "
            "the precision of the least precise input",
        )
    low_known = interval.low > limits[0]
    high_known = interval.high < limits[1]
    low = round_to(interval.low, figures, ROUND_FLOOR)
    high = round_to(interval.high, figures, ROUND_CEILING)
    if low_known and high_known:
        slack = abs(shown) * ABOUT_TOLERANCE + half_unit(shown)
        if shown - slack <= interval.low and interval.high <= shown + slack:
            return Words(
                Wording.ABOUT,
                shown,
                None,
                "the whole range lies within 10% of the figure (what 'about' means here), "
                f"rounded to {precision}",
            )
        return Words(
            Wording.BETWEEN,
            low,
            high,
            "the range is wider than 'about' allows (10% either side), so both ends are "
            f"given, rounded outwards to {precision}",
        )
    if low_known:
        strict = interval.low_open or low < interval.low
        return Words(
            Wording.MORE_THAN if strict else Wording.AT_LEAST,
            low,
            None,
            "the inputs set a lower limit but no upper one; the limit is rounded down to "
            f"{precision}, so the words stay true",
        )
    if high_known:
        strict = interval.high_open or high > interval.high
        return Words(
            Wording.LESS_THAN if strict else Wording.AT_MOST,
            high,
            None,
            "the inputs set an upper limit but no lower one; the limit is rounded up to "
            f"{precision}, so the words stay true",
        )
    return Words(
        Wording.AS_CALCULATED,
        shown,
        None,
        "the inputs' ranges allow any value the result could take, so no bound can be "
        f"stated: the figure is what the reported values give, rounded to {precision}",
    )
