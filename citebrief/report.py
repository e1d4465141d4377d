"""Turn problems and check results into text, JSON or GitHub annotations."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .check import CheckReport
from .common.characters import CONTROL
from .common.counts import counted
from .common.memo import per_run
from .errors import Problem, Severity, in_quotes
from .facts.display import page_reference


@dataclass(frozen=True)
class Shown:
    """How the user meets the output: the command they type, where paths start from."""

    command: str = "citebrief"
    """`citebrief`, or `python build.py` when that is how the tool was run."""
    path_prefix: str = ""
    """Prepended to project paths in GitHub annotations (the project's folder in its git repo)."""
    project: str = ""
    """The --project the user gave, as typed (quoted for the shell), or ''."""


PLAIN = Shown()


def as_run(text: str, shown: Shown) -> str:
    """Hints name commands as `citebrief …`; say them the way the user runs the tool, with
    the --project they gave (except for `init`, which makes a project)."""
    if shown.command == "citebrief" and not shown.project:
        return text
    with_project = shown.command + (f" --project {shown.project}" if shown.project else "")
    text = re.sub(r"`citebrief (?!init\b)", lambda _: f"`{with_project} ", text)
    return text.replace("`citebrief init", f"`{shown.command} init")


def format_problem(problem: Problem, texts: dict[str, str], shown: Shown = PLAIN) -> str:
    lines = [f"{problem.location}: {problem.severity.value}: {problem.message}"]
    source_line = _line_of(texts, problem.location.path, problem.location.line)
    if source_line is not None:
        shown_line = CONTROL.sub(_control_picture, source_line.rstrip()[:160])
        lines.append(f"  {problem.location.line:>4} | {shown_line}")
    if problem.hint:
        lines.append(f"  hint: {as_run(problem.hint, shown)}")
    return "\n".join(lines)


def _control_picture(match: re.Match[str]) -> str:
    """A control character echoed to a terminal would act (ring, erase); show its picture."""
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def _line_of(texts: dict[str, str], path: str, line: int) -> str | None:
    text = texts.get(path)
    if text is None:
        return None
    lines = _lines(text)
    return lines[line - 1] if 0 < line <= len(lines) else None


@per_run
def _lines(text: str) -> list[str]:
    """A file's lines, split once however many problems it has."""
    return text.split("\n")


def summary(report: CheckReport) -> str:
    corpus = report.corpus
    citations = sum(len(f.citations) for f in corpus.facts.values())
    exact = sum(1 for m in report.matches if m.exact)
    normalised = len(report.matches) - exact
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    return (
        f"{counted(len(corpus.sources), 'source')}, {counted(len(corpus.facts), 'fact')}, "
        f"{len(corpus.derived)} derived, {counted(citations, 'citation')} "
        f"({counted(exact, 'quote')} matched exactly, {normalised} after normalising); "
        f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
        + (f" ({len(report.acknowledged)} more acknowledged)" if report.acknowledged else "")
        + f", {counted(len(report.disagreements), 'declared disagreement')}"
    )


def format_text(report: CheckReport, shown: Shown = PLAIN) -> str:
    out = [format_problem(p, report.texts, shown) for p in report.problems]
    if report.disagreements:
        out.append("declared disagreements (kept, shown in the briefings):")
        for d in report.disagreements:
            where = f" ({page_reference(d.pages)})" if d.pages else ""
            out.append(
                f"  {d.fact_id}: fact says {d.fact_value}; '{d.source}' states "
                f"{in_quotes(d.stated)}{where} ({d.reason})"
            )
    if report.acknowledged:
        out.append("acknowledged warnings (not counted; the reason is printed in the evidence):")
        for item in report.acknowledged:
            out.append(f"  {item.problem.location}: {item.problem.message}")
            out.append(f"    acknowledged: {item.acknowledgement.reason}")
    out.append(summary(report))
    return "\n".join(out)


def format_json(report: CheckReport, shown: Shown = PLAIN) -> str:
    data: dict[str, Any] = {
        "problems": [_problem_json(p, shown) for p in report.problems],
        "disagreements": [
            {
                "fact": d.fact_id,
                "source": d.source,
                "fact_value": d.fact_value,
                "stated": d.stated,
                "pages": list(d.pages) if d.pages else None,
                "reason": d.reason,
                "location": str(d.location),
            }
            for d in report.disagreements
        ],
        "acknowledged": [
            {
                **_problem_json(item.problem, shown),
                "fact": item.problem.fact,
                "reason": item.acknowledgement.reason,
            }
            for item in report.acknowledged
        ],
        "quotes": [
            {
                "fact": m.fact_id,
                "source": m.citation.source,
                "match": "exact" if m.exact else "normalised",
                "at": str(m.location),
                "pages": list(m.pages) if m.pages else None,
            }
            for m in report.matches
        ],
        "summary": {
            "sources": len(report.corpus.sources),
            "facts": len(report.corpus.facts),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "disagreements": len(report.disagreements),
            "text": summary(report),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _problem_json(problem: Problem, shown: Shown) -> dict[str, Any]:
    return {
        "path": problem.location.path,
        "line": problem.location.line,
        "column": problem.location.column,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "hint": as_run(problem.hint, shown),
    }


def format_github(report: CheckReport, shown: Shown = PLAIN) -> str:
    out = []
    for p in report.problems:
        loc = p.location
        body = p.message + (f"\nhint: {as_run(p.hint, shown)}" if p.hint else "")
        path = shown.path_prefix + loc.path
        title = f"citebrief {p.code}" if p.code else "citebrief"
        out.append(
            f"::{p.severity.value} file={_escape_property(path)},line={loc.line},"
            f"col={loc.column},title={_escape_property(title)}::{_escape_data(body)}"
        )
    out.append(summary(report))
    return "\n".join(out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
