import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiedu.common.conflicts import form_status
from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.hygiene import exports, selectors, services
from jiedu.hygiene.forms import BoardForm, CorrectionForm, InspectionForm, LedgerFilterForm
from jiedu.hygiene.models import HygieneBoard, HygieneInspection
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import ALL_FACILITIES, can, facility_scope, get_visible_or_404

PAGE_SIZE = 50
EXPORT_LIMIT = 20000


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_SUPERVISION) == set():
        raise PermissionDenied


def _switched_facility_ids(request):
    facility_id = request.session.get("active_facility_id")
    return [facility_id] if facility_id else None


def _ledger_filters(request) -> tuple[LedgerFilterForm, dict]:
    form = LedgerFilterForm(request.GET or None, user=request.user)
    if not form.is_bound or not form.is_valid():
        return form, {}
    data = form.cleaned_data
    criteria = {
        name: data[name] for name in ("department", "since", "until", "below") if data[name] is not None
    }
    if data["facility"] is not None:
        criteria["facility_ids"] = [data["facility"].pk]
    return form, criteria


def _ledger(request):
    """The filter form and the ledger rows it selects (narrowed by the facility switcher)."""
    form, criteria = _ledger_filters(request)
    return form, narrowed(request, selectors.inspections(request.user, **criteria))


@require_http_methods(["GET", "POST"])
def inspections(request):
    """The hygiene inspection ledger (环境卫生检查台账) and, for those who inspect, a record form."""
    _require_view(request)
    record_form = InspectionForm(
        request.POST if request.method == "POST" else None, user=request.user,
        facility_ids=_switched_facility_ids(request),
    )  # fmt: skip
    may_record = record_form.fields["department"].queryset.exists()
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if record_form.is_valid():
            department = record_form.cleaned_data["department"]
            done = call_service(
                record_form, services.record_inspection, actor=request.user, facility=department.facility,
                **record_form.cleaned_data,
            )  # fmt: skip
            if done is not None:
                messages.success(
                    request, _("Inspection of %(department)s recorded.") % {"department": department.name}
                )
                return redirect("hygiene:inspections")
    filter_form, rows = _ledger(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({name: request.GET.get(name, "") for name in LedgerFilterForm.base_fields})
    recordable = facility_scope(request.user, roles.RECORD_HYGIENE)
    context = {
        "filter_form": filter_form, "record_form": record_form, "may_record": may_record, "page": page,
        "export_url": f"{reverse('hygiene:export')}?{query}", "recordable": recordable or set(),
        "records_everywhere": recordable is ALL_FACILITIES,
    }  # fmt: skip
    template = "hygiene/inspections.html#ledger" if request.htmx else "hygiene/inspections.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@scoped(HygieneInspection)
def inspection_edit(request, pk):
    """Correct a score or the problems noted, until a board covering the day is published."""
    inspection = get_visible_or_404(
        HygieneInspection.objects.select_related("facility", "department", "inspector"), request.user, pk=pk
    )
    may_correct = can(request.user, roles.RECORD_HYGIENE, inspection.facility_id)
    covering = selectors.board_covering(inspection.facility_id, inspection.inspected_on)
    initial = {"score": inspection.score, "problems": inspection.problems, "expected_version": inspection.version}
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_correct:
            raise PermissionDenied
        if form.is_valid() and call_service(
            form, services.correct_inspection, actor=request.user, inspection=inspection, **form.cleaned_data
        ):
            messages.success(request, _("The inspection was corrected."))
            return redirect("hygiene:inspections")
    context = {"inspection": inspection, "form": form, "may_correct": may_correct, "covering": covering}
    return render(request, "hygiene/inspection_edit.html", context, status=form_status(request, form))


@rate_limited("export")
def export(request):
    """The ledger as filtered on the page, as Excel."""
    _require_view(request)
    _form, rows = _ledger(request)
    rows = rows[:EXPORT_LIMIT]
    title = _("Hygiene inspections")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx", title=title, headers=exports.LEDGER_HEADERS,
        rows=(exports.ledger_row(row) for row in rows), user=request.user,
    )  # fmt: skip


def _last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _publishers(request):
    return narrowed(
        request,
        Facility.objects.visible_to(request.user, action=roles.RECORD_HYGIENE).order_by("code"),
        field="pk",
    )


def boards(request):
    """Published boards, newest period first, and the form to preview a new one."""
    _require_view(request)
    facilities = _publishers(request)
    start, end = _last_month(timezone.localdate())
    form = BoardForm(facilities=facilities, initial={"period_start": start, "period_end": end})
    rows = narrowed(request, selectors.boards(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "may_publish": facilities.exists()}
    return render(request, "hygiene/boards.html", context)


@require_http_methods(["GET", "POST"])
def board_preview(request):
    """The lists a period would give (GET), published and frozen on POST."""
    _require_view(request)
    facilities = _publishers(request)
    if not facilities.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BoardForm(data, facilities=facilities)
    lists = None
    if form.is_valid():
        arguments = form.service_arguments()
        if request.method == "POST":
            board = call_service(form, services.publish_board, actor=request.user, **arguments)
            if board is not None:
                messages.success(request, _("The board was published."))
                return redirect("hygiene:board_detail", pk=board.pk)
        start, end, thresholds = arguments["period_start"], arguments["period_end"], arguments["thresholds"]
        if start <= end and thresholds.is_valid:
            lists = selectors.preview(arguments["facility"].pk, start, end, thresholds)
    context = {"form": form, "lists": lists, "board": None}
    return render(request, "hygiene/board.html", context, status=400 if form.errors else 200)


@scoped(HygieneBoard)
def board_detail(request, pk):
    """光荣榜 and 曝光台 side by side, exactly as published."""
    board = get_visible_or_404(
        HygieneBoard.objects.select_related("facility", "published_by"), request.user, pk=pk
    )
    context = {"board": board, "lists": selectors.published(board), "form": None}
    return render(request, "hygiene/board.html", context)


@rate_limited("export")
@scoped(HygieneBoard)
def board_export(request, pk):
    board = get_visible_or_404(HygieneBoard.objects.select_related("facility"), request.user, pk=pk)
    title = _("Honour roll and exposure board")
    name = f"{board.facility.short_name}-{board.period_start.isoformat()}-{board.period_end.isoformat()}"
    return xlsx_response(
        filename=f"{title}-{name}.xlsx", title=title, headers=exports.BOARD_HEADERS,
        rows=exports.board_rows(board, selectors.published(board)), user=request.user,
    )  # fmt: skip
