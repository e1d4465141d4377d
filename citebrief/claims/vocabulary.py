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
