"""Page fit, read from the rendered PDF of a real briefing (tests/fixtures/page-fit, the
example paper frozen when its layout wasted room): the key judgments box is one unit on
page 1, and no page but the last leaves a large blank band.

Blank is measured as a reader sees it: the page is rendered, and the tallest run of pixel
rows with no ink between the top and bottom page margins (so the running heads and page
numbers do not count) is taken as a share of that body height. One band, not the sum of all
white rows: paragraph and heading spacing is not waste, a hole is. The limit (15%) is
render.layout.BLANK_SHARE: the two holes an editor flagged were 17% and 19% of the body.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import MiniProject

from citebrief.render.layout import BLANK_SHARE

FIXTURE = Path(__file__).parent / "fixtures" / "page-fit"
MARGINS_MM = {"a4": (24, 22, 297), "letter": (16, 15, 279.4)}
"""Top and bottom page margins and page height (briefing.css @page), in millimetres."""


@pytest.fixture(scope="module", params=["a4", "letter"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    root = tmp_path_factory.mktemp(f"page-fit-{request.param}") / "proj"
    shutil.copytree(FIXTURE, root)
    if request.param == "letter":
        with (root / "citebrief.toml").open("a", encoding="utf-8") as toml:
            toml.write('\n[house]\npaper = "letter"\ndates = "us"\n')
    run = MiniProject(root).run("build")
    assert run.code == 0, run.out
    return request.param, root / "output" / "distillation-paper.pdf"


def page_texts(pdf_path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(pdf_path)
    return [" ".join(page.get_textpage().get_text_bounded().split()) for page in pdf]


def key_judgment_openings() -> list[str]:
    """The first words of each key judgment, as the briefing's source gives them."""
    text = (FIXTURE / "briefings" / "distillation-paper.md").read_text(encoding="utf-8")
    box = text.split("## Key judgments", 1)[1].split("\n\n", 2)[1]
    items = [line[2:] for line in box.splitlines() if line.startswith("- ")]
    return [" ".join(re.split(r"\[\[", item)[0].split()[:6]) for item in items]


def blank_bands(pdf_path: Path, paper: str) -> list[float]:
    """Per page, the tallest band with no ink inside the margins, as a share of the body."""
    top_mm, bottom_mm, height_mm = MARGINS_MM[paper]
    shares = []
    for page in pdfium.PdfDocument(pdf_path):
        ink = page.render(scale=1, grayscale=True).to_numpy()
        rows = (ink.reshape(ink.shape[0], -1) < 235).any(axis=1)
        top = round(len(rows) * top_mm / height_mm)
        bottom = len(rows) - round(len(rows) * bottom_mm / height_mm)
        run = tallest = 0
        for inked in rows[top:bottom]:
            run = 0 if inked else run + 1
            tallest = max(tallest, run)
        shares.append(tallest / (bottom - top))
    return shares


def test_the_key_judgments_box_is_whole_on_page_one(built: tuple) -> None:
    _, pdf = built
    texts = page_texts(pdf)
    openings = key_judgment_openings()
    assert len(openings) == 5
    pages = {o: [i + 1 for i, t in enumerate(texts) if o in t] for o in openings}
    assert all(found == [1] for found in pages.values()), pages


def test_no_page_but_the_last_leaves_a_large_blank_band(built: tuple) -> None:
    paper, pdf = built
    shares = blank_bands(pdf, paper)
    holes = {n + 1: f"{s:.0%}" for n, s in enumerate(shares[:-1]) if s > BLANK_SHARE}
    assert not holes, f"pages with a blank band over {BLANK_SHARE:.0%} of the body: {holes}"
