"""The briefing's own prose, read like a quote: a figure a fact reference puts into a
sentence must not be given there to another entity, nor to another unit.

"MiniMax ran [[labs.moonshot.exchanges]] exchanges" gives Moonshot AI's figure to MiniMax;
"[[campaign.exchanges]] accounts" gives a count of exchanges the noun of accounts. The
sentence is read with each reference replaced by the figure it shows, by the same rules
that read a quote (the clause's entity; the noun right after the figure).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Corpus, Fact, UnitKind
from .reader import figure_owners, names_entity
from .reading import unit_after
from .vocabulary import Register


@dataclass(frozen=True)
class Placed:
    """A fact's figure as the prose shows it, at ``text[start:end]``."""

    fact: Fact
    start: int
    end: int


@dataclass(frozen=True)
class ProseProblem:
    fact_id: str
    code: str
    message: str
    hint: str


def prose_problems(text: str, placed: list[Placed], corpus: Corpus) -> list[ProseProblem]:
    """What the sentence around each figure says against its fact."""
    problems: list[ProseProblem] = []
    for figure in placed:
        problems.extend(_owner(text, figure, corpus))
        problems.extend(_unit(text, figure, placed, corpus))
    return problems


def _owner(text: str, figure: Placed, corpus: Corpus) -> list[ProseProblem]:
    entity = corpus.entities.get(figure.fact.subject or "")
    if entity is None:
        return []
    clause, owners = figure_owners(text, figure.start, figure.end, corpus.entities)
    if not owners or entity in owners or names_entity(clause, entity, corpus.entities):
        return []
    segment = _segment(text, figure)
    owners = [e for e in owners if names_entity(segment, e, corpus.entities)]
    if not owners:
        return []  # 'the first lab sent X, the second Y': the owner is elided, not named
    names = " and ".join(e.name for e in owners)
    return [
        ProseProblem(
            figure.fact.id,
            "prose-owner-mismatch",
            f"the sentence gives [[{figure.fact.id}]], a figure for {entity.name}, to {names}",
            f"name {entity.name} in the clause that states the figure, or refer to the fact "
            f"that gives the figure for {names}",
        )
    ]


def _segment(text: str, figure: Placed) -> str:
    """The stretch between the commas (or colons) around the figure."""
    start = max(text.rfind(",", 0, figure.start), text.rfind(";", 0, figure.start)) + 1
    ends = [i for i in (text.find(",", figure.end), text.find(";", figure.end)) if i >= 0]
    return text[start : min(ends, default=len(text))]


def _unit(text: str, figure: Placed, placed: list[Placed], corpus: Corpus) -> list[ProseProblem]:
    fact = figure.fact
    unit = corpus.units.get(fact.unit) if fact.unit else None
    if unit is None or unit.kind is not UnitKind.COUNT or not corpus.has_register:
        return []
    limit = min((p.start for p in placed if p.start >= figure.end), default=len(text))
    register = Register.of(corpus)
    found, words = unit_after(register, text, figure.end, limit)
    if found is None or found == unit.id:
        return []
    other = corpus.units[found]
    return [
        ProseProblem(
            fact.id,
            "prose-unit-mismatch",
            f"the sentence calls [[{fact.id}]], a number of {unit.plural}, "
            f"'{words}' (a noun of unit '{other.id}')",
            f"write the noun of {unit.plural} after the figure ({', '.join(unit.nouns[:3])}), "
            "or refer to the fact that counts " + other.plural,
        )
    ]
