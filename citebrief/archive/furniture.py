"""Page furniture: the running headers, footers and page numbers a PDF repeats on its pages.

A line is furniture when it stands among the first or last few lines of a page and the same
line, with its digits ignored ('Page 2 of 3', a print date), stands there on at least half
of the pages (two at least). A line that is only a page number ('2', 'Page 2', '2/3',
'2 of 3') among those lines is furniture on any page. Text extraction puts furniture where
the PDF drew it, which is not always the top or bottom of the page's text (Chromium writes
its own header and footer after the page's body), so both ends are searched.

Only lines are removed; the pages stay as they were, each in its place, so a quote's page
is still its page in the PDF.
"""

from __future__ import annotations

import math
import re
from collections import Counter

ZONE = 5
"""Lines at each end of a page where a running header or footer can stand."""
_DIGITS = re.compile(r"\d+")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)$")
_PAGE_NUMBER = re.compile(r"^(?:(?:page|p\.|seite|pág\.?)\s*)?#(?:\s*(?:of|/|von|de)\s*#)?$", re.I)


def without_furniture(pages: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The pages without their running headers, footers and page numbers, and the distinct
    lines removed (as first seen), to tell staff what was taken out."""
    split = [page.split("\n") for page in pages]
    zones = [_zone(lines) for lines in split]
    seen = Counter(
        sig
        for lines, zone in zip(split, zones, strict=True)
        for sig in {_signature(lines[i]) for i in zone}
    )
    needed = max(2, math.ceil(len(pages) / 2))
    repeated = {sig for sig, count in seen.items() if count >= needed and sig}
    removed: dict[str, None] = {}
    cleaned = []
    for lines, zone in zip(split, zones, strict=True):
        drop = {i for i in zone if _is_furniture(_signature(lines[i]), repeated, len(pages))}
        removed.update((" ".join(lines[i].split()), None) for i in sorted(drop))
        cleaned.append("\n".join(line for i, line in enumerate(lines) if i not in drop).strip("\n"))
    return tuple(cleaned), tuple(removed)


def _zone(lines: list[str]) -> list[int]:
    """Indexes of the first and last ZONE non-blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted({*filled[:ZONE], *filled[-ZONE:]})


def _is_furniture(signature: str, repeated: set[str], pages: int) -> bool:
    """Repeated on enough pages, or a page number: 'Page # of #' anywhere, a bare '#' or
    '#/#' only in a document of several pages (one page's lone number may be a figure)."""
    if signature in repeated:
        return True
    if not _PAGE_NUMBER.match(signature):
        return False
    return pages > 1 or not signature.startswith("#")


def _signature(line: str) -> str:
    """The line as compared across pages: spaces collapsed, digits as '#', a cut-off end
    ('Citebrief Trade D…') ignored."""
    text = _ELLIPSIS.sub("", " ".join(line.split()).lower())
    return _DIGITS.sub("#", text)
