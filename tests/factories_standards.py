"""Factories for catalogue versions, areas, standards, self-assessments and their items.

``CatalogueVersionFactory`` makes a published version; ``status="draft"`` (with no publication
stamps) a draft. ``StandardFactory`` takes its version from its area.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from factories import FacilityFactory, UserFactory
from jiedu.standards.models import Area, CatalogueVersion, SelfAssessment, SelfAssessmentItem, Standard


class CatalogueVersionFactory(DjangoModelFactory):
    class Meta:
        model = CatalogueVersion

    name = factory.Sequence(lambda n: f"测试规范化建设标准{n + 1}")
    version = "2022版"
    status = CatalogueVersion.Status.PUBLISHED
    effective_from = factory.LazyAttribute(
        lambda o: None if o.status == CatalogueVersion.Status.DRAFT else datetime.date(2022, 1, 1)
    )
    published_at = factory.LazyAttribute(
        lambda o: None if o.status == CatalogueVersion.Status.DRAFT else timezone.now()
    )
    created_by = factory.SubFactory(UserFactory)


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    catalogue = factory.SubFactory(CatalogueVersionFactory)
    code = factory.Sequence(lambda n: f"A{n + 1:02d}")
    name = factory.Sequence(lambda n: f"方面{n + 1}")
    position = factory.Sequence(lambda n: n + 1)


class StandardFactory(DjangoModelFactory):
    class Meta:
        model = Standard

    area = factory.SubFactory(AreaFactory)
    catalogue = factory.LazyAttribute(lambda o: o.area.catalogue)
    code = factory.Sequence(lambda n: f"S{n + 1:03d}")
    title = factory.Sequence(lambda n: f"标准{n + 1}")
    requirement = "建立管理台账，记录完整。"
    check_method = "查阅台账，实地查看。"
    max_points = Decimal("10")
    scoring_rule = "未建立台账扣2分，记录不全每处扣0.5分，扣完为止。"
    position = factory.Sequence(lambda n: n + 1)


class SelfAssessmentFactory(DjangoModelFactory):
    """A draft self-assessment of ``facility`` against a published version with one standard."""

    class Meta:
        model = SelfAssessment

    facility = factory.SubFactory(FacilityFactory)
    catalogue = factory.LazyFunction(lambda: StandardFactory().catalogue)
    period = factory.Sequence(lambda n: f"{2026 + n}年度自查")
    created_by = factory.SubFactory(UserFactory)


class SelfAssessmentItemFactory(DjangoModelFactory):
    class Meta:
        model = SelfAssessmentItem

    facility = factory.SubFactory(FacilityFactory)
    assessment = factory.SubFactory(SelfAssessmentFactory, facility=factory.SelfAttribute("..facility"))
    standard = factory.LazyAttribute(lambda o: o.assessment.catalogue.standards.first())
    points = Decimal("8")
