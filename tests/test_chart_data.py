"""Every chart offers its data as CSV with the citation attached, next to the chart in the
HTML (as Our World in Data does); the PDF has no such link."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import unquote

from conftest import MiniProject


def test_each_chart_offers_its_data_with_citations(real_project: MiniProject) -> None:
    result = real_project.run("build", "distillation-paper")
    assert result.code == 0, result.out
    html = (real_project.root / "output" / "distillation-paper.html").read_text(encoding="utf-8")
    links = re.findall(
        r'<a href="data:text/csv;charset=utf-8,([^"]*)" download="([\w-]+)\.csv">', html
    )
    assert [name for _, name in links] == ["exchanges-by-lab", "share-by-lab", "timeline"]
    text = unquote(links[0][0])
    assert "labs.minimax.exchanges" not in text and "seed001" not in text  # no ids for readers
    rows = list(csv.DictReader(io.StringIO(text)))
    minimax = [r for r in rows if r["label"] == "MiniMax"]
    assert minimax and minimax[0]["label"] == "MiniMax"
    assert minimax[0]["value"] == "13000000" and minimax[0]["qualifier"] == "about"
    assert minimax[0]["unit"] == "exchanges"
    assert all(r["source_title"] and r["cited"] for r in minimax)  # each citation, its words
    assert "roughly 13 million interactions" in " ".join(r["cited"] for r in minimax)
    timeline = list(csv.DictReader(io.StringIO(unquote(links[2][0]))))
    assert all(r["date"] for r in timeline)


def test_the_pdf_has_no_download_link(real_project: MiniProject) -> None:
    import pypdf

    result = real_project.run("build", "distillation-paper")
    assert result.code == 0, result.out
    reader = pypdf.PdfReader(real_project.root / "output" / "distillation-paper.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Download the data" not in text
