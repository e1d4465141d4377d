"""Compose stage: a briefing spec and the verified facts become a Document.

The Markdown body is parsed (a fresh parser per briefing) and walked into typed blocks
and inline parts; each fact reference becomes a figure in house style with the number of
its note. Notes, the sources cited and the generated sections are decided here, once,
and scoped to what this briefing shows. Nothing here makes HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from markdown_it.token import Token

from .characters import DELETE_HINT, control_characters, describe_control
from .derive import DerivedValue
from .display import format_value
from .document import (
    Block,
    BriefingSpec,
    Cell,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    FigureRef,
    FigureStyle,
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
from .errors import Location, Problem, Severity, error, in_quotes, warning
from .figures import is_name_like, quantity_in, reader_figures
from .load import (
    CONFLICT_END,
    CONFLICT_START,
    conflict_problem,
    load_yaml,
    read_text,
    split_front_matter,
)
from .markdown import briefing_markdown
from .model import Corpus, Fact, Reliability
from .schema import BriefingFrontMatter, ChartBlock, TableBlock
from .sections import GENERATED, Placeholder, chart_block, finish
from .suggest import did_you_mean
from .typography import smarten
from .validate import parse_model
from .verify import Verification

if TYPE_CHECKING:
    from .diff import ChangeSet

FENCE_KINDS = ("table", "chart", *GENERATED)

BRIEFING_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,78}[A-Za-z0-9])?$")
"""A briefing's file name becomes output names, URLs and page text: letters, digits, - and _."""


def load_briefing(
    root: Path, file: Path, default_template: str | None = None
) -> tuple[BriefingSpec | None, list[Problem], str]:
    """Read a briefing spec; ``default_template`` (from citebrief.toml) fills a missing one."""
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
    if isinstance(data, dict) and "template" not in data and default_template:
        data = {**data, "template": default_template}
    meta, found = parse_model(BriefingFrontMatter, data, loaded, (), "briefing front matter")
    problems += found
    if meta is not None:
        problems += _front_matter_figures(meta, loaded)
    if meta is None or problems:
        return None, problems, text
    return BriefingSpec(file.stem, rel, meta, split.body, split.body_line), [], text


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


def _front_matter_figures(meta: BriefingFrontMatter, loaded: Any) -> list[Problem]:
    """The title, subtitle and summary are read too: a figure there must be cited in the text."""
    problems = []
    for key in ("title", "short_title", "subtitle", "summary"):
        value = getattr(meta, key)
        if value:
            problems += gate_problems(value, loaded.at((key,)))
    for i, word in enumerate(meta.keywords):
        problems += gate_problems(word, loaded.at(("keywords", i)))
    return problems


def _unsafe_name(root: Path, file: Path) -> Problem:
    return error(
        Location(file.relative_to(root).as_posix()),
        "unsafe-name",
        f"{in_quotes(file.name)} is not a safe briefing name",
        "rename the file with letters, digits, hyphens and underscores only "
        "(e.g. 'distillation-memo.md'): the name becomes output files and links",
    )


# --- composing ----------------------------------------------------------------------------


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
    unassessed_warned: set[str] = field(default_factory=set)
    charts: int = 0
    anchor_links: list[tuple[str, Location]] = field(default_factory=list)
    """Each link to a part of this briefing ('#…'), where it was written."""
    chart_names: dict[str, Location] = field(default_factory=dict)
    """Where each chart name was first given: a name is a chart's id on the page."""

    def where(self, body_line: int, column: int = 1) -> Location:
        return Location(self.spec.path, self.spec.body_line + body_line, column)


def compose(
    spec: BriefingSpec,
    corpus: Corpus,
    verification: Verification,
    changes: ChangeSet | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Build the document, or return the problems that stop it (unknown ids, bare figures).

    ``changes`` is what changed in the fact base since the last edition, for briefings
    with a ``changes`` section (None when there is no earlier edition to compare with).
    """
    tokens = briefing_markdown().parse(spec.body)
    state = ComposeState(spec, corpus, verification)
    blocks, _ = _blocks(tokens, 0, state, None)
    state.problems.extend(_dead_anchor_links(tokens, state))
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
        return Heading(int(token.tag[1]), str(token.attrs["id"]), content), i + 3
    if kind == "paragraph_open":
        return Paragraph(_inlines(tokens[i + 1], state)), i + 3
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
        _gate(token.content, state, state.where((token.map[0] + 1) if token.map else 0))
        return CodeBlock(token.content), i + 1
    if kind == "html_block":
        state.problems.append(
            _raw_html(token.content, state.where(token.map[0] if token.map else 0))
        )
    return None, i + 1  # closing tokens of structures handled above


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
    return Table(None, tuple(header), tuple(tuple(r) for r in rows)), i + 1


def _plain_text(parts: tuple[Inline, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, (Emphasis, Strong, Link)):
            out.append(_plain_text(part.content))
        elif isinstance(part, FigureRef):
            out.append(part.display)
        else:
            out.append(getattr(part, "text", ""))
    return "".join(out)


def _near_miss(info: str) -> str | None:
    """The block kind a fence's word nearly spells ('tabel' → 'table'), if any."""
    word = info.strip().split()[0] if info.strip() else ""
    if not word or word in FENCE_KINDS:
        return None
    close = difflib.get_close_matches(word.lower(), FENCE_KINDS, n=1, cutoff=0.7)
    return close[0] if close else None


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
    state.problems.extend(_linked_references(token.content, state.where(line)))
    stack: list[list[Inline]] = [[]]
    openers: list[Token] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            line += 1
            stack[-1].append(Text(" "))
        elif kind == "text":
            _gate(child.content, state, state.where(line))
            state.problems.extend(_bracket_problems(child.content, state.where(line)))
            stack[-1].append(Text(child.content))
        elif kind == "image" or (kind == "html_inline" and not child.content.startswith("</")):
            state.problems.append(_unsupported_markup(child, state.where(line)))
        elif kind == "code_inline":
            _gate(child.content, state, state.where(line))
            stack[-1].append(Code(child.content))
        elif kind == "cb_literal":
            _check_literal(child.content, state, state.where(line))
            stack[-1].append(Literal(child.content))
        elif kind == "cb_fact":
            figure = reference(child.meta["id"], state, state.where(line))
            if figure is not None:
                stack[-1].append(figure)
        elif kind.endswith("_open"):
            if kind == "link_open":
                state.problems.extend(
                    _link_problems(str(child.attrs.get("href", "")), state, state.where(line))
                )
            openers.append(child)
            stack.append([])
        elif kind.endswith("_close") and openers:
            content = tuple(_merged(stack.pop()))
            stack[-1].extend(_wrapped(openers.pop(), content))
    return tuple(_merged(stack[0]))


_SINGLE_BRACKETED_ID = re.compile(
    r"(?<!\[)\[([a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+)\](?!\])"
)


_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]*\]")
_LINKED_REFERENCE = re.compile(r"\[[^\[\]]*\[\[[^\[\]\n]*\]\][^\[\]]*\]\(")
"""'[words [[fact]] words](': a reference's id holds no bracket and no line end, so a '[['
never closed is given up at the next bracket, not at the end of the text (quadratic)."""
LINK_TARGET = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)


def _raw_html(content: str, where: Location) -> Problem:
    """Raw HTML is never rendered: without this error it would be dropped without a word."""
    if content.lstrip().startswith("<!--"):
        return error(
            where,
            "raw-html",
            "HTML comments are not supported in a briefing",
            "delete the comment; keep notes for colleagues outside the briefing",
        )
    shown = content.strip().split("\n")[0][:40]
    return error(
        where,
        "raw-html",
        f"raw HTML ({in_quotes(shown)}) is not allowed in a briefing",
        "write it in Markdown (**bold**, *italics*, [words](https://…), lists, tables), "
        "or delete it",
    )


def _unsupported_markup(token: Token, where: Location) -> Problem:
    if token.type == "html_inline":
        return _raw_html(token.content, where)
    return error(
        where,
        "image",
        f"images are not supported in a briefing (![{token.content}]"
        f"({token.attrs.get('src', '')}))",
        "delete it; to show figures, draw a ```chart block from cited facts",
    )


def _link_problems(href: str, state: ComposeState, where: Location) -> list[Problem]:
    """A briefing links to the web, to an address, or to its own headings: never a file."""
    if href.startswith("#"):
        state.anchor_links.append((unquote(href[1:]), where))  # checked once headings are known
        return []
    if LINK_TARGET.match(href.strip()):
        return []
    return [
        error(
            where,
            "link-target",
            f"a link to {in_quotes(href)} is not allowed: a briefing links only to web pages "
            "(https://…), email addresses (mailto:…) or its own headings (#…)",
            "link to the web address where readers can find the document; a reader cannot "
            "open files on your computer",
        )
    ]


def _dead_anchor_links(tokens: list[Token], state: ComposeState) -> list[Problem]:
    """A link to '#…' must reach a heading or a chart of this briefing."""
    headings = [str(t.attrs["id"]) for t in tokens if t.type == "heading_open"]
    targets = {*headings, *(f"figure-{name}" for name in state.chart_names)}
    return [
        error(
            where,
            "link-target",
            f"a link to '#{anchor}' goes to no heading or chart of this briefing",
            (
                "link to one of its headings: " + ", ".join(f"#{h}" for h in headings[:6])
                if headings
                else "this briefing has no headings to link to (## Heading makes one)"
            ),
        )
        for anchor, where in state.anchor_links
        if anchor not in targets
    ]


def _linked_references(content: str, where: Location) -> list[Problem]:
    """'[text [[fact]]](url)': a fact reference inside a link's words breaks the link."""
    return [
        error(
            Location(where.path, where.line + content.count("\n", 0, match.start()), where.column),
            "linked-reference",
            "a fact reference inside a link's words: the link cannot be made",
            "keep the fact reference outside the brackets, e.g. "
            "[the agency's report](https://…) counted [[fact.id]]",
        )
        for match in _LINKED_REFERENCE.finditer(content)
    ]


def _bracket_problems(text: str, where: Location) -> list[Problem]:
    """Brackets that were meant as a fact reference must not reach the reader as text."""
    problems = [
        error(
            where,
            "footnote",
            f"footnotes ({match.group()}) are not supported: a briefing's notes are made "
            "from its facts' citations",
            "state the figure with [[fact.id]] and its note names the fact's sources; "
            "write any other remark in the text",
        )
        for match in _FOOTNOTE_MARK.finditer(text)
    ]
    problems += [
        error(
            where,
            "broken-reference",
            f"[{match.group(1)}] looks like a fact reference with single brackets",
            f"write [[{match.group(1)}]] to state the fact",
        )
        for match in _SINGLE_BRACKETED_ID.finditer(text)
    ]
    if "[[" in text:
        problems.append(
            error(
                where,
                "broken-reference",
                "a fact reference opened with '[[' is not closed on the same line",
                "close it with ']]', e.g. [[labs.minimax.exchanges]]",
            )
        )
    elif "]]" in text:
        problems.append(
            error(
                where,
                "broken-reference",
                "']]' closes no fact reference",
                "open the reference with '[[' on the same line, or remove the brackets",
            )
        )
    return problems


def _wrapped(opener: Token, content: tuple[Inline, ...]) -> list[Inline]:
    if opener.type == "em_open":
        return [Emphasis(content)]
    if opener.type == "strong_open":
        return [Strong(content)]
    if opener.type == "link_open":
        return [Link(str(opener.attrs.get("href", "")), content)]
    return list(content)  # strikethrough and the like: keep the words


def _merged(parts: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for part in parts:
        if isinstance(part, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + part.text)
        else:
            out.append(part)
    return out


def _gate(text: str, state: ComposeState, where: Location) -> None:
    """A figure in text a reader sees that did not come from a fact: that is an error."""
    state.problems.extend(gate_problems(text, where))


def gate_problems(text: str, where: Location) -> list[Problem]:
    return [
        error(
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
        for figure in reader_figures(text)
    ]


def _check_literal(content: str, state: ComposeState, where: Location) -> None:
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


def resolve(fact_id: str, state: ComposeState, where: Location) -> Fact | DerivedValue | None:
    fact = state.corpus.facts.get(fact_id)
    derived = state.verification.derived.get(fact_id)
    if fact is None and derived is None:
        known = [*state.corpus.facts, *state.verification.derived]
        state.problems.append(
            error(
                where,
                "unknown-fact",
                f"reference to fact '{fact_id}', which is not in the fact base",
                did_you_mean(fact_id, known) + "fact ids are defined in briefings/facts/*.yaml",
                subject=fact_id,
            )
        )
        return None
    first_use = fact_id not in state.facts_used
    state.facts_used[fact_id] = None
    if derived is not None:
        for item in derived.inputs:
            state.facts_used[item.id] = None
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
                f"fact '{fact.id}' is as of {newest.isoformat()}, more than {horizon} days before "
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
    return figure(item, len(state.note_facts))


def figure(item: Fact | DerivedValue, note: int | None) -> FigureRef:
    from .sections import derived_display, fact_sources

    if isinstance(item, DerivedValue):
        return FigureRef(
            item.derived.id, derived_display(item), FigureStyle.FIGURE, note, fact_sources(item)
        )
    if item.kind == "unknown":
        style = FigureStyle.UNKNOWN  # not a figure: the note says which sources were searched
    elif item.kind in ("number", "date"):
        style = FigureStyle.FIGURE
    else:
        style = FigureStyle.STATEMENT
    display = format_value(item)
    if style == FigureStyle.STATEMENT:
        display = smarten(display)
    return FigureRef(item.id, display, style, note, fact_sources(item))


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
        _gate(name, state, loaded.at(("columns", i)))
    _gate(block.caption, state, loaded.at(("caption",)))
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
                _gate(cell, state, where)
                cells.append((Text(smarten(cell)),))
        rows.append(tuple(cells))
    header = tuple((Text(smarten(c)),) for c in block.columns)
    return Table(smarten(block.caption), header, tuple(rows))


def _ragged_row(index: int, cells: int, columns: int, loaded: Any) -> Problem:
    return error(
        loaded.at(("rows", index)),
        "table-row",
        f"row {index + 1} has {cells} cell{'s' * (cells != 1)} but the table has "
        f"{columns} column{'s' * (columns != 1)}",
        "give every row one cell per column, in the columns' order (an empty cell is '-')",
    )
