"""Safe reading of uploaded .xlsx files, shared by every importer (cross-check, standards catalogue).

Uploads come from outside the intranet's trust (exported on someone's phone or PC), so every
limit is checked before openpyxl sees the bytes, and openpyxl only runs with defusedxml, which
refuses entity-expansion ("billion laughs") and external-entity XML. The refusal messages name
the default limits below; callers may pass smaller ones (tests do).
"""

from __future__ import annotations

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


class SheetRefused(Exception):
    """The file as a whole cannot be read: not an xlsx, too large, missing columns."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class RowError:
    """One problem of one row: the spreadsheet's row number, the column's header, what is wrong."""

    row: int
    column: str
    message: str


def header_key(text) -> str:
    """A header cell compared loosely: without spaces and bracketed remarks, lower case."""
    return re.sub(r"\s|（.*?）|\(.*?\)", "", str(text or "")).lower()


def cell_text(value) -> str:
    """A cell as the text a person typed: 12.0 read back as "12", empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_container(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> None:
    if len(data) > max_bytes:
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
    if unpacked > max_unpacked_bytes:
        raise SheetRefused(_("The file unpacks to more than 50 MB."))


def read_rows(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> list[tuple]:
    """The first sheet's rows as tuples of values (at most ``max_columns`` + 1 wide), header
    included; refuses anything suspicious with SheetRefused."""
    if not openpyxl.DEFUSEDXML:
        raise SheetRefused(_("Excel upload is disabled: the XML safety library is missing."))
    check_container(data, max_bytes=max_bytes, max_unpacked_bytes=max_unpacked_bytes)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - defusedxml's refusals and every kind of broken workbook end up here
        raise SheetRefused(_("The Excel file cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(max_col=max_columns + 1, values_only=True):
            if len(rows) > max_rows:
                raise SheetRefused(_("The file has more than 5000 rows."))
            rows.append(values)
    except SheetRefused:
        raise
    except Exception:  # noqa: BLE001 - a sheet broken past its header fails while rows are read
        raise SheetRefused(_("The Excel file cannot be read.")) from None
    finally:
        workbook.close()
    return rows


def data_rows(rows, *, header_index: int = 0):
    """(spreadsheet row number, values) of the non-empty rows below the header."""
    for number, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if any(value not in (None, "") for value in values):
            yield number, values
