"""The Word edition: real footnotes, headings, tables and charts, and nothing a reader should not see.

The DOCX is opened as what it is, a zip of WordprocessingML, and compared with the Document
it was written from. These tests run pandoc but not the PDF layout, so they stay fast.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO, MiniProject

from citebrief.check import check
from citebrief.cli import main
from citebrief.common.pandoc import PANDOC_MISSING, pandoc_version
from citebrief.document.model import (
    Assessment,
    Chart,
    Disagreements,
    Document,
    Heading,
    Table,
    Timeline,
)
from citebrief.facts.corpus import Project
from citebrief.render.chart import draw
from citebrief.render.docx import pandoc_ast, render_docx
from citebrief.render.theme import REFERENCE_DOCX, Theme

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
THEME = Theme.of(REPO)


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {d.spec.name: d for d in check(Project(REPO)).briefings}


@pytest.fixture(scope="module")
def editions(documents: dict[str, Document]) -> dict[str, bytes]:
    return {name: _docx(document) for name, document in documents.items()}


def _docx(document: Document) -> bytes:
    fonts = THEME.fonts()
    charts = {b.name: draw(b, fonts).png for b in document.blocks if isinstance(b, Chart)}
    return render_docx(document, charts, THEME.find(REFERENCE_DOCX))


def part(docx: bytes, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return ElementTree.fromstring(z.read(name))


def text_of(element: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def paragraphs(docx: bytes, style: str) -> list[str]:
    body = part(docx, "word/document.xml")
    return [
        text_of(p)
        for p in body.iter(f"{W}p")
        if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and s.get(f"{W}val") == style
    ]


def plain(parts: tuple) -> str:
    out = []
    for item in parts:
        if hasattr(item, "content"):
            out.append(plain(item.content))
        else:
            out.append(getattr(item, "display", None) or getattr(item, "text", ""))
    return "".join(out)


# --- footnotes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_every_note_is_a_real_word_footnote_with_its_words(
    documents: dict[str, Document], editions: dict[str, bytes], name: str
) -> None:
    document, docx = documents[name], editions[name]
    notes = [
        f
        for f in part(docx, "word/footnotes.xml").iter(f"{W}footnote")
        if f.get(f"{W}type") is None  # not the separators
    ]
    calls = list(part(docx, "word/document.xml").iter(f"{W}footnoteReference"))
    assert len(notes) == len(calls) == len(document.notes) > 5
    for footnote, note in zip(notes, document.notes, strict=True):
        assert text_of(footnote).strip() == plain(note.text).strip()


# --- headings, tables, charts --------------------------------------------------------------------


def test_sections_are_word_headings_under_the_title(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    document, docx = documents["distillation-paper"], editions["distillation-paper"]
    sections = [
        plain(b.content) for b in document.blocks if isinstance(b, Heading) and b.level == 2
    ]
    assert paragraphs(docx, "Heading1") == sections
    assert "Sources" in sections and "Timeline" in sections
    assert paragraphs(docx, "Title") == [document.spec.meta.title]


def test_tables_have_captions_and_a_repeating_header_row(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    document, docx = documents["distillation-paper"], editions["distillation-paper"]
    kinds = (Table, Timeline, Disagreements, Assessment)
    expected = [b for b in document.blocks if isinstance(b, kinds)]
    tables = list(part(docx, "word/document.xml").iter(f"{W}tbl"))
    assert len(tables) == len(expected) >= 3
    for table in tables:
        first_row = table.find(f"{W}tr")
        assert first_row is not None and first_row.find(f"{W}trPr/{W}tblHeader") is not None
    captions = paragraphs(docx, "TableCaption")
    assert "Reliability of each source cited" in captions
    assert "Figures on which the sources differ" in captions


def test_charts_are_pictures_with_alt_text_caption_and_source_line(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    document, docx = documents["distillation-paper"], editions["distillation-paper"]
    charts = [b for b in document.blocks if isinstance(b, Chart)]
    pictures = list(part(docx, "word/document.xml").iter(f"{WP}docPr"))
    assert [p.get("descr") for p in pictures] == [c.alt for c in charts]
    assert paragraphs(docx, "FigureTitle") == [f"Figure {c.number}. {c.title}" for c in charts]
    sources = paragraphs(docx, "FigureSource")
    assert len(sources) == len(charts)
    assert all(s.startswith("Source") and "Data: " in s for s in sources)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == len(charts)
        assert all(z.read(n).startswith(b"\x89PNG") for n in media)


def test_memo_title_block_and_document_properties(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    meta = documents["distillation-memo"].spec.meta
    docx = editions["distillation-memo"]
    assert paragraphs(docx, "Marking") == [meta.marking]
    assert paragraphs(docx, "Title") == [meta.title]
    assert paragraphs(docx, "MemoLine") == [
        f"For: {meta.audience}",
        f"From: {meta.author}",
        "Date: 23\u00a0November\u00a02026",
        f"Subject: {meta.subtitle}",
    ]
    core = part(docx, "docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.findtext(f"{dc}title") == meta.title
    assert core.findtext(f"{dc}creator") == meta.author
    assert core.findtext("{http://purl.org/dc/terms/}created") == "2026-11-23T00:00:00Z"
    # nothing false about the application: no 'Microsoft Word 12.0.0', no other file's counts
    assert list(part(docx, "docProps/app.xml")) == []


def test_running_heads_name_the_briefing_its_marking_and_edition(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    meta = documents["distillation-paper"].spec.meta
    docx = editions["distillation-paper"]
    header = text_of(part(docx, "word/header1.xml"))
    footer = text_of(part(docx, "word/footer1.xml"))
    assert meta.marking in header and (meta.short_title or meta.title) in header
    assert "Edition of 23\u00a0November\u00a02026" in footer and "Page " in footer
    assert "{{" not in header + footer


def test_a_placeholder_written_in_the_title_is_printed_as_written(
    documents: dict[str, Document],
) -> None:
    """The running head is filled in once: a short title that holds '{{marking}}' or
    '{{edition}}' is the author's text, not a second placeholder to expand."""
    document = documents["distillation-paper"]
    meta = document.spec.meta.model_copy(update={"short_title": "Notes on {{marking}} {{edition}}"})
    spec = dataclasses.replace(document.spec, meta=meta)
    docx = _docx(dataclasses.replace(document, spec=spec))
    header = text_of(part(docx, "word/header1.xml"))
    assert "Notes on {{marking}} {{edition}}" in header
    assert meta.marking in header


def test_table_rows_are_kept_whole_across_pages(editions: dict[str, bytes]) -> None:
    rows = list(part(editions["distillation-paper"], "word/document.xml").iter(f"{W}tr"))
    assert rows and all(len(r.findall(f"{W}trPr/{W}cantSplit")) == 1 for r in rows)


def test_source_list_entries_are_link_targets(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    document, docx = documents["distillation-paper"], editions["distillation-paper"]
    body = part(docx, "word/document.xml")
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    anchors = {h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")} - {None}
    assert {s.anchor for s in document.sources.values()} <= bookmarks
    assert anchors <= bookmarks, anchors - bookmarks


# --- what readers never see ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_no_ids_paths_or_hashes_in_the_word_text(
    documents: dict[str, Document], editions: dict[str, bytes], name: str
) -> None:
    document, docx = documents[name], editions[name]
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        words = " ".join(
            text_of(ElementTree.fromstring(z.read(n)))
            for n in ("word/document.xml", "word/footnotes.xml")
        )
        properties = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("docProps/"))
    for shown in (words, properties):
        assert "sources/" not in shown and ".txt" not in shown and "citebrief" not in shown
        assert not re.search(r"\b[0-9a-f]{7,40}\b", shown)
        for source_id in document.sources:
            assert source_id not in shown, source_id
        for fact_id in document.facts_used:
            assert fact_id not in shown, fact_id
        assert "not captured" not in shown.lower()


# --- determinism and tooling ---------------------------------------------------------------------


def test_same_document_same_bytes_dated_by_the_edition(
    documents: dict[str, Document], editions: dict[str, bytes]
) -> None:
    memo = documents["distillation-memo"]
    again = _docx(memo)
    assert again == editions["distillation-memo"]
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        dates = {i.date_time[:3] for i in z.infolist()}
    assert (2026, 11, 23) in dates
    assert all(d[0] == 2026 for d in dates)  # the edition, or the shipped reference document


def test_pandoc_is_given_nothing_to_read_but_the_chart_pictures(
    documents: dict[str, Document],
) -> None:
    """Every picture in the AST is a bare chart file name, resolved in pandoc's private
    folder; links are written, never fetched."""
    document = documents["distillation-paper"]
    names = {b.name: f"{b.name}.png" for b in document.blocks if isinstance(b, Chart)}
    ast = pandoc_ast(document, names, pandoc_version()[1])
    assert sorted(image_targets(ast)) == sorted(names.values())


def image_targets(node: object) -> list[str]:
    if isinstance(node, dict):
        if node.get("t") == "Image":
            return [node["c"][2][0]]
        return [t for value in node.values() for t in image_targets(value)]
    if isinstance(node, list):
        return [t for value in node for t in image_targets(value)]
    return []


def test_the_ast_version_is_the_one_pandoc_reads() -> None:
    empty = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"], input="", capture_output=True, text=True
    )
    written = re.search(r'"pandoc-api-version":\[([\d,]+)\]', empty.stdout)
    assert written is not None
    assert pandoc_version()[1] == [int(n) for n in written.group(1).split(",")]


def test_a_missing_pandoc_is_one_plain_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = MiniProject(tmp_path)
    project.source("news-1", "Chinese labs opened approximately 24,000 fraudulent accounts.\n")
    project.facts(
        """
        - id: campaign.accounts
          label: Fraudulent accounts
          value: 24000
          unit: accounts
          qualifier: about
          citations:
            - source: news-1
              quote: "Chinese labs opened approximately 24,000 fraudulent accounts."
        """
    )
    project.briefing("Accounts: [[campaign.accounts]].\n")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    pandoc_version.cache_clear()
    try:
        code = main(["--project", str(tmp_path), "build"], out=(out := io.StringIO()))
    finally:
        pandoc_version.cache_clear()
    err = capsys.readouterr().err
    assert code == 2, out.getvalue() + err  # a set-up problem, like a missing project
    assert "apt install pandoc" in err and "Traceback" not in err
    assert PANDOC_MISSING in err.splitlines()[0]
    assert not (tmp_path / "output").exists()


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_memo_as_one_page(editions: dict[str, bytes], tmp_path: Path) -> None:
    """A real word processor reads it: the memo converts to a one-page PDF with its words."""
    (tmp_path / "memo.docx").write_bytes(editions["distillation-memo"])
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "memo.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from pypdf import PdfReader

    pdf = PdfReader(tmp_path / "memo.pdf")
    words = " ".join((page.extract_text() or "") for page in pdf.pages)
    assert "Bottom line" in words and "Exchanges with Claude" in words
    assert len(pdf.pages) <= 2  # fonts differ from the PDF edition's, so allow a little slack
