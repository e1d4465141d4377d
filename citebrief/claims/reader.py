"""What a quote claims: its sentence, the subject it names, the noun a figure counts,
weekdays next to dates, and negation.

The verify stage asks these questions of every citation; this module only reads text.
A quote is read together with the sentence or list item of the archived text that
contains it, so a fragment ("24,000 accounts") is judged with the words around it
("approximately 24,000 accounts", "the Chinese firms ...").
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from ..common.memo import per_run
from ..model import Entity, PartialDate, Precision, Unit
from .figures import DateMention, Figures, Quantity, find_figures
from .names import NameHit, index_of

# --- the sentence around a quote ----------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "rep",
        "sen",
        "gov",
        "gen",
        "st",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "vs",
        "etc",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "fig",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
    ]
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9•])")
_BULLET = re.compile(r"\s*(?:[•·▪‣◦*-]|\d{1,2}[.)])\s")


@dataclass(frozen=True)
class Context:
    """A quote with the sentence(s) or list item(s) of the source that contain it."""

    text: str
    quote_start: int
    """Where the quote starts and ends within ``text``."""
    quote_end: int
    offset: int = 0
    """Where ``text`` starts in the source's text."""

    @functools.cached_property
    def figures(self) -> Figures:
        return find_figures(self.text)

    def quoted(self) -> Figures:
        """The figures the quote itself states, read with their context (qualifiers included)."""
        inside = self._inside
        return Figures(
            tuple(q for q in self.figures.quantities if inside(q.start, q.end)),
            tuple(d for d in self.figures.dates if inside(d.start, d.end)),
        )

    def _inside(self, start: int, end: int) -> bool:
        return start < self.quote_end and self.quote_start < end

    @property
    def quote(self) -> str:
        return self.text[self.quote_start : self.quote_end]


def context_of(text: str, start: int, end: int) -> Context:
    """The sentence(s) or list item(s) of ``text`` that contain ``text[start:end]``."""
    bounds = _boundaries(text)  # sorted, and always holding 0 and len(text)
    first = bounds[bisect.bisect_right(bounds, start) - 1]
    last = bounds[bisect.bisect_left(bounds, end)]
    if last - first > LONGEST_CONTEXT + (end - start):
        first, last = _narrowed(text, start, end, first, last)
    return Context(text[first:last], start - first, end - first, first)


LONGEST_CONTEXT = 1000
"""Characters of a 'sentence' around a quote beyond the quote itself: a table or a list
extracted from a PDF may read as one sentence thousands of lines long, and every figure
in it would be read for every quote into it. Past this, the quote's own lines are its
context, and past that the words around it."""


def _narrowed(text: str, start: int, end: int, first: int, last: int) -> tuple[int, int]:
    line_start = text.rfind("\n", first, start) + 1 or first
    line_end = text.find("\n", end, last)
    first, last = max(first, line_start), (line_end if line_end >= 0 else last)
    if last - first <= LONGEST_CONTEXT + (end - start):
        return first, last
    reach = LONGEST_CONTEXT // 2
    before = text.rfind(" ", first, max(first, start - reach)) + 1 or max(first, start - reach)
    after = text.find(" ", min(last, end + reach), last)
    return max(first, before), (after if after >= 0 else min(last, end + reach))


def sentences_before(text: str, context: Context, count: int = 2) -> str:
    """Up to ``count`` sentences before the context, in the same paragraph or list item."""
    bounds = _boundaries(text)
    earlier = bounds[: bisect.bisect_left(bounds, context.offset)]
    start = earlier[-count] if len(earlier) >= count else 0
    stretch = text[start : context.offset]
    return stretch[stretch.rfind("\n") + 1 :]


_WORD_ENDING = re.compile(r"([\w.]+)[.!?]$")
_RUNS_ON = re.compile(r"[a-z0-9,;–—-]$")
"""A line ending so has its sentence go on in the next line (unless that starts upper-case)."""


@per_run
def _boundaries(text: str) -> tuple[int, ...]:
    """Offsets where a sentence, a paragraph or a list item starts or ends."""
    found = {0, len(text)}
    for m in _SENTENCE_END.finditer(text):
        word = _WORD_ENDING.search(text, max(0, m.start() - 12), m.start() + 1)
        before = word.group(1).lower().rstrip(".") if word else ""
        if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            continue
        found.add(m.end())
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        offset += len(line) + 1
        if _line_break_ends_sentence(line, following):
            found.update((offset - 1, offset))
    return tuple(sorted(found))


def _line_break_ends_sentence(line: str, following: str) -> bool:
    """A line break is a boundary unless it only wraps a sentence (as in text from a PDF)."""
    if not line.strip() or not following.strip() or _BULLET.match(following):
        return True
    return not _RUNS_ON.search(line.rstrip()) or following.lstrip()[:1].isupper()


# --- subjects -----------------------------------------------------------------------------------


def names_entity(text: str, entity: Entity, entities: dict[str, Entity]) -> bool:
    """Whether ``text`` names the entity: its name, an alias, or (a group) all its members."""
    return entity.id in index_of(entities).named(text)


def entities_named(text: str, entities: dict[str, Entity]) -> list[Entity]:
    named = index_of(entities).named(text)
    return [e for e in entities.values() if e.id in named] if named else []


# --- whose figure: the entity a figure belongs to ----------------------------------------------

_CLAUSE_BREAK = re.compile(
    r"[•·▪‣◦;]|\n[^\S\n]*(?:[*-]|\d{1,2}[.)])\s"
    r"|\b(?:while|whereas|against|versus|vs\.?|compared (?:with|to)|as against)\b",
    re.I,
)
"""What separates one entity's figure from another's in a sentence or a run of list items."""
_ENUMERATION_GAP = re.compile(r"[\s,]*(?:(?:and|or|&)\s+)?(?:the\s+)?", re.I)


def entity_mentions(text: str, entities: dict[str, Entity]) -> list[NameHit]:
    """Where ``text`` names an entity by its own name or an alias (groups by name only),
    in order; where names overlap ('Moonshot AI' and 'Moonshot') the longest wins."""
    return index_of(entities).hits(text)


def clause_bounds(text: str, start: int, end: int, entities: dict[str, Entity]) -> tuple[int, int]:
    """Where the clause or list item of ``text`` that holds ``text[start:end]`` starts and ends.

    List markers, semicolons, 'while', 'whereas', 'against' and 'versus' separate clauses,
    and so does 'and' before a second entity ('… 3.4 million, and MiniMax 13 million'),
    unless it ends a list of names ('DeepSeek, Moonshot AI and MiniMax used …').
    """
    mentions = entity_mentions(text, entities)
    breaks = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
    for m in _AND.finditer(text):
        follows = any(n.start == m.end() for n in mentions)
        listed = any(
            n.end <= m.start() and _ENUMERATION_GAP.fullmatch(text[n.end : m.start()])
            for n in mentions
        )
        if follows and not listed:
            breaks.append((m.start(), m.end()))
    first = max((b for _, b in breaks if b <= start), default=0)
    last = min((a for a, _ in breaks if a >= end), default=len(text))
    return first, last


_AND = re.compile(r",?\s+and\s+(?:the\s+)?", re.I)


def figure_owners(
    text: str, start: int, end: int, entities: dict[str, Entity]
) -> tuple[str, list[Entity]]:
    """The clause that states the figure at ``text[start:end]``, and the entities it names
    the figure for: the nearest one named before it, with any listed together with it
    ('DeepSeek, Moonshot AI and MiniMax used …'); failing that, the first named after it
    ('… were generated by MiniMax'). No entity when the clause names none ('they sent …')."""
    first, last = clause_bounds(text, start, end, entities)
    clause = text[first:last]
    mentions = entity_mentions(clause, entities)
    before = [m for m in mentions if m.end <= start - first]
    if before:
        owners = [before[-1]]
        for mention in reversed(before[:-1]):
            if not _ENUMERATION_GAP.fullmatch(clause[mention.end : owners[0].start]):
                break
            owners.insert(0, mention)
        return clause, [m.entity for m in owners]
    after = [m for m in mentions if m.start >= end - first]
    return clause, [after[0].entity] if after else []


# --- units -------------------------------------------------------------------------------------

UNIT_WINDOW_WORDS = 6
"""How many words after a figure may stand between it and the noun it counts."""


def unit_stated(context: Context, quantity: Quantity, unit: Unit) -> tuple[bool, str]:
    """Whether the figure is followed (or, ending its clause, preceded) by one of the unit's nouns.

    Returns the verdict and the words found after the figure, for the message.
    """
    later = [q.start for q in context.figures.quantities if q.start > quantity.start]
    after = context.text[quantity.end : min(later, default=len(context.text))]
    after_words = re.findall(r"[\w'’-]+|[,.;:()]", after)[:UNIT_WINDOW_WORDS]
    window = " ".join(after_words)
    if _has_noun(window, unit):
        return True, window
    if not after_words or not after_words[0][0].isalnum():
        earlier = [q.end for q in context.figures.quantities if q.end <= quantity.start]
        before = context.text[max(earlier, default=0) : quantity.start]
        if _has_noun(before, unit):
            return True, before.strip()
    return False, _noun_phrase(after_words)


@functools.cache
def _pattern(noun: str) -> re.Pattern[str]:
    """A unit's noun as whole words (a register has few units: each is compiled once)."""
    words = re.escape(noun.replace("’", "'")).replace("'", "['’]").replace(r"\ ", r"\s+")
    return re.compile(r"(?<![\w])" + words + r"(?![\w])", re.I)


def _has_noun(text: str, unit: Unit) -> bool:
    for noun in unit.nouns:
        if noun in ("%", "$"):
            continue
        if _pattern(noun).search(text) or (noun.endswith("s") and _pattern(noun[:-1]).search(text)):
            return True
    return False


_PHRASE_END = frozenset(
    ["and", "or", "to", "on", "with", "of", "in", "for", "from", "that", "which", "by", "at", "as"]
)


def _noun_phrase(words: list[str]) -> str:
    phrase: list[str] = []
    for word in words:
        if not word[0].isalnum() or word.lower() in _PHRASE_END:
            break
        phrase.append(word)
        if len(phrase) == 3:
            break
    return " ".join(phrase)


# --- weekdays ----------------------------------------------------------------------------------

WEEKDAYS = list(calendar.day_name)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")


@dataclass(frozen=True)
class Weekday:
    name: str
    start: int
    end: int
    next_to: DateMention | None
    """The date it names the day of ('Monday, February 23, 2026'), or None when it stands alone."""


def weekdays(context: Context) -> list[Weekday]:
    found = []
    for m in _WEEKDAY.finditer(context.text):
        found.append(Weekday(m.group(1), m.start(), m.end(), _date_next_to(context, m)))
    return found


def _date_next_to(context: Context, m: re.Match[str]) -> DateMention | None:
    for date in context.figures.dates:
        between = (
            context.text[m.end() : date.start]
            if date.start >= m.end()
            else context.text[date.end : m.start()]
        )
        if re.fullmatch(r"[\s,(]*(?:the\s+)?|[\s,(]*(?:a|an|which was a)\s+", between, re.I):
            return date
    return None


def standalone_weekdays(context: Context) -> list[str]:
    """Weekdays the quote uses as the date itself ('said on Tuesday'), not beside a date."""
    return [
        day.name
        for day in weekdays(context)
        if day.next_to is None and context.quote_start <= day.start and day.end <= context.quote_end
    ]


def resolve_weekday(name: str, stated: PartialDate) -> PartialDate | None:
    """The date a weekday means in a source dated ``stated``: the most recent such day on or
    before it. None when the source's date is not precise to the day."""
    if stated.precision is not Precision.DAY:
        return None
    day = stated.earliest()
    day -= dt.timedelta(days=(day.weekday() - WEEKDAYS.index(name)) % 7)
    return PartialDate(day.year, day.month, day.day)


def weekday_name(year: int, month: int, day: int) -> str:
    return WEEKDAYS[calendar.weekday(year, month, day)]


# --- negation --------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:[Nn]ot(?!\s+(?:only|just)\b)|[Nn]ever|[Nn]o(?!\s+(?:longer\s+than|later\s+than|sooner))"
    r"|[Nn]one|[Nn]either|[Nn]or|[Cc]annot|[Nn]obody|[Nn]othing|yet\s+to)\b|n['’]t\b"
)
"""Negating words, capitalised only at the start of a sentence ('NO' is Norway, not 'no')."""


def negation(text: str) -> str:
    """The first negating word in ``text`` ('not', "didn't", 'never'), or ''."""
    m = _NEGATION.search(text)
    if not m:
        return ""
    start = text.rfind(" ", 0, m.start()) + 1 if m.group(0).lower().startswith("n'") else m.start()
    return text[start : m.end()]
