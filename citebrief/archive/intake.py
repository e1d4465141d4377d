"""The source archive: extract a document's text and metadata, write it with its hash."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..claims.verify import sha256_text
from ..common.counts import counted, noun_for
from ..common.files import UnsafeFile, read_confined
from ..common.write import make_real_folder, write_outputs
from ..errors import CitebriefError, Location, ProblemsFound, error, in_quotes, spacing_note
from ..facts.validate import SOURCE_ID, is_web_address
from ..model import PAGE_BREAK, UNKNOWN, Reliability
from .captured import FIELDS as STATED_FIELDS
from .captured import split_captured
from .furniture import without_furniture
from .ids import derive_id
from .masthead import (
    Dateline,
    find_dateline,
    headline_and_site,
    publisher_of,
    split_site,
    without_navigation,
)
from .pdf import is_pdf, read_pdf
from .tables import is_table_file, read_table
from .webpage import read_page

FIELD_ORDER = (
    "id",
    "title",
    "publisher",
    "author",
    "url",
    "published",
    "retrieved",
    "pages",
    "format",
    "license",
    "kind",
    "reliability",
    "reliability_note",
    "note",
    "sha256",
)


def source_file_text(meta: Mapping[str, object], body: str) -> str:
    """The full text of a source file: front matter (with the body's sha256), then the body."""
    fields = {**meta, "sha256": sha256_text(body)}
    lines = ["---"]
    for name in FIELD_ORDER:
        value = fields.get(name)
        if isinstance(value, int):
            lines.append(f"{name}: {value}")
        elif value:
            lines.append(f"{name}: {_yaml_scalar(str(value))}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def _yaml_scalar(value: str) -> str:
    if value.replace("-", "").isdigit() and len(value) == 10:
        return value  # an ISO date
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML string


# --- add-source -----------------------------------------------------------------------------

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest file `add-source` reads at all (checked before reading it): a long report's PDF."""
MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Largest text file, and largest text taken from a PDF or web page: far above any article."""
MAX_HTML_BYTES = 16 * 1024 * 1024
"""Largest saved web page (markup, styles and inline scripts included)."""


@dataclass(frozen=True)
class NewSource:
    """What staff tell `add-source` about a document; what they leave out is read from the
    document's own metadata, else stays 'unknown'."""

    data: bytes
    name: str
    """File name (or '-' for standard input), used to recognise HTML."""
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    kind: str | None = None
    reliability: str | None = None
    reliability_note: str | None = None
    note: str | None = None
    id: str = ""
    retrieved: str | None = None
    license: str | None = None
    """The terms the source may be reused under (a table's publisher usually states them)."""


@dataclass(frozen=True)
class Extracted:
    """The text to archive and what the document states about itself (None: not stated)."""

    text: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    retrieved: str | None = None
    url: str | None = None
    kind: str | None = None
    reliability: str | None = None
    reliability_note: str | None = None
    note: str | None = None
    pages: int | None = None
    notices: tuple[str, ...] = ()
    """What staff should know about the extraction, shown after archiving."""
    dateline: Dateline | None = None
    """A date standing by itself near the top of the text: offered as ``published``, never
    taken as it without staff."""
    table: bool = False
    """True for a CSV or XLSX table, archived as CSV and cited by cell."""


@dataclass(frozen=True)
class Archived:
    id: str
    path: Path
    lines: int
    sha256: str
    pages: int | None = None
    notices: tuple[str, ...] = ()


def add_source(root: Path, new: NewSource, today: dt.date) -> Archived:
    """Archive a PDF, text, Markdown or HTML document into sources/, or refuse with a reason."""
    try:
        extracted = extract(new)
    except ProblemsFound:
        raise
    except CitebriefError as exc:  # the file itself is unusable: an input error, located
        problem = error(Location(new.name, 1, 1), "source-unusable", exc.message, exc.hint)
        raise ProblemsFound([problem], "") from None
    body = extracted.text
    sources = root / "sources"
    make_real_folder(sources, generated=False)  # never read or written through a link
    _refuse_duplicate(sources, body, new.name)
    given = {name: getattr(new, name) or getattr(extracted, name) for name in STATED_FIELDS}
    if given["url"] and given["url"] != UNKNOWN and not is_web_address(given["url"]):
        problem = error(
            Location(new.name, 1, 1),
            "source-url",
            f"the document's stated address {in_quotes(given['url'])} is not a web address",
            "give the address it was taken from with --url https://…, or --url unknown",
        )
        raise ProblemsFound([problem], "")
    title = given["title"]
    source_id = new.id or derive_id(title or "", given["publisher"] or "", given["url"] or "")
    if not SOURCE_ID.match(source_id):
        raise CitebriefError(
            f"{in_quotes(source_id)}{spacing_note(source_id)} is not a safe source id",
            "use lowercase letters, digits and single hyphens, at most 64 characters (--id)",
        )
    path = sources / f"{source_id}.txt"
    if os.path.lexists(path):
        problem = error(
            Location(f"sources/{path.name}"),
            "source-id-taken",
            f"a source with id '{source_id}' already exists",
            "give the new one another id with --id",
        )
        raise ProblemsFound([problem], "")
    meta: dict[str, object] = {
        "id": source_id,
        **{name: value or UNKNOWN for name, value in given.items()},
        "retrieved": given["retrieved"] or today.isoformat(),
        "pages": extracted.pages,
        "format": "table" if extracted.table else None,
        "license": new.license or (UNKNOWN if extracted.table else None),
        "kind": given["kind"] or "secondary",
        "reliability": given["reliability"] or Reliability.UNASSESSED.value,
        "reliability_note": given["reliability_note"],
        "note": given["note"],
    }
    files = {path.name: source_file_text(meta, body).encode("utf-8")}
    write_outputs(sources, files, generated=False)
    notices = (
        *_taken_from_document(new, extracted),
        *extracted.notices,
        *_dateline_offered(extracted.dateline, given["published"]),
    )
    lines = body.count("\n") + (not body.endswith("\n"))  # a last line with no line end counts
    return Archived(source_id, path, lines, sha256_text(body), extracted.pages, notices)


def _taken_from_document(new: NewSource, extracted: Extracted) -> list[str]:
    """Which fields the document's own metadata supplied (a flag given wins)."""
    taken = [name for name in STATED_FIELDS if getattr(extracted, name) and not getattr(new, name)]
    return [f"from the document's own metadata: {', '.join(taken)}"] if taken else []


def _dateline_offered(dateline: Dateline | None, published: str | None) -> list[str]:
    """The dateline shown to staff as the publication date to confirm, unless one is given."""
    if dateline is None or (published and published != UNKNOWN):
        return []
    iso = dateline.date.iso()
    return [
        f"the text carries a dateline, {in_quotes(dateline.written)} (line {dateline.line}): "
        f"if that is when it was published, set published: {iso} in the source's front "
        f"matter (or archive it with --published {iso})"
    ]


def extract(new: NewSource) -> Extracted:
    """The text of a PDF, HTML page or plain-text file, with what it states about itself."""
    if is_pdf(new.data):
        return _from_pdf(new.data)
    if is_table_file(new.name, new.data):
        return _from_table(new.name, new.data)
    if _looks_like_html(new.name, new.data):
        return _from_html(new.data)
    flagged = [name for name in STATED_FIELDS if getattr(new, name)]
    fields, body = split_captured(_decoded(new), new.name, flagged)
    if not body.strip():
        raise CitebriefError(
            "the file has metadata but no text after the '---' line",
            "paste the text of the document below the '---' line",
        )
    return Extracted(body, **fields, dateline=find_dateline(body))  # type: ignore[arg-type]


def _from_table(name: str, data: bytes) -> Extracted:
    table = read_table(name, data)
    rows, columns = len(table.table.rows), len(table.table.columns)
    example = f"cell: {{row: {_yaml_scalar(table.table.rows[0][0])}, column: {_yaml_scalar(table.table.columns[1])}}}"
    notices = [
        f"archived as a table of {counted(rows, 'row')} and {counted(columns - 1, 'column')} "
        "of figures; cite a cell by its row label and column header: " + example
    ]
    if table.sheet:
        notices.append(
            f"the workbook has several sheets; the first, {in_quotes(table.sheet)}, is archived"
        )
    return Extracted(
        table.text, title=table.title, author=table.author, notices=tuple(notices), table=True
    )


def _from_html(data: bytes) -> Extracted:
    if len(data) > MAX_HTML_BYTES:
        raise CitebriefError(
            f"the page is {len(data) // 1024 // 1024} MB; the limit is "
            f"{MAX_HTML_BYTES // 1024 // 1024} MB",
            "save the page as 'HTML only', without its images and scripts",
        )
    page = read_page(data)
    if not page.text.strip():
        raise CitebriefError(
            "no article text found in the HTML page",
            "save the page again once it has loaded, or copy its text into a .txt file",
        )
    _check_text_size(len(page.text.encode("utf-8")), "the text of the page")
    sites = (page.site,) if page.site else ()
    _, site = headline_and_site(page.title_tag, page.whole_text, sites)
    headline, _ = split_site(page.title, (site,) if site else sites)
    stated = None if page.site else publisher_of(page.whole_text, site)
    return Extracted(
        page.text,
        title=headline,
        author=page.author,
        publisher=page.site or (stated[0] if stated else None),
        published=page.published,
        url=page.url,
        notices=_publisher_notice(stated),
        dateline=find_dateline(page.text),
    )


def _publisher_notice(stated: tuple[str, str] | None) -> tuple[str, ...]:
    if stated is None:
        return ()
    return (f"publisher: {in_quotes(stated[0])}, {stated[1]}",)


def _from_pdf(data: bytes) -> Extracted:
    pdf = read_pdf(data)
    pages, furniture = without_furniture(pdf.pages)
    headline, site = headline_and_site(pdf.title, pdf.text)
    pages = (without_navigation(pages[0], headline), *pages[1:])
    text = ("\n" + PAGE_BREAK).join(pages) + "\n"
    stated = publisher_of(pdf.text, site)
    _check_text_size(len(text.encode("utf-8")), "the text extracted from the PDF")
    notices = [*_publisher_notice(stated)]
    if furniture:
        shown = "; ".join(in_quotes(line) for line in furniture[:3])
        more = f" and {len(furniture) - 3} more" if len(furniture) > 3 else ""
        notices.append(
            f"left out as page furniture (running headers, footers, page numbers): {shown}{more}"
        )
    blank = [str(number) for number, page in enumerate(pdf.pages, 1) if not page.strip()]
    if blank:
        notices.append(
            f"{noun_for(len(blank), 'page')} {', '.join(blank)} of {len(pdf.pages)} "
            "had no text layer (scanned images?): their words are not archived; OCR them "
            "if they matter"
        )
    if pdf.created is not None and pdf.printed_by_browser:
        notices.append(
            f"a web browser printed this PDF on {pdf.created.isoformat()}; retrieved: is the day "
            "it is archived unless you give --retrieved"
        )
    elif pdf.created is not None:
        notices.append(
            f"the PDF states no publication date; the file was created on "
            f"{pdf.created.isoformat()}: if that is when it was published, set published:"
        )
    return Extracted(
        text,
        title=headline,
        author=pdf.author,
        publisher=stated[0] if stated else None,
        pages=len(pdf.pages),
        notices=tuple(notices),
        dateline=find_dateline(text),
    )


def _refuse_duplicate(sources: Path, body: str, name: str) -> None:
    variants = {sha256_text(v) for v in (body, body.rstrip("\n"), body.rstrip("\n") + "\n")}
    for existing in sorted(sources.glob("*.txt")):
        try:  # a link to /dev/zero among the sources must not be read here either
            archived = read_confined(existing, sources).decode("utf-8", errors="replace")
        except (OSError, UnsafeFile):
            continue  # `check` reports it; it cannot hold this text
        recorded = re.search(r'^sha256: "?([0-9a-f]{64})"?$', archived, re.M)
        if recorded and recorded.group(1) in variants:
            problem = error(
                Location(name, 1, 1),
                "source-archived",
                f"this text is already archived as '{existing.stem}'",
                f"cite the existing source: source: {existing.stem}",
            )
            raise ProblemsFound([problem], "")


def _check_text_size(size: int, what: str) -> None:
    if size > MAX_TEXT_BYTES:
        raise CitebriefError(
            f"{what} is {size // 1024} KB; the limit is {MAX_TEXT_BYTES // 1024 // 1024} MB",
            "archive the article's text only, not a whole site or data file",
        )


def _decoded(new: NewSource) -> str:
    _check_text_size(len(new.data), "the file")
    if b"\x00" in new.data:
        raise CitebriefError(
            "the file is binary, not text",
            "archive a PDF, or save the page as HTML or plain text first",
        )
    try:
        text = new.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CitebriefError(
            "the file is not UTF-8 text", "save it as UTF-8 (or as HTML) and try again"
        ) from None
    if not text.strip():
        raise CitebriefError("the file is empty", "check the path")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_input(path: str, stdin: BinaryIO) -> tuple[bytes, str]:
    """The bytes of a regular file (or standard input for '-'), refusing anything too large
    before reading it; symlinks, folders and devices are refused, not followed. The
    messages do not repeat the path: the caller reports them at it."""
    if path == "-":
        data = stdin.read(MAX_FILE_BYTES + 1)
        _check_file_size(len(data))
        return data, "-"
    file = Path(path)
    try:
        info = file.lstat()
    except OSError:
        raise CitebriefError("there is no file here", "check the path") from None
    if stat.S_ISLNK(info.st_mode):
        raise CitebriefError(
            "this is a symbolic link, which is not followed",
            "archive the file it points to, by its own path",
        )
    if not stat.S_ISREG(info.st_mode):
        raise CitebriefError(
            "this is not a regular file (a folder, a device or a pipe)",
            "give the path of a saved PDF, HTML or text file",
        )
    _check_file_size(info.st_size)
    with file.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    _check_file_size(len(data))
    return data, file.name


def _check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise CitebriefError(
            f"the file is {size // 1024 // 1024} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB",
            "archive the document itself, not a collection or a data file",
        )


def _looks_like_html(name: str, data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return name.lower().endswith((".html", ".htm")) or head.startswith(
        (b"<!doctype html", b"<html")
    )
