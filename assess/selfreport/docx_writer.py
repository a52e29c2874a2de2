"""The self-assessment report as a Word document (python-docx)."""

from __future__ import annotations

from pathlib import Path

from assess.selfreport.content import ReportContent
from assess.selfreport.labels import verdict_word
from assess.selfreport.layout import blocks

#: East Asian font Word uses for the Chinese text (Word and LibreOffice substitute one they have).
EAST_ASIAN_FONT = "SimSun"
#: Colour of a stated verdict (RGB hex), as in the HTML reports.
VERDICT_COLOURS = {"pass": "116329", "warn": "7D4E00", "pending": "0A3069", "fail": "A40E26", "error": "A40E26"}


def _east_asian(style_or_run, font: str) -> None:
    from docx.oxml.ns import qn

    element = style_or_run.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _table(document, header, rows, widths=None):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    return table


def write_docx(content: ReportContent, path: Path, lang: str = "both") -> Path:
    """Write the report of ``content`` to ``path`` (.docx); return ``path``.

    Parameters
    ----------
    content : ReportContent
        From :func:`assess.selfreport.gather`.
    path : Path
        The file to write.
    lang : {"both", "zh", "en"}
        Chinese first with English, or one language.

    Returns
    -------
    Path
    """
    from datetime import datetime

    from docx import Document
    from docx.shared import Pt, RGBColor

    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        _east_asian(document.styles[name], EAST_ASIAN_FONT)
    document.styles["Normal"].font.size = Pt(10)
    properties = document.core_properties
    properties.title = f"{content.subject} {content.review_id}"
    properties.author = "assess"
    # The document's dates are the review's, so the same review gives the same document properties.
    when = datetime.strptime(content.ended or content.started, "%Y-%m-%d %H:%M UTC") if (content.ended or content.started) else None
    if when is not None:
        properties.created = properties.modified = when
    for block in blocks(content, lang):
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=block.level)
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "fields":
            table = _table(document, ("", ""), block.rows)
            table.rows[0]._tr.getparent().remove(table.rows[0]._tr)  # fields have no header row
            for row in table.rows:
                row.cells[0].paragraphs[0].runs[0].bold = True
                if block.verdict and row.cells[1].text == verdict_word(block.verdict, lang):
                    run = row.cells[1].paragraphs[0].runs[0]
                    run.bold = True
                    run.font.color.rgb = RGBColor.from_string(VERDICT_COLOURS.get(block.verdict, "000000"))
            document.add_paragraph()
        elif block.kind == "table":
            _table(document, block.header, block.rows)
            document.add_paragraph()
        elif block.kind == "signoff":
            for (label,) in block.rows:
                document.add_paragraph(f"{label}: ______________________________")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
