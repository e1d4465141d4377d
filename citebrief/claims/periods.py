"""The year or period a figure is for, as its clause says ('in 2025', 'during fiscal 2024')."""

from __future__ import annotations

import re

from .figures import DateMention

_YEAR_BEFORE = re.compile(
    r"\b(?:in|during|for|of|throughout|through|by)\s+(?:(?:the\s+)?(?:fiscal|calendar|financial)\s+(?:year\s+)?|FY\s?)?$",
    re.I,
)


def year_of(
    clause: str, dates: list[DateMention], start: int, end: int, limit: int
) -> tuple[int | None, str]:
    """The year the clause says a number is for ('in 2025', 'during fiscal 2024'): the first
    such year after the figure and before the next one (``limit``), else the nearest before."""
    found = []
    for d in dates:
        if d.month is not None or d.year is None or (start <= d.start < end):
            continue
        m = _YEAR_BEFORE.search(clause[max(0, d.start - 30) : d.start])
        if m:
            found.append((d, clause[max(0, d.start - 30) + m.start() : d.end]))
    after = [(d, w) for d, w in found if end <= d.start < limit]
    before = [(d, w) for d, w in found if d.end <= start]
    chosen = after[0] if after else (before[-1] if before else None)
    return (chosen[0].year, chosen[1]) if chosen else (None, "")
