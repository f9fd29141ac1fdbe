from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jiedu.audit import labels
from jiedu.audit import services as audit
from jiedu.common.errors import AccessDenied
from jiedu.common.masking import mask_id_number, mask_phone
from jiedu.common.pages import call_service, scoped
from jiedu.organisation import roles
from jiedu.organisation.scoping import facility_scope, get_visible_or_404
from jiedu.people.models import Resident, Staff
from jiedu.privacy import selectors, services
from jiedu.privacy.domain import REVEALABLE
from jiedu.privacy.forms import AccessLogFilterForm, ExportApprovalRequestForm, ExportDecisionForm, RevealForm
from jiedu.privacy.gates import GATES, label_of
from jiedu.privacy.models import ExportRequest

PAGE_SIZE = 50


@scoped(Resident)
@require_POST
def reveal_resident(request, pk):
    resident = get_visible_or_404(Resident, request.user, pk=pk)
    return _reveal(request, resident, "privacy:reveal_resident", "people:resident_detail")


@scoped(Staff)
@require_POST
def reveal_staff(request, pk):
    member = get_visible_or_404(Staff, request.user, pk=pk)
    return _reveal(request, member, "privacy:reveal_staff", "people:staff_detail")


def _reveal(request, person, action_name, detail_name):
    """Show one full identifier once (never cached), or the form again with its error (400)."""
    form = RevealForm(request.POST)
    value = None
    if form.is_valid():
        value = call_service(
            form, services.reveal_identifier, actor=request.user, person=person,
            field=form.cleaned_data["field"], purpose=form.cleaned_data["purpose"],
        )  # fmt: skip
    field = request.POST.get("field") if request.POST.get("field") in REVEALABLE else "id_number"
    context = {
        "person": person,
        "form": form,
        "value": value,
        "field": field,
        "masked": mask_phone(person.phone) if field == "phone" else mask_id_number(person.id_number),
        "action_url": reverse(action_name, args=[person.pk]),
        "back_url": reverse(detail_name, args=[person.pk]),
    }
    if value is None:
        template = "privacy/reveal_form.html" if request.htmx else "privacy/reveal_page.html"
        return render(request, template, context, status=400)
    response = render(
        request, "privacy/revealed.html" if request.htmx else "privacy/reveal_page.html", context
    )
    add_never_cache_headers(response)  # the full number must not survive in any cache or history
    return response


@require_GET
def access_log(request):
    """The audit administrator's view of who read, revealed or exported whose personal data."""
    if facility_scope(request.user, roles.VIEW_ACCESS_LOG) == set():
        raise AccessDenied(roles.VIEW_ACCESS_LOG, None)
    form = AccessLogFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.access_log(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.subject_label = _subject_label(entry)
        entry.role_label = labels.role_label(entry.role)
        entry.fields_label = (
            label_of(entry.fields[0]) if entry.kind == "export" and entry.fields
            else labels.field_labels(entry.subject_type, entry.fields)
        )  # fmt: skip
    # Reading the log is itself an administrator action (三员: each one's actions are audited).
    audit.record(actor=request.user, action="privacy.access_log_viewed", facility_id=None)
    return render(request, "privacy/access_log.html", {"form": form, "page": page})


def _subject_label(entry) -> str:
    names = {
        "people.resident": _("Resident"),
        "people.staff": _("Staff member"),
        "privacy.exportrequest": _("Export request"),
    }
    return f"{names.get(entry.subject_type, entry.subject_type)} #{entry.subject_id}"


@require_GET
def approvals(request):
    """The caller's own export requests, and others' requests waiting for the caller's decision."""
    if not selectors.may_request_exports(request.user):
        raise AccessDenied("privacy.export_request", None)
    context = {
        "own": selectors.own_requests(request.user),
        "to_decide": selectors.requests_to_decide(request.user),
    }
    return render(request, "privacy/approvals.html", context)


@require_POST
def approval_request(request):
    form = ExportApprovalRequestForm(request.POST)
    created = None
    gate = None
    if form.is_valid():
        data = form.cleaned_data
        gate = GATES[data["export"]]
        facility_id = services.export_scope(request.user, gate, request.session.get("active_facility_id"))
        created = call_service(
            form, services.request_export, actor=request.user, export_name=gate.name, query=data["query"],
            reason=data["reason"], facility_id=facility_id,
        )  # fmt: skip
    if created is None:
        return render(request, "privacy/export_refused.html", {"gate": gate, "form": form}, status=400)
    messages.success(
        request,
        _("Export request no. %(number)s sent. A colleague must approve it before you can download.")
        % {"number": created.pk},
    )
    return redirect("privacy:approvals")


@require_POST
def approval_decide(request):
    form = ExportDecisionForm(request.POST)
    if not form.is_valid():
        return _approvals_with_error(request, form)
    export_request = get_visible_or_404(ExportRequest, request.user, pk=form.cleaned_data["request"])
    decided = call_service(
        form, services.decide_export, actor=request.user, export_request=export_request,
        approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"],
    )  # fmt: skip
    if decided is None:
        return _approvals_with_error(request, form)
    messages.success(request, _("Export request no. %(number)s: %(status)s.") % {
        "number": decided.pk, "status": decided.get_status_display(),
    })  # fmt: skip
    return redirect("privacy:approvals")


def _approvals_with_error(request, form):
    context = {
        "own": selectors.own_requests(request.user),
        "to_decide": selectors.requests_to_decide(request.user),
        "decision_form": form,
    }
    return render(request, "privacy/approvals.html", context, status=400)
