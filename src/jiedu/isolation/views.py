"""Pages: the isolation register, a stay with its transfer and end forms, the occupancy board,
and the pre-release checklist with its hand-overs, release and printable sheet.

Action forms post with htmx and get back their own card (errors beside the field, status 200 so
htmx swaps it); without htmx they fall back to a full page. Success redirects either way.
"""

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiedu.common.errors import DomainError
from jiedu.common.pages import call_service, scoped
from jiedu.common.pdf import FontMissing
from jiedu.isolation import domain, release_selectors, release_services, selectors, services
from jiedu.isolation.forms import (
    EndForm,
    HandoverForm,
    ItemForm,
    ReleaseForm,
    StayFilterForm,
    StayForm,
    TransferForm,
)
from jiedu.isolation.handover_sheet import handover_sheet_pdf
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem
from jiedu.organisation import roles
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404
from jiedu.people import presentation
from jiedu.people.models import Resident

PAGE_SIZE = 25
# Short column heads for the checklist table; the sentences in domain.MISSING_LABELS are too long.
COLUMN_LABELS = {
    domain.OBSERVATION: gettext_lazy("Observation"),
    domain.HEALTH_EXAM: gettext_lazy("Health exam"),
    domain.TALK: gettext_lazy("Talk"),
    domain.EDUCATION: gettext_lazy("Education"),
    domain.COMMITMENT: gettext_lazy("Commitment"),
    domain.HANDOVER_PREFIX + domain.POLICE: gettext_lazy("Police"),
    domain.HANDOVER_PREFIX + domain.COMMUNITY: gettext_lazy("Community"),
    domain.HANDOVER_PREFIX + domain.JUDICIAL_OFFICE: gettext_lazy("Judicial office"),
    domain.HANDOVER_PREFIX + domain.FAMILY: gettext_lazy("Family"),
}


def active_facility_ids(request):
    """The facility chosen in the switcher, as a filter; None for all the user's facilities."""
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _done(request, url, *, same_page=False):
    """After a successful action: a plain form post gets a 302; htmx reloads the page it is on
    (``same_page``: a redirect differing only in its #fragment would not reload) or goes to ``url``.
    """
    if not request.htmx:
        return redirect(url)
    response = HttpResponse(status=204)
    if same_page:
        response["HX-Refresh"] = "true"
    else:
        response["HX-Redirect"] = url
    return response


# --- Isolation stays -------------------------------------------------------------------------


def stay_list(request):
    form = StayFilterForm(request.GET or None, user=request.user, facility_ids=active_facility_ids(request))
    rows = selectors.stays(request.user, facility_ids=active_facility_ids(request), **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "may_manage": facility_scope(request.user, roles.MANAGE_ISOLATION) != set(),
    }
    template = "isolation/stay_list.html#table" if request.htmx else "isolation/stay_list.html"
    return render(request, template, context)


def stay_new(request):
    data = request.POST or None
    reason = (data or request.GET).get("reason") or IsolationStay.Reason.FEVER
    initial = {"reason": reason, "resident": request.GET.get("resident")}
    form = StayForm(
        data, initial=initial, user=request.user, facility_ids=active_facility_ids(request), reason=reason
    )
    if request.method == "POST" and form.is_valid():
        stay = call_service(form, services.admit_to_isolation, actor=request.user, **form.cleaned_data)
        if stay is not None:
            messages.success(request, _("%(name)s is placed in isolation.") % {"name": stay.resident.name})
            return redirect("isolation:stay_detail", pk=stay.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "isolation/stay_new.html", {"form": form}, status=status)


def _stay(request, pk):
    return get_visible_or_404(
        IsolationStay.objects.select_related(
            "facility", "resident", "room__zone", "return_zone", "return_room"
        ),
        request.user,
        pk=pk,
    )


def _stay_page(request, stay, *, transfer_form=None, end_form=None, status=200):
    may_manage = stay.is_open and can(request.user, roles.MANAGE_ISOLATION, stay.facility_id)
    context = {
        "stay": stay,
        "chain": selectors.transfer_chain(stay),
        "due": stay.is_open and domain.is_due_to_end(stay.planned_end, timezone.localdate()),
        "may_manage": may_manage,
        "transfer_form": transfer_form
        or (TransferForm(user=request.user, stay=stay) if may_manage else None),
        "end_form": end_form or (EndForm() if may_manage else None),
    }
    return render(request, "isolation/stay_detail.html", context, status=status)


@scoped(IsolationStay)
def stay_detail(request, pk):
    return _stay_page(request, _stay(request, pk))


@scoped(IsolationStay)
@require_POST
def stay_transfer(request, pk):
    stay = _stay(request, pk)
    form = TransferForm(request.POST, user=request.user, stay=stay)
    if form.is_valid():
        new_stay = call_service(
            form, services.transfer_stay, actor=request.user, stay=stay, **form.cleaned_data
        )
        if new_stay is not None:
            messages.success(request, _("The resident moved to room %(room)s.") % {"room": new_stay.room})
            return _done(request, reverse("isolation:stay_detail", args=[new_stay.pk]))
    if request.htmx:
        return render(request, "isolation/stay_detail.html#transfer", {"stay": stay, "transfer_form": form})
    return _stay_page(request, stay, transfer_form=form, status=400)


@scoped(IsolationStay)
@require_POST
def stay_end(request, pk):
    stay = _stay(request, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ended = call_service(
            form, services.end_stay, actor=request.user, stay=stay, end_reason=data["end_reason"],
            ended_at=data["ended_at"] or None,
        )  # fmt: skip
        if ended is not None:
            messages.success(request, _("The isolation stay has ended."))
            return _done(request, reverse("isolation:stay_detail", args=[stay.pk]), same_page=True)
    if request.htmx:
        return render(request, "isolation/stay_detail.html#end", {"stay": stay, "end_form": form})
    return _stay_page(request, stay, end_form=form, status=400)


def board(request):
    all_rooms = request.GET.get("all") == "1"
    context = {
        "boards": selectors.occupancy_board(
            request.user,
            today=timezone.localdate(),
            facility_ids=active_facility_ids(request),
            all_rooms=all_rooms,
        ),
        "all_rooms": all_rooms,
        "states": selectors.BOARD_STATES,
    }
    template = "isolation/board.html#board" if request.htmx else "isolation/board.html"
    return render(request, template, context)


# --- Pre-release -----------------------------------------------------------------------------


def prerelease_list(request):
    today = timezone.localdate()
    released = request.GET.get("show") == "released"
    if released:
        rows = release_selectors.recently_released(
            request.user,
            today=today,
            days=release_selectors.RECENTLY_RELEASED_DAYS,
            facility_ids=active_facility_ids(request),
        )
    else:
        rows = release_selectors.due_for_release(
            request.user, today=today, facility_ids=active_facility_ids(request)
        )
    context = {
        "rows": rows,
        "released": released,
        "headers": [(code, COLUMN_LABELS[code]) for code in release_selectors.COLUMNS],
        "window_days": domain.RELEASE_WINDOW_DAYS,
        "released_days": release_selectors.RECENTLY_RELEASED_DAYS,
        "today": today,
    }
    return render(request, "isolation/prerelease_list.html", context)


def _resident(request, pk):
    return get_visible_or_404(
        Resident.objects.select_related("facility", "current_zone", "current_room"), request.user, pk=pk
    )


def _checklist_page(request, resident, *, forms=None, release_form=None, refusal=None, status=200):
    checklist = release_selectors.checklist_for(resident)
    present = resident.status in Resident.PRESENT_STATUSES
    may = {
        "release": present and can(request.user, roles.MANAGE_RELEASE, resident.facility_id),
        # Medical work: the examination, and placing the resident in the pre-release zone.
        "isolation": present and can(request.user, roles.MANAGE_ISOLATION, resident.facility_id),
    }
    forms, done = forms or {}, dict(checklist.columns)
    items = []
    for code in domain.ITEMS:
        allowed = may["isolation"] if code == domain.HEALTH_EXAM else may["release"]
        items.append({
            "code": code, "label": PreReleaseItem.Item(code).label, "done": done[code],
            "record": checklist.items.get(code), "form": forms.get(code) or (ItemForm(item=code) if allowed else None),
        })  # fmt: skip
    handovers = []
    for receiver in domain.RECEIVERS:
        record = checklist.handovers.get(receiver)
        if record is not None:
            record.shown_phone = presentation.shown_phone(request.user, record)
        handovers.append({
            "code": receiver, "label": Handover.Receiver(receiver).label,
            "done": done[domain.HANDOVER_PREFIX + receiver], "record": record,
            "form": forms.get(receiver) or (HandoverForm(receiver=receiver) if may["release"] else None),
        })  # fmt: skip
    context = {
        "resident": resident,
        "shown_id_number": presentation.shown_id_number(request.user, resident),
        "checklist": checklist,
        "items": items,
        "handovers": handovers,
        "may": may,
        "release_form": release_form or (ReleaseForm() if may["release"] else None),
        "refusal": refusal,
        "item_history": release_selectors.item_history(resident),
        "handover_history": release_selectors.handover_history(resident),
    }
    return render(request, "isolation/prerelease_detail.html", context, status=status)


@scoped(Resident)
def prerelease_detail(request, pk):
    return _checklist_page(request, _resident(request, pk))


def _checklist_card(request, resident, form, template):
    """An action failed: the card again with the errors (htmx), or the whole page (plain post)."""
    if request.htmx:
        return render(request, template, {"resident": resident, "entry": {"code": form.prefix, "form": form}})
    return _checklist_page(request, resident, forms={form.prefix: form}, status=400)


@scoped(Resident)
@require_POST
def record_item(request, pk):
    resident = _resident(request, pk)
    item = request.POST.get("item", "")
    if item not in domain.ITEMS:
        return HttpResponse(_("Unknown checklist item."), status=400)
    form = ItemForm(request.POST, item=item)
    if form.is_valid() and call_service(
        form,
        release_services.record_item,
        actor=request.user,
        resident=resident,
        item=item,
        **form.cleaned_data,
    ):
        return _done(
            request,
            reverse("isolation:prerelease_detail", args=[resident.pk]) + f"#item-{item}",
            same_page=True,
        )
    return _checklist_card(request, resident, form, "isolation/prerelease_detail.html#item_form")


@scoped(Resident)
@require_POST
def record_handover(request, pk):
    resident = _resident(request, pk)
    receiver = request.POST.get("receiver", "")
    if receiver not in domain.RECEIVERS:
        return HttpResponse(_("Unknown receiver."), status=400)
    form = HandoverForm(request.POST, receiver=receiver)
    if form.is_valid() and call_service(
        form, release_services.record_handover, actor=request.user, resident=resident, receiver=receiver,
        **form.cleaned_data,
    ):  # fmt: skip
        return _done(
            request, reverse("isolation:prerelease_detail", args=[resident.pk]) + f"#handover-{receiver}"
        )
    return _checklist_card(request, resident, form, "isolation/prerelease_detail.html#handover_form")


@scoped(Resident)
@require_POST
def release(request, pk):
    resident = _resident(request, pk)
    form = ReleaseForm(request.POST)
    refusal = None
    if form.is_valid():
        try:
            released = release_services.release_resident(
                actor=request.user, resident=resident, at=form.cleaned_data["at"] or None
            )
        except release_services.ReleaseIncomplete as exc:
            refusal = list(zip(exc.missing, exc.reasons, strict=True))
        except DomainError as exc:  # a time in the future, no longer in custody: beside the form
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(name)s is released.") % {"name": released.name})
            return _done(request, reverse("isolation:prerelease_detail", args=[resident.pk]), same_page=True)
    if request.htmx:
        context = {"resident": resident, "release_form": form, "refusal": refusal, "may": {"release": True}}
        return render(request, "isolation/prerelease_detail.html#release", context)
    return _checklist_page(request, resident, release_form=form, refusal=refusal, status=400)


@scoped(Resident)
def handover_pdf(request, pk):
    resident = _resident(request, pk)
    try:
        content = handover_sheet_pdf(release_selectors.checklist_for(resident), printed_by=str(request.user))
    except FontMissing:
        return render(request, "isolation/pdf_font_missing.html", status=503)
    return _inline_pdf(content, f"handover-{resident.pk}.pdf")


# Chrome shows an inline PDF through its viewer plugin, which the pages' policy (object-src 'none')
# would block; a PDF we generate carries no script of ours, so it goes without the policy.
@csp_exempt()
def _inline_pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
