"""Rotation leave for every staff member (14 days in every 84, staggered) and the daily report
for each day of leave up to today, reviewed level by level: the department the next morning,
the facility that afternoon. A department clerk enters the reports (staff have no logins here)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from jiedu.scale.copying import NULL, day, stamp
from jiedu.scale.people import local_at
from jiedu.scale.shape import RegionShape
from jiedu.staffleave import domain

CYCLE_DAYS, LEAVE_DAYS = 84, 14
PLACES = ("居家，未外出", "居家；超市购物，步行", "居家；医院复诊，自驾", "居家；接送孩子，步行")

PERIOD_COLUMNS = ["id", "created_at", "updated_at", "facility_id", "staff_id", "starts_on", "ends_on", "area_id",
                  "created_by_id"]  # fmt: skip
REPORT_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "staff_id", "period_id", "day", "places_visited",
    "family_movements", "temperature_c", "symptoms", "symptoms_detail", "risk_contact", "risk_contact_detail",
    "health_code", "submitted_by_id", "submitted_at", "status", "department_reviewed_by_id",
    "department_reviewed_at", "facility_checked_by_id", "facility_checked_at",
]  # fmt: skip


@dataclass
class FacilityLeave:
    facility_id: int
    staff_ids: list[int]
    area_ids: list[int]
    clerk: int  # enters reports
    department_reviewer: int
    facility_checker: int


def leave_periods(shape: RegionShape, staff_ids: list[int]) -> list[tuple[int, datetime.date, datetime.date]]:
    """(staff id, first day, last day) of every leave that overlaps the period."""
    periods = []
    origin = shape.first_day - datetime.timedelta(days=CYCLE_DAYS)
    for n, staff_id in enumerate(staff_ids):
        starts = origin + datetime.timedelta(days=n * CYCLE_DAYS // len(staff_ids))
        while starts <= shape.today:
            ends = starts + datetime.timedelta(days=LEAVE_DAYS - 1)
            if ends >= shape.first_day:
                periods.append((staff_id, starts, ends))
            starts += datetime.timedelta(days=CYCLE_DAYS)
    return periods


def on_leave_today(shape: RegionShape, staff_ids: list[int]) -> set[int]:
    return {s for s, starts, ends in leave_periods(shape, staff_ids) if starts <= shape.today <= ends}


class LeaveWriter:
    def __init__(self, shape: RegionShape, rng: random.Random, *, first_id: int, first_report_id: int):
        self.shape, self.rng = shape, rng
        self.next_id, self.next_report_id = first_id, first_report_id
        self.report_lines: list[str] = []

    def lines(self, facilities: list[FacilityLeave]):
        created = stamp(self.shape.start)
        for f in facilities:
            for n, (staff_id, starts, ends) in enumerate(leave_periods(self.shape, f.staff_ids)):
                period_id, self.next_id = self.next_id, self.next_id + 1
                yield (
                    f"{period_id}\t{created}\t{created}\t{f.facility_id}\t{staff_id}\t{day(starts)}\t{day(ends)}"
                    f"\t{f.area_ids[n % len(f.area_ids)]}\t{f.clerk}\n"
                )
                for offset in range((ends - starts).days + 1):
                    self._report(f, staff_id, period_id, starts + datetime.timedelta(days=offset))

    def _report(self, f: FacilityLeave, staff_id: int, period_id: int, d: datetime.date) -> None:
        rng, now = self.rng, self.shape.now
        if d < self.shape.first_day:
            return
        submitted = local_at(d, datetime.time(8), rng.randrange(120))
        if submitted > now:
            return
        reviewed = local_at(d + datetime.timedelta(days=1), datetime.time(9), rng.randrange(60))
        checked = local_at(d + datetime.timedelta(days=1), datetime.time(15), rng.randrange(60))
        if checked <= now:
            status, reviews = (
                domain.FACILITY_CHECKED,
                (f.department_reviewer, reviewed, f.facility_checker, checked),
            )
        elif reviewed <= now:
            status, reviews = domain.DEPARTMENT_REVIEWED, (f.department_reviewer, reviewed, None, None)
        else:
            status, reviews = domain.SUBMITTED, (None, None, None, None)
        reviewer, reviewed_at, checker, checked_at = reviews
        report_id, self.next_report_id = self.next_report_id, self.next_report_id + 1
        last_change = checked_at or reviewed_at or submitted
        self.report_lines.append("\t".join((
            str(report_id), stamp(submitted), stamp(last_change), str(f.facility_id), str(staff_id), str(period_id),
            day(d), rng.choice(PLACES), "", f"{rng.uniform(36.0, 36.9):.1f}", "none", "", "f", "", "green",
            str(f.clerk), stamp(submitted), status, str(reviewer) if reviewer else NULL, stamp(reviewed_at),
            str(checker) if checker else NULL, stamp(checked_at),
        )) + "\n")  # fmt: skip
