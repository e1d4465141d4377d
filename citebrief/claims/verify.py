"""Verify stage: every quote is in its source, every figure is in its quotes.

Each function takes validated data and returns problems; none stops at the first.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import unicodedata
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypeVar

from ..common.characters import DELETE_HINT, describe_at
from ..common.memo import new_run, per_run
from ..common.suggest import did_you_mean
from ..errors import Location, Problem, error, in_quotes, warning
from ..facts.derive import DerivedValue, allowed_range, compute
from ..facts.display import format_number, format_value, unit_kind
from ..model import PAGE_BREAK, Citation, Corpus, Derived, Fact, PartialDate, Reliability, Source
from .cells import CellFound, cell_problems, find_cell
from .figures import (
    SMALL_NUMBER_LIMIT,
    Origins,
    Quantity,
    find_figures,
    find_relative_dates,
    normalise,
    resolve_relative,
    words,
)
from .reader import WEEKDAYS, Context, context_of, resolve_weekday, standalone_weekdays
from .verify_claims import check_claims, check_fact_prose
from .verify_mentions import check_mentions, check_statement_mentions

SHORT_QUOTE_WORDS = 5
"""Quotes with fewer words than this get a warning: context could change their meaning."""


@dataclass(frozen=True)
class QuoteMatch:
    """Where a citation's quote stands in its source."""

    fact_id: str
    citation: Citation
    exact: bool
    location: Location
    """Location of the first character of the match in the source file."""
    original: str
    """The quoted words exactly as the source has them (typographic quotes and all)."""
    pages: tuple[int, int] | None = None
    """First and last page of the quote in a paged source (a PDF); None for unpaged ones."""
    start: int = 0
    """Offsets of the match in the source's text."""
    end: int = 0


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


@dataclass(frozen=True)
class Verification:
    problems: tuple[Problem, ...]
    matches: tuple[QuoteMatch, ...]
    disagreements: tuple[Disagreement, ...]
    derived: dict[str, DerivedValue]

    def matches_for(self, fact_id: str) -> tuple[QuoteMatch, ...]:
        """The quote matches of one fact, without scanning every match of the corpus."""
        return self._matches_by_fact.get(fact_id, ())

    def disagreements_for(self, fact_id: str) -> tuple[Disagreement, ...]:
        return self._disagreements_by_fact.get(fact_id, ())

    @functools.cached_property
    def _matches_by_fact(self) -> dict[str, tuple[QuoteMatch, ...]]:
        return _by_fact(self.matches)

    @functools.cached_property
    def _disagreements_by_fact(self) -> dict[str, tuple[Disagreement, ...]]:
        return _by_fact(self.disagreements)


_Item = TypeVar("_Item", QuoteMatch, Disagreement)


def _by_fact(items: tuple[_Item, ...]) -> dict[str, tuple[_Item, ...]]:
    grouped: dict[str, list[_Item]] = {}
    for item in items:
        grouped.setdefault(item.fact_id, []).append(item)
    return {fact_id: tuple(group) for fact_id, group in grouped.items()}


def verify(corpus: Corpus) -> Verification:
    new_run()  # texts of an earlier run (in `watch`) are not kept
    problems: list[Problem] = []
    for source in corpus.sources.values():
        problems.extend(check_archive_hash(source))
    matches: list[QuoteMatch] = []
    disagreements: list[Disagreement] = []
    for fact in corpus.facts.values():
        found, fact_problems, fact_disagreements = verify_fact(fact, corpus)
        matches.extend(found)
        problems.extend(fact_problems)
        disagreements.extend(fact_disagreements)
    problems.extend(check_fact_prose(corpus))
    derived: dict[str, DerivedValue] = {}
    for item in corpus.derived.values():
        value, derived_problems = verify_derived(item, corpus.facts)
        problems.extend(derived_problems)
        if value is not None:
            derived[item.id] = value
    return Verification(tuple(problems), tuple(matches), tuple(disagreements), derived)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_archive_hash(source: Source) -> list[Problem]:
    actual = sha256_text(source.text)
    if actual == source.sha256:
        return []
    return [
        error(
            Location(source.location.path, source.body_line, 1),
            "archive-edited",
            f"the archived text of source '{source.id}' has changed since it was recorded "
            f"(sha256 is {actual[:12]}…, front matter says {source.sha256[:12]}…)",
            "archived text must not be edited: restore it from git, or archive the new "
            "version as a new source with `citebrief add-source`",
        )
    ]


# --- quotes -----------------------------------------------------------------------------


def find_quote(source: Source, quote: str) -> tuple[bool, int, int] | None:
    """Find ``quote`` in the source text: (exact?, start, end offsets in the text) or None.

    After an exact search, the text and quote are compared normalised (quotes, dashes,
    whitespace and page breaks); last, with words hyphenated at a line end joined.
    """
    offset = source.text.find(quote)
    if offset >= 0:
        return True, offset, offset + len(quote)
    for dehyphenate in (False, True):
        if dehyphenate and "-\n" not in source.text:
            break
        text, origin = _normalised_text(source.text, dehyphenate)
        wanted, _ = normalise(quote, dehyphenate)
        offset = text.find(wanted) if wanted else -1
        if offset >= 0:
            return False, origin[offset], origin[offset + len(wanted) - 1] + 1
    return None


@per_run
def _normalised_text(text: str, dehyphenate: bool) -> tuple[str, Origins]:
    """Each source's text is normalised once per run."""
    return normalise(text, dehyphenate)


def normalised_text(text: str) -> str:
    """``text`` normalised as quotes are compared (cached: sources are read many times)."""
    return _normalised_text(text, False)[0]


def pages_of(source: Source, start: int, end: int) -> tuple[int, int] | None:
    """The first and last page of ``text[start:end]`` in a paged source (PDF), else None."""
    if source.pages is None:
        return None
    breaks = _page_breaks(source.text)
    first = bisect.bisect_left(breaks, start) + 1
    return first, bisect.bisect_left(breaks, end) + 1


@per_run
def _page_breaks(text: str) -> array:
    """Offsets of the page breaks of a paged text (many quotes are paged in one source)."""
    return array("q", (m.start() for m in re.finditer(PAGE_BREAK, text)))


def locate_in_source(source: Source, offset: int) -> Location:
    """The file location (line and column) of a text offset; lines end at \\n only."""
    starts = _line_starts(source.text)
    line_index = bisect.bisect_right(starts, offset) - 1
    column = offset - starts[line_index] + 1
    return Location(source.location.path, source.body_line + line_index, column)


@per_run
def _line_starts(text: str) -> array:
    """Offsets where each line of ``text`` starts (a source is located into many times)."""
    starts = array("q", [0])
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """Characters that show as nothing (zero-width space, soft hyphen, byte-order mark and
    other format or control characters), with their position counted from 1."""
    return [
        (position, char)
        for position, char in enumerate(text, 1)
        if unicodedata.category(char) in ("Cf", "Cc") and char not in "\n\t\r\f"
    ]


def describe_invisible(text: str) -> str | None:
    """'an invisible character, U+200B ZERO WIDTH SPACE, at character 7 (after 'nearly')',
    or None when every character of ``text`` can be seen."""
    return describe_at(text, invisible_characters(text), "an invisible character")


INVISIBLE_HINT = DELETE_HINT


def _quote_match(fact: Fact, citation: Citation, source: Source) -> QuoteMatch | Problem:
    found = find_quote(source, citation.quote)
    invisible = describe_invisible(citation.quote) if found is None else None
    if invisible:
        return error(
            citation.location,
            "quote-not-found",
            f"quote not found in source '{source.id}': it contains {invisible}",
            INVISIBLE_HINT,
        )
    if found is None:
        return error(
            citation.location,
            "quote-not-found",
            f"quote not found in source '{source.id}'",
            f"copy the words exactly from {source.location.path}; "
            f'`citebrief quote {source.id} "<a few words>"` finds them',
        )
    exact, start, end = found
    location = locate_in_source(source, start)
    return QuoteMatch(
        fact.id,
        citation,
        exact,
        location,
        source.text[start:end],
        pages_of(source, start, end),
        start,
        end,
    )


# --- facts ------------------------------------------------------------------------------


def verify_fact(
    fact: Fact, corpus: Corpus
) -> tuple[list[QuoteMatch], list[Problem], list[Disagreement]]:
    sources = corpus.sources
    matches: list[QuoteMatch] = []
    problems: list[Problem] = []
    for citation in fact.citations:
        source = sources.get(citation.source)
        if source is None:
            problems.append(_unknown_source(citation, sources))
            continue
        if citation.cell is not None:  # a table's cell: checked whole by cells.py
            cell_found = _cell_match(fact, citation, source, corpus)
            problems.extend(cell_found if isinstance(cell_found, list) else [])
            matches.extend([cell_found] if isinstance(cell_found, QuoteMatch) else [])
            continue
        found = _quote_match(fact, citation, source)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        matches.append(found)
        problems.extend(_short_quote(citation))
    quoted = [m.citation for m in matches if m.citation.cell is None]
    disagreements: list[Disagreement] = []
    quotes = [c for c in fact.citations if c.cell is None]
    if len(quoted) == len(quotes) and (
        quotes or not fact.citations
    ):  # judge figures only once every quote is found
        contexts = {
            m.citation: context_of(sources[m.citation.source].text, m.start, m.end) for m in matches
        }
        figure_problems, disagreements = check_figures(fact, quoted, sources, contexts)
        problems.extend(figure_problems)
        problems.extend(check_claims(fact, quoted, corpus, contexts))
        problems.extend(check_mentions(fact, quoted, corpus, contexts))
        problems.extend(check_statement_mentions(fact, quoted, corpus, contexts))
        pages = {m.citation.location: m.pages for m in matches}
        disagreements = [replace(d, pages=pages.get(d.location)) for d in disagreements]
    problems.extend(_low_reliability_only(fact, sources))
    return matches, [p if p.fact else replace(p, fact=fact.id) for p in problems], disagreements


def _cell_match(
    fact: Fact, citation: Citation, source: Source, corpus: Corpus
) -> QuoteMatch | list[Problem]:
    """A cited cell as a match (where it stands in the CSV), or what is wrong with it."""
    assert citation.cell is not None
    problems = cell_problems(fact, citation, source, corpus)
    found = find_cell(source, citation.cell)
    if problems or not isinstance(found, CellFound):
        return problems
    return QuoteMatch(
        fact.id,
        citation,
        True,
        locate_in_source(source, found.start),
        found.text,
        None,
        found.start,
        found.end,
    )


def _unknown_source(citation: Citation, sources: dict[str, Source]) -> Problem:
    hint = did_you_mean(citation.source, sources)
    return error(
        citation.location,
        "unknown-source",
        f"citation refers to source '{citation.source}', which is not in sources/",
        hint + "archive the source first with `citebrief add-source`",
        subject=citation.source,
    )


def _short_quote(citation: Citation) -> list[Problem]:
    count = len(words(citation.quote))
    if count >= SHORT_QUOTE_WORDS:
        return []
    return [
        warning(
            citation.location,
            "short-quote",
            f"quote is only {count} word{'s' if count != 1 else ''}: "
            "out of context its meaning could change",
            f"quote at least {SHORT_QUOTE_WORDS} words, including what the figure counts",
        )
    ]


def rests_on_low_reliability(fact: Fact, sources: Mapping[str, Source]) -> bool:
    """True when every source that supports the fact is rated low reliability."""
    cited = [sources[c.source] for c in fact.agreeing_citations if c.source in sources]
    return bool(cited) and all(s.reliability is Reliability.LOW for s in cited)


def _low_reliability_only(fact: Fact, sources: dict[str, Source]) -> list[Problem]:
    if not rests_on_low_reliability(fact, sources):
        return []
    names = ", ".join(sorted({c.source for c in fact.agreeing_citations}))
    return [
        warning(
            fact.location,
            "low-reliability-only",
            f"fact '{fact.id}' rests only on low-reliability sources ({names})",
            "find a medium- or high-reliability source that states it, or say in the "
            "briefing that it is unconfirmed",
        )
    ]


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
    shown = format_fact_value(fact)
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
                problems.append(_disagreement_that_agrees(citation, shown))
            else:
                disagreements.append(
                    Disagreement(
                        fact.id,
                        citation.source,
                        shown,
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
        problems.append(_value_not_stated(fact, shown, [text for _, text in differing]))
    else:
        problems.extend(_undeclared(citation, shown, text) for citation, text in differing)
    if supporting and not qualifier_supported:
        problems.append(_qualifier_contradicted(fact, supporting))
    elif qualifier_supported:
        # same number, other qualifier, while another source backs the fact's qualifier
        problems.extend(_undeclared(citation, shown, text) for citation, text in requalified)
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


# --- derived figures --------------------------------------------------------------------


def verify_derived(
    derived: Derived, facts: dict[str, Fact]
) -> tuple[DerivedValue | None, list[Problem]]:
    inputs: list[Fact] = []
    for fact_id in derived.inputs:
        fact = facts.get(fact_id)
        if fact is None or fact.kind != "number":
            return None, [
                error(
                    derived.location,
                    "derived-input",
                    f"derived figure '{derived.id}' uses '{fact_id}', which is "
                    + ("not a fact" if fact is None else "not a numeric fact"),
                    "list the ids of numeric facts in 'inputs:'",
                    subject=fact_id,
                )
            ]
        inputs.append(fact)
    value = compute(derived, tuple(inputs))
    if not derived.compare_with:
        return value, []
    reported = facts.get(derived.compare_with)
    if reported is None or reported.number is None or reported.qualifier is None:
        return value, [
            error(
                derived.location,
                "derived-input",
                f"derived figure '{derived.id}' is compared with '{derived.compare_with}', "
                "which is not a numeric fact",
                "set 'compare_with:' to the id of the reported figure",
            )
        ]
    allowed = allowed_range(reported.number, reported.qualifier)
    if value.range.overlaps(allowed):
        return value, []
    return value, [
        error(
            derived.location,
            "derived-contradicts",
            f"derived figure '{derived.id}' ({format_number(_rounded(value.value))}, at most "
            f"{format_number(_rounded(value.range.high))} given its inputs' qualifiers) contradicts the "
            f"reported '{derived.compare_with}' ({format_fact_value(reported)})",
            "one of the input figures or the reported total is wrong, or the sources "
            "count different things: check the quotes",
        )
    ]


def _rounded(value: Decimal) -> Decimal:
    """A computed figure, to one decimal place (the message says it is derived)."""
    return value if value == value.to_integral_value() else value.quantize(Decimal("0.1"))


# --- display ---------------------------------------------------------------------------


def format_fact_value(fact: Fact) -> str:
    """The fact's value as messages show it: 'about 24,000', '2026-01-15'."""
    if fact.kind == "date" and fact.date:
        return fact.date.iso()
    return format_value(fact)
