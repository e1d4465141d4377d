"""House citation style: how a source is named in notes and in the source list.

Chicago-like notes: a source's first note gives it in full (author or publisher,
“Title,” publisher, date or n.d., URL, accessed date); later notes use a short form
(author's surname or publisher, short title). Unknown fields are left out, never guessed.
Part of the compose stage; every writer shows the inline parts worded here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from ..common.typography import quoted, quoted_figure, smarten
from ..facts.display import format_date, house_dates
from ..model import UNKNOWN, DateStyle, FormulaKind, PartialDate, Source
from .model import (
    CitationForm,
    CitedSource,
    Derivation,
    Dispute,
    Inline,
    Link,
    NoteCitation,
    SourceRef,
    Text,
)

SHORT_TITLE_WORDS = 4
_SMALL_WORDS = {"a", "an", "and", "the", "of", "to", "for", "with", "in", "on", "by", "from", "at"}


def known(value: str | None) -> str | None:
    return None if value is None or value.strip() in ("", UNKNOWN) else value


def published_date(source: Source) -> PartialDate | None:
    value = source.published
    if value is None or isinstance(value, PartialDate):
        return value
    return PartialDate(value.year, value.month, value.day)


def short_name(source: Source, title: str | None) -> str:
    """A source's name in a chart or table: its publisher, else its author, else its
    short title in quotation marks (``title``: the one that tells cited sources apart)."""
    name = known(source.publisher) or known(source.author)
    if name:
        return smarten(name)
    return quoted(title) if title else "Untitled source"


_PHRASE_STARTS = _SMALL_WORDS | {
    "about", "after", "against", "amid", "as", "before", "between", "but", "into", "or",
    "over", "through", "under", "using", "via", "while", "without",
}  # fmt: skip
"""Words that open a new phrase: a short title may end just before one of them."""
_LONGEST_STRETCH = 4
"""How many words a short title may grow beyond its length to end at a phrase's end."""


def short_title(title: str, words: int) -> str:
    """The first ``words`` words of a title's main part, cut where a phrase ends (before
    "of", "with", "amid", …) rather than inside one, without trailing small words."""
    head = re.split(r"\s[:–—-]\s|:\s", title, maxsplit=1)[0].split()
    end = min(words, len(head))
    for stop in range(end, min(end + _LONGEST_STRETCH, len(head)) + 1):
        if stop == len(head) or _phrase_ends(head[stop - 1], head[stop]):
            end = stop
            break
    cut = head[:end]
    while len(cut) > 1 and cut[-1].lower() in _SMALL_WORDS:
        cut = cut[:-1]
    return " ".join(cut)


def _phrase_ends(word: str, following: str) -> bool:
    return word.endswith((",", ";", ".")) or following.lower() in _PHRASE_STARTS


def short_titles(sources: Iterable[Source]) -> dict[str, str]:
    """A short title per source that no other cited title shares, whoever wrote it: a
    reader tells sources apart by the title as much as by the name before it.

    As Chicago has it (up to five words from the title, words left out but the order
    kept): the title's opening phrase when no other cited title has it, else the first
    phrase of the title that only it has ("Mining Claude" of "Anthropic Accuses Chinese AI
    Firms of Mining Claude Amid …"), else its opening words, as many as tell it apart."""
    titled = [s for s in sources if known(s.title)]
    words = {s.id: _main_words(s.title) for s in titled}
    chosen: dict[str, str] = {}
    for s in titled:
        others = [w for sid, w in words.items() if sid != s.id]
        phrase = next((p for p in _phrases(words[s.id]) if not _in_any(p, others)), None)
        if phrase is not None:
            chosen[s.id] = " ".join(phrase)
    rest = [s for s in titled if s.id not in chosen]
    chosen.update(_opening_words(rest))
    return chosen


_SHORT_TITLE_MOST = 5


def _main_words(title: str) -> list[str]:
    return re.split(r"\s[:–—-]\s|:\s", title, maxsplit=1)[0].split()


def _phrases(words: list[str]) -> list[list[str]]:
    """Runs of up to five words that start and end where a phrase does: the opening ones
    first, then the others from left to right, shorter before longer."""
    starts = [0] + [i for i in range(1, len(words)) if words[i - 1].lower() in _PHRASE_STARTS]
    found = []
    for start in starts:
        if words[start].lower() in _PHRASE_STARTS:
            continue
        for end in range(start + 1, min(start + _SHORT_TITLE_MOST, len(words)) + 1):
            if end == len(words) or _phrase_ends(words[end - 1], words[end]):
                found.append(words[start:end])
    return found


def _in_any(phrase: list[str], titles: list[list[str]]) -> bool:
    wanted = [w.casefold().strip(",;.") for w in phrase]
    for title in titles:
        folded = [w.casefold().strip(",;.") for w in title]
        size = len(wanted)
        if any(folded[i : i + size] == wanted for i in range(len(folded) - size + 1)):
            return True
    return False


def _opening_words(sources: list[Source]) -> dict[str, str]:
    """Opening words of each title, as many as tell cited sources apart."""
    chosen: dict[str, str] = {}
    pending = sources
    words = SHORT_TITLE_WORDS
    while pending and words < 40:
        forms: dict[str, list[Source]] = {}
        for s in pending:
            forms.setdefault(short_title(s.title, words).casefold(), []).append(s)
        pending = []
        for group in forms.values():
            if len(group) == 1 or words >= 39:
                for s in group:
                    chosen[s.id] = short_title(s.title, words)
            else:
                pending.extend(group)
        words += 1
    return chosen


def _short_who(source: Source) -> str:
    author = known(source.author)
    if author:
        return _without_suffix(author)[0].split()[-1]
    return known(source.publisher) or ""


def cited_source(
    source: Source,
    anchor: str,
    short_title_of: Mapping[str, str],
    dates: DateStyle = DateStyle.UK,
    entry: tuple[Inline, ...] | None = None,
) -> CitedSource:
    """A cited source as the briefing shows it; ``entry``: its source-list entry in the
    house CSL style (citebrief's own Chicago-like entry when the style has none)."""
    published = published_date(source)
    return CitedSource(
        id=source.id,
        anchor=anchor,
        author=known(source.author),
        publisher=known(source.publisher),
        title=smarten(t) if (t := known(source.title)) else None,
        url=known(source.url),
        published=published,
        accessed=source.retrieved,
        source_kind=str(source.kind),
        reliability=source.reliability.value,
        reliability_note=house_dates(smarten(source.reliability_note), dates),
        name=(name := short_name(source, short_title_of.get(source.id))),
        name_ending=closed(name, "."),
        entry=entry if entry is not None else tuple(_entry(source, published, dates)),
        license=known(source.license),
    )


def _entry(source: Source, published: PartialDate | None, dates: DateStyle) -> list[Inline]:
    """The source-list entry: Chicago bibliography order, with full stops."""
    parts: list[Inline] = []
    author = known(source.author)
    lead = inverted(author) if author else known(source.publisher)
    if lead:
        parts.append(Text(smarten(lead) + ("" if lead.endswith(".") else ".") + " "))
    title = known(source.title)
    if title:
        parts.append(Text(closed(quoted(title), ".") + " "))
    if known(source.author) and known(source.publisher):
        parts.append(Text(smarten(source.publisher) + ". "))
    parts.append(Text(format_date(published, dates) + "." if published else "n.d."))
    url = known(source.url)
    if url:
        parts += [Text(" "), Link(url, (Text(url),)), Text(".")]
    if source.retrieved:
        parts.append(Text(f" Accessed {_day(source.retrieved, dates)}."))
    return parts


def inverted(author: str) -> str:
    """'Mane Sachin' → 'Sachin, Mane' and 'Seán O'Brien-Smith, Jr.' → 'O'Brien-Smith, Seán,
    Jr.', as a bibliography sorts; several authors stay as given."""
    name, suffix = _without_suffix(author)
    names = name.split()
    if len(names) < 2 or any(sign in name for sign in (",", ";", " and ", "&")):
        return author
    return f"{names[-1]}, {' '.join(names[:-1])}" + (f", {suffix}" if suffix else "")


_SUFFIX = re.compile(r",?\s+(Jr\.?|Sr\.?|II|III|IV|V|2nd|3rd)$")


def _without_suffix(author: str) -> tuple[str, str | None]:
    """A name and its generational suffix ('Jr.', 'III'), if it has one."""
    m = _SUFFIX.search(author)
    return (author[: m.start()], m.group(1)) if m else (author, None)


def _day(date: dt.date, dates: DateStyle) -> str:
    return format_date(PartialDate(date.year, date.month, date.day), dates)


# --- notes ------------------------------------------------------------------------------------


def citation_parts(
    citation: NoteCitation,
    source: Source,
    short_title_of: Mapping[str, str],
    anchor: str | None,
    dates: DateStyle = DateStyle.UK,
) -> list[Inline]:
    """One source in a note, full or short, without the closing full stop.

    Every field is joined by :func:`listed`, so a comma after a quoted title always goes
    inside the closing quotation mark, as American (Chicago) style has it."""
    pages = pinpoint(citation.pages)
    tail: list[list[Inline]] = [[Text(pages)]] if pages else []
    if citation.cell is not None:  # a table's cell, as a pinpoint: row and column
        tail += [
            [Text(f"row {quoted(citation.cell.row)}")],
            [Text(f"column {quoted(citation.cell.column)}")],
        ]
    if citation.form == CitationForm.SHORT:
        short = _short_parts(source, short_title_of.get(source.id), anchor, citation.link)
        return listed([*short, *tail])
    published = published_date(source)
    shown = format_date(published, dates) if published else "n.d."
    fields: list[list[Inline]] = [[Text(shown)], *tail]
    url = known(source.url)
    if url:
        fields.append([Link(citation.link or url, (Text(url),))])
    if source.retrieved:
        fields.append([Text(f"accessed {_day(source.retrieved, dates)}")])
    name = _full_name(source)
    if name:
        fields.insert(0, [SourceRef(anchor, (Text(name),)) if anchor else Text(name)])
    return listed(fields)


def _full_name(source: Source) -> str:
    """Author or publisher, then “Title,” then the publisher when an author leads."""
    parts = []
    lead = known(source.author) or known(source.publisher)
    if lead:
        parts.append(smarten(lead))
    title = known(source.title)
    if title:
        parts.append(quoted(title))
    if known(source.author) and known(source.publisher):
        parts.append(smarten(source.publisher))
    text = ""
    for part in parts:
        text = f"{closed(text, ',')} {part}" if text else part
    return text


def _short_parts(
    source: Source, title: str | None, anchor: str | None, link: str | None
) -> list[list[Inline]]:
    """The short form's fields; its title opens the source at the quoted words when online."""
    who = smarten(_short_who(source))
    named: list[list[Inline]] = []
    if who:
        named.append([SourceRef(anchor, (Text(who),)) if anchor else Text(who)])
        anchor = None
    if title:
        marked = quoted(title)
        shown: Inline = Link(link, (Text(marked),)) if link else Text(marked)
        named.append([SourceRef(anchor, (shown,)) if anchor and not link else shown])
    return named or [
        [SourceRef(anchor, (Text("Untitled source"),)) if anchor else Text("Untitled source")]
    ]


def closed(text: str, mark: str) -> str:
    """``text`` followed by ``mark`` (a comma or full stop), inside a closing quotation mark;
    nothing is added after a text that already ends a sentence."""
    text = text.rstrip()
    if text.endswith(("?", "!", "?\u201d", "!\u201d")) or (
        mark == "." and text.endswith((".", ".\u201d"))
    ):
        return text
    if text.endswith("\u201d"):
        return text[:-1] + mark + "\u201d"
    return text + mark


def listed(fields: list[list[Inline]]) -> list[Inline]:
    """Fields of a note joined by commas, each comma inside a closing quotation mark."""
    out: list[Inline] = []
    for field in fields:
        if out:
            out = [*_punctuated(out, ","), Text(" ")]
        out.extend(field)
    return out


def pinpoint(pages: tuple[int, int] | None) -> str:
    if pages is None:
        return ""
    first, last = pages
    return f"p. {first}" if first == last else f"pp. {first}\u2013{last}"


def join_citations(groups: list[list[Inline]]) -> list[Inline]:
    out: list[Inline] = []
    for i, group in enumerate(groups):
        if i:
            out.append(Text("; "))
        out.extend(group)
    return out


def value_dispute(dispute: Dispute, name: list[Inline], full: bool) -> list[Inline]:
    """A source that gives another number or date: called a dispute, with its reason, as
    one sentence (or two, when the reason has parentheses of its own)."""
    reason = smarten(dispute.reason.strip().rstrip("."))
    gives = f"gives {quoted_figure(quoted(dispute.stated))}"
    named = (
        listed([[Text("Disputed: "), *name], [Text(gives)]])
        if full
        else [
            Text("Disputed: "),
            *name,
            Text(" " + gives),
        ]
    )
    if "(" in reason:  # no parentheses inside parentheses
        return [*sentence(named), Text(" "), *sentence([Text(reason[:1].upper() + reason[1:])])]
    return sentence([*named, Text(f" ({reason})")])


def wording_difference(stated: str, names: list[list[Inline]]) -> list[Inline]:
    """Sources that give the same number with another qualifier: said plainly, not disputed."""
    return [Text(f"Also reported as {quoted_figure(quoted(stated))} in "), *join_citations(names)]


def derivation_text(derivation: Derivation) -> str:
    """The formula in words, each input with its value as reported."""
    named = [f"{_lower(label)} ({value})" for label, value in derivation.inputs]
    match derivation.formula:
        case FormulaKind.SUM:
            return "the sum of " + _and(named)
        case FormulaKind.SHARE:  # the part first, then the rest of the whole
            return f"{named[0]} as a share of its sum with " + _and(named[1:])
        case FormulaKind.DIFFERENCE:
            return f"{named[0]} minus {named[1]}"
        case FormulaKind.RATIO:
            return f"{named[0]} divided by {named[1]}"
        case FormulaKind.CHANGE:
            return f"the change from {named[0]} to {named[1]}, as a percentage of the first"
    raise AssertionError(derivation.formula)


def _lower(label: str) -> str:
    label = smarten(label)
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _and(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(parts: list[Inline]) -> list[Inline]:
    """Close a run of parts with one full stop, inside a closing quotation mark."""
    return _punctuated(parts, ".")


def _punctuated(parts: list[Inline], mark: str) -> list[Inline]:
    """``parts`` followed by ``mark``, put inside the closing quotation mark of the last part."""
    if not parts:
        return parts
    last = parts[-1]
    if isinstance(last, SourceRef | Link) and _ends_quoted(list(last.content)):
        inside = tuple(_punctuated(list(last.content), mark))  # inside the closing quote
        if isinstance(last, SourceRef):
            return [*parts[:-1], SourceRef(last.source, inside)]
        return [*parts[:-1], Link(last.url, inside)]
    if not isinstance(last, Text):
        if mark == "." and _ends_with_stop([last]):  # 'n.d.' takes no second stop
            return parts
        return [*parts, Text(mark)]
    return [*parts[:-1], Text(closed(last.text, mark))]


def _ends_with_stop(parts: list[Inline]) -> bool:
    if not parts:
        return False
    last = parts[-1]
    if isinstance(last, Text):
        return last.text.rstrip().endswith(".")
    return isinstance(last, SourceRef | Link) and _ends_with_stop(list(last.content))


def _ends_quoted(parts: list[Inline]) -> bool:
    if not parts:
        return False
    last = parts[-1]
    if isinstance(last, Text):
        return last.text.rstrip().endswith("\u201d")
    return isinstance(last, SourceRef | Link) and _ends_quoted(list(last.content))
