"""Making a cleared file's prose changes in the briefing's Markdown (``review --apply``).

Each change is found in the Markdown by the words just before it (or just after, at the
start of a paragraph or right after a figure), within the paragraph it was written from;
the words must be found exactly once there. Spaces match any run of spaces and line ends,
and curly quotes, dashes and ellipses match their typed forms. A change that adds a
number is never made: a figure comes from a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleared import Change, Revision
from .place import Placed

CONTEXT = 40
"""How many characters around a change identify its place."""

_LIKE = {
    " ": r"\s+",
    "\u00a0": r"\s+",
    "\u2019": "['\u2019]",
    "\u2018": "['\u2018]",
    "\u201c": '["\u201c]',
    "\u201d": '["\u201d]',
    "\u2013": "(?:\u2013|--)",
    "\u2014": "(?:\u2014|---)",
    "\u2026": r"(?:\u2026|\.\.\.)",
}


@dataclass(frozen=True)
class Outcome:
    placed: Placed
    applied: bool
    reason: str = ""
    """Why it was not made."""
    line: int = 0
    """The line of the Markdown it was found on (0: not found)."""


def locate(text: str, placed: Placed) -> int:
    """The line of the briefing file where a prose change is, or the paragraph's first."""
    assert placed.written is not None
    found = _find(text, placed, placed.changes[0])
    if found is None:
        return placed.written.line
    return text.count("\n", 0, found[0]) + 1


def apply_changes(text: str, prose: list[Placed]) -> tuple[str, list[Outcome]]:
    """``text`` (the briefing file) with every prose change made that can be placed."""
    outcomes: list[Outcome] = []
    order = sorted(
        prose,
        key=lambda p: (p.written.line if p.written else 0, p.changes[0].start),
        reverse=True,
    )
    for placed in order:
        reason = _refused(placed)
        if reason:
            outcomes.append(Outcome(placed, False, reason))
            continue
        first = placed.changes[0]
        found = _find(text, placed, first)
        if found is None:
            outcomes.append(Outcome(placed, False, "its words are not found once in the paragraph"))
            continue
        start, end = found
        line = text.count("\n", 0, start) + 1
        replacement = _replacement(placed.changes)
        if not replacement and text[start - 1 : start].isspace() and text[end : end + 1] == " ":
            end += 1  # a word deleted with the space after it (pandoc keeps the space apart)
        text = text[:start] + replacement + text[end:]
        outcomes.append(Outcome(placed, True, line=line))
    outcomes.reverse()
    return text, outcomes


def _refused(placed: Placed) -> str:
    inserted = "".join(
        c.text for c in placed.changes if c.revision in (Revision.INSERTION, Revision.MOVED_TO)
    )
    if re.search(r"\d", inserted):
        return "it adds a number: a figure comes from a fact, with its source"
    return ""


def _replacement(changes: tuple[Change, ...]) -> str:
    return "".join(c.text for c in changes if c.revision in (Revision.INSERTION, Revision.MOVED_TO))


def _find(text: str, placed: Placed, change: Change) -> tuple[int, int] | None:
    """The span of the Markdown to replace: the changed words (empty for an insertion),
    found by the words around them within the paragraph."""
    assert placed.written is not None
    original = placed.paragraph.original
    region = _paragraph_span(text, placed.written.line)
    figures = [(s, e) for s, e, _ in placed.written.figures]
    before_from = max([e for s, e in figures if e <= change.start] + [change.start - CONTEXT, 0])
    after_to = min([s for s, e in figures if s >= change.end] + [change.end + CONTEXT])
    before = original[before_from : change.start]
    target = original[change.start : change.end]
    after = original[change.end : min(after_to, len(original))]
    for lead, trail in ((before, ""), ("", after), (before, after)):
        if not lead.strip() and not trail.strip():
            continue
        pattern = f"({_like(lead)})({_like(target)})({_like(trail)})"
        matches = list(re.finditer(pattern, text[region[0] : region[1]]))
        if len(matches) == 1:
            m = matches[0]
            return region[0] + m.start(2), region[0] + m.end(2)
    return None


def _like(words: str) -> str:
    out = []
    for char in words:
        out.append(_LIKE.get(char, re.escape(char)))
    return re.sub(r"(?:\\s\+)+", r"\\s+", "".join(out))


def _paragraph_span(text: str, line: int) -> tuple[int, int]:
    """The characters of the paragraph (or list item, or table) starting at ``line``."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: line - 1])
    end = start
    for number in range(line - 1, len(lines)):
        current = lines[number]
        if number > line - 1 and (
            not current.strip() or current.lstrip().startswith(("- ", "* ", "#", "```"))
        ):
            break
        end += len(current) + 1
    return start, min(end, len(text))
