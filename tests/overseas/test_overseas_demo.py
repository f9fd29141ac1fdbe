"""Demo overseas ledger: a few people per facility, one whole way home, written once."""

import datetime
from collections import Counter

import pytest

from jiedu.audit.models import AuditEvent
from jiedu.demo.seeding import seed_region, system_user
from jiedu.overseas import demo, selectors
from jiedu.overseas.models import OverseasEntry, OverseasStatus

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.django_db
def test_demo_ledger_is_small_has_one_full_history_and_is_written_once(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    seed_region(today=TODAY, facilities=3)
    system = system_user()
    written = demo.seed_history(system=system, today=TODAY, days=30)
    assert written == OverseasStatus.objects.count() > 0
    assert AuditEvent.objects.filter(action__startswith="overseas.").count() == written
    per_facility = Counter(OverseasEntry.objects.values_list("facility_id", flat=True))
    assert max(per_facility.values()) <= 4
    histories = [[s.category for s in selectors.history(entry)] for entry in OverseasEntry.objects.all()]
    assert ["returned", "planning", "abroad"] in histories
    assert demo.seed_history(system=system, today=TODAY, days=30) == 0
