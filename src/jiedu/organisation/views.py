from django.shortcuts import render

from jiedu.common.pages import scoped
from jiedu.organisation.models import CommunityStation, Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import get_visible_or_404
from jiedu.organisation.selectors import zones_with_rooms
from jiedu.people.selectors import resident_counts_by_facility


def facility_list(request):
    facilities = narrowed(request, Facility.objects.visible_to(request.user), field="pk")
    present = resident_counts_by_facility(request.user)
    for facility in facilities:
        facility.residents_present = present.get(facility.pk)
    return render(request, "organisation/facility_list.html", {"facilities": facilities})


@scoped(Facility)
def facility_detail(request, pk):
    facility = get_visible_or_404(Facility, request.user, pk=pk)
    zones = zones_with_rooms(facility, request.user)
    stations = CommunityStation.objects.visible_to(request.user).filter(facility=facility)
    return render(
        request,
        "organisation/facility_detail.html",
        {
            "facility": facility,
            "zones": zones,
            "stations": stations,
            "capacity_total": sum(z.capacity_total for z in zones),
            "occupants_total": sum(z.occupants_total for z in zones),
        },
    )


def station_list(request):
    stations = narrowed(request, CommunityStation.objects.visible_to(request.user)).select_related("facility")
    return render(request, "organisation/station_list.html", {"stations": stations})
