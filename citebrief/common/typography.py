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


# --- figures and note marks: the rules every writer follows ---------------------------------

NO_BREAK = "\u00a0"
"""Between the words of one figure ('about 13 million', '15 January 2026')."""
NOTE_GAP = "\u202f"
"""Before a note mark: a narrow no-break space, so the mark never reads as one more digit
('24,000 ¹' copies as '24,000 1', not '24,0001') and never starts a line. PDF text layers
(pdftotext, pypdf) keep it."""
_CLAUSE_END = re.compile(r"^[.,;:!?)\]\u201d\u2019]+")
"""Punctuation a note mark follows (Chicago 14.26): the mark goes after it, never before."""


def unbroken(text: str) -> str:
    """A figure, date or qualifier kept on one line: its spaces become no-break spaces."""
    return re.sub(r"[ \t\n]+", NO_BREAK, text.strip())


def clause_punctuation(text: str) -> tuple[str, str]:
    """The punctuation that opens ``text`` (a note mark placed before it moves after it),
    and the rest. A dash is not one: Chicago puts the mark before a dash."""
    found = _CLAUSE_END.match(text)
    if found is None:
        return "", text
    return found.group(0), text[found.end() :]


def quoted_figure(text: str) -> str:
    """A figure as a source words it ('over 12 million'): kept on one line when it is short
    enough to be one figure (five words or fewer); a longer statement breaks as prose."""
    return unbroken(text) if len(text.split()) <= 5 else text
