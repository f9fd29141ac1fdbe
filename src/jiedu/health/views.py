"""Temperature round pages, built for a tablet: a zone's round in one submit, today's overdue and
missed slots, compliance per zone and facility, fever alerts with one-click isolation, the ledger."""

import datetime
import math

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedu.common.errors import AccessDenied, DomainError
from jiedu.common.excel import xlsx_response
from jiedu.common.idempotency import idempotent_form
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited, searching
from jiedu.epidemic.selectors import policy_for
from jiedu.health import ledger, selectors, services
from jiedu.health.forms import (
    AlertAcceptForm,
    AlertDismissForm,
    DayForm,
    LogFilterForm,
    RecheckForm,
    RoundForm,
    temperature_field_name,
)
from jiedu.health.models import FeverAlert
from jiedu.organisation import roles
from jiedu.organisation.models import Zone
from jiedu.organisation.scoping import can, get_visible_or_404
from jiedu.privacy.approval import approval_required

ALERT_HISTORY_DAYS = 7
LOG_PAGE_SIZE = 50


def _facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


# --- Round entry -----------------------------------------------------------------------------


@idempotent_form
def round_entry(request):
    """Pick a zone, then one box per resident; one submit saves the whole round or nothing."""
    zones = selectors.zones_for_rounds(request.user, _facility_ids(request))
    zone_id = request.POST.get("zone") or request.GET.get("zone")
    if not zone_id:
        return render(request, "health/round.html", {"zones": zones})
    zone = get_visible_or_404(Zone.objects.select_related("facility"), request.user, pk=zone_id)
    if not can(request.user, roles.RECORD_TEMPERATURE, zone.facility_id):
        raise AccessDenied(roles.RECORD_TEMPERATURE, zone.facility_id)
    threshold = policy_for(zone.facility_id, timezone.localdate()).fever_threshold_c
    form = RoundForm(
        request.POST or None, residents=selectors.residents_on_round(zone), fever_threshold_c=threshold
    )
    result = None
    if request.method == "POST" and form.is_valid():
        result = _save_round(request, form, zone)
        if result is not None:
            if not request.htmx:
                messages.success(request, _saved_message(result))
                return redirect(f"{reverse('health:round')}?zone={zone.pk}")
            form = RoundForm(residents=selectors.residents_on_round(zone), fever_threshold_c=threshold)
    context = {"zones": zones, "zone": zone, "form": form, "result": result}
    if request.htmx:
        return render(request, "health/round.html#round-sheet", context)
    return render(request, "health/round.html", context, status=400 if form.errors else 200)


def _save_round(request, form, zone):
    entered = form.entered()
    if not entered:
        form.add_error(None, _("Enter at least one temperature."))
        return None
    try:
        return services.record_round(
            actor=request.user, zone=zone, readings=entered, measured_at=form.cleaned_data["measured_at"]
        )
    except services.RoundError as exc:
        for index, problems in exc.rows.items():
            for message in problems.values():
                form.add_error(temperature_field_name(entered[index][0]), message)
        form.add_error(None, _("Nothing was saved: correct the marked rows and save again."))
    except DomainError as exc:
        form.add_error("measured_at" if exc.field == "measured_at" else None, exc.message)
    return None


def _saved_message(result) -> str:
    message = _("Round saved: %(n)s temperatures.") % {"n": len(result.readings)}
    if result.alerts:
        message += " " + _("Fever alerts raised: %(n)s.") % {"n": len(result.alerts)}
    return message


# --- Overdue and compliance ------------------------------------------------------------------


def overdue(request):
    now = timezone.now()
    facilities = selectors.round_facilities(request.user, _facility_ids(request))
    late, missed = selectors.overdue_today(facilities, now)
    for row in late:
        row.minutes_late = int((now - row.rounds.overdue_since).total_seconds() // 60)
    return render(request, "health/overdue.html", {"overdue": late, "missed": missed, "now": now})


def compliance(request):
    form = DayForm(request.GET or None)
    day = (form.cleaned_data["day"] if form.is_valid() else None) or timezone.localdate()
    facilities = selectors.round_facilities(request.user, _facility_ids(request))
    report = selectors.compliance_report(facilities, day)
    return render(
        request,
        "health/compliance.html",
        {"form": form, "report": report, "chart": _compliance_chart(report), "day": day},
    )


def _percent(tally) -> float | None:
    """Rounded down like the tables (health_format.percent): any miss keeps a bar below 100."""
    return None if tally.compliance is None else math.floor(tally.compliance * 1000) / 10


def _compliance_chart(report) -> dict:
    """One facility: a bar per zone; several: a bar per facility."""
    if len(report.facilities) == 1:
        groups = [(zone.name, zone.tally) for zone in report.facilities[0].zones]
    else:
        groups = [(facility.short_name, facility.tally) for facility in report.facilities]
    return {
        "label": _("Round compliance (%)"),
        "categories": [name for name, _tally in groups],
        "compliance": [_percent(tally) for _name, tally in groups],
        "done": [tally.done for _name, tally in groups],
        "due": [tally.due for _name, tally in groups],
    }


# --- Fever alerts ----------------------------------------------------------------------------


def _decorate(request, alerts):
    now = timezone.now()
    proposals = selectors.fever_room_proposals(alerts)
    rechecks = selectors.latest_rechecks(alerts)
    for alert in alerts:
        alert.proposed_room = proposals.get(alert.pk)
        alert.recheck = rechecks.get(alert.pk)
        alert.may_isolate = can(request.user, roles.MANAGE_ISOLATION, alert.facility_id)
        alert.may_dismiss = can(request.user, roles.RECORD_TEMPERATURE, alert.facility_id)
        alert.recheck_overdue = alert.is_open and alert.recheck is None and now > alert.recheck_due_at
    return alerts


def alert_list(request):
    since = timezone.now() - datetime.timedelta(days=ALERT_HISTORY_DAYS)
    alerts = list(selectors.alerts_for(request.user, _facility_ids(request), since=since)[:200])
    alerts.sort(key=lambda a: (not a.is_open, -a.raised_at.timestamp()))
    return render(
        request,
        "health/alerts.html",
        {"alerts": _decorate(request, alerts), "history_days": ALERT_HISTORY_DAYS},
    )


def _alert_answer(request, pk, form):
    """htmx: the alert's card again (with the stay or the errors); otherwise back to the list."""
    alert = get_visible_or_404(selectors.alerts_for(request.user), request.user, pk=pk)
    if request.htmx:
        errors = [error for errors in form.errors.values() for error in errors]
        context = {"alert": _decorate(request, [alert])[0], "errors": errors}
        return render(request, "health/alerts.html#alert-card", context)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("health:alerts")


@scoped(FeverAlert)
@require_POST
def alert_accept(request, pk):
    alert = get_visible_or_404(FeverAlert.objects.select_related("resident"), request.user, pk=pk)
    form = AlertAcceptForm(request.POST, user=request.user)
    if form.is_valid():
        done = call_service(
            form, services.accept_isolation, actor=request.user, alert=alert, room=form.cleaned_data["room"]
        )
        if done is not None and not request.htmx:
            messages.success(request, _("%(name)s is isolated.") % {"name": alert.resident.name})
    return _alert_answer(request, pk, form)


@scoped(FeverAlert)
@require_POST
def alert_recheck(request, pk):
    """The re-check temperature, entered on the alert itself (it is an ordinary reading)."""
    alert = get_visible_or_404(FeverAlert.objects.select_related("resident"), request.user, pk=pk)
    form = RecheckForm(request.POST)
    if form.is_valid():
        call_service(
            form,
            services.record_reading,
            actor=request.user,
            resident=alert.resident,
            temperature_c=form.cleaned_data["temperature_c"],
        )
    return _alert_answer(request, pk, form)


@scoped(FeverAlert)
@require_POST
def alert_dismiss(request, pk):
    alert = get_visible_or_404(FeverAlert.objects.select_related("resident"), request.user, pk=pk)
    form = AlertDismissForm(request.POST)
    if form.is_valid():
        done = call_service(
            form, services.dismiss_alert, actor=request.user, alert=alert, reason=form.cleaned_data["reason"]
        )
        if done is not None and not request.htmx:
            messages.success(request, _("The alert is dismissed."))
    return _alert_answer(request, pk, form)


# --- The temperature log ---------------------------------------------------------------------


def _log(request):
    facility_ids = _facility_ids(request)
    form = LogFilterForm(request.GET or None, user=request.user, facility_ids=facility_ids)
    readings = selectors.reading_log(request.user, facility_ids)
    if form.is_valid():
        readings = ledger.filtered(readings, request.user, **form.cleaned_data)
    return form, readings


@rate_limited("search", when=searching)
def reading_log(request):
    form, readings = _log(request)
    page = Paginator(readings, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    ledger.mask(request.user, page.object_list)
    template = "health/log.html#log-table" if request.htmx else "health/log.html"
    return render(request, template, {"form": form, "page": page, "query": request.GET.urlencode()})


@rate_limited("export")
@approval_required("temperature_log")  # residents' names, masked IDs and health: PI-03
def reading_export(request):
    _form, readings = _log(request)
    return xlsx_response(
        filename=_("Temperature log") + f"-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Temperature log"),
        headers=ledger.HEADERS,
        rows=ledger.rows(request.user, readings),
        user=request.user,
    )
