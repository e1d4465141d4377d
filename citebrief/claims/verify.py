"""Verify stage: every quote is in its source, every figure is in its quotes.

Each function takes validated data and returns problems; none stops at the first. The
parts: quotes.py (where a quote stands), verify_figures.py (values, qualifiers, dates),
verify_claims.py and verify_mentions.py (subject, unit, measure, modality, currency, time).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from ..common.counts import counted
from ..common.memo import new_run
from ..common.suggest import did_you_mean
from ..errors import Location, Problem, error, warning
from ..facts.derive import Computed
from ..model import Citation, Corpus, Fact, Reliability, Source
from .cells import CellFound, cell_problems, find_cell
from .computed import verify_computed
from .normalise import word_count
from .quotes import (
    INVISIBLE_HINT,
    QuoteMatch,
    describe_invisible,
    find_quote,
    locate_in_source,
    normalised_text,
    pages_of,
    quote_match,
)
from .reader import context_of
from .verify_claims import check_claims, check_fact_prose
from .verify_figures import Disagreement, check_figures, format_fact_value
from .verify_mentions import check_mentions, check_statement_mentions

__all__ = [
    "INVISIBLE_HINT",
    "Disagreement",
    "QuoteMatch",
    "Verification",
    "describe_invisible",
    "find_quote",
    "format_fact_value",
    "locate_in_source",
    "normalised_text",
    "pages_of",
    "verify",
]

SHORT_QUOTE_WORDS = 5
"""Quotes with fewer words than this get a warning: context could change their meaning."""


@dataclass(frozen=True)
class Verification:
    problems: tuple[Problem, ...]
    matches: tuple[QuoteMatch, ...]
    disagreements: tuple[Disagreement, ...]
    derived: dict[str, Computed]

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
    derived, derived_problems = verify_computed(corpus)
    problems.extend(derived_problems)
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


# --- facts ------------------------------------------------------------------------------


def verify_fact(
    fact: Fact, corpus: Corpus, prose: bool = True
) -> tuple[list[QuoteMatch], list[Problem], list[Disagreement]]:
    """The fact's quotes found in its sources, the figures in them compared with its value
    (the disagreements), and, unless ``prose`` is False (`diff`, which needs only the
    disagreements), what the quoted sentences say of its subject and measure."""
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
        found = quote_match(fact, citation, source)
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
        if prose:
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
        citation.source_location or citation.location,
        "unknown-source",
        f"citation refers to source '{citation.source}', which is not in sources/",
        hint + "archive the source first with `citebrief add-source`",
        subject=citation.source,
    )


def _short_quote(citation: Citation) -> list[Problem]:
    count = word_count(citation.quote, SHORT_QUOTE_WORDS)
    if count >= SHORT_QUOTE_WORDS:
        return []
    return [
        warning(
            citation.location,
            "short-quote",
            f"quote is only {counted(count, 'word')}: out of context its meaning could change",
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
