"""Pages: the findings list with its figures, recording a finding, a finding's timeline and the steps
the user may take (htmx cards), the bureau's overdue list, rectification rates, and measures.

Step forms post with htmx and get back their own card (errors beside the field, status 200 so htmx
swaps it); without htmx they fall back to the full page with status 400. Success reloads the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiedu.common.conflicts import form_status
from jiedu.common.excel import xlsx_response
from jiedu.common.idempotency import idempotent_form
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.findings import domain, exports, selectors, services
from jiedu.findings.forms import (
    CompleteMeasureForm,
    ExtendForm,
    FacilityChoiceForm,
    FindingFilterForm,
    FindingForm,
    MeasureForm,
    RatesForm,
    ReasonForm,
    RejectForm,
    StepForm,
    SubmitForm,
)
from jiedu.findings.models import Finding, RectificationMeasure
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404
from jiedu.supervision.models import Campaign, Inspection

PAGE_SIZE = 50
EXPORT_LIMIT = 20000
RATE_GROUPINGS = ("facility", "area", "team", "month")


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_SUPERVISION) == set():
        raise PermissionDenied


def _active_facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _done(request, url):
    """After a successful step: a plain post gets a 302, htmx reloads the page."""
    if not request.htmx:
        return redirect(url)
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


# --- The list -------------------------------------------------------------------------------------


def _listed(request):
    form = FindingFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    rows = narrowed(request, selectors.findings(request.user, as_of=today, **form.filters()))
    return form, rows, today


def finding_list(request):
    """Findings with filters; the figures line on top is computed from the filtered rows."""
    _require_view(request)
    form, rows, today = _listed(request)
    context = {
        "form": form, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "figures": selectors.figures(rows, today), "today": today,
        "may_record": facility_scope(request.user, roles.RECORD_FINDING) != set(),
    }  # fmt: skip
    template = "findings/list.html#results" if request.htmx else "findings/list.html"
    return render(request, template, context)


@rate_limited("export")
def export(request):
    _require_view(request)
    _form, rows, today = _listed(request)
    title = _("Findings and rectification")
    return xlsx_response(
        filename=f"{title}-{today.isoformat()}.xlsx", title=title, headers=exports.HEADERS,
        rows=(exports.export_row(finding, today) for finding in rows[:EXPORT_LIMIT]), user=request.user,
    )  # fmt: skip


def overdue(request):
    """Overdue findings across the user's facilities (the bureau: every facility), longest overdue first."""
    _require_view(request)
    today = timezone.localdate()
    lines = selectors.overdue_findings(request.user, today, facility_ids=_active_facility_ids(request))
    return render(request, "findings/overdue.html", {"lines": lines, "today": today})


# --- Recording ------------------------------------------------------------------------------------


def _recording_facility(request):
    """The facility a self-identified finding is for: the only one the user records for, or the one chosen."""
    facilities = narrowed(
        request, Facility.objects.visible_to(request.user, roles.RECORD_FINDING).order_by("code"), field="pk"
    )
    chosen = request.GET.get("facility") or request.POST.get("facility")
    if chosen:
        return get_visible_or_404(facilities, request.user, pk=chosen), facilities
    if facilities.count() == 1:
        return facilities.get(), facilities
    if not facilities.exists():
        raise PermissionDenied
    return None, facilities


@idempotent_form
def record(request):
    """Record a finding: ``?inspection=<pk>`` for a finding of that inspection, else a self-identified one."""
    inspection = None
    if request.GET.get("inspection"):
        inspection = get_visible_or_404(
            Inspection.objects.select_related("campaign", "facility", "team"), request.user,
            pk=request.GET["inspection"],
        )  # fmt: skip
        facility = inspection.facility
        if not can(request.user, roles.RECORD_FINDING, facility.pk):
            raise PermissionDenied
    else:
        facility, facilities = _recording_facility(request)
        if facility is None:
            chooser = FacilityChoiceForm(facilities=facilities)
            return render(request, "findings/record.html", {"chooser": chooser})
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        facility=facility,
        inspection=inspection,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        origin = (
            Finding.Origin.INSPECTION
            if inspection is not None and not inspection.is_self_inspection
            else Finding.Origin.SELF_IDENTIFIED
        )
        finding = call_service(
            form, services.record_finding, actor=request.user, facility=facility, origin=origin,
            inspection=inspection, campaign=data.pop("campaign", None), at=data.pop("at") or None, **data,
        )  # fmt: skip
        if finding is not None:
            messages.success(request, _("The finding is recorded."))
            return redirect("findings:detail", pk=finding.pk)
    context = {"form": form, "facility": facility, "inspection": inspection}
    return render(request, "findings/record.html", context, status=400 if request.method == "POST" else 200)


# --- One finding and its steps ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    form: type
    service: object
    title: str
    button: str
    done: str
    multipart: bool = False
    primary: bool = True


STEPS = {
    domain.START: Step(
        StepForm,
        services.start_rectification,
        gettext_lazy("Start rectification"),
        gettext_lazy("Start"),
        gettext_lazy("Rectification has started."),
    ),
    domain.SUBMIT: Step(
        SubmitForm,
        services.submit_rectification,
        gettext_lazy("Submit the rectification"),
        gettext_lazy("Submit for verification"),
        gettext_lazy("The rectification is submitted for verification."),
        multipart=True,
    ),
    domain.VERIFY: Step(
        StepForm,
        services.verify,
        gettext_lazy("Verification passed"),
        gettext_lazy("Confirm it is rectified"),
        gettext_lazy("The rectification is verified."),
    ),
    domain.REJECT: Step(
        RejectForm,
        services.reject,
        gettext_lazy("Verification failed"),
        gettext_lazy("Send back to rectify"),
        gettext_lazy("The finding went back to rectification."),
        primary=False,
    ),
    domain.CLOSE: Step(
        StepForm,
        services.close,
        gettext_lazy("Close the finding"),
        gettext_lazy("Close"),
        gettext_lazy("The finding is closed."),
    ),
    domain.REOPEN: Step(
        ReasonForm,
        services.reopen,
        gettext_lazy("Found again"),
        gettext_lazy("Reopen"),
        gettext_lazy("The finding is reopened."),
        primary=False,
    ),
    domain.EXTEND: Step(
        ExtendForm,
        services.extend_deadline,
        gettext_lazy("Extend the deadline"),
        gettext_lazy("Extend"),
        gettext_lazy("The deadline is extended."),
        primary=False,
    ),
    domain.WITHDRAW: Step(
        ReasonForm,
        services.withdraw,
        gettext_lazy("Withdraw (recorded in error)"),
        gettext_lazy("Withdraw"),
        gettext_lazy("The finding is withdrawn."),
        primary=False,
    ),
}


@dataclass(frozen=True)
class Card:
    name: str
    step: Step
    form: object


def _finding(request, pk):
    return get_visible_or_404(
        Finding.objects.select_related(
            "facility", "campaign", "inspection__team", "standard__area", "responsible_department",
            "responsible_staff", "recorded_by", "submitted_by", "verified_by",
        ),
        request.user,
        pk=pk,
    )  # fmt: skip


def _detail_page(request, finding, *, failed: Card | None = None, status=200):
    names = selectors.available_steps(request.user, finding)
    if failed is not None and failed.name not in names:
        names.append(failed.name)  # a refused step keeps its card, with the reason beside it
    cards = [
        failed
        if failed is not None and failed.name == name
        else Card(name, STEPS[name], STEPS[name].form(prefix=name, initial={"expected_version": finding.version}))
        for name in names
    ]
    today = timezone.localdate()
    context = {
        "finding": finding, "timeline": selectors.timeline(finding), "evidence": finding.evidence.all(),
        "cards": cards, "overdue": domain.is_overdue(finding.status, finding.deadline, today),
        "days_overdue": (today - finding.deadline).days,
    }  # fmt: skip
    return render(request, "findings/detail.html", context, status=status)


@scoped(Finding)
def detail(request, pk):
    """The finding, its timeline (who, when, what was said, the evidence) and the steps the user may take."""
    return _detail_page(request, _finding(request, pk))


@idempotent_form
def _take_step(request, pk, name):
    finding = _finding(request, pk)
    step = STEPS[name]
    form = step.form(request.POST, request.FILES, prefix=name)
    if form.is_valid():
        data = dict(form.cleaned_data)
        at = data.pop("at", None) or None
        done = call_service(form, step.service, actor=request.user, finding=finding, at=at, **data)
        if done is not None:
            messages.success(request, step.done)
            return _done(request, reverse("findings:detail", args=[finding.pk]))
    card = Card(name, step, form)
    status = form_status(request, form)
    if status == 409:  # taken meanwhile by someone else: show the finding as it is now
        finding = _finding(request, pk)
    if request.htmx:  # the card swaps in place: a refusal answers 200 so htmx shows it, a conflict 409 (app.js)
        context = {"finding": finding, "card": card}
        return render(request, "findings/_step.html", context, status=409 if status == 409 else 200)
    return _detail_page(request, finding, failed=card, status=status)


@require_POST
@scoped(Finding)
def start(request, pk):
    return _take_step(request, pk, domain.START)


@require_POST
@scoped(Finding)
def submit(request, pk):
    return _take_step(request, pk, domain.SUBMIT)


@require_POST
@scoped(Finding)
def verify(request, pk):
    return _take_step(request, pk, domain.VERIFY)


@require_POST
@scoped(Finding)
def reject(request, pk):
    return _take_step(request, pk, domain.REJECT)


@require_POST
@scoped(Finding)
def close(request, pk):
    return _take_step(request, pk, domain.CLOSE)


@require_POST
@scoped(Finding)
def reopen(request, pk):
    return _take_step(request, pk, domain.REOPEN)


@require_POST
@scoped(Finding)
def extend(request, pk):
    return _take_step(request, pk, domain.EXTEND)


@require_POST
@scoped(Finding)
def withdraw(request, pk):
    return _take_step(request, pk, domain.WITHDRAW)


# --- Rates ----------------------------------------------------------------------------------------


def _rate_tables(request):
    form = RatesForm(request.GET or None, user=request.user)
    criteria = form.criteria()
    today = timezone.localdate()
    tables = [selectors.RATE_TABLES[by](request.user, **criteria, as_of=today) for by in RATE_GROUPINGS]
    return form, criteria, tables, today


def rates(request):
    """Found, rectified, rates and overdue by facility, area, team and month, for a campaign and/or period."""
    _require_view(request)
    form, criteria, tables, today = _rate_tables(request)
    context = {"form": form, "tables": tables, "campaign": criteria.get("campaign"), "today": today}
    return render(request, "findings/rates.html", context)


@rate_limited("export")
def rates_export(request):
    _require_view(request)
    _form, criteria, tables, today = _rate_tables(request)
    campaign = criteria.get("campaign")
    title = _("Rectification rates")
    name = f"{campaign.name}-{title}" if campaign else f"{title}-{today.isoformat()}"
    return xlsx_response(
        filename=f"{name}.xlsx", title=title, headers=exports.RATE_HEADERS, rows=exports.rate_rows(tables),
        user=request.user,
    )  # fmt: skip


# --- Measures -------------------------------------------------------------------------------------


def _chosen_campaign(request):
    value = request.GET.get("campaign", "")
    if not (value.isascii() and value.isdigit()):
        return None
    return Campaign.objects.visible_to(request.user).filter(pk=value).first()


def measures(request):
    """A campaign's measures with the findings they address (e.g. 20 problems · 15 measures); record one."""
    _require_view(request)
    campaign = _chosen_campaign(request)
    facilities = narrowed(
        request, Facility.objects.visible_to(request.user, roles.RECORD_FINDING), field="pk"
    )
    facility = facilities.get() if facilities.count() == 1 else None
    form = None
    if facility is not None:
        form = MeasureForm(request.POST or None, user=request.user, facility=facility, campaign=campaign)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            measure = call_service(
                form, services.record_measure, actor=request.user, facility=facility, **form.cleaned_data
            )
            if measure is not None:
                messages.success(request, _("The measure is recorded."))
                query = f"?campaign={measure.campaign_id}" if measure.campaign_id else ""
                return redirect(reverse("findings:measures") + query)
    rows = narrowed(request, selectors.measures(request.user, campaign=campaign))
    found = narrowed(request, selectors.findings(request.user, campaign=campaign)) if campaign else None
    context = {
        "campaign": campaign, "campaigns": Campaign.objects.visible_to(request.user),
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "form": form, "facility": facility,
        "figures": selectors.figures(found, timezone.localdate()) if found is not None else None,
        "may_complete": facility_scope(request.user, roles.RECTIFY_FINDING) != set(),
    }  # fmt: skip
    return render(request, "findings/measures.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@scoped(RectificationMeasure)
def complete_measure(request, pk):
    measure = get_visible_or_404(RectificationMeasure, request.user, pk=pk)
    form = CompleteMeasureForm(request.POST)
    if form.is_valid():
        done = call_service(
            form, services.complete_measure, actor=request.user, measure=measure, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("The measure is completed."))
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    query = f"?campaign={measure.campaign_id}" if measure.campaign_id else ""
    return redirect(reverse("findings:measures") + query)
