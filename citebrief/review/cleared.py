"""Reading a cleared Word file: its tracked changes and comments, paragraph by paragraph.

pandoc (``-f docx --track-changes=all``) reads Word's and LibreOffice's revision marks into
spans: ``insertion``, ``deletion`` (moved text too: ``w:moveFrom`` reads as a deletion and
``w:moveTo`` as an insertion), ``comment-start``/``comment-end`` with author and date. Each
paragraph is read back to the text citebrief wrote (deletions kept, insertions left out),
with every change placed at its offset in that text and every footnote call numbered.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import CitebriefError

Json = dict[str, Any]


class Revision(StrEnum):
    INSERTION = "insertion"
    DELETION = "deletion"
    MOVED_FROM = "moved-from"
    """Text moved away from here (read as a deletion with the same words inserted elsewhere)."""
    MOVED_TO = "moved-to"
    COMMENT = "comment"


@dataclass(frozen=True)
class Change:
    """One tracked change or comment, placed in the text citebrief wrote."""

    revision: Revision
    text: str
    """The words inserted, deleted or moved; a comment's own words."""
    start: int
    end: int
    """Offsets in the paragraph's original text; ``start == end`` for an insertion."""
    author: str | None
    date: str | None
    """As the file records it (ISO 8601), or None."""
    on: str = ""
    """For a comment: the words it is anchored on."""


@dataclass
class ClearedParagraph:
    """A paragraph of the cleared file: what citebrief wrote, and what changed in it."""

    original: str = ""
    notes: list[tuple[int, int]] = field(default_factory=list)
    """(offset of the call, note number) of each footnote called in it."""
    changes: list[Change] = field(default_factory=list)
    note: int | None = None
    """The number of the footnote this paragraph belongs to, if any."""

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def read_cleared(path: Path) -> list[ClearedParagraph]:
    """Every paragraph of the Word file, in reading order (footnotes after their call)."""
    try:
        done = subprocess.run(
            ["pandoc", "-f", "docx", "--track-changes=all", "-t", "json", str(path)],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise CitebriefError("pandoc is not installed", "apt install pandoc") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        raise CitebriefError(
            f"{path} is not a Word file pandoc can read: {said[0]}",
            "give the .docx as it came back from clearance (Word or LibreOffice, saved as .docx)",
        )
    ast = json.loads(done.stdout)
    reader = _Reader()
    reader.blocks(ast["blocks"], None)
    return _with_moves(reader.paragraphs)


class _Reader:
    def __init__(self) -> None:
        self.paragraphs: list[ClearedParagraph] = []
        self.notes = 0
        self.open_comments: dict[str, tuple[int, str | None, str | None, str]] = {}

    def blocks(self, blocks: list[Json], note: int | None) -> None:
        for block in blocks:
            kind: str = block["t"]
            content: Any = block.get("c", [])
            if kind in ("Para", "Plain"):
                self.paragraph(content, note)
            elif kind == "Header":
                self.paragraph(content[2], note)
            elif kind in ("BulletList",):
                for item in content:
                    self.blocks(item, note)
            elif kind == "OrderedList":
                for item in content[1]:
                    self.blocks(item, note)
            elif kind in ("BlockQuote",):
                self.blocks(content, note)
            elif kind == "Div":
                self.blocks(content[1], note)
            elif kind == "Table":
                self.table(content, note)

    def table(self, content: list[Any], note: int | None) -> None:
        caption = content[1][1]
        self.blocks(caption, note)
        head, bodies = content[3], content[4]
        rows = [*head[1], *(row for body in bodies for row in [*body[2], *body[3]])]
        for row in rows:
            for cell in row[1]:
                self.blocks(cell[4], note)

    def paragraph(self, inlines: list[Json], note: int | None) -> None:
        paragraph = ClearedParagraph(note=note)
        self.paragraphs.append(paragraph)
        pending_notes: list[list[Json]] = []
        self.inlines(inlines, paragraph, pending_notes, inserted=False)
        paragraph.original = paragraph.original.replace("\u00a0", " ")
        _spaces_into_insertions(paragraph)
        for number, blocks in enumerate(pending_notes):
            self.blocks(blocks, paragraph.notes[number][1])

    def inlines(
        self,
        inlines: list[Json],
        paragraph: ClearedParagraph,
        notes: list[list[Json]],
        inserted: bool,
    ) -> None:
        for inline in inlines:
            self.inline(inline, paragraph, notes, inserted)

    def inline(
        self, inline: Json, paragraph: ClearedParagraph, notes: list[list[Json]], inserted: bool
    ) -> None:
        kind: str = inline["t"]
        content: Any = inline.get("c", [])
        if kind == "Str":
            paragraph.original += "" if inserted else content
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            paragraph.original += "" if inserted else " "
        elif kind in ("Code", "Math"):
            paragraph.original += "" if inserted else content[1]
        elif kind == "Note":
            self.notes += 1
            paragraph.notes.append((len(paragraph.original), self.notes))
            notes.append(content)
        elif kind == "Span":
            self.span(content, paragraph, notes, inserted)
        elif kind == "Quoted":
            marks = ("\u201c", "\u201d") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            paragraph.original += "" if inserted else marks[0]
            self.inlines(content[1], paragraph, notes, inserted)
            paragraph.original += "" if inserted else marks[1]
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps") or kind in (
            "Superscript",
            "Subscript",
        ):
            self.inlines(content, paragraph, notes, inserted)
        elif kind in ("Link", "Image") or kind == "Cite":
            self.inlines(content[1], paragraph, notes, inserted)

    def span(
        self,
        content: list[Any],
        paragraph: ClearedParagraph,
        notes: list[list[Json]],
        inserted: bool,
    ) -> None:
        (ident, classes, pairs), inner = content
        attrs = dict(pairs)
        author, date = attrs.get("author"), attrs.get("date")
        at = len(paragraph.original)
        if "insertion" in classes:
            words = _text(inner)
            paragraph.changes.append(Change(Revision.INSERTION, words, at, at, author, date))
            self.inlines(inner, paragraph, notes, inserted=True)
        elif "deletion" in classes:
            self.inlines(inner, paragraph, notes, inserted)
            end = len(paragraph.original)
            paragraph.changes.append(
                Change(Revision.DELETION, paragraph.original[at:end], at, end, author, date)
            )
        elif "comment-start" in classes:
            self.open_comments[ident or attrs.get("id", "")] = (at, author, date, _text(inner))
        elif "comment-end" in classes:
            opened = self.open_comments.pop(ident or attrs.get("id", ""), None)
            if opened is not None:
                start, who, when, words = opened
                on = paragraph.original[start:at].replace("\u00a0", " ")
                paragraph.changes.append(
                    Change(Revision.COMMENT, words, start, at, who, when, on=on)
                )
        else:
            self.inlines(inner, paragraph, notes, inserted)


def _spaces_into_insertions(paragraph: ClearedParagraph) -> None:
    """pandoc moves a space at the edge of an inserted run outside it: a space left doubled
    next to an insertion belongs to the inserted words."""
    for i, change in enumerate(paragraph.changes):
        at, text = change.start, paragraph.original
        if change.revision != Revision.INSERTION or text[at - 1 : at + 1] != "  ":
            continue
        paragraph.original = text[:at] + text[at + 1 :]
        paragraph.changes[i] = Change(
            change.revision, change.text + " ", at, at, change.author, change.date, change.on
        )
        paragraph.changes = [
            c if c.end <= at and c.start <= at else _shifted(c, at) for c in paragraph.changes
        ]
        paragraph.notes = [(o - 1 if o > at else o, n) for o, n in paragraph.notes]


def _shifted(change: Change, at: int) -> Change:
    start = change.start - 1 if change.start > at else change.start
    end = change.end - 1 if change.end > at else change.end
    return Change(change.revision, change.text, start, end, change.author, change.date, change.on)


def _text(inlines: list[Json]) -> str:
    out: list[str] = []
    for inline in inlines:
        kind: str = inline["t"]
        content: Any = inline.get("c", [])
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript"):
            out.append(_text(content))
        elif kind == "Span" or kind in ("Link", "Quoted", "Cite"):
            out.append(_text(content[1]))
        elif kind == "Para" or kind == "Plain":
            out.append(_text(content))
    return "".join(out).replace("\u00a0", " ")


def _with_moves(paragraphs: list[ClearedParagraph]) -> list[ClearedParagraph]:
    """A deletion whose words are inserted elsewhere (and nowhere deleted there) is a move:
    both ends are marked, as Word's moveFrom/moveTo said before pandoc read them."""
    deleted: dict[str, list[tuple[ClearedParagraph, int]]] = {}
    inserted: dict[str, list[tuple[ClearedParagraph, int]]] = {}
    for paragraph in paragraphs:
        for i, change in enumerate(paragraph.changes):
            key = " ".join(change.text.split())
            if not key or len(key) < 3:
                continue
            if change.revision == Revision.DELETION:
                deleted.setdefault(key, []).append((paragraph, i))
            elif change.revision == Revision.INSERTION:
                inserted.setdefault(key, []).append((paragraph, i))
    for key, gone in deleted.items():
        arrived = inserted.get(key, [])
        for (p_from, i_from), (p_to, i_to) in zip(gone, arrived, strict=False):
            if p_from is p_to and _adjacent(p_from.changes[i_from], p_to.changes[i_to]):
                continue  # a word replaced by itself where it stood is not a move
            p_from.changes[i_from] = _as(p_from.changes[i_from], Revision.MOVED_FROM)
            p_to.changes[i_to] = _as(p_to.changes[i_to], Revision.MOVED_TO)
    return paragraphs


def _adjacent(a: Change, b: Change) -> bool:
    return b.start in (a.start, a.end)


def _as(change: Change, revision: Revision) -> Change:
    return Change(revision, change.text, change.start, change.end, change.author, change.date)
