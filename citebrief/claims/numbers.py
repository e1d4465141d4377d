"""Numbers as English writes them, beyond the numerals and number words of figures.py:
ranges ('between 10 and 20 million', '10–20 million'), 'half a million', currencies as
currencies (US$, €, 'yuan'), and rates ('a day', 'per year', '/s').

Exact parsing stays in-house: number libraries misread policy prose (word2number reads
"about 13 million" as 1,000,000; quantulum3 reads "16M+" as 16 metres).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .figures import WORD_VALUES, Quantity

_SCALE_WORD = re.compile(
    r"(?:\s?(thousand|million|billion|trillion|mn|bn|mln|bln)\b|([kKmMbB])\b)", re.I
)
_SCALE_VALUES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "trillion": 10**12,
}


def scale_of(figure: str) -> Decimal:
    """The scale a figure's words apply ('3.4 million' → 10⁶), 1 when none."""
    m = _SCALE_WORD.search(figure)
    if not m:
        return Decimal(1)
    return Decimal(_SCALE_VALUES[(m.group(1) or m.group(2)).lower()])


@dataclass(frozen=True)
class Number:
    """A quantity of a sentence, or two read as one range."""

    quantity: Quantity
    value: Decimal
    high: Decimal | None
    start: int
    end: int
    words: str


_RANGE_BETWEEN = re.compile(r"\s+and\s+$", re.I)
_RANGE_DASH = re.compile(r"\s*(?:-|–|—|to)\s*$", re.I)
_BETWEEN = re.compile(r"(?:between|from)\s+$", re.I)


def ranges(sentence: str, quantities: list[Quantity]) -> list[Number]:
    """The sentence's quantities, with 'between X and Y', 'from X to Y' and 'X–Y' read as
    one range whose lower end takes the upper end's scale ('10 to 20 million')."""
    numbers: list[Number] = []
    skip = False
    for i, q in enumerate(quantities):
        if skip:
            skip = False
            continue
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        if nxt is not None and _same_kind(q, nxt) and _joins(sentence, q, nxt):
            low = q.value
            if scale_of(q.text) == 1 and scale_of(nxt.text) != 1:
                low = (low * scale_of(nxt.text)).normalize()
            start = _range_start(sentence, q)
            if nxt.kind == "percent":  # '6-8%': both ends are percentages
                q = Quantity(low, "percent", q.qualifier, q.qualifier_words, q.start, q.end, q.text)
            numbers.append(Number(q, low, nxt.value, start, nxt.end, sentence[start : nxt.end]))
            skip = True
            continue
        numbers.append(_half_of(sentence, q))
    return numbers


def _same_kind(q: Quantity, nxt: Quantity) -> bool:
    """Two ends of one range: of one kind, a sum whose upper end drops the symbol ('$15–20
    billion'), or a percentage whose lower end drops the sign ('6-8%')."""
    return (
        nxt.kind == q.kind
        or (q.kind == "money" and nxt.kind == "number")
        or (q.kind == "number" and nxt.kind == "percent")
    )


def _joins(sentence: str, q: Quantity, nxt: Quantity) -> bool:
    between = sentence[q.end : nxt.start]
    if nxt.qualifier_words and nxt.qualifier_words not in ("+",):
        return False
    if _RANGE_BETWEEN.fullmatch(between) or between.strip().lower() == "and":
        return bool(_BETWEEN.search(sentence[max(0, q.start - 12) : q.start]))
    if not _RANGE_DASH.fullmatch(between) or not between.strip():
        return False
    before = sentence[max(0, q.start - 12) : q.start]
    return between.strip() != "to" or bool(_BETWEEN.search(before)) or scale_of(nxt.text) != 1


def _range_start(sentence: str, q: Quantity) -> int:
    m = _BETWEEN.search(sentence[max(0, q.start - 12) : q.start])
    return max(0, q.start - 12) + m.start() if m else q.start


_HALF_A = re.compile(r"half\s+(?:of\s+)?$", re.I)


def _half_of(sentence: str, q: Quantity) -> Number:
    """'half a million' is 500,000 (figures.py reads 'a million')."""
    before = sentence[max(0, q.start - 9) : q.start]
    m = _HALF_A.search(before)
    if m and q.text.lower().startswith("a "):
        start = max(0, q.start - 9) + m.start()
        value = (q.value / 2).normalize()
        return Number(q, value, None, start, q.end, sentence[start : q.end])
    return Number(q, q.value, None, q.start, q.end, q.text)


# --- currencies and rates ------------------------------------------------------------------

_SYMBOLS = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "HK$": "HKD",
    "NT$": "TWD",
    "₹": "INR",
    "₩": "KRW",
    "RM": "MYR",
}
_CURRENCY_BEFORE = re.compile(r"(?:\b(USD|EUR|GBP|CNY|RMB|JPY|HKD|TWD|INR|KRW|MYR)|(¥|￥))\s?$")
_CURRENCY_AFTER = re.compile(
    r"^\s?(?:(?:U\.S\.|US|American)\s+)?(dollars?|euros?|yuan|renminbi|RMB|yen|sterling|ringgit|rupees?)\b",
    re.I,
)
_CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "yen": "JPY",
    "sterling": "GBP",
    "ringgit": "MYR",
    "rupee": "INR",
    "rupees": "INR",
    "hkd": "HKD",
    "twd": "TWD",
    "inr": "INR",
    "krw": "KRW",
    "myr": "MYR",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "cny": "CNY",
    "jpy": "JPY",
}


def currency_of(sentence: str, q: Quantity) -> str | None:
    """The ISO code of the currency the sentence gives the figure in, or None."""
    symbol = re.match(r"US\$|HK\$|NT\$|\$|€|£|₹|₩|RM", q.text)
    if symbol:
        return _SYMBOLS[symbol.group(0)]
    before = _CURRENCY_BEFORE.search(sentence[max(0, q.start - 5) : q.start])
    if before:
        return _CURRENCY_WORDS.get((before.group(1) or "").lower()) if before.group(1) else None
    after = _CURRENCY_AFTER.match(sentence[q.end : q.end + 30])
    return _CURRENCY_WORDS[after.group(1).lower()] if after else None


_PER = re.compile(
    r"^(?:\s*[\w'’-]+){0,3}?\s*(?:\b(?:a|an|per|each|every)\s+(second|hour|day|week|month|quarter|year)\b"
    r"|/(s|sec|h|hr|day|d|yr|year)\b|\s+(annually|yearly|daily|monthly|weekly|hourly)\b)",
    re.I,
)
_PER_NAMES = {
    "s": "second",
    "sec": "second",
    "h": "hour",
    "hr": "hour",
    "d": "day",
    "yr": "year",
    "annually": "year",
    "yearly": "year",
    "daily": "day",
    "monthly": "month",
    "weekly": "week",
    "hourly": "hour",
}


_PERIOD_PARTS = ("/", "second", "hour", "day", "dail", "week", "month", "quarter", "year", "annual")
"""What every period ``_PER`` reads holds: without one, the words after a figure state no rate."""


def rate_of(sentence: str, end: int) -> str | None:
    """The period of a rate stated right after a figure ('… a day', '… per year', 'GB/s')."""
    window = sentence[end : end + 50]
    lowered = window.lower()
    if not any(part in lowered for part in _PERIOD_PARTS):
        return None
    tail = re.split(r"[,;:()]|\band\b|\bwhile\b", window, maxsplit=1)[0]
    m = _PER.match(tail)
    if not m:
        return None
    name = (m.group(1) or m.group(2) or m.group(3)).lower()
    return _PER_NAMES.get(name, name)


# --- ratios --------------------------------------------------------------------------------

_RATIO_WORDS = {
    "twice": Decimal(2),
    "double": Decimal(2),
    "thrice": Decimal(3),
    "triple": Decimal(3),
    "half": Decimal("0.5"),
    "a third": Decimal(1) / 3,
    "a quarter": Decimal("0.25"),
}
_SMALL_COUNTS = {w: Decimal(v) for w, v in WORD_VALUES.items() if v <= 12}
"""Counts before "times" written as words ('five times'), from the one table of number words."""
_COUNT = r"\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_RATIO = re.compile(
    r"\b(?:(?P<word>twice|double|thrice|triple|half|a third|a quarter)\s+(?:as\s+(?:many|much|large|high|big)|the)\b"
    rf"|(?P<times>{_COUNT})\s+times\s+"
    r"(?:as\s+(?:many|much|large|high|big)|more|higher|larger|bigger|the|that)\b"
    rf"|(?P<fold>{_COUNT})\s*-?\s*fold\b"
    r"|(?P<verb>doubled|doubling|tripled|tripling|(?:will|would|could|may|might|to)\s+(?:more\s+than\s+)?(?:double|triple))\b"
    r"|a\s+(?P<part>third|quarter|half|fifth)\s+(?P<way>more|less|fewer)\b)",
    re.I,
)
_VERBS = {"doubl": Decimal(2), "tripl": Decimal(3)}
_PARTS = {
    "third": Decimal(1) / 3,
    "quarter": Decimal("0.25"),
    "half": Decimal("0.5"),
    "fifth": Decimal("0.2"),
}


@dataclass(frozen=True)
class Ratio:
    """A ratio written in words: 'twice as many' (2), 'three times as much' (3), 'a third
    more' (4/3), 'half as many' (0.5), 'threefold' (3), 'doubled' (2)."""

    value: Decimal
    start: int
    end: int
    words: str


_RATIO_PARTS = (
    "twice",
    "doubl",
    "thrice",
    "tripl",
    "half",
    "third",
    "quarter",
    "times",
    "fifth",
    "fold",
)
"""What each ratio ``_RATIO`` reads holds ('doubl' of 'doubling'): a sentence without one
states no ratio. A new alternative of ``_RATIO`` needs its word here (test_claims_screens)."""


def ratios(sentence: str) -> list[Ratio]:
    lowered = sentence.lower()
    if not any(part in lowered for part in _RATIO_PARTS):
        return []
    found = []
    for m in _RATIO.finditer(sentence):
        if m.group("word"):
            value = _RATIO_WORDS[" ".join(m.group("word").lower().split())]
        elif m.group("times") or m.group("fold"):
            times = (m.group("times") or m.group("fold")).lower()
            value = _SMALL_COUNTS[times] if times in _SMALL_COUNTS else Decimal(times)
        elif m.group("verb"):
            value = next(v for stem, v in _VERBS.items() if stem in m.group("verb").lower())
        else:
            part = _PARTS[m.group("part").lower()]
            value = 1 + part if m.group("way").lower() == "more" else 1 - part
        found.append(Ratio(value, m.start(), m.end(), m.group(0)))
    return found
