"""Markup a reader would see broken: raw HTML, footnote marks, bad links, stray brackets."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import Location, Problem, error, in_quotes
from .state import ComposeState

_SINGLE_BRACKETED_ID = re.compile(
    r"(?<!\[)\[([a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+)\](?!\])"
)


_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]*\]")


_LINKED_REFERENCE = re.compile(r"\[[^\[\]]*\[\[[^\[\]\n]*\]\][^\[\]]*\]\(")
"""'[words [[fact]] words](': a reference's id holds no bracket and no line end, so a '[['
never closed is given up at the next bracket, not at the end of the text (quadratic)."""


LINK_TARGET = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)


def raw_html(content: str, where: Location) -> Problem:
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


def unsupported_markup(token: Token, where: Location) -> Problem:
    if token.type == "html_inline":
        return raw_html(token.content, where)
    return error(
        where,
        "image",
        f"images are not supported in a briefing (![{token.content}]"
        f"({token.attrs.get('src', '')}))",
        "delete it; to show figures, draw a ```chart block from cited facts",
    )


def link_problems(href: str, state: ComposeState, where: Location) -> list[Problem]:
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


def dead_anchor_links(tokens: list[Token], state: ComposeState) -> list[Problem]:
    """A link to '#…' must reach a heading or a chart of this briefing."""
    headings = [str(t.attrs["id"]) for t in tokens if t.type == "heading_open"]
    targets = {*headings, *(f"figure-{name}" for name in state.chart_names)}
    targets |= {f"table-{name}" for name in state.table_names}
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


def linked_references(content: str, where: Callable[[int, str], Location]) -> list[Problem]:
    """'[text [[fact]]](url)': a fact reference inside a link's words breaks the link
    (``where`` locates written text on the paragraph's n-th line)."""
    return [
        error(
            where(content.count("\n", 0, match.start()), match.group().split("\n")[0]),
            "linked-reference",
            "a fact reference inside a link's words: the link cannot be made",
            "keep the fact reference outside the brackets, e.g. "
            "[the agency's report](https://…) counted [[fact.id]]",
        )
        for match in _LINKED_REFERENCE.finditer(content)
    ]


def bracket_problems(text: str, where: Callable[[str], Location]) -> list[Problem]:
    """Brackets that were meant as a fact reference must not reach the reader as text
    (``where`` locates written text on the line)."""
    problems = [
        error(
            where(match.group()),
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
            where(match.group()),
            "broken-reference",
            f"[{match.group(1)}] looks like a fact reference with single brackets",
            f"write [[{match.group(1)}]] to state the fact",
        )
        for match in _SINGLE_BRACKETED_ID.finditer(text)
    ]
    if "[[" in text:
        problems.append(
            error(
                where("[["),
                "broken-reference",
                "a fact reference opened with '[[' is not closed on the same line",
                "close it with ']]', e.g. [[labs.minimax.exchanges]]",
            )
        )
    elif "]]" in text:
        problems.append(
            error(
                where("]]"),
                "broken-reference",
                "']]' closes no fact reference",
                "open the reference with '[[' on the same line, or remove the brackets",
            )
        )
    return problems
