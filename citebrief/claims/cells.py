"""A fact cited by a table's cell: the cell must hold the fact's value, its column must name
the fact's unit, and its row or column must name the fact's subject.

A header's scale applies to the column's figures ('Exports (USD millions)': 412 is
412,000,000). The cell's place in the archived CSV is its location, so the evidence page and
a reviewer find it as they find a quote.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..common.suggest import did_you_mean
from ..errors import Problem, error, in_quotes
from ..model import Cell, Citation, Corpus, Fact, Source

_SCALE = {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9}
_SCALE_WORD = re.compile(r"\b(thousand|million|billion)s?\b|\b(?:'000s?|000s)\b", re.I)
_NUMBER = re.compile(
    r"^\s*(?P<sign>[-−])?\s*(?P<money>[$€£])?\s*(?P<digits>\d[\d,\s]*(?:\.\d+)?)\s*(?P<percent>%)?\s*$"
)


@dataclass(frozen=True)
class CellFound:
    """Where a cited cell stands in the archived CSV, and what it holds."""

    cell: Cell
    text: str
    start: int
    end: int


def find_cell(source: Source, cell: Cell) -> CellFound | str:
    """The cell, or why it cannot be found (no such row or column)."""
    table = source.table
    if table is None:
        return "not-a-table"
    rows = {row[0].casefold(): index for index, row in enumerate(table.rows)}
    columns = {name.casefold(): index for index, name in enumerate(table.columns) if index}
    row = rows.get(cell.row.casefold())
    column = columns.get(cell.column.casefold())
    if row is None:
        return "row"
    if column is None:
        return "column"
    line_start = _line_start(source.text, row + 1)
    line = source.text[line_start : source.text.find("\n", line_start)]
    fields = next(csv.reader([line]))
    before = _csv_length(fields[:column]) + 1
    written = _csv_length(fields[column : column + 1])
    start = line_start + before
    text = table.rows[row][column]
    offset = source.text.find(text, start, start + written) if text else -1
    start = offset if offset >= 0 else start
    return CellFound(cell, text, start, start + (len(text) if offset >= 0 else written))


def _line_start(text: str, line: int) -> int:
    start = 0
    for _ in range(line):
        start = text.index("\n", start) + 1
    return start


def _csv_length(fields: list[str]) -> int:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return len(out.getvalue())


def cell_problems(fact: Fact, citation: Citation, source: Source, corpus: Corpus) -> list[Problem]:
    """What is wrong with citing ``citation.cell`` of ``source`` for ``fact``: nothing when
    the cell holds the fact's value, in its unit, about its subject."""
    assert citation.cell is not None
    found = find_cell(source, citation.cell)
    table = source.table
    if found == "not-a-table" or table is None:
        return [
            _problem(
                citation,
                f"source '{source.id}' is not a table, so it has no cells",
                'cite it with quote: "the words exactly as the source has them"',
            )
        ]
    if found == "row":
        labels = [row[0] for row in table.rows]
        return [
            _problem(
                citation,
                f"table '{source.id}' has no row {in_quotes(citation.cell.row)}",
                did_you_mean(citation.cell.row, labels) + _listed("its rows are", labels),
            )
        ]
    if found == "column":
        headers = list(table.columns[1:])
        return [
            _problem(
                citation,
                f"table '{source.id}' has no column {in_quotes(citation.cell.column)}",
                did_you_mean(citation.cell.column, headers) + _listed("its columns are", headers),
            )
        ]
    assert isinstance(found, CellFound)
    return _value_problems(fact, citation, found, table.columns[0], corpus)


def _listed(what: str, names: list[str]) -> str:
    shown = ", ".join(in_quotes(n) for n in names[:12])
    return f"{what} {shown}" + (f" and {len(names) - 12:,} more" if len(names) > 12 else "")


def _value_problems(
    fact: Fact, citation: Citation, found: CellFound, row_header: str, corpus: Corpus
) -> list[Problem]:
    assert citation.cell is not None
    where = f"row {in_quotes(citation.cell.row)}, column {in_quotes(citation.cell.column)}"
    if fact.kind != "number" or fact.number is None:
        return [
            _problem(
                citation,
                f"a table's cell backs a number fact; '{fact.id}' is a {fact.kind}",
                "cite a quote for a date or a statement",
            )
        ]
    value = cell_value(found.text, citation.cell.column)
    if value is None:
        return [
            _problem(
                citation,
                f"the cell at {where} holds {in_quotes(found.text)}, not a figure",
                "check the row and column the fact should cite",
            )
        ]
    problems = []
    if value != fact.number and not citation.disagrees:  # a disputing cell may differ
        problems.append(
            _problem(
                citation,
                f"the cell at {where} holds {in_quotes(found.text)} ({_plain(value)}), but the "
                f"fact's value is {_plain(fact.number)}",
                "check the value against the table, and the row and column cited",
            )
        )
    unit = _unit_problem(fact, citation, found.text, corpus)
    subject = _subject_problem(fact, citation, row_header, corpus)
    return [*problems, *(p for p in (unit, subject) if p is not None)]


def cell_value(text: str, column: str) -> Decimal | None:
    """The figure a cell holds, times its column's scale ('(USD millions)')."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    try:
        value = Decimal(re.sub(r"[,\s]", "", match.group("digits")))
    except InvalidOperation:
        return None
    scale = _SCALE_WORD.search(column)
    if scale is not None:
        value *= _SCALE[(scale.group(1) or "thousand").lower()]
    return -value if match.group("sign") else value


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,f}"


def _unit_problem(fact: Fact, citation: Citation, text: str, corpus: Corpus) -> Problem | None:
    assert citation.cell is not None
    header = citation.cell.column
    unit = fact.unit or ""
    if unit == "percent":
        names = ["%", "percent", "per cent", "share"]
    elif unit == "USD":
        names = ["$", "usd", "dollar", "us$"]
    else:
        known = corpus.units.get(unit)
        names = [n.lower() for n in (known.nouns if known else (unit, unit.rstrip("s")))]
    said = f"{header} {text}".lower()
    if any(_names(name, said) for name in names):
        return None
    return _problem(
        citation,
        f"the column {in_quotes(header)} does not say it counts {unit}",
        f"cite a column whose header names what the fact counts ({', '.join(names[:4])})",
    )


def _subject_problem(
    fact: Fact, citation: Citation, row_header: str, corpus: Corpus
) -> Problem | None:
    assert citation.cell is not None
    entity = corpus.entities.get(fact.subject or "")
    if entity is None:
        return None
    said = f"{citation.cell.row} {citation.cell.column}".lower()
    if any(_names(name.lower(), said) for name in entity.names):
        return None
    return _problem(
        citation,
        f"the row {in_quotes(citation.cell.row)} is not about {entity.name} (the fact's subject)",
        f"cite the row of {entity.name}, or check the fact's subject",
    )


def _names(name: str, text: str) -> bool:
    if not name[:1].isalnum():
        return name in text
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) is not None


def _problem(citation: Citation, message: str, hint: str) -> Problem:
    return error(citation.location, "cell-mismatch", message, hint)
