"""Pages: today's checklist (tablet), compliance for a day, key-area management, the ledger."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedu.common.conflicts import form_status
from jiedu.common.errors import AccessDenied
from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.environment import domain, selectors, services
from jiedu.environment.forms import (
    COMMON_AGENTS,
    COMMON_CONCENTRATIONS,
    DayForm,
    DisinfectionForm,
    KeyAreaEditForm,
    KeyAreaForm,
    LedgerFilterForm,
)
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.environment.presentation import STATE_LABELS, percent, record_state
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404

LEDGER_PAGE_SIZE = 50
TREND_DAYS = 14


def _active_facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _chosen_facility(request):
    """The facility a one-facility page shows: ?facility= if visible, else the first visible one."""
    facilities = list(
        narrowed(request, Facility.objects.visible_to(request.user, action=roles.VIEW_EPIDEMIC), field="pk")
    )
    wanted = request.GET.get("facility", "")
    chosen = next((f for f in facilities if str(f.pk) == wanted), facilities[0] if facilities else None)
    return chosen, facilities


# --- Today's checklist --------------------------------------------------------------------------


def _prepare_cards(report, *, bound_form=None, bound_area_id=None) -> None:
    """Each card's disinfection form, prefilled with the agent the area was last disinfected with."""
    for status in report.areas:
        if status.area.pk == bound_area_id and bound_form is not None:
            status.form = bound_form
        else:
            status.form = DisinfectionForm(
                area_id=status.area.pk,
                initial={"agent": status.last_agent, "concentration": status.last_concentration},
            )


def _today_context(request, report) -> dict:
    facility = report.facility
    return {
        "report": report,
        "facility": facility,
        "may_record": can(request.user, roles.RECORD_ENVIRONMENT, facility.pk),
        "ventilation_percent": percent(report.compliance.ventilation),
        "disinfection_percent": percent(report.compliance.disinfection),
        "window": domain.DEFAULT_WINDOW,
        "agents": COMMON_AGENTS,
        "concentrations": COMMON_CONCENTRATIONS,
    }


def today(request):
    facility, facilities = _chosen_facility(request)
    if facility is None:
        return render(request, "environment/today.html", {"facilities": facilities})
    report = selectors.today_board(request.user, facility)
    _prepare_cards(report)
    context = _today_context(request, report)
    context["facilities"] = facilities
    return render(request, "environment/today.html", context)


def _card_response(request, area: KeyArea, *, form=None, ok: bool) -> HttpResponse:
    """The area's card again, and the day's totals swapped out of band: one round trip."""
    report = selectors.today_board(request.user, area.facility)
    _prepare_cards(report, bound_form=None if ok else form, bound_area_id=area.pk)
    context = _today_context(request, report)
    status = next((s for s in report.areas if s.area.pk == area.pk), None)
    if status is None:  # unmarked meanwhile: the card goes away
        body = ""
    else:
        body = render_to_string("environment/today.html#card", {**context, "status": status}, request=request)
    body += render_to_string("environment/today.html#summary", {**context, "oob": True}, request=request)
    return HttpResponse(body, status=200 if ok else form_status(request, form))


def _after_post(request, area: KeyArea, *, form, ok: bool, done_message: str):
    if request.htmx:
        return _card_response(request, area, form=form, ok=ok)
    if ok:
        messages.success(request, done_message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{area.name}: {error}")
    return redirect(f"{reverse('environment:today')}?facility={area.facility_id}")


@require_POST
@scoped(KeyArea)
def record(request, pk):
    """The big buttons: a ventilation now (one tap), or a disinfection now with agent and concentration."""
    area = get_visible_or_404(KeyArea.objects.select_related("facility", "zone"), request.user, pk=pk)
    kind = request.POST.get("kind", "")
    form = (
        DisinfectionForm(request.POST, area_id=area.pk)
        if kind == domain.DISINFECTION
        else forms.Form(request.POST)
    )
    row = None
    if form.is_valid():
        row = call_service(
            form, services.record_environment, actor=request.user, area=area, kind=kind, **form.cleaned_data
        )
    label = dict(EnvironmentRecord.Kind.choices).get(kind, "")
    return _after_post(
        request, area, form=form, ok=row is not None,
        done_message=_("%(kind)s of %(area)s recorded.") % {"kind": label, "area": area.name},
    )  # fmt: skip


@require_POST
@scoped(EnvironmentRecord)
def retract(request, pk):
    """Undo a tap on the wrong button: a retraction row, so the ledger keeps both."""
    original = get_visible_or_404(
        EnvironmentRecord.objects.select_related("area__facility"), request.user, pk=pk
    )
    form = forms.Form(request.POST)
    row = call_service(
        form, services.correct_environment_record, actor=request.user, original=original, retract=True
    )
    return _after_post(
        request, original.area, form=form, ok=row is not None, done_message=_("The record is withdrawn.")
    )


# --- Compliance for a day ----------------------------------------------------------------------


def _chart(report, trend) -> dict:
    return {
        "areas": [status.area.name for status in report.areas],
        "ventilation": [percent(status.day.ventilation) for status in report.areas],
        "disinfection": [percent(status.day.disinfection) for status in report.areas],
        "trend": {
            "days": [f"{point['day']:%m-%d}" for point in trend],
            "ventilation": [percent(point["ventilation"]) for point in trend],
            "disinfection": [percent(point["disinfection"]) for point in trend],
        },
        "labels": {"ventilation": _("Ventilation"), "disinfection": _("Disinfection")},
    }


def _all_facilities(request, facilities, day) -> list[dict]:
    rates = selectors.compliance_by_facility(request.user, day)
    return [
        {
            "facility": facility,
            "ventilation": round(rates[facility.pk]["ventilation"] * 100),
            "disinfection": round(rates[facility.pk]["disinfection"] * 100),
            "overdue_areas": rates[facility.pk]["overdue_areas"],
        }
        for facility in facilities
        if facility.pk in rates
    ]


def compliance(request):
    facility, facilities = _chosen_facility(request)
    today_ = timezone.localdate()
    form = DayForm(request.GET or None)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else today_
    day = min(day, today_)
    context = {"form": form, "facilities": facilities, "facility": facility, "day": day, "today": today_}
    if facility is not None:
        report = selectors.day_report(request.user, facility, day)
        trend = selectors.compliance_trend(request.user, facility, last_day=day, days=TREND_DAYS)
        context.update(
            report=report,
            ventilation_percent=percent(report.compliance.ventilation),
            disinfection_percent=percent(report.compliance.disinfection),
            chart=_chart(report, trend),
            rows=[
                {
                    "status": s,
                    "ventilation": percent(s.day.ventilation),
                    "disinfection": percent(s.day.disinfection),
                }
                for s in report.areas
            ],
        )
    if len(facilities) > 1:
        context["all_facilities"] = _all_facilities(request, facilities, day)
    return render(request, "environment/compliance.html", context)


# --- Key areas ---------------------------------------------------------------------------------


def areas(request):
    """Current and former key areas; facility managers mark new ones here."""
    may_manage = facility_scope(request.user, roles.MANAGE_ORGANISATION) != set()
    form = None
    if may_manage:
        form = KeyAreaForm(
            request.POST or None, user=request.user, facility_ids=_active_facility_ids(request)
        )
    if request.method == "POST" and form is not None and form.is_valid():
        area = call_service(form, services.create_key_area, actor=request.user, **form.cleaned_data)
        if area is not None:
            messages.success(request, _("%(area)s is a key area from today on.") % {"area": area.name})
            return redirect("environment:areas")
    rows = narrowed(request, KeyArea.objects.visible_to(request.user)).select_related("facility", "zone")
    rows = rows.order_by("facility__code", "key_until", "name")
    today_ = timezone.localdate()
    current = [a for a in rows if a.is_key_on(today_)]
    former = [a for a in rows if not a.is_key_on(today_)]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "environment/areas.html",
        {"form": form, "current": current, "former": former, "may_manage": may_manage},
        status=status,
    )


def _require_manage(request, area: KeyArea) -> None:
    if not can(request.user, roles.MANAGE_ORGANISATION, area.facility_id):
        raise AccessDenied(roles.MANAGE_ORGANISATION, area.facility_id)


@scoped(KeyArea)
def area_edit(request, pk):
    area = get_visible_or_404(KeyArea.objects.select_related("facility", "zone"), request.user, pk=pk)
    _require_manage(request, area)
    form = KeyAreaEditForm(request.POST or None, user=request.user, area=area)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.update_key_area, actor=request.user, area=area, **form.cleaned_data)
    )
    if saved:
        messages.success(request, _("The key area is saved."))
        return redirect("environment:areas")
    return render(
        request, "environment/area_edit.html", {"form": form, "area": area}, status=form_status(request, form)
    )


@require_POST
@scoped(KeyArea)
def area_unmark(request, pk):
    area = get_visible_or_404(KeyArea, request.user, pk=pk)
    form = forms.Form(request.POST)
    if call_service(form, services.unmark_key_area, actor=request.user, area=area):
        messages.success(request, _("%(area)s is no longer a key area from today on.") % {"area": area.name})
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("environment:areas")


# --- Ledger ------------------------------------------------------------------------------------


def _ledger_rows(request):
    form = LedgerFilterForm(
        request.GET or None, user=request.user, facility_ids=_active_facility_ids(request)
    )
    filters = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    rows = selectors.ledger(request.user, facility_ids=_active_facility_ids(request), **filters)
    return form, rows


def log(request):
    form, rows = _ledger_rows(request)
    page = Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.state = record_state(row)
        row.state_label = STATE_LABELS[row.state]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "export_query": query.urlencode()}
    template = "environment/log.html#table" if request.htmx else "environment/log.html"
    return render(request, template, context)


EXPORT_HEADERS = (
    _("Record number"), _("Facility"), _("Key area"), _("Zone"), _("Kind"), _("Performed at"),
    _("Performed by"), _("Duration (minutes)"), _("Disinfectant"), _("Concentration"), _("Note"), _("State"),
    _("Corrects record"), _("Recorded at"),
)  # fmt: skip


@rate_limited("export")
def export(request):
    """The ledger as filtered on the log page, every field; no personal identifier is in it."""
    _form, rows = _ledger_rows(request)

    def lines():
        for row in rows.iterator(chunk_size=500):
            yield (
                row.pk, row.facility.short_name, row.area.name, row.area.zone.name if row.area.zone else "",
                row.get_kind_display(), row.performed_at, str(row.performed_by), row.duration_minutes,
                row.agent, row.concentration, row.note, STATE_LABELS[record_state(row)], row.corrects_id,
                row.created_at,
            )  # fmt: skip

    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        filename=f"{_('Ventilation and disinfection ledger')}-{stamp}.xlsx",
        title=_("Ventilation and disinfection ledger"),
        headers=EXPORT_HEADERS,
        rows=lines(),
        user=request.user,
    )
