"""Page budgets: a memo fits its pages, predicted by `check` and held by the build."""

from __future__ import annotations

import contextlib
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from ..common.counts import counted
from ..common.files import UnsafeFile, read_confined
from ..common.write import make_real_folder, write_outputs
from ..document.model import Chart, Document, FigureRef
from ..document.plain import plain
from ..errors import Code, Location, Problem, ProblemsFound, error, warning
from ..facts.corpus import Project
from .chart import DrawnChart, frame_svg
from .footnotes import NotePlacement
from .html import layout_pages
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

LAYOUT_CODES = frozenset({Code.NOTE_PLACEMENT, Code.PAGE_BUDGET})
"""What only `check`'s page layout finds."""

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
    """`check`'s page layout: every briefing with a page budget, and every briefing with a
    note long enough that it may not fit at the foot of its page, is laid out by WeasyPrint
    (no PDF is written, and charts are empty frames of their size), unless its PDF for this
    very Document, templates and tool is built and on disk: the manifest's page count is
    then used for the budget. A briefing far too short to fill its budget is not laid out
    for it. Errors for a budget overrun; a warning for each note the build will print
    smaller or as an endnote, at the line that calls it."""
    budgeted = [d for d in documents if page_budget(d) is not None and not _surely_fits(d)]
    long_notes = [d for d in documents if _long_notes(d)]
    if not budgeted and not long_notes:
        return []

    out_dir = project.root / OUTPUT_DIR
    manifest = read_manifest(out_dir)
    templates = Theme.of(project.root).digest()
    problems = []
    laid_out = {id(d) for d in long_notes}
    for document in [*long_notes, *(d for d in budgeted if id(d) not in laid_out)]:
        pages = None
        if id(document) not in laid_out:
            pages = _built_pages(manifest.get(document.spec.name), document, templates, out_dir)
        placement = NotePlacement()
        if pages is None:
            pages, placement = _cached_layout(project, document, templates, out_dir)
        problems += placement_problems(document, placement)
        problem = page_budget_problem(document, pages)
        if problem is not None:
            problems.append(problem)
    return problems


LONG_NOTES_CHARACTERS = 3000
"""Notes called from one block that add up to this much text (about two fifths of a page of
notes) may not all fit at the foot of the page that calls them: `check` lays out a briefing
that has such a block, to say where the build will print them. (The example paper's most is
about 2,000.)"""


def _long_notes(document: Document) -> bool:
    lines = note_lines(document)
    per_block: dict[int, int] = {}
    for note in document.notes:
        line = lines.get(note.number, 0)
        per_block[line] = per_block.get(line, 0) + _text_size(plain(list(note.text)))
    return any(size >= LONG_NOTES_CHARACTERS for size in per_block.values())


def placement_problems(document: Document, placement: NotePlacement) -> list[Problem]:
    """A warning for each note the build prints smaller or at the end, naming its fact and
    placed at the briefing line that calls it."""
    if placement.all_endnotes:
        return [
            warning(
                Location(document.spec.path, document.spec.body_line, 1),
                Code.NOTE_PLACEMENT,
                f"the notes of '{document.spec.name}' cannot all be printed at the foot of "
                "their pages: the build prints every note at the end, under 'Notes'",
                "shorten the longest notes (a dispute's reason, a fact's note), or split the "
                "paragraphs that call many of them",
            )
        ]
    lines = note_lines(document)
    problems = []
    for number in sorted(placement.smaller | placement.endnotes):
        note = document.notes[number - 1]
        where = (
            "at the end, under 'Notes'"
            if number in placement.endnotes
            else "at the foot of its page in a smaller size"
        )
        problems.append(
            warning(
                Location(document.spec.path, lines.get(number) or document.spec.body_line, 1),
                Code.NOTE_PLACEMENT,
                f"note {number}, for fact '{note.fact_id}', is too long for the foot of its "
                f"page in the PDF: the build prints it {where}",
                "shorten the note (a dispute's reason, the fact's note), or move the sentence "
                "that calls it nearer the top of a page; the HTML and Word editions are "
                "not affected",
                fact=note.fact_id,
            )
        )
    return problems


def note_lines(document: Document) -> dict[int, int]:
    """The briefing line of the block that calls each note."""
    found: dict[int, int] = {}

    def walk(value: Any, line: int) -> None:
        if isinstance(value, FigureRef):
            if value.note is not None:
                found.setdefault(value.note, line)
        elif is_dataclass(value) and not isinstance(value, type):
            line = getattr(value, "line", 0) or line
            for item in fields(value):
                walk(getattr(value, item.name), line)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item, line)

    walk(document.blocks, 0)
    return found


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


def _cached_layout(
    project: Project, document: Document, templates: str, out_dir: Path
) -> tuple[int, NotePlacement]:
    """The page count and note placement recorded for this layout key, else laid out now
    and recorded (a first line with the page count, then the placement)."""
    cache = out_dir / LAYOUT_CACHE
    name = f"{layout_key(document, templates)}.pages"
    try:
        make_real_folder(cache, within=out_dir, create=False)
        text = read_confined(cache / name, out_dir).decode("ascii").strip()
        count, _, rest = text.partition("\n")
        placement = NotePlacement.from_text(rest)
        if count.isdigit() and int(count) > 0 and placement is not None:
            return int(count), placement
    except (OSError, UnsafeFile, UnicodeDecodeError, ProblemsFound):
        pass  # no record (or an unusable one): lay it out
    pages, placement = _laid_out_pages(project, document)
    record = f"{pages}\n{placement.as_text()}\n".encode()
    with contextlib.suppress(ProblemsFound):  # a cache not writable only costs time
        write_outputs(cache, {name: record}, within=out_dir)
    return pages, placement


def _laid_out_pages(project: Project, document: Document) -> tuple[int, NotePlacement]:
    """Pages of the print edition and where its notes go, laid out as the build lays it out
    (with each chart as an empty frame of its size)."""

    charts = {}
    for block in document.blocks:
        if isinstance(block, Chart):
            frame = frame_svg(block)
            charts[block.name] = DrawnChart(block.name, frame, frame, b"")
    return layout_pages(document, charts, project.root)


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
