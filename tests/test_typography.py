"""House typography, read from the rendered outputs: the PDF's text layer (what a reader
copies, searches and hears from a screen reader), the page images' text per page, and
Chromium's layout of the HTML."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, MiniProject
from pypdf import PdfReader

from citebrief.check import check
from citebrief.cli import main
from citebrief.document.model import Document, FigureRef, FigureStyle, ListBlock
from citebrief.facts.corpus import Project


def _copy_example(dest: Path) -> MiniProject:
    dest.mkdir(parents=True)
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "citebrief.toml", dest / "citebrief.toml")
    return MiniProject(dest)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> MiniProject:
    project = _copy_example(tmp_path_factory.mktemp("typography") / "proj")
    out = io.StringIO()
    assert main(["--project", str(project.root)], out=out) == 0, out.getvalue()
    return project


@pytest.fixture(scope="module")
def documents(example: MiniProject) -> dict[str, Document]:
    return {d.spec.name: d for d in check(Project(example.root)).briefings}


def figures(parts: tuple) -> list[FigureRef]:
    found = []
    for part in parts:
        if isinstance(part, FigureRef):
            found.append(part)
        elif hasattr(part, "content"):
            found += figures(part.content)
    return found


def prose_figures(document: Document) -> list[FigureRef]:
    out: list[FigureRef] = []
    for block in document.blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                for inner in item:
                    out += figures(getattr(inner, "content", ()))
        else:
            out += figures(getattr(block, "content", ()))
    return [f for f in out if f.note and f.style == FigureStyle.FIGURE]


def text_layer(pdf: Path) -> str:
    """The text pdftotext reads, with no-break spaces as the spaces a reader copies."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def unbroken_words(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_a_note_mark_is_never_read_as_one_more_digit(
    example: MiniProject, documents: dict[str, Document], name: str
) -> None:
    """'about 24,000¹' copies as 'about 24,000 1', never 'about 24,0001'; a mark follows the
    punctuation closing its clause ('review. 8')."""
    text = text_layer(example.root / f"output/{name}.pdf")
    shown = prose_figures(documents[name])
    assert len(shown) > 5
    for figure in shown:
        expected = f"{unbroken_words(figure.display)}{figure.trailing} {figure.note}"
        assert expected in text, f"{expected!r} not in the text layer"
        glued = f"{unbroken_words(figure.display)}{figure.trailing}{figure.note}"
        assert glued not in text
    assert "24,0001" not in text and "20267" not in text
    if name == "distillation-memo":  # after the full stop, not before it
        assert re.search(r"case-by-case review\. 8\b", re.sub(r"\s+", " ", text))


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_no_line_breaks_inside_a_figure_or_a_date(
    example: MiniProject, documents: dict[str, Document], name: str
) -> None:
    """'15 January 2026', 'more than 3.4 million': no-break spaces keep each on one line."""
    text = text_layer(example.root / f"output/{name}.pdf")
    for figure in prose_figures(documents[name]):
        assert "\u00a0" in figure.display or " " not in figure.display
        assert unbroken_words(figure.display) in text, f"{figure.display!r} is broken"
    assert "Edition of 23 November 2026" in text


def test_page_one_text_layer_reads_in_order_without_the_running_heads(
    example: MiniProject, documents: dict[str, Document]
) -> None:
    """The running heads come from CSS strings: nothing hidden sits in page 1's text."""
    for name in ("distillation-memo", "distillation-paper"):
        meta = documents[name].spec.meta
        first = PdfReader(example.root / f"output/{name}.pdf").pages[0].extract_text()
        lines = [line for line in first.splitlines() if line.strip()]
        assert lines[0] == meta.marking.upper()
        assert first.upper().count(meta.marking.upper()) == 1
    second = PdfReader(example.root / "output/distillation-paper.pdf").pages[1].extract_text()
    paper = documents["distillation-paper"].spec.meta
    assert paper.short_title and paper.short_title in second
    assert paper.marking.upper() in second.upper()


def test_the_key_judgments_box_never_leaves_one_item_alone_on_the_next_page(
    example: MiniProject, documents: dict[str, Document]
) -> None:
    (box,) = [b for b in documents["distillation-paper"].blocks if isinstance(b, ListBlock)][:1]
    starts = []
    for item in box.items:
        words = unbroken_words("".join(getattr(p, "text", "") for p in item[0].content))  # type: ignore[union-attr]
        starts.append(" ".join(words.split()[:4]))
    pages = [text_layer_page(example.root / "output/distillation-paper.pdf", n) for n in (1, 2)]
    where = [next(i for i, page in enumerate(pages) if start in page) for start in starts]
    assert where == sorted(where)
    assert where.count(where[-1]) >= 2, f"items by page: {where}"


def text_layer_page(pdf: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", " ", unbroken_words(text))


def test_no_figure_wraps_in_chromium_at_phone_width(example: MiniProject, tmp_path: Path) -> None:
    """Chromium lays out the HTML at 390 px: every figure is one box on one line."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is required (bash .ci/setup --test installs it)"
    page = example.root / "output/distillation-paper.html"
    probe = page.with_name("probe.html")
    probe.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>const broken = [...document.querySelectorAll('main .fig')]"
            ".filter(e => !e.classList.contains('statement') && !e.closest('.chart-source'))"
            ".filter(e => e.getClientRects().length > 1).map(e => e.textContent);"
            "document.body.setAttribute('data-broken', JSON.stringify(broken));"
            "document.body.setAttribute('data-count', "
            "String(document.querySelectorAll('main .fig').length));</script></body>",
        ),
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=390,2400",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    count = re.search(r'data-count="(\d+)"', dom)
    assert count and int(count.group(1)) > 10
    broken = re.search(r"data-broken=\"([^\"]*)\"", dom)
    assert broken and broken.group(1) == "[]", broken and broken.group(1)
