"""Demo schemes: 2022 and this year, with the defaults, written once."""

import datetime

import pytest

from jiedu.assessment import demo
from jiedu.assessment.models import TargetScheme
from jiedu.audit.models import AuditEvent
from jiedu.demo.seeding import system_user


@pytest.mark.django_db
def test_demo_sets_the_2022_and_current_schemes_once():
    system = system_user()
    today = datetime.date(2026, 11, 24)
    assert demo.seed_history(system=system, today=today, days=21) == 2
    assert sorted(TargetScheme.objects.values_list("year", "inspection_points", "full_marks")) == [
        (2022, 70, 100), (2026, 70, 100),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="assessment.scheme_set").count() == 2
    assert demo.seed_history(system=system, today=today, days=21) == 0
