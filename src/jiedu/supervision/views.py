"""Pages: campaigns with their teams and progress, planning and running an inspection (results per
area with htmx, evidence, video sessions), the team workload and the printable report.

Pages taking an id answer every user who may see the record; the action forms they show post to
separate URLs (POST only) that check the permission. Action forms post with htmx where it helps
and fall back to a full page; success redirects.
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jiedu.common.errors import DomainError
from jiedu.common.pages import call_service, scoped
from jiedu.common.pdf import FontMissing
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope, get_visible_or_404
from jiedu.supervision import report, report_docx, report_pdf, selectors, services
from jiedu.supervision.forms import (
    AreaResultsForm,
    CampaignChoiceForm,
    CampaignForm,
    CompleteForm,
    EvidenceForm,
    InspectionPlanForm,
    ScreenshotForm,
    TeamForm,
    VideoSessionForm,
)
from jiedu.supervision.models import Campaign, Inspection, Team, VideoSession

PAGE_SIZE = 50


def _require_view(request):
    if facility_scope(request.user, roles.VIEW_SUPERVISION) == set():
        raise PermissionDenied


def _is_bureau(user) -> bool:
    return facility_scope(user, roles.MANAGE_SUPERVISION) is ALL_FACILITIES


def _plannable_facilities(user, campaign: Campaign):
    """Facilities of the campaign where the user may plan: the bureau's, or a facility's own self-inspection."""
    in_campaign = Facility.objects.visible_to(user, roles.VIEW_SUPERVISION).filter(
        pk__in=campaign.facilities.values("pk")
    )
    manage = facility_scope(user, roles.MANAGE_SUPERVISION)
    own = facility_scope(user, roles.SELF_ASSESS) if campaign.kind == Campaign.Kind.SELF_INSPECTION else set()
    if manage is ALL_FACILITIES or own is ALL_FACILITIES:
        return in_campaign.order_by("code")
    return in_campaign.filter(pk__in=manage | own).order_by("code")


# --- Campaigns -----------------------------------------------------------------------------------


def campaigns(request):
    _require_view(request)
    shown = list(selectors.campaigns(request.user)[:50])
    listed = list(zip(shown, selectors.campaigns_progress(request.user, shown), strict=True))
    context = {
        "campaigns": listed,
        "may_create": CampaignForm(user=request.user).usable,
        "is_bureau": _is_bureau(request.user),
    }
    return render(request, "supervision/campaigns.html", context)


def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if not form.usable:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        created = call_service(form, services.create_campaign, actor=request.user, **form.cleaned_data)
        if created is not None:
            messages.success(request, _("The campaign is set up."))
            return redirect("supervision:campaign_detail", pk=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/campaign_form.html", {"form": form}, status=status)


@scoped(Campaign)
def campaign_detail(request, pk):
    """Teams with leader and members, and facilities × inspections of the campaign."""
    campaign = get_visible_or_404(Campaign.objects.select_related("catalogue", "facility"), request.user, pk=pk)
    teams = (
        Team.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("leader")
        .prefetch_related("members")
        .order_by("id")
    )
    context = {
        "campaign": campaign,
        "teams": teams,
        "progress": selectors.campaign_progress(request.user, campaign),
        "is_bureau": _is_bureau(request.user),
        "may_plan": _plannable_facilities(request.user, campaign).exists(),
    }
    return render(request, "supervision/campaign_detail.html", context)


def team_create(request):
    if not _is_bureau(request.user):
        raise PermissionDenied
    form = TeamForm(request.POST or None, user=request.user, initial={"campaign": request.GET.get("campaign")})
    if request.method == "POST" and form.is_valid():
        team = call_service(form, services.add_team, actor=request.user, **form.cleaned_data)
        if team is not None:
            messages.success(request, _("The team %(name)s is set up.") % {"name": team.name})
            return redirect("supervision:campaign_detail", pk=team.campaign_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/team_form.html", {"form": form}, status=status)


@scoped(Campaign)
def workload(request, pk):
    """Per team: inspections, facility-days, results recorded and findings."""
    campaign = get_visible_or_404(Campaign, request.user, pk=pk)
    loads = selectors.team_workload(request.user, campaign)
    return render(request, "supervision/workload.html", {"campaign": campaign, "loads": loads})


# --- Inspections ---------------------------------------------------------------------------------


def inspections(request):
    _require_view(request)
    choice = CampaignChoiceForm(request.GET or None, campaigns=selectors.campaigns(request.user))
    campaign = choice.cleaned_data["campaign"] if choice.is_bound and choice.is_valid() else None
    status = request.GET.get("status") if request.GET.get("status") in selectors.STATUSES else None
    rows = narrowed(request, selectors.inspections(request.user, campaign=campaign, status=status))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"choice": choice, "page": page, "status": status, "statuses": Inspection.Status.choices}
    return render(request, "supervision/inspections.html", context)


def inspection_plan(request):
    """Choose the campaign (``?campaign=``), then the facility, team, days and methods."""
    _require_view(request)
    data = request.POST if request.method == "POST" else request.GET
    choice = CampaignChoiceForm(data if data.get("campaign") else None, campaigns=selectors.campaigns(request.user))
    campaign = None
    if data.get("campaign"):
        campaign = get_visible_or_404(Campaign, request.user, pk=data.get("campaign"))
    if campaign is None:
        return render(request, "supervision/inspection_plan.html", {"choice": choice})
    facilities = _plannable_facilities(request.user, campaign)
    if not facilities.exists():
        raise PermissionDenied
    form = InspectionPlanForm(
        request.POST or None, user=request.user, campaign=campaign, facilities=facilities,
        initial={"facility": request.GET.get("facility")},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        planned = call_service(
            form, services.plan_inspection, actor=request.user, campaign=campaign, **form.cleaned_data
        )
        if planned is not None:
            messages.success(request, _("The inspection is planned."))
            return redirect("supervision:inspection_detail", pk=planned.pk)
    status = 400 if request.method == "POST" else 200
    context = {"choice": choice, "campaign": campaign, "form": form}
    return render(request, "supervision/inspection_plan.html", context, status=status)


def _inspection(request, pk):
    return get_visible_or_404(
        Inspection.objects.select_related("campaign", "campaign__catalogue", "facility", "team", "team__leader"),
        request.user,
        pk=pk,
    )


def _findings_record_url(inspection) -> str:
    return f"{reverse('findings:record')}?inspection={inspection.pk}"


def _findings_with_links(user, inspection) -> list[tuple]:
    return [
        (finding, reverse("findings:detail", args=[finding.pk]))
        for finding in selectors.inspection_findings(user, inspection)
    ]


def _area_forms(sheet_areas, data=None, *, posted_area=None):
    return {
        sheet.area.pk: AreaResultsForm(data if sheet.area.pk == posted_area else None, lines=sheet.lines)
        for sheet in sheet_areas
    }


def _inspection_page(request, inspection, *, forms=None, status=200):
    forms = forms or {}
    may_manage = services.may_manage(request.user, inspection)
    in_progress = inspection.status == Inspection.Status.IN_PROGRESS
    scores = selectors.inspection_scores(inspection)
    area_forms = forms.get("areas") or _area_forms(scores.areas)
    sessions = (
        inspection.video_sessions.select_related("inspector").prefetch_related("screenshots").order_by("started_at")
    )
    context = {
        "inspection": inspection,
        "methods": selectors.method_labels(inspection),
        "people": selectors.people_of(inspection.team),
        "scores": scores,
        "areas": [(sheet, area_forms[sheet.area.pk]) for sheet in scores.areas],
        "evidence": inspection.evidence.select_related("uploaded_by"),
        "sessions": [(s, ScreenshotForm(prefix=f"shots-{s.pk}")) for s in sessions],
        "findings": _findings_with_links(request.user, inspection),
        "findings_record_url": _findings_record_url(inspection),
        "may_manage": may_manage,
        "may_record": may_manage and in_progress,
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "video_form": forms.get("video") or VideoSessionForm(),
        "complete_form": forms.get("complete") or CompleteForm(),
        "user_id": request.user.pk,
    }
    return render(request, "supervision/inspection_detail.html", context, status=status)


@scoped(Inspection)
def inspection_detail(request, pk):
    return _inspection_page(request, _inspection(request, pk))


def _step(request, inspection, service, success_message, **kwargs):
    try:
        service(actor=request.user, inspection=inspection, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success_message)
    return redirect("supervision:inspection_detail", pk=inspection.pk)


@require_POST
@scoped(Inspection)
def inspection_start(request, pk):
    inspection = _inspection(request, pk)
    return _step(request, inspection, services.start_inspection, _("The inspection has started."))


@require_POST
@scoped(Inspection)
def inspection_complete(request, pk):
    inspection = _inspection(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        done = call_service(
            form, services.complete_inspection, actor=request.user, inspection=inspection,
            summary=form.cleaned_data["summary"],
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("The inspection is completed."))
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return _inspection_page(request, inspection, forms={"complete": form}, status=400)


@require_POST
@scoped(Inspection)
def inspection_results(request, pk):
    """One area's verdicts; with htmx the area's card comes back with its new points / maximum."""
    inspection = _inspection(request, pk)
    scores = selectors.inspection_scores(inspection)
    try:
        area_id = int(request.POST.get("area", ""))
    except ValueError:
        area_id = None
    sheet = scores.area(area_id) if area_id is not None else None
    if sheet is None:
        return HttpResponse(_("Unknown area."), status=400)
    form = AreaResultsForm(request.POST, lines=sheet.lines)
    saved = form.is_valid() and call_service(
        form, services.record_results, actor=request.user, inspection=inspection, entries=form.entries()
    )
    if saved:
        scores = selectors.inspection_scores(inspection)
        sheet = scores.area(area_id)
        form = AreaResultsForm(lines=sheet.lines)
    if request.htmx:
        context = {"inspection": inspection, "sheet": sheet, "form": form, "saved": bool(saved), "scores": scores,
                   "may_record": True, "oob": True}  # fmt: skip
        return render(request, "supervision/inspection_detail.html#area", context)
    if saved:
        messages.success(request, _("The results of %(area)s are saved.") % {"area": sheet.area.name})
        return redirect(reverse("supervision:inspection_detail", args=[inspection.pk]) + f"#area-{area_id}")
    forms = _area_forms(scores.areas)
    forms[area_id] = form
    return _inspection_page(request, inspection, forms={"areas": forms}, status=400)


@require_POST
@scoped(Inspection)
def inspection_evidence(request, pk):
    inspection = _inspection(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        stored = call_service(
            form, services.attach_evidence, actor=request.user, inspection=inspection,
            uploads=form.cleaned_data["files"], caption=form.cleaned_data["caption"],
        )  # fmt: skip
        if stored is not None:
            count = len(stored)
            messages.success(request, ngettext("%(n)d file attached.", "%(n)d files attached.", count) % {"n": count})
            return redirect(reverse("supervision:inspection_detail", args=[inspection.pk]) + "#evidence")
    return _inspection_page(request, inspection, forms={"evidence": form}, status=400)


@require_POST
@scoped(Inspection)
def video_session_create(request, pk):
    inspection = _inspection(request, pk)
    form = VideoSessionForm(request.POST)
    if form.is_valid():
        session = call_service(
            form, services.record_video_session, actor=request.user, inspection=inspection, **form.cleaned_data
        )
        if session is not None:
            messages.success(request, _("The video session is recorded."))
            return redirect(reverse("supervision:inspection_detail", args=[inspection.pk]) + f"#session-{session.pk}")
    return _inspection_page(request, inspection, forms={"video": form}, status=400)


def _session(request, pk):
    return get_visible_or_404(
        VideoSession.objects.select_related("inspection", "inspection__campaign"), request.user, pk=pk
    )


@require_POST
@scoped(VideoSession)
def video_session_sign_off(request, pk):
    session = _session(request, pk)
    try:
        services.sign_off_video_session(actor=request.user, session=session)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The video session is signed off."))
    return redirect(reverse("supervision:inspection_detail", args=[session.inspection_id]) + f"#session-{session.pk}")


@require_POST
@scoped(VideoSession)
def video_session_screenshots(request, pk):
    session = _session(request, pk)
    form = ScreenshotForm(request.POST, request.FILES, prefix=f"shots-{session.pk}")
    if form.is_valid():
        stored = call_service(
            form, services.attach_screenshots, actor=request.user, session=session,
            uploads=form.cleaned_data["files"], caption=form.cleaned_data["caption"],
        )  # fmt: skip
        if stored is not None:
            count = len(stored)
            messages.success(
                request, ngettext("%(n)d screenshot attached.", "%(n)d screenshots attached.", count) % {"n": count}
            )
            return redirect(
                reverse("supervision:inspection_detail", args=[session.inspection_id]) + f"#session-{session.pk}"
            )
    errors = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, " ".join(errors) or _("The screenshots were not attached."))
    return redirect(reverse("supervision:inspection_detail", args=[session.inspection_id]) + f"#session-{session.pk}")


# --- The report ----------------------------------------------------------------------------------


def _download(content: bytes, *, content_type: str, name: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    fallback = "report" + name[name.rindex(".") :]
    response["Content-Disposition"] = f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@scoped(Inspection)
def inspection_pdf(request, pk):
    data = report.inspection_report(request.user, _inspection(request, pk))
    try:
        content = report_pdf.inspection_report_pdf(data)
    except FontMissing:
        return render(request, "supervision/pdf_font_missing.html", {"inspection": data.inspection}, status=503)
    return _download(content, content_type="application/pdf", name=report.filename(data, ".pdf"), inline=True)


@scoped(Inspection)
def inspection_docx(request, pk):
    data = report.inspection_report(request.user, _inspection(request, pk))
    return _download(
        report_docx.inspection_report_docx(data),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        name=report.filename(data, ".docx"),
        inline=False,
    )
