"""Page budgets: a memo fits its pages, predicted by `check` and held by the build."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from ..common.counts import counted
from ..common.files import UnsafeFile, read_confined
from ..common.write import make_real_folder, write_outputs
from ..document.model import Chart, Document
from ..document.plain import plain
from ..errors import Location, Problem, ProblemsFound, error
from ..facts.corpus import Project
from .chart import DrawnChart, frame_svg
from .html import (
    layout_pages,
    render_html,
)
from .manifest import (
    OUTPUT_DIR,
    briefing_inputs,
    digest,
    read_manifest,
    renderer_versions,
    tool_digest,
    up_to_date,
)
from .theme import Theme

DEFAULT_PAGE_BUDGET = {"memo": 1}
"""Pages a briefing may fill when its front matter sets no ``max_pages``."""


def page_budget(document: Document) -> int | None:
    meta = document.spec.meta
    return meta.max_pages or DEFAULT_PAGE_BUDGET.get(meta.template)


def check_page_budget(document: Document, pages: int) -> None:
    problem = page_budget_problem(document, pages)
    if problem is not None:
        raise ProblemsFound([problem], "")  # the located error says it all, once


def page_budget_problem(document: Document, pages: int) -> Problem | None:
    """An error at the briefing's ``max_pages`` line (else its front matter's first line)
    when its PDF takes more pages than its budget."""
    budget = page_budget(document)
    if budget is None or pages <= budget:
        return None
    kind = "memo" if document.spec.meta.template == "memo" else "paper"
    return error(
        Location(document.spec.path, document.spec.line_of("max_pages"), 1),
        "page-budget",
        f"the {kind} '{document.spec.name}' takes {counted(pages, 'page')}; its page budget is {budget}",
        "shorten the text (or drop a chart), or set max_pages in the front matter "
        "if the longer length is intended",
    )


def page_budget_problems(project: Project, documents: list[Document]) -> list[Problem]:
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
            pages = _cached_layout(project, document, templates, out_dir)
        problem = page_budget_problem(document, pages)
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


LAYOUT_CACHE = ".cache/layout"
"""Page counts of laid-out briefings, one small file per layout key: CI restores this folder
(a fresh checkout has no PDFs) instead of laying out every budgeted memo again."""


def layout_key(document: Document, templates: str) -> str:
    """Everything that shapes the print layout: the Document, the templates, CSS and fonts,
    the tool and every renderer's version (WeasyPrint, pydyf, Pango, HarfBuzz, …)."""
    parts = [digest(document.compact_json()), templates, tool_digest(), renderer_versions()]
    return digest("\n".join(parts))


def _cached_layout(project: Project, document: Document, templates: str, out_dir: Path) -> int:
    """The page count recorded for this layout key, else laid out now and recorded."""
    cache = out_dir / LAYOUT_CACHE
    name = f"{layout_key(document, templates)}.pages"
    try:
        make_real_folder(cache, within=out_dir, create=False)
        text = read_confined(cache / name, out_dir).decode("ascii").strip()
        if text.isdigit() and int(text) > 0:
            return int(text)
    except (OSError, UnsafeFile, UnicodeDecodeError, ProblemsFound):
        pass  # no record (or an unusable one): lay it out
    pages = _laid_out_pages(project, document)
    with contextlib.suppress(ProblemsFound):  # a cache not writable only costs time
        write_outputs(cache, {name: f"{pages}\n".encode()}, within=out_dir)
    return pages


def _laid_out_pages(project: Project, document: Document) -> int:
    """Pages of the print edition, laid out with each chart as an empty frame of its size."""

    charts = {}
    for block in document.blocks:
        if isinstance(block, Chart):
            frame = frame_svg(block)
            charts[block.name] = DrawnChart(block.name, frame, frame, b"")
    pages, missing = layout_pages(
        render_html(document, charts, project.root, for_print=True), charts, project.root
    )
    if missing:  # the build falls back to endnotes: count the pages it will print
        endnotes = render_html(document, charts, project.root, for_print=True, endnotes=True)
        pages, _ = layout_pages(endnotes, charts, project.root)
    return pages


SURELY_FITS_CHARACTERS = 1200
"""Text (with notes, and 80 characters for each block) that fills no more than half a page."""


def _surely_fits(document: Document) -> bool:
    if any(isinstance(b, Chart) for b in document.blocks):
        return False

    size = _text_size(plain(list(document.blocks))) + _text_size(plain(list(document.notes)))
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
