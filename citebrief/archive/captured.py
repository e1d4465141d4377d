"""A text capture that starts with pasted metadata: `key: value` lines, then `---`.

This is how staff paste a capture: the metadata they copied above a line of dashes, then
the article. The metadata is read as metadata, never archived as part of the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..common.values import read_date
from ..errors import Location, ProblemsFound, error
from ..model import Reliability

FIELDS = (
    "title",
    "publisher",
    "author",
    "url",
    "published",
    "retrieved",
    "kind",
    "reliability",
    "reliability_note",
    "note",
)
"""Front-matter fields a flag, pasted metadata or the document's own metadata can give."""
_ALIASES = {"date": "published", "site": "publisher", "source_url": "url", "link": "url"}
_KINDS = ("primary", "secondary", "aggregator")
_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]*?)\s*:\s*(.*?)\s*$")


def split_captured(
    text: str, name: str, flagged: Collection[str] = ()
) -> tuple[dict[str, str], str]:
    """(metadata, body) when ``text`` (the file ``name``) starts with pasted metadata;
    else ({}, text). A field in ``flagged`` was given as a flag, which wins: its pasted line
    is left out unread ('Date: 16 Jan. 2026, 9:35 AM' with --published unknown)."""
    lines = text.split("\n")
    start = 1 if lines and lines[0].strip() == "---" else 0
    first = _LINE.match(lines[start]) if start < len(lines) else None
    if first is None or _field(first.group(1)) not in FIELDS:
        return {}, text
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip() == "---":
            return fields, "\n".join(lines[number:]).lstrip("\n")
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            return {}, text  # prose, not metadata: the whole file is the text
        field = _field(match.group(1))
        if field in flagged:
            continue
        value = match.group(2).strip("\"'")
        problem = _problem(field, value, match.group(1).strip())
        if problem is not None:
            column = match.start(1) if field not in FIELDS else match.start(2)
            message, hint = problem
            raise ProblemsFound(
                [error(Location(name, number, column + 1), "source-metadata", message, hint)],
                "",
                {name: text},
            )
        fields[field] = value
    return {}, text  # no closing '---': not metadata


def _field(key: str) -> str:
    name = re.sub(r"[\s-]+", "_", key.strip().lower())
    return _ALIASES.get(name, name)


def _problem(name: str, value: str, written: str) -> tuple[str, str] | None:
    """What is wrong with one pasted metadata line (message, hint), or None; ``written`` is
    the key as the line has it ('Date' for published)."""
    if name not in FIELDS:
        return (
            f"unknown field '{name}' in the metadata above the '---' line",
            "the fields are: " + ", ".join(FIELDS) + " (or remove the line)",
        )
    if name in ("published", "retrieved") and value.lower() != "unknown":
        date = read_date(value)
        if isinstance(date, str) or (name == "retrieved" and date.day is None):
            shape = "YYYY-MM-DD" if name == "retrieved" else "YYYY-MM-DD, YYYY-MM or YYYY"
            flag = name.replace("_", "-")
            return (
                f"{written} '{value}' is not a date",
                f"write {shape}, or give the date with --{flag} (--{flag} unknown if it is not stated)",
            )
    if name == "kind" and value not in _KINDS:
        return f"kind '{value}' is not a kind of source", "write one of: " + ", ".join(_KINDS)
    if name == "reliability" and value not in {r.value for r in Reliability}:
        return (
            f"reliability '{value}' is not a rating",
            "write one of: " + ", ".join(r.value for r in Reliability),
        )
    return None
