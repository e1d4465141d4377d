"""Numbered tables and cross-references (@fig-NAME, @tbl-NAME in Quarto's syntax), read from
the rendered HTML, the PDF's text layer and links, and the Word edition's XML."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from pypdf import PdfReader

from citebrief.cli import main

PAPER = "briefings/distillation-paper.md"


def copy_example(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    return root


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("xrefs") / "proj")
    out = io.StringIO()
    assert main(["--project", str(root), "build", "distillation-paper"], out=out) == 0
    return root / "output"


def test_the_example_writes_its_references_as_quarto_does() -> None:
    text = (REPO / PAPER).read_text(encoding="utf-8")
    assert "@fig-exchanges-by-lab" in text and "@tbl-campaigns" in text


def test_html_numbers_tables_and_links_each_reference_to_its_target(output: Path) -> None:
    html = (output / "distillation-paper.html").read_text(encoding="utf-8")
    assert '<a href="#figure-exchanges-by-lab" class="xref">Figure\u00a01</a>' in html
    assert '<a href="#table-campaigns" class="xref">Table\u00a01</a>' in html
    assert '<table class="data compact" id="table-campaigns">' in html
    assert '<caption><span class="label">Table 1.</span> Exchanges with Claude' in html
    assert 'id="figure-exchanges-by-lab"' in html
    assert "@fig-" not in html and "@tbl-" not in html


def test_pdf_reads_the_numbers_and_links_inside_the_document(output: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(output / "distillation-paper.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\u00a0", " ")
    flat = " ".join(text.split())
    assert "the smallest bar in Figure 1 is barely visible" in flat
    assert "as Table 1 shows" in flat
    assert "Table 1. Exchanges with Claude attributed to each lab" in flat
    internal = 0
    for page in PdfReader(output / "distillation-paper.pdf").pages:
        for annot in page.get("/Annots") or []:
            link = annot.get_object()
            action = link.get("/A")
            if link.get("/Dest") is not None or (action and action.get("/S") == "/GoTo"):
                internal += 1
    assert internal >= 2  # the two references (and the contents entries) jump inside the PDF


def test_word_edition_reads_the_numbers(output: Path) -> None:
    with zipfile.ZipFile(output / "distillation-paper.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert "as Table\u00a01 shows" in document
    assert "Table\u00a01. Exchanges with Claude" in document
    assert "@tbl-" not in document


def test_a_reference_to_no_chart_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "proj")
    paper = root / PAPER
    text = paper.read_text(encoding="utf-8").replace("@fig-exchanges-by-lab", "@fig-exchange")
    paper.write_text(text, encoding="utf-8")
    line, column = next(
        (i, x.index("@fig-exchange") + 1)
        for i, x in enumerate(text.splitlines(), 1)
        if "@fig-exchange" in x
    )
    out = io.StringIO()
    assert main(["--project", str(root), "check"], out=out) == 1
    assert (
        f"{PAPER}:{line}:{column}: error: @fig-exchange refers to no chart of this briefing"
    ) in out.getvalue()
    assert "charts: exchanges-by-lab, share-by-lab, timeline" in out.getvalue()


def test_the_timeline_says_unconfirmed_in_its_description_and_its_source_line(
    output: Path,
) -> None:
    """A timeline's source line speaks of dates, and the unconfirmed period is said in words
    in the source line and the alt text (HTML and PDF), not only drawn hollow."""
    html = (output / "distillation-paper.html").read_text(encoding="utf-8")
    figure = html.split('id="figure-timeline"')[1].split("</figure>")[0]
    reading = (
        "Dates as reported, placed to scale except across a marked break; a hollow marker "
        "and a hatched period are unconfirmed"
    )
    assert reading in figure
    assert "Figures as reported" not in figure
    period = "The period from January 2023 to November 2024 is unconfirmed"
    assert period in figure  # in the alt text, as the hatching draws it
    assert "(unconfirmed)" in figure
    assert "(unconfirmed: low-reliability sources only)" in figure  # in the alt text
    with zipfile.ZipFile(output / "distillation-paper.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert reading in document and period in document
