"""Rules for staff on rotation leave (轮休人员): the three review levels, missing reports, return.

Pure functions: no ORM, no request. The services apply them; the models repeat the invariants as
database constraints.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# Review levels of a daily report: 个人自检 (submitted) → 部门联检 → 所级督监.
SUBMITTED = "submitted"
DEPARTMENT_REVIEWED = "department_reviewed"
FACILITY_CHECKED = "facility_checked"
STATUSES = (SUBMITTED, DEPARTMENT_REVIEWED, FACILITY_CHECKED)

DEPARTMENT = "department"
FACILITY = "facility"
LEVELS = (DEPARTMENT, FACILITY)

# The status a report must have before each level may review it, and the status it gets.
_TRANSITIONS = {
    DEPARTMENT: (SUBMITTED, DEPARTMENT_REVIEWED),
    FACILITY: (DEPARTMENT_REVIEWED, FACILITY_CHECKED),
}

TEMPERATURE_MIN_C = Decimal("34.0")
TEMPERATURE_MAX_C = Decimal("43.0")


class ReviewRefused(ValueError):
    """A review that the report's state or the reviewer's role does not allow; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


WRONG_ORDER = "wrong_order"
OWN_REPORT = "own_report"
UNKNOWN_LEVEL = "unknown_level"


def reviewed_status(status: str, level: str, *, reviewer_id: int, reporter_ids: set[int]) -> str:
    """The report's status after ``level`` reviews it; ReviewRefused if that is not allowed.

    The reporter (whoever submitted it, and the staff member it is about) never reviews it.
    """
    if level not in _TRANSITIONS:
        raise ReviewRefused(UNKNOWN_LEVEL)
    before, after = _TRANSITIONS[level]
    if status != before:
        raise ReviewRefused(WRONG_ORDER)
    if reviewer_id in reporter_ids:
        raise ReviewRefused(OWN_REPORT)
    return after


def temperature_in_range(value: Decimal) -> bool:
    return TEMPERATURE_MIN_C <= value <= TEMPERATURE_MAX_C


def periods_overlap(a: tuple[datetime.date, datetime.date], b: tuple[datetime.date, datetime.date]) -> bool:
    """Two leave periods (first day, last day, both included) share at least one day."""
    return a[0] <= b[1] and b[0] <= a[1]


def leave_days(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The days of a leave period that have begun by ``today``: those a report is due for."""
    last = min(ends_on, today)
    return [starts_on + datetime.timedelta(days=n) for n in range((last - starts_on).days + 1)]


def missing_days(
    starts_on: datetime.date, ends_on: datetime.date, today: datetime.date, reported: set[datetime.date]
) -> list[datetime.date]:
    """Days of the period up to today without a daily report."""
    return [day for day in leave_days(starts_on, ends_on, today) if day not in reported]


def may_return_to_duty(*, has_leave_period: bool, return_reported: bool) -> bool:
    """Back on duty only after the return-to-work report for the latest leave period; never-on-leave is fine."""
    return not has_leave_period or return_reported
