"""Demo hygiene history: weekly inspections of every department, boards of the last two full months."""

import datetime

import pytest
from django.utils import timezone

from jiedu.demo.seeding import seed_region, system_user
from jiedu.hygiene import demo
from jiedu.hygiene.models import HygieneBoard, HygieneBoardEntry, HygieneInspection
from jiedu.organisation.models import Department, Facility


@pytest.mark.django_db
def test_demo_history_is_deterministic_idempotent_and_publishes_two_months():
    today = timezone.localdate()
    seed_region(today=today, facilities=2)
    system = system_user()
    written = demo.seed_history(system=system, today=today, days=21)
    assert (
        written
        == HygieneInspection.objects.count()
        + HygieneBoard.objects.count()
        + HygieneBoardEntry.objects.count()
    )
    periods = demo.board_periods(today)
    for facility in Facility.objects.all():
        boards = HygieneBoard.objects.filter(facility=facility).order_by("period_start")
        assert [(b.period_start, b.period_end) for b in boards] == periods
        departments = Department.objects.filter(facility=facility, is_active=True).count()
        weeks = HygieneInspection.objects.filter(facility=facility).dates("inspected_on", "day").count()
        assert (
            weeks >= 8 and HygieneInspection.objects.filter(facility=facility).count() == weeks * departments
        )
    scores = list(HygieneInspection.objects.values_list("score", flat=True))
    assert sum(85 <= s <= 98 for s in scores) / len(scores) > 0.85 and min(scores) < 75
    assert HygieneBoardEntry.objects.filter(listed_on="honour").exists()
    assert HygieneBoardEntry.objects.filter(listed_on="exposure").exists()
    first_scores = sorted(HygieneInspection.objects.values_list("department__name", "inspected_on", "score"))
    assert demo.seed_history(system=system, today=today, days=21) == 0
    assert (
        sorted(HygieneInspection.objects.values_list("department__name", "inspected_on", "score"))
        == first_scores
    )
    assert all(day <= today for day in HygieneInspection.objects.values_list("inspected_on", flat=True))
    (first_start, first_end), (second_start, second_end) = periods
    assert first_start.day == 1 and first_end + datetime.timedelta(days=1) == second_start
    assert second_end == today.replace(day=1) - datetime.timedelta(days=1)
    # Deterministic: the same scores again from scratch.
    HygieneBoardEntry.objects.all().delete()
    HygieneBoard.objects.all().delete()
    HygieneInspection.objects.all().delete()
    assert demo.seed_history(system=system, today=today, days=21) == written
    assert (
        sorted(HygieneInspection.objects.values_list("department__name", "inspected_on", "score"))
        == first_scores
    )
