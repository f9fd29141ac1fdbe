"""Target-management schemes, and plain builders for the records a score is made of.

Campaigns, inspections, their results and findings belong to other apps: the ``assessment_*``
builders below make just what a scoring test needs. They are functions, not factory classes, so
the scoping contract test keeps using those apps' own factories.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from factories import DepartmentFactory, StaffFactory, UserFactory
from jiedu.assessment.models import TargetScheme
from jiedu.findings.models import Finding
from jiedu.standards.models import Area, CatalogueVersion, Standard
from jiedu.supervision.models import Campaign, Inspection, InspectionResult


class TargetSchemeFactory(DjangoModelFactory):
    """The default scheme (100 = 70 inspection + 30 rectification) of ``year``."""

    class Meta:
        model = TargetScheme
        django_get_or_create = ("year",)

    year = 2026
    updated_by = factory.SubFactory(UserFactory)


def assessment_catalogue(*, standards=(10, 10, 10)) -> tuple[CatalogueVersion, list[Standard]]:
    """A published catalogue with one area and a standard per maximum in ``standards``."""
    author = UserFactory()
    n = CatalogueVersion.objects.count() + 1
    catalogue = CatalogueVersion.objects.create(
        name=f"考核测试标准{n}", version="2022版", status=CatalogueVersion.Status.PUBLISHED,
        effective_from=datetime.date(2022, 1, 1), published_at=timezone.now(), published_by=author, created_by=author,
    )  # fmt: skip
    area = Area.objects.create(catalogue=catalogue, code="01", name="基本模式", position=1)
    made = [
        Standard.objects.create(
            catalogue=catalogue,
            area=area,
            code=f"01.{i:02d}",
            title=f"标准{i}",
            requirement="要求",
            check_method="查阅台账",
            max_points=Decimal(points),
            scoring_rule="缺一项扣1分",
            position=i,
        )  # fmt: skip
        for i, points in enumerate(standards, start=1)
    ]
    return catalogue, made


def assessment_campaign(*, facilities, catalogue, year=2026, kind=Campaign.Kind.STANDARDISATION) -> Campaign:
    campaign = Campaign.objects.create(
        name=f"{year}年督导{Campaign.objects.count() + 1}", kind=kind,
        catalogue=catalogue if kind == Campaign.Kind.STANDARDISATION else None,
        starts_on=datetime.date(year, 3, 1), ends_on=datetime.date(year, 11, 30), created_by=UserFactory(),
    )  # fmt: skip
    campaign.facilities.set(facilities)
    return campaign


def assessment_inspection(*, campaign, facility, on: datetime.date, results=(), completed=True) -> Inspection:
    """An inspection of ``facility`` on day ``on`` with ``results`` = [(standard, points or None)]."""
    by = UserFactory()
    inspection = Inspection.objects.create(
        campaign=campaign, facility=facility, starts_on=on, ends_on=on, by_site_check=True,
        status=Inspection.Status.COMPLETED if completed else Inspection.Status.IN_PROGRESS,
        completed_at=timezone.now() if completed else None, completed_by=by if completed else None, created_by=by,
    )  # fmt: skip
    for standard, points in results:
        verdict = (
            "not_applicable" if points is None else ("met" if points == standard.max_points else "partly")
        )
        InspectionResult.objects.create(
            facility=facility, inspection=inspection, standard=standard, verdict=verdict,
            points=None if points is None else Decimal(points), recorded_by=by,
        )  # fmt: skip
    return inspection


def assessment_finding(*, facility, found_on, deadline, severity="general", status="open", rectified_on=None,
                       title=None) -> Finding:  # fmt: skip
    """A self-identified finding in ``status``; rectified ones carry their verification stamps."""
    department = DepartmentFactory(facility=facility)
    staff = StaffFactory(facility=facility, department=department)
    recorder, verifier = UserFactory(), UserFactory()
    stamps = {}
    if status in ("submitted", "verified", "closed"):
        stamps.update(submitted_at=timezone.now(), submitted_by=recorder)
    if status in ("verified", "closed"):
        stamps.update(verified_at=timezone.now(), verified_by=verifier, rectified_on=rectified_on or found_on)
    if status == "closed":
        stamps["closed_at"] = timezone.now()
    if status == "withdrawn":
        stamps["withdrawn_reason"] = "误报"
    return Finding.objects.create(
        facility=facility, origin=Finding.Origin.SELF_IDENTIFIED, severity=severity,
        title=title or f"问题{Finding.objects.count() + 1}", responsible_department=department,
        responsible_staff=staff, found_on=found_on, deadline=deadline, status=status, recorded_by=recorder, **stamps,
    )  # fmt: skip
