from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.organisation import roles
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope, get_visible_or_404
from jiedu.screening import exports, selectors, services
from jiedu.screening.forms import BulkCommitmentForm, OwnScreeningForm, RoundForm
from jiedu.screening.models import ScreeningRound


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_STAFF_HEALTH) == set():
        raise PermissionDenied


def rounds(request):
    """Every visible round with a coverage bar per facility (only the user's own facilities)."""
    _require_view(request)
    shown = list(selectors.rounds(request.user)[:50])
    listed = list(zip(shown, selectors.coverages(request.user, shown), strict=True))
    may_create = facility_scope(request.user, roles.MANAGE_STAFF_HEALTH) != set() or (
        facility_scope(request.user, roles.MANAGE_ORGANISATION) is ALL_FACILITIES
    )
    return render(request, "screening/rounds.html", {"rounds": listed, "may_create": may_create})


def round_create(request):
    """Set up a round: a facility leader for the own facility, the bureau region-wide."""
    form = RoundForm(request.POST or None, user=request.user)
    if "facility" not in form.fields and not form.region_wide:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        created = call_service(form, services.create_round, actor=request.user, **form.cleaned_data)
        if created is not None:
            return redirect(reverse("screening:round_detail", args=[created.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/round_form.html", {"form": form}, status=status)


@scoped(ScreeningRound)
def round_detail(request, pk):
    """Coverage per facility and department, who is missing, and the clerk's bulk entry of letters."""
    screening_round = get_visible_or_404(ScreeningRound, request.user, pk=pk)
    coverage = selectors.coverage(request.user, screening_round)
    missing_ids = [staff.pk for row in coverage for staff, _form, unsigned in row.missing if unsigned]
    form = BulkCommitmentForm(request.POST or None, user=request.user, missing_ids=missing_ids)
    if request.method == "POST":
        if form.is_valid():
            recorded = call_service(
                form, services.record_commitments, actor=request.user, round=screening_round, **form.cleaned_data
            )
            if recorded is not None:
                count = len(recorded)
                messages.success(
                    request,
                    ngettext("%(n)d commitment recorded.", "%(n)d commitments recorded.", count) % {"n": count},
                )
                return redirect(reverse("screening:round_detail", args=[screening_round.pk]))
    context = {
        "round": screening_round,
        "coverage": coverage,
        "form": form,
        "may_record": bool(form.fields["staff_members"].queryset.exists()),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/round_detail.html", context, status=status)


@rate_limited("export")
def export(request):
    """The register of one round (``?round=``), or of every visible round."""
    _require_view(request)
    chosen = request.GET.get("round")
    if chosen:
        listed = [get_visible_or_404(ScreeningRound, request.user, pk=chosen)]
    else:
        listed = list(selectors.rounds(request.user))
    rows = (
        exports.export_row(r, staff, form, commitment)
        for r, staff, form, commitment in selectors.register_rows_of(request.user, listed)
    )
    title = _("Screening and commitment register")
    name = listed[0].name if chosen else title
    return xlsx_response(
        filename=f"{name}.xlsx", title=title, headers=exports.HEADERS, rows=rows, user=request.user
    )


def own_form(request):
    """人人填写排查表: a staff member fills in their own form for each round running today."""
    staff = selectors.own_staff_profile(request.user)
    if staff is None:
        raise Http404
    rounds = selectors.open_rounds_for(staff, timezone.localdate())
    form = OwnScreeningForm(request.POST or None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        submitted = call_service(form, services.submit_form, actor=request.user, staff=staff, **form.cleaned_data)
        if submitted is not None:
            messages.success(request, _("Your screening form has been submitted."))
            return redirect(reverse("screening:own_form"))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "staff": staff, "rounds": rounds}
    return render(request, "screening/own_form.html", context, status=status)
