"""The fact base as triage reads it: number and date facts indexed by unit and subject, by
figure, and by the rarer words of their labels, so that a figure is set only beside the facts
it could be about and its cost does not grow with the size of the fact base."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable

from ..claims.names import index_of
from ..common.words import FUNCTION_WORDS
from ..facts.measures import fact_measure
from ..model import Corpus, Fact

_BASES: list[tuple[Corpus, FactBase]] = []

LABEL_OVERLAP = 0.5
"""Share of a fact's label words a sentence must contain to be about it, when the fact has
no subject to look for."""


class FactBase:
    """The number and date facts, indexed so that a figure is set only beside the facts it
    could be about: a figure's cost does not grow with the size of the fact base."""

    @classmethod
    def of(cls, corpus: Corpus) -> FactBase:
        """The index of ``corpus``, built once and kept for the corpus's next sources (the
        four most recent corpora are kept, as the reader keeps its registers)."""
        for seen, base in _BASES:
            if seen is corpus:
                return base
        base = cls(corpus)
        _BASES.insert(0, (corpus, base))
        del _BASES[4:]
        return base

    def __init__(self, corpus: Corpus) -> None:
        facts = [
            f
            for f in corpus.facts.values()
            if (f.kind == "number" and f.number is not None)
            or (f.kind == "date" and f.date is not None)
        ]
        self.corpus = corpus
        self.citing: defaultdict[str, set[str]] = defaultdict(set)
        """Ids of the facts citing each source (any fact: a statement's too)."""
        for fact in corpus.facts.values():
            for citation in fact.citations:
                self.citing[citation.source].add(fact.id)
        self.rank = {f.id: k for k, f in enumerate(facts)}
        numbers = [f for f in facts if f.kind == "number"]
        self.by_unit_subject = _grouped(numbers, lambda f: (f.unit, f.subject))
        self.by_figure = _grouped(numbers, lambda f: (f.unit, f.number))
        self.by_subject_figure = _grouped(numbers, lambda f: (f.subject, f.number))
        self.dates_by_value = _grouped(
            [f for f in facts if f.kind == "date"], lambda f: f.date.iso() if f.date else ""
        )
        self.dates_by_subject = _grouped(
            [f for f in facts if f.kind == "date"], lambda f: f.subject
        )
        self.facts = {f.id: f for f in facts}
        self.labels = LabelIndex([f for f in facts if f.subject is None])
        """Only facts with no subject are found by their label's words: the others by subject."""
        self._label_stems: dict[str, set[str]] = {}
        self.noun_units = [(noun, unit) for noun, unit in _unit_nouns(corpus) if noun[:1].isalpha()]
        self.fact_nouns = [
            (re.compile(_noun_pattern(noun), re.I), unit)
            for noun, unit in self.noun_units
            if unit not in corpus.units
        ]
        """Nouns of units the facts name but no register lists (a project without one)."""
        """(noun, unit id), longest noun first."""
        self.groups = [(e.id, set(e.members)) for e in corpus.entities.values() if e.members]
        self._measures: dict[str, str | None] = {}

    def label_stems(self, fact: Fact) -> set[str]:
        """The words of a fact's label (made once, when needed)."""
        if fact.id not in self._label_stems:
            self._label_stems[fact.id] = stems(fact.label)
        return self._label_stems[fact.id]

    def in_order(self, facts: Iterable[Fact]) -> list[Fact]:
        """``facts`` in the fact base's order, each once (the first found wins ties)."""
        return sorted({f.id: f for f in facts}.values(), key=lambda f: self.rank[f.id])

    def label_overlaps(self, sentence: str) -> dict[str, float]:
        return self.labels.overlaps(stems(sentence))

    def named_entities(self, text: str) -> set[str]:
        """Ids of the entities a sentence names: by name or alias, or (a group) all its
        members (one pass of the register's name index over the text)."""
        return index_of(self.corpus.entities).named(text)

    def unlisted_unit(self, text: str, end: int, stop: int) -> str | None:
        """The unit whose noun follows a figure ending at ``end``, among the facts' units that
        no register lists (two words may stand between: '300 pending licence applications')."""
        for pattern, unit in self.fact_nouns:
            if pattern.match(text, end, stop):
                return unit
        return None

    def measure(self, fact: Fact) -> str | None:
        """What the fact measures: its `measure:`, else the one its label names (made once)."""
        if fact.id not in self._measures:
            measure, _ = fact_measure(fact, self.corpus)
            self._measures[fact.id] = measure if measure in self.corpus.measures else None
        return self._measures[fact.id]


_STOP = FUNCTION_WORDS | {"that", "which", "who"}
"""Words a fact's label shares with any sentence: not evidence of the same subject."""


def _grouped(facts: list[Fact], key: Callable[[Fact], Hashable]) -> dict[Hashable, list[Fact]]:
    groups: defaultdict[Hashable, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    return groups


class LabelIndex:
    """Which facts' labels share at least LABEL_OVERLAP of their words with a sentence.

    A label of k words must share k - k // 2 of them (half, rounded up), so at most k // 2
    may be missing: it shares one of any k // 2 + 1 of its words. Each label is listed under
    its k // 2 + 1 rarest words only, so a word every label has ('requests') finds nothing by
    itself, and the facts a sentence reaches are few however many the fact base holds."""

    def __init__(self, facts: list[Fact]) -> None:
        self.stems = {f.id: stems(f.label) for f in facts}
        frequency = Counter(s for words in self.stems.values() for s in words)
        self.listed: defaultdict[str, list[str]] = defaultdict(list)
        for fact_id, words in self.stems.items():
            for s in sorted(words, key=lambda s: (frequency[s], s))[: len(words) // 2 + 1]:
                self.listed[s].append(fact_id)

    def overlaps(self, sentence: set[str]) -> dict[str, float]:
        reached = {fid for s in sentence for fid in self.listed.get(s, ())}
        shares = {fid: len(self.stems[fid] & sentence) / len(self.stems[fid]) for fid in reached}
        return {fid: share for fid, share in shares.items() if share >= LABEL_OVERLAP}


def _unit_nouns(corpus: Corpus) -> list[tuple[str, str]]:
    """(noun, unit id) pairs, longest noun first: the register's units, else the facts' units."""
    pairs = {(noun.lower(), unit.id) for unit in corpus.units.values() for noun in unit.nouns}
    for fact in corpus.facts.values():
        if fact.kind == "number" and fact.unit and fact.unit not in corpus.units:
            pairs |= {(fact.unit.lower(), fact.unit), (fact.unit.lower().rstrip("s"), fact.unit)}
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and not w.isdigit()}


def stem(word: str) -> str:
    for suffix in ("ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _noun_pattern(noun: str) -> str:
    """A unit's noun after a figure; two words may stand between ('24,000 fake accounts')."""
    return r"\s+(?:[\w-]+\s+){0,2}?" + r"\s+".join(map(re.escape, noun.split())) + r"\b"
