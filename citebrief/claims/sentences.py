"""The one sentence splitter: where a text's sentences, paragraphs and list items start
and end, and the sentence(s) around a quote.

Every reader of text uses it: the claims reader (a figure is read in its own sentence),
verification (a quote is judged with the sentence around it), `quote` and `search`
(passages offered to paste). A full stop after an abbreviation ('U.S.', 'Jan.', 'Mr.') or
a single letter does not end a sentence; a line break does unless it only wraps a line (as
in text from a PDF); a blank line, a bullet or a numbered item always does.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from ..common.memo import per_run
from .figures import Figures, find_figures

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "rep",
        "sen",
        "gov",
        "gen",
        "st",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "vs",
        "etc",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "fig",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
    ]
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9•])")
_BULLET = re.compile(r"\s*(?:[•·▪‣◦*-]|\d{1,2}[.)])\s")
_WORD_ENDING = re.compile(r"([\w.]+)[.!?]$")
_RUNS_ON = re.compile(r"[a-z0-9,;–—-]$")
"""A line ending so has its sentence go on in the next line (unless that starts upper-case)."""


@per_run
def boundaries(text: str) -> tuple[int, ...]:
    """Offsets where a sentence, a paragraph or a list item starts or ends, sorted, always
    holding 0 and ``len(text)``."""
    found = {0, len(text)}
    for m in _SENTENCE_END.finditer(text):
        word = _WORD_ENDING.search(text, max(0, m.start() - 12), m.start() + 1)
        before = word.group(1).lower().rstrip(".") if word else ""
        if before in ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            continue
        found.add(m.end())
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        offset += len(line) + 1
        if _line_break_ends_sentence(line, following):
            found.update((offset - 1, offset))
    return tuple(sorted(b for b in found if b <= len(text)))


_OPEN_ENDED = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "their",
        "its",
        "to",
        "with",
        "that",
    ]
)
"""Words no sentence ends on: a line ending in one ('… on January 15, 2026, the' / 'Bureau
of …') wraps its sentence, whatever the next line starts with."""
_LAST_WORD = re.compile(r"([\w.]+)$")
_LAST_WORD_REACH = 64
"""Characters of a line's end searched for its last word: the pattern, tried from every
position of a long line, cost a quarter of finding a text's sentences; a longer run of
letters is no word the rules below know (they compare short words)."""


def _line_break_ends_sentence(line: str, following: str) -> bool:
    """A line break is a boundary unless it only wraps a sentence (as in text from a PDF):
    the line runs on ('…, and' / 'a comma') into a line starting lower-case, ends on a word
    no sentence ends on ('the' / 'Bureau'), or ends on an abbreviation ('U.S.' / 'customers')."""
    if not line.strip() or not following.strip() or _BULLET.match(following):
        return True
    end = line.rstrip()
    word = _LAST_WORD.search(end, max(0, len(end) - _LAST_WORD_REACH))
    last = word.group(1).lower() if word else ""
    if last in _OPEN_ENDED:
        return False
    if following.lstrip()[:1].isupper():
        return True
    stem = last.rstrip(".")
    abbreviated = stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())
    return not (_RUNS_ON.search(end) or (last.endswith(".") and abbreviated))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence (or list item, or line of a table) of ``text`` as (start, end), without
    the whitespace around it; empty stretches are left out."""
    bounds = boundaries(text)
    spans = []
    for first, last in itertools.pairwise(bounds):
        piece = text[first:last]
        stripped = piece.strip()
        if stripped:
            start = first + piece.index(stripped[0])
            spans.append((start, start + len(stripped)))
    return spans


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence of ``text`` holding ``text[offset]``, as (start, end)."""
    bounds = boundaries(text)
    at = bisect.bisect_right(bounds, offset) - 1
    first = bounds[max(0, at)]
    last = bounds[min(len(bounds) - 1, at + 1)]
    return first, last


# --- the sentence around a quote ----------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """A quote with the sentence(s) or list item(s) of the source that contain it."""

    text: str
    quote_start: int
    """Where the quote starts and ends within ``text``."""
    quote_end: int
    offset: int = 0
    """Where ``text`` starts in the source's text."""

    @property
    def quote(self) -> str:
        return self.text[self.quote_start : self.quote_end]

    def inside(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` overlaps the quote."""
        return start < self.quote_end and self.quote_start < end

    @functools.cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    @functools.cached_property
    def figures(self) -> Figures:
        return find_figures(self.text)

    def quoted(self) -> Figures:
        """The figures the quote itself states, read with their context (qualifiers included)."""
        return self._quoted

    @functools.cached_property
    def _quoted(self) -> Figures:
        return Figures(
            tuple(q for q in self.figures.quantities if self.inside(q.start, q.end)),
            tuple(d for d in self.figures.dates if self.inside(d.start, d.end)),
        )


def context_of(text: str, start: int, end: int) -> Context:
    """The sentence(s) or list item(s) of ``text`` that contain ``text[start:end]``."""
    bounds = boundaries(text)
    first = bounds[bisect.bisect_right(bounds, start) - 1]
    last = bounds[bisect.bisect_left(bounds, end)]
    if last - first > LONGEST_CONTEXT + (end - start):
        first, last = _narrowed(text, start, end, first, last)
    while first < start and text[first].isspace():
        first += 1  # the sentence without the space around it: the same text as its span
    while last > end and text[last - 1].isspace():
        last -= 1
    return Context(text[first:last], start - first, end - first, first)


LONGEST_CONTEXT = 1000
"""Characters of a 'sentence' around a quote beyond the quote itself: a table or a list
extracted from a PDF may read as one sentence thousands of lines long, and every figure
in it would be read for every quote into it. Past this, the quote's own lines are its
context, and past that the words around it."""


def _narrowed(text: str, start: int, end: int, first: int, last: int) -> tuple[int, int]:
    line_start = text.rfind("\n", first, start) + 1 or first
    line_end = text.find("\n", end, last)
    first, last = max(first, line_start), (line_end if line_end >= 0 else last)
    if last - first <= LONGEST_CONTEXT + (end - start):
        return first, last
    reach = LONGEST_CONTEXT // 2
    before = text.rfind(" ", first, max(first, start - reach)) + 1 or max(first, start - reach)
    after = text.find(" ", min(last, end + reach), last)
    return max(first, before), (after if after >= 0 else min(last, end + reach))


def sentences_before(text: str, context: Context, count: int = 2) -> str:
    """Up to ``count`` sentences before the context, in the same paragraph or list item."""
    bounds = boundaries(text)
    earlier = bounds[: bisect.bisect_left(bounds, context.offset)]
    start = earlier[-count] if len(earlier) >= count else 0
    stretch = text[start : context.offset]
    return stretch[stretch.rfind("\n") + 1 :]
