"""The briefing dialect of Markdown: CommonMark with tables, raw HTML off, and fact references.

``[[labs.minimax.exchanges]]`` is a fact reference; ``[[literal:H20]]`` marks words that
look like a figure but are not one (model names, section numbers). Both are parsed by an
inline rule registered before ``link``, never by a regex over the text.
"""

from __future__ import annotations

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
    end = src.find("]]", pos + 2)
    if end < 0 or "\n" in src[pos:end]:
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


def slugify(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def briefing_markdown() -> MarkdownIt:
    """A fresh parser for each call: no state is shared between briefings or set at import."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "linkify": False})
    md.enable(["table", "replacements", "smartquotes", "strikethrough"])
    md.disable("image")  # briefings are self-contained: no picture is fetched from anywhere
    md.use(fact_reference_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    return md
