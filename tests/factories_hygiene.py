"""Factories for hygiene inspections, boards and board entries.

A factory board covers October 2026 with the default lines and no entries; entries are made by the
service in tests that need real ones (``HygieneBoardEntryFactory`` makes a single listing).
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from factories import DepartmentFactory, FacilityFactory, UserFactory
from jiedu.hygiene.models import HygieneBoard, HygieneBoardEntry, HygieneInspection


class HygieneInspectionFactory(DjangoModelFactory):
    class Meta:
        model = HygieneInspection

    facility = factory.SubFactory(FacilityFactory)
    department = factory.SubFactory(DepartmentFactory, facility=factory.SelfAttribute("..facility"))
    inspected_on = factory.Sequence(lambda n: datetime.date(2026, 10, 1) + datetime.timedelta(days=n % 28))
    score = Decimal("92.5")
    inspector = factory.SubFactory(UserFactory)


class HygieneBoardFactory(DjangoModelFactory):
    class Meta:
        model = HygieneBoard

    facility = factory.SubFactory(FacilityFactory)
    period_start = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=31 * n))
    period_end = factory.LazyAttribute(lambda o: o.period_start + datetime.timedelta(days=30))
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.SubFactory(UserFactory)


class HygieneBoardEntryFactory(DjangoModelFactory):
    class Meta:
        model = HygieneBoardEntry

    facility = factory.SubFactory(FacilityFactory)
    board = factory.SubFactory(HygieneBoardFactory, facility=factory.SelfAttribute("..facility"))
    department = factory.SubFactory(DepartmentFactory, facility=factory.SelfAttribute("..facility"))
    listed_on = HygieneBoardEntry.Board.HONOUR
    average_score = Decimal("97.0")
    inspections = 4
    reason = "平均97分"
