"""The gate log as a spreadsheet: one row per passage, every field, Chinese headers.

No personal identifiers are kept at the gate (names only, no ID or phone numbers), so nothing
needs masking here.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiedu.gatelog.models import GateEvent

HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    gettext_lazy("Time"),
    gettext_lazy("Event"),
    gettext_lazy("Who or what"),
    pgettext_lazy("person", "Name"),
    gettext_lazy("Staff number"),
    gettext_lazy("Organisation or unit"),
    gettext_lazy("Vehicle plate"),
    gettext_lazy("Approved by"),
    gettext_lazy("Purpose"),
    gettext_lazy("Approval valid until"),
    gettext_lazy("Temperature (°C)"),
    gettext_lazy("Disinfection done"),
    gettext_lazy("Security check done"),
    gettext_lazy("Receiving officer"),
    gettext_lazy("Outcome"),
    gettext_lazy("Refusal reasons"),
    gettext_lazy("Closed management in force"),
    gettext_lazy("Fever threshold applied (°C)"),
    gettext_lazy("Registered by"),
    gettext_lazy("Corrects no."),
    gettext_lazy("Corrected by no."),
)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def export_row(event: GateEvent) -> list:
    correction = getattr(event, "correction", None)
    return [
        event.pk,
        event.facility.short_name,
        event.occurred_at,
        event.get_event_kind_display(),
        event.get_subject_kind_display(),
        event.subject_name,
        event.staff.police_number if event.staff_id else "",
        event.organisation,
        event.vehicle_plate,
        event.approver,
        event.approval_purpose,
        event.approval_valid_until,
        float(event.temperature_c) if event.temperature_c is not None else None,
        _yes_no(event.disinfected),
        _yes_no(event.security_checked),
        event.received_by,
        event.get_outcome_display(),
        "、".join(label for _code, label in event.refusal_items),
        _yes_no(event.closed_management),
        float(event.fever_threshold_c),
        str(event.registered_by),
        event.corrects_id,
        correction.pk if correction is not None else None,
    ]
