"""Clean text from every intake path: page furniture, site names in titles, publishers and
datelines, read from PDFs made by Chromium and LibreOffice and from saved pages.

How the fixtures were made: tests/fixtures/make/make.sh (trade-chromium.pdf is a two-column
A5 article printed with Chromium's own header and footer and the page's fixed masthead and
colophon; notice-libreoffice.pdf a two-column notice with a running header and a 'Page N of M'
footer, exported by LibreOffice from make/workload-notice.fodt).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MiniProject
from test_sources import FIXTURES, add, archived

from citebrief.archive.furniture import without_furniture
from citebrief.archive.masthead import find_dateline, publisher_of, split_site
from citebrief.model import PartialDate

TRADE = "citebrief-trade-desk-licence-rule-h200-class"
NOTICE = "citebrief-licensing-desk-office-workload-notice"


def test_a_chromium_print_is_archived_without_its_page_furniture(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "trade-chromium.pdf")
    assert code == 0, out
    front, body = archived(project, TRADE)
    for furniture in (
        "Citebrief Trade Desk · Export controls",  # the page's fixed masthead
        "Subscriber copy",  # its fixed colophon
        "file:///",  # Chromium's footer: the address and 'page/pages'
        "1/3",
        "| Citebrief Trade D",  # Chromium's header: print date and title
        "News Insights Events About us",  # the site's navigation above the headline
    ):
        assert furniture not in body, furniture
    assert body.startswith("Licence Rule for H200-Class Chips\nTakes Effect\nJanuary 16, 2026\n")
    pages = body.split("\f")
    assert len(pages) == 3 and "pages: 3" in front  # the page map is kept for pinpoints
    assert pages[1].startswith("Bureau did not dispute when\nasked.")
    assert pages[2].rstrip().endswith("Reference\n2512080059.")  # the article's own last line
    assert "left out as page furniture (running headers, footers, page numbers): " in out
    found = project.run("quote", TRADE, "The chairman of the select committee")
    assert found.code == 0 and "p. 2" in found.out, found.out


def test_the_title_loses_its_site_suffix_and_the_site_is_the_publisher(
    project: MiniProject,
) -> None:
    code, out = add(project, FIXTURES / "trade-chromium.pdf")
    assert code == 0, out
    front, _ = archived(project, TRADE)
    assert 'title: "Licence Rule for H200-Class Chips Takes Effect"' in front
    assert 'publisher: "Citebrief Trade Desk"' in front
    assert "publisher: 'Citebrief Trade Desk', from the site its title and its pages name" in out


def test_a_dateline_is_offered_as_published_never_written(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "trade-chromium.pdf")
    assert code == 0, out
    front, _ = archived(project, TRADE)
    assert 'published: "unknown"' in front
    assert (
        "the text carries a dateline, 'January 16, 2026' (line 3): if that is when it was "
        "published, set published: 2026-01-16 in the source's front matter (or archive it "
        "with --published 2026-01-16)"
    ) in out


def test_a_dateline_is_not_offered_when_a_date_is_given(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "trade-chromium.pdf", "--published", "2026-01-16")
    assert code == 0, out
    assert "published: 2026-01-16" in archived(project, TRADE)[0]
    assert "the text carries a dateline" not in out


def test_a_libreoffice_export_is_archived_without_header_and_page_numbers(
    project: MiniProject,
) -> None:
    code, out = add(project, FIXTURES / "notice-libreoffice.pdf")
    assert code == 0, out
    front, body = archived(project, NOTICE)
    assert "Citebrief Licensing Notes" not in body  # the running header
    assert "Page 1 of 2" not in body and "Page 2 of 2" not in body
    assert body.count("Licensing Office Workload Notice") == 1  # the headline stays
    pages = body.split("\f")
    assert len(pages) == 2 and pages[1].startswith("pending licences and for an")
    assert 'title: "Licensing Office Workload Notice"' in front
    assert 'publisher: "Citebrief Licensing Desk"' in front  # 'Published by the …' says so
    assert 'author: "Licensing desk"' in front
    assert "the text carries a dateline, 'March 2, 2026' (line 2)" in out
    assert project.run("check").code == 0


def test_a_saved_page_loses_the_site_suffix_its_metadata_does_not_strip(
    project: MiniProject,
) -> None:
    code, out = add(project, FIXTURES / "title-suffix.html", "--id", "suffix")
    assert code == 0, out
    front, body = archived(project, "suffix")
    assert "About us" not in body
    assert 'title: "Exporters wait for security review guidance"' in front
    assert 'publisher: "The Example Ledger"' in front
    assert "the text carries a dateline, 'March 4, 2026'" in out


def test_a_pasted_capture_with_a_dateline_is_offered_it(
    project: MiniProject, tmp_path: Path
) -> None:
    capture = tmp_path / "capture.txt"
    capture.write_text(
        "title: Commerce briefs staff\n---\nWASHINGTON — Jan. 13, 2026\n"
        "The Bureau briefed committee staff on the rule.\n",
        encoding="utf-8",
    )
    code, out = add(project, capture, "--id", "cap")
    assert code == 0, out
    assert "the text carries a dateline, 'Jan. 13, 2026' (line 1)" in out


# --- the rules, case by case ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Rule Takes Effect | Export Desk", (), ("Rule Takes Effect", "Export Desk")),
        (
            "Commerce Eases H200 Rule - Reuters",
            ("Reuters",),
            ("Commerce Eases H200 Rule", "Reuters"),
        ),
        # a dash may join a headline's parts: without the site named, the title stays whole
        ("Commerce Eases H200 Rule - Reuters", (), ("Commerce Eases H200 Rule - Reuters", None)),
        ("Chips: a review", (), ("Chips: a review", None)),
        (
            "Part one | part two of a very long subtitle here",
            (),
            ("Part one | part two of a very long subtitle here", None),
        ),
    ],
)
def test_a_site_suffix_is_split_only_when_it_is_one(
    title: str, names: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    assert split_site(title, names) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Head\nPublished by the Office of Analysis (a test)\nBody.", "Office of Analysis"),
        ("Body.\n© 2026 Citebrief Test Press. All rights reserved.", "Citebrief Test Press"),
        (
            "Body.\nCopyright © 2025 Example Communications News, Inc. All rights reserved.",
            "Example Communications News",
        ),
        ("The copyright of the work is disputed.", None),
    ],
)
def test_the_publisher_is_taken_where_the_page_says_so(text: str, expected: str | None) -> None:
    found = publisher_of(text, None)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("January 16, 2026", "January 16, 2026"),
        ("Published: Jan. 16, 2026 at 9:30 AM EST", "Jan. 16, 2026"),
        ("WASHINGTON — January 16, 2026", "January 16, 2026"),
        ("Friday, 16 January 2026", "16 January 2026"),
        ("2026-01-16", "2026-01-16"),
        ("The rule of January 16, 2026 took effect.", None),  # a sentence, not a dateline
    ],
)
def test_a_dateline_is_a_date_standing_by_itself(line: str, written: str | None) -> None:
    found = find_dateline(f"Headline\n{line}\nBody.")
    assert (found.written if found else None) == written
    if found:
        assert found.date == PartialDate(2026, 1, 16) and found.line == 2


def test_a_line_repeated_in_one_place_only_is_not_furniture() -> None:
    pages = ("Header\nOne body line\nPage 1 of 2", "Header\nAnother body line\nPage 2 of 2")
    cleaned, removed = without_furniture(pages)
    assert cleaned == ("One body line", "Another body line")
    assert removed == ("Header", "Page 1 of 2", "Page 2 of 2")
    single = ("A table\nChina\n12\n",)  # one page's lone number may be a figure
    assert without_furniture(single)[0] == ("A table\nChina\n12",)


@pytest.mark.parametrize(
    "pdf", ["trade-chromium.pdf", "article-chromium.pdf", "notice-libreoffice.pdf"]
)
def test_every_quote_triage_offers_from_a_pdf_is_a_whole_sentence(
    real_project: MiniProject, pdf: str
) -> None:
    """A PDF's lines break anywhere ('… On January 15, 2026, the' / 'Bureau of …', '… to
    U.S.' / 'customers.', '… in' / 'China …', across a page break): each quote offered to
    paste is whole, from its first word to its full stop."""
    code, out = add(real_project, FIXTURES / pdf)
    assert code == 0, out
    quotes = [line.split('quote: "', 1)[1][:-1] for line in out.splitlines() if 'quote: "' in line]
    assert quotes, out
    for quote in quotes:
        assert quote[0].isupper() and quote[-1] in ".!?", quote
