"""Factories for the pre-release checklist: items and hand-overs of a resident of ``facility``."""

import datetime

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, ResidentFactory, UserFactory
from jiedu.isolation.models import Handover, PreReleaseItem


class PreReleaseItemFactory(DjangoModelFactory):
    """An individual talk, done; pass ``item=`` (and ``fit_for_release=`` for a health examination)."""

    class Meta:
        model = PreReleaseItem

    facility = factory.SubFactory(FacilityFactory)
    resident = factory.LazyAttribute(lambda o: ResidentFactory(facility=o.facility))
    item = PreReleaseItem.Item.TALK
    done_on = datetime.date(2026, 11, 1)
    performed_by = "张警官"
    summary = "出所后打算回家务农，家属支持"
    fit_for_release = factory.LazyAttribute(
        lambda o: True if o.item == PreReleaseItem.Item.HEALTH_EXAM else None
    )
    recorded_by = factory.SubFactory(UserFactory)


class HandoverFactory(DjangoModelFactory):
    """The police hand-over of a resident of ``facility``; the phone goes through the encrypted field."""

    class Meta:
        model = Handover

    facility = factory.SubFactory(FacilityFactory)
    resident = factory.LazyAttribute(lambda o: ResidentFactory(facility=o.facility))
    receiver = Handover.Receiver.POLICE
    name = "王警官"
    unit = "呼和浩特市公安局新城区分局"
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    handed_over_at = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
    recorded_by = factory.SubFactory(UserFactory)
