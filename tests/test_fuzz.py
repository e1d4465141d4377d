"""Fuzzing: whatever staff type, only citebrief's own located problems come out.

Random bytes and random YAML go into the loader, random Markdown into the briefing
reader, random values into the house-style display. The property in every case: the
call returns (no exception of any kind), and every problem names a line of the file.

CI runs a small budget (the "ci" profile, set in conftest.py). For a longer run:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citebrief.check import check
from citebrief.common.values import read_date, read_number
from citebrief.errors import Problem
from citebrief.facts.corpus import Project
from citebrief.facts.display import format_date, format_quantity
from citebrief.facts.load import load_yaml, split_front_matter
from citebrief.facts.validate import validate_fact_file
from citebrief.model import DateStyle, Qualifier

BASE = Path(__file__).parent / "bad_inputs" / "_base"
FACT_IDS = ["labs.first.requests", "labs.second.requests", "rule.published", "no.such.fact"]
uses_a_folder = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    return root


def _assert_located(problems: list[Problem], path: str, text: str) -> None:
    lines = max(1, len(text.splitlines()))  # as an editor counts them: a lone \r ends a line too
    for problem in problems:
        assert problem.message, problem
        if problem.location.path == path:
            assert 1 <= problem.location.line <= lines + 1, problem


# --- the loader ---------------------------------------------------------------------------------


@uses_a_folder
@given(st.binary(max_size=400))
def test_random_bytes_as_a_fact_file(base: Path, data: bytes) -> None:
    (base / "briefings/facts/fuzz.yaml").write_bytes(data)
    report = check(Project(base))
    text = data.decode("utf-8", errors="replace")
    _assert_located(report.problems, "briefings/facts/fuzz.yaml", text)


@uses_a_folder
@given(st.binary(max_size=400))
def test_random_bytes_as_a_source_file(base: Path, data: bytes) -> None:
    (base / "sources/fuzz.txt").write_bytes(data)
    report = check(Project(base))
    assert any(p.location.path == "sources/fuzz.txt" for p in report.problems)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["2026-02-30", "2026-13", "2026-01-15", "unknown", "0000", "1e308", ".inf"]),
)
yaml_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(), children, max_size=4)
    ),
    max_leaves=12,
)
fact_like = st.fixed_dictionaries(
    {"id": st.sampled_from(["a.b", "x", "A B", "../x"]) | st.text(max_size=10)},
    optional={
        "label": scalars,
        "value": yaml_values,
        "unit": scalars,
        "qualifier": st.sampled_from(["about", "over", "exact", "nearly"]) | scalars,
        "as_of": scalars,
        "note": scalars,
        "citations": st.lists(
            st.fixed_dictionaries(
                {"source": st.sampled_from(["example-report", "nope"]) | scalars},
                optional={"quote": st.text(max_size=60), "disagrees": scalars},
            ),
            max_size=2,
        )
        | yaml_values,
        "formula": st.sampled_from(["sum", "share", "avg"]),
        "inputs": st.lists(st.sampled_from(FACT_IDS), max_size=3) | yaml_values,
    },
)


@given(st.lists(fact_like, max_size=4) | yaml_values)
def test_random_yaml_into_the_loader_and_validator(document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    loaded, problems = load_yaml(text, "f.yaml")
    if loaded is not None:
        _, _, more = validate_fact_file(loaded, "f.yaml")
        problems += more
    _assert_located(problems, "f.yaml", text)


@given(st.text(max_size=300))
def test_random_text_into_the_yaml_loader(text: str) -> None:
    loaded, problems = load_yaml(text, "f.yaml")
    if loaded is not None:
        _, _, more = validate_fact_file(loaded, "f.yaml")
        problems += more
    _assert_located(problems, "f.yaml", text)


@given(st.text(max_size=200))
def test_random_text_into_the_front_matter_splitter(text: str) -> None:
    split_front_matter(text, "x.md")


# --- the briefing reader ------------------------------------------------------------------------

markdown_pieces = st.sampled_from(
    [
        "[[",
        "]]",
        "[",
        "]",
        "[[labs.first.requests]]",
        "[[no.such.fact]]",
        "[[literal:H20]]",
        "```",
        "```table\n",
        "```chart\n",
        "```tabel\n",
        "```sources\n",
        "\n",
        "\n\n",
        "# ",
        "## ",
        "- ",
        "| a | b |\n|---|---|\n",
        "$",
        "US$ 5",
        "12 million",
        "2026",
        "`code`",
        "*",
        "<script>",
        "\r\n",
        "\ufeff",
        "caption: x\n",
        "facts: [labs.first.requests]\n",
        "rows:\n  - [a]\n",
        " ",
        "word",
    ]
)
markdown = st.lists(markdown_pieces | st.text(max_size=8), max_size=30).map("".join)


@uses_a_folder
@given(markdown)
def test_random_markdown_into_the_briefing_reader(base: Path, body: str) -> None:
    memo = base / "briefings/memo.md"
    head = memo.read_text().split("\n---\n", 1)[0] + "\n---\n\n"
    memo.write_text(head + body, encoding="utf-8")
    report = check(Project(base))
    _assert_located(report.problems, "briefings/memo.md", head + body)


# --- display ------------------------------------------------------------------------------------


@given(
    st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=False, allow_infinity=False).map(float),
    st.sampled_from(["percent", "USD", "requests", "%", "", "US$"]),
    st.sampled_from([*Qualifier, None]),
)
def test_random_fact_values_display_or_are_refused(
    value: int | float, unit: str, qualifier: Qualifier | None
) -> None:
    number = read_number(value)
    if isinstance(number, str):
        assert number  # refused with a reason
        return
    shown = format_quantity(number, unit, qualifier)
    assert shown and "E" not in shown and "e+" not in shown


@given(st.text(max_size=12) | st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat))
def test_random_dates_display_or_are_refused(text: str) -> None:
    date = read_date(text)
    if isinstance(date, str):
        assert date
    else:
        for style in DateStyle:
            assert str(date.year) in format_date(date, style)


def test_values_too_large_or_not_finite_are_refused_with_a_reason() -> None:
    assert read_number(float("inf")) == "inf is not a finite number"
    assert read_number(1e308) == "1.000E+308 is too large to be a figure in a briefing"
    assert read_number(12.5) == Decimal("12.5")


# --- figures: screening a text by its words never changes what is found --------------------------

_WORDS = (
    "one two three twenty forty-five hundred a and million billion thousand half third thirds "
    "quarter fifth in of the were 3 12 1,000 4.5 25% $7 per cent March May 2026 2026-03-05 5th "
    "more than about - , . labs accounts One TWENTY In Jan jan Sept. 1999 2031 20 19 15th "
    "-03- 04"
)
_FIGURE_WORDS = [*_WORDS.split(), "\n", "per cent", "more than"]


@given(st.lists(st.sampled_from(_FIGURE_WORDS), max_size=14).map(" ".join))
def test_figures_are_found_alike_with_and_without_screening_by_words(text: str) -> None:
    from citebrief.claims.figures import _find_figures

    assert _find_figures(text, screened=True) == _find_figures(text, screened=False)
