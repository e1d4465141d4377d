"""'Did you mean …?' for an unknown id, at a cost that does not grow with the fact base.

difflib compares the unknown id with every known one (≈20 µs each: 0.2 s at 10,000
facts, for each unknown reference; a briefing of 250 of them took a minute). Up to
EXACT_UP_TO known ids that is still what is done. Past it, the ids sharing the most of the unknown id's rarer
three-letter pieces are found in an index kept for the run, and difflib picks among them:
reading at most PIECES_READ index entries, whatever the size of the fact base.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

from .memo import per_run

CUTOFF = 0.6
"""difflib's similarity below which nothing is suggested."""
EXACT_UP_TO = 100
"""Known ids compared one by one with the unknown id, as difflib does, up to this many."""
SHORTLIST = 40
"""Known ids difflib chooses among, past EXACT_UP_TO."""
PIECES_READ = 5000
"""Index entries read for one unknown id, at most (pieces every id has are skipped)."""


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known id most like ``word``, or None when none is alike enough."""
    names = tuple(known)
    candidates = list(names) if len(names) <= EXACT_UP_TO else _shortlist(word, names)
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """'did you mean 'x'? ' to open a hint, or '' when nothing is alike enough."""
    close = closest(word, known)
    return f"did you mean '{close}'? " if close is not None else ""


def _shortlist(word: str, names: tuple[str, ...]) -> list[str]:
    index = _index(names)
    shared: Counter[int] = Counter()
    read = 0
    for piece in sorted(_pieces(word), key=lambda p: (len(index.get(p, ())), p)):
        holders = index.get(piece, ())
        if read + len(holders) > PIECES_READ:
            break
        read += len(holders)
        shared.update(holders)
    return [names[i] for i, _ in shared.most_common(SHORTLIST)]


@per_run
def _index(names: tuple[str, ...]) -> dict[str, list[int]]:
    """For each three-letter piece, the known ids (by position) that contain it."""
    index: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        for piece in _pieces(name):
            index.setdefault(piece, []).append(position)
    return index


def _pieces(word: str) -> set[str]:
    word = word.lower()
    return {word[i : i + 3] for i in range(max(1, len(word) - 2))}
