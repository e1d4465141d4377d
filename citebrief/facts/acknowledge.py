"""Warnings staff have weighed and accepted: `acknowledge:` on a fact, with a reason.

An acknowledged warning is not counted (so `check --strict` can gate CI) but is never
hidden: check lists it with its reason, and the evidence appendix prints the reason. An
acknowledgement that no longer matches a warning is itself a warning, so none outlives
the problem it excused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem, Severity, warning
from ..model import Acknowledgement, Corpus


@dataclass(frozen=True)
class Acknowledged:
    """A warning check found, and the acknowledgement that accepts it."""

    problem: Problem
    acknowledgement: Acknowledgement


def apply_acknowledgements(
    problems: list[Problem], corpus: Corpus, not_checked: frozenset[str] | None = None
) -> tuple[list[Problem], list[Acknowledged]]:
    """Split off acknowledged warnings; add a warning for every acknowledgement left unused
    (except those of ``not_checked`` codes: warnings this run did not look for)."""
    kept: list[Problem] = []
    accepted: list[Acknowledged] = []
    used: set[tuple[str, str]] = set()
    for problem in problems:
        fact = corpus.facts.get(problem.fact) if problem.fact else None
        match = next(
            (a for a in (fact.acknowledged if fact else ()) if a.code == problem.code), None
        )
        if problem.severity == Severity.WARNING and fact is not None and match is not None:
            accepted.append(Acknowledged(problem, match))
            used.add((fact.id, match.code))
        else:
            kept.append(problem)
    for fact in corpus.facts.values():
        for ack in fact.acknowledged:
            if (fact.id, ack.code) not in used and ack.code not in (not_checked or ()):
                kept.append(_unused(fact.id, ack))
    return kept, accepted


def _unused(fact_id: str, ack: Acknowledgement) -> Problem:
    return warning(
        ack.location,
        "acknowledgement-unused",
        f"fact '{fact_id}' acknowledges '{ack.code}', but check gives no such warning for it",
        "remove this acknowledgement: the warning it accepted is gone",
    )
