"""Pages of the standards catalogue (versions, drafts, import/export, diff) and of self-assessments.

Catalogue rows are region-wide: their routes name them ``version_id``, ``area_id`` and
``standard_id`` and look them up through the selectors (a plain 404 when invisible). Routes
taking a ``pk`` name a facility's self-assessment and declare it with ``@scoped``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jiedu.common.conflicts import form_status
from jiedu.common.errors import DomainError
from jiedu.common.excel import xlsx_response
from jiedu.common.pages import call_service, scoped
from jiedu.common.rate_limits import rate_limited
from jiedu.common.xlsx_reading import SheetRefused
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import can, facility_scope, get_visible_or_404
from jiedu.standards import domain, exports, importing, selectors, services
from jiedu.standards.forms import (
    AreaEditForm,
    AreaForm,
    AreaScoreForm,
    DraftForm,
    ImportForm,
    PublishForm,
    StandardEditForm,
    StandardForm,
    StartForm,
)
from jiedu.standards.models import SelfAssessment, Standard

# The checked rows wait in the session between the dry run and the confirmation, rather than
# asking for the file again: the user confirms exactly the rows that were previewed (a second
# upload could be another file), the rows are catalogue text without personal data, and a
# catalogue of a hundred standards is a few dozen KB in the database-backed session. The
# service checks them again before saving, and a new upload or a saved import drops them.
PENDING = "standards_import_pending"
PAGE_SIZE = 50


def version_url(version) -> str:
    return reverse("standards:version_detail", kwargs={"version_id": version.pk})


def _detail_url(assessment) -> str:
    return reverse("standards:assessment_detail", kwargs={"pk": assessment.pk})


def _require_view(request):
    if not selectors.may_view(request.user):
        raise PermissionDenied


def _require_manage(request):
    if not selectors.may_manage(request.user):
        raise PermissionDenied


def _editable_version(request, version_id):
    _require_manage(request)
    version = selectors.version_or_404(request.user, version_id)
    if not version.is_editable:
        messages.error(request, _("This version is no longer a draft; draft a new version to change it."))
        return None
    return version


# --- Catalogue versions ------------------------------------------------------------------------


def versions(request):
    """Every visible version with its counts; drafts and the new-draft button for the bureau."""
    _require_view(request)
    rows = list(selectors.version_list(request.user))
    maxima = selectors.catalogue_maxima(row.pk for row in rows)
    listed = [(row, maxima.get(row.pk, (0, 0))[1]) for row in rows]
    context = {"versions": listed, "may_manage": selectors.may_manage(request.user)}
    return render(request, "standards/versions.html", context)


def version_create(request):
    _require_manage(request)
    form = DraftForm(request.POST or None, versions=selectors.versions(request.user).exclude(status="draft"))
    if request.method == "POST" and form.is_valid():
        draft = call_service(form, services.create_draft, actor=request.user, **form.cleaned_data)
        if draft is not None:
            messages.success(request, _("The draft has been created."))
            return redirect("standards:version_detail", version_id=draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "standards/version_form.html", {"form": form}, status=status)


def version_detail(request, version_id):
    """Areas with counts and points, standards by area; the full text of a standard on demand."""
    _require_view(request)
    version = selectors.version_or_404(request.user, version_id)
    outline = selectors.version_outline(version)
    others = selectors.versions(request.user).exclude(pk=version.pk).order_by("name", "-created_at")
    context = {
        "version": version,
        "outline": outline,
        "standard_count": sum(block.count for block in outline),
        "total_points": sum(block.points for block in outline),
        "may_edit": selectors.may_manage(request.user) and version.is_editable,
        "others": others,
    }
    return render(request, "standards/version_detail.html", context)


def standard_text(request, standard_id):
    """One standard in full: requirement, how it is checked, scoring rule, evidence, basis."""
    _require_view(request)
    standard = selectors.standard_or_404(request.user, standard_id)
    template = "standards/standard_text.html#text" if request.htmx else "standards/standard_text.html"
    return render(request, template, {"standard": standard, "version": standard.catalogue})


def version_diff(request, version_id):
    """What changed from another version (``?against=``, by default the one it is based on) to this one."""
    _require_view(request)
    version = selectors.version_or_404(request.user, version_id)
    against_id = request.GET.get("against") or version.based_on_id
    others = selectors.versions(request.user).exclude(pk=version.pk).order_by("name", "-created_at")
    context = {"version": version, "others": others, "against": None, "diff": None}
    if against_id:
        if not (str(against_id).isascii() and str(against_id).isdigit()):
            raise Http404
        against = selectors.version_or_404(request.user, against_id)
        diff = selectors.diff(against, version)
        context.update(against=against, diff=diff, changes=[(c, _change_lines(c)) for c in diff.changed])
    return render(request, "standards/version_diff.html", context)


def _change_lines(change: domain.Change) -> list[tuple]:
    """(field, label, old value, new value) for each changed field of one standard."""
    labels = {"area_code": pgettext("standards", "Area code"), "area_name": pgettext("standards", "Area name")}
    lines = []
    for name in change.fields:
        label = labels.get(name) or Standard._meta.get_field(name).verbose_name
        old, new = getattr(change.old, name), getattr(change.new, name)
        if name == "max_points":
            old, new = domain.format_points(old), domain.format_points(new)
        lines.append((name, label, old, new))
    return lines


def version_publish(request, version_id):
    version = _editable_version(request, version_id)
    if version is None:
        return redirect("standards:version_detail", version_id=version_id)
    form = PublishForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        published = call_service(
            form, services.publish, actor=request.user, catalogue=version, **form.cleaned_data
        )
        if published is not None:
            messages.success(request, _("The version has been published."))
            return redirect("standards:version_detail", version_id=version.pk)
    in_force = selectors.published_versions(request.user).filter(name=version.name).first()
    context = {"version": version, "form": form, "in_force": in_force}
    return render(request, "standards/publish.html", context, status=400 if request.method == "POST" else 200)


# --- Draft editing -------------------------------------------------------------------------------


def _form_page(request, template, form, context, *, status=None):
    status = status or (400 if request.method == "POST" else 200)
    return render(request, template, {"form": form, **context}, status=status)


def area_create(request, version_id):
    version = _editable_version(request, version_id)
    if version is None:
        return redirect("standards:version_detail", version_id=version_id)
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        area = call_service(form, services.add_area, actor=request.user, catalogue=version, **form.cleaned_data)
        if area is not None:
            return redirect(f"{version_url(version)}#area-{area.pk}")
    return _form_page(request, "standards/area_form.html", form, {"version": version, "area": None})


def area_edit(request, area_id):
    _require_manage(request)
    area = selectors.area_or_404(request.user, area_id)
    version = area.catalogue
    if not version.is_editable:
        messages.error(request, _("This version is no longer a draft; draft a new version to change it."))
        return redirect("standards:version_detail", version_id=version.pk)
    initial = {name: getattr(area, name) for name in ("code", "name", "position", "is_illustrative")}
    form = AreaEditForm(request.POST or None, initial={**initial, "expected_version": area.version})
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v is not None}
        if call_service(form, services.update_area, actor=request.user, area=area, **changes) is not None:
            return redirect(f"{version_url(version)}#area-{area.pk}")
    return _form_page(
        request, "standards/area_form.html", form, {"version": version, "area": area}, status=form_status(request, form)
    )


@require_POST
def area_remove(request, area_id):
    _require_manage(request)
    area = selectors.area_or_404(request.user, area_id)
    try:
        services.remove_area(actor=request.user, area=area)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Area %(area)s has been removed.") % {"area": area})
    return redirect("standards:version_detail", version_id=area.catalogue_id)


def standard_create(request, version_id):
    version = _editable_version(request, version_id)
    if version is None:
        return redirect("standards:version_detail", version_id=version_id)
    areas = selectors.areas(request.user).filter(catalogue=version).order_by("position", "code")
    form = StandardForm(request.POST or None, areas=areas, initial={"area": request.GET.get("area")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        standard = call_service(form, services.add_standard, actor=request.user, **data)
        if standard is not None:
            return redirect(f"{version_url(version)}#standard-{standard.pk}")
    return _form_page(request, "standards/standard_form.html", form, {"version": version, "standard": None})


def standard_edit(request, standard_id):
    _require_manage(request)
    standard = selectors.standard_or_404(request.user, standard_id)
    version = standard.catalogue
    if not version.is_editable:
        messages.error(request, _("This version is no longer a draft; draft a new version to change it."))
        return redirect("standards:version_detail", version_id=version.pk)
    areas = selectors.areas(request.user).filter(catalogue=version).order_by("position", "code")
    fields = ("area", "code", "title", "requirement", "check_method", "max_points", "scoring_rule",
              "expected_evidence", "legal_basis", "position")  # fmt: skip
    initial = {f: getattr(standard, f) for f in fields}
    form = StandardEditForm(
        request.POST or None, areas=areas, initial={**initial, "expected_version": standard.version}
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if not (k == "position" and v is None)}
        if call_service(form, services.update_standard, actor=request.user, standard=standard, **changes):
            return redirect(f"{version_url(version)}#standard-{standard.pk}")
    context = {"version": version, "standard": standard}
    return _form_page(request, "standards/standard_form.html", form, context, status=form_status(request, form))


@require_POST
def standard_remove(request, standard_id):
    _require_manage(request)
    standard = selectors.standard_or_404(request.user, standard_id)
    try:
        services.remove_standard(actor=request.user, standard=standard)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Standard %(standard)s has been removed.") % {"standard": standard})
    return redirect("standards:version_detail", version_id=standard.catalogue_id)


# --- Import and export ---------------------------------------------------------------------------


def version_import(request, version_id):
    """Upload → dry run listing every bad row (nothing saved) or a summary → confirm."""
    version = _editable_version(request, version_id)
    if version is None:
        return redirect("standards:version_detail", version_id=version_id)
    request.session.pop(PENDING, None)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"version": version, "form": form}
    if request.method != "POST":
        return render(request, "standards/import.html", context)
    if not form.is_valid():
        return render(request, "standards/import.html", context, status=400)
    areas, codes = selectors.existing_for_import(version)
    try:
        check = importing.check_upload(form.cleaned_data["file"].read(), existing_areas=areas, existing_codes=codes)
    except SheetRefused as refused:
        form.add_error("file", refused.message)
        return render(request, "standards/import.html", context, status=400)
    context["check"] = check
    if not check.ok:
        return render(request, "standards/import.html", context, status=400)
    request.session[PENDING] = {"version_id": version.pk, "rows": importing.rows_to_session(check.rows)}
    return render(request, "standards/import.html", context)


@require_POST
def import_confirm(request, version_id):
    """Save the rows of the dry run shown last into the draft: all of them or none."""
    version = _editable_version(request, version_id)
    if version is None:
        return redirect("standards:version_detail", version_id=version_id)
    pending = request.session.get(PENDING)
    if not pending or pending.get("version_id") != version.pk:
        messages.error(request, _("Upload the file again: the checked rows have expired."))
        return redirect("standards:version_import", version_id=version.pk)
    try:
        result = services.import_rows(actor=request.user, catalogue=version, rows=pending["rows"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("standards:version_import", version_id=version.pk)
    request.session.pop(PENDING, None)
    messages.success(
        request,
        _("%(rows)d rows imported: %(new)d new standards, %(updated)d changed, %(areas)d new areas.")
        % {"rows": result.rows, "new": result.standards_created, "updated": result.standards_updated,
           "areas": result.areas_created},
    )  # fmt: skip
    return redirect("standards:version_detail", version_id=version.pk)


@rate_limited("export")
def version_export(request, version_id):
    """The whole version as the import template, filled in."""
    _require_view(request)
    version = selectors.version_or_404(request.user, version_id)
    return xlsx_response(
        filename=f"{version.name}{version.version}.xlsx",
        title=str(version),
        headers=exports.HEADERS,
        rows=(exports.export_row(row) for row in selectors.catalogue_rows(version)),
        user=request.user,
    )


def template(request):
    """The empty import template: the header row only."""
    _require_view(request)
    title = _("Standards catalogue template")
    return xlsx_response(filename=f"{title}.xlsx", title=title, headers=exports.HEADERS, rows=[], user=request.user)


# --- Self-assessments ----------------------------------------------------------------------------


def _require_assessment_view(request):
    if facility_scope(request.user, SelfAssessment.view_action) == set():
        raise PermissionDenied


def _start_facilities(request):
    own = Facility.objects.visible_to(request.user, action=roles.SELF_ASSESS).order_by("code")
    return narrowed(request, own, field="pk")


def assessments(request):
    _require_assessment_view(request)
    rows = narrowed(request, selectors.self_assessments(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    maxima = selectors.catalogue_maxima(row.catalogue_id for row in page.object_list)
    listed = [(row, *maxima.get(row.catalogue_id, (0, 0))) for row in page.object_list]
    context = {"page": page, "rows": listed, "may_start": _start_facilities(request).exists()}
    return render(request, "standards/assessments.html", context)


def assessment_start(request):
    facilities = _start_facilities(request)
    if not facilities.exists():
        raise PermissionDenied
    catalogues = selectors.published_versions(request.user)
    form = StartForm(request.POST or None, facilities=facilities, catalogues=catalogues)
    if request.method == "POST" and form.is_valid():
        started = call_service(form, services.start_self_assessment, actor=request.user, **form.cleaned_data)
        if started is not None:
            return redirect("standards:assessment_detail", pk=started.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "standards/assessment_start.html", {"form": form}, status=status)


def _assessment(request, pk):
    return get_visible_or_404(
        SelfAssessment.objects.select_related("facility", "catalogue", "submitted_by"), request.user, pk=pk
    )


def _may_score(request, assessment) -> bool:
    return assessment.status == SelfAssessment.Status.DRAFT and can(
        request.user, roles.SELF_ASSESS, assessment.facility_id
    )


def _cards(sheet, *, bound=None, bound_area_id=None):
    """(area sheet, form) per area; the form just posted keeps its input and errors."""
    return [
        (block, bound if block.area.pk == bound_area_id else _area_form(block)) for block in sheet.areas
    ]


def _area_form(block, data=None):
    return AreaScoreForm(data, lines=block.lines, prefix=f"a{block.area.pk}")


@scoped(SelfAssessment)
def assessment_detail(request, pk):
    """The scoring page: one form per area, saved one area at a time (htmx swaps that card)."""
    assessment = _assessment(request, pk)
    sheet = selectors.assessment_sheet(assessment)
    context = {
        "assessment": assessment, "sheet": sheet, "cards": _cards(sheet),
        "may_score": _may_score(request, assessment),
    }  # fmt: skip
    return render(request, "standards/assessment_detail.html", context)


@require_POST
@scoped(SelfAssessment)
def assessment_score(request, pk):
    assessment = _assessment(request, pk)
    if not can(request.user, roles.SELF_ASSESS, assessment.facility_id):
        raise PermissionDenied
    sheet = selectors.assessment_sheet(assessment)
    block = next((b for b in sheet.areas if str(b.area.pk) == request.POST.get("area")), None)
    if block is None:
        messages.error(request, _("Choose an area of the assessed version."))
        return redirect("standards:assessment_detail", pk=assessment.pk)
    form = _area_form(block, request.POST)
    saved = None
    if form.is_valid():
        scores = form.scores()
        if not scores:
            form.add_error(None, _("Enter the points of at least one standard."))
        else:
            saved = call_service(
                form, services.score_area, actor=request.user, assessment=assessment, area=block.area, scores=scores
            )
    ok = saved is not None
    if ok:
        sheet = selectors.assessment_sheet(assessment)
        block = next(b for b in sheet.areas if b.area.pk == block.area.pk)
        form = _area_form(block)
    if request.htmx:
        context = {
            "assessment": assessment, "sheet": sheet, "block": block, "form": form, "may_score": True, "saved": ok,
        }  # fmt: skip
        body = render_to_string("standards/assessment_detail.html#card", context, request=request)
        body += render_to_string("standards/assessment_detail.html#totals", {**context, "oob": True}, request=request)
        return HttpResponse(body, status=200 if ok else 400)
    if ok:
        messages.success(request, _("Scores of %(area)s saved.") % {"area": block.area.name})
        return redirect(f"{_detail_url(assessment)}#area-{block.area.pk}")
    context = {
        "assessment": assessment, "sheet": sheet, "may_score": True,
        "cards": _cards(sheet, bound=form, bound_area_id=block.area.pk),
    }  # fmt: skip
    return render(request, "standards/assessment_detail.html", context, status=400)


@scoped(SelfAssessment)
def assessment_summary(request, pk):
    """Totals by area and in all, as points and % of the maximum; the submit button."""
    assessment = _assessment(request, pk)
    sheet = selectors.assessment_sheet(assessment)
    context = {"assessment": assessment, "sheet": sheet, "may_score": _may_score(request, assessment)}
    return render(request, "standards/assessment_summary.html", context)


@require_POST
@scoped(SelfAssessment)
def assessment_submit(request, pk):
    assessment = _assessment(request, pk)
    try:
        services.submit_self_assessment(actor=request.user, assessment=assessment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The self-assessment has been submitted."))
    return redirect("standards:assessment_summary", pk=assessment.pk)
