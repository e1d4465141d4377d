"""Verify stage, figures: a fact's number, percentage, amount or date must be stated in
its quotes with its qualifier; a quote that states another value must say it disagrees.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Location, Problem, error, in_quotes, warning
from ..facts.display import format_value, unit_kind
from ..model import Citation, DateStyle, Fact, PartialDate, Source
from .figures import (
    SMALL_NUMBER_LIMIT,
    Quantity,
    find_figures,
    find_relative_dates,
    resolve_relative,
)
from .reader import WEEKDAYS, Context, resolve_weekday, standalone_weekdays


@dataclass(frozen=True)
class Disagreement:
    """A source that states a different value for a fact, declared in the fact file."""

    fact_id: str
    source: str
    fact_value: str
    stated: str
    reason: str
    location: Location
    pages: tuple[int, int] | None = None
    """Where the source states it, in a paged source (a PDF)."""
    same_number: bool = False
    """The source states the same number with another qualifier: a difference of wording."""


# --- figures in quotes ------------------------------------------------------------------


Contexts = dict[Citation, Context]
"""Each found quote with the sentence(s) or list item(s) of its source around it."""


def check_figures(
    fact: Fact, quoted: list[Citation], sources: dict[str, Source], contexts: Contexts
) -> tuple[list[Problem], list[Disagreement]]:
    if fact.kind == "number":
        return _check_number(fact, quoted, contexts)
    if fact.kind == "date":
        return _check_date(fact, quoted, sources, contexts)
    if fact.kind == "text":
        return _check_text_figures(fact, quoted, contexts), []
    return [], []


def _quantities(context: Context, kind: str) -> list[Quantity]:
    return [q for q in context.quoted().quantities if _same_kind(q.kind, kind)]


def _same_kind(stated: str, wanted: str) -> bool:
    return stated == wanted or (stated == "fraction" and wanted == "percent")


def _same_value(q: Quantity, value: Decimal | None) -> bool:
    if value is None:
        return False
    if q.kind == "fraction":  # 'two-thirds' states 67 %, to the nearest whole percent
        return abs(q.value * 100 - value) < Decimal("0.5")
    return q.value == value


def _check_number(
    fact: Fact, quoted: list[Citation], contexts: Contexts
) -> tuple[list[Problem], list[Disagreement]]:
    problems: list[Problem] = []
    disagreements: list[Disagreement] = []
    kind = unit_kind(fact.unit)
    shown = functools.partial(format_fact_value, fact)  # worded only for a problem
    supporting: list[tuple[Citation, list[Quantity]]] = []
    differing: list[tuple[Citation, str]] = []
    requalified: list[tuple[Citation, str]] = []
    for citation in quoted:
        context = contexts[citation]
        stated = [
            q
            for q in _quantities(context, kind)
            if q.value == fact.number or q.kind != "number" or q.value >= SMALL_NUMBER_LIMIT
        ]  # 'the three firms' is no competing figure
        same = [q for q in stated if _same_value(q, fact.number)]
        qualifier_ok = any(q.qualifier == fact.qualifier for q in same)
        if citation.disagrees:
            if not stated:
                problems.append(_disagreement_without_figure(citation))
            elif same and qualifier_ok:
                problems.append(_disagreement_that_agrees(citation, shown()))
            else:
                disagreements.append(
                    Disagreement(
                        fact.id,
                        citation.source,
                        shown(),
                        _stated_text(context, same or stated),
                        citation.disagrees,
                        citation.location,
                        same_number=bool(same),
                    )
                )
            continue
        if same:
            supporting.append((citation, same))
            if not qualifier_ok:
                requalified.append((citation, _stated_text(context, same)))
        elif stated:
            differing.append((citation, _stated_text(context, stated)))
    qualifier_supported = any(q.qualifier == fact.qualifier for _, qs in supporting for q in qs)
    other_unit = [] if supporting else _stated_in_another_unit(fact, quoted, contexts)
    if other_unit:
        problems.append(_unit_mismatch(fact, other_unit))
    elif not supporting:
        problems.append(_value_not_stated(fact, shown(), [text for _, text in differing]))
    else:
        problems.extend(_undeclared(citation, shown(), text) for citation, text in differing)
    if supporting and not qualifier_supported:
        problems.append(_qualifier_contradicted(fact, supporting))
    elif qualifier_supported:
        # same number, other qualifier, while another source backs the fact's qualifier
        problems.extend(_undeclared(citation, shown(), text) for citation, text in requalified)
    return problems, disagreements


KIND_WORDS = {"percent": "a percentage", "money": "a sum in US dollars", "number": "a count"}
KIND_UNITS = {"percent": "percent", "money": "USD"}


def _stated_in_another_unit(
    fact: Fact, quoted: list[Citation], contexts: Contexts
) -> list[tuple[Citation, Quantity, Context]]:
    """Quotes that state the fact's number, but as another kind of figure ('$1.5 billion'
    for a fact in percent): the unit is what is wrong, not the value."""
    kind = unit_kind(fact.unit)
    return [
        (citation, q, contexts[citation])
        for citation in quoted
        if not citation.disagrees
        for q in contexts[citation].quoted().quantities
        if q.value == fact.number and not _same_kind(q.kind, kind) and q.kind != "fraction"
    ]


def _unit_mismatch(fact: Fact, stated: list[tuple[Citation, Quantity, Context]]) -> Problem:
    citation, quantity, context = stated[0]
    kind = quantity.kind
    if kind in KIND_UNITS:
        write = f"write 'unit: {KIND_UNITS[kind]}'"
    else:
        noun = " ".join(re.findall(r"[\w'’-]+", context.text[quantity.end : quantity.end + 80])[:2])
        write = f"write as 'unit:' the noun the figure counts ('{noun}' in the source)"
    return error(
        fact.unit_location or fact.value_location,
        "unit-mismatch",
        f"the unit '{fact.unit}' of fact '{fact.id}' is not what its quotes state: "
        f"'{citation.source}' gives {in_quotes(quantity.text)}, {KIND_WORDS[kind]}",
        f"the value is stated, in another unit: {write}",
    )


def _stated_text(context: Context, stated: list[Quantity]) -> str:
    parts = []
    for q in stated:
        text = context.text[max(0, q.start - 60) : q.end]
        cut = text.lower().rfind(q.qualifier_words) if q.qualifier_words else -1
        parts.append((text[cut:] if cut >= 0 else q.text).strip())
    return ", ".join(dict.fromkeys(parts))


def _undeclared(citation: Citation, shown: str, stated: str) -> Problem:
    return error(
        citation.location,
        "undeclared-disagreement",
        f"source '{citation.source}' states {in_quotes(stated)}, but the fact says {shown}",
        "if the quote is right and the sources really differ, keep the citation and add "
        "'disagrees: <why>' to it; otherwise correct the value or the quote",
    )


def _disagreement_without_figure(citation: Citation) -> Problem:
    return error(
        citation.location,
        "disagreement-without-figure",
        f"citation of '{citation.source}' is marked 'disagrees' but its quote states no figure",
        "quote the words where the source states its own value",
    )


def _disagreement_that_agrees(citation: Citation, shown: str) -> Problem:
    return warning(
        citation.location,
        "disagreement-agrees",
        f"citation of '{citation.source}' is marked 'disagrees' but its quote states {shown}, "
        "the fact's own value",
        "remove 'disagrees:' from this citation",
    )


def _value_not_stated(fact: Fact, shown: str, stated: list[str]) -> Problem:
    instead = f" (they state {', '.join(in_quotes(s) for s in stated)})" if stated else ""
    return error(
        fact.value_location,
        "value-not-in-quotes",
        f"the value {shown} of fact '{fact.id}' is not stated in any quote cited for it{instead}",
        "quote the words where a source states this figure, or correct the value",
    )


def _qualifier_contradicted(
    fact: Fact, supporting: list[tuple[Citation, list[Quantity]]]
) -> Problem:
    said = sorted(
        {f"'{q.qualifier_words or 'exactly'}' ({c.source})" for c, qs in supporting for q in qs}
    )
    assert fact.qualifier is not None
    readable = sorted({q.qualifier.value for _, qs in supporting for q in qs if q.qualifier})
    hint = (
        "set 'qualifier:' to what the sources say (" + ", ".join(readable) + ")"
        if readable
        else "the quoted words negate the figure in a way that has no clear bound: quote "
        "words that state it plainly (the qualifier table is in the README)"
    )
    return error(
        fact.value_location,
        "qualifier-contradicted",
        f"qualifier '{fact.qualifier.value}' of fact '{fact.id}' contradicts its quotes, "
        f"which say {', '.join(said)}",
        hint,
    )


def _check_date(
    fact: Fact, quoted: list[Citation], sources: dict[str, Source], contexts: Contexts
) -> tuple[list[Problem], list[Disagreement]]:
    assert fact.date is not None
    problems: list[Problem] = []
    disagreements: list[Disagreement] = []
    years_elsewhere = {
        d.year for c in quoted if not c.disagrees for d in contexts[c].quoted().dates if d.year
    }
    supported = False
    partial_notes: list[str] = []
    relative_notes: list[str] = []
    differing: list[tuple[Citation, str]] = []
    shown = fact.date.iso()
    for citation in quoted:
        mentions = contexts[citation].quoted().dates
        full = [d for d in mentions if d.year is not None]
        same = [d for d in full if _date_consistent(fact.date, d.as_date())]
        partial = [
            d
            for d in mentions
            if d.year is None and (d.month, d.day) == (fact.date.month, fact.date.day)
        ]
        if citation.disagrees:
            if not mentions:
                problems.append(_disagreement_without_figure(citation))
            elif same:
                problems.append(_disagreement_that_agrees(citation, shown))
            else:
                stated = ", ".join(d.text for d in mentions)
                disagreements.append(
                    Disagreement(
                        fact.id,
                        citation.source,
                        shown,
                        stated,
                        citation.disagrees,
                        citation.location,
                    )
                )
            continue
        if same:
            supported = True
        elif partial:
            year_note = _year_for_partial(fact.date, sources.get(citation.source), years_elsewhere)
            if year_note:
                supported = True
            else:
                partial_notes.append(f"'{partial[0].text}' ({citation.source})")
        elif full:
            differing.append((citation, ", ".join(d.text for d in full)))
        else:
            resolved, note = _relative_support(
                fact.date, citation, sources.get(citation.source), contexts[citation]
            )
            supported = supported or resolved
            relative_notes.extend([note] if note else [])
    if not supported and relative_notes and not partial_notes:
        problems.append(_relative_unresolved(fact, shown, relative_notes))
    elif not supported:
        problems.append(_date_not_stated(fact, shown, partial_notes, [t for _, t in differing]))
    else:
        problems.extend(_undeclared(citation, shown, text) for citation, text in differing)
    return problems, disagreements


def _date_consistent(fact_date: PartialDate, mention: PartialDate | None) -> bool:
    if mention is None or mention.year != fact_date.year:
        return False
    if fact_date.month is not None and mention.month != fact_date.month:
        return False
    if fact_date.day is not None and mention.day != fact_date.day:
        return False
    return mention.precision == fact_date.precision


def _relative_support(
    date: PartialDate, citation: Citation, source: Source | None, context: Context
) -> tuple[bool, str]:
    """Whether a relative date in the quote ('last month', 'on Tuesday') resolves to ``date``.

    It resolves only from the date the source states for itself (a weekday: the most recent
    such day on or before it); otherwise the returned note says why it could not.
    """
    phrases = find_relative_dates(citation.quote) + standalone_weekdays(context)
    if not phrases:
        return False, ""
    if source is None or source.published is None:
        return False, f"'{phrases[0]}' ({citation.source}, which states no date of its own)"
    published = source.published
    resolved = [_resolve(phrase, published) for phrase in phrases]
    if date in resolved:
        return True, ""
    meaning = resolved[0].iso() if resolved[0] else "its date is not precise enough to tell"
    return False, f"'{phrases[0]}' ({citation.source}, dated {published.iso()}: {meaning})"


def _resolve(phrase: str, published: PartialDate) -> PartialDate | None:
    if phrase in WEEKDAYS:
        return resolve_weekday(phrase, published)
    return resolve_relative(phrase, published)


def _year_for_partial(date: PartialDate, source: Source | None, years_elsewhere: set[int]) -> str:
    """Where the year of a partial date such as 'On January 15' comes from, or ''."""
    if source is not None and source.published is not None and source.published.year == date.year:
        return f"year from the source's date ({source.published.iso()})"
    if date.year in years_elsewhere:
        return "year from another citation"
    return ""


def _relative_unresolved(fact: Fact, shown: str, notes: list[str]) -> Problem:
    return error(
        fact.value_location,
        "relative-date-unresolved",
        f"the date {shown} of fact '{fact.id}' is quoted only as a relative date "
        f"({', '.join(notes)}), which does not resolve to it",
        "a relative date counts only from a date the source states for itself (its "
        "'published' field); otherwise cite a quote that gives the full date",
    )


def _date_not_stated(
    fact: Fact, shown: str, partial_notes: list[str], stated: list[str]
) -> Problem:
    if partial_notes:
        return error(
            fact.value_location,
            "partial-date-without-year",
            f"the date {shown} of fact '{fact.id}' is quoted only without its year "
            f"({', '.join(partial_notes)}), and neither the source's stated date nor another "
            "citation supplies the year",
            "add a citation whose quote states the full date, including the year",
        )
    instead = f" (they state {', '.join(in_quotes(s) for s in stated)})" if stated else ""
    return error(
        fact.value_location,
        "value-not-in-quotes",
        f"the date {shown} of fact '{fact.id}' is not stated in any quote cited for it{instead}",
        "quote the words where a source states this date, or correct the value",
    )


def _check_text_figures(fact: Fact, quoted: list[Citation], contexts: Contexts) -> list[Problem]:
    """Every figure written in a text statement must be stated in one of its quotes."""
    stated = find_figures(fact.text)
    if not stated:
        return []
    quoted_figures = [contexts[c].quoted() for c in quoted if not c.disagrees]
    values = {(q.kind, q.value) for f in quoted_figures for q in f.quantities}
    dates = {(d.year, d.month, d.day) for f in quoted_figures for d in f.dates}
    missing = [q.text for q in stated.quantities if (q.kind, q.value) not in values]
    missing += [d.text for d in stated.dates if (d.year, d.month, d.day) not in dates]
    if not missing:
        return []
    return [
        error(
            fact.value_location,
            "value-not-in-quotes",
            f"statement of fact '{fact.id}' gives {', '.join(in_quotes(m) for m in missing)}, "
            "which no quote cited for it states",
            "quote the words that state this figure, or make it a numeric fact of its own",
        )
    ]


# --- display ---------------------------------------------------------------------------


def format_fact_value(fact: Fact) -> str:
    """The fact's value as messages show it: 'about 24,000', '2026-01-15'."""
    if fact.kind == "date" and fact.date:
        return fact.date.iso()
    return format_value(fact, DateStyle.UK)  # a number: no date to style
