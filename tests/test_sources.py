"""Real sources: PDFs made by Chromium and LibreOffice, scans, and how quotes find their page.

The PDFs under tests/fixtures/ were made by other tools (see tests/fixtures/make/make.sh).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest
from conftest import MiniProject

from citebrief.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
REVIEW = "distillation-chips-congress-three-page"


def add(project: MiniProject, path: Path | str, *flags: str) -> tuple[int, str]:
    out = io.StringIO()
    err = io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        code = main(["--project", str(project.root), "add-source", str(path), *flags], out=out)
    return code, out.getvalue() + err.getvalue()


def archived(project: MiniProject, source_id: str) -> tuple[str, str]:
    text = (project.root / "sources" / f"{source_id}.txt").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    return front, body


# --- PDF text ----------------------------------------------------------------------------------


def test_a_chromium_pdf_is_archived_page_by_page_with_its_own_title(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "article-chromium.pdf")
    assert code == 0, out
    assert f"archived sources/{REVIEW}.txt (3 pages, " in out
    front, body = archived(project, REVIEW)
    assert 'title: "Distillation, Chips and Congress: A Three-Page Review"' in front
    assert "pages: 3" in front and f"retrieved: {dt.date.today().isoformat()}" in front
    assert 'published: "unknown"' in front  # a print date is not a publication date
    assert 'author: "unknown"' in front  # Chromium does not write <meta name=author> into the PDF
    pages = body.split("\f")
    assert len(pages) == 3
    assert pages[1].startswith("The export debate forms the second half")
    assert pages[2].startswith("Staff said the next step is a joint letter")
    # ligatures come out as letters, two columns in reading order
    assert "first signs of it were identified by its own\nclassifiers, which flag traffic" in body
    assert "\ufb01" not in body and "\ufb02" not in body
    assert project.run("check").code == 0


def test_retrieved_is_the_day_of_archiving_never_the_day_the_pdf_was_made(
    project: MiniProject,
) -> None:
    """A page printed to PDF in March 2019 and archived today was retrieved today (or on the
    day --retrieved gives): the file's creation date is only mentioned, never recorded."""
    code, out = add(project, FIXTURES / "printed-2019.pdf", "--id", "old")
    assert code == 0, out
    front, _ = archived(project, "old")
    assert f"retrieved: {dt.date.today().isoformat()}" in front
    assert "2019" not in front
    assert "a web browser printed this PDF on 2019-03-05" in out
    code, out = add(project, FIXTURES / "memo-libreoffice.pdf", "--retrieved", "2026-03-01")
    assert code == 0, out
    front, _ = archived(project, "staff-memo-chip-licensing-workload")
    assert "retrieved: 2026-03-01" in front


def test_a_libreoffice_pdf_gives_title_and_author_but_no_guessed_date(
    project: MiniProject,
) -> None:
    code, out = add(project, FIXTURES / "memo-libreoffice.pdf")
    assert code == 0, out
    front, body = archived(project, "staff-memo-chip-licensing-workload")
    assert 'title: "Staff Memo on Chip Licensing Workload"' in front
    assert 'author: "Riley Chen"' in front
    assert 'published: "unknown"' in front
    assert "the PDF states no publication date; the file was created on 2026-11-26" in out
    assert "The office’s flexible staffing plan would move officers" in " ".join(body.split())


def test_flags_override_what_the_pdf_states(project: MiniProject) -> None:
    code, out = add(
        project,
        FIXTURES / "memo-libreoffice.pdf",
        "--title",
        "Licensing memo",
        "--author",
        "Committee staff",
        "--published",
        "2026-02-27",
        "--id",
        "memo",
    )
    assert code == 0, out
    front, _ = archived(project, "memo")
    assert 'title: "Licensing memo"' in front and 'author: "Committee staff"' in front
    assert "published: 2026-02-27" in front


def test_words_broken_by_the_typesetter_are_joined_and_compounds_kept(
    project: MiniProject,
) -> None:
    code, out = add(project, FIXTURES / "hyphenated-chromium.pdf", "--id", "hy")
    assert code == 0, out
    _, body = archived(project, "hy")
    assert "the extraordinary\n" in body  # 'extra‐' / 'ordinary' at a soft hyphen
    assert "H200-\nclass" in body  # a real hyphen is kept
    found = project.run("quote", "hy", "the H200-class chips")
    assert found.code == 0, found.out
    assert (
        'quote: "H200-\\nclass"' not in found.out and 'quote: "the H200-class chips"' in found.out
    )


def test_a_scanned_pdf_is_refused_naming_ocr(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "scanned-no-text.pdf", "--title", "Scan")
    assert code == 1
    assert f"{FIXTURES / 'scanned-no-text.pdf'}:1:1: error: the PDF has no text layer" in out
    assert "the PDF has no text layer (1 page of images): it is a scan" in out
    assert "run OCR on it first" in out
    assert list((project.root / "sources").iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("encrypted.pdf", "the PDF is encrypted with a password"),
        ("truncated.pdf", "the PDF cannot be read"),
    ],
)
def test_unreadable_pdfs_are_refused(
    project: MiniProject, tmp_path: Path, name: str, message: str
) -> None:
    path = FIXTURES / name
    if name == "truncated.pdf":
        path = tmp_path / name
        path.write_bytes((FIXTURES / "memo-libreoffice.pdf").read_bytes()[:2000])
    code, out = add(project, path, "--title", "T")
    assert code == 1 and f"{path}:1:1: error: {message}" in out, out
    assert "hint:" in out
    assert list((project.root / "sources").iterdir()) == []


# --- reading is bounded ------------------------------------------------------------------------


def test_add_source_refuses_links_folders_and_oversized_files_before_reading(
    project: MiniProject, tmp_path: Path
) -> None:
    link = tmp_path / "link.pdf"
    link.symlink_to(FIXTURES / "article-chromium.pdf")
    code, out = add(project, link)
    assert code == 1  # a bad input, reported at its path; 2 is for usage only
    assert out.startswith(f"{link}:1:1: error: this is a symbolic link"), out
    assert out.count(str(link)) == 1  # named once, where the location is
    assert f"{tmp_path}:1:1: error: this is not a regular file" in add(project, tmp_path)[1]
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:  # sparse: the size is refused before anything is read
        handle.truncate(65 * 1024 * 1024)
    code, out = add(project, huge)
    assert code == 1 and "the file is 65 MB; the limit is 64 MB" in out
    if os.path.exists("/dev/zero"):
        assert "this is not a regular file" in add(project, "/dev/zero")[1]


# --- quotes and pages --------------------------------------------------------------------------


@pytest.fixture
def review(project: MiniProject) -> MiniProject:
    assert add(project, FIXTURES / "article-chromium.pdf")[0] == 0
    return project


def test_quote_reports_the_page(review: MiniProject) -> None:
    run = review.run(
        "quote", REVIEW, "the licensing workload at the Bureau would rise by 40 percent"
    )
    assert run.code == 0, run.out
    first = run.out.splitlines()[0]
    assert first.startswith(f"sources/{REVIEW}.txt:")
    assert first.endswith(", p. 2")
    assert '      quote: "the licensing workload at the Bureau would rise by 40 percent"' in run.out


def test_near_misses_name_their_page(review: MiniProject) -> None:
    run = review.run("quote", REVIEW, "licensing workload at the Agency will rise by 45 percent")
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0] == f"not found in sources/{REVIEW}.txt; the nearest passages are:"
    assert lines[1].endswith("alike, p. 2)"), lines[1]


def test_a_quote_may_span_a_page_break(review: MiniProject) -> None:
    run = review.run("quote", REVIEW, "on its own initiative. Staff said the next step")
    assert run.code == 0, run.out
    assert run.out.splitlines()[0].endswith(", pp. 2–3")


def test_check_reports_the_pages_of_quotes_and_disagreements(review: MiniProject) -> None:
    review.facts(
        f"""
        - id: chips.announcement
          label: President announces H200 sales
          value: 2025-12-08
          citations:
            - source: other
              quote: "The announcement came on December 8, 2025, after weeks of talks."
            - source: {REVIEW}
              quote: "the President’s announcement, which this review dates to December 9, 2025"
              disagrees: the review dates it a day later
        - id: chips.pending
          label: Pending license applications
          value: 1200
          unit: applications
          qualifier: exact
          citations:
            - source: {REVIEW}
              quote: "1,200 license applications for H200-class processors were pending"
        """
    )
    review.source("other", "The announcement came on December 8, 2025, after weeks of talks.\n")
    run = review.run("check")
    assert run.code == 0, run.out
    assert (
        f"'{REVIEW}' states 'December 9, 2025' (p. 2) (the review dates it a day later)" in run.out
    )
    quotes = json.loads(review.run("check", "--format", "json").out)["quotes"]
    assert [q["pages"] for q in quotes] == [None, [2, 2], [2, 2]]


# --- web pages ---------------------------------------------------------------------------------

NEWS_ID = "example-ledger-labs-accused-copying-claude"


def test_a_saved_news_page_yields_its_article_and_its_own_metadata(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "news-page.html")
    assert code == 0, out
    assert "from the document's own metadata: title, publisher, author, url, published" in out
    front, body = archived(project, NEWS_ID)
    assert 'title: "Labs accused of copying Claude as chip rule takes effect"' in front
    assert 'author: "Morgan Lee"' in front
    assert 'publisher: "The Example Ledger"' in front
    assert "published: 2026-02-26" in front
    assert f"retrieved: {dt.date.today().isoformat()}" in front  # not a date the page states
    assert 'url: "https://ledger.example.org/tech/2026/02/26/labs-accused-copying-claude"' in front
    assert "approximately 24,000 fraudulent accounts" in body
    assert "Representatives of the three laboratories did not respond" in body
    for boilerplate in (
        "cookies",  # banner
        "ADVERTISEMENT",
        "50% off",
        "Subscribe",  # navigation
        "techfan99",  # comments
        "50 million",
        "Related stories",
        "Most read",
        "newsletter",
        "All rights reserved",
        "Share on",
    ):
        assert boilerplate not in body, boilerplate
    assert project.run("check").code == 0


def test_the_author_is_kept_exactly_as_the_page_states_it(project: MiniProject) -> None:
    """trafilatura would make this two authors, "Seán O'Brien-Smith; Jr"."""
    code, out = add(project, FIXTURES / "byline-suffix.html", "--id", "byline")
    assert code == 0, out
    front, _ = archived(project, "byline")
    assert 'author: "Seán O\'Brien-Smith, Jr."' in front


@pytest.mark.parametrize(
    ("head", "author"),
    [
        ('<meta name="author" content="Jane Q. Analyst">', "Jane Q. Analyst"),
        ('<meta name="author" content="J. R. R. Tolkien">', "J. R. R. Tolkien"),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '[{"@type": "Person", "name": "A. B. Cole"}, {"name": "Dee Ray, III"}]}</script>',
            "A. B. Cole and Dee Ray, III",
        ),
    ],
)
def test_initials_and_suffixes_in_author_names_are_kept(
    project: MiniProject, tmp_path: Path, head: str, author: str
) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        f"<html><head>{head}<title>Story</title></head><body><article><p>The committee met "
        "again to discuss the rule on H200-class chips and the distillation allegations."
        "</p></article></body></html>",
        encoding="utf-8",
    )
    code, out = add(project, page, "--id", "story")
    assert code == 0, out
    front, _ = archived(project, "story")
    assert f'author: "{author}"' in front


@pytest.mark.parametrize(
    ("author", "bibliography"),
    [
        ("Seán O'Brien-Smith, Jr.", "O'Brien-Smith, Seán, Jr."),
        ("J. R. R. Tolkien", "Tolkien, J. R. R."),
        ("Martin Luther King Jr.", "King, Martin Luther, Jr."),
        ("Dee Ray III", "Ray, Dee, III"),
        ("A. B. Cole and Dee Ray, III", "A. B. Cole and Dee Ray, III"),
        ("Mane Sachin", "Sachin, Mane"),
    ],
)
def test_the_bibliography_inverts_a_name_keeping_its_suffix(author: str, bibliography: str) -> None:
    from citebrief.document.notes import inverted

    assert inverted(author) == bibliography


def test_flags_override_what_the_page_states(project: MiniProject) -> None:
    code, out = add(
        project,
        FIXTURES / "news-page.html",
        "--publisher",
        "Ledger (print edition)",
        "--published",
        "2026-02-27",
        "--url",
        "https://example.org/x",
        "--id",
        "ledger",
    )
    assert code == 0, out
    assert "from the document's own metadata: title, author\n" in out
    front, _ = archived(project, "ledger")
    assert 'publisher: "Ledger (print edition)"' in front
    assert "published: 2026-02-27" in front and 'url: "https://example.org/x"' in front


def test_a_page_that_states_nothing_leaves_it_unknown(project: MiniProject, tmp_path: Path) -> None:
    """A date in the address or a host name is not the page stating its date or publisher."""
    page = tmp_path / "story.html"
    page.write_text(
        '<html><head><link rel="canonical" href="https://news.example.com/2025/03/04/story">'
        "</head><body><article><p>Posted on the fourth. The committee met again to discuss the"
        " rule on H200-class chips and the distillation allegations.</p></article></body></html>"
    )
    code, out = add(project, page, "--id", "story")
    assert code == 0, out
    front, _ = archived(project, "story")
    assert 'published: "unknown"' in front
    assert 'publisher: "unknown"' in front and 'author: "unknown"' in front
    assert 'url: "https://news.example.com/2025/03/04/story"' in front


def test_a_page_in_another_encoding_is_read_by_its_declared_charset(
    project: MiniProject, tmp_path: Path
) -> None:
    page = tmp_path / "latin.html"
    page.write_bytes(
        '<html><head><meta charset="windows-1252"><title>Café rules</title></head><body>'
        "<article><p>The café owners’ association said the export rule on H200-class chips "
        "does not affect them at all, and that it will say so to the committee.</p>"
        "</article></body></html>".encode("cp1252")
    )
    code, out = add(project, page, "--id", "latin")
    assert code == 0, out
    _, body = archived(project, "latin")
    assert "The café owners’ association said" in body


# --- metadata at archive time ------------------------------------------------------------------

CAPTURE = """Title: Commerce officials brief staff on H200 licences
Publisher: Committee staff notes
Published: 2026-01
URL: https://example.org/notes/h200
Note: pasted from the shared inbox
---
Officials told staff that the office had received more than 300 licence applications.
"""


def test_pasted_metadata_above_a_dashed_line_is_read_not_archived(
    project: MiniProject, tmp_path: Path
) -> None:
    path = tmp_path / "capture.txt"
    path.write_text(CAPTURE)
    code, out = add(project, path, "--author", "R. Chen")
    assert code == 0, out
    source_id = "committee-staff-notes-commerce-officials-brief"
    assert f"id: {source_id}" in out
    front, body = archived(project, source_id)
    assert body == (
        "Officials told staff that the office had received more than 300 licence applications.\n"
    )
    assert 'title: "Commerce officials brief staff on H200 licences"' in front
    assert 'publisher: "Committee staff notes"' in front
    assert 'published: "2026-01"' in front
    assert 'author: "R. Chen"' in front  # a flag adds to (and wins over) the pasted fields
    assert 'note: "pasted from the shared inbox"' in front
    assert 'reliability: "unassessed"' in front
    assert project.run("check").code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title: T\nSection: world\n---\nBody text.\n", ":2:1: error: unknown field 'section'"),
        ("Title: T\nPublished: 2026-13\n---\nBody.\n", ":2:12: error: Published '2026-13' is not"),
        ("Title: T\nReliability: great\n---\nBody.\n", ":2:14: error: reliability 'great' is"),
        (
            "Title: T\nDate: March 2019\n---\nBody.\n",
            ":2:7: error: Date 'March 2019' is not a date",
        ),
        ("Title: T\n---\n\n", ":1:1: error: the file has metadata but no text after the '---'"),
    ],
)
def test_pasted_metadata_mistakes_are_located(
    project: MiniProject, tmp_path: Path, text: str, message: str
) -> None:
    """An input error: exit 1, file:line:col: error: … and a hint, as `check` reports."""
    path = tmp_path / "capture.txt"
    path.write_text(text)
    code, out = add(project, path)
    assert code == 1 and f"{path}{message}" in out, out
    assert "\n  hint: " in out and "citebrief: error:" not in out
    assert list((project.root / "sources").iterdir()) == []


@pytest.mark.parametrize(
    ("flag", "front"), [("unknown", '"unknown"'), ("2026-01-16", "2026-01-16")]
)
def test_a_published_flag_wins_over_a_pasted_date_line(
    project: MiniProject, flag: str, front: str
) -> None:
    """A date line pasted from a page ('Date: 16 Jan. 2026, 9:35 AM') that is not a date
    stops add-source with a hint to give the date as a flag; given, the flag wins and the
    line is left unread."""
    capture = FIXTURES / "capture-clock-date.txt"
    code, out = add(project, capture)
    assert code == 1 and f"{capture}:3:7: error: Date '16 Jan. 2026, 9:35 AM' is not a date" in out
    assert "hint: write YYYY-MM-DD, YYYY-MM or YYYY, or give the date with --published" in out
    code, out = add(project, capture, "--published", flag)
    assert code == 0, out
    meta, _ = archived(project, "committee-staff-notes-commerce-officials-brief")
    assert f"published: {front}" in meta


@pytest.mark.parametrize(
    "text",
    [
        "Washington: The committee met on Tuesday.\nMembers asked questions.\n",  # prose
        "Title: T\nno dashed line follows, so this is the text\n",
        "Title: T\nNothing closes this block\n",
    ],
)
def test_text_that_merely_starts_with_a_colon_is_archived_whole(
    project: MiniProject, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(text)
    code, out = add(project, path, "--id", "plain")
    assert code == 0, out
    assert archived(project, "plain")[1] == text


def test_month_and_year_dates_flags_and_notes(project: MiniProject, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The office reported 300 applications in its first month.\n")
    code, out = add(
        project,
        path,
        "--title",
        "Licence report",
        "--published",
        "2026-01",
        "--reliability",
        "high",
        "--reliability-note",
        "the agency's own count",
        "--note",
        "captured from the agency site",
    )
    assert code == 0, out
    front, _ = archived(project, "licence-report")
    assert 'published: "2026-01"' in front and 'reliability: "high"' in front
    assert 'reliability_note: "the agency\'s own count"' in front
    assert 'note: "captured from the agency site"' in front
    code, out = add(project, path, "--published", "January 2026", "--id", "x")
    assert code == 2 and "--published 'January 2026' is not a date" in out
    assert "write YYYY-MM-DD, YYYY-MM or YYYY" in out


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2026", True),
        ('"2026"', True),
        ('"2026-01"', True),
        ("2026-01-15", True),
        ('"2026-13"', False),
        ("20261", False),
        ('"January"', False),
    ],
)
def test_a_source_date_may_be_a_month_or_a_year(project: MiniProject, value: str, ok: bool) -> None:
    path = project.source("s", "Text.\n")
    path.write_text(path.read_text().replace('published: "unknown"', f"published: {value}"))
    run = project.run("check")
    if ok:
        assert run.code == 0, run.out
    else:
        assert "sources/s.txt:7:12: error: field 'published': " in run.out
        assert "not a date" in run.out or "not a calendar date" in run.out
        assert "YYYY-MM-DD, YYYY-MM or YYYY, or 'unknown'" in run.out


def test_check_warns_once_about_an_unassessed_source_a_briefing_uses(
    project: MiniProject,
) -> None:
    project.source(
        "new", "The office received 300 licence applications by March.\n", reliability="unassessed"
    )
    project.source("spare", "Nothing cited here.\n", reliability="unassessed")
    project.facts(
        """
        - id: lic.count
          label: Licence applications received
          value: 300
          unit: applications
          qualifier: exact
          citations:
            - source: new
              quote: "The office received 300 licence applications by March."
        """
    )
    project.briefing("Applications: [[lic.count]]. Again: [[lic.count]].\n")
    run = project.run("check")
    assert run.code == 0, run.out
    warnings = [line for line in run.out.splitlines() if "has not been assessed" in line]
    assert warnings == [
        "briefings/b.md:9:15: warning: fact 'lic.count' cites 'new', whose reliability has not "
        "been assessed"
    ]
    assert "set reliability (high, medium or low) and reliability_note in sources/new.txt" in (
        run.out
    )


@pytest.mark.parametrize(
    ("title", "publisher", "url", "expected"),
    [
        (
            "Anthropic accuses Chinese AI firms of data copying using fake accounts",
            "The Economic Times",
            "",
            "economic-times-anthropic-accuses-chinese-ai",
        ),
        ("Committee staff summary", "Test committee", "", "test-committee-staff-summary"),
        ("The Rule, Explained", "unknown", "", "rule-explained"),
        ("unknown", "unknown", "https://www.example.org/news/bis-rule", "example-news-bis-rule"),
        ("Café crème: Ärger in Zürich", "Le Monde", "", "le-monde-cafe-creme-arger-zurich"),
    ],
)
def test_derived_ids_are_short_and_readable(
    title: str, publisher: str, url: str, expected: str
) -> None:
    from citebrief.archive.ids import ID_LENGTH, derive_id

    assert derive_id(title, publisher, url) == expected
    assert len(expected) <= ID_LENGTH


# --- the end-to-end case: a PDF quote cited with its page --------------------------------


def test_a_pdf_quote_from_page_two_is_cited_with_its_pinpoint(project: MiniProject) -> None:
    code, out = add(
        project,
        FIXTURES / "article-chromium.pdf",
        "--publisher",
        "Policy Review Desk",
        "--published",
        "2026-01",
        "--url",
        "https://example.org/review.pdf",
        "--reliability",
        "medium",
        "--reliability-note",
        "a test fixture",
        "--id",
        "review",
    )
    assert code == 0, out
    found = project.run("quote", "review", "licensing workload at the Bureau would rise by 40")
    assert found.code == 0 and found.out.splitlines()[0].endswith(", p. 2"), found.out
    quote = found.out.split('quote: "', 1)[1].split('"', 1)[0]
    project.facts(
        f"""
        - id: lic.workload
          label: Rise in the Bureau's licensing workload in the first year, as staff estimate it
          value: 40
          unit: percent
          qualifier: exact
          citations:
            - source: review
              quote: "Committee staff estimated that the {quote} percent in the first year"
        """
    )
    project.briefing("The workload rises by [[lic.workload]].\n", name="memo")
    built = project.run("build", "memo")
    assert built.code == 0, built.out + built.err
    html = (project.root / "output/memo.html").read_text()
    note = html.split('id="fn-1"', 1)[1].split("</li>", 1)[0]
    assert "January 2026, 2, " in note  # Chicago gives a page without "p."
    assert (
        '<a href="https://example.org/review.pdf#page=2">https://example.org/review.pdf</a>' in note
    )
    evidence = (project.root / "output/memo.evidence.html").read_text()
    archive = evidence.split('<section class="archive" id="archive-review">', 1)[1]
    archive = archive.split("</section>", 1)[0]
    assert archive.count('<span class="page-start"') == 3
    marked = archive.split('<mark id="passage-1">', 1)[1].split("</mark>", 1)[0]
    assert " ".join(marked.split()) == (
        "Committee staff estimated that the licensing workload at the Bureau would rise by 40 "
        "percent in the first year"
    )
    assert archive.index('id="archive-review-p2"') < archive.index("<mark")
    assert archive.index("<mark") < archive.index('id="archive-review-p3"')
    assert '<a href="#passage-1">in context</a>' in evidence
    from pypdf import PdfReader

    text = " ".join(
        page.extract_text() for page in PdfReader(project.root / "output/memo.pdf").pages
    )
    assert "January 2026, 2," in " ".join(text.split())


def test_pages_without_text_are_named_when_others_have_text(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "partly-scanned.pdf", "--id", "partly")
    assert code == 0, out
    assert (
        "note: page 2 of 2 had no text layer (scanned images?): their words are not archived" in out
    )
    front, body = archived(project, "partly")
    assert "pages: 2" in front and body.count("\f") == 1


def test_a_count_of_one_takes_the_singular(project: MiniProject) -> None:
    code, out = add(project, FIXTURES / "one-line.txt", "--id", "one-line")
    assert code == 0, out
    assert "archived sources/one-line.txt (1 line, sha256 " in out


def test_no_message_makes_a_plural_by_hand() -> None:
    """Every count in a message goes through common/counts.py, so none says '1 lines'."""
    package = Path(__file__).parent.parent / "citebrief"
    by_hand = re.compile(r"""['"]s['"] (?:\*|if)""")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == []
