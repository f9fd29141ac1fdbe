from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.excel import xlsx_response
from jiedu.common.idempotency import idempotent_form
from jiedu.common.pages import call_service
from jiedu.common.rate_limits import rate_limited
from jiedu.gatelog import exports, selectors, services
from jiedu.gatelog.forms import GateForm, GateLogFilterForm
from jiedu.gatelog.models import GateEvent
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope, get_visible_or_404

PAGE_SIZE = 50
EXPORT_LIMIT = 20000


def _gate_facilities(request):
    facilities = narrowed(
        request, Facility.objects.visible_to(request.user, action=roles.RECORD_GATE), field="pk"
    )
    if not facilities.exists():
        raise PermissionDenied
    return facilities


@idempotent_form
def gate(request):
    """The tablet page at the gate: record a passage, see the verdict, see today's last passages.

    htmx swaps the desk (verdict, form, today's list) in place; without JavaScript the form posts
    normally and the verdict is shown after a redirect, so a reload never records twice.
    """
    facilities = _gate_facilities(request)
    form = GateForm(request.POST or None, facilities=facilities)
    event = None
    if request.method == "POST" and form.is_valid():
        event = call_service(form, services.record_gate_event, actor=request.user, **form.cleaned_data)
        if event is not None and not request.htmx:
            return redirect(f"{reverse('gatelog:gate')}?{urlencode({'event': event.pk})}")
        if event is not None:
            # The next passage is most often of the same kind (a shift change, a convoy).
            form = GateForm(facilities=facilities, initial=_repeat(event))
    elif request.GET.get("event"):
        event = get_visible_or_404(GateEvent, request.user, pk=request.GET["event"])
        form = GateForm(facilities=facilities, initial=_repeat(event))
    context = {
        "form": form,
        "event": event,
        "recent": selectors.recent_at_the_gate(
            request.user, facility_ids=facilities.values("pk"), today=timezone.localdate()
        ),
    }
    template = "gatelog/gate.html#desk" if request.htmx else "gatelog/gate.html"
    status = 400 if request.method == "POST" and event is None else 200
    return render(request, template, context, status=status)


def _repeat(event: GateEvent) -> dict:
    return {"facility": event.facility_id, "event_kind": event.event_kind, "subject_kind": event.subject_kind}


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_EPIDEMIC) == set():
        raise PermissionDenied


def _filters(request) -> tuple[GateLogFilterForm, dict]:
    """The log's filter form and the filters it applies; a first visit shows today."""
    if not any(name in request.GET for name in GateLogFilterForm.base_fields):
        today = timezone.localdate()
        return GateLogFilterForm(initial={"day": today}), {"day": today}
    form = GateLogFilterForm(request.GET)
    if not form.is_valid():
        return form, {}
    return form, {name: value for name, value in form.cleaned_data.items() if value}


def _filtered_events(request, criteria: dict):
    return narrowed(request, selectors.gate_log(request.user, **criteria))


def log(request):
    """The gate ledger (门岗登记台账): every passage, filtered by date, kind and outcome."""
    _require_view(request)
    form, criteria = _filters(request)
    page = Paginator(_filtered_events(request, criteria), PAGE_SIZE).get_page(request.GET.get("page"))
    # Every filter goes into the export link, empty ones too: an empty date means all dates.
    query = {name: criteria.get(name, "") for name in GateLogFilterForm.base_fields}
    if "day" in criteria:
        query["day"] = criteria["day"].isoformat()
    return render(
        request,
        "gatelog/log.html",
        {
            "form": form,
            "page": page,
            "export_url": f"{reverse('gatelog:export')}?{urlencode(query)}",
            "may_record": facility_scope(request.user, roles.RECORD_GATE) != set(),
        },
    )


@rate_limited("export")
def export(request):
    _require_view(request)
    _form, criteria = _filters(request)
    events = _filtered_events(request, criteria)[:EXPORT_LIMIT]
    title = _("Gate log")
    day = criteria.get("day")
    when = day.isoformat() if day else _("all dates")
    return xlsx_response(
        filename=f"{title}-{when}.xlsx",
        title=title,
        headers=exports.HEADERS,
        rows=(exports.export_row(event) for event in events),
        user=request.user,
    )
