"""Where each change of a cleared file belongs: a figure (its fact, in the fact file), a
fact's words in a note, or the briefing's own prose (its Markdown line).

The paragraphs citebrief wrote from the briefing's Markdown are known from the composed
Document: their text as the Word edition shows it, the line each starts on, and where each
figure sits in it. A cleared paragraph is matched to one of them by its original text
(deletions kept, insertions left out).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from ..document.model import (
    Chart,
    Document,
    Emphasis,
    FigureRef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Literal,
    Paragraph,
    Quote,
    SourceRef,
    Strong,
    Table,
)
from ..model import Corpus
from .cleared import Change, ClearedParagraph, Revision


class Target(StrEnum):
    FIGURE = "figure"
    """The change touches a figure: its fact must change, with a source."""
    NOTE = "note"
    """The change is inside a footnote, which citebrief writes from a fact's citations."""
    PROSE = "prose"
    """The briefing's own words: the change can be made in its Markdown."""
    GENERATED = "generated"
    """A part citebrief writes (title block, chart, generated section): not in the Markdown."""


@dataclass(frozen=True)
class Written:
    """A paragraph of the Word edition as citebrief wrote it from the briefing's Markdown."""

    text: str
    line: int
    """Its first line in the briefing file."""
    figures: tuple[tuple[int, int, str], ...]
    """(start, end, fact id) of each figure in ``text``."""


@dataclass(frozen=True)
class Placed:
    """A change (or a replacement: a deletion with the insertion at its place) and where it
    belongs."""

    changes: tuple[Change, ...]
    target: Target
    paragraph: ClearedParagraph
    written: Written | None
    fact_id: str | None = None
    figure: str = ""
    """The figure's words as citebrief wrote them, for a change to a figure."""


@dataclass
class _Shown:
    text: list[str] = field(default_factory=list)
    figures: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def length(self) -> int:
        return sum(map(len, self.text))


def written_paragraphs(document: Document) -> list[Written]:
    """Every paragraph the Word edition shows from the briefing's Markdown, in order."""
    out: list[Written] = []
    for block in document.blocks:
        _collect(block, out)
    return out


def _collect(block: object, out: list[Written]) -> None:
    if isinstance(block, (Paragraph, Heading)):
        out.append(_written(block.content, block.line))
    elif isinstance(block, ListBlock):
        for item in block.items:
            for inner in item:
                _collect(inner, out)
    elif isinstance(block, Quote):
        for inner in block.content:
            _collect(inner, out)
    elif isinstance(block, Table):
        for row in (block.header, *block.rows):
            for cell in row:
                out.append(_written(cell, block.line))


def _written(parts: tuple[Inline, ...], line: int) -> Written:
    shown = _Shown()
    _walk(parts, shown)
    return Written("".join(shown.text).replace("\u00a0", " ").strip(), line, tuple(shown.figures))


def _walk(parts: tuple[Inline, ...], shown: _Shown) -> None:
    for part in parts:
        if isinstance(part, FigureRef):
            start = shown.length
            shown.text.append(part.display)
            shown.figures.append((start, shown.length, part.fact_id))
            shown.text.append(part.trailing)
        elif isinstance(part, (Emphasis, Strong, Link, SourceRef)):
            _walk(part.content, shown)
        elif isinstance(part, Literal):
            shown.text.append(part.text)
        else:
            shown.text.append(getattr(part, "text", ""))


def figure_words(document: Document) -> dict[str, str]:
    """Every figure the document shows (in prose, tables, charts), by its words."""
    words: dict[str, str] = {}

    def visit(block: object) -> None:
        for name in ("content", "items", "rows", "header", "data"):
            value = getattr(block, name, None)
            if isinstance(value, tuple):
                for inner in value:
                    visit(inner)
        if isinstance(block, tuple):
            for inner in block:
                visit(inner)
        if isinstance(block, FigureRef) and len(block.display) > 3:
            words.setdefault(block.display.replace("\u00a0", " "), block.fact_id)
        if isinstance(block, Chart):
            for datum in block.data:
                words.setdefault(datum.display.replace("\u00a0", " "), datum.fact_id)
        for name in ("date", "used"):
            inner = getattr(block, name, None)
            if isinstance(inner, FigureRef):
                visit(inner)

    for block in document.blocks:
        visit(block)
    return words


def place(paragraphs: list[ClearedParagraph], document: Document, corpus: Corpus) -> list[Placed]:
    """Every change of the cleared file, grouped into replacements and placed."""
    written = written_paragraphs(document)
    figures = figure_words(document)
    placed: list[Placed] = []
    cursor = 0
    previous: Written | None = None
    for paragraph in paragraphs:
        match, cursor = _match(paragraph, written, cursor)
        if match is not None:
            previous = match
        if not paragraph.changed:
            continue
        for group in _grouped(paragraph.changes):
            placed.append(_place(group, paragraph, match or previous, match, document, figures))
    return placed


PLACED = 0.9
"""How alike (difflib's ratio) a cleared paragraph and a written one must be to be the same."""


def _match(
    paragraph: ClearedParagraph, written: list[Written], cursor: int
) -> tuple[Written | None, int]:
    """The written paragraph this one was, looked for from ``cursor`` on (reading order)."""
    if paragraph.note is not None:
        return None, cursor
    text = " ".join(paragraph.original.split())
    if not text:
        return None, cursor
    for i in range(cursor, len(written)):
        if " ".join(written[i].text.split()) == text:
            return written[i], i + 1
    best, ratio = None, 0.0
    for i in range(cursor, min(len(written), cursor + 40)):
        # rapidfuzz's ratio (from the longest common subsequence, in C) is never below
        # difflib's (from greedy matching blocks): a paragraph it puts under the mark cannot
        # reach it, and difflib, O(n·m) in Python, is spared (a 240 KB paragraph of a hostile
        # cleared file took 1.3 s per candidate, 52 s per paragraph).
        if fuzz.ratio(text, written[i].text, score_cutoff=PLACED * 100) == 0:
            continue
        r = difflib.SequenceMatcher(None, text, written[i].text, autojunk=False).ratio()
        if r > ratio:
            best, ratio = i, r
    if best is not None and ratio >= PLACED:
        return written[best], best + 1
    return None, cursor


def _grouped(changes: list[Change]) -> list[tuple[Change, ...]]:
    """A deletion followed by an insertion at its end (or start) is one replacement."""
    groups: list[tuple[Change, ...]] = []
    ordered = sorted(changes, key=lambda c: (c.start, c.revision != Revision.DELETION))
    i = 0
    while i < len(ordered):
        change = ordered[i]
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        if (
            change.revision == Revision.DELETION
            and nxt is not None
            and nxt.revision == Revision.INSERTION
            and nxt.start == change.end
        ):
            groups.append((change, nxt))
            i += 2
            continue
        groups.append((change,))
        i += 1
    return groups


def _place(
    group: tuple[Change, ...],
    paragraph: ClearedParagraph,
    near: Written | None,
    match: Written | None,
    document: Document,
    figures: dict[str, str],
) -> Placed:
    if paragraph.note is not None:
        note = document.notes[paragraph.note - 1] if paragraph.note <= len(document.notes) else None
        return Placed(group, Target.NOTE, paragraph, near, note.fact_id if note else None)
    if match is not None:
        spans = _realigned(paragraph.original, match)
    else:
        spans = _found(paragraph.original, figures)
    for start, end, fact_id in spans:
        if any(_touches(change, start, end, paragraph.original) for change in group):
            words = paragraph.original[start:end]
            return Placed(group, Target.FIGURE, paragraph, match, fact_id, words)
    target = Target.PROSE if match is not None else Target.GENERATED
    return Placed(group, target, paragraph, near)


def _touches(change: Change, start: int, end: int, text: str) -> bool:
    if change.revision == Revision.COMMENT:
        return change.start < end and change.end > start
    if change.start < change.end:  # deleted or moved away
        return change.start < end and change.end > start
    at, words = change.start, change.text
    if start < at < end:
        return True
    glued_after = at == end and words[:1].isalnum()
    glued_before = at == start and words[-1:].isalnum()
    return glued_after or glued_before


def _realigned(original: str, written: Written) -> list[tuple[int, int, str]]:
    """The written paragraph's figures found again in the cleared text, in order (the texts
    are equal but for spaces, or close)."""
    out: list[tuple[int, int, str]] = []
    at = 0
    for start, end, fact_id in written.figures:
        words = written.text[start:end]
        found = original.find(words, at)
        if found < 0:
            found = original.find(words)
        if found >= 0:
            out.append((found, found + len(words), fact_id))
            at = found + len(words)
    return out


def _found(original: str, figures: dict[str, str]) -> list[tuple[int, int, str]]:
    """Figures in a paragraph citebrief writes itself, found by their words."""
    out = []
    for words, fact_id in figures.items():
        at = original.find(words)
        while at >= 0:
            out.append((at, at + len(words), fact_id))
            at = original.find(words, at + len(words))
    return sorted(out)
