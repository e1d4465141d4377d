"""Hostile or very large inputs: the work grows with the input, never with its square.

Speeds are printed by benchmarks/, never asserted here. These tests pin the behaviour that
the linear algorithms must keep (checked against a plain reading of the rule), and run
each big input once so that a quadratic regression shows as a slow test.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citebrief.errors import Location
from citebrief.model import PAGE_BREAK, Reliability, Source
from citebrief.passages import archived_text


def _source(text: str, paged: bool = True) -> Source:
    return Source(
        id="report",
        title="Report",
        publisher="Agency",
        author="unknown",
        url="unknown",
        published=None,
        retrieved=None,
        kind="primary",
        reliability=Reliability.HIGH,
        reliability_note="",
        sha256="0" * 64,
        note="",
        text=text,
        body_line=1,
        location=Location("sources/report.txt", 1, 1),
        pages=text.count(PAGE_BREAK) + 1 if paged else None,
    )


@st.composite
def _texts_with_passages(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(st.text(alphabet="ab \f", max_size=40))
    spans = draw(
        st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=6)
    )
    return text, [(min(a, b), max(a, b), f"q{k}") for k, (a, b) in enumerate(spans)]


@given(_texts_with_passages())
def test_the_evidence_shows_the_whole_text_with_every_cited_character_marked(case) -> None:
    text, passages = case
    segments = archived_text(_source(text), passages).segments
    assert "".join(s.text for s in segments) == text.replace(PAGE_BREAK, "")
    at, positions = 0, [i for i, c in enumerate(text) if c != PAGE_BREAK]
    for segment in segments:
        cited = [
            any(s <= positions[at + k] < e for s, e, _ in passages)
            for k in range(len(segment.text))
        ]
        assert cited == [segment.marked] * len(segment.text), (segment, passages)
        assert list(segment.anchors) == [a for s, _, a in passages if s == positions[at]]
        at += len(segment.text)


def test_the_evidence_of_a_long_source_cited_thousands_of_times_is_one_run_a_passage() -> None:
    sentences = [f"Line {k} counts {k} requests." for k in range(20_000)]
    text = PAGE_BREAK.join(sentences)
    starts = [text.index(s) for s in sentences[::4]]
    passages = [(start, start + len("Line 0"), f"q{k}") for k, start in enumerate(starts)]
    segments = archived_text(_source(text), passages).segments
    assert sum(s.marked for s in segments) == len(passages)
    assert [s.page for s in segments if s.page] == list(range(1, len(sentences) + 1))
