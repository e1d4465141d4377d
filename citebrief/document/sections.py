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

from ..claims.verify import Disagreement, QuoteMatch, Verification, rests_on_low_reliability
from ..common.typography import quoted_figure, smarten
from ..errors import Location, Problem, warning
from ..facts.derive import Computed
from ..facts.display import (
    format_value,
    house_dates,
)
from ..model import Citation, Corpus, DateStyle, Fact, Share, Source
from .audit import EvidenceItem, EvidenceQuote
from .changes import change_sentences
from .computed import computed_evidence
from .fragments import passage_url
from .model import (
    UNCONFIRMED,
    Assessment,
    Block,
    ChangeItem,
    Changes,
    CitationForm,
    CitedSource,
    Contents,
    ContentsEntry,
    Derivation,
    DisagreementRow,
    Disagreements,
    Dispute,
    DisputeKind,
    Document,
    Heading,
    Inline,
    ListBlock,
    Note,
    NoteCitation,
    Quote,
    SourceList,
    Text,
    Timeline,
    TimelineRow,
)
from .notes import (
    citation_parts,
    cited_source,
    derivation_text,
    join_citations,
    known,
    sentence,
    short_titles,
    value_dispute,
    wording_difference,
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
    cited = _cited_sources(used, corpus)
    has_list = any(isinstance(b, Placeholder) and b.section == "sources" for b in blocks)
    anchors = {s.id: f"src-{i}" for i, s in enumerate(cited, 1)}
    titles = short_titles(cited)
    dates = state.spec.house.dates
    sources = {s.id: cited_source(s, anchors[s.id], titles, dates) for s in cited}
    notes = _notes(state, cited, anchors if has_list else {})
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


# --- notes -------------------------------------------------------------------------------------


def _notes(state: ComposeState, cited: list[Source], anchors: dict[str, str]) -> list[Note]:
    by_id = {s.id: s for s in cited}
    titles = short_titles(cited)
    seen: set[str] = set()

    def form(source: str) -> CitationForm:
        first = source not in seen
        seen.add(source)
        return CitationForm.FULL if first else CitationForm.SHORT

    def name(citation: NoteCitation) -> list[Inline]:
        source = by_id[citation.source]
        return citation_parts(
            citation, source, titles, anchors.get(citation.source), state.spec.house.dates
        )

    notes = []
    for number, fid in enumerate(state.note_facts, 1):
        fact = state.corpus.facts.get(fid)
        derived = state.verification.derived.get(fid)
        inputs = [fact] if fact is not None else list(derived.inputs)  # type: ignore[union-attr]
        citations = tuple(
            NoteCitation(
                c.source,
                form(c.source),
                _quote(f, c, state.verification),
                _pages(f, c, state.verification),
                _passage_link(by_id[c.source], _match(f, c, state.verification)),
                c.cell,
            )
            for f, c in _first_citation_per_source(inputs)
            if c.source in by_id
        )
        disputes = tuple(
            Dispute(
                d.source,
                smarten(d.stated),
                house_dates(d.reason, state.spec.house.dates),
                _dispute_kind(d),
                d.pages,
            )
            for d in state.verification.disagreements_for(fid)
            if fact is not None and d.source in by_id
        )
        dispute_forms = [form(d.source) for d in disputes]
        unconfirmed = fact is not None and rests_on_low_reliability(fact, state.corpus.sources)
        derivation = _derivation(derived, state.spec.house.dates) if derived is not None else None
        explanation = (
            house_dates(smarten(fact.note), state.spec.house.dates)
            if fact is not None and fact.kind == "unknown"
            else None
        )
        text: list[Inline] = []
        if explanation:
            text += sentence([Text(explanation)])
        cites = join_citations([name(c) for c in citations])
        if derivation is not None:
            text += sentence(
                [
                    Text("Calculated from the figures reported by "),
                    *cites,
                    Text(": " + derivation_text(derivation)),
                ]
            )
            if derivation.caveat:
                text += [Text(" " + smarten(derivation.caveat))]
        elif cites:
            text += ([Text(" ")] if text else []) + sentence(cites)
        wording: dict[str, list[list[Inline]]] = {}
        for dispute, dispute_form in zip(disputes, dispute_forms, strict=True):
            who = name(NoteCitation(dispute.source, dispute_form, "", dispute.pages))
            if dispute.kind == DisputeKind.WORDING:
                wording.setdefault(dispute.stated, []).append(who)
            else:
                full = dispute_form == CitationForm.FULL
                text += [Text(" "), *sentence(value_dispute(dispute, who, full))]
        for stated, names in wording.items():
            text += [Text(" "), *sentence(wording_difference(stated, names))]
        if unconfirmed:
            text.append(Text(f" {UNCONFIRMED[:1].upper()}{UNCONFIRMED[1:]}."))
        notes.append(
            Note(
                number, fid, citations, disputes, unconfirmed, derivation, explanation, tuple(text)
            )
        )
    return notes


def _derivation(computed: Computed, dates: DateStyle) -> Derivation:
    formula = computed.derived.formula
    order = list(computed.derived.inputs)
    if isinstance(formula, Share):  # the part first, then the rest of the whole
        order = [formula.part, *[i for i in order if i != formula.part]]
    by_id = {f.id: f for f in computed.inputs}
    inputs = tuple((by_id[i].label, format_value(by_id[i], dates)) for i in order)
    return Derivation(formula.kind, inputs, computed.caveat)


def _first_citation_per_source(facts: list[Fact]) -> list[tuple[Fact, Any]]:
    found: dict[str, tuple[Fact, Any]] = {}
    for fact in facts:
        for citation in fact.agreeing_citations:
            found.setdefault(citation.source, (fact, citation))
    return list(found.values())


def _match(fact: Fact, citation: Citation, verification: Verification) -> QuoteMatch | None:
    for match in verification.matches_for(fact.id):
        if match.citation is citation:
            return match
    return None


def _quote(fact: Fact, citation: Citation, verification: Verification) -> str:
    match = _match(fact, citation, verification)
    return cited_words(citation, match.original if match else citation.quote)


def cited_words(citation: Citation, original: str) -> str:
    """What a note or the evidence page shows of a citation: the quoted words, or a table's
    cell with its row and column ('China, 2025 licences approved: 412')."""
    if citation.cell is None:
        return " ".join(original.split())
    return f"{citation.cell.row}, {citation.cell.column}: {original}"


def _passage_link(source: Source, match: QuoteMatch | None) -> str | None:
    if match is None:
        return None
    return passage_url(source.url, source.text, match.start, match.end, match.pages)


def _pages(fact: Fact, citation: Citation, verification: Verification) -> tuple[int, int] | None:
    match = _match(fact, citation, verification)
    return match.pages if match is not None else None


def _dispute_kind(disagreement: Disagreement) -> DisputeKind:
    return DisputeKind.WORDING if disagreement.same_number else DisputeKind.VALUE


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
            _dispute_kind(d),
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
