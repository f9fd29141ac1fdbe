from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.organisation import roles
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404
from jiedu.overseas import exports, selectors, services
from jiedu.overseas.forms import EntryForm, LedgerFilterForm, StatusForm
from jiedu.overseas.models import Category, OverseasEntry
from jiedu.privacy.approval import approval_required

PAGE_SIZE = 50
EXPORT_LIMIT = 20000
FIELDS_PARTIAL = "overseas/status_fields.html"


def _require(request, action):
    if facility_scope(request.user, action) == set():
        raise PermissionDenied


def _active_facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _category_swap(request) -> bool:
    """The category toggles asked (htmx) for the chosen category's fields only."""
    return bool(request.htmx) and request.method == "GET" and "category" in request.GET


def _ledger_rows(request):
    """The filter form, the entries of the chosen department (for the counts) and those of the category too."""
    form = LedgerFilterForm(request.GET or None, user=request.user, facility_ids=_active_facility_ids(request))
    criteria = form.cleaned_data if form.is_bound and form.is_valid() else {}
    in_department = narrowed(request, selectors.ledger(request.user, department=criteria.get("department")))
    category = criteria.get("category", "")
    return form, in_department, in_department.filter(current_category=category) if category else in_department


def ledger(request):
    """三类人员台账: counts by category and every person with the category in force."""
    _require(request, roles.VIEW_STAFF_HEALTH)
    form, in_department, entries = _ledger_rows(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(Category.choices)
    for entry in page.object_list:
        entry.current_category_label = labels.get(entry.current_category, "")
    query = {name: request.GET.get(name, "") for name in LedgerFilterForm.base_fields}
    return render(
        request,
        "overseas/ledger.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.counts_by_category(in_department),
            "export_url": f"{reverse('overseas:export')}?{urlencode(query)}",
            "may_manage": facility_scope(request.user, roles.MANAGE_STAFF_HEALTH) != set(),
        },
    )


def entry_new(request):
    """A staff member or relative enters the ledger with their first status."""
    _require(request, roles.MANAGE_STAFF_HEALTH)
    if _category_swap(request):
        form = StatusForm(initial=request.GET.dict())
        return render(request, FIELDS_PARTIAL, {"form": form})
    form = EntryForm(
        request.POST or None,
        initial={"effective_date": timezone.localdate(), "staff": request.GET.get("staff")},
        user=request.user,
        facility_ids=_active_facility_ids(request),
    )
    if request.method == "POST" and form.is_valid():
        entry = call_service(form, services.create_entry, actor=request.user, **form.entry_values())
        if entry is not None:
            messages.success(request, _("%(name)s is in the overseas ledger.") % {"name": entry.display_name})
            return redirect("overseas:entry_detail", pk=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "overseas/entry_new.html", {"form": form}, status=status)


@scoped(OverseasEntry)
def entry_detail(request, pk):
    """One person's history, the status in force first, and the form to record a new status."""
    entry = get_visible_or_404(
        OverseasEntry.objects.select_related("facility", "staff__department", "recorded_by"), request.user, pk=pk
    )
    may_manage = can(request.user, roles.MANAGE_STAFF_HEALTH, entry.facility_id)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    if _category_swap(request):
        return render(request, FIELDS_PARTIAL, {"form": StatusForm(initial=request.GET.dict())})
    history = selectors.history(entry)
    form = None
    if may_manage:
        initial = {"effective_date": timezone.localdate(), "category": history[0].category if history else None}
        form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        status = call_service(
            form, services.record_status, actor=request.user, entry=entry, **form.status_values()
        )
        if status is not None:
            messages.success(request, _("The new status is recorded."))
            return redirect("overseas:entry_detail", pk=entry.pk)
    context = {"entry": entry, "history": history, "current": history[0] if history else None, "form": form}
    return render(request, "overseas/entry_detail.html", context, status=400 if request.method == "POST" else 200)


@rate_limited("export")
@approval_required("overseas_ledger")  # staff and relatives' whereabouts, masked IDs: PI-03
def export(request):
    _require(request, roles.VIEW_STAFF_HEALTH)
    _form, _in_department, entries = _ledger_rows(request)
    title = _("Overseas personnel ledger")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx",
        title=title,
        headers=exports.HEADERS,
        rows=exports.export_rows(entries[:EXPORT_LIMIT]),
        user=request.user,
    )
