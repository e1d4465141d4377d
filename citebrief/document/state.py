"""What composing one briefing accumulates, and the fact references it resolves."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from ..claims.figures import is_name_like, quantity_in, reader_figure_mentions
from ..claims.numbers import ratios
from ..claims.verify import Verification
from ..common.counts import counted
from ..common.suggest import did_you_mean
from ..common.typography import smarten, unbroken
from ..errors import Location, Problem, error, in_quotes, spacing_note, warning
from ..facts.derive import Computed, computed_display
from ..facts.display import (
    format_value,
)
from ..facts.qualifiers import read_qualifier
from ..facts.styles import CitationStyle
from ..model import Corpus, DateStyle, Fact, FactKind, Qualifier, Reliability
from .model import (
    BriefingSpec,
    Code,
    Emphasis,
    FigureRef,
    FigureStyle,
    Inline,
    Link,
    Literal,
    Strong,
    Text,
)


@dataclass
class ComposeState:
    """What composing one briefing accumulates, in reading order."""

    spec: BriefingSpec
    corpus: Corpus
    verification: Verification
    problems: list[Problem] = field(default_factory=list)
    note_facts: list[str] = field(default_factory=list)
    """The fact id of each note, in reading order (note n is at index n - 1)."""
    facts_used: dict[str, None] = field(default_factory=dict)
    fact_places: dict[str, Location] = field(default_factory=dict)
    """Where in the briefing each fact is first shown (a derived figure's inputs at
    the derived figure's reference)."""
    unassessed_warned: set[str] = field(default_factory=set)
    charts: int = 0
    anchor_links: list[tuple[str, Location]] = field(default_factory=list)
    """Each link to a part of this briefing ('#…'), where it was written."""
    chart_names: dict[str, Location] = field(default_factory=dict)
    tables: int = 0
    """Captioned tables numbered so far."""
    table_names: dict[str, int] = field(default_factory=dict)
    """The number of each named table."""
    chart_numbers: dict[str, int] = field(default_factory=dict)
    cross_refs: list[tuple[str, str, Location]] = field(default_factory=list)
    """Each @fig-/@tbl- reference: kind ('fig' or 'tbl'), name, where it was written."""
    style: CitationStyle | None = None
    """The CSL style of notes and the source list (None: the shipped default)."""
    out_dir: Path | None = None
    """The output folder whose .cache/ keeps citeproc's answers (None: no cache on disk)."""
    """Where each chart name was first given: a name is a chart's id on the page."""

    @cached_property
    def body_lines(self) -> list[str]:
        """The body's lines as written, where a figure's column is found."""
        return self.spec.body.split("\n")

    located: dict[int, int] = field(default_factory=dict)
    """Per body line, the offset just after what was last located on it."""

    def where(self, body_line: int, column: int = 1) -> Location:
        return Location(self.spec.path, self.spec.body_line + body_line, column)

    def where_in(self, body_line: int, written: str) -> Location:
        """Where ``written`` (a reference, a figure) stands on a body line: its column,
        after what was located on that line before (so a second '[[x]]' is found at its own
        place); the line's first column when it is not there as written."""
        lines = self.body_lines
        text = lines[body_line] if 0 <= body_line < len(lines) else ""
        at = text.find(written, self.located.get(body_line, 0))
        if at < 0:
            at = text.find(written)
        if at < 0:
            return self.where(body_line)
        self.located[body_line] = at + len(written)
        return self.where(body_line, at + 1)

    def where_link(self, body_line: int, href: str) -> Location:
        """Where a link's address stands on a body line (after its '](' as written)."""
        where = self.where_in(body_line, f"]({href}")
        return Location(where.path, where.line, where.column + 2 if where.column > 1 else 1)


def plain_text(parts: tuple[Inline, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, (Emphasis, Strong, Link)):
            out.append(plain_text(part.content))
        elif isinstance(part, FigureRef):
            out.append(part.display)
        elif isinstance(part, (Text, Code, Literal)):
            out.append(part.text)  # a SourceRef names a source by id: no words of its own
    return "".join(out)


def gate(text: str, state: ComposeState, where: Location) -> None:
    """A figure in text a reader sees that did not come from a fact: that is an error."""
    index = where.line - state.spec.body_line
    lines = state.body_lines
    line = lines[index] if 0 <= index < len(lines) else ""
    state.problems.extend(gate_problems(text, where, line))


def gate_line(text: str, state: ComposeState, body_line: int) -> None:
    """The gate on text of the briefing's body, each figure located at its own column."""
    where = state.where(body_line)
    line = state.body_lines[body_line] if 0 <= body_line < len(state.body_lines) else ""
    state.problems.extend(gate_problems(text, where, line, partial(state.where_in, body_line)))


def gate_problems(
    text: str,
    where: Location,
    line: str = "",
    locate: Callable[[str], Location] | None = None,
) -> list[Problem]:
    """The figures of ``text`` that no fact reference states, each an error: numbers, dates,
    and ratios in words ('twice as many', 'a third of'). ``where`` is where ``text`` begins,
    or its ``line`` as written, where the words are looked for to give their column."""
    quantities, dates = reader_figure_mentions(text)
    said = [(r.start, r.end, r.words, False) for r in ratios(text)]
    said += [
        (q.start, q.end, q.text + (" of" if _OF.match(text, q.end) else ""), True)
        for q in quantities
        if q.kind == "fraction"
    ]
    found = [
        (at, _ratio_words(words, share, where, text, line, at)) for at, _, words, share in said
    ]
    figures = [(d.start, d.text.strip()) for d in dates] + [
        (q.start, q.text.strip())
        for q in quantities
        if q.kind != "fraction" and not any(s <= q.start < e for s, e, _, _ in said)
    ]
    found += [
        (start, _uncited(figure, locate(figure) if locate else where)) for start, figure in figures
    ]
    return [problem for _, problem in sorted(found, key=lambda item: item[0])]


_OF = re.compile(r"\s+of\b", re.I)
"""A fraction before 'of' ('half of', 'a third of') is a share of something."""


def _uncited(figure: str, where: Location) -> Problem:
    return error(
        where,
        "uncited-figure",
        f"'{figure}' is a figure that does not come from a fact reference",
        "write [[fact.id]] to state a cited figure (add the fact, with its quote, if "
        "there is none)"
        + (
            f"; if '{figure}' is part of a name or a number label, write [[literal:{figure}]]"
            if is_name_like(figure)
            else ""
        ),
    )


def _ratio_words(
    words: str, share: bool, where: Location, text: str, line: str, start: int
) -> Problem:
    """Ratio words are a figure: they must be a computed ratio (or, for a fraction such as
    'a third of', a share), shown by reference."""
    begins = line.find(text) if text else -1
    if begins >= 0:
        column = begins + start + 1
    else:
        column = line.lower().find(words.lower()) + 1 if line else 0
    at = Location(where.path, where.line, column or where.column + start)
    formula = "share: {part: a.fact, of: [a.fact, b.fact]}" if share else "ratio: [a.fact, b.fact]"
    return error(
        at,
        "uncited-ratio",
        f"'{words}' is a figure (a ratio in words) that does not come from a fact reference",
        f"calculate it from the facts it compares: add '- id: derived.NAME', a 'label:' and "
        f"'{formula}' to a fact file, then write [[derived.NAME]] in place of the words",
    )


def check_literal(content: str, state: ComposeState, where: Location) -> None:
    """`[[literal:…]]` marks names that look like figures (H20, R1, K2.5), never a quantity."""
    quantity = quantity_in(content)
    if quantity:
        state.problems.append(
            error(
                where,
                "literal-quantity",
                f"[[literal:{content}]] hides the figure '{quantity}' from the citation gate",
                "literal: is only for names that look like figures (H20, R1, K2.5); state "
                "a quantity or date with [[fact.id]] so that it is cited",
            )
        )


def resolve(fact_id: str, state: ComposeState, where: Location) -> Fact | Computed | None:
    fact = state.corpus.facts.get(fact_id)
    derived = state.verification.derived.get(fact_id)
    if fact is None and derived is None:
        known = [*state.corpus.facts, *state.verification.derived]
        state.problems.append(
            error(
                where,
                "unknown-fact",
                f"reference to fact {in_quotes(fact_id)}{spacing_note(fact_id)}, which is not in the fact base",
                did_you_mean(fact_id, known) + "fact ids are defined in briefings/facts/*.yaml",
                subject=fact_id,
            )
        )
        return None
    first_use = fact_id not in state.facts_used
    state.facts_used[fact_id] = None
    state.fact_places.setdefault(fact_id, where)
    if derived is not None:
        for item in derived.inputs:
            state.facts_used[item.id] = None
        if derived.disputed_by is not None:  # its note names the reported figure's sources
            state.facts_used[derived.disputed_by.id] = None
            state.fact_places.setdefault(item.id, where)
    if first_use:
        for item in [fact] if fact is not None else list(derived.inputs):  # type: ignore[union-attr]
            state.problems.extend(_currency_problems(item, state, where))
            state.problems.extend(_unassessed_sources(item, state, where))
    return fact or derived


def _unassessed_sources(fact: Fact, state: ComposeState, where: Location) -> list[Problem]:
    """Once per briefing and source: a cited source nobody has rated yet."""
    problems = []
    for source_id in dict.fromkeys(c.source for c in fact.citations):
        source = state.corpus.sources.get(source_id)
        if source is None or source.reliability is not Reliability.UNASSESSED:
            continue
        if source_id in state.unassessed_warned:
            continue
        state.unassessed_warned.add(source_id)
        problems.append(
            warning(
                where,
                "unassessed-source",
                f"fact '{fact.id}' cites '{source_id}', whose reliability has not been assessed",
                f"read the source, then set reliability (high, medium or low) and "
                f"reliability_note in {source.location.path}",
            )
        )
    return problems


DEFAULT_STALE_AFTER_DAYS = 365


def _currency_problems(fact: Fact, state: ComposeState, where: Location) -> list[Problem]:
    """A briefing cannot cite the future, and should not lean on stale figures."""
    edition = state.spec.meta.edition
    problems = []
    for citation in fact.citations:
        source = state.corpus.sources.get(citation.source)
        if (
            source is not None
            and source.published is not None
            and source.published.earliest() > edition
        ):
            problems.append(
                error(
                    where,
                    "cites-the-future",
                    f"fact '{fact.id}' cites '{source.id}', published {source.published.iso()}, "
                    f"after this briefing's edition date {edition.isoformat()}",
                    "move the edition date forward, or cite a source published by then",
                )
            )
    dated = (
        [fact.as_of]
        if fact.as_of
        else [
            s.published.latest()
            for c in fact.citations
            if (s := state.corpus.sources.get(c.source)) is not None and s.published is not None
        ]
    )
    horizon = state.spec.meta.stale_after_days or DEFAULT_STALE_AFTER_DAYS
    if dated and (edition - max(dated)).days > horizon:
        newest = max(dated)
        problems.append(
            warning(
                where,
                "stale-fact",
                f"fact '{fact.id}' is as of {newest.isoformat()}, more than {counted(horizon, 'day')} before "
                f"this edition ({edition.isoformat()})",
                "check for newer reporting and update the fact (or its as_of), or raise "
                "stale_after_days in the briefing's front matter",
                fact=fact.id,
            )
        )
    return problems


def reference(fact_id: str, state: ComposeState, where: Location) -> FigureRef | None:
    """A fact reference: the figure in house style, with the number of its new note."""
    item = resolve(fact_id, state, where)
    if item is None:
        return None
    state.note_facts.append(fact_id)
    return figure(item, len(state.note_facts), state.spec.house.dates)


def qualified_twice(
    before: list[Inline], shown: FigureRef, state: ComposeState, where: Location
) -> list[Problem]:
    """Qualifier words written before a numeric figure's reference ('about [[x]]'): the
    reference writes the words its sources, or a computed figure's range, support, so words
    before it repeat or contradict them ('about more than 15 million')."""
    item = state.corpus.facts.get(shown.fact_id)
    numeric = shown.fact_id in state.verification.derived or (
        item is not None and item.kind is FactKind.NUMBER
    )
    if not numeric or not before or not isinstance(before[-1], Text):
        return []
    reading = read_qualifier(before[-1].text)
    if not reading.words or reading.qualifier in (Qualifier.EXACT, None):
        return []
    line = state.body_lines[where.line - state.spec.body_line]
    at = line.find(f"[[{shown.fact_id}")
    column = line.lower().rfind(reading.words.lower(), 0, at if at >= 0 else None) + 1
    computed = shown.fact_id in state.verification.derived
    return [
        error(
            Location(where.path, where.line, column or where.column),
            "qualifier-before-figure",
            f"'{reading.words}' before [[{shown.fact_id}]] makes it read "
            f"'{reading.words} {shown.display.replace(chr(160), ' ')}': the reference already "
            "writes the words "
            + ("its inputs' range supports" if computed else "its sources support"),
            f"remove '{reading.words}'; the figure's words come with the reference",
        )
    ]


def figure(item: Fact | Computed, note: int | None, dates: DateStyle) -> FigureRef:
    if isinstance(item, Computed):
        display = unbroken(derived_display(item))
        return FigureRef(item.derived.id, display, FigureStyle.FIGURE, note, fact_sources(item))
    if item.kind is FactKind.UNKNOWN:
        style = FigureStyle.UNKNOWN  # not a figure: the note says which sources were searched
    elif item.kind in (FactKind.NUMBER, FactKind.DATE):
        style = FigureStyle.FIGURE
    else:
        style = FigureStyle.STATEMENT
    display = format_value(item, dates)
    if style == FigureStyle.STATEMENT:
        display = smarten(display)
    elif style == FigureStyle.FIGURE:
        display = unbroken(display)
    return FigureRef(item.id, display, style, note, fact_sources(item))


def fact_sources(item: Fact | Computed) -> tuple[str, ...]:
    """Ids of the sources that state a figure (for a derived one, those of its inputs)."""
    if isinstance(item, Computed):
        return tuple(dict.fromkeys(s for f in item.inputs for s in fact_sources(f)))
    return tuple(dict.fromkeys(c.source for c in item.agreeing_citations))


def derived_display(derived: Computed) -> str:
    return computed_display(derived)
