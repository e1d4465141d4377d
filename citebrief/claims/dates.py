"""Dates as text writes them ('January 15, 2026', '15 January', 'Jan. 2026', '2026-01-15',
a bare year) and relative dates ('last month'), read for figures.py and the claims reader."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import PartialDate, Precision

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_DATE_PATTERNS = [
    re.compile(r"(?<![\w-])" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?![\w-])"),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?![,.]?\s*\d)", re.I),
    re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r"\b", re.I),
    re.compile(r"(?<![\w$.,:-])" + _YEAR + r"(?![\w%,.]\d|\s*(?:%|percent))(?![\w])"),
]
_NUMERIC_DATE_PATTERNS = [_DATE_PATTERNS[0], _DATE_PATTERNS[-1]]
"""The patterns without a month name, tried alone when no capitalised month name occurs
(a lower-case one is never read as a month), which saves five scans of most quotes."""
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
"""What both patterns without a month name need: without it, neither is tried."""
_CAPITALISED_MONTH = re.compile(r"[JFMASOND](?i:an|eb|ar|pr|ay|un|ul|ug|ep|ct|ov|ec)")
DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class DateMention:
    """A date stated in text; ``year`` is None for a partial date such as 'January 15'."""

    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int
    text: str

    def with_year(self, year: int) -> PartialDate:
        return PartialDate(year, self.month, self.day)

    def as_date(self) -> PartialDate | None:
        return PartialDate(self.year, self.month, self.day) if self.year else None


def find_dates(text: str, screened: bool = True) -> tuple[DateMention, ...]:
    if not DIGIT.search(text):
        return ()  # every date pattern needs a digit
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    patterns = _DATE_PATTERNS
    if screened and not _CAPITALISED_MONTH.search(text):
        patterns = _NUMERIC_DATE_PATTERNS
    if screened and not _YEAR_LIKE.search(text):
        patterns = [p for p in patterns if p not in _NUMERIC_DATE_PATTERNS]
    for pattern in patterns:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            mention = _date_mention(m)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda d: d.start))


def _date_mention(m: re.Match[str]) -> DateMention | None:
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if groups.get("mnum"):
        month: int | None = int(groups["mnum"])
    elif groups.get("month"):
        month = MONTHS[groups["month"].lower()]
    else:
        month = None
    day = int(groups["day"]) if groups.get("day") else None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    if groups.get("month") and not groups["month"][0].isupper():
        return None  # month names are capitalised; 'may' or 'march' in lower case are words
    return DateMention(year, month, day, m.start(), m.end(), m.group(0))


# --- relative dates ----------------------------------------------------------------------------

_RELATIVE = re.compile(
    r"\b(?P<phrase>yesterday|today|(?:earlier |later )?this (?:month|year)|last (?:month|year))\b",
    re.I,
)


def find_relative_dates(text: str) -> list[str]:
    """Phrases such as 'last month' or 'earlier this month' in ``text``, lower-cased."""
    return [m.group("phrase").lower() for m in _RELATIVE.finditer(text)]


def resolve_relative(phrase: str, stated: PartialDate) -> PartialDate | None:
    """The date a relative phrase means, counted from the date a source states for itself;
    None when that date is not precise enough ('yesterday' from a source dated '2026-01')."""
    if phrase in ("today", "yesterday"):
        if stated.precision is not Precision.DAY:
            return None
        day = stated.earliest() - dt.timedelta(days=1 if phrase == "yesterday" else 0)
        return PartialDate(day.year, day.month, day.day)
    if phrase.endswith("month"):
        if stated.month is None:
            return None
        if phrase.startswith("last"):
            year, month = (
                (stated.year, stated.month - 1) if stated.month > 1 else (stated.year - 1, 12)
            )
            return PartialDate(year, month)
        return PartialDate(stated.year, stated.month)
    return PartialDate(stated.year - 1 if phrase.startswith("last") else stated.year)
