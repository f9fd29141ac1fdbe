from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.errors import AccessDenied
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited, searching
from jiedu.organisation import roles
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope, get_visible_or_404
from jiedu.people import identity, presentation, services
from jiedu.people.forms import ResidentAdmitForm, ResidentFilterForm
from jiedu.people.models import Resident, Staff
from jiedu.people.selectors import search_people
from jiedu.privacy.services import log_view

PAGE_SIZE = 25


def _active_facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _require_some_scope(request, model) -> None:
    """Someone who may see these records in no facility (the three administrators, a gate officer)
    gets a refusal, not an empty list: personal records are none of their business (ACL-06)."""
    if facility_scope(request.user, model.view_action) == set():
        raise AccessDenied(model.view_action, None)


def _shown(request, people):
    for person in people:
        person.shown_id_number = presentation.shown_id_number(request.user, person)
        person.shown_phone = presentation.shown_phone(request.user, person)
    return people


def filtered_residents(request):
    """The list's filter form and the residents it selects (the list page and its export)."""
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
    return form, residents


def filtered_staff(request):
    return search_people(
        narrowed(request, Staff.objects.visible_to(request.user)).select_related("facility", "department"),
        request.GET.get("q", ""),
    )


@rate_limited("search", when=searching)
def resident_list(request):
    _require_some_scope(request, Resident)
    form, residents = filtered_residents(request)
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
    log_view(actor=request.user, subject=resident)  # one access-log row per opening (PI-02)
    context = {"resident": resident, "may_reveal": presentation.may_reveal(request.user, resident.facility_id)}
    return render(request, "people/resident_detail.html", context)


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


@rate_limited("search", when=searching)
def staff_list(request):
    _require_some_scope(request, Staff)
    q = request.GET.get("q", "")
    staff = filtered_staff(request)
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    _shown(request, page.object_list)
    template = "people/staff_list.html#table" if request.htmx else "people/staff_list.html"
    return render(request, template, {"page": page, "q": q})


@scoped(Staff)
def staff_detail(request, pk):
    member = get_visible_or_404(Staff.objects.select_related("facility", "department"), request.user, pk=pk)
    _shown(request, [member])
    log_view(actor=request.user, subject=member)  # one access-log row per opening (PI-02)
    context = {"member": member, "may_reveal": presentation.may_reveal(request.user, member.facility_id)}
    return render(request, "people/staff_detail.html", context)
