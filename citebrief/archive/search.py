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

from ..claims.sentences import sentence_spans
from ..claims.verify import locate_in_source
from ..errors import CitebriefError, Location, in_quotes
from ..model import Source
from .quoting import of_reading_size

K1, B = 1.2, 0.75
"""The usual BM25 constants: term-frequency saturation and length normalisation."""

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
    """The sentences of the source (claims/sentences.py, the one splitter), with their
    offsets, long ones in pieces of reading size."""
    text = source.text
    found: list[tuple[int, str]] = []
    for start, end in sentence_spans(text):
        if end - start >= MIN_SENTENCE:
            found.extend(of_reading_size(start, text[start:end]))
    return found


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
