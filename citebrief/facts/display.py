"""House style for figures: 'about 13 million', 'more than 150,000', '15 January 2026'."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from ..common.values import MONTHS
from ..model import DateStyle, Fact, FactKind, PartialDate, Qualifier, Unit
from .qualifiers import HOUSE_WORDS

QUALIFIER_WORDS = {q: f"{words} " if words else "" for q, words in HOUSE_WORDS.items()}
UNKNOWN_TEXT = "not stated in the sources"


def format_number(value: Decimal) -> str:
    """13000000 → '13 million'; 150000 → '150,000'; 3400000 → '3.4 million'; 0.35 → '0.35'.

    Never rounds: a value that 'million' or 'billion' cannot state in two decimals is
    written out in full (1,234,567), and a fraction keeps every digit it was given. A
    computed figure is rounded by its caller, which says so ('about').
    """
    for size, word in ((Decimal(10**9), "billion"), (Decimal(10**6), "million")):
        if abs(value) >= size:
            scaled = value / size
            if scaled == scaled.quantize(Decimal("0.01")):
                return f"{scaled.normalize():f} {word}"
            break
    return f"{value.normalize():,f}"


def unit_kind(unit: str) -> str:
    unit = unit.lower()
    if unit in ("percent", "%", "per cent"):
        return "percent"
    if unit in ("usd", "us$", "$", "dollars"):
        return "money"
    return "number"


def format_quantity(value: Decimal, unit: str, qualifier: Qualifier | None) -> str:
    words = QUALIFIER_WORDS[qualifier] if qualifier else ""
    kind = unit_kind(unit)
    if kind == "percent":
        return f"{words}{format_number(value)}%"
    if kind == "money":
        return f"{words}${format_number(value)}"
    return f"{words}{format_number(value)}"


def format_date(date: PartialDate, style: DateStyle) -> str:
    """'15 January 2026' ('January 15, 2026' in U.S. style), 'January 2023' or '2023', as
    precise as the source."""
    if date.month is None:
        return str(date.year)
    month = MONTHS[date.month - 1]
    if date.day is None:
        return f"{month} {date.year}"
    if style == DateStyle.US:
        return f"{month} {date.day}, {date.year}"
    return f"{date.day} {month} {date.year}"


_ISO_DATE = r"(?<![\w-])(?P<iso_y>\d{4})-(?P<iso_m>\d{2})(?:-(?P<iso_d>\d{2}))?(?![\w-])"
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_SPACE = "[ \u00a0]"
_UK_DATE = rf"\b(?P<uk_d>\d{{1,2}}){_SPACE}(?P<uk_m>{_MONTH}){_SPACE}(?P<uk_y>\d{{4}})\b"
_US_DATE = rf"\b(?P<us_m>{_MONTH}){_SPACE}(?P<us_d>\d{{1,2}}),{_SPACE}(?P<us_y>\d{{4}})\b"
_TYPED_DATE = re.compile(f"{_ISO_DATE}|{_UK_DATE}|{_US_DATE}")
_QUOTED = re.compile(r"(“[^”]*”|\"[^\"]*\")")


def house_dates(text: str, style: DateStyle) -> str:
    """Dates typed in staff notes as a reader reads dates in the house style: ISO
    ('2026-02-23', '2026-02'), '23 February 2026' and 'February 23, 2026' all become
    '23 February 2026' (or 'February 23, 2026' in U.S. style). Words in quotation marks stay
    as the source wrote them, and anything that is not a real date stays as typed."""

    def spelled(match: re.Match[str]) -> str:
        for kind in ("iso", "uk", "us"):
            if match.group(f"{kind}_y"):
                year, month, day = (match.group(f"{kind}_{p}") for p in "ymd")
                break
        number = int(month) if month.isdigit() else MONTHS.index(month) + 1
        try:
            dt.date(int(year), number, int(day or 1))
        except ValueError:
            return match.group(0)
        return format_date(PartialDate(int(year), number, int(day) if day else None), style)

    parts = _QUOTED.split(text)
    return "".join(p if i % 2 else _TYPED_DATE.sub(spelled, p) for i, p in enumerate(parts))


def value_with_unit(fact: Fact, units: Mapping[str, Unit], dates: DateStyle) -> str:
    """A figure as a reader reads it standing alone, in a chart's data line or in what
    changed: with its unit ('up to 90 chips', 'about 79%', '$2 billion')."""
    shown = format_value(fact, dates)
    if fact.kind is not FactKind.NUMBER or fact.number is None or unit_kind(fact.unit) != "number":
        return shown
    return f"{shown} {unit_noun(fact.unit, fact.number, units)}".rstrip()


def unit_noun(unit: str, value: Decimal, units: Mapping[str, Unit]) -> str:
    """The unit's noun, singular for exactly one; a unit outside the register as typed."""
    known = units.get(unit)
    if known is None:
        return unit.strip()
    return known.singular if value == 1 else known.plural


def format_value(fact: Fact, dates: DateStyle) -> str:
    if fact.kind is FactKind.NUMBER and fact.number is not None:
        return format_quantity(fact.number, fact.unit, fact.qualifier)
    if fact.kind is FactKind.DATE and fact.date is not None:
        return format_date(fact.date, dates)
    if fact.kind is FactKind.UNKNOWN:
        return UNKNOWN_TEXT
    return fact.text


def page_reference(pages: tuple[int, int]) -> str:
    """A pinpoint: 'p. 2', or 'pp. 2–3' for a passage across a page break."""
    first, last = pages
    return f"p. {first}" if first == last else f"pp. {first}–{last}"
