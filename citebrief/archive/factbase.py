"""The fact base as triage reads it: number and date facts indexed by unit and subject, by
figure, and by the rarer words of their labels, so that a figure is set only beside the facts
it could be about and its cost does not grow with the size of the fact base."""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter

from ..claims.names import index_of
from ..common.words import FUNCTION_WORDS
from ..facts.measures import fact_measure
from ..model import Corpus, Fact, Qualifier

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
        collecting = gc.isenabled()
        gc.disable()  # no cycles are made here: at 64,000 facts the collector took 0.2 s of 0.3
        try:
            base = cls(corpus)
        finally:
            if collecting:
                gc.enable()
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
        self.by_unit_subject: defaultdict[tuple[str | None, str | None], list[Fact]]
        self.by_figure: defaultdict[tuple[str | None, Decimal | None], list[Fact]]
        self.by_subject_figure: defaultdict[tuple[str | None, Decimal | None], list[Fact]]
        self.dates_by_value: defaultdict[str, list[Fact]]
        self.dates_by_subject: defaultdict[str | None, list[Fact]]
        self.by_unit_subject, self.by_figure, self.by_subject_figure = (
            defaultdict(list),
            defaultdict(list),
            defaultdict(list),
        )
        self.dates_by_value, self.dates_by_subject = defaultdict(list), defaultdict(list)
        for f in facts:  # one pass: at 64,000 facts each pass costs about 0.05 s
            if f.kind == "number":
                self.by_unit_subject[(f.unit, f.subject)].append(f)
                self.by_figure[(f.unit, f.number)].append(f)
                self.by_subject_figure[(f.subject, f.number)].append(f)
            elif f.date is not None:
                self.dates_by_value[f.date.iso()].append(f)
                self.dates_by_subject[f.subject].append(f)
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
        self._whole: dict[tuple[str, str], NumberGroup] = {}
        self._by_measure: dict[tuple[str | None, str | None], dict[str | None, NumberGroup]] = {}

    def numbers_of(
        self, unit: str, subject: str, measure: str | None, loose: bool
    ) -> list[NumberGroup]:
        """The number facts in ``unit`` about ``subject`` that may measure what a figure
        measures: those that name no measure, and those that name ``measure``; when the
        figure's words name none, every one if ``loose`` (a unit that says what is counted),
        else only those that name none. The bucket of one subject and unit is split by
        measure when first asked for, so a figure meets only the facts that fit it."""
        key = (unit, subject)
        if measure is None and loose:  # every fact fits: no measure need be read
            if key not in self._whole:
                self._whole[key] = NumberGroup(self.by_unit_subject.get(key, []))
            return [self._whole[key]]
        if key not in self._by_measure:
            split: defaultdict[str | None, list[Fact]] = defaultdict(list)
            for fact in self.by_unit_subject.get(key, []):
                split[self.measure(fact)].append(fact)
            self._by_measure[key] = {m: NumberGroup(facts) for m, facts in split.items()}
        groups = self._by_measure[key]
        return [groups[m] for m in (None, measure) if m in groups]

    def compared(self, value: Decimal, bound: Qualifier, groups: list[NumberGroup]) -> Fact | None:
        """The first fact (in the fact base's order) of ``groups`` that holds ``value`` with
        ``bound``, else None."""
        agreeing = [f for g in groups if (f := g.first(value, bound)) is not None]
        return min(agreeing, key=lambda f: self.rank[f.id]) if agreeing else None

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


class NumberGroup:
    """Number facts looked up by value: the first to hold a value with a bound, and the
    closest to a value (ties to the smaller id), in time that does not grow with the group."""

    def __init__(self, facts: list[Fact]) -> None:
        """``facts`` in the fact base's order, each with a number."""
        self.by_number: defaultdict[Decimal, list[Fact]] = defaultdict(list)
        for fact in facts:
            assert fact.number is not None
            self.by_number[fact.number].append(fact)
        self.numbers = sorted(self.by_number)

    def __bool__(self) -> bool:
        return bool(self.numbers)

    def first(self, value: Decimal, bound: Qualifier) -> Fact | None:
        """The first fact that holds ``value`` with ``bound``."""
        for fact in self.by_number.get(value, ()):
            if (fact.qualifier or Qualifier.EXACT) == bound:
                return fact
        return None

    def closest(self, value: Decimal) -> Fact:
        """The fact whose number is nearest ``value``, the smaller id among equals."""
        at = bisect_left(self.numbers, value)
        near = self.numbers[max(0, at - 1) : at + 1]
        number = min(near, key=lambda n: (abs(n - value), min(f.id for f in self.by_number[n])))
        return min(self.by_number[number], key=attrgetter("id"))


_STOP = FUNCTION_WORDS | {"that", "which", "who"}
"""Words a fact's label shares with any sentence: not evidence of the same subject."""


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
