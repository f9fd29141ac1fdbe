"""Writes for staff on rotation leave: periods, daily reports and their reviews, return reports."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.organisation import roles
from jiedu.organisation.scoping import require
from jiedu.staffleave import domain
from jiedu.staffleave.models import (
    AreaInspector,
    DailyReport,
    LeaveArea,
    LeavePeriod,
    PatrolRecord,
    ReturnReport,
)

REVIEW_AUDIT_ACTIONS = {
    domain.DEPARTMENT: "leave.report_reviewed_department",
    domain.FACILITY: "leave.report_checked_facility",
}
REVIEW_COLUMNS = {
    domain.DEPARTMENT: ("department_reviewed_by", "department_reviewed_at"),
    domain.FACILITY: ("facility_checked_by", "facility_checked_at"),
}


def _same_facility(obj, facility_id: int, field: str) -> None:
    if obj is not None and obj.facility_id != facility_id:
        raise DomainError(_("This belongs to another facility."), field=field)


def _require_self_or_clerk(actor, staff) -> None:
    """A staff member reports for themself; anyone else needs to manage staff health there."""
    if staff.user_id is not None and staff.user_id == getattr(actor, "pk", None):
        return
    require(actor, roles.MANAGE_STAFF_HEALTH, staff.facility_id)


@transaction.atomic
def create_leave_period(
    *, actor, facility, staff, starts_on: datetime.date, ends_on: datetime.date, area: LeaveArea | None = None
) -> LeavePeriod:
    require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    _same_facility(staff, facility.pk, "staff")
    _same_facility(area, facility.pk, "area")
    if ends_on < starts_on:
        raise DomainError(_("The last day is before the first day."), field="ends_on")
    others = LeavePeriod.objects.select_for_update().filter(staff=staff)
    if any(domain.periods_overlap((starts_on, ends_on), (p.starts_on, p.ends_on)) for p in others):
        raise DomainError(_("This staff member already has leave in these days."), field="starts_on")
    period = LeavePeriod(
        facility=facility, staff=staff, starts_on=starts_on, ends_on=ends_on, area=area, created_by=actor
    )
    validated_save(period)
    audit.record(
        actor=actor, action="leave.period_created", facility_id=facility.pk, target=period,
        changed_fields=["staff", "starts_on", "ends_on", "area"],
    )  # fmt: skip
    return period


def _period_on(staff, day: datetime.date) -> LeavePeriod:
    period = LeavePeriod.objects.filter(staff=staff, starts_on__lte=day, ends_on__gte=day).first()
    if period is None:
        raise DomainError(_("This staff member is not on leave on that day."), field="day")
    return period


@transaction.atomic
def submit_daily_report(
    *,
    actor,
    staff,
    day: datetime.date,
    places_visited: str,
    temperature_c: Decimal,
    health_code: str,
    family_movements: str = "",
    symptoms: str = DailyReport.Symptoms.NONE,
    symptoms_detail: str = "",
    risk_contact: bool = False,
    risk_contact_detail: str = "",
) -> DailyReport:
    """个人自检: the staff member (or a department clerk for them) reports one day of leave."""
    _require_self_or_clerk(actor, staff)
    if day > timezone.localdate():
        raise DomainError(_("A report is for a day that has begun."), field="day")
    period = _period_on(staff, day)
    if not places_visited.strip():
        raise DomainError(_("Enter the places visited and the transport used."), field="places_visited")
    if temperature_c is None or not domain.temperature_in_range(temperature_c):
        raise DomainError(_("A temperature is between 34.0 and 43.0 °C."), field="temperature_c")
    if symptoms == DailyReport.Symptoms.OTHER and not symptoms_detail.strip():
        raise DomainError(_("Describe the symptoms."), field="symptoms_detail")
    if risk_contact and not risk_contact_detail.strip():
        raise DomainError(_("Describe the contact."), field="risk_contact_detail")
    if DailyReport.objects.filter(staff=staff, day=day).exists():
        raise DomainError(_("The report for this day has already been submitted."), field="day")
    report = DailyReport(
            facility_id=staff.facility_id, staff=staff, period=period, day=day,
            places_visited=places_visited.strip(), family_movements=family_movements.strip(),
            temperature_c=temperature_c, symptoms=symptoms, symptoms_detail=symptoms_detail.strip(),
            risk_contact=risk_contact, risk_contact_detail=risk_contact_detail.strip() if risk_contact else "",
        health_code=health_code, submitted_by=actor, submitted_at=timezone.now(),
    )  # fmt: skip
    validated_save(report)
    audit.record(
        actor=actor, action="leave.report_submitted", facility_id=staff.facility_id, target=report,
        changed_fields=["day", "places_visited", "family_movements", "temperature_c", "symptoms",
                        "risk_contact", "health_code"],
    )  # fmt: skip
    return report


REFUSAL_MESSAGES = {
    domain.WRONG_ORDER: gettext_lazy("This report is not at this review level."),
    domain.OWN_REPORT: gettext_lazy("A report is not reviewed by its reporter."),
    domain.UNKNOWN_LEVEL: gettext_lazy("Unknown review level."),
}


def _review(actor, report: DailyReport, level: str) -> DailyReport:
    require(actor, roles.MANAGE_STAFF_HEALTH, report.facility_id)
    report = DailyReport.objects.select_for_update().select_related("staff").get(pk=report.pk)
    reporters = {report.submitted_by_id} | ({report.staff.user_id} if report.staff.user_id else set())
    try:
        report.status = domain.reviewed_status(
            report.status, level, reviewer_id=actor.pk, reporter_ids=reporters
        )
    except domain.ReviewRefused as refused:
        raise DomainError(str(REFUSAL_MESSAGES[refused.reason]), field="status") from None
    by, at = REVIEW_COLUMNS[level]
    setattr(report, by, actor)
    setattr(report, at, timezone.now())
    validated_save(report)
    audit.record(
        actor=actor, action=REVIEW_AUDIT_ACTIONS[level], facility_id=report.facility_id, target=report,
        changed_fields=["status", by, at],
    )  # fmt: skip
    return report


@transaction.atomic
def review_report(*, actor, report: DailyReport, level: str) -> DailyReport:
    """部门联检 (level "department") or 所级督监 (level "facility") of one report."""
    return _review(actor, report, level)


@transaction.atomic
def review_reports(*, actor, reports: Sequence[DailyReport], level: str) -> list[DailyReport]:
    """Review a list of reports at one level: all of them, or none if any one is refused."""
    if not reports:
        raise DomainError(_("Choose at least one report."), field="reports")
    return [_review(actor, report, level) for report in reports]


@transaction.atomic
def submit_return_report(
    *, actor, period: LeavePeriod, trajectory_summary: str, health: str, tests_summary: str = ""
) -> ReturnReport:
    """返岗报告 for a leave period; the staff member returns to duty only once it exists."""
    staff = period.staff
    _require_self_or_clerk(actor, staff)
    if period.starts_on > timezone.localdate():
        raise DomainError(_("This leave has not begun."), field="period")
    if not trajectory_summary.strip():
        raise DomainError(_("Summarise the trajectory during the leave."), field="trajectory_summary")
    if not health.strip():
        raise DomainError(_("Describe the state of health."), field="health")
    if ReturnReport.objects.filter(period=period).exists():
        raise DomainError(_("The return report for this leave has already been submitted."), field="period")
    report = ReturnReport(
            facility_id=period.facility_id, staff=staff, period=period, trajectory_summary=trajectory_summary.strip(),
            health=health.strip(), tests_summary=tests_summary.strip(), submitted_by=actor,
        submitted_at=timezone.now(),
    )  # fmt: skip
    validated_save(report)
    audit.record(
        actor=actor, action="leave.return_reported", facility_id=period.facility_id, target=report,
        changed_fields=["trajectory_summary", "health", "tests_summary"],
    )  # fmt: skip
    return report


@transaction.atomic
def create_area(*, actor, facility, name: str) -> LeaveArea:
    require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    name = name.strip()
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    if LeaveArea.objects.filter(facility=facility, name=name).exists():
        raise DomainError(_("This area already exists."), field="name")
    area = LeaveArea(facility=facility, name=name)
    validated_save(area)
    audit.record(
        actor=actor,
        action="leave.area_created",
        facility_id=facility.pk,
        target=area,
        changed_fields=["name"],
    )
    return area


@transaction.atomic
def assign_inspector(*, actor, area: LeaveArea, staff, from_date: datetime.date) -> AreaInspector:
    """Make ``staff`` the area's one inspector from ``from_date``; the previous one stops that day."""
    require(actor, roles.MANAGE_STAFF_HEALTH, area.facility_id)
    _same_facility(staff, area.facility_id, "staff")
    current = AreaInspector.objects.select_for_update().filter(area=area, until__isnull=True).first()
    if current is not None:
        if current.staff_id == staff.pk:
            raise DomainError(_("This staff member already inspects this area."), field="staff")
        if from_date < current.from_date:
            raise DomainError(_("The current inspector started later."), field="from_date")
        current.until = from_date
        validated_save(current, update_fields=["until"])
    inspector = AreaInspector(facility_id=area.facility_id, area=area, staff=staff, from_date=from_date)
    validated_save(inspector)
    audit.record(
        actor=actor, action="leave.inspector_assigned", facility_id=area.facility_id, target=inspector,
        changed_fields=["staff", "from_date"],
    )  # fmt: skip
    return inspector


@transaction.atomic
def record_patrol(
    *, actor, area: LeaveArea, visited_staff, visited_at: datetime.datetime, observations: str,
    trajectory_noted: str = "",
) -> PatrolRecord:  # fmt: skip
    """The area's current inspector visited a staff member on leave; the record names that inspector."""
    require(actor, roles.MANAGE_STAFF_HEALTH, area.facility_id)
    _same_facility(visited_staff, area.facility_id, "visited_staff")
    current = AreaInspector.objects.filter(area=area, until__isnull=True).first()
    if current is None:
        raise DomainError(_("This area has no inspector."), field="area")
    if current.staff_id == visited_staff.pk:
        raise DomainError(_("The inspector does not visit themself."), field="visited_staff")
    if visited_at > timezone.now():
        raise DomainError(_("The time lies in the future."), field="visited_at")
    if not observations.strip():
        raise DomainError(_("Enter what was observed."), field="observations")
    patrol = PatrolRecord(
        facility_id=area.facility_id, area=area, inspector_id=current.staff_id, visited_staff=visited_staff,
        visited_at=visited_at, observations=observations.strip(), trajectory_noted=trajectory_noted.strip(),
        recorded_by=actor,
    )  # fmt: skip
    validated_save(patrol)
    audit.record(
        actor=actor, action="leave.patrol_recorded", facility_id=area.facility_id, target=patrol,
        changed_fields=["visited_staff", "visited_at", "observations", "trajectory_noted"],
    )  # fmt: skip
    return patrol
