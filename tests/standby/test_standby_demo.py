"""Demo standby history: two shifts per facility, Hulunbuir's 21 days, cleared and waiting members."""

import datetime

import pytest

from jiedu.demo.seeding import seed_region, system_user
from jiedu.organisation.models import Facility
from jiedu.standby import demo, selectors
from jiedu.standby.models import StandbyMember, StandbyShift

TODAY = datetime.date(2026, 11, 24)
HULUNBUIR_IS_SEVENTH = 7


@pytest.mark.django_db
def test_demo_history_gives_every_facility_an_ended_and_a_current_shift():
    seed_region(today=TODAY, facilities=HULUNBUIR_IS_SEVENTH)
    system = system_user()
    written = demo.seed_history(system=system, today=TODAY, days=21)
    assert written > 0
    for facility in Facility.objects.all():
        lengths = set(StandbyShift.objects.filter(facility=facility).values_list("standby_days", flat=True))
        assert lengths == ({21} if "呼伦贝尔" in facility.name else {14})
        assert StandbyShift.objects.filter(facility=facility).count() == 2
    ended = StandbyShift.objects.filter(starts_on__lt=TODAY - datetime.timedelta(days=10))
    started = StandbyMember.objects.filter(shift__in=ended, duty_started_at__isnull=False)
    waiting = StandbyMember.objects.filter(shift__in=ended, duty_started_at__isnull=True)
    assert started.count() == 3 * waiting.count() > 0
    for member in waiting:
        assert "no_test_before_duty" in selectors.member_clearance(member).reasons
    assert demo.seed_history(system=system, today=TODAY, days=21) == 0
