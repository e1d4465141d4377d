"""The shape of the files staff edit, as pydantic models.

Only the shape lives here (types, required and unknown fields, allowed words); the
validate stage turns pydantic's errors into located problems and builds the frozen
model. The same models can export a JSON Schema for editors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from ..common.values import read_date

NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""Text holds no control character but a line end or a tab: a NUL or form feed in a title
would reach the reader's page (or break the PDF's font). A pattern, checked in pydantic's
own regex engine (a Python validator per string doubled the time to validate a fact);
validate names the character."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=False, min_length=1, pattern=NO_CONTROL_CHARACTERS),
]
Unknown = Literal["unknown"]


def _calendar_date(value: object) -> object:
    """YAML gives dates as text; read them here so '2026-02-30' is a plain, located error."""
    if not isinstance(value, str) or value == "unknown":
        return value
    date = read_date(value)
    if isinstance(date, str):
        raise ValueError(date)
    if date.day is None:
        raise ValueError(f"{value} is not a full date: write YYYY-MM-DD")
    return date.earliest()


IsoDate = Annotated[dt.date, BeforeValidator(_calendar_date)]
IsoDateOrUnknown = Annotated[dt.date | Unknown, BeforeValidator(_calendar_date)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SourceFrontMatter(_Strict):
    id: Text
    title: Text
    publisher: Text
    author: Text
    url: Text
    published: dt.date | int | Text
    retrieved: IsoDateOrUnknown
    kind: Literal["primary", "secondary", "aggregator"]
    reliability: Literal["high", "medium", "low", "unassessed"]
    reliability_note: Text | None = None
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    note: Text | None = None
    pages: Annotated[int, Field(ge=1)] | None = None
    format: Literal["text", "table"] | None = None
    license: Text | None = None


class CellEntry(_Strict):
    row: Text
    column: Text


class CitationEntry(_Strict):
    source: Text
    quote: Text | None = None
    cell: CellEntry | None = None
    disagrees: Text | None = None
    note: Text | None = None


WarningCode = Literal[
    "low-reliability-only",
    "short-quote",
    "stale-fact",
    "disagreement-agrees",
    "note-placement",
    "derived-contradicts",
]
"""The warnings a fact may acknowledge (errors cannot be acknowledged)."""


class FactEntry(_Strict):
    id: Text
    label: Text
    value: int | float | dt.date | Text
    unit: Text | None = None
    subject: Text | None = None
    measure: Text | None = None
    qualifier: Literal["exact", "about", "nearly", "over", "at-least", "up-to", "under"] | None = (
        None
    )
    as_of: IsoDate | None = None
    note: Text | None = None
    citations: list[CitationEntry] = Field(default_factory=list)
    acknowledge: dict[WarningCode, Text] | None = None


class ShareSpec(_Strict):
    part: Text
    of: list[Text]


class ChangeSpec(_Strict):
    from_: Text = Field(alias="from")
    to: Text


Pair = Annotated[list[Text], Field(min_length=2, max_length=2)]


class DerivedEntry(_Strict):
    """A computed figure: exactly one of the formulas, each over fact ids."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [name]} for name in ("sum", "share", "difference", "ratio", "change")
            ]
        }
    )

    id: Text
    label: Text
    sum: list[Text] | None = None
    share: ShareSpec | None = None
    difference: Pair | None = None
    ratio: Pair | None = None
    change: ChangeSpec | None = None
    compare_with: Text | None = None


FORMULA_KEYS = ("sum", "share", "difference", "ratio", "change")
"""The keys that make an entry of a fact file a computed figure."""


class EntityEntry(_Strict):
    id: Text
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    members: list[Text] = Field(default_factory=list)


class UnitEntry(_Strict):
    id: Text
    singular: Text
    plural: Text
    aliases: list[Text] = Field(default_factory=list)


class MeasureEntry(_Strict):
    id: Text
    words: list[Text] = Field(min_length=1)
    kind: Literal["date", "number"] = "number"


class RegisterFile(_Strict):
    entities: list[EntityEntry] = Field(default_factory=list)
    units: list[UnitEntry] = Field(default_factory=list)
    measures: list[MeasureEntry] = Field(default_factory=list)


FIELD_HELP = {
    "published": "a date written as YYYY-MM-DD, YYYY-MM or YYYY, or 'unknown' when the source "
    "does not state it",
    "retrieved": "a date written as YYYY-MM-DD, or 'unknown'",
    "SourceFrontMatter.kind": "one of: primary, secondary, aggregator",
    "reliability": "one of: high, medium, low, unassessed",
    "pages": "the number of pages of a PDF source (a whole number)",
    "sha256": "64 lowercase hex digits: the SHA-256 of the archived text",
    "value": "a number, a date (YYYY-MM-DD, 'YYYY-MM' or 'YYYY' in quotes) or a statement",
    "qualifier": "one of: exact, about, nearly, over, at-least, up-to, under",
    "as_of": "a date written as YYYY-MM-DD",
    "citations": "a list of {source, quote} entries (or {source, cell} for a table source)",
    "format": "text, or table for a CSV or XLSX table archived by add-source",
    "license": "the terms the source may be reused under, as its publisher states them",
    "row": "the cell's row label, as the table's first column has it",
    "column": "the cell's column header, as the table's first row has it",
    "quote": "the words exactly as the source has them, found with "
    '`citebrief quote SOURCE "a few words"`',
    "acknowledge": "a mapping of warning name to reason, e.g. low-reliability-only: why it "
    "is kept; the names are low-reliability-only, short-quote, stale-fact, disagreement-agrees, "
    "note-placement, derived-contradicts",
    "formula": "replaced by the formula's own key: sum: [a, b], share: {part: a, of: [a, b]}, "
    "difference: [a, b], ratio: [a, b] or change: {from: a, to: b}",
    "sum": "a list of two or more fact ids, e.g. [labs.a.exchanges, labs.b.exchanges]",
    "share": "{part: a fact id, of: [the fact ids that make the whole, the part included]}",
    "part": "the fact id of the part, which must also be listed in 'of'",
    "of": "a list of the fact ids that make the whole, the part included",
    "difference": "two fact ids: [a, b] is a minus b",
    "ratio": "two fact ids: [a, b] is a divided by b ('N times as many')",
    "change": "{from: the earlier fact id, to: the later fact id}",
    "from": "the fact id of the earlier figure",
    "to": "the fact id of the later figure",
    "compare_with": "the id of a reported fact the computed figure must agree with",
    "subject": "the id of an entity in briefings/entities.yaml",
    "aliases": "a list of other names, e.g. [Moonshot, Kimi's maker]",
    "members": "a list of entity ids",
    "singular": "the noun for one, e.g. 'exchange'",
    "plural": "the noun for many, e.g. 'exchanges'",
}


class BriefingFrontMatter(_Strict):
    title: Text
    short_title: Text | None = None
    subtitle: Text | None = None
    edition: IsoDate
    audience: Text
    marking: Text
    template: Literal["paper", "memo"]
    author: Text
    summary: Text | None = None
    keywords: list[Text] = Field(default_factory=list)
    stale_after_days: int | None = None
    max_pages: Annotated[int, Field(ge=1)] | None = None


# Name patterns end in `$`: pydantic matches them with Rust's regex engine, where `$` is the
# end of the text (Python's `\Z`), and JSON Schema's readers do likewise
# (tests/bad_inputs/id-newline-chart-name, id-newline-table-name).
class TableBlock(_Strict):
    caption: Text
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] | None = None
    """A name to cross-reference the table by (@tbl-NAME)."""
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Text]] = Field(min_length=1)


class ChartBlock(_Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    kind: Literal["bars", "share", "timeline"]
    title: Text
    facts: list[Text] = Field(default_factory=list)
    labels: list[Text] = Field(default_factory=list)


FIELD_HELP.update(
    {
        "edition": "the edition date, YYYY-MM-DD",
        "template": "one of: paper, memo",
        "max_pages": "the most pages the PDF may fill, a whole number (memos default to 1)",
        "ChartBlock.kind": "one of: bars, share, timeline",
        "ChartBlock.name": "a lowercase name with hyphens, e.g. 'exchanges-by-lab'",
        "TableBlock.rows": "a list of rows, each a list of cells (fact ids or plain words)",
    }
)


def help_for(model: str, field: str) -> str:
    """The help for ``field`` of ``model`` (a model's name): a field name alone is ambiguous
    ('kind' of a source is not 'kind' of a chart), so a model's own entry comes first."""
    return FIELD_HELP.get(f"{model}.{field}") or FIELD_HELP.get(field, "")


class ProjectDefaults(_Strict):
    template: Literal["paper", "memo"] | None = None
    strict: bool = False


class ProjectHouse(_Strict):
    """citebrief.toml's [house]: what every output of the project looks like."""

    paper: Literal["a4", "letter"] = "a4"
    dates: Literal["uk", "us"] = "uk"
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    citation_style: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None


class ProjectFile(_Strict):
    """citebrief.toml."""

    name: Text | None = None
    defaults: ProjectDefaults | None = None
    house: ProjectHouse | None = None


FIELD_HELP.update(
    {
        "settings.name": 'the project\'s name in double quotes, e.g. name = "Export controls"',
        "settings.template": 'one of "paper", "memo" (in double quotes)',
        "settings.strict": "true or false (no quotes)",
        "settings.paper": 'one of "a4", "letter" (in double quotes)',
        "settings.dates": 'one of "uk" (23 November 2026), "us" (November 23, 2026), in double quotes',
        "settings.lang": 'a language tag in double quotes, e.g. "en", "en-US" or "en-GB"',
        "settings.citation_style": 'a CSL file in double quotes: "chicago-fullnote-bibliography.csl" '
        '(the default), "apa.csl", or a path inside the project such as "templates/csl/house.csl"',
    }
)
