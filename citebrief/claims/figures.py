"""Find the figures a piece of text states: numbers, percentages, money and dates.

Shared by the verify stage (does a quote state the fact's value?) and the briefing
gate (does prose state a figure that no fact reference produced?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..common.memo import per_run
from ..facts.qualifiers import QUALIFIER_REACH, read_bound_after, read_qualifier
from ..model import Qualifier
from .dates import (
    DIGIT,
    MONTHS,
    DateMention,
    find_dates,
    find_relative_dates,
    resolve_relative,
)
from .normalise import Origins, normalise, words
from .senses import (
    JOINING,
    count_not_year,
    joined_figures,
    model_name,
    ordinal,
    plural,
    qualifier_before_worth,
)

__all__ = [
    "MONTHS",
    "DateMention",
    "Origins",
    "find_relative_dates",
    "normalise",
    "resolve_relative",
    "words",
]

_SCALES = {
    "thousand": Decimal(10**3),
    "k": Decimal(10**3),
    "million": Decimal(10**6),
    "mn": Decimal(10**6),
    "m": Decimal(10**6),
    "billion": Decimal(10**9),
    "bn": Decimal(10**9),
    "bln": Decimal(10**9),
    "mln": Decimal(10**6),
    "b": Decimal(10**9),
    "trillion": Decimal(10**12),
}
_NUMBER = re.compile(
    r"(?<![\w:.,/$])(?<!(?<!\d)-)(?P<cur>US\$|NT\$|HK\$|\$|€|£|₹|₩|(?-i:RM))?\s?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|mln|bln)\b|(?P<short>[kKmMbB])(?![\w]))?"
    r"(?P<plus>\+)?"
    r"(?:[\s-]?(?P<pct>%|per ?cent\b))?"
    r"(?P<plus_after>\+)?"
    r"(?![\w]|[.,]\d)",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """A number stated in text, with its scale applied."""

    value: Decimal
    kind: str
    """'number', 'percent', 'money' or 'fraction' (a share: 'two-thirds' is 0.666…)."""
    qualifier: Qualifier | None
    """None when the source negates a phrase in a way that has no clear meaning."""
    qualifier_words: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Figures:
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]

    def __bool__(self) -> bool:
        return bool(self.quantities or self.dates)


_NONE = Figures((), ())


def find_figures(text: str) -> Figures:
    """Every date and quantity stated in ``text``, in numerals or in words.

    Dates come first so years are not counted twice; then fractions ('two-thirds',
    'three in four'), numerals, and numbers in words ('sixteen million').
    """
    return _figures_of(text) if text else _NONE


@per_run
def _figures_of(text: str) -> Figures:
    """A text's figures, read once a run: a sentence is read for its quote, its mentions and
    the checks of each of its figures."""
    return _find_figures(text, screened=True)


def _find_figures(text: str, screened: bool) -> Figures:
    """``screened``: skip the patterns the text's words rule out (False only to test that
    screening changes nothing)."""
    dates = tuple(d for d in find_dates(text, screened) if not count_not_year(d, text))
    masked = _mask(text, [(d.start, d.end) for d in dates])
    words = _Words(masked) if screened else _ANY_WORDS
    fractions = (
        [_fraction(m, text) for m in _FRACTION.finditer(masked) if not ordinal(m, text)]
        if words.fraction
        else []
    )
    masked = _mask(masked, [(q.start, q.end) for q in fractions])
    if words.digits and ("-" in masked or "(" in masked):  # every such run holds one
        masked = _mask(masked, [m.span() for m in _NOT_A_FIGURE.finditer(masked)])
    numerals = (
        [
            _quantity(m, text)
            for m in _NUMBER.finditer(masked)
            if not (m.group("short") and model_name(m, text))
        ]
        if words.digits
        else []
    )
    masked = _mask(masked, [(q.start, q.end) for q in numerals])
    in_words = (
        [q for m in _NUMBER_WORDS.finditer(masked) if (q := _worded(m, text))]
        if words.number
        else []
    )
    quantities = sorted([*fractions, *numerals, *in_words], key=lambda q: q.start)
    if any(q.qualifier_words in JOINING for q in quantities):
        joined = joined_figures(text, [(q.start, q.end, q.qualifier_words) for q in quantities])
        quantities = [_exact(q) if i in joined else q for i, q in enumerate(quantities)]
    return Figures(tuple(quantities), dates)


# --- numbers and fractions in words ------------------------------------------------------------

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SMALL = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS[1:10]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
_NUMBER_WORDS = re.compile(
    r"(?<![\w-])(?P<words>(?:" + _SMALL + r"|a)(?:\s+hundred(?:\s+(?:and\s+)?" + _SMALL + r")?)?"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion))?)(?![\w-])",
    re.I,
)
_FRACTION_WORDS = {
    "half": Decimal("0.5"),
    "third": Decimal(1) / 3,
    "thirds": Decimal(1) / 3,
    "quarter": Decimal("0.25"),
    "quarters": Decimal("0.25"),
    "fifth": Decimal("0.2"),
    "fifths": Decimal("0.2"),
    "sixth": Decimal(1) / 6,
    "sixths": Decimal(1) / 6,
    "eighth": Decimal("0.125"),
    "eighths": Decimal("0.125"),
    "tenth": Decimal("0.1"),
    "tenths": Decimal("0.1"),
}
_FRACTION = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<num>"
    + _SMALL
    + r"|a|an|one)(?P<sep>[- ])(?P<part>half|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?)"
    r"(?=\s+(?:of|the|were|was|are|is)\b|[-\s]\w)"
    r"|(?<!first\s)(?<!second\s)(?<!latter\s)(?<!former\s)(?P<alone>half)"
    r"(?=\s+(?:of|the|its|their|his|her|our|your|these|those)\b)"
    r"|(?P<n>\d{1,3}|" + _SMALL + r")\s+in\s+(?P<m>\d{1,3}|" + _SMALL + r")(?=\s)"
    r")(?![\w])",
    re.I,
)


class _Words:
    """Which of the figure patterns can match a text at all, judged from its words.

    Each pattern is a long alternation tried at every position; most quotes, labels and
    sentences hold no number in words and no fraction, and a set look-up says so at a
    fraction of the cost (find_figures runs on every quote and every sentence around one).
    """

    __slots__ = ("digits", "fraction", "number")

    def __init__(self, text: str) -> None:
        tokens = _TOKEN.findall(text.lower())
        present = set(tokens)
        self.digits = DIGIT.search(text) is not None
        self.number = not _NUMBER_VOCABULARY.isdisjoint(present)
        self.fraction = not _FRACTION_PARTS.isdisjoint(present) or (
            "in" in present and _counts_in(tokens)
        )


class _AnyWords:
    digits = fraction = number = True


_ANY_WORDS = _AnyWords()

_TOKEN = re.compile(r"[a-z]+|\d+")
_NUMBER_VOCABULARY = frozenset(
    [*_UNITS, *_TENS, "hundred", "thousand", "million", "billion", "trillion"]
)
"""Every number in words has one of these ('a hundred', 'a million': the article alone is none)."""
_FRACTION_PARTS = frozenset(_FRACTION_WORDS)


def _counts_in(tokens: list[str]) -> bool:
    """Whether 'N in M' occurs ('three in four', '1 in 5'): 'in' between two numbers."""
    at = tokens.index("in")  # the caller knows there is one
    while True:
        if 0 < at < len(tokens) - 1 and _counts(tokens[at - 1]) and _counts(tokens[at + 1]):
            return True
        try:
            at = tokens.index("in", at + 1)
        except ValueError:
            return False


def _counts(token: str) -> bool:
    return token.isdigit() or token in WORD_VALUES


def _word_value(words: str) -> Decimal | None:
    """'twenty-four' → 24, 'three hundred and five' → 305, 'a' → 1; None if not a number."""
    total = 0
    current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word == "a":
            current = 1
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in WORD_VALUES:
            current += WORD_VALUES[word]
        else:
            return None
    return Decimal(total + current)


def _worded(m: re.Match[str], text: str) -> Quantity | None:
    words = m.group("words")
    scale = (m.group("scale") or "").lower()
    body = words[: len(words) - len(scale)].strip() if scale else words
    if body.lower() == "a" and not scale:
        return None  # the article
    if body.lower() == "a" and re.search(r"hundred", words, re.I) is None and not scale:
        return None
    value = _word_value(body)
    if value is None:
        return None
    value *= _SCALES.get(scale, Decimal(1))
    reading = read_qualifier(text[max(0, m.start() - QUALIFIER_REACH) : m.start()])
    return Quantity(
        value.normalize(), "number", reading.qualifier, reading.words, m.start(), m.end(), words
    )


def _fraction(m: re.Match[str], text: str) -> Quantity:
    if m.group("n"):
        n, d = (_numeral_or_word(m.group(g)) for g in ("n", "m"))
        value = n / d if d else Decimal(0)
    elif m.group("alone"):
        value = Decimal("0.5")
    else:
        count = m.group("num").lower()
        n = Decimal(1) if count in ("a", "an", "one") else _numeral_or_word(count)
        value = n * _FRACTION_WORDS[m.group("part").lower()]
    reading = read_qualifier(text[max(0, m.start() - QUALIFIER_REACH) : m.start()])
    return Quantity(
        value, "fraction", reading.qualifier, reading.words, m.start(), m.end(), m.group(0)
    )


def _exact(q: Quantity) -> Quantity:
    return Quantity(q.value, q.kind, Qualifier.EXACT, "", q.start, q.end, q.text)


def _numeral_or_word(text: str) -> Decimal:
    return Decimal(text) if text.isdigit() else (_word_value(text) or Decimal(0))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


_NOT_A_FIGURE = re.compile(
    r"(?<![\w-])\(?\d{3}\)?[-. ]\d{3}-\d{4}(?![\w-])"  # a telephone number: 202-482-2440
    r"|(?<!\)\s)(?<![\w)])\(\d{1,2}\)(?=\s+(?!and\b|or\b)[a-z])"  # an item: 'that (1) the …'
)
"""Digits that state no quantity: masked before numerals are read."""


def _quantity(m: re.Match[str], text: str) -> Quantity:
    digits = m.group("int").replace(",", "")
    value = Decimal(digits + ("." + m.group("dec") if m.group("dec") else ""))
    scale = (m.group("scale") or m.group("short") or "").lower()
    value *= _SCALES.get(scale, Decimal(1))
    if m.group("pct"):
        kind = "percent"
    elif m.group("cur"):
        kind = "money"
    else:
        kind = "number"
    reading = read_qualifier(text[max(0, m.start() - QUALIFIER_REACH) : m.start()])
    if (
        not reading.words
        and "worth" in text[max(0, m.start() - 8) : m.start()]
        and (worth := qualifier_before_worth(text[max(0, m.start() - QUALIFIER_REACH) : m.start()]))
    ):
        reading = worth  # 'approximately worth $8 billion'
    qualifier, words = reading.qualifier, reading.words
    if m.group("plus") or m.group("plus_after"):
        qualifier, words = Qualifier.OVER, "+"
    elif qualifier is Qualifier.EXACT and (after := read_bound_after(text, m.end())):
        qualifier, words = after
    return Quantity(value.normalize(), kind, qualifier, words, m.start(), m.end(), m.group(0))


# --- the figure gate: what counts as a figure a reader sees -------------------------------------

SMALL_NUMBER_LIMIT = 10
"""Whole numbers below this are labels ('section 2', 'phase 1') unless they count something."""

_LABEL_WORDS = frozenset(
    [
        "figure",
        "table",
        "section",
        "part",
        "phase",
        "chapter",
        "article",
        "annex",
        "appendix",
        "group",
        "tier",
        "no",
        "number",
        "incident",
        "seed",
        "page",
        "step",
        "item",
        "point",
        "level",
        "round",
        "stage",
        "version",
    ]
)
_ANAPHORIC = frozenset(["the", "these", "those", "its", "their", "all"])


def reader_figures(text: str) -> list[str]:
    """The figures in ``text`` that must come from a fact: every date and year, every
    percentage, amount of money, fraction and number in words or numerals, except small
    whole numbers that label something ('section 2') rather than count it ('nine sources')."""
    found = find_figures(text)
    figures = [(d.start, d.text) for d in found.dates]
    figures += [(q.start, q.text) for q in found.quantities if _is_figure(q, text)]
    return [figure.strip() for _, figure in sorted(figures)]


def reader_figure_mentions(text: str) -> tuple[list[Quantity], list[DateMention]]:
    """Like ``reader_figures``, as the quantities and dates themselves."""
    found = find_figures(text)
    return [q for q in found.quantities if _is_figure(q, text)], list(found.dates)


_WORD_BEFORE = re.compile(r"[\w.]+")


def _is_figure(q: Quantity, text: str) -> bool:
    # the words just before (a word of 64 characters is no label or article either way)
    before = _WORD_BEFORE.findall(text, max(0, q.start - 64), q.start)
    if q.text.strip().isdigit() and before and before[-1].lower().rstrip(".") in _LABEL_WORDS:
        return False  # 'Figure 1', 'seed 003', 'Part 740', 'incident 13951'
    if q.kind != "number" or q.qualifier_words or q.value >= SMALL_NUMBER_LIMIT:
        return True
    if q.value != int(q.value):
        return True
    if before and before[-1].lower() in _ANAPHORIC:
        return False  # 'the three labs' refers back to a set the text has named
    after = re.findall(r"[\w'-]+", text[q.end : q.end + 40])[:2]
    return any(plural(word) for word in after)


def is_name_like(figure: str) -> bool:
    """Whether a figure flagged by the gate could be a name or number label ('Part 740'):
    bare digits only, never a quantity with a scale, a separator, a unit or a qualifier."""
    return figure.isdigit()


def quantity_in(text: str) -> str:
    """The first quantity or date in ``text`` ('25%', '2026', 'sixteen million'), or ''.

    Used to refuse `[[literal:…]]` around a quantity: literal is for names that look like
    figures (H20, R1, K2.5), never for a figure itself.
    """
    found = find_figures(text)
    for d in found.dates:
        if not d.text.isdigit():  # a bare year-like number may be a name ('the 2025 models')
            return d.text
    for q in found.quantities:
        if q.kind != "number" or q.qualifier_words or not q.text.strip().isdigit():
            return q.text.strip()
    return ""
