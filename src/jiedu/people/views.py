from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.pages import call_service, scoped
from jiedu.organisation import roles
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope, get_visible_or_404
from jiedu.people import identity, presentation, services
from jiedu.people.forms import ResidentAdmitForm, ResidentFilterForm
from jiedu.people.models import Resident, Staff
from jiedu.people.selectors import search_people

PAGE_SIZE = 25


def _active_facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _shown(request, people):
    for person in people:
        person.shown_id_number = presentation.shown_id_number(request.user, person)
        person.shown_phone = presentation.shown_phone(request.user, person)
    return people


def resident_list(request):
    form = ResidentFilterForm(request.GET or None, user=request.user, facility_ids=_active_facility_ids(request))
    residents = narrowed(request, Resident.objects.visible_to(request.user)).select_related(
        "facility", "current_zone", "current_room"
    )
    if form.is_valid():
        residents = search_people(residents, form.cleaned_data["q"])
        if form.cleaned_data["zone"]:
            residents = residents.filter(current_zone=form.cleaned_data["zone"])
        if form.cleaned_data["status"]:
            residents = residents.filter(status=form.cleaned_data["status"])
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    _shown(request, page.object_list)
    context = {
        "form": form,
        "page": page,
        "may_admit": facility_scope(request.user, roles.ADMIT_RESIDENT) != set(),
    }
    template = "people/resident_list.html#table" if request.htmx else "people/resident_list.html"
    return render(request, template, context)


@scoped(Resident)
def resident_detail(request, pk):
    resident = get_visible_or_404(
        Resident.objects.select_related("facility", "current_zone", "current_room"), request.user, pk=pk
    )
    _shown(request, [resident])
    return render(request, "people/resident_detail.html", {"resident": resident})


def resident_admit(request):
    form = ResidentAdmitForm(request.POST or None, user=request.user, facility_ids=_active_facility_ids(request))
    if request.method == "POST" and form.is_valid():
        resident = call_service(form, services.admit_resident, actor=request.user, **form.cleaned_data)
        if resident is not None:
            messages.success(request, _("Resident %(name)s admitted.") % {"name": resident.name})
            for warning in identity.parse_id_number(resident.id_number, today=timezone.localdate()).warnings:
                messages.warning(request, warning)
            return redirect("people:resident_detail", pk=resident.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/resident_admit.html", {"form": form}, status=status)


def staff_list(request):
    q = request.GET.get("q", "")
    staff = search_people(
        narrowed(request, Staff.objects.visible_to(request.user)).select_related("facility", "department"), q
    )
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    _shown(request, page.object_list)
    template = "people/staff_list.html#table" if request.htmx else "people/staff_list.html"
    return render(request, template, {"page": page, "q": q})


@scoped(Staff)
def staff_detail(request, pk):
    member = get_visible_or_404(Staff.objects.select_related("facility", "department"), request.user, pk=pk)
    _shown(request, [member])
    return render(request, "people/staff_detail.html", {"member": member})
