"""Compose stage: a briefing spec and the verified facts become a Document.

The Document is plain data: narrative HTML chunks (fact references already rendered in
house style, footnote calls as markers), tables, chart requests and generated sections,
with every footnote numbered in reading order. Templates turn it into pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token
from markupsafe import escape

from .derive import DerivedValue
from .display import format_date, format_value
from .document import (
    Block,
    BriefingSpec,
    Chart,
    ChartDatum,
    Document,
    EvidenceItem,
    Footnote,
    Generated,
    Narrative,
    Table,
)
from .errors import Location, Problem, Severity, error, warning
from .figures import find_figures
from .load import load_yaml, read_text, split_front_matter
from .markdown import briefing_markdown, slugify
from .model import Corpus, Fact, Source
from .notes import (
    NoteContext,
    cited_sources,
    derived_display,
    derived_note,
    derived_sources,
    fact_note,
    short_note,
    source_ref,
)
from .schema import BriefingFrontMatter, ChartBlock, TableBlock
from .validate import parse_model
from .verify import Verification, rests_on_low_reliability

GENERATED = (
    "contents",
    "timeline",
    "disagreements",
    "assessment",
    "sources",
    "evidence",
    "changes",
)
SMALL_NUMBER_LIMIT = 10
"""Bare integers below this (section 2, phase 1) are labels, not figures."""


def load_briefing(
    root: Path, file: Path, default_template: str | None = None
) -> tuple[BriefingSpec | None, list[Problem], str]:
    """Read a briefing spec; ``default_template`` (from citebrief.toml) fills a missing one."""
    read = read_text(root, file)
    if isinstance(read, Problem):
        return None, [read], ""
    rel, text = read
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
    if meta is None or problems:
        return None, problems, text
    return BriefingSpec(file.stem, rel, meta, split.body, split.body_line), [], text


# --- composing ----------------------------------------------------------------------------


@dataclass
class _State:
    """What composing one briefing accumulates, in reading order."""

    spec: BriefingSpec
    corpus: Corpus
    verification: Verification
    problems: list[Problem] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    facts_used: dict[str, None] = field(default_factory=dict)
    has_source_list: bool = False
    charts: int = 0
    changes_markdown: str = ""

    @property
    def notes(self) -> NoteContext:
        return NoteContext(self.corpus, self.verification, self.has_source_list)

    def where(self, body_line: int, column: int = 1) -> Location:
        return Location(self.spec.path, self.spec.body_line + body_line, column)


def compose(
    spec: BriefingSpec, corpus: Corpus, verification: Verification, changes_markdown: str = ""
) -> tuple[Document | None, list[Problem]]:
    """Build the document, or return the problems that stop it (unknown ids, bare figures).

    ``changes_markdown`` is the "what changed since the last edition" list, for briefings
    with a ``changes`` section (it comes from git, outside the fact base).
    """
    md = briefing_markdown()
    tokens = md.parse(spec.body)
    state = _State(spec, corpus, verification, changes_markdown=changes_markdown)
    state.has_source_list = any(t.type == "fence" and t.info.strip() == "sources" for t in tokens)
    blocks = _blocks(tokens, state)
    if any(p.severity == Severity.ERROR for p in state.problems):
        return None, state.problems
    return _document(spec, state, blocks, tokens), state.problems


def _blocks(tokens: list[Token], state: _State) -> list[Block]:
    md = briefing_markdown()
    blocks: list[Block] = []
    pending: list[Token] = []

    def flush() -> None:
        if pending:
            blocks.append(Narrative(md.renderer.render(pending, md.options, {"state": state})))
            pending.clear()

    for token in tokens:
        if token.type == "inline":
            _check_inline(token, state)
        if token.type == "fence" and token.info.strip() in ("table", "chart", *GENERATED):
            flush()
            block = _fence_block(token, state)
            if block is not None:
                blocks.append(block)
        else:
            pending.append(token)
    flush()
    return blocks


# --- inline: fact references and the uncited-figure gate --------------------------------------


def _check_inline(token: Token, state: _State) -> None:
    line = token.map[0] if token.map else 0
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "cb_fact":
            _resolve(child.meta["id"], state, state.where(line))
        elif child.type == "text":
            _gate(child.content, state, state.where(line))


def _gate(text: str, state: _State, where: Location) -> None:
    """A figure in literal text did not come from a fact: that is an error."""
    found = find_figures(text)
    bare = [d.text for d in found.dates] + [
        q.text
        for q in found.quantities
        if q.kind != "number"
        or q.value >= SMALL_NUMBER_LIMIT
        or q.value != int(q.value)
        or q.text.strip()[-1:] in "+"
    ]
    for figure in bare:
        state.problems.append(
            error(
                where,
                "uncited-figure",
                f"'{figure.strip()}' is a figure that does not come from a fact reference",
                "write [[fact.id]] to state a cited figure; if it is not a figure at all "
                f"(a model name, a section number), write [[literal:{figure.strip()}]]",
            )
        )


def _resolve(fact_id: str, state: _State, where: Location) -> Fact | DerivedValue | None:
    fact = state.corpus.facts.get(fact_id)
    derived = state.verification.derived.get(fact_id)
    if fact is None and derived is None:
        import difflib

        known = [*state.corpus.facts, *state.verification.derived]
        close = difflib.get_close_matches(fact_id, known, n=1)
        state.problems.append(
            error(
                where,
                "unknown-fact",
                f"reference to fact '{fact_id}', which is not in the fact base",
                (f"did you mean '{close[0]}'? " if close else "")
                + "fact ids are defined in briefings/facts/*.yaml",
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
    return fact or derived


DEFAULT_STALE_AFTER_DAYS = 365


def _currency_problems(fact: Fact, state: _State, where: Location) -> list[Problem]:
    """A briefing cannot cite the future, and should not lean on stale figures."""
    edition = state.spec.meta.edition
    problems = []
    for citation in fact.citations:
        source = state.corpus.sources.get(citation.source)
        if source is not None and source.published is not None and source.published > edition:
            problems.append(
                error(
                    where,
                    "cites-the-future",
                    f"fact '{fact.id}' cites '{source.id}', published {source.published.isoformat()}, "
                    f"after this briefing's edition date {edition.isoformat()}",
                    "move the edition date forward, or cite a source published by then",
                )
            )
    dated = (
        [fact.as_of]
        if fact.as_of
        else [
            s.published
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
            )
        )
    return problems


def render_reference(fact_id: str, state: _State) -> str:
    """The HTML of a fact reference: the figure in house style, then a footnote marker."""
    fact = state.corpus.facts.get(fact_id)
    derived = state.verification.derived.get(fact_id)
    if derived is not None:
        display, sources = derived_display(derived), derived_sources(derived)
        note = derived_note(derived, state.notes)
        short = (
            "Calculated by citebrief from "
            + "; ".join(source_ref(s, state.notes) for s in sources)
            + "."
        )
    elif fact is not None:
        display, sources, note = (
            format_value(fact),
            cited_sources(fact),
            fact_note(fact, state.notes),
        )
        short = short_note(fact, state.notes)
    else:  # reported by the inline check; never rendered
        return ""
    number = len(state.footnotes) + 1
    state.footnotes.append(Footnote(number, note, short, fact_id))
    if fact is not None and fact.kind == "unknown":
        css = "unknown-value"  # not a figure: the note says which sources were searched
    elif fact is None or fact.kind in ("number", "date"):
        css = "fig"
    else:
        css = "fig statement"
    return (
        f'<span class="{css}" data-fact="{escape(fact_id)}" data-cites="{escape(" ".join(sources))}">'
        f"{escape(display)}</span><!--fn:{number}-->"
    )


def _render_fact_token(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return render_reference(tokens[idx].meta["id"], env["state"])


def _render_literal_token(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f'<span class="literal">{escape(tokens[idx].content)}</span>'


briefing_markdown().add_render_rule("cb_fact", _render_fact_token)
briefing_markdown().add_render_rule("cb_literal", _render_literal_token)


# --- fenced blocks: tables, charts, generated sections -----------------------------------------


def _fence_block(token: Token, state: _State) -> Block | None:
    kind = token.info.strip()
    if kind == "changes":
        from markdown_it import MarkdownIt

        plain = MarkdownIt("commonmark", {"html": False, "typographer": True})
        return Generated(kind, plain.render(state.changes_markdown or "No change history given.\n"))
    if kind in GENERATED:
        return Generated(kind)
    first_line = (token.map[0] if token.map else 0) + 1
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
    return _chart(parsed, loaded, state)


def _table(block: TableBlock, loaded: Any, state: _State) -> Table:
    for i, name in enumerate(block.columns):
        _gate(name, state, loaded.at(("columns", i)))
    _gate(block.caption, state, loaded.at(("caption",)))
    rows = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, cell in enumerate(row):
            where = loaded.at(("rows", r, c))
            if cell in state.corpus.facts or cell in state.verification.derived:
                _resolve(cell, state, where)
                cells.append(render_reference(cell, state))
            elif "." in cell and " " not in cell:
                _resolve(cell, state, where)  # looks like an id: report it as unknown
                cells.append("")
            else:
                _gate(cell, state, where)
                cells.append(str(escape(cell)))
        rows.append(tuple(cells))
    return Table(block.caption, tuple(block.columns), tuple(rows))


def _chart(block: ChartBlock, loaded: Any, state: _State) -> Chart | None:
    _gate(block.title, state, loaded.at(("title",)))
    for i, label in enumerate(block.labels):
        _gate(label, state, loaded.at(("labels", i)))
    ids = block.facts or (
        [f.id for f in state.corpus.facts.values() if f.kind == "date"]
        if block.kind == "timeline"
        else []
    )
    facts = [_resolve(fid, state, loaded.at(("facts", i))) for i, fid in enumerate(ids)]
    if any(f is None for f in facts):
        return None
    if block.labels and len(block.labels) != len(ids):
        state.problems.append(
            error(
                loaded.at(("labels",)),
                "chart-labels",
                f"chart '{block.name}' has {len(block.labels)} labels for {len(ids)} facts",
                "give one label per fact, in the same order, or leave 'labels' out",
            )
        )
        return None
    resolved = [f for f in facts if f is not None]
    labels: list[str | None] = list(block.labels) or [None] * len(ids)
    data = [_datum(f, label, state) for f, label in zip(resolved, labels, strict=True)]
    wanted = "date" if block.kind == "timeline" else "number"
    wrong = [d.fact_id for d in data if (d.date is None if wanted == "date" else d.value is None)]
    if wrong:
        state.problems.append(
            error(
                loaded.at(("facts",)),
                "chart-data",
                f"chart '{block.name}' ({block.kind}) needs {wanted} facts; '{wrong[0]}' is not one",
                f"list only facts whose value is a {wanted}",
            )
        )
        return None
    state.charts += 1
    sources = tuple(dict.fromkeys(s for f in facts for s in _fact_sources(f)))  # type: ignore[arg-type]
    return Chart(
        block.name, block.kind, block.title, tuple(data), sources, _alt(block, data), state.charts
    )


def _fact_sources(item: Fact | DerivedValue) -> list[str]:
    return cited_sources(item) if isinstance(item, Fact) else derived_sources(item)


def _datum(item: Fact | DerivedValue, label: str | None, state: _State) -> ChartDatum:
    if isinstance(item, DerivedValue):
        return ChartDatum(
            label or item.derived.label,
            item.derived.id,
            derived_display(item),
            item.value,
            item.qualifier,
        )
    low = rests_on_low_reliability(item, state.corpus.sources)
    return ChartDatum(
        label or item.label,
        item.id,
        format_value(item),
        item.number,
        item.qualifier,
        item.date,
        low_reliability=low,
    )


def _alt(block: ChartBlock, data: list[ChartDatum]) -> str:
    """Alt text written from the data itself."""
    if block.kind == "timeline":
        events = "; ".join(f"{format_date(d.date)}: {d.label}" for d in data if d.date)  # type: ignore[arg-type]
        return f"Timeline of {len(data)} dated events. {events}."
    items = "; ".join(f"{d.label}: {d.display}" for d in data)
    if block.kind == "share":
        return f"Bar divided into shares of the combined total. {items}."
    return f"Horizontal bar chart on a logarithmic scale. {items}."


# --- the finished document -------------------------------------------------------------------


def _document(
    spec: BriefingSpec, state: _State, blocks: list[Block], tokens: list[Token]
) -> Document:
    corpus, verification = state.corpus, state.verification
    used = [fid for fid in state.facts_used if fid in corpus.facts]
    sources = _sources_in_order(used, corpus)
    evidence = tuple(_evidence(corpus.facts[fid], verification) for fid in used)
    timeline = tuple(
        sorted(
            (f for f in corpus.facts.values() if f.kind == "date"),
            key=lambda f: (f.date.earliest() if f.date else dt.date.min, f.id),
        )
    )
    return Document(
        spec=spec,
        blocks=tuple(blocks),
        footnotes=tuple(state.footnotes),
        headings=_headings(tokens),
        sources=sources,
        evidence=evidence,
        timeline=timeline,
        disagreements=verification.disagreements,
        all_sources=tuple(sorted(corpus.sources.values(), key=lambda s: s.id)),
        facts_used=tuple(state.facts_used),
        facts=dict(corpus.facts),
    )


def _sources_in_order(fact_ids: list[str], corpus: Corpus) -> tuple[Source, ...]:
    ids: dict[str, None] = {}
    for fid in fact_ids:
        for c in corpus.facts[fid].citations:
            ids[c.source] = None
    return tuple(
        sorted((corpus.sources[i] for i in ids if i in corpus.sources), key=lambda s: s.id)
    )


def _evidence(fact: Fact, verification: Verification) -> EvidenceItem:
    return EvidenceItem(
        fact,
        format_value(fact),
        tuple(m for m in verification.matches if m.fact_id == fact.id),
        tuple(d for d in verification.disagreements if d.fact_id == fact.id),
    )


def _headings(tokens: list[Token]) -> tuple[tuple[int, str, str], ...]:
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            text = "".join(
                c.content for c in tokens[i + 1].children or [] if c.type in ("text", "code_inline")
            )
            anchor = str(token.attrs.get("id") or slugify(text))
            found.append((int(token.tag[1]), anchor, text))
    return tuple(found)
