"""Whose figure a chart bar or a table row shows: the words labelling it must name the
entity the fact is about (a bar "Moonshot AI" fed by a DeepSeek fact is an error), the one
rule for every place a reader sees a figure next to a name other than in prose."""

from __future__ import annotations

from typing import Any

from ..claims.reader import entities_named, names_entity
from ..errors import Problem, error
from ..facts.derive import Computed
from ..facts.schema import TableBlock
from ..model import Corpus, Entity, Fact


def owner(item: Fact | Computed, corpus: Corpus) -> Entity | None:
    """The entity a figure is about: a fact's subject; for a computed figure, the subject
    all its inputs share (None when they are about several, or none)."""
    if isinstance(item, Computed):
        subjects = {i.subject for i in item.inputs}
        return corpus.entities.get(subjects.pop() or "") if len(subjects) == 1 else None
    return corpus.entities.get(item.subject or "")


def mislabelled(label: str, item: Fact | Computed, corpus: Corpus, strict: bool) -> Entity | None:
    """The entity ``item`` is about when ``label`` does not name it, else None.

    ``strict`` (a chart's hand-typed label): the label must name the entity. Otherwise (a
    table row's words): only a label that names some entity, and not this one, is wrong; a
    row labelled 'Total' or 'Reported range' names no one."""
    entity = owner(item, corpus)
    if entity is None or names_entity(label, entity, corpus.entities):
        return None
    if strict or entities_named(label, corpus.entities):
        return entity
    return None


def row_problems(block: TableBlock, loaded: Any, corpus: Corpus, derived: Any) -> list[Problem]:
    """Each fact cell of a table against the words of its row (or, when they name no
    entity, its column's heading): a row 'Moonshot AI' must hold Moonshot AI's figures."""
    problems = []
    table = f"table '{block.name}'" if block.name else f"the table '{block.caption}'"
    for r, row in enumerate(block.rows):
        words = " ; ".join(c for c in row if c not in corpus.facts and c not in derived)
        for c, cell in enumerate(row):
            item = corpus.facts.get(cell) or derived.get(cell)
            if item is None:
                continue
            named_in_row = bool(entities_named(words, corpus.entities))
            label = words if named_in_row else (block.columns[c] if c < len(block.columns) else "")
            entity = mislabelled(label, item, corpus, strict=False)
            if entity is not None:
                where = "row" if named_in_row else "column"
                problems.append(
                    error(
                        loaded.at(("rows", r, c)),
                        "table-row-subject",
                        f"in {table}, '{cell}' is a figure for {entity.name}, but its {where} "
                        f"is labelled '{label}'",
                        f"put the figure in the {where} for {entity.name}, or use the fact "
                        f"that gives the figure for the {where}'s entity",
                    )
                )
    return problems
