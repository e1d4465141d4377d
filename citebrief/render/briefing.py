"""Render one briefing: charts, HTML, PDF, DOCX and the evidence page, as bytes in memory."""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..common.files import UnsafeFile, read_confined
from ..common.write import write_outputs
from ..document.model import Chart, Document
from ..errors import Location, ProblemsFound, error
from ..facts.corpus import Project
from .chart import DrawnChart, cache_key, draw, inline_svg
from .docx import render_docx
from .html import (
    compile_templates,
    forget_parsed_stylesheets,
    render_briefing_pdf,
    render_evidence_html,
    render_html,
)
from .manifest import CHART_CACHE
from .pages import check_page_budget
from .theme import REFERENCE_DOCX, Theme


@dataclass(frozen=True)
class BuiltBriefing:
    name: str
    pages: int
    html_bytes: int
    pdf_bytes: int
    docx_bytes: int
    seconds: float


@dataclass(frozen=True)
class RenderedBriefing:
    built: BuiltBriefing
    files: dict[str, bytes]


Progress = Callable[[str], None]


def rendered_briefings(
    project: Project, documents: list[Document], cache: Path, jobs: int | None, progress: Progress
) -> Generator[RenderedBriefing, None, None]:
    """Each document rendered, in order, each as soon as it is done (in ``jobs`` processes)."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(documents)))
    for index, document in enumerate(documents, 1):
        progress(f"[{index}/{len(documents)}] {document.spec.name}: rendering")
    if jobs == 1:
        for document in documents:
            yield render_briefing(project, document, cache)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    if context.get_start_method() == "fork":
        warm_renderers(project)
    gc.freeze()  # what the workers inherit stays shared: their collector never writes to it
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker) as pool:
            futures = [pool.submit(render_briefing, project, d, cache) for d in documents]
            try:
                for future in futures:
                    yield future.result()
            except BaseException:  # a briefing failed: the ones not started are not rendered
                pool.shutdown(cancel_futures=True)
                raise
    finally:
        gc.unfreeze()


def _worker() -> None:
    """In each worker as it starts: what it parsed and loaded is let go as it exits."""
    from multiprocessing.util import Finalize

    Finalize(None, forget_parsed_stylesheets, exitpriority=10)


def warm_renderers(project: Project) -> None:
    """What every worker would otherwise do first, done once before forking: import
    WeasyPrint and matplotlib (≈0.8 s of CPU) and compile the templates (≈0.06 s)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure
    import matplotlib.font_manager
    import weasyprint  # noqa: F401

    compile_templates(project.root)


def _render_hint(complaint: str) -> str:
    """What to do about one of WeasyPrint's complaints, in words."""
    if ".notdef glyph" in complaint:  # a character no font has: it would print as a box
        return (
            "no font citebrief uses (nor any on this machine) has this character, so it would "
            "print as an empty box: write the name in Latin letters (a transliteration), or "
            "add a font that has it under templates/ with an @font-face rule"
        )
    return "every image needs alt text and every asset must live under templates/"


def render_briefing(
    project: Project, document: Document, cache: Path | None = None
) -> RenderedBriefing:
    """One briefing, from composed document to HTML, PDF and DOCX bytes (a pure function of its inputs)."""

    started = time.perf_counter()
    theme = Theme.of(project.root)
    fonts = theme.fonts()
    charts = {b.name: _chart(b, fonts, cache) for b in document.blocks if isinstance(b, Chart)}
    html = render_html(document, charts, project.root, for_print=False)
    pdf, pages, complaints, _ = render_briefing_pdf(document, charts, project.root)
    if complaints:
        raise ProblemsFound(
            [
                error(
                    Location(document.spec.path),
                    "render",
                    f"PDF rendering: {message}",
                    _render_hint(message),
                )
                for message in complaints
            ],
            f"briefing '{document.spec.name}' did not render cleanly, so nothing was written",
        )
    check_page_budget(document, pages)
    name = document.spec.name
    files = {
        f"{name}.html": html.encode("utf-8"),
        f"{name}.pdf": pdf,
        f"{name}.docx": render_docx(
            document, {c.name: c.png for c in charts.values()}, theme.find(REFERENCE_DOCX)
        ),
        f"{name}.evidence.html": render_evidence_html(document, project.root).encode("utf-8"),
    }
    sizes = (len(files[f"{name}.html"]), len(pdf), len(files[f"{name}.docx"]))
    built = BuiltBriefing(name, pages, *sizes, time.perf_counter() - started)
    return RenderedBriefing(built, files)


def font_files(fonts: dict[str, Path]) -> dict[str, bytes]:
    """The fonts and their licences, written beside the HTML so the screen uses them."""
    return {f"fonts/{name}": path.read_bytes() for name, path in sorted(fonts.items())}


def _chart(chart: Chart, fonts: dict[str, Path], cache: Path | None):
    """Draw a chart, or take it from the cache when nothing that shapes the drawing changed."""

    key = cache_key(chart, fonts)
    if cache is not None:
        svg_file, png_file = cache / f"{key}.svg", cache / f"{key}.png"
        cached = _cached_chart(svg_file, png_file, cache)
        if cached is not None:
            svg, png = cached
            return DrawnChart(chart.name, svg, inline_svg(svg, chart), png)
    drawn = draw(chart, fonts)
    if cache is not None:
        files = {f"{key}.svg": drawn.svg.encode("utf-8"), f"{key}.png": drawn.png}
        write_outputs(cache, files, within=cache.parents[len(Path(CHART_CACHE).parts) - 1])
    return drawn


def _cached_chart(svg_file: Path, png_file: Path, cache: Path) -> tuple[str, bytes] | None:
    """A cached drawing, read like any project file (no link out, no device); None if absent."""

    try:
        svg = read_confined(svg_file, cache).decode("utf-8")
        return svg, read_confined(png_file, cache)
    except (OSError, UnsafeFile, UnicodeDecodeError):
        return None  # drawn again
