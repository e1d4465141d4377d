"""Briefings: the real corpus builds into HTML and PDF that readers, browsers and CI can trust."""

from __future__ import annotations

import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, MiniProject
from pypdf import PdfReader

from citebrief.check import check
from citebrief.cli import main
from citebrief.facts.corpus import Project

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

"""Pictures the tests make for people to look at (output/ is not in git)."""


def copy_project(dest: Path) -> MiniProject:
    dest.mkdir(parents=True)
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")
    shutil.copy(REPO / "citebrief.toml", dest / "citebrief.toml")
    return MiniProject(dest)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> MiniProject:
    project = copy_project(tmp_path_factory.mktemp("built") / "proj")
    out = io.StringIO()
    assert main(["--project", str(project.root)], out=out) == 0, out.getvalue()
    project.build_output = out.getvalue()  # type: ignore[attr-defined]
    return project


def documents(project: MiniProject) -> dict:
    return {d.spec.name: d for d in check(Project(project.root)).briefings}


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def plain_text(parts: tuple) -> str:
    """The words of inline parts, as a PDF shows them."""
    out = []
    for part in parts:
        if hasattr(part, "content"):
            out.append(plain_text(part.content))
        else:
            out.append(getattr(part, "display", None) or getattr(part, "text", ""))
    return "".join(out)


def squash(text: str) -> str:
    text = text.replace("\u00ad", "").replace("“", '"').replace("”", '"').replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"-\s*\n\s*", "-", text))


# --- the build -------------------------------------------------------------------------------


def test_build_writes_html_pdf_and_docx_for_every_briefing(built: MiniProject) -> None:
    names = sorted(p.name for p in (built.root / "output").iterdir() if not p.name.startswith("."))
    assert names == [
        "distillation-memo.docx",
        "distillation-memo.evidence.html",
        "distillation-memo.html",
        "distillation-memo.pdf",
        "distillation-paper.docx",
        "distillation-paper.evidence.html",
        "distillation-paper.html",
        "distillation-paper.pdf",
        "fonts",
        "manifest.json",
    ]
    table = built.build_output  # type: ignore[attr-defined]
    assert re.search(r"^distillation-memo\s+1\s", table, re.M), table
    assert "built 2 briefings into output/" in table


def test_memo_is_one_page_and_paper_has_contents(built: MiniProject) -> None:
    assert len(PdfReader(built.root / "output/distillation-memo.pdf").pages) == 1
    paper = squash(pdftotext(built.root / "output/distillation-paper.pdf", "-f", "2", "-l", "2"))
    assert re.search(r"Contents Key judgments \.+ ?1 The allegation \.+ ?\d", paper), paper[:400]


@pytest.mark.parametrize("name", ["distillation-paper", "distillation-memo"])
def test_every_footnote_body_is_printed(built: MiniProject, name: str) -> None:
    """WeasyPrint can silently drop footnote bodies; every one must reach the page."""
    document = documents(built)[name]
    pdf = built.root / f"output/{name}.pdf"
    text = squash(pdftotext(pdf))
    missing = []
    for note in document.notes:
        plain = squash(plain_text(note.text))
        if f"{note.number}. {plain[:60]}" not in text:
            missing.append(note.number)
    assert document.notes and not missing, f"footnote bodies not printed: {missing}"


def test_a_note_called_in_a_line_kept_at_the_foot_of_a_page_is_printed_on_the_next() -> None:
    """The first layout keeps every body (no fallback layout needed): WeasyPrint 70 loses the
    note of a line it makes fit by moving earlier notes on (Kozea/WeasyPrint#2502)."""
    import weasyprint

    from citebrief.render.footnotes import footnote_pages, keep_footnotes_of_kept_lines

    keep_footnotes_of_kept_lines()
    html = (Path(__file__).parent / "fixtures" / "footnote-in-kept-line.html").read_text()
    moved = []
    for tenths in range(200, 320, 4):  # the paragraph moves down the page 0.4 mm at a time
        layout = weasyprint.HTML(string=html.replace("FILLER_HEIGHT", f"{tenths / 10}mm")).render()
        calls, bodies = footnote_pages(layout)
        misplaced = {
            k: bodies.get(k) for k, page in calls.items() if bodies.get(k) not in (page, page + 1)
        }
        assert misplaced == {}, f"filler {tenths / 10} mm: calls {calls}, bodies {bodies}"
        moved += [k for k, page in calls.items() if bodies[k] == page + 1]
    assert "fn-2" in moved  # the case was met: the second note went on with the first


@pytest.fixture(scope="module")
def paper_layout(built: MiniProject):
    """The paper laid out by WeasyPrint as the PDF is (footnote fallbacks, page fit), to look
    at its boxes page by page."""
    from citebrief.document.model import Chart
    from citebrief.render.chart import draw
    from citebrief.render.fetch import ProjectFetcher
    from citebrief.render.html import place_notes
    from citebrief.render.theme import Theme

    document = documents(built)["distillation-paper"]
    theme = Theme.of(built.root)
    charts = {b.name: draw(b, theme.fonts()) for b in document.blocks if isinstance(b, Chart)}
    fetcher = ProjectFetcher(theme.layers, {f"{c.name}.svg": c.svg for c in charts.values()})
    return place_notes(document, charts, built.root, fetcher)[0]


def _page_fill(page) -> float:
    """How much of a page's body area is used: the flow down to its last box, plus the notes."""
    root = page._page_box
    area_top = root.content_box_y()
    area_height = root.height
    bottom = area_top
    notes = 0.0

    def walk(box) -> None:
        nonlocal bottom, notes
        if type(box).__name__ == "FootnoteAreaBox":
            notes += box.margin_height()
            return
        if getattr(box, "element_tag", "") in ("p", "li", "tr", "figure", "h2", "h3", "caption"):
            bottom = max(bottom, box.position_y + box.margin_height())
        for child in getattr(box, "children", None) or []:
            walk(child)

    for child in root.children:
        walk(child)
    return (bottom - area_top + notes) / area_height


def test_every_table_caption_sits_on_the_page_of_its_first_row(paper_layout) -> None:
    first_seen: dict[str, tuple[int, int | None]] = {}

    def walk(box, page: int, table: str | None, in_body: bool) -> None:
        tag = getattr(box, "element_tag", "")
        element = getattr(box, "element", None)
        if tag == "table" and element is not None:
            table = str(id(element))
        in_body = in_body or tag == "tbody"
        if table and tag == "caption":
            first_seen.setdefault(table, (page, None))
        if table and in_body and tag == "tr" and first_seen.get(table, (0, 0))[1] is None:
            first_seen[table] = (first_seen[table][0], page)
        for child in getattr(box, "children", None) or []:
            walk(child, page, table, in_body)

    for index, page in enumerate(paper_layout.pages):
        walk(page._page_box, index, None, False)
    assert len(first_seen) >= 4
    assert {t: pages for t, pages in first_seen.items() if pages[0] != pages[1]} == {}


def test_no_page_but_the_last_is_half_empty(paper_layout) -> None:
    fills = [round(_page_fill(page), 2) for page in paper_layout.pages]
    assert all(f >= 0.6 for f in fills[:-1]), fills


def test_footnote_bodies_sit_on_the_page_of_their_call_or_the_next(
    built: MiniProject, paper_layout
) -> None:
    from citebrief.render.footnotes import footnote_pages

    document = documents(built)["distillation-paper"]
    calls, bodies = footnote_pages(paper_layout)
    assert len(calls) == len(document.notes)
    assert {
        k: bodies.get(k, -1) - page
        for k, page in calls.items()
        if bodies.get(k, -1) - page not in (0, 1)
    } == {}


def test_pdf_has_source_list_and_metadata(built: MiniProject) -> None:
    pdf = built.root / "output/distillation-paper.pdf"
    text = squash(pdftotext(pdf))
    for title in [
        "BIS Relaxes Export License Review for H200 Chips to China and Macau",
        "Anthropic Accuses Chinese AI Firms of Systematic Data Harvesting from Claude",
        "https://incidentdatabase.ai/entities/claude-api",
    ]:
        assert title in text
    for internal in ["Title not captured", "not recorded", "Archived as", "seed00", "citebrief"]:
        assert internal not in text
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta.title.startswith("Distilling Claude")
    assert meta.author == "Policy analysis staff"
    assert meta["/CreationDate"].startswith("D:20261123")
    assert "/Creator" not in meta  # no tool name where a reader looks at the properties
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    outline = [item.title for item in next(i for i in reader.outline if isinstance(i, list))]
    assert top[0].startswith("Distilling Claude")
    assert "Key judgments" in outline and "Sources" in outline
    assert "Contents" not in outline


def test_pdf_is_sound_and_tagged(built: MiniProject) -> None:
    pdf = built.root / "output/distillation-paper.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    tags: dict[str, int] = {}
    figures_without_alt = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            tag = str(node.get("/S", ""))
            tags[tag] = tags.get(tag, 0) + 1
            if tag == "/Figure" and "/Alt" not in node:
                figures_without_alt.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    assert tags.get("/H1") == 1 and tags.get("/H2", 0) >= 10
    assert tags.get("/Table", 0) >= 4 and tags.get("/TH", 0) > 10
    assert tags.get("/Figure") == 3 and figures_without_alt == []


def test_pdf_pages_render_to_png(built: MiniProject, tmp_path: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            str(built.root / "output/distillation-memo.pdf"),
            str(tmp_path / "memo"),
        ],
        check=True,
    )
    pngs = sorted(tmp_path.glob("memo*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 20_000
    artifacts = tmp_path / "artifacts"  # kept by pytest under its basetemp for a human to look at
    artifacts.mkdir()
    shutil.copy(pngs[0], artifacts / "memo-page-1.png")


def test_two_builds_are_byte_identical(built: MiniProject, tmp_path: Path) -> None:
    """A second build, in another process with another hash seed, gives the same bytes."""
    again = copy_project(tmp_path / "again")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--project", str(again.root)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in sorted(p.name for p in (built.root / "output").glob("*.*") if p.is_file()):
        assert (again.root / "output" / name).read_bytes() == (
            built.root / "output" / name
        ).read_bytes(), name


# --- the HTML ----------------------------------------------------------------------------------


class _Figures(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.h1 = 0
        self.headings: list[int] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if "fig" in a.get("class", "").split() or tag == "figure":
            self.figures.append(a)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def parse_html(path: Path) -> _Figures:
    parser = _Figures()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("name", ["distillation-paper", "distillation-memo"])
def test_every_figure_element_carries_fact_id_and_citation(built: MiniProject, name: str) -> None:
    page = parse_html(built.root / f"output/{name}.html")
    sources = {p.stem for p in (built.root / "sources").glob("*.txt")}
    facts = check(Project(built.root)).corpus.facts
    assert len(page.figures) > 5
    for figure in page.figures:
        fact_ids = (figure.get("data-fact") or figure.get("data-facts", "")).split()
        cites = figure.get("data-cites", "").split()
        assert fact_ids, figure
        assert all(f in facts or f.startswith("derived.") for f in fact_ids), figure
        assert cites and set(cites) <= sources, figure


@pytest.mark.parametrize("name", ["distillation-paper", "distillation-memo"])
def test_html_is_self_contained_and_accessible(built: MiniProject, name: str) -> None:
    path = built.root / f"output/{name}.html"
    page = parse_html(path)
    text = path.read_text(encoding="utf-8")
    assert page.lang == "en"
    assert page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert page.srcs == []  # no <img>, <script> or <iframe> that could fetch anything
    assert not re.search(r"url\((?!#)", text.split("</style>")[1])  # no external url() in the body
    assert (
        re.search(r"@font-face", text) is None or "url(fonts/" in text
    )  # only relative font hints
    for href in page.hrefs:
        # a chart's data is carried in the page itself, as a CSV download (data: URL)
        csv_data = "data:text/csv;charset=utf-8,"
        assert href.startswith(("#", "https://", f"{name}.evidence.html", csv_data)), href
        if href.startswith("#"):
            assert href[1:] in page.ids, f"broken link {href}"
    calls = [h for h in page.hrefs if h.startswith("#fn-")]
    backs = [h for h in page.hrefs if h.startswith("#fnref-")]
    assert calls and len(calls) == len(backs)
    assert '<svg role="img" aria-labelledby=' in text and "<title id=" in text


def test_chromium_opens_the_html_and_takes_a_screenshot(built: MiniProject, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is required (bash .ci/setup --test installs it)"
    artifacts = tmp_path / "artifacts"  # kept by pytest under its basetemp for a human to look at
    artifacts.mkdir()
    shot = artifacts / "distillation-paper-screenshot.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
    ]
    url = (built.root / "output/distillation-paper.html").as_uri()
    subprocess.run(
        [chromium, *flags, "--window-size=1100,1600", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "Distilling Claude" in dom and dom.count('class="fig') > 20


# --- the uncited-figure gate --------------------------------------------------------------------


def test_bare_figure_in_prose_fails_the_check_with_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    memo = project.root / "briefings/distillation-memo.md"
    lines = memo.read_text().splitlines()
    at = lines.index("## Bottom line") + 1
    lines.insert(at, "")
    lines.insert(at + 1, "They generated 16 million exchanges, section 2 explains.")
    memo.write_text("\n".join(lines) + "\n")
    run = project.run("check")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        f"briefings/distillation-memo.md:{at + 2}:16: error: '16 million' is a figure that does not "
        "come from a fact reference"
    )
    assert "literal:" not in run.out  # a quantity is never hidden from the gate


def test_literal_marker_and_small_numbers_are_not_figures(project: MiniProject) -> None:
    project.briefing(
        """
        ## Section 2

        1. Phase 1 covers the [[literal:H20]] and [[literal:2025]] models of Country Group D:5.
        """,
        name="b",
    )
    assert project.run("check").code == 0


def test_unknown_fact_reference_is_an_error(project: MiniProject) -> None:
    project.briefing(
        """
        Text with [[labs.minimax.exchange]] in it.
        """,
        name="b",
    )
    run = project.run("check")
    assert run.out.splitlines()[0] == (
        "briefings/b.md:9:11: error: reference to fact 'labs.minimax.exchange', which is not in the fact base"
    )


def test_figure_in_a_table_cell_is_gated(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    paper = project.root / "briefings/distillation-paper.md"
    text = paper.read_text().replace(
        "  - [DeepSeek, labs.deepseek.exchanges,", "  - [DeepSeek, 150000 exchanges,"
    )
    paper.write_text(text)
    run = project.run("check")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "150000 exchanges" in row)
    assert f"briefings/distillation-paper.md:{line}:16: error: '150000' is a figure" in run.out


# --- safety ---------------------------------------------------------------------------------------


def test_failed_build_leaves_previous_outputs_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert (
        main(["--project", str(project.root), "build", "distillation-memo"], out=io.StringIO()) == 0
    )
    before = {p.name: p.read_bytes() for p in (project.root / "output").iterdir() if p.is_file()}
    facts = project.root / "briefings/facts/campaign.yaml"
    facts.write_text(facts.read_text().replace("around 13 million", "around 15 million"))
    run = project.run("build", "distillation-memo")
    assert run.code == 1
    assert "quote not found" in run.out
    after = {p.name: p.read_bytes() for p in (project.root / "output").iterdir() if p.is_file()}
    assert after == before


def test_a_briefing_failing_to_render_leaves_every_output_as_it_was(tmp_path: Path) -> None:
    """Briefings are staged as each is rendered; one failing (the paper over its page
    budget) means none is put in place, and no temporary file stays behind."""
    project = copy_project(tmp_path / "p")
    assert (
        main(["--project", str(project.root), "build", "distillation-memo"], out=io.StringIO()) == 0
    )
    output = project.root / "output"
    before = {p.name: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    paper = project.root / "briefings/distillation-paper.md"
    paper.write_text(
        paper.read_text().replace("\ntemplate: paper\n", "\ntemplate: paper\nmax_pages: 2\n")
    )
    run = project.run("build", "--force", "-j", "2")
    assert run.code == 1
    assert "distillation-paper.md:9:1: error: the paper 'distillation-paper' takes" in run.out
    after = {p.name: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after.keys() - before.keys() <= {p.name for p in output.glob(".cache/charts/*")}
    assert {n: b for n, b in after.items() if n in before} == before


def test_a_parallel_build_leaves_no_temporary_font_folder(tmp_path: Path) -> None:
    """Workers keep the parsed stylesheet and its fonts (copied to a temporary folder by
    WeasyPrint) between briefings; the folder goes when the worker and the build end."""
    project = copy_project(tmp_path / "p")
    temp = tmp_path / "tmp"
    temp.mkdir()
    build_py = str(Path(__file__).parent.parent / "build.py")
    done = subprocess.run(
        [sys.executable, build_py, "--project", str(project.root), "build", "-j", "2"],
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "built 2 briefings" in done.stdout
    assert sorted(p.name for p in temp.iterdir()) == []


def test_template_error_names_template_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    memo = project.override("memo.html.j2")
    lines = memo.read_text().splitlines()
    lines.insert(3, "<p>{{ meta.no_such_field }}</p>")
    memo.write_text("\n".join(lines) + "\n")
    run = project.run("build", "distillation-memo")
    assert run.code == 1
    assert run.out.startswith("templates/memo.html.j2:4:1: error: template error: ")
    assert "no_such_field" in run.out.splitlines()[0]


# --- reader-grade output --------------------------------------------------------------------------

INTERNAL = re.compile(
    r"seed\d{3}|sources/|\.txt\b|\b[0-9a-f]{7,40}\b|not captured|not recorded|citebrief|"
    r"Unattributed report|\[\w+-[\w-]+\]|\.yaml"
)


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_reader_sees_no_internal_names(built: MiniProject, name: str) -> None:
    """No source id, archive path, git hash, fact file or tool name in what a reader sees."""
    text = pdftotext(built.root / f"output/{name}.pdf")
    ids = {p.stem for p in (built.root / "sources").glob("*.txt")}
    assert [i for i in ids if i in text] == []
    assert INTERNAL.findall(text) == []


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_reader_sees_curly_quotes_and_dashes_never_doubled_marks(
    built: MiniProject, name: str
) -> None:
    text = pdftotext(built.root / f"output/{name}.pdf")
    assert re.findall(r"[\"]|[a-z]'[a-z]| - |“[“‘]?“|”’?”", text) == []


def test_every_memo_note_names_title_and_url_where_the_source_has_them(built: MiniProject) -> None:
    document = documents(built)["distillation-memo"]
    text = squash(pdftotext(built.root / "output/distillation-memo.pdf", "-layout"))
    first_notes = [c for n in document.notes for c in n.citations if c.form.value == "full"]
    assert first_notes
    for citation in first_notes:
        source = document.sources[citation.source]
        if source.title:
            assert squash(source.title)[:40] in text, source.title
        if source.url:
            assert source.url[:40] in text.replace(" ", ""), source.url


def test_unrelated_source_leaves_every_output_byte_identical(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert main(["--project", str(project.root)], out=io.StringIO()) == 0
    out = project.root / "output"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    project.source("unrelated-report", "A report on another subject entirely, about fisheries.\n")
    assert main(["--project", str(project.root), "--force"], out=io.StringIO()) == 0
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    changed = sorted(
        str(k) for k in before if not str(k).startswith(".cache") and before[k] != after.get(k)
    )
    assert changed == []


def test_manifest_holds_no_timings(built: MiniProject) -> None:
    manifest = json.loads((built.root / "output/manifest.json").read_text())
    entry = manifest["outputs"]["distillation-memo"]
    assert set(entry) == {"key", "inputs", "files", "pages"}
    assert set(entry["inputs"]) == {"document", "templates", "tool"}
    assert "pandoc" in entry["inputs"]["tool"]  # another pandoc may write other Word bytes
    assert "distillation-memo.docx" in entry["files"]


def test_a_memo_over_its_page_budget_fails_with_its_location(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    memo = project.root / "briefings/distillation-memo.md"
    padding = "\n\nThe reports describe the campaigns at length, and so does this memo. " * 40
    memo.write_text(memo.read_text().replace("---\n", "---\nmax_pages: 1\n", 1) + padding)
    line = _max_pages_line(memo)
    assert line == 2
    expected = (
        f"briefings/distillation-memo.md:{line}:1: error: the memo 'distillation-memo' takes "
        "3 pages; its page budget is 1"
    )
    checked = project.run("check")
    assert checked.code == 1 and expected in checked.out, checked.out
    run = project.run("build", "distillation-memo")
    assert run.code == 1
    assert run.out.startswith(expected)
    assert "max_pages" in run.out
    assert "page budget" not in run.err  # printed once, located, not again as a summary
    assert not (project.root / "output/distillation-memo.pdf").exists()


def _max_pages_line(briefing: Path) -> int:
    lines = briefing.read_text().splitlines()
    return next((i for i, text in enumerate(lines, 1) if text.startswith("max_pages:")), 1)


def test_check_takes_a_built_memo_s_page_count_from_the_manifest(built: MiniProject) -> None:
    """`check` lays out no briefing whose PDF for the same Document is built and on disk."""
    import citebrief.render.pages as pipeline

    laid_out: list[str] = []
    real = pipeline._laid_out_pages
    pipeline._laid_out_pages = lambda p, d: laid_out.append(d.spec.name) or real(p, d)  # type: ignore[assignment]
    try:
        assert built.run("check").code == 0
    finally:
        pipeline._laid_out_pages = real
    assert laid_out == []


def test_check_counts_the_pages_of_the_built_pdf_with_charts_as_empty_frames(
    built: MiniProject,
) -> None:
    """`check` lays charts out as empty frames of their size: the count must be the PDF's."""
    from citebrief.document.model import Chart
    from citebrief.render.chart import draw, frame_svg
    from citebrief.render.pages import _laid_out_pages
    from citebrief.render.theme import Theme

    project = Project.find(built.root)
    manifest = json.loads((built.root / "output/manifest.json").read_text())
    fonts = Theme.of(built.root).fonts()
    for document in check(project).briefings:
        charts = [b for b in document.blocks if isinstance(b, Chart)]
        for chart in charts:
            drawn = draw(chart, fonts).svg
            assert _svg_size(frame_svg(chart)) == _svg_size(drawn)
        assert (
            _laid_out_pages(project, document)[0]
            == manifest["outputs"][document.spec.name]["pages"]
        )
    assert any(isinstance(b, Chart) for d in check(project).briefings for b in d.blocks)


def _svg_size(svg: str) -> list[str]:
    opening = re.search(r"<svg[^>]*>", svg)
    assert opening is not None
    return re.findall(r'(?:width|height|viewBox)="([^"]*)"', opening.group(0))


def test_phone_width_screenshot_has_no_horizontal_overflow(
    built: MiniProject, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is required (bash .ci/setup --test installs it)"
    artifacts = tmp_path / "artifacts"  # kept by pytest under its basetemp for a human to look at
    artifacts.mkdir()
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
        "--window-size=390,2400",
    ]
    for name in ("distillation-memo", "distillation-paper"):
        page = built.root / f"output/{name}.html"
        shot = artifacts / f"{name}-phone-390.png"
        subprocess.run(
            [chromium, *flags, f"--screenshot={shot}", page.as_uri()],
            capture_output=True,
            timeout=120,
            check=True,
        )
        assert shot.stat().st_size > 20_000
        probe = page.with_name(f"{name}.probe.html")
        probe.write_text(
            page.read_text(encoding="utf-8").replace(
                "</body>",
                "<script>document.body.setAttribute('data-overflow', "
                "String(document.documentElement.scrollWidth - window.innerWidth));</script></body>",
            ),
            encoding="utf-8",
        )
        dom = subprocess.run(
            [chromium, *flags, "--dump-dom", probe.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        probe.unlink()
        overflow = re.search(r'data-overflow="(-?\d+)"', dom)
        assert overflow and int(overflow.group(1)) <= 0, (
            f"{name}: {overflow and overflow.group(1)}px wider than the phone"
        )


def test_an_acknowledged_warning_is_printed_with_its_reason_in_the_evidence(
    built: MiniProject,
) -> None:
    html = squash(
        re.sub(r"<[^>]+>", "", (built.root / "output/distillation-paper.evidence.html").read_text())
    )
    assert (
        "Warning accepted (low-reliability-only): Kept because the machine-written article is the only "
        "one to claim an extraction period"
    ) in html


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_evidence_companion_holds_the_audit_trail_the_briefing_does_not(
    built: MiniProject, name: str
) -> None:
    document = documents(built)[name]
    evidence = (built.root / f"output/{name}.evidence.html").read_text(encoding="utf-8")
    briefing = (built.root / f"output/{name}.html").read_text(encoding="utf-8")
    assert document.evidence
    for item in document.evidence:
        assert f'id="evidence-{item.fact_id}"' in evidence
        assert f"{item.fact_path}:{item.fact_line}" in evidence
        for quote in item.quotes:
            assert f"{quote.path}:{quote.line}" in evidence
    visible = re.sub(r'<[^>]+>|data-[a-z]+="[^"]*"', " ", briefing.split("<main>")[1])
    assert ".yaml:" not in visible and "sources/" not in visible
    assert not any(item.fact_id in visible for item in document.evidence)
