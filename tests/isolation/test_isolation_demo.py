"""The isolation demo history: plausible stays, a pre-release cohort at every stage, idempotent."""

import pytest
from django.utils import timezone

from jiedu.demo.seeding import seed_region, system_user
from jiedu.isolation import demo, release_selectors
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem
from jiedu.people.models import Resident


@pytest.mark.django_db
def test_one_facility_gets_stays_a_cohort_and_releases_once():
    seed_region(facilities=1)
    system, today = system_user(), timezone.localdate()
    written = demo.seed_history(system=system, today=today, days=21)
    assert written > 20

    stays = IsolationStay.objects.all()
    assert {"fever", "close_contact", "pre_release"} <= set(stays.values_list("reason", flat=True))
    assert stays.filter(ended_at__isnull=True).exists() and stays.filter(end_reason="cleared").exists()
    assert stays.filter(previous_stay__isnull=False).exists()  # a transfer keeps its history

    due = release_selectors.due_for_release(system, today=today)
    assert len(due) == 4
    assert [c.is_ready for c in due] == [True, False, False, False]
    assert len({len(c.missing) for c in due}) == 4  # every stage of the checklist shows
    released = [c for c in release_selectors.recently_released(system, today=today, days=30) if c.handovers]
    assert len(released) == 2 and all(c.is_ready for c in released)
    assert all(c.resident.left_at.date() < today for c in released)
    assert not Resident.objects.filter(status="in_custody", current_room__isnull=True).exists()

    counts = IsolationStay.objects.count(), PreReleaseItem.objects.count(), Handover.objects.count()
    assert demo.seed_history(system=system, today=today, days=21) == 0
    assert (IsolationStay.objects.count(), PreReleaseItem.objects.count(), Handover.objects.count()) == counts
