"""Statistical tables as sources: a CSV or XLSX file archived as a table.

The archived text is the table as CSV (comma-separated, one record a line, UTF-8): its first
line holds the column headers, the first column of every other line its row's label. A cell
is cited by those two headers. An XLSX workbook gives its first sheet's cached values (a
formula's last computed result, as Excel saved it), its title and its author.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from ..errors import CitebriefError, in_quotes
from ..model import Table

MAX_CELLS = 200_000
"""Largest table archived: far beyond any table a briefing cites a cell of."""


@dataclass(frozen=True)
class TableFile:
    """A table read from a CSV or XLSX file, as the CSV to archive, and its stated metadata."""

    text: str
    table: Table
    title: str | None = None
    author: str | None = None
    sheet: str | None = None
    """The XLSX sheet read, when the workbook has several."""


def is_table_file(name: str, data: bytes) -> bool:
    return name.lower().endswith((".csv", ".xlsx")) or is_xlsx(data)


def is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_table(name: str, data: bytes) -> TableFile:
    """The table in a CSV or XLSX file, or a refusal with a reason and a remedy."""
    if is_xlsx(data):
        return _from_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CitebriefError(
            "the CSV file is not UTF-8 text", "save it again as 'CSV UTF-8' and archive that"
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    records = list(csv.reader(io.StringIO(text), dialect))
    return _table_file(records)


def _from_xlsx(data: bytes) -> TableFile:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise CitebriefError(
            f"the XLSX workbook cannot be read ({type(exc).__name__})",
            "open it in a spreadsheet program and save it again as .xlsx or .csv",
        ) from None
    try:
        sheet = book.worksheets[0]
        records = [
            [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
        ]
        title, author = book.properties.title, book.properties.creator
        several = len(book.worksheets) > 1
    finally:
        book.close()
    table = _table_file(records)
    return TableFile(
        table.text, table.table, title or None, author or None, sheet.title if several else None
    )


def _cell_text(value: object) -> str:
    """A cell's value as the sheet shows it in its simplest form: 412.0 as '412'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        number = Decimal(str(value))  # the shortest decimal that reads back as the float
        return format(
            number.quantize(Decimal(1)) if number == number.to_integral() else number, "f"
        )
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _table_file(records: list[list[str]]) -> TableFile:
    records = [[" ".join(cell.split()) for cell in record] for record in records]
    records = [record for record in records if any(record)]
    width = max((len(record) for record in records), default=0)
    while width and not any(len(record) >= width and record[width - 1] for record in records):
        width -= 1  # empty columns at the right of a sheet
    if len(records) < 2 or width < 2:
        raise CitebriefError(
            "the table needs a row of column headers and at least one row of figures, each row "
            "starting with its label",
            "put the column headers in the first row and the row labels in the first column",
        )
    if len(records) * width > MAX_CELLS:
        raise CitebriefError(
            f"the table has {len(records) * width:,} cells; the limit is {MAX_CELLS:,}",
            "archive the part of the table the briefing cites",
        )
    rows = [tuple((record + [""] * width)[:width]) for record in records]
    _refuse_repeated("column header", [c for c in rows[0][1:]])
    _refuse_repeated("row label", [row[0] for row in rows[1:]])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return TableFile(out.getvalue(), Table(rows[0], tuple(rows[1:])))


def _refuse_repeated(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        key = name.casefold()
        if not name:
            raise CitebriefError(
                f"a {what} is empty: a cell is cited by its row label and column header",
                f"give every {what} a name, or delete the empty {what.split()[0]}",
            )
        if key in seen:
            raise CitebriefError(
                f"the {what} {in_quotes(name)} appears twice: a cell is cited by its row label and "
                "column header, so each must be unique",
                f"make each {what} unique (add the year or the unit to it)",
            )
        seen.add(key)
