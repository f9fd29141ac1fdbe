"""The resident and staff lists as .xlsx: the same filters as the list pages, identifiers masked.

Bulk personal data: each download needs a second person's approval and is watermarked
(privacy/approval.py, PI-03), and counts against the export rate limit (API-02).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiedu.common.excel import xlsx_response
from jiedu.common.rate_limits import rate_limited
from jiedu.people import presentation
from jiedu.people.views import filtered_residents, filtered_staff
from jiedu.privacy.approval import approval_required


@rate_limited("export")
@approval_required("residents")
def resident_export(request):
    _form, residents = filtered_residents(request)
    user = request.user
    headers = [
        _("Facility"), _("File number"), pgettext("person", "Name"), _("Sex"), _("Ethnicity"), _("ID number"),
        _("Deciding police organ"), _("Decision number"), _("Decision date"), _("Term start"), _("Term end"),
        _("Zone"), _("Room"), _("Status"),
    ]  # fmt: skip
    rows = (
        [
            r.facility.short_name,
            r.file_number,
            r.name,
            r.get_sex_display(),
            r.ethnicity,
            presentation.shown_id_number(user, r),
            r.deciding_organ,
            r.decision_number,
            r.decision_date,
            r.term_start,
            r.term_end,
            r.current_zone.name if r.current_zone else "",
            r.current_room.number if r.current_room else "",
            r.get_status_display(),
        ]  # fmt: skip
        for r in residents
    )
    return xlsx_response(
        filename=f"{_('Residents')}-{timezone.localdate():%Y%m%d}.xlsx", title=_("Residents"),
        headers=headers, rows=rows, user=user,
    )  # fmt: skip


@rate_limited("export")
@approval_required("staff")
def staff_export(request):
    user = request.user
    headers = [
        _("Facility"), _("Department"), _("Kind"), _("Police or staff number"), pgettext("person", "Name"), _("Sex"),
        _("Position"), _("Leadership member"), _("ID number"), _("Phone"), _("Status"),
    ]  # fmt: skip
    rows = (
        [
            s.facility.short_name,
            s.department.name if s.department else "",
            s.get_kind_display(),
            s.police_number,
            s.name,
            s.get_sex_display(),
            s.position,
            _("Yes") if s.is_leadership else _("No"),
            presentation.shown_id_number(user, s),
            presentation.shown_phone(user, s),
            s.get_status_display(),
        ]  # fmt: skip
        for s in filtered_staff(request)
    )
    return xlsx_response(
        filename=f"{_('Staff')}-{timezone.localdate():%Y%m%d}.xlsx", title=_("Staff"),
        headers=headers, rows=rows, user=user,
    )  # fmt: skip
