"""What changed since the last edition, as sentences a principal can read."""

from __future__ import annotations

from ..facts.display import (
    format_date,
)
from ..history.diff import ChangeSet
from ..model import Corpus, DateStyle
from .model import ChangeKind
from .notes import published_date, short_name


def change_sentences(
    changes: ChangeSet,
    now: Corpus,
    used: set[str],
    names: dict[str, str],
    dates: DateStyle,
) -> list[tuple[ChangeKind, str]]:
    """Each change to what the briefing shows, as a sentence: "Exchanges attributed to
    MiniMax: about 13 million (was more than 10 million)." ``names``: readers' names of
    the sources the briefing cites now."""
    said: list[tuple[ChangeKind, str]] = []
    gone = {s: short_name(src, None) for s, src in changes.before_sources.items()}
    cited = set(names)
    names = {**gone, **names}
    for fid, label, value in changes.facts_added:
        if fid in used:
            said.append((ChangeKind.ADDED, f"New: {label}: {value}."))
    for change in changes.facts_changed:
        if change.id in used and (parts := _revisions(change.changes, names)):
            said.append((ChangeKind.REVISED, f"{change.label}: {'; '.join(parts)}."))
    for sid, _ in changes.sources_added:
        if sid in cited and sid in now.sources and sid not in gone:
            said.append(
                (ChangeKind.SOURCE_ADDED, f"New source: {_dated(names[sid], sid, now, dates)}.")
            )
    for sid, what in changes.sources_edited:
        if sid in names and what != "front matter changed":
            said.append((ChangeKind.SOURCE_EDITED, f"Source revised: {names[sid]} ({what})."))
    for fid, sid, stated in changes.disagreements_appeared:
        if fid in used and sid in names and fid in now.facts:
            label = _lower(now.facts[fid].label)
            said.append(
                (
                    ChangeKind.DISPUTE_ADDED,
                    f"New disagreement: {names[sid]} states “{stated}” for {label}.",
                )
            )
    for fid, sid, _ in changes.disagreements_resolved:
        if fid in used and sid in names and fid in now.facts:
            label = _lower(now.facts[fid].label)
            said.append(
                (
                    ChangeKind.DISPUTE_RESOLVED,
                    f"Resolved: {names[sid]} no longer disagrees on {label}.",
                )
            )
    return said


def _dated(name: str, sid: str, corpus: Corpus, dates: DateStyle) -> str:
    published = published_date(corpus.sources[sid])
    return f"{name}, {format_date(published, dates)}" if published else f"{name} (undated)"


READER_REVISIONS = ("value", "as of")
"""What a reader is told changed about a figure; rewording a label or a note is not news
(the value as shown carries its qualifier and the precision of a date)."""


def _revisions(diffs: tuple[tuple[str, str, str], ...], names: dict[str, str]) -> list[str]:
    def source(text: str) -> str:
        return text.split(":", 1)[0]

    parts = []
    for what, before, after in diffs:
        if what == "value":
            parts.append(f"{after} (was {before})")
        elif what == "as of":
            parts.append(f"as of {after or 'no date'} (was {before or 'no date'})")
    if not parts and any(w in ("qualifier", "date precision") for w, _, _ in diffs):
        parts += [
            f"{w} now {b or 'none'} (was {a or 'none'})"
            for w, a, b in diffs
            if w in ("qualifier", "date precision")
        ]
    added = {source(b) for what, _, b in diffs if what == "citation added"}
    removed = {source(a) for what, a, _ in diffs if what == "citation removed"}
    parts += [f"now also cites {names[s]}" for s in sorted(added - removed) if s in names]
    parts += [f"no longer cites {names.get(s, 'a source')}" for s in sorted(removed - added)]
    return parts


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label
