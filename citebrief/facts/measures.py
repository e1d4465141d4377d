"""Measures: what a figure is. A date's event (issued, released, published, effective,
announced, signed: built in) or what a number counts or rates (a tariff, a revenue share:
the register's `measures:`). A fact names its measure with `measure:`; failing that, a
label that names exactly one measure of the fact's kind ('BIS publishes the rule') gives it.
"""

from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass

from ..common.suggest import did_you_mean
from ..errors import Problem, error, in_quotes, spacing_note
from ..model import BUILTIN_MEASURES, Corpus, Fact, Measure
from .load import Loaded
from .parse import parse_model
from .register import ENTITY_ID, REGISTER_FILE
from .schema import RegisterFile


def validate_measures(loaded: Loaded) -> tuple[dict[str, Measure], list[Problem]]:
    """The register's `measures:`, added to the built-in date events."""
    measures = dict(BUILTIN_MEASURES)
    raw = loaded.value if isinstance(loaded.value, dict) else {}
    if not raw.get("measures"):
        return measures, []
    parsed, _ = parse_model(RegisterFile, raw, loaded, (), "entities file")
    if parsed is None:
        return measures, []  # validate_register reports the same problems
    problems: list[Problem] = []
    for i, m in enumerate(parsed.measures):
        where = loaded.at(("measures", i, "id"))
        if not ENTITY_ID.match(m.id):
            problems.append(
                error(
                    where,
                    "unsafe-id",
                    f"measure id {in_quotes(m.id)}{spacing_note(m.id)} is not a safe name",
                    "use lowercase letters, digits and single hyphens, e.g. 'revenue-share'",
                )
            )
            continue
        if m.id in measures and measures[m.id].location is not None:
            problems.append(
                error(where, "duplicate-id", f"measure '{m.id}' is listed twice", "keep one")
            )
            continue
        builtin = BUILTIN_MEASURES.get(m.id)
        words = tuple(dict.fromkeys([*(builtin.words if builtin else ()), *m.words]))
        measures[m.id] = Measure(m.id, words, m.kind == "date", loaded.at(("measures", i)))
    return measures, problems


def fact_measure(fact: Fact, corpus: Corpus) -> tuple[str | None, bool]:
    """The fact's measure and whether it was written (True) or read from its label (False)."""
    if fact.measure is not None:
        return fact.measure, True
    return _label_measure(fact.label, fact.kind == "date", corpus), False


def _label_measure(label: str, dates: bool, corpus: Corpus) -> str | None:
    words = _words_of(tuple(corpus.measures.values()))
    if words.first is not None and words.first.isdisjoint(_TOKEN.findall(label.lower())):
        return None  # no measure word starts in the label: the pattern cannot match
    named = {
        i
        for m in words.pattern.finditer(label)
        for i in words.ids.get((" ".join(m.group(0).lower().split()), dates), ())
    }
    return named.pop() if len(named) == 1 else None


_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class _MeasureWords:
    """One pattern for every measure word of a register, the measures each word states,
    and the first token of each word (a label holding none of them names no measure)."""

    pattern: re.Pattern[str]
    ids: dict[tuple[str, bool], set[str]]
    first: frozenset[str] | None
    """None when a word has no letter or digit to screen by."""


@functools.cache
def _words_of(measures: tuple[Measure, ...]) -> _MeasureWords:
    ids: collections.defaultdict[tuple[str, bool], set[str]] = collections.defaultdict(set)
    for m in measures:
        for word in m.words:
            ids[(" ".join(word.lower().split()), m.dates)].add(m.id)
    words = sorted({w for w, _ in ids}, key=len, reverse=True)
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or "(?!)"
    pattern = re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])", re.I)
    tokens = [_TOKEN.findall(w)[:1] for w in words]
    first = frozenset(t[0] for t in tokens if t) if all(tokens) else None
    return _MeasureWords(pattern, dict(ids), first)


def check_fact_measures(corpus: Corpus) -> list[Problem]:
    """A fact's `measure:` is a known measure of the fact's kind."""
    problems = []
    for fact in corpus.facts.values():
        if fact.measure is None:
            continue
        where = fact.measure_location or fact.location
        measure = corpus.measures.get(fact.measure)
        if fact.kind not in ("date", "number"):
            problems.append(
                error(
                    where,
                    "measure-of-statement",
                    f"fact '{fact.id}' is a statement: 'measure:' is for a date or a number",
                    "remove 'measure:'",
                )
            )
        elif measure is None:
            problems.append(_unknown(fact, corpus))
        elif measure.dates != (fact.kind == "date"):
            what = "a date's event" if measure.dates else "what a number counts or rates"
            problems.append(
                error(
                    where,
                    "measure-kind",
                    f"measure '{fact.measure}' of fact '{fact.id}' is {what}, but the fact is a "
                    f"{fact.kind}",
                    "name a measure of the fact's kind: "
                    + ", ".join(_of_kind(corpus, fact.kind == "date")),
                )
            )
    return problems


def _of_kind(corpus: Corpus, dates: bool) -> list[str]:
    return sorted(m.id for m in corpus.measures.values() if m.dates == dates) or ["(none yet)"]


def _unknown(fact: Fact, corpus: Corpus) -> Problem:
    assert fact.measure is not None
    dates = fact.kind == "date"
    known = _of_kind(corpus, dates)
    add = f"add it under 'measures:' in {REGISTER_FILE} with the words that state it" + (
        " and 'kind: date'" if dates else ""
    )
    return error(
        fact.measure_location or fact.location,
        "unknown-measure",
        f"measure '{fact.measure}' of fact '{fact.id}' is not a known "
        + ("date event" if dates else "measure"),
        did_you_mean(fact.measure, {k: None for k in known})
        + f"the {'events' if dates else 'measures'} are: {', '.join(known)}; {add}",
    )
