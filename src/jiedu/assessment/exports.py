"""The year's ranking as a workbook: the ranking on the first sheet, every line on the second."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from jiedu.common.excel import XLSX, _cell, build_workbook

RANKING_HEADERS = (
    gettext_lazy("Rank"), gettext_lazy("Facility"), gettext_lazy("Inspection part"),
    gettext_lazy("Rectification part"), gettext_lazy("Total"), gettext_lazy("Not inspected"),
    gettext_lazy("Findings"), gettext_lazy("Rectified"), gettext_lazy("Rectification rate (%)"),
    gettext_lazy("Overdue"),
)  # fmt: skip
LINE_HEADERS = (
    gettext_lazy("Facility"), gettext_lazy("Part"), gettext_lazy("Points"), gettext_lazy("Line"),
    gettext_lazy("Finding no."),
)  # fmt: skip


def ranking_row(row) -> list:
    score = row.score
    rate = score.rates.rectification_rate
    return [
        row.rank if row.rank is not None else "", row.facility.short_name, float(score.inspection_part),
        float(score.rectification_part), float(score.total), _("Yes") if score.not_inspected else "",
        score.rates.found, score.rates.rectified, float(rate) if rate is not None else "", score.rates.overdue,
    ]  # fmt: skip


def line_rows(ranking):
    parts = {"inspection": _("Inspection part"), "rectification": _("Rectification part")}
    for row in ranking.rows:
        for line in row.score.lines:
            yield [
                row.facility.short_name,
                parts[line.part],
                float(line.points),
                line.text,
                line.finding_id or "",
            ]


def ranking_workbook(ranking, *, exported_by: str) -> bytes:
    """Two sheets: the ranking (build_workbook's layout) and a second sheet of every line."""
    title = _("Target-management assessment %(year)d") % {"year": ranking.year}
    content = build_workbook(
        title=title,
        headers=RANKING_HEADERS,
        rows=(ranking_row(r) for r in ranking.rows),
        exported_by=exported_by,
    )
    book = load_workbook(BytesIO(content))
    sheet = book.create_sheet(str(_("Deduction lines"))[:31])
    sheet.append([str(h) for h in LINE_HEADERS])
    for values in line_rows(ranking):
        sheet.append([_cell(v) for v in values])
    sheet.column_dimensions["D"].width = 80
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ranking_response(ranking, *, user) -> HttpResponse:
    content = ranking_workbook(ranking, exported_by=str(user))
    filename = f"{_('Target-management assessment')}-{ranking.year}-{timezone.localdate().isoformat()}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=export.xlsx; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
