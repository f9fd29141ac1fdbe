"""Target-management scoring (目标管理考核) of one facility for one year, as pure functions.

The score has two parts, and every point of it is a line:

- inspection part = scheme.inspection_points × earned / applicable maximum, over the facility's
  results in the year's standardisation inspections (completed ones). A standard scored in several
  inspections counts once, by its latest result; points above a standard's maximum count as the
  maximum; a standard found not applicable adds nothing to either side. Without any applicable
  result the facility is flagged "not inspected" and the part is 0 (one line says so);
- rectification part = (full marks − inspection points) minus, for each finding of the year:
  an open one (neither rectified nor withdrawn) by its severity, plus the overdue extra once its
  deadline has passed; a finding rectified after its deadline the late deduction (never more than
  it would cost left open and overdue, so rectifying never lowers a score). The part never
  falls below 0: a last line gives back what the deductions take beyond it.

Rectified, overdue and on time are ``findings.rates``' definitions. The lines sum to the total.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiedu.findings import rates

CENT = Decimal("0.01")
ZERO = Decimal("0")

# Line kinds, in the order a breakdown lists them.
INSPECTION = "inspection"
NOT_INSPECTED = "not_inspected"
RECTIFICATION = "rectification"
OPEN = "open"
LATE = "late"
FLOOR = "floor"
INSPECTION_PART = frozenset({INSPECTION, NOT_INSPECTED})


@dataclass(frozen=True)
class Scheme:
    full_marks: Decimal = Decimal("100")
    inspection_points: Decimal = Decimal("70")
    open_general: Decimal = Decimal("0.5")
    open_serious: Decimal = Decimal("1")
    open_major: Decimal = Decimal("2")
    overdue: Decimal = Decimal("1")
    late_rectified: Decimal = Decimal("0.2")

    @property
    def rectification_points(self) -> Decimal:
        return self.full_marks - self.inspection_points

    def open_deduction(self, severity: str) -> Decimal:
        return {"general": self.open_general, "serious": self.open_serious, "major": self.open_major}[
            severity
        ]


@dataclass(frozen=True)
class Result:
    """One standard's points in one completed inspection; ``points`` None when not applicable."""

    standard_id: int
    max_points: Decimal
    points: Decimal | None
    inspected_on: datetime.date
    inspection_id: int = 0


@dataclass(frozen=True)
class FindingFact:
    finding_id: int
    title: str
    severity: str  # general, serious, major
    status: str
    found_on: datetime.date
    deadline: datetime.date
    rectified_on: datetime.date | None = None

    @property
    def facts(self) -> rates.FindingFacts:
        return rates.FindingFacts(status=self.status, deadline=self.deadline, rectified_on=self.rectified_on)


@dataclass(frozen=True)
class Line:
    kind: str
    points: Decimal  # signed: what the line adds to the total, in hundredths
    text: str
    finding_id: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "points", _cents(self.points))

    @property
    def part(self) -> str:
        return INSPECTION if self.kind in INSPECTION_PART else RECTIFICATION


@dataclass(frozen=True)
class FacilityScore:
    inspection_part: Decimal
    rectification_part: Decimal
    total: Decimal
    not_inspected: bool
    earned: Decimal  # inspection points earned, out of ``applicable``
    applicable: Decimal
    rates: rates.Rates
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def deductions(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.finding_id is not None)


def _cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value: Decimal) -> str:
    """2.00 → "2", 0.50 → "0.5", 59.85 → "59.85": as the lines print points."""
    text = format(_cents(value), "f").rstrip("0").rstrip(".")
    return text or "0"


def latest_results(results: Iterable[Result]) -> dict[int, Result]:
    """Per standard, the result of the latest inspection (by day, then by inspection)."""
    latest: dict[int, Result] = {}
    for result in results:
        current = latest.get(result.standard_id)
        if current is None or (result.inspected_on, result.inspection_id) > (
            current.inspected_on,
            current.inspection_id,
        ):
            latest[result.standard_id] = result
    return latest


def _severity_label(severity: str) -> str:
    labels = {
        "general": pgettext("finding severity", "general"),
        "serious": pgettext("finding severity", "serious"),
        "major": pgettext("finding severity", "major hazard"),
    }
    return labels.get(severity, severity)


def _inspection_lines(scheme: Scheme, results: Iterable[Result]) -> tuple[Decimal, Decimal, Decimal, Line]:
    counted = [r for r in latest_results(results).values() if r.points is not None and r.max_points > 0]
    earned = sum((min(max(r.points, ZERO), r.max_points) for r in counted), ZERO)
    applicable = sum((r.max_points for r in counted), ZERO)
    if applicable == 0:
        text = _("Not inspected: no standardisation inspection result this year, 0 of %(points)s points.") % {
            "points": _number(scheme.inspection_points)
        }
        return _cents(ZERO), ZERO, ZERO, Line(NOT_INSPECTED, ZERO, text)
    part = _cents(scheme.inspection_points * earned / applicable)
    text = _(
        "Inspection results: %(earned)s of %(applicable)s points on %(standards)d standards × %(points)s = %(part)s"
    ) % {
        "earned": _number(earned), "applicable": _number(applicable), "standards": len(counted),
        "points": _number(scheme.inspection_points), "part": _number(part),
    }  # fmt: skip
    return part, earned, applicable, Line(INSPECTION, part, text)


def deduction(scheme: Scheme, finding: FindingFact, as_of: datetime.date) -> Line | None:
    """The one line a finding costs, or None when it costs nothing."""
    facts = finding.facts
    if not rates.counts_as_found(facts):
        return None
    severity = _severity_label(finding.severity)
    values = {"title": finding.title, "severity": severity}
    if rates.is_rectified(facts):
        if rates.is_on_time(facts):
            return None
        days = (finding.rectified_on - finding.deadline).days if finding.rectified_on else 0
        # Rectifying late never costs more than the finding would cost left open and overdue.
        points = min(scheme.late_rectified, scheme.open_deduction(finding.severity) + scheme.overdue)
        if points == 0:
            return None
        text = _("Problem: %(title)s (%(severity)s, rectified %(days)d days late) −%(points)s")
        return Line(
            LATE, -points, text % {**values, "days": days, "points": _number(points)}, finding.finding_id
        )
    points = scheme.open_deduction(finding.severity)
    if rates.is_overdue(facts, as_of):
        points += scheme.overdue
        days = (as_of - finding.deadline).days
        text = _("Problem: %(title)s (%(severity)s, %(days)d days overdue) −%(points)s")
        values["days"] = days
    else:
        text = _("Problem: %(title)s (%(severity)s, open, due %(deadline)s) −%(points)s")
        values["deadline"] = finding.deadline.isoformat()
    if points == 0:
        return None
    return Line(OPEN, -points, text % {**values, "points": _number(points)}, finding.finding_id)


def score_facility(
    scheme: Scheme, results: Iterable[Result], findings: Iterable[FindingFact], as_of: datetime.date
) -> FacilityScore:
    """The year's score of one facility with every line; ``findings`` are the year's findings."""
    findings = sorted(findings, key=lambda f: (f.found_on, f.finding_id))
    inspection_part, earned, applicable, inspection_line = _inspection_lines(scheme, results)
    base = scheme.rectification_points
    lines = [
        inspection_line,
        Line(RECTIFICATION, base, _("Rectification part: %(points)s points") % {"points": _number(base)}),
    ]
    deductions = [line for line in (deduction(scheme, f, as_of) for f in findings) if line is not None]
    lines += deductions
    taken = -sum((line.points for line in deductions), ZERO)
    rectification_part = max(base - taken, ZERO)
    if taken > base:
        lines.append(
            Line(
                FLOOR, taken - base,
                _("Deductions beyond the rectification part's %(points)s points are not counted: +%(excess)s")
                % {"points": _number(base), "excess": _number(taken - base)},
            )
        )  # fmt: skip
    rectification_part = _cents(rectification_part)
    return FacilityScore(
        inspection_part=inspection_part, rectification_part=rectification_part,
        total=inspection_part + rectification_part, not_inspected=applicable == 0, earned=earned,
        applicable=applicable, rates=rates.rates((f.facts for f in findings), as_of), lines=tuple(lines),
    )  # fmt: skip


def rank(scores: Iterable[FacilityScore]) -> list[int]:
    """Competition ranking (1, 1, 3 …) by total, in the order given: equal totals share a rank."""
    totals = [score.total for score in scores]
    first: dict[Decimal, int] = {}
    for position, total in enumerate(sorted(totals, reverse=True), start=1):
        first.setdefault(total, position)
    return [first[total] for total in totals]
