"""A new source's id, derived from its publisher, title or address when staff give none."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from ..common.words import FUNCTION_WORDS
from ..errors import CitebriefError
from ..model import UNKNOWN

_PUBLISHER_NOISE = frozenset(["inc", "llc", "llp", "ltd", "plc", "corp", "co", "com", "org", "www"])
ID_LENGTH = 48
"""Derived ids stay short enough to type and read in a citation."""


_STOP_WORDS = FUNCTION_WORDS | {
    "about",
    "after",
    "amid",
    "before",
    "how",
    "new",
    "over",
    "said",
    "says",
    "what",
    "why",
}
"""Words a source id leaves out of its title's words."""


def derive_id(title: str, publisher: str, url: str) -> str:
    """A short, readable id: the publisher's name in a word or three, then a few title words
    ('economic-times-anthropic-accuses-chinese'); from the URL when neither is known."""
    title, publisher = (v if v != UNKNOWN else "" for v in (title, publisher))
    if not (title or publisher) and url and url != UNKNOWN:
        parts = urlsplit(url)
        host = parts.netloc.removeprefix("www.").split(".")[0]
        return _join([*_words(host)[:2], *_words(parts.path)[:4]]) or _no_id()
    who = [w for w in _words(publisher) if w not in _PUBLISHER_NOISE][:3]
    what = [w for w in _words(title) if w not in who][: 4 if who else 5]
    return _join([*who, *what]) or _no_id()


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return [w for w in words if w not in _STOP_WORDS] or words


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        if out and len(out) + len(word) + 1 > ID_LENGTH:
            break
        out = f"{out}-{word}" if out else word
    return out[:ID_LENGTH].strip("-")


def _no_id() -> str:
    raise CitebriefError("cannot derive an id: give --title, --url or --id")
