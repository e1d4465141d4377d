"""The whole build, as the stages in order: check → compose → chart → render → write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .compose import Chart, Document
from .errors import CitebriefError, Location, ProblemsFound, Severity, error
from .project import CheckReport, Project, check

OUTPUT_DIR = "output"


@dataclass(frozen=True)
class BuiltBriefing:
    name: str
    pages: int
    html_bytes: int
    pdf_bytes: int
    seconds: float


@dataclass(frozen=True)
class RenderedBriefing:
    built: BuiltBriefing
    files: dict[str, bytes]


Progress = Callable[[str], None]


def build(
    project: Project,
    names: list[str] | None = None,
    out_dir: Path | None = None,
    progress: Progress = lambda _: None,
) -> tuple[CheckReport, list[BuiltBriefing]]:
    """Check everything, render the chosen briefings in memory, then write them all at once."""
    report = check(project)
    errors = [p for p in report.problems if p.severity == Severity.ERROR]
    if errors:
        raise ProblemsFound(report.problems, "the check failed, so nothing was built", report.texts)
    documents = _chosen(report.briefings, names)
    rendered = []
    for index, document in enumerate(documents, 1):
        progress(f"[{index}/{len(documents)}] {document.spec.name}: rendering")
        rendered.append(render_briefing(project, document))
    files = {name: data for r in rendered for name, data in r.files.items()}
    from .write import write_outputs

    write_outputs(out_dir or project.root / OUTPUT_DIR, files)
    return report, [r.built for r in rendered]


def _chosen(documents: list[Document], names: list[str] | None) -> list[Document]:
    if not names:
        return documents
    by_name = {d.spec.name: d for d in documents}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise CitebriefError(
            f"no briefing named '{unknown[0]}'",
            "briefings are the .md files in briefings/: " + ", ".join(sorted(by_name)),
        )
    return [by_name[n] for n in names]


def render_briefing(project: Project, document: Document) -> RenderedBriefing:
    """One briefing, from composed document to HTML and PDF bytes (a pure function of its inputs)."""
    from .chart import draw
    from .render import render_html, render_pdf

    started = time.perf_counter()
    fonts = project.root / "templates" / "fonts"
    charts = {b.name: draw(b, fonts) for b in document.blocks if isinstance(b, Chart)}
    html = render_html(document, charts, project.root, for_print=False)
    print_html = render_html(document, charts, project.root, for_print=True)
    pdf, pages, complaints = render_pdf(print_html, charts, project.root, document.spec.name)
    if complaints:
        raise ProblemsFound(
            [
                error(
                    Location(document.spec.path),
                    "render",
                    f"PDF rendering: {message}",
                    "every image needs alt text and every asset must live under templates/",
                )
                for message in complaints
            ],
            f"briefing '{document.spec.name}' did not render cleanly, so nothing was written",
        )
    name = document.spec.name
    files = {f"{name}.html": html.encode("utf-8"), f"{name}.pdf": pdf}
    built = BuiltBriefing(
        name, pages, len(files[f"{name}.html"]), len(pdf), time.perf_counter() - started
    )
    return RenderedBriefing(built, files)
