"""The briefing dialect of Markdown: CommonMark with tables, raw HTML off, and fact references.

``[[labs.minimax.exchanges]]`` is a fact reference; ``[[literal:H20]]`` marks words that
look like a figure but are not one (model names, section numbers). Both are parsed by an
inline rule registered before ``link``, never by a regex over the text.
"""

from __future__ import annotations

import bisect
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.anchors import anchors_plugin

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


def briefing_markdown() -> MarkdownIt:
    """A fresh parser for each call: no state is shared between briefings or set at import."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "linkify": False})
    md.enable(["table", "replacements", "smartquotes", "strikethrough"])
    md.disable("image")  # briefings are self-contained: no picture is fetched from anywhere
    md.use(fact_reference_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    return md
