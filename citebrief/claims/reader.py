"""What a quote claims: its sentence, the subject it names, the noun a figure counts,
weekdays next to dates, and negation.

The verify stage asks these questions of every citation; this module only reads text.
A quote is read together with the sentence or list item of the archived text that
contains it, so a fragment ("24,000 accounts") is judged with the words around it
("approximately 24,000 accounts", "the Chinese firms ...").
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from ..common.memo import per_run
from ..model import Entity, PartialDate, Precision, Unit
from .figures import DateMention, Quantity
from .names import NameHit, NameIndex, index_of
from .sentences import Context, boundaries, context_of, sentences_before

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
_BREAK_PARTS = (
    *"•·▪‣◦;\n",
    "while",
    "whereas",
    "against",
    "versus",
    "vs",
    "compared",
)
"""What each break holds: a text without one of them has no break (screened before the
pattern is tried at every position)."""
_ENUMERATION_GAP = re.compile(r"[\s,]*(?:(?:and|or|&)\s+)?(?:the\s+)?", re.I)


def entity_mentions(text: str, entities: dict[str, Entity]) -> list[NameHit]:
    """Where ``text`` names an entity by its own name or an alias (groups by name only),
    in order; where names overlap ('Moonshot AI' and 'Moonshot') the longest wins."""
    return index_of(entities).hits(text)


def clause_bounds(text: str, start: int, end: int, entities: dict[str, Entity]) -> tuple[int, int]:
    """Where the clause or list item of ``text`` that holds ``text[start:end]`` starts and ends.

    Sentence ends, list markers, semicolons, 'while', 'whereas', 'against' and 'versus'
    separate clauses, and so does 'and' before a second entity ('… 3.4 million, and MiniMax 13 million'),
    unless it ends a list of names ('DeepSeek, Moonshot AI and MiniMax used …').
    """
    return _clause_bounds(text, start, end, index_of(entities))


@per_run
def _clause_bounds(text: str, start: int, end: int, index: NameIndex) -> tuple[int, int]:
    """clause_bounds, remembered: a sentence's clauses are asked for by each of its figures."""
    mentions = index.hits(text)
    lowered = text.lower()
    breaks = (
        [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
        if any(c in lowered for c in _BREAK_PARTS)
        else []
    )
    breaks += [(b, b) for b in boundaries(text)[1:-1]]  # no clause runs into another sentence
    for m in _AND.finditer(text) if "and" in lowered else ():
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
_ATTRIBUTED_TO = re.compile(
    r"\b(?:linked|attributed|tied|traced|credited)\s+to\s+(?:the\s+)?$|\bassociated\s+with\s+(?:the\s+)?$",
    re.I,
)
"""Words that give what comes before them to the entity right after: '150,000 exchanges
linked to DeepSeek' are DeepSeek's, whoever tracked them."""
ATTRIBUTION_REACH = 12
"""Words after a figure within which 'linked to X' still speaks of it."""


def _attributed(clause: str, end: int, mentions: list[NameHit]) -> list[Entity]:
    """The entities a figure is attributed to after it ('… linked to DeepSeek, Moonshot AI
    and MiniMax'), listed together; none when no such words follow the figure."""
    after = [m for m in mentions if m.start >= end]
    if not after or len(clause[end : after[0].start].split()) > ATTRIBUTION_REACH:
        return []
    if not _ATTRIBUTED_TO.search(clause, end, after[0].start):
        return []
    owners = [after[0]]
    for mention in after[1:]:
        if not _ENUMERATION_GAP.fullmatch(clause[owners[-1].end : mention.start]):
            break
        owners.append(mention)
    return [m.entity for m in owners]


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
    attributed = _attributed(clause, end - first, mentions)
    if attributed:
        return clause, attributed
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
    if "day" not in context.text:
        return []  # every weekday's name ends in 'day': most sentences name none
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


__all__ = ["Context", "context_of", "sentences_before"]
