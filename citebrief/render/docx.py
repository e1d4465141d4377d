"""DOCX writer: the Document as a Pandoc AST, turned into Word by Debian's ``pandoc``.

Pandoc's DOCX writer makes real Word footnotes, headings, tables with header rows and
images with alt text, and takes its styles from the theme's ``reference.docx`` (citebrief's ``templates/``, or
the project's own ``templates/reference.docx``); python-docx
has no footnote API. The AST is a pure function of the Document and the drawn charts,
built by walking the same blocks and inline parts the HTML templates walk: one function
per kind. Pandoc runs in a private temporary folder holding only the chart pictures, and
reads nothing else but the reference document. ``SOURCE_DATE_EPOCH`` (the edition date) fixes the dates pandoc
writes into the package, so the same Document gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..common.pandoc import pandoc_version
from ..common.write import temporary_folder, write_temporary
from ..document.model import (
    Document,
)
from ..errors import CitebriefError
from ..model import Paper
from .docx_ast import chart_file, date_text, pandoc_ast

Json = dict[str, Any]
NO_ATTR: list[Any] = ["", [], []]

ROWS_KEPT_WHOLE = {  # in this order: the second makes what the first looks for
    "<w:tr><w:trPr>": "<w:tr><w:trPr><w:cantSplit />",
    "<w:tr><w:tc>": "<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc>",
}


def render_docx(document: Document, charts: Mapping[str, bytes], reference: Path | None) -> bytes:
    """The Word edition: the Document's AST through pandoc, styled by ``reference``
    (the theme's reference.docx; pandoc's own styles when None).

    The chart PNGs are written to a private temporary folder that pandoc runs in, and the
    AST names them by file name only: pandoc 2.17 takes ~1.2 s of CPU and 200 MB to decode
    the same pictures as ``data:`` URIs, against ~0.1 s for files.
    """
    _, api = pandoc_version()
    ast = pandoc_ast(document, {name: chart_file(name) for name in charts}, api)
    command = ["pandoc", "--from=json", "--to=docx", "--output=-", "--resource-path=."]
    if reference is not None:
        command.append(f"--reference-doc={reference.resolve()}")
    edition = document.spec.meta.edition
    epoch = dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.UTC).timestamp()
    with temporary_folder("citebrief-docx-") as folder:
        for name, png in charts.items():
            write_temporary(folder / chart_file(name), png)
        done = subprocess.run(
            command,
            input=json.dumps(ast, ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            cwd=folder,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(int(epoch))},
            check=False,
        )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        own = reference is not None and reference.parent.name == "templates"
        raise CitebriefError(
            f"pandoc could not write the Word edition: {said[0]}",
            "check templates/reference.docx: delete it to use the Word styles citebrief ships, "
            "or replace it with a Word file saved from the shipped one "
            "(citebrief's templates/reference.docx)"
            if own
            else "",
        )
    return finished(done.stdout, document)


def finished(docx: bytes, document: Document) -> bytes:
    """Fill in what pandoc leaves to us: the title and author in the document properties
    (our title block is in the body, or pandoc would print its own), the running heads
    the reference document marks ``{{title}}``, ``{{marking}}`` and ``{{edition}}``, and
    rows kept whole (pandoc 2.17 cannot say so, and table styles cannot in LibreOffice).

    Every zip entry keeps its name, order, date and compression, so the bytes stay stable.
    """
    from xml.sax.saxutils import escape

    meta = document.spec.meta
    house = document.spec.house
    properties = {
        "<dc:title></dc:title>": f"<dc:title>{escape(meta.title)}</dc:title>",
        "<dc:creator></dc:creator>": f"<dc:creator>{escape(meta.author)}</dc:creator>",
    }
    running = {
        "{{title}}": escape(meta.short_title or meta.title),
        "{{marking}}": escape(meta.marking),
        "{{edition}}": escape(date_text(meta.edition, house.dates)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            name = info.filename
            if name == "docProps/core.xml":
                data = _replaced(data, properties)
            elif name == "docProps/app.xml":
                data = APP_PROPERTIES  # the reference's are Word's, of another document
            elif re.fullmatch(r"word/(header|footer)\d+\.xml", name):
                data = _replaced(data, running)
            elif name == "word/document.xml":  # a table row is never split across pages
                data = _replaced(data, ROWS_KEPT_WHOLE)
                data = _paper(data, house.paper)
            target.writestr(info, data)
    return out.getvalue()


APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>\n'
)
"""The application properties: none. The reference document's say "Microsoft Word 12.0.0"
and count another document's words and pages; nothing true is known without Word."""


PAPER_TWIPS = {Paper.A4: ('w:w="11906" w:h="16838"'), Paper.LETTER: ('w:w="12240" w:h="15840"')}
"""Word's page sizes in twentieths of a point."""


def _paper(data: bytes, paper: Paper) -> bytes:
    """The house paper size in every section of the document (the reference sets A4)."""
    text = data.decode("utf-8")
    text = re.sub(r"<w:pgSz\b[^>]*?/>", f"<w:pgSz {PAPER_TWIPS[paper]} />", text)
    return text.encode("utf-8")


def _replaced(data: bytes, replacements: dict[str, str]) -> bytes:
    """Every placeholder replaced in one pass: text put in (a short title holding
    '{{marking}}') is never searched again, so it stays as the author wrote it."""
    pattern = re.compile("|".join(re.escape(old) for old in replacements))
    text = pattern.sub(lambda found: replacements[found[0]], data.decode("utf-8"))
    return text.encode("utf-8")
