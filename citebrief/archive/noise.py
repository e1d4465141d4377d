"""Figures triage never offers: numbers that are not claims about the world.

- reference and docket numbers ('see 2512080059', 'docket number 251208-0059');
- numbers that are part of a name: 'Part 740', 'Country Group D:5', 'ECCN 3A090', 'H200';
- bare years ('in 2026') and counts whose noun is missing ('12 new');
- a figure named again with 'the' ('the 24,000 accounts'): stated earlier, not a new claim;
- the article's own dateline, and its copyright line;
- page furniture left in an older archive ('50 TIMESPOINTS', 'Page 2 of 3').
"""

from __future__ import annotations

import re

from ..claims.mentions import Mention

_REFERENCE_WORDS = re.compile(
    r"(?:docket|reference|ref\.|no\.|number|fr doc|rin|case|see|id|file)\s*(?:number|no\.)?\s*[:#]?\s*$",
    re.I,
)
_NAME_BEFORE = re.compile(
    r"(?:\b(?:part|parts|section|sections|sec\.|§|supplement no\.|supplement|no\.|title|article|"
    r"chapter|annex|rule|eccn|category|group|groups|class|model|version|v|tier|phase|item|"
    r"paragraph|schedule|form|exhibit|appendix))\s*$",
    re.I,
)
_ATTACHED = re.compile(r"^[A-Za-z]|^\.[A-Za-z0-9]|^:\d|^-\d")
_TITLE_BEFORE = re.compile(
    r"(?<![.!?:]\s)\b(?!(?:In|On|At|By|About|Over|Nearly|Some|Around|Roughly|Almost|Of|To|For"
    r"|With|From|And|Or|But|The|Its|Their|More|Less|Fewer|Under|Approximately|Up)\b)"
    r"[A-Z][a-z]+\s$"
)
"""A capitalised word (not a function word, not after a sentence's end) right before a number."""
_THE_BEFORE = re.compile(r"\b(?:the|these|those)\s+$", re.I)
_SHOUTED = re.compile(r"^\s+[A-Z]{4,}\b")
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\s*(?:©|\(c\)|\d{4})|\ball rights reserved\b", re.I
)
_LINK_LINE = re.compile(
    r"^\W*(?:also read|read more|related|see also|recommended|more from|most read)\b", re.I
)
_PAGE_LINE = re.compile(r"^\s*(?:page\s+)?\d+\s*(?:of|/)\s*\d+\s*$", re.I)
LONG_REFERENCE = 8
"""Digits in a row (no thousands separator) that make a number a reference, not a count."""


def is_furniture_sentence(text: str) -> bool:
    """A copyright line, a page number or a link to another article ('Also Read: …'):
    nothing in it is offered."""
    return bool(_COPYRIGHT.search(text) or _PAGE_LINE.match(text) or _LINK_LINE.match(text))


def quantity_noise(m: Mention, text: str, unit_known: bool) -> str | None:
    """Why the figure ``m`` of ``text`` is not a figure to offer, or None."""
    before, after = text[m.sentence[0] : m.start], text[m.end : m.sentence[1]]
    written = text[m.start : m.end]
    count = m.kind.value == "count"
    digits = re.sub(r"\D", "", written)
    if len(digits) >= LONG_REFERENCE and "," not in written and count:
        return "a reference number"
    if _REFERENCE_WORDS.search(before[-30:]) and "," not in written:
        return "a reference number"
    if _ATTACHED.match(after) or re.search(r"[A-Za-z0-9]-$|[-:/]$|[A-Za-z]$", before):
        return "part of a name or code"
    if count and _NAME_BEFORE.search(before[-24:]):
        return "part of a name or code"
    if (
        count
        and not unit_known
        and len(digits) >= 4
        and "," not in written
        and (_TITLE_BEFORE.search(before[-24:]))
    ):
        return "part of a name or code"  # 'Incident 13951 Report'
    if _SHOUTED.match(after):
        return "page furniture"
    if count and not unit_known and m.value is not None:
        value = m.value
        if value == value.to_integral() and 1900 <= value <= 2100 and "," not in written:
            return "a bare year"
    if _THE_BEFORE.search(before[-12:]) and not m.bound_words:
        return "a figure named again"
    return None


def date_noise(m: Mention, dateline_at: int | None) -> str | None:
    """Why a date is not an event to offer: the article's own dateline, or a bare year."""
    if dateline_at is not None and m.start == dateline_at:
        return "the article's own dateline"
    if m.date is None or m.date.month is None:
        return "a bare year"
    return None
