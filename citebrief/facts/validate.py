"""Validate stage: loaded values become the typed model, or located problems."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from ..common.values import read_date, read_number
from ..errors import Location, Problem, error, in_quotes, spacing_note
from ..model import (
    UNKNOWN,
    Acknowledgement,
    Cell,
    Citation,
    Derived,
    Fact,
    FactKind,
    PartialDate,
    Qualifier,
    Reliability,
    Source,
    Table,
)
from .formulas import is_computed, old_syntax, read_computed
from .load import FrontMatterFile, Loaded
from .parse import parse_model
from .schema import (
    FIELD_HELP,
    CitationEntry,
    DerivedEntry,
    FactEntry,
    SourceFrontMatter,
)

FACT_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)*\Z")
SOURCE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")
_DATE_TEXT = re.compile(r"^\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?\Z")
_NUMBER_AS_TEXT = re.compile(
    r"^[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[eE][-+]?\d+)?|\d+(?:\.\d+)?[eE][-+]?\d+)\Z"
)
"""A figure YAML reads as text: '24,000' (the comma) or '1e308' (no dot before the exponent)."""
_DATE_AS_TEXT = re.compile(
    r"^(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\Z"
)
"""A date written as prose or with slashes ('15/01/2026', 'January 15, 2026')."""


# --- sources ----------------------------------------------------------------------------


def validate_source(
    file: FrontMatterFile, loaded: Loaded, stem: str
) -> tuple[Source | None, list[Problem]]:
    if not isinstance(loaded.value, dict):
        return None, [
            error(
                loaded.at(()),
                "wrong-type",
                "the front matter must be a mapping of fields",
                "write one 'field: value' per line",
            )
        ]
    meta, problems = parse_model(SourceFrontMatter, loaded.value, loaded, (), "source front matter")
    if meta is None:
        return None, problems
    if not SOURCE_ID.match(meta.id):
        return None, [_unsafe_source_id(loaded, meta.id)]
    if meta.id != stem:
        return None, [
            error(
                loaded.at(("id",)),
                "source-id-file",
                f"source id '{meta.id}' does not match its file name '{file.path}'",
                f"rename the file to sources/{meta.id}.txt"
                + (
                    f" or set id: {stem}"
                    if SOURCE_ID.match(stem)
                    else f" (its name is not a usable id: {_ID_RULE})"
                ),
            )
        ]
    published = _published(meta.published)
    if isinstance(published, str):
        return None, [
            error(
                loaded.at(("published",)),
                "wrong-value",
                f"field 'published': {published}",
                f"write {FIELD_HELP['published']}",
            )
        ]
    if not is_web_address(meta.url) and meta.url != UNKNOWN:
        return None, [
            error(
                loaded.at(("url",)),
                "wrong-value",
                f"field 'url': {in_quotes(meta.url)} is not a web address",
                "write the address the document was taken from, starting with https:// "
                "(or http://), or 'unknown'",
            )
        ]
    table = read_table_text(file.body) if meta.format == "table" else None
    if isinstance(table, str):
        return None, [
            error(
                Location(file.path, file.body_line, 1),
                "source-table",
                f"the table cannot be read: {table}",
                "archive the CSV or XLSX file again with `citebrief add-source`",
            )
        ]
    return Source(
        id=meta.id,
        title=meta.title,
        publisher=meta.publisher,
        author=meta.author,
        url=meta.url,
        published=published,
        retrieved=None if meta.retrieved == UNKNOWN else meta.retrieved,  # type: ignore[arg-type]
        kind=meta.kind,
        reliability=Reliability(meta.reliability),
        reliability_note=meta.reliability_note or "",
        sha256=meta.sha256,
        note=meta.note or "",
        text=file.body,
        body_line=file.body_line,
        location=Location(file.path, 1, 1),
        pages=meta.pages,
        license=meta.license or "",
        table=table,
    ), []


def read_table_text(text: str) -> Table | str:
    """The table a table source's CSV text holds, or what is wrong with it."""
    rows = [tuple(row) for row in csv.reader(io.StringIO(text)) if row]
    if len(rows) < 2 or any(len(row) != len(rows[0]) for row in rows):
        return "its rows are not all as long as its header row"
    return Table(rows[0], tuple(rows[1:]))


def _citations_without_quote(
    entry: dict[str, Any], loaded: Loaded, path: tuple[Any, ...]
) -> list[Problem]:
    """A citation needs its quote (or, citing a table, its cell)."""
    citations = entry.get("citations")
    return [
        error(
            loaded.at((*path, "citations", index)),
            "missing-field",
            "citation is missing the required field 'quote'",
            f"add 'quote:' ({FIELD_HELP['quote']}), or for a table source 'cell:' "
            f'({{row: "<row label>", column: "<column header>"}})',
        )
        for index, citation in enumerate(citations if isinstance(citations, list) else [])
        if isinstance(citation, dict) and "quote" not in citation and "cell" not in citation
    ]


def _quote_or_cell(
    entry: CitationEntry, loaded: Loaded, path: tuple[str | int, ...]
) -> Citation | Problem:
    """A citation by quote, or by a table's cell; exactly one of the two."""
    if entry.quote is not None and entry.cell is not None:
        return error(
            loaded.at(path),
            "citation-quote-or-cell",
            "a citation gives either a quote or a table's cell, not both",
            'write quote: "the words exactly as the source has them", or for a table '
            'source cell: {row: "<row label>", column: "<column header>"}',
        )
    cell = Cell(entry.cell.row, entry.cell.column) if entry.cell is not None else None
    return Citation(
        source=entry.source,
        quote=entry.quote or "",
        location=loaded.at((*path, "quote" if cell is None else "cell")),
        disagrees=entry.disagrees or "",
        note=entry.note or "",
        cell=cell,
        source_location=loaded.at((*path, "source")),
    )


def is_web_address(url: str) -> bool:
    """An http(s) address with a host: what a reader's click may open (never javascript:,
    data:, file: or a path on the reader's own disk)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _published(value: dt.date | int | str) -> PartialDate | str | None:
    """The source's stated date (to the day, month or year), None if unknown, else why not."""
    if isinstance(value, dt.date):
        return PartialDate.of(value)
    if value == UNKNOWN:
        return None
    return read_date(str(value))  # YAML reads a bare year (2026) as a number


_ID_RULE = "lowercase letters, digits and single hyphens (e.g. 'et-2026-02'), at most 64 characters"


def _unsafe_source_id(loaded: Loaded, value: str) -> Problem:
    return error(
        loaded.at(("id",)),
        "unsafe-id",
        f"source id {in_quotes(value)}{spacing_note(value)} is not a safe name",
        f"use {_ID_RULE}",
    )


# --- facts ------------------------------------------------------------------------------


def validate_fact_file(
    loaded: Loaded, path: str
) -> tuple[list[Fact], list[Derived], list[Problem]]:
    """A fact file holds a list of facts, or a single fact (one fact per file)."""
    if isinstance(loaded.value, dict):
        entries: list[tuple[Any, tuple[Any, ...]]] = [(loaded.value, ())]
    elif isinstance(loaded.value, list):
        entries = [(entry, (index,)) for index, entry in enumerate(loaded.value)]
    else:
        return (
            [],
            [],
            [
                error(
                    loaded.at(()),
                    "wrong-type",
                    "a fact file must hold one fact (id:, label:, value: …) or a list of facts, "
                    "each starting with '- id:'",
                    "start every fact with '- id: ...' at the left margin, "
                    "or write a single fact's fields without the dash",
                )
            ],
        )
    facts: list[Fact] = []
    derived: list[Derived] = []
    problems: list[Problem] = []
    for entry, where in entries:
        if is_computed(entry):
            item, found = _derived(entry, loaded, where)
            derived.extend([item] if item else [])
        else:
            fact, found = _fact(entry, loaded, where)
            facts.extend([fact] if fact else [])
        problems.extend(found)
    return facts, derived, problems


def _fact(entry: Any, loaded: Loaded, path: tuple[Any, ...]) -> tuple[Fact | None, list[Problem]]:
    if not isinstance(entry, dict):
        return None, [
            error(
                loaded.at(path),
                "wrong-type",
                "a fact must be a mapping of fields" if entry is not None else "this fact is empty",
                "write its fields under the '- ', one per line as 'name: value': id, label, "
                "value and citations (the README's 'Facts' shows each), or remove the '- '",
            )
        ]
    unquoted = _citations_without_quote(entry, loaded, path)
    parsed, problems = parse_model(FactEntry, entry, loaded, path, "fact")
    if parsed is None or unquoted:
        return None, sorted(
            [*unquoted, *problems], key=lambda p: (p.location.line, p.location.column)
        )
    if not FACT_ID.match(parsed.id):
        return None, [_unsafe_fact_id(loaded, path, parsed.id)]
    value_problems, value = _fact_value(parsed, loaded, path)
    if value_problems:
        return None, value_problems
    cited = [
        _quote_or_cell(c, loaded, (*path, "citations", i)) for i, c in enumerate(parsed.citations)
    ]
    wrong = [p for p in cited if isinstance(p, Problem)]
    if wrong:
        return None, wrong
    citations = tuple(c for c in cited if isinstance(c, Citation))
    fact = Fact(
        id=parsed.id,
        label=parsed.label,
        as_of=parsed.as_of,
        note=parsed.note or "",
        citations=citations,
        location=loaded.at(path),
        value_location=loaded.at((*path, "value")),
        subject=parsed.subject,
        subject_location=loaded.at((*path, "subject")) if parsed.subject else None,
        unit_location=loaded.at((*path, "unit")) if parsed.unit else None,
        measure=parsed.measure,
        measure_location=loaded.at((*path, "measure")) if parsed.measure else None,
        acknowledged=tuple(
            Acknowledgement(code, reason, loaded.key_at((*path, "acknowledge", code)))
            for code, reason in (parsed.acknowledge or {}).items()
        ),
        **value,
    )
    return fact, _citation_count_problems(fact, loaded, path)


def _unsafe_fact_id(loaded: Loaded, path: tuple[Any, ...], value: str) -> Problem:
    return error(
        loaded.at((*path, "id")),
        "unsafe-id",
        f"fact id {in_quotes(value)}{spacing_note(value)} is not a safe dotted name",
        f"remove the spaces or line breaks around it: write '{value.strip()}'"
        if value != value.strip() and FACT_ID.match(value.strip())
        else "use lowercase words joined by dots, e.g. 'labs.minimax.exchanges'",
    )


def _fact_value(
    parsed: FactEntry, loaded: Loaded, path: tuple[Any, ...]
) -> tuple[list[Problem], dict[str, Any]]:
    value = parsed.value
    here = loaded.at((*path, "value"))
    blank: dict[str, Any] = {
        "number": None,
        "unit": parsed.unit or "",
        "qualifier": None,
        "date": None,
        "text": "",
    }
    if isinstance(value, bool):
        return [error(here, "wrong-type", "a fact value cannot be true or false")], blank
    if isinstance(value, int | float):
        missing = [name for name in ("unit", "qualifier") if getattr(parsed, name) is None]
        if missing:
            return [
                error(
                    loaded.at(path),
                    "missing-field",
                    f"numeric fact '{parsed.id}' needs '{missing[0]}'",
                    "a number needs its unit (e.g. 'exchanges', 'percent', 'USD') and "
                    "its qualifier (" + FIELD_HELP["qualifier"] + ")",
                )
            ], blank
        number = read_number(value)
        if isinstance(number, str):
            return [
                error(
                    here,
                    "wrong-value",
                    f"the value of fact '{parsed.id}': {number}",
                    "write the figure as the source states it, e.g. 13000000 or 2.5",
                )
            ], blank
        return [], blank | {
            "kind": FactKind.NUMBER,
            "number": number,
            "qualifier": Qualifier(parsed.qualifier or "exact"),
        }
    mistyped = _mistyped_value(parsed, value, here) if isinstance(value, str) else None
    if mistyped is not None:
        return [mistyped], blank
    if parsed.qualifier is not None:
        return [
            error(
                loaded.key_at((*path, "qualifier")),
                "qualifier-not-number",
                f"fact '{parsed.id}' has a qualifier but its value is not a number",
                "remove 'qualifier:', or make the value a number",
            )
        ], blank
    if isinstance(value, dt.date):
        return [], blank | {
            "kind": FactKind.DATE,
            "date": PartialDate(value.year, value.month, value.day),
        }
    if _DATE_TEXT.match(value):
        date = read_date(value)
        if isinstance(date, str):
            return [error(here, "wrong-value", f"the value of fact '{parsed.id}': {date}")], blank
        return [], blank | {"kind": FactKind.DATE, "date": date}
    if value == UNKNOWN:
        return [], blank | {"kind": FactKind.UNKNOWN, "text": UNKNOWN}
    return [], blank | {"kind": FactKind.TEXT, "text": value}


def _mistyped_value(parsed: FactEntry, value: str, here: Location) -> Problem | None:
    """A number or a date YAML read as text: an error at the value, never a statement."""
    written = value.strip()
    if _NUMBER_AS_TEXT.match(written):
        plain = written.replace(",", "")
        return error(
            here,
            "wrong-value",
            f"the value of fact '{parsed.id}' is the figure {in_quotes(written)} written as text",
            f"write the figure as digits only, e.g. {plain if 'e' not in plain.lower() else '13000000'} "
            "(a comma or an exponent without a decimal point makes YAML read it as words)",
        )
    if _DATE_AS_TEXT.match(written):
        return error(
            here,
            "wrong-value",
            f"the value of fact '{parsed.id}' is the date {in_quotes(written)} written as text",
            "write the date as YYYY-MM-DD (or YYYY-MM, or YYYY), e.g. 2026-01-15",
        )
    return None


def _citation_count_problems(fact: Fact, loaded: Loaded, path: tuple[Any, ...]) -> list[Problem]:
    if fact.kind is FactKind.UNKNOWN:
        if not fact.note:
            return [
                error(
                    fact.location,
                    "unknown-needs-note",
                    f"fact '{fact.id}' is 'unknown' but does not say why",
                    "add 'note:' saying which sources were searched and what they leave out",
                )
            ]
        return []
    if not fact.citations:
        return [
            error(
                fact.location,
                "uncited-fact",
                f"fact '{fact.id}' has no citations",
                "add 'citations:' with at least one {source, quote} copied from an archived source",
            )
        ]
    if not fact.agreeing_citations:
        return [
            error(
                fact.location,
                "no-agreeing-citation",
                f"every citation of fact '{fact.id}' is marked as disagreeing",
                "at least one citation must support the value the fact states",
            )
        ]
    return []


def _derived(
    entry: Any, loaded: Loaded, path: tuple[Any, ...]
) -> tuple[Derived | None, list[Problem]]:
    if "formula" in entry:
        return None, [old_syntax(entry, loaded, path)]
    parsed, problems = parse_model(DerivedEntry, entry, loaded, path, "computed figure")
    if parsed is None:
        return None, problems
    if not FACT_ID.match(parsed.id):
        return None, [_unsafe_fact_id(loaded, path, parsed.id)]
    return read_computed(entry, loaded, path, parsed)
