"""A published edition is frozen: `check` refuses a briefing that changes what it showed,
and says what changed in the sentences of the "What changed" section."""

from __future__ import annotations

from typing import Any

from ..errors import Location, Problem, error
from ..facts.display import format_date
from ..history.diff import compare_corpora
from ..history.editions import (
    EDITIONS_DIR,
    Edition,
    State,
    partial_date,
    restricted,
    snapshot_state,
    used_ids,
)
from .changes import change_sentences
from .model import ChangeKind
from .notes import short_name


def _lower_first(text: str) -> str:
    """'New source: …' in the middle of a sentence reads 'new source: …'."""
    return text[:1].lower() + text[1:]


def edition_problems(
    spec: Any, text: str, document: Any, now: State, editions: list[Edition]
) -> list[Problem]:
    """Errors when the briefing goes back in time or changes a published edition."""
    if not editions:
        return []
    where = Location(spec.path, spec.line_of("edition"), 1)
    date = spec.meta.edition
    latest = editions[-1]
    if date < latest.date:
        return [
            error(
                where,
                "edition-before-published",
                f"edition date {date.isoformat()} is before the latest published edition "
                f"({latest.date.isoformat()})",
                f"set `edition:` to a date after {latest.date.isoformat()}",
            )
        ]
    same = next((e for e in editions if e.date == date), None)
    if same is None:
        return []
    said = frozen_changes(same, spec, text, document, now)
    if not said:
        return []
    shown = "; ".join(said[:3]) + (f"; and {len(said) - 3} more" if len(said) > 3 else "")
    return [
        error(
            where,
            "edition-changed",
            f"the edition of {format_date(partial_date(date), spec.house.dates)} is published, but what it shows has "
            f"changed since: {shown}",
            "give the briefing a new `edition:` date to prepare the next edition (the "
            f"published one stays in {EDITIONS_DIR}/{spec.name}/{date.isoformat()}/), or undo "
            "the change",
        )
    ]


def frozen_changes(edition: Edition, spec: Any, text: str, document: Any, now: State) -> list[str]:
    """What differs from the published edition: its spec's text, or any fact or source
    it shows (then or now)."""
    before, spec_then = snapshot_state(edition, now, spec.house.dates)
    said = [] if spec_then == text else ["the briefing's text was edited"]
    used_now, _ = used_ids(document, now[0]) if document is not None else (set(), set())
    ids = set(edition.facts) | used_now
    dates = spec.house.dates
    changes = compare_corpora(
        restricted(before, ids), restricted(now, ids), "", edition.label(dates), dates
    )
    names = {sid: short_name(s, None) for sid, s in now[0].sources.items()}
    names |= {sid: short_name(s, None) for sid, s in before[0].sources.items() if sid not in names}
    said += [
        sentence.rstrip(".") if kind == ChangeKind.REVISED else _lower_first(sentence.rstrip("."))
        for kind, sentence in change_sentences(changes, now[0], ids, names, dates)
    ]
    said += [
        f"{names.get(sid, sid)}: {what}"
        for sid, what in changes.sources_edited
        if what == "front matter changed"
    ]
    said += [f"{label} no longer shown" for _, label, _ in changes.facts_removed]
    return said
