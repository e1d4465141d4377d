"""What the words just before a figure say about it: one table of meanings.

A source that writes "no more than 50%" bounds the figure from above; "more than 50%"
bounds it from below. Reading the first as the second publishes the opposite of the
source, so every phrase citebrief understands is listed here once, with its meaning, and
the parser takes the *longest* phrase that ends right before the figure ("no more than",
not "more than"). A negation citebrief has no entry for ("not about 50%") reads as
``None``: no qualifier, so it backs no fact until someone quotes clearer words.

The table is the specification; tests/test_qualifiers.py checks every row, and the
README prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Qualifier

HOUSE_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "about",
    Qualifier.NEARLY: "nearly",
    Qualifier.OVER: "more than",
    Qualifier.AT_LEAST: "at least",
    Qualifier.UP_TO: "up to",
    Qualifier.UNDER: "under",
}
"""How a briefing writes each qualifier before a figure ('more than 16 million')."""

MEANINGS: tuple[tuple[str, Qualifier], ...] = (
    # the figure as stated
    ("exactly", Qualifier.EXACT),
    ("precisely", Qualifier.EXACT),
    # approximately: either side of the figure (read as ±10 % when figures are combined)
    ("about", Qualifier.ABOUT),
    ("around", Qualifier.ABOUT),
    ("roughly", Qualifier.ABOUT),
    ("approximately", Qualifier.ABOUT),
    ("approx.", Qualifier.ABOUT),
    ("some", Qualifier.ABOUT),
    ("circa", Qualifier.ABOUT),
    ("an estimated", Qualifier.ABOUT),
    ("estimated", Qualifier.ABOUT),
    ("close to", Qualifier.ABOUT),
    ("~", Qualifier.ABOUT),
    ("≈", Qualifier.ABOUT),
    # just below the figure (within 10 %), never above it
    ("nearly", Qualifier.NEARLY),
    ("almost", Qualifier.NEARLY),
    ("not quite", Qualifier.NEARLY),
    ("just shy of", Qualifier.NEARLY),
    # above the figure, the figure itself excluded
    ("more than", Qualifier.OVER),
    ("over", Qualifier.OVER),
    ("above", Qualifier.OVER),
    ("greater than", Qualifier.OVER),
    ("higher than", Qualifier.OVER),
    ("exceeding", Qualifier.OVER),
    ("exceeded", Qualifier.OVER),
    ("exceeds", Qualifier.OVER),
    ("exceed", Qualifier.OVER),
    ("in excess of", Qualifier.OVER),
    ("upwards of", Qualifier.OVER),
    ("just over", Qualifier.OVER),
    ("well over", Qualifier.OVER),
    ("+", Qualifier.OVER),
    # the figure or more
    ("at least", Qualifier.AT_LEAST),
    ("a minimum of", Qualifier.AT_LEAST),
    ("no fewer than", Qualifier.AT_LEAST),
    ("not fewer than", Qualifier.AT_LEAST),
    ("no less than", Qualifier.AT_LEAST),
    ("not less than", Qualifier.AT_LEAST),
    ("not under", Qualifier.AT_LEAST),
    ("not below", Qualifier.AT_LEAST),
    # the figure or less
    ("up to", Qualifier.UP_TO),
    ("as many as", Qualifier.UP_TO),
    ("as much as", Qualifier.UP_TO),
    ("at most", Qualifier.UP_TO),
    ("a maximum of", Qualifier.UP_TO),
    ("no more than", Qualifier.UP_TO),
    ("not more than", Qualifier.UP_TO),
    ("no greater than", Qualifier.UP_TO),
    ("not over", Qualifier.UP_TO),
    ("not above", Qualifier.UP_TO),
    ("not exceeding", Qualifier.UP_TO),
    # below the figure, the figure itself excluded
    ("under", Qualifier.UNDER),
    ("below", Qualifier.UNDER),
    ("less than", Qualifier.UNDER),
    ("fewer than", Qualifier.UNDER),
    ("just under", Qualifier.UNDER),
    ("not even", Qualifier.UNDER),
)
"""Each phrase a source may write before a figure, and what it means."""

NEGATORS = ("not", "no", "never", "n't")
"""Words that turn the next phrase into its negation ('did not exceed', "didn't top")."""

NEGATED = {
    Qualifier.OVER: Qualifier.UP_TO,
    Qualifier.AT_LEAST: Qualifier.UNDER,
    Qualifier.UNDER: Qualifier.AT_LEAST,
    Qualifier.NEARLY: Qualifier.UNDER,
}
"""What a negated phrase means when the table has no row for it ('never exceeded' → up-to).
A negated 'about', 'up to' or 'exactly' has no clear meaning and reads as None."""

_PHRASAL_UP_TO = frozenset(["add", "adds", "added", "adding"])
"""'The figures add up to 16 million' gives a total, not a ceiling."""

_PHRASAL_OVER = frozenset(
    [
        "hand",
        "hands",
        "handed",
        "handing",
        "turn",
        "turns",
        "turned",
        "turning",
        "take",
        "takes",
        "took",
        "taken",
        "sign",
        "signs",
        "signed",
        "pass",
        "passes",
        "passed",
        "give",
        "gives",
        "gave",
        "given",
        "carry",
        "carries",
        "carried",
        "hold",
        "holds",
        "held",
        "spill",
        "spilled",
        "spread",
    ]
)
"""Verbs that make 'over' part of the verb: 'hand over 25%' transfers 25%, it does not exceed it."""

_BY_LENGTH = sorted(MEANINGS, key=lambda row: len(row[0]), reverse=True)
_BY_LAST_CHARACTER: dict[str, list[tuple[str, Qualifier]]] = {}
"""The phrases a text can end with, by its last character, longest first ('+' is read
apart, from the figure itself)."""
for _phrase, _meaning in _BY_LENGTH:
    if _phrase != "+":
        _BY_LAST_CHARACTER.setdefault(_phrase[-1], []).append((_phrase, _meaning))
_WORD = re.compile(r"[\w'’]+$")


@dataclass(frozen=True)
class Reading:
    """What the words before a figure mean: a qualifier (None when unreadable) and the words."""

    qualifier: Qualifier | None
    words: str


EXACT = Reading(Qualifier.EXACT, "")


QUALIFIER_REACH = 60
"""Characters before a figure that its qualifier is read from (the longest phrase and a
negator fit well within)."""


def read_qualifier(before: str) -> Reading:
    """The qualifier stated by the words that end right before a figure.

    ``before`` is the text up to the figure (its end is what counts). The longest phrase
    of the table that ends there wins; a negator in front of it negates it.
    """
    tail = before[-QUALIFIER_REACH:].replace("’", "'").lower().rstrip()
    for phrase, qualifier in _BY_LAST_CHARACTER.get(tail[-1:], ()):
        if not tail.endswith(phrase):
            continue
        rest = tail[: len(tail) - len(phrase)]
        if phrase[0].isalnum() and rest[-1:].isalnum():
            continue  # 'moreover' is not 'over'
        previous = _previous_word(rest)
        if phrase == "over" and previous in _PHRASAL_OVER:
            return EXACT
        if phrase == "up to" and previous in _PHRASAL_UP_TO:
            return EXACT
        if _is_negator(previous):
            negated = NEGATED.get(qualifier)
            return Reading(negated, f"{_negator_text(rest)} {phrase}")
        return Reading(qualifier, phrase)
    return EXACT


def _previous_word(text: str) -> str:
    m = _WORD.search(text.rstrip())
    return m.group(0) if m else ""


def _is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


def _negator_text(rest: str) -> str:
    return _previous_word(rest)


_BOUND_AFTER = re.compile(
    r"\s*(?:[\w'’-]+\s+){0,2}?or\s+(?:(more|above|higher|greater|over)|(less|fewer|below|lower|under))\b",
    re.I,
)


def read_bound_after(text: str, end: int) -> tuple[Qualifier, str] | None:
    """A bound written after the figure that ends at ``text[end]`` ('700 feet or more' is
    at least 700, '10 percent or less' at most 10), with its words; None when there is none."""
    m = _BOUND_AFTER.match(text, end, end + 40)
    if m is None:
        return None
    words = m.group(0).strip()
    return (Qualifier.AT_LEAST if m.group(1) else Qualifier.UP_TO), words[words.rfind("or ") :]
