"""Factories for screening rounds, screening forms and commitments."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, StaffFactory, UserFactory
from jiedu.screening.models import Commitment, ScreeningForm, ScreeningRound

ROUND_START = datetime.date(2026, 10, 1)


class ScreeningRoundFactory(DjangoModelFactory):
    """A facility's own screening round; ``facility=None, facilities=[...]`` makes a region-wide one."""

    class Meta:
        model = ScreeningRound
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"疫情排查第{n + 1}轮")
    kind = ScreeningRound.Kind.SCREENING
    starts_on = ROUND_START
    ends_on = ROUND_START + datetime.timedelta(days=14)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def facilities(self, create, extracted, **kwargs):
        if create:
            self.facilities.set(extracted if extracted is not None else [self.facility])


class ScreeningFormFactory(DjangoModelFactory):
    class Meta:
        model = ScreeningForm

    facility = factory.SubFactory(FacilityFactory)
    round = factory.SubFactory(ScreeningRoundFactory, facility=factory.SelfAttribute("..facility"))
    staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 10, 2, 2, tzinfo=datetime.UTC))
    submitted_by = factory.SubFactory(UserFactory)


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    facility = factory.SubFactory(FacilityFactory)
    round = factory.SubFactory(ScreeningRoundFactory, facility=factory.SelfAttribute("..facility"))
    staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    signed_on = ROUND_START
    recorded_by = factory.SubFactory(UserFactory)
