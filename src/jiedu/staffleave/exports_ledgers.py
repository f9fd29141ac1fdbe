"""The patrol log and the leave periods (with their missing-day counts) as spreadsheets.

Like the daily-report export, staff are identified by police number and name; no ID numbers or phones.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

from jiedu.staffleave.models import LeavePeriod, PatrolRecord

PATROL_HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    gettext_lazy("Area"),
    gettext_lazy("Inspector"),
    gettext_lazy("Police or staff number"),
    gettext_lazy("Visited staff member"),
    gettext_lazy("Visited at"),
    gettext_lazy("Observations"),
    gettext_lazy("Trajectory noted"),
    gettext_lazy("Recorded by"),
)

PERIOD_HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    gettext_lazy("Department"),
    gettext_lazy("Police or staff number"),
    pgettext_lazy("person", "Name"),
    gettext_lazy("First day"),
    gettext_lazy("Last day"),
    gettext_lazy("Area"),
    gettext_lazy("Days without a report"),
    gettext_lazy("Created by"),
    gettext_lazy("Created at"),
)


def patrol_row(patrol: PatrolRecord) -> list:
    return [
        patrol.pk,
        patrol.facility.short_name,
        patrol.area.name,
        patrol.inspector.name,
        patrol.visited_staff.police_number,
        patrol.visited_staff.name,
        patrol.visited_at,
        patrol.observations,
        patrol.trajectory_noted,
        str(patrol.recorded_by),
    ]


def period_row(period: LeavePeriod, missing_days: int) -> list:
    staff = period.staff
    return [
        period.pk,
        period.facility.short_name,
        staff.department.name if staff.department_id else "",
        staff.police_number,
        staff.name,
        period.starts_on,
        period.ends_on,
        period.area.name if period.area_id else "",
        missing_days,
        str(period.created_by),
        period.created_at,
    ]
