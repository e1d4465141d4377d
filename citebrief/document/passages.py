"""A cited source's archived text with the passages a briefing cites marked, for reviewers.

Part of the compose stage: the evidence companion shows each cited source in full, every
quoted passage highlighted and anchored, page starts marked in a paged source.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter, defaultdict
from typing import Any

from ..model import PAGE_BREAK, Source
from .audit import ArchivedCell, ArchivedText, ArchiveSegment

Passage = tuple[int, int, str]
"""Start and end of a cited passage in a source's text, and its anchor."""


def archived_text(source: Source, passages: list[Passage]) -> ArchivedText:
    """The source's text cut into runs: cited passages marked, page starts noted.

    One sweep over the cut points, counting the passages open at each: the cost grows with
    the text and the passages, not with their product."""
    text = source.text
    breaks = _page_breaks(text)
    cuts = sorted(
        {0, len(text), *breaks, *(i + 1 for i in breaks), *(p[0] for p in passages)}
        | {p[1] for p in passages}
    )
    opening = Counter(s for s, e, _ in passages if s < e)
    closing = Counter(e for s, e, _ in passages if s < e)
    anchors_at: defaultdict[int, list[str]] = defaultdict(list)
    for s, _, anchor in passages:
        anchors_at[s].append(anchor)
    runs: list[list[Any]] = []  # [start, end, marked, anchors, page]
    page, open_passages = 1, 0
    for start, end in itertools.pairwise(cuts):
        open_passages += opening[start] - closing[start]
        if text[start:end] == PAGE_BREAK:
            page += 1
            continue
        marked = open_passages > 0
        anchors = tuple(anchors_at.get(start, ()))
        first_of_page = source.pages is not None and (start == 0 or text[start - 1] == PAGE_BREAK)
        starts_page = page if first_of_page else None
        joins = runs and runs[-1][1] == start and runs[-1][2] == marked
        if joins and not anchors and starts_page is None:
            runs[-1][1] = end  # the run goes on (never across a page break left out)
        else:
            runs.append([start, end, marked, anchors, starts_page])
    segments = tuple(ArchiveSegment(text, s, e, m, a, pg) for s, e, m, a, pg in runs)
    table = _table(source, passages) if source.table is not None else None
    return ArchivedText(source.id, segments, table)


def _table(source: Source, passages: list[Passage]) -> tuple[tuple[ArchivedCell, ...], ...]:
    """A table source's cells, each with the anchors of the passages (cited cells) inside it.

    The archived CSV has one record a line, written by Python's csv module, so a field's
    offset is the length of the fields before it written the same way."""
    rows = []
    start = 0
    for line in source.text.split("\n"):
        if line:
            fields = next(csv.reader([line]))
            cells = []
            for index, field in enumerate(fields):
                at = start + (_written_length(fields[:index]) + 1 if index else 0)
                end = at + _written_length([field])
                anchors = tuple(a for s, e, a in passages if at <= s and e <= end)
                cells.append(ArchivedCell(field, anchors))
            rows.append(tuple(cells))
        start += len(line) + 1
    return tuple(rows)


def _written_length(fields: list[str]) -> int:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return len(out.getvalue())


def _page_breaks(text: str) -> list[int]:
    """Where each page break stands in the text, found by str.find rather than char by char."""
    found, at = [], text.find(PAGE_BREAK)
    while at != -1:
        found.append(at)
        at = text.find(PAGE_BREAK, at + 1)
    return found
