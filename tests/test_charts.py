"""Charts: the same data gives the same SVG bytes; the alt text is written from the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from citebrief.document.model import Chart, ChartDatum, ChartKind
from citebrief.model import PartialDate, Qualifier
from citebrief.render.chart import draw
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


def _events(*dates: PartialDate) -> Chart:
    data = tuple(ChartDatum(f"E{i}", f"t.{i}", "", date=d) for i, d in enumerate(dates))
    return Chart("tl", ChartKind.TIMELINE, "Events", data, ("a",), "Timeline.", 1)


def test_timeline_spaces_events_in_proportion_to_time() -> None:
    """Ten months' gap is drawn ten times as long as one month's."""
    from citebrief.render.chart import timeline_layout

    y = timeline_layout(
        _events(PartialDate(2025, 1, 1), PartialDate(2025, 11, 1), PartialDate(2025, 12, 1))
    ).centres
    assert 9.5 < (y[1] - y[0]) / (y[2] - y[1]) < 10.5, y


def test_a_gap_too_long_to_draw_to_scale_is_a_marked_break_stating_its_length() -> None:
    from citebrief.render.chart import timeline_layout

    chart = _events(PartialDate(2023, 1), PartialDate(2026, 1, 15), PartialDate(2026, 2, 23))
    layout = timeline_layout(chart)
    (gap,) = layout.breaks
    assert gap[2] == "about 3 years"
    y = layout.centres
    assert y[1] - y[0] < 3 * (y[2] - y[1])  # cut short, so the later events stay apart
    assert "gap of about 3 years, not to scale" in draw(chart, FONTS).svg


def test_a_timeline_of_thousands_of_daily_events_breaks_only_at_its_one_long_gap() -> None:
    from citebrief.render.chart import timeline_layout

    days = [dt.date(2020, 1, 1) + dt.timedelta(days=k) for k in range(4000)]
    days[2000:] = [d + dt.timedelta(days=40_000) for d in days[2000:]]
    layout = timeline_layout(_events(*(PartialDate(d.year, d.month, d.day) for d in days)))
    assert [b[2] for b in layout.breaks] == ["about 110 years"]
