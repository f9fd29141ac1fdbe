"""The catalogue as the Excel template: one row per standard, Chinese headers, importable again.

The headers are the file format (``domain.COLUMNS``), not UI text, so they are not translated.
Points are written as numbers, so a spreadsheet can sum them.
"""

from jiedu.standards import domain

HEADERS = [header for _name, header in domain.COLUMNS]


def _points(value):
    return int(value) if value == int(value) else float(value)


def export_row(row: domain.StandardRow) -> list:
    return [_points(row.max_points) if name == "max_points" else getattr(row, name) for name in domain.COLUMN_ORDER]
