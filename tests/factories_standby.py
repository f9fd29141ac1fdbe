"""Factories for standby shifts, their members and nucleic-acid tests."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, StaffFactory, UserFactory, ZoneFactory
from jiedu.standby.models import NucleicAcidTest, StandbyMember, StandbyPolicy, StandbyShift

NOON_LOCAL = datetime.datetime(2026, 11, 1, 4, tzinfo=datetime.UTC)  # 12:00 in Asia/Shanghai


class StandbyPolicyFactory(DjangoModelFactory):
    class Meta:
        model = StandbyPolicy

    facility = None
    effective_from = datetime.date(2020, 1, 1)
    standby_days = 14
    required_negative_tests = 2
    created_by = factory.SubFactory(UserFactory)


class StandbyShiftFactory(DjangoModelFactory):
    """A 14-day shift in the facility's standby isolation area, starting 1 November 2026."""

    class Meta:
        model = StandbyShift

    facility = factory.SubFactory(FacilityFactory)
    zone = factory.SubFactory(
        ZoneFactory, facility=factory.SelfAttribute("..facility"), zone_type="standby_isolation",
        name=factory.Sequence(lambda n: f"隔离备勤区{n}"),
    )  # fmt: skip
    starts_on = datetime.date(2026, 11, 1)
    standby_days = 14
    required_negative_tests = 2
    created_by = factory.SubFactory(UserFactory)


class StandbyMemberFactory(DjangoModelFactory):
    class Meta:
        model = StandbyMember

    facility = factory.SubFactory(FacilityFactory)
    shift = factory.SubFactory(StandbyShiftFactory, facility=factory.SelfAttribute("..facility"))
    staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))


class NucleicAcidTestFactory(DjangoModelFactory):
    """A negative PCR test sampled at noon on the factory shift's first day."""

    class Meta:
        model = NucleicAcidTest

    facility = factory.SubFactory(FacilityFactory)
    staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    sample_taken_at = NOON_LOCAL
    test_kind = NucleicAcidTest.Kind.PCR
    result = NucleicAcidTest.Result.NEGATIVE
    laboratory = "市疾控中心实验室"
    recorded_by = factory.SubFactory(UserFactory)
