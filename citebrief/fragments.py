"""Links that open a source at the quoted words: URL text fragments, or a PDF's page.

A text fragment (``#:~:text=[prefix-,]start[,end][,-suffix]``, WICG Scroll-to-Text) makes
the browser scroll to the words and highlight them; a browser that does not know it
simply opens the page. Each part is percent-encoded, with '-', ',' and '&' encoded too,
since they delimit the parts. A long quote is given by its first and last words; when
those words occur more than once in the source, the words just before and after the
passage (on the same line: browsers match each term within one block of text) are added
as prefix and suffix so the browser picks the right occurrence. PDF
viewers ignore text fragments, so a paged source gets ``#page=N`` instead.
"""

from __future__ import annotations

import functools
from urllib.parse import quote as percent_encode

from .figures import normalise

EDGE_WORDS = 4
"""A quote longer than twice this is given by its first and last words."""
CONTEXT_WORDS = 3
"""Words of prefix and suffix added when the passage's words are not unique."""


def passage_url(
    url: str, text: str, start: int, end: int, pages: tuple[int, int] | None
) -> str | None:
    """The source's URL opened at ``text[start:end]``; None when the URL is not a web link."""
    if not url.startswith(("https://", "http://")):
        return None
    base = url.split("#", 1)[0]
    if pages is not None:
        return f"{base}#page={pages[0]}"
    lines = [line.split() for line in text[start:end].split("\n") if line.split()]
    if not lines:
        return base
    if len(lines) == 1 and len(lines[0]) <= 2 * EDGE_WORDS:
        parts = [" ".join(lines[0])]
    else:  # a term never crosses a line: browsers match each within one block of text
        parts = [" ".join(lines[0][:EDGE_WORDS]), " ".join(lines[-1][-EDGE_WORDS:])]
    directive = ",".join(_encoded(p) for p in parts)
    if not all(_unique(text, p) for p in parts):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:start].split()[-CONTEXT_WORDS:]
        after = text[end:line_end].split()[:CONTEXT_WORDS]
        if before:
            directive = f"{_encoded(' '.join(before))}-,{directive}"
        if after:
            directive = f"{directive},-{_encoded(' '.join(after))}"
    return f"{base}#:~:text={directive}"


def _encoded(part: str) -> str:
    return percent_encode(part, safe="").replace("-", "%2D")


def _unique(text: str, words: str) -> bool:
    """Whether ``words`` occur once in ``text``, compared as a browser would (case and
    spacing ignored)."""
    haystack = _searched(text)
    needle = normalise(words)[0].lower()
    first = haystack.find(needle)
    return first < 0 or haystack.find(needle, first + len(needle)) < 0


@functools.lru_cache(maxsize=32)
def _searched(text: str) -> str:
    """A source's text as ``_unique`` searches it: lowered once, not once per quoted word."""
    from .verify import normalised_text

    return normalised_text(text).lower()
