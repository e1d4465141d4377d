"""Compose stage: the briefing's notes, with their citations formatted by the house CSL style.

Each note names the sources of its fact, then what citebrief itself says about them:
how a computed figure was calculated, a source that gives another value (a dispute), the
same number in other words ("also reported as"), and "unconfirmed". Citations go to
citeproc all at once (:mod:`.citations`): the style decides full and short forms. A fact's
disputes and other wordings are written once, in its first note; a later note of the same
fact points back to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..claims.verify import Disagreement, QuoteMatch, Verification, rests_on_low_reliability
from ..common.counts import noun_for
from ..common.typography import quoted, quoted_figure, smarten
from ..facts.derive import Computed, computed_display
from ..facts.display import format_value, house_dates
from ..facts.styles import CitationStyle, default_style
from ..model import Citation, DateStyle, Fact, Share, Source
from .citations import UNTITLED, Cite, Formatted, csl_item, format_citations
from .fragments import passage_url
from .model import (
    UNCONFIRMED,
    CitationForm,
    Derivation,
    Dispute,
    DisputeKind,
    Inline,
    Link,
    Note,
    NoteCitation,
    SourceRef,
    Text,
)
from .notes import (
    closed,
    derivation_text,
    join_citations,
    known,
    sentence,
    short_name,
    short_titles,
    value_dispute,
    wording_difference,
)
from .state import ComposeState


@dataclass
class _Plan:
    """One note before its citations are formatted: what it says, and the groups of cites
    citeproc formats for it (the sources, then each dispute, then each other wording)."""

    note: Note
    """The note with every field but its text, which the formatted cites give."""
    shown_disputes: list[tuple[Dispute, bool]] = field(default_factory=list)
    """The disputes this note writes out, each with whether it is its source's first cite."""
    see_note: int | None = None
    """The earlier note of the same fact that gives its disputes."""


@dataclass(frozen=True)
class NotesAndSources:
    notes: list[Note]
    cited: list[Source]
    """The cited sources in the style's source-list order."""
    anchors: dict[str, str]
    """Each cited source's anchor in the source list ('src-3')."""
    entries: dict[str, tuple[Inline, ...]]
    """The style's source-list entry of each cited source (none when it has no bibliography)."""


def briefing_notes(
    state: ComposeState, cited: list[Source], has_list: bool, out_dir: Path | None
) -> NotesAndSources:
    """The notes, and the sources in the style's order with its entry for each, from one
    citeproc call; notes link a source to its entry only when the briefing lists them."""
    style = state.style or default_style()
    by_id = {s.id: s for s in cited}
    plans = _plans(state, by_id)
    titles = short_titles(cited)
    items = [csl_item(s, titles.get(s.id), known) for s in cited]
    formatted = format_citations(
        style, items, [_groups(p) for p in plans], _citeproc_lang(state), out_dir
    )
    place = {sid: i for i, sid in enumerate(formatted.entries)}
    cited = sorted(cited, key=lambda s: place.get(s.id, len(place)))
    anchors = {s.id: f"src-{i}" for i, s in enumerate(cited, 1)}
    shown = anchors if has_list else {}
    notes = [_note(plan, formatted, i, by_id, shown, style, state) for i, plan in enumerate(plans)]
    dates = state.spec.house.dates
    entries = {sid: _house(parts, dates) for sid, parts in formatted.entries.items()}
    return NotesAndSources(notes, cited, anchors, entries)


def _citeproc_lang(state: ComposeState) -> str:
    """English in American punctuation (quotation marks as every other part of the
    briefing has them); the house date style is applied to the output afterwards."""
    lang = state.spec.house.lang
    return "en-US" if lang == "en" or lang.startswith("en-") else lang


def _plans(state: ComposeState, by_id: dict[str, Source]) -> list[_Plan]:
    seen: set[str] = set()
    disputed_in: dict[str, int] = {}

    def form(source: str) -> CitationForm:
        first = source not in seen
        seen.add(source)
        return CitationForm.FULL if first else CitationForm.SHORT

    plans = []
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
                dispute_kind(d),
                d.pages,
            )
            for d in state.verification.disagreements_for(fid)
            if fact is not None and d.source in by_id
        ) or _computed_disputes(derived, by_id, state)
        note = Note(
            number,
            fid,
            citations,
            disputes,
            fact is not None and rests_on_low_reliability(fact, state.corpus.sources),
            _derivation(derived, state.spec.house.dates) if derived is not None else None,
            house_dates(smarten(fact.note), state.spec.house.dates)
            if fact is not None and fact.kind == "unknown"
            else None,
            text=(),
        )
        plan = _Plan(note)
        if disputes and fid in disputed_in:  # written once, in the fact's first note
            plan.see_note = disputed_in[fid]
        elif disputes:
            disputed_in[fid] = number
            plan.shown_disputes = [(d, form(d.source) == CitationForm.FULL) for d in disputes]
        plans.append(plan)
    return plans


def _groups(plan: _Plan) -> list[list[Cite]]:
    """The cites of a note in the order its text names them."""
    groups = [[Cite(c.source, c.pages, c.cell) for c in plan.note.citations]]
    wording: dict[str, list[Cite]] = {}
    for dispute, _ in plan.shown_disputes:
        cite = Cite(dispute.source, dispute.pages)
        if dispute.kind == DisputeKind.WORDING:
            wording.setdefault(dispute.stated, []).append(cite)
        else:
            groups.append([cite])
    return groups + list(wording.values())


def _note(
    plan: _Plan,
    formatted: Formatted,
    index: int,
    by_id: dict[str, Source],
    anchors: dict[str, str],
    style: CitationStyle,
    state: ComposeState,
) -> Note:
    dates = state.spec.house.dates
    groups = iter(formatted.cites[index])
    sources = [
        _linked(_house(parts, dates), c, by_id[c.source], anchors.get(c.source))
        for c, parts in zip(plan.note.citations, next(groups), strict=True)
    ]
    text: list[Inline] = []
    if plan.note.explanation:
        text += sentence([Text(plan.note.explanation)])
    cites = join_citations(sources)
    if plan.note.derivation is not None:
        text += sentence(
            [
                Text("Calculated from the figures reported by "),
                *cites,
                Text(": " + derivation_text(plan.note.derivation)),
            ]
        )
        if plan.note.derivation.caveat:
            text += [Text(" " + smarten(plan.note.derivation.caveat))]
    elif cites:
        text += ([Text(" ")] if text else []) + sentence(cites)
    wording: dict[str, list[list[Inline]]] = {}
    reporters: list[list[Inline]] = []
    for dispute, first in plan.shown_disputes:
        if dispute.kind == DisputeKind.WORDING:
            wording.setdefault(dispute.stated, [])
            continue
        who = _named(next(groups)[0], dates, anchors.get(dispute.source))
        if plan.note.derivation is not None:
            reporters.append(who)
            continue
        full = first if style.notes else "," in _plain(who)
        text += [Text(" "), *value_dispute(dispute, who, full)]
    if reporters:  # a computed figure whose range misses the reported one
        shown = plan.shown_disputes[0][0]
        reports = noun_for(len(reporters), "reports", "report")
        text += [
            Text(f" The reported figures imply {shown.reason}; "),
            *join_citations(reporters),
            *sentence([Text(f" {reports} {quoted_figure(quoted(shown.stated))}")]),
        ]
    for stated in wording:
        names = [_named(parts, dates, None) for parts in next(groups)]
        text += [Text(" "), *sentence(wording_difference(stated, names))]
    if plan.see_note is not None:
        text.append(Text(f" Disputed: see note {plan.see_note}."))
    if plan.note.unconfirmed:
        text.append(Text(f" {UNCONFIRMED[:1].upper()}{UNCONFIRMED[1:]}."))
    return replace(plan.note, text=tuple(text))


# --- a formatted cite as the note shows it ------------------------------------------------------


def _house(parts: tuple[Inline, ...], dates: DateStyle) -> tuple[Inline, ...]:
    """Dates in the house style: citeproc writes American English ('November 23, 2026'),
    which a UK house reads as '23 November 2026' (titles in quotation marks stay as written)."""
    out: list[Inline] = []
    for part in parts:
        if isinstance(part, Text):
            out.append(Text(house_dates(part.text, dates)))
        elif isinstance(part, Link):
            out.append(Link(part.url, _house(part.content, dates)))
        else:
            out.append(part)
    return tuple(out)


def _named(parts: tuple[Inline, ...], dates: DateStyle, anchor: str | None) -> list[Inline]:
    """A source named inside a sentence of the note: without the style's closing stop."""
    shown = list(_without_stop(_house(parts, dates))) or [Text(UNTITLED)]
    if anchor and not any(isinstance(p, Link) for p in shown):
        return [SourceRef(anchor, tuple(shown))]
    return shown


def _linked(
    parts: tuple[Inline, ...], citation: NoteCitation, source: Source, anchor: str | None
) -> list[Inline]:
    """A cite of the note's sources: its address opens the source at the quoted words; a
    short form (no address shown) opens them from its words, else the source-list entry."""
    parts = _without_stop(parts) or (Text(short_name(source, None)),)  # a style printed nothing
    url = known(source.url)
    if any(isinstance(p, Link) for p in parts):
        out: list[Inline] = []
        for part in parts:
            if isinstance(part, Link) and citation.link and part.url == url:
                part = Link(citation.link, part.content)
            out.append(part)
        if anchor and not isinstance(out[0], Link):
            cut = next(i for i, p in enumerate(out) if isinstance(p, Link))
            return [*_name_linked(out[:cut], anchor), *out[cut:]]
        return out
    if citation.link:
        return [Link(citation.link, parts)]
    return [SourceRef(anchor, parts)] if anchor else list(parts)


_ABBREVIATION = re.compile(r"(\b\w\.\w\.|\b(Inc|Ltd|Co|Corp|Jr|Sr|al|ed|eds|vol|no)\.)$")
"""A cite ending in an abbreviation ('n.d.', 'Inc.') keeps its stop."""


def _name_linked(lead: list[Inline], anchor: str) -> list[Inline]:
    """The words before a cite's address, linked to the source list; the comma and space
    that lead to the address stay outside the link."""
    if not lead:
        return lead
    last = lead[-1]
    tail = ""
    if isinstance(last, Text):
        kept = last.text.rstrip(", ")
        tail = last.text[len(kept) :]
        lead = [*lead[:-1], Text(kept)] if kept else lead[:-1]
    linked: list[Inline] = [SourceRef(anchor, tuple(lead))] if lead else []
    return [*linked, Text(tail)] if tail else linked


def _without_stop(parts: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The cite without the full stop a note style ends it with: citebrief's sentence
    around it places its own punctuation."""
    if not parts or not isinstance(parts[-1], Text):
        return parts
    text = parts[-1].text.rstrip()
    if text.endswith(".\u201d"):
        text = text[:-2] + "\u201d"
    elif text.endswith(".") and not _ABBREVIATION.search(text):
        text = text[:-1]
    return (*parts[:-1], Text(text)) if text else parts[:-1]


def _plain(parts: list[Inline]) -> str:
    out = []
    for part in parts:
        if isinstance(part, Text):
            out.append(part.text)
        elif hasattr(part, "content"):
            out.append(_plain(list(part.content)))
    return "".join(out)


# --- what each note cites ---------------------------------------------------------------------


def _derivation(computed: Computed, dates: DateStyle) -> Derivation:
    formula = computed.derived.formula
    order = list(computed.derived.inputs)
    if isinstance(formula, Share):  # the part first, then the rest of the whole
        order = [formula.part, *[i for i in order if i != formula.part]]
    by_id = {f.id: f for f in computed.inputs}
    inputs = tuple((by_id[i].label, format_value(by_id[i], dates)) for i in order)
    return Derivation(formula.kind, inputs, computed.caveat)


def _computed_disputes(
    computed: Computed | None, by_id: dict[str, Source], state: ComposeState
) -> tuple[Dispute, ...]:
    """A computed figure's disagreement with the reported figure it is compared with: the
    reported figure's sources, the value they give, and (as the reason) what the inputs imply."""
    reported = computed.disputed_by if computed is not None else None
    if computed is None or reported is None:
        return ()
    dates = state.spec.house.dates
    stated = smarten(format_value(reported, dates))
    implied = smarten(computed_display(computed))
    return tuple(
        Dispute(c.source, stated, implied, DisputeKind.VALUE)
        for c in dict((c.source, c) for c in reported.agreeing_citations).values()
        if c.source in by_id
    )


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


def dispute_kind(disagreement: Disagreement) -> DisputeKind:
    return DisputeKind.WORDING if disagreement.same_number else DisputeKind.VALUE


__all__ = ["briefing_notes", "cited_words", "closed", "dispute_kind"]
