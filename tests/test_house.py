"""citebrief.toml [house]: paper, dates and language, obeyed by every writer (HTML, PDF,
DOCX, evidence page), read from the rendered outputs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, MiniProject
from pypdf import PdfReader

from citebrief.cli import main

US_HOUSE = '\n[house]\npaper = "letter"\ndates = "us"\nlang = "en-US"\n'


@pytest.fixture(scope="module")
def us_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built as a U.S. congressional product: Letter paper, U.S. dates."""
    root = tmp_path_factory.mktemp("house") / "us"
    root.mkdir()
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    (root / "citebrief.toml").write_text(
        (REPO / "citebrief.toml").read_text(encoding="utf-8") + US_HOUSE, encoding="utf-8"
    )
    out = io.StringIO()
    assert main(["--project", str(root)], out=out) == 0, out.getvalue()
    return root


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.replace("\u00a0", " ")


def docx_part(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(name).decode("utf-8")


@pytest.mark.parametrize("name", ["distillation-memo", "distillation-paper"])
def test_letter_paper_in_the_pdf_and_the_word_edition(us_project: Path, name: str) -> None:
    pdf = PdfReader(us_project / f"output/{name}.pdf")
    for page in pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            612,
            792,
        )
    document = docx_part(us_project / f"output/{name}.docx", "word/document.xml")
    sizes = re.findall(r"<w:pgSz [^>]*>", document)
    assert sizes and all('w:w="12240" w:h="15840"' in s for s in sizes)


def test_the_memo_still_fits_its_one_page_on_letter(us_project: Path) -> None:
    assert len(PdfReader(us_project / "output/distillation-memo.pdf").pages) == 1


def test_us_dates_in_every_output(us_project: Path) -> None:
    memo = pdf_text(us_project / "output/distillation-memo.pdf")
    assert "November 23, 2026" in memo and "23 November 2026" not in memo
    assert "January 15, 2026" in memo  # a date fact in the text
    html = (us_project / "output/distillation-paper.html").read_text(encoding="utf-8")
    assert "November\u00a023,\u00a02026" in html  # one line: no-break spaces
    evidence = (us_project / "output/distillation-paper.evidence.html").read_text("utf-8")
    assert "Edition of November\u00a023,\u00a02026" in evidence
    document = docx_part(us_project / "output/distillation-memo.docx", "word/document.xml")
    assert "November\u00a023," in document and "23\u00a0November" not in document
    footer = docx_part(us_project / "output/distillation-paper.docx", "word/footer1.xml")
    assert "November\u00a023,\u00a02026" in footer


UK_DATE = re.compile(
    r"\b\d{1,2}[\s\u00a0]+(January|February|March|April|May|June|July|August|September|"
    r"October|November|December)[\s\u00a0]+\d{4}"
)


def test_no_day_month_date_is_left_in_a_us_house_but_in_quotations(us_project: Path) -> None:
    """Every date the outputs write, including dates staff typed in notes and reasons
    ('23 February 2026 was a Monday') and the timeline's labels, reads 'February 23, 2026';
    only the sources' own words, quoted, keep their form."""
    out = us_project / "output"
    texts = {
        "paper.html": (out / "distillation-paper.html").read_text(encoding="utf-8"),
        "paper.pdf": pdf_text(out / "distillation-paper.pdf"),
        "paper.docx": docx_part(out / "distillation-paper.docx", "word/document.xml")
        + docx_part(out / "distillation-paper.docx", "word/footnotes.xml"),
    }
    evidence = (out / "distillation-paper.evidence.html").read_text(encoding="utf-8")
    texts["evidence"] = re.sub(r"<(blockquote|mark)\b.*?</\1>", "", evidence, flags=re.S)
    for name, text in texts.items():
        assert not UK_DATE.search(text), (name, UK_DATE.findall(text))
    timeline = texts["paper.html"].split('id="figure-timeline"')[1].split("</svg>")[0]
    assert ">February 23, 2026<" in timeline and ">January 2023<" in timeline


def test_the_language_tag_in_html_pdf_evidence_and_word(us_project: Path) -> None:
    for page in ("distillation-memo.html", "distillation-memo.evidence.html"):
        text = (us_project / "output" / page).read_text(encoding="utf-8")
        assert '<html lang="en-US"' in text
    pdf = PdfReader(us_project / "output/distillation-memo.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == "en-US"
    core = docx_part(us_project / "output/distillation-memo.docx", "docProps/core.xml")
    assert "<dc:language>en-US</dc:language>" in core


@pytest.mark.parametrize(
    ("house", "message", "hint"),
    [
        (
            'paper = "A5"',
            "setting 'house.paper' in citebrief.toml: input should be 'a4' or 'letter'",
            'hint: write one of "a4", "letter" (in double quotes)',
        ),
        (
            'dates = "american"',
            "setting 'house.dates' in citebrief.toml: input should be 'uk' or 'us'",
            'hint: write one of "uk" (23 November 2026), "us" (November 23, 2026)',
        ),
        (
            'lang = "English"',
            "setting 'house.lang' in citebrief.toml: string should match pattern",
            'hint: write a language tag in double quotes, e.g. "en", "en-US"',
        ),
        (
            'papr = "letter"',
            "setting 'house.papr' in citebrief.toml: extra inputs are not permitted",
            "under [house]: paper, dates, lang",
        ),
    ],
)
def test_a_bad_house_setting_is_a_located_error(
    project: MiniProject, house: str, message: str, hint: str
) -> None:
    project.file("citebrief.toml", f'name = "x"\n\n[house]\n{house}\n')
    run = project.run("check")
    assert run.code == 1
    first = run.out.splitlines()[0]
    assert first.startswith(f"citebrief.toml:4:1: error: {message}"), run.out
    assert hint in run.out
