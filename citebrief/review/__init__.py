"""Back from clearance: a cleared Word file's tracked changes and comments, reported against
the briefing's sources (``citebrief review CLEARED.docx``).

A change to a figure is an error at its fact (the fact must change, with a source); a change
in a note is reported at the fact whose citations it was written from; a change to the
briefing's own words is reported at its Markdown line and can be made there (``--apply``);
a comment is reported where it is anchored.
"""

from __future__ import annotations

import re
import shlex
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..common.files import read_confined
from ..common.write import write_outputs
from ..document.model import Document
from ..errors import CitebriefError, Location, Problem, error, in_quotes, warning
from ..model import Corpus
from .apply import Outcome, apply_changes, locate
from .cleared import Change, Revision, read_cleared
from .place import Placed, Target, place

__all__ = ["ReviewResult", "review", "which_briefing"]


@dataclass(frozen=True)
class ReviewResult:
    briefing: str
    """The briefing file the cleared file was made from (relative to the project)."""
    problems: list[Problem]
    applied: list[Outcome]
    """With ``apply``: every prose change, made or not (and why not)."""
    changes: int


def which_briefing(docx: Path, documents: list[Document], name: str | None) -> Document:
    """The briefing the Word file was built from: named, else by its title, else its name."""
    if name is not None:
        for document in documents:
            if document.spec.name == name:
                return document
        raise CitebriefError(f"no briefing named '{name}'", _names(documents))
    title = _docx_title(docx)
    by_title = [d for d in documents if title and d.spec.meta.title == title]
    if len(by_title) == 1:
        return by_title[0]
    by_name = [d for d in documents if docx.stem.startswith(d.spec.name)]
    if len(by_name) >= 1:
        return max(by_name, key=lambda d: len(d.spec.name))
    raise CitebriefError(
        f"cannot tell which briefing {docx.name} was made from",
        "name it: --briefing NAME; " + _names(documents),
    )


def _names(documents: list[Document]) -> str:
    return "the briefings are " + ", ".join(sorted(d.spec.name for d in documents))


def _docx_title(docx: Path) -> str:
    try:
        with zipfile.ZipFile(docx) as z:
            core = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    found = re.search(r"<dc:title>([^<]*)</dc:title>", core)
    if not found:
        return ""
    return found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def review(
    root: Path,
    docx: Path,
    document: Document,
    corpus: Corpus,
    apply: bool = False,
    named: bool = False,
) -> ReviewResult:
    """Every tracked change and comment of ``docx``, placed; with ``apply``, the prose
    changes made in the briefing's Markdown file. ``named``: the briefing was named with
    --briefing (the hint to apply the changes names it again)."""
    paragraphs = read_cleared(docx)
    placed = place(paragraphs, document, corpus)
    path = document.spec.path
    text = read_confined(root / path, root).decode("utf-8")
    applied: list[Outcome] = []
    if apply:
        prose = [p for p in placed if p.target == Target.PROSE and not _is_comment(p)]
        new_text, applied = apply_changes(text, prose)
        if new_text != text:
            _write(root / path, new_text)
    briefing = f" --briefing {document.spec.name}" if named else ""
    again = f"`citebrief review {shlex.quote(str(docx))}{briefing} --apply`"
    problems = [_problem(p, document, corpus, text, again) for p in placed]
    return ReviewResult(path, problems, applied, len(placed))


def _write(path: Path, text: str) -> None:
    """The briefing rewritten whole or not at all: a full disk or a read-only folder is an
    error at the file, and no temporary file is left beside it (it was an internal error)."""
    write_outputs(path.parent, {path.name: text.encode("utf-8")}, generated=False)


def _is_comment(placed: Placed) -> bool:
    return placed.changes[0].revision == Revision.COMMENT


def describe(changes: tuple[Change, ...]) -> str:
    """'13 million' → '14 million', inserted 'x', deleted 'y', moved 'z', comment …"""
    first = changes[0]
    if len(changes) == 2:
        return f"{in_quotes(first.text)} → {in_quotes(changes[1].text)}"
    if first.revision == Revision.COMMENT:
        return f"comment on {in_quotes(first.on)}: {in_quotes(first.text)}"
    verb = {
        Revision.INSERTION: "inserted",
        Revision.DELETION: "deleted",
        Revision.MOVED_FROM: "moved away from here:",
        Revision.MOVED_TO: "moved here:",
    }[first.revision]
    return f"{verb} {in_quotes(first.text)}"


def _by(changes: tuple[Change, ...]) -> str:
    change = changes[0]
    who = change.author or "unknown author"
    when = f", {change.date[:10]}" if change.date else ""
    return f" ({who}{when})"


def _problem(placed: Placed, document: Document, corpus: Corpus, text: str, again: str) -> Problem:
    what = describe(placed.changes) + _by(placed.changes)
    spec = document.spec
    comment = _is_comment(placed)
    kind = "comment" if comment else "tracked change"
    if placed.target == Target.FIGURE:
        where = _fact_location(placed.fact_id, corpus) or Location(spec.path, 1, 1)
        shown = (
            f" (shown at {spec.path}:{placed.written.line})"
            if placed.written
            else " (in a part citebrief writes: a chart, table or generated section)"
        )
        message = (
            f"{kind} on the figure {in_quotes(placed.figure)} of fact '{placed.fact_id}'"
            f"{shown}: {what}"
        )
        if comment:
            return warning(where, "review-comment", message, "answer it in the fact or its sources")
        return error(
            where,
            "review-figure",
            message,
            "a figure changes only in its fact, with a source that states the new value: "
            "cite that source in the fact, then build again (--apply never changes a figure)",
        )
    if placed.target == Target.NOTE:
        where = _fact_location(placed.fact_id, corpus) or Location(spec.path, 1, 1)
        return warning(
            where,
            "review-note",
            f"{kind} in the note citebrief writes from the citations of fact "
            f"'{placed.fact_id}': {what}",
            "change the fact's citations, or the source's details in sources/, not the note",
        )
    if placed.target == Target.GENERATED:
        line = placed.written.line if placed.written else 1
        return warning(
            Location(spec.path, line, 1),
            "review-generated",
            f"{kind} in a part citebrief writes (title block, chart, generated section or "
            f"source list): {what}",
            "make it in the briefing's front matter, the facts or the sources",
        )
    line = locate(text, placed)
    if comment:
        return warning(Location(spec.path, line, 1), "review-comment", f"{kind}: {what}", "")
    return warning(
        Location(spec.path, line, 1),
        "review-prose",
        f"{kind} in the text: {what}",
        f"{again} makes the briefing's prose changes in its Markdown",
    )


def _fact_location(fact_id: str | None, corpus: Corpus) -> Location | None:
    if fact_id is None:
        return None
    fact = corpus.facts.get(fact_id)
    if fact is not None:
        return fact.location
    derived = corpus.derived.get(fact_id)
    return derived.location if derived is not None else None
