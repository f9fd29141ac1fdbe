"""The staff-on-leave ledger as a spreadsheet: one row per daily report, every field, Chinese headers.

Staff ID numbers and phones are not part of a report; the police number identifies the officer.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiedu.staffleave.models import DailyReport

HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    gettext_lazy("Department"),
    gettext_lazy("Police or staff number"),
    pgettext_lazy("person", "Name"),
    gettext_lazy("Date"),
    gettext_lazy("Places visited and transport"),
    gettext_lazy("Family members' movements"),
    gettext_lazy("Temperature (°C)"),
    gettext_lazy("Symptoms"),
    gettext_lazy("Symptoms in detail"),
    gettext_lazy("Contact with risk persons"),
    gettext_lazy("Risk contact in detail"),
    gettext_lazy("Health code"),
    gettext_lazy("Submitted by"),
    gettext_lazy("Submitted at"),
    gettext_lazy("Review status"),
    gettext_lazy("Department reviewer"),
    gettext_lazy("Department reviewed at"),
    gettext_lazy("Facility checker"),
    gettext_lazy("Facility checked at"),
)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def export_row(report: DailyReport) -> list:
    staff = report.staff
    return [
        report.pk,
        report.facility.short_name,
        staff.department.name if staff.department_id else "",
        staff.police_number,
        staff.name,
        report.day,
        report.places_visited,
        report.family_movements,
        float(report.temperature_c),
        report.get_symptoms_display(),
        report.symptoms_detail,
        _yes_no(report.risk_contact),
        report.risk_contact_detail,
        report.get_health_code_display(),
        str(report.submitted_by),
        report.submitted_at,
        report.get_status_display(),
        str(report.department_reviewed_by or ""),
        report.department_reviewed_at,
        str(report.facility_checked_by or ""),
        report.facility_checked_at,
    ]
