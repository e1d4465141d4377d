"""Characters a reader cannot see: named, and found by position, for plain error messages."""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (Unicode category Cc) other than a line end or a tab: a reader's page
shows them as nothing, a box or a broken glyph, and a PDF font has no glyph for them."""

_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}

DELETE_HINT = (
    "delete it: retype the words around it, or copy them again from the source as plain text"
)


def character_name(char: str) -> str:
    """'U+200B ZERO WIDTH SPACE', 'U+0000 NULL' (Unicode gives control characters no name)."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "CONTROL CHARACTER")
    return f"U+{ord(char):04X} {name}"


def describe_at(text: str, found: list[tuple[int, str]], kind: str) -> str | None:
    """'a control character, U+0000 NULL, at character 9 (after 'Requests by')', naming the
    first of ``found`` (position from 1, character); None when nothing was found."""
    if not found:
        return None
    position, char = found[0]
    before = " ".join(text[: position - 1].split()[-3:])
    where = f"after '{before}'" if before else "at the start"
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return f"{kind}, {character_name(char)}, at character {position} ({where}){more}"


def control_characters(text: str) -> list[tuple[int, str]]:
    """Every control character in ``text`` but a line end or a tab, with its position from 1."""
    return [(m.start() + 1, m.group()) for m in CONTROL.finditer(text)]


def describe_control(text: str) -> str | None:
    """The first control character of ``text`` in words, or None when there is none."""
    return describe_at(text, control_characters(text), "a control character")
