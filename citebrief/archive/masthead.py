"""What the top of a document says about it: its headline, the site that published it, and
its dateline.

- A title 'Headline | Site' loses its site suffix when the document names that site (in its
  masthead, navigation or metadata) or the suffix follows a bar; the site is then the
  publisher, unless a line states one ('Published by …').
- A browser print carries the site's navigation above the headline: the lines before the
  headline go, except a line holding a date.
- A dateline near the top ('January 16, 2026' under the headline) is found and shown to
  staff as the publication date to confirm; it is never written into the front matter
  without them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..claims.dates import MONTHS
from ..model import PartialDate

TOP_LINES = 12
"""Lines at the top of a text where a dateline or a 'Published by' line is looked for."""
LONGEST_SITE = 6
"""Words a site suffix can have ('Export Compliance Daily'); a longer tail is a subtitle."""
_SEPARATOR = re.compile(r"\s+(?:\||–|—|::|·|-)\s+")
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_SHAPES = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)"),
)
_DATELINE_WORDS = re.compile(
    r"^(?:(?:published|posted|updated|issued|released|date[d]?|first published)\s*(?:on|:)?\s*"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s*"
    r"|[A-Z][A-Z .,']{2,40}\s*[—–-]+\s*)*",
    re.I,
)
_DATELINE_TAIL = re.compile(
    r"^[\s,|·—–-]*(?:(?:at\s+)?\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?[\s.|·]*$",
    re.I,
)
_NAME = r"(?P<name>[A-Z][\w&'’-]*(?:\s+(?:[A-Z&][\w&'’-]*|of|and|for|the))*)"
"""A name: capitalised words (a full stop ends it), with 'of', 'and', 'for' between."""
_PUBLISHED_BY = re.compile(r"\b(?i:published|issued|produced) by\s+(?:the\s+)?" + _NAME)
_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\s*,?\s*)?"
    r"(?:by\s+)?(?:the\s+)?" + _NAME
)


@dataclass(frozen=True)
class Dateline:
    """A date standing by itself near the top of a text, as written and as a date."""

    date: PartialDate
    written: str
    line: int
    """1-based line of the text where it stands."""
    start: int
    """Offset of the date in the text."""
    end: int


def split_site(title: str | None, names: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(headline, site) from a title 'Headline | Site': the site goes when ``names`` (the
    site's names the document states elsewhere) include it, or it follows a bar and is short.
    Else (title, None)."""
    separators = list(_SEPARATOR.finditer(title or ""))
    if not title or not separators:
        return title, None
    last = separators[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    known = {_plain(name) for name in names if name}
    by_bar = "|" in last.group(0) and len(tail.split()) <= LONGEST_SITE
    if head and tail and (_plain(tail) in known or (by_bar and len(head.split()) >= 2)):
        return head, tail
    return title, None


def _plain(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def headline_and_site(
    title: str | None, text: str, sites: tuple[str, ...] = ()
) -> tuple[str | None, str | None]:
    """(headline, site) of a title 'Headline | Site' (see split_site), where the site's
    names are ``sites`` (from the page's metadata) and the title's own tail when ``text``
    names it."""
    separators = list(_SEPARATOR.finditer(title or ""))
    tail = (title or "")[separators[-1].end() :].strip() if separators else None
    named = (tail,) if tail and names_site(text, tail) else ()
    return split_site(title, (*sites, *named))


def publisher_of(text: str, site: str | None) -> tuple[str, str] | None:
    """(publisher, where the text says so): a 'Published by …' line near the top, else the
    site the title names when the text names it too, else the holder of the copyright line."""
    top = "\n".join(text.split("\n", TOP_LINES)[:TOP_LINES])
    published_by = _first_name(_PUBLISHED_BY, top)
    if published_by:
        return published_by, "from its 'Published by' line"
    if site and names_site(text, site):
        return site, "from the site its title and its pages name"
    holder = _first_name(_COPYRIGHT, text)
    return (holder, "from its copyright line") if holder else None


def _first_name(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        name = _trimmed(match.group("name"))
        if name and len(name.split()) <= LONGEST_SITE + 2:
            return name
    return None


def _trimmed(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in ("of", "and", "for", "the", "all"):
        words.pop()
    return " ".join(words).rstrip(".,")


def names_site(text: str, site: str | None) -> bool:
    """True when ``text`` names ``site`` (in a masthead, navigation or copyright line)."""
    return bool(site) and _plain(site or "") in _plain(text)


def without_navigation(page: str, headline: str | None) -> str:
    """The first page from its headline on, when the headline stands among its first lines:
    the site's navigation above it goes, a line holding a date stays."""
    if not headline:
        return page
    words = [re.escape(word) for word in headline.split()]
    if not words:
        return page
    lines = page.split("\n")
    top = "\n".join(lines[:TOP_LINES])
    found = re.search(r"(?:^|\n)" + r"\s+".join(words), top, re.I)
    if found is None or found.start() == 0:
        return page
    before = top[: found.start()].split("\n")
    kept = [line for line in before if _a_date_in(line)]
    return "\n".join([*kept, page[found.start() :].lstrip("\n")])


def _a_date_in(line: str) -> bool:
    return any(shape.search(line) for shape in _DATE_SHAPES)


def find_dateline(text: str) -> Dateline | None:
    """The first line among the text's first TOP_LINES that is a full date and little else
    ('January 16, 2026', 'Published 16 January 2026', 'WASHINGTON — Jan. 16, 2026')."""
    offset = 0
    for number, line in enumerate(text.split("\n")[:TOP_LINES], 1):
        lead = _DATELINE_WORDS.match(line)
        rest = line[lead.end() if lead else 0 :]
        for shape in _DATE_SHAPES:
            match = shape.match(rest)
            if match is None or not _DATELINE_TAIL.match(rest[match.end() :]):
                continue
            date = _date_of(match)
            if date is not None:
                start = offset + len(line) - len(rest) + match.start()
                return Dateline(date, match.group(0), number, start, start + len(match.group(0)))
        offset += len(line) + 1
    return None


def _date_of(match: re.Match[str]) -> PartialDate | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["month"].lower()]
    try:
        dt.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
    return PartialDate(int(groups["year"]), month, int(groups["day"]))
