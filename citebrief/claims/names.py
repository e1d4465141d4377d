"""Where a text names the register's entities: one pass over the text for every name.

The names and aliases of every entity go into one Aho–Corasick automaton (pyahocorasick),
built once per register; a text is then read once, whatever the register's size. One
regular expression per name costs names × texts (10,000 facts against 2,000 entities took
612 s in `check`); one alternation of all names is no better (32 s for 10,000 × 10,000).

Matching ignores case, takes typographic apostrophes for plain ones and any single
whitespace character for a space; a name counts only as whole words ('Intel' is not in
'Intelligence'), and not after 'non-' ('non-Chinese firms' do not name the Chinese firms).
Where names overlap ('Moonshot AI' and 'Moonshot'), the longest wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from ..model import Entity

_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", **{c: " " for c in "\t\n\r\f\v\u00a0\u2009\u202f\u2028\u2029"}}
)
"""Typographic apostrophes as plain ones, whitespace as a space: each one character for one."""


def _folded(text: str) -> str:
    """``text`` lower-cased with the same length (offsets stay valid), whitespace as spaces."""
    lowered = text.lower()
    if len(lowered) != len(text):  # 'İ' lower-cases to two characters
        lowered = "".join(c.lower()[0] for c in text)
    return lowered.translate(_FOLD)


@dataclass(frozen=True)
class NameHit:
    """An entity named in a text, by its name or an alias, at ``text[start:end]``."""

    entity: Entity
    start: int
    end: int


SEEN = 4096
"""Texts whose names an index remembers before it starts afresh."""


class NameIndex:
    """Every name and alias of a register, ready to be found in any text in one pass."""

    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities
        self.groups = [e for e in entities.values() if e.members]
        """The entities that are groups of others, found once (a register lists thousands)."""
        self._seen: dict[str, list[NameHit]] = {}
        """Texts read lately: a sentence is read for each of its figures and clauses."""
        self._automaton = ahocorasick.Automaton()
        for entity in entities.values():
            for name in entity.names:
                key = " ".join(_folded(name).split())
                if key:
                    _, owners = self._automaton.get(key, (0, ()))
                    if entity.id not in owners:
                        self._automaton.add_word(key, (len(key), (*owners, entity.id)))
        if len(self._automaton):
            self._automaton.make_automaton()

    def hits(self, text: str) -> list[NameHit]:
        """Every entity named in ``text``, in order; overlapping names give the longest."""
        if not len(self._automaton) or not text:
            return []
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= SEEN:
                self._seen.clear()
            found = self._seen[text] = self._hits(text)
        return list(found)

    def _hits(self, text: str) -> list[NameHit]:
        folded = _folded(text)
        spans: list[tuple[int, int, str]] = []
        for last, (length, owners) in self._automaton.iter(folded):
            start, end = last + 1 - length, last + 1
            if _whole_word(folded, start, end):
                spans.extend((start, end, owner) for owner in owners)
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[NameHit] = []
        for start, end, owner in spans:
            if kept and start < kept[-1].end and (start, end) != (kept[-1].start, kept[-1].end):
                continue
            kept.append(NameHit(self.entities[owner], start, end))
        return kept

    def named(self, text: str) -> set[str]:
        """Ids of the entities ``text`` names: by a name or alias, or (a group) all members."""
        ids = {hit.entity.id for hit in self.hits(text)}
        return ids | self._groups_named(ids)

    def _groups_named(self, ids: set[str]) -> set[str]:
        groups: set[str] = set()
        changed = True
        while changed:
            changed = False
            for entity in self.groups:
                if entity.id in groups or entity.id in ids:
                    continue
                if all(m in ids or m in groups for m in entity.members):
                    groups.add(entity.id)
                    changed = True
        return groups


def _whole_word(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    if before.isalnum() or before == "_" or after.isalnum() or after == "_":
        return False
    return not (before == "-" and folded[max(0, start - 4) : start] == "non-")


_INDEXES: list[NameIndex] = []
"""The indexes of the last few registers seen (a run has one; `watch` makes a new one)."""


def index_of(entities: dict[str, Entity]) -> NameIndex:
    """The name index of a register, built once for as long as the register is in use."""
    for index in _INDEXES:
        if index.entities is entities:
            return index
    index = NameIndex(entities)
    _INDEXES.insert(0, index)
    del _INDEXES[4:]
    return index
