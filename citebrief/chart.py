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

from .display import format_date
from .document import Chart, ChartDatum

# Colours that stay distinct in greyscale (luminance ≈ 20 %, 50 %, 80 %), plus hatching.
INK = "#1b2a3a"
SHADES = ("#1f3a5f", "#6f8fb0", "#c9d6e3")
HATCHES = ("", "//", "..")
MUTED = "#5a6573"
FONT_FILES = ("Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf")
STYLE_VERSION = "1"
"""Bump when the house style changes, so cached charts are redrawn."""


@dataclass(frozen=True)
class DrawnChart:
    name: str
    svg: str
    """Standalone SVG document (for the PDF)."""
    inline_svg: str
    """The same drawing ready to inline in HTML: ids prefixed, title for screen readers."""


def chart_key(chart: Chart) -> str:
    """A hash of everything that shapes the drawing: data, kind, labels and style."""
    parts = [STYLE_VERSION, chart.name, chart.chart, chart.alt]
    parts += [f"{d.label}|{d.display}|{d.value}|{d.date}|{d.low_reliability}" for d in chart.data]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def draw(chart: Chart, fonts_dir: Path) -> DrawnChart:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    for name in FONT_FILES:
        if (fonts_dir / name).exists():
            font_manager.fontManager.addfont(str(fonts_dir / name))
    with matplotlib.rc_context(_style(chart_key(chart))):  # type: ignore[arg-type]
        figure = Figure(figsize=(6.4, _height(chart)), layout="constrained")
        {"bars": _bars, "share": _share, "timeline": _timeline}[chart.chart](figure, chart)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    return DrawnChart(chart.name, svg, inline_svg(svg, chart))


def _style(salt: str) -> dict[str, object]:
    return {
        "svg.hashsalt": salt,
        "svg.fonttype": "path",  # the same letters in every browser, fonts or not
        "font.family": ["Lato", "DejaVu Sans"],
        "font.size": 9,
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
        return 0.42 * len(chart.data) + 0.5
    return 1.5 if chart.chart == "share" else 0.42 * len(chart.data) + 0.75


def _bars(figure, chart: Chart) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator

    data = sorted(chart.data, key=lambda d: d.value or 0)
    ax = figure.add_subplot()
    values = [float(d.value or 0) for d in data]
    bars = ax.barh([d.label for d in data], values, color=SHADES[0], height=0.55)
    ax.set_xscale("log")
    low, high = min(values), max(values)
    ax.set_xlim(10 ** _floor_log(low), high * 10**0.9)
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _short(x)))
    ax.xaxis.set_minor_locator(LogLocator(base=10, subs=()))
    ax.grid(axis="x", color="#d5dbe1", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0, labelsize=9.5)
    ax.set_xlabel("Exchanges, logarithmic scale (each gridline is ten times the last)", color=MUTED)
    for bar, datum in zip(bars, data, strict=True):
        ax.text(
            bar.get_width() * 1.12,
            bar.get_y() + bar.get_height() / 2,
            datum.display,
            va="center",
            fontsize=9,
            fontweight="bold",
        )


def _floor_log(value: float) -> int:
    import math

    return math.floor(math.log10(value)) if value > 0 else 0


def _short(x: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if x >= size:
            return f"{x / size:g}{suffix}"
    return f"{x:g}"


def shares(data: tuple[ChartDatum, ...]) -> list[Decimal]:
    total = sum((d.value or Decimal(0) for d in data), Decimal(0))
    return [(d.value or Decimal(0)) / total * 100 if total else Decimal(0) for d in data]


def _share(figure, chart: Chart) -> None:
    ax = figure.add_subplot()
    left = 0.0
    for i, (datum, share) in enumerate(zip(chart.data, shares(chart.data), strict=True)):
        width = float(share)
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
        percent = f"{share:.0f}%" if share >= 1 else "<1%"
        inside = width > 12
        ax.text(
            left + width / 2 if inside else left + width + 0.8,
            0 if inside else 0.42,
            f"{datum.label}\n{percent}" if inside else f"{datum.label} {percent}",
            ha="center" if inside else "left",
            va="center",
            fontsize=9,
            fontweight="bold",
            color="white" if inside and i % 3 == 0 else INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5}
            if inside and i % 3
            else None,
        )
        left += width
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.45, 0.75)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("Share of the exchanges attributed to the three labs combined", color=MUTED)


def _timeline(figure, chart: Chart) -> None:
    events = sorted(chart.data, key=lambda d: (d.date.earliest() if d.date else 0, d.label))  # type: ignore[union-attr]
    ax = figure.add_subplot()
    n = len(events)
    ax.set_xlim(0, 10)
    ax.set_ylim(n - 0.4, -0.6)
    ax.axis("off")
    ax.plot([2.35, 2.35], [0, n - 1], color=MUTED, linewidth=1, zorder=1)
    for y, event in enumerate(events):
        hollow = event.low_reliability
        ax.scatter(
            [2.35],
            [y],
            s=36,
            zorder=2,
            color="white" if hollow else SHADES[0],
            edgecolors=SHADES[0],
            linewidths=1.3,
        )
        assert event.date is not None
        ax.text(
            2.1, y, format_date(event.date), ha="right", va="center", fontsize=9, fontweight="bold"
        )
        label = event.label + (" (unconfirmed: low-reliability source only)" if hollow else "")
        ax.text(
            2.6,
            y,
            label,
            ha="left",
            va="center",
            fontsize=9,
            style="italic" if hollow else "normal",
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
