"""Find words in an archived source, for writing citations without typos."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..claims.sentences import sentence_spans
from ..claims.verify import find_quote, locate_in_source, pages_of
from ..common.suggest import closest
from ..errors import CitebriefError, Location
from ..model import Source


@dataclass(frozen=True)
class Passage:
    location: Location
    text: str
    exact: bool
    score: float = 1.0
    pages: tuple[int, int] | None = None
    """First and last page of the passage in a paged source (PDF), else None."""

    @property
    def quotable(self) -> str:
        """The passage on one line, ready to paste as a quote (a word broken at a line end
        after its hyphen stays joined, as the verifier reads it)."""
        return quotable(self.text)


def quotable(text: str) -> str:
    """Source text on one line, as a quote to paste (a word broken after its hyphen at a line
    end stays joined, as the verifier reads it)."""
    return " ".join(_LINE_END_HYPHEN.sub("", text).split())


_LINE_END_HYPHEN = re.compile(r"(?<=\w-)[^\S\n\f]*[\n\f]\s*(?=\w)")

LONGEST_PASSAGE = 1000
"""Characters: a longer passage offered as a quote (a table or a list read as text) is cut
into its lines, and a longer line into runs of words."""
_RUN = re.compile(rf"\S(?:[^\n]{{0,{LONGEST_PASSAGE - 2}}}\S)?(?!\S)|\S{{{LONGEST_PASSAGE}}}")
"""Up to LONGEST_PASSAGE characters of one line, from a word's start to a word's end (a
longer word is cut)."""


def of_reading_size(start: int, text: str) -> list[tuple[int, str]]:
    """A passage (its offset and text) as quotes of reading size: itself, or if it is longer
    than LONGEST_PASSAGE, its lines, and a longer line in runs of words."""
    if len(text) <= LONGEST_PASSAGE:
        return [(start, text)]
    return [(start + run.start(), run.group(0)) for run in _RUN.finditer(text)]


def find_words(source: Source, words: str) -> Passage | None:
    found = find_quote(source, words)
    if found is None:
        return None
    exact, start, end = found
    location = locate_in_source(source, start)
    return Passage(location, source.text[start:end], exact, pages=pages_of(source, start, end))


def nearest_passages(source: Source, words: str, count: int = 3) -> list[Passage]:
    """The sentences of the source most like ``words``, best first. rapidfuzz's token_set_ratio
    compares ``words`` with every sentence in C, no shortlist: a pasted paragraph against
    10,700 sentences takes 0.19 s, most of it splitting the sentences (difflib needed a
    shortlist of 50 to do as well)."""
    sentences = _sentences(source.text)
    lowered = [sentence.lower() for _, sentence in sentences]
    scored = [
        (score / 100, sentences[k][0], sentences[k][1])
        for _, score, k in process.extract(
            words.lower(), lowered, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=0
        )
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        Passage(
            locate_in_source(source, start),
            sentence,
            False,
            score,
            pages_of(source, start, start + len(sentence)),
        )
        for score, start, sentence in scored[:count]
    ]


def _sentences(text: str) -> list[tuple[int, str]]:
    """Each sentence (claims/sentences.py, the one splitter), line by line where it wraps,
    of eight characters or more (of reading size), with its offset: a near miss is offered
    as the line it is on, which compares fairly with a few pasted words."""
    found = []
    for start, end in sentence_spans(text):
        for line in re.finditer(r"[^\n]+", text[start:end]):
            stripped = line.group(0).strip()
            if len(stripped) >= 8:
                at = start + line.start() + line.group(0).index(stripped)
                found += of_reading_size(at, stripped)
    return found


def source_or_error(sources: dict[str, Source], source_id: str) -> Source:
    if source_id in sources:
        return sources[source_id]
    close = [s for s in sorted(sources) if s.startswith(source_id)] or [
        c for c in [closest(source_id, sorted(sources))] if c is not None
    ]
    raise CitebriefError(
        f"no source with id '{source_id}'",
        (f"did you mean '{close[0]}'? " if close else "")
        + "the ids are the file names in sources/",
    )
