"""The rules that read one sentence's figures: whose, what unit, what measure, how put,
for when. Each is one small rule over the figure's sentence and clause (see mentions.py)."""

from __future__ import annotations

import functools
import re

from ..common.memo import per_run
from ..model import Measure, UnitKind
from .vocabulary import Register

# --- modality ------------------------------------------------------------------------------

_DENIED = re.compile(
    r"\b(?:den(?:y|ies|ying)|(?<!\bbe\s)(?<!been\s)(?<!was\s)(?<!were\s)(?<!\bis\s)(?<!are\s)denied|rejected\s+(?:the\s+|these\s+|those\s+)?(?:claims?|allegations?|accusations?|reports?)"
    r"|disputed|refuted)\b",
    re.I,
)
_UNCONFIRMED = re.compile(
    r"\b(?:(?:has|have|had|did|does|do|could|would|can)\s*(?:not|n[o'’]t)\s+(?:yet\s+)?(?:independently\s+)?"
    r"(?:confirm(?:ed)?|verif(?:y|ied)|corroborate[d]?)"
    r"|cannot\s+(?:independently\s+)?(?:confirm|verify)"
    r"|(?:not|never)\s+(?:been\s+|be\s+)?(?:independently\s+|publicly\s+)?(?:confirmed|verified|corroborated)"
    r"|unconfirmed|unverified|uncorroborated|declined\s+to\s+(?:confirm|comment))\b",
    re.I,
)
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|provided(?:\s+that)?|on\s+(?:the\s+)?condition\s+that|in\s+the\s+event|as\s+long\s+as)\b",
    re.I,
)
_PROJECTED = re.compile(
    r"\b(?:(?:could|may|might|would|will)\s+(?:soon\s+|potentially\s+)?(?:reach|rise|grow|exceed|climb|top|hit|total"
    r"|fall|drop|increase|double|generate|bring|add|cost|unlock)"
    r"|(?:is|are|was|were)\s+(?:expected|projected|forecast|set|poised|on\s+track)\s+to"
    r"|(?:could|may|might|would)\s+be\s+worth|(?:has|have)\s+called\s+for"
    r"|projected|projection|forecasts?|forecasted|expected\s+to|predict(?:s|ed)?|potentially)\b",
    re.I,
)
_HEDGED = re.compile(
    r"\b(?:may|might|possibly|perhaps|apparently|suggest(?:s|ed)?\s+that|"
    r"(?:appears?|seems?)\s+to|(?:is|are|was|were)\s+(?:believed|thought|said)\s+to)\b"
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|neither|nor|cannot|nobody|nothing)\b|n['’]t\b", re.I
)


_COORDINATED = re.compile(r",\s+(?:and|but|while|whereas|yet|so)\b|\s+but\s+|;\s*", re.I)
"""Where a clause's coordinated parts meet: a projection in one ('… would rise by 40 percent,
and that 1,200 applications were pending') is not the other's."""


_ANY_CUE = re.compile(
    "|".join(
        f"(?:{p.pattern})"
        for p in (_DENIED, _UNCONFIRMED, _CONDITIONAL, _PROJECTED, _HEDGED, _NEGATION)
    ),
    re.I,
)
"""Every cue below in one pattern: a clause with none of them puts its figures plainly."""
_CUE_WORDS = frozenset(
    [
        "deny",
        "denies",
        "denying",
        "denied",
        "rejected",
        "disputed",
        "refuted",
        "unconfirmed",
        "unverified",
        "uncorroborated",
        "if",
        "unless",
        "provided",
        "may",
        "might",
        "projected",
        "forecast",
        "forecasts",
        "forecasted",
        "projection",
        "predict",
        "predicts",
        "predicted",
        "potentially",
        "possibly",
        "perhaps",
        "apparently",
        "not",
        "never",
        "no",
        "none",
        "neither",
        "nor",
        "cannot",
        "nobody",
        "nothing",
    ]
)
"""Words that are a cue of ``_ANY_CUE`` wherever they stand (with "n't")."""
_BE = frozenset(["is", "are", "was", "were"])
_VERBS = frozenset(
    [
        "reach",
        "rise",
        "grow",
        "exceed",
        "climb",
        "top",
        "hit",
        "total",
        "fall",
        "drop",
        "increase",
        "double",
        "generate",
        "bring",
        "add",
        "cost",
        "unlock",
    ]
)
_CUE_WITH: dict[str, tuple[frozenset[str], ...]] = {
    "declined": (frozenset(["to"]),),
    "could": (_VERBS | {"worth"},),
    "would": (_VERBS | {"worth"},),
    "will": (_VERBS,),
    "expected": (frozenset(["to"]),),
    "set": (frozenset(["to"]), _BE),
    "poised": (frozenset(["to"]), _BE),
    "track": (frozenset(["to"]), _BE),
    "said": (frozenset(["to"]), _BE),
    "thought": (frozenset(["to"]), _BE),
    "believed": (frozenset(["to"]), _BE),
    "called": (frozenset(["for"]), frozenset(["has", "have"])),
    "condition": (frozenset(["that"]),),
    "event": (frozenset(["in"]),),
    "long": (frozenset(["as"]),),
    "appear": (frozenset(["to"]),),
    "appears": (frozenset(["to"]),),
    "seem": (frozenset(["to"]),),
    "seems": (frozenset(["to"]),),
    "suggest": (frozenset(["that"]),),
    "suggests": (frozenset(["that"]),),
    "suggested": (frozenset(["that"]),),
}
"""Words that are a cue only with others in the clause ('officials said' puts nothing
otherwise; 'is said to' hedges): each needs a word of every set listed."""
_WORD = re.compile(r"\w+")


def may_hold_cue(clause: str) -> bool:
    """False when the clause holds none of the words every cue of ``_ANY_CUE`` needs: a
    set look-up per word instead of the whole pattern tried at every position."""
    lowered = clause.lower()
    if "n't" in lowered or "n’t" in lowered:
        return True
    words = set(_WORD.findall(lowered))
    if not _CUE_WORDS.isdisjoint(words) or any(w.endswith("not") for w in words):
        return True  # 'not' ends 'cannot' and ('has\s*not') a run-together 'hasnot'
    return any(
        all(not need.isdisjoint(words) for need in _CUE_WITH[word])
        for word in words.intersection(_CUE_WITH)
    )


def modality(clause: str, at: int, bound_start: int) -> tuple[str, str]:
    """How a clause puts the figure at ``clause[at:]``: (modality value, the words saying so).

    Denial, an unconfirmed report, a condition and a projection hold anywhere in the
    figure's part of the clause; a plain negation only before the figure, outside its
    qualifier ('no more than'). A figure that is what a verb of estimating estimates ('analysts
    estimating up to $16 billion') is projected; 'an estimated $15 billion' only bounds it."""
    if "estimat" in clause[max(0, bound_start - 12) : bound_start].lower():
        estimate = _ESTIMATING.search(clause, max(0, bound_start - 20), bound_start)
        if estimate:
            return "projected", estimate.group(0).strip()
    if not may_hold_cue(clause) or not _ANY_CUE.search(clause):
        return "asserted", ""  # most clauses hold no word that puts a figure otherwise
    first = max((m.end() for m in _COORDINATED.finditer(clause, 0, at)), default=0)
    after = _COORDINATED.search(clause, at)
    clause = clause[: after.start()] if after else clause
    clause, at, bound_start = clause[first:], at - first, max(0, bound_start - first)
    for name, pattern in (
        ("denied", _DENIED),
        ("unconfirmed", _UNCONFIRMED),
        ("conditional", _CONDITIONAL),
        ("projected", _PROJECTED),
    ):
        for m in pattern.finditer(clause):
            if name == "conditional" and (
                _states_the_term(clause, m.end(), at) or _far_after(clause, at, m.start())
            ):
                continue
            return name, m.group(0)
    for m in _NEGATION.finditer(clause, 0, bound_start):
        return "negated", m.group(0)
    hedge = _HEDGED.search(clause)
    if hedge and _DESCRIPTION.search(clause, hedge.end(), at):
        return "asserted", ""  # '… appears to be tied to those subject first to a 25% tariff'
    return ("hedged", hedge.group(0)) if hedge else ("asserted", "")


_ESTIMATING = re.compile(r"(?<!\ban\s)(?<!\bthe\s)\bestimat(?:e|es|ed|ing)\s*$", re.I)
"""A verb of estimating right before the figure (and its bound): the figure is its object."""

_DESCRIPTION = re.compile(r"\b(?:those|which|who|whom|whose)\b", re.I)
"""A description of a noun between a hedge and the figure: the hedge is on the predicate
('appears to be tied to'), the figure describes the noun ('those subject first to a 25%
tariff') and is stated as it is."""

CONDITION_REACH = 12
"""Words after a figure within which an 'if' or 'provided that' is the figure's condition;
further on it qualifies something else the clause goes on to say ('issued a final rule on
January 13 that implements a more favorable policy …, provided that certain requirements
are met')."""


def _far_after(clause: str, at: int, start: int) -> bool:
    return start > at and len(clause[at:start].split()) > CONDITION_REACH


def _states_the_term(clause: str, condition_end: int, at: int) -> bool:
    """Whether the figure is the condition's own term ('provided the U.S. gets 25% of sales':
    the condition states the figure) rather than a figure the condition qualifies ('could
    reach $50 billion if …', 'If licences are approved, sales could reach …')."""
    return condition_end <= at and not re.search(r"[,;:]", clause[condition_end:at])


# --- measure -------------------------------------------------------------------------------

_ADJACENT = re.compile(r"^[\s,]*(?:[\w'’/-]+\s+){0,2}?[\w'’/-]+")
_PHRASE_STOP = frozenset(
    [
        "and",
        "or",
        "to",
        "on",
        "with",
        "of",
        "in",
        "for",
        "from",
        "that",
        "which",
        "by",
        "at",
        "as",
        "while",
        "whereas",
        "but",
        "is",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "be",
        "been",
        "will",
        "would",
        "said",
        "says",
    ]
)


def measure(
    register: Register,
    clause: str,
    start: int,
    end: int,
    others: list[tuple[int, int]],
    dates: bool,
) -> tuple[str | None, str]:
    """The measure the clause gives the figure at ``clause[start:end]``: a measure word in
    the noun phrase right after it ('a 25% tariff'); else the last one between the figure
    before it and it ('published … on January 15'); else the first one after it, before
    the next figure ('On January 15, BIS published …'). ``others``: the clause's other
    figures of the same family."""
    pattern = register.measure_pattern
    if pattern is None or not register.may_state_measure(clause):
        return None, ""
    hits = [
        (m.start(), m.end(), m.group(0), ids)
        for m in pattern.finditer(clause)
        if (ids := _measures(register, m.group(0), dates))
    ]
    if not hits:
        return None, ""
    phrase_end = _noun_phrase_end(clause, end)
    for s, e, words, ids in hits:
        if end <= s and e <= phrase_end:
            return ids[0], words
    named = _named_by(clause, start)
    if named is not None:  # 'a loss of about $5.5 billion': the loss, whatever came before
        own = [h for h in hits if h[1] == named[1] or _next_to(clause, end, h[0])]
        return (own[-1][3][0], own[-1][2]) if own else (None, "")
    if dates:
        hits = [h for h in hits if not _attributive(clause, h[0], h[1], h[2])]
    previous = max((e for s, e in others if e <= start), default=0)
    # a word in the noun phrase of the figure before is that figure's ('a 25% levy …, $40 billion')
    before_limit = _noun_phrase_end(clause, previous) if previous else 0
    before = [h for h in hits if before_limit <= h[0] and h[1] <= start]
    if before:
        return before[-1][3][0], before[-1][2]
    earlier = [(s, e) for s, e in others if e <= start]
    if earlier and _CHANGE.fullmatch(clause, earlier[-1][1], start):
        # 'fallen to zero from a high of 95%': one quantity's two values, one measure
        carried = measure(register, clause, *earlier[-1], others, dates)
        if carried[0] is not None:
            return carried
    after_limit = _after_listed(clause, end, others)
    after = [h for h in hits if end <= h[0] and h[1] <= after_limit]
    if after:
        return after[0][3][0], after[0][2]
    return None, ""


_LISTED = re.compile(r"\s*,?\s*(?:(?:and|or)\s+)?")
_LEVELS = r"high|low|peak|record|total|level|maximum|minimum|average|sum|figure|value|rate|amount"
_CHANGE = re.compile(
    rf"\s*,?\s*(?:from|to)\s+(?:(?:a|an|the)\s+(?:(?:new|all-time|record)\s+)?(?:{_LEVELS})\s+of\s+)?",
    re.I,
)
"""Words between two values of one quantity: 'fallen to zero from a high of 95%'."""
_OF_BEFORE = re.compile(
    r"\b([a-z][\w'’-]*)\s+of\s+(?:(?:about|around|roughly|approximately|nearly|almost|some|over"
    r"|more|less|fewer|than|up|to|at|least|as|much|many|just|only|an\s+estimated)\s+)*$"
)
"""'a loss of about …': the noun the figure is the amount of."""
_OF_TRANSPARENT = frozenset([*_LEVELS.split("|"), "number", "share", "part", "half", "one"])
"""Nouns that say how much, not of what ('a high of 95%', 'a total of 24,000')."""


def _named_by(clause: str, start: int) -> tuple[str, int] | None:
    """The noun a figure is 'the N of' ('a loss of about $5.5 billion') and where it ends;
    None when no noun stands there or it only says how much ('a high of 95%')."""
    if " of" not in clause[max(0, start - 40) : start]:
        return None
    m = _OF_BEFORE.search(clause, max(0, start - 80), start)
    if m is None or m.group(1) in _OF_TRANSPARENT or m.group(1) in _PHRASE_STOP:
        return None
    return m.group(1), m.end(1)


def _next_to(clause: str, end: int, start: int) -> bool:
    """Whether a measure word starts right after the figure ('a cut of 25% of the revenue')."""
    return end <= start and not clause[end:start].strip()


_ATTRIBUTIVE_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|this|that|these|those)|\w['’]s)\s+(?:\w+ly\s+)?$", re.I
)
_NOUN_AFTER = re.compile(r"\s+([A-Za-z][\w'’-]*)")


def _attributive(clause: str, start: int, end: int, words: str) -> bool:
    """Whether an event word is a participle describing a noun ('the previously announced AI
    Action Plan'): it states no event of the date."""
    if not words.lower().endswith("ed"):
        return False
    noun = _NOUN_AFTER.match(clause, end)
    return (
        noun is not None
        and noun.group(1).lower() not in _PHRASE_STOP
        and _ATTRIBUTIVE_BEFORE.search(clause, max(0, start - 30), start) is not None
    )


def _after_listed(clause: str, end: int, others: list[tuple[int, int]]) -> int:
    """Where the words that may state a figure's measure after it stop: at the next figure,
    unless that one is listed with it ('On May 21, 2010 and January 20, 2010, Commerce
    published …': the verb after the list is each listed figure's)."""
    for s, e in sorted(o for o in others if o[0] >= end):
        if not _LISTED.fullmatch(clause, end, s):
            return s
        end = e
    return len(clause)


def _measures(register: Register, words: str, dates: bool) -> list[str]:
    return _measure_index(register).get((" ".join(words.lower().split()), dates), [])


@functools.cache
def _measure_index_of(measures: tuple[Measure, ...]) -> dict[tuple[str, bool], list[str]]:
    index: dict[tuple[str, bool], list[str]] = {}
    for m in measures:
        for word in m.words:
            index.setdefault((" ".join(word.lower().split()), m.dates), []).append(m.id)
    return index


def _measure_index(register: Register) -> dict[tuple[str, bool], list[str]]:
    return _measure_index_of(tuple(register.measures.values()))


def _noun_phrase_end(clause: str, end: int) -> int:
    """Where the noun phrase right after a figure ends: up to three words, stopping at a
    function word or punctuation ('25% tariff' → 'tariff'; '25% of the revenue' → '')."""
    at = end
    for words, m in enumerate(re.finditer(r"\s*,?\s*([\w'’/-]+)", clause[end:])):
        word = m.group(1).lower()
        if word in _PHRASE_STOP or words == 3 or (m.group(0).count(",") and words):
            break
        at = end + m.end()
    return at


_NOUN_PHRASE_ENDS = _PHRASE_STOP - {"of", "and", "or"}
"""Words that end the noun phrase a figure counts ('applications for the processors');
'of' and 'and' may stand inside it ('units of memory', 'chips and servers')."""

# --- unit ------------------------------------------------------------------------------------

_TOKENS = re.compile(r"[\w'’/.-]+|[,;:()]")


def unit_after(register: Register, sentence: str, end: int, limit: int) -> tuple[str | None, str]:
    """The register unit whose noun follows the figure (within four words, before the next
    figure), and the words found there."""
    after = sentence[end:limit]
    words: list[str] = []
    for token in _TOKENS.findall(after)[:5]:
        if not token[0].isalnum() and token not in "/":
            break
        if words and token.lower() in _NOUN_PHRASE_ENDS:
            break  # '1,200 license applications for the processors' counts applications
        words.append(token.rstrip("."))
    window = " ".join(words)
    lowered = window.lower().replace("’", "'")
    for unit_id, noun, key in _count_nouns(register):
        if key in lowered and _noun_in(noun, window):
            return unit_id, window
    return None, " ".join(w for w in words[:3] if w.lower() not in _PHRASE_STOP)


@per_run
def _count_nouns(register: Register) -> list[tuple[str, str, str]]:
    """Each noun of the register's count units, in order, with the text any match of it
    holds (lower-cased, without a final 's'): a window without that text cannot match."""
    found = []
    for unit in register.units.values():
        if unit.kind is UnitKind.COUNT:
            for noun in unit.nouns:
                key = " ".join(noun.lower().replace("’", "'").split())
                found.append((unit.id, noun, key[:-1] if key.endswith("s") else key))
    return found


@functools.cache
def _noun_pattern(noun: str) -> re.Pattern[str]:
    words = re.escape(noun.replace("’", "'")).replace("'", "['’]").replace(r"\ ", r"\s+")
    plural = "s?" if not noun.endswith("s") else ""
    return re.compile(r"(?<![\w])" + words + plural + r"(?![\w])", re.I)


def _noun_in(noun: str, window: str) -> bool:
    if noun in ("%", "$") or not window:
        return False
    if _noun_pattern(noun).search(window):
        return True
    return noun.endswith("s") and bool(_noun_pattern(noun[:-1]).search(window))


def ends_phrase(sentence: str, end: int) -> bool:
    """Whether nothing that could be a noun follows the figure ('… ran 3.4 million.')."""
    m = re.match(r"\s*([\w'’-]+)", sentence[end:])
    return (
        m is None
        or m.group(1).lower() in _PHRASE_STOP
        or bool(re.match(r"\s*[,;:.)]", sentence[end:]))
    )
