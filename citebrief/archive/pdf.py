"""Read a PDF's text layer, page by page, and what its own metadata states.

PDFium (through pypdfium2) extracts the text: on PDFs printed by Chromium and exported by
LibreOffice it kept reading order in two-column pages, decomposed ligatures and joined
words at soft hyphens, where pdfminer.six interleaved justified columns and pypdf split
words at ligatures and soft hyphens; it was also 10–25 times faster (see CHANGELOG).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import CitebriefError
from ..model import PAGE_BREAK

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_TYPESET_BREAK = re.compile(r"(\w)[\u00ad\u2010\u0002][ \t]*\n[ \t]*(\w+[^\s\w]*)[ \t]*(\n?)")
"""A word broken by the typesetter: a soft or typographic hyphen at the end of a line."""
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_BROWSER = re.compile(r"chrom|skia|mozilla|firefox|webkit|safari|edge", re.I)


@dataclass(frozen=True)
class PdfText:
    """The text of each page and the metadata the file states about itself."""

    pages: tuple[str, ...]
    title: str | None
    author: str | None
    created: dt.date | None
    """When the file was made (its CreationDate): not necessarily when the work was published."""
    printed_by_browser: bool
    """True when a web browser made the file, so ``created`` is when the page was captured."""

    @property
    def text(self) -> str:
        """The archived form: the pages' text separated by form feeds."""
        return ("\n" + PAGE_BREAK).join(self.pages)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip(b"\x00\t\n\r ").startswith(b"%PDF-")


def read_pdf(data: bytes) -> PdfText:
    """Extract the text layer of every page, or refuse with a reason and a remedy."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _unreadable(str(exc)) from None
    try:
        pages = tuple(_clean(_page_text(document, index)) for index in range(len(document)))
        meta = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    if not any(page.strip() for page in pages):
        raise CitebriefError(
            f"the PDF has no text layer ({len(pages)} page{'s' * (len(pages) != 1)} of images): "
            "it is a scan or a picture of text",
            "run OCR on it first (e.g. `ocrmypdf scan.pdf text.pdf`), check the recognised "
            "text against the scan, then archive the OCR'd PDF",
        )
    maker = f"{meta.get('Creator', '')} {meta.get('Producer', '')}"
    return PdfText(
        pages=pages,
        title=_stated(meta.get("Title")),
        author=_stated(meta.get("Author")),
        created=_pdf_date(meta.get("CreationDate", "")),
        printed_by_browser=bool(_BROWSER.search(maker)),
    )


def _page_text(document, index: int) -> str:  # type: ignore[no-untyped-def]
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def _clean(text: str) -> str:
    """Line ends as \\n, ligatures as letters, typesetter's hyphenation undone, no trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "\n")
    text = text.translate(_LIGATURES)
    text = _TYPESET_BREAK.sub(lambda m: f"{m.group(1)}{m.group(2)}\n", text)  # word, then the line
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _unreadable(reason: str) -> CitebriefError:
    if "password" in reason.lower():
        return CitebriefError(
            "the PDF is encrypted with a password",
            "open it in a PDF reader and save or print an unprotected copy, then archive that",
        )
    return CitebriefError(
        f"the PDF cannot be read ({reason})",
        "the file may be damaged or incomplete: download it again, or print it to PDF",
    )


def _stated(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _pdf_date(value: str) -> dt.date | None:
    """The date of a PDF date string (D:YYYYMMDDHHmmSS…), or None when there is none."""
    m = _PDF_DATE.match(value.strip())
    if not m or not (m.group(2) and m.group(3)):
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
