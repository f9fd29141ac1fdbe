"""Pages of the cross-check: upload with a dry-run report, save, saved runs and one run."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedu.common.errors import DomainError
from jiedu.common.excel import xlsx_response
from jiedu.common.pages import scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.crosscheck import exports, selectors, services
from jiedu.crosscheck.forms import UploadForm
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope, get_visible_or_404

# The dry run waits here for the save button: parsed rows with blind-indexed phones, no file.
PENDING = "crosscheck_pending"
PAGE_SIZE = 50


def _require_scope(request, action):
    if facility_scope(request.user, action) == set():
        raise PermissionDenied


def _facilities(request):
    visible = Facility.objects.visible_to(request.user, action=roles.MANAGE_STAFF_HEALTH)
    return narrowed(request, visible, field="pk")


def _by_kind(findings):
    """(kind, label, rows) for every kind, each row a dict of row number, name and detail text."""
    return [
        (value, label, [row for row in findings if row["kind"] == value])
        for value, label in CrossCheckFinding.Kind.choices
    ]


def _report_context(facility_id, prepared):
    report = selectors.compare(facility_id, prepared)
    rows = [
        {"kind": f.kind, "row": f.row, "name": f.name, "detail": services.finding_detail(f)}
        for f in report.findings
    ]
    return {"report": report, "kinds": _by_kind(rows), "prepared": prepared}


def upload(request):
    """Choose the facility, day and both files; see what the comparison finds before saving."""
    _require_scope(request, roles.MANAGE_STAFF_HEALTH)
    form = UploadForm(
        request.POST or None, request.FILES or None, facilities=_facilities(request),
        initial={"day": timezone.localdate()},
    )  # fmt: skip
    context = {"form": form}
    if request.method != "POST":
        request.session.pop(PENDING, None)
        return render(request, "crosscheck/upload.html", context)
    request.session.pop(PENDING, None)
    if not form.is_valid():
        return render(request, "crosscheck/upload.html", context, status=400)
    data = form.cleaned_data
    prepared, problems = selectors.prepare(
        dingtalk=selectors.Upload(data["dingtalk"].name, data["dingtalk"].read()),
        healthcode=selectors.Upload(data["healthcode"].name, data["healthcode"].read()),
    )
    if problems:
        context["problems"] = problems
        return render(request, "crosscheck/upload.html", context, status=400)
    request.session[PENDING] = {
        "facility_id": data["facility"].pk, "day": data["day"].isoformat(), "prepared": prepared.to_session(),
    }  # fmt: skip
    context.update(_report_context(data["facility"].pk, prepared), facility=data["facility"], day=data["day"])
    return render(request, "crosscheck/upload.html", context)


@require_POST
def save(request):
    """Store the dry run shown last; nothing is stored unless everything is."""
    _require_scope(request, roles.MANAGE_STAFF_HEALTH)
    pending = request.session.get(PENDING)
    if not pending:
        messages.error(request, _("Upload the two files again: the checked files have expired."))
        return redirect("crosscheck:upload")
    facility = get_visible_or_404(_facilities(request), request.user, pk=pending["facility_id"])
    try:
        run = services.save_run(
            actor=request.user, facility=facility, day=parse_date(pending["day"]),
            prepared=selectors.Prepared.from_session(pending["prepared"]),
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("crosscheck:upload")
    request.session.pop(PENDING, None)
    messages.success(request, _("The cross-check has been saved."))
    return redirect("crosscheck:run_detail", pk=run.pk)


def runs(request):
    _require_scope(request, roles.VIEW_STAFF_HEALTH)
    visible = narrowed(request, selectors.runs(request.user))
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crosscheck/runs.html", {"page_obj": page, "runs": page.object_list})


@scoped(CrossCheckRun)
def run_detail(request, pk):
    run = get_visible_or_404(selectors.runs(request.user), request.user, pk=pk)
    rows = [
        {"kind": f.kind, "row": f.row, "name": f.staff.name if f.staff else "", "detail": f.detail}
        for f in run.findings.select_related("staff")
    ]
    return render(request, "crosscheck/run_detail.html", {"run": run, "kinds": _by_kind(rows)})


@scoped(CrossCheckRun)
@rate_limited("export")
def export_run(request, pk):
    """One saved run's findings as a spreadsheet (the dry run is not exported: it is not a record yet)."""
    run = get_visible_or_404(selectors.runs(request.user), request.user, pk=pk)
    findings = run.findings.select_related("staff").order_by("kind", "row", "pk")
    title = _("Cross-check findings")
    return xlsx_response(
        filename=f"{title}-{run.facility.short_name}-{run.day.isoformat()}.xlsx",
        title=title,
        headers=exports.HEADERS,
        rows=(exports.export_row(finding) for finding in findings),
        user=request.user,
    )
