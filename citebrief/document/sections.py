"""Compose stage, second half: notes, the sources cited, charts and generated sections.

Everything here is scoped to the briefing: the source list, the assessment, the timeline,
the disagreements and "what changed" show only what the briefing cites, so adding an
unrelated source to the archive changes no output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..claims.verify import Verification, rests_on_low_reliability
from ..common.typography import quoted_figure, smarten
from ..errors import Location, Problem, warning
from ..facts.display import (
    format_value,
    house_dates,
)
from ..model import Corpus, DateStyle, Fact, Source
from .audit import EvidenceItem, EvidenceQuote
from .changes import change_sentences
from .computed import computed_evidence
from .model import (
    Assessment,
    Block,
    ChangeItem,
    Changes,
    CitedSource,
    Contents,
    ContentsEntry,
    DisagreementRow,
    Disagreements,
    Document,
    Heading,
    ListBlock,
    Quote,
    SourceList,
    Text,
    Timeline,
    TimelineRow,
)
from .note_list import briefing_notes, cited_words, dispute_kind
from .notes import (
    cited_source,
    known,
    short_titles,
)
from .passages import Passage, archived_text
from .state import ComposeState, fact_sources, figure, plain_text

if TYPE_CHECKING:
    from ..history.diff import ChangeSet

GENERATED = (
    "contents",
    "timeline",
    "disagreements",
    "assessment",
    "sources",
    "evidence",
    "changes",
)


@dataclass(frozen=True)
class Placeholder:
    """A generated section, filled in once the whole body has been read."""

    section: str


# --- the finished document -------------------------------------------------------------------


def finish(state: ComposeState, blocks: list[Any], changes: ChangeSet | None) -> Document:
    corpus = state.corpus
    used = [fid for fid in state.facts_used if fid in corpus.facts]
    has_list = any(isinstance(b, Placeholder) and b.section == "sources" for b in blocks)
    made = briefing_notes(state, _cited_sources(used, corpus), has_list, state.out_dir)
    cited, notes = made.cited, made.notes
    titles = short_titles(cited)
    dates = state.spec.house.dates
    sources = {
        s.id: cited_source(s, made.anchors[s.id], titles, dates, made.entries.get(s.id))
        for s in cited
    }
    state.problems.extend(_ids_in_reader_text(used, cited, corpus))
    context = _SectionContext(state, used, sources, changes, blocks)
    blocks = context.blocks = _without_empty_changes(blocks, context)
    evidence, passages = _evidence_with_passages(used, state)
    return Document(
        spec=state.spec,
        blocks=tuple(_filled(b, context) for b in blocks),
        notes=tuple(notes),
        sources=sources,
        evidence=evidence,
        computed_evidence=computed_evidence(state),
        facts_used=tuple(state.facts_used),
        fact_places=dict(state.fact_places),
        archives=tuple(archived_text(s, passages.get(s.id, [])) for s in cited),
    )


def _without_empty_changes(blocks: list[Any], context: _SectionContext) -> list[Any]:
    """A "What changed" section with nothing to say (no earlier edition, or nothing cited
    changed) is left out, with its heading when the section holds nothing else."""
    if _changes(context).items:
        return blocks
    out: list[Any] = []
    for i, block in enumerate(blocks):
        if isinstance(block, Placeholder) and block.section == "changes":
            heading = out[-1] if out and isinstance(out[-1], Heading) else None
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if heading and (
                after is None or (isinstance(after, Heading) and after.level <= heading.level)
            ):
                out.pop()
            continue
        out.append(block)
    return out


def _cited_sources(used: list[str], corpus: Corpus) -> list[Source]:
    """Every source that states or disputes a fact the briefing shows, in list order."""
    ids = {c.source for fid in used for c in corpus.facts[fid].citations}
    found = [corpus.sources[i] for i in ids if i in corpus.sources]
    return sorted(found, key=_list_order)


def _list_order(source: Source) -> tuple[str, str]:
    lead = known(source.author) or known(source.publisher) or known(source.title) or ""
    if known(source.author):
        lead = lead.split()[-1] + " " + lead  # surname first, as a bibliography sorts
    return lead.casefold().lstrip("\"'“‘"), source.id


def _ids_in_reader_text(used: list[str], cited: list[Source], corpus: Corpus) -> list[Problem]:
    """Readers never see source ids: warn where a label, note or statement names one."""
    texts = [(corpus.facts[f].location, corpus.facts[f].label) for f in used]
    texts += [(corpus.facts[f].location, corpus.facts[f].note) for f in used]
    texts += [(corpus.facts[f].location, corpus.facts[f].text) for f in used]
    texts += [(s.location, s.reliability_note) for s in cited]
    found: dict[tuple[Location, str], None] = {}
    for where, text in texts:
        source_id = _first_source_id(text or "", corpus.sources)
        if source_id is not None:
            found[(where, source_id)] = None
    return [
        warning(
            where,
            "id-in-reader-text",
            f"text a reader sees names the source id '{source_id}'",
            "name the source as a reader knows it (its publisher, author or title); "
            "ids belong in citations only",
        )
        for where, source_id in found
    ]


_WORD_OR_ID = re.compile(r"[\w-]+")
"""A run of letters, digits, underscores and hyphens: a source id (letters, digits and
hyphens) is named only as a whole run."""


def _first_source_id(text: str, source_ids: Mapping[str, object]) -> str | None:
    """The first source id the text names as a word of its own, looked up run by run (one
    pattern of every id tried at each character cost sources × text)."""
    return next((m.group(0) for m in _WORD_OR_ID.finditer(text) if m.group(0) in source_ids), None)


# --- generated sections --------------------------------------------------------------------------


@dataclass
class _SectionContext:
    state: ComposeState
    used: list[str]
    sources: dict[str, CitedSource]
    changes: ChangeSet | None
    blocks: list[Any]


def _filled(block: Any, context: _SectionContext) -> Block:
    if isinstance(block, ListBlock):
        items = tuple(tuple(_filled(b, context) for b in item) for item in block.items)
        return ListBlock(block.ordered, block.start, items)
    if isinstance(block, Quote):
        return Quote(tuple(_filled(b, context) for b in block.content))
    if not isinstance(block, Placeholder):
        return block
    corpus = context.state.corpus
    cited = tuple(context.sources)
    match block.section:
        case "contents":
            return Contents(_contents(context.blocks))
        case "timeline":
            facts = [corpus.facts[f] for f in context.used if corpus.facts[f].kind == "date"]
            return Timeline(
                tuple(
                    _timeline_row(f, corpus, context.state.spec.house.dates)
                    for f in _by_date(facts)
                )
            )
        case "disagreements":
            return Disagreements(_disagreement_rows(context))
        case "assessment":
            return Assessment(cited)
        case "sources":
            return SourceList(cited)
        case _:
            return _changes(context)


def _contents(blocks: list[Any]) -> tuple[ContentsEntry, ...]:
    return tuple(
        ContentsEntry(b.level, b.anchor, plain_text(b.content))
        for b in blocks
        if isinstance(b, Heading) and b.level == 2
    )


def _by_date(facts: list[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.date.earliest() if f.date else dt.date.min, f.id))


def _timeline_row(fact: Fact, corpus: Corpus, dates: DateStyle) -> TimelineRow:
    assert fact.date is not None
    return TimelineRow(
        figure(fact, None, dates),
        smarten(fact.label),
        house_dates(smarten(fact.note), dates) or None,
        fact.date.precision.value,
        fact_sources(fact),
        rests_on_low_reliability(fact, corpus.sources),
    )


def _disagreement_rows(context: _SectionContext) -> tuple[DisagreementRow, ...]:
    order = {fid: i for i, fid in enumerate(context.used)}
    corpus = context.state.corpus
    found = [
        d
        for d in context.state.verification.disagreements
        if d.fact_id in order and d.source in context.sources
    ]
    found.sort(key=lambda d: (order[d.fact_id], d.source))
    return tuple(
        DisagreementRow(
            smarten(corpus.facts[d.fact_id].label),
            figure(corpus.facts[d.fact_id], None, context.state.spec.house.dates),
            d.source,
            quoted_figure(smarten(d.stated)),
            house_dates(smarten(d.reason), context.state.spec.house.dates),
            dispute_kind(d),
        )
        for d in found
    )


def _changes(context: _SectionContext) -> Changes:
    changes = context.changes
    if changes is None:
        return Changes(False, ())
    names = {sid: s.name for sid, s in context.sources.items()}
    dates = context.state.spec.house.dates
    said = change_sentences(changes, context.state.corpus, set(context.used), names, dates)
    return Changes(True, tuple(ChangeItem(kind, (Text(smarten(text)),)) for kind, text in said))


# --- evidence for reviewers ---------------------------------------------------------------------


def _evidence_with_passages(
    used: list[str], state: ComposeState
) -> tuple[tuple[EvidenceItem, ...], dict[str, list[Passage]]]:
    """The evidence of every fact shown, each quote anchored to its passage in the archive."""
    passages: dict[str, list[Passage]] = {}
    items = []
    for fid in used:
        anchors = []
        for match in state.verification.matches_for(fid):
            anchor = f"passage-{sum(map(len, passages.values())) + 1}"
            passages.setdefault(match.citation.source, []).append((match.start, match.end, anchor))
            anchors.append(anchor)
        fact = state.corpus.facts[fid]
        items.append(_evidence(fact, state.verification, anchors, state.spec.house.dates))
    return tuple(items), passages


def _evidence(
    fact: Fact, verification: Verification, anchors: list[str], dates: DateStyle
) -> EvidenceItem:
    quotes = tuple(
        EvidenceQuote(
            m.citation.source,
            cited_words(m.citation, m.original),
            m.location.path,
            m.location.line,
            m.exact,
            m.pages,
            m.citation.disagrees,
            anchor,
        )
        for m, anchor in zip(verification.matches_for(fact.id), anchors, strict=True)
    )
    return EvidenceItem(
        fact.id,
        smarten(fact.label),
        smarten(format_value(fact, dates)),
        fact.location.path,
        fact.location.line,
        house_dates(smarten(fact.note), dates),
        quotes,
        tuple((a.code, house_dates(smarten(a.reason), dates)) for a in fact.acknowledged),
    )


# --- charts ----------------------------------------------------------------------------------------
