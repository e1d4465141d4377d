"""House citation style: how notes and the source list word a source, field by field.

American (Chicago) style: commas and full stops go inside closing quotation marks; every
note ends with one full stop; unknown fields are left out (an unknown date reads "n.d.").
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import REPO

from citebrief.check import check
from citebrief.document.model import CitationForm, Inline, NoteCitation
from citebrief.document.notes import citation_parts, cited_source, sentence, short_titles
from citebrief.document.state import plain_text
from citebrief.errors import Location
from citebrief.facts.corpus import Project
from citebrief.model import PartialDate, Reliability, Source


def source(
    title: str = "",
    author: str = "",
    publisher: str = "",
    url: str = "",
    published: PartialDate | None = None,
    retrieved: dt.date | None = None,
) -> Source:
    return Source(
        id="s",
        title=title,
        publisher=publisher,
        author=author,
        url=url,
        published=published,
        retrieved=retrieved,
        kind="report",
        reliability=Reliability.HIGH,
        reliability_note="",
        sha256="",
        note="",
        text="",
        body_line=1,
        location=Location("sources/s.txt"),
    )


def text_of(parts: list[Inline]) -> str:
    out = ""
    for part in parts:
        content = getattr(part, "content", None)
        out += text_of(list(content)) if content is not None else part.text  # type: ignore[union-attr]
    return out


def note(src: Source, form: CitationForm, pages: tuple[int, int] | None = None) -> str:
    citation = NoteCitation("s", form, "", pages)
    return text_of(sentence(citation_parts(citation, src, short_titles([src]), None)))


FULL, SHORT = CitationForm.FULL, CitationForm.SHORT
JAN = PartialDate(2026, 1, 15)
DAY = dt.date(2026, 11, 26)
URL = "https://example.org/r"


@pytest.mark.parametrize(
    ("src", "form", "pages", "expected"),
    [
        (
            source(title="Chip Export Licensing"),
            FULL,
            None,
            "\u201cChip Export Licensing,\u201d n.d.",
        ),
        (
            source(title="Chip Export Licensing"),
            SHORT,
            (2, 2),
            "\u201cChip Export Licensing,\u201d p. 2.",
        ),
        (source(title="Chip Export Licensing"), SHORT, None, "\u201cChip Export Licensing.\u201d"),
        (
            source(title="Chip Export Licensing", author="Mane Sachin", publisher="AI Hub Blog"),
            FULL,
            (2, 3),
            "Mane Sachin, \u201cChip Export Licensing,\u201d AI Hub Blog, n.d., pp. 2\u20133.",
        ),
        (
            source(title="Chip Export Licensing", author="Mane Sachin"),
            SHORT,
            (2, 2),
            "Sachin, \u201cChip Export Licensing,\u201d p. 2.",
        ),
        (
            source(title="Chip Export Licensing", publisher="BIS", published=JAN, retrieved=DAY),
            FULL,
            (1, 1),
            "BIS, \u201cChip Export Licensing,\u201d 15 January 2026, p. 1, "
            "accessed 26 November 2026.",
        ),
        (
            source(title="Chip Export Licensing", url=URL, retrieved=DAY),
            FULL,
            None,
            f"\u201cChip Export Licensing,\u201d n.d., {URL}, accessed 26 November 2026.",
        ),
        (
            source(title="Chip Export Licensing", url=URL),
            FULL,
            (1, 1),
            f"\u201cChip Export Licensing,\u201d n.d., p. 1, {URL}.",
        ),
        (source(title="Is It Legal?"), SHORT, (4, 4), "\u201cIs It Legal?\u201d p. 4."),
        (source(publisher="BIS"), FULL, None, "BIS, n.d."),
        (source(publisher="BIS"), SHORT, (1, 1), "BIS, p. 1."),
        (source(), SHORT, None, "Untitled source."),
    ],
)
def test_a_note_puts_its_commas_and_full_stop_inside_the_quotation_marks(
    src: Source, form: CitationForm, pages: tuple[int, int] | None, expected: str
) -> None:
    assert note(src, form, pages) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (source(title="Chip Export Licensing"), "\u201cChip Export Licensing.\u201d n.d."),
        (
            source(
                title="Chip Export Licensing",
                author="Mane Sachin",
                publisher="AI Hub Blog",
                published=JAN,
                url=URL,
                retrieved=DAY,
            ),
            "Sachin, Mane. \u201cChip Export Licensing.\u201d AI Hub Blog. 15 January 2026. "
            f"{URL}. Accessed 26 November 2026.",
        ),
    ],
)
def test_a_source_list_entry_is_in_bibliography_order(src: Source, expected: str) -> None:
    assert text_of(list(cited_source(src, "a", {}).entry)) == expected


def test_a_chart_source_line_ends_with_its_full_stop_inside_the_quotation_marks() -> None:
    src = source(title="Chip Export Licensing")
    titled = cited_source(src, "a", short_titles([src]))
    assert titled.name_ending == "\u201cChip Export Licensing.\u201d"
    assert cited_source(source(publisher="BIS"), "a", {}).name_ending == "BIS."


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "the incident entry is dated 2026-02-23.",
            "the incident entry is dated 23 February 2026.",
        ),
        ("updated 2026-02 and 2025-11-30", "updated February 2026 and 30 November 2025"),
        ("rule 2026-13-40 and ref ABC-2026-01-15", "rule 2026-13-40 and ref ABC-2026-01-15"),
    ],
)
def test_dates_in_a_sources_assessment_read_in_house_style(typed: str, read: str) -> None:
    src = source(title="Incident database")
    src = dataclasses.replace(src, reliability_note=typed)
    assert cited_source(src, "a", {}).reliability_note == read


def test_no_note_nests_parentheses() -> None:
    """House style never sets a parenthesis within a parenthesis: the example's disagreement
    reason names an article ("AI-Powered Content") in parentheses of its own."""
    report = check(Project.open(REPO))
    notes = [plain_text(n.text) for d in report.briefings for n in d.notes]
    disputed = [n for n in notes if "machine-written article" in n.lower()]
    assert disputed, notes
    for note in notes:
        depth = 0
        for char in note:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, note
