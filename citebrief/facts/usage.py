"""Who depends on what: the briefings and derived figures behind a fact or a source.

Staff ask this before changing a fact ("which briefings will move?") and when tidying
("what does no briefing use?"). Both answers come from the composed briefings, so a
fact counts as used exactly when a reader would see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..common.suggest import did_you_mean
from ..errors import CitebriefError, Location
from ..model import Corpus


class Kind(StrEnum):
    FACT = "fact"
    DERIVED = "derived figure"
    SOURCE = "source"


@dataclass(frozen=True)
class Dependent:
    """One thing that depends on the target, with where it is and how it depends on it."""

    name: str
    location: Location
    how: str = ""


@dataclass(frozen=True)
class Uses:
    target: str
    kind: Kind
    title: str
    location: Location
    facts: tuple[Dependent, ...]
    """Facts citing the source (empty for a fact)."""
    derived: tuple[Dependent, ...]
    briefings: tuple[Dependent, ...]


@dataclass(frozen=True)
class Unused:
    facts: tuple[Dependent, ...]
    sources: tuple[Dependent, ...]


def shown_facts(document: Any, corpus: Corpus) -> dict[str, str]:
    """Every fact and derived figure a briefing shows (in its text, tables, charts and
    generated sections, which cover only what it cites), with how (empty: directly)."""
    shown = dict.fromkeys(document.facts_used, "")
    return {fid: how for fid, how in shown.items() if fid in corpus.facts or fid in corpus.derived}


def _derived_on(corpus: Corpus, fact_ids: set[str]) -> list[str]:
    """Derived figures whose inputs (or the total they are checked against) include these."""
    return sorted(
        d.id for d in corpus.derived.values() if fact_ids & {*d.inputs, d.compare_with} - {""}
    )


def uses(target: str, corpus: Corpus, documents: list[Any]) -> Uses:
    """What depends on ``target``: a fact id, a derived figure's id or a source id."""
    if target in corpus.sources:
        source = corpus.sources[target]
        citing = sorted(
            (f for f in corpus.facts.values() if any(c.source == target for c in f.citations)),
            key=lambda f: f.id,
        )
        facts = tuple(
            Dependent(
                f.id,
                next(c.location for c in f.citations if c.source == target),
                "disagrees" if all(c.disagrees for c in f.citations if c.source == target) else "",
            )
            for f in citing
        )
        fact_ids = {f.id for f in citing}
        return Uses(
            target,
            Kind.SOURCE,
            source.title,
            source.location,
            facts,
            _dependents(corpus, _derived_on(corpus, fact_ids)),
            _briefings_showing(fact_ids | set(_derived_on(corpus, fact_ids)), corpus, documents),
        )
    if target in corpus.facts:
        fact = corpus.facts[target]
        derived = _derived_on(corpus, {target})
        return Uses(
            target,
            Kind.FACT,
            fact.label,
            fact.location,
            (),
            _dependents(corpus, derived),
            _briefings_showing({target, *derived}, corpus, documents),
        )
    if target in corpus.derived:
        item = corpus.derived[target]
        return Uses(
            target,
            Kind.DERIVED,
            item.label,
            item.location,
            (),
            (),
            _briefings_showing({target}, corpus, documents),
        )
    raise CitebriefError(
        f"no fact, derived figure or source with id '{target}'",
        did_you_mean(target, [*corpus.facts, *corpus.derived, *corpus.sources])
        + "fact ids are the 'id:' fields in briefings/facts/, source ids the file names in sources/",
    )


def _dependents(corpus: Corpus, derived_ids: list[str]) -> tuple[Dependent, ...]:
    return tuple(Dependent(d, corpus.derived[d].location) for d in derived_ids)


def _briefings_showing(
    ids: set[str], corpus: Corpus, documents: list[Any]
) -> tuple[Dependent, ...]:
    found = []
    for document in documents:
        shown = shown_facts(document, corpus)
        hits = sorted(ids & set(shown))
        if not hits:
            continue
        how = "shows " + ", ".join(h + (f" in {shown[h]}" if shown[h] else "") for h in hits)
        places = [document.fact_places[h] for h in hits if h in document.fact_places]
        first = min(places, key=lambda p: (p.line, p.column), default=None)
        found.append(Dependent(document.spec.name, first or Location(document.spec.path), how))
    return tuple(sorted(found, key=lambda d: d.name))


def unused(corpus: Corpus, documents: list[Any]) -> Unused:
    """Facts, derived figures and sources that no briefing shows or rests on."""
    shown: set[str] = set()
    for document in documents:
        shown |= set(shown_facts(document, corpus))
    for derived_id in list(shown & set(corpus.derived)):
        shown |= set(corpus.derived[derived_id].inputs)
    facts = [
        Dependent(f.id, f.location, f.label) for f in corpus.facts.values() if f.id not in shown
    ]
    facts += [
        Dependent(d.id, d.location, d.label) for d in corpus.derived.values() if d.id not in shown
    ]
    cited: dict[str, list[str]] = {}
    for fact in corpus.facts.values():
        for citation in fact.citations:
            cited.setdefault(citation.source, []).append(fact.id)
    sources = []
    for source in sorted(corpus.sources.values(), key=lambda s: s.id):
        citing = sorted(set(cited.get(source.id, [])))
        if set(citing) & shown:
            continue
        how = (
            "cited only by facts no briefing uses: " + ", ".join(citing)
            if citing
            else "no fact cites it"
        )
        sources.append(Dependent(source.id, source.location, how))
    return Unused(tuple(sorted(facts, key=lambda d: d.location)), tuple(sources))
