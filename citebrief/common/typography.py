"""Typographic quotes and dashes for text that does not pass through Markdown.

Fact text, labels and notes come from YAML as typed, often with straight quotes and
hyphens; prose goes through markdown-it's typographer. These functions give both the
same look: “curly” quotes, ’ apostrophes, en dashes for spaced hyphens, and a quotation
inside a quotation in single marks, so quoted text never shows doubled marks.
"""

from __future__ import annotations

import re

_OPEN_CONTEXT = re.compile(r"(^|[\s(\[{\u2014\u2013/-])$")
_SPACED_HYPHEN = re.compile(r"(?<=\s)--?(?=\s)")


def smarten(text: str) -> str:
    """Straight quotes to curly ones, ' to ’, a spaced hyphen to an en dash."""
    if not text:
        return text
    text = _SPACED_HYPHEN.sub("\u2013", text).replace("...", "\u2026")
    out: list[str] = []
    for char in text:
        if char in "\"'":
            opening = bool(_OPEN_CONTEXT.search("".join(out[-1:])))
            if char == '"':
                out.append("\u201c" if opening else "\u201d")
            else:
                out.append("\u2018" if opening else "\u2019")
        else:
            out.append(char)
    return "".join(out)


_OUTER = ("\u201c", "\u201d")


def quoted(text: str) -> str:
    """``text`` in double quotation marks; marks already around or inside it become single."""
    text = smarten(text.strip())
    if text.startswith(_OUTER[0]) and text.endswith(_OUTER[1]) and text.count(_OUTER[0]) == 1:
        text = text[1:-1]
    inner = text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    return f"\u201c{inner}\u201d"
