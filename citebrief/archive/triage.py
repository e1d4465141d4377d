"""Intake triage: what a newly archived source says about the fact base.

Every figure and full date the source states is read in its sentence and set beside the
facts of the same kind: a number beside facts with the same unit whose subject the
sentence names; a date beside date facts whose subject the sentence names and whose
label's words it shares. Each is then reported as agreeing (with the citation ready to
paste), disagreeing (with the `disagrees:` entry ready to fill in) or new to the fact base.
Nothing is written: staff decide.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..claims.figures import DateMention, Quantity, find_figures
from ..claims.verify import locate_in_source, pages_of
from ..errors import Location, in_quotes
from ..facts.display import format_date, format_quantity, page_reference, unit_kind
from ..model import Corpus, Fact, PartialDate, Source
from .quoting import of_reading_size, quotable

SMALLEST_FIGURE = Decimal(10)
"""Bare numbers below this ('three laboratories', 'phase 2') are not reported as figures."""
LABEL_OVERLAP = 0.5
"""Share of a date fact's label words a sentence must contain to be about the same event."""


class Verdict(StrEnum):
    AGREES = "agrees"
    DISAGREES = "disagrees"
    NEW = "new"


@dataclass(frozen=True)
class Finding:
    """One figure or date the source states, and how it stands against the fact base."""

    verdict: Verdict
    stated: str
    """The figure or date as the source writes it ('approximately 24,000')."""
    quote: str
    """The sentence that states it, on one line, ready to paste as a citation's quote."""
    location: Location
    pages: tuple[int, int] | None
    fact: Fact | None = None
    caveat: str = ""
    """Why a match needs a second look ('the sentence does not name …')."""


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str


def triage(source: Source, corpus: Corpus) -> tuple[Finding, ...]:
    """Every figure and dated event in ``source``, set against ``corpus``'s facts."""
    base = _FactBase(corpus)
    findings: list[Finding] = []
    for sentence in _sentences(source.text):
        figures = find_figures(sentence.text)
        if not figures.quantities and not figures.dates:
            continue
        about = _Reading(
            sentence, base.named_entities(sentence.text), base.label_overlaps(sentence.text)
        )
        for quantity in figures.quantities:
            unit, stated_end = base.unit_of(quantity, sentence.text)
            if unit is None and quantity.value < SMALLEST_FIGURE:
                continue
            stated = _stated_quantity(quantity, sentence.text, stated_end)
            findings.append(_number_finding(quantity, unit, stated, about, base, source))
        for mention in figures.dates:
            if mention.year is not None:
                findings.append(_date_finding(mention, about, base, source))
    order = {Verdict.AGREES: 0, Verdict.DISAGREES: 1, Verdict.NEW: 2}
    return tuple(sorted(findings, key=lambda f: (order[f.verdict], f.location.line)))


@dataclass(frozen=True)
class _Reading:
    """A sentence with what it names: entity ids, and the facts whose labels it shares."""

    sentence: _Sentence
    named: set[str]
    overlaps: dict[str, float]
    """Share of each fact's label words the sentence contains, for those at LABEL_OVERLAP
    or above."""


class _FactBase:
    """The number and date facts, indexed so that a figure is set only beside the facts it
    could be about: a figure's cost does not grow with the size of the fact base."""

    def __init__(self, corpus: Corpus) -> None:
        facts = [
            f
            for f in corpus.facts.values()
            if (f.kind == "number" and f.number is not None)
            or (f.kind == "date" and f.date is not None)
        ]
        self.rank = {f.id: k for k, f in enumerate(facts)}
        numbers = [f for f in facts if f.kind == "number"]
        self.by_unit_subject = _grouped(numbers, lambda f: (f.unit, f.subject))
        self.by_figure = _grouped(numbers, lambda f: (f.unit, f.number, f.qualifier))
        self.by_subject_figure = _grouped(numbers, lambda f: (f.subject, f.number, f.qualifier))
        self.facts = {f.id: f for f in facts}
        self.labels = _LabelIndex(facts)
        self.nouns = [
            (re.compile(_noun_pattern(noun), re.I), unit)
            for noun, unit in _unit_nouns(corpus)
            if noun[:1].isalpha()
        ]
        self.entities = [
            (e, [re.compile(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)") for n in e.names])
            for e in corpus.entities.values()
        ]

    def in_order(self, facts: Iterable[Fact]) -> list[Fact]:
        """``facts`` in the fact base's order, each once (the first found wins ties)."""
        return sorted({f.id: f for f in facts}.values(), key=lambda f: self.rank[f.id])

    def label_overlaps(self, sentence: str) -> dict[str, float]:
        return self.labels.overlaps(_stems(sentence))

    def named_entities(self, text: str) -> set[str]:
        """Ids of the entities a sentence names: by name or alias, or (a group) all its
        members."""
        lowered = text.lower()
        named = {e.id for e, names in self.entities if any(n.search(lowered) for n in names)}
        named |= {e.id for e, _ in self.entities if e.members and set(e.members) <= named}
        return named

    def unit_of(self, quantity: Quantity, text: str) -> tuple[str | None, int]:
        """The unit a figure counts and where its noun ends: percent or money by its sign,
        else the noun that follows it (two words may stand between: '24,000 fraudulent
        accounts')."""
        if quantity.kind in ("percent", "money"):
            return ("percent" if quantity.kind == "percent" else "USD"), quantity.end
        after = text[quantity.end : quantity.end + 80]
        for pattern, unit in self.nouns:
            match = pattern.match(after)
            if match:
                return unit, quantity.end + match.end()
        following = re.match(r"\s+[a-z][\w-]*", after)  # an unregistered noun: '10 weeks'
        return None, quantity.end + (following.end() if following else 0)


def _grouped(facts: list[Fact], key: Callable[[Fact], Hashable]) -> dict[Hashable, list[Fact]]:
    groups: defaultdict[Hashable, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    return groups


class _LabelIndex:
    """Which facts' labels share at least LABEL_OVERLAP of their words with a sentence.

    A label of k words must share k - k // 2 of them (half, rounded up), so at most k // 2
    may be missing: it shares one of any k // 2 + 1 of its words. Each label is listed under
    its k // 2 + 1 rarest words only, so a word every label has ('requests') finds nothing by
    itself, and the facts a sentence reaches are few however many the fact base holds."""

    def __init__(self, facts: list[Fact]) -> None:
        self.stems = {f.id: _stems(f.label) for f in facts}
        frequency = Counter(stem for stems in self.stems.values() for stem in stems)
        self.listed: defaultdict[str, list[str]] = defaultdict(list)
        for fact_id, stems in self.stems.items():
            for stem in sorted(stems, key=lambda s: (frequency[s], s))[: len(stems) // 2 + 1]:
                self.listed[stem].append(fact_id)

    def overlaps(self, sentence: set[str]) -> dict[str, float]:
        reached = {fid for stem in sentence for fid in self.listed.get(stem, ())}
        shares = {fid: len(self.stems[fid] & sentence) / len(self.stems[fid]) for fid in reached}
        return {fid: share for fid, share in shares.items() if share >= LABEL_OVERLAP}


# --- numbers ----------------------------------------------------------------------------


def _number_finding(
    quantity: Quantity,
    unit: str | None,
    stated: str,
    about_what: _Reading,
    base: _FactBase,
    source: Source,
) -> Finding:
    def finding(verdict: Verdict, fact: Fact | None = None, caveat: str = "") -> Finding:
        return _finding(verdict, stated, about_what.sentence, source, fact, caveat)

    figure = (quantity.value, quantity.qualifier)
    if unit is None and _noun_left_out(quantity, about_what.sentence.text):
        # 'Moonshot AI accounted for more than 3.4 million.': the subject alone decides,
        # and only an equal figure counts, since the unit is not stated
        agreeing = base.in_order(
            f for s in about_what.named for f in base.by_subject_figure.get((s, *figure), ())
        )
        return finding(Verdict.AGREES, agreeing[0]) if agreeing else finding(Verdict.NEW)
    if unit is None:
        return finding(Verdict.NEW)
    about = _numbers_about(unit, about_what, base)
    for fact in about:
        if _same_quantity(fact, quantity):
            return finding(Verdict.AGREES, fact)
    if about:
        return finding(Verdict.DISAGREES, _closest(about, quantity.value))
    same = base.by_figure.get((unit, *figure))  # same figure and unit, someone else named
    return finding(Verdict.AGREES, same[0], _unnamed(same[0])) if same else finding(Verdict.NEW)


def _numbers_about(unit: str, about_what: _Reading, base: _FactBase) -> list[Fact]:
    """The number facts in ``unit`` whose subject the sentence names or, for a fact with no
    subject, whose label's words it shares."""
    named = [f for s in about_what.named for f in base.by_unit_subject.get((unit, s), ())]
    shared = (base.facts[fid] for fid in about_what.overlaps)
    return base.in_order(
        [
            *named,
            *(f for f in shared if f.kind == "number" and f.unit == unit and f.subject is None),
        ]
    )


def _same_quantity(fact: Fact, quantity: Quantity) -> bool:
    return fact.number == quantity.value and fact.qualifier == quantity.qualifier


def _closest(facts: list[Fact], value: Decimal) -> Fact:
    return min(facts, key=lambda f: (abs((f.number or Decimal(0)) - value), f.id))


def _stated_quantity(quantity: Quantity, text: str, end: int) -> str:
    """The figure as written, from its qualifier to its unit's noun: 'more than 24,000 fake
    accounts'."""
    start = quantity.start
    words = quantity.qualifier_words
    if words and words != "+":
        cut = text[: quantity.start].lower().rfind(words)
        start = cut if cut >= 0 else start
    return text[start:end].strip()


def _noun_left_out(quantity: Quantity, text: str) -> bool:
    """'… more than 3.4 million.': the figure ends its clause, its noun left to the reader."""
    return not re.match(r"\s*[A-Za-z]", text[quantity.end :])


def _unit_nouns(corpus: Corpus) -> list[tuple[str, str]]:
    """(noun, unit id) pairs, longest noun first: the register's units, else the facts' units."""
    pairs = {(noun.lower(), unit.id) for unit in corpus.units.values() for noun in unit.nouns}
    for fact in corpus.facts.values():
        if fact.kind == "number" and fact.unit and fact.unit not in corpus.units:
            pairs |= {(fact.unit.lower(), fact.unit), (fact.unit.lower().rstrip("s"), fact.unit)}
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


def _noun_pattern(noun: str) -> str:
    """A unit's noun after a figure; two words may stand between ('24,000 fake accounts')."""
    return r"\s+(?:[\w-]+\s+){0,2}?" + r"\s+".join(map(re.escape, noun.split())) + r"\b"


# --- dates ------------------------------------------------------------------------------


def _date_finding(
    mention: DateMention, about_what: _Reading, base: _FactBase, source: Source
) -> Finding:
    stated = mention.as_date()
    assert stated is not None
    sentence, named, overlaps = about_what.sentence, about_what.named, about_what.overlaps
    about = base.in_order(
        f
        for f in (base.facts[fid] for fid in overlaps)
        if f.kind == "date" and (f.subject is None or f.subject in named)
    )
    for fact in about:
        if _same_date(fact.date, stated):  # type: ignore[arg-type]
            return _finding(Verdict.AGREES, mention.text, sentence, source, fact)
    if about:
        best = max(about, key=lambda f: (overlaps[f.id], f.id))
        return _finding(Verdict.DISAGREES, mention.text, sentence, source, best)
    return _finding(Verdict.NEW, mention.text, sentence, source)


def _same_date(fact: PartialDate, stated: PartialDate) -> bool:
    return (fact.year, fact.month, fact.day) == (stated.year, stated.month, stated.day)


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "that",
        "which",
        "who",
    ]
)


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and not w.isdigit()}


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# --- subjects ---------------------------------------------------------------------------


def _unnamed(fact: Fact) -> str:
    if fact.subject is None:  # no register: the label's words were compared
        return "the sentence shares few words with the fact's label: check it is the same"
    return f"the sentence does not name the fact's subject ({fact.subject}): check it is the same"


# --- sentences --------------------------------------------------------------------------

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|No|Inc|Ltd|Co|Corp|Gov|Sen|Rep|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e|vs|approx)\.)$"
)
_BOUNDARY = re.compile(
    r"[.!?][\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])|\n[^\S\f]*\n|\n(?=[^\S\n\f]*(?:[•·▪‣◦*-]|\d{1,2}[.)])\s)"
)
"""Where a sentence ends: its full stop, a blank line, or the start of a list item."""
LONGEST_ABBREVIATION = 12
"""Characters before a full stop that can make it an abbreviation's ('approx.', 'U.S.')."""
_LIST_MARKER = re.compile(r"(?:[•·▪‣◦*-]|\d{1,2}[.)])\s+")


def _sentences(text: str) -> list[_Sentence]:
    """The sentences of a text, with their offsets (a blank line ends one; a sentence may run
    across a page break)."""
    sentences = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end() if match.group(0)[0] in ".!?" else match.start()
        if match.group(0)[0] == "." and _ABBREVIATIONS.search(
            text, max(start, match.end() - LONGEST_ABBREVIATION), match.end()
        ):
            continue
        sentences.extend(_sentence(text, start, end))
        start = match.end()
    sentences.extend(_sentence(text, start, len(text)))
    return [piece for sentence in sentences for piece in _of_reading_size(sentence)]


def _of_reading_size(sentence: _Sentence) -> list[_Sentence]:
    """The sentence, or if it is too long to quote (a table read as text), its lines, and a
    longer line in runs of words."""
    return [
        _Sentence(start, start + len(text), text)
        for start, text in of_reading_size(sentence.start, sentence.text)
    ]


def _sentence(text: str, start: int, end: int) -> list[_Sentence]:
    """The sentence in ``text[start:end]`` without its surrounding space, or the list items
    it holds (a list item, without its bullet, ends at its line end).

    A loop over offsets, never a copy of the rest: a thousand list items in one 'sentence'
    (no blank line between them) once recursed once per item, past Python's limit.
    """
    found: list[_Sentence] = []
    while True:
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if start == stop:
            return found
        marker = _LIST_MARKER.match(text, start, stop)
        if marker is None:
            found.append(_Sentence(start, stop, text[start:stop]))
            return found
        item_start = marker.end()
        line_end = text.find("\n", item_start, stop)
        if line_end < 0:
            found.append(_Sentence(item_start, stop, text[item_start:stop]))
            return found
        item = text[item_start:line_end].rstrip()
        found.append(_Sentence(item_start, item_start + len(item), item))
        start = line_end


def _finding(
    verdict: Verdict,
    stated: str,
    sentence: _Sentence,
    source: Source,
    fact: Fact | None = None,
    caveat: str = "",
) -> Finding:
    location = locate_in_source(source, sentence.start)
    return Finding(
        verdict,
        " ".join(stated.split()),
        quotable(sentence.text),
        location,
        pages_of(source, sentence.start, sentence.end),
        fact,
        caveat,
    )


# --- text -------------------------------------------------------------------------------


def as_text(source: Source, findings: tuple[Finding, ...]) -> str:
    """The triage as staff read it after `add-source` or `triage`."""
    if not findings:
        return f"triage: '{source.id}' states no figure or full date"
    lines = [f"triage: what '{source.id}' states, set against the fact base"]
    for verdict, heading in (
        (Verdict.AGREES, "agrees with the fact base (cite it):"),
        (Verdict.DISAGREES, "disagrees with the fact base (cite it with 'disagrees:'):"),
        (Verdict.NEW, "not in the fact base yet:"),
    ):
        group = [f for f in findings if f.verdict is verdict]
        if not group:
            continue
        lines.append(f"{heading} {len(group)}")
        for finding in group:
            lines.extend(_finding_lines(source, finding))
    return "\n".join(lines)


def _finding_lines(source: Source, finding: Finding) -> list[str]:
    where = f"line {finding.location.line}" + (
        f", {page_reference(finding.pages)}" if finding.pages else ""
    )
    fact = finding.fact
    if fact is None:
        return [f"  {in_quotes(finding.stated)} ({where}): {finding.quote}"]
    lines = [f"  {fact.id} ({_fact_value(fact)}): states {in_quotes(finding.stated)} ({where})"]
    if finding.caveat:
        lines.append(f"    note: {finding.caveat}")
    lines.append(f"      - source: {source.id}")
    lines.append(f"        quote: {_yaml_string(finding.quote)}")
    if finding.verdict is Verdict.DISAGREES:
        lines.append("        disagrees: <why this source states a different value>")
    return lines


def _fact_value(fact: Fact) -> str:
    if fact.kind == "date" and fact.date is not None:
        return format_date(fact.date)
    assert fact.number is not None
    shown = format_quantity(fact.number, fact.unit, fact.qualifier)
    return shown if unit_kind(fact.unit) != "number" else f"{shown} {fact.unit}"


def _yaml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
