"""Computed figures are evidence too: the reviewers' page of the example paper lists every
computed figure the briefing shows, with its formula in words, each input as reported (its
qualifier, the range it allows, its citations linked to the input's own entry), the range
the inputs imply, and the words chosen and why; read from the HTML and from the text layer
of the page printed to PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, MiniProject

from citebrief.cli import main
from citebrief.render.html import render_pdf


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("computed-evidence") / "proj"
    root.mkdir()
    for name in ("sources", "briefings"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citebrief.toml", root / "citebrief.toml")
    assert main(["--project", str(root), "build", "distillation-paper"], out=io.StringIO()) == 0
    return root / "output"


class _Text(HTMLParser):
    """The visible text of each computed entry, and the links it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.ids: set[str] = set()
        self.current: str | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "section" and "computed-item" in str(a.get("class")):
            self.current = str(a["id"]).removeprefix("evidence-")
            self.entries[self.current], self.links[self.current] = [], []
        if self.current and tag == "a":
            self.links[self.current].append(str(a.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current:
            self.entries[self.current].append(data)


def _page(output: Path) -> _Text:
    page = _Text()
    page.feed((output / "distillation-paper.evidence.html").read_text(encoding="utf-8"))
    return page


def _flat(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts))


def test_every_computed_figure_the_briefing_shows_has_an_entry(output: Path) -> None:
    briefing = (output / "distillation-paper.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'data-fact="(derived\.[^"]+)"', briefing))
    assert shown == {"derived.labs.total", "derived.labs.minimax-share"}
    assert set(_page(output).entries) == shown


def test_an_entry_gives_formula_inputs_range_and_the_words_with_their_reason(
    output: Path,
) -> None:
    text = _flat(_page(output).entries["derived.labs.minimax-share"])
    assert "MiniMax’s share of all exchanges attributed to the three labs: less than 81%" in text
    assert (
        "Share: exchanges attributed to MiniMax, as a percentage of the sum of exchanges "
        "attributed to DeepSeek, exchanges attributed to Moonshot AI and exchanges "
        "attributed to MiniMax." in text
    )
    assert (
        "Exchanges attributed to DeepSeek: more than 150,000 (qualifier: more than; allows "
        "more than 150,000, with no upper limit). Cited from AI Hub Blog." in text
    )
    assert "about 13 million (qualifier: about; allows from 11.7 million to 14.3 million)" in text
    assert "Range the inputs imply From 0% to 80.12%" in text
    assert "Words chosen “less than 81%”. The inputs set an upper limit but no lower one" in text
    assert "only an upper limit can be given" in text
    total = _flat(_page(output).entries["derived.labs.total"])
    assert "Range the inputs imply More than 15.25 million, with no upper limit." in total
    assert "Words chosen “more than 15 million”. The inputs set a lower limit" in total


def test_readers_see_labels_never_ids(output: Path) -> None:
    ids = re.compile(r"\b(?:derived|labs|campaign)\.[a-z]+[.-]")
    for fid, parts in _page(output).entries.items():
        assert not ids.search(_flat(parts)), fid


def test_each_input_s_citations_link_to_the_input_s_own_entry(output: Path) -> None:
    page = _page(output)
    links = page.links["derived.labs.total"]
    for fact in ("labs.deepseek.exchanges", "labs.moonshot.exchanges", "labs.minimax.exchanges"):
        assert f"#evidence-{fact}" in links
    internal = [link[1:] for link in links if link.startswith("#")]
    assert internal and all(anchor in page.ids for anchor in internal)


def test_the_briefing_s_computed_figures_and_notes_open_their_entries(output: Path) -> None:
    briefing = (output / "distillation-paper.html").read_text(encoding="utf-8")
    for fid in ("derived.labs.total", "derived.labs.minimax-share"):
        assert f'href="distillation-paper.evidence.html#evidence-{fid}"' in briefing


def test_the_printed_evidence_page_has_them_in_its_text_layer(output: Path, tmp_path: Path) -> None:
    page = (output / "distillation-paper.evidence.html").read_text(encoding="utf-8")
    pdf = render_pdf(page, {}, REPO)[0]  # the archived texts' emoji flags have no glyph
    (tmp_path / "evidence.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "evidence.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = re.sub(r"\s+", " ", text)
    assert "Computed figures, with the figures they are calculated from" in text
    assert "Range the inputs imply More than 15.25 million, with no upper limit." in text
    assert "Words chosen “less than 81%”." in text


FACTS = """
- id: a.count
  label: Queries by Alpha Labs
  subject: alpha
  value: 40000000
  unit: queries
  qualifier: exact
  citations:
    - {source: news, quote: "Alpha Labs ran 40 million queries."}
- id: b.count
  label: Queries by Beta Corp
  subject: beta
  value: 10000000
  unit: queries
  qualifier: about
  citations:
    - {source: news, quote: "Beta Corp ran about 10 million queries."}
- id: c.ratio
  label: Queries by Alpha Labs for each query by Beta Corp
  ratio: [a.count, b.count]
- id: c.gap
  label: Queries by Alpha Labs beyond those by Beta Corp
  difference: [a.count, b.count]
"""


def test_a_ratio_and_a_difference_read_as_their_formulas(project: MiniProject) -> None:
    project.source(
        "news", "Alpha Labs ran 40 million queries.\nBeta Corp ran about 10 million queries.\n"
    )
    project.file(
        "briefings/entities.yaml",
        """
        entities:
          - {id: alpha, name: Alpha Labs}
          - {id: beta, name: Beta Corp}
        units:
          - {id: queries, singular: query, plural: queries}
        """,
    )
    project.facts(FACTS)
    project.briefing("Alpha ran [[c.ratio]] as many; [[c.gap]] more.\n")
    run = project.run("build")
    assert run.code == 0, run.out
    page = _Text()
    page.feed((project.root / "output" / "b.evidence.html").read_text(encoding="utf-8"))
    ratio = _flat(page.entries["c.ratio"])
    assert "Ratio: queries by Alpha Labs divided by queries by Beta Corp." in ratio
    assert "(qualifier: exact; allows 40 million exactly)" in ratio
    assert "From 3.63 times to 4.45 times." in ratio
    gap = _flat(page.entries["c.gap"])
    assert "Difference: queries by Alpha Labs minus queries by Beta Corp." in gap
    assert "From 29 million to 31 million." in gap
