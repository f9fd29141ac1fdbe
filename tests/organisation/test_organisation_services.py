"""Writes to the organisation tree through its services: role checks, rules, audit rows."""

import pytest
from django.core.exceptions import ValidationError

from factories import CommunityStationFactory, DepartmentFactory, ResidentFactory, RoomFactory, ZoneFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation import services
from jiedu.organisation.models import CommunityStation, Department, Facility, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a)


@pytest.fixture
def zone(facility_a):
    return ZoneFactory(facility=facility_a, name="生理脱毒区", zone_type="detox")


def _event(action):
    return AuditEvent.objects.get(action=action)


# --- zones, departments, stations ----------------------------------------------------------------


def test_create_zone_saves_and_audits(leader, facility_a):
    # when a facility leader creates a zone
    zone = services.create_scoped(
        actor=leader, model=Zone, facility=facility_a, name="发热隔离区", zone_type="fever_isolation"
    )
    # then it is saved in that facility and one audit row names the fields
    assert Zone.objects.get(pk=zone.pk).facility == facility_a
    event = _event("zone.created")
    assert event.facility_id == facility_a.pk
    assert event.target_id == str(zone.pk)
    assert event.changed_fields == ["facility", "name", "zone_type"]
    assert event.role == Role.FACILITY_LEADER


def test_update_zone_audits_only_changed_fields(leader, zone):
    services.update_scoped(actor=leader, instance=zone, name="生理脱毒一区", zone_type="detox")
    assert Zone.objects.get(pk=zone.pk).name == "生理脱毒一区"
    assert _event("zone.updated").changed_fields == ["name"]


def test_an_update_that_changes_nothing_writes_no_audit_row(leader, zone):
    services.update_scoped(actor=leader, instance=zone, name=zone.name)
    assert not AuditEvent.objects.filter(action="zone.updated").exists()


def test_an_invalid_zone_type_is_refused(leader, facility_a):
    with pytest.raises(ValidationError) as caught:
        services.create_scoped(actor=leader, model=Zone, facility=facility_a, name="X", zone_type="garden")
    assert "zone_type" in caught.value.message_dict
    assert not Zone.objects.exists()


def test_a_duplicate_zone_name_is_a_domain_error_not_a_crash(leader, zone):
    with pytest.raises(DomainError) as caught:
        services.create_scoped(
            actor=leader, model=Zone, facility=zone.facility, name=zone.name, zone_type="detox"
        )
    assert caught.value.code == "conflict"


def test_create_and_update_department(leader, facility_a):
    department = services.create_scoped(actor=leader, model=Department, facility=facility_a, name="一大队")
    services.update_scoped(actor=leader, instance=department, name="管理一大队", kind="brigade")
    assert Department.objects.get(pk=department.pk).name == "管理一大队"
    assert _event("department.created").changed_fields == ["facility", "name"]
    assert _event("department.updated").changed_fields == ["name"]


def test_create_and_update_station(leader, facility_a):
    station = services.create_scoped(
        actor=leader,
        model=CommunityStation,
        facility=facility_a,
        name="回民区社区戒毒康复指导站",
        league_city="呼和浩特市",
        banner_county="回民区",
    )
    services.update_scoped(actor=leader, instance=station, address="中山西路1号")
    assert CommunityStation.objects.get(pk=station.pk).address == "中山西路1号"
    assert _event("communitystation.created").facility_id == facility_a.pk
    assert _event("communitystation.updated").changed_fields == ["address"]


def test_a_record_cannot_move_to_another_facility(leader, facility_a, facility_b):
    department = DepartmentFactory(facility=facility_a)
    with pytest.raises(DomainError) as caught:
        services.update_scoped(actor=leader, instance=department, facility=facility_b)
    assert caught.value.field == "facility"


@pytest.mark.parametrize(
    "role", [Role.FACILITY_OFFICER, Role.MEDICAL_STAFF, Role.PROSECUTOR, Role.BUREAU_LEADER]
)
def test_roles_without_manage_cannot_create_a_zone(member, facility_a, role):
    actor = member(role, facility_a if role != Role.BUREAU_LEADER else None)
    with pytest.raises(AccessDenied):
        services.create_scoped(
            actor=actor, model=Zone, facility=facility_a, name="新区", zone_type="ordinary"
        )
    assert not Zone.objects.exists()


def test_a_leader_cannot_manage_another_facility(leader, facility_b):
    with pytest.raises(AccessDenied):
        services.create_scoped(
            actor=leader, model=Zone, facility=facility_b, name="新区", zone_type="ordinary"
        )
    station = CommunityStationFactory(facility=facility_b)
    with pytest.raises(AccessDenied):
        services.update_scoped(actor=leader, instance=station, name="改名")


def test_a_bureau_supervisor_manages_every_facility(member, facility_b):
    supervisor = member(Role.BUREAU_SUPERVISOR)
    zone = services.create_scoped(
        actor=supervisor, model=Zone, facility=facility_b, name="新区", zone_type="ordinary"
    )
    assert zone.facility == facility_b
    assert _event("zone.created").role == Role.BUREAU_SUPERVISOR


def test_other_models_have_their_own_service(leader, facility_a):
    with pytest.raises(TypeError):
        services.create_scoped(actor=leader, model=Facility, facility=facility_a)
    with pytest.raises(TypeError):
        services.update_scoped(actor=leader, instance=facility_a, name="x")


# --- rooms ---------------------------------------------------------------------------------------


def test_create_room_saves_and_audits(leader, facility_a, zone):
    room = services.create_scoped(
        actor=leader, model=Room, facility=facility_a, zone=zone, number="101", capacity=6
    )
    assert Room.objects.get(pk=room.pk).capacity == 6
    assert _event("room.created").changed_fields == ["capacity", "facility", "number", "zone"]


def test_a_single_occupancy_room_with_capacity_two_is_refused(leader, facility_a, zone):
    with pytest.raises(DomainError) as caught:
        services.create_scoped(
            actor=leader,
            model=Room,
            facility=facility_a,
            zone=zone,
            number="102",
            capacity=2,
            is_single_occupancy=True,
        )
    assert caught.value.field == "capacity"
    assert not Room.objects.exists()


def test_a_single_occupancy_room_with_capacity_one_is_accepted(leader, facility_a, zone):
    room = services.create_scoped(
        actor=leader,
        model=Room,
        facility=facility_a,
        zone=zone,
        number="103",
        capacity=1,
        is_single_occupancy=True,
    )
    assert room.is_single_occupancy


def test_a_room_in_a_zone_of_another_facility_is_refused(leader, facility_a, facility_b):
    zone_b = ZoneFactory(facility=facility_b)
    with pytest.raises(DomainError) as caught:
        services.create_scoped(
            actor=leader, model=Room, facility=facility_a, zone=zone_b, number="104", capacity=4
        )
    assert caught.value.field == "zone"
    assert not Room.objects.exists()


def test_moving_a_room_into_a_zone_of_another_facility_is_refused(leader, facility_a, facility_b, zone):
    room = RoomFactory(zone=zone)
    with pytest.raises(DomainError) as caught:
        services.update_scoped(actor=leader, instance=room, zone=ZoneFactory(facility=facility_b))
    assert caught.value.field == "zone"
    assert Room.objects.get(pk=room.pk).zone == zone


def test_capacity_below_the_present_residents_is_refused(leader, zone):
    room = RoomFactory(zone=zone, capacity=3)
    ResidentFactory(current_room=room)
    ResidentFactory(current_room=room)
    with pytest.raises(DomainError) as caught:
        services.update_scoped(actor=leader, instance=room, capacity=1)
    assert caught.value.field == "capacity"
    services.update_scoped(actor=leader, instance=room, capacity=2)
    assert Room.objects.get(pk=room.pk).capacity == 2


def test_an_occupied_room_cannot_change_zone(leader, facility_a, zone):
    # given a room with a resident, whose current zone is the room's zone
    room = RoomFactory(zone=zone)
    resident = ResidentFactory(current_room=room)
    other_zone = ZoneFactory(facility=facility_a)
    # when the room is moved to another zone, then it is refused (or the residents follow)
    try:
        services.update_scoped(actor=leader, instance=room, zone=other_zone)
    except DomainError:
        return
    resident.refresh_from_db()
    assert resident.current_zone_id == resident.current_room.zone_id


# --- deactivate_room -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_deactivating_a_room_needs_a_reason(leader, zone, reason):
    room = RoomFactory(zone=zone)
    with pytest.raises(DomainError) as caught:
        services.deactivate_room(actor=leader, room=room, reason=reason)
    assert caught.value.field == "deactivation_reason"
    assert Room.objects.get(pk=room.pk).is_active


def test_deactivating_an_occupied_room_is_refused(leader, zone):
    room = RoomFactory(zone=zone)
    ResidentFactory(current_room=room)
    with pytest.raises(DomainError) as caught:
        services.deactivate_room(actor=leader, room=room, reason="漏水维修")
    assert caught.value.field == "is_active"
    assert Room.objects.get(pk=room.pk).is_active


def test_a_room_whose_residents_left_can_be_deactivated(leader, zone):
    room = RoomFactory(zone=zone)
    ResidentFactory(current_room=room, status=Resident.Status.RELEASED)
    services.deactivate_room(actor=leader, room=room, reason="漏水维修")
    assert not Room.objects.get(pk=room.pk).is_active


def test_deactivate_an_empty_room_keeps_the_reason_and_audits(leader, zone):
    room = RoomFactory(zone=zone)
    services.deactivate_room(actor=leader, room=room, reason="  漏水维修 ")
    room = Room.objects.get(pk=room.pk)
    assert (room.is_active, room.deactivation_reason) == (False, "漏水维修")
    event = _event("room.deactivated")
    assert event.changed_fields == ["deactivation_reason", "is_active"]
    assert event.target_id == str(room.pk)


def test_reactivating_a_room_clears_the_reason(leader, zone):
    room = RoomFactory(zone=zone, is_active=False, deactivation_reason="维修")
    services.update_scoped(actor=leader, instance=room, is_active=True)
    room = Room.objects.get(pk=room.pk)
    assert (room.is_active, room.deactivation_reason) == (True, "")
    assert _event("room.updated").changed_fields == ["deactivation_reason", "is_active"]


def test_an_officer_cannot_deactivate_a_room(member, facility_a, zone):
    room = RoomFactory(zone=zone)
    with pytest.raises(AccessDenied):
        services.deactivate_room(actor=member(Role.FACILITY_OFFICER, facility_a), room=room, reason="维修")


# --- facilities ----------------------------------------------------------------------------------


def test_only_a_bureau_wide_role_opens_a_facility(member, facility_a):
    data = {
        "bureau": facility_a.bureau,
        "code": "N09",
        "name": "新强制隔离戒毒所",
        "short_name": "新所",
        "level": "region",
    }
    with pytest.raises(AccessDenied):
        services.create_facility(actor=member(Role.FACILITY_LEADER, facility_a), **data)
    facility = services.create_facility(actor=member(Role.BUREAU_SUPERVISOR), **data)
    assert Facility.objects.get(pk=facility.pk).code == "N09"
    assert _event("facility.created").facility_id == facility.pk


def test_update_facility_audits_changed_fields(member, facility_a):
    services.update_facility(actor=member(Role.BUREAU_SUPERVISOR), facility=facility_a, address="呼和浩特市")
    assert _event("facility.updated").changed_fields == ["address"]
