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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from .template_loader import ConfinedLoader, TemplateRefused, read_template_text
from .theme import DEFAULTS, PROJECT_TEMPLATES, Theme

TEMPLATES = PROJECT_TEMPLATES


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
    endnotes: bool = False,
) -> str:
    """The HTML page, or (``for_print``) the page WeasyPrint lays out: notes at the foot of
    their page, or with ``endnotes`` all together at the end (the fallback when WeasyPrint
    cannot place a footnote)."""
    env = jinja_environment(Theme.of(project_root))
    template_name = f"{document.spec.meta.template}.html.j2"
    context = template_context(document, charts, for_print, project_root)
    context["endnotes"] = endnotes
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
        "endnotes": False,
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
    "html.print .fn { font-size: 6.8pt; line-height: 1.2; }",
)
"""WeasyPrint 70 can drop a footnote body when the footnote area nearly overflows
(Kozea/WeasyPrint#2502); each layout is checked and, if a body is missing, laid out
again with a slightly different footnote area, then with paragraphs broken less readily
(which moves the page breaks themselves). The choice is deterministic."""


def render_pdf(
    print_html: str, charts: dict[str, DrawnChart], project_root: Path
) -> tuple[bytes, int, list[str], list[str]]:
    """Lay out and write the PDF; return its bytes, page count, any complaints, and the
    footnotes (``fn-N``) WeasyPrint could not place in any layout tried."""

    from .fetch import ProjectFetcher  # lazy: it imports weasyprint (~1 s), which check never needs

    theme = Theme.of(project_root)
    templates = theme.base
    fetcher = ProjectFetcher(theme.layers, {f"{c.name}.svg": c.svg for c in charts.values()})
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document, missing = best_layout(print_html, templates, fetcher)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(collector)
    complaints = [f"refused to fetch {r}" for r in fetcher.refused] + [
        m
        for m in collector.messages
        if "RefusedURL" not in m  # already reported just above
    ]
    return pdf, len(document.pages), complaints, missing


def layout_pages(
    print_html: str, charts: dict[str, DrawnChart], project_root: Path
) -> tuple[int, list[str]]:
    """How many pages the print edition takes, and the footnotes it could not place: laid
    out as for the PDF, nothing written."""
    from .fetch import ProjectFetcher  # lazy: it imports weasyprint (~1 s), which check never needs

    theme = Theme.of(project_root)
    fetcher = ProjectFetcher(theme.layers, {f"{c.name}.svg": c.svg for c in charts.values()})
    document, missing = best_layout(print_html, theme.base, fetcher)
    return len(document.pages), missing


def best_layout(print_html: str, templates: Path, fetcher: Any) -> tuple[Any, list[str]]:
    """Lay out with each footnote style until no body is lost or deferred; keep the best."""
    import weasyprint

    keep_footnotes_of_kept_lines()
    print_html, style = _parsed_stylesheet(print_html, templates, fetcher)
    options: dict[str, Any] = {}
    if style is not None:
        options = {"stylesheets": [style.css], "font_config": style.fonts}
    best: tuple[int, int, Any, list[str]] | None = None
    for extra_css in FOOTNOTE_FALLBACKS:
        source = print_html.replace("</head>", f"<style>{extra_css}</style></head>", 1)
        html = weasyprint.HTML(
            string=source, base_url=templates.as_uri() + "/", url_fetcher=fetcher
        )
        document = html.render(pdf_variant="pdf/ua-1", **options)
        calls, bodies = footnote_pages(document)
        missing = _missing(calls, bodies)
        deferred = sum(1 for k, page in calls.items() if k in bodies and bodies[k] != page)
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


def keep_footnotes_of_kept_lines() -> None:
    """Fix, inside WeasyPrint's line layout, the usual way a footnote body is lost.

    When a line overflows the page, WeasyPrint 70 moves the page's last footnotes to the
    next page until the line fits, then keeps the line without laying out the footnotes
    called in it: their bodies are on no page (Kozea/WeasyPrint#2502). After each run of
    lines, a footnote called in a kept line but never laid out is moved to the next page,
    as the footnotes before it were. Lines laid out normally are untouched, so layouts
    that lost nothing are byte for byte as before; the fallbacks above stay for any other
    way of losing a body. Applied once, and only to the function it was written against.
    """
    import inspect

    from weasyprint.layout import block

    original = block._linebox_layout
    if getattr(original, "keeps_footnotes", False):
        return
    if list(inspect.signature(original).parameters)[4] != "new_children":
        return  # another WeasyPrint: the fallbacks alone

    @functools.wraps(original)
    def linebox_layout(context: Any, *args: Any) -> Any:
        new_children = args[3]
        before = len(new_children)
        result = original(context, *args)
        for line in new_children[before:]:
            for box in line.descendants():
                footnote = getattr(box, "footnote", None)
                if footnote is not None and footnote in context.footnotes:
                    context.footnotes.remove(footnote)
                    context.reported_footnotes.append(footnote)
                    result[4].append(footnote)  # unlaid with the line if it is pushed on
        return result

    linebox_layout.keeps_footnotes = True  # type: ignore[attr-defined]
    block._linebox_layout = linebox_layout


def _missing(calls: dict[str, int], bodies: dict[str, int]) -> list[str]:
    return sorted(set(calls) - set(bodies), key=lambda i: int(i.split("-")[-1]))


def footnote_pages(document: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Page index of every footnote call and of every footnote body, by footnote id."""
    calls: dict[str, int] = {}
    bodies: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        stack = [(page._page_box, False)]  # every box of the page, in no particular order
        while stack:
            box, in_area = stack.pop()
            in_area = in_area or type(box).__name__ == "FootnoteAreaBox"
            children = getattr(box, "children", None)
            if children:
                stack.extend((child, in_area) for child in children)
            element = getattr(box, "element", None)
            element_id = element.get("id") if element is not None else None
            if not element_id or not element_id.startswith("fn-"):
                continue
            if getattr(box, "element_tag", "").endswith("::footnote-call"):
                calls.setdefault(element_id, index)
            elif in_area:
                bodies.setdefault(element_id, index)
    return calls, bodies
