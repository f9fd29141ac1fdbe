"""The overseas ledger as a spreadsheet: one row per status, so the history travels with it; the
status in force is marked. Identity document numbers are masked, always."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiedu.overseas.models import OverseasStatus

HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    gettext_lazy("Department"),
    gettext_lazy("Police or staff number"),
    gettext_lazy("Staff member"),
    gettext_lazy("Relation to the staff member"),
    pgettext_lazy("person", "Name"),
    gettext_lazy("Identity document number"),
    gettext_lazy("Category"),
    gettext_lazy("Effective date"),
    gettext_lazy("In force"),
    gettext_lazy("Return date"),
    gettext_lazy("Current residence"),
    gettext_lazy("Return route (flights, ports)"),
    gettext_lazy("Fever or cough"),
    gettext_lazy("Medical visit, isolation or control in the last two weeks"),
    gettext_lazy("Planned return date"),
    gettext_lazy("Planned route"),
    gettext_lazy("Reported to the facility on"),
    gettext_lazy("Testing and quarantine arrangements"),
    gettext_lazy("Country and city of residence"),
    gettext_lazy("Reason for being abroad"),
    gettext_lazy("Contact method"),
    gettext_lazy("Notes"),
    gettext_lazy("Recorded by"),
)


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def export_rows(entries):
    history = OverseasStatus.objects.select_related("recorded_by").order_by("-effective_date", "-id")
    for entry in entries.prefetch_related(Prefetch("statuses", queryset=history)):
        staff = entry.staff
        for index, status in enumerate(entry.statuses.all()):
            yield [
                entry.pk,
                entry.facility.short_name,
                staff.department.name if staff.department_id else "",
                staff.police_number,
                staff.name,
                entry.get_relation_display(),
                entry.display_name,
                entry.masked_id_number,
                status.get_category_display(),
                status.effective_date,
                _yes_no(index == 0),
                status.return_date,
                status.current_residence,
                status.return_route,
                _yes_no(status.fever_or_cough),
                status.recent_medical_control,
                status.planned_return_date,
                status.planned_route,
                status.reported_on,
                status.testing_quarantine_arrangements,
                status.residence_abroad,
                status.reason_abroad,
                status.contact_method,
                status.notes,
                str(status.recorded_by),
            ]
