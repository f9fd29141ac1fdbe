"""Safe reading of the two uploaded sheets: DingTalk check-ins and the health-code list.

Uploads come from outside the intranet's trust (exported on someone's phone or PC), so every
limit is checked before openpyxl sees the bytes, and openpyxl only runs with defusedxml, which
refuses entity-expansion ("billion laughs") and external-entity XML.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
# Sum of the unpacked sizes; a tiny zip must not unpack to gigabytes.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"

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


class SheetRefused(Exception):
    """The file as a whole cannot be read: not an xlsx, too large, missing columns."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


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


def _header_key(text) -> str:
    return re.sub(r"\s|（.*?）|\(.*?\)", "", str(text or "")).lower()


def _check_container(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SheetRefused(_("The file is larger than 5 MB."))
    if not data.startswith(ZIP_MAGIC):
        raise SheetRefused(_("This is not an Excel (.xlsx) file."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SheetRefused(_("This is not an Excel (.xlsx) file.")) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise SheetRefused(_("This is not an Excel (.xlsx) file."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetRefused(_("The file unpacks to more than 50 MB."))


def _rows(data: bytes):
    """The first sheet's rows as tuples of values, header first; refuses anything suspicious."""
    if not openpyxl.DEFUSEDXML:
        raise SheetRefused(_("Excel upload is disabled: the XML safety library is missing."))
    _check_container(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (defusedxml's refusals and every kind of broken workbook end up here)
        raise SheetRefused(_("The Excel file cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            if len(rows) > MAX_ROWS:
                raise SheetRefused(_("The file has more than 5000 rows."))
            rows.append(values)
    except SheetRefused:
        raise
    except Exception:  # noqa: BLE001  (a sheet broken past its header fails while rows are read)
        raise SheetRefused(_("The Excel file cannot be read.")) from None
    finally:
        workbook.close()
    return rows


def _columns(header, accepted: dict, required: tuple) -> dict[str, int]:
    keys = [_header_key(cell) for cell in header or ()]
    found = {}
    for field, texts in accepted.items():
        wanted = {_header_key(text) for text in texts}
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
    value = values[index] if index is not None and index < len(values) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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


def _data_rows(rows):
    for number, values in enumerate(rows[1:], start=2):
        if any(value not in (None, "") for value in values):
            yield number, values


def parse_dingtalk(data: bytes) -> tuple[list[DingTalkRow], list[RowError]]:
    rows = _rows(data)
    columns = _columns(rows[0] if rows else (), DINGTALK_HEADERS, DINGTALK_REQUIRED)
    parsed, errors = [], []
    for number, values in _data_rows(rows):
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
    for number, values in _data_rows(rows):
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
