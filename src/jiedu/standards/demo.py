"""Demo history: the published 2022 catalogue (14 areas, 100 standards, 1000 points), a 2026 draft
based on it with a handful of changes, and this year's submitted self-assessments at the first
three facilities.

Written through the services as the system user. Deterministic (``day_rng``) and idempotent: the
catalogue is found by (name, version), a self-assessment by (facility, catalogue, period).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from jiedu.demo.history import day_rng
from jiedu.organisation.models import Facility
from jiedu.standards import catalogue_2022 as data
from jiedu.standards import services
from jiedu.standards.models import CatalogueVersion, SelfAssessment

SELF_ASSESSING = 3  # facilities (the first by code) that have assessed themselves this year
FULL_MARKS_SHARE = 0.7  # of standards a facility gives itself full points on
HALF = Decimal("0.5")


def _rows() -> list[dict]:
    return [
        {
            "area_code": code, "area_name": name, "code": f"{code}-{number:02d}", "title": title,
            "requirement": requirement, "check_method": check, "max_points": str(points), "scoring_rule": rule,
            "expected_evidence": evidence, "legal_basis": basis,
        }  # fmt: skip
        for code, name, _illustrative, standards in data.AREAS
        for number, (title, requirement, check, points, rule, evidence, basis) in enumerate(standards, start=1)
    ]


def _catalogue(system) -> tuple[CatalogueVersion, int]:
    found = CatalogueVersion.objects.filter(name=data.NAME, version=data.VERSION).first()
    if found is not None:
        return found, 0
    draft = services.create_draft(actor=system, name=data.NAME, version=data.VERSION)
    for position, (code, name, illustrative, _standards) in enumerate(data.AREAS, start=1):
        services.add_area(
            actor=system, catalogue=draft, code=code, name=name, position=position, is_illustrative=illustrative
        )
    result = services.import_rows(actor=system, catalogue=draft, rows=_rows())
    published = services.publish(actor=system, catalogue=draft, effective_from=datetime.date(*data.EFFECTIVE_FROM))
    return published, 1 + len(data.AREAS) + result.rows


def _draft(system, base: CatalogueVersion) -> int:
    if CatalogueVersion.objects.filter(name=data.NAME, version=data.DRAFT_VERSION).exists():
        return 0
    draft = services.create_draft(
        actor=system, name=data.NAME, version=data.DRAFT_VERSION, based_on=base, notes=data.DRAFT_NOTES
    )
    written = 1 + draft.areas.count() + draft.standards.count()
    standards = {s.code: s for s in draft.standards.select_related("area", "catalogue")}
    for code, changes in data.DRAFT_CHANGES:
        services.update_standard(actor=system, standard=standards[code], **changes)
    for code in data.DRAFT_REMOVED:
        services.remove_standard(actor=system, standard=standards[code])
    areas = {a.code: a for a in draft.areas.all()}
    for area_code, code, title, requirement, check, points, rule, evidence, basis in data.DRAFT_ADDED:
        services.add_standard(
            actor=system, area=areas[area_code], code=code, title=title, requirement=requirement, check_method=check,
            max_points=points, scoring_rule=rule, expected_evidence=evidence, legal_basis=basis,
        )  # fmt: skip
        written += 1
    return written


def _points(rng, max_points: Decimal) -> Decimal:
    if rng.random() < FULL_MARKS_SHARE:
        return max_points
    steps = rng.randint(1, max(1, int(max_points * Decimal("0.3") / HALF)))
    return max(Decimal("0"), max_points - steps * HALF)


def _self_assessments(system, catalogue: CatalogueVersion, today: datetime.date) -> int:
    period = f"{today.year}年度自查"
    written = 0
    for facility in Facility.objects.order_by("code")[:SELF_ASSESSING]:
        if SelfAssessment.objects.filter(facility=facility, catalogue=catalogue, period=period).exists():
            continue
        rng = day_rng(facility.code, datetime.date(today.year, 1, 1), "self-assessment")
        assessment = services.start_self_assessment(
            actor=system, facility=facility, catalogue=catalogue, period=period
        )
        for area in catalogue.areas.order_by("position").prefetch_related("standards"):
            scores = {s.pk: (_points(rng, s.max_points), "") for s in area.standards.all()}
            written += len(services.score_area(actor=system, assessment=assessment, area=area, scores=scores))
        services.submit_self_assessment(actor=system, assessment=assessment)
        written += 1
    return written


def seed_history(*, system, today: datetime.date, days: int) -> int:
    catalogue, written = _catalogue(system)
    written += _draft(system, catalogue)
    if catalogue.status == CatalogueVersion.Status.PUBLISHED:
        written += _self_assessments(system, catalogue, today)
    return written
