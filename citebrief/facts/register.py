"""The register of entities and units (briefings/entities.yaml), and the facts' subjects and units checked against it."""

from __future__ import annotations

import heapq
import re
from dataclasses import replace
from typing import Any

from ..common.memo import per_run
from ..common.suggest import did_you_mean
from ..errors import Location, Problem, error, in_quotes, spacing_note
from ..model import (
    BUILTIN_UNITS,
    Corpus,
    Entity,
    Fact,
    FactKind,
    Unit,
    UnitKind,
)
from .load import Loaded
from .parse import parse_model
from .schema import (
    RegisterFile,
)

REGISTER_FILE = "briefings/entities.yaml"


ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def validate_register(loaded: Loaded) -> tuple[dict[str, Entity], dict[str, Unit], list[Problem]]:
    """briefings/entities.yaml: the entities facts are about and the units they count."""
    parsed, problems = parse_model(RegisterFile, loaded.value or {}, loaded, (), "entities file")
    if parsed is None:
        return {}, dict(BUILTIN_UNITS), problems
    entities: dict[str, Entity] = {}
    for i, e in enumerate(parsed.entities):
        where = loaded.at(("entities", i))
        problem = _register_id_problem(e.id, entities, loaded.at(("entities", i, "id")), "entity")
        if problem:
            problems.append(problem)
            continue
        entities[e.id] = Entity(e.id, e.name, tuple(e.aliases), tuple(e.members), where)
    for i, e in enumerate(parsed.entities):
        for j, member in enumerate(e.members):
            if member not in entities or member == e.id:
                problems.append(
                    error(
                        loaded.at(("entities", i, "members", j)),
                        "unknown-entity",
                        f"member '{member}' of entity '{e.id}' is not another entity",
                        "list ids of entities defined in this file: " + _ids(entities),
                    )
                )
    problems.extend(_member_cycle_problems(parsed.entities, entities, loaded))
    units = dict(BUILTIN_UNITS)
    for i, u in enumerate(parsed.units):
        where = loaded.at(("units", i))
        problem = _register_id_problem(u.id, units, loaded.at(("units", i, "id")), "unit")
        if problem:
            problems.append(problem)
            continue
        units[u.id] = Unit(u.id, u.singular, u.plural, tuple(u.aliases), UnitKind.COUNT, where)
    return entities, units, problems


def _member_cycle_problems(
    listed: list[Any], entities: dict[str, Entity], loaded: Loaded
) -> list[Problem]:
    """A group that is, through its members, among its own members (a → b → a) is one error,
    at the member that first closes the loop; the groups in a loop keep no members (naming all
    members of a group would otherwise never end)."""
    problems: list[Problem] = []
    looped: set[str] = set()
    for i, e in enumerate(listed):
        if e.id in looped or entities.get(e.id) is None:
            continue
        if entities[e.id].location != loaded.at(("entities", i)):  # a duplicate id
            continue
        for j, member in enumerate(e.members):
            path = _member_path(member, e.id, entities)
            if path is None or len(path) < 2:  # itself as member: reported already
                continue
            looped.update(path)
            problems.append(
                error(
                    loaded.at(("entities", i, "members", j)),
                    "member-loop",
                    f"entity '{e.id}' is among its own members ({' → '.join([e.id, *path])})",
                    f"a group lists the entities it is made of: remove '{member}' from the "
                    f"members of '{e.id}', or '{e.id}' from those of '{path[-2]}'",
                )
            )
            break
    for entity_id in looped:
        entities[entity_id] = replace(entities[entity_id], members=())
    return problems


def _member_path(start: str, target: str, entities: dict[str, Entity]) -> list[str] | None:
    """The members from ``start`` that lead back to ``target`` (ending with it), if any."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        here, path = stack.pop()
        if here == target:
            return path
        if here in seen or here not in entities:
            continue
        seen.add(here)
        stack.extend((m, [*path, m]) for m in reversed(entities[here].members))
    return None


def _register_id_problem(
    value: str, taken: dict[str, Any], where: Location, what: str
) -> Problem | None:
    if not ENTITY_ID.match(value) and value not in BUILTIN_UNITS:
        return error(
            where,
            "unsafe-id",
            f"{what} id {in_quotes(value)}{spacing_note(value)} is not a safe name",
            "use lowercase letters, digits and single hyphens, e.g. 'moonshot' or 'api-calls'",
        )
    if value in taken:
        first = taken[value].location
        return error(
            where,
            f"duplicate-{what}-id",
            f"duplicate {what} id '{value}'"
            + (f" (first defined at {first})" if first else " (a built-in unit)"),
            "ids must be unique: rename one of the two",
        )
    return None


IDS_LISTED = 12
"""Ids a hint lists before it says how many more there are: a register of thousands listed
whole in each of thousands of hints was a quadratic flood (143 MB of output)."""


def _ids(items: dict[str, Any]) -> str:
    return _listed(tuple(items))


@per_run
def _listed(ids: tuple[str, ...]) -> str:
    if len(ids) <= IDS_LISTED:
        return ", ".join(sorted(ids)) or "(none yet)"
    return ", ".join(heapq.nsmallest(IDS_LISTED, ids)) + f" and {len(ids) - IDS_LISTED:,} more"


def check_subjects_and_units(corpus: Corpus) -> list[Problem]:
    """Every number and date fact says what it is about, in the register's words."""
    problems: list[Problem] = []
    for fact in corpus.facts.values():
        problems.extend(_subject_problems(fact, corpus))
        if fact.kind is FactKind.NUMBER:
            problems.extend(
                _unit_problems(fact.unit, fact.unit_location or fact.location, fact.id, corpus)
            )
    return problems


def _subject_problems(fact: Fact, corpus: Corpus) -> list[Problem]:
    if fact.subject is None:
        if corpus.has_register and fact.kind in (FactKind.NUMBER, FactKind.DATE):
            return [
                error(
                    fact.location,
                    "missing-subject",
                    f"{fact.kind} fact '{fact.id}' does not say what it is about",
                    "add 'subject:' with the id of an entity in "
                    f"{REGISTER_FILE}: {_ids(corpus.entities)}",
                )
            ]
        return []
    if fact.subject in corpus.entities:
        return []
    where = fact.subject_location or fact.location
    if not corpus.has_register:
        return [
            error(
                where,
                "unknown-entity",
                f"fact '{fact.id}' has subject '{fact.subject}', but the project has no "
                f"{REGISTER_FILE}",
                f"create {REGISTER_FILE} with 'entities:' listing '{fact.subject}' "
                "(id, name, aliases); the README shows the format",
            )
        ]
    return [
        error(
            where,
            "unknown-entity",
            f"subject '{fact.subject}' of fact '{fact.id}' is not in {REGISTER_FILE}",
            did_you_mean(fact.subject, corpus.entities)
            + f"the entities are: {_ids(corpus.entities)}; add it there if it is new",
        )
    ]


def _unit_problems(unit: str, where: Location, fact_id: str, corpus: Corpus) -> list[Problem]:
    if not corpus.has_register or unit in corpus.units:
        return []
    alias_of = [u.id for u in corpus.units.values() if unit.lower() in map(str.lower, u.nouns)]
    hint = (
        f"'{unit}' is a noun of unit '{alias_of[0]}': write 'unit: {alias_of[0]}'"
        if alias_of
        else f"the units are: {_ids(corpus.units)}; add '{unit}' to 'units:' in "
        f"{REGISTER_FILE} if it is new"
    )
    return [
        error(
            where,
            "unknown-unit",
            f"unit '{unit}' of '{fact_id}' is not in {REGISTER_FILE}",
            hint,
        )
    ]
