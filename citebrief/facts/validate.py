"""Validate stage: loaded values become the typed model, or located problems."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from dataclasses import replace
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ..common.characters import DELETE_HINT, describe_control
from ..common.memo import per_run
from ..common.suggest import did_you_mean
from ..common.values import read_date, read_number
from ..errors import Location, Problem, error, in_quotes
from ..model import (
    BUILTIN_UNITS,
    UNKNOWN,
    Acknowledgement,
    Citation,
    Corpus,
    Derived,
    Entity,
    Fact,
    PartialDate,
    Qualifier,
    Reliability,
    Source,
    Unit,
    UnitKind,
)
from .load import FrontMatterFile, Loaded
from .schema import (
    FIELD_HELP,
    DerivedEntry,
    FactEntry,
    RegisterFile,
    SourceFrontMatter,
    WarningCode,
    help_for,
)

FACT_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)*$")
SOURCE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_DATE_TEXT = re.compile(r"^\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?$")


M = TypeVar("M", bound=BaseModel)


def parse_model(
    schema: type[M], data: Any, loaded: Loaded, path: tuple[Any, ...], what: str
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (found at ``path`` in ``loaded``) against ``schema``."""
    try:
        return schema.model_validate(data), []
    except ValidationError as exc:
        return None, _located_problems(exc, data, loaded, path, what, schema)


def _located_problems(
    exc: ValidationError,
    data: Any,
    loaded: Loaded,
    base: tuple[Any, ...],
    what: str,
    schema: type[BaseModel],
) -> list[Problem]:
    seen: dict[tuple[Any, ...], Problem] = {}
    for err in sorted(exc.errors(), key=_is_plain_type_error):
        loc = _data_path(data, err["loc"], err["type"])
        if loc in seen or _already_reported((*base, *loc), loaded):
            continue
        help_text = help_for(_owner(schema, loc).__name__, _field_name(loc))
        seen[loc] = _problem_for(err, loc, loaded, base, what, help_text)
    return list(seen.values())


def _is_plain_type_error(err: Any) -> bool:
    """False for the error that says most: a text with a control character in a field that
    also takes a number ('value') fails as 'not an integer' too; the character is the news."""
    return not (err["type"] == "string_pattern_mismatch" and _control_in(err.get("input")))


def _control_in(value: Any) -> str | None:
    return describe_control(value) if isinstance(value, str) else None


def _already_reported(path: tuple[Any, ...], loaded: Loaded) -> bool:
    return any(path[: len(done)] == done for done in loaded.reported)


def _data_path(data: Any, loc: tuple[Any, ...], kind: str) -> tuple[Any, ...]:
    """Cut pydantic's error location down to the part that indexes the data itself."""
    path: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            kind == "extra_forbidden" and part == loc[-1]
        ):
            path.append(part)
            node = node.get(part) if isinstance(node, dict) else None
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif kind == "missing" and part == loc[-1]:
            path.append(part)
        else:
            break
    return tuple(path)


def _field_name(loc: tuple[Any, ...]) -> str:
    return next((p for p in reversed(loc) if isinstance(p, str)), "")


def _owner(schema: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose field ``loc`` ends at (a citation's 'source' belongs to CitationEntry)."""
    owner: type[BaseModel] | None = schema
    found = schema
    for part in loc:
        if isinstance(part, str) and owner is not None and part in owner.model_fields:
            found = owner
            owner = _model_in(owner.model_fields[part].annotation)
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``list[CitationEntry] | None`` → CitationEntry)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        model = _model_in(arg)
        if model is not None:
            return model
    return None


def _problem_for(
    err: Any,
    loc: tuple[Any, ...],
    loaded: Loaded,
    base: tuple[Any, ...],
    what: str,
    help_text: str,
) -> Problem:
    field = _field_name(loc)
    if "citations" in loc[:-1]:
        what = "citation"
    if len(loc) >= 2 and loc[-2] == "acknowledge":
        return error(
            loaded.key_at((*base, *loc)),
            "acknowledge-unknown",
            f"'{field}' cannot be acknowledged: only warnings can "
            f"({', '.join(get_args(WarningCode))})",
            "an error must be fixed, not acknowledged; check the spelling of the warning's name",
        )
    if err["type"] == "missing":
        return error(
            loaded.at((*base, *loc[:-1])),
            "missing-field",
            f"{what} is missing the required field '{field}'",
            f"add '{field}:'" + (f" ({help_text})" if help_text else ""),
        )
    if err["type"] == "extra_forbidden":
        return error(
            loaded.key_at((*base, *loc)),
            "unknown-field",
            f"unknown field '{field}' in {what}",
            "check the spelling; the allowed fields are listed in the README",
        )
    found = err.get("input")
    if err["type"] == "value_error":  # our own readers' reasons, already in plain words
        return error(
            loaded.at((*base, *loc)),
            "wrong-value",
            f"field '{field}': {err['ctx']['error']}",
            f"write {help_text}" if help_text else "",
        )
    control = _control_in(found)
    if err["type"] == "string_pattern_mismatch" and control:
        return error(
            loaded.at((*base, *loc)),
            "control-character",
            f"field '{field}': it contains {control}",
            DELETE_HINT + " (type a space if it stood between two words)",
        )
    if err["type"] == "string_too_short":
        return error(
            loaded.at((*base, *loc)),
            "empty-field",
            f"field '{field}' is empty",
            f"write {help_text}" if help_text else f"write the {field}, or remove the field",
        )
    return error(
        loaded.at((*base, *loc)),
        "wrong-type",
        f"field '{field or 'entry'}' has an unusable value {_show(found)}: "
        f"{err['msg'][0].lower()}{err['msg'][1:]}",
        f"write {help_text}" if help_text else "",
    )


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "(a mapping)"
    if isinstance(value, list):
        return "(a list)"
    text = in_quotes(value) if isinstance(value, str) else str(value)
    return text if len(text) < 40 else text[:37] + "..."


# --- sources ----------------------------------------------------------------------------


def validate_source(
    file: FrontMatterFile, loaded: Loaded, stem: str
) -> tuple[Source | None, list[Problem]]:
    if not isinstance(loaded.value, dict):
        return None, [
            error(
                loaded.at(()),
                "wrong-type",
                "the front matter must be a mapping of fields",
                "write one 'field: value' per line",
            )
        ]
    meta, problems = parse_model(SourceFrontMatter, loaded.value, loaded, (), "source front matter")
    if meta is None:
        return None, problems
    if not SOURCE_ID.match(meta.id):
        return None, [_unsafe_source_id(loaded, meta.id)]
    if meta.id != stem:
        return None, [
            error(
                loaded.at(("id",)),
                "source-id-file",
                f"source id '{meta.id}' does not match its file name '{file.path}'",
                f"rename the file to sources/{meta.id}.txt"
                + (
                    f" or set id: {stem}"
                    if SOURCE_ID.match(stem)
                    else f" (its name is not a usable id: {_ID_RULE})"
                ),
            )
        ]
    published = _published(meta.published)
    if isinstance(published, str):
        return None, [
            error(
                loaded.at(("published",)),
                "wrong-value",
                f"field 'published': {published}",
                f"write {FIELD_HELP['published']}",
            )
        ]
    if not is_web_address(meta.url) and meta.url != UNKNOWN:
        return None, [
            error(
                loaded.at(("url",)),
                "wrong-value",
                f"field 'url': {in_quotes(meta.url)} is not a web address",
                "write the address the document was taken from, starting with https:// "
                "(or http://), or 'unknown'",
            )
        ]
    return Source(
        id=meta.id,
        title=meta.title,
        publisher=meta.publisher,
        author=meta.author,
        url=meta.url,
        published=published,
        retrieved=None if meta.retrieved == UNKNOWN else meta.retrieved,  # type: ignore[arg-type]
        kind=meta.kind,
        reliability=Reliability(meta.reliability),
        reliability_note=meta.reliability_note or "",
        sha256=meta.sha256,
        note=meta.note or "",
        text=file.body,
        body_line=file.body_line,
        location=Location(file.path, 1, 1),
        pages=meta.pages,
    ), []


def is_web_address(url: str) -> bool:
    """An http(s) address with a host: what a reader's click may open (never javascript:,
    data:, file: or a path on the reader's own disk)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _published(value: dt.date | int | str) -> PartialDate | str | None:
    """The source's stated date (to the day, month or year), None if unknown, else why not."""
    if isinstance(value, dt.date):
        return PartialDate.of(value)
    if value == UNKNOWN:
        return None
    return read_date(str(value))  # YAML reads a bare year (2026) as a number


_ID_RULE = "lowercase letters, digits and single hyphens (e.g. 'et-2026-02'), at most 64 characters"


def _unsafe_source_id(loaded: Loaded, value: str) -> Problem:
    return error(
        loaded.at(("id",)),
        "unsafe-id",
        f"source id {in_quotes(value)} is not a safe name",
        f"use {_ID_RULE}",
    )


# --- facts ------------------------------------------------------------------------------


def validate_fact_file(
    loaded: Loaded, path: str
) -> tuple[list[Fact], list[Derived], list[Problem]]:
    """A fact file holds a list of facts, or a single fact (one fact per file)."""
    if isinstance(loaded.value, dict):
        entries: list[tuple[Any, tuple[Any, ...]]] = [(loaded.value, ())]
    elif isinstance(loaded.value, list):
        entries = [(entry, (index,)) for index, entry in enumerate(loaded.value)]
    else:
        return (
            [],
            [],
            [
                error(
                    loaded.at(()),
                    "wrong-type",
                    "a fact file must hold one fact (id:, label:, value: …) or a list of facts, "
                    "each starting with '- id:'",
                    "start every fact with '- id: ...' at the left margin, "
                    "or write a single fact's fields without the dash",
                )
            ],
        )
    facts: list[Fact] = []
    derived: list[Derived] = []
    problems: list[Problem] = []
    for entry, where in entries:
        if isinstance(entry, dict) and "formula" in entry:
            item, found = _derived(entry, loaded, where)
            derived.extend([item] if item else [])
        else:
            fact, found = _fact(entry, loaded, where)
            facts.extend([fact] if fact else [])
        problems.extend(found)
    return facts, derived, problems


def _fact(entry: Any, loaded: Loaded, path: tuple[Any, ...]) -> tuple[Fact | None, list[Problem]]:
    if not isinstance(entry, dict):
        return None, [
            error(loaded.at(path), "wrong-type", "a fact must be a mapping of fields", "")
        ]
    parsed, problems = parse_model(FactEntry, entry, loaded, path, "fact")
    if parsed is None:
        return None, problems
    if not FACT_ID.match(parsed.id):
        return None, [_unsafe_fact_id(loaded, path, parsed.id)]
    value_problems, value = _fact_value(parsed, loaded, path)
    if value_problems:
        return None, value_problems
    citations = tuple(
        Citation(
            source=c.source,
            quote=c.quote,
            location=loaded.at((*path, "citations", i, "quote")),
            disagrees=c.disagrees or "",
            note=c.note or "",
        )
        for i, c in enumerate(parsed.citations)
    )
    fact = Fact(
        id=parsed.id,
        label=parsed.label,
        as_of=parsed.as_of,
        note=parsed.note or "",
        citations=citations,
        location=loaded.at(path),
        value_location=loaded.at((*path, "value")),
        subject=parsed.subject,
        subject_location=loaded.at((*path, "subject")) if parsed.subject else None,
        unit_location=loaded.at((*path, "unit")) if parsed.unit else None,
        acknowledged=tuple(
            Acknowledgement(code, reason, loaded.key_at((*path, "acknowledge", code)))
            for code, reason in (parsed.acknowledge or {}).items()
        ),
        **value,
    )
    return fact, _citation_count_problems(fact, loaded, path)


def _unsafe_fact_id(loaded: Loaded, path: tuple[Any, ...], value: str) -> Problem:
    return error(
        loaded.at((*path, "id")),
        "unsafe-id",
        f"fact id {in_quotes(value)} is not a safe dotted name",
        "use lowercase words joined by dots, e.g. 'labs.minimax.exchanges'",
    )


def _fact_value(
    parsed: FactEntry, loaded: Loaded, path: tuple[Any, ...]
) -> tuple[list[Problem], dict[str, Any]]:
    value = parsed.value
    here = loaded.at((*path, "value"))
    blank: dict[str, Any] = {
        "number": None,
        "unit": parsed.unit or "",
        "qualifier": None,
        "date": None,
        "text": "",
    }
    if isinstance(value, bool):
        return [error(here, "wrong-type", "a fact value cannot be true or false")], blank
    if isinstance(value, int | float):
        missing = [name for name in ("unit", "qualifier") if getattr(parsed, name) is None]
        if missing:
            return [
                error(
                    loaded.at(path),
                    "missing-field",
                    f"numeric fact '{parsed.id}' needs '{missing[0]}'",
                    "a number needs its unit (e.g. 'exchanges', 'percent', 'USD') and "
                    "its qualifier (" + FIELD_HELP["qualifier"] + ")",
                )
            ], blank
        number = read_number(value)
        if isinstance(number, str):
            return [
                error(
                    here,
                    "wrong-value",
                    f"the value of fact '{parsed.id}': {number}",
                    "write the figure as the source states it, e.g. 13000000 or 2.5",
                )
            ], blank
        return [], blank | {
            "kind": "number",
            "number": number,
            "qualifier": Qualifier(parsed.qualifier or "exact"),
        }
    if parsed.qualifier is not None:
        return [
            error(
                loaded.key_at((*path, "qualifier")),
                "qualifier-not-number",
                f"fact '{parsed.id}' has a qualifier but its value is not a number",
                "remove 'qualifier:', or make the value a number",
            )
        ], blank
    if isinstance(value, dt.date):
        return [], blank | {"kind": "date", "date": PartialDate(value.year, value.month, value.day)}
    if _DATE_TEXT.match(value):
        date = read_date(value)
        if isinstance(date, str):
            return [error(here, "wrong-value", f"the value of fact '{parsed.id}': {date}")], blank
        return [], blank | {"kind": "date", "date": date}
    if value == UNKNOWN:
        return [], blank | {"kind": "unknown", "text": UNKNOWN}
    return [], blank | {"kind": "text", "text": value}


def _citation_count_problems(fact: Fact, loaded: Loaded, path: tuple[Any, ...]) -> list[Problem]:
    if fact.kind == "unknown":
        if not fact.note:
            return [
                error(
                    fact.location,
                    "unknown-needs-note",
                    f"fact '{fact.id}' is 'unknown' but does not say why",
                    "add 'note:' saying which sources were searched and what they leave out",
                )
            ]
        return []
    if not fact.citations:
        return [
            error(
                fact.location,
                "uncited-fact",
                f"fact '{fact.id}' has no citations",
                "add 'citations:' with at least one {source, quote} copied from an archived source",
            )
        ]
    if not fact.agreeing_citations:
        return [
            error(
                fact.location,
                "no-agreeing-citation",
                f"every citation of fact '{fact.id}' is marked as disagreeing",
                "at least one citation must support the value the fact states",
            )
        ]
    return []


def _derived(
    entry: Any, loaded: Loaded, path: tuple[Any, ...]
) -> tuple[Derived | None, list[Problem]]:
    parsed, problems = parse_model(DerivedEntry, entry, loaded, path, "derived figure")
    if parsed is None:
        return None, problems
    if not FACT_ID.match(parsed.id):
        return None, [_unsafe_fact_id(loaded, path, parsed.id)]
    return Derived(
        id=parsed.id,
        label=parsed.label,
        formula=parsed.formula,
        inputs=tuple(parsed.inputs),
        unit=parsed.unit,
        compare_with=parsed.compare_with or "",
        location=loaded.at(path),
    ), []


# --- the register of entities and units ---------------------------------------------------

REGISTER_FILE = "briefings/entities.yaml"
ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
            f"{what} id {in_quotes(value)} is not a safe name",
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
        if fact.kind == "number":
            problems.extend(
                _unit_problems(fact.unit, fact.unit_location or fact.location, fact.id, corpus)
            )
    for derived in corpus.derived.values():
        problems.extend(_unit_problems(derived.unit, derived.location, derived.id, corpus))
    return problems


def _subject_problems(fact: Fact, corpus: Corpus) -> list[Problem]:
    if fact.subject is None:
        if corpus.has_register and fact.kind in ("number", "date"):
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
