"""The one place where a date or a number written by staff is read.

Both readers return either the value or a reason in plain words; they never raise, so
every caller can turn the reason into a located problem ("2026-02-30 is not a calendar
date: February 2026 has 28 days") instead of crashing.
"""

from __future__ import annotations

import calendar
import math
import re
from decimal import Decimal

from ..errors import in_quotes
from ..model import PartialDate

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")
LARGEST_FIGURE = Decimal(10) ** 15
"""No figure in a briefing is a thousand trillion or more; such a value is a typo."""
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def read_date(text: str) -> PartialDate | str:
    """'2026-01-15', '2026-01' or '2026' as a PartialDate, or why it is not a date."""
    match = _DATE.match(text.strip())
    if not match:
        return f"{in_quotes(text)} is not a date written as YYYY-MM-DD (or YYYY-MM, or YYYY)"
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year < 1:
        return f"{text} is not a calendar date: there is no year 0"
    if month is not None and not 1 <= month <= 12:
        return f"{text} is not a calendar date: there is no month {month}"
    if day is not None and month is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"{text} is not a calendar date: {MONTHS[month - 1]} {year} has {days} days"
    return PartialDate(year, month, day)


def read_number(value: int | float) -> Decimal | str:
    """A YAML number as a Decimal, or why it cannot be a figure (.inf, .nan, 1e308)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if abs(number) >= LARGEST_FIGURE:
        return f"{number:.3E} is too large to be a figure in a briefing"
    return number
