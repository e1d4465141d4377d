"""Hostile or very large inputs: the work grows with the input, never with its square.

Speeds are printed by benchmarks/, never asserted here. These tests pin the behaviour that
the linear algorithms must keep (checked against a plain reading of the rule), and run
each big input once so that a quadratic regression shows as a slow test.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from citebrief.archive.factbase import LABEL_OVERLAP, LabelIndex, NumberGroup
from citebrief.archive.findings import Verdict
from citebrief.archive.quoting import LONGEST_PASSAGE, nearest_passages
from citebrief.archive.search import search
from citebrief.archive.triage import triage
from citebrief.check import check
from citebrief.common.suggest import closest
from citebrief.document.passages import archived_text
from citebrief.document.sections import _first_source_id
from citebrief.errors import Location
from citebrief.facts.corpus import Project
from citebrief.model import PAGE_BREAK, Corpus, Fact, FactKind, Qualifier, Reliability, Source
from citebrief.report import Shown
from citebrief.watch import PROBLEMS_SHOWN, Status, rebuild

BASE = Path(__file__).parent / "bad_inputs" / "_base"


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


# --- triage: a new source set against a large fact base ---------------------------------


def _count(n: int, label: str, value: int) -> Fact:
    where = Location("briefings/facts/counts.yaml", n + 1, 1)
    return Fact(
        id=f"counts.c{n}",
        label=label,
        kind=FactKind.NUMBER,
        number=Decimal(value),
        unit="requests",
        qualifier=Qualifier.EXACT,
        date=None,
        text="",
        as_of=None,
        note="",
        citations=(),
        location=where,
        value_location=where,
    )


def _counts(n: int) -> Corpus:
    """n counts of requests, each labelled by who sent them and where; every label has the
    word 'requests'."""
    facts = [_count(k, f"Requests from {_word(k)} in {_word(n + k)}", 1000 + k) for k in range(n)]
    return Corpus(facts={f.id: f for f in facts})


def _word(k: int) -> str:
    return "".join("bcdfghjklmnpqrstvwxz"[int(d)] for d in str(k)) + "o"


def test_triage_sets_a_figure_beside_the_one_fact_of_thousands_its_sentence_is_about() -> None:
    corpus = _counts(5000)
    agrees = f"The {_word(1234)} lab sent 2,234 requests in {_word(6234)}."
    differs = f"The {_word(4321)} lab sent 9,999 requests in {_word(9321)}."
    findings = triage(_source(agrees + "\n\n" + differs, paged=False), corpus)
    assert [(f.verdict, f.fact.id if f.fact else None) for f in findings] == [
        (Verdict.AGREES, "counts.c1234"),
        (Verdict.DISAGREES, "counts.c4321"),
    ]


@given(
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from(list(Qualifier))), max_size=12),
    st.integers(-1, 7),
    st.sampled_from(list(Qualifier)),
)
def test_a_subjects_facts_looked_up_by_value_give_what_a_scan_of_them_all_would(
    values: list[tuple[int, Qualifier]], value: int, bound: Qualifier
) -> None:
    """Triage compares a figure with the facts of its subject through an index: the first
    fact holding the value with the bound, else the closest value (the smaller id on a tie,
    ids compared as text: c10 before c2), exactly as a scan of every fact in order."""
    facts = [
        dataclasses.replace(_count(k, "Requests", v), qualifier=q)
        for k, (v, q) in enumerate(values)
    ]
    group = NumberGroup(facts)
    wanted = Decimal(value)
    same = [f for f in facts if f.number == wanted and f.qualifier == bound]
    assert group.first(wanted, bound) == (same[0] if same else None)
    if facts:
        nearest = min(facts, key=lambda f: (abs((f.number or 0) - wanted), f.id))
        assert group.closest(wanted) == nearest
    assert bool(group) == bool(facts)


@given(
    st.lists(st.sets(st.sampled_from(["alpha", "bravo", "delta", "gamma", "kilo"])), max_size=8),
    st.sets(st.sampled_from(["alpha", "bravo", "delta", "gamma", "kilo", "lima"])),
)
def test_the_label_index_finds_exactly_the_labels_a_sentence_shares_half_the_words_of(
    labels: list[set[str]], sentence: set[str]
) -> None:
    facts = [_count(k, " ".join(sorted(words)), 1000) for k, words in enumerate(labels)]
    expected = {
        f.id: len(words & sentence) / len(words)
        for f, words in zip(facts, labels, strict=True)
        if words and len(words & sentence) / len(words) >= LABEL_OVERLAP
    }
    assert LabelIndex(facts).overlaps(sentence) == expected


def test_a_table_read_as_text_is_triaged_row_by_row_each_row_its_own_quote() -> None:
    rows = [f"Region {_word(k)} {1000 + k:,} requests" for k in range(3000)]
    findings = triage(_source("Requests by region\n" + "\n".join(rows), paged=False), Corpus())
    assert sorted(f.quote for f in findings) == sorted(rows)


# --- search and quote ---------------------------------------------------------------------


def test_search_reads_a_long_run_of_abbreviations_once_and_offers_a_quote_of_reading_size() -> None:
    source = _source("Mr. " * 20_000 + "Smith sent 1,200 requests.", paged=False)
    [hit] = search({"report": source}, "requests")
    assert hit.text.endswith("Smith sent 1,200 requests.")
    assert len(hit.text) <= LONGEST_PASSAGE


def test_the_nearest_passages_to_words_not_found_are_of_reading_size() -> None:
    source = _source("x" * 300_000 + " sent 1,200 requests", paged=False)
    passages = nearest_passages(source, "sent requests")
    assert passages and all(len(p.text) <= LONGEST_PASSAGE for p in passages)
    assert passages[0].text.endswith("sent 1,200 requests")


# --- error floods -------------------------------------------------------------------------


def test_watch_shows_the_first_problems_of_a_flood_and_counts_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    (root / "briefings/facts/bulk.yaml").write_text(
        "".join(
            f"- id: bulk.f{k}\n  label: Requests {k}\n  value: {1000 + k}\n  unit: requests\n  qualifier: exact\n"
            f"  citations:\n    - source: example-report\n"
            f'      quote: "Lab {k} sent {1000 + k:,} requests."\n'
            for k in range(PROBLEMS_SHOWN + 250)
        )
    )
    status, said = Status(), []
    rebuild(Project(root), status, said.append)
    assert status.error.count(": error: quote not found") == PROBLEMS_SHOWN
    assert "… and 250 more problems: `citebrief check` lists them all" in status.error
    assert said == [status.error]
    # the page names the command as `watch` was run, like every hint
    status = Status(shown=Shown(command=".venv/bin/citebrief"))
    rebuild(Project(root), status, said.append)
    assert "… and 250 more problems: `.venv/bin/citebrief check` lists them all" in status.error


# --- source ids in text a reader sees -----------------------------------------------------


def test_a_source_id_among_thousands_is_found_only_as_a_word_of_its_own() -> None:
    ids = {f"{_word(k)}-report": None for k in range(5000)}
    said = f"As the x-{_word(7)}-report and {_word(7)}-reports say, {_word(4321)}-report counts"
    assert _first_source_id(said, ids) == f"{_word(4321)}-report"
    assert _first_source_id("no-report here, nor report", ids) is None


@given(
    st.text(alphabet="ab-_. é", max_size=30),
    st.sets(st.from_regex(r"[ab]{1,3}(-[ab]{1,2})?", fullmatch=True), max_size=5),
)
def test_a_source_id_is_named_where_no_letter_digit_or_hyphen_touches_it(text, ids) -> None:
    touching = (
        re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])") if ids else None
    )
    first = touching.search(text) if touching else None
    assert _first_source_id(text, dict.fromkeys(ids)) == (first.group(1) if first else None)


# --- did you mean -------------------------------------------------------------------------


def test_a_mistyped_id_among_fifty_thousand_is_matched_to_the_id_a_letter_away() -> None:
    known = [f"topic{k // 100:04d}.item{k % 100:03d}" for k in range(50_000)]
    assert closest("topic0123.itme045", known) == "topic0123.item045"
    assert closest("labs.minmax.exchanges", [*known, "labs.minimax.exchanges"]) == (
        "labs.minimax.exchanges"
    )
    assert closest("nothing-like-it", known) is None


def test_a_briefing_of_many_unknown_references_gets_a_suggestion_for_each(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    memo = (root / "briefings/memo.md").read_text()
    refs = "\n".join(f"- Sent [[labs.first.request{k}]] requests." for k in range(300))
    (root / "briefings/memo.md").write_text(
        memo.replace("## Bottom line\n", f"## Bottom line\n\n{refs}\n")
    )
    problems = [p for p in check(Project(root)).problems if p.code == "unknown-fact"]
    assert len(problems) == 300
    assert all(p.hint.startswith("did you mean 'labs.first.requests'? ") for p in problems)


def test_a_pasted_paragraph_with_a_typo_is_matched_to_its_sentences_in_a_long_source() -> None:
    lines = [
        f"Line {k} of the report notes {k * 7} requests from lab {k % 97}." for k in range(5000)
    ]
    source = _source("\n".join(lines), paged=False)
    pasted = " ".join(lines[1234:1240]).replace("requests", "reqests")
    nearest = nearest_passages(source, pasted)
    assert {p.text for p in nearest} <= set(lines[1234:1240])
    assert len(nearest) == 3


def test_a_hint_names_a_dozen_of_a_large_registers_ids_and_counts_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    entities = "".join(f"  - id: lab-{_word(k)}\n    name: Lab {_word(k)}\n" for k in range(3000))
    (root / "briefings/entities.yaml").write_text(f"entities:\n{entities}")
    facts = (root / "briefings/facts/facts.yaml").read_text()
    (root / "briefings/facts/facts.yaml").write_text(
        facts.replace("  value: 1200\n", "  value: 1200\n  subject: lab-nowhere\n")
    )
    [problem] = [p for p in check(Project(root)).problems if p.code == "unknown-entity"]
    listed = problem.hint.split("the entities are: ")[1]
    ids = sorted(f"lab-{_word(k)}" for k in range(3000))
    assert listed == ", ".join(ids[:12]) + " and 2,988 more; add it there if it is new"
