"""Derived figures: compute them from facts, and the range a qualified figure allows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Derived, Fact, Qualifier

ABOUT_TOLERANCE = Decimal("0.10")
"""'about X' is read as X ± 10 %."""

INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high)

    def overlaps(self, other: Range) -> bool:
        return self.low <= other.high and other.low <= self.high


def allowed_range(value: Decimal, qualifier: Qualifier) -> Range:
    """The values a figure stated as '<qualifier> <value>' allows."""
    match qualifier:
        case Qualifier.EXACT:
            return Range(value, value)
        case Qualifier.ABOUT:
            return Range(value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE))
        case Qualifier.NEARLY:
            return Range(value * (1 - ABOUT_TOLERANCE), value)
        case Qualifier.OVER | Qualifier.AT_LEAST:
            return Range(value, INFINITY)
        case Qualifier.UP_TO | Qualifier.UNDER:
            return Range(Decimal(0), value)
    raise AssertionError(qualifier)


@dataclass(frozen=True)
class DerivedValue:
    """The result of a derived figure, with the facts it came from."""

    derived: Derived
    value: Decimal
    qualifier: Qualifier
    inputs: tuple[Fact, ...]
    range: Range


def compute(derived: Derived, inputs: tuple[Fact, ...]) -> DerivedValue:
    """Apply the formula: 'sum' adds the inputs; 'share' is the first input over the sum of the rest."""
    numbers = [f.number or Decimal(0) for f in inputs]
    ranges = [allowed_range(f.number or Decimal(0), f.qualifier or Qualifier.EXACT) for f in inputs]
    exact = all(f.qualifier == Qualifier.EXACT for f in inputs)
    if derived.formula == "sum":
        total = sum(ranges[1:], ranges[0])
        value = sum(numbers, Decimal(0))
        return DerivedValue(
            derived, value, Qualifier.EXACT if exact else Qualifier.ABOUT, inputs, total
        )
    whole = sum(numbers[1:], Decimal(0))
    value = numbers[0] / whole * 100 if whole else Decimal(0)
    return DerivedValue(
        derived, value, Qualifier.EXACT if exact else Qualifier.ABOUT, inputs, Range(value, value)
    )
