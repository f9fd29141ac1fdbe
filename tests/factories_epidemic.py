"""Factories for epidemic-control records (policies, isolation stays)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, ResidentFactory, RoomFactory, UserFactory, ZoneFactory
from jiedu.epidemic.models import EpidemicPolicy
from jiedu.isolation.models import IsolationStay


class EpidemicPolicyFactory(DjangoModelFactory):
    class Meta:
        model = EpidemicPolicy

    facility = factory.SubFactory(FacilityFactory)
    effective_from = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    fever_threshold_c = "37.3"
    created_by = factory.SubFactory(UserFactory)


class IsolationStayFactory(DjangoModelFactory):
    """An open fever-isolation stay in a fresh single room of the resident's facility."""

    class Meta:
        model = IsolationStay

    facility = factory.SubFactory(FacilityFactory)
    resident = factory.LazyAttribute(lambda o: ResidentFactory(facility=o.facility))
    room = factory.LazyAttribute(
        lambda o: RoomFactory(
            zone=ZoneFactory(facility=o.facility, zone_type="fever_isolation"), capacity=1, is_single_occupancy=True
        )
    )
    single_occupancy = True
    reason = IsolationStay.Reason.FEVER
    started_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 1, 8, tzinfo=datetime.UTC))
    started_by = factory.SubFactory(UserFactory)
