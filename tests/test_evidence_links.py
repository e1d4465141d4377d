"""Evidence one click away: every figure and note of the HTML briefing opens its entry on the
evidence page; the evidence page names the briefing's note numbers (linked back), marks
disputes in its headings, and sets "Warning accepted" small, as Chromium lays it out."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO

from citebrief.cli import main


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evidence") / "proj"
    root.mkdir()
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    out = io.StringIO()
    assert main(["--project", str(root), "build", "distillation-paper"], out=out) == 0
    return root / "output"


class _Page(HTMLParser):
    """Ids, and each figure span with the link it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str | None] = []
        self.figures: list[tuple[str, str | None]] = []
        self.note_links: list[tuple[str, str]] = []
        self.in_main = False
        self.note: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "main":
            self.in_main = True
        if tag == "li" and str(a.get("id", "")).startswith("fn-"):
            self.note = str(a["id"])
        if tag == "a":
            self.links.append(a.get("href"))
            if self.note and a.get("class") == "fn-evidence":
                self.note_links.append((self.note, str(a.get("href"))))
        if tag == "span" and self.in_main and a.get("class") == "fig" and a.get("data-fact"):
            inside = self.links[-1] if self.links else None
            self.figures.append((str(a["data-fact"]), inside))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            self.links.pop()
        if tag == "main":
            self.in_main = False
        if tag == "li":
            self.note = None


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_figure_in_the_text_opens_its_evidence_entry(output: Path) -> None:
    briefing = parsed(output / "distillation-paper.html")
    evidence = parsed(output / "distillation-paper.evidence.html")
    facts = [(fact, href) for fact, href in briefing.figures if not fact.startswith("derived.")]
    assert len(facts) > 20
    for fact, href in facts:
        assert href == f"distillation-paper.evidence.html#evidence-{fact}", fact
        assert f"evidence-{fact}" in evidence.ids


def test_every_note_links_to_the_evidence_of_its_fact(output: Path) -> None:
    briefing = parsed(output / "distillation-paper.html")
    evidence = parsed(output / "distillation-paper.evidence.html")
    assert len(briefing.note_links) > 20
    for _, href in briefing.note_links:
        page, anchor = href.split("#")
        assert page == "distillation-paper.evidence.html" and anchor in evidence.ids


def test_the_evidence_page_shows_the_briefing_s_note_numbers_linked_back(output: Path) -> None:
    evidence = (output / "distillation-paper.evidence.html").read_text(encoding="utf-8")
    briefing = parsed(output / "distillation-paper.html")
    entry = evidence.split('id="evidence-labs.minimax.exchanges"')[1].split("</section>")[0]
    numbers = re.findall(r'href="distillation-paper\.html#fnref-(\d+)"', entry)
    assert len(numbers) >= 2 and "Notes " in entry
    for number in numbers:
        assert f"fnref-{number}" in briefing.ids


def test_disputes_are_marked_in_the_evidence_headings(output: Path) -> None:
    evidence = (output / "distillation-paper.evidence.html").read_text(encoding="utf-8")

    def heading(fact: str) -> str:
        return evidence.split(f'id="evidence-{fact}"')[1].split("</h3>")[0]

    assert '<span class="dispute-mark">Disputed</span>' in heading("campaign.exchanges")
    assert "Worded otherwise" in heading("campaign.accounts")  # same number, "more than"
    assert "dispute-mark" not in heading("labs.minimax.exchanges")


def test_warning_accepted_is_set_smaller_than_the_headings_in_chromium(
    output: Path, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is required (bash .ci/setup --test installs it)"
    page = output / "distillation-paper.evidence.html"
    probe = page.with_name("probe.html")
    probe.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>const size = s => parseFloat(getComputedStyle("
            "document.querySelector(s)).fontSize);"
            "document.body.setAttribute('data-sizes', "
            "[size('.acknowledged'), size('h3.evidence-label')].join(' '));</script></body>",
        ),
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    sizes = re.search(r'data-sizes="([\d.]+) ([\d.]+)"', dom)
    assert sizes, dom[-500:]
    accepted, heading = float(sizes.group(1)), float(sizes.group(2))
    assert accepted < heading


def _pdf_links(pdf: Path) -> list[tuple[int, str, tuple[float, ...]]]:
    from pypdf import PdfReader

    links = []
    for index, page in enumerate(PdfReader(pdf).pages):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                rect = tuple(float(v) for v in annotation.get_object()["/Rect"])
                links.append((index + 1, str(action["/URI"]), rect))
    return links


def _text_in(pdf: Path, page: int, rect: tuple[float, ...]) -> str:
    """The PDF's text layer inside a link's rectangle (pdftotext measures from the top)."""
    from pypdf import PdfReader

    height = float(PdfReader(pdf).pages[page - 1].mediabox.height)
    (x1, x2), (y1, y2) = sorted(rect[::2]), sorted(rect[1::2])
    inset = (y2 - y1) / 4  # inside the link: small notes set close overlap their neighbours
    y1, y2 = y1 + inset, y2 - inset
    box = ["-x", f"{x1:.0f}", "-y", f"{height - y2:.0f}", "-W", f"{x2 - x1 - 1:.0f}"]
    box += ["-H", f"{y2 - y1 + 1:.0f}"]
    args = ["pdftotext", "-f", str(page), "-l", str(page), *box, str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_the_pdf_links_figures_and_note_numbers_to_their_evidence_entries(output: Path) -> None:
    """Each link is relative (the evidence page is kept beside the PDF, in output/ and in a
    published edition), never a path on the machine that built it, and lands on an entry
    that exists: the figure it covers is that fact's figure."""
    pdf = output / "distillation-paper.pdf"
    evidence = _Page()
    evidence.feed((output / "distillation-paper.evidence.html").read_text(encoding="utf-8"))
    links = _pdf_links(pdf)
    assert not [u for _, u, _ in links if u.startswith("file:") or "/tmp" in u]
    to_evidence = [(p, u, r) for p, u, r in links if u.startswith("distillation-paper.evidence")]
    assert len(to_evidence) > 100
    for _, uri, _ in to_evidence:
        assert uri.split("#")[1] in evidence.ids, uri
    minimax = [
        _text_in(pdf, p, r) for p, u, r in to_evidence if u.endswith("-labs.minimax.exchanges")
    ]
    assert any(t.replace("\u00a0", " ").startswith("about 13 million") for t in minimax), minimax
    (document,) = [d for d in _documents(output) if d.spec.name == "distillation-paper"]
    numbers = {n.number for n in document.notes if f"evidence-{n.fact_id}" in evidence.ids}
    note_links = [
        (p, u, r) for p, u, r in to_evidence if re.fullmatch(r"\d+\.", _text_in(pdf, p, r).strip())
    ]
    assert {int(_text_in(pdf, p, r).strip()[:-1]) for p, _, r in note_links} == numbers


def _documents(output: Path) -> list:
    from citebrief.check import check
    from citebrief.facts.corpus import Project

    return check(Project(output.parent)).briefings


def test_the_word_edition_links_each_figure_to_its_evidence_entry(output: Path) -> None:
    import zipfile

    with zipfile.ZipFile(output / "distillation-paper.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)}
    linked = re.findall(
        r'<w:hyperlink r:id="(rId\d+)"[^>]*>(.*?)</w:hyperlink>', document, flags=re.S
    )
    figures = {
        targets[rid].split("#evidence-")[1]: "".join(re.findall(r"<w:t[^>]*>([^<]*)", body))
        for rid, body in linked
        if targets.get(rid, "").startswith("distillation-paper.evidence.html#evidence-")
    }
    assert figures["labs.minimax.exchanges"] == "about\u00a013\u00a0million"
    assert not [t for t in targets.values() if t.startswith("file:") or t.startswith("/")]
