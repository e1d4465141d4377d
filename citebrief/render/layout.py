"""Page fit in the PDF: what a laid-out briefing wastes, and the two remedies for it.

WeasyPrint 70 has no page floats: a block that does not fit the rest of a page moves whole
to the next one and leaves the space it could not use blank. Two blocks cause most of that
waste in a briefing:

- a tall figure (with its heading, kept with it) pushed to the next page. The remedy is the
  one an editor uses: the figure is set at the end of its section, so the text after it fills
  the page first, and the figure, referred to by its number, heads a later page;
- the key judgments box, which never splits (briefing.css). If even so it leaves the page
  before it holding only the title block, the box may split instead, as a long box must.

Each layout is measured on WeasyPrint's page boxes; a remedy is kept only when it leaves
less blank than the layout without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

BLANK_SHARE = 0.15
"""A page (other than the last) may leave at most this share of its body blank in one band:
measured: the two holes an editor flagged in the example were 17% and 19%; its pages
after the remedies leave at most 11% (A4) and 6% (Letter)."""

TOP_SHARE = 0.2
"""A figure whose first box is this near a page's top was pushed there (its heading above)."""


@dataclass(frozen=True)
class PageFit:
    """How the print edition places blocks that would leave a page largely blank."""

    deferred: frozenset[str] = frozenset()
    """Figures (by name) set at the end of their section instead of where they stand."""
    box_may_split: bool = False
    """The key judgments box may split across pages (it would leave a page to the title)."""


AS_WRITTEN = PageFit()


def blank_shares(document: Any) -> list[float]:
    """Per page, the share of the body between the last line (or image) of the text and
    the top of the notes (or the foot of the page) that is left blank."""
    return [_page_blank(page._page_box) for page in document.pages]


def worst_blank(document: Any) -> float:
    """The largest blank share of any page but the last (the last may end where it ends)."""
    return max(blank_shares(document)[:-1], default=0.0)


def remedy(document: Any, fit: PageFit) -> PageFit:
    """The page fit to try next for a layout whose pages leave too much blank: figures
    pushed to the top of a page after a blank band are deferred; a key judgments box pushed
    off the first page may split. The same fit when nothing would help."""
    shares = blank_shares(document)
    starts = _starts(document)
    deferred = set(fit.deferred)
    for name, (page, top) in starts.items():
        pushed = page > 0 and top < TOP_SHARE and shares[page - 1] > BLANK_SHARE
        if name.startswith("figure-") and pushed:
            deferred.add(name.removeprefix("figure-"))
    box_page = starts.get("key-judgments", (0, 0.0))[0]
    may_split = fit.box_may_split or (box_page > 0 and shares[box_page - 1] > BLANK_SHARE)
    return PageFit(frozenset(deferred), may_split)


def _starts(document: Any) -> dict[str, tuple[int, float]]:
    """The page and the height (as a share of the body) where each figure and the key
    judgments heading first appears."""
    found: dict[str, tuple[int, float]] = {}
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        for box in _flow(page_box):
            element = getattr(box, "element", None)
            name = element.get("id") if element is not None else None
            if name and (name.startswith("figure-") or name == "key-judgments"):
                at = (index, (box.position_y - top) / height)
                found[name] = min(found.get(name, at), at)
    return found


def _page_blank(page_box: Any) -> float:
    top, height = page_box.content_box_y(), page_box.height
    foot = top + height
    bottom = top
    for box in _flow(page_box):
        kind = type(box).__name__
        if kind == "FootnoteAreaBox":
            if box.children:
                foot = min(foot, box.position_y)
        elif kind == "LineBox" or kind.endswith("ReplacedBox"):
            bottom = max(bottom, box.position_y + box.margin_height())
    return max(0.0, foot - bottom) / height


def _flow(page_box: Any) -> Iterator[Any]:
    """Every box of the page outside its margin boxes (running heads and page numbers);
    the footnote area is given but not entered."""
    stack = [child for child in page_box.children if type(child).__name__ != "MarginBox"]
    while stack:
        box = stack.pop()
        yield box
        if type(box).__name__ != "FootnoteAreaBox":
            stack.extend(getattr(box, "children", None) or ())
