"""The words before a figure: one table of meanings, negation and bounds understood.

Property tests use the profiles of conftest.py (HYPOTHESIS_PROFILE=long for a longer local run).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citebrief.claims.figures import find_figures
from citebrief.facts.derive import allowed_range
from citebrief.facts.display import format_quantity
from citebrief.facts.qualifiers import HOUSE_WORDS, MEANINGS, NEGATORS, read_qualifier
from citebrief.model import Qualifier

Q = Qualifier
TABLE = [
    ("no more than 50%", Q.UP_TO),
    ("not more than 50%", Q.UP_TO),
    ("at most 50%", Q.UP_TO),
    ("up to 50%", Q.UP_TO),
    ("as many as 50%", Q.UP_TO),
    ("fewer than 50 accounts", Q.UNDER),
    ("less than 50%", Q.UNDER),
    ("under 50%", Q.UNDER),
    ("no fewer than 50 accounts", Q.AT_LEAST),
    ("not less than 50%", Q.AT_LEAST),
    ("at least 50%", Q.AT_LEAST),
    ("more than 50%", Q.OVER),
    ("over 50%", Q.OVER),
    ("50%+ of them", Q.OVER),
    ("did not exceed 50%", Q.UP_TO),
    ("never exceeded 50%", Q.UP_TO),
    ("didn\u2019t exceed 50%", Q.UP_TO),
    ("nearly 50%", Q.NEARLY),
    ("almost 50%", Q.NEARLY),
    ("some 50 accounts", Q.ABOUT),
    ("roughly 50%", Q.ABOUT),
    ("about 50%", Q.ABOUT),
    ("around 50%", Q.ABOUT),
    ("approximately 50%", Q.ABOUT),
    ("an estimated 50%", Q.ABOUT),
    ("exactly 50%", Q.EXACT),
    ("hand over 50% of the revenue", Q.EXACT),
    ("the shares add up to 50%", Q.EXACT),
    ("Moreover 50% of them", Q.EXACT),
    ("50% of them", Q.EXACT),
    ("not about 50%", None),
]


@pytest.mark.parametrize(("text", "meaning"), TABLE)
def test_each_phrase_has_one_tested_meaning(text: str, meaning: Qualifier | None) -> None:
    (quantity,) = find_figures(text).quantities
    assert quantity.qualifier == meaning
    assert quantity.value == 50


def test_every_row_of_the_table_reads_as_its_meaning() -> None:
    for phrase, meaning in MEANINGS:
        if phrase != "+":
            assert read_qualifier(f"they counted {phrase} ").qualifier == meaning, phrase


def test_the_longest_phrase_wins_so_bounds_are_never_read_backwards() -> None:
    assert read_qualifier("no more than ").qualifier == Q.UP_TO
    assert read_qualifier("no fewer than ").qualifier == Q.AT_LEAST
    assert read_qualifier("just under ").qualifier == Q.UNDER


def test_nearly_is_below_the_figure_never_above() -> None:
    window = allowed_range(Decimal(100), Q.NEARLY)
    assert window.high == 100
    assert window.low == 90


# --- properties -------------------------------------------------------------------------------

values = st.one_of(
    st.integers(min_value=10, max_value=999_999).map(Decimal),
    st.integers(min_value=100, max_value=99_999).map(lambda n: Decimal(n) * 10_000),
    st.decimals(min_value=1, max_value=999, places=1, allow_nan=False).map(lambda d: d.normalize()),
)
units = st.sampled_from(["exchanges", "percent", "USD"])


@given(value=values, unit=units, qualifier=st.sampled_from(list(Q)))
def test_format_then_parse_is_identity(value: Decimal, unit: str, qualifier: Qualifier) -> None:
    written = format_quantity(value, unit, qualifier)
    (quantity,) = find_figures(f"The report says {written} in total.").quantities
    assert (quantity.value, quantity.qualifier) == (value, qualifier), written


DIRECTIONAL = [
    (phrase, meaning)
    for phrase, meaning in MEANINGS
    if meaning in (Q.OVER, Q.AT_LEAST, Q.UNDER, Q.UP_TO, Q.NEARLY)
    and phrase != "+"
    and phrase.split()[0] not in NEGATORS
]


@given(
    row=st.sampled_from(DIRECTIONAL),
    negator=st.sampled_from(["not", "no", "never", "did not", "didn't", "has not"]),
    lead=st.sampled_from(["", "The labs ", "It said ", "In all, "]),
    value=values,
    upper=st.booleans(),
)
def test_a_negated_phrase_never_reads_as_its_plain_meaning(
    row: tuple[str, Qualifier], negator: str, lead: str, value: Decimal, upper: bool
) -> None:
    phrase, plain = row
    text = f"{lead}{negator} {phrase} {format_quantity(value, 'percent', None)}"
    if upper:
        text = text.upper()
    (quantity,) = find_figures(text).quantities
    assert quantity.qualifier != plain, text


@given(qualifier=st.sampled_from(list(Q)))
def test_house_words_are_in_the_table(qualifier: Qualifier) -> None:
    words = HOUSE_WORDS[qualifier]
    assert not words or (words, qualifier) in MEANINGS


def test_the_readme_prints_the_whole_table() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Qualifiers") :]
    section = section[: section.index("\n#", 1)]
    for phrase, meaning in MEANINGS:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{meaning}`"))
        assert f'"{phrase}"' in row, (phrase, meaning)
