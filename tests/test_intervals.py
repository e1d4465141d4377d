"""Computed figures are ranges: each input is the range its qualifier allows, each result
the range its inputs imply, and the words a reader sees are only those the range supports."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citebrief.facts.intervals import (
    INFINITY,
    Interval,
    Wording,
    allowed_range,
    change,
    choose_words,
    ratio,
    round_to,
    share,
    significant_figures,
    total,
)
from citebrief.model import Qualifier as Q

# --- each qualifier's range ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "low_open", "high_open"),
    [
        (Q.EXACT, D(100), D(100), False, False),
        (None, D(100), D(100), False, False),
        (Q.ABOUT, D(90), D(110), False, False),
        (Q.NEARLY, D(90), D(100), False, True),
        (Q.OVER, D(100), INFINITY, True, True),
        (Q.AT_LEAST, D(100), INFINITY, False, True),
        (Q.UP_TO, D(0), D(100), False, False),
        (Q.UNDER, D(0), D(100), False, True),
    ],
)
def test_each_qualifier_allows_its_range(
    qualifier: Q | None, low: D, high: D, low_open: bool, high_open: bool
) -> None:
    assert allowed_range(D(100), qualifier) == Interval(low, high, low_open, high_open)


def test_a_floor_has_no_ceiling_and_a_ceiling_no_floor_below_zero() -> None:
    assert allowed_range(D(150000), Q.OVER).high == INFINITY
    assert allowed_range(D(90), Q.UP_TO).low == 0


# --- arithmetic -----------------------------------------------------------------------------------


def test_a_sum_adds_the_ends_and_keeps_open_ends_open() -> None:
    deepseek = allowed_range(D(150000), Q.OVER)
    moonshot = allowed_range(D(3400000), Q.OVER)
    minimax = allowed_range(D(13000000), Q.ABOUT)
    result = total([deepseek, moonshot, minimax])
    assert result == Interval(D(15250000), INFINITY, True, True)


def test_a_difference_takes_the_far_ends() -> None:
    assert allowed_range(D(10), Q.ABOUT) - allowed_range(D(4), Q.EXACT) == Interval(D(5), D(7))
    assert (allowed_range(D(10), Q.EXACT) - allowed_range(D(4), Q.OVER)).high_open


def test_a_share_counts_its_part_once() -> None:
    """13 ± 10 % of (13 ± 10 %) + 3.4 ± 10 %: 11.7/(11.7 + 3.74) to 14.3/(14.3 + 3.06), not
    the wider range dividing the part's low end by the whole's high end."""
    part = allowed_range(D(13), Q.ABOUT)
    rest = allowed_range(D("3.4"), Q.ABOUT)
    result = share(part, rest)
    assert round(result.low, 2) == D("75.78")
    assert round(result.high, 2) == D("82.37")


def test_a_share_of_floors_is_bounded_only_as_far_as_the_inputs_allow() -> None:
    minimax = allowed_range(D(13000000), Q.ABOUT)
    others = total([allowed_range(D(150000), Q.OVER), allowed_range(D(3400000), Q.OVER)])
    result = share(minimax, others)
    assert result.low == 0 and result.low_open
    assert round(result.high, 1) == D("80.1")
    deepseek = share(allowed_range(D(150000), Q.OVER), minimax + allowed_range(D(3400000), Q.OVER))
    assert (deepseek.low, deepseek.high) == (0, 100)


def test_a_ratio_and_a_change_of_exact_figures_are_points() -> None:
    assert ratio(Interval(D(10), D(10)), Interval(D(2), D(2))) == Interval(D(5), D(5))
    assert change(Interval(D(80), D(80)), Interval(D(100), D(100))) == Interval(D(25), D(25))


def test_a_ratio_over_a_floor_has_no_floor_of_its_own() -> None:
    result = ratio(allowed_range(D(13), Q.ABOUT), allowed_range(D("3.4"), Q.OVER))
    assert result.low == 0 and result.low_open
    assert round(result.high, 2) == D("4.21")


def test_ranges_that_touch_at_an_open_end_do_not_overlap() -> None:
    assert not Interval(D(1), D(2), high_open=True).overlaps(Interval(D(2), D(3)))
    assert Interval(D(1), D(2)).overlaps(Interval(D(2), D(3)))
    assert allowed_range(D(15250000), Q.OVER).overlaps(allowed_range(D(16000000), Q.OVER))


# --- precision --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "figures"),
    [(D(13000000), 2), (D(150000), 2), (D(3400000), 2), (D(25), 2), (D(1234), 4), (D("0.35"), 2)],
)
def test_significant_figures_of_a_stated_value(value: D, figures: int) -> None:
    assert significant_figures(value) == figures


def test_bounds_round_outwards_so_the_words_stay_true() -> None:
    assert round_to(D(15250000), 2, "ROUND_FLOOR") == D(15000000)
    assert round_to(D("80.11"), 2, "ROUND_CEILING") == D(81)
    assert round_to(D("16.5"), 2) == D("16")  # half-even
    assert round_to(D("16.55"), 2) == D("17")


# --- words ------------------------------------------------------------------------------------


def test_a_sum_of_floors_is_more_than_its_rounded_floor() -> None:
    words = choose_words(Interval(D(15250000), INFINITY, True), D(16550000), 2)
    assert (words.wording, words.value) == (Wording.MORE_THAN, D(15000000))


def test_a_closed_floor_that_needs_no_rounding_is_at_least() -> None:
    words = choose_words(Interval(D(15000000), INFINITY), D(16000000), 2)
    assert (words.wording, words.value) == (Wording.AT_LEAST, D(15000000))


def test_a_share_bounded_above_only_is_less_than() -> None:
    words = choose_words(Interval(D(0), D("80.11"), True, True), D("78.55"), 2, (D(0), D(100)))
    assert (words.wording, words.value) == (Wording.LESS_THAN, D(81))


def test_a_share_with_no_bound_is_as_calculated() -> None:
    words = choose_words(Interval(D(0), D(100), True, True), D("0.9063"), 2, (D(0), D(100)))
    assert (words.wording, words.value) == (Wording.AS_CALCULATED, D("0.91"))


def test_a_narrow_range_is_about_its_rounded_value() -> None:
    words = choose_words(Interval(D("75.78"), D("82.37")), D("79.27"), 2, (D(0), D(100)))
    assert (words.wording, words.value) == (Wording.ABOUT, D(79))


def test_a_wide_range_gives_both_ends() -> None:
    words = choose_words(Interval(D(5), D(20)), D(10), 2)
    assert (words.wording, words.value, words.high) == (Wording.BETWEEN, D(5), D(20))


def test_exact_inputs_keep_an_exact_result_or_say_about_when_rounded() -> None:
    assert choose_words(Interval(D(25), D(25)), D(25), 2).wording == Wording.EXACT
    rounded = choose_words(Interval(D("33.333"), D("33.333")), D("33.333"), 2)
    assert (rounded.wording, rounded.value) == (Wording.ABOUT, D(33))


# --- the words are always true of the range (property) -----------------------------------------

QUALIFIERS = st.sampled_from([Q.EXACT, Q.ABOUT, Q.NEARLY, Q.OVER, Q.AT_LEAST, Q.UP_TO, Q.UNDER])
VALUES = st.integers(min_value=1, max_value=10**9).map(D)


def _true_of(words_value: D, wording: Wording, high: D | None, interval: Interval) -> bool:
    match wording:
        case Wording.MORE_THAN:
            return words_value <= interval.low
        case Wording.AT_LEAST:
            return words_value <= interval.low
        case Wording.LESS_THAN | Wording.AT_MOST:
            return words_value >= interval.high
        case Wording.BETWEEN:
            return high is not None and words_value <= interval.low and high >= interval.high
        case _:
            return True


@given(st.lists(st.tuples(VALUES, QUALIFIERS), min_size=2, max_size=4))
def test_the_words_of_a_sum_or_share_never_claim_more_than_the_range(
    inputs: list[tuple[D, Q]],
) -> None:
    ranges = [allowed_range(v, q) for v, q in inputs]
    figures = min(significant_figures(v) for v, _ in inputs)
    summed = total(ranges)
    central = sum((v for v, _ in inputs), D(0))
    words = choose_words(summed, central, figures)
    assert _true_of(words.value, words.wording, words.high, summed), (words, summed)
    part = share(ranges[0], total(ranges[1:]))
    shared = choose_words(part, inputs[0][0] / central * 100, figures, (D(0), D(100)))
    assert _true_of(shared.value, shared.wording, shared.high, part), (shared, part)
    assert part.low <= inputs[0][0] / central * 100 <= part.high
