"""Triage as staff read it: what agrees (the citation to paste), what disagrees (the
`disagrees:` entry to fill in), and what is new."""

from __future__ import annotations

import json

from ..errors import in_quotes
from ..facts.display import format_date, format_quantity, page_reference, unit_kind
from ..model import DateStyle, Fact, Source
from .triage import Finding, Verdict


def as_text(source: Source, findings: tuple[Finding, ...]) -> str:
    """The triage as staff read it after `add-source` or `triage`."""
    if not findings:
        return f"triage: '{source.id}' states no figure or full date the fact base lacks or cites elsewhere"
    lines = [f"triage: what '{source.id}' states, set against the fact base"]
    for verdict, heading in (
        (Verdict.AGREES, "agrees with the fact base (cite it):"),
        (Verdict.DISAGREES, "disagrees with the fact base (cite it with 'disagrees:'):"),
        (Verdict.NEW, "not in the fact base yet:"),
    ):
        group = [f for f in findings if f.verdict is verdict]
        if not group:
            continue
        lines.append(f"{heading} {len(group)}")
        for finding in group:
            lines.extend(_finding_lines(source, finding))
    return "\n".join(lines)


def _finding_lines(source: Source, finding: Finding) -> list[str]:
    where = f"line {finding.location.line}" + (
        f", {page_reference(finding.pages)}" if finding.pages else ""
    )
    fact = finding.fact
    if fact is None:
        lines = [f"  {in_quotes(finding.stated)} ({where}): {finding.quote}"]
        if finding.caveat:
            lines.append(f"    note: {finding.caveat}")
        lines.append(f"    a new fact: {_new_fact(finding)}")
        return [*lines, *_citation_lines(source, finding)]
    lines = [f"  {fact.id} ({_fact_value(fact)}): states {in_quotes(finding.stated)} ({where})"]
    if finding.caveat:
        lines.append(f"    note: {finding.caveat}")
    if finding.measure and fact.measure is None:
        lines.append(
            f"    the sentence says what it is: add measure: {finding.measure} to the fact"
        )
    lines.extend(_citation_lines(source, finding))
    if finding.verdict is Verdict.DISAGREES:
        lines.append("        disagrees: <why this source states a different value>")
    return lines


def _new_fact(finding: Finding) -> str:
    """The fields of a fact for a new figure, as far as the sentence gives them."""
    kind, value = finding.value or ("", None)
    fields = [f"value: {value}"] if kind == "date" else [f"value: {value:f}"] if kind else []
    if kind == "number":
        fields.append(f"unit: {finding.unit}" if finding.unit else "unit: <what it counts>")
        fields.append(f"qualifier: {finding.bound or 'exact'}")
    if finding.measure:
        fields.append(f"measure: {finding.measure}")
    return ", ".join(fields)


def _citation_lines(source: Source, finding: Finding) -> list[str]:
    lines = [f"      - source: {source.id}"]
    if finding.cell is not None:
        lines.append(
            f"        cell: {{row: {_yaml_string(finding.cell.row)}, "
            f"column: {_yaml_string(finding.cell.column)}}}"
        )
    else:
        lines.append(f"        quote: {_yaml_string(finding.quote)}")
    return lines


def _fact_value(fact: Fact) -> str:
    if fact.kind == "date" and fact.date is not None:
        return format_date(fact.date, DateStyle.UK)
    assert fact.number is not None
    shown = format_quantity(fact.number, fact.unit, fact.qualifier)
    return shown if unit_kind(fact.unit) != "number" else f"{shown} {fact.unit}"


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
