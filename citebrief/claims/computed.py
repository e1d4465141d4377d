"""Computed figures checked against the facts they are calculated from.

Every input is a numeric fact; the inputs count one thing in one unit (a currency is a
unit); a share, ratio or change is of figures that cannot be negative; the label names the
entities the inputs are about and no other; and a figure it is compared with
(`compare_with:`) is a range that overlaps the computed range.
"""

from __future__ import annotations

from dataclasses import replace

from ..common.counts import noun_for
from ..errors import Location, Problem, error, warning
from ..facts.derive import Computed, allowed_range, compute, computed_display, range_text
from ..facts.display import format_value
from ..model import Corpus, DateStyle, Derived, Difference, Entity, Fact, Share, Sum
from .names import index_of
from .reader import entities_named, names_entity


def verify_computed(corpus: Corpus) -> tuple[dict[str, Computed], list[Problem]]:
    """Each computed figure of the corpus that can be computed, and the problems found."""
    computed: dict[str, Computed] = {}
    problems: list[Problem] = []
    for item in corpus.derived.values():
        value, found = verify_derived(item, corpus)
        problems.extend(found)
        if value is not None:
            computed[item.id] = value
    return computed, problems


def verify_derived(derived: Derived, corpus: Corpus) -> tuple[Computed | None, list[Problem]]:
    facts = corpus.facts
    for index, fact_id in enumerate(derived.inputs):
        fact = facts.get(fact_id)
        if fact is None or fact.kind != "number" or fact.number is None:
            return None, [
                error(
                    _at(derived, index),
                    "derived-input",
                    f"computed figure '{derived.id}' uses '{fact_id}', which is "
                    + ("not a fact" if fact is None else "not a numeric fact"),
                    "name numeric facts in the formula",
                    subject=fact_id,
                )
            ]
    inputs = [facts[i] for i in derived.inputs]
    problems = _unit_problems(derived, inputs) or _sign_problems(derived, inputs)
    if problems:
        return None, problems
    value = compute(derived, facts)
    problems = _result_problems(derived, value) + _label_problems(derived, inputs, corpus)
    compared = _compared(derived, value, facts)
    if any(p.code == "derived-contradicts" for p in compared):
        value = replace(value, disputed_by=facts[derived.compare_with])
    return value, problems + compared


def _at(derived: Derived, index: int) -> Location:
    if index < len(derived.input_locations):
        return derived.input_locations[index]
    return derived.location


def _unit_problems(derived: Derived, inputs: list[Fact]) -> list[Problem]:
    first = inputs[0]
    for index, fact in enumerate(inputs[1:], 1):
        if fact.unit != first.unit:
            return [
                error(
                    _at(derived, index),
                    "formula-units",
                    f"computed figure '{derived.id}' mixes units: '{first.id}' counts "
                    f"{first.unit or 'no unit'}, '{fact.id}' counts {fact.unit or 'no unit'}",
                    "a formula's inputs must count the same thing in the same unit (and "
                    "currency); compute each unit separately",
                )
            ]
    return []


def _sign_problems(derived: Derived, inputs: list[Fact]) -> list[Problem]:
    if isinstance(derived.formula, Sum | Difference):
        return []
    for index, fact in enumerate(inputs):
        if fact.number is not None and fact.number < 0:
            return [
                error(
                    _at(derived, index),
                    "share-range",
                    f"computed figure '{derived.id}' is a {derived.formula.kind} of "
                    f"'{fact.id}', which is negative ({format_value(fact, DateStyle.UK)}): "
                    + (
                        "the share would not lie between 0 and 100%"
                        if isinstance(derived.formula, Share)
                        else "the result would mean nothing"
                    ),
                    f"a {derived.formula.kind} is of counts or amounts, which are never negative",
                )
            ]
    return []


def _result_problems(derived: Derived, value: Computed) -> list[Problem]:
    formula = derived.formula
    if isinstance(formula, Share) and value.central == 0 and value.interval.high == 0:
        return [
            error(
                derived.location,
                "share-range",
                f"computed figure '{derived.id}' is a share of a whole of zero",
                "a share needs a whole greater than zero: check the inputs' values",
            )
        ]
    if isinstance(formula, Difference) and value.interval.high < 0:
        return [
            error(
                _at(derived, 0),
                "formula-order",
                f"computed figure '{derived.id}' is negative whatever its inputs' qualifiers "
                f"allow: '{formula.first}' is smaller than '{formula.second}'",
                f"write 'difference: [{formula.second}, {formula.first}]' if the label "
                "describes how much larger the second is",
            )
        ]
    if not value.central.is_finite():
        return [
            error(
                _at(derived, 1 if len(derived.inputs) > 1 else 0),
                "share-range",
                f"computed figure '{derived.id}' divides by zero",
                "the figure it divides by must be greater than zero",
            )
        ]
    return []


def _label_problems(derived: Derived, inputs: list[Fact], corpus: Corpus) -> list[Problem]:
    """The label names whose figure this is: the part of a share, both sides of a ratio or
    difference, every term of a sum (or a group of them), and no one else."""
    entities = corpus.entities
    subjects = [entities[f.subject] for f in inputs if f.subject in entities]
    if not subjects:
        return []
    formula = derived.formula
    if isinstance(formula, Share):
        part = next((f for f in inputs if f.id == formula.part), None)
        required = [entities[part.subject]] if part and part.subject in entities else []
    else:
        required = list({s.id: s for s in subjects}.values())
    problems = []
    missing = [e for e in required if not names_entity(derived.label, e, entities)]
    if len(missing) > 1 and isinstance(formula, Sum) and _group_named(derived, missing, corpus):
        missing = []
    if missing:
        problems.append(
            error(
                derived.location,
                "formula-subject",
                f"the label of computed figure '{derived.id}' does not name "
                f"{missing[0].name}, whose figure it "
                + ("is a share of" if isinstance(formula, Share) else "is calculated from"),
                f"name {missing[0].name} in 'label:' (or a group that includes it), so the "
                "reader knows whose figure it is",
            )
        )
    allowed = _related(subjects, corpus)
    foreign = [e for e in entities_named(derived.label, entities) if e.id not in allowed]
    if foreign:
        problems.append(
            error(
                derived.location,
                "formula-subject",
                f"the label of computed figure '{derived.id}' names {foreign[0].name}, but "
                f"no input is about {foreign[0].name}",
                "the label must describe the inputs' subjects: "
                + ", ".join(sorted({s.name for s in subjects})),
            )
        )
    return problems


def _group_named(derived: Derived, members: list[Entity], corpus: Corpus) -> bool:
    ids = {m.id for m in members}
    return any(
        ids <= set(group.members) and names_entity(derived.label, group, corpus.entities)
        for group in index_of(corpus.entities).groups
    )


def _related(subjects: list[Entity], corpus: Corpus) -> set[str]:
    """The subjects, their groups' members, and the groups any of them belong to."""
    ids = {s.id for s in subjects}
    ids |= {m for s in subjects for m in s.members}
    ids |= {g.id for g in index_of(corpus.entities).groups if ids & set(g.members)}
    return ids


def _compared(derived: Derived, value: Computed, facts: dict[str, Fact]) -> list[Problem]:
    if not derived.compare_with:
        return []
    reported = facts.get(derived.compare_with)
    if reported is None or reported.number is None:
        return [
            error(
                derived.location,
                "derived-input",
                f"computed figure '{derived.id}' is compared with '{derived.compare_with}', "
                "which is not a numeric fact",
                "set 'compare_with:' to the id of the reported figure",
            )
        ]
    if reported.unit != value.unit:
        return [
            error(
                derived.location,
                "derived-input",
                f"computed figure '{derived.id}' counts {value.unit or 'no unit'}, but the "
                f"figure it is compared with, '{reported.id}', counts {reported.unit or 'no unit'}",
                "compare it with a reported figure of the same thing in the same unit",
            )
        ]
    allowed = allowed_range(reported.number, reported.qualifier)
    if value.interval.overlaps(allowed):
        return []
    inputs = sorted({c.source for f in value.inputs for c in f.agreeing_citations})
    sources = sorted({c.source for c in reported.agreeing_citations})
    return [
        warning(
            derived.location,
            "derived-contradicts",
            f"computed figure '{derived.id}' disagrees with the reported '{reported.id}': the "
            f"figures reported by {', '.join(inputs)} imply {computed_display(value)} "
            f"({range_text(value.interval, value.unit, value.figures)}); "
            f"{', '.join(sources)} {noun_for(len(sources), 'reports', 'report')} "
            f"{format_value(reported, DateStyle.UK)}",
            "check the quotes of the inputs and of the reported figure; to keep both, give "
            f"'{reported.id}' 'acknowledge: {{derived-contradicts: <why>}}' (the briefing's "
            "note on the computed figure says they disagree)",
            fact=reported.id,
        )
    ]
