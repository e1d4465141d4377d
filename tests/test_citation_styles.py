"""Notes and sources in a CSL style (pandoc's citeproc), checked on the rendered outputs.

The example paper is built in the default style (Chicago notes-bibliography) on A4 with UK
dates and in APA on US Letter with US dates; the PDF's text layer and the Word file's
footnotes must show a full first note, short later notes that tell sources apart, each
dispute once, and nothing of citebrief's machinery (ids, paths, tool names).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, MiniProject

from citebrief.check import check
from citebrief.document import citations
from citebrief.document.notes import short_titles
from citebrief.document.state import plain_text
from citebrief.facts.corpus import Project, load_corpus
from citebrief.facts.styles import shipped_styles

PAPER = "distillation-paper"
SOURCE_IDS = (
    "seed000-unattributed",
    "seed001-aihubblog",
    "seed003-machine-written",
    "seed004-economic-times",
    "afslaw-h200-rule",
    "fenwick-h200-rule",
)
PHRASE_STARTS = {"of", "with", "amid", "for", "from", "using"}
MACHINERY = ("citeproc", "pandoc", ".csl", "sources/", "briefings/", "@seed", "ref-seed")


def house(project: MiniProject, settings: str) -> None:
    marker = project.root / "citebrief.toml"
    marker.write_text(marker.read_text(encoding="utf-8") + f"\n[house]\n{settings}\n")


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def footnotes_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/footnotes.xml").decode("utf-8")


def docx_notes_text(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", footnotes_xml(path).replace("</w:p>", " ")).split())


def built(project: MiniProject) -> tuple[str, str]:
    result = project.run("build", PAPER)
    assert result.code == 0, result.out
    out = project.root / "output"
    return pdf_text(out / f"{PAPER}.pdf"), docx_notes_text(out / f"{PAPER}.docx")


def test_the_paper_in_chicago_notes_on_a4_with_uk_dates(real_project: MiniProject) -> None:
    house(real_project, 'paper = "a4"\ndates = "uk"')
    pdf, docx = built(real_project)
    for text in (pdf, docx):
        # first note of a source: in full, author first, its site, "n.d." for no stated date
        assert (
            "Mane Sachin, “Anthropic Accuses Chinese AI Firms of Mining Claude Amid U.S. AI Chip "
            "Export Debate,” AI Hub Blog, n.d." in text
        )
        # later notes: the short form, unique, cut where a phrase ends
        assert "Sachin, “Mining Claude”" in text
        assert "The Economic Times, “Data Copying”" in text
        assert "“Secretly Training Rivals”" in text
        assert "“Anthropic Accuses Chinese AI”" not in text  # stood for two sources
        assert "of Secretly”" not in text  # cut inside a phrase
        # a dispute is written once, and a later note of the fact points to it
        assert text.count("Disputed: “Anthropic Accuses Chinese AI Firms of Systematic") == 1
        assert "Disputed: see note 2." in text
        assert "(machine-written article (" not in text  # no parentheses in parentheses
        for shown in (*SOURCE_IDS, *MACHINERY):
            assert shown not in text, shown
    # the source list, from the same call, in the style's order
    sources = pdf.split("Sources 1.", 1)[1]
    assert "Sachin, Mane. “Anthropic Accuses Chinese AI Firms of Mining Claude" in sources
    assert sources.index("AI Incident Database") < sources.index("Sachin, Mane")


def test_the_paper_in_apa_on_letter_with_us_dates(real_project: MiniProject) -> None:
    house(real_project, 'paper = "letter"\ndates = "us"\ncitation_style = "apa.csl"')
    pdf, docx = built(real_project)
    for text in (pdf, docx):
        assert "Sachin, n.d.; The Economic Times, n.d." in text  # author-date, no parentheses
        assert "Mane Sachin, “Anthropic" not in text  # no Chicago note
        assert text.count("Disputed: Systematic Data Harvesting, n.d., gives") == 1
        assert "n.d.." not in text
        for shown in (*SOURCE_IDS, *MACHINERY):
            assert shown not in text, shown
    assert "Sachin, M. (n.d.). Anthropic Accuses Chinese AI Firms of Mining Claude" in pdf
    size = subprocess.run(
        ["pdfinfo", str(real_project.root / "output" / f"{PAPER}.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "612 x 792 pts (letter)" in size


def test_two_builds_are_byte_identical(real_project: MiniProject) -> None:
    first = real_project.run("build", PAPER)
    assert first.code == 0, first.out
    out = real_project.root / "output"
    names = [f"{PAPER}.pdf", f"{PAPER}.html", f"{PAPER}.docx"]
    before = {name: (out / name).read_bytes() for name in names}
    shutil.rmtree(out / ".cache", ignore_errors=True)  # the second build asks citeproc again
    again = real_project.run("build", "--force", PAPER)
    assert again.code == 0, again.out
    assert {name: (out / name).read_bytes() for name in names} == before


DATED = """
- id: accounts
  label: Fraudulent accounts
  value: 24000
  unit: accounts
  qualifier: about
  citations:
    - source: wire
      quote: "about 24,000 fraudulent accounts"
"""


@pytest.mark.parametrize(
    ("dates", "published"),
    [
        ("uk", "3 February 2026"),
        ("us", "February 3, 2026"),
    ],
)
def test_dates_in_notes_follow_the_house(project: MiniProject, dates: str, published: str) -> None:
    project.source(
        "wire",
        "Officials counted about 24,000 fraudulent accounts.\n",
        title="Officials count the accounts",
        author="Ann Reporter",
        publisher="Wire Service",
        published="2026-02-03",
        retrieved="2026-03-05",
        url="https://example.org/count",
    )
    project.facts(DATED)
    project.briefing("Accounts: [[accounts]]. Again: [[accounts]].\n")
    house(project, f'dates = "{dates}"')
    report = check(Project.open(project.root))
    (document,) = report.briefings
    first, later = (plain_text(n.text) for n in document.notes)
    assert first == (  # Chicago gives no access date for a dated source
        f"Ann Reporter, “Officials Count the Accounts,” Wire Service, {published}, "
        "https://example.org/count."
    )
    assert later == "Reporter."  # the previous note's source: its author alone (Chicago 17)


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('"nowhere.csl"', "citation style 'nowhere.csl' not found"),
        ('"../outside.csl"', "citation style '../outside.csl' not read"),
        ('"styles/broken.csl"', "citation style 'styles/broken.csl' is not valid XML"),
        ('"styles/plain.csl"', "is not a CSL style"),
        ('"house.txt"', "is not a CSL file (.csl)"),
    ],
)
def test_a_style_that_cannot_be_used_is_an_error_at_its_line(
    project: MiniProject, setting: str, said: str
) -> None:
    (project.root.parent / "outside.csl").write_text("<style/>", encoding="utf-8")
    project.file("styles/broken.csl", "<style")
    project.file("styles/plain.csl", "<style><info/></style>")
    project.facts(DATED)
    project.source("wire", "Officials counted about 24,000 fraudulent accounts.\n")
    project.briefing("Accounts: [[accounts]].\n")
    house(project, f'dates = "uk"\ncitation_style = {setting}')
    result = project.run("check")
    assert result.code == 1, result.out
    assert "citebrief.toml:5:1: error: setting 'house.citation_style'" in result.out
    assert said in result.out
    hint = ", ".join(f'"{name}"' for name in shipped_styles())
    assert f"use one of the styles citebrief ships: {hint}" in result.out


def test_a_project_style_by_its_path(project: MiniProject) -> None:
    shipped = Path(__file__).parent.parent / "templates" / "csl" / "apa.csl"
    project.file("styles/house.csl", shipped.read_text(encoding="utf-8"))
    project.source("wire", "Officials counted about 24,000 fraudulent accounts.\n")
    project.facts(DATED)
    project.briefing("Accounts: [[accounts]].\n")
    house(project, 'citation_style = "styles/house.csl"')
    (document,) = check(Project.open(project.root)).briefings
    assert plain_text(document.notes[0].text) == "Test Publisher, n.d."


def test_citeproc_answers_are_kept_by_hash(
    project: MiniProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.source("wire", "Officials counted about 24,000 fraudulent accounts.\n")
    project.facts(DATED)
    project.briefing("Accounts: [[accounts]].\n")
    citations._MEMO.clear()
    (first,) = check(Project.open(project.root)).briefings
    (kept,) = (project.root / "output" / ".cache" / "citeproc").iterdir()
    citations._MEMO.clear()

    def no_citeproc(*args: object) -> None:
        raise AssertionError("citeproc ran again for the same style, sources and citations")

    monkeypatch.setattr(citations, "_run_citeproc", no_citeproc)
    (again,) = check(Project.open(project.root)).briefings
    assert again.notes == first.notes
    monkeypatch.undo()
    kept.write_text("{not json", encoding="utf-8")  # a damaged answer is asked again
    citations._MEMO.clear()
    (third,) = check(Project.open(project.root)).briefings
    assert third.notes == first.notes


def test_short_titles_tell_the_example_s_sources_apart_at_phrase_ends() -> None:
    sources = list(load_corpus(Project.open(REPO)).corpus.sources.values())
    titles = short_titles(sources)
    assert len({t.casefold() for t in titles.values()}) == len(titles)  # unique
    for source in sources:
        if source.id not in titles:
            continue
        short = titles[source.id].split()
        words = [w.rstrip(",:;.") for w in source.title.split()]
        at = next(i for i in range(len(words)) if words[i : i + len(short)] == short)
        after = words[at + len(short)] if at + len(short) < len(words) else None
        main_title_ends = source.title.split()[at + len(short) - 1].endswith(":")
        assert after is None or main_title_ends or after.lower() in PHRASE_STARTS
        assert short[-1].lower() not in {"of", "the", "a", "and"}
    assert titles["seed001-aihubblog"] == "Mining Claude"
    assert titles["seed000-unattributed"] == "Secretly Training Rivals"
    assert titles["aiid-claude-api"] == "Entities"


def test_a_source_nothing_names_is_an_untitled_source(project: MiniProject) -> None:
    project.source(
        "wire",
        "Officials counted about 24,000 fraudulent accounts.\n",
        title="unknown",
        publisher="unknown",
    )
    project.facts(DATED)
    project.briefing("Accounts: [[accounts]]. Again: [[accounts]].\n")
    (document,) = check(Project.open(project.root)).briefings
    first, later = (plain_text(n.text) for n in document.notes)
    assert (first, later) == ("Untitled source, n.d.", "Untitled source.")
