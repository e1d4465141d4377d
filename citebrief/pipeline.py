"""The whole build, as the stages in order: check → compose → chart → render → write.

Each briefing's rendering is a pure function of its composed document and the project's
templates, so briefings are skipped when the hashes of their inputs are unchanged and
rendered in parallel processes otherwise.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check import CheckReport, check
from .common.files import UnsafeFile, read_confined
from .common.write import StagedOutputs, make_real_folder, sweep_stale_temp_files, write_outputs
from .document.model import Chart, Document, _plain
from .errors import CitebriefError, Location, Problem, ProblemsFound, Severity, error
from .facts.corpus import Project
from .render.chart import DrawnChart, cache_key, draw, frame_svg, inline_svg
from .render.docx import pandoc_version, render_docx
from .render.html import (
    compile_templates,
    forget_parsed_stylesheets,
    layout_pages,
    render_evidence_html,
    render_html,
    render_pdf,
)
from .render.manifest import (
    Entry,
    briefing_inputs,
    digest,
    inputs_key,
    manifest_bytes,
    read_manifest,
    tool_digest,
    up_to_date,
)
from .render.theme import REFERENCE_DOCX, Theme

OUTPUT_DIR = "output"
OUTPUT_SUFFIXES = (".html", ".pdf", ".docx", ".evidence.html")
"""The files every briefing builds into output/ (its name, then one of these)."""
CHART_CACHE = ".cache/charts"


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


@dataclass
class BuildResult:
    report: CheckReport
    built: list[BuiltBriefing] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


Progress = Callable[[str], None]


def build(
    project: Project,
    names: list[str] | None = None,
    out_dir: Path | None = None,
    progress: Progress = lambda _: None,
    jobs: int | None = None,
    force: bool = False,
    report: CheckReport | None = None,
) -> BuildResult:
    """Check everything, render what changed in memory, then write it all at once.

    ``report`` is a check just made of the same files (watch builds the briefing on
    screen first, then the rest, checking once).
    """

    report = report or check(project)
    if any(p.severity == Severity.ERROR for p in report.problems):
        raise ProblemsFound(report.problems, "the check failed, so nothing was built", report.texts)
    out_dir = out_dir or project.root / OUTPUT_DIR
    # a link (or a file) at output/ or its cache: refused before anything is read, swept or
    # removed (--force empties the cache: through a link that would delete outside the project)
    make_real_folder(out_dir / CHART_CACHE, within=out_dir, create=False)
    if out_dir.is_dir():
        sweep_stale_temp_files(out_dir)  # left by a build that was killed mid-write
    manifest = read_manifest(out_dir)
    templates = Theme.of(project.root).digest()
    tool = f"{tool_digest()} {pandoc_version()[0]}"  # a missing pandoc stops here, in one line
    todo: list[tuple[Document, str, dict[str, str]]] = []
    result = BuildResult(report)
    for document in _chosen(report.briefings, names):
        inputs = briefing_inputs(document, templates, tool)
        key = inputs_key(inputs)
        expected = {f"{document.spec.name}{suffix}" for suffix in OUTPUT_SUFFIXES}
        if not force and up_to_date(manifest.get(document.spec.name), key, out_dir, expected):
            result.skipped.append(document.spec.name)
        else:
            todo.append((document, key, inputs))
    if force:  # --force redraws charts too: the cache is only a cache
        import shutil

        shutil.rmtree(out_dir / CHART_CACHE, ignore_errors=True)
    if not todo:
        return result
    rendered = _rendered(project, [d for d, _, _ in todo], out_dir / CHART_CACHE, jobs, progress)
    with StagedOutputs(out_dir) as staged, closing(rendered):  # staged as each is done
        # the fonts every web edition uses: read, hashed and written once, not once a briefing
        shared = font_files(Theme.of(project.root).fonts())
        shared_digests = {n: digest(b) for n, b in shared.items()}
        staged.add(shared)
        for (document, key, inputs), done in zip(todo, rendered, strict=True):
            staged.add(done.files)
            made = {n: digest(b) for n, b in done.files.items()} | shared_digests
            manifest[document.spec.name] = Entry(
                key, inputs, dict(sorted(made.items())), done.built.pages
            )
            result.built.append(done.built)
        staged.add({"manifest.json": manifest_bytes(manifest)})
        staged.commit()  # every output appears at once, or (on any error) none does
    return result


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
    return [by_name[n] for n in dict.fromkeys(names)]  # a name given twice is built once


def _rendered(
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
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker) as pool:
        futures = [pool.submit(render_briefing, project, d, cache) for d in documents]
        try:
            for future in futures:
                yield future.result()
        except BaseException:  # a briefing failed: the ones not started are not rendered
            pool.shutdown(cancel_futures=True)
            raise


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


def render_briefing(
    project: Project, document: Document, cache: Path | None = None
) -> RenderedBriefing:
    """One briefing, from composed document to HTML, PDF and DOCX bytes (a pure function of its inputs)."""

    started = time.perf_counter()
    theme = Theme.of(project.root)
    fonts = theme.fonts()
    charts = {b.name: _chart(b, fonts, cache) for b in document.blocks if isinstance(b, Chart)}
    html = render_html(document, charts, project.root, for_print=False)
    print_html = render_html(document, charts, project.root, for_print=True)
    pdf, pages, complaints = render_pdf(print_html, charts, project.root)
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
    _check_page_budget(project, document, pages)
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


DEFAULT_PAGE_BUDGET = {"memo": 1}
"""Pages a briefing may fill when its front matter sets no ``max_pages``."""


def page_budget(document: Document) -> int | None:
    meta = document.spec.meta
    return meta.max_pages or DEFAULT_PAGE_BUDGET.get(meta.template)


def _check_page_budget(project: Project, document: Document, pages: int) -> None:

    try:
        text = read_confined(project.root / document.spec.path, project.root).decode("utf-8")
    except (OSError, UnsafeFile, UnicodeDecodeError):
        text = None  # the error then points at the front matter's first line
    problem = page_budget_problem(document, pages, text)
    if problem is not None:
        raise ProblemsFound([problem], "")  # the located error says it all, once


def page_budget_problem(document: Document, pages: int, text: str | None) -> Problem | None:
    """An error at the briefing's ``max_pages`` line (else its front matter's first line)
    when its PDF takes more pages than its budget; ``text``: the briefing file's text."""
    budget = page_budget(document)
    if budget is None or pages <= budget:
        return None
    kind = "memo" if document.spec.meta.template == "memo" else "paper"
    line = _front_matter_line(text or "", "max_pages")
    return error(
        Location(document.spec.path, line, 1),
        "page-budget",
        f"the {kind} '{document.spec.name}' takes {pages} pages; its page budget is {budget}",
        "shorten the text (or drop a chart), or set max_pages in the front matter "
        "if the longer length is intended",
    )


def _front_matter_line(text: str, field: str) -> int:
    lines = text.splitlines()
    for number, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            break
        if line.startswith(f"{field}:"):
            return number
    return 1


def page_budget_problems(
    project: Project, documents: list[Document], texts: Mapping[str, str]
) -> list[Problem]:
    """`check`'s page budget: every briefing with one is laid out by WeasyPrint (no PDF is
    written, and charts are empty frames of their size), unless its PDF for this very Document,
    templates and tool is built and on disk: the manifest's page count is then used. A
    briefing far too short to fill its budget is not laid out at all."""
    budgeted = [d for d in documents if page_budget(d) is not None and not _surely_fits(d)]
    if not budgeted:
        return []

    out_dir = project.root / OUTPUT_DIR
    manifest = read_manifest(out_dir)
    templates = Theme.of(project.root).digest()
    problems = []
    for document in budgeted:
        pages = _built_pages(manifest.get(document.spec.name), document, templates, out_dir)
        if pages is None:
            pages = _laid_out_pages(project, document)
        problem = page_budget_problem(document, pages, texts.get(document.spec.path))
        if problem is not None:
            problems.append(problem)
    return problems


def _built_pages(entry: Any, document: Document, templates: str, out_dir: Path) -> int | None:
    """The recorded page count of a PDF built from this Document, if it is still on disk."""

    if entry is None or not entry.pages:
        return None
    wanted = briefing_inputs(document, templates, "")
    same = all(entry.inputs.get(k) == wanted[k] for k in ("document", "templates"))
    if not same or not entry.inputs.get("tool", "").startswith(tool_digest()):
        return None
    pdf = f"{document.spec.name}.pdf"
    return entry.pages if up_to_date(entry, entry.key, out_dir, {pdf}) else None


def _laid_out_pages(project: Project, document: Document) -> int:
    """Pages of the print edition, laid out with each chart as an empty frame of its size."""

    charts = {}
    for block in document.blocks:
        if isinstance(block, Chart):
            frame = frame_svg(block)
            charts[block.name] = DrawnChart(block.name, frame, frame, b"")
    return layout_pages(
        render_html(document, charts, project.root, for_print=True), charts, project.root
    )


SURELY_FITS_CHARACTERS = 1200
"""Text (with notes, and 80 characters for each block) that fills no more than half a page."""


def _surely_fits(document: Document) -> bool:
    if any(isinstance(b, Chart) for b in document.blocks):
        return False

    size = _text_size(_plain(list(document.blocks))) + _text_size(_plain(list(document.notes)))
    return size + 80 * len(document.blocks) <= SURELY_FITS_CHARACTERS


def _text_size(value: Any) -> int:
    """Characters in every string of a plain (JSON-like) value: more than the reader sees."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_size(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_text_size(v) for v in value) + 10 * len(value)
    return 0


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
