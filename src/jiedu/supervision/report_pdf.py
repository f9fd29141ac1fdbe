"""The inspection report as PDF, laid out like the isolation hand-over sheet (same font setting).

The CJK font comes from the JIEDU_PDF_FONT setting; without it there is no PDF (FontMissing)
and the page says so; the Word file needs no font on the server.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf import FPDF

from jiedu.common.pdf import FAMILY, HEADING, new_document
from jiedu.supervision import report as content


def _pdf() -> FPDF:
    return new_document()


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, size=12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=9)


def _table(pdf: FPDF, rows: list[list[str]], widths: tuple[int, ...], *, headings: bool = True) -> None:
    if headings and len(rows) == 1:
        pdf.cell(0, 6, _("None."), new_x="LMARGIN", new_y="NEXT")
        return
    with pdf.table(
        col_widths=widths, headings_style=HEADING, first_row_as_headings=headings, text_align="LEFT",
        line_height=5, padding=(1, 1.5),
    ) as table:  # fmt: skip
        for row in rows:
            table.row([str(cell) for cell in row])


def inspection_report_pdf(report: content.InspectionReport) -> bytes:
    pdf = _pdf()
    pdf.set_font(FAMILY, size=16)
    pdf.cell(0, 10, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=11)
    pdf.cell(0, 7, report.inspection.facility.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=9)
    _heading(pdf, _("1. The inspection"))
    _table(pdf, content.fact_rows(report), (22, 68, 22, 68), headings=False)
    if report.inspection.summary:
        pdf.ln(1)
        pdf.multi_cell(0, 5, f"{_('Summary')}: {report.inspection.summary}", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, _("2. Results by area"))
    _table(pdf, content.area_rows(report), (64, 28, 28, 32, 28))
    _heading(pdf, _("3. Standards not fully met"))
    _table(pdf, content.shortfall_rows(report), (16, 60, 20, 24, 60))
    _heading(pdf, _("4. Video sessions"))
    _table(pdf, content.session_rows(report), (40, 36, 36, 22, 28, 18))
    _heading(pdf, _("5. Findings"))
    _table(pdf, content.finding_rows(report), (56, 18, 20, 36, 26, 24))
    pdf.ln(6)
    pdf.set_font(FAMILY, size=11)
    line = "______________"
    for left, right in content.signature_labels():
        pdf.cell(90, 9, f"{left} {line}")
        pdf.cell(0, 9, f"{right} {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8)
    pdf.set_text_color(97, 110, 124)
    printed = {"user": report.printed_by, "time": content.moment(report.printed_at)}
    pdf.cell(0, 5, _("Printed by %(user)s at %(time)s") % printed, align="R")
    return bytes(pdf.output())
