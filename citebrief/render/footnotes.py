"""Footnotes in the PDF: finding the notes WeasyPrint could not print on a page, and where
each note is placed instead.

Every note is printed. A note whose text lands on no page (too tall for the space left at
the foot of its page, or lost by Kozea/WeasyPrint#2502) is first set smaller; if it still
does not fit, it alone becomes an endnote, listed under "Notes" at the end, while every
other note stays at the foot of its page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotePlacement:
    """Where the print edition puts notes that do not fit at the foot of their page."""

    smaller: frozenset[int] = frozenset()
    """Notes set in the smaller footnote size."""
    endnotes: frozenset[int] = frozenset()
    """Notes printed at the end, under "Notes"."""
    all_endnotes: bool = False
    """Every note at the end (the last resort)."""

    def is_endnote(self, number: int) -> bool:
        return self.all_endnotes or number in self.endnotes

    @property
    def moved(self) -> bool:
        return bool(self.smaller or self.endnotes or self.all_endnotes)

    def next_for(self, missing: list[int]) -> NotePlacement:
        """One step on for the notes still missing: smaller first, then an endnote."""
        unseen = frozenset(missing) - self.smaller - self.endnotes
        if unseen:
            return NotePlacement(self.smaller | unseen, self.endnotes)
        return NotePlacement(self.smaller, self.endnotes | frozenset(missing))

    def as_text(self) -> str:
        """For the layout cache: 'smaller 3 7' and 'endnotes 9' lines ('all' for every note)."""
        endnotes = "all" if self.all_endnotes else " ".join(map(str, sorted(self.endnotes)))
        lines = [f"smaller {' '.join(map(str, sorted(self.smaller)))}", f"endnotes {endnotes}"]
        return "\n".join(line.rstrip() for line in lines)

    @classmethod
    def from_text(cls, text: str) -> NotePlacement | None:
        fields = dict(line.partition(" ")[::2] for line in text.splitlines())
        if set(fields) != {"smaller", "endnotes"}:
            return None
        if fields["endnotes"].strip() == "all":
            return cls(all_endnotes=True)
        try:
            numbers = {k: frozenset(int(n) for n in v.split()) for k, v in fields.items()}
        except ValueError:
            return None
        return cls(numbers["smaller"], numbers["endnotes"])


ALL_ENDNOTES = NotePlacement(all_endnotes=True)
AT_THE_FOOT = NotePlacement()


def keep_footnotes_of_kept_lines() -> None:
    """Fix, inside WeasyPrint's line layout, the usual way a footnote body is lost.

    When a line overflows the page, WeasyPrint 70 moves the page's last footnotes to the
    next page until the line fits, then keeps the line without laying out the footnotes
    called in it: their bodies are on no page (Kozea/WeasyPrint#2502). After each run of
    lines, a footnote called in a kept line but never laid out is moved to the next page,
    as the footnotes before it were. Lines laid out normally are untouched, so layouts
    that lost nothing are byte for byte as before; the fallbacks above stay for any other
    way of losing a body. Applied once, and only to the function it was written against.
    """
    import inspect

    from weasyprint.layout import block

    original = block._linebox_layout
    if getattr(original, "keeps_footnotes", False):
        return
    if list(inspect.signature(original).parameters)[4] != "new_children":
        return  # another WeasyPrint: the fallbacks alone

    @functools.wraps(original)
    def linebox_layout(context: Any, *args: Any) -> Any:
        new_children = args[3]
        before = len(new_children)
        result = original(context, *args)
        for line in new_children[before:]:
            for box in line.descendants():
                footnote = getattr(box, "footnote", None)
                if footnote is not None and footnote in context.footnotes:
                    context.footnotes.remove(footnote)
                    context.reported_footnotes.append(footnote)
                    result[4].append(footnote)  # unlaid with the line if it is pushed on
        return result

    linebox_layout.keeps_footnotes = True  # type: ignore[attr-defined]
    block._linebox_layout = linebox_layout


def missing_notes(document: Any) -> tuple[list[int], int]:
    """The numbers of the notes whose text is on no page (called, but with no body on a
    page, or a body laid out above or below its page: WeasyPrint 70 puts a note too tall
    for the space left there), and how many bodies moved to a later page than their call."""
    calls, bodies = footnote_pages(document)
    missing = sorted(int(k.split("-")[-1]) for k in set(calls) - set(bodies))
    deferred = sum(1 for k, page in calls.items() if k in bodies and bodies[k] != page)
    return missing, deferred


def footnote_pages(document: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Page index of every footnote call, and of every footnote body printed whole within
    its page (a body laid out partly above the page's top edge is not), by footnote id."""
    calls: dict[str, int] = {}
    bodies: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        height = page._page_box.margin_height()
        stack = [page._page_box]  # every box of the page, in no particular order
        while stack:
            box = stack.pop()
            if type(box).__name__ == "FootnoteAreaBox":
                for body in box.children:
                    body_id = _fn_id(body)
                    if body_id and _within(body, height):
                        bodies.setdefault(body_id, index)
                continue
            stack.extend(getattr(box, "children", None) or ())
            element_id = _fn_id(box)
            if element_id and getattr(box, "element_tag", "").endswith("::footnote-call"):
                calls.setdefault(element_id, index)
    return calls, bodies


def _fn_id(box: Any) -> str | None:
    element = getattr(box, "element", None)
    element_id = element.get("id") if element is not None else None
    return element_id if element_id and element_id.startswith("fn-") else None


def _within(box: Any, page_height: float) -> bool:
    top = box.position_y
    return top >= -0.5 and top + box.margin_height() <= page_height + 0.5
