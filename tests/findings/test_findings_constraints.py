"""The database refuses what the rules refuse, whatever writes to it (run on SQLite and PostgreSQL)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import UserFactory
from factories_findings import FindingEventFactory, FindingFactory
from jiedu.findings.models import Finding

pytestmark = pytest.mark.django_db


def refused(finding, **changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(**changes)


@pytest.fixture
def verified_parts():
    submitter, verifier = UserFactory(), UserFactory()
    now = timezone.now()
    return {
        "submitted_at": now, "submitted_by": submitter, "verified_at": now, "verified_by": verifier,
        "rectified_on": timezone.localdate(),
    }  # fmt: skip


def test_self_verification_is_refused_by_the_database(verified_parts):
    responsible_login = UserFactory()
    finding = FindingFactory(responsible_user=responsible_login)

    refused(finding, status="verified", **{**verified_parts, "verified_by": responsible_login})
    refused(finding, status="verified", **{**verified_parts, "verified_by": verified_parts["submitted_by"]})
    Finding.objects.filter(pk=finding.pk).update(
        status="verified", **verified_parts
    )  # an independent verifier
    assert Finding.objects.get(pk=finding.pk).status == "verified"


def test_verified_and_closed_findings_carry_their_stamps(verified_parts):
    finding = FindingFactory()

    refused(finding, status="submitted")
    refused(
        finding, status="verified", submitted_at=timezone.now(), submitted_by=verified_parts["submitted_by"]
    )
    refused(finding, status="closed", **verified_parts)
    refused(finding, status="withdrawn")


def test_dates_states_and_origins_are_checked():
    finding = FindingFactory()

    refused(finding, deadline=finding.found_on - datetime.timedelta(days=1))
    refused(finding, status="lost")
    refused(finding, origin="inspection")  # an inspection finding names its inspection
    refused(finding, title="")


def test_an_extension_event_moves_the_deadline_later():
    event = FindingEventFactory(kind="recorded")
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingEventFactory(finding=event.finding, facility=event.facility, kind="extended", deadline_before=today,
                            deadline_after=today)  # fmt: skip
    FindingEventFactory(finding=event.finding, facility=event.facility, kind="extended", deadline_before=today,
                        deadline_after=today + datetime.timedelta(days=1))  # fmt: skip
    assert event.finding.events.count() == 2
