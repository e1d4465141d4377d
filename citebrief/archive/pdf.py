"""Read a PDF's text layer, page by page, and what its own metadata states.

PDFium (through pypdfium2) extracts the text: on PDFs printed by Chromium and exported by
LibreOffice it kept reading order in two-column pages, decomposed ligatures and joined
words at soft hyphens, where pdfminer.six interleaved justified columns and pypdf split
words at ligatures and soft hyphens; it was also 10–25 times faster (see CHANGELOG).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..common.counts import counted
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


MEMORY_LIMIT = 1024 * 1024 * 1024
"""Address space the PDF reader may use (bytes). PDFium has no budget of its own: a 1.2 MB
PDF whose stream inflates to 1.2 GB reached 2.3 GB and aborted the process."""
TIME_LIMIT = 120
"""Seconds the PDF reader may take."""


def read_pdf(data: bytes) -> PdfText:
    """Extract the text layer of every page, or refuse with a reason and a remedy.

    PDFium runs in a child process under MEMORY_LIMIT and TIME_LIMIT: a decompression bomb
    or a PDF built to loop ends that process, never this one, and is refused in words."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "citebrief.archive.pdf_worker"],
            input=data,
            capture_output=True,
            timeout=TIME_LIMIT,
            preexec_fn=_limited,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(_search_path())},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CitebriefError(
            f"the PDF took longer than {TIME_LIMIT} s to read, so it was not archived",
            "print it to a new PDF (or save its text) and archive that",
        ) from None
    if done.returncode != 0:
        raise _failed(done.returncode, done.stderr.decode("utf-8", "replace"))
    found = json.loads(done.stdout)
    if "unreadable" in found:
        raise _unreadable(found["unreadable"])
    return _pdf_text(tuple(_clean(page) for page in found["pages"]), found["meta"])


def _search_path() -> list[str]:
    """This copy of citebrief first, so the child runs the same code as its parent."""
    given = os.environ.get("PYTHONPATH", "")
    return [str(Path(__file__).resolve().parents[2]), *([given] if given else [])]


def _limited() -> None:
    """In the child, before it runs: the memory budget."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _failed(code: int, stderr: str) -> CitebriefError:
    """The reader died: out of its memory budget (a decompression bomb), or crashed."""
    if "MemoryError" in stderr or code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        return CitebriefError(
            f"the PDF needs more than {MEMORY_LIMIT // 2**20:,} MB of memory to read (its "
            "compressed contents expand far beyond its size), so it was not archived",
            "print it to a new PDF (or save its text) and archive that; a PDF built to expand "
            "like this may be hostile",
        )
    last = stderr.strip().splitlines()[-1:] or [f"exit status {code}"]
    return _unreadable(last[0])


def extract(data: bytes) -> dict[str, object]:
    """The pages' raw text and the metadata (what the child process prints, as JSON)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return {"unreadable": str(exc)}
    try:
        pages = [_page_text(document, index) for index in range(len(document))]
        meta = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    return {"pages": pages, "meta": meta}


def _pdf_text(pages: tuple[str, ...], meta: dict[str, str]) -> PdfText:
    if not any(page.strip() for page in pages):
        raise CitebriefError(
            f"the PDF has no text layer ({counted(len(pages), 'page')} of images): "
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
