"""Where a timeline's events sit, and how it is described in words.

One time scale for the whole drawing (a day is drawn the same length everywhere), set by the
closest pair of events so their labels do not overlap; a gap that would make the drawing too
tall at that scale is drawn shortened, as a visible break that states its length. A stretch
between two events that rest only on low-reliability sources is an unconfirmed period: the
drawing hatches it and the description says so. The chart stage draws this layout and the
compose stage writes the chart's description from it, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from itertools import pairwise

from ..common.counts import counted
from .model import UNCONFIRMED, ChartDatum

ROW_INCHES = 0.19
"""Height of one line of event label."""
SPAN_INCHES = 2.6
"""The least length of the axis when its events are far enough apart to need no more."""
MAX_SPAN_INCHES = 4.0
"""The longest the part drawn to scale may grow before the longest gaps become breaks."""
BREAK_INCHES = 0.62
"""Length drawn for a gap too long to draw to scale (room for its two lines of words)."""
LABEL_WIDTH = 26
"""Characters per line of an event's label, so the drawing stays narrow."""


@dataclass(frozen=True)
class TimelineGap:
    """The stretch of axis between two neighbouring events."""

    top: float
    bottom: float
    """Centres of the two events, in inches from the top of the drawing."""
    days: int
    broken: bool
    """Drawn shorter than to scale, marked as a break."""
    unconfirmed: bool
    """Both ends rest only on low-reliability sources: an unconfirmed period."""
    start: str
    end: str
    """The two events' dates as the chart writes them."""

    @property
    def length(self) -> str:
        return span_words(self.days)


@dataclass(frozen=True)
class TimelineLayout:
    """Where each event sits down the axis, in inches, in date order."""

    events: tuple[ChartDatum, ...]
    centres: tuple[float, ...]
    gaps: tuple[TimelineGap, ...]
    length: float
    per_day: float
    """Inches per day wherever the axis is drawn to scale."""

    @property
    def breaks(self) -> tuple[TimelineGap, ...]:
        return tuple(g for g in self.gaps if g.broken)

    @property
    def unconfirmed(self) -> tuple[TimelineGap, ...]:
        return tuple(g for g in self.gaps if g.unconfirmed)


def wrapped_label(datum: ChartDatum) -> list[str]:
    label = datum.label + (f" ({UNCONFIRMED})" if datum.low_reliability else "")
    return textwrap.wrap(label, LABEL_WIDTH) or [""]


def timeline_layout(events: tuple[ChartDatum, ...]) -> TimelineLayout:
    """Events placed in proportion to their dates at one scale, the closest pair just far
    enough apart to read; the longest gaps drawn as breaks while the drawing would be taller
    than ``MAX_SPAN_INCHES`` at that scale (and a break would be shorter)."""
    events = tuple(sorted(events, key=lambda d: (_day(d), d.label)))
    heights = [0.12 + ROW_INCHES * len(wrapped_label(e)) for e in events]
    gaps = [(_day(b) - _day(a)).days for a, b in pairwise(events)]
    rooms = [(heights[i] + heights[i + 1]) / 2 for i in range(len(gaps))]
    readable = max((rooms[i] / g for i, g in enumerate(gaps) if g), default=0.0)
    per_day = max(readable, SPAN_INCHES / (sum(gaps) or 1))
    broken = _broken_gaps(gaps, rooms, per_day)
    centres = [heights[0] / 2] if events else []
    for i, gap in enumerate(gaps):
        drawn = max(rooms[i] + 0.2, BREAK_INCHES) if i in broken else max(rooms[i], gap * per_day)
        centres.append(centres[-1] + drawn)
    length = centres[-1] + heights[-1] / 2 if events else 0.0
    drawn_gaps = tuple(
        TimelineGap(
            centres[i],
            centres[i + 1],
            gap,
            i in broken,
            events[i].low_reliability and events[i + 1].low_reliability,
            events[i].display,
            events[i + 1].display,
        )
        for i, gap in enumerate(gaps)
    )
    return TimelineLayout(events, tuple(centres), drawn_gaps, length, per_day)


def _broken_gaps(gaps: list[int], rooms: list[float], per_day: float) -> set[int]:
    """The longest gaps, one by one, while the part drawn to scale is too long, as long as
    a break is shorter than the gap drawn to scale."""
    broken: set[int] = set()
    by_length = sorted(range(len(gaps)), key=lambda i: (-gaps[i], i))
    scaled = sum(gaps) * per_day
    for i in by_length:
        if scaled <= MAX_SPAN_INCHES or gaps[i] * per_day <= max(rooms[i], BREAK_INCHES) * 1.5:
            break
        broken.add(i)
        scaled -= gaps[i] * per_day
    return broken


def _day(datum: ChartDatum) -> dt.date:
    assert datum.date is not None
    return datum.date.earliest()


def span_words(days: int) -> str:
    """A gap's length in words: days, weeks, months or years as suits its size."""
    if days < 60:
        return f"{days} days" if days != 1 else "1 day"
    months = round(days / 30.44)
    if months < 24:
        return f"about {months} months"
    return f"about {round(days / 365.25)} years"


def timeline_description(events: tuple[ChartDatum, ...]) -> str:
    """The drawing in words (its alt text): what is to scale, what is shortened, what is
    unconfirmed, then every event."""
    layout = timeline_layout(events)
    words = [
        f"Timeline of {counted(len(events), 'dated event')}, placed in proportion to their dates"
    ]
    if layout.breaks:
        cut = "; ".join(f"{g.length} from {g.start} to {g.end}" for g in layout.breaks)
        words[0] += f" except where a break shortens a gap ({cut})"
    sentences = [words[0] + "."]
    for gap in layout.unconfirmed:
        sentences.append(
            f"The period from {gap.start} to {gap.end} is unconfirmed "
            "(low-reliability sources only)."
        )
    listed = "; ".join(
        f"{d.display}: {d.label}" + (f" ({UNCONFIRMED})" if d.low_reliability else "")
        for d in layout.events
    )
    return " ".join([*sentences, f"{listed}."])


def timeline_reading(events: tuple[ChartDatum, ...]) -> str:
    """The chart's reading note under it: how its dates are placed and what marks mean."""
    layout = timeline_layout(events)
    parts = ["Dates as reported, placed to scale"]
    if layout.breaks:
        parts[0] += " except across a marked break"
    marks = ["a hollow marker"]
    if layout.unconfirmed:
        marks.append("a hatched period")
    if any(e.low_reliability for e in events):
        parts.append(f"{' and '.join(marks)} {'is' if len(marks) == 1 else 'are'} {UNCONFIRMED}")
    return "; ".join(parts)
