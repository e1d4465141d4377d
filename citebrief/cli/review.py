"""`citebrief review CLEARED.docx`: what came back from clearance, placed in the sources."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..check import check
from ..common.counts import counted
from ..errors import CitebriefError, Severity
from ..report import format_problem
from ..review import describe, review, which_briefing
from ..review.apply import Outcome
from .context import EXIT_OK, EXIT_PROBLEMS, command_here, project_of, shown


def run_review(args: argparse.Namespace, out: TextIO) -> int:
    project = project_of(args)
    docx = args.file
    if not docx.is_file():
        raise CitebriefError(f"{docx} is not a file", "give the path of the cleared .docx")
    report = check(project)
    document = which_briefing(docx, report.briefings, args.briefing)
    result = review(
        project.root, docx, document, report.corpus, apply=args.apply, named=bool(args.briefing)
    )
    texts = dict(report.texts)
    for problem in result.problems:
        print(format_problem(problem, texts, shown()), file=out)
    if args.apply:
        for outcome in result.applied:
            print(_outcome(outcome, result.briefing), file=out)
    figures = sum(1 for p in result.problems if p.severity == Severity.ERROR)
    print(_summary(docx.name, result.briefing, result.changes, figures, result.applied), file=out)
    return EXIT_PROBLEMS if figures else EXIT_OK


def _outcome(outcome: Outcome, path: str) -> str:
    what = describe(outcome.placed.changes)
    if outcome.applied:
        return f"{path}:{outcome.line}:1: applied: {what}"
    line = outcome.placed.written.line if outcome.placed.written else 1
    return f"{path}:{line}:1: not applied: {what}: {outcome.reason}"


def _summary(name: str, briefing: str, count: int, figures: int, applied: list[Outcome]) -> str:
    if not count:
        return f"{name}: no tracked changes or comments (made from {briefing})"
    text = f"{name}: {counted(count, 'tracked change')} and comments, made from {briefing}"
    if figures:
        text += f"; {counted(figures, 'change')} a figure: change the fact, with a source"
    made = sum(1 for o in applied if o.applied)
    if applied:
        text += f"; {counted(made, 'prose change')} made in {briefing}"
        text += f" (run `{command_here()} check`)"
    return text
