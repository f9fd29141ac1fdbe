"""The inspection report as a Word file (.docx), for offices that edit and stamp it before filing."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from jiedu.supervision import report as content

FONT = "SimSun"
FONT_EAST_ASIA = "宋体"


def _set_fonts(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_EAST_ASIA)


def _table(document, rows: list[list[str]], *, headings: bool = True):
    if headings and len(rows) == 1:
        document.add_paragraph(_("None."))
        return None
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
            if headings and index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    return table


def inspection_report_docx(report: content.InspectionReport) -> bytes:
    document = Document()
    _set_fonts(document)
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(report.inspection.facility.name)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(_("1. The inspection"), level=1)
    _table(document, content.fact_rows(report), headings=False)
    if report.inspection.summary:
        document.add_paragraph(f"{_('Summary')}: {report.inspection.summary}")
    document.add_heading(_("2. Results by area"), level=1)
    _table(document, content.area_rows(report))
    document.add_heading(_("3. Standards not fully met"), level=1)
    _table(document, content.shortfall_rows(report))
    document.add_heading(_("4. Video sessions"), level=1)
    _table(document, content.session_rows(report))
    document.add_heading(_("5. Findings"), level=1)
    _table(document, content.finding_rows(report))
    document.add_paragraph()
    for left, right in content.signature_labels():
        document.add_paragraph(f"{left}：______________        {right}：______________")
    footer = document.add_paragraph(
        _("Printed by %(user)s at %(time)s") % {"user": report.printed_by, "time": content.moment(report.printed_at)}
    )
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
