"""Pages for staff on rotation leave: the phone report, the missing list, review, periods, export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedu.common.excel import xlsx_response
from jiedu.common.idempotency import idempotent_form
from jiedu.common.pages import call_service
from jiedu.common.rate_limits import rate_limited
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope
from jiedu.people.models import Staff
from jiedu.staffleave import exports, selectors, services
from jiedu.staffleave.forms import BulkReviewForm, DailyReportForm, DayForm, LeavePeriodForm, ReturnReportForm

PAGE_SIZE = 50
EXPORT_LIMIT = 20000


def require_scope(request, action):
    if facility_scope(request.user, action) == set():
        raise PermissionDenied


def _own_staff(request):
    staff = getattr(request.user, "staff_profile", None)
    if staff is None:
        raise PermissionDenied
    return staff


def _my_page(request, staff, *, form=None, return_form=None, status=200):
    """The staff member's phone page: today's report, and the return report once the leave ends.

    Their own rows are read through their own staff link, not through a permission they may lack.
    """
    today = timezone.localdate()
    due = selectors.return_report_due(staff, today=today)
    context = {
        "staff": staff,
        "form": form or DailyReportForm(initial={"day": today}),
        "return_due": due,
        "return_form": return_form or (ReturnReportForm() if due else None),
        "own": selectors.own_reports(staff)[:14],
        "may_return": selectors.can_return_to_duty(staff),
    }
    return render(request, "staffleave/my_report.html", context, status=status)


@idempotent_form
def my_report(request):
    """个人自检 on the phone: the logged-in staff member reports today's health and whereabouts."""
    staff = _own_staff(request)
    if request.method != "POST":
        return _my_page(request, staff)
    form = DailyReportForm(request.POST)
    if form.is_valid():
        report = call_service(
            form, services.submit_daily_report, actor=request.user, staff=staff, **form.cleaned_data
        )
        if report is not None:
            messages.success(request, _("Your report for %(day)s has been submitted.") % {"day": report.day})
            return redirect("staffleave:my_report")
    return _my_page(request, staff, form=form, status=400)


@require_POST
@idempotent_form
def my_return(request):
    """返岗报告: what the staff member reports before coming back on duty."""
    staff = _own_staff(request)
    period = selectors.return_report_due(staff, today=timezone.localdate())
    if period is None:
        return redirect("staffleave:my_report")
    form = ReturnReportForm(request.POST)
    if form.is_valid():
        done = call_service(
            form, services.submit_return_report, actor=request.user, period=period, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("Your return-to-work report has been submitted."))
            return redirect("staffleave:my_report")
    return _my_page(request, staff, return_form=form, status=400)


def missing(request):
    """Who on leave has not reported for a day, by department."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    form = DayForm(request.GET or None)
    day = form.cleaned_data.get("day") if form.is_valid() else None
    day = day or timezone.localdate()
    rows = [
        row for row in selectors.missing_reports(request.user, day=day)
        if not request.session.get("active_facility_id")
        or row.period.facility_id == request.session["active_facility_id"]
    ]  # fmt: skip
    return render(request, "staffleave/missing.html", {"form": form, "day": day, "rows": rows})


def review(request):
    """部门联检 and 所级督监: tick the reports, choose the level, review them all at once."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    awaiting = narrowed(request, selectors.awaiting_review(request.user))
    form = BulkReviewForm(request.POST or None, reports=awaiting)
    if request.method == "POST":
        require_scope(request, roles.MANAGE_STAFF_HEALTH)
        if form.is_valid():
            done = call_service(
                form, services.review_reports, actor=request.user,
                reports=list(form.cleaned_data["reports"]), level=form.cleaned_data["level"],
            )  # fmt: skip
            if done is not None:
                messages.success(request, _("%(n)d reports reviewed.") % {"n": len(done)})
                return redirect("staffleave:review")
    context = {
        "form": form,
        "reports": awaiting[:200],
        "may_review": facility_scope(request.user, roles.MANAGE_STAFF_HEALTH) != set(),
    }
    return render(request, "staffleave/review.html", context, status=400 if request.method == "POST" else 200)


def periods(request):
    """Leave periods with their missing reports; officers who manage staff health add new ones."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    manageable = narrowed(
        request, Facility.objects.visible_to(request.user, action=roles.MANAGE_STAFF_HEALTH), field="pk"
    )
    form = LeavePeriodForm(
        request.POST or None,
        staff=Staff.objects.visible_to(request.user)
        .filter(facility__in=manageable)
        .order_by("police_number"),
        areas=selectors.areas(request.user).filter(facility__in=manageable, active=True),
    )
    if request.method == "POST":
        require_scope(request, roles.MANAGE_STAFF_HEALTH)
        if form.is_valid():
            data = form.cleaned_data
            period = call_service(
                form,
                services.create_leave_period,
                actor=request.user,
                facility=data["staff"].facility,
                **data,
            )
            if period is not None:
                return redirect("staffleave:periods")
    page = Paginator(narrowed(request, selectors.periods(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    missing = selectors.missing_days_by_period(request.user, page.object_list, today=timezone.localdate())
    rows = [(period, missing[period.pk]) for period in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "may_manage": manageable.exists()}
    return render(
        request, "staffleave/periods.html", context, status=400 if request.method == "POST" else 200
    )


@rate_limited("export")
def export(request):
    """The daily report ledger (轮休人员台账) as a spreadsheet."""
    require_scope(request, roles.VIEW_STAFF_HEALTH)
    reports = narrowed(request, selectors.reports(request.user))[:EXPORT_LIMIT]
    title = _("Staff on leave daily reports")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx",
        title=title,
        headers=exports.HEADERS,
        rows=(exports.export_row(report) for report in reports),
        user=request.user,
    )
