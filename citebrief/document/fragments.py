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

from array import array
from urllib.parse import quote as percent_encode

from ..claims.figures import normalise
from ..claims.verify import normalised_text
from ..common.memo import per_run

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
        before = _words_before(text, start)
        after = _words_after(text, end)
        if before:
            directive = f"{_encoded(' '.join(before))}-,{directive}"
        if after:
            directive = f"{directive},-{_encoded(' '.join(after))}"
    return f"{base}#:~:text={directive}"


def _words_before(text: str, start: int) -> list[str]:
    """The CONTEXT_WORDS words before ``start`` on its line, read from a window that grows
    until it holds them (not the whole line: a source may be one long line)."""
    window = 64
    while True:
        low = max(0, start - window)
        piece = text[low:start]
        line_start = piece.rfind("\n")
        if line_start >= 0:
            return piece[line_start + 1 :].split()[-CONTEXT_WORDS:]
        words = piece.split()
        if low == 0 or len(words) > CONTEXT_WORDS:  # the first may be cut: not among them
            return words[-CONTEXT_WORDS:]
        window *= 4


def _words_after(text: str, end: int) -> list[str]:
    """The CONTEXT_WORDS words after ``end`` on its line (see _words_before)."""
    window = 64
    while True:
        high = min(len(text), end + window)
        piece = text[end:high]
        line_end = piece.find("\n")
        if line_end >= 0:
            return piece[:line_end].split()[:CONTEXT_WORDS]
        words = piece.split()
        if high == len(text) or len(words) > CONTEXT_WORDS:
            return words[:CONTEXT_WORDS]
        window *= 4


def _encoded(part: str) -> str:
    return percent_encode(part, safe="").replace("-", "%2D")


def _unique(text: str, words: str) -> bool:
    """Whether ``words`` occur at most once in ``text``, compared as a browser would (case
    and spacing ignored).

    Both are single-spaced, so words w1 … wk (k ≥ 3) occur where w1 ends a word of the text,
    w2 … wk-1 are its next words and wk begins the one after: the occurrences are found from
    the places of the rarest middle word, not by searching the whole text for each quote."""
    needle = normalise(words)[0].lower()
    parts = needle.split(" ")
    if len(parts) < 3:
        haystack = _searched(text)
        first = haystack.find(needle)
        return first < 0 or haystack.find(needle, first + 1) < 0
    ids, vocabulary, number, places = _words(text)
    if any(part not in number for part in parts[1:-1]):
        return True  # a middle word the text never has: the words do not occur at all
    wanted = array("i", [number[part] for part in parts[1:-1]])
    middle = min(range(1, len(parts) - 1), key=lambda i: len(places[wanted[i - 1]]))
    seen = 0
    for place in places[wanted[middle - 1]]:
        first = place - middle
        last = first + len(parts) - 1
        if (
            first >= 0
            and last < len(ids)
            and vocabulary[ids[first]].endswith(parts[0])
            and vocabulary[ids[last]].startswith(parts[-1])
            and ids[first + 1 : last] == wanted
        ):
            seen += 1
            if seen > 1:
                return False
    return True


@per_run
def _searched(text: str) -> str:
    """A source's text as ``_unique`` searches it: lowered once, not once per quoted word."""
    return normalised_text(text).lower()


@per_run
def _words(text: str) -> tuple[array[int], list[str], dict[str, int], list[array[int]]]:
    """A source's searched text as word numbers, the words by number, each word's number,
    and the places of each word (by number). Arrays of 4-byte numbers, each word kept once:
    a list of the words and lists of places took about 15 bytes per byte of source."""
    ids: array[int] = array("i")
    number: dict[str, int] = {}
    places: list[array[int]] = []
    for place, word in enumerate(_searched(text).split(" ")):
        k = number.get(word)
        if k is None:
            k = number[word] = len(places)
            places.append(array("i"))
        ids.append(k)
        places[k].append(place)
    return ids, list(number), number, places
