from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiedu.assessment import exports, selectors, services
from jiedu.assessment.forms import SchemeForm
from jiedu.common.conflicts import form_status
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404

FIRST_YEAR, LAST_YEAR = services.FIRST_YEAR, services.LAST_YEAR


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_SUPERVISION) == set():
        raise PermissionDenied


def _year(request) -> int:
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return timezone.localdate().year


def _switched(request):
    """The facility switcher narrows the table (never widens it): ids, or None for all visible."""
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _chart(ranking) -> dict:
    return {
        "categories": [row.facility.short_name for row in ranking.rows],
        "inspection": [float(row.score.inspection_part) for row in ranking.rows],
        "rectification": [float(row.score.rectification_part) for row in ranking.rows],
        "full_marks": float(ranking.scheme.full_marks),
    }


def year(request):
    """The year's scores: the bureau sees every facility ranked, a facility its own score."""
    _require_view(request)
    chosen = _year(request)
    ranking = selectors.scores(request.user, chosen, facility_ids=_switched(request))
    context = {
        "ranking": ranking, "years": selectors.years(), "chart": _chart(ranking),
        "may_set_scheme": can(request.user, roles.MANAGE_STANDARDS, None),
    }  # fmt: skip
    return render(request, "assessment/year.html", context)


@scoped(Facility)
def facility(request, pk):
    """Every line of one facility's score: what the inspections gave, what each finding cost."""
    shown = get_visible_or_404(Facility, request.user, pk=pk)
    if not can(request.user, roles.VIEW_SUPERVISION, shown.pk):
        raise PermissionDenied
    chosen = _year(request)
    row = selectors.facility_score(request.user, shown, chosen)
    context = {
        "row": row,
        "year": chosen,
        "scheme": selectors.scheme_for(chosen),
        "as_of": selectors.judged_on(chosen),
    }
    return render(request, "assessment/facility.html", context)


@require_http_methods(["GET", "POST"])
def scheme(request):
    """The bureau sets the year's scheme; the scores follow at once."""
    if not can(request.user, roles.MANAGE_STANDARDS, None):
        raise PermissionDenied
    chosen = _year(request)
    current = selectors.scheme_for(chosen)
    initial = {name: getattr(current, name) for name in selectors.SCHEME_FIELDS}
    # 0: no scheme saved for the year yet, so one saved meanwhile by someone else is not overwritten.
    initial["expected_version"] = current.version if current.pk else 0
    form = SchemeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.set_scheme, actor=request.user, year=chosen, **form.cleaned_data):
            messages.success(request, _("The scheme for %(year)d was saved.") % {"year": chosen})
            return redirect(f"{reverse('assessment:year')}?year={chosen}")
    context = {"form": form, "year": chosen, "scheme": current, "years": selectors.years()}
    return render(request, "assessment/scheme.html", context, status=form_status(request, form))


@rate_limited("export")
def export(request):
    """The ranking of ``?year=`` with a second sheet of every line."""
    _require_view(request)
    ranking = selectors.scores(request.user, _year(request), facility_ids=_switched(request))
    return exports.ranking_response(ranking, user=request.user)
