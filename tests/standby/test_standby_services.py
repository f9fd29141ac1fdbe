"""Standby services against the real database: policy lengths, rosters, the duty gate, audit."""

import datetime

import pytest
from django.utils import timezone

from factories import FacilityFactory, StaffFactory, ZoneFactory
from factories_standby import (
    NucleicAcidTestFactory,
    StandbyMemberFactory,
    StandbyPolicyFactory,
    StandbyShiftFactory,
)
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.standby import domain, services
from jiedu.standby.models import NucleicAcidTest, StandbyMember

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def doctor(member, facility_a):
    return member(Role.MEDICAL_STAFF, facility_a)


def record(actor, staff, at, **more):
    values = {"result": "negative", "laboratory": "盟疾控中心", **more}
    return services.record_test(actor=actor, facility=staff.facility, staff=staff, sample_taken_at=at, **values)


def standby_area(facility):
    return ZoneFactory(facility=facility, zone_type="standby_isolation", name=f"隔离备勤区{facility.code}")


def test_a_shift_takes_the_region_default_length(doctor, facility_a):
    StandbyPolicyFactory(standby_days=14)
    shift = services.create_shift(
        actor=doctor, facility=facility_a, zone=standby_area(facility_a), starts_on=datetime.date(2026, 11, 1)
    )
    assert (shift.standby_days, shift.required_negative_tests) == (14, 2)
    assert shift.planned_duty_on == datetime.date(2026, 11, 15)
    assert AuditEvent.objects.filter(action="standby.shift_created", target_id=str(shift.pk)).exists()


def test_a_facility_override_gives_21_days_from_its_date(member):
    hulunbuir = FacilityFactory(name="呼伦贝尔市强制隔离戒毒所", short_name="呼伦贝尔所")
    actor = member(Role.FACILITY_LEADER, hulunbuir)
    StandbyPolicyFactory(standby_days=14)
    StandbyPolicyFactory(facility=hulunbuir, effective_from=datetime.date(2022, 4, 1), standby_days=21)
    zone = standby_area(hulunbuir)
    before = services.create_shift(actor=actor, facility=hulunbuir, zone=zone, starts_on=datetime.date(2022, 3, 1))
    after = services.create_shift(actor=actor, facility=hulunbuir, zone=zone, starts_on=datetime.date(2022, 5, 1))
    assert (before.standby_days, after.standby_days) == (14, 21)
    assert after.planned_duty_on == datetime.date(2022, 5, 22)


def test_a_shift_needs_a_standby_area_of_the_same_facility(doctor, facility_a, facility_b):
    today = timezone.localdate()
    with pytest.raises(DomainError) as other:
        services.create_shift(actor=doctor, facility=facility_a, zone=standby_area(facility_b), starts_on=today)
    with pytest.raises(DomainError) as ordinary:
        services.create_shift(actor=doctor, facility=facility_a, zone=ZoneFactory(facility=facility_a), starts_on=today)
    assert other.value.field == ordinary.value.field == "zone"


def test_without_the_staff_health_role_nothing_is_created(member, facility_a):
    gate_officer = member(Role.GATE_OFFICER, facility_a)
    with pytest.raises(AccessDenied):
        services.create_shift(
            actor=gate_officer, facility=facility_a, zone=standby_area(facility_a), starts_on=timezone.localdate()
        )


def test_one_person_is_in_at_most_one_overlapping_shift(doctor, facility_a):
    staff = StaffFactory(facility=facility_a)
    first = StandbyShiftFactory(facility=facility_a, starts_on=datetime.date(2026, 11, 1))
    overlapping = StandbyShiftFactory(facility=facility_a, starts_on=datetime.date(2026, 11, 10))
    later = StandbyShiftFactory(facility=facility_a, starts_on=datetime.date(2026, 11, 15))
    services.add_member(actor=doctor, shift=first, staff=staff)
    with pytest.raises(DomainError) as refused:
        services.add_member(actor=doctor, shift=overlapping, staff=staff)
    assert refused.value.field == "staff"
    services.add_member(actor=doctor, shift=later, staff=staff)
    assert StandbyMember.objects.filter(staff=staff).count() == 2


def test_staff_of_another_facility_cannot_join(doctor, facility_a, facility_b):
    shift = StandbyShiftFactory(facility=facility_a)
    with pytest.raises(DomainError):
        services.add_member(actor=doctor, shift=shift, staff=StaffFactory(facility=facility_b))


def shift_due_now(facility):
    """A 14-day shift whose duty day is today."""
    return StandbyShiftFactory(facility=facility, starts_on=timezone.localdate() - datetime.timedelta(days=14))


def test_start_duty_with_both_negatives(doctor, facility_a):
    member = StandbyMemberFactory(facility=facility_a, shift=shift_due_now(facility_a))
    for at in (member.shift.standby_start - 6 * HOUR, timezone.now() - 2 * HOUR):
        record(doctor, member.staff, at)
    services.start_duty(actor=doctor, member=member)
    member.refresh_from_db()
    assert member.duty_started_at is not None
    assert AuditEvent.objects.filter(action="standby.duty_started", target_id=str(member.pk)).exists()


def test_start_duty_is_refused_with_the_reasons(doctor, facility_a):
    member = StandbyMemberFactory(facility=facility_a, shift=shift_due_now(facility_a))
    NucleicAcidTestFactory(facility=facility_a, staff=member.staff, sample_taken_at=member.shift.standby_start - HOUR)
    with pytest.raises(services.NotCleared) as refused:
        services.start_duty(actor=doctor, member=member)
    assert refused.value.reasons == (domain.NO_TEST_BEFORE_DUTY, domain.TOO_FEW_NEGATIVES)
    member.refresh_from_db()
    assert member.duty_started_at is None


def test_a_corrected_result_replaces_the_original(doctor, facility_a):
    member = StandbyMemberFactory(facility=facility_a, shift=shift_due_now(facility_a))
    NucleicAcidTestFactory(facility=facility_a, staff=member.staff, sample_taken_at=member.shift.standby_start - HOUR)
    wrong = NucleicAcidTestFactory(
        facility=facility_a, staff=member.staff, sample_taken_at=timezone.now() - HOUR, result="positive"
    )
    record(doctor, member.staff, wrong.sample_taken_at, corrects=wrong)
    services.start_duty(actor=doctor, member=member)
    with pytest.raises(DomainError):
        record(doctor, member.staff, wrong.sample_taken_at, corrects=wrong)
    assert NucleicAcidTest.objects.count() == 3


def test_a_test_in_the_future_or_without_laboratory_is_refused(doctor, facility_a):
    staff = StaffFactory(facility=facility_a)
    with pytest.raises(DomainError) as future:
        record(doctor, staff, timezone.now() + 2 * HOUR)
    with pytest.raises(DomainError) as no_lab:
        record(doctor, staff, timezone.now(), laboratory="  ")
    assert (future.value.field, no_lab.value.field) == ("sample_taken_at", "laboratory")
    assert not NucleicAcidTest.objects.exists()


def test_only_a_member_not_yet_on_duty_is_removed(doctor, facility_a):
    waiting = StandbyMemberFactory(facility=facility_a)
    on_duty = StandbyMemberFactory(facility=facility_a, shift=waiting.shift, duty_started_at=timezone.now())
    services.remove_member(actor=doctor, member=waiting)
    with pytest.raises(DomainError):
        services.remove_member(actor=doctor, member=on_duty)
    assert list(StandbyMember.objects.all()) == [on_duty]
    assert AuditEvent.objects.filter(action="standby.member_removed").count() == 1
