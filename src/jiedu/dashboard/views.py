from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.dashboard.epidemic_panel import chart_data, epidemic_figures
from jiedu.dashboard.staff_panel import latest_round, staff_figures
from jiedu.dashboard.standards_panel import default_campaign, standards_panel
from jiedu.organisation import roles
from jiedu.organisation.models import FOUR_ZONE_MODEL, Facility, ZoneType
from jiedu.organisation.scoping import facility_scope
from jiedu.overseas.models import Category
from jiedu.people.selectors import residents_by_facility_and_zone


def chart_residents_by_facility_and_zone(user, facility_ids=None) -> dict:
    """ECharts stacked-bar data: one series per zone type, one category per facility."""
    rows = residents_by_facility_and_zone(user, facility_ids)
    facilities = []
    for row in rows:
        name = row["facility__short_name"]
        if name not in facilities:
            facilities.append(name)
    labels = dict(ZoneType.choices)
    order = [*FOUR_ZONE_MODEL, *[z for z in ZoneType if z not in FOUR_ZONE_MODEL], None]
    series = []
    for zone_type in order:
        counts = {r["facility__short_name"]: r["n"] for r in rows if r["current_zone__zone_type"] == zone_type}
        if not counts:
            continue
        series.append(
            {
                "name": str(labels.get(zone_type, _("No zone"))),
                "data": [counts.get(f, 0) for f in facilities],
            }
        )
    return {"categories": facilities, "series": series}


def home(request):
    if facility_scope(request.user, roles.VIEW_RESIDENTS) == set() and facility_scope(request.user, roles.RECORD_GATE):
        return redirect("gatelog:gate")  # a gate officer's day starts at the gate
    facility_id = request.session.get("active_facility_id")
    facility_ids = [facility_id] if facility_id else None
    chart = chart_residents_by_facility_and_zone(request.user, facility_ids)
    facilities = Facility.objects.visible_to(request.user)
    total = sum(sum(s["data"]) for s in chart["series"])
    return render(
        request,
        "dashboard/home.html",
        {"chart": chart, "facility_count": facilities.count(), "resident_total": total},
    )


def staff_health(request):
    """Today's staff epidemic-control figures per facility (leave reports, standby, overseas, screening)."""
    if facility_scope(request.user, roles.VIEW_STAFF_HEALTH) == set():
        raise PermissionDenied
    facility_id = request.session.get("active_facility_id")
    screening_round = latest_round(request.user)
    figures = staff_figures(
        request.user, [facility_id] if facility_id else None, screening_round=screening_round
    )
    return render(
        request,
        "dashboard/staff_health.html",
        {
            "figures": figures,
            "categories": Category.choices,
            "round_name": screening_round.name if screening_round else "",
            "now": timezone.now(),
        },
    )


def epidemic(request):
    """Today's epidemic-control figures: one facility, or all the user's facilities side by side."""
    if facility_scope(request.user, roles.VIEW_EPIDEMIC) == set():
        raise PermissionDenied
    facility_id = request.session.get("active_facility_id")
    now = timezone.now()
    figures = epidemic_figures(request.user, [facility_id] if facility_id else None, now=now)
    return render(
        request, "dashboard/epidemic.html", {"figures": figures, "chart": chart_data(figures), "now": now}
    )


def standards(request):
    """The bureau's standardised-management panel (a facility's users see their own facility's figures)."""
    if facility_scope(request.user, roles.VIEW_SUPERVISION) == set():
        raise PermissionDenied
    from jiedu.supervision.models import Campaign

    as_of = timezone.localdate()
    raw = request.GET.get("campaign", "")
    campaign = (
        Campaign.objects.visible_to(request.user).filter(pk=raw).first() if raw.isdigit() else None
    ) or default_campaign(request.user, as_of)
    facility_id = request.session.get("active_facility_id")
    panel = standards_panel(
        request.user, campaign=campaign, as_of=as_of, facility_ids=[facility_id] if facility_id else None
    )
    return render(request, "dashboard/standards.html", {"panel": panel, "as_of": as_of})
