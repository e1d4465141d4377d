"""Search every archived source for words, ranked, each passage ready to paste as a quote.

Ranking is Okapi BM25 over sentences. BM25 weighs a word by how rare it is across all
sources, so "H200 revenue share" ranks the sentences about the revenue share above the
many that merely say "H200"; a fuzzy string score (rapidfuzz, difflib) compares the whole
query with each sentence and favours short sentences that share letters. It is twenty
lines over a few thousand sentences, so no dependency is added for it (rank-bm25, the
usual package, has had no release since 2022). Passages that hold more of the query's
words rank first, BM25 orders those alike: a short line with one rare word ("share your
perspective") must not beat the sentence that holds them all.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..claims.verify import locate_in_source
from ..errors import CitebriefError, Location, in_quotes
from ..model import Source
from .quoting import of_reading_size

K1, B = 1.2, 0.75
"""The usual BM25 constants: term-frequency saturation and length normalisation."""

_END = re.compile(r"[.!?][\"'”’)]?(?=\s|$)|\n")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){2,}|\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|No|Nos|St|Inc|Corp|Co|Ltd|Jr|Sr|vs|"
    r"etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gen|Sen|Rep|Gov)\.)$"
)
"""A full stop after these ("U.S.", "Mr.", "No.") does not end the sentence."""
LONGEST_ABBREVIATION = 12
"""Characters before a full stop that can make it an abbreviation's: only these are
searched, not the whole sentence so far (a run of 'Mr. Mr. …' was quadratic)."""
_WORD = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
MIN_SENTENCE = 12
"""Shorter lines (headings, bylines, page numbers) are not offered as quotes."""


@dataclass(frozen=True)
class Hit:
    source: Source
    location: Location
    text: str
    """The passage exactly as archived (whitespace runs collapsed)."""
    score: float
    matched: tuple[str, ...]
    """The query words the passage contains."""


def terms(text: str) -> list[str]:
    """Lower-case words with a light plural fold, so 'exchanges' finds 'exchange'."""
    found = []
    for word in _WORD.findall(text.casefold()):
        word = word.replace(",", "")
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return found


def _passages(source: Source) -> list[tuple[int, str]]:
    """The sentences of the source, with their offsets (a line break also ends one)."""
    text, start = source.text, 0
    found: list[tuple[int, str]] = []
    for end in _END.finditer(text):
        stop = end.end()
        if end.group(0) != "\n" and _ABBREVIATION.search(
            text, max(start, stop - LONGEST_ABBREVIATION), stop
        ):
            continue  # "U.S." or "Mr." inside a sentence
        _keep(text, start, stop, found)
        start = stop
    _keep(text, start, len(text), found)
    return found


def _keep(text: str, start: int, stop: int, found: list[tuple[int, str]]) -> None:
    piece = text[start:stop]
    sentence = piece.strip()
    if len(sentence) >= MIN_SENTENCE:
        found.extend(of_reading_size(start + piece.index(sentence), sentence))


def search(sources: dict[str, Source], words: str, limit: int = 10) -> list[Hit]:
    """The ``limit`` best passages for ``words`` across all sources, best first."""
    wanted = list(dict.fromkeys(terms(words)))
    if not wanted:
        raise CitebriefError(
            f"nothing to search for in {in_quotes(words)}",
            "give one or more words, e.g. H200 revenue",
        )
    passages = [
        (source, start, text, Counter(terms(text)))
        for source in sorted(sources.values(), key=lambda s: s.id)
        for start, text in _passages(source)
    ]
    if not passages:
        return []
    average = sum(sum(c.values()) for *_, c in passages) / len(passages)
    frequency = Counter(t for *_, counts in passages for t in set(counts) & set(wanted))
    weight = {
        t: math.log(1 + (len(passages) - frequency[t] + 0.5) / (frequency[t] + 0.5)) for t in wanted
    }
    scored = []
    for source, start, text, counts in passages:
        length = sum(counts.values())
        score = sum(
            weight[t] * counts[t] * (K1 + 1) / (counts[t] + K1 * (1 - B + B * length / average))
            for t in wanted
            if counts[t]
        )
        if score > 0:
            scored.append((score, source, start, text, tuple(t for t in wanted if counts[t])))
    # Passages holding more of the query's words come first; BM25 orders those alike.
    scored.sort(key=lambda hit: (-len(hit[4]), -hit[0], hit[1].id, hit[2]))
    return [
        Hit(source, locate_in_source(source, start), " ".join(text.split()), score, matched)
        for score, source, start, text, matched in scored[:limit]
    ]
