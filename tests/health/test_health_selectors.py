"""Reads: the policy in force decides each day's slots and fever threshold; room proposals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from factories import ResidentFactory, RoomFactory, ZoneFactory
from factories_epidemic import EpidemicPolicyFactory, IsolationStayFactory
from factories_health import FeverAlertFactory, TemperatureReadingFactory
from jiedu.health import selectors, services
from jiedu.health.models import FeverAlert
from jiedu.organisation.roles import Role


@pytest.fixture
def ward(facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="education")
    room = RoomFactory(zone=zone, capacity=8)
    return zone, [
        ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(2)
    ]


def _morning(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_each_day_is_judged_by_the_interval_in_force_that_day(facility_a, ward):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    EpidemicPolicyFactory(facility=facility_a, effective_from=today, temperature_interval_minutes=60)
    zone, residents = ward
    TemperatureReadingFactory(
        facility=facility_a, zone=zone, resident=residents[0], measured_at=_morning(yesterday, 8)
    )

    past = selectors.compliance_report([facility_a], yesterday, now=_morning(today, 6))
    assert (past.total.residents, past.total.due, past.total.done) == (2, 24, 1)  # 12 two-hour slots each
    assert past.facilities[0].zones[0].tally.missed == 23

    current = selectors.compliance_report([facility_a], today, now=_morning(today, 6))
    assert current.total.due == 2 * 6  # six one-hour slots ended by 06:00


def test_the_fever_threshold_in_force_on_the_day_of_the_reading_applies(member, facility_a, ward):
    medic = member(Role.MEDICAL_STAFF, facility_a)
    now = timezone.now()
    EpidemicPolicyFactory(
        facility=facility_a, effective_from=timezone.localdate(now), fever_threshold_c="37.0"
    )
    _, residents = ward
    before = now - datetime.timedelta(days=1)
    services.record_reading(actor=medic, resident=residents[0], temperature_c="37.1", measured_at=before)
    assert not FeverAlert.objects.exists()  # yesterday 37.3 was the threshold
    services.record_reading(actor=medic, resident=residents[1], temperature_c="37.1", measured_at=now)
    assert FeverAlert.objects.get().resident == residents[1]


def test_overdue_lists_residents_without_a_reading_for_more_than_an_interval(facility_a, ward):
    zone, residents = ward
    today = timezone.localdate()
    TemperatureReadingFactory(
        facility=facility_a, zone=zone, resident=residents[0], measured_at=_morning(today, 9)
    )
    late, missed = selectors.overdue_today([facility_a], now=_morning(today, 10))
    assert [(row.resident, row.rounds.overdue_since) for row in late] == [(residents[1], _morning(today, 2))]
    late, missed = selectors.overdue_today(
        [facility_a], now=_morning(today, 11) + datetime.timedelta(minutes=5)
    )
    assert {row.resident for row in late} == set(residents)  # residents[0]: two hours since 09:00
    assert {row.resident for row in missed} == set(residents)


def test_a_proposal_is_a_free_active_single_fever_room_of_the_facility(facility_a, facility_b):
    fever = ZoneFactory(facility=facility_a, zone_type="fever_isolation", name="发热隔离区")
    taken_by_stay = RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="701")
    IsolationStayFactory(facility=facility_a, room=taken_by_stay)
    taken_by_bed = RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="702")
    ResidentFactory(facility=facility_a, current_zone=fever, current_room=taken_by_bed)
    RoomFactory(
        zone=fever,
        capacity=1,
        is_single_occupancy=True,
        number="703",
        is_active=False,
        deactivation_reason="维修",
    )
    RoomFactory(zone=fever, capacity=4, number="704")
    free = RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="705")
    RoomFactory(
        zone=ZoneFactory(facility=facility_b, zone_type="fever_isolation"),
        capacity=1,
        is_single_occupancy=True,
    )
    assert selectors.propose_fever_room(facility_a) == free
    second = RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="706")

    alerts = [FeverAlertFactory(facility=facility_a) for _ in range(3)]
    proposals = selectors.fever_room_proposals(alerts)
    assert [proposals[a.pk] for a in alerts] == [free, second, None]


def test_settled_alerts_get_no_proposal(facility_a):
    alert = FeverAlertFactory(facility=facility_a)
    alert.status = "dismissed"
    assert selectors.fever_room_proposals([alert]) == {}
    assert Decimal(alert.reading.temperature_c) == Decimal("38.2")
