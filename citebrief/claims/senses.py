"""Words that look like a figure, a fraction or a bound and are not one, read as a careful
reader of English reads them (figures.py asks these before it keeps a figure):

- a number with a letter glued to it is a model name, not a scale, when it has no currency
  sign and no noun after it, and stands after a name ('Huawei's Ascend 910B') or in a list
  of such names ('the 910B and 910C');
- 'a third', 'a quarter' written apart are fractions only before 'of', 'the' or a verb of
  being ('a third of the chips'); before another noun they are ordinals ('a third party',
  'a quarter earlier'); hyphenated, they qualify a noun ('a one-third stake');
- 'under' and 'over' right after the noun another figure counts join the two phrases ('11
  entities under 11 entries', '13 million exchanges over 3 months'): they are prepositions,
  not bounds;
- a bare year-like number counts something when a plural noun follows it or a qualifier no
  one says of a year stands before it ('counted 2000 accounts', 'about 2025 requests');
- a qualifier may stand before 'worth' rather than before the figure ('approximately worth
  $8 billion').
"""

from __future__ import annotations

import re

from ..facts.qualifiers import QUALIFIER_REACH, Reading, read_qualifier
from ..model import Qualifier
from .dates import DateMention

# --- years and counts -----------------------------------------------------------------------

_YEAR_WORDS = frozenset(
    [
        "in",
        "since",
        "by",
        "until",
        "till",
        "from",
        "during",
        "before",
        "after",
        "through",
        "throughout",
        "of",
        "the",
        "for",
        "early",
        "late",
        "mid",
        "fiscal",
        "fy",
        "year",
        "between",
    ]
)
"""Words after which a bare year-like number is a year ('in 2025 requests rose', 'the 2025
models'), whatever follows it."""
_YEAR_QUALIFIERS = frozenset(["about", "around", "circa", "over", "under", "above", "some", "~"])
"""Qualifiers that are also said of a year, or are a preposition before one ("around 2025",
"a report about 2025"): a count noun must follow."""
_WORDS_BEFORE = re.compile(r"[\w.]+")
_NEXT_WORD = re.compile(r"\s+([A-Za-z][\w'-]*)")


def count_not_year(mention: DateMention, text: str) -> bool:
    """Whether a bare year-like number counts something: 'counted 2000 accounts', 'about
    2025 requests' (a count noun follows, or a qualifier no one says of a year precedes)."""
    if not mention.text.isdigit():
        return False
    before = text[max(0, mention.start - QUALIFIER_REACH) : mention.start]
    words_before = _WORDS_BEFORE.findall(before)
    if words_before and words_before[-1].lower() in _YEAR_WORDS:
        return False
    qualifier = read_qualifier(before).words
    if qualifier and qualifier.split()[-1] not in _YEAR_QUALIFIERS:
        return True
    noun = _NEXT_WORD.match(text, mention.end)
    return noun is not None and noun.group(1).islower() and plural(noun.group(1))


_NOT_PLURAL = frozenset(
    [
        "is",
        "was",
        "has",
        "its",
        "this",
        "thus",
        "as",
        "us",
        "plus",
        "less",
        "across",
        "always",
        "perhaps",
        "uses",
        "yes",
        "his",
        "does",
        "hers",
        "ours",
        "yours",
        "whereas",
        "unless",
    ]
)


def plural(word: str) -> bool:
    word = word.lower()
    return (
        len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word not in _NOT_PLURAL
    )


# --- model names -----------------------------------------------------------------------------

_MODEL = r"[A-Z]?\d+(?![kKmMbB]\b)[A-Za-z]+\b"
"""A model-like token whose letters are no scale ('910C', 'H20'): '24K' could be a count."""
_SIBLING = re.compile(r"\s*(?:,|/|\band\b|\bor\b)\s*(?:the\s+)?" + _MODEL)
"""Another model-like token listed with the figure ('910B and 910C', '910B/910C')."""
_SIBLING_BEFORE = re.compile(r"\b" + _MODEL + r"\s*(?:,|/|\band\b|\bor\b)\s*(?:the\s+)?$")
_NAME_BEFORE = re.compile(r"(?<![.!?:;\"“(]\s)(?<![.!?:;\"“(])\b([A-Z][\w'’-]*)\s+$")
"""A capitalised word right before the figure that does not start a sentence ('Ascend')."""
_PHRASE_OVER = re.compile(
    r"\s*(?:$|[.,;:!?)\]”\"'’]|(?:and|or|with|in|on|to|from|for|of|at|by|as|is|was|are|were"
    r"|has|have|had|will|would|could|can|chips?)\b)"
)
"""What follows a model name: punctuation, the end, a function word, or 'chips' ('Ascend
910B chips' name chips of the model; a scale would count them: '16M chips' is read apart)."""
_NOT_NAMES = frozenset(
    [
        "about",
        "around",
        "over",
        "under",
        "nearly",
        "almost",
        "roughly",
        "some",
        "up",
        "to",
        "than",
        "more",
        "less",
        "at",
        "least",
        "approximately",
        "just",
        "only",
        "exactly",
    ]
)


def model_name(m: re.Match[str], text: str) -> bool:
    """Whether a numeral of figures.py (groups 'short', a glued scale letter, and 'cur') is a
    model name rather than a scaled number."""
    return bool(m.group("short")) and not m.group("cur") and is_model_name(text, m.start(), m.end())


def is_model_name(text: str, start: int, end: int) -> bool:
    """Whether the number with a glued letter at ``text[start:end]`` (no currency sign) is
    a model name: no noun follows it, and a name stands before it or a model token is
    listed with it."""
    after = _PHRASE_OVER.match(text, end)
    if after is None or after.group(0).strip().lower().startswith("chip"):
        return False
    if _SIBLING.match(text, end) or _SIBLING_BEFORE.search(text, max(0, start - 20), start):
        return True
    name = _NAME_BEFORE.search(text, max(0, start - 40), start)
    return name is not None and name.group(1).lower() not in _NOT_NAMES


# --- fractions and ordinals ------------------------------------------------------------------

_FRACTION_AFTER = re.compile(r"\s+(?:of|the|were|was|are|is)\b", re.I)


def ordinal(m: re.Match[str], text: str) -> bool:
    """Whether a fraction of figures.py (groups 'part' and 'sep') is an ordinal."""
    return bool(m.group("part")) and is_ordinal(text, m.group("sep"), m.end())


def is_ordinal(text: str, separator: str, end: int) -> bool:
    """Whether 'a third' / 'two quarters' written apart (``separator`` is the space) is an
    ordinal or a period rather than a fraction: no 'of', 'the' or verb of being follows."""
    return separator != "-" and _FRACTION_AFTER.match(text, end) is None


# --- prepositions ----------------------------------------------------------------------------

JOINING = frozenset(["under", "over"])
"""Bound words that may be prepositions joining two figures' phrases."""
_NOUN = re.compile(r"[a-z][a-z'’-]*")
_NOT_NOUNS = frozenset(
    [
        "and",
        "or",
        "but",
        "to",
        "from",
        "of",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "as",
        "than",
        "that",
        "which",
        "who",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "can",
        "may",
        "might",
        "rose",
        "fell",
        "grew",
        "increased",
        "decreased",
        "dropped",
        "reached",
        "totaled",
        "totalled",
        "rising",
        "falling",
        "growing",
        "just",
        "only",
        "still",
    ]
)


def joined_figures(text: str, figures: list[tuple[int, int, str]]) -> set[int]:
    """The indexes of the figures (start, end, bound words; in order) whose bound word is a
    preposition joining them to the figure before."""
    return {
        i
        for i in range(1, len(figures))
        if joins_figures(text, figures[i - 1][1], figures[i][0], figures[i][2])
    }


def joins_figures(text: str, previous_end: int, start: int, words: str) -> bool:
    """Whether the bound ``words`` ('under') before the figure at ``start`` is a preposition
    joining it to the figure that ends at ``previous_end``: only that figure's noun (one to
    three words, ending in a plural noun) stands between ('11 entities under 11 entries')."""
    if words not in JOINING:
        return False
    before = text[previous_end:start].rstrip()
    if not before.lower().endswith(words):
        return False
    between = before[: len(before) - len(words)].split()
    return (
        0 < len(between) <= 3
        and all(_NOUN.fullmatch(w) and w not in _NOT_NOUNS for w in between)
        and between[-1].endswith("s")  # the plural noun the figure before counts
        and not between[-1].endswith("ss")
    )


# --- qualifiers before 'worth' ---------------------------------------------------------------

_WORTH = re.compile(r"\bworth\s*$", re.I)


def qualifier_before_worth(before: str) -> Reading | None:
    """'approximately worth $8 billion': an 'about' or 'nearly' put before 'worth' (the words
    ``before`` the figure end with it) is the figure's; None when none stands there."""
    if not before.rstrip().lower().endswith("worth"):
        return None
    m = _WORTH.search(before, max(0, len(before) - 12))
    if m is None:
        return None
    reading = read_qualifier(before[: m.start()])
    if reading.qualifier in (Qualifier.ABOUT, Qualifier.NEARLY):
        return reading
    return None
