"""Opening, transferring and ending isolation stays; the database refuses double bookings."""

import pytest
from django.db import IntegrityError, transaction

from factories import ResidentFactory, RoomFactory, ZoneFactory
from jiedu.common.errors import DomainError
from jiedu.isolation import services
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.roles import Role


@pytest.fixture
def setup(member, facility_a):
    medic = member(Role.MEDICAL_STAFF, facility_a)
    ward = ZoneFactory(facility=facility_a, zone_type="education")
    bed = RoomFactory(zone=ward, capacity=8)
    fever_zone = ZoneFactory(facility=facility_a, zone_type="fever_isolation")
    single_1 = RoomFactory(zone=fever_zone, capacity=1, is_single_occupancy=True)
    single_2 = RoomFactory(zone=fever_zone, capacity=1, is_single_occupancy=True)
    resident = ResidentFactory(facility=facility_a, current_zone=ward, current_room=bed)
    other = ResidentFactory(facility=facility_a, current_zone=ward, current_room=bed)
    return medic, resident, other, bed, single_1, single_2


def test_fever_isolation_moves_the_resident_and_ending_brings_them_back(setup):
    medic, resident, other, bed, single_1, _ = setup
    stay = services.admit_to_isolation(actor=medic, resident=resident, room=single_1, reason="fever")
    resident.refresh_from_db()
    assert resident.current_room == single_1
    services.end_stay(actor=medic, stay=stay, end_reason="cleared")
    resident.refresh_from_db()
    assert resident.current_room == bed and not IsolationStay.objects.filter(ended_at__isnull=True).exists()


def test_a_single_room_takes_one_resident(setup):
    medic, resident, other, bed, single_1, _ = setup
    services.admit_to_isolation(actor=medic, resident=resident, room=single_1, reason="fever")
    with pytest.raises(DomainError):
        services.admit_to_isolation(actor=medic, resident=other, room=single_1, reason="fever")


def test_the_database_refuses_a_second_open_stay_in_a_single_room(setup):
    medic, resident, other, bed, single_1, _ = setup
    stay = services.admit_to_isolation(actor=medic, resident=resident, room=single_1, reason="fever")
    with pytest.raises(IntegrityError), transaction.atomic():
        IsolationStay.objects.create(
            facility=stay.facility, resident=other, room=single_1, single_occupancy=True, reason="fever",
            started_at=stay.started_at, started_by=medic,
        )  # fmt: skip


def test_transfer_keeps_the_history(setup):
    medic, resident, other, bed, single_1, single_2 = setup
    first = services.admit_to_isolation(actor=medic, resident=resident, room=single_1, reason="fever")
    second = services.transfer_stay(actor=medic, stay=first, room=single_2)
    first.refresh_from_db()
    assert first.end_reason == "transferred" and second.previous_stay == first
    resident.refresh_from_db()
    assert resident.current_room == single_2
    services.end_stay(actor=medic, stay=second, end_reason="cleared")
    resident.refresh_from_db()
    assert resident.current_room == bed


def test_a_room_outside_the_matching_isolation_zone_is_refused(setup, facility_a):
    medic, resident, other, bed, single_1, _ = setup
    with pytest.raises(DomainError) as caught:
        services.admit_to_isolation(actor=medic, resident=resident, room=single_1, reason="pre_release")
    assert caught.value.field == "room"
