"""Compose stage: a briefing spec and the verified facts become a Document.

The Markdown body is parsed (a fresh parser per briefing) and walked into typed blocks
and inline parts; each fact reference becomes a figure in house style with the number of
its note. Notes, the sources cited and the generated sections are decided here, once,
and scoped to what this briefing shows. Nothing here makes HTML.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it.token import Token

from ..claims.prose import Placed, prose_problems
from ..claims.verify import Verification
from ..common.characters import DELETE_HINT, control_characters, describe_control
from ..common.counts import counted
from ..common.suggest import closest
from ..common.typography import clause_punctuation, smarten
from ..errors import Location, Problem, Severity, error, in_quotes, spacing_note, warning
from ..facts.load import (
    CONFLICT_END,
    CONFLICT_START,
    conflict_problem,
    load_yaml,
    read_text,
    split_front_matter,
)
from ..facts.parse import parse_model
from ..facts.schema import BriefingFrontMatter, ChartBlock, TableBlock
from ..facts.styles import CitationStyle
from ..model import Corpus, House
from .charts import chart_block
from .front import empty_body, empty_front_matter, front_matter_gate, with_front_matter_figures
from .labels import row_problems
from .markdown import briefing_markdown
from .markup import (
    bracket_problems,
    dead_anchor_links,
    link_problems,
    linked_references,
    raw_html,
    unsupported_markup,
)
from .model import (
    Block,
    BriefingSpec,
    Cell,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    FigureRef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Literal,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Table,
    Text,
)
from .sections import GENERATED, Placeholder, finish
from .state import ComposeState, check_literal, gate, gate_line, qualified_twice, reference, resolve
from .xrefs import cross_ref_problems, resolved, split_cross_refs

if TYPE_CHECKING:
    from ..history.diff import ChangeSet

FENCE_KINDS = ("table", "chart", *GENERATED)

BRIEFING_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,78}[A-Za-z0-9])?\Z")
"""A briefing's file name becomes output names, URLs and page text: letters, digits, - and _."""


def load_briefing(
    root: Path, file: Path, default_template: str | None = None, house: House | None = None
) -> tuple[BriefingSpec | None, list[Problem], str]:
    """Read a briefing spec; ``default_template`` (from citebrief.toml) fills a missing one,
    ``house`` is citebrief.toml's [house] settings."""
    if not BRIEFING_NAME.match(file.stem):
        return None, [_unsafe_name(root, file)], ""
    read = read_text(root, file)
    if isinstance(read, Problem):
        return None, [read], ""
    rel, text = read
    unreadable = text_problems(text, rel)
    if unreadable:
        return None, unreadable, text
    split = split_front_matter(text, rel)
    if isinstance(split, Problem):
        return None, [split], text
    loaded, problems = load_yaml(split.front_matter, rel, split.front_matter_line - 1)
    if loaded is None:
        return None, problems, text
    data = loaded.value
    if data is None:
        return None, [empty_front_matter(loaded, default_template)], text
    if isinstance(data, dict) and "template" not in data and default_template:
        data = {**data, "template": default_template}
    meta, found = parse_model(BriefingFrontMatter, data, loaded, (), "briefing front matter")
    problems += found
    if meta is not None:
        problems += front_matter_gate(meta, loaded)
    if meta is None or problems:
        return None, problems, text
    lines = {k: loaded.key_at((k,)).line for k in data} if isinstance(data, dict) else {}
    spec = BriefingSpec(file.stem, rel, meta, split.body, split.body_line, house or House(), lines)
    return spec, [], text


def text_problems(text: str, path: str) -> list[Problem]:
    """Lines no reader may see: control characters, and git's marks of an unresolved merge."""
    problems = []
    in_conflict = False
    for number, line in enumerate(text.split("\n"), 1):  # splitlines() splits at a form feed
        found = control_characters(line)
        if found:
            problems.append(
                error(
                    Location(path, number, found[0][0]),
                    "control-character",
                    f"this line contains {describe_control(line)}",
                    DELETE_HINT + " (type a space if it stood between two words)",
                )
            )
        if line.startswith(CONFLICT_START) and not in_conflict:
            in_conflict = True
            problems.append(conflict_problem(Location(path, number, 1)))
        elif line.startswith(CONFLICT_END):
            if not in_conflict:
                problems.append(conflict_problem(Location(path, number, 1)))
            in_conflict = False
    return problems


def _unsafe_name(root: Path, file: Path) -> Problem:
    return error(
        Location(file.relative_to(root).as_posix()),
        "unsafe-name",
        f"{in_quotes(file.name)}{spacing_note(file.name)} is not a safe briefing name",
        "rename the file with letters, digits, hyphens and underscores only "
        "(e.g. 'distillation-memo.md'): the name becomes output files and links",
    )


# --- composing ----------------------------------------------------------------------------


def compose(
    spec: BriefingSpec,
    corpus: Corpus,
    verification: Verification,
    changes: ChangeSet | None = None,
    style: CitationStyle | None = None,
    out_dir: Path | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Build the document, or return the problems that stop it (unknown ids, bare figures).

    ``changes`` is what changed in the fact base since the last edition, for briefings
    with a ``changes`` section (None when there is no earlier edition to compare with).
    ``style``: the CSL style of notes and sources (None: the shipped default, Chicago
    notes); ``out_dir``: the output folder whose .cache/ keeps citeproc's answers.
    """
    tokens = briefing_markdown().parse(spec.body)
    state = ComposeState(spec, corpus, verification, style=style, out_dir=out_dir)
    blocks, _ = _blocks(tokens, 0, state, None)
    state.problems.extend(empty_body(spec))
    with_front_matter_figures(state)  # after the body: a figure there must be cited in it
    state.problems.extend(dead_anchor_links(tokens, state))
    state.problems.extend(cross_ref_problems(state))
    blocks = resolved(blocks, state)
    if any(p.severity == Severity.ERROR for p in state.problems):
        return None, state.problems
    return finish(state, blocks, changes), state.problems


# --- blocks: walking markdown-it's token stream ------------------------------------------------


def _blocks(
    tokens: list[Token], i: int, state: ComposeState, until: str | None
) -> tuple[list[Block | Placeholder], int]:
    """Blocks from ``tokens[i]`` up to the closing token ``until``; returns the index after it."""
    blocks: list[Block | Placeholder] = []
    while i < len(tokens):
        token = tokens[i]
        if token.type == until:
            return blocks, i + 1
        block, i = _block(tokens, i, state)
        if block is not None:
            blocks.append(block)
    return blocks, i


def _block(tokens: list[Token], i: int, state: ComposeState) -> tuple[Any, int]:
    token = tokens[i]
    kind = token.type
    if kind == "heading_open":
        content = _inlines(tokens[i + 1], state)
        line = _line(token, state)
        return Heading(int(token.tag[1]), str(token.attrs["id"]), content, line), i + 3
    if kind == "paragraph_open":
        return Paragraph(_inlines(tokens[i + 1], state), _line(token, state)), i + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        return _list(tokens, i, state)
    if kind == "blockquote_open":
        inner, after = _blocks(tokens, i + 1, state, "blockquote_close")
        return Quote(tuple(inner)), after  # type: ignore[arg-type]
    if kind == "table_open":
        return _markdown_table(tokens, i, state)
    if kind == "hr":
        return Rule(), i + 1
    if kind == "fence" and token.info.strip() in FENCE_KINDS:
        return _fence_block(token, state), i + 1
    if kind == "fence" and _near_miss(token.info):
        state.problems.append(_misspelled_fence(token, state))
        return None, i + 1
    if kind in ("fence", "code_block"):  # printed as it is: its figures are checked too
        gate(token.content, state, state.where((token.map[0] + 1) if token.map else 0))
        return CodeBlock(token.content), i + 1
    if kind == "html_block":
        state.problems.append(
            raw_html(token.content, state.where(token.map[0] if token.map else 0))
        )
    return None, i + 1  # closing tokens of structures handled above


def _line(token: Token, state: ComposeState) -> int:
    """The block's first line in the briefing file."""
    return state.where(token.map[0] if token.map else 0).line


def _list(tokens: list[Token], i: int, state: ComposeState) -> tuple[ListBlock, int]:
    opener = tokens[i]
    close = opener.type.replace("_open", "_close")
    items: list[tuple[Block, ...]] = []
    i += 1
    while tokens[i].type != close:
        inner, i = _blocks(tokens, i + 1, state, "list_item_close")
        items.append(tuple(inner))  # type: ignore[arg-type]
    start = int(opener.attrs.get("start") or 1)
    return ListBlock(opener.type == "ordered_list_open", start, tuple(items)), i + 1


def _markdown_table(tokens: list[Token], i: int, state: ComposeState) -> tuple[Table, int]:
    line = _line(tokens[i], state)
    header: list[Cell] = []
    rows: list[list[Cell]] = []
    in_head = False
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open" and not in_head:
            rows.append([])
        elif token.type == "inline":
            (header if in_head else rows[-1]).append(_inlines(token, state))
        i += 1
    return Table(None, tuple(header), tuple(tuple(r) for r in rows), line), i + 1


def _near_miss(info: str) -> str | None:
    """The block kind a fence's word nearly spells ('tabel' → 'table'), if any."""
    word = info.strip().split()[0] if info.strip() else ""
    if not word or word in FENCE_KINDS:
        return None
    return closest(word.lower(), FENCE_KINDS, cutoff=0.7)


def _misspelled_fence(token: Token, state: ComposeState) -> Problem:
    """A misspelled block kind would print its YAML to the reader as a code block."""
    kind = token.info.strip()
    return error(
        state.where(token.map[0] if token.map else 0),
        "unknown-block",
        f"unknown block kind '{kind}': did you mean '{_near_miss(kind)}'?",
        "the block kinds are " + ", ".join(FENCE_KINDS) + "; any other word after ``` "
        "prints the block as code",
    )


# --- inline parts ----------------------------------------------------------------------------


def _inlines(token: Token, state: ComposeState) -> tuple[Inline, ...]:
    """The inline parts of one ``inline`` token; figures are checked as they are met."""
    line = token.map[0] if token.map else 0
    state.problems.extend(
        linked_references(token.content, lambda n, written: state.where_in(line + n, written))
    )
    stack: list[list[Inline]] = [[]]
    openers: list[Token] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            line += 1
            stack[-1].append(Text(" "))
        elif kind == "text":
            gate_line(child.content, state, line)
            state.problems.extend(
                bracket_problems(child.content, functools.partial(state.where_in, line))
            )
            stack[-1].extend(split_cross_refs(child.content, state, line))
        elif kind == "image" or (kind == "html_inline" and not child.content.startswith("</")):
            written = child.content if kind == "html_inline" else "!["
            state.problems.append(unsupported_markup(child, state.where_in(line, written)))
        elif kind == "code_inline":
            gate_line(child.content, state, line)
            stack[-1].append(Code(child.content))
        elif kind == "cb_literal":
            check_literal(child.content, state, state.where_in(line, "[[literal:"))
            stack[-1].append(Literal(child.content))
        elif kind == "cb_fact":
            where = state.where_in(line, f"[[{child.meta['id']}")
            figure = reference(child.meta["id"], state, where)
            if figure is not None:
                state.problems += qualified_twice(stack[-1][-1:], figure, state, where)
                stack[-1].append(figure)
        elif kind.endswith("_open"):
            if kind == "link_open":
                href = str(child.attrs.get("href", ""))
                state.problems.extend(link_problems(href, state, state.where_link(line, href)))
            openers.append(child)
            stack.append([])
        elif kind.endswith("_close") and openers:
            content = tuple(_merged(stack.pop()))
            stack[-1].extend(_wrapped(openers.pop(), content))
    parts = tuple(_marks_after_punctuation(_merged(stack[0])))
    _check_prose(parts, state, state.where(token.map[0] if token.map else 0))
    return parts


def _check_prose(parts: tuple[Inline, ...], state: ComposeState, where: Location) -> None:
    """The sentence around each fact reference must not give its figure to another entity
    or another unit (claims/prose.py reads it as it reads a quote)."""
    pieces: list[str] = []
    placed: list[Placed] = []
    _flatten(parts, pieces, placed, state)
    if placed:
        for found in prose_problems("".join(pieces), placed, state.corpus):
            state.problems.append(error(where, found.code, found.message, found.hint))


def _flatten(
    parts: tuple[Inline, ...], pieces: list[str], placed: list[Placed], state: ComposeState
) -> None:
    for part in parts:
        at = sum(map(len, pieces))
        if isinstance(part, FigureRef):
            pieces.append(part.display + part.trailing)
            fact = state.corpus.facts.get(part.fact_id)
            if fact is not None:
                placed.append(Placed(fact, at, at + len(part.display)))
        elif isinstance(part, Emphasis | Strong | Link):
            _flatten(part.content, pieces, placed, state)
        else:
            pieces.append(getattr(part, "text", " "))


def _wrapped(opener: Token, content: tuple[Inline, ...]) -> list[Inline]:
    if opener.type == "em_open":
        return [Emphasis(content)]
    if opener.type == "strong_open":
        return [Strong(content)]
    if opener.type == "link_open":
        return [Link(str(opener.attrs.get("href", "")), content)]
    return list(content)  # strikethrough and the like: keep the words


def _marks_after_punctuation(parts: list[Inline]) -> list[Inline]:
    """A note mark goes after the punctuation closing its clause ('24,000,¹' not '24,000¹,')."""
    out: list[Inline] = []
    for part in parts:
        last = out[-1] if out else None
        if isinstance(part, Text) and isinstance(last, FigureRef) and last.note:
            moved, rest = clause_punctuation(part.text)
            if moved:
                out[-1] = replace(last, trailing=last.trailing + moved)
                if rest:
                    out.append(Text(rest))
                continue
        out.append(part)
    return out


def _merged(parts: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for part in parts:
        if isinstance(part, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + part.text)
        else:
            out.append(part)
    return out


# --- fenced blocks: tables, charts, generated sections -----------------------------------------


def _fence_block(token: Token, state: ComposeState) -> Block | Placeholder | None:
    kind = token.info.strip()
    first_line = (token.map[0] if token.map else 0) + 1
    if kind in GENERATED:
        if kind == "evidence":
            state.problems.append(
                warning(
                    state.where(first_line),
                    "evidence-moved",
                    "the evidence appendix is no longer part of the reader's briefing",
                    "remove this block: reviewers find every quotation in "
                    f"output/{state.spec.name}.evidence.html",
                )
            )
            return None
        return Placeholder(kind)
    loaded, problems = load_yaml(
        token.content, state.spec.path, state.spec.body_line - 1 + first_line
    )
    state.problems.extend(problems)
    if loaded is None:
        return None
    schema = TableBlock if kind == "table" else ChartBlock
    parsed, problems = parse_model(schema, loaded.value, loaded, (), kind)
    state.problems.extend(problems)
    if parsed is None:
        return None
    if isinstance(parsed, TableBlock):
        return _table(parsed, loaded, state)
    assert isinstance(parsed, ChartBlock)
    if _name_taken(parsed, loaded.at(("name",)), state):
        return None
    return chart_block(parsed, loaded, state)


def _name_taken(block: ChartBlock, where: Location, state: ComposeState) -> bool:
    first = state.chart_names.setdefault(block.name, where)
    if first is where:
        return False
    state.problems.append(
        error(
            where,
            "chart-name",
            f"a chart named '{block.name}' is already drawn at line {first.line}",
            "give each chart in a briefing its own name",
        )
    )
    return True


def _table(block: TableBlock, loaded: Any, state: ComposeState) -> Table:
    for i, name in enumerate(block.columns):
        gate(name, state, loaded.at(("columns", i)))
    gate(block.caption, state, loaded.at(("caption",)))
    state.problems.extend(row_problems(block, loaded, state.corpus, state.verification.derived))
    rows = []
    for r, row in enumerate(block.rows):
        if len(row) != len(block.columns):
            state.problems.append(_ragged_row(r, len(row), len(block.columns), loaded))
        cells: list[Cell] = []
        for c, cell in enumerate(row):
            where = loaded.at(("rows", r, c))
            if cell in state.corpus.facts or cell in state.verification.derived:
                found = reference(cell, state, where)
                cells.append((found,) if found else ())
            elif "." in cell and " " not in cell:
                resolve(cell, state, where)  # looks like an id: report it as unknown
                cells.append(())
            else:
                gate(cell, state, where)
                cells.append((Text(smarten(cell)),))
        rows.append(tuple(cells))
    header = tuple((Text(smarten(c)),) for c in block.columns)
    state.tables += 1
    if block.name:
        state.table_names[block.name] = state.tables
    line = loaded.at(()).line
    return Table(smarten(block.caption), header, tuple(rows), line, state.tables, block.name)


def _ragged_row(index: int, cells: int, columns: int, loaded: Any) -> Problem:
    return error(
        loaded.at(("rows", index)),
        "table-row",
        f"row {index + 1} has {counted(cells, 'cell')} but the table has "
        f"{counted(columns, 'column')}",
        "give every row one cell per column, in the columns' order (an empty cell is '-')",
    )
