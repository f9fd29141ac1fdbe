"""Demo rotation-leave history: staff on leave with reports, reviews, gaps, areas and patrols; once."""

import pytest
from django.utils import timezone

from jiedu.audit.models import AuditEvent
from jiedu.demo.seeding import seed_region, system_user
from jiedu.organisation.models import Facility
from jiedu.staffleave import demo, domain
from jiedu.staffleave.models import (
    AreaInspector,
    DailyReport,
    LeaveArea,
    LeavePeriod,
    PatrolRecord,
    ReturnReport,
)

HOHHOT_IS_FOURTH = 4  # the first facility with logins that review reports


@pytest.mark.django_db
def test_demo_history_fills_each_facility_once():
    today = timezone.localdate()
    seed_region(today=today, facilities=HOHHOT_IS_FOURTH)
    system = system_user()
    written = demo.seed_history(system=system, today=today, days=14)
    assert written > 0
    assert AuditEvent.objects.filter(action__startswith="leave.").count() >= written
    for facility in Facility.objects.all():
        areas = LeaveArea.objects.filter(facility=facility)
        assert 2 <= areas.count() <= 3
        assert AreaInspector.objects.filter(facility=facility, until__isnull=True).count() == areas.count()
        assert LeavePeriod.objects.filter(facility=facility).count() >= 2
    statuses = set(DailyReport.objects.values_list("status", flat=True))
    assert statuses == set(domain.STATUSES)
    assert not DailyReport.objects.filter(day=today).exists()  # today is left to the demo audience
    assert ReturnReport.objects.exists() and PatrolRecord.objects.exists()
    officer = LeavePeriod.objects.filter(staff__user__username="hohhot_officer").get()
    assert officer.starts_on <= today <= officer.ends_on  # the demo login reports from a phone today
    assert demo.seed_history(system=system, today=today, days=14) == 0
