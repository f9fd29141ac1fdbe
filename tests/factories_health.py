"""Factories for temperature rounds: readings and fever alerts, each in one facility."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, ResidentFactory, UserFactory, ZoneFactory
from jiedu.health.models import FeverAlert, TemperatureReading


class TemperatureReadingFactory(DjangoModelFactory):
    """A normal reading of a resident placed in a zone of the facility."""

    class Meta:
        model = TemperatureReading

    facility = factory.SubFactory(FacilityFactory)
    zone = factory.LazyAttribute(lambda o: ZoneFactory(facility=o.facility))
    resident = factory.LazyAttribute(lambda o: ResidentFactory(facility=o.facility, current_zone=o.zone))
    measured_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 1, 8, 10, tzinfo=datetime.UTC))
    temperature_c = Decimal("36.5")
    measured_by = factory.SubFactory(UserFactory)


class FeverAlertFactory(DjangoModelFactory):
    """An open alert raised by a 38.2 °C reading."""

    class Meta:
        model = FeverAlert

    facility = factory.SubFactory(FacilityFactory)
    reading = factory.LazyAttribute(
        lambda o: TemperatureReadingFactory(facility=o.facility, temperature_c=Decimal("38.2"))
    )
    resident = factory.LazyAttribute(lambda o: o.reading.resident)
    raised_at = factory.LazyAttribute(lambda o: o.reading.measured_at)
    recheck_due_at = factory.LazyAttribute(lambda o: o.reading.measured_at + datetime.timedelta(hours=1))
