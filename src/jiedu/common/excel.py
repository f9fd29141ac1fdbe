"""Ledger exports as .xlsx: Chinese headers, every field, a line saying who exported when.

Callers pass already-masked values for personal identifiers (people.presentation); this module
never sees who may reveal what. Cells that start with = + - @ are written as text so a spreadsheet
never evaluates what a user typed (formula injection). An approved bulk export of personal data
carries a watermark (who, when, which approval) in the first row and in every printed page's
header and footer (privacy/approval.py, PI-03).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_PREFIXES = ("=", "+", "-", "@")


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    if value is None:
        return ""
    return value if isinstance(value, (int, float, datetime.date)) else str(value)


def build_workbook(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence], exported_by: str, watermark: str = ""
) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([f"{title}  ·  {exported_by}  ·  {timezone.localtime():%Y-%m-%d %H:%M}"])
    sheet.append([str(h) for h in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = min(50, max(widths[i], len(str(value)) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    if watermark:
        _stamp(sheet, watermark)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _stamp(sheet, text: str) -> None:
    """A first row and the print header and footer saying ``text`` (the rows below move down one)."""
    frozen = sheet.freeze_panes
    sheet.insert_rows(1)
    sheet["A1"] = text
    sheet["A1"].font = Font(bold=True, color="C00000")
    if frozen:
        column, row = coordinate_from_string(frozen)
        sheet.freeze_panes = f"{column}{row + 1}"
    printed = (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader, sheet.oddFooter, sheet.evenFooter, sheet.firstFooter)
    for header_or_footer in printed:
        header_or_footer.center.text = text.replace("&", "&&")  # "&" starts a code in header text


def add_watermark(content: bytes, text: str) -> bytes:
    """Stamp an already built workbook (every sheet) with ``text``."""
    book = load_workbook(BytesIO(content))
    for sheet in book.worksheets:
        _stamp(sheet, text)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence], user, watermark: str = ""
) -> HttpResponse:
    """An attachment download; ``filename`` may be Chinese (RFC 5987 encoding)."""
    content = build_workbook(title=title, headers=headers, rows=rows, exported_by=str(user), watermark=watermark)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=export.xlsx; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
