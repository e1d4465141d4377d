"""The front matter a reader sees, held to the body's standard.

Every field printed on the page (title, running title, subtitle, summary, audience,
marking, author) and the keywords written into the PDF go through the same gate as the
body: a figure there must come from a fact reference. ``[[fact.id]]`` in a field shows
the fact's figure in house style, read by the same prose check as a sentence of the body
(the clause must not give it to another entity or unit); the fact must also be cited in
the text, where its note tells the reader the source. Keywords hold words only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..claims.prose import Placed, prose_problems
from ..errors import Location, Problem, error, warning
from ..facts.schema import BriefingFrontMatter
from ..model import Fact
from .markdown import LITERAL_PREFIX
from .model import BriefingSpec
from .state import ComposeState, check_literal, figure, gate_problems, resolve

SHOWN = ("title", "short_title", "subtitle", "summary", "audience", "marking", "author")
"""The front-matter fields a reader sees, in the order they are read."""

_REFERENCE = re.compile(r"\[\[([^\[\]\n]*)\]\]")


REQUIRED = ("title", "edition", "audience", "marking", "template", "author")
"""The front-matter fields every briefing gives (``template`` may come from citebrief.toml)."""


def empty_front_matter(loaded: Any, default_template: str | None) -> Problem:
    """Front matter with no fields at all ('---' right after '---')."""
    needed = [f for f in REQUIRED if not (f == "template" and default_template)]
    return error(
        loaded.at(()),
        "front-matter",
        "the briefing's front matter is empty",
        "write its fields between the two '---' lines, one per line as 'name: value': "
        + ", ".join(needed)
        + " (the README's 'Writing a briefing' shows each)",
    )


def empty_body(spec: BriefingSpec) -> list[Problem]:
    """A briefing with nothing after its front matter would be built as a title page alone."""
    if spec.body.strip():
        return []
    return [
        warning(
            Location(spec.path, max(1, spec.body_line - 1), 1),
            "empty-body",
            "the briefing has no text after its front matter: it would be built as a title alone",
            "write the briefing's Markdown below the closing '---' line",
        )
    ]


def front_matter_gate(meta: BriefingFrontMatter, loaded: Any) -> list[Problem]:
    """At load: a figure in a field a reader sees that does not come from a reference."""
    problems = []
    for key in SHOWN:
        value = getattr(meta, key)
        if value:
            problems += gate_problems(_REFERENCE.sub(" ", value), loaded.at((key,)))
    for i, word in enumerate(meta.keywords):
        where = loaded.at(("keywords", i))
        problems += gate_problems(word, where)
        if _REFERENCE.search(word):
            problems.append(
                error(
                    where,
                    "front-matter-reference",
                    f"keyword '{word}' holds a fact reference: keywords are words a search "
                    "finds, never figures",
                    "write the keyword as plain words, and state the figure in the text",
                )
            )
    return problems


def with_front_matter_figures(state: ComposeState) -> None:
    """At compose, once the body is read: each reference in a field a reader sees becomes
    the figure it shows, checked like the body's prose; ``state.spec`` gets the result."""
    meta = state.spec.meta
    updates = {}
    for key in SHOWN:
        value = getattr(meta, key)
        if value and _REFERENCE.search(value):
            updates[key] = _resolved(key, value, state)
    if updates:
        state.spec = replace(state.spec, meta=meta.model_copy(update=updates))


def _resolved(key: str, text: str, state: ComposeState) -> str:
    where = Location(state.spec.path, state.spec.line_of(key), 1)
    pieces: list[str] = []
    placed: list[Placed] = []
    last = 0
    for m in _REFERENCE.finditer(text):
        pieces.append(text[last : m.start()])
        last = m.end()
        content = m.group(1).strip()
        if content.startswith(LITERAL_PREFIX):
            check_literal(content[len(LITERAL_PREFIX) :].strip(), state, where)
            pieces.append(content[len(LITERAL_PREFIX) :].strip())
            continue
        if content not in state.facts_used and (
            content in state.corpus.facts or content in state.verification.derived
        ):
            state.problems.append(_not_in_text(key, content, where))
        item = resolve(content, state, where)
        if item is None:
            pieces.append(m.group(0))
            continue
        shown = figure(item, None, state.spec.house.dates).display
        at = sum(map(len, pieces))
        if isinstance(item, Fact):
            placed.append(Placed(item, at, at + len(shown)))
        pieces.append(shown)
    pieces.append(text[last:])
    resolved = "".join(pieces)
    for found in prose_problems(resolved, placed, state.corpus):
        state.problems.append(
            error(where, found.code, f"in the {key}, {found.message}", found.hint)
        )
    return resolved


def _not_in_text(key: str, fact_id: str, where: Location) -> Problem:
    return error(
        where,
        "front-matter-uncited",
        f"the {key} shows [[{fact_id}]], which the text never cites: the front matter has "
        "no notes, so a reader could not find where the figure comes from",
        f"cite [[{fact_id}]] in the text as well (the bottom line or key judgments), where "
        "its note names the source",
    )
