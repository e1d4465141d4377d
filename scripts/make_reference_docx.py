"""Regenerate templates/reference.docx: pandoc's default reference document in house style.

    .venv/bin/python scripts/make_reference_docx.py

Pandoc takes the Word edition's styles, page size, margins, header and footer from this
file. It starts from ``pandoc --print-default-data-file reference.docx`` and changes only
what the house style needs: fonts (Palatino Linotype, the metric twin of the TeX Gyre
Pagella the PDF uses, present on Windows and mapped to Pagella by fontconfig; Lato for
headings and furniture), sizes and colours as in briefing.css, the named
paragraph styles the writer uses (Marking, Series, Memo Line, Figure Title…), A4 pages
with the PDF's margins, the title and marking in the running header (not on page 1), the
edition and "Page N of M" in the footer.
The zip is written with fixed dates so the file is the same on every run.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

SERIF = "Palatino Linotype"
SANS = "Lato"
INK, NAVY, MUTED, RULE, MARKING = "1B2A3A", "1F3A5F", "4F5B68", "B8C2CC", "7A1C1C"


def fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:cs="{face}" w:eastAsia="{face}" />'


def run(face: str, size_pt: float, color: str = INK, extra: str = "") -> str:
    half = round(size_pt * 2)
    return (
        f'<w:rPr>{fonts(face)}{extra}<w:color w:val="{color}" />'
        f'<w:sz w:val="{half}" /><w:szCs w:val="{half}" /></w:rPr>'
    )


def para_style(
    style_id: str,
    name: str,
    ppr: str,
    rpr: str,
    based_on: str = "Normal",
    custom: bool = True,
    extra: str = "",
) -> str:
    flag = ' w:customStyle="1"' if custom else ""
    return (
        f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}"><w:name w:val="{name}" />'
        f'<w:basedOn w:val="{based_on}" />{extra}<w:qFormat /><w:pPr>{ppr}</w:pPr>{rpr}</w:style>'
    )


def spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_attr = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{line_attr} />'


def border(side: str, size: int = 6, color: str = RULE, space: int = 2) -> str:
    return f'<w:pBdr><w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}" /></w:pBdr>'


KEEP = "<w:keepNext /><w:keepLines />"

PARAGRAPH_STYLES = [
    # Normal sets no font or size (the document defaults do) so the table style's apply in cells.
    para_style("Normal", "Normal", spacing(0, 0, 264), "", based_on="", custom=False),
    para_style("BodyText", "Body Text", spacing(0, 120, 264), "", custom=False),
    para_style("FirstParagraph", "First Paragraph", spacing(0, 120, 264), "", based_on="BodyText"),
    para_style("Compact", "Compact", spacing(20, 40, 252), "", based_on="BodyText"),
    para_style(
        "Title",
        "Title",
        KEEP + spacing(40, 120, 240),
        run(SANS, 20, NAVY, "<w:b /><w:bCs />"),
        custom=False,
    ),
    para_style(
        "Subtitle",
        "Subtitle",
        KEEP + spacing(0, 120),
        run(SERIF, 12.5, INK, "<w:i /><w:iCs />"),
        custom=False,
    ),
    para_style(
        "Abstract",
        "Abstract",
        spacing(160, 200, 264) + border("left", 12, NAVY, 8) + '<w:ind w:left="200" />',
        run(SERIF, 10.5),
    ),
    para_style(
        "Marking",
        "Marking",
        spacing(0, 160),
        run(SANS, 8.5, MARKING, '<w:b /><w:caps /><w:spacing w:val="10" />'),
    ),
    para_style(
        "Series",
        "Series",
        KEEP + spacing(0, 0),
        run(SANS, 9, MUTED, '<w:caps /><w:spacing w:val="6" />'),
    ),
    para_style("MemoLine", "Memo Line", KEEP + spacing(0, 20), run(SANS, 9.5)),
    para_style("Byline", "Byline", spacing(0, 120), run(SANS, 9, MUTED)),
    para_style(
        "Heading1",
        "Heading 1",
        KEEP + spacing(320, 100) + border("bottom", 8) + '<w:outlineLvl w:val="0" />',
        run(SANS, 13, NAVY, "<w:b /><w:bCs />"),
        custom=False,
        extra='<w:next w:val="BodyText" />',
    ),
    para_style(
        "Heading2",
        "Heading 2",
        KEEP + spacing(220, 60) + '<w:outlineLvl w:val="1" />',
        run(SANS, 10.5, NAVY, "<w:b /><w:bCs />"),
        custom=False,
        extra='<w:next w:val="BodyText" />',
    ),
    para_style(
        "Heading3",
        "Heading 3",
        KEEP + spacing(160, 40) + '<w:outlineLvl w:val="2" />',
        run(SANS, 10, NAVY, "<w:b /><w:i />"),
        custom=False,
        extra='<w:next w:val="BodyText" />',
    ),
    para_style("FootnoteText", "Footnote Text", spacing(0, 40, 228), run(SERIF, 8), custom=False),
    para_style(
        "Caption", "Caption", spacing(120, 80), run(SANS, 9, NAVY, "<w:b /><w:bCs />"), custom=False
    ),
    para_style("TableCaption", "Table Caption", KEEP + spacing(200, 80), "", based_on="Caption"),
    para_style(
        "FigureTitle",
        "Figure Title",
        KEEP + spacing(200, 60),
        run(SANS, 9.5, NAVY, "<w:b /><w:bCs />"),
    ),
    para_style("Figure", "Figure", KEEP + spacing(0, 40), ""),
    para_style(
        "FigureSource",
        "Figure Source",
        spacing(20, 200, 240) + border("top", 4, RULE, 3),
        run(SANS, 7.8, MUTED),
    ),
    para_style(
        "TOCHeading",
        "TOC Heading",
        KEEP + spacing(200, 60),
        run(SANS, 10.5, NAVY, "<w:b /><w:caps />"),
        custom=False,
    ),
    para_style("Contents", "Contents", spacing(0, 20) + '<w:ind w:left="200" />', run(SANS, 9.5)),
    para_style(
        "Colophon", "Colophon", spacing(360, 0) + border("top", 4, RULE, 4), run(SANS, 8, MUTED)
    ),
    para_style(
        "BlockText",
        "Block Text",
        spacing(40, 80) + border("left", 12, RULE, 8) + '<w:ind w:left="280" />',
        run(SERIF, 9.5),
        custom=False,
    ),
    para_style(
        "Header",
        "Header",
        spacing(0, 0),
        run(SANS, 7.5, MUTED),
        custom=False,
    ),
    para_style(
        "Footer",
        "Footer",
        spacing(0, 0),
        run(SANS, 7.5, MUTED),
        custom=False,
    ),
]

CHARACTER_STYLES = [
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink" />'
    f'<w:basedOn w:val="BodyTextChar" /><w:rPr><w:color w:val="{NAVY}" /></w:rPr></w:style>',
    '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="Footnote Reference" />'
    '<w:basedOn w:val="BodyTextChar" /><w:rPr><w:vertAlign w:val="superscript" /></w:rPr></w:style>',
]

TABLE_STYLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table" />'
    '<w:basedOn w:val="TableNormal" /><w:qFormat /><w:pPr><w:spacing w:before="30" w:after="30" w:line="240" w:lineRule="auto" /></w:pPr>'
    f'{run(SERIF, 8.8)}<w:tblPr><w:tblInd w:w="0" w:type="dxa" />'
    f'<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="{NAVY}" />'
    f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}" />'
    f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}" /></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="40" w:type="dxa" /><w:left w:w="80" w:type="dxa" />'
    '<w:bottom w:w="40" w:type="dxa" /><w:right w:w="80" w:type="dxa" /></w:tblCellMar></w:tblPr>'
    "<w:trPr><w:cantSplit /></w:trPr>"
    '<w:tblStylePr w:type="firstRow"><w:rPr>'
    f'{fonts(SANS)}<w:b /><w:bCs /><w:color w:val="{NAVY}" /></w:rPr>'
    f'<w:tcPr><w:vAlign w:val="bottom" /><w:shd w:val="clear" w:color="auto" w:fill="EEF2F6" /></w:tcPr></w:tblStylePr>'
    "</w:style>"
)

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def field(instruction: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate" /></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end" /></w:r>'
    )


TEXT_WIDTH = 11906 - 2 * 1134
"""A4 less the side margins, in twips: where the right-aligned tab stop sits."""
TABS = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}" /></w:tabs>'


def text_run(text: str, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


TAB = "<w:r><w:tab /></w:r>"
MARKING_RUN = f'<w:rPr><w:b /><w:caps /><w:color w:val="{MARKING}" /></w:rPr>'

# {{title}}, {{marking}} and {{edition}} are filled in for each briefing by citebrief/docx.py
# (pandoc copies the header and footer as they are), like the PDF's running heads.
HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W}><w:p><w:pPr>'
    f'<w:pStyle w:val="Header" />{TABS}</w:pPr>{text_run("{{title}}")}{TAB}'
    f"{text_run('{{marking}}', MARKING_RUN)}</w:p></w:hdr>"
)
FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W}><w:p><w:pPr>'
    f'<w:pStyle w:val="Footer" />{TABS}</w:pPr>{text_run("Edition of {{edition}}")}{TAB}'
    f"{text_run('Page ')}{field('PAGE', '1')}{text_run(' of ')}{field('NUMPAGES', '1')}</w:p></w:ftr>"
)
EMPTY_HEADER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W}><w:p><w:pPr><w:pStyle w:val="Header" /></w:pPr></w:p></w:hdr>'

SECTION = (
    "<w:sectPr>"
    '<w:headerReference w:type="default" r:id="rIdHouseHeader" />'
    '<w:headerReference w:type="first" r:id="rIdHouseFirstHeader" />'
    '<w:footerReference w:type="default" r:id="rIdHouseFooter" />'
    '<w:footerReference w:type="first" r:id="rIdHouseFooter" />'
    '<w:pgSz w:w="11906" w:h="16838" />'
    '<w:pgMar w:top="1361" w:right="1134" w:bottom="1247" w:left="1134" w:header="680" w:footer="567" w:gutter="0" />'
    "<w:titlePg />"
    "</w:sectPr>"
)

RELATIONS = (
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Id="rIdHouseHeader" Target="header1.xml" />'
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Id="rIdHouseFirstHeader" Target="header2.xml" />'
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Id="rIdHouseFooter" Target="footer1.xml" />'
)

CONTENT_TYPES = (
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml" />'
    '<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml" />'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
)


def replace_style(styles: str, style: str) -> str:
    style_id = re.search(r'w:styleId="([^"]+)"', style).group(1)  # type: ignore[union-attr]
    pattern = re.compile(rf'<w:style\b[^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>', re.S)
    if pattern.search(styles):
        return pattern.sub(lambda _: style, styles, count=1)
    return styles.replace("</w:styles>", style + "</w:styles>")


def house_styles(styles: str) -> str:
    styles = re.sub(
        r"<w:docDefaults>.*?</w:docDefaults>",
        "<w:docDefaults><w:rPrDefault>"
        f"{run(SERIF, 10.5)}</w:rPrDefault><w:pPrDefault><w:pPr>{spacing(0, 0)}</w:pPr>"
        "</w:pPrDefault></w:docDefaults>",
        styles,
        flags=re.S,
    )
    for style in [*PARAGRAPH_STYLES, *CHARACTER_STYLES, TABLE_STYLE]:
        styles = replace_style(styles, style)
    return styles.replace('<w:basedOn w:val="" />', "")


def main() -> int:
    default = subprocess.run(
        ["pandoc", "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(default)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        parts = {i.filename: source.read(i) for i in source.infolist()}
        text = {n: d.decode("utf-8") for n, d in parts.items() if n.endswith((".xml", ".rels"))}
        text["word/styles.xml"] = house_styles(text["word/styles.xml"])
        theme = text["word/theme/theme1.xml"]
        theme = re.sub(r'(<a:majorFont><a:latin typeface=")[^"]*', rf"\g<1>{SANS}", theme)
        text["word/theme/theme1.xml"] = re.sub(
            r'(<a:minorFont><a:latin typeface=")[^"]*', rf"\g<1>{SERIF}", theme
        )
        text["word/document.xml"] = re.sub(
            r"<w:sectPr\s*/>|<w:sectPr>.*?</w:sectPr>",
            SECTION,
            text["word/document.xml"],
            flags=re.S,
        )
        rels = "word/_rels/document.xml.rels"
        text[rels] = text[rels].replace("</Relationships>", RELATIONS + "</Relationships>")
        text["[Content_Types].xml"] = text["[Content_Types].xml"].replace(
            "</Types>", CONTENT_TYPES + "</Types>"
        )
        text["word/header1.xml"], text["word/header2.xml"], text["word/footer1.xml"] = (
            HEADER,
            EMPTY_HEADER,
            FOOTER,
        )
        for name in [*parts, "word/header1.xml", "word/header2.xml", "word/footer1.xml"]:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, text[name].encode("utf-8") if name in text else parts[name])
    OUT.write_bytes(out.getvalue())
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
