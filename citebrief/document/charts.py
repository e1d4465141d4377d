"""A chart block's data: each bar or point from a fact, labelled and checked."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from ..claims.verify import rests_on_low_reliability
from ..common.counts import counted
from ..common.typography import smarten
from ..errors import Problem, error
from ..facts.derive import RATIO_UNIT, Computed, computed_display, share_of
from ..facts.display import (
    format_value,
    unit_kind,
    unit_noun,
    value_with_unit,
)
from ..facts.schema import ChartBlock
from ..model import Fact
from .chart_data import chart_csv
from .labels import mislabelled
from .model import (
    Chart,
    ChartDatum,
    ChartKind,
)
from .state import ComposeState, derived_display, fact_sources, gate, resolve
from .timeline import timeline_description, timeline_reading


def chart_block(block: ChartBlock, loaded: Any, state: ComposeState) -> Chart | None:
    gate(block.title, state, loaded.at(("title",)))
    for i, label in enumerate(block.labels):
        gate(label, state, loaded.at(("labels", i)))
    ids = list(block.facts)  # only what the briefing names: a new fact elsewhere changes nothing
    too_few = _too_few_chart_facts(block, ids, loaded)
    if too_few is not None:
        state.problems.append(too_few)
        return None
    facts = [resolve(fid, state, loaded.at(("facts", i))) for i, fid in enumerate(ids)]
    if any(f is None for f in facts):
        return None
    if block.labels and len(block.labels) != len(ids):
        state.problems.append(
            error(
                loaded.at(("labels",)),
                "chart-labels",
                f"chart '{block.name}' has {counted(len(block.labels), 'label')} for {counted(len(ids), 'fact')}",
                "give one label per fact, in the same order, or leave 'labels' out",
            )
        )
        return None
    resolved = [f for f in facts if f is not None]
    if block.kind != "timeline" and not _chart_claims_ok(block, loaded, resolved, state):
        return None
    labels: list[str | None] = list(block.labels) or [None] * len(ids)
    data = [_datum(f, label, state) for f, label in zip(resolved, labels, strict=True)]
    kind = ChartKind(block.kind)
    wanted = "date" if kind == ChartKind.TIMELINE else "number"
    wrong = [d.fact_id for d in data if (d.date is None if wanted == "date" else d.value is None)]
    if wrong:
        state.problems.append(
            error(
                loaded.at(("facts",)),
                "chart-data",
                f"chart '{block.name}' ({block.kind}) needs {wanted} facts; '{wrong[0]}' is not one",
                f"list only facts whose value is a {wanted}",
            )
        )
        return None
    unplottable = _unplottable(block, data, loaded)
    if unplottable is not None:
        state.problems.append(unplottable)
        return None
    if kind == ChartKind.SHARE:
        data = _with_shares(block, loaded, data, resolved, state)
        if not data:
            return None
    state.charts += 1
    state.chart_numbers[block.name] = state.charts
    sources = tuple(dict.fromkeys(s for f in resolved for s in fact_sources(f)))
    return Chart(
        block.name,
        kind,
        smarten(block.title),
        tuple(data),
        sources,
        _alt(kind, data),
        state.charts,
        _axis_label(kind, resolved, state),
        chart_csv(data, resolved, state.corpus),
        _reading(kind, tuple(data)),
    )


def _chart_claims_ok(
    block: ChartBlock, loaded: Any, items: list[Fact | Computed], state: ComposeState
) -> bool:
    """One unit per chart, and every hand-typed label names its fact's subject."""
    units = {_unit_of(i) for i in items}
    if len(units) > 1:
        state.problems.append(
            error(
                loaded.at(("facts",)),
                "chart-units",
                f"chart '{block.name}' mixes units ({', '.join(sorted(units))}): its bars "
                "cannot be compared",
                "chart facts that count the same thing; draw another chart for the others",
            )
        )
        return False
    ok = True
    for i, (label, item) in enumerate(zip(block.labels, items, strict=False)):
        entity = mislabelled(label, item, state.corpus, strict=True)
        if entity is not None:
            state.problems.append(
                error(
                    loaded.at(("labels", i)),
                    "chart-label-subject",
                    f"label '{label}' of chart '{block.name}' is for fact '{_id(item)}', which "
                    f"is about {entity.name}",
                    "leave 'labels:' out: charts take their labels from the facts' subjects; "
                    f"or write '{entity.name}' here",
                )
            )
            ok = False
    return ok


def _unit_of(item: Fact | Computed) -> str:
    return item.unit


def _id(item: Fact | Computed) -> str:
    return item.derived.id if isinstance(item, Computed) else item.id


def _too_few_chart_facts(block: ChartBlock, ids: list[str], loaded: Any) -> Problem | None:
    where = loaded.at(("facts",))
    if not ids:
        return error(
            where,
            "chart-data",
            f"chart '{block.name}' ({block.kind}) has no facts to draw",
            "list the facts to draw in 'facts: [...]'; a chart draws only the facts it names"
            + (
                " (the 'timeline' section lists every dated fact the text cites)"
                if block.kind == "timeline"
                else ""
            ),
        )
    if block.kind == "share" and len(ids) < 2:
        return error(
            where,
            "chart-data",
            f"chart '{block.name}': a share chart needs at least two facts "
            "(one fact alone is always 100%)",
            "list every part of the whole in 'facts: [...]', or use a bars chart",
        )
    return None


def _unplottable(block: ChartBlock, data: list[ChartDatum], loaded: Any) -> Problem | None:
    """Values the chart kind cannot draw truthfully: bars of nothing, shares of nothing."""
    where = loaded.at(("facts",))
    if block.kind == "bars":
        low = next((d for d in data if d.value is not None and d.value < 0), None)
        if low is not None:
            return error(
                where,
                "chart-data",
                f"chart '{block.name}' draws bars from zero, which cannot show a negative "
                f"value: '{low.fact_id}' is {low.display}",
                "leave that fact out of the chart and state it in the text",
            )
        if not any(d.value for d in data):
            return error(
                where,
                "chart-data",
                f"chart '{block.name}' has nothing to draw: every value is 0",
                "state the figures in the text instead of a chart",
            )
    if block.kind == "share":
        negative = next((d for d in data if d.value is not None and d.value < 0), None)
        if negative is not None:
            return error(
                where,
                "chart-data",
                f"chart '{block.name}': a share cannot be negative ('{negative.fact_id}')",
                "a share chart divides a whole into its parts; list only parts",
            )
        if not any(d.value for d in data):
            return error(
                where,
                "chart-data",
                f"chart '{block.name}' would show shares of a total of zero",
                "list facts whose values add up to more than zero, or state them in the text",
            )
    return None


def _datum(item: Fact | Computed, label: str | None, state: ComposeState) -> ChartDatum:
    if isinstance(item, Computed):
        return ChartDatum(
            smarten(label or item.derived.label),
            item.derived.id,
            derived_display(item),
            item.value,
            item.qualifier,
            with_unit=_with_noun(derived_display(item), item.unit, item.value, state),
        )
    subject = state.corpus.entities.get(item.subject or "")
    return ChartDatum(
        smarten(label or (subject.name if subject and item.kind == "number" else item.label)),
        item.id,
        format_value(item, state.spec.house.dates),
        item.number,
        item.qualifier,
        item.date,
        low_reliability=rests_on_low_reliability(item, state.corpus.sources),
        with_unit=value_with_unit(item, state.corpus.units, state.spec.house.dates),
    )


def _with_noun(shown: str, unit: str, value: Decimal, state: ComposeState) -> str:
    if unit_kind(unit) != "number" or unit == RATIO_UNIT:
        return shown
    return f"{shown} {unit_noun(unit, value, state.corpus.units)}".rstrip()


def _with_shares(
    block: ChartBlock,
    loaded: Any,
    data: list[ChartDatum],
    items: list[Fact | Computed],
    state: ComposeState,
) -> list[ChartDatum]:
    """Each bar's share of the whole, from the one computation of computed figures: worded
    only as the inputs' qualifiers allow ('less than 81%', '0.91%, as calculated')."""
    facts = [item for item in items if isinstance(item, Fact)]
    if len(facts) != len(items):
        state.problems.append(
            error(
                loaded.at(("facts",)),
                "chart-data",
                f"chart '{block.name}' divides a whole into reported figures; a computed "
                "figure cannot be one of its parts",
                "list the reported facts the shares are of",
            )
        )
        return []
    whole = tuple(facts)
    return [
        replace(d, share=computed_display(share_of(fact, whole), short=True))
        for d, fact in zip(data, facts, strict=True)
    ]


def _axis_label(kind: ChartKind, items: list[Fact | Computed], state: ComposeState) -> str:
    """The axis says what the bars count, in the unit's own noun ('Exchanges')."""
    if kind == ChartKind.SHARE:
        return "Share of the combined total (%)"
    if kind == ChartKind.TIMELINE:
        return ""
    units = {_unit_of(i) for i in items}
    unit_id = units.pop() if len(units) == 1 else ""
    unit = state.corpus.units.get(unit_id)
    noun = unit.plural if unit is not None else unit_id
    return smarten(noun[:1].upper() + noun[1:]) if noun else "Value"


def _reading(kind: ChartKind, data: tuple[ChartDatum, ...]) -> str:
    """The source line's words on how the drawing reads, fitted to what it draws."""
    if kind == ChartKind.TIMELINE:
        return timeline_reading(data)
    shares = "; shares calculated from those figures" if kind == ChartKind.SHARE else ""
    return f"Figures as reported, with their qualifiers{shares}"


def _alt(kind: ChartKind, data: list[ChartDatum]) -> str:
    """Alt text written from the data itself."""
    if kind == ChartKind.TIMELINE:
        return timeline_description(tuple(data))
    if kind == ChartKind.SHARE:
        items = "; ".join(f"{d.label}: {d.share} ({d.display})" for d in data)
        return f"Bar divided into shares of the combined total. {items}."
    items = "; ".join(f"{d.label}: {d.display}" for d in data)
    return f"Horizontal bar chart, linear scale from zero. {items}."
