"""Reads for staff on rotation leave, always through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jiedu.staffleave import domain
from jiedu.staffleave.models import (
    AreaInspector,
    DailyReport,
    LeaveArea,
    LeavePeriod,
    PatrolRecord,
    ReturnReport,
)


def periods(user):
    return LeavePeriod.objects.visible_to(user).select_related("facility", "staff__department", "area")


def reports(user):
    return DailyReport.objects.visible_to(user).select_related(
        "facility", "staff__department", "submitted_by", "department_reviewed_by", "facility_checked_by"
    )


def awaiting_review(user):
    return reports(user).exclude(status=domain.FACILITY_CHECKED).order_by("day", "staff__police_number")


@dataclass(frozen=True)
class MissingReport:
    period: LeavePeriod
    day: datetime.date

    @property
    def department_name(self) -> str:
        department = self.period.staff.department
        return department.name if department else ""


def missing_reports(user, *, day: datetime.date) -> list[MissingReport]:
    """Staff on leave on ``day`` without a report for it, by department then staff number."""
    on_leave = list(periods(user).filter(starts_on__lte=day, ends_on__gte=day))
    reported = set(DailyReport.objects.visible_to(user).filter(day=day).values_list("staff_id", flat=True))
    missing = [MissingReport(p, day) for p in on_leave if p.staff_id not in reported]
    return sorted(missing, key=lambda m: (m.department_name, m.period.staff.police_number))


def missing_days_by_period(user, period_list, *, today: datetime.date) -> dict[int, list[datetime.date]]:
    """For each period, its days up to today without a report."""
    reported: dict[int, set[datetime.date]] = {}
    rows = DailyReport.objects.visible_to(user).filter(period__in=[p.pk for p in period_list])
    for period_id, day in rows.values_list("period_id", "day"):
        reported.setdefault(period_id, set()).add(day)
    return {
        p.pk: domain.missing_days(p.starts_on, p.ends_on, today, reported.get(p.pk, set()))
        for p in period_list
    }


def can_return_to_duty(staff) -> bool:
    """Whether the staff member's latest leave period has its return-to-work report."""
    latest = LeavePeriod.objects.filter(staff=staff).order_by("-starts_on").first()
    return domain.may_return_to_duty(
        has_leave_period=latest is not None,
        return_reported=latest is not None and ReturnReport.objects.filter(period=latest).exists(),
    )


def areas(user):
    return LeaveArea.objects.visible_to(user).select_related("facility").order_by("facility__code", "name")


def current_inspectors(user) -> dict[int, AreaInspector]:
    rows = AreaInspector.objects.visible_to(user).filter(until__isnull=True).select_related("staff")
    return {row.area_id: row for row in rows}


def patrols(user):
    return PatrolRecord.objects.visible_to(user).select_related(
        "area", "inspector", "visited_staff", "facility"
    )


def own_reports(staff):
    """A staff member's own reports, newest first: what they see on their phone."""
    return DailyReport.objects.filter(staff=staff).order_by("-day")


def periods_for_return_report(user):
    """Periods the user may file a return report for: those in scope, and their own (a staff member's phone)."""
    own = getattr(user, "staff_profile", None)
    visible = LeavePeriod.objects.visible_to(user)
    return visible | LeavePeriod.objects.filter(staff=own) if own is not None else visible


def return_report_due(staff, *, today: datetime.date) -> LeavePeriod | None:
    """The latest leave period, from its last day on, while its return-to-work report is missing."""
    latest = LeavePeriod.objects.filter(staff=staff).order_by("-starts_on").first()
    if latest is None or latest.ends_on > today or ReturnReport.objects.filter(period=latest).exists():
        return None
    return latest
