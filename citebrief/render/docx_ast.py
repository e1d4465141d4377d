"""The composed Document as a Pandoc AST (JSON): one function per kind of block and inline part,
so Word gets real headings, tables, footnotes and images."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..common.typography import unbroken
from ..document.model import (
    Assessment,
    Block,
    Cell,
    Changes,
    Chart,
    ChartKind,
    Code,
    CodeBlock,
    Contents,
    CrossRef,
    Disagreements,
    DisputeKind,
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
    SourceList,
    SourceRef,
    Strong,
    Table,
    Text,
    Timeline,
)
from ..facts.display import format_date
from ..model import DateStyle, PartialDate
from .chart import WIDTH_INCHES

Json = dict[str, Any]
NO_ATTR: list[Any] = ["", [], []]


def chart_file(name: str) -> str:
    """The picture's file name (chart names are lower-case words and hyphens)."""
    return f"{name}.png"


# --- the document ---------------------------------------------------------------------------


class _Context:
    """What every block and inline function may read: the Document and the chart images."""

    def __init__(self, document: Document, charts: Mapping[str, str]) -> None:
        self.doc = document
        self.charts = charts
        meta = document.spec.meta
        self.kind_of_briefing = "memo" if meta.template == "memo" else "paper"
        self.evidence_ids = frozenset(item.fact_id for item in document.evidence) | frozenset(
            item.fact_id for item in document.computed_evidence
        )


def pandoc_ast(document: Document, charts: Mapping[str, str], api: list[int]) -> Json:
    """The whole Word edition as a Pandoc AST (``pandoc -f json``), title block first;
    ``charts`` names each chart's picture file."""
    ctx = _Context(document, charts)
    blocks = [*_title_block(ctx)]
    for block in document.blocks:
        blocks += _block(block, ctx)
    blocks += _colophon(ctx)
    return {"pandoc-api-version": api, "meta": _meta(document), "blocks": blocks}


def _meta(document: Document) -> Json:
    """Properties only: title and author are filled in afterwards, or pandoc would print them."""
    meta = document.spec.meta
    fields: Json = {
        "lang": _meta_text(document.spec.house.lang),
        "subject": _meta_text(meta.subtitle or meta.title),
    }
    if meta.keywords:
        fields["keywords"] = {"t": "MetaList", "c": [_meta_text(k) for k in meta.keywords]}
    return fields


def _meta_text(text: str) -> Json:
    return {"t": "MetaInlines", "c": _words(text)}


def _title_block(ctx: _Context) -> list[Json]:
    meta = ctx.doc.spec.meta
    edition = date_text(meta.edition, ctx.doc.spec.house.dates)
    blocks = [_styled("Marking", _words(meta.marking))]
    if meta.template == "memo":
        blocks += [_styled("Series", _words("Memorandum")), _styled("Title", _words(meta.title))]
        lines = [("For", meta.audience), ("From", meta.author), ("Date", edition)]
        if meta.subtitle:
            lines.append(("Subject", meta.subtitle))
        blocks += [_styled("Memo Line", [_strong(f"{k}:"), _space(), *_words(v)]) for k, v in lines]
        return blocks
    blocks += [
        _styled("Series", _words(f"Background paper · {meta.audience}")),
        _styled("Title", _words(meta.title)),
    ]
    if meta.subtitle:
        blocks.append(_styled("Subtitle", _words(meta.subtitle)))
    blocks.append(_styled("Byline", _words(f"{meta.author} · Edition of {edition}")))
    if meta.summary:
        blocks.append(_styled("Abstract", _words(meta.summary)))
    return blocks


def _colophon(ctx: _Context) -> list[Json]:
    words = (
        f"{ctx.doc.spec.meta.marking}. Every figure in this {ctx.kind_of_briefing} "
        "is tied to a quotation in its source."
    )
    return [_styled("Colophon", _words(words))]


def date_text(date: dt.date, dates: DateStyle) -> str:
    return unbroken(format_date(PartialDate(date.year, date.month, date.day), dates))


# --- blocks: one function per kind ------------------------------------------------------------


def _block(block: Block, ctx: _Context) -> list[Json]:
    return BLOCKS[block.kind](block, ctx)


def _heading(block: Heading, ctx: _Context) -> list[Json]:
    """The title is Word's Title, so the body's level-2 sections become Heading 1."""
    level = max(1, block.level - 1)
    return [{"t": "Header", "c": [level, [block.anchor, [], []], _inlines(block.content, ctx)]}]


def _paragraph(block: Paragraph, ctx: _Context) -> list[Json]:
    return [_para(_inlines(block.content, ctx))]


def _list(block: ListBlock, ctx: _Context) -> list[Json]:
    items = [_list_item(item, ctx) for item in block.items]
    if block.ordered:
        style = [block.start, {"t": "Decimal"}, {"t": "Period"}]
        return [{"t": "OrderedList", "c": [style, items]}]
    return [{"t": "BulletList", "c": items}]


def _list_item(item: tuple[Block, ...], ctx: _Context) -> list[Json]:
    if len(item) == 1 and isinstance(item[0], Paragraph):
        return [_plain(_inlines(item[0].content, ctx))]  # a tight list, as in the HTML
    return [b for inner in item for b in _block(inner, ctx)]


def _quote(block: Quote, ctx: _Context) -> list[Json]:
    return [{"t": "BlockQuote", "c": [b for inner in block.content for b in _block(inner, ctx)]}]


def _code_block(block: CodeBlock, ctx: _Context) -> list[Json]:
    return [{"t": "CodeBlock", "c": [NO_ATTR, block.text.rstrip("\n")]}]


def _rule(block: Rule, ctx: _Context) -> list[Json]:
    return [{"t": "HorizontalRule"}]


def _table(block: Table, ctx: _Context) -> list[Json]:
    header = [_inlines(cell, ctx) for cell in block.header]
    rows = [[_inlines(cell, ctx) for cell in row] for row in block.rows]
    caption = block.caption
    if caption and block.number:
        caption = f"Table\u00a0{block.number}. {caption}"
    return [_table_ast(caption, header, rows)]


def _chart(block: Chart, ctx: _Context) -> list[Json]:
    """Caption above, the drawing with its alt text, then the source line, as in the HTML."""
    title = [_strong(f"Figure {block.number}."), _space(), *_words(block.title)]
    picture = {
        "t": "Image",
        "c": [
            [f"figure-{block.name}", [], [["width", f"{WIDTH_INCHES:g}in"]]],
            _words(block.alt),
            [ctx.charts[block.name], ""],
        ],
    }
    return [
        _styled("Figure Title", title),
        _styled("Figure", [picture]),
        _styled("Figure Source", _chart_source(block, ctx)),
    ]


def _chart_source(block: Chart, ctx: _Context) -> list[Json]:
    label = "Sources:" if len(block.sources) > 1 else "Source:"
    data: list[Json] = []
    for i, datum in enumerate(block.data):
        share = f" ({datum.share})" if datum.share else ""
        if block.chart == ChartKind.TIMELINE and datum.low_reliability:
            share += " (unconfirmed)"
        data += [*_words(f"{datum.label}: {datum.with_unit or datum.display}{share}")]
        data += _words("; " if i < len(block.data) - 1 else ".")
    return [
        *_words(label + " "),
        *_source_names(block.sources, ctx, ending=True),
        *_words(f" {block.reading}. Data: "),
        *data,
    ]


def _contents(block: Contents, ctx: _Context) -> list[Json]:
    entries = [_styled("Contents", [_link(f"#{e.anchor}", _words(e.text))]) for e in block.entries]
    return [_styled("TOC Heading", _words("Contents")), *entries]


def _timeline(block: Timeline, ctx: _Context) -> list[Json]:
    rows = []
    for row in block.rows:
        event = _words(row.event)
        if row.unconfirmed:
            event += _words(" (unconfirmed: low-reliability sources only)")
        if row.note:
            event += [{"t": "LineBreak"}, _emph(_words(row.note))]
        rows.append([_figure(row.date, ctx), event, _source_names(row.sources, ctx)])
    caption = f"Dated events cited in this {ctx.kind_of_briefing}"
    return [_table_ast(caption, [_words(h) for h in ("Date", "Event", "Sources")], rows)]


def _disagreements(block: Disagreements, ctx: _Context) -> list[Json]:
    columns = ("Figure", f"This {ctx.kind_of_briefing} uses", "Other source", "It states")
    rows = []
    for row in block.rows:
        if row.dispute == DisputeKind.WORDING:
            why = "The same number with another qualifier."
        else:
            why = row.reason[:1].upper() + row.reason[1:]
        rows.append(
            [
                _words(row.label),
                _figure(row.used, ctx),
                _source_names([row.source], ctx),
                _words(row.stated),
                _words(why),
            ]
        )
    header = [_words(h) for h in (*columns, "Why they differ")]
    return [_table_ast("Figures on which the sources differ", header, rows)]


def _assessment(block: Assessment, ctx: _Context) -> list[Json]:
    rows = []
    for sid in block.sources:
        source = ctx.doc.sources[sid]
        kind = source.source_kind[:1].upper() + source.source_kind[1:]
        rating = _strong(source.reliability.upper())
        rows.append(
            [
                _source_names([sid], ctx),
                _words(kind),
                [rating],
                _words(source.reliability_note),
            ]
        )
    header = [_words(h) for h in ("Source", "Kind", "Reliability", "Why")]
    return [_table_ast("Reliability of each source cited", header, rows)]


def _source_list(block: SourceList, ctx: _Context) -> list[Json]:
    """Numbered entries, each a bookmark that the source names in tables link to."""
    items = []
    for sid in block.sources:
        source = ctx.doc.sources[sid]
        entry = {"t": "Span", "c": [[source.anchor, [], []], _inlines(source.entry, ctx)]}
        items.append([_plain([entry])])
    return [{"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}]


def _changes(block: Changes, ctx: _Context) -> list[Json]:
    if not block.available:
        return [_para(_words("No earlier edition is on record to compare with."))]
    if not block.items:
        words = f"Nothing this {ctx.kind_of_briefing} cites has changed since the previous edition."
        return [_para(_words(words))]
    items = [[_plain(_inlines(item.text, ctx))] for item in block.items]
    return [_para(_words("Since the previous edition:")), {"t": "BulletList", "c": items}]


BLOCKS: dict[str, Callable[[Any, _Context], list[Json]]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list,
    "quote": _quote,
    "code_block": _code_block,
    "rule": _rule,
    "table": _table,
    "chart": _chart,
    "contents": _contents,
    "timeline": _timeline,
    "disagreements": _disagreements,
    "assessment": _assessment,
    "sources": _source_list,
    "changes": _changes,
}


def _table_ast(caption: str | None, header: list[list[Json]], rows: list[list[list[Json]]]) -> Json:
    """A table with a caption and a header row (Word repeats it on every page)."""
    widths = _column_widths([header, *rows])
    columns = [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": w}] for w in widths]
    head = [NO_ATTR, [_row(header)]]
    body = [NO_ATTR, 0, [], [_row(r) for r in rows]]
    caption_blocks = [_plain(_words(caption))] if caption else []
    return {
        "t": "Table",
        "c": [NO_ATTR, [None, caption_blocks], columns, head, [body], [NO_ATTR, []]],
    }


def _column_widths(rows: list[list[list[Json]]]) -> list[float]:
    """Full-width columns shared by the length of their text, as a browser would, each wide
    enough for its longest word so no word is broken across lines."""
    weights = []
    for i in range(len(rows[0])):
        texts = [_plain_text(row[i]) for row in rows]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        weights.append(max(min(max(len(t) for t in texts), 40), longest_word + 4))
    total = sum(weights)
    return [round(w / total, 4) for w in weights]


def _plain_text(nodes: list[Json]) -> str:
    words = []
    for node in nodes:
        if node["t"] == "Str":
            words.append(node["c"])
        elif node["t"] == "Space":
            words.append(" ")
        elif node["t"] in ("Emph", "Strong"):
            words.append(_plain_text(node["c"]))
        elif node["t"] == "Link":
            words.append(_plain_text(node["c"][1]))
    return "".join(words)


def _row(cells: list[list[Json]]) -> list[Any]:
    return [NO_ATTR, [[NO_ATTR, {"t": "AlignDefault"}, 1, 1, [_plain(c)]] for c in cells]]


# --- inline parts: one function per kind --------------------------------------------------------


def _inlines(parts: tuple[Inline, ...] | Cell, ctx: _Context) -> list[Json]:
    return [node for part in parts for node in INLINES[part.kind](part, ctx)]


def _text(part: Text, ctx: _Context) -> list[Json]:
    return _words(part.text)


def _emphasis(part: Emphasis, ctx: _Context) -> list[Json]:
    return [_emph(_inlines(part.content, ctx))]


def _strong_part(part: Strong, ctx: _Context) -> list[Json]:
    return [{"t": "Strong", "c": _inlines(part.content, ctx)}]


def _code(part: Code, ctx: _Context) -> list[Json]:
    return [{"t": "Code", "c": [NO_ATTR, part.text]}]


def _literal(part: Literal, ctx: _Context) -> list[Json]:
    return _words(part.text)


def _link_part(part: Link, ctx: _Context) -> list[Json]:
    return [_link(part.url, _inlines(part.content, ctx))]


def _source_ref(part: SourceRef, ctx: _Context) -> list[Json]:
    content = _inlines(part.content, ctx)
    return [_link(f"#{part.source}", content)] if ctx.doc.has_source_list else content


def _cross_ref(part: CrossRef, ctx: _Context) -> list[Json]:
    return _words(part.text)


def _figure(part: FigureRef, ctx: _Context) -> list[Json]:
    """The figure as the reader sees it, then its note as a real Word footnote."""
    shown = _words(part.display)
    nodes = [_emph(shown)] if part.style == FigureStyle.UNKNOWN else shown
    if part.fact_id in ctx.evidence_ids:  # opens its entry on the evidence page kept beside it
        nodes = [_link(f"{ctx.doc.spec.name}.evidence.html#evidence-{part.fact_id}", nodes)]
    nodes += _words(part.trailing)
    if part.note:
        note = ctx.doc.notes[part.note - 1]
        nodes.append({"t": "Note", "c": [_para(_inlines(note.text, ctx))]})
    return nodes


INLINES: dict[str, Callable[[Any, _Context], list[Json]]] = {
    "text": _text,
    "emphasis": _emphasis,
    "strong": _strong_part,
    "code": _code,
    "literal": _literal,
    "link": _link_part,
    "source_ref": _source_ref,
    "figure": _figure,
    "xref": _cross_ref,
}


def _source_names(
    ids: list[str] | tuple[str, ...], ctx: _Context, ending: bool = False
) -> list[Json]:
    """Source names joined by semicolons; ``ending``: the last one closes a sentence."""
    nodes: list[Json] = []
    for i, sid in enumerate(ids):
        source = ctx.doc.sources[sid]
        last = i == len(ids) - 1
        name = _words(source.name_ending if ending and last else source.name)
        nodes += [_link(f"#{source.anchor}", name)] if ctx.doc.has_source_list else name
        if i < len(ids) - 1:
            nodes += _words("; ")
    return nodes


# --- AST nodes -----------------------------------------------------------------------------------

_SPACES = re.compile(r"([ \t\r\n]+)")
"""Ordinary spaces only: a no-break space stays inside its word."""


def _words(text: str) -> list[Json]:
    """Text as pandoc holds it: words (``Str``) between ``Space``s."""
    nodes: list[Json] = []
    for piece in _SPACES.split(text):
        if not piece:
            continue
        nodes.append(_space() if piece.isspace() else {"t": "Str", "c": piece})
    return nodes


def _space() -> Json:
    return {"t": "Space"}


def _strong(text: str) -> Json:
    return {"t": "Strong", "c": _words(text)}


def _emph(content: list[Json]) -> Json:
    return {"t": "Emph", "c": content}


def _link(url: str, content: list[Json]) -> Json:
    return {"t": "Link", "c": [NO_ATTR, content, [url, ""]]}


def _para(content: list[Json]) -> Json:
    return {"t": "Para", "c": content}


def _plain(content: list[Json]) -> Json:
    return {"t": "Plain", "c": content}


def _styled(style: str, content: list[Json]) -> Json:
    """A paragraph in one of the reference document's named styles."""
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], [_para(content)]]}
