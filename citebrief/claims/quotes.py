"""Verify stage, quotes: where a citation's quote stands in its archived source, found
exactly or after normalising, with its page and its line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass

from ..common.characters import DELETE_HINT, describe_at
from ..common.memo import per_run
from ..errors import Location, Problem, error
from ..model import PAGE_BREAK, Citation, Fact, Source
from .figures import Origins, normalise


@dataclass(frozen=True)
class QuoteMatch:
    """Where a citation's quote stands in its source."""

    fact_id: str
    citation: Citation
    exact: bool
    location: Location
    """Location of the first character of the match in the source file."""
    original: str
    """The quoted words exactly as the source has them (typographic quotes and all)."""
    pages: tuple[int, int] | None = None
    """First and last page of the quote in a paged source (a PDF); None for unpaged ones."""
    start: int = 0
    """Offsets of the match in the source's text."""
    end: int = 0


# --- quotes -----------------------------------------------------------------------------


def find_quote(source: Source, quote: str) -> tuple[bool, int, int] | None:
    """Find ``quote`` in the source text: (exact?, start, end offsets in the text) or None.

    After an exact search, the text and quote are compared normalised (quotes, dashes,
    whitespace and page breaks); last, with words hyphenated at a line end joined.
    """
    offset = source.text.find(quote)
    if offset >= 0:
        return True, offset, offset + len(quote)
    for dehyphenate in (False, True):
        if dehyphenate and "-\n" not in source.text:
            break
        text, origin = _normalised_text(source.text, dehyphenate)
        wanted, _ = normalise(quote, dehyphenate)
        offset = text.find(wanted) if wanted else -1
        if offset >= 0:
            return False, origin[offset], origin[offset + len(wanted) - 1] + 1
    return None


@per_run
def _normalised_text(text: str, dehyphenate: bool) -> tuple[str, Origins]:
    """Each source's text is normalised once per run."""
    return normalise(text, dehyphenate)


def normalised_text(text: str) -> str:
    """``text`` normalised as quotes are compared (cached: sources are read many times)."""
    return _normalised_text(text, False)[0]


def pages_of(source: Source, start: int, end: int) -> tuple[int, int] | None:
    """The first and last page of ``text[start:end]`` in a paged source (PDF), else None."""
    if source.pages is None:
        return None
    breaks = _page_breaks(source.text)
    first = bisect.bisect_left(breaks, start) + 1
    return first, bisect.bisect_left(breaks, end) + 1


@per_run
def _page_breaks(text: str) -> array:
    """Offsets of the page breaks of a paged text (many quotes are paged in one source)."""
    return array("q", (m.start() for m in re.finditer(PAGE_BREAK, text)))


def locate_in_source(source: Source, offset: int) -> Location:
    """The file location (line and column) of a text offset; lines end at \\n only."""
    starts = _line_starts(source.text)
    line_index = bisect.bisect_right(starts, offset) - 1
    column = offset - starts[line_index] + 1
    return Location(source.location.path, source.body_line + line_index, column)


@per_run
def _line_starts(text: str) -> array:
    """Offsets where each line of ``text`` starts (a source is located into many times)."""
    starts = array("q", [0])
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """Characters that show as nothing (zero-width space, soft hyphen, byte-order mark and
    other format or control characters), with their position counted from 1."""
    return [
        (position, char)
        for position, char in enumerate(text, 1)
        if unicodedata.category(char) in ("Cf", "Cc") and char not in "\n\t\r\f"
    ]


def describe_invisible(text: str) -> str | None:
    """'an invisible character, U+200B ZERO WIDTH SPACE, at character 7 (after 'nearly')',
    or None when every character of ``text`` can be seen."""
    return describe_at(text, invisible_characters(text), "an invisible character")


INVISIBLE_HINT = DELETE_HINT


def quote_match(fact: Fact, citation: Citation, source: Source) -> QuoteMatch | Problem:
    found = find_quote(source, citation.quote)
    invisible = describe_invisible(citation.quote) if found is None else None
    if invisible:
        return error(
            citation.location,
            "quote-not-found",
            f"quote not found in source '{source.id}': it contains {invisible}",
            INVISIBLE_HINT,
        )
    if found is None:
        return error(
            citation.location,
            "quote-not-found",
            f"quote not found in source '{source.id}'",
            f"copy the words exactly from {source.location.path}; "
            f'`citebrief quote {source.id} "<a few words>"` finds them',
        )
    exact, start, end = found
    location = locate_in_source(source, start)
    return QuoteMatch(
        fact.id,
        citation,
        exact,
        location,
        source.text[start:end],
        pages_of(source, start, end),
        start,
        end,
    )
