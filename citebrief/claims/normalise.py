"""Text normalised for quote matching (Unicode form, typographic quotes, dashes,
whitespace, words hyphenated at a line end), with a map back to the original offsets."""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from array import array

# --- normalisation for quote matching -------------------------------------------------

_QUOTE_CHARS = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"} | {
    c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"
}
_DASH_CHARS = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_TRANSLATE = _QUOTE_CHARS | _DASH_CHARS


class Origins:
    """Where each character of a normalised text came from, stored as runs.

    A run is either copied (its characters map one to one) or made from one original
    character (a collapsed stretch of whitespace, an expanded ligature), so looking up a
    position costs a bisection and a long source needs no list of a million integers.
    """

    def __init__(self) -> None:
        self.starts = array("q")
        self.origins = array("q")
        self.steps = bytearray()
        self.length = 0

    def add(self, origin: int, length: int, copied: bool) -> None:
        self.starts.append(self.length)
        self.origins.append(origin)
        self.steps.append(1 if copied else 0)
        self.length += length

    def drop_last(self) -> None:
        self.length -= 1
        if self.starts[-1] == self.length:
            del self.starts[-1], self.origins[-1], self.steps[-1]

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self.length:
            raise IndexError(index)
        run = bisect.bisect_right(self.starts, index) - 1
        return self.origins[run] + (index - self.starts[run]) * self.steps[run]

    def __len__(self) -> int:
        return self.length


def normalise(text: str, dehyphenate: bool = False) -> tuple[str, Origins]:
    """Normalise Unicode form, typographic quotes, dashes and whitespace.

    Any run of whitespace (form feeds between pages included) becomes one space, except
    after a hyphen at the end of a line inside a word ('H200-' / 'class'), where the word
    is joined: keeping the hyphen, or dropping it too when ``dehyphenate`` (a typesetter's
    break in a PDF). Returns the normalised text and, for each of its characters, the
    index of the character in ``text`` it came from, so a match can be located.

    Runs of plain ASCII between single spaces are copied whole; only other whitespace
    and non-ASCII characters are looked at one by one (most of a source is the former).
    """
    out: list[str] = []
    origins = Origins()
    at, end = len(text) - len(text.lstrip()), len(text.rstrip())
    for match in _SPECIAL.finditer(text, at, end):
        start = match.start()
        if start > at:
            out.append(text[at:start])
            origins.add(at, start - at, copied=True)
        at = match.end()
        run = match.group()
        if run[0].isspace():
            broken_line = "\n" in run or "\f" in run
            if broken_line and _ends_with_word_hyphen(out) and text[at].isalnum():
                if dehyphenate:
                    out[-1] = out[-1][:-1]
                    origins.drop_last()
            else:
                out.append(" ")
                origins.add(start, 1, copied=False)
            continue
        decomposed = unicodedata.normalize("NFKC", _TRANSLATE.get(run, run))
        pieces = "".join(_TRANSLATE.get(piece, piece) for piece in decomposed)
        out.append(pieces)
        origins.add(start, len(pieces), copied=False)
    if at < end:
        out.append(text[at:end])
        origins.add(at, end - at, copied=True)
    return "".join(out), origins


_SPECIAL = re.compile(r"\s{2,}|[^\S ]|[^\x00-\x7f]")
"""Whitespace other than one plain space, or a non-ASCII character: what normalising changes."""


def _ends_with_word_hyphen(out: list[str]) -> bool:
    """Whether the text so far (in pieces) ends with a letter or digit and a hyphen."""
    tail = ""
    for piece in reversed(out):
        tail = piece + tail
        if len(tail) >= 2:
            return tail[-1] == "-" and tail[-2].isalnum()
    return False


_WORD_RUN = re.compile(r"[\w'’$%.,-]+")


def words(text: str) -> list[str]:
    return _WORD_RUN.findall(text)


def word_count(text: str, at_most: int) -> int:
    """How many words ``text`` has, counting no further than ``at_most`` (a long quote is
    not split into words only to learn that it is long enough)."""
    return sum(1 for _ in itertools.islice(_WORD_RUN.finditer(text), at_most))
