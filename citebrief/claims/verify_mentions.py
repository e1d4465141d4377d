"""Verify stage, third part: a citation supports a fact only when one mention of the fact's
figure in the quote, read in its own sentence, agrees with the fact's claim on what the
figure is (its measure), how the sentence puts it (asserted, not denied, projected …), its
currency and the year it is for. The error names the one that fails, quoting the words.

Subject, unit and value are judged in verify.py and verify_claims.py on the same reading.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import Problem, error, in_quotes
from ..facts.display import unit_kind
from ..facts.measures import fact_measure
from ..model import Citation, Corpus, Fact
from .mentions import Currency, FigureKind, Mention, Modality, Register, read
from .reading import may_hold_cue
from .sentences import Context

_MODALITY_WORDS = {
    Modality.ASSERTED: "asserted",
    Modality.NEGATED: "negated",
    Modality.DENIED: "denied",
    Modality.UNCONFIRMED: "reported as unconfirmed",
    Modality.PROJECTED: "projected, not reported as fact",
    Modality.CONDITIONAL: "conditional",
    Modality.HEDGED: "hedged",
}


_LABEL_SAYS = {
    Modality.PROJECTED: re.compile(r"\b(?:estimat|project|forecast|expect|could|would)\w*", re.I),
    Modality.CONDITIONAL: re.compile(r"\b(?:if|unless|condition\w*)\b", re.I),
    Modality.DENIED: re.compile(r"\b(?:den(?:y|ies|ied|ial)|disput\w*|reject\w*)\b", re.I),
    Modality.UNCONFIRMED: re.compile(
        r"\b(?:unconfirmed|unverified|reported|not confirmed)\b", re.I
    ),
    Modality.HEDGED: re.compile(r"\b(?:may|might|possibl\w*|perhaps)\b", re.I),
    Modality.NEGATED: re.compile(r"\b(?:not|no|never|none)\b|n't\b", re.I),
}
"""Words in a fact's label that make it a claim of that kind ('Rise in the workload, as staff
estimate it' is a projection): its quotes may then put the figure the same way."""


def _label_allows(fact: Fact, modality: Modality) -> bool:
    pattern = _LABEL_SAYS.get(modality)
    return pattern is not None and pattern.search(fact.label) is not None


def quoted_mentions(context: Context, corpus: Corpus) -> list[Mention]:
    """The mentions of the figures the quote states, read in the context's sentences."""
    return [m for m in read(context.text, Register.of(corpus)) if context.inside(m.start, m.end)]


def check_mentions(
    fact: Fact, quoted: list[Citation], corpus: Corpus, contexts: dict[Citation, Context]
) -> list[Problem]:
    """For a number or date fact: each agreeing citation's mention of the fact's value must
    agree on measure, modality, currency and year."""
    if fact.kind not in ("number", "date"):
        return []
    measure, written = fact_measure(fact, corpus)
    if measure not in corpus.measures:
        measure = None  # an unknown measure is reported where the fact is validated
    problems: list[Problem] = []
    for citation in quoted:
        if citation.disagrees or not _can_fail(fact, measure, contexts[citation]):
            continue
        same = [m for m in quoted_mentions(contexts[citation], corpus) if _same_value(fact, m)]
        if not same:
            continue  # the value checks say what the quote states instead
        failures = [_failure(fact, m, measure, written, corpus) for m in same]
        if any(f is None for f in failures):
            continue
        code, message, hint, at_fact = next(f for f in failures if f is not None)
        where = (fact.measure_location or fact.value_location) if at_fact else citation.location
        problems.append(
            error(where, code, f"in the quote from '{citation.source}', {message}", hint)
        )
    return problems


def _can_fail(fact: Fact, measure: str | None, context: Context) -> bool:
    """Whether any part of ``_failure`` can fail for this fact and quote: without a measure,
    a sum, an as-of date or a word that puts a figure otherwise than as fact (in the whole
    context: a clause holds no word its sentence lacks), the reading would agree on all, so
    it is not made (at 10,000 facts, most are plain counts of plain sentences)."""
    return (
        measure is not None
        or unit_kind(fact.unit) == "money"
        or fact.as_of is not None
        or may_hold_cue(context.text)
    )


def _same_value(fact: Fact, m: Mention) -> bool:
    if fact.kind == "date":
        d, f = m.date, fact.date
        return bool(d and f and d.month == f.month and d.day == f.day and d.year in (None, f.year))
    if fact.number is None or m.value is None:
        return False
    if m.kind is FigureKind.FRACTION:
        return abs(m.value * 100 - fact.number) < Decimal("0.5")
    return fact.number in (m.value, m.high)


def _failure(
    fact: Fact, m: Mention, measure: str | None, written: bool, corpus: Corpus
) -> tuple[str, str, str, bool] | None:
    """The first part of the claim the mention does not agree on: (code, message, hint,
    whether the fact's line is the place to look), or None when it agrees on all."""
    words = in_quotes(m.words)
    if m.modality is not Modality.ASSERTED and not _label_allows(fact, m.modality):
        return (
            "figure-not-asserted",
            f"{words} is {_MODALITY_WORDS[m.modality]} ({in_quotes(m.modality_words)}), "
            f"not stated as fact",
            "cite words where a source states the figure as fact; if the fact is itself an "
            "estimate, a projection or a denial, say so in its label ('as staff estimate it', "
            "'projected', 'denied')",
            False,
        )
    if measure is not None and m.measure is not None and m.measure != measure:
        what = "date" if fact.kind == "date" else "figure"
        return (
            "measure-mismatch",
            f"{words} is the {what} of {_measure_name(m.measure)} "
            f"({in_quotes(m.measure_words)}), not of {_measure_name(measure)} "
            f"(measure: {measure}{'' if written else ', read from the label'})",
            f"cite the words where the source gives the {what} of {_measure_name(measure)}; "
            f"if the fact is about {_measure_name(m.measure)}, correct its label and measure",
            not written,
        )
    if measure is not None and m.measure is None and written:
        return (
            "measure-not-stated",
            f"the sentence does not say what {words} is: the fact's measure is "
            f"{_measure_name(measure)}, and none of its words ("
            + ", ".join(in_quotes(w) for w in corpus.measures[measure].words[:4])
            + ") stands with the figure",
            f"cite the words that say the figure is {_measure_name(measure)}; if the source "
            f"uses another word for it, add that word to measure '{measure}' in "
            "briefings/entities.yaml",
            False,
        )
    if unit_kind(fact.unit) == "money" and m.currency not in (None, Currency.USD):
        return (
            "currency-mismatch",
            f"{words} is in {m.currency}, not US dollars",
            "cite the words that state the sum in US dollars; citebrief does not convert "
            "currencies",
            False,
        )
    if fact.as_of is not None and m.year is not None and m.year != fact.as_of.year:
        return (
            "time-mismatch",
            f"{words} is for {m.year} ({in_quotes(m.year_words)}), but the fact is as of "
            f"{fact.as_of.isoformat()}",
            f"cite the words that give the figure for {fact.as_of.year}, or correct 'as_of:'",
            False,
        )
    return None


def _measure_name(measure: str) -> str:
    return f"'{measure}'"


def check_statement_mentions(
    fact: Fact, quoted: list[Citation], corpus: Corpus, contexts: dict[Citation, Context]
) -> list[Problem]:
    """A statement's own figures, read like a quote's: each must be stated in a quote with
    the same measure (when both say one) and put the same way ('ran 13 million' is not
    backed by 'denied running 13 million')."""
    if fact.kind != "text":
        return []
    register = Register.of(corpus)
    stated = [m for m in read(fact.text, register) if m.kind is not FigureKind.DATE]
    agreeing = [c for c in quoted if not c.disagrees]
    problems = []
    for mine in stated:
        theirs = [
            (c, m)
            for c in agreeing
            for m in quoted_mentions(contexts[c], corpus)
            if m.kind is mine.kind and m.value == mine.value
        ]
        if not theirs or any(_agrees(mine, m) for _, m in theirs):
            continue  # not stated at all: the figure check says so
        citation, other = theirs[0]
        what = (
            f"is {_MODALITY_WORDS[other.modality]} ({in_quotes(other.modality_words)})"
            if _mood(other) is not _mood(mine)
            else f"is the figure of {_measure_name(other.measure or '')} "
            f"({in_quotes(other.measure_words)}), not of {_measure_name(mine.measure or '')}"
        )
        problems.append(
            error(
                fact.value_location,
                "statement-figure-mismatch",
                f"the statement of fact '{fact.id}' gives {in_quotes(mine.words)}, but in the "
                f"quote from '{citation.source}' {in_quotes(other.words)} {what}",
                "write the statement as the source puts the figure, or cite the words that "
                "state it as the statement does",
            )
        )
    return problems


def _mood(m: Mention) -> Modality:
    """How a figure is put, negation aside: a statement's polarity is checked on its own."""
    return Modality.ASSERTED if m.modality is Modality.NEGATED else m.modality


def _agrees(mine: Mention, theirs: Mention) -> bool:
    if _mood(mine) is not _mood(theirs):
        return False
    return mine.measure is None or theirs.measure is None or mine.measure == theirs.measure
