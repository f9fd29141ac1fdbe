"""Areas, their one inspector and the inspectors' patrols, through the services."""

import datetime

import pytest
from django.utils import timezone

from factories import StaffFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.staffleave import services
from jiedu.staffleave.models import AreaInspector

FIRST = datetime.date(2026, 11, 1)


@pytest.fixture
def clerk(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def area(clerk, facility_a):
    return services.create_area(actor=clerk, facility=facility_a, name="赛罕区")


def test_creating_an_area_is_audited_and_names_are_unique(area, clerk, facility_a):
    assert AuditEvent.objects.filter(action="leave.area_created", target_id=str(area.pk)).exists()
    with pytest.raises(DomainError) as error:
        services.create_area(actor=clerk, facility=facility_a, name=" 赛罕区 ")
    assert error.value.field == "name"


def test_a_new_inspector_takes_over_from_the_current_one(area, clerk, facility_a):
    first = services.assign_inspector(
        actor=clerk, area=area, staff=StaffFactory(facility=facility_a), from_date=FIRST
    )
    later = FIRST + datetime.timedelta(days=10)
    second = services.assign_inspector(
        actor=clerk, area=area, staff=StaffFactory(facility=facility_a), from_date=later
    )
    first.refresh_from_db()
    assert first.until == later
    assert list(AreaInspector.objects.filter(area=area, until__isnull=True)) == [second]
    assert AuditEvent.objects.filter(action="leave.inspector_assigned").count() == 2


def test_an_inspector_from_another_facility_is_refused(area, clerk, facility_b):
    with pytest.raises(DomainError) as error:
        services.assign_inspector(
            actor=clerk, area=area, staff=StaffFactory(facility=facility_b), from_date=FIRST
        )
    assert error.value.field == "staff"


def test_another_facilitys_officer_may_not_assign(area, member, facility_a, facility_b):
    outsider = member(Role.FACILITY_OFFICER, facility_b)
    with pytest.raises(AccessDenied):
        services.assign_inspector(
            actor=outsider, area=area, staff=StaffFactory(facility=facility_a), from_date=FIRST
        )


def test_a_patrol_names_the_current_inspector(area, clerk, facility_a):
    inspector = StaffFactory(facility=facility_a)
    services.assign_inspector(actor=clerk, area=area, staff=inspector, from_date=FIRST)
    patrol = services.record_patrol(
        actor=clerk, area=area, visited_staff=StaffFactory(facility=facility_a),
        visited_at=timezone.now() - datetime.timedelta(hours=1), observations="在家，状态良好",
    )  # fmt: skip
    assert patrol.inspector == inspector
    assert AuditEvent.objects.filter(action="leave.patrol_recorded").exists()


def test_an_area_without_inspector_has_no_patrol(area, clerk, facility_a):
    with pytest.raises(DomainError) as error:
        services.record_patrol(
            actor=clerk, area=area, visited_staff=StaffFactory(facility=facility_a), visited_at=timezone.now(),
            observations="在家",
        )  # fmt: skip
    assert error.value.field == "area"
