"""Chart stage: chart requests become SVG text, byte-identical for the same data and style.

matplotlib is imported here and nowhere else, so `check` never pays for it.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..document.model import Chart
from ..document.timeline import TimelineGap, TimelineLayout, wrapped_label
from ..document.timeline import timeline_layout as layout_events
from .manifest import tool_digest
from .theme import files_digest

# Colours that stay distinct in greyscale (luminance ≈ 20 %, 50 %, 80 %), plus hatching.
INK = "#1b2a3a"
SHADES = ("#1f3a5f", "#6f8fb0", "#c9d6e3")
HATCHES = ("", "//", "..")
MUTED = "#5a6573"
FONT_FILES = ("Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf")
WIDTH_INCHES = 4.0
"""Narrow enough that 10 pt chart text stays legible when a phone scales the SVG down."""
PNG_DPI = 250
"""Sharp when printed from Word at the chart's own width."""


@dataclass(frozen=True)
class DrawnChart:
    name: str
    svg: str
    """Standalone SVG document (for the PDF)."""
    inline_svg: str
    """The same drawing ready to inline in HTML: ids prefixed, title for screen readers."""
    png: bytes
    """The same drawing as a PNG (for Word, which shows SVG only in recent versions)."""


def chart_key(chart: Chart) -> str:
    """A hash of the chart's data: kind, labels, values (also the salt of its SVG ids)."""
    parts = [chart.name, chart.chart.value, chart.alt, chart.axis_label]
    parts += [
        f"{d.label}|{d.display}|{d.value}|{d.date}|{d.low_reliability}|{d.share}"
        for d in chart.data
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cache_key(chart: Chart, fonts: dict[str, Path]) -> str:
    """The chart cache's key: the drawing's own key, the font files it may use (their
    bytes), matplotlib's version and the tool's own hash, so a chart drawn with other fonts
    or by older drawing code is never reused."""
    import matplotlib

    used = {name: path for name, path in fonts.items() if name in FONT_FILES}
    parts = [chart_key(chart), files_digest(used), matplotlib.__version__, tool_digest()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def draw(chart: Chart, fonts: dict[str, Path]) -> DrawnChart:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    for name in FONT_FILES:
        if name in fonts:
            font_manager.fontManager.addfont(str(fonts[name]))
    with matplotlib.rc_context(_style(chart_key(chart))):  # type: ignore[arg-type]
        figure = Figure(figsize=(WIDTH_INCHES, _height(chart)), layout="constrained")
        {"bars": _bars, "share": _share, "timeline": _timeline}[chart.chart](figure, chart)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    svg = buffer.getvalue()
    return DrawnChart(chart.name, svg, inline_svg(svg, chart), png.getvalue())


def frame_svg(chart: Chart) -> str:
    """An empty SVG of the size ``draw`` gives the chart: all a page layout needs of it
    (``check`` counts a briefing's pages without drawing its charts)."""
    width, height = _points(WIDTH_INCHES), _points(_height(chart))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}"></svg>'
    )


def _points(inches: float) -> str:
    """As matplotlib's SVG writer formats a size: fixed-point, trailing zeros dropped."""
    return f"{inches * 72:f}".rstrip("0").rstrip(".")


def _style(salt: str) -> dict[str, object]:
    return {
        "svg.hashsalt": salt,
        # Text stays text, set in the shipped Lato that fonts.css loads for both editions:
        # WeasyPrint paints it in a quarter of the time glyph paths take, the SVGs are 5-10
        # times smaller, and readers can select and search chart labels.
        "svg.fonttype": "none",
        "font.family": ["Lato", "DejaVu Sans"],
        "font.size": 10,
        "text.parse_math": False,
        "text.color": INK,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "hatch.color": "#ffffff",
        "hatch.linewidth": 0.8,
    }


def _height(chart: Chart) -> float:
    if chart.chart == "timeline":
        return 0.2 + timeline_layout(chart).length
    return 1.7 if chart.chart == "share" else 0.4 * len(chart.data) + 0.7


def _bars(figure, chart: Chart) -> None:
    """Horizontal bars on a linear axis from zero: bar length stays proportional to value."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    data = sorted(chart.data, key=lambda d: d.value or 0)
    ax = figure.add_subplot()
    values = [float(d.value or 0) for d in data]
    bars = ax.barh([d.label for d in data], values, color=SHADES[0], height=0.55)
    high = max(values) if values else 1.0
    ax.set_xlim(0, high * 1.45)  # room for the value written after the longest bar
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _short(x)))
    ax.grid(axis="x", color="#d5dbe1", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0, labelsize=10)
    ax.set_xlabel(chart.axis_label, color=MUTED)
    for bar, datum in zip(bars, data, strict=True):
        ax.text(
            bar.get_width() + high * 0.02,
            bar.get_y() + bar.get_height() / 2,
            datum.display,
            va="center",
            fontsize=10,
            fontweight="bold",
        )


def _short(x: float) -> str:
    if x == 0:
        return "0"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if x >= size:
            return f"{x / size:g}{suffix}"
    return f"{x:g}"


def _share(figure, chart: Chart) -> None:
    """One bar divided into shares; each label keeps the qualifier of its inputs.

    Shares too narrow to hold their label are named above the bar, each on its own row
    with a vertical leader; the rightmost takes the lowest row, so no leader crosses a label.
    """

    ax = figure.add_subplot()
    total = sum((d.value or Decimal(0) for d in chart.data), Decimal(0))
    data = chart.data  # each share worded by the compose stage's one computation
    left = 0.0
    outside: list[tuple[float, str]] = []
    for i, datum in enumerate(data):
        width = float((datum.value or Decimal(0)) / total * 100) if total else 0.0
        ax.barh(
            [0],
            [width],
            left=left,
            color=SHADES[i % 3],
            hatch=HATCHES[i % 3],
            edgecolor="white",
            linewidth=1,
            height=0.5,
        )
        if width > 30:
            ax.text(
                left + width / 2,
                0,
                f"{datum.label}\n{datum.share}",
                ha="center",
                va="center",
                fontsize=10,
                fontweight="bold",
                color="white" if i % 3 == 0 else INK,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5} if i % 3 else None,
            )
        else:
            outside.append((left + width / 2, f"{datum.label}: {datum.share}"))
        left += width
    for row, (x, label) in enumerate(reversed(outside)):
        y = 0.5 + 0.3 * row
        ax.plot([x, x], [0.25, y - 0.08], color=MUTED, linewidth=0.6)
        ax.text(x, y, label, ha="left", va="bottom", fontsize=10, fontweight="bold")
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.45, 0.8 + 0.3 * max(0, len(outside) - 1))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel(chart.axis_label, color=MUTED)


def timeline_layout(chart: Chart) -> TimelineLayout:
    return layout_events(chart.data)


def _timeline(figure, chart: Chart) -> None:
    """Dated events down a line at one time scale; long labels wrap so the drawing stays
    narrow; a gap too long to draw to scale is a marked break stating its length, and an
    unconfirmed period is hatched and named."""
    layout = timeline_layout(chart)
    ax = figure.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(layout.length, 0)
    ax.axis("off")
    axis_x = 3.0
    for gap in layout.gaps:
        _gap(ax, gap, axis_x)
    for y, event in zip(layout.centres, layout.events, strict=True):
        hollow = event.low_reliability
        ax.scatter(
            [axis_x],
            [y],
            s=36,
            zorder=3,
            color="white" if hollow else SHADES[0],
            edgecolors=SHADES[0],
            linewidths=1.3,
        )
        ax.text(
            axis_x - 0.25,
            y,
            event.display,
            ha="right",
            va="center",
            fontsize=10,
            fontweight="bold",
        )
        ax.text(
            axis_x + 0.3,
            y,
            "\n".join(wrapped_label(event)),
            ha="left",
            va="center",
            fontsize=10,
            linespacing=1.25,
            style="italic" if hollow else "normal",
        )


def _gap(ax, gap: TimelineGap, axis_x: float) -> None:
    """One stretch of axis: a solid line, or a hatched band for an unconfirmed period; a
    break is a dotted line crossed by two slashes, its length written beside it."""
    from matplotlib.patches import Rectangle

    top, bottom = gap.top, gap.bottom
    middle = (top + bottom) / 2
    if gap.unconfirmed:
        ax.add_patch(
            Rectangle(
                (axis_x - 0.14, top),
                0.28,
                bottom - top,
                facecolor="white",
                edgecolor=SHADES[0],
                hatch="////",
                hatchcolor=SHADES[1],
                linewidth=0.8,
                zorder=1,
            )
        )
    else:
        style = (0, (1, 2)) if gap.broken else "-"
        ax.plot([axis_x, axis_x], [top, bottom], color=MUTED, linewidth=1, linestyle=style)
    words = []
    if gap.broken:
        for y in (middle - 0.05, middle + 0.05):
            ax.plot(
                [axis_x - 0.22, axis_x + 0.22],
                [y + 0.03, y - 0.03],
                color=MUTED,
                linewidth=0.9,
                zorder=2,
            )
        words += [gap.length, "not to scale"]
    if gap.unconfirmed:
        words.append("unconfirmed")
    if words:
        ax.text(
            axis_x - 0.55,
            middle,
            "\n".join(words),
            ha="right",
            va="center",
            fontsize=8,
            color=MUTED,
            style="italic",
            linespacing=1.15,
        )


_ID = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg: str, chart: Chart) -> str:
    """Strip the XML prologue, prefix every id with the chart name, add a title."""
    body = svg[svg.index("<svg") :]
    prefix = f"chart-{chart.name}-"
    ids = set(_ID.findall(body))
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)
    body = re.sub(
        r"url\(#([^)]+)\)",
        lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) in ids else m.group(0),
        body,
    )
    body = re.sub(
        r'href="#([^"]+)"',
        lambda m: f'href="#{prefix}{m.group(1)}"' if m.group(1) in ids else m.group(0),
        body,
    )
    from markupsafe import escape

    title_id = f"{prefix}title"
    opening_end = body.index(">") + 1
    opening = body[:opening_end].replace("<svg", f'<svg role="img" aria-labelledby="{title_id}"', 1)
    return f'{opening}<title id="{title_id}">{escape(chart.alt)}</title>{body[opening_end:]}'
