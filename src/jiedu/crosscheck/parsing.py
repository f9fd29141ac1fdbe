"""Reading the two uploaded sheets: DingTalk check-ins and the health-code list.

The file itself is read by ``common.xlsx_reading`` (size, zip, unpacked-size, row and column
caps; defusedxml); this module maps the columns and checks each row.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jiedu.common import xlsx_reading
from jiedu.common.xlsx_reading import RowError, SheetRefused

__all__ = ["RowError", "SheetRefused", "parse_dingtalk", "parse_healthcode"]

# The limits are read at call time, so a test (or a later setting) can lower them here.
MAX_BYTES = xlsx_reading.MAX_BYTES
MAX_ROWS = xlsx_reading.MAX_ROWS
MAX_COLUMNS = xlsx_reading.MAX_COLUMNS
MAX_UNPACKED_BYTES = xlsx_reading.MAX_UNPACKED_BYTES

# Accepted header texts per column, compared after removing spaces and brackets' contents.
DINGTALK_HEADERS = {
    "name": ("姓名", "名字", "name"),
    "police_number": ("工号/警号", "警号", "工号", "工号警号", "policenumber"),
    "phone": ("手机号", "手机", "手机号码", "电话", "联系电话", "phone"),
    "checked_at": ("打卡时间", "时间", "签到时间", "checkintime"),
    "place": ("打卡地点", "地点", "签到地点", "位置", "place"),
}
HEALTHCODE_HEADERS = {
    "name": ("姓名", "名字", "name"),
    "phone": ("手机号", "手机", "手机号码", "电话", "联系电话", "phone"),
    "colour": ("健康码颜色", "健康码", "颜色", "码色", "colour", "color"),
    "location": ("所在地/定位", "所在地", "定位", "所在地定位", "位置", "location"),
}
DINGTALK_REQUIRED = ("name", "checked_at", "place")
HEALTHCODE_REQUIRED = ("name", "phone", "colour", "location")

COLOURS = {"绿": "green", "绿码": "green", "黄": "yellow", "黄码": "yellow", "红": "red", "红码": "red"}
COLOURS.update({value: value for value in ("green", "yellow", "red")})
PHONE = re.compile(r"^1\d{10}$")
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%H:%M:%S", "%H:%M",
)  # fmt: skip


@dataclass(frozen=True)
class DingTalkRow:
    row: int
    name: str
    police_number: str
    phone: str
    checked_at: datetime.datetime | datetime.time
    place: str


@dataclass(frozen=True)
class HealthCodeRow:
    row: int
    name: str
    phone: str
    colour: str
    location: str


def _rows(data: bytes):
    """The first sheet's rows as tuples of values, header first; refuses anything suspicious."""
    return xlsx_reading.read_rows(
        data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_unpacked_bytes=MAX_UNPACKED_BYTES
    )


def _columns(header, accepted: dict, required: tuple) -> dict[str, int]:
    keys = [xlsx_reading.header_key(cell) for cell in header or ()]
    found = {}
    for field, texts in accepted.items():
        wanted = {xlsx_reading.header_key(text) for text in texts}
        for index, key in enumerate(keys):
            if key in wanted:
                found[field] = index
                break
    missing = [accepted[field][0] for field in required if field not in found]
    if missing:
        raise SheetRefused(_("Missing column(s): %(columns)s") % {"columns": "、".join(missing)})
    return found


def _text(values, columns, field) -> str:
    index = columns.get(field)
    return xlsx_reading.cell_text(values[index] if index is not None and index < len(values) else None)


def _phone(text: str, row: int, errors: list, *, required: bool) -> str:
    digits = re.sub(r"[\s-]", "", text)
    if not digits and not required:
        return ""
    if not PHONE.match(digits):
        errors.append(RowError(row, "手机号", _("Not a mobile phone number.")))
    return digits


def _time(value, row: int, errors: list):
    if isinstance(value, datetime.datetime | datetime.time):
        return value
    text = str(value or "").strip()
    for pattern in TIME_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.time() if "%Y" not in pattern else parsed
    errors.append(RowError(row, "打卡时间", _("The check-in time cannot be read.")))
    return None


def parse_dingtalk(data: bytes) -> tuple[list[DingTalkRow], list[RowError]]:
    rows = _rows(data)
    columns = _columns(rows[0] if rows else (), DINGTALK_HEADERS, DINGTALK_REQUIRED)
    parsed, errors = [], []
    for number, values in xlsx_reading.data_rows(rows):
        before = len(errors)
        name = _text(values, columns, "name")
        if not name:
            errors.append(RowError(number, "姓名", _("The name is missing.")))
        phone = _phone(_text(values, columns, "phone"), number, errors, required=False)
        index = columns["checked_at"]
        checked_at = _time(values[index] if index < len(values) else None, number, errors)
        if len(errors) == before:
            parsed.append(
                DingTalkRow(number, name, _text(values, columns, "police_number"), phone, checked_at,
                            _text(values, columns, "place"))
            )  # fmt: skip
    return parsed, errors


def parse_healthcode(data: bytes) -> tuple[list[HealthCodeRow], list[RowError]]:
    rows = _rows(data)
    columns = _columns(rows[0] if rows else (), HEALTHCODE_HEADERS, HEALTHCODE_REQUIRED)
    parsed, errors = [], []
    for number, values in xlsx_reading.data_rows(rows):
        before = len(errors)
        name = _text(values, columns, "name")
        if not name:
            errors.append(RowError(number, "姓名", _("The name is missing.")))
        phone = _phone(_text(values, columns, "phone"), number, errors, required=True)
        colour = COLOURS.get(_text(values, columns, "colour").lower())
        if colour is None:
            errors.append(RowError(number, "健康码颜色", _("Unknown health-code colour.")))
        if len(errors) == before:
            parsed.append(HealthCodeRow(number, name, phone, colour, _text(values, columns, "location")))
    return parsed, errors
