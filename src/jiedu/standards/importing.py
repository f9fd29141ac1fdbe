"""Reading a filled-in catalogue template (.xlsx) for the dry run: every bad row, or the rows to save.

The file is read by ``common.xlsx_reading`` (size, zip magic, unpacked-size, row and column
caps, defusedxml). The header row may sit below a title line (our own exports start with one),
so it is looked for in the first rows; columns are found by their Chinese headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jiedu.common import xlsx_reading
from jiedu.common.xlsx_reading import RowError, SheetRefused
from jiedu.standards import domain

HEADER_SEARCH_ROWS = 5
MAX_ROWS = 2000  # a catalogue has about a hundred standards


@dataclass(frozen=True)
class AreaSummary:
    code: str
    name: str
    count: int
    points: Decimal
    is_new: bool


@dataclass
class ImportCheck:
    """The dry run: the rows that would be saved (only when there is no error) and every error."""

    rows: list[domain.StandardRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    areas: list[AreaSummary] = field(default_factory=list)
    new_standards: int = 0
    updated_standards: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def total_points(self) -> Decimal:
        return sum((row.max_points for row in self.rows), Decimal("0"))


def _header_row(rows) -> tuple[int, dict[str, int]]:
    wanted = {xlsx_reading.header_key(header): name for name, header in domain.COLUMNS}
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {}
        for position, cell in enumerate(values or ()):
            name = wanted.get(xlsx_reading.header_key(cell))
            if name is not None and name not in found:
                found[name] = position
        if "code" in found:
            missing = [domain.HEADERS[name] for name in domain.REQUIRED if name not in found]
            if missing:
                raise SheetRefused(_("Missing column(s): %(columns)s") % {"columns": "、".join(missing)})
            return index, found
    raise SheetRefused(_("No header row with the column 标准编号 in the first rows: use the template."))


def _cell(values, position: int | None):
    if position is None or position >= len(values):
        return None
    value = values[position]
    if isinstance(value, float):  # points typed as numbers: 2.5 stays 2.5, not 2.4999…
        return repr(value) if not value.is_integer() else str(int(value))
    return xlsx_reading.cell_text(value)


def read_template(data: bytes) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {field: text}) for every non-empty row below the header."""
    rows = xlsx_reading.read_rows(data, max_rows=MAX_ROWS)
    header_index, columns = _header_row(rows)
    return [
        (number, {name: _cell(values, columns.get(name)) for name, _header in domain.COLUMNS})
        for number, values in xlsx_reading.data_rows(rows, header_index=header_index)
    ]


def check_upload(data: bytes, *, existing_areas: Mapping[str, str], existing_codes: set[str]) -> ImportCheck:
    """The dry run of an upload into a draft with these areas (code → name) and standard codes.

    Raises SheetRefused when the file as a whole cannot be used.
    """
    numbered = read_template(data)
    if not numbered:
        raise SheetRefused(_("The file has no standards."))
    rows, problems = domain.check_rows(numbered, existing_areas)
    errors = [RowError(p.row, domain.HEADERS.get(p.field, p.field), str(p.message)) for p in problems]
    if errors:
        return ImportCheck(errors=errors)
    areas = [
        AreaSummary(total.code, total.name, total.count, total.points, total.code not in existing_areas)
        for total in domain.totals_by_area(rows)
    ]
    new = sum(1 for row in rows if row.code not in existing_codes)
    return ImportCheck(rows=rows, areas=areas, new_standards=new, updated_standards=len(rows) - new)


def rows_to_session(rows: list[domain.StandardRow]) -> list[dict]:
    return [{**row.as_dict(), "max_points": str(row.max_points)} for row in rows]
