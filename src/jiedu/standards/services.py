"""Writing the catalogue (drafts, import, publishing) and facilities' self-assessments.

A published or retired version never changes: every edit goes to a draft, and a draft based on
an older version gets its own copies of the areas and standards. So inspection results,
self-assessments and findings recorded against a version keep the text and points they were
judged by, whatever later versions say.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import apply_changes, refuse_stale, save_versioned, validated_save
from jiedu.organisation import roles
from jiedu.organisation.scoping import require
from jiedu.standards import domain
from jiedu.standards.models import Area, CatalogueVersion, SelfAssessment, SelfAssessmentItem, Standard

STANDARD_TEXT_FIELDS = ("title", "requirement", "check_method", "scoring_rule", "expected_evidence", "legal_basis")


def _require_manage(actor) -> None:
    """The catalogue is the region's: only a bureau-wide role holding MANAGE_STANDARDS edits it."""
    require(actor, roles.MANAGE_STANDARDS, None)


def _require_draft(catalogue: CatalogueVersion) -> None:
    if not catalogue.is_editable:
        raise DomainError(
            _("This version is %(status)s and can no longer be changed; draft a new version instead.")
            % {"status": catalogue.get_status_display()},
            field="catalogue",
        )


def _lock(instance) -> None:
    """Lock the row for this transaction and read its current state into ``instance``."""
    list(type(instance).objects.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True))
    instance.refresh_from_db()


def _next_position(rows) -> int:
    return (rows.aggregate(top=Max("position"))["top"] or 0) + 1


def _catalogue_event(actor, verb: str, target, changed_fields: Iterable[str]) -> None:
    audit.record(
        actor=actor, action=f"standards.{verb}", facility_id=None, target=target, changed_fields=changed_fields
    )


# --- Catalogue versions ------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *, actor, name: str, version: str, based_on: CatalogueVersion | None = None, notes: str = ""
) -> CatalogueVersion:
    """A new draft version; ``based_on`` copies that version's areas and standards into it."""
    _require_manage(actor)
    name, version = name.strip(), version.strip()
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    if not version:
        raise DomainError(_("Enter the version."), field="version")
    if CatalogueVersion.objects.filter(name=name, version=version).exists():
        raise DomainError(_("This catalogue already has a version of that name."), field="version")
    draft = CatalogueVersion(name=name, version=version, notes=notes.strip(), based_on=based_on, created_by=actor)
    validated_save(draft)
    if based_on is not None:
        _copy_rows(based_on, draft)
    _catalogue_event(actor, "draft_created", draft, ["name", "version"] + (["based_on"] if based_on else []))
    return draft


def _copy_rows(source: CatalogueVersion, draft: CatalogueVersion) -> None:
    areas = {}
    for area in source.areas.order_by("position", "code"):
        areas[area.pk] = Area.objects.create(
            catalogue=draft, code=area.code, name=area.name, position=area.position,
            is_illustrative=area.is_illustrative,
        )  # fmt: skip
    Standard.objects.bulk_create(
        Standard(
            catalogue=draft, area=areas[s.area_id], code=s.code, title=s.title, requirement=s.requirement,
            check_method=s.check_method, max_points=s.max_points, scoring_rule=s.scoring_rule,
            expected_evidence=s.expected_evidence, legal_basis=s.legal_basis, position=s.position,
        )  # fmt: skip
        for s in source.standards.order_by("area__position", "position", "code")
    )


@transaction.atomic
def publish(*, actor, catalogue: CatalogueVersion, effective_from: datetime.date) -> CatalogueVersion:
    """Draft → published. The version published before under the same name is retired; its rows
    stay exactly as they are, and so do the results recorded against them."""
    _require_manage(actor)
    _lock(catalogue)
    _require_draft(catalogue)
    if effective_from is None:
        raise DomainError(_("Enter the date the version comes into force."), field="effective_from")
    if not catalogue.standards.exists():
        raise DomainError(_("A version without standards cannot be published."), field="catalogue")
    empty = catalogue.areas.filter(standards__isnull=True).order_by("position").first()
    if empty is not None:
        raise DomainError(
            _("Area %(area)s has no standard: add one or remove the area.") % {"area": empty}, field="catalogue"
        )
    previous = list(
        CatalogueVersion.objects.select_for_update().filter(
            name=catalogue.name, status=CatalogueVersion.Status.PUBLISHED
        )
    )
    for old in previous:
        if old.effective_from >= effective_from:
            raise DomainError(
                _("The version in force (%(version)s) applies from %(date)s: the new one must come later.")
                % {"version": old.version, "date": old.effective_from.isoformat()},
                field="effective_from",
            )
    for old in previous:
        old.status = CatalogueVersion.Status.RETIRED
        validated_save(old, update_fields=["status"])
        _catalogue_event(actor, "retired", old, ["status"])
    catalogue.status = CatalogueVersion.Status.PUBLISHED
    catalogue.effective_from = effective_from
    catalogue.published_at = timezone.now()
    catalogue.published_by = actor
    validated_save(catalogue, update_fields=["status", "effective_from", "published_at", "published_by"])
    _catalogue_event(actor, "published", catalogue, ["status", "effective_from"])
    return catalogue


# --- Areas ---------------------------------------------------------------------------------------


def _check_area(catalogue: CatalogueVersion, code: str, name: str, *, exclude_pk=None) -> None:
    if not code:
        raise DomainError(_("Enter the code."), field="code")
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    others = catalogue.areas.exclude(pk=exclude_pk)
    if others.filter(code=code).exists():
        raise DomainError(_("Another area of this version has this code."), field="code")
    if others.filter(name=name).exists():
        raise DomainError(_("Another area of this version has this name."), field="name")


@transaction.atomic
def add_area(
    *, actor, catalogue: CatalogueVersion, code: str, name: str, position: int | None = None,
    is_illustrative: bool = False,
) -> Area:  # fmt: skip
    _require_manage(actor)
    _require_draft(catalogue)
    code, name = code.strip(), name.strip()
    _check_area(catalogue, code, name)
    area = Area(
        catalogue=catalogue, code=code, name=name, is_illustrative=is_illustrative,
        position=position if position is not None else _next_position(catalogue.areas),
    )  # fmt: skip
    validated_save(area)
    _catalogue_event(actor, "area_added", area, ["code", "name", "position", "is_illustrative"])
    return area


@transaction.atomic
def update_area(*, actor, area: Area, expected_version: int | None = None, **changes) -> Area:
    """Change code, name, position or the illustrative mark of a draft's area.

    ``expected_version``: the version the change was based on (``common.services.save_versioned``).
    """
    _require_manage(actor)
    _require_draft(area.catalogue)
    refuse_stale(area, expected_version)
    allowed = {"code", "name", "position", "is_illustrative"}
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if k in allowed}
    _check_area(area.catalogue, changes.get("code", area.code), changes.get("name", area.name), exclude_pk=area.pk)
    changed = apply_changes(area, changes)
    if changed:
        save_versioned(area, expected_version=expected_version, update_fields=changed)
        _catalogue_event(actor, "area_updated", area, changed)
    return area


@transaction.atomic
def remove_area(*, actor, area: Area) -> None:
    """Only an empty area of a draft is removed: its standards are removed (or moved) first."""
    _require_manage(actor)
    _require_draft(area.catalogue)
    if area.standards.exists():
        raise DomainError(_("Remove or move the area's standards first."), field="area")
    _catalogue_event(actor, "area_removed", area, ["code", "name"])
    area.delete()


# --- Standards -----------------------------------------------------------------------------------


def _standard_values(values: Mapping, area: Area) -> dict:
    """Check a standard's fields with the same rule the importer uses; errors name the field."""
    row, problems = domain.check_row({**values, "area_code": area.code, "area_name": area.name})
    if problems:
        raise DomainError(problems[0].message, field=problems[0].field)
    return {name: getattr(row, name) for name in ("code", "max_points", *STANDARD_TEXT_FIELDS)}


@transaction.atomic
def add_standard(*, actor, area: Area, position: int | None = None, **values) -> Standard:
    """A standard in a draft's area: code, title, requirement, check_method, max_points and
    scoring_rule are required, expected_evidence and legal_basis optional."""
    _require_manage(actor)
    catalogue = area.catalogue
    _require_draft(catalogue)
    fields = _standard_values(values, area)
    if catalogue.standards.filter(code=fields["code"]).exists():
        raise DomainError(_("Another standard of this version has this code."), field="code")
    standard = Standard(
        catalogue=catalogue, area=area, **fields,
        position=position if position is not None else _next_position(area.standards),
    )  # fmt: skip
    validated_save(standard)
    _catalogue_event(actor, "standard_added", standard, [*fields, "area"])
    return standard


@transaction.atomic
def update_standard(
    *, actor, standard: Standard, area: Area | None = None, expected_version: int | None = None, **changes
) -> Standard:
    """Edit a draft's standard; ``area`` moves it to another area of the same draft.

    ``expected_version``: the version the change was based on (``common.services.save_versioned``).
    """
    _require_manage(actor)
    catalogue = standard.catalogue
    _require_draft(catalogue)
    refuse_stale(standard, expected_version)
    area = area or standard.area
    if area.catalogue_id != catalogue.pk:
        raise DomainError(_("Choose an area of the same version."), field="area")
    current = {name: getattr(standard, name) for name in ("code", "max_points", *STANDARD_TEXT_FIELDS)}
    allowed = {k: v for k, v in changes.items() if k in current or k == "position"}
    fields = _standard_values({**current, **allowed}, area)
    if catalogue.standards.exclude(pk=standard.pk).filter(code=fields["code"]).exists():
        raise DomainError(_("Another standard of this version has this code."), field="code")
    if "position" in allowed:
        fields["position"] = allowed["position"]
    changed = apply_changes(standard, {**fields, "area": area})
    if changed:
        save_versioned(standard, expected_version=expected_version, update_fields=changed)
        _catalogue_event(actor, "standard_updated", standard, changed)
    return standard


@transaction.atomic
def remove_standard(*, actor, standard: Standard) -> None:
    _require_manage(actor)
    _require_draft(standard.catalogue)
    _catalogue_event(actor, "standard_removed", standard, ["code", "title"])
    try:
        standard.delete()
    except ProtectedError:  # a draft's standard is never scored, but the database has the last word
        raise DomainError(_("This standard is in use and cannot be removed."), field="standard") from None


# --- Import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    areas_created: int
    standards_created: int
    standards_updated: int
    standards_unchanged: int

    @property
    def rows(self) -> int:
        return self.standards_created + self.standards_updated + self.standards_unchanged


@transaction.atomic
def import_rows(*, actor, catalogue: CatalogueVersion, rows: Iterable[Mapping]) -> ImportResult:
    """Upsert checked template rows into a draft, by code: all rows or (on any problem) none.

    Rows are checked again here (the dry run may have been a while ago, and the API or a
    command may call this directly); areas are created as needed and renamed when the file
    says so; the file's order sets the positions.
    """
    _require_manage(actor)
    _lock(catalogue)
    _require_draft(catalogue)
    areas = {a.code: a for a in catalogue.areas.all()}
    checked, problems = domain.check_rows(enumerate(rows, start=1), {code: a.name for code, a in areas.items()})
    if problems:
        first = problems[0]
        raise DomainError(
            _("Row %(row)d, %(column)s: %(message)s")
            % {"row": first.row, "column": domain.HEADERS.get(first.field, first.field), "message": first.message},
            field="file",
        )
    if not checked:
        raise DomainError(_("The file has no standards."), field="file")
    standards = {s.code: s for s in catalogue.standards.all()}
    created_areas = created = updated = unchanged = 0
    area_position = _next_position(catalogue.areas)
    positions: dict[str, int] = {}
    for row in checked:
        area = areas.get(row.area_code)
        if area is None:
            area = Area(catalogue=catalogue, code=row.area_code, name=row.area_name, position=area_position)
            validated_save(area)
            areas[row.area_code], area_position, created_areas = area, area_position + 1, created_areas + 1
        elif area.name != row.area_name:
            area.name = row.area_name
            validated_save(area, update_fields=["name"])
        positions[row.area_code] = positions.get(row.area_code, 0) + 1
        values = {
            **{name: getattr(row, name) for name in ("max_points", *STANDARD_TEXT_FIELDS)},
            "area": area, "position": positions[row.area_code],
        }  # fmt: skip
        standard = standards.get(row.code)
        if standard is None:
            validated_save(Standard(catalogue=catalogue, code=row.code, **values))
            created += 1
        elif changed := apply_changes(standard, values):
            validated_save(standard, update_fields=changed)
            updated += 1
        else:
            unchanged += 1
    result = ImportResult(created_areas, created, updated, unchanged)
    _catalogue_event(actor, "imported", catalogue, ["areas", "standards"])
    return result


# --- Self-assessments ----------------------------------------------------------------------------


@transaction.atomic
def start_self_assessment(*, actor, facility, catalogue: CatalogueVersion, period: str) -> SelfAssessment:
    """A facility assesses itself against a published version, once per period."""
    require(actor, roles.SELF_ASSESS, facility)
    period = period.strip()
    if not period:
        raise DomainError(_("Enter the period, for example 2022年上半年."), field="period")
    if catalogue.status != CatalogueVersion.Status.PUBLISHED:
        raise DomainError(_("Choose a published version of the catalogue."), field="catalogue")
    if SelfAssessment.objects.filter(facility=facility, catalogue=catalogue, period=period).exists():
        raise DomainError(_("This facility has already started a self-assessment for this period."), field="period")
    assessment = SelfAssessment(facility=facility, catalogue=catalogue, period=period, created_by=actor)
    validated_save(assessment)
    audit.record(
        actor=actor, action="standards.self_assessment_started", facility_id=facility.pk, target=assessment,
        changed_fields=["catalogue", "period"],
    )  # fmt: skip
    return assessment


def _require_open(assessment: SelfAssessment) -> None:
    if assessment.status != SelfAssessment.Status.DRAFT:
        raise DomainError(_("This self-assessment has been submitted and can no longer be changed."))


@transaction.atomic
def score_area(
    *, actor, assessment: SelfAssessment, area: Area, scores: Mapping[int, tuple[object, str]]
) -> list[SelfAssessmentItem]:
    """Points (and a note) for standards of one area, by standard id: all saved or none.

    A standard left out keeps its earlier score; points lie between 0 and the standard's
    maximum, with one decimal place. An error names the field ``points_<standard id>``.
    """
    require(actor, roles.SELF_ASSESS, assessment.facility_id)
    _lock(assessment)
    _require_open(assessment)
    if area.catalogue_id != assessment.catalogue_id:
        raise DomainError(_("Choose an area of the assessed version."), field="area")
    standards = {s.pk: s for s in area.standards.all()}
    checked = {}
    for standard_id, (points, note) in scores.items():
        standard = standards.get(int(standard_id))
        if standard is None:
            raise DomainError(_("Choose a standard of this area."), field="area")
        value, message = domain.check_score(points, standard.max_points)
        if message:
            raise DomainError(f"{standard.code}: {message}", field=f"points_{standard.pk}")
        checked[standard.pk] = (value, (note or "").strip())
    if not checked:
        raise DomainError(_("Score at least one standard."), field="area")
    existing = {i.standard_id: i for i in assessment.items.filter(standard_id__in=checked)}
    saved = []
    for standard_id, (points, note) in checked.items():
        item = existing.get(standard_id)
        if item is None:
            item = SelfAssessmentItem(
                facility_id=assessment.facility_id, assessment=assessment, standard_id=standard_id, points=points,
                note=note,
            )  # fmt: skip
            validated_save(item)
        elif changed := apply_changes(item, {"points": points, "note": note}):
            validated_save(item, update_fields=changed)
        saved.append(item)
    audit.record(
        actor=actor, action="standards.self_assessment_scored", facility_id=assessment.facility_id,
        target=assessment, changed_fields=["points", "note"],
    )  # fmt: skip
    return saved


@transaction.atomic
def submit_self_assessment(*, actor, assessment: SelfAssessment) -> SelfAssessment:
    """Every standard scored, then submitted: read-only from now on."""
    require(actor, roles.SELF_ASSESS, assessment.facility_id)
    _lock(assessment)
    _require_open(assessment)
    missing = assessment.catalogue.standards.exclude(pk__in=assessment.items.values("standard_id")).count()
    if missing:
        raise DomainError(
            ngettext(
                "Score every standard before submitting: %(n)d is still without points.",
                "Score every standard before submitting: %(n)d are still without points.",
                missing,
            )
            % {"n": missing}
        )
    assessment.status = SelfAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    validated_save(assessment, update_fields=["status", "submitted_at", "submitted_by"])
    audit.record(
        actor=actor, action="standards.self_assessment_submitted", facility_id=assessment.facility_id,
        target=assessment, changed_fields=["status"],
    )  # fmt: skip
    return assessment
