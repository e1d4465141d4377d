"""Triage of a table source: every cell holding a figure, set against the fact base.

A cell's subject is the entity its row label (or its column header) names, its unit what
its column header names ('2025 licences approved', 'Share (%)', 'Value (USD millions)'),
its value the figure times the header's scale. The citation offered is the cell itself.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..claims.cells import cell_value, find_cell
from ..claims.verify import locate_in_source
from ..model import Cell, Fact, Qualifier, Source
from .factbase import FactBase, stem
from .findings import Finding, Verdict

_PERCENT = re.compile(r"%|\bper ?cent\b|\bshare\b", re.I)
_MONEY = re.compile(r"\$|\busd\b|\bdollars?\b", re.I)
_WORD = re.compile(r"[a-z][a-z0-9'-]*")


def table_findings(source: Source, base: FactBase) -> list[Finding]:
    table = source.table
    assert table is not None
    units = [_column_unit(column, base) for column in table.columns]
    findings = []
    for row in table.rows:
        named_row = base.named_entities(row[0])
        for index in range(1, len(table.columns)):
            column = table.columns[index]
            value = cell_value(row[index], column)
            unit = units[index] or ("percent" if row[index].strip().endswith("%") else None)
            if value is None or unit is None:
                continue
            named = named_row | base.named_entities(column)
            found = _cell_finding(
                source, Cell(row[0], column), row[index], value, unit, named, base
            )
            findings.extend([found] if found else [])
    return findings


def _column_unit(column: str, base: FactBase) -> str | None:
    if _PERCENT.search(column):
        return "percent"
    if _MONEY.search(column):
        return "USD"
    lowered = column.lower()
    for noun, unit in base.noun_units:
        if re.search(r"(?<!\w)" + re.escape(noun) + r"(?!\w)", lowered):
            return unit
    return None


def _cell_finding(
    source: Source,
    cell: Cell,
    text: str,
    value: Decimal,
    unit: str,
    named: set[str],
    base: FactBase,
) -> Finding | None:
    candidates = base.in_order(f for s in named for f in base.by_unit_subject.get((unit, s), ()))
    header = {stem(w) for w in _WORD.findall(cell.column.lower())}
    candidates = [f for f in candidates if _header_fits(f, header, unit, base)]
    verdict, fact = Verdict.NEW, None
    for candidate in candidates:
        if candidate.number == value and candidate.qualifier in (Qualifier.EXACT, Qualifier.ABOUT):
            verdict, fact = Verdict.AGREES, candidate
            break
    else:
        if candidates:
            verdict, fact = Verdict.DISAGREES, _closest(candidates, value)
    found = find_cell(source, cell)
    start = found.start if not isinstance(found, str) else 0
    return Finding(
        verdict,
        f"{text} ({cell.row}, {cell.column})",
        f"{cell.row}, {cell.column}: {text}",
        locate_in_source(source, start),
        None,
        fact,
        "",
        "",
        cell,
        start,
        ("number", value),
        unit,
        Qualifier.EXACT.value,  # a cell states its figure as it is
    )


def _header_fits(fact: Fact, header: set[str], unit: str, base: FactBase) -> bool:
    """The column header names the fact's measure (one of its words), or the fact has none
    and the unit says what the figure is (a count, not a percentage or money)."""
    measure = base.measure(fact)
    if measure is None:
        return unit not in ("percent", "USD")
    words = base.corpus.measures[measure].words
    return any({stem(w) for w in _WORD.findall(word.lower())} <= header for word in words)


def _closest(facts: list[Fact], value: Decimal) -> Fact:
    return min(facts, key=lambda f: (abs((f.number or Decimal(0)) - value), f.id))
