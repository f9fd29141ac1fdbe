"""Demo history: plausible, deterministic, idempotent per facility and day, never in the future."""

import datetime

from django.utils import timezone

from jiedu.demo.seeding import system_user
from jiedu.environment import demo, selectors
from jiedu.environment.models import EnvironmentRecord, KeyArea


def _snapshot():
    return list(
        EnvironmentRecord.objects.order_by("facility_id", "performed_at", "area__name", "kind").values_list(
            "area__name", "kind", "performed_at", "agent", "concentration", "duration_minutes"
        )
    )


def test_the_history_is_mostly_complete_with_a_few_misses_and_written_once(facility_a, facility_b):
    system = system_user()
    today = timezone.localdate()
    written = demo.seed_history(system=system, today=today, days=21)
    assert written == KeyArea.objects.count() + EnvironmentRecord.objects.count()
    for facility in (facility_a, facility_b):
        assert 5 <= KeyArea.objects.filter(facility=facility).count() <= 7
    assert not EnvironmentRecord.objects.filter(performed_at__gt=timezone.now()).exists()
    disinfections = EnvironmentRecord.objects.filter(kind="disinfection")
    assert not disinfections.filter(agent="").exists() and not disinfections.filter(concentration="").exists()
    assert "500 mg/L" in set(disinfections.values_list("concentration", flat=True))

    rates = [
        selectors.compliance_by_facility(system, today - datetime.timedelta(days=offset))
        for offset in range(1, 21)
    ]
    ventilation = [r[f.pk]["ventilation"] for r in rates for f in (facility_a, facility_b)]
    assert sum(ventilation) / len(ventilation) > 0.9  # mostly complete
    assert any(rate < 1 for rate in ventilation)  # with some misses

    before = _snapshot()
    assert demo.seed_history(system=system, today=today, days=21) == 0
    assert _snapshot() == before


def test_the_same_day_gets_the_same_records_on_every_run(facility_a):
    system = system_user()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    demo.seed_history(system=system, today=yesterday, days=2)
    first = _snapshot()
    EnvironmentRecord.objects.all().delete()
    demo.seed_history(system=system, today=yesterday, days=2)
    assert _snapshot() == first


def test_evening_ventilations_are_the_ones_missed_most(facility_a, facility_b):
    demo.seed_history(system=system_user(), today=timezone.localdate() - datetime.timedelta(days=1), days=60)
    hours = [
        timezone.localtime(at).hour
        for at in EnvironmentRecord.objects.filter(kind="ventilation").values_list("performed_at", flat=True)
    ]
    morning = sum(1 for h in hours if 7 <= h < 9)
    evening = sum(1 for h in hours if h >= 18)
    assert evening < morning
