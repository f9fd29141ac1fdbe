"""Pages of §2: the leave areas with their one inspector (每个区域指定1名巡查员), and the patrol log."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service
from jiedu.common.rate_limits import rate_limited
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.people.models import Staff
from jiedu.staffleave import exports_ledgers, selectors, services
from jiedu.staffleave.forms import AreaForm, InspectorForm, PatrolForm
from jiedu.staffleave.views import EXPORT_LIMIT, PAGE_SIZE, require_scope


def _manageable(request):
    """Facilities where the user manages staff health, narrowed by the facility switcher."""
    facilities = Facility.objects.visible_to(request.user, action=roles.MANAGE_STAFF_HEALTH)
    return narrowed(request, facilities, field="pk")


def _choices(request, facilities):
    areas = selectors.areas(request.user).filter(facility__in=facilities, active=True)
    staff = Staff.objects.visible_to(request.user).filter(
        facility__in=facilities, status=Staff.Status.ON_DUTY
    )
    return areas, staff.order_by("police_number")


def areas(request):
    """Each area with its current inspector; officers add areas and hand an area to a new inspector."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    facilities = _manageable(request)
    area_choices, staff_choices = _choices(request, facilities)
    posted = request.POST if request.method == "POST" else None
    area_form = AreaForm(posted if posted and "name" in posted else None, facilities=facilities)
    inspector_form = InspectorForm(
        posted if posted and "from_date" in posted else None, areas=area_choices, staff=staff_choices,
        initial={"from_date": timezone.localdate()},
    )  # fmt: skip
    if posted is not None:
        require_scope(request, roles.MANAGE_STAFF_HEALTH)
        if "name" in posted:
            form, service = area_form, services.create_area
        else:
            form, service = inspector_form, services.assign_inspector
        if (
            form.is_valid()
            and call_service(form, service, actor=request.user, **form.cleaned_data) is not None
        ):
            return redirect("staffleave:areas")
    inspectors = selectors.current_inspectors(request.user)
    rows = [(area, inspectors.get(area.pk)) for area in narrowed(request, selectors.areas(request.user))]
    context = {
        "rows": rows, "area_form": area_form, "inspector_form": inspector_form, "may_manage": facilities.exists(),
    }  # fmt: skip
    return render(request, "staffleave/areas.html", context, status=400 if posted is not None else 200)


def patrols(request):
    """The inspectors' patrol log, newest first; a visit is recorded under the area's current inspector."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    facilities = _manageable(request)
    area_choices, staff_choices = _choices(request, facilities)
    form = PatrolForm(
        request.POST or None, areas=area_choices, staff=staff_choices,
        initial={"visited_at": timezone.localtime().replace(second=0, microsecond=0)},
    )  # fmt: skip
    if request.method == "POST":
        require_scope(request, roles.MANAGE_STAFF_HEALTH)
        if form.is_valid():
            patrol = call_service(form, services.record_patrol, actor=request.user, **form.cleaned_data)
            if patrol is not None:
                return redirect("staffleave:patrols")
    page = Paginator(narrowed(request, selectors.patrols(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "form": form, "may_manage": facilities.exists()}
    return render(
        request, "staffleave/patrols.html", context, status=400 if request.method == "POST" else 200
    )


@rate_limited("export")
def export_patrols(request):
    """The patrol log (巡查记录) as a spreadsheet."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    patrols = narrowed(request, selectors.patrols(request.user).select_related("recorded_by"))[:EXPORT_LIMIT]
    title = _("Patrol log")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx",
        title=title,
        headers=exports_ledgers.PATROL_HEADERS,
        rows=(exports_ledgers.patrol_row(patrol) for patrol in patrols),
        user=request.user,
    )


@rate_limited("export")
def export_periods(request):
    """Leave periods with how many of their days so far lack a daily report."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    periods = list(narrowed(request, selectors.periods(request.user).select_related("created_by"))[:EXPORT_LIMIT])
    missing = selectors.missing_days_by_period(request.user, periods, today=timezone.localdate())
    title = _("Leave periods")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx",
        title=title,
        headers=exports_ledgers.PERIOD_HEADERS,
        rows=(exports_ledgers.period_row(period, len(missing[period.pk])) for period in periods),
        user=request.user,
    )
