"""Search every archived source for words, ranked, each passage ready to paste as a quote.

Ranking is Okapi BM25 over sentences. BM25 weighs a word by how rare it is across all
sources, so "H200 revenue share" ranks the sentences about the revenue share above the
many that merely say "H200"; a fuzzy string score (rapidfuzz, difflib) compares the whole
query with each sentence and favours short sentences that share letters. It is twenty
lines over the index's counts, so no dependency is added for it (rank-bm25, the usual
package, has had no release since 2022); the index is SQLite's FTS5 (standard library). Passages that hold more of the query's
words rank first, BM25 orders those alike: a short line with one rare word ("share your
perspective") must not beat the sentence that holds them all.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


def search(
    sources: dict[str, Source], words: str, limit: int = 10, index: Path | None = None
) -> list[Hit]:
    """The ``limit`` best passages for ``words`` across all sources, best first.

    The passages and their words live in an SQLite FTS5 index (``index``, a file kept
    between runs, else in memory), brought up to date source by source (a source whose text
    changed is indexed again): a search reads only the passages holding a query word, and
    never holds a word count of every passage at once (462 MB over 20 MB of text)."""
    wanted = list(dict.fromkeys(terms(words)))
    if not wanted:
        raise CitebriefError(
            f"nothing to search for in {in_quotes(words)}",
            "give one or more words, e.g. H200 revenue",
        )
    with _opened(index) as db:
        _bring_up_to_date(db, sources)
        return _ranked(db, sources, wanted, limit)


SCHEMA = 1
"""The index's layout; an index of another layout (or not an index) is made again."""


@contextlib.contextmanager
def _opened(index: Path | None) -> Iterator[sqlite3.Connection]:
    db = None
    if index is not None:
        try:
            db = _connect(str(index))
        except sqlite3.DatabaseError:  # damaged, or of another layout: made again
            index.unlink(missing_ok=True)
            db = _connect(str(index))
    db = db or _connect(":memory:")
    try:
        with db:
            yield db
    finally:
        db.close()


def _connect(name: str) -> sqlite3.Connection:
    db = sqlite3.connect(name)
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA):
            raise sqlite3.DatabaseError("another layout")
        db.executescript(
            f"""
            PRAGMA user_version = {SCHEMA};
            CREATE TABLE IF NOT EXISTS source (id TEXT PRIMARY KEY, digest TEXT NOT NULL);
            CREATE VIRTUAL TABLE IF NOT EXISTS passage USING fts5(
                words, source UNINDEXED, start UNINDEXED, length UNINDEXED, text UNINDEXED,
                tokenize = "unicode61 remove_diacritics 0 tokenchars '._'"
            );
            CREATE VIRTUAL TABLE IF NOT EXISTS vocabulary USING fts5vocab(passage, 'row');
            """
        )
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _bring_up_to_date(db: sqlite3.Connection, sources: dict[str, Source]) -> None:
    indexed = dict(db.execute("SELECT id, digest FROM source"))
    for sid in sorted(set(indexed) - set(sources)):
        db.execute("DELETE FROM passage WHERE source = ?", (sid,))
        db.execute("DELETE FROM source WHERE id = ?", (sid,))
    for sid in sorted(sources):
        digest = hashlib.sha256(sources[sid].text.encode("utf-8", "surrogatepass")).hexdigest()
        if indexed.get(sid) == digest:
            continue
        db.execute("DELETE FROM passage WHERE source = ?", (sid,))
        db.executemany(
            "INSERT INTO passage (words, source, start, length, text) VALUES (?, ?, ?, ?, ?)",
            (
                (" ".join(found), sid, start, len(found), text)
                for start, text in _passages(sources[sid])
                for found in [terms(text)]
            ),
        )
        db.execute("INSERT OR REPLACE INTO source VALUES (?, ?)", (sid, digest))


def _ranked(
    db: sqlite3.Connection, sources: dict[str, Source], wanted: list[str], limit: int
) -> list[Hit]:
    """BM25 over the passages (the passages holding more of the words first), computed from
    the index's counts: the passages, their average length, each word's passage count."""
    total, words_in_all = db.execute("SELECT count(*), total(length) FROM passage").fetchone()
    if not total:
        return []
    average = words_in_all / total
    holding = dict(
        db.execute(
            f"SELECT term, doc FROM vocabulary WHERE term IN ({','.join('?' * len(wanted))})",
            wanted,
        )
    )
    weight = {
        t: math.log(1 + (total - holding.get(t, 0) + 0.5) / (holding.get(t, 0) + 0.5))
        for t in wanted
    }
    query = " OR ".join('"' + t.replace('"', '""') + '"' for t in wanted)
    scored = []
    for words, sid, start, length, text in db.execute(
        "SELECT words, source, start, length, text FROM passage WHERE passage MATCH ?", (query,)
    ):
        counts = Counter(words.split(" "))
        score = sum(
            weight[t] * counts[t] * (K1 + 1) / (counts[t] + K1 * (1 - B + B * length / average))
            for t in wanted
            if counts[t]
        )
        if score > 0 and sid in sources:
            scored.append((score, sid, start, text, tuple(t for t in wanted if counts[t])))
    # Passages holding more of the query's words come first; BM25 orders those alike.
    scored.sort(key=lambda hit: (-len(hit[4]), -hit[0], hit[1], hit[2]))
    return [
        Hit(
            sources[sid],
            locate_in_source(sources[sid], start),
            " ".join(text.split()),
            score,
            matched,
        )
        for score, sid, start, text, matched in scored[:limit]
    ]
