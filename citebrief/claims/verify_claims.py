"""Verify stage, second half: a quote must state the fact's claim, not only its number.

For every citation whose quote was found: the subject is named, the figure counts the
fact's unit, a weekday next to a date (or standing for it) agrees with the calendar, and
a statement does not invert its quote (a negation in one and not the other).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Location, Problem, error, in_quotes
from ..facts.display import format_date, unit_kind
from ..facts.register import REGISTER_FILE
from ..model import Citation, Corpus, DateStyle, Entity, Fact, PartialDate, Source, Unit, UnitKind
from .figures import DateMention, Quantity, find_figures, reader_figure_mentions
from .reader import (
    Context,
    entities_named,
    entity_mentions,
    figure_owners,
    names_entity,
    negation,
    sentences_before,
    unit_stated,
    weekday_name,
    weekdays,
)
from .verify_mentions import quoted_mentions


def check_claims(
    fact: Fact, quoted: list[Citation], corpus: Corpus, contexts: dict[Citation, Context]
) -> list[Problem]:
    problems: list[Problem] = []
    for citation in quoted:
        context = contexts[citation]
        source = corpus.sources[citation.source]
        problems.extend(_subject_problems(fact, citation, context, source, corpus))
        problems.extend(_unit_problems(fact, citation, context, corpus))
        problems.extend(_weekday_problems(fact, citation, context, source))
    problems.extend(_polarity_problems(fact, quoted))
    return problems


# --- subject -----------------------------------------------------------------------------------


def _subject_problems(
    fact: Fact, citation: Citation, context: Context, source: Source, corpus: Corpus
) -> list[Problem]:
    entity = corpus.entities.get(fact.subject or "")
    if entity is None:
        return []
    if names_entity(context.text, entity, corpus.entities):
        return _owner_problems(fact, citation, context, entity, corpus)
    named = entities_named(context.text, corpus.entities)
    if not named:  # 'they', 'the company': the sentences just before say who
        earlier = sentences_before(source.text, context)
        if names_entity(earlier, entity, corpus.entities):
            return []
    return [_subject_not_named(fact, citation, entity, named)]


def _owner_problems(
    fact: Fact, citation: Citation, context: Context, entity: Entity, corpus: Corpus
) -> list[Problem]:
    """The figure must be stated for the subject, not for another entity the sentence names
    ('• Moonshot AI: over 3.4 million • MiniMax: around 13 million')."""
    if citation.disagrees:
        return []
    if all(hit.entity.id == entity.id for hit in entity_mentions(context.text, corpus.entities)):
        return []  # the quote names the subject alone: whatever the clause, the figure is its
    others: list[tuple[str, list[Entity]]] = []
    for start, end, text in _figure_spans(fact, context):
        clause, owners = figure_owners(context.text, start, end, corpus.entities)
        if not owners or names_entity(clause, entity, corpus.entities):
            return []  # the clause names the subject, or no one: the sentence says whose
        others.append((text, owners))
    if not others:
        return []
    text, owners = others[0]
    names = " and ".join(e.name for e in owners)
    other = (
        f" If the figure is {owners[0].name}'s, the subject is '{owners[0].id}'."
        if len(owners) == 1
        else ""
    )
    return [
        error(
            citation.location,
            "figure-of-another-subject",
            f"in the quote from '{citation.source}', {in_quotes(text)} is stated for {names}, "
            f"not for {entity.name} (subject: {entity.id})",
            f"cite the words where the source states the figure for {entity.name}.{other}",
        )
    ]


def _figure_spans(fact: Fact, context: Context) -> list[tuple[int, int, str]]:
    """Where the quote states the fact's own number."""
    quoted = context.quoted()
    if fact.kind == "number" and fact.number is not None:
        return [
            (q.start, q.end, q.text.strip())
            for q in quoted.quantities
            if q.value == fact.number
            or (q.kind == "fraction" and abs(q.value * 100 - fact.number) < Decimal("0.5"))
        ]
    return []  # a date is an event's, which its sentence may tell in many ways


def _subject_not_named(
    fact: Fact, citation: Citation, entity: Entity, named: list[Entity]
) -> Problem:
    instead = (
        "; it names " + ", ".join(e.name for e in named)
        if named
        else "; it names none of the entities in " + REGISTER_FILE
    )
    other = (
        f" If the figure is {named[0].name}'s, the subject is '{named[0].id}'."
        if len(named) == 1
        else ""
    )
    return error(
        citation.location,
        "subject-not-stated",
        f"the quote from '{citation.source}' and the sentence it stands in do not name "
        f"{entity.name} (subject: {entity.id}){instead}",
        f"cite the words where the source states this for {entity.name}.{other} If the source "
        f"calls {entity.name} something else, add that name to 'aliases:' of '{entity.id}' "
        f"in {REGISTER_FILE}",
    )


# --- unit --------------------------------------------------------------------------------------


def _fact_unit(fact: Fact, corpus: Corpus) -> Unit | None:
    unit = corpus.units.get(fact.unit)
    if unit is not None:
        return unit if unit.kind == UnitKind.COUNT else None
    if unit_kind(fact.unit) != "number":
        return None
    noun = fact.unit  # no register: the unit is its own noun
    return Unit(noun, noun[:-1] if noun.endswith("s") else noun, noun, (), UnitKind.COUNT, None)


def _unit_problems(
    fact: Fact, citation: Citation, context: Context, corpus: Corpus
) -> list[Problem]:
    if fact.kind != "number" or fact.number is None:
        return []
    unit = _fact_unit(fact, corpus)
    if unit is None:
        return []
    if citation.disagrees and not corpus.has_register:
        return []  # without a register, no noun can say that 'API calls' are exchanges
    stated = [q for q in context.quoted().quantities if q.kind == "number"]
    if not citation.disagrees:
        stated = [q for q in stated if q.value == fact.number]
    if not stated:
        return []  # the value checks report a missing figure
    found = []
    for quantity in stated:
        ok, words = unit_stated(context, quantity, unit)
        if ok:
            return []
        found.append(f"{quantity.text.strip()} {words}".strip())
    carried = {
        m.start
        for m in quoted_mentions(context, corpus)
        if m.unit == unit.id and (citation.disagrees or m.value == fact.number)
    }
    if any(q.start in carried for q in stated):
        return []  # the noun is an earlier figure's ('…, while Moonshot generated over 3.4 million')
    other = [
        u
        for u in corpus.units.values()
        if u.id != unit.id and any(unit_stated(context, q, u)[0] for q in stated)
    ]
    hint = (
        f"the source counts {other[0].plural} here: if the fact counts {other[0].plural}, "
        f"write 'unit: {other[0].id}'; otherwise cite the words that state the number of "
        f"{unit.plural}"
        if other
        else f"cite the words that say the figure counts {unit.plural}; if the source uses "
        f"another noun for them, add it to 'aliases:' of unit '{unit.id}' in {REGISTER_FILE}"
        if corpus.has_register
        else f"cite the words that say the figure counts {unit.plural}, or give the unit "
        f"the source's noun; to accept other nouns for it, list them under 'units:' in "
        f"{REGISTER_FILE} (see the README)"
    )
    # the source counts something the register knows: the unit is what to look at
    where = (fact.unit_location or citation.location) if other else citation.location
    return [
        error(
            where,
            "unit-not-stated",
            f"the quote from '{citation.source}' states "
            + ", ".join(in_quotes(f) for f in dict.fromkeys(found))
            + f", which does not count {unit.plural} ({', '.join(unit.nouns)})",
            hint,
        )
    ]


# --- weekdays ----------------------------------------------------------------------------------


def _weekday_problems(
    fact: Fact, citation: Citation, context: Context, source: Source
) -> list[Problem]:
    problems = []
    for day in weekdays(context):
        date = _date_of(day.next_to, fact, source) if day.next_to else None
        if day.next_to is None:
            inside = context.quote_start <= day.start and day.end <= context.quote_end
            if not (inside and fact.kind == "date" and fact.date and fact.date.day):
                continue
            date = fact.date
        if date is None or date.month is None or date.day is None:
            continue
        actual = weekday_name(date.year, date.month, date.day)
        if actual != day.name:
            said = f"'{day.name}'" + (f" next to '{day.next_to.text}'" if day.next_to else "")
            problems.append(
                error(
                    citation.location,
                    "weekday-mismatch",
                    f"the quote from '{citation.source}' says {said}, but "
                    f"{format_date(date, DateStyle.UK)} was a {actual}",
                    "a weekday and its date must agree: check the date against the source; "
                    "if the source itself is inconsistent, cite another source or mark this "
                    "citation 'disagrees:'",
                )
            )
    return problems


def _date_of(mention, fact: Fact, source: Source) -> PartialDate | None:  # type: ignore[no-untyped-def]
    if mention.year is not None:
        return mention.as_date()
    if fact.kind == "date" and fact.date is not None:
        return mention.with_year(fact.date.year)
    if source.published is not None:
        return mention.with_year(source.published.year)
    return None


# --- statements --------------------------------------------------------------------------------


def _polarity_problems(fact: Fact, quoted: list[Citation]) -> list[Problem]:
    """A statement and its quotes agree on negation: 'has taken' is not 'has not taken'."""
    if fact.kind != "text":
        return []
    agreeing = [c for c in quoted if not c.disagrees]
    stated = negation(fact.text)
    problems = []
    if not stated:
        for citation in agreeing:
            said = negation(citation.quote)
            if said:
                problems.append(
                    error(
                        citation.location,
                        "polarity-mismatch",
                        f"the quote from '{citation.source}' is negative ('{said}') but the "
                        f"statement of fact '{fact.id}' is not",
                        "write the statement as the source puts it, negation included, or "
                        "cite a quote that states it positively",
                    )
                )
    elif agreeing and not any(negation(c.quote) for c in agreeing):
        problems.append(
            error(
                fact.value_location,
                "polarity-mismatch",
                f"the statement of fact '{fact.id}' is negative ('{stated}') but none of its "
                "quotes is",
                "write the statement as the sources put it, or cite the words where a "
                "source states the negative",
            )
        )
    return problems


# --- figures in labels, notes and reasons ---------------------------------------------------


def check_fact_prose(corpus: Corpus) -> list[Problem]:
    """Labels, notes and 'disagrees:' reasons reach readers: a figure there must be one the
    fact base states (a fact's value) or one the fact's own quotes state."""
    known = _KnownFigures.of(corpus)
    problems = []
    for fact in corpus.facts.values():
        texts = [("label", fact.label, fact.location), ("note", fact.note, fact.location)]
        texts += [("reason", c.disagrees, c.location) for c in fact.citations if c.disagrees]
        own: _KnownFigures | None = None  # the fact's quotes are read only when needed
        for what, text, where in texts:
            stray = known.stray(text)
            if stray:
                own = own or _KnownFigures.quoted_by(fact)
                stray = [s for s in stray if not own.states(s)]
            if stray:
                problems.append(_stray(fact, what, [s.text.strip() for s in stray], where))
    return problems


_DATE_MASKS = tuple(itertools.product((True, False), repeat=3))


@dataclass(frozen=True)
class _KnownFigures:
    """Figures a reader may be shown: quantities as (kind, value), and dates indexed under
    every partial form ('March 2026' matches a known 2026-03-05; 'March 5' one of any year),
    so a look-up is one set membership, not a walk over every fact's date."""

    values: frozenset[tuple[str, Decimal]]
    dates: frozenset[tuple[int | None, ...]]

    @classmethod
    def of(cls, corpus: Corpus) -> _KnownFigures:
        values, dates = set(), []
        for fact in corpus.facts.values():
            if fact.number is not None:
                values.add((unit_kind(fact.unit), fact.number))
            if fact.date is not None:
                dates.append((fact.date.year, fact.date.month, fact.date.day))
        return cls(frozenset(values), _date_index(dates))

    @classmethod
    def quoted_by(cls, fact: Fact) -> _KnownFigures:
        found = [find_figures(c.words) for c in fact.citations]
        values = {(q.kind, q.value) for f in found for q in f.quantities}
        dates = [(d.year, d.month, d.day) for f in found for d in f.dates]
        dates += [  # a table's header year ('2025 licences approved') dates its cells
            (int(year), None, None)
            for c in fact.citations
            if c.cell is not None
            for year in re.findall(r"\b(?:19|20)\d\d\b", c.words)
        ]
        return cls(frozenset(values), _date_index(dates))

    def stray(self, text: str) -> list[Quantity | DateMention]:
        """The reader figures of ``text`` that are not among these."""
        quantities, mentions = reader_figure_mentions(text)
        return [
            *[q for q in quantities if not self.states(q)],
            *[d for d in mentions if not self.states(d)],
        ]

    def states(self, figure: Quantity | DateMention) -> bool:
        if isinstance(figure, Quantity):
            return (figure.kind, figure.value) in self.values
        return (figure.year, figure.month, figure.day) in self.dates


def _date_index(dates: Sequence[tuple[int | None, ...]]) -> frozenset[tuple[int | None, ...]]:
    """Each date under every form a mention may take: any of its parts left unstated."""
    return frozenset(
        tuple(part if keep else None for part, keep in zip(date, mask, strict=True))
        for date in dates
        for mask in _DATE_MASKS
    )


def _stray(fact: Fact, what: str, stray: list[str], where: Location) -> Problem:
    field = {"label": "label:", "note": "note:", "reason": "disagrees:"}[what]
    return error(
        where,
        "uncited-figure",
        f"the {what} of fact '{fact.id}' gives {', '.join(in_quotes(s) for s in stray)}, which "
        "neither a fact's value nor the fact's quotes state",
        f"readers see '{field}': state only figures the fact base backs, or refer to the "
        "fact that states it",
    )
