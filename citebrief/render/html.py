"""Render stage: a composed Document and its drawn charts become HTML and PDF bytes.

Jinja runs with autoescape and StrictUndefined; a template error is reported with the
template's file and line. WeasyPrint is imported only here, and reads nothing but what
``ProjectFetcher`` allows.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..common.counts import counted
from ..common.typography import NOTE_GAP, quoted, unbroken
from ..document.model import UNCONFIRMED, Chart, Document, FigureStyle
from ..document.notes import pinpoint
from ..errors import Location, ProblemsFound, error
from ..facts.display import format_date
from ..model import PartialDate
from .chart import DrawnChart
from .footnotes import (
    ALL_ENDNOTES,
    AT_THE_FOOT,
    NotePlacement,
    keep_footnotes_of_kept_lines,
    missing_notes,
)
from .layout import AS_WRITTEN, PageFit, remedy, worst_blank
from .template_loader import ConfinedLoader, TemplateRefused, read_template_text
from .theme import DEFAULTS, PROJECT_TEMPLATES, Theme

TEMPLATES = PROJECT_TEMPLATES
T = TypeVar("T")


def jinja_environment(theme: Theme) -> jinja2.Environment:
    """Templates from the project's templates/ first, then citebrief's defaults.

    One environment per theme and set of files is kept: compiling the templates was most
    of an HTML render, three times per briefing. Jinja reloads a template whose file
    changed; a file added or removed makes a new environment.
    """
    return _environment(theme, tuple(theme.files()))


@functools.lru_cache(maxsize=4)
def _environment(theme: Theme, names: tuple[str, ...]) -> jinja2.Environment:
    # Sandboxed: a project's templates are files anyone with commit rights (or a pull
    # request CI builds) can change; they may format the Document, never reach Python
    # internals ('cycler.__init__.__globals__.os') or change the values they are given.
    env = ImmutableSandboxedEnvironment(
        loader=ConfinedLoader(theme.layers),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = house_date
    env.filters["quoted"] = quoted
    env.filters["pinpoint"] = lambda pages: pinpoint(tuple(pages))
    env.filters["upper_first"] = lambda text: text[:1].upper() + text[1:]
    env.filters["counted"] = counted
    return env


@jinja2.pass_context
def house_date(context: Any, date: dt.date) -> str:
    """The ``date`` filter: a day as the house writes dates, on one line."""
    house = context["doc"].spec.house
    return unbroken(format_date(PartialDate(date.year, date.month, date.day), house.dates))


def compile_templates(project_root: Path) -> None:
    """Compile every template of the theme now (before forking workers, each of which would
    compile them again); a broken one is left to be reported when a briefing uses it."""
    theme = Theme.of(project_root)
    env = jinja_environment(theme)
    for name in theme.files():
        if name.endswith(".j2"):
            with contextlib.suppress(jinja2.TemplateError):
                env.get_template(name)


def render_html(
    document: Document,
    charts: dict[str, DrawnChart],
    project_root: Path,
    for_print: bool,
    placement: NotePlacement = AT_THE_FOOT,
    fit: PageFit = AS_WRITTEN,
) -> str:
    """The HTML page, or (``for_print``) the page WeasyPrint lays out: notes at the foot of
    their page, except those ``placement`` sets smaller or moves to the end (the fallback
    when WeasyPrint cannot print a note at the foot of its page)."""
    env = jinja_environment(Theme.of(project_root))
    template_name = f"{document.spec.meta.template}.html.j2"
    context = template_context(document, charts, for_print, project_root)
    context["placement"] = placement
    context["fit"] = fit
    return _render(env, template_name, context, project_root)


def _render(
    env: jinja2.Environment, template_name: str, context: dict[str, Any], project_root: Path
) -> str:
    try:
        html = env.get_template(template_name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise _template_problem(
            exc.filename or template_name, exc.lineno, exc.message or "", project_root
        ) from exc
    except (TemplateRefused, jinja2.TemplateNotFound) as exc:
        filename, line = _template_frame(exc, project_root)
        raise _template_problem(
            filename or template_name, line, str(exc), project_root, TEMPLATE_FILE_HINT
        ) from exc
    except SecurityError as exc:
        filename, line = _template_frame(exc, project_root)
        raise _template_problem(
            filename or template_name, line, str(exc), project_root, SANDBOX_HINT
        ) from exc
    except jinja2.TemplateError as exc:
        filename, line = _template_frame(exc, project_root)
        raise _template_problem(filename or template_name, line, str(exc), project_root) from exc
    return html


SANDBOX_HINT = (
    "templates may show the values they are given (doc, meta and the filters), but not "
    "reach into Python ('__globals__', '__class__' and the like) or change those values"
)


TEMPLATE_FILE_HINT = (
    "templates are read only from ordinary files inside templates/: "
    "copy the file there instead of linking to it, and check the name"
)


def _template_frame(exc: BaseException, root: Path) -> tuple[str | None, int]:
    tb = exc.__traceback__
    found: tuple[str | None, int] = (None, 1)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_problem(
    filename: str,
    line: int,
    message: str,
    root: Path,
    hint: str = "fix the template at this line; every variable a template uses must exist",
) -> ProblemsFound:
    path = Path(filename)
    if path.is_absolute() and path.is_relative_to(root):
        rel = path.relative_to(root).as_posix()
    elif path.is_absolute() and path.is_relative_to(DEFAULTS):
        rel = f"templates/{path.relative_to(DEFAULTS).as_posix()}"
    else:
        rel = f"{TEMPLATES}/{filename}"
    problem = error(
        Location(rel, line or 1, 1),
        "template",
        f"template error: {message}",
        hint,
    )
    return ProblemsFound([problem], "a template failed to render")


def template_context(
    document: Document, charts: dict[str, DrawnChart], for_print: bool, project_root: Path
) -> dict[str, Any]:
    """Everything a template may use, built in one place: the Document and how to show it."""

    def chart_figure(block: Chart) -> Markup:
        if for_print:
            return Markup(f'<img src="chart/{escape(block.name)}.svg" alt="{escape(block.alt)}">')
        return Markup(charts[block.name].inline_svg)

    meta = document.spec.meta
    return {
        "doc": document,
        "meta": meta,
        "for_print": for_print,
        "placement": AT_THE_FOOT,
        "fit": AS_WRITTEN,
        "chart_figure": chart_figure,
        "css": _css(project_root),
        "kind_of_briefing": "memo" if meta.template == "memo" else "paper",
        "figure_class": FIGURE_CLASSES,
        "unconfirmed": UNCONFIRMED,
        "note_gap": NOTE_GAP,
        "evidence_ids": frozenset(item.fact_id for item in document.evidence)
        | frozenset(item.fact_id for item in document.computed_evidence),
    }


FIGURE_CLASSES = {
    FigureStyle.FIGURE.value: "fig",
    FigureStyle.STATEMENT.value: "fig statement",
    FigureStyle.UNKNOWN.value: "unknown-value",
}


def _stylesheet(theme: Theme, project_root: Path, name: str) -> str:
    try:
        return read_template_text(theme.layers, name)
    except TemplateRefused as exc:
        raise _template_problem(name, 1, str(exc), project_root, TEMPLATE_FILE_HINT) from exc


def _css(project_root: Path) -> Markup:
    theme = Theme.of(project_root)
    css = _stylesheet(theme, project_root, "fonts.css")
    css += _stylesheet(theme, project_root, "briefing.css")
    return Markup(css.replace("</", "<\\/"))


def render_evidence_html(document: Document, project_root: Path) -> str:
    """The reviewers' companion page: every quotation behind the briefing's figures."""
    env = jinja_environment(Theme.of(project_root))
    context = template_context(document, {}, False, project_root)
    return _render(env, "evidence.html.j2", context, project_root)


# --- PDF ---------------------------------------------------------------------------------


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


FOOTNOTE_FALLBACKS = (
    "",
    "@page { @footnote { border-top: none; padding-top: 4mm; } }",
    "@page { @footnote { border-top: 1px solid #b8c2cc; padding-top: 8px; } }",
    "@page { @footnote { border-top: 0.5pt solid #b8c2cc; padding-top: 3mm; } }",
    "p { orphans: 3; widows: 3; }",
)
"""WeasyPrint 70 can drop a footnote body when the footnote area nearly overflows
(Kozea/WeasyPrint#2502); each layout is checked and, if a body is missing, laid out
again with a slightly different footnote area, then with paragraphs broken less readily
(which moves the page breaks themselves). The choice is deterministic."""


def render_pdf(
    print_html: str, charts: dict[str, DrawnChart], project_root: Path
) -> tuple[bytes, int, list[str], list[int]]:
    """A print page as PDF, laid out as a briefing is but with no note moved: its bytes,
    page count, any complaints, and the numbers of notes printed on no page."""
    templates = Theme.of(project_root).base
    return _pdf(lambda fetcher: best_layout(print_html, templates, fetcher), charts, project_root)


def render_briefing_pdf(
    document: Document, charts: dict[str, DrawnChart], project_root: Path
) -> tuple[bytes, int, list[str], NotePlacement]:
    """Lay out and write a briefing's PDF; return its bytes, page count, any complaints,
    and where notes that did not fit at the foot of their page were placed."""

    def lay(fetcher: Any) -> tuple[Any, NotePlacement]:
        return place_notes(document, charts, project_root, fetcher)

    return _pdf(lay, charts, project_root)


def _pdf(
    lay: Callable[[Any], tuple[Any, T]], charts: dict[str, DrawnChart], project_root: Path
) -> tuple[bytes, int, list[str], T]:
    from .fetch import ProjectFetcher  # lazy: it imports weasyprint (~1 s), which check never needs

    theme = Theme.of(project_root)
    fetcher = ProjectFetcher(theme.layers, {f"{c.name}.svg": c.svg for c in charts.values()})
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        laid, placed = lay(fetcher)
        relative_links(laid, theme.base.as_uri() + "/")
        pdf = laid.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(collector)
    complaints = [f"refused to fetch {r}" for r in fetcher.refused] + [
        m
        for m in collector.messages
        if "RefusedURL" not in m  # already reported just above
    ]
    return pdf, len(laid.pages), complaints, placed


def layout_pages(
    document: Document, charts: dict[str, DrawnChart], project_root: Path
) -> tuple[int, NotePlacement]:
    """How many pages the print edition takes, and where its notes go: laid out as for the
    PDF, nothing written."""
    from .fetch import ProjectFetcher  # lazy: it imports weasyprint (~1 s), which check never needs

    theme = Theme.of(project_root)
    fetcher = ProjectFetcher(theme.layers, {f"{c.name}.svg": c.svg for c in charts.values()})
    laid, placement = place_notes(document, charts, project_root, fetcher)
    return len(laid.pages), placement


def relative_links(laid: Any, base: str) -> None:
    """Links to the evidence page stay relative in the PDF ('NAME.evidence.html#…', opened
    beside it), never an absolute path on the machine that built it: WeasyPrint resolves
    every relative link against the base it lays out with."""
    for page in laid.pages:
        page.links = [
            (
                kind,
                target[len(base) :] if kind == "external" and target.startswith(base) else target,
                *rest,
            )
            for kind, target, *rest in page.links
        ]


PLACEMENT_STEPS = 4
"""Layouts with notes set smaller or moved to the end before every note goes to the end."""


def place_notes(
    document: Document, charts: dict[str, DrawnChart], project_root: Path, fetcher: Any
) -> tuple[Any, NotePlacement]:
    """The print layout in which every note is printed (see ``_place_notes``), with a
    figure or box that would leave a page largely blank placed as ``layout.remedy`` says,
    when that leaves less blank."""
    laid, placement = _place_notes(document, charts, project_root, fetcher, AS_WRITTEN)
    fit = remedy(laid, AS_WRITTEN)
    if fit != AS_WRITTEN:
        refit, replaced = _place_notes(document, charts, project_root, fetcher, fit)
        if worst_blank(refit) < worst_blank(laid):
            return refit, replaced
    return laid, placement


def _place_notes(
    document: Document,
    charts: dict[str, DrawnChart],
    project_root: Path,
    fetcher: Any,
    fit: PageFit,
) -> tuple[Any, NotePlacement]:
    """Notes at the foot of their page; a note that is on no page is set smaller, then
    (if still not printed) made an endnote, alone; every note at the end only if that too
    fails."""
    templates = Theme.of(project_root).base
    placement = NotePlacement()
    for _ in range(PLACEMENT_STEPS):
        html = render_html(document, charts, project_root, True, placement, fit)
        laid, missing = best_layout(html, templates, fetcher)
        if not missing:
            return laid, placement
        placement = placement.next_for(missing)
    html = render_html(document, charts, project_root, True, ALL_ENDNOTES, fit)
    laid, _ = best_layout(html, templates, fetcher)
    return laid, ALL_ENDNOTES


def best_layout(print_html: str, templates: Path, fetcher: Any) -> tuple[Any, list[int]]:
    """Lay out with each footnote style until no body is lost or deferred; keep the best."""
    import weasyprint

    keep_footnotes_of_kept_lines()
    print_html, style = _parsed_stylesheet(print_html, templates, fetcher)
    options: dict[str, Any] = {}
    if style is not None:
        options = {"stylesheets": [style.css], "font_config": style.fonts}
    best: tuple[int, int, Any, list[int]] | None = None
    for extra_css in FOOTNOTE_FALLBACKS:
        source = print_html.replace("</head>", f"<style>{extra_css}</style></head>", 1)
        html = weasyprint.HTML(
            string=source, base_url=templates.as_uri() + "/", url_fetcher=fetcher
        )
        document = html.render(pdf_variant="pdf/ua-1", **options)
        missing, deferred = missing_notes(document)
        score = (len(missing), deferred)
        if best is None or score < best[:2]:
            best = (*score, document, missing)
        if not missing:  # a body moved to the next page is allowed; a lost one is not
            break
    assert best is not None
    return best[2], best[3]


@dataclass(frozen=True)
class ParsedStylesheet:
    css: Any
    """The theme's stylesheet as WeasyPrint parsed it (a ``weasyprint.CSS``)."""
    fonts: Any
    """The ``FontConfiguration`` holding its @font-face fonts, loaded once."""
    refused: tuple[str, ...]
    warnings: tuple[str, ...]
    """What parsing it refused to fetch and logged: told again on every use."""


def _parsed_stylesheet(
    print_html: str, templates: Path, fetcher: Any
) -> tuple[str, ParsedStylesheet | None]:
    """The print HTML without its one ``<style>`` block, and that block parsed by WeasyPrint
    once per process (with the @font-face fonts it loads) instead of once per layout: ≈30 ms
    each. The sheet is given as a user stylesheet, which WeasyPrint ranks above its own
    defaults and below the footnote fallbacks, as the inline block was: the PDFs are byte
    for byte the same. A page with other styles or stylesheet links is laid out as it is."""
    start = print_html.find("<style>")
    end = print_html.find("</style>", start)
    if start < 0 or end < 0 or print_html.count("<style") != 1 or "<link" in print_html:
        return print_html, None
    css = print_html[start + len("<style>") : end]
    theme = Theme(tuple(fetcher.roots))
    style = _parse_once(css, templates.as_uri() + "/", theme, theme.digest())
    if style.refused or style.warnings:  # told again, as if parsed for this page
        fetcher.refused.extend(style.refused)
        for message in style.warnings:
            logging.getLogger("weasyprint").warning("%s", message)
    return print_html[:start] + print_html[end + len("</style>") :], style


_PARSED: dict[tuple[int, str, str, Theme, str], ParsedStylesheet] = {}
KEPT_STYLESHEETS = 4


def _parse_once(css: str, base_url: str, theme: Theme, theme_digest: str) -> ParsedStylesheet:
    """Parsed for the first page that needs it; the files it reads (fonts, imports) are the
    theme's, so ``theme_digest`` changes when any of them does. Kept per process: a forked
    worker never uses (or frees) its parent's, whose fonts sit in the parent's folder."""
    key = (os.getpid(), css, base_url, theme, theme_digest)
    found = _PARSED.get(key)
    if found is None:
        own = [k for k in _PARSED if k[0] == key[0]]
        for old in own[: max(0, len(own) - KEPT_STYLESHEETS + 1)]:
            del _PARSED[old]
        found = _PARSED[key] = _parse(css, base_url, theme)
    return found


def forget_parsed_stylesheets() -> None:
    """Let go of this process's parsed stylesheets and remove the temporary folder WeasyPrint
    copied their fonts to (it would only do so when the font configuration is collected,
    which a process leaving with os._exit, as build workers do, never does). Run at exit,
    and by each build worker as it exits."""
    for key in [k for k in _PARSED if k[0] == os.getpid()]:
        fonts = _PARSED.pop(key).fonts
        folder = getattr(fonts, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            fonts._folder = None  # nothing left for its own clean-up to do


atexit.register(forget_parsed_stylesheets)  # before module teardown, so the folder goes too


def _parse(css: str, base_url: str, theme: Theme) -> ParsedStylesheet:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from .fetch import ProjectFetcher  # lazy: it imports weasyprint (~1 s), which check never needs

    sheet_fetcher = ProjectFetcher(theme.layers, {})
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    fonts = FontConfiguration()
    try:
        parsed = weasyprint.CSS(
            string=css, base_url=base_url, url_fetcher=sheet_fetcher, font_config=fonts
        )
    finally:
        logger.removeHandler(collector)
    return ParsedStylesheet(parsed, fonts, tuple(sheet_fetcher.refused), tuple(collector.messages))
