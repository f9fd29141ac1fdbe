"""Hygiene boards (光荣榜、曝光台) from a period's inspections, as pure functions.

For each department inspected in the period: the average score (rounded half up to one decimal,
as the board prints it), the number of inspections and the lowest score. Then:

- exposure board (曝光台): the average lies below the exposure threshold, or any single
  inspection scored below ``FAIL_SCORE`` (60, a failed inspection);
- honour roll (光荣榜): not exposed, the average reaches the honour threshold, and no single
  inspection lies below the exposure threshold;
- everyone else is not listed, nor is a department without inspections in the period.

So a department is on at most one list, and the thresholds are compared with the printed average.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HONOUR = "honour"
EXPOSURE = "exposure"
FAIL_SCORE = Decimal("60")
MAX_SCORE = Decimal("100")
ONE_DECIMAL = Decimal("0.1")
REASON_LENGTH = 200
FAILED_DAYS_SHOWN = 3


@dataclass(frozen=True)
class Thresholds:
    honour: Decimal = Decimal("95")
    exposure: Decimal = Decimal("75")

    @property
    def is_valid(self) -> bool:
        return Decimal("0") <= self.exposure < self.honour <= MAX_SCORE


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Mark:
    """One inspection: which department, when, what score."""

    department_id: int
    inspected_on: datetime.date
    score: Decimal


@dataclass(frozen=True)
class DepartmentAverage:
    department_id: int
    average: Decimal
    inspections: int
    lowest: Decimal
    failed_on: tuple[tuple[datetime.date, Decimal], ...]  # inspections below FAIL_SCORE, by date


@dataclass(frozen=True)
class Listing:
    department_id: int
    board: str  # HONOUR or EXPOSURE
    average: Decimal
    inspections: int
    reason: str


def round_score(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def averages(marks: Iterable[Mark]) -> dict[int, DepartmentAverage]:
    """Per department with at least one inspection, in department id order."""
    grouped: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        grouped[mark.department_id].append(mark)
    result = {}
    for department_id in sorted(grouped):
        own = grouped[department_id]
        scores = [Decimal(m.score) for m in own]
        failed = tuple(sorted((m.inspected_on, Decimal(m.score)) for m in own if m.score < FAIL_SCORE))
        result[department_id] = DepartmentAverage(
            department_id=department_id,
            average=round_score(sum(scores) / len(scores)),
            inspections=len(scores),
            lowest=min(scores),
            failed_on=failed,
        )
    return result


def is_exposed(row: DepartmentAverage, thresholds: Thresholds) -> bool:
    return row.average < thresholds.exposure or bool(row.failed_on)


def is_honoured(row: DepartmentAverage, thresholds: Thresholds) -> bool:
    return (
        not is_exposed(row, thresholds)
        and row.average >= thresholds.honour
        and row.lowest >= thresholds.exposure
    )


def _number(value: Decimal) -> str:
    """98.0 → "98", 97.5 → "97.5": as a board prints a score."""
    text = format(round_score(Decimal(value)), "f")
    return text[:-2] if text.endswith(".0") else text


def honour_reason(row: DepartmentAverage) -> str:
    return _("Average %(average)s over %(count)d inspections, lowest %(lowest)s.") % {
        "average": _number(row.average), "count": row.inspections, "lowest": _number(row.lowest),
    }  # fmt: skip


def exposure_reason(row: DepartmentAverage, thresholds: Thresholds) -> str:
    parts = []
    if row.average < thresholds.exposure:
        parts.append(
            _("Average %(average)s over %(count)d inspections, below %(threshold)s.")
            % {
                "average": _number(row.average),
                "count": row.inspections,
                "threshold": _number(thresholds.exposure),
            }
        )
    for day, score in row.failed_on[:FAILED_DAYS_SHOWN]:
        parts.append(
            _("Inspection of %(day)s failed with %(score)s.")
            % {"day": day.strftime("%m-%d"), "score": _number(score)}
        )
    if len(row.failed_on) > FAILED_DAYS_SHOWN:
        parts.append(_("%(n)d more failed inspections.") % {"n": len(row.failed_on) - FAILED_DAYS_SHOWN})
    return " ".join(parts)[:REASON_LENGTH]


def board(marks: Iterable[Mark], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Listing]:
    """The honour roll (best first), then the exposure board (worst first)."""
    rows = averages(marks).values()
    honoured = sorted(
        (r for r in rows if is_honoured(r, thresholds)), key=lambda r: (-r.average, r.department_id)
    )
    exposed = sorted(
        (r for r in rows if is_exposed(r, thresholds)), key=lambda r: (r.average, r.department_id)
    )
    return [
        Listing(r.department_id, HONOUR, r.average, r.inspections, honour_reason(r)[:REASON_LENGTH])
        for r in honoured
    ] + [
        Listing(r.department_id, EXPOSURE, r.average, r.inspections, exposure_reason(r, thresholds))
        for r in exposed
    ]


def covers(period_start: datetime.date, period_end: datetime.date, day: datetime.date) -> bool:
    return period_start <= day <= period_end
