"""Demo gate history: every facility and day filled once, deterministic, with a few refusals."""

import datetime
from collections import Counter

import pytest

from jiedu.audit.models import AuditEvent
from jiedu.demo.seeding import seed_region, system_user
from jiedu.gatelog import demo
from jiedu.gatelog.models import GateEvent
from jiedu.organisation.models import Facility

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.django_db
def test_demo_history_fills_each_past_day_once_with_plausible_passages():
    seed_region(today=TODAY, facilities=2)
    system = system_user()
    written = demo.seed_history(system=system, today=TODAY, days=14)
    assert written == GateEvent.objects.count() > 2 * 14 * 8
    assert AuditEvent.objects.filter(action__startswith="gate.").count() == written
    for facility in Facility.objects.all():
        days = {d.date() for d in GateEvent.objects.filter(facility=facility).datetimes("occurred_at", "day")}
        assert days == {TODAY - datetime.timedelta(days=n) for n in range(1, 15)}  # today is left to the demo
    kinds = Counter(GateEvent.objects.values_list("event_kind", "subject_kind"))
    assert {("entry", "staff"), ("exit", "staff"), ("entry", "vehicle"), ("handover", "goods")} <= set(kinds)
    refused = GateEvent.objects.filter(outcome="refused")
    assert 0 < refused.count() < written * 0.1
    assert {r for event in refused for r in event.refusal_reasons} >= {"approval_missing", "security_check_missing"}
    assert demo.seed_history(system=system, today=TODAY, days=14) == 0


@pytest.mark.django_db
def test_a_day_is_planned_the_same_way_every_time():
    seed_region(today=TODAY, facilities=1)
    facility = Facility.objects.get()
    first = demo.plan_day(demo.Cast(facility, system_user()), TODAY)
    second = demo.plan_day(demo.Cast(facility, system_user()), TODAY)
    assert first == second and len(first) >= 8
