"""Citations formatted by a CSL style, through pandoc's citeproc: one call per briefing.

Each cited source becomes one CSL-JSON item (title, author when known, the publisher as the
site or, with no author, as the author, the date only when the source states it, URL, the
archived date as "accessed"). Every citation of the briefing's notes goes to citeproc in
one document, note by note in reading order, so first and later notes (full and short
forms) are the style's decision; the source list comes from the same call. The output is
read back from pandoc's JSON AST into citebrief's inline parts, and kept in
``output/.cache/citeproc/`` by the hash of everything that shapes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common.files import UnsafeFile, read_confined
from ..common.pandoc import pandoc_version
from ..common.typography import smarten
from ..common.write import temporary_folder, write_outputs, write_temporary
from ..errors import CitebriefError, ProblemsFound
from ..facts.styles import CitationStyle
from ..model import Cell, PartialDate, Source
from .model import Emphasis, Inline, Link, Strong, Text

Json = dict[str, Any]
UNTITLED = "Untitled source"
CACHE_FOLDER = ".cache/citeproc"
"""Inside the output folder: citeproc's answers, one file per hash of what shaped it."""


@dataclass(frozen=True)
class Cite:
    """One source cited at one place of a note, with its pinpoint."""

    source: str
    pages: tuple[int, int] | None = None
    cell: Cell | None = None


@dataclass(frozen=True)
class Formatted:
    """What citeproc made of a briefing's citations."""

    cites: tuple[tuple[tuple[tuple[Inline, ...], ...], ...], ...]
    """Per note, per group of cites, the inline parts of each cite (the style's own
    punctuation kept)."""
    entries: dict[str, tuple[Inline, ...]]
    """The source-list entry of each source, in the style's order."""


# --- CSL-JSON items -----------------------------------------------------------------------------


def csl_item(source: Source, short_title: str | None, known: Any) -> Json:
    """The CSL-JSON item of a source: unknown fields are left out, never guessed."""
    item: Json = {"id": source.id, "type": "webpage"}
    title = known(source.title)
    if title:
        item["title"] = smarten(title)
        if short_title and short_title != title:
            item["title-short"] = smarten(short_title)
    author, publisher = known(source.author), known(source.publisher)
    if author:
        item["author"] = [_name(smarten(author))]
        if publisher:
            item["container-title"] = smarten(publisher)
    elif publisher:  # an unsigned page is cited under the body that published it
        item["author"] = [{"literal": smarten(publisher)}]
    elif not title:  # nothing names it: the words citebrief has always shown
        item["author"] = [{"literal": UNTITLED}]
    published = source.published
    if isinstance(published, PartialDate):
        parts = [published.year, published.month, published.day]
        item["issued"] = {"date-parts": [[p for p in parts if p is not None]]}
    elif published is not None:
        item["issued"] = {"date-parts": [[published.year, published.month, published.day]]}
    url = known(source.url)
    if url:
        item["URL"] = url
    if source.retrieved:
        day = source.retrieved
        item["accessed"] = {"date-parts": [[day.year, day.month, day.day]]}
    return item


def _name(author: str) -> Json:
    """One person ('Mane Sachin') as family and given names; anything else (several
    authors, an organisation, a name with a comma) as written."""
    names = author.split()
    if len(names) < 2 or any(sign in author for sign in (",", ";", " and ", "&")):
        return {"literal": author}
    return {"family": names[-1], "given": " ".join(names[:-1])}


# --- one citeproc call --------------------------------------------------------------------------


def format_citations(
    style: CitationStyle,
    items: Sequence[Json],
    notes: Sequence[Sequence[Sequence[Cite]]],
    lang: str,
    out_dir: Path | None,
) -> Formatted:
    """Every note's cites and the source list, formatted by ``style`` in one pandoc call
    (none when ``out_dir``'s cache or this process already holds the answer)."""
    request = _request_document(style, notes, lang)
    key = _key(style, items, request)
    output = _cached(out_dir, key)
    if output is None:
        output = _remember(key, _run_citeproc(style, items, request))
        if out_dir is not None:
            data = json.dumps(output, ensure_ascii=False, sort_keys=True).encode("utf-8")
            with contextlib.suppress(ProblemsFound, OSError):  # no cache only costs time
                write_outputs(out_dir / CACHE_FOLDER, {f"{key}.json": data}, within=out_dir)
                _prune(out_dir / CACHE_FOLDER)
    return _read_back(output, notes, style)


_MEMO: dict[str, Json] = {}
MEMO_SIZE = 64
"""Answers kept in memory (``watch`` composes again on every save)."""
CACHE_FILES = 256
"""Answers kept on disk (20–60 KB each); the oldest go first."""


def _remember(key: str, output: Json) -> Json:
    _MEMO[key] = output
    while len(_MEMO) > MEMO_SIZE:
        del _MEMO[next(iter(_MEMO))]
    return output


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name))
    for old in files[: max(0, len(files) - CACHE_FILES)]:
        old.unlink(missing_ok=True)


def _cached(out_dir: Path | None, key: str) -> Json | None:
    if key in _MEMO:
        return _MEMO[key]
    if out_dir is None:
        return None
    try:
        data = read_confined(out_dir / CACHE_FOLDER / f"{key}.json", out_dir, 16 * 1024 * 1024)
        found: Json = json.loads(data.decode("utf-8"))
    except (OSError, UnsafeFile, ValueError):
        return None
    return _remember(key, found)


def _key(style: CitationStyle, items: Sequence[Json], request: Json) -> str:
    made = json.dumps([pandoc_version()[0], style.xml, items, request], sort_keys=True)
    return hashlib.sha256(made.encode("utf-8")).hexdigest()


def _request_document(
    style: CitationStyle, notes: Sequence[Sequence[Sequence[Cite]]], lang: str
) -> Json:
    """A pandoc document with one footnote per note, each group of cites a paragraph of it.

    In a note style a cite written "author in text" is printed whole and without
    parentheses inside a footnote; an author–date style's cite keeps its parentheses,
    taken off when it is read back."""
    mode = "AuthorInText" if style.notes else "NormalCitation"
    blocks = []
    for number, groups in enumerate(notes, 1):
        paragraphs = [
            {"t": "Para", "c": [_cite(cite, mode, number)]} for group in groups for cite in group
        ]
        body = paragraphs or [{"t": "Para", "c": [{"t": "Str", "c": "-"}]}]
        blocks.append(
            {"t": "Para", "c": [{"t": "Str", "c": f"n{number}"}, {"t": "Note", "c": body}]}
        )
    meta = {
        "lang": {"t": "MetaString", "c": lang},
        "suppress-bibliography": {"t": "MetaBool", "c": False},
        "nocite": {"t": "MetaInlines", "c": [{"t": "Str", "c": "@*"}]},
    }
    api = pandoc_version()[1]
    return {"pandoc-api-version": api, "meta": meta, "blocks": blocks}


def _cite(cite: Cite, mode: str, number: int) -> Json:
    suffix = []
    if cite.pages is not None:
        first, last = cite.pages
        pinpoint = f"p.\u00a0{first}" if first == last else f"pp.\u00a0{first}\u2013{last}"
        suffix.append({"t": "Str", "c": pinpoint})
    if cite.cell is not None:  # a table's cell: its row and column, as the note's pinpoint
        words = f"row \u201c{cite.cell.row},\u201d column \u201c{cite.cell.column}\u201d"
        suffix += ([{"t": "Str", "c": ","}] if suffix else []) + _words(words)
    if suffix:
        suffix = [{"t": "Str", "c": ","}, {"t": "Space"}, *suffix]
    citation = {
        "citationId": cite.source,
        "citationPrefix": [],
        "citationSuffix": suffix,
        "citationMode": {"t": mode},
        "citationNoteNum": number,
        "citationHash": 0,
    }
    return {"t": "Cite", "c": [[citation], [{"t": "Str", "c": f"@{cite.source}"}]]}


def _words(text: str) -> list[Json]:
    out: list[Json] = []
    for i, word in enumerate(text.split(" ")):
        out += ([{"t": "Space"}] if i else []) + [{"t": "Str", "c": word}]
    return out


def _run_citeproc(style: CitationStyle, items: Sequence[Json], request: Json) -> Json:
    with temporary_folder("citebrief-citeproc-") as folder:
        write_temporary(folder / "style.csl", style.xml.encode("utf-8"))
        write_temporary(folder / "sources.json", json.dumps(list(items)).encode("utf-8"))
        done = subprocess.run(
            [
                "pandoc",
                "--from=json",
                "--to=json",
                "--citeproc",
                "--csl=style.csl",
                "--bibliography=sources.json",
            ],
            input=json.dumps(request, ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            cwd=folder,
            env={**os.environ, "LANG": "C.UTF-8"},
            check=False,
        )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        raise CitebriefError(
            f"pandoc's citeproc could not format the notes in {style.name}: {said[-1]}",
            f"check the citation style named at {style.where}, or remove the setting "
            "to use the default (Chicago notes)",
        )
    result: Json = json.loads(done.stdout)
    return result


# --- reading the output back ------------------------------------------------------------------


def _read_back(
    output: Json, notes: Sequence[Sequence[Sequence[Cite]]], style: CitationStyle
) -> Formatted:
    found: list[list[Json]] = []
    entries: dict[str, tuple[Inline, ...]] = {}
    for block in output["blocks"]:
        if block["t"] == "Para":
            found += [_cites_in(inline) for inline in block["c"] if inline["t"] == "Note"]
        elif block["t"] == "Div":
            entries.update(_entries(block))
    shaped = []
    for groups, cites in zip(notes, found, strict=True):
        made = iter(cites)
        shaped.append(
            tuple(tuple(_unwrapped(inlines(next(made)["c"][1]), style) for _ in g) for g in groups)
        )
    return Formatted(tuple(shaped), entries)


def _cites_in(note: Json) -> list[Json]:
    return [
        i for block in note["c"] if block["t"] == "Para" for i in block["c"] if i["t"] == "Cite"
    ]


def _entries(div: Json) -> dict[str, tuple[Inline, ...]]:
    out: dict[str, tuple[Inline, ...]] = {}
    for child in div["c"][1]:
        if child["t"] != "Div":
            continue
        ident = child["c"][0][0]
        parts = [
            i for block in child["c"][1] if block["t"] in ("Para", "Plain") for i in block["c"]
        ]
        if ident.startswith("ref-"):
            out[ident[4:]] = tuple(inlines(parts))
    return out


def _unwrapped(parts: list[Inline], style: CitationStyle) -> tuple[Inline, ...]:
    """An author–date cite inside a note loses its parentheses: 'Sachin, n.d., p. 2'."""
    if style.notes or not parts:
        return tuple(parts)
    first, last = parts[0], parts[-1]
    if not (isinstance(first, Text) and isinstance(last, Text)):
        return tuple(parts)
    if not (first.text.startswith("(") and last.text.endswith(")")):
        return tuple(parts)
    if len(parts) == 1:
        return (Text(first.text[1:-1]),)
    return (Text(first.text[1:]), *parts[1:-1], Text(last.text[:-1]))


def inlines(ast: Iterable[Json]) -> list[Inline]:
    """Pandoc inlines as citebrief's: text runs merged, quotation marks written out,
    small capitals and spans kept as their words."""
    out: list[Inline] = []

    def text(value: str) -> None:
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + value)
        elif value:
            out.append(Text(value))

    for node in ast:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            text(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            text(" ")
        elif kind == "Emph":
            out.append(Emphasis(tuple(inlines(content))))
        elif kind == "Strong":
            out.append(Strong(tuple(inlines(content))))
        elif kind == "Link":
            out.append(Link(content[2][0], tuple(inlines(content[1]))))
        elif kind == "Quoted":
            single = content[0]["t"] == "SingleQuote"
            opening, closing = ("\u2018", "\u2019") if single else ("\u201c", "\u201d")
            for part in [Text(opening), *inlines(content[1]), Text(closing)]:
                text(part.text) if isinstance(part, Text) else out.append(part)
        elif kind in ("Span", "SmallCaps", "Superscript", "Subscript", "Underline", "Strikeout"):
            inner = content[1] if kind == "Span" else content
            for part in inlines(inner):
                text(part.text) if isinstance(part, Text) else out.append(part)
        elif kind == "Code":
            text(content[1])
    return out
