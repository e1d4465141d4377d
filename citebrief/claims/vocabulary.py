"""What the claims reader recognises in a project: its entities (by name), units (by noun)
and measures (by the words that state them), gathered once per corpus."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..common.memo import per_run
from ..model import Corpus, Entity, Measure, Unit


@dataclass(frozen=True, eq=False)
class Register:
    """What the reader recognises: entities (by name), units (by noun), measures (by word)."""

    entities: dict[str, Entity]
    units: dict[str, Unit]
    measures: dict[str, Measure]

    @classmethod
    def of(cls, corpus: Corpus) -> Register:
        return _register_of(corpus)

    @property
    def measure_pattern(self) -> re.Pattern[str] | None:
        return _measure_pattern(self)

    def may_state_measure(self, text: str) -> bool:
        """False when ``text`` cannot hold a measure word: each word's first run of letters,
        digits and hyphens is a whole such run of any text it is found in, so a text
        without one of them is skipped with a set look-up instead of the whole pattern."""
        keys = _measure_keys(self)
        return keys is None or not keys.isdisjoint(_RUN.findall(text.lower()))


_REGISTERS: list[tuple[Corpus, Register]] = []


def _register_of(corpus: Corpus) -> Register:
    for seen, register in _REGISTERS:
        if seen is corpus:
            return register
    register = Register(corpus.entities, corpus.units, corpus.measures)
    _REGISTERS.insert(0, (corpus, register))
    del _REGISTERS[4:]
    return register


@per_run
def _measure_pattern(register: Register) -> re.Pattern[str] | None:
    words = sorted(
        {w.lower() for m in register.measures.values() for w in m.words}, key=len, reverse=True
    )
    if not words:
        return None
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])", re.I)


_RUN = re.compile(r"[\w-]+")


@per_run
def _measure_keys(register: Register) -> frozenset[str] | None:
    keys = set()
    for m in register.measures.values():
        for word in m.words:
            run = _RUN.search(word.lower())
            if run is None:
                return None  # a word of signs only: no key can rule it out
            keys.add(run.group(0))
    return frozenset(keys)
