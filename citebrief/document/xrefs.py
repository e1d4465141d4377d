"""Cross-references in Quarto's syntax: ``@fig-NAME`` reads "Figure 2" and ``@tbl-NAME``
"Table 1", linked to the chart or table of that name. Numbers are known only when every
block is composed (a reference may come before its figure), so references are placeholders
until :func:`resolved` fills them in."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..errors import Problem, error
from .model import (
    CrossRef,
    Emphasis,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
)
from .state import ComposeState

CROSS_REF = re.compile(r"(?<![\w@.])@(fig|tbl)-([a-z0-9]+(?:-[a-z0-9]+)*)\b")
WORDS = {"fig": ("Figure", "figure-"), "tbl": ("Table", "table-")}


def split_cross_refs(text: str, state: ComposeState, line: int) -> list[Inline]:
    """``text`` with each @fig-/@tbl- reference as a placeholder CrossRef."""
    parts: list[Inline] = []
    at = 0
    for found in CROSS_REF.finditer(text):
        kind, name = found.group(1), found.group(2)
        if found.start() > at:
            parts.append(Text(text[at : found.start()]))
        parts.append(CrossRef(WORDS[kind][1] + name, ""))
        state.cross_refs.append((kind, name, state.where_in(line, found.group())))
        at = found.end()
    if at < len(text):
        parts.append(Text(text[at:]))
    return parts


def cross_ref_problems(state: ComposeState) -> list[Problem]:
    """A reference to a chart or table the briefing does not have is an error at its line."""
    problems = []
    for kind, name, where in state.cross_refs:
        known = state.chart_numbers if kind == "fig" else state.table_names
        if name in known or (kind == "fig" and name in state.chart_names):
            continue  # a chart that is there but failed has its own error: not this one too
        what = "chart" if kind == "fig" else "named table"
        names = ", ".join(sorted(known)) or "none"
        problems.append(
            error(
                where,
                "cross-reference",
                f"@{kind}-{name} refers to no {what} of this briefing",
                f"write @{kind}- and the name given in the block's 'name:' ({what}s: {names})",
            )
        )
    return problems


def resolved(blocks: list[Any], state: ComposeState) -> list[Any]:
    """The blocks with every cross-reference reading "Figure N" or "Table N"."""
    if not state.cross_refs:
        return blocks
    numbers = {f"figure-{n}": ("Figure", i) for n, i in state.chart_numbers.items()}
    numbers.update({f"table-{n}": ("Table", i) for n, i in state.table_names.items()})
    return [_block(b, numbers) for b in blocks]


def _block(block: Any, numbers: dict[str, tuple[str, int]]) -> Any:
    if isinstance(block, (Paragraph, Heading)):
        return replace(block, content=_inlines(block.content, numbers))
    if isinstance(block, ListBlock):
        items = tuple(tuple(_block(b, numbers) for b in item) for item in block.items)
        return replace(block, items=items)
    if isinstance(block, Quote):
        return replace(block, content=tuple(_block(b, numbers) for b in block.content))
    if isinstance(block, Table):
        rows = tuple(tuple(_inlines(c, numbers) for c in row) for row in block.rows)
        return replace(block, rows=rows)
    return block


def _inlines(parts: tuple[Inline, ...], numbers: dict[str, tuple[str, int]]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for part in parts:
        if isinstance(part, CrossRef) and part.anchor in numbers:
            word, number = numbers[part.anchor]
            out.append(replace(part, text=f"{word}\u00a0{number}"))
        elif isinstance(part, (Emphasis, Strong, Link)):
            out.append(replace(part, content=_inlines(part.content, numbers)))
        else:
            out.append(part)
    return tuple(out)
