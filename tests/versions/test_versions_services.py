"""The version counts every change of a record, whoever makes it, so a client holding an older one is
always told; a stale write raises with the record as it is now and saves nothing."""

import pytest

from factories import (
    DepartmentFactory,
    MembershipFactory,
    ResidentFactory,
    RoomFactory,
    UserFactory,
    ZoneFactory,
)
from factories_environment import KeyAreaFactory
from jiedu.common.errors import DomainError, StaleVersion
from jiedu.common.services import save_versioned
from jiedu.environment import services as environment
from jiedu.organisation import services as organisation
from jiedu.organisation.models import Department, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import services as people
from jiedu.people.models import Resident

pytestmark = pytest.mark.django_db


def _leader(facility):
    user = UserFactory()
    MembershipFactory(user=user, facility=facility, role=Role.FACILITY_LEADER)
    return user


def test_a_new_record_starts_at_version_1_and_each_save_adds_one(facility_a):
    department = DepartmentFactory(facility=facility_a)
    assert department.version == 1
    department.name = "一大队"
    department.save(update_fields=["name"])
    assert department.version == 2 == Department.objects.get(pk=department.pk).version


def test_changes_made_by_other_domains_count_too(facility_a):
    """Moving a resident's bed (isolation uses this) and deactivating a room are no edits of those
    records, yet a client holding the older version must not write over them."""
    ward, other = RoomFactory(zone__facility=facility_a, capacity=4), RoomFactory(zone__facility=facility_a)
    resident = ResidentFactory(facility=facility_a, current_zone=ward.zone, current_room=ward)
    people.place_resident(resident=resident, zone=other.zone, room=other)
    assert Resident.objects.get(pk=resident.pk).version == 2

    empty = RoomFactory(zone__facility=facility_a)
    organisation.deactivate_room(actor=_leader(facility_a), room=empty, reason="维修")
    assert Room.objects.get(pk=empty.pk).version == 2

    area = KeyAreaFactory(facility=facility_a)
    environment.unmark_key_area(actor=_leader(facility_a), area=area)
    with pytest.raises(StaleVersion):  # an edit based on the read before the unmarking
        environment.update_key_area(actor=_leader(facility_a), area=area, expected_version=1, note="二楼")


def test_a_stale_write_raises_with_the_record_as_it_is_now_and_saves_nothing(facility_a):
    zone = ZoneFactory(facility=facility_a, name="东区")
    leader = _leader(facility_a)
    organisation.update_scoped(actor=leader, instance=zone, expected_version=1, name="西区")

    mine = Zone.objects.get(pk=zone.pk)
    with pytest.raises(StaleVersion) as refused:
        organisation.update_scoped(actor=leader, instance=mine, expected_version=1, name="南区")

    assert refused.value.code == "stale" and isinstance(refused.value, DomainError)
    assert (refused.value.current.name, refused.value.current.version) == ("西区", 2)
    assert Zone.objects.get(pk=zone.pk).name == "西区"


def test_a_write_checked_only_at_the_save_is_refused_when_the_row_moved_on_meanwhile(facility_a):
    """The service compared the version with the row it loaded; someone saved between that and the
    save: the save itself compares again, under the row lock."""
    department = DepartmentFactory(facility=facility_a, name="一大队")
    loaded = Department.objects.get(pk=department.pk)
    Department.objects.get(pk=department.pk).save()  # someone else's change: version 2

    loaded.name = "二大队"
    with pytest.raises(StaleVersion) as refused:
        save_versioned(loaded, expected_version=1, update_fields=["name"])

    assert refused.value.current.version == 2
    assert Department.objects.get(pk=department.pk).name == "一大队"


def test_a_refused_save_leaves_the_version_a_number(facility_a):
    department = DepartmentFactory(facility=facility_a, name="一大队")
    DepartmentFactory(facility=facility_a, name="二大队")
    department.name = "二大队"  # unique per facility: the database refuses
    with pytest.raises(DomainError):
        save_versioned(department, expected_version=1, update_fields=["name"])
    assert department.version == 1
