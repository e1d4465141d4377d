"""A cited source's archived text with the passages a briefing cites marked, for reviewers.

Part of the compose stage: the evidence companion shows each cited source in full, every
quoted passage highlighted and anchored, page starts marked in a paged source.
"""

from __future__ import annotations

import itertools

from .document import ArchivedText, ArchiveSegment
from .model import PAGE_BREAK, Source

Passage = tuple[int, int, str]
"""Start and end of a cited passage in a source's text, and its anchor."""


def archived_text(source: Source, passages: list[Passage]) -> ArchivedText:
    """The source's text cut into runs: cited passages marked, page starts noted."""
    text = source.text
    breaks = _page_breaks(text)
    cuts = sorted(
        {0, len(text), *breaks, *(i + 1 for i in breaks), *(p[0] for p in passages)}
        | {p[1] for p in passages}
    )
    segments: list[ArchiveSegment] = []
    page = 1
    for start, end in itertools.pairwise(cuts):
        if text[start:end] == PAGE_BREAK:
            page += 1
            continue
        marked = any(s <= start and end <= e for s, e, _ in passages)
        anchors = tuple(a for s, _, a in passages if s == start)
        first_of_page = source.pages is not None and (start == 0 or text[start - 1] == PAGE_BREAK)
        segment = ArchiveSegment(text[start:end], marked, anchors, page if first_of_page else None)
        if segments and _joins(segments[-1], segment):
            segments[-1] = ArchiveSegment(
                segments[-1].text + segment.text,
                segments[-1].marked,
                segments[-1].anchors,
                segments[-1].page,
            )
        else:
            segments.append(segment)
    return ArchivedText(source.id, tuple(segments))


def _page_breaks(text: str) -> list[int]:
    breaks, at = [], text.find(PAGE_BREAK)
    while at >= 0:
        breaks.append(at)
        at = text.find(PAGE_BREAK, at + 1)
    return breaks


def _joins(before: ArchiveSegment, after: ArchiveSegment) -> bool:
    return before.marked == after.marked and not after.anchors and after.page is None
