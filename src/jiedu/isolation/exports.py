"""Excel ledgers: the isolation register and the pre-release checklist, every field, identifiers masked."""

from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.excel import xlsx_response
from jiedu.common.rate_limits import rate_limited
from jiedu.isolation import domain, release_selectors, selectors
from jiedu.isolation.forms import StayFilterForm
from jiedu.isolation.models import Handover, PreReleaseItem
from jiedu.isolation.views import active_facility_ids
from jiedu.people import presentation
from jiedu.privacy.approval import approval_required


@rate_limited("export")
@approval_required("isolation_register")  # residents' names, masked IDs and health: PI-03
def export_stays(request):
    form = StayFilterForm(request.GET or None, user=request.user, facility_ids=active_facility_ids(request))
    stays = selectors.stays(
        request.user, facility_ids=active_facility_ids(request), **form.filters()
    ).select_related("return_zone", "return_room")
    headers = [
        _("Facility"), _("Resident"), _("File number"), _("ID number"), _("Reason"), _("Zone"), _("Room"),
        _("Single occupancy"), _("Started at"), _("Planned end"), _("Ended at"), _("End reason"),
        _("Transferred from"), _("Return zone"), _("Return room"), _("Started by"), _("Ended by"), _("Note"),
    ]  # fmt: skip
    rows = (
        [
            s.facility.short_name,
            s.resident.name,
            s.resident.file_number,
            presentation.shown_id_number(request.user, s.resident),
            s.get_reason_display(),
            s.room.zone.name,
            s.room.number,
            _("Yes") if s.single_occupancy else _("No"),
            s.started_at,
            s.planned_end,
            s.ended_at,
            s.get_end_reason_display(),
            s.previous_stay.room.number if s.previous_stay else "",
            s.return_zone.name if s.return_zone else "",
            s.return_room.number if s.return_room else "",
            str(s.started_by),
            str(s.ended_by or ""),
            s.note,
        ]
        for s in stays
    )
    return xlsx_response(
        filename=f"{_('Isolation register')}-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Isolation register"),
        headers=headers,
        rows=rows,
        user=request.user,
    )


def _checklist_headers() -> list[str]:
    headers = [
        _("Facility"), _("File number"), _("Resident"), _("ID number"), _("Term end"), _("Status"), _("Left at"),
        _("Observation began"), _("Observed days"), _("Required days"),
    ]  # fmt: skip
    for code in domain.ITEMS:
        label = PreReleaseItem.Item(code).label
        headers += [
            _("%(item)s: date") % {"item": label},
            _("%(item)s: carried out by") % {"item": label},
            _("%(item)s: result or summary") % {"item": label},
        ]
        if code == domain.HEALTH_EXAM:
            headers.append(_("Fit for release"))
    for code in domain.RECEIVERS:
        label = Handover.Receiver(code).label
        headers += [
            _("%(receiver)s: receiving person") % {"receiver": label},
            _("%(receiver)s: unit") % {"receiver": label},
            _("%(receiver)s: contact phone") % {"receiver": label},
            _("%(receiver)s: hand-over time") % {"receiver": label},
        ]
    return headers + [_("Missing")]


def _checklist_row(user, checklist) -> list:
    r = checklist.resident
    row = [
        r.facility.short_name, r.file_number, r.name, presentation.shown_id_number(user, r), r.term_end,
        r.get_status_display(), r.left_at, checklist.observation_began_at, checklist.observed_days,
        checklist.required_days,
    ]  # fmt: skip
    for code in domain.ITEMS:
        item = checklist.items.get(code)
        row += [item.done_on, item.performed_by, item.summary] if item else ["", "", ""]
        if code == domain.HEALTH_EXAM:
            row.append("" if item is None else (_("Yes") if item.fit_for_release else _("No")))
    for code in domain.RECEIVERS:
        h = checklist.handovers.get(code)
        row += (
            [h.name, h.unit, presentation.shown_phone(user, h), h.handed_over_at] if h else ["", "", "", ""]
        )
    return row + ["; ".join(checklist.missing_sentences)]


@rate_limited("export")
@approval_required("prerelease_checklist")  # names, masked IDs and family contacts: PI-03
def export_prerelease(request):
    today = timezone.localdate()
    if request.GET.get("show") == "released":
        checklists = release_selectors.recently_released(
            request.user,
            today=today,
            days=release_selectors.RECENTLY_RELEASED_DAYS,
            facility_ids=active_facility_ids(request),
        )
    else:
        checklists = release_selectors.due_for_release(
            request.user, today=today, facility_ids=active_facility_ids(request)
        )
    return xlsx_response(
        filename=f"{_('Pre-release checklist')}-{today:%Y%m%d}.xlsx",
        title=_("Pre-release checklist"),
        headers=_checklist_headers(),
        rows=(_checklist_row(request.user, c) for c in checklists),
        user=request.user,
    )
