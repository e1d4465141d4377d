"""The source archive: write an archived text with its front matter and hash."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from .errors import CitebriefError
from .validate import SOURCE_ID
from .verify import sha256_text
from .write import write_outputs

FIELD_ORDER = (
    "id",
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
    "sha256",
)


def source_file_text(meta: Mapping[str, str], body: str) -> str:
    """The full text of a source file: front matter (with the body's sha256), then the body."""
    fields = {**meta, "sha256": sha256_text(body)}
    lines = ["---"]
    for name in FIELD_ORDER:
        if fields.get(name):
            lines.append(f"{name}: {_yaml_scalar(fields[name])}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def _yaml_scalar(value: str) -> str:
    if value.replace("-", "").isdigit() and len(value) == 10:
        return value  # an ISO date
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML string


# --- add-source -----------------------------------------------------------------------------

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""Largest file `add-source` archives: far above any article, far below a data dump."""


@dataclass(frozen=True)
class NewSource:
    """What staff tell `add-source` about a document; anything not given stays 'unknown'."""

    data: bytes
    name: str
    """File name (or '-' for standard input), used to recognise HTML."""
    url: str = "unknown"
    title: str = ""
    publisher: str = "unknown"
    author: str = "unknown"
    published: str = "unknown"
    kind: str = "secondary"
    reliability: str = "medium"
    id: str = ""
    retrieved: str = ""


@dataclass(frozen=True)
class Archived:
    id: str
    path: Path
    lines: int
    sha256: str


def add_source(root: Path, new: NewSource, today: dt.date) -> Archived:
    """Archive a text, Markdown or HTML document into sources/, or refuse with a reason."""
    text = _decoded(new)
    title = new.title
    if _looks_like_html(new.name, text):
        page_title, text = html_to_text(text)
        title = title or page_title
    if not text.strip():
        raise CitebriefError("the document has no text to archive", "check the file: it is empty")
    body = text
    digest = sha256_text(body)
    variants = {sha256_text(v) for v in (body, body.rstrip("\n"), body.rstrip("\n") + "\n")}
    sources = root / "sources"
    for existing in sorted(sources.glob("*.txt")):
        recorded = re.search(
            r'^sha256: "?([0-9a-f]{64})"?$', existing.read_text(errors="replace"), re.M
        )
        if recorded and recorded.group(1) in variants:
            raise CitebriefError(
                f"this text is already archived as '{existing.stem}'",
                f"cite the existing source: source: {existing.stem}",
            )
    source_id = new.id or derive_id(title, new.url)
    if not SOURCE_ID.match(source_id):
        raise CitebriefError(
            f"'{source_id}' is not a safe source id",
            "use lowercase letters, digits and single hyphens, at most 64 characters (--id)",
        )
    path = sources / f"{source_id}.txt"
    if path.exists():
        raise CitebriefError(
            f"a source with id '{source_id}' already exists", "choose another with --id"
        )
    meta = {
        "id": source_id,
        "title": title or "unknown",
        "publisher": new.publisher,
        "author": new.author,
        "url": new.url,
        "published": new.published,
        "retrieved": new.retrieved or today.isoformat(),
        "kind": new.kind,
        "reliability": new.reliability,
        "reliability_note": "Not yet assessed: set reliability and reliability_note after reading the source.",
    }
    sources.mkdir(exist_ok=True)
    write_outputs(sources, {path.name: source_file_text(meta, body).encode("utf-8")})
    return Archived(source_id, path, body.count("\n"), digest)


def _decoded(new: NewSource) -> str:
    if len(new.data) > MAX_SOURCE_BYTES:
        raise CitebriefError(
            f"the file is {len(new.data) // 1024} KB; the limit is {MAX_SOURCE_BYTES // 1024 // 1024} MB",
            "archive the article's text only, not a whole site or data file",
        )
    if b"\x00" in new.data:
        raise CitebriefError(
            "the file is binary, not text", "save the page as HTML or plain text first"
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


def _looks_like_html(name: str, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return name.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html"))


def derive_id(title: str, url: str) -> str:
    """A safe id from the title, else from the URL: lowercase words joined by hyphens."""
    basis = title if title and title != "unknown" else ""
    if not basis and url and url != "unknown":
        parts = urlsplit(url)
        basis = f"{parts.netloc.removeprefix('www.').split('.')[0]} {parts.path}"
    slug = re.sub(
        r"[^a-z0-9]+",
        "-",
        unicodedata.normalize("NFKD", basis).encode("ascii", "ignore").decode().lower(),
    ).strip("-")
    if not slug:
        raise CitebriefError("cannot derive an id: give --title, --url or --id")
    words, out = slug.split("-"), ""
    for word in words:
        if len(out) + len(word) + 1 > 60:
            break
        out = f"{out}-{word}" if out else word
    return out or slug[:60].strip("-")


# --- HTML to readable text ---------------------------------------------------------------------

_SKIP = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "noscript",
    "form",
    "button",
    "svg",
    "template",
    "iframe",
    "select",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "tr",
    "br",
    "hr",
    "figcaption",
    "dd",
    "dt",
    "table",
    "ul",
    "ol",
}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _BLOCK:
            self._end_block()
        if tag == "li" and not self.skip_depth:
            self.current.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK:
            self._end_block()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip_depth:
            self.current.append(data)

    def _end_block(self) -> None:
        text = " ".join("".join(self.current).split())
        if text and text != "-":
            self.blocks.append(text)
        self.current = []


def html_to_text(html: str) -> tuple[str, str]:
    """(page title, readable text): scripts, styles and navigation dropped, paragraphs kept."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser._end_block()
    return " ".join(parser.title.split()), "\n\n".join(parser.blocks) + "\n"
