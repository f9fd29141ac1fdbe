"""organisation.scoping: what each role sees (visible_to), may do (require), and the audited 404."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import Http404

from factories import (
    CommunityStationFactory,
    DepartmentFactory,
    FacilityFactory,
    MembershipFactory,
    ResidentFactory,
    RoomFactory,
    StaffFactory,
    UserFactory,
)
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied
from jiedu.organisation import roles
from jiedu.organisation.models import CommunityStation, Department, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.organisation.scoping import can, get_visible_or_404, require
from jiedu.people.models import Resident, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(facility_a, facility_b):
    """Three facilities, each with a zone, room, department, station, staff member and resident."""
    facility_c = FacilityFactory(code="C01", name="丙强制隔离戒毒所", short_name="丙所")
    rows = {}
    for facility in (facility_a, facility_b, facility_c):
        room = RoomFactory(zone__facility=facility)
        rows[facility.code] = {
            "facility": facility,
            "room": room,
            "zone": room.zone,
            "department": DepartmentFactory(facility=facility),
            "station": CommunityStationFactory(facility=facility),
            "staff": StaffFactory(facility=facility),
            "resident": ResidentFactory(current_room=room),
        }
    return rows


def _facilities_of(queryset):
    return {row.facility_id for row in queryset}


def _ids(*facilities):
    return {f.pk for f in facilities}


SCOPED = (Department, Zone, Room, CommunityStation, Staff, Resident)


def test_bureau_leader_sees_every_facility(member, region):
    leader = member(Role.BUREAU_LEADER)
    everything = _ids(*(r["facility"] for r in region.values()))
    assert set(Facility.objects.visible_to(leader).values_list("pk", flat=True)) == everything
    for model in SCOPED:
        assert _facilities_of(model.objects.visible_to(leader)) == everything, model


def test_facility_officer_sees_only_their_facility(member, region, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    assert list(Facility.objects.visible_to(officer)) == [facility_a]
    for model in SCOPED:
        assert _facilities_of(model.objects.visible_to(officer)) == {facility_a.pk}, model


def test_prosecutor_sees_only_the_assigned_facilities(member, region, facility_a):
    # given a prosecutor assigned to facilities A and C
    facility_c = region["C01"]["facility"]
    prosecutor = member(Role.PROSECUTOR, facility_a)
    MembershipFactory(user=prosecutor, facility=facility_c, role=Role.PROSECUTOR)
    # then residents, staff and the tree of A and C are visible, B's are not
    for model in (Facility, Zone, Room, Department, Staff, Resident):
        visible = set(model.objects.visible_to(prosecutor).values_list("pk", flat=True))
        expected = {
            r[key].pk
            for r in (region["A01"], region["C01"])
            for key in ("facility", "zone", "room", "department", "staff", "resident")
            if isinstance(r[key], model)
        }
        assert visible == expected, model
    # and stations are not theirs to see
    assert not CommunityStation.objects.visible_to(prosecutor).exists()


def test_gate_officer_sees_no_residents_or_staff(member, region, facility_a):
    gate = member(Role.GATE_OFFICER, facility_a)
    assert not Resident.objects.visible_to(gate).exists()
    assert not Staff.objects.visible_to(gate).exists()
    assert list(Facility.objects.visible_to(gate)) == [facility_a]
    assert _facilities_of(Room.objects.visible_to(gate)) == {facility_a.pk}


def test_medical_staff_see_residents_but_not_staff(member, region, facility_a):
    medical = member(Role.MEDICAL_STAFF, facility_a)
    assert list(Resident.objects.visible_to(medical)) == [region["A01"]["resident"]]
    assert not Staff.objects.visible_to(medical).exists()


def test_station_worker_sees_own_stations_only(member, region, facility_a):
    worker = member(Role.STATION_WORKER, facility_a)
    assert list(CommunityStation.objects.visible_to(worker)) == [region["A01"]["station"]]
    assert not Resident.objects.visible_to(worker).exists()


def test_inactive_membership_sees_nothing(member, region, facility_a):
    former = member(Role.FACILITY_LEADER, facility_a, is_active=False)
    assert not Facility.objects.visible_to(former).exists()
    for model in SCOPED:
        assert not model.objects.visible_to(former).exists(), model


def test_deactivated_login_sees_nothing(member, region, facility_a):
    user = member(Role.BUREAU_LEADER)
    user.is_active = False
    assert not Resident.objects.visible_to(user).exists()


def test_user_without_membership_sees_nothing(region):
    nobody = UserFactory()
    assert not Facility.objects.visible_to(nobody).exists()
    assert not Resident.objects.visible_to(nobody).exists()


@pytest.mark.parametrize("anonymous", [AnonymousUser(), None], ids=["anonymous", "none"])
def test_anonymous_sees_nothing(region, anonymous):
    assert not Facility.objects.visible_to(anonymous).exists()
    for model in SCOPED:
        assert not model.objects.visible_to(anonymous).exists(), model


def test_superuser_sees_everything(region):
    admin = UserFactory(is_superuser=True)
    assert Resident.objects.visible_to(admin).count() == 3


def test_a_user_with_two_facility_memberships_sees_both(member, region, facility_a, facility_b):
    leader = member(Role.FACILITY_LEADER, facility_a)
    MembershipFactory(user=leader, facility=facility_b, role=Role.FACILITY_OFFICER)
    assert _facilities_of(Resident.objects.visible_to(leader)) == _ids(facility_a, facility_b)
    # but actions follow the role held in each facility
    assert can(leader, roles.MANAGE_STAFF, facility_a.pk)
    assert not can(leader, roles.MANAGE_STAFF, facility_b.pk)


# --- require -------------------------------------------------------------------------------------


def test_require_passes_for_an_allowed_action(member, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    require(officer, roles.ADMIT_RESIDENT, facility_a)
    require(officer, roles.ADMIT_RESIDENT, facility_a.pk)


@pytest.mark.parametrize(
    ("role", "action", "own_facility"),
    [
        (Role.FACILITY_OFFICER, roles.ADMIT_RESIDENT, False),
        (Role.FACILITY_OFFICER, roles.MANAGE_STAFF, True),
        (Role.FACILITY_OFFICER, roles.MANAGE_ORGANISATION, True),
        (Role.MEDICAL_STAFF, roles.ADMIT_RESIDENT, True),
        (Role.PROSECUTOR, roles.UPDATE_RESIDENT, True),
        (Role.GATE_OFFICER, roles.VIEW_RESIDENTS, True),
        # Leaders, officers and medical staff reveal (with a purpose) in their own facility only.
        (Role.FACILITY_LEADER, roles.REVEAL_PII, False),
        (Role.PROSECUTOR, roles.REVEAL_PII, True),
    ],
)
def test_require_raises_access_denied(member, facility_a, facility_b, role, action, own_facility):
    user = member(role, facility_a)
    target = facility_a if own_facility else facility_b
    with pytest.raises(AccessDenied) as caught:
        require(user, action, target)
    assert caught.value.action == action
    assert caught.value.facility_id == target.pk


def test_bureau_leader_reads_everywhere_but_writes_nowhere(member, facility_a):
    leader = member(Role.BUREAU_LEADER)
    require(leader, roles.VIEW_RESIDENTS, facility_a)
    with pytest.raises(AccessDenied):
        require(leader, roles.ADMIT_RESIDENT, facility_a)


def test_only_a_bureau_wide_role_may_act_on_the_whole_region(member, facility_a):
    require(member(Role.BUREAU_SUPERVISOR), roles.MANAGE_ORGANISATION, None)
    with pytest.raises(AccessDenied):
        require(member(Role.FACILITY_LEADER, facility_a), roles.MANAGE_ORGANISATION, None)


def test_require_for_anonymous_raises(facility_a):
    with pytest.raises(AccessDenied):
        require(AnonymousUser(), roles.VIEW_ORGANISATION, facility_a)


# --- get_visible_or_404 --------------------------------------------------------------------------


def test_get_visible_or_404_returns_an_own_object(member, region, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    resident = region["A01"]["resident"]
    assert get_visible_or_404(Resident, officer, pk=resident.pk) == resident
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("key", ["resident", "staff", "room", "zone", "department", "facility"])
def test_another_facilitys_object_is_404_and_the_attempt_is_audited(member, region, facility_a, key):
    # given an officer of A and an object of B
    officer = member(Role.FACILITY_OFFICER, facility_a)
    hidden = region["B01"][key]
    # when the officer asks for it
    with pytest.raises(Http404):
        get_visible_or_404(type(hidden), officer, pk=hidden.pk)
    # then a denied event records who, what and where
    event = AuditEvent.objects.get()
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.actor == officer
    assert event.facility_id == region["B01"]["facility"].pk
    assert event.target_type == hidden._meta.label_lower
    assert event.target_id == str(hidden.pk)
    assert event.action == type(hidden).view_action


def test_get_visible_or_404_accepts_a_queryset(member, region, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    hidden = region["B01"]["room"]
    with pytest.raises(Http404):
        get_visible_or_404(Room.objects.select_related("zone"), officer, pk=hidden.pk)
    assert AuditEvent.objects.filter(outcome="denied").count() == 1


def test_a_missing_object_is_404_without_an_audit_event(member, region, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    with pytest.raises(Http404):
        get_visible_or_404(Resident, officer, pk=987654)
    with pytest.raises(Http404):
        get_visible_or_404(Resident, officer, pk="not-a-number")
    assert not AuditEvent.objects.exists()


def test_a_role_without_the_view_action_gets_404_for_an_own_facility_resident(member, region, facility_a):
    gate = member(Role.GATE_OFFICER, facility_a)
    with pytest.raises(Http404):
        get_visible_or_404(Resident, gate, pk=region["A01"]["resident"].pk)
    assert AuditEvent.objects.get().outcome == AuditEvent.Outcome.DENIED


# --- membership constraints ----------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(roles.BUREAU_ROLES))
def test_a_bureau_role_tied_to_a_facility_is_refused_by_the_database(facility_a, role):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, facility=facility_a, role=role)


@pytest.mark.parametrize("role", sorted(roles.FACILITY_ROLES))
def test_a_facility_role_without_a_facility_is_refused_by_the_database(role):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, facility=None, role=role)


def test_an_unknown_role_is_refused_by_the_database(facility_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=UserFactory(), facility=facility_a, role="janitor")


def test_one_membership_per_user_and_facility(facility_a):
    user = UserFactory()
    Membership.objects.create(user=user, facility=facility_a, role=Role.FACILITY_OFFICER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, facility=facility_a, role=Role.MEDICAL_STAFF)


def test_one_bureau_wide_membership_per_user():
    user = UserFactory()
    Membership.objects.create(user=user, facility=None, role=Role.BUREAU_LEADER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, facility=None, role=Role.BUREAU_SUPERVISOR)
