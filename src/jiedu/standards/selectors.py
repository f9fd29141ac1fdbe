"""Reading the catalogue and self-assessments, narrowed to what the user may see.

Drafts are the bureau's work in progress: only those who may manage the catalogue see them.
Region-wide rows (versions, areas, standards) are looked up with a plain 404 when invisible:
they belong to no facility, so there is no other facility's existence to hide or to audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import Http404

from jiedu.organisation import roles
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope
from jiedu.standards import domain
from jiedu.standards.models import Area, CatalogueVersion, SelfAssessment, Standard


def may_manage(user) -> bool:
    return facility_scope(user, roles.MANAGE_STANDARDS) is ALL_FACILITIES


def may_view(user) -> bool:
    return facility_scope(user, roles.VIEW_STANDARDS) != set()


def versions(user):
    """Versions the user may see: published and retired ones, and drafts for the catalogue's managers."""
    rows = CatalogueVersion.objects.visible_to(user)
    if not may_manage(user):
        rows = rows.exclude(status=CatalogueVersion.Status.DRAFT)
    return rows


def published_versions(user):
    return versions(user).filter(status=CatalogueVersion.Status.PUBLISHED).order_by("name", "-effective_from")


def version_or_404(user, version_id) -> CatalogueVersion:
    found = versions(user).select_related("based_on", "published_by", "created_by").filter(pk=version_id).first()
    if found is None:
        raise Http404
    return found


def areas(user):
    return Area.objects.visible_to(user).filter(catalogue__in=versions(user))


def standards(user):
    return Standard.objects.visible_to(user).filter(catalogue__in=versions(user)).select_related("area")


def area_or_404(user, area_id) -> Area:
    found = areas(user).select_related("catalogue").filter(pk=area_id).first()
    if found is None:
        raise Http404
    return found


def standard_or_404(user, standard_id) -> Standard:
    found = standards(user).select_related("catalogue").filter(pk=standard_id).first()
    if found is None:
        raise Http404
    return found


def version_list(user):
    """Versions with their number of areas, standards and total points, newest first per name."""
    return versions(user).annotate(
        area_count=Count("areas", distinct=True),
        standard_count=Count("standards", distinct=True),
    ).order_by("name", "-created_at")


def catalogue_rows(catalogue: CatalogueVersion) -> list[domain.StandardRow]:
    """The version's standards as template rows, in catalogue order (for diff and export)."""
    return [
        domain.StandardRow(
            area_code=s.area.code, area_name=s.area.name, code=s.code, title=s.title, requirement=s.requirement,
            check_method=s.check_method, max_points=s.max_points, scoring_rule=s.scoring_rule,
            expected_evidence=s.expected_evidence, legal_basis=s.legal_basis,
        )  # fmt: skip
        for s in catalogue.standards.select_related("area").order_by(
            "area__position", "area__code", "position", "code"
        )
    ]


@dataclass(frozen=True)
class AreaBlock:
    area: Area
    count: int
    points: Decimal
    standards: list


def version_outline(catalogue: CatalogueVersion) -> list[AreaBlock]:
    """Areas in order with their counts, points and standards (empty areas included)."""
    by_area: dict[int, list] = {}
    for standard in catalogue.standards.order_by("position", "code"):
        by_area.setdefault(standard.area_id, []).append(standard)
    blocks = []
    for area in catalogue.areas.order_by("position", "code"):
        rows = by_area.get(area.pk, [])
        blocks.append(AreaBlock(area, len(rows), sum((s.max_points for s in rows), Decimal("0")), rows))
    return blocks


def diff(old: CatalogueVersion, new: CatalogueVersion) -> domain.VersionDiff:
    return domain.diff_versions(catalogue_rows(old), catalogue_rows(new))


def existing_for_import(catalogue: CatalogueVersion) -> tuple[dict[str, str], set[str]]:
    """The draft's areas (code → name) and standard codes, against which an upload is checked."""
    return (
        dict(catalogue.areas.values_list("code", "name")),
        set(catalogue.standards.values_list("code", flat=True)),
    )


# --- Self-assessments ----------------------------------------------------------------------------


def self_assessments(user, *, facility_ids=None):
    """Visible self-assessments, newest first, with the number of standards scored and points given."""
    rows = SelfAssessment.objects.visible_to(user).select_related("facility", "catalogue", "submitted_by")
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=facility_ids)
    return rows.annotate(scored=Count("items"), points=Sum("items__points")).order_by("-created_at", "facility__code")


def catalogue_maxima(catalogue_ids) -> dict[int, tuple[int, Decimal]]:
    """Number of standards and maximum points per version id."""
    rows = (
        Standard.objects.filter(catalogue_id__in=set(catalogue_ids))
        .values("catalogue_id")
        .annotate(count=Count("pk"), points=Sum("max_points"))
    )
    return {row["catalogue_id"]: (row["count"], row["points"]) for row in rows}


@dataclass(frozen=True)
class SheetLine:
    standard: Standard
    points: Decimal | None
    note: str


@dataclass(frozen=True)
class AreaSheet:
    area: Area
    lines: list[SheetLine]
    total: domain.ScoreTotal


@dataclass(frozen=True)
class Sheet:
    areas: list[AreaSheet]
    total: domain.ScoreTotal


def assessment_sheet(assessment: SelfAssessment) -> Sheet:
    """Every standard of the assessed version with the points given so far, by area, with totals."""
    items = {i.standard_id: i for i in assessment.items.all()}
    outline = version_outline(assessment.catalogue)
    scores = [
        domain.Score(block.area.code, s.max_points, items[s.pk].points if s.pk in items else None)
        for block in outline
        for s in block.standards
    ]
    per_area, overall = domain.score_totals(scores)
    totals = {t.area_code: t for t in per_area}
    empty = domain.ScoreTotal("", Decimal("0"), Decimal("0"), 0, 0)
    areas_ = [
        AreaSheet(
            block.area,
            [
                SheetLine(s, items[s.pk].points if s.pk in items else None, items[s.pk].note if s.pk in items else "")
                for s in block.standards
            ],
            totals.get(block.area.code, empty),
        )
        for block in outline
    ]
    return Sheet(areas_, overall)
