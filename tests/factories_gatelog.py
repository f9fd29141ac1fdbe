"""Factories for gate control records."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, UserFactory
from jiedu.gatelog.models import GateEvent

NINE_AM_LOCAL = datetime.datetime(2026, 11, 1, 1, tzinfo=datetime.UTC)  # 09:00 in Asia/Shanghai


class GateEventFactory(DjangoModelFactory):
    """An admitted visitor with a valid approval and every check done, under closed management.

    ``GateEventFactory(refused=True)`` is the same visitor turned away with a fever.
    """

    class Meta:
        model = GateEvent

    class Params:
        refused = factory.Trait(
            outcome=GateEvent.Outcome.REFUSED, refusal_reasons=["fever"], temperature_c=Decimal("38.1")
        )

    facility = factory.SubFactory(FacilityFactory)
    event_kind = GateEvent.EventKind.ENTRY
    subject_kind = GateEvent.SubjectKind.VISITOR
    subject_name = factory.Sequence(lambda n: f"访客{n}")
    organisation = "内蒙古某律师事务所"
    approver = "王所长"
    approval_purpose = "律师会见"
    approval_valid_until = NINE_AM_LOCAL + datetime.timedelta(hours=9)
    temperature_c = Decimal("36.5")
    disinfected = True
    security_checked = True
    occurred_at = NINE_AM_LOCAL
    outcome = GateEvent.Outcome.ADMITTED
    refusal_reasons = factory.LazyFunction(list)
    closed_management = True
    fever_threshold_c = Decimal("37.3")
    registered_by = factory.SubFactory(UserFactory)
