"""The commitment register of a round as Excel rows: one row per staff member in scope."""

from django.utils.translation import gettext_lazy as _

HEADERS = [
    _("Screening round"), _("Kind"), _("Facility"), _("Department"), _("Police or staff number"), _("Name"),
    _("Status"), _("Form submitted at"), _("Travelled outside the region in the last 14 days"),
    _("Places travelled to"), _("Contact with risk persons"), _("Contact details"),
    _("Fever, cough or other symptoms"), _("Symptoms"), _("Family members travelled, in contact or with symptoms"),
    _("Family members' situation"), _("Form submitted by"), _("Signed on"), _("Paper copy filed at"),
    _("Recorded by"),
]  # fmt: skip


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def export_row(screening_round, staff, form, commitment) -> list:
    form_cells = (
        [
            form.submitted_at, _yes_no(form.travelled), form.travel_places, _yes_no(form.risk_contact),
            form.risk_contact_details, _yes_no(form.symptoms), form.symptom_details, _yes_no(form.family_risk),
            form.family_details, str(form.submitted_by),
        ]  # fmt: skip
        if form
        else [""] * 10
    )
    commitment_cells = (
        [commitment.signed_on, commitment.paper_filed_at, str(commitment.recorded_by)] if commitment else [""] * 3
    )
    return [
        screening_round.name, str(screening_round.get_kind_display()), staff.facility.short_name,
        staff.department.name if staff.department else "", staff.police_number, staff.name,
        str(staff.get_status_display()), *form_cells, *commitment_cells,
    ]  # fmt: skip
