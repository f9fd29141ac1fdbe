"""The catalogue's rules as pure functions: one row checked, two versions compared, totals by area.

A catalogue row is one standard with its area, as it appears in the Excel template and in the
database alike, so the importer, the editing forms and the version diff share one vocabulary.
Points are Decimals with at most one decimal place, more than 0 and at most 100 per standard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

MAX_POINTS = Decimal("100")
ONE_DECIMAL = Decimal("0.1")
# Column widths of the model, so an import never fails on the database with a vague message.
MAX_LENGTHS = {"area_code": 10, "area_name": 40, "code": 20, "title": 200}
REQUIRED = ("area_code", "area_name", "code", "title", "requirement", "check_method", "max_points", "scoring_rule")
# Compared between versions (area by code and name: moving a standard is a change).
COMPARED = (
    "area_code", "area_name", "title", "requirement", "check_method", "max_points", "scoring_rule",
    "expected_evidence", "legal_basis",
)  # fmt: skip


# The Excel template's columns, in order: (field, Chinese header). The headers are the file
# format, not UI text: they stay Chinese whatever the interface language, so a file exported
# in one language imports in the other.
COLUMNS = (
    ("area_code", "方面编号"),
    ("area_name", "方面名称"),
    ("code", "标准编号"),
    ("title", "标准名称"),
    ("requirement", "建设要求"),
    ("check_method", "检查方法"),
    ("max_points", "分值"),
    ("scoring_rule", "评分规则"),
    ("expected_evidence", "应备佐证材料"),
    ("legal_basis", "依据"),
)
COLUMN_ORDER = [name for name, _header in COLUMNS]
HEADERS = dict(COLUMNS)


@dataclass(frozen=True)
class StandardRow:
    area_code: str
    area_name: str
    code: str
    title: str
    requirement: str
    check_method: str
    max_points: Decimal
    scoring_rule: str
    expected_evidence: str = ""
    legal_basis: str = ""

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def parse_points(value, *, allow_zero: bool = False, maximum: Decimal = MAX_POINTS) -> tuple[Decimal | None, str]:
    """A number of points from a cell, a form or JSON: (value, "") or (None, message).

    Points have at most one decimal place (0.5-point deductions are common); ``allow_zero`` for
    a score awarded, never for a standard's maximum.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("Enter the points.")
    if isinstance(value, bool):
        return None, _("Enter a number.")
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        return None, _("Enter a number.")
    if not points.is_finite():
        return None, _("Enter a number.")
    if points < 0:
        return None, _("The points cannot be negative.")
    if points > maximum:
        return None, _("At most %(max)s points.") % {"max": format_points(maximum)}
    if points != points.quantize(ONE_DECIMAL, rounding=ROUND_DOWN):
        return None, _("At most one decimal place.")
    if points == 0 and not allow_zero:
        return None, _("The points must be more than 0.")
    return points.quantize(ONE_DECIMAL), ""


def format_points(points: Decimal) -> str:
    """5 → "5", 2.5 → "2.5": how points are written in the catalogue."""
    text = format(Decimal(points).quantize(ONE_DECIMAL), "f")
    return text[:-2] if text.endswith(".0") else text


def check_row(values: Mapping[str, object]) -> tuple[StandardRow | None, list[Problem]]:
    """One catalogue row from loose values (text cells, form input): the row, or every problem."""
    problems: list[Problem] = []
    texts = {}
    for name in (f.name for f in fields(StandardRow)):
        if name == "max_points":
            continue
        raw = values.get(name)
        text = "" if raw is None else str(raw).strip()
        if name in ("area_code", "code") and text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a code typed as a number in Excel
        texts[name] = text
        if name in REQUIRED and not text:
            problems.append(Problem(name, _("This column is required.")))
        elif name in MAX_LENGTHS and len(text) > MAX_LENGTHS[name]:
            problems.append(
                Problem(name, _("At most %(n)d characters.") % {"n": MAX_LENGTHS[name]})
            )
    points, message = parse_points(values.get("max_points"))
    if message:
        problems.append(Problem("max_points", message))
    if problems:
        return None, problems
    return StandardRow(max_points=points, **texts), []


@dataclass(frozen=True)
class NumberedProblem:
    row: int
    field: str
    message: str


def check_rows(
    numbered: Iterable[tuple[int, Mapping[str, object]]], existing_areas: Mapping[str, str] | None = None
) -> tuple[list[StandardRow], list[NumberedProblem]]:
    """Every row of an import, each checked alone and against the others and the draft's areas.

    ``existing_areas`` maps the draft's area codes to names. A standard code appears once; an
    area code has one name, and an area name one code, across the file and the draft. Returns
    the good rows only when there is no problem at all (an import is all or nothing).
    """
    good: list[tuple[int, StandardRow]] = []
    problems: list[NumberedProblem] = []
    for number, values in numbered:
        row, row_problems = check_row(values)
        problems.extend(NumberedProblem(number, p.field, p.message) for p in row_problems)
        if row is not None:
            good.append((number, row))
    seen_codes: dict[str, int] = {}
    area_names = dict(existing_areas or {})
    area_codes = {name: code for code, name in area_names.items()}
    file_areas: dict[str, str] = {}
    for number, row in good:
        if row.code in seen_codes:
            message = _("The standard code is already used in row %(row)d.") % {"row": seen_codes[row.code]}
            problems.append(NumberedProblem(number, "code", message))
        seen_codes.setdefault(row.code, number)
        named = file_areas.get(row.area_code)
        if named is not None and named != row.area_name:
            message = _("Area %(code)s is named “%(name)s” in an earlier row.") % {
                "code": row.area_code, "name": named,
            }  # fmt: skip
            problems.append(NumberedProblem(number, "area_name", message))
            continue
        file_areas[row.area_code] = row.area_name
        owner = area_codes.get(row.area_name)
        if owner is not None and owner != row.area_code:
            message = _("The area name is already used by area %(code)s.") % {"code": owner}
            problems.append(NumberedProblem(number, "area_name", message))
            continue
        if area_names.get(row.area_code) not in (None, row.area_name):
            # Renaming an area of the draft: its old name is free again, the new one taken.
            area_codes.pop(area_names[row.area_code], None)
        area_names[row.area_code] = row.area_name
        area_codes[row.area_name] = row.area_code
    problems.sort(key=lambda p: (p.row, COLUMN_ORDER.index(p.field) if p.field in COLUMN_ORDER else 99))
    return ([row for _number, row in good] if not problems else []), problems


@dataclass(frozen=True)
class Change:
    code: str
    old: StandardRow
    new: StandardRow
    fields: tuple[str, ...]


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[StandardRow, ...]
    removed: tuple[StandardRow, ...]
    changed: tuple[Change, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def changed_fields(old: StandardRow, new: StandardRow) -> tuple[str, ...]:
    return tuple(name for name in COMPARED if getattr(old, name) != getattr(new, name))


def diff_versions(old: Iterable[StandardRow], new: Iterable[StandardRow]) -> VersionDiff:
    """What changed from ``old`` to ``new``, standard by standard (keyed by code), in ``new``'s
    order for added and changed standards and ``old``'s order for removed ones."""
    before = {row.code: row for row in old}
    after = {row.code: row for row in new}
    added = tuple(row for code, row in after.items() if code not in before)
    removed = tuple(row for code, row in before.items() if code not in after)
    changed = tuple(
        Change(code, before[code], row, changed_fields(before[code], row))
        for code, row in after.items()
        if code in before and changed_fields(before[code], row)
    )
    return VersionDiff(added=added, removed=removed, changed=changed)


@dataclass(frozen=True)
class AreaTotal:
    code: str
    name: str
    count: int
    points: Decimal


def totals_by_area(rows: Iterable[StandardRow]) -> list[AreaTotal]:
    """Standards and maximum points per area, areas in the order they first appear."""
    counts: dict[tuple[str, str], list] = {}
    for row in rows:
        entry = counts.setdefault((row.area_code, row.area_name), [0, Decimal("0")])
        entry[0] += 1
        entry[1] += row.max_points
    return [AreaTotal(code, name, count, points) for (code, name), (count, points) in counts.items()]


@dataclass(frozen=True)
class Score:
    """One standard of a self-assessment: its area and maximum, and the points given (None: not yet)."""

    area_code: str
    max_points: Decimal
    points: Decimal | None


@dataclass(frozen=True)
class ScoreTotal:
    area_code: str
    max_points: Decimal
    points: Decimal
    scored: int
    count: int

    @property
    def percent(self) -> Decimal:
        """Points given as a share of the maximum of the whole area, one decimal place."""
        if not self.max_points:
            return Decimal("0.0")
        return (self.points * 100 / self.max_points).quantize(ONE_DECIMAL)

    @property
    def complete(self) -> bool:
        return self.scored == self.count


def score_totals(scores: Iterable[Score]) -> tuple[list[ScoreTotal], ScoreTotal]:
    """Totals per area (in order of first appearance) and for the whole assessment."""
    areas: dict[str, list] = {}
    for score in scores:
        entry = areas.setdefault(score.area_code, [Decimal("0"), Decimal("0"), 0, 0])
        entry[0] += score.max_points
        entry[1] += score.points or 0
        entry[2] += score.points is not None
        entry[3] += 1
    per_area = [ScoreTotal(code, *values) for code, values in areas.items()]
    overall = ScoreTotal(
        "",
        sum((t.max_points for t in per_area), Decimal("0")),
        sum((t.points for t in per_area), Decimal("0")),
        sum(t.scored for t in per_area),
        sum(t.count for t in per_area),
    )
    return per_area, overall


def check_score(points, max_points: Decimal) -> tuple[Decimal | None, str]:
    """Points given to one standard: between 0 and its maximum, one decimal place."""
    return parse_points(points, allow_zero=True, maximum=max_points)
