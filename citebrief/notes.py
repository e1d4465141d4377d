"""The words of a footnote: which sources state a figure, their quote, any dispute.

Part of the compose stage; kept apart so the rules for citing read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import escape

from .derive import DerivedValue
from .display import format_quantity, source_date, source_name
from .model import Corpus, Fact
from .verify import Verification, rests_on_low_reliability


@dataclass(frozen=True)
class NoteContext:
    """What writing a note needs: the facts, what verify found, and whether sources link."""

    corpus: Corpus
    verification: Verification
    has_source_list: bool


def cited_sources(fact: Fact) -> list[str]:
    return list(dict.fromkeys(c.source for c in fact.agreeing_citations))


def derived_sources(derived: DerivedValue) -> list[str]:
    return list(dict.fromkeys(s for f in derived.inputs for s in cited_sources(f)))


def derived_display(derived: DerivedValue) -> str:
    value = derived.value
    if derived.derived.unit == "percent":
        value = value.quantize(Decimal(1))
    return format_quantity(value, derived.derived.unit, derived.qualifier)


def source_ref(source_id: str, ctx: NoteContext) -> str:
    source = ctx.corpus.sources.get(source_id)
    if source is None:  # reported by `check` as an unknown source
        return str(escape(source_id))
    name = str(escape(source_name(source)))
    if ctx.has_source_list:
        name = f'<a href="#src-{escape(source_id)}">{name}</a>'
    return f"{name}, {escape(source_date(source))}"


def fact_note(fact: Fact, ctx: NoteContext) -> str:
    if fact.kind == "unknown":
        return f"{escape(fact.label)}: {escape(fact.note)}"
    agreeing = fact.agreeing_citations
    first = agreeing[0]
    quote = original_quote(fact.id, first, ctx)
    parts = [f"{source_ref(first.source, ctx)}: “{escape(quote)}”"]
    others = [s for s in cited_sources(fact) if s != first.source]
    if others:
        parts.append("Also " + "; ".join(source_ref(s, ctx) for s in others))
    for d in ctx.verification.disagreements:
        if d.fact_id == fact.id:
            parts.append(
                f"Disputed: {source_ref(d.source, ctx)} states “{escape(d.stated)}” "
                f"({escape(d.reason)})"
            )
    if rests_on_low_reliability(fact, ctx.corpus.sources):
        parts.append("Unconfirmed: every source for this is rated low reliability")
    return ". ".join(parts) + "."


def original_quote(fact_id: str, citation: Any, ctx: NoteContext) -> str:
    for match in ctx.verification.matches:
        if match.fact_id == fact_id and match.citation is citation:
            return " ".join(match.original.split())
    return citation.quote


def short_note(fact: Fact, ctx: NoteContext) -> str:
    if fact.kind == "unknown":
        return escape(fact.note)
    parts = ["; ".join(source_ref(s, ctx) for s in cited_sources(fact))]
    disputes = [d for d in ctx.verification.disagreements if d.fact_id == fact.id]
    if disputes:
        parts.append(
            "Disputed by "
            + "; ".join(f"{source_ref(d.source, ctx)} (“{escape(d.stated)}”)" for d in disputes)
        )
    return ". ".join(parts) + "."


def derived_note(derived: DerivedValue, ctx: NoteContext) -> str:
    names = ", ".join(escape(f.label) for f in derived.inputs)
    how = (
        f"Sum of: {names}"
        if derived.derived.formula == "sum"
        else f"{escape(derived.inputs[0].label)} as a share of the sum of: "
        + ", ".join(escape(f.label) for f in derived.inputs[1:])
    )
    sources = "; ".join(source_ref(s, ctx) for s in derived_sources(derived))
    return f"Calculated by citebrief ({escape(derived.derived.label)}). {how}. Inputs cited from {sources}."
