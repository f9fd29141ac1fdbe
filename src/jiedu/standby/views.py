from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedu.common.errors import DomainError
from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.organisation import roles
from jiedu.organisation.models import Facility, Zone, ZoneType
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404
from jiedu.people.models import Staff
from jiedu.standby import exports, selectors, services
from jiedu.standby.forms import MemberForm, PolicyForm, ShiftForm, TestForm, TestLedgerFilterForm
from jiedu.standby.models import StandbyMember, StandbyShift

PAGE_SIZE = 50
EXPORT_LIMIT = 20000


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_STAFF_HEALTH) == set():
        raise PermissionDenied


def shifts(request):
    """Standby shifts, newest first, and (for those who manage staff health) a new shift."""
    _require_view(request)
    zones = narrowed(
        request,
        Zone.objects.visible_to(request.user, action=roles.MANAGE_STAFF_HEALTH)
        .filter(zone_type=ZoneType.STANDBY_ISOLATION, is_active=True)
        .select_related("facility"),
    )
    facilities = narrowed(
        request, Facility.objects.visible_to(request.user, action=roles.MANAGE_STAFF_HEALTH), field="pk"
    )
    posted = request.POST if request.method == "POST" else None
    is_policy = posted is not None and posted.get("form") == "policy"
    policy_form = PolicyForm(
        posted if is_policy else None, facilities=facilities, prefix="policy",
        initial={"effective_from": timezone.localdate()},
    )  # fmt: skip
    if is_policy:
        if (
            policy_form.is_valid()
            and call_service(
                policy_form, services.set_standby_policy, actor=request.user, **policy_form.cleaned_data
            )
            is not None
        ):
            return redirect("standby:shifts")
    form = ShiftForm(
        None if is_policy else posted, zones=zones, initial={"starts_on": timezone.localdate()}
    )
    if posted is not None and not is_policy and form.is_valid():
        zone = form.cleaned_data["zone"]
        shift = call_service(
            form, services.create_shift, actor=request.user, facility=zone.facility, zone=zone,
            starts_on=form.cleaned_data["starts_on"],
        )  # fmt: skip
        if shift is not None:
            return redirect("standby:shift_detail", pk=shift.pk)
    rows = narrowed(request, selectors.shifts(request.user)).prefetch_related("members")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    context = {
        "page": page, "form": form, "policy_form": policy_form, "may_manage": zones.exists(),
        "may_set_policy": facilities.exists(), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "standby/shifts.html", context, status=status)


def _shift_forms(request, shift, data=None):
    # Health staff pick people without holding the staff-records role: the health actions scope them.
    on_shift = Staff.objects.visible_to(request.user, roles.VIEW_STAFF_HEALTH).filter(
        pk__in=shift.members.values("staff_id")
    )
    candidates = (
        Staff.objects.visible_to(request.user, roles.MANAGE_STAFF_HEALTH)
        .filter(facility_id=shift.facility_id, status=Staff.Status.ON_DUTY)
        .exclude(pk__in=shift.members.values("staff_id"))
    )
    which = (data or {}).get("form")
    member_form = MemberForm(data if which == "member" else None, staff=candidates, prefix="member")
    test_form = TestForm(data if which == "test" else None, staff=on_shift, prefix="test")
    return member_form, test_form


@scoped(StandbyShift)
def shift_detail(request, pk):
    """The roster: who is cleared for duty and, for the others, why not; add people and test results."""
    shift = get_visible_or_404(StandbyShift.objects.select_related("facility", "zone"), request.user, pk=pk)
    may_manage = can(request.user, roles.MANAGE_STAFF_HEALTH, shift.facility_id)
    member_form, test_form = _shift_forms(request, shift, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        done = None
        if request.POST.get("form") == "member" and member_form.is_valid():
            done = call_service(
                member_form, services.add_member, actor=request.user, shift=shift, **member_form.cleaned_data
            )
        elif request.POST.get("form") == "test" and test_form.is_valid():
            done = call_service(
                test_form, services.record_test, actor=request.user, facility=shift.facility,
                **test_form.cleaned_data,
            )
        if done is not None:
            return redirect("standby:shift_detail", pk=shift.pk)
    context = {
        "shift": shift,
        "roster": selectors.roster(shift),
        "may_manage": may_manage,
        "member_form": member_form,
        "test_form": test_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "standby/shift_detail.html", context, status=status)


def _member_action(request, pk, service, success_message):
    member = get_visible_or_404(StandbyMember.objects.select_related("shift"), request.user, pk=pk)
    try:
        service(actor=request.user, member=member)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success_message % {"name": member.staff.name})
    return redirect("standby:shift_detail", pk=member.shift_id)


@require_POST
@scoped(StandbyMember)
def start_duty(request, pk):
    return _member_action(request, pk, services.start_duty, _("%(name)s has started duty."))


@require_POST
@scoped(StandbyMember)
def remove_member(request, pk):
    return _member_action(request, pk, services.remove_member, _("%(name)s was taken off the shift."))


def _ledger_filters(request) -> tuple[TestLedgerFilterForm, dict]:
    form = TestLedgerFilterForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, {}
    return form, {name: value for name, value in form.cleaned_data.items() if value}


def tests(request):
    """The nucleic-acid test ledger (核酸检测台账)."""
    _require_view(request)
    form, criteria = _ledger_filters(request)
    rows = narrowed(request, selectors.test_ledger(request.user, **criteria))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {name: request.GET.get(name, "") for name in TestLedgerFilterForm.base_fields}
    context = {"form": form, "page": page, "export_url": f"{reverse('standby:export')}?{urlencode(query)}"}
    return render(request, "standby/tests.html", context)


@rate_limited("export")
def export(request):
    _require_view(request)
    _form, criteria = _ledger_filters(request)
    rows = narrowed(request, selectors.test_ledger(request.user, **criteria))[:EXPORT_LIMIT]
    title = _("Nucleic-acid tests")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx",
        title=title,
        headers=exports.HEADERS,
        rows=(exports.export_row(test) for test in rows),
        user=request.user,
    )
