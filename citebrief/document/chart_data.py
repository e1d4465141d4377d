"""A chart's data as CSV with its citations, offered next to the chart (as Our World in Data
offers its charts' data): one row per bar or point, with the figure as the fact base holds
it and, for each source that states it, the source and the words (or table cell) cited. Like
everything a reader sees, it holds no fact or source ids."""

from __future__ import annotations

import csv
import io

from ..facts.derive import Computed
from ..model import Citation, Corpus, Fact
from .model import ChartDatum

COLUMNS = (
    "label",
    "value",
    "unit",
    "qualifier",
    "date",
    "source_title",
    "publisher",
    "published",
    "url",
    "cited",
)


def chart_csv(data: list[ChartDatum], items: list[Fact | Computed], corpus: Corpus) -> str:
    """The CSV text: a header row, then a row per datum and citation of its fact (a derived
    figure's row names the facts it is computed from)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for datum, item in zip(data, items, strict=True):
        figure = [
            datum.label,
            "" if datum.value is None else f"{datum.value.normalize():f}",
            item.unit,
            datum.qualifier.value if datum.qualifier else "",
            datum.date.iso() if datum.date else "",
        ]
        if isinstance(item, Computed):  # readers see labels, never ids
            inputs = "; ".join(f.label for f in item.inputs)
            writer.writerow([*figure, "", "", "", "", f"calculated from: {inputs}"])
            continue
        for citation in item.agreeing_citations:
            writer.writerow([*figure, *_cited(citation, corpus)])
    return out.getvalue()


def _cited(citation: Citation, corpus: Corpus) -> list[str]:
    source = corpus.sources.get(citation.source)
    if source is None:  # check has already refused the build
        return ["", "", "", "", citation.words]
    published = source.published.iso() if source.published else ""
    return [
        _known(source.title),
        _known(source.publisher),
        published,
        _known(source.url),
        citation.words,
    ]


def _known(value: str) -> str:
    return "" if value == "unknown" else value
