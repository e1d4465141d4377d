"""The briefing dialect of Markdown: CommonMark with tables and fact references.

``[[labs.minimax.exchanges]]`` is a fact reference; ``[[literal:H20]]`` marks words that
look like a figure but are not one (model names, section numbers). Both are parsed by an
inline rule registered before ``link``, never by a regex over the text.

Raw HTML, images and every link target are parsed, not switched off, so that compose can
refuse them at their line: switched off, they reached the reader as literal text.
"""

from __future__ import annotations

import bisect
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

LITERAL_PREFIX = "literal:"


def fact_reference_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "fact_reference", _fact_reference)


def _fact_reference(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    closes, line_ends = _marks(src)
    after = bisect.bisect_left(closes, pos + 2)
    if after == len(closes):
        return False
    end = closes[after]
    line_end = bisect.bisect_left(line_ends, pos)
    if line_end < len(line_ends) and line_ends[line_end] < end:
        return False
    content = src[pos + 2 : end].strip()
    if not content:
        return False
    if not silent:
        if content.startswith(LITERAL_PREFIX):
            token = state.push("cb_literal", "", 0)
            token.content = content[len(LITERAL_PREFIX) :].strip()
        else:
            token = state.push("cb_fact", "", 0)
            token.meta = {"id": content}
            token.content = content
    state.pos = end + 2
    return True


@functools.lru_cache(maxsize=16)
def _marks(src: str) -> tuple[list[int], list[int]]:
    """Where each ']]' and each line end stands in a block's inline text, found once per text
    (searched from each '[[', a line of thousands of unclosed ones was quadratic)."""
    closes = [m.start() for m in re.finditer(r"(?=\]\])", src)]
    return closes, [m.start() for m in re.finditer("\n", src)]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


GENERATED_ID = re.compile(r"(?:fn|fnref|src|figure|chart|passage)-|(?:notes|toc)-heading\Z")
"""Ids the templates give notes, sources, charts and their own headings."""


def heading_anchor(title: str, taken: set[str]) -> str:
    """A heading's id: its words as a slug, never one the templates generate ('## Fn 1'
    would be 'fn-1', a note's id) and never one already ``taken`` by an earlier heading."""
    base = slugify(title)
    for n in range(len(taken) + 1):
        candidate = f"{base}-{n}" if n else base
        if GENERATED_ID.match(candidate):
            candidate = f"section-{candidate}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable: len(taken) + 1 candidates cannot all be taken")


def _heading_ids(state: StateCore) -> None:
    """Every heading gets an id, from the words and code spans of its title, in reading order."""
    taken: set[str] = set()
    for token, inline in zip(state.tokens, state.tokens[1:], strict=False):
        if token.type == "heading_open":
            title = "".join(
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline")
            )
            token.attrSet("id", heading_anchor(title, taken))


def briefing_markdown() -> MarkdownIt:
    """A fresh parser for each call: no state is shared between briefings or set at import."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": True, "linkify": False})
    md.enable(["table", "replacements", "smartquotes", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # compose checks each target
    md.use(fact_reference_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md
