"""Factories for key areas and their ventilation and disinfection records."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, UserFactory
from jiedu.environment.models import EnvironmentRecord, KeyArea


class KeyAreaFactory(DjangoModelFactory):
    """A key area since 2026-01-01 and still key."""

    class Meta:
        model = KeyArea

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"重点部位{n}")
    key_since = datetime.date(2026, 1, 1)


class EnvironmentRecordFactory(DjangoModelFactory):
    """A ventilation of a fresh key area of the record's facility; pass kind/agent for a disinfection."""

    class Meta:
        model = EnvironmentRecord

    facility = factory.SubFactory(FacilityFactory)
    area = factory.LazyAttribute(lambda o: KeyAreaFactory(facility=o.facility))
    kind = EnvironmentRecord.Kind.VENTILATION
    performed_at = factory.LazyFunction(lambda: datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC))
    performed_by = factory.SubFactory(UserFactory)
