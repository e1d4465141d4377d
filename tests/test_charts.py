"""Charts: the same data gives the same SVG bytes; the alt text is written from the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from citebrief.document.model import Chart, ChartDatum, ChartKind
from citebrief.document.timeline import timeline_description, timeline_reading
from citebrief.model import PartialDate, Qualifier
from citebrief.render.chart import draw, timeline_layout
from citebrief.render.theme import DEFAULTS, Theme

FONTS = Theme((DEFAULTS,)).fonts()


def bars(minimax: str = "13000000") -> Chart:
    data = (
        ChartDatum(
            "DeepSeek",
            "labs.deepseek.exchanges",
            "more than 150,000",
            Decimal(150000),
            Qualifier.OVER,
        ),
        ChartDatum(
            "MiniMax",
            "labs.minimax.exchanges",
            "about 13 million",
            Decimal(minimax),
            Qualifier.ABOUT,
        ),
    )
    alt = "Horizontal bar chart, linear scale from zero. DeepSeek: more than 150,000; MiniMax: about 13 million."
    return Chart(
        "by-lab", ChartKind.BARS, "Exchanges", data, ("seed001-aihubblog",), alt, 1, "Exchanges"
    )


def test_same_data_gives_byte_identical_svg() -> None:
    assert draw(bars(), FONTS).svg == draw(bars(), FONTS).svg


def test_different_data_gives_a_different_drawing() -> None:
    assert draw(bars(), FONTS).svg != draw(bars("14000000"), FONTS).svg


def test_svg_carries_no_date_and_prefixed_ids_with_the_alt_text_as_title() -> None:
    drawn = draw(bars(), FONTS)
    assert "<dc:date>" not in drawn.svg
    assert drawn.inline_svg.startswith('<svg role="img" aria-labelledby="chart-by-lab-title"')
    assert (
        '<title id="chart-by-lab-title">Horizontal bar chart, linear scale from zero. DeepSeek: more than 150,000; MiniMax: about 13 million.</title>'
        in drawn.inline_svg
    )
    ids = [part.split('"')[0] for part in drawn.inline_svg.split(' id="')[1:]]
    assert ids and all(i.startswith("chart-by-lab-") for i in ids)


def test_timeline_with_a_low_reliability_event_draws_deterministically_with_text_as_text() -> None:
    data = (
        ChartDatum(
            "Claimed start",
            "t.start",
            "January 2023",
            date=PartialDate(2023, 1),
            low_reliability=True,
        ),
        ChartDatum("Rule published", "t.rule", "15 January 2026", date=PartialDate(2026, 1, 15)),
    )
    chart = Chart(
        "tl", ChartKind.TIMELINE, "Events", data, ("a",), "Timeline of 2 dated events.", 1
    )
    svg = draw(chart, FONTS).svg
    # labels stay text in the shipped font (loaded by fonts.css), not glyph outlines
    assert "Rule published" in svg and "15 January 2026" in svg
    assert "font-family: 'Lato'" in svg
    assert draw(chart, FONTS).svg == svg


def _bar_widths(svg: str) -> list[float]:
    """Widths of the bars (matplotlib writes each as a closed path from its left edge)."""
    import re

    widths = []
    for d in re.findall(r'<g id="patch_\d+">\s*<path d="([^"]+)"', svg):
        xs = [float(x) for x in re.findall(r"[ML] ([-\d.]+) [-\d.]+", d)]
        widths.append(max(xs) - min(xs))
    return widths


def test_bars_are_drawn_on_a_linear_axis_from_zero() -> None:
    """Bar length stays proportional to the value: 13 million is about 87 times 150,000."""
    widths = [w for w in _bar_widths(draw(bars(), FONTS).svg) if w > 0]
    assert any(86 < a / b < 87.5 for a in widths for b in widths), widths


def test_dollar_signs_and_tex_in_labels_are_drawn_as_written() -> None:
    """matplotlib reads text between two '$' as TeX: "US$ or CA$" lost its dollars and
    "$\\undefined$" crashed the build. Labels are data, drawn letter for letter."""
    import dataclasses
    import re

    chart = bars()
    data = (
        dataclasses.replace(chart.data[0], label="US$ or CA$"),
        dataclasses.replace(chart.data[1], label=r"$\undefined$ and $x^2$"),
    )
    svg = draw(dataclasses.replace(chart, data=data), FONTS).svg
    labels = set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "US$ or CA$" in labels  # chart text is text, letter for letter
    assert r"$\undefined$ and $x^2$" in labels
    assert "cmmi" not in svg.lower() and "cmr10" not in svg.lower()  # no TeX maths fonts


def _events(*dates: PartialDate, unconfirmed: tuple[int, ...] = ()) -> Chart:
    data = tuple(
        ChartDatum(f"E{i}", f"t.{i}", f"D{i}", date=d, low_reliability=i in unconfirmed)
        for i, d in enumerate(dates)
    )
    return Chart("tl", ChartKind.TIMELINE, "Events", data, ("a",), "Timeline.", 1)


def test_timeline_spaces_events_in_proportion_to_time() -> None:
    """Ten months' gap is drawn ten times as long as one month's."""
    y = timeline_layout(
        _events(PartialDate(2025, 1, 1), PartialDate(2025, 11, 1), PartialDate(2025, 12, 1))
    ).centres
    assert 9.5 < (y[1] - y[0]) / (y[2] - y[1]) < 10.5, y


def test_every_gap_drawn_to_scale_shares_one_scale_so_eleven_days_is_not_thirty_eight() -> None:
    """The example's recent events: 38, 28 and 11 days apart, drawn in those proportions
    (the closest pair sets the scale), while the long gaps before them are breaks."""
    chart = _events(
        PartialDate(2023, 1),
        PartialDate(2024, 11),
        PartialDate(2025, 12, 8),
        PartialDate(2026, 1, 15),
        PartialDate(2026, 2, 12),
        PartialDate(2026, 2, 23),
    )
    layout = timeline_layout(chart)
    y = layout.centres
    assert [g.broken for g in layout.gaps] == [True, True, False, False, False]
    drawn = [y[i + 1] - y[i] for i in (2, 3, 4)]
    for length, days in zip(drawn, (38, 28, 11), strict=True):
        assert abs(length / days - layout.per_day) < 1e-9, (drawn, layout.per_day)


def test_a_gap_too_long_to_draw_to_scale_is_a_marked_break_stating_its_length() -> None:
    chart = _events(PartialDate(2023, 1), PartialDate(2026, 1, 15), PartialDate(2026, 2, 23))
    layout = timeline_layout(chart)
    (gap,) = layout.breaks
    assert gap.length == "about 3 years"
    y = layout.centres
    assert y[1] - y[0] < 3 * (y[2] - y[1])  # cut short, so the later events stay apart
    svg = draw(chart, FONTS).svg
    assert ">about 3 years<" in svg and ">not to scale<" in svg


def test_an_unconfirmed_period_is_hatched_named_and_described() -> None:
    chart = _events(
        PartialDate(2023, 1),
        PartialDate(2024, 11),
        PartialDate(2026, 2, 12),
        PartialDate(2026, 2, 23),
        unconfirmed=(0, 1),
    )
    (period,) = timeline_layout(chart).unconfirmed
    assert (period.start, period.end) == ("D0", "D1")
    svg = draw(chart, FONTS).svg
    assert ">unconfirmed<" in svg and 'id="h' in svg  # the words, and a hatch pattern
    description = timeline_description(chart.data)
    assert "The period from D0 to D1 is unconfirmed (low-reliability sources only)." in description
    assert (
        "a break shortens a gap (about 22 months from D0 to D1; about 15 months from D1 to D2)"
        in description
    )
    assert timeline_reading(chart.data) == (
        "Dates as reported, placed to scale except across a marked break; a hollow marker "
        "and a hatched period are unconfirmed: low-reliability sources only"
    )


def test_a_timeline_of_thousands_of_daily_events_breaks_only_at_its_one_long_gap() -> None:
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=k) for k in range(4000)]
    days[2000:] = [d + dt.timedelta(days=40_000) for d in days[2000:]]
    layout = timeline_layout(_events(*(PartialDate(d.year, d.month, d.day) for d in days)))
    assert [b.length for b in layout.breaks] == ["about 110 years"]
